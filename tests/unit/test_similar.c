/*
 * test_similar - classify/similar.c: endpoint fingerprints, SimHash of
 * report text, and the triage JSON "duplicate" member.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "parser/report.h"
#include "classify/triage.h"

/* A report with these URLs and text, and a triage whose top class is cls. */
struct fixture {
    struct report rep;
    struct triage t;
};

static void fixture_init(struct fixture *f, const char *cls, const char *text, ...)
{
    va_list ap;
    const char *url;

    memset(&f->rep, 0, sizeof(f->rep));
    sbuf_init(&f->rep.text, 1024 * 1024);
    if (text)
	sbuf_puts(&f->rep.text, text);
    va_start(ap, text);
    while ((url = va_arg(ap, const char *)) != NULL)
	strlist_add(&f->rep.urls, url);
    va_end(ap);
    triage_init(&f->t);
    if (cls)
	strlist_add(&f->t.classes, cls);
}

static void fixture_free(struct fixture *f)
{
    triage_free(&f->t);
    strlist_free(&f->rep.urls);
    sbuf_free(&f->rep.text);
}

/* fp_of - the fingerprints of one URL under one class; their count */

static int fp_of(const char *cls, const char *url, char out[65])
{
    struct fixture f;
    char    fps[TRIAGE_FP_MAX][65];
    int     n;

    fixture_init(&f, cls, NULL, url, (char *) NULL);
    n = triage_fingerprints(&f.rep, &f.t, fps, TRIAGE_FP_MAX);
    if (n > 0)
	memcpy(out, fps[0], 65);
    fixture_free(&f);
    return (n);
}

static void test_fingerprint_ids_ignored(void **state)
{
    char    a[65], b[65];

    /* Account numbers, parameter values and their order do not matter. */
    assert_int_equal(fp_of("auth", "https://api.example.com/v1/users/1234/invoices/987?format=pdf&token=abc", a), 1);
    assert_int_equal(fp_of("auth", "https://API.example.com:443/v1/users/5678/invoices/12?token=zz&format=csv", b), 1);
    assert_string_equal(a, b);
    assert_int_equal(strlen(a), 64);
    assert_int_equal(strspn(a, "0123456789abcdef"), 64);

    /* Nor UUIDs, hex digests, long tokens, fragments and "//" or "./". */
    assert_int_equal(fp_of("auth", "https://app.example.com/orders/3f2b1c9e-8a7d-4e6f-9b0a-1c2d3e4f5a6b/receipt", a), 1);
    assert_int_equal(fp_of("auth", "https://app.example.com//orders/./0A1B2C3D-0000-4E6F-9B0A-FFFFFFFFFFFF/receipt#top", b), 1);
    assert_string_equal(a, b);
    assert_int_equal(fp_of("info_disclosure", "https://files.example.com/blob/9f86d081884c7d659a2feaa0c55ad015/raw", a), 1);
    assert_int_equal(fp_of("info_disclosure", "https://files.example.com/blob/e3b0c44298fc1c149afbf4c8996fb924/raw", b), 1);
    assert_string_equal(a, b);
    assert_int_equal(fp_of("auth", "https://app.example.com/reset/eyJhbGciOiJIUzI1NiJ9abc123/confirm", a), 1);
    assert_int_equal(fp_of("auth", "https://app.example.com/reset/Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5/confirm", b), 1);
    assert_string_equal(a, b);
}

static void test_fingerprint_differs(void **state)
{
    char    a[65], b[65];

    assert_int_equal(fp_of("auth", "https://api.example.com/v1/users/1/invoices", a), 1);

    /* Another host, class, endpoint or set of parameters: another issue. */
    assert_int_equal(fp_of("auth", "https://shop.example.com/v1/users/1/invoices", b), 1);
    assert_string_not_equal(a, b);
    assert_int_equal(fp_of("xss", "https://api.example.com/v1/users/1/invoices", b), 1);
    assert_string_not_equal(a, b);
    assert_int_equal(fp_of("auth", "https://api.example.com/v1/users/1/payments", b), 1);
    assert_string_not_equal(a, b);
    assert_int_equal(fp_of("auth", "https://api.example.com/v1/users/1/invoices?id=2", b), 1);
    assert_string_not_equal(a, b);
    assert_int_equal(fp_of("auth", "https://api.example.com:8443/v1/users/1/invoices", b), 1);
    assert_string_not_equal(a, b);
}

static void test_fingerprint_none(void **state)
{
    char    a[65];

    /* No class, or "other": nothing to compare on. */
    assert_int_equal(fp_of(NULL, "https://api.example.com/v1/users/1", a), 0);
    assert_int_equal(fp_of("other", "https://api.example.com/v1/users/1", a), 0);

    /* A bare host names no endpoint; payload targets and references are no asset. */
    assert_int_equal(fp_of("xss", "https://app.example.com/", a), 0);
    assert_int_equal(fp_of("xss", "https://app.example.com", a), 0);
    assert_int_equal(fp_of("ssrf", "http://169.254.169.254/latest/meta-data/", a), 0);
    assert_int_equal(fp_of("ssrf", "http://127.0.0.1:8080/admin", a), 0);
    assert_int_equal(fp_of("ssrf", "http://localhost/admin", a), 0);
    assert_int_equal(fp_of("ssrf", "http://[::1]/admin", a), 0);
    assert_int_equal(fp_of("ssrf", "https://abc123.oastify.com/x", a), 0);
    assert_int_equal(fp_of("xss", "https://owasp.org/www-community/attacks/xss/", a), 0);
    assert_int_equal(fp_of("xss", "https://cwe.mitre.org/data/definitions/79.html", a), 0);
    assert_int_equal(fp_of("xss", "ftp://files.example.com/pub/x", a), 0);
}

static void test_fingerprint_requests_and_bounds(void **state)
{
    struct fixture f;
    char    fps[TRIAGE_FP_MAX][65], a[65];
    int     n;

    /* A pasted request counts as its URL: Host: line plus target. */
    fixture_init(&f, "auth",
		 "Request:\n\n    GET /api/users/42/profile?fields=email HTTP/1.1\n"
		 "    Host: app.example.com\n    Cookie: s=1\n\nResponse: 200\n", (char *) NULL);
    f.rep.http_requests = 1;
    assert_int_equal(triage_fingerprints(&f.rep, &f.t, fps, TRIAGE_FP_MAX), 1);
    assert_int_equal(fp_of("auth", "https://app.example.com/api/users/7/profile?fields=name", a), 1);
    assert_string_equal(fps[0], a);
    fixture_free(&f);

    /* The same endpoint twice is one fingerprint; many URLs stop at max. */
    fixture_init(&f, "xss", NULL, "https://a.example.com/p/1", "https://a.example.com/p/2",
		 "https://b.example.com/q", (char *) NULL);
    assert_int_equal(triage_fingerprints(&f.rep, &f.t, fps, TRIAGE_FP_MAX), 2);
    fixture_free(&f);
    fixture_init(&f, "xss", NULL, (char *) NULL);
    for (int i = 0; i < 40; i++) {
	char    url[64];

	snprintf(url, sizeof(url), "https://h%d.example.com/page", i);
	strlist_add(&f.rep.urls, url);
    }
    assert_int_equal(triage_fingerprints(&f.rep, &f.t, fps, 3), 3);
    n = triage_fingerprints(&f.rep, &f.t, fps, 100);
    assert_int_equal(n, TRIAGE_FP_MAX);
    for (int i = 1; i < n; i++)
	assert_string_not_equal(fps[0], fps[i]);
    fixture_free(&f);
}

/* ------------------------------------------------------------ SimHash */

static const char *report_a =
    "Hello security team,\n\n"
    "While testing the customer portal I found that the invoice download endpoint does not "
    "check whether the invoice belongs to the logged in user. By changing the numeric "
    "invoice identifier in the request to https://billing.example.com/api/invoices/10023/pdf "
    "I was able to download invoices of other customers, including their names, postal "
    "addresses and the last four digits of their payment cards.\n\n"
    "Steps to reproduce:\n"
    "1. Log in with a test account and open the billing page.\n"
    "2. Download one of your own invoices and intercept the request.\n"
    "3. Replace the invoice number with a lower number and send the request again.\n"
    "4. The response contains the invoice of another customer.\n\n"
    "Impact: any authenticated user can read the invoices of every other customer, which "
    "exposes personal data and payment details at scale.\n\n"
    "Please let me know if you need more information.\n\n"
    "Best regards,\nAlex\n";

static const char *report_a_reworded =
    "Hello security team,\n\n"
    "While testing the customer portal I noticed that the invoice download endpoint does not "
    "check whether the invoice belongs to the logged in user. By changing the numeric "
    "invoice identifier in the request to https://billing.example.com/api/invoices/20911/pdf "
    "I was able to download invoices of other customers, including their names, postal "
    "addresses and the last four digits of their payment cards.\n\n"
    "Steps to reproduce:\n"
    "1. Log in with a test account and open the billing page.\n"
    "2. Download one of your own invoices and intercept the request.\n"
    "3. Replace the invoice number with a lower number and send the request again.\n"
    "4. The response contains the invoice of another customer.\n\n"
    "Impact: any authenticated user can read the invoices of every other customer, which "
    "exposes personal data and payment details at scale.\n\n"
    "Please let me know if you need more details.\n\n"
    "Kind regards,\nAlex\n";

static const char *report_b =
    "Hi,\n\nThe search field on the help centre reflects the q parameter into the page without "
    "encoding. A payload such as <script>alert(1)</script> runs in the browser of whoever opens "
    "a crafted link, so an attacker could steal session cookies or perform actions as the "
    "victim. Tested on Firefox 128 and Chrome 126. The Content-Security-Policy header is absent, "
    "which makes exploitation trivial. I have attached a short video of the proof of concept "
    "and a screenshot of the alert box. I did not try anything beyond the alert. Thanks for "
    "running a disclosure programme; looking forward to your answer.\n";

static void test_simhash_near_and_far(void **state)
{
    uint64_t a = triage_simhash(report_a, strlen(report_a));
    uint64_t a2 = triage_simhash(report_a_reworded, strlen(report_a_reworded));
    uint64_t b = triage_simhash(report_b, strlen(report_b));
    char   *upper = strdup(report_a);

    assert_true(a != 0 && a2 != 0 && b != 0);
    print_message("# reworded %.3f unrelated %.3f\n", triage_simhash_similarity(a, a2),
		  triage_simhash_similarity(a, b));
    assert_true(triage_simhash_similarity(a, a2) >= 0.9);
    assert_true(triage_simhash_similarity(a, b) < 0.7);

    /* Case and the digits of numbers make no difference. */
    for (char *p = upper; *p; p++)
	if (*p >= 'a' && *p <= 'z')
	    *p = (char) (*p - 'a' + 'A');
    assert_true(triage_simhash(upper, strlen(upper)) == a);
    free(upper);

    assert_true(triage_simhash_similarity(a, a) == 1.0);
    assert_true(triage_simhash_similarity(a, ~a) == 0.0);
}

static void test_simhash_quotes_and_signature(void **state)
{
    struct sbuf reply, signed_a;
    uint64_t a = triage_simhash(report_a, strlen(report_a));
    uint64_t r, s;
    const char *p, *nl;

    /* A short new text over the whole report quoted: the quote is not compared. */
    sbuf_init(&reply, 1 << 20);
    sbuf_puts(&reply, "Hi, any news on this? It has been two weeks now and I have not heard "
	      "anything back from your team about the bounty or a timeline for the fix.\n\n"
	      "On Mon, Alex wrote:\n");
    for (p = report_a; *p; p = nl + 1) {
	nl = strchr(p, '\n');
	sbuf_printf(&reply, "> %.*s\n", (int) (nl - p), p);
	if (nl == NULL || nl[1] == 0)
	    break;
    }
    r = triage_simhash(reply.data, reply.len);
    assert_true(r != 0);
    assert_true(triage_simhash_similarity(a, r) < 0.7);
    sbuf_free(&reply);

    /* What follows the signature separator is not compared at all. */
    sbuf_init(&signed_a, 1 << 20);
    sbuf_puts(&signed_a, report_a);
    sbuf_puts(&signed_a, "-- \nAlex Example | Senior penetration tester at Example Security GmbH\n"
	      "Follow me on social media for security research and conference talks\n");
    s = triage_simhash(signed_a.data, signed_a.len);
    assert_true(s == a);
    sbuf_free(&signed_a);

    /* Too little text: no hash. */
    assert_true(triage_simhash("XSS on /login, see attachment.", 30) == 0);
    assert_true(triage_simhash(NULL, 0) == 0);
}

static void test_simhash_bounded(void **state)
{
    size_t  big = 8 * 1024 * 1024;
    char   *text = malloc(big + 1);
    uint64_t h1, h2;

    /* Only the first TRIAGE_SIMHASH_MAX_BYTES are read. */
    for (size_t i = 0; i < big; i++)
	text[i] = "abcdefgh ijklmnop\n"[(i * 7 + i / 13) % 18];
    text[big] = 0;
    h1 = triage_simhash(text, big);
    h2 = triage_simhash(text, TRIAGE_SIMHASH_MAX_BYTES);
    assert_true(h1 == h2);
    free(text);
}

/* --------------------------------------------------------------- JSON */

static void test_duplicate_json(void **state)
{
    struct fixture f;
    json_t *js, *d;

    /* No store, no duplicate: null beside a null duplicate_of. */
    fixture_init(&f, "auth", "text", (char *) NULL);
    assert_non_null(js = triage_to_json(&f.rep, &f.t, "x.eml"));
    assert_true(json_is_null(json_object_get(js, "duplicate")));
    assert_true(json_is_null(json_object_get(js, "duplicate_of")));
    json_decref(js);

    f.t.duplicate_of = strdup("SEC-2026-0007");
    f.t.duplicate_similarity = 0.9271;
    f.t.duplicate_basis = "text";
    assert_non_null(js = triage_to_json(&f.rep, &f.t, "x.eml"));
    assert_string_equal(json_string_value(json_object_get(js, "duplicate_of")), "SEC-2026-0007");
    d = json_object_get(js, "duplicate");
    assert_true(json_is_object(d));
    assert_string_equal(json_string_value(json_object_get(d, "of")), "SEC-2026-0007");
    assert_true(json_real_value(json_object_get(d, "similarity")) > 0.9299
		&& json_real_value(json_object_get(d, "similarity")) < 0.9301);
    assert_string_equal(json_string_value(json_object_get(d, "basis")), "text");
    json_decref(js);

    /* And the header ends with it. */
    {
	struct sbuf h;

	sbuf_init(&h, 1024);
	assert_int_equal(triage_header(&f.t, &h), 0);
	assert_non_null(strstr(sbuf_str(&h), "; duplicate-of=SEC-2026-0007"));
	assert_string_equal(sbuf_str(&h) + h.len - strlen("; duplicate-of=SEC-2026-0007"),
			    "; duplicate-of=SEC-2026-0007");
	sbuf_free(&h);
    }
    fixture_free(&f);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_fingerprint_ids_ignored),
	cmocka_unit_test(test_fingerprint_differs),
	cmocka_unit_test(test_fingerprint_none),
	cmocka_unit_test(test_fingerprint_requests_and_bounds),
	cmocka_unit_test(test_simhash_near_and_far),
	cmocka_unit_test(test_simhash_quotes_and_signature),
	cmocka_unit_test(test_simhash_bounded),
	cmocka_unit_test(test_duplicate_json),
    };

    return (cmocka_run_group_tests(tests, NULL, NULL));
}
