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
    };

    return (cmocka_run_group_tests(tests, NULL, NULL));
}
