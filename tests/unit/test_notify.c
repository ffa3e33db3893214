/*
 * test_notify - the acknowledgement's content and headers, notifications,
 * and notify_submit() against real commands.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/util.h"
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

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_ack_headers_and_body),
	cmocka_unit_test(test_ack_refuses_bad_recipients),
	cmocka_unit_test(test_update_notifications),
	cmocka_unit_test(test_submit_real_commands),
    };

    /* As the daemon does: a command that does not read must not kill us. */
    signal(SIGPIPE, SIG_IGN);
    return (cmocka_run_group_tests(tests, NULL, NULL));
}
