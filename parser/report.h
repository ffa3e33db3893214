#ifndef SECMILTER_REPORT_H
#define SECMILTER_REPORT_H

/*++
/* NAME
/*	report 3h
/* SUMMARY
/*	parse one RFC 5322 message into the report model
/* SYNOPSIS
/*	#include "parser/report.h"
/*
/*	int	report_parse_fd(fd, limits, report)
/*	int	report_parse_file(path, limits, report)
/*	void	report_free(report)
/* DESCRIPTION
/*	parser/ turns a message (a spool file written by the milter, or a
/*	file given to secmilter -t) into struct report: decoded headers,
/*	clean UTF-8 text and a list of attachments, plus what was extracted
/*	from the text (URLs, CVE IDs, CVSS vectors).
/*
/*	Contract:
/* .IP \(bu
/*	Input is untrusted. Every field is bounded by struct report_limits;
/*	past a limit the parse goes on with what it has and sets
/*	REPORT_F_OVERSIZE. Broken MIME sets REPORT_F_MALFORMED. Neither is
/*	an error: report_parse_*() returns 0 for any readable input.
/* .IP \(bu
/*	Text fields are valid UTF-8 without NUL. Header fields (from_*,
/*	subject, message_id, ...) are decoded but NOT sanitised: callers
/*	pass them through sm_sanitize() before a header, log or reply.
/* .IP \(bu
/*	The message is read through a GMime stream on the file descriptor;
/*	it is never copied whole into memory, never re-serialised, and
/*	nothing in it is executed or written to disk.
/* .IP \(bu
/*	The caller owns struct report and releases it with report_free().
/*	Functions here are reentrant; one report is used by one thread.
/* DIAGNOSTICS
/*	-1 with errno set when the file cannot be read at all.
/*--*/

#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

#define REPORT_F_MALFORMED	(1u << 0)	/* broken MIME structure */
#define REPORT_F_OVERSIZE	(1u << 1)	/* a limit cut something */
#define REPORT_F_ENCRYPTED	(1u << 2)	/* PGP/S/MIME body unread */
#define REPORT_F_SIGNED		(1u << 3)	/* PGP/S/MIME signature */
#define REPORT_F_DSN		(1u << 4)	/* multipart/report bounce */
#define REPORT_F_FORWARDED	(1u << 5)	/* inner message/rfc822 */
#define REPORT_F_TIMEOUT	(1u << 6)	/* CPU budget ran out */
#define REPORT_F_ZIP_BOMB	(1u << 7)	/* an archive past the limits */
#define REPORT_F_TYPE_MISMATCH	(1u << 8)	/* declared type != content */

struct report_limits {
    size_t  max_message_bytes;		/* bytes read from the file */
    size_t  max_text_bytes;		/* extracted text, all parts */
    size_t  max_header_bytes;		/* one header value */
    unsigned max_mime_depth;
    unsigned max_mime_parts;
    unsigned max_attachments;
    size_t  max_part_bytes;		/* decoded bytes read of one part */
    size_t  max_attachment_bytes;	/* decoded bytes kept of one attachment */
    unsigned cpu_budget_ms;		/* triage CPU time; 0 = unlimited */
    unsigned max_zip_entries;		/* archive members before "bomb" */
    unsigned max_zip_ratio;		/* uncompressed/compressed before "bomb" */
    const struct report_sink *sink;	/* where attachments are kept; NULL = not */
};

/*
 * report_sink: how the caller keeps attachment content (the daemon: in
 * the store, content-addressed). The parser streams each attachment's
 * decoded bytes into an object from begin(), then calls end() with its
 * SHA-256; end() returns a malloc()ed place name (e.g. "att/ab/ab12...")
 * or NULL. abort() drops a half-written one. The parser never writes a
 * file itself and never unpacks an archive.
 */
struct report_sink {
    void   *arg;
    void   *(*begin) (void *arg);
    int     (*write) (void *obj, const void *, size_t);
    char   *(*end) (void *obj, const char *sha256_hex);
    void    (*abort) (void *obj);
};

/* Fills the defaults of util.h (or the values of a loaded config). */
extern void report_limits_from_config(struct report_limits *,
				              const struct sm_config *);

struct report_zip_member {
    char   *name;			/* as stored in the archive, unsanitised */
    uint64_t size;			/* uncompressed, as the archive claims */
};

struct report_zip {
    unsigned entries;			/* central directory entries */
    uint64_t uncompressed;		/* sum of claimed sizes */
    uint64_t compressed;		/* sum of compressed sizes */
    int     bomb;			/* past max_zip_entries or max_zip_ratio */
    int     encrypted;			/* a member is encrypted */
    struct report_zip_member *members;	/* the first REPORT_ZIP_LIST_MAX */
    size_t  n_members;
};

#define REPORT_ZIP_LIST_MAX	50

struct report_attachment {
    char   *filename;			/* decoded, unsanitised; "" if none */
    char   *content_type;		/* "type/subtype", lower case */
    char   *sniffed_type;		/* from magic bytes; NULL = unknown */
    int     type_mismatch;		/* declared and sniffed disagree */
    uint64_t size;			/* decoded bytes */
    char    sha256[65];			/* lower-case hex */
    char   *stored;			/* place the sink gave; NULL = not kept */
    struct report_zip *zip;		/* listing of a zip archive, or NULL */
};

struct report_mailbox {
    char   *name;			/* display name, UTF-8; NULL if none */
    char   *addr;			/* addr-spec; NULL if none */
};

struct report {
    /* Decoded header fields; NULL when absent. */
    char   *message_id;			/* with angle brackets, "<...>" */
    char   *from_addr;			/* addr-spec of the first From */
    char   *from_name;			/* display name, UTF-8 */
    char   *subject;			/* decoded UTF-8 */
    char   *return_path;		/* Return-Path header, if any */
    char   *in_reply_to;		/* first msg-id of In-Reply-To */
    struct strlist references;		/* msg-ids of References + IRT */

    /* RFC 3834 evidence. */
    char   *auto_submitted;		/* Auto-Submitted value */
    char   *precedence;			/* Precedence value */
    int     has_list_headers;		/* List-Id, List-Unsubscribe, ... */
    int     has_autoreply_headers;	/* X-Autoreply, X-Autorespond, ... */
    int     has_loop_header;		/* X-Secmilter-Loop: our own mail */
    struct strlist auth_results;	/* raw Authentication-Results */
    unsigned spoofed_headers;		/* count of X-Security-* seen */

    /* Content. */
    struct sbuf text;			/* all readable text, UTF-8 */
    struct report_attachment *attachments;
    size_t  n_attachments;
    unsigned flags;			/* REPORT_F_* */
    uint64_t bytes;			/* size of the message read */

    /* A forwarded report: the fields above are the inner report's. */
    struct report_mailbox forwarded_by;	/* the forwarder; NULLs if none */

    /* Extracted from text (and subject); each entry unique. */
    struct strlist urls;		/* "https://host/path" */
    struct strlist hosts;		/* normalised: lower case, no dot, IDN as is */
    struct strlist cves;		/* "CVE-2026-12345", upper case */
    struct strlist cwes;		/* "CWE-79" */
    struct strlist ghsas;		/* "GHSA-xxxx-xxxx-xxxx", lower case body */
    struct strlist cvss_vectors;	/* "CVSS:3.1/AV:N/..." as written */
    struct strlist versions;		/* product version strings, "Foo 1.2.3" */
    struct strlist payloads;		/* payload-like strings, bounded */
    struct strlist curl_commands;	/* each curl command line, bounded */
    unsigned http_requests;		/* HTTP request blocks seen */
    unsigned http_responses;		/* HTTP response blocks seen */
    unsigned code_blocks;		/* fenced or indented code blocks */
    unsigned budget_checks;		/* internal: polls of the CPU budget */
};

/*
 * report_budget_exceeded() is polled by every long loop of parser/ and
 * classify/: 1 once the thread's CPU time since report_budget_start()
 * passed limits->cpu_budget_ms (a POSIX CPU-time timer of the thread is
 * the watchdog; the poll only reads its flag). Then the work stops with
 * what it has and REPORT_F_TIMEOUT is set.
 */
extern void report_budget_start(unsigned cpu_budget_ms);
extern int report_budget_exceeded(void);
extern void report_budget_stop(void);

extern int report_parse_fd(int fd, const struct report_limits *, struct report *);
extern int report_parse_file(const char *path, const struct report_limits *,
			             struct report *);
extern void report_free(struct report *);

/* extract.c: run over report->text (called by report_parse_*). */
extern void report_extract(struct report *);

/*
 * html.c: streaming HTML to plain text, used by walk.c for text/html
 * parts. Input must be valid UTF-8 (walk.c repairs it first); output is
 * valid UTF-8 handed to put() in pieces; report_html_feed() returns -1
 * once put() has. Scripts, styles and comments are
 * dropped, entities decoded, link targets kept as "text (href)", <pre>
 * white space kept. Memory is fixed whatever the input; once put()
 * returned -1 the rest of the input is ignored. report_html_finish()
 * flushes and frees.
 */
struct report_html;
extern struct report_html *report_html_new(int (*put) (void *, const char *, size_t),
					           void *arg);
extern int report_html_feed(struct report_html *, const char *, size_t);
extern void report_html_finish(struct report_html *);

#endif
