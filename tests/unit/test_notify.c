/*
 * test_notify - the acknowledgement's content and headers, notifications,
 * and notify_submit() against real commands.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/util.h"
#include "store/store.h"
#include "notify/notify.h"

static void fill_report(struct report *rep)
{
    memset(rep, 0, sizeof(*rep));
    sbuf_init(&rep->text, 1 << 20);
    sbuf_puts(&rep->text, "Stored XSS in the contact name field.");
    rep->message_id = strdup("<report.1@researcher.example>");
    rep->from_addr = strdup("alice@researcher.example");
    /* A hostile subject: a header injection attempt and non-ASCII text. */
    rep->subject = strdup("XSS in contacts\r\nBcc: victim@example.com — ünïcode");
    rep->n_attachments = 1;
    rep->attachments = calloc(1, sizeof(*rep->attachments));
    rep->attachments[0].filename = strdup("poc\n.html");
    rep->attachments[0].content_type = strdup("text/html");
    rep->attachments[0].size = 1234;
    strcpy(rep->attachments[0].sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_ack_headers_and_body(void **state)
{
    struct sm_config cfg;
    struct report rep;
    struct triage t;
    struct notify_mail mail;
    struct sbuf out = SBUF_INIT(1 << 20);
    const char *s;
    char   *body;

    sm_config_init(&cfg);
    sm_config_set(&cfg, "AckFrom", "security@corp.example", NULL, 0);
    fill_report(&rep);
    triage_init(&t);
    strlist_add(&t.classes, "xss");
    t.complete[ITEM_TYPE] = t.complete[ITEM_TARGET] = t.complete[ITEM_STEPS] = 1;
    t.complete[ITEM_IMPACT] = t.complete[ITEM_POC] = 0;

    assert_int_equal(notify_compose_ack(&cfg, "SEC-2026-0042", &rep, &t,
					"<Alice+x@Researcher.example>", &mail, &out), 0);
    s = sbuf_str(&out);
    assert_string_equal(mail.to, "alice@researcher.example");
    assert_string_equal(mail.from, "");
    assert_non_null(strstr(s, "\nAuto-Submitted: auto-replied\n"));
    assert_non_null(strstr(s, "\nIn-Reply-To: <report.1@researcher.example>\n"));
    assert_non_null(strstr(s, "\nReferences: <report.1@researcher.example>\n"));
    assert_non_null(strstr(s, "From: Security Team <security@corp.example>\n"));
    assert_non_null(strstr(s, "Message-ID: <SEC-2026-0042."));
    assert_non_null(strstr(s, "@corp.example>\n"));
    /* Non-ASCII subject: RFC 2047 encoded, so the tag is inside base64. */
    assert_non_null(strstr(s, "Subject: =?UTF-8?B?"));
    /* The injection never becomes a header line. */
    assert_null(strstr(s, "\nBcc:"));
    body = strstr(s, "\n\n");
    assert_non_null(body);
    /* Every header line within limits. */
    for (const char *p = s; p < body; ) {
	const char *e = strchr(p, '\n');

	assert_true(e - p <= 998);
	p = e + 1;
    }
    assert_non_null(strstr(body, "SEC-2026-0042"));
    assert_non_null(strstr(body, "- impact: "));
    assert_non_null(strstr(body, "- poc: "));
    assert_null(strstr(body, "- steps: "));
    assert_non_null(strstr(body, "poc .html"));
    assert_non_null(strstr(body, "Critical, High or Medium"));
    assert_non_null(strstr(body, "5 business days"));

    triage_free(&t);
    report_free(&rep);
    sbuf_free(&out);
    sm_config_free(&cfg);
}

static void test_ack_refuses_bad_recipients(void **state)
{
    struct sm_config cfg;
    struct report rep;
    struct triage t;
    struct notify_mail mail;
    struct sbuf out = SBUF_INIT(1 << 20);

    sm_config_init(&cfg);
    fill_report(&rep);
    triage_init(&t);
    assert_int_equal(notify_compose_ack(&cfg, "SEC-2026-0001", &rep, &t, "", &mail, &out), -1);
    assert_int_equal(notify_compose_ack(&cfg, "SEC-2026-0001", &rep, &t, "<>", &mail, &out), -1);
    assert_int_equal(notify_compose_ack(&cfg, "SEC-2026-0001", &rep, &t, NULL, &mail, &out), -1);
    assert_int_equal(notify_compose_ack(&cfg, "SEC-2026-0001", &rep, &t, "a b@x", &mail, &out), -1);
    assert_int_equal(notify_compose_ack(&cfg, "SEC-2026-0001", &rep, &t, "-oQ/tmp@x", &mail, &out), 0);
    triage_free(&t);
    report_free(&rep);
    sbuf_free(&out);
    sm_config_free(&cfg);
}

static void test_update_notifications(void **state)
{
    struct sm_config cfg;
    struct notify_mail mail;
    struct sbuf out = SBUF_INIT(1 << 20);
    json_t *t = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[{s:s}], s:[s]}",
			  "id", "SEC-2026-0007", "reporter", "bob@example.net",
			  "subject", "SQLi", "severity", "high", "eta", "2027-01-15",
			  "messages", "message_id", "<r7@example.net>", "missing", "poc");

    sm_config_init(&cfg);
    assert_int_equal(notify_compose_update(&cfg, t, "triaged", &mail, &out), 0);
    assert_non_null(strstr(sbuf_str(&out), "qualified it as High"));
    assert_non_null(strstr(sbuf_str(&out), "In-Reply-To: <r7@example.net>"));
    sbuf_reset(&out);
    assert_int_equal(notify_compose_update(&cfg, t, "scheduled", &mail, &out), 0);
    assert_non_null(strstr(sbuf_str(&out), "2027-01-15"));
    sbuf_reset(&out);
    assert_int_equal(notify_compose_update(&cfg, t, "fixed", &mail, &out), 0);
    assert_non_null(strstr(sbuf_str(&out), "Hall of Fame"));
    sbuf_reset(&out);
    assert_int_equal(notify_compose_update(&cfg, t, "needs_info", &mail, &out), 0);
    assert_non_null(strstr(sbuf_str(&out), "- poc: "));
    sbuf_reset(&out);
    assert_int_equal(notify_compose_update(&cfg, t, "out_of_scope", &mail, &out), 0);
    assert_non_null(strstr(sbuf_str(&out), "stack traces"));
    /* spam: nothing is sent. */
    sbuf_reset(&out);
    assert_int_equal(notify_compose_update(&cfg, t, "spam", &mail, &out), -1);
    assert_false(notify_event_wanted("spam"));
    json_decref(t);
    sbuf_free(&out);
    sm_config_free(&cfg);
}


/* The body is quoted-printable UTF-8: 7-bit lines within 76 characters. */
static void test_body_quoted_printable(void **state)
{
    struct sm_config cfg;
    struct report rep;
    struct triage t;
    struct notify_mail mail;
    struct sbuf out = SBUF_INIT(1 << 20);
    const char *s, *body;
    char    longsubj[600];

    sm_config_init(&cfg);
    sm_config_set(&cfg, "AckFrom", "security@corp.example", NULL, 0);
    fill_report(&rep);
    free(rep.subject);
    /* A long ASCII subject: folded at white space, never one long line. */
    memset(longsubj, 0, sizeof(longsubj));
    for (int i = 0; i < 40; i++)
	strcat(longsubj, "word=x ");
    rep.subject = strdup(longsubj);
    triage_init(&t);
    assert_int_equal(notify_compose_ack(&cfg, "SEC-2026-0042", &rep, &t,
					"alice@researcher.example", &mail, &out), 0);
    s = sbuf_str(&out);
    assert_non_null(strstr(s, "\nContent-Transfer-Encoding: quoted-printable\n"));
    assert_non_null(strstr(s, "\nContent-Type: text/plain; charset=UTF-8\n"));
    body = strstr(s, "\n\n");
    assert_non_null(body);
    for (const char *p = s; p < body; ) {
	const char *e = strchr(p, '\n');

	assert_true(e - p <= 78);
	p = e + 1;
    }
    /* "word=x" in the body is written "word=3Dx". */
    assert_non_null(strstr(body, "word=3Dx"));
    for (const char *p = body + 2; *p; ) {
	const char *e = strchr(p, '\n');

	if (e == NULL)
	    e = p + strlen(p);
	assert_true(e - p <= 76);
	for (const char *q = p; q < e; q++)
	    assert_true((unsigned char) *q < 0x7f);
	p = *e ? e + 1 : e;
    }
    report_free(&rep);
    sbuf_free(&out);

    /* Non-ASCII text becomes =XX octets of its UTF-8. */
    fill_report(&rep);
    sbuf_reset(&out);
    assert_int_equal(notify_compose_ack(&cfg, "SEC-2026-0042", &rep, &t,
					"alice@researcher.example", &mail, &out), 0);
    assert_non_null(strstr(sbuf_str(&out), "=C3=BC"));
    assert_null(strstr(strstr(sbuf_str(&out), "\n\n"), "\xc3"));
    report_free(&rep);
    sbuf_free(&out);
    triage_free(&t);
    sm_config_free(&cfg);
    (void) state;
}

/* One RFC 3834 case at a time: the reply policy says no, and why. */
static void test_reply_policy(void **state)
{
    struct sm_config cfg;
    struct report rep;
    struct triage t;
    const char *why;

    sm_config_init(&cfg);
    sm_config_set(&cfg, "SecurityAddress", "security@corp.example", NULL, 0);
    sm_config_set(&cfg, "AckFrom", "psirt@corp.example", NULL, 0);
    sm_config_set(&cfg, "TeamAddresses", "dana@corp.example lee@corp.example", NULL, 0);
    memset(&rep, 0, sizeof(rep));
    triage_init(&t);
    t.kind = TRIAGE_REPORT;

    /* A plain report from a person: yes. */
    assert_int_equal(notify_reply_allowed(&cfg, &rep, &t, "alice@example.org", &why), 1);
    assert_null(why);

    /* Who would get it. */
    assert_int_equal(notify_reply_allowed(&cfg, &rep, &t, "", &why), 0);
    assert_string_equal(why, "null sender");
    assert_int_equal(notify_reply_allowed(&cfg, &rep, &t, NULL, &why), 0);
    {
	static const char *const robots[] = {
	    "MAILER-DAEMON@example.org", "postmaster@example.org", "owner-list@example.org",
	    "list-request@example.org", "noreply@example.org", "no-reply@example.org",
	    "do-not-reply@example.org", "noreply-alerts@example.org", NULL,
	};

	for (int i = 0; robots[i]; i++) {
	    assert_int_equal(notify_reply_allowed(&cfg, &rep, &t, robots[i], &why), 0);
	    assert_string_equal(why, "robot address");
	}
    }
    assert_int_equal(notify_reply_allowed(&cfg, &rep, &t, "<Security+x@Corp.example>", &why), 0);
    assert_string_equal(why, "one of our own addresses");
    assert_int_equal(notify_reply_allowed(&cfg, &rep, &t, "psirt@corp.example", &why), 0);
    assert_int_equal(notify_reply_allowed(&cfg, &rep, &t, "lee@corp.example", &why), 0);
    assert_string_equal(why, "one of our own addresses");

    /* RFC 3834 headers, one at a time. */
    rep.auto_submitted = (char *) "auto-replied";
    assert_int_equal(notify_reply_allowed(&cfg, &rep, &t, "alice@example.org", &why), 0);
    assert_string_equal(why, "Auto-Submitted");
    rep.auto_submitted = (char *) " No ";
    assert_int_equal(notify_reply_allowed(&cfg, &rep, &t, "alice@example.org", &why), 1);
    rep.auto_submitted = NULL;
    rep.precedence = (char *) "Bulk";
    assert_int_equal(notify_reply_allowed(&cfg, &rep, &t, "alice@example.org", &why), 0);
    assert_string_equal(why, "Precedence bulk, list or junk");
    rep.precedence = (char *) "junk";
    assert_int_equal(notify_reply_allowed(&cfg, &rep, &t, "alice@example.org", &why), 0);
    rep.precedence = (char *) "first-class";
    assert_int_equal(notify_reply_allowed(&cfg, &rep, &t, "alice@example.org", &why), 1);
    rep.precedence = NULL;
    rep.has_list_headers = 1;
    assert_int_equal(notify_reply_allowed(&cfg, &rep, &t, "alice@example.org", &why), 0);
    assert_string_equal(why, "mailing list headers");
    rep.has_list_headers = 0;
    rep.has_loop_header = 1;
    assert_int_equal(notify_reply_allowed(&cfg, &rep, &t, "alice@example.org", &why), 0);
    assert_string_equal(why, "our loop header");
    rep.has_loop_header = 0;
    rep.from_addr = (char *) "no-reply@service.example";
    assert_int_equal(notify_reply_allowed(&cfg, &rep, &t, "alice@example.org", &why), 0);
    rep.from_addr = NULL;

    /* Automated mail and forged senders. */
    t.kind = TRIAGE_AUTOMATED;
    assert_int_equal(notify_reply_allowed(&cfg, &rep, &t, "alice@example.org", &why), 0);
    assert_string_equal(why, "automated mail");
    t.kind = TRIAGE_REPORT;
    strlist_add(&t.flags, "unverified_sender");
    assert_int_equal(notify_reply_allowed(&cfg, &rep, &t, "alice@example.org", &why), 0);
    assert_string_equal(why, "unverified sender");
    triage_free(&t);
    sm_config_free(&cfg);
    (void) state;
}

/* Authentication-Results: ours decide, foreign ones never do. */
static void test_auth_results(void **state)
{
    struct strlist ar = STRLIST_INIT;
    char    why[64];

    /* Ours, with a version and comments: DMARC failed. */
    strlist_add(&ar, "mx.corp.example 1; spf=pass (sender SPF authorized) smtp.mailfrom=bank.example;\r\n"
		"\tdkim=none (message not signed); dmarc=fail (p=reject dis=none) header.from=bank.example");
    assert_int_equal(notify_auth_forged("mx.corp.example", &ar, why, sizeof(why)), 1);
    assert_string_equal(why, "dmarc=fail");
    /* The same header under another authserv-id decides nothing. */
    assert_int_equal(notify_auth_forged("mx.other.example", &ar, why, sizeof(why)), 0);
    strlist_free(&ar);

    /* SPF failed and no DKIM passed: forged; with a DKIM pass: not. */
    strlist_add(&ar, "MX.Corp.Example; spf=fail smtp.mailfrom=x.example; dkim=none");
    assert_int_equal(notify_auth_forged("mx.corp.example", &ar, why, sizeof(why)), 1);
    strlist_free(&ar);
    strlist_add(&ar, "mx.corp.example; spf=fail smtp.mailfrom=x.example; dkim=pass header.d=x.example");
    assert_int_equal(notify_auth_forged("mx.corp.example", &ar, NULL, 0), 0);
    strlist_free(&ar);

    /* A sender's own header claiming our id in a comment, or "none". */
    strlist_add(&ar, "attacker.example (mx.corp.example); dmarc=fail");
    strlist_add(&ar, "mx.corp.example; none");
    strlist_add(&ar, "mx.corp.example; dmarc=pass; spf=fail");
    assert_int_equal(notify_auth_forged("mx.corp.example", &ar, NULL, 0), 0);
    strlist_free(&ar);

    /* A method name in a comment is no result; "dkim/1" is dkim. */
    strlist_add(&ar, "mx.corp.example; spf=fail (dkim=pass said nobody); dkim/1=pass");
    assert_int_equal(notify_auth_forged("mx.corp.example", &ar, NULL, 0), 0);
    strlist_free(&ar);
    strlist_add(&ar, "mx.corp.example; spf=fail (dkim=pass said nobody)");
    assert_int_equal(notify_auth_forged("mx.corp.example", &ar, NULL, 0), 1);
    strlist_free(&ar);
    (void) state;
}

/* Credit lines: the reporter's own, sanitised, bounded, URL checked. */
static void test_credit_parse(void **state)
{
    const char *reply =
	"Thanks!\n\n  credit-name:  Ada\x01 Lovelace \r\nCredit-Link: javascript:alert(1)\n"
	"Credit-Consent: YES\n> Credit-Name: the name to show\n";
    const char *quoted = "> Credit-Name: Mallory\n> Credit-Consent: yes\n";
    char    longname[400];
    json_t *c;

    c = notify_credit_parse(reply, strlen(reply));
    assert_non_null(c);
    assert_string_equal(json_string_value(json_object_get(c, "name")), "Ada Lovelace");
    assert_true(json_is_null(json_object_get(c, "link")));
    assert_string_equal(json_string_value(json_object_get(c, "consent")), "yes");
    json_decref(c);

    assert_null(notify_credit_parse(quoted, strlen(quoted)));

    memset(longname, 'x', sizeof(longname));
    memcpy(longname, "Credit-Name: ", 13);
    strcpy(longname + 300, "\nCredit-Link: https://example.org/me\nCredit-Consent: maybe\n");
    c = notify_credit_parse(longname, strlen(longname));
    assert_non_null(c);
    assert_true(strlen(json_string_value(json_object_get(c, "name"))) <= NOTIFY_CREDIT_NAME_MAX);
    assert_string_equal(json_string_value(json_object_get(c, "link")), "https://example.org/me");
    assert_true(json_is_null(json_object_get(c, "consent")));
    json_decref(c);
    (void) state;
}

static void test_submit_real_commands(void **state)
{
    char    dir[] = "/tmp/test_notify.XXXXXX", script[128], cmd[256], err[512], got[256];
    const char *msg = "Subject: hi\n\nbody\n";
    FILE   *fp;

    assert_non_null(mkdtemp(dir));

    /* A submission command that records its arguments and input. */
    snprintf(script, sizeof(script), "%s/fake-sendmail", dir);
    fp = fopen(script, "w");
    fprintf(fp, "#!/bin/sh\nprintf '%%s|' \"$@\" > %s/args\ncat > %s/input\n", dir, dir);
    fclose(fp);
    chmod(script, 0755);
    snprintf(cmd, sizeof(cmd), "%s -oi", script);
    assert_int_equal(notify_submit(cmd, "", "alice@example.net", msg, strlen(msg), 5000, err, sizeof(err)), 0);
    snprintf(cmd, sizeof(cmd), "%s/args", dir);
    fp = fopen(cmd, "r");
    assert_non_null(fgets(got, sizeof(got), fp));
    fclose(fp);
    assert_string_equal(got, "-oi|-i|-f|<>|--|alice@example.net|");
    snprintf(cmd, sizeof(cmd), "%s/input", dir);
    fp = fopen(cmd, "r");
    memset(got, 0, sizeof(got));
    assert_true(fread(got, 1, sizeof(got) - 1, fp) > 0);
    fclose(fp);
    assert_string_equal(got, msg);

    /* A failing command: its status and stderr are reported. */
    assert_int_equal(notify_submit("/bin/false", "", "a@b", msg, strlen(msg), 5000, err, sizeof(err)), -1);
    fp = fopen(script, "w");
    fprintf(fp, "#!/bin/sh\necho 'queue file write error' >&2\nexit 75\n");
    fclose(fp);
    assert_int_equal(notify_submit(script, "", "a@b", msg, strlen(msg), 5000, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "exit 75"));
    assert_non_null(strstr(err, "queue file write error"));

    /* A hanging command is killed at the time limit. */
    fp = fopen(script, "w");
    fprintf(fp, "#!/bin/sh\nexec sleep 30\n");
    fclose(fp);
    assert_int_equal(notify_submit(script, "", "a@b", msg, strlen(msg), 300, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "timed out"));

    /* A command that does not exist. */
    assert_int_equal(notify_submit("/nonexistent/sendmail", "", "a@b", msg, strlen(msg), 5000, err, sizeof(err)), -1);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* ------------------------------------------------------------ templates */

static void write_file(const char *dir, const char *name, const char *text)
{
    char    path[512];
    FILE   *fp;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_non_null(fp = fopen(path, "w"));
    fputs(text, fp);
    fclose(fp);
}

static void test_templates_builtin(void **state)
{
    char    err[512] = "";
    struct notify_templates *set = notify_templates_load(NULL, err, sizeof(err));

    assert_non_null(set);
    assert_string_equal(err, "");
    notify_templates_free(set);
    (void) state;
}

/* One file in TemplateDirectory replaces its built-in copy, only that one. */
static void test_templates_override(void **state)
{
    char    dir[] = "/tmp/test_notify_tpl.XXXXXX", err[512];
    struct sm_config cfg;
    struct notify_mail mail;
    struct sbuf out = SBUF_INIT(1 << 20);
    json_t *t = json_pack("{s:s, s:s, s:s, s:s}", "id", "SEC-2026-0009",
			  "reporter", "carol@example.net", "subject", "IDOR", "severity", "critical");

    assert_non_null(mkdtemp(dir));
    write_file(dir, "closed.txt", "Subject: Closed: {{ticket}} ({{subject}})\r\n\r\n"
	       "Dear {{reporter}}, ticket {{ticket}} is closed.\r\n"
	       "Policy: {{policy_url}}\n");
    sm_config_init(&cfg);
    assert_int_equal(sm_config_set(&cfg, "TemplateDirectory", dir, err, sizeof(err)), 0);
    assert_int_equal(notify_templates_load_config(&cfg, err, sizeof(err)), 0);

    assert_int_equal(notify_compose_update(&cfg, t, "closed", &mail, &out), 0);
    assert_non_null(strstr(sbuf_str(&out), "\nSubject: Closed: SEC-2026-0009 (IDOR)\n"));
    assert_non_null(strstr(sbuf_str(&out), "Dear carol@example.net, ticket SEC-2026-0009 is clo"));
    /* No PolicyURL: the line whose only placeholder is empty is left out. */
    assert_null(strstr(sbuf_str(&out), "Policy:"));
    assert_null(strstr(sbuf_str(&out), "\r"));
    /* The others are still the built-in ones. */
    sbuf_reset(&out);
    assert_int_equal(notify_compose_update(&cfg, t, "triaged", &mail, &out), 0);
    assert_non_null(strstr(sbuf_str(&out), "qualified it as Critical"));
    assert_non_null(strstr(sbuf_str(&out), "time frame for addressing it is 7 days"));

    /* A directory that is not one is refused when the key is read. */
    assert_int_equal(sm_config_set(&cfg, "TemplateDirectory", "/nonexistent/tpl", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "not a directory"));

    notify_templates_install(notify_templates_load(NULL, err, sizeof(err)));
    json_decref(t);
    sbuf_free(&out);
    sm_config_free(&cfg);
    unlink(strcat(strcpy(err, dir), "/closed.txt"));
    rmdir(dir);
    (void) state;
}

/* Bad templates are refused at load, naming the file and line. */
static void test_templates_errors(void **state)
{
    char    dir[] = "/tmp/test_notify_tpl.XXXXXX", err[512], path[512];
    static const struct {
	const char *text;
	const char *error;
    } cases[] = {
	{"Subject: x {{ticket}}\n\nHello,\n{{subject}} {{foo}}\n", "/invalid.txt:4: unknown placeholder {{foo}}"},
	{"Hello,\n\nno subject here\n", "/invalid.txt:1: expected \"Subject: ...\" as the first line"},
	{"Subject:   \n\nbody\n", "/invalid.txt:1: the Subject is empty"},
	{"Subject: x\nbody\n", "/invalid.txt:2: expected an empty line after the Subject"},
	{"Subject: x\n\nab {{ticket\n", "/invalid.txt:3: unterminated placeholder"},
	{"Subject: {{missing_list}}\n\nbody\n", "/invalid.txt:1: {{missing_list}} is a list"},
	{"Subject: x\n\n{{Ticket}}\n", "/invalid.txt:3: unknown placeholder {{Ticket}}"},
    };

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/invalid.txt", dir);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	write_file(dir, "invalid.txt", cases[i].text);
	err[0] = 0;
	assert_null(notify_templates_load(dir, err, sizeof(err)));
	if (strstr(err, cases[i].error) == NULL || strncmp(err, dir, strlen(dir)) != 0)
	    fail_msg("case %zu: got \"%s\", want \"%s\"", i, err, cases[i].error);
    }
    unlink(path);
    rmdir(dir);
    (void) state;
}

/* Every built-in template, rendered with sample values. */
static void test_templates_render_all(void **state)
{
    const char *vars[NOTIFY_VAR_COUNT];
    char    samples[NOTIFY_VAR_COUNT][64];

    for (int v = 0; v < NOTIFY_VAR_COUNT; v++) {
	snprintf(samples[v], sizeof(samples[v]), "%s%s=%s", v == NOTIFY_VAR_MISSING_LIST
		 || v == NOTIFY_VAR_RECEIVED_LIST ? "- one\n- " : "", "V", notify_var_names[v]);
	vars[v] = samples[v];
    }
    for (int k = 0; k < NOTIFY_TPL_COUNT; k++) {
	struct sbuf subject = SBUF_INIT(1000), body = SBUF_INIT(1 << 16);
	const char *p;

	assert_int_equal(notify_template_render((enum notify_template) k, vars, &subject, &body), 0);
	assert_null(strstr(sbuf_str(&subject), "{{"));
	assert_null(strstr(sbuf_str(&body), "{{"));
	assert_null(strchr(sbuf_str(&subject), '\n'));
	assert_non_null(strstr(sbuf_str(&subject), "V=ticket"));
	assert_non_null(strstr(sbuf_str(&body), "V=organization"));
	assert_non_null(strstr(sbuf_str(&body), "V=policy_url"));
	for (p = sbuf_str(&body); *p;) {
	    const char *e = strchr(p, '\n');

	    assert_non_null(e);
	    assert_true(e - p <= 998);
	    p = e + 1;
	}
	if (strcmp(notify_template_names[k], "triaged") == 0)
	    assert_non_null(strstr(sbuf_str(&body), "qualified it as V=Severity."));
	if (strcmp(notify_template_names[k], "scheduled") == 0)
	    assert_non_null(strstr(sbuf_str(&body), "release it by V=eta."));
	if (strcmp(notify_template_names[k], "duplicate") == 0)
	    assert_non_null(strstr(sbuf_str(&body), "V=duplicate_of"));
	if (strcmp(notify_template_names[k], "ack_needs_info") == 0
	    || strcmp(notify_template_names[k], "needs_info") == 0)
	    assert_non_null(strstr(sbuf_str(&body), "- one\n- V=missing_list\n"));
	if (strcmp(notify_template_names[k], "fixed") == 0) {
	    /* The credit lines, as notify_credit_parse() reads a reply. */
	    assert_non_null(strstr(sbuf_str(&body), "\n  Credit-Name: the name to show\n"));
	    assert_non_null(strstr(sbuf_str(&body), "\n  Credit-Consent: yes\n"));
	}
	sbuf_free(&subject);
	sbuf_free(&body);
    }

    /* Empty values: their lines go, the rest stays. */
    vars[NOTIFY_VAR_POLICY_URL] = NULL;
    vars[NOTIFY_VAR_DUPLICATE_OF] = "";
    {
	struct sbuf subject = SBUF_INIT(1000), body = SBUF_INIT(1 << 16);

	assert_int_equal(notify_template_render(NOTIFY_TPL_DUPLICATE, vars, &subject, &body), 0);
	assert_null(strstr(sbuf_str(&body), "reporting policy:"));
	assert_null(strstr(sbuf_str(&body), "The earlier ticket"));
	assert_non_null(strstr(sbuf_str(&body), "as a duplicate"));
	sbuf_free(&subject);
	sbuf_free(&body);
    }
    (void) state;
}

/* ------------------------------------------------------ SMTP submission */

struct fake_mta {
    int     listen_fd;
    int     final_code;			/* the reply to the final dot */
    const int *final_codes;		/* or one per message, 0-ended */
    int     messages;			/* final dots seen */
    char    got[8192];			/* everything the client sent */
    size_t  len;
};

/* fake_mta_run - one SMTP session, answered line by line */

static void *fake_mta_run(void *arg)
{
    struct fake_mta *m = arg;
    int     fd = accept(m->listen_fd, NULL, NULL), in_data = 0;
    char    reply[64];
    ssize_t n;

    if (fd < 0)
	return (NULL);
    (void) write(fd, "220-mx ESMTP\r\n220 ready\r\n", 25);
    while (m->len < sizeof(m->got) - 1
	   && (n = read(fd, m->got + m->len, sizeof(m->got) - 1 - m->len)) > 0) {
	char   *line = m->got + m->len;

	m->len += (size_t) n;
	m->got[m->len] = 0;
	/* Good enough for a test: each read holds whole lines. */
	for (char *nl; (nl = strstr(line, "\r\n")) != NULL; line = nl + 2) {
	    if (in_data) {
		if (nl == line + 1 && line[0] == '.') {
		    int     code = m->final_code;

		    if (m->final_codes && m->final_codes[m->messages])
			code = m->final_codes[m->messages];
		    m->messages++;
		    in_data = 0;
		    snprintf(reply, sizeof(reply), "%d done\r\n", code);
		    (void) write(fd, reply, strlen(reply));
		}
		continue;
	    }
	    if (strncmp(line, "EHLO", 4) == 0)
		(void) write(fd, "250-mx\r\n250 8BITMIME\r\n", 22);
	    else if (strncmp(line, "DATA", 4) == 0)
		in_data = 1, (void) write(fd, "354 go\r\n", 8);
	    else if (strncmp(line, "RCPT TO:<bad@", 13) == 0)
		(void) write(fd, "550 no such user\r\n", 18);
	    else if (strncmp(line, "QUIT", 4) == 0)
		(void) write(fd, "221 bye\r\n", 9);
	    else
		(void) write(fd, "250 ok\r\n", 8);
	}
    }
    close(fd);
    return (NULL);
}

/* fake_mta_start - listen on a loopback port, serve one session in a thread */

static void fake_mta_start(struct fake_mta *m, pthread_t *th, char *server, size_t len)
{
    struct sockaddr_in sin;
    socklen_t sl = sizeof(sin);

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    m->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(m->listen_fd >= 0);
    assert_int_equal(bind(m->listen_fd, (struct sockaddr *) &sin, sizeof(sin)), 0);
    assert_int_equal(listen(m->listen_fd, 1), 0);
    assert_int_equal(getsockname(m->listen_fd, (struct sockaddr *) &sin, &sl), 0);
    snprintf(server, len, "inet:%u@127.0.0.1", (unsigned) ntohs(sin.sin_port));
    assert_int_equal(pthread_create(th, NULL, fake_mta_run, m), 0);
}

/* fake_mta_finish - the session over: so many transactions, so many messages */

static void fake_mta_finish(struct fake_mta *m, pthread_t *th, int transactions, int messages)
{
    int     n = 0;

    pthread_join(*th, NULL);
    close(m->listen_fd);
    for (const char *p = m->got; (p = strstr(p, "MAIL FROM:<>")) != NULL; p++)
	n++;
    assert_int_equal(n, transactions);
    assert_int_equal(m->messages, messages);
}

static void test_submit_smtp(void **state)
{
    const char *msg = "From: a@b\nSubject: x\n\n.leading dot\nline\r\n.\nend\n";
    struct fake_mta m;
    pthread_t th;
    char    server[64], err[256];

    for (int pass = 0; pass < 2; pass++) {
	memset(&m, 0, sizeof(m));
	m.final_code = pass == 0 ? 250 : 554;
	fake_mta_start(&m, &th, server, sizeof(server));
	if (pass == 0) {
	    /* The null sender, CRLF line ends, a leading dot doubled. */
	    assert_int_equal(notify_submit_smtp(server, "", "alice@example.net", msg, strlen(msg),
						5000, err, sizeof(err)), 0);
	} else {
	    /* A refusal is a failure, with the MTA's words. */
	    assert_int_equal(notify_submit_smtp(server, "", "alice@example.net", msg, strlen(msg),
						5000, err, sizeof(err)), -1);
	    assert_non_null(strstr(err, "554"));
	}
	pthread_join(th, NULL);
	close(m.listen_fd);
	assert_non_null(strstr(m.got, "MAIL FROM:<>\r\nRCPT TO:<alice@example.net>\r\nDATA\r\n"));
	assert_non_null(strstr(m.got, "\r\n\r\n..leading dot\r\nline\r\n..\r\nend\r\n.\r\n"));
    }

    /* Never an address that could break the command line. */
    assert_int_equal(notify_submit_smtp("inet:25@127.0.0.1", "", "a@b>\r\nRSET", msg, strlen(msg),
					1000, err, sizeof(err)), -1);
    assert_int_equal(notify_submit_smtp("unix:/x", "", "a@b", msg, strlen(msg),
					1000, err, sizeof(err)), -1);
}

/* One session, several messages: a refused one is RSET, the session goes on. */
static void test_smtp_session(void **state)
{
    static const int codes[] = {250, 554, 250, 0};
    const char *msg = "From: a@b\nSubject: x\n\nbody\n";
    struct fake_mta m;
    struct notify_smtp *sess;
    pthread_t th;
    char    server[64], err[256];

    (void) state;
    memset(&m, 0, sizeof(m));
    m.final_codes = codes;
    fake_mta_start(&m, &th, server, sizeof(server));

    assert_non_null(sess = notify_smtp_open(server, 5000, err, sizeof(err)));
    assert_int_equal(notify_smtp_send(sess, "", "alice@example.net", msg, strlen(msg),
				      5000, err, sizeof(err)), 0);
    /* refused at RCPT: -1 with the MTA's words, RSET, still usable */
    assert_int_equal(notify_smtp_send(sess, "", "bad@example.net", msg, strlen(msg),
				      5000, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "550"));
    assert_false(notify_smtp_broken(sess));
    /* refused at the final dot */
    assert_int_equal(notify_smtp_send(sess, "", "carol@example.net", msg, strlen(msg),
				      5000, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "554"));
    assert_false(notify_smtp_broken(sess));
    assert_int_equal(notify_smtp_send(sess, "", "dave@example.net", msg, strlen(msg),
				      5000, err, sizeof(err)), 0);
    /* never an address that could break the command line */
    assert_int_equal(notify_smtp_send(sess, "", "a@b>\r\nRSET", msg, strlen(msg),
				      5000, err, sizeof(err)), -1);
    notify_smtp_close(sess);

    /* all in the one connection the fake MTA accepts */
    fake_mta_finish(&m, &th, 4, 3);
    assert_non_null(strstr(m.got, "RCPT TO:<bad@example.net>\r\nRSET\r\nMAIL FROM:<>\r\n"
			   "RCPT TO:<carol@example.net>"));
    assert_non_null(strstr(m.got, "RCPT TO:<dave@example.net>\r\nDATA\r\n"));
    assert_null(strstr(m.got, "a@b>"));
    assert_non_null(strstr(m.got, "QUIT\r\n"));
}

/* outbox_wait_for - poll the outbox until ok() holds for the whole list */

static int outbox_wait_for(struct store *st, int (*ok)(json_t *), int seconds)
{
    for (int i = 0; i < seconds * 20; i++) {
	json_t *list;
	int     good;

	assert_int_equal(store_outbox_list(st, &list), 0);
	good = ok(list);
	json_decref(list);
	if (good)
	    return (1);
	usleep(50000);
    }
    return (0);
}

static int all_deferred_once(json_t *list)
{
    size_t  i;
    json_t *o;

    if (json_array_size(list) != 3)
	return (0);
    json_array_foreach(list, i, o)
	if (json_integer_value(json_object_get(o, "attempts")) != 1)
	    return (0);
    return (1);
}

static int outbox_empty(json_t *list)
{
    return (json_array_size(list) == 0);
}

/*
 * The sender with SubmitServer: a server that cannot be reached defers
 * every message of a batch after one try; a batch then goes over one
 * session (the fake MTA takes one connection only) and leaves the outbox.
 */
static void test_sender_batches(void **state)
{
    char    dir[] = "/tmp/test_sender.XXXXXX", err[256], server[64], rm[300];
    struct store *st;
    struct sm_config cfg;
    struct notify_sender *snd;
    struct fake_mta m;
    pthread_t th;
    json_t *list, *o;
    size_t  i;

    (void) state;
    assert_non_null(mkdtemp(dir));
    assert_non_null(st = store_open(dir, STORE_F_CREATE | STORE_F_NOSYNC, err, sizeof(err)));
    for (i = 0; i < 3; i++) {
	char    to[64], data[128];
	struct store_outmsg om;

	snprintf(to, sizeof(to), "r%zu@example.net", i);
	snprintf(data, sizeof(data), "From: security@example.com\nTo: %s\nSubject: ack\n\nthanks\n", to);
	memset(&om, 0, sizeof(om));
	om.from = "";
	om.to = to;
	om.data = data;
	om.len = strlen(data);
	om.purpose = "ack";
	assert_int_equal(store_outbox_put(st, &om, time(NULL)), 0);
    }

    /* Port 1 on loopback: refused. One try each, all deferred. */
    sm_config_init(&cfg);
    cfg.submit_server = strdup("inet:1@127.0.0.1");
    assert_non_null(snd = notify_sender_start(st, &cfg));
    notify_sender_wake(snd);
    assert_true(outbox_wait_for(st, all_deferred_once, 10));
    notify_sender_stop(snd);
    assert_int_equal(store_outbox_list(st, &list), 0);
    json_array_foreach(list, i, o)
	assert_non_null(strstr(json_string_value(json_object_get(o, "last_error")) ?: "", "connect"));
    json_decref(list);

    /* A working MTA, the messages due again: one session for all three. */
    memset(&m, 0, sizeof(m));
    m.final_code = 250;
    fake_mta_start(&m, &th, server, sizeof(server));
    free(cfg.submit_server);
    cfg.submit_server = strdup(server);
    assert_int_equal(store_outbox_list(st, &list), 0);
    json_array_foreach(list, i, o)
	assert_int_equal(store_outbox_retry(st, (uint64_t) json_integer_value(json_object_get(o, "id")),
					    time(NULL)), 0);
    json_decref(list);
    assert_non_null(snd = notify_sender_start(st, &cfg));
    notify_sender_wake(snd);
    assert_true(outbox_wait_for(st, outbox_empty, 10));
    notify_sender_stop(snd);
    fake_mta_finish(&m, &th, 3, 3);

    store_close(st);
    sm_config_free(&cfg);
    snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
    assert_int_equal(system(rm), 0);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_ack_headers_and_body),
	cmocka_unit_test(test_ack_refuses_bad_recipients),
	cmocka_unit_test(test_update_notifications),
	cmocka_unit_test(test_body_quoted_printable),
	cmocka_unit_test(test_reply_policy),
	cmocka_unit_test(test_auth_results),
	cmocka_unit_test(test_credit_parse),
	cmocka_unit_test(test_submit_real_commands),
	cmocka_unit_test(test_templates_builtin),
	cmocka_unit_test(test_templates_override),
	cmocka_unit_test(test_templates_errors),
	cmocka_unit_test(test_templates_render_all),
	cmocka_unit_test(test_submit_smtp),
	cmocka_unit_test(test_smtp_session),
	cmocka_unit_test(test_sender_batches),
    };

    /* As the daemon does: a command that does not read must not kill us. */
    signal(SIGPIPE, SIG_IGN);
    return (cmocka_run_group_tests(tests, NULL, NULL));
}
