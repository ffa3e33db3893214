/*++
/* NAME
/*	test_parser 1
/* SUMMARY
/*	unit tests of parser/: report_parse_*(), report_extract(), HTML text
/* SYNOPSIS
/*	tests/unit/test_parser
/* DESCRIPTION
/*	Each test parses a fixture of tests/data (TEST_DATA_DIR) and checks
/*	what a user of the report would see: header fields, text,
/*	attachments with their digests, flags and extracted indicators.
/*	Hostile inputs (garbage, deep nesting, the GMime 3.2.13 boundary
/*	loop) run under alarm(): a hang fails the test instead of the run.
/* DIAGNOSTICS
/*	TAP through cmocka (CMOCKA_MESSAGE_OUTPUT=TAP).
/*--*/

/* System library. */

#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

/* Application-specific. */

#include "util/util.h"
#include "parser/report.h"

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/data"
#endif

#define HANG_SECONDS	20

/* parse_with - parse a fixture with the given limits (NULL = defaults) */

static void parse_with(const char *name, const struct report_limits *lim,
		               struct report *rep)
{
    char    path[1024];

    snprintf(path, sizeof(path), "%s/%s", TEST_DATA_DIR, name);
    alarm(HANG_SECONDS);
    assert_int_equal(report_parse_file(path, lim, rep), 0);
    alarm(0);

    /* Every report, whatever the input, carries valid UTF-8 text. */
    assert_true(sm_utf8_valid(sbuf_str(&rep->text), rep->text.len));
    assert_int_equal(strlen(sbuf_str(&rep->text)), rep->text.len);
}

static void parse(const char *name, struct report *rep)
{
    parse_with(name, NULL, rep);
}

static int has_text(const struct report *rep, const char *needle)
{
    return (strstr(sbuf_str(&rep->text), needle) != NULL);
}

static off_t file_size(const char *name)
{
    char    path[1024];
    FILE   *fp;
    long    n;

    snprintf(path, sizeof(path), "%s/%s", TEST_DATA_DIR, name);
    assert_non_null(fp = fopen(path, "rb"));
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    fclose(fp);
    return ((off_t) n);
}

/* ------------------------------------------------------------ headers */

static void test_report_xss(void **state)
{
    struct report r;

    parse("report_xss.eml", &r);
    assert_int_equal(r.flags, 0);
    assert_int_equal(r.bytes, file_size("report_xss.eml"));
    assert_string_equal(r.from_addr, "alice.researcher@example.org");
    assert_string_equal(r.from_name, "Alice Researcher");
    assert_string_equal(r.subject,
		"Stored XSS in profile \"About me\" field on app.example.com");
    assert_string_equal(r.message_id, "<20260310091238.GA4242@mail.example.org>");
    assert_string_equal(r.return_path, "<alice.researcher@example.org>");
    assert_null(r.in_reply_to);
    assert_null(r.auto_submitted);
    assert_int_equal(r.references.n, 0);
    assert_int_equal(r.spoofed_headers, 0);
    assert_int_equal(r.has_list_headers, 0);
    assert_int_equal(r.auth_results.n, 1);
    assert_non_null(strstr(r.auth_results.v[0], "dkim=pass header.d=example.org"));
    assert_non_null(strstr(r.auth_results.v[0], "spf=pass"));
    assert_null(strchr(r.auth_results.v[0], '\n'));

    /* Text as written: impact, numbered steps, the payload. */
    assert_true(has_text(&r, "Impact: an attacker can run JavaScript"));
    assert_true(has_text(&r, "\n1. Log in to https://app.example.com"));
    assert_true(has_text(&r, "\"><img src=x onerror=alert(document.domain)>"));
    assert_true(has_text(&r, "good faith \xe2\x80\x94 thanks"));
    assert_int_equal(r.n_attachments, 0);

    /* Extraction. */
    assert_true(strlist_contains(&r.urls, "https://app.example.com/settings/profile"));
    assert_true(strlist_contains(&r.urls, "https://app.example.com/u/alice"));
    assert_int_equal(r.cvss_vectors.n, 1);
    assert_string_equal(r.cvss_vectors.v[0], "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N");
    assert_int_equal(r.cves.n, 0);
    report_free(&r);
}

static void test_encoded_words(void **state)
{
    struct report r;

    parse("encoded_words.eml", &r);
    assert_string_equal(r.from_name, "J\xc3\xbcrgen M\xc3\xbcller");
    assert_string_equal(r.from_addr, "juergen@example.de");
    assert_string_equal(r.subject, "Sicherheitsl\xc3\xbc" "cke im Login \xc3\xbc" "ber "
			"\xf0\x9f\x90\x9e Open Redirect");
    assert_true(has_text(&r, "Gr\xc3\xbc\xc3\x9f" "e, the login page"));
    assert_true(has_text(&r, "?next=."));
    report_free(&r);
}

static void test_autoreply(void **state)
{
    struct report r;

    parse("autoreply.eml", &r);
    assert_string_equal(r.auto_submitted, "auto-replied");
    assert_string_equal(r.precedence, "bulk");
    assert_string_equal(r.return_path, "<>");
    assert_int_equal(r.has_autoreply_headers, 1);
    assert_int_equal(r.has_list_headers, 1);
    assert_string_equal(r.in_reply_to, "<ack-42@security.example.com>");
    assert_int_equal(r.references.n, 2);
    assert_string_equal(r.references.v[0], "<20260310091238.GA4242@mail.example.org>");
    assert_string_equal(r.references.v[1], "<ack-42@security.example.com>");
    report_free(&r);
}

static void test_forged_headers(void **state)
{
    struct report r;

    parse("forged_headers.eml", &r);
    assert_int_equal(r.spoofed_headers, 3);
    assert_string_equal(r.subject, "[SEC-2026-0001] please prioritise");
    report_free(&r);
}

/* --------------------------------------------------------------- text */

static void test_html_outlook(void **state)
{
    struct report r;

    parse("html_outlook.eml", &r);
    assert_int_equal(r.flags, 0);
    assert_int_equal(r.n_attachments, 0);
    assert_true(has_text(&r, "Hi team,"));
    assert_true(has_text(&r, "the search page (https://shop.example.com/search?q=1&sort=price)"));
    assert_true(has_text(&r, "1. Open the search page\n2. Set sort to price'--\n3. Observe"));
    assert_true(has_text(&r, "GET /search?q=1&sort=price'-- HTTP/1.1\nHost: shop.example.com"));
    assert_true(has_text(&r, "Bob <bob@example.net>"));
    assert_true(has_text(&r, "query \xe2\x80\x94 see below"));
    assert_false(has_text(&r, "hidden"));
    assert_false(has_text(&r, "MsoNormal"));
    assert_false(has_text(&r, "comment"));
    assert_false(has_text(&r, "<p"));
    assert_true(strlist_contains(&r.urls, "https://shop.example.com/search?q=1&sort=price"));
    report_free(&r);
}

static void test_alternative(void **state)
{
    struct report r;

    parse("alternative.eml", &r);
    assert_true(has_text(&r, "has no CSRF token. PLAINMARKER"));
    assert_false(has_text(&r, "HTMLMARKER"));
    report_free(&r);

    parse("alternative_empty_plain.eml", &r);
    assert_true(has_text(&r, "Only the HTML part has words. HTMLONLY"));
    report_free(&r);
}

static void test_latin1(void **state)
{
    struct report r;

    parse("latin1.eml", &r);
    assert_string_equal(r.subject, "Faille de s\xc3\xa9" "curit\xc3\xa9");
    assert_string_equal(r.from_name, "Fran\xc3\xa7ois");
    /* iso-8859-1 as labelled, with windows-1252 quotes and euro. */
    assert_true(has_text(&r, "voil\xc3\xa0 la faille: \xe2\x80\x9cquoted\xe2\x80\x9d "
			 "\xe2\x82\xac caf\xc3\xa9."));
    /* windows-1252 through iconv. */
    assert_true(has_text(&r, "\xe2\x80\x9csmart\xe2\x80\x9d na\xc3\xafve."));
    /* An unknown charset is no error; NUL and controls are gone. */
    assert_true(has_text(&r, "Unknown charset: d\xc3\xa9j\xc3\xa0 vu nulctl."));
    report_free(&r);
}

static void test_chunk_boundaries(void **state)
{
    char    path[] = "/tmp/test_parser_XXXXXX";
    const char *hdr = "From: a@example.com\nSubject: euro\n"
	"Content-Type: text/plain; charset=utf-8\n\n";
    struct report r;
    FILE   *fp;
    int     fd;

    /*
     * 3000 three-byte characters: the 4 KiB decode chunks split some.
     */
    assert_true((fd = mkstemp(path)) >= 0);
    assert_non_null(fp = fdopen(fd, "w"));
    fputs(hdr, fp);
    for (int i = 0; i < 3000; i++)
	fputs("\xe2\x82\xac", fp);
    fputs("\n", fp);
    fclose(fp);
    assert_int_equal(report_parse_file(path, NULL, &r), 0);
    unlink(path);
    assert_int_equal(r.text.len, 9001);
    for (size_t i = 0; i < 9000; i += 3)
	assert_memory_equal(r.text.data + i, "\xe2\x82\xac", 3);
    report_free(&r);
}

/* ------------------------------------------------------- structure */

static void test_attachment_poc(void **state)
{
    struct report r;

    parse("attachment_poc.eml", &r);
    assert_int_equal(r.flags, 0);
    assert_int_equal(r.n_attachments, 2);
    assert_string_equal(r.attachments[0].filename, "poc.py");
    assert_string_equal(r.attachments[0].content_type, "text/x-python");
    assert_int_equal(r.attachments[0].size, 196);
    assert_string_equal(r.attachments[0].sha256,
	   "79866c55838b54224462a45f2c44266cb084f696d9864eeae4816399bec0bf97");
    /* RFC 2231 file name, decoded. */
    assert_string_equal(r.attachments[1].filename, "tr\xc3\xa4" "ce.bin");
    assert_string_equal(r.attachments[1].content_type, "application/octet-stream");
    assert_int_equal(r.attachments[1].size, 10247);
    assert_string_equal(r.attachments[1].sha256,
	   "d6a3ba658398a96c2ebd3079e28c85dd4f08a59d8bb7513a95ab690717b2006b");
    /* The PoC source is text for the classifier too; the binary is not. */
    assert_true(has_text(&r, "PoC attached."));
    assert_true(has_text(&r, "[attachment: poc.py]\n#!/usr/bin/env python3\nimport requests"));
    assert_false(has_text(&r, "PK"));
    assert_true(strlist_contains(&r.urls, "http://169.254.169.254/latest/meta-data/"));
    report_free(&r);
}

static void test_forwarded(void **state)
{
    struct report r;

    parse("forwarded.eml", &r);
    assert_true(r.flags & REPORT_F_FORWARDED);
    assert_string_equal(r.subject, "Fwd: vulnerability report");
    assert_true(has_text(&r, "Forwarding this report"));
    assert_true(has_text(&r, "From: Mallory Finder <finder@example.net>\n"
			 "Subject: Path traversal in download endpoint\n"));
    assert_true(has_text(&r, "the password file. INNERMARKER"));
    assert_true(strlist_contains(&r.urls,
		 "https://files.example.com/download?file=../../../../etc/passwd"));
    report_free(&r);
}

static void test_dsn(void **state)
{
    struct report r;

    parse("dsn.eml", &r);
    assert_true(r.flags & REPORT_F_DSN);
    assert_false(r.flags & REPORT_F_MALFORMED);
    assert_string_equal(r.auto_submitted, "auto-replied");
    assert_string_equal(r.return_path, "<>");
    assert_int_equal(r.n_attachments, 0);
    assert_true(has_text(&r, "could not\nbe delivered"));
    assert_true(has_text(&r, "Status: 5.1.1"));
    assert_true(has_text(&r, "Message-ID: <ack-42@security.example.com>"));
    report_free(&r);
}

static void test_encrypted_signed(void **state)
{
    struct report r;

    parse("encrypted.eml", &r);
    assert_true(r.flags & REPORT_F_ENCRYPTED);
    assert_int_equal(r.text.len, 0);
    assert_int_equal(r.n_attachments, 0);
    report_free(&r);

    parse("signed.eml", &r);
    assert_true(r.flags & REPORT_F_SIGNED);
    assert_false(r.flags & REPORT_F_ENCRYPTED);
    assert_true(has_text(&r, "SIGNEDMARKER"));
    assert_false(has_text(&r, "BEGIN PGP SIGNATURE"));
    assert_int_equal(r.n_attachments, 0);
    report_free(&r);
}

/* -------------------------------------------------------- bad input */

static void test_deep_nesting(void **state)
{
    struct report_limits lim;
    struct report r;

    /* Past the default depth (20): flagged, the deepest text unread. */
    parse("deep_nesting.eml", &r);
    assert_true(r.flags & REPORT_F_OVERSIZE);
    assert_true(r.flags & REPORT_F_MALFORMED);
    assert_false(has_text(&r, "DEEPEST TEXT"));
    assert_string_equal(r.subject, "deep");
    report_free(&r);

    /* Within a larger limit the same message reads fine. */
    report_limits_from_config(&lim, NULL);
    lim.max_mime_depth = 100;
    parse_with("deep_nesting.eml", &lim, &r);
    assert_true(has_text(&r, "DEEPEST TEXT"));
    assert_false(r.flags & REPORT_F_OVERSIZE);
    report_free(&r);
}

static void test_missing_boundary(void **state)
{
    struct report r;

    parse("missing_boundary.eml", &r);
    assert_true(r.flags & REPORT_F_MALFORMED);
    assert_true(has_text(&r, "The first part is fine. TRUNCMARKER"));
    assert_int_equal(r.n_attachments, 1);
    assert_string_equal(r.attachments[0].filename, "half.bin");
    report_free(&r);
}

static void test_garbage_and_empty(void **state)
{
    struct report r;

    parse("garbage.bin", &r);
    assert_true(r.flags & REPORT_F_MALFORMED);
    assert_int_equal(r.bytes, 4096);
    report_free(&r);

    parse("empty.eml", &r);
    assert_true(r.flags & REPORT_F_MALFORMED);
    assert_int_equal(r.bytes, 0);
    assert_int_equal(r.text.len, 0);
    assert_null(r.subject);
    assert_null(r.from_addr);
    assert_int_equal(r.n_attachments, 0);
    report_free(&r);
}

static void test_boundary_loop(void **state)
{
    struct report r;

    /*
     * gmime issue 165: this Content-Type makes
     * g_mime_multipart_get_boundary() loop forever in 3.2.13. The
     * parse must finish (alarm() in parse_with) and keep the headers.
     */
    parse("boundary_loop.eml", &r);
    assert_true(r.flags & REPORT_F_MALFORMED);
    assert_string_equal(r.from_addr, "fuzz@example.com");
    assert_string_equal(r.subject, "fuzz");
    report_free(&r);
}

static void test_unreadable(void **state)
{
    struct report r;

    errno = 0;
    assert_int_equal(report_parse_file(TEST_DATA_DIR "/no-such-file.eml", NULL, &r), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(report_parse_fd(-1, NULL, &r), -1);
}

/* ------------------------------------------------------------ limits */

static void test_limits(void **state)
{
    struct report_limits lim;
    struct report r;

    /* Text: cut at the bound, on a character boundary. */
    report_limits_from_config(&lim, NULL);
    lim.max_text_bytes = 100;
    parse_with("report_xss.eml", &lim, &r);
    assert_true(r.flags & REPORT_F_OVERSIZE);
    assert_true(r.text.len <= 100 && r.text.len > 90);
    assert_string_equal(r.subject,
		"Stored XSS in profile \"About me\" field on app.example.com");
    report_free(&r);

    lim.max_text_bytes = 3;			/* "Gr\xc3\xbc" would split */
    parse_with("encoded_words.eml", &lim, &r);
    assert_string_equal(sbuf_str(&r.text), "Gr");
    assert_true(r.flags & REPORT_F_OVERSIZE);
    report_free(&r);

    /* Message bytes: the headers are read, the rest is cut. */
    report_limits_from_config(&lim, NULL);
    lim.max_message_bytes = 600;
    parse_with("attachment_poc.eml", &lim, &r);
    assert_true(r.flags & REPORT_F_OVERSIZE);
    assert_int_equal(r.bytes, file_size("attachment_poc.eml"));
    assert_string_equal(r.subject, "SSRF in webhook configuration");
    assert_true(r.n_attachments <= 1);
    report_free(&r);

    /* Attachment count. */
    report_limits_from_config(&lim, NULL);
    lim.max_attachments = 1;
    parse_with("attachment_poc.eml", &lim, &r);
    assert_true(r.flags & REPORT_F_OVERSIZE);
    assert_int_equal(r.n_attachments, 1);
    report_free(&r);

    /* Part count: the root and the first leaf only. */
    report_limits_from_config(&lim, NULL);
    lim.max_mime_parts = 2;
    parse_with("attachment_poc.eml", &lim, &r);
    assert_true(r.flags & REPORT_F_OVERSIZE);
    assert_int_equal(r.n_attachments, 0);
    assert_true(has_text(&r, "PoC attached."));
    report_free(&r);

    /* Header bytes. */
    report_limits_from_config(&lim, NULL);
    lim.max_header_bytes = 10;
    parse_with("report_xss.eml", &lim, &r);
    assert_true(r.flags & REPORT_F_OVERSIZE);
    assert_string_equal(r.subject, "Stored XSS");
    report_free(&r);
}

static void test_limits_from_config(void **state)
{
    struct report_limits lim;
    struct sm_config cfg;

    report_limits_from_config(&lim, NULL);
    assert_int_equal(lim.max_message_bytes, SM_DEF_MAX_MESSAGE_BYTES);
    assert_int_equal(lim.max_text_bytes, SM_DEF_MAX_TEXT_BYTES);
    assert_int_equal(lim.max_header_bytes, SM_DEF_MAX_HEADER_BYTES);
    assert_int_equal(lim.max_mime_depth, SM_DEF_MAX_MIME_DEPTH);
    assert_int_equal(lim.max_mime_parts, SM_DEF_MAX_MIME_PARTS);
    assert_int_equal(lim.max_attachments, SM_DEF_MAX_ATTACHMENTS);

    memset(&cfg, 0, sizeof(cfg));
    cfg.max_message_bytes = 1001;
    cfg.max_text_bytes = 1002;
    cfg.max_header_bytes = 1003;
    cfg.max_mime_depth = 4;
    cfg.max_mime_parts = 5;
    cfg.max_attachments = 6;
    report_limits_from_config(&lim, &cfg);
    assert_int_equal(lim.max_message_bytes, 1001);
    assert_int_equal(lim.max_text_bytes, 1002);
    assert_int_equal(lim.max_header_bytes, 1003);
    assert_int_equal(lim.max_mime_depth, 4);
    assert_int_equal(lim.max_mime_parts, 5);
    assert_int_equal(lim.max_attachments, 6);
}

static void test_pipe(void **state)
{
    char    path[1024], buf[4096];
    struct report r;
    int     p[2], in;
    ssize_t n;
    pid_t   pid;

    /*
     * secmilter -t - reads standard input: a descriptor that cannot seek.
     */
    snprintf(path, sizeof(path), "%s/attachment_poc.eml", TEST_DATA_DIR);
    assert_int_equal(pipe(p), 0);
    assert_true((pid = fork()) >= 0);
    if (pid == 0) {
	close(p[0]);
	if ((in = open(path, O_RDONLY)) < 0)
	    _exit(1);
	while ((n = read(in, buf, sizeof(buf))) > 0)
	    if (write(p[1], buf, (size_t) n) != n)
		_exit(1);
	_exit(0);
    }
    close(p[1]);
    alarm(HANG_SECONDS);
    assert_int_equal(report_parse_fd(p[0], NULL, &r), 0);
    alarm(0);
    close(p[0]);
    waitpid(pid, NULL, 0);
    assert_int_equal(r.bytes, file_size("attachment_poc.eml"));
    assert_string_equal(r.subject, "SSRF in webhook configuration");
    assert_int_equal(r.n_attachments, 2);
    assert_string_equal(r.attachments[1].sha256,
	   "d6a3ba658398a96c2ebd3079e28c85dd4f08a59d8bb7513a95ab690717b2006b");
    report_free(&r);
}

static void test_report_free(void **state)
{
    struct report r;

    memset(&r, 0, sizeof(r));
    report_free(&r);
    parse("report_xss.eml", &r);
    report_free(&r);
    report_free(&r);
    report_free(NULL);
}

/* --------------------------------------------------------- extraction */

static void test_defanged_urls(void **state)
{
    static const char *want[] = {
	"https://evil.example.net/kit",		/* from the subject */
	"http://login-example.com/verify.php?id=1",
	"http://cdn.bad.example/x.js",
	"https://docs.example.com/a_(b)_c",
	"https://www.example.com/path?x=1",
	"https://md.example.org/p",
	"https://t.example.com/end",
	"https://q.example.com/quoted",
    };
    struct report r;

    parse("defanged.eml", &r);
    assert_int_equal(r.urls.n, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < r.urls.n; i++)
	assert_string_equal(r.urls.v[i], want[i]);
    report_free(&r);
}

static void test_cve_cvss(void **state)
{
    struct report r;

    parse("cve_cvss.eml", &r);
    assert_int_equal(r.cves.n, 3);
    assert_string_equal(r.cves.v[0], "CVE-2024-3094");
    assert_string_equal(r.cves.v[1], "CVE-2021-44228");
    assert_string_equal(r.cves.v[2], "CVE-2023-1234567");
    assert_int_equal(r.cvss_vectors.n, 2);
    assert_string_equal(r.cvss_vectors.v[0],
			"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    assert_string_equal(r.cvss_vectors.v[1],
	   "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
    report_free(&r);
}

static void test_extract_bounds(void **state)
{
    struct report r;
    char   *big;
    size_t  n = 0;

    /*
     * 300 distinct URLs and one of 5000 bytes: 200 kept, none longer
     * than 2048 bytes, and the report says it cut.
     */
    memset(&r, 0, sizeof(r));
    sbuf_init(&r.text, 1 << 20);
    assert_non_null(big = malloc(6000));
    for (int i = 0; i < 300; i++)
	sbuf_printf(&r.text, "see https://h%d.example.com/x, ", i);
    memcpy(big, "https://long.example.com/", 25);
    memset(big + 25, 'a', 5000);
    big[5025] = 0;
    sbuf_puts(&r.text, big);
    report_extract(&r);
    assert_int_equal(r.urls.n, 200);
    assert_string_equal(r.urls.v[0], "https://h0.example.com/x");
    for (size_t i = 0; i < r.urls.n; i++)
	n = strlen(r.urls.v[i]) > n ? strlen(r.urls.v[i]) : n;
    assert_true(n <= 2048);
    assert_true(r.flags & REPORT_F_OVERSIZE);
    free(big);
    report_free(&r);
}

/* ---------------------------------------------------------------- HTML */

static int sink(void *arg, const char *s, size_t n)
{
    return (sbuf_append(arg, s, n));
}

static void html_convert(const char *html, size_t step, struct sbuf *out)
{
    struct report_html *h;
    size_t  len = strlen(html);

    sbuf_init(out, 1 << 16);
    assert_non_null(h = report_html_new(sink, out));
    for (size_t i = 0; i < len; i += step)
	report_html_feed(h, html + i, len - i < step ? len - i : step);
    report_html_finish(h);
}

static void test_html_convert(void **state)
{
    const char *html = "<html><head><title>t</title><style>a{}</style>"
	"<SCRIPT type=x>if (a<b && c>d) x('</scr'+'ipt>');</SCRIPT></head>"
	"<body><!-- <p>hidden</p> -->"
	"<p>XSS via <code>&lt;svg onload&#x3d;alert(1)&gt;</code> &amp; "
	"<a href=\"javascript&colon;alert(1)\">click</a>, "
	"<a href='https://a.example/'>https://a.example/</a>, a &unknown; "
	"entity, 1 < 2.</p><pre>  keep\n    indent</pre><ul><li>one<li>two</ul>"
	"</body></html>";
    const char *want = "t\n\n"
	"XSS via <svg onload=alert(1)> & click (javascript:alert(1)), "
	"https://a.example/, a &unknown; entity, 1 < 2.\n\n"
	"  keep\n    indent\n- one\n- two";
    struct sbuf a, b;

    /* Whole, and one byte at a time: the same text. */
    html_convert(html, strlen(html), &a);
    html_convert(html, 1, &b);
    assert_string_equal(sbuf_str(&a), want);
    assert_string_equal(sbuf_str(&b), want);
    sbuf_free(&a);
    sbuf_free(&b);
}

/* -------------------------------------------------------- attachments */

/* find_att - the attachment of that file name; fails the test if none */

static const struct report_attachment *find_att(const struct report *rep,
						        const char *filename)
{
    for (size_t i = 0; i < rep->n_attachments; i++)
	if (strcmp(rep->attachments[i].filename, filename) == 0)
	    return (rep->attachments + i);
    fail_msg("no attachment %s", filename);
    return (NULL);
}

static void assert_sniffed(const struct report_attachment *a, const char *type,
			           int mismatch)
{
    if (type == NULL)
	assert_null(a->sniffed_type);
    else {
	assert_non_null(a->sniffed_type);
	assert_string_equal(a->sniffed_type, type);
    }
    assert_int_equal(a->type_mismatch, mismatch);
}

static void test_attach_types(void **state)
{
    struct report r;

    parse("att_types.eml", &r);
    assert_int_equal(r.n_attachments, 8);
    assert_true(r.flags & REPORT_F_TYPE_MISMATCH);
    assert_false(r.flags & (REPORT_F_ZIP_BOMB | REPORT_F_MALFORMED));

    /* As declared: no mismatch. */
    assert_sniffed(find_att(&r, "screenshot.png"), "image/png", 0);
    assert_null(find_att(&r, "screenshot.png")->zip);
    assert_null(find_att(&r, "screenshot.png")->stored);

    /* An executable or a page under an image label; a PE as text. */
    assert_sniffed(find_att(&r, "photo.png"), "application/x-executable", 1);
    assert_sniffed(find_att(&r, "image.png"), "text/html", 1);
    assert_sniffed(find_att(&r, "notes.txt"), "application/x-dosexec", 1);

    /* octet-stream says nothing; text/* against text/* is no news. */
    assert_sniffed(find_att(&r, "blob.bin"), "application/x-executable", 0);
    assert_sniffed(find_att(&r, "poc.html"), "text/html", 0);
    assert_sniffed(find_att(&r, "run.sh"), "text/x-shellscript", 0);
    assert_sniffed(find_att(&r, "exploit"), "text/x-python", 0);
    report_free(&r);

    /* A report without attachments is not flagged. */
    parse("report_xss.eml", &r);
    assert_false(r.flags & REPORT_F_TYPE_MISMATCH);
    report_free(&r);
}

static void test_attach_capture(void **state)
{
    struct report r;

    parse("att_capture.eml", &r);
    assert_int_equal(r.n_attachments, 3);
    assert_sniffed(find_att(&r, "traffic.pcap"), "application/vnd.tcpdump.pcap", 0);
    assert_sniffed(find_att(&r, "traffic.pcapng"), "application/x-pcapng", 0);
    assert_sniffed(find_att(&r, "session.har"), "application/har+json", 0);
    assert_int_equal(find_att(&r, "traffic.pcap")->size, 24 + 16 + 4);
    assert_false(r.flags & REPORT_F_TYPE_MISMATCH);
    report_free(&r);
}

static void test_attach_zip(void **state)
{
    const struct report_attachment *a;
    struct report r;

    parse("att_zip.eml", &r);
    assert_int_equal(r.flags, 0);
    assert_int_equal(r.n_attachments, 4);

    /* The listing, as the central directory claims it. */
    a = find_att(&r, "poc.zip");
    assert_sniffed(a, "application/zip", 0);
    assert_non_null(a->zip);
    assert_int_equal(a->zip->entries, 3);
    assert_int_equal(a->zip->n_members, 3);
    assert_string_equal(a->zip->members[0].name, "poc/exploit.py");
    assert_int_equal(a->zip->members[0].size, 260);
    assert_string_equal(a->zip->members[1].name, "README.txt");
    assert_int_equal(a->zip->members[1].size, 32);
    assert_string_equal(a->zip->members[2].name, "data/empty.bin");
    assert_int_equal(a->zip->members[2].size, 0);
    assert_int_equal(a->zip->uncompressed, 292);
    assert_int_equal(a->zip->compressed, 31 + 34 + 2);
    assert_int_equal(a->zip->bomb, 0);
    assert_int_equal(a->zip->encrypted, 0);

    /* OOXML from its listing; Office labels accept any zip or OLE2. */
    a = find_att(&r, "report.docx");
    assert_sniffed(a, "application/vnd.openxmlformats-officedocument."
		   "wordprocessingml.document", 0);
    assert_int_equal(a->zip->entries, 3);
    assert_sniffed(find_att(&r, "report-old.doc"), a->sniffed_type, 0);

    /* The same archive behind a ZIP64 end record. */
    a = find_att(&r, "poc64.zip");
    assert_non_null(a->zip);
    assert_int_equal(a->zip->entries, 3);
    assert_int_equal(a->zip->uncompressed, 292);
    assert_string_equal(a->zip->members[2].name, "data/empty.bin");
    report_free(&r);
}

static void test_attach_zip_limits(void **state)
{
    struct report_limits lim;
    struct report r;

    /* More members than max_zip_entries: a bomb, listing cut short. */
    report_limits_from_config(&lim, NULL);
    lim.max_zip_entries = 2;
    parse_with("att_zip.eml", &lim, &r);
    assert_true(r.flags & REPORT_F_ZIP_BOMB);
    assert_true(find_att(&r, "poc.zip")->zip->bomb);
    assert_int_equal(find_att(&r, "poc.zip")->zip->entries, 3);
    report_free(&r);

    /* max_part_bytes: the digest of the bytes read, no listing. */
    report_limits_from_config(&lim, NULL);
    lim.max_part_bytes = 100;
    parse_with("att_zip.eml", &lim, &r);
    assert_true(r.flags & REPORT_F_OVERSIZE);
    assert_int_equal(find_att(&r, "poc.zip")->size, 100);
    assert_null(find_att(&r, "poc.zip")->zip);
    assert_sniffed(find_att(&r, "poc.zip"), "application/zip", 0);
    assert_false(r.flags & REPORT_F_MALFORMED);
    report_free(&r);
}

static void test_attach_zipbomb(void **state)
{
    const struct report_attachment *a;
    struct report r;

    parse("att_zipbomb.eml", &r);
    assert_true(r.flags & REPORT_F_ZIP_BOMB);

    /* 50 MiB of zeros claimed from 50 KiB: a ratio of about 1000. */
    a = find_att(&r, "zeros.zip");
    assert_non_null(a->zip);
    assert_int_equal(a->zip->entries, 1);
    assert_int_equal(a->zip->uncompressed, 50 * 1024 * 1024);
    assert_true(a->zip->compressed < 60 * 1024);
    assert_int_equal(a->zip->bomb, 1);
    assert_string_equal(a->zip->members[0].name, "zeros.bin");

    /* Two members on the same bytes. */
    a = find_att(&r, "overlap.zip");
    assert_int_equal(a->zip->entries, 2);
    assert_int_equal(a->zip->bomb, 1);
    report_free(&r);
}

static void test_attach_zip_corrupt(void **state)
{
    const struct report_attachment *a;
    struct report r;

    parse("att_zip_corrupt.eml", &r);
    assert_true(r.flags & REPORT_F_MALFORMED);
    assert_int_equal(r.n_attachments, 3);

    /* No end record: no listing. */
    a = find_att(&r, "cut.zip");
    assert_sniffed(a, "application/zip", 0);
    assert_null(a->zip);

    /* A bad entry: what came before it. */
    a = find_att(&r, "badsig.zip");
    assert_non_null(a->zip);
    assert_int_equal(a->zip->entries, 1);
    assert_string_equal(a->zip->members[0].name, "poc/exploit.py");

    /* A directory longer than the file: nothing listed. */
    a = find_att(&r, "hugecd.zip");
    assert_non_null(a->zip);
    assert_int_equal(a->zip->entries, 0);
    assert_int_equal(a->zip->bomb, 0);
    report_free(&r);
}

/* b64_put - base64 lines of 76 characters */

static void b64_put(FILE *fp, const unsigned char *p, size_t n)
{
    static const char al[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t  col = 0;

    for (size_t i = 0; i < n; i += 3) {
	unsigned v = (unsigned) p[i] << 16 | (i + 1 < n ? (unsigned) p[i + 1] << 8 : 0)
	    | (i + 2 < n ? p[i + 2] : 0);

	fputc(al[v >> 18 & 63], fp);
	fputc(al[v >> 12 & 63], fp);
	fputc(i + 1 < n ? al[v >> 6 & 63] : '=', fp);
	fputc(i + 2 < n ? al[v & 63] : '=', fp);
	if ((col += 4) >= 76) {
	    fputc('\n', fp);
	    col = 0;
	}
    }
    fputc('\n', fp);
}

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char) v, p[1] = (unsigned char) (v >> 8);
}

static void put32(unsigned char *p, unsigned long v)
{
    put16(p, v & 0xFFFF);
    put16(p + 2, (v >> 16) & 0xFFFF);
}

static void test_attach_zip_wide(void **state)
{
    enum {
	N = 2000, NAME = 200, LFH = 30, CDE = 46,
    };
    size_t  size = (size_t) N * (LFH + NAME + CDE + NAME) + 22, pos = 0, cd;
    unsigned char *z = calloc(1, size);
    char    path[] = "/tmp/test_parser_XXXXXX", name[NAME + 16];
    const struct report_attachment *a;
    struct report_limits lim;
    struct report r;
    FILE   *fp;
    int     fd;

    /*
     * N empty stored members with long names: a central directory of
     * about 500 KiB, more than the scan keeps.
     */
    assert_non_null(z);
    for (int i = 0; i < N; i++) {
	snprintf(name, sizeof(name), "%05d-%0194d", i, 0);
	put32(z + pos, 0x04034b50);
	put16(z + pos + 26, NAME);
	memcpy(z + pos + LFH, name, NAME);
	pos += LFH + NAME;
    }
    cd = pos;
    for (int i = 0; i < N; i++) {
	snprintf(name, sizeof(name), "%05d-%0194d", i, 0);
	put32(z + pos, 0x02014b50);
	put16(z + pos + 28, NAME);
	put32(z + pos + 42, (unsigned long) i * (LFH + NAME));
	memcpy(z + pos + CDE, name, NAME);
	pos += CDE + NAME;
    }
    put32(z + pos, 0x06054b50);
    put16(z + pos + 8, N);
    put16(z + pos + 10, N);
    put32(z + pos + 12, pos - cd);
    put32(z + pos + 16, cd);
    pos += 22;
    assert_int_equal(pos, size);

    assert_true((fd = mkstemp(path)) >= 0);
    assert_non_null(fp = fdopen(fd, "w"));
    fputs("From: a@example.com\nSubject: wide\nMIME-Version: 1.0\n"
	  "Content-Type: application/zip; name=wide.zip\n"
	  "Content-Transfer-Encoding: base64\n\n", fp);
    b64_put(fp, z, size);
    fclose(fp);
    free(z);

    /* A lower bound: what fits, and at least the end record's claim. */
    report_limits_from_config(&lim, NULL);
    lim.max_zip_entries = 1000;
    alarm(HANG_SECONDS);
    assert_int_equal(report_parse_file(path, &lim, &r), 0);
    alarm(0);
    unlink(path);
    assert_int_equal(r.n_attachments, 1);
    a = r.attachments;
    assert_int_equal(a->size, size);
    assert_non_null(a->zip);
    assert_true(r.flags & REPORT_F_OVERSIZE);
    assert_int_equal(a->zip->entries, N);
    assert_int_equal(a->zip->n_members, REPORT_ZIP_LIST_MAX);
    assert_int_equal(a->zip->bomb, 1);
    assert_true(r.flags & REPORT_F_ZIP_BOMB);
    report_free(&r);
}

 /*
  * A sink that keeps attachments in memory, as the store would on disk.
  */
struct mem_sink {
    unsigned begun, ended, aborted;
    struct sbuf last;			/* bytes of the last one ended */
    char    last_sha[65];
};

struct mem_obj {
    struct mem_sink *ms;
    struct sbuf data;
};

static void *mem_begin(void *arg)
{
    struct mem_obj *o = calloc(1, sizeof(*o));

    o->ms = arg;
    o->ms->begun++;
    sbuf_init(&o->data, 64 * 1024 * 1024);
    return (o);
}

static int mem_write(void *obj, const void *p, size_t n)
{
    struct mem_obj *o = obj;

    return (sbuf_append(&o->data, p, n));
}

static char *mem_end(void *obj, const char *sha256_hex)
{
    struct mem_obj *o = obj;
    char    name[128];

    o->ms->ended++;
    sbuf_free(&o->ms->last);
    o->ms->last = o->data;
    snprintf(o->ms->last_sha, sizeof(o->ms->last_sha), "%s", sha256_hex);
    snprintf(name, sizeof(name), "mem/%s", sha256_hex);
    free(o);
    return (strdup(name));
}

static void mem_abort(void *obj)
{
    struct mem_obj *o = obj;

    o->ms->aborted++;
    sbuf_free(&o->data);
    free(o);
}

static void test_attach_sink(void **state)
{
    struct mem_sink ms;
    struct report_sink sink = {&ms, mem_begin, mem_write, mem_end, mem_abort};
    struct report_limits lim;
    struct report r;
    const struct report_attachment *a;
    char    want[128];

    /* Every attachment is kept, named by its digest. */
    memset(&ms, 0, sizeof(ms));
    sbuf_init(&ms.last, 1);
    report_limits_from_config(&lim, NULL);
    lim.sink = &sink;
    parse_with("att_capture.eml", &lim, &r);
    assert_int_equal(ms.begun, 3);
    assert_int_equal(ms.ended, 3);
    assert_int_equal(ms.aborted, 0);
    a = find_att(&r, "session.har");
    snprintf(want, sizeof(want), "mem/%s", a->sha256);
    assert_non_null(a->stored);
    assert_string_equal(a->stored, want);
    assert_string_equal(ms.last_sha, a->sha256);
    assert_int_equal(ms.last.len, a->size);
    assert_memory_equal(ms.last.data, "{\n  \"log\": {", 12);
    /* sha256sum of the HAR as written by the fixture generator */
    assert_string_equal(a->sha256,
	"6260f9b33cde43739ff91e229763c4a79bf56c6629e54b6a9f1520fea988b37e");
    report_free(&r);

    /* Past max_attachment_bytes: dropped, never kept cut. */
    lim.max_attachment_bytes = 50;
    parse_with("att_capture.eml", &lim, &r);
    assert_int_equal(ms.begun, 6);
    assert_int_equal(ms.ended, 5);
    assert_int_equal(ms.aborted, 1);
    assert_null(find_att(&r, "session.har")->stored);
    assert_non_null(find_att(&r, "traffic.pcap")->stored);
    report_free(&r);

    /* No sink: nothing kept. */
    parse("att_capture.eml", &r);
    assert_null(find_att(&r, "traffic.pcap")->stored);
    report_free(&r);
    sbuf_free(&ms.last);
}

static void test_attach_budget(void **state)
{
    struct report r;
    volatile unsigned long spin = 0;

    /*
     * A spent CPU budget stops the decode after the first chunk: no
     * listing of an archive whose end was not read.
     */
    report_budget_start(1);
    while (!report_budget_exceeded() && spin < 4000000000UL)
	spin++;
    parse("att_zip.eml", &r);
    report_budget_stop();
    assert_true(r.flags & REPORT_F_TIMEOUT);
    assert_true(r.budget_checks > 0);
    assert_null(find_att(&r, "poc.zip")->zip);
    report_free(&r);

    /* Without a budget, the same message is complete. */
    report_budget_start(0);
    parse("att_zip.eml", &r);
    report_budget_stop();
    assert_false(r.flags & REPORT_F_TIMEOUT);
    assert_non_null(find_att(&r, "poc.zip")->zip);
    report_free(&r);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_report_xss),
	cmocka_unit_test(test_encoded_words),
	cmocka_unit_test(test_autoreply),
	cmocka_unit_test(test_forged_headers),
	cmocka_unit_test(test_html_outlook),
	cmocka_unit_test(test_alternative),
	cmocka_unit_test(test_latin1),
	cmocka_unit_test(test_chunk_boundaries),
	cmocka_unit_test(test_attachment_poc),
	cmocka_unit_test(test_forwarded),
	cmocka_unit_test(test_dsn),
	cmocka_unit_test(test_encrypted_signed),
	cmocka_unit_test(test_deep_nesting),
	cmocka_unit_test(test_missing_boundary),
	cmocka_unit_test(test_garbage_and_empty),
	cmocka_unit_test(test_boundary_loop),
	cmocka_unit_test(test_unreadable),
	cmocka_unit_test(test_limits),
	cmocka_unit_test(test_limits_from_config),
	cmocka_unit_test(test_pipe),
	cmocka_unit_test(test_report_free),
	cmocka_unit_test(test_defanged_urls),
	cmocka_unit_test(test_cve_cvss),
	cmocka_unit_test(test_extract_bounds),
	cmocka_unit_test(test_html_convert),
	cmocka_unit_test(test_attach_types),
	cmocka_unit_test(test_attach_capture),
	cmocka_unit_test(test_attach_zip),
	cmocka_unit_test(test_attach_zip_limits),
	cmocka_unit_test(test_attach_zipbomb),
	cmocka_unit_test(test_attach_zip_corrupt),
	cmocka_unit_test(test_attach_zip_wide),
	cmocka_unit_test(test_attach_sink),
	cmocka_unit_test(test_attach_budget),
    };

    return (cmocka_run_group_tests(tests, NULL, NULL));
}
