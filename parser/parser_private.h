#ifndef SECMILTER_PARSER_PRIVATE_H
#define SECMILTER_PARSER_PRIVATE_H

/*++
/* NAME
/*	parser_private 3h
/* SUMMARY
/*	what the files of parser/ share; never included outside parser/
/* SYNOPSIS
/*	#include "parser/parser_private.h"
/*
/*	struct attach_scan *attach_scan_new(limits)
/*	void	attach_scan_feed(scan, data, len)
/*	void	attach_scan_finish(scan, complete, report, attachment)
/*	void	attach_scan_free(scan)
/*
/*	void	u8_feed(fix, bytes, len), u8_finish(fix)
/*	void	charset_decode_blocks(report, limits)
/*	void	html_set_url_report(report)
/*	void	extract_url_add(report, text, len, default_scheme)
/* DESCRIPTION
/*	An attach_scan looks at one attachment's decoded bytes while
/*	report.c streams them: it keeps the first bytes for the magic
/*	number and, for a zip archive, a bounded window of the last bytes
/*	for the central directory. Memory is fixed whatever the size.
/*
/*	attach_scan_finish() fills attachment->sniffed_type,
/*	->type_mismatch and ->zip and sets REPORT_F_TYPE_MISMATCH,
/*	REPORT_F_ZIP_BOMB, REPORT_F_MALFORMED or REPORT_F_OVERSIZE on the
/*	report. complete is 0 when the part was cut (max_part_bytes, CPU
/*	budget): the end of a cut archive is not its end, so no listing is
/*	attempted.
/*
/*	Every function accepts a NULL scan (attach_scan_new() failed: out
/*	of memory) and then does nothing. One scan is used by one thread.
/*--*/

#include <stddef.h>

#include "parser/report.h"

struct attach_scan;

extern struct attach_scan *attach_scan_new(const struct report_limits *);
extern void attach_scan_feed(struct attach_scan *, const void *, size_t);
extern void attach_scan_finish(struct attach_scan *, int complete, struct report *,
			               struct report_attachment *);
extern void attach_scan_free(struct attach_scan *);

/*
 * charset.c: text decoding shared by report.c, html.c and extract.c.
 *
 * struct u8fix repairs a byte stream into valid UTF-8 while it streams:
 * bytes that are not UTF-8 are read as windows-1252, NUL and C0
 * controls other than TAB and LF are dropped, CR LF becomes LF (a
 * space with one_line). Output goes to put(arg, ...) in pieces of at
 * most sizeof(out) bytes; once put() returned -1 the rest is ignored
 * (stopped). Memory is fixed: a carry of one unfinished sequence.
 */
struct u8fix {
    unsigned char carry[4];
    size_t  ncarry;
    int     last_cr;
    int     one_line;			/* LF becomes a space (headers) */
    int     (*put) (void *, const char *, size_t);
    void   *arg;
    int     stopped;			/* put() returned -1 */
    char    out[1024];
    size_t  nout;
};

extern const unsigned short charset_cp1252_high[32];	/* 0x80..0x9F */
extern int u8_seq_len(const unsigned char *, size_t);
extern size_t u8_encode(unsigned, char *);
extern void u8_feed(struct u8fix *, const char *, size_t);
extern void u8_finish(struct u8fix *);
extern int sb_put_utf8(void *, const char *, size_t);

/*
 * charset_decode_blocks() takes encodings out of report->text: each
 * inline uuencode block ("begin 644 name" ... "end") becomes an
 * attachment (decoded bytes bounded by CHARSET_UU_MAX_BYTES, SHA-256,
 * the sink if any) and "[attachment: name]" in the text; inline PGP
 * armour becomes a marker and sets REPORT_F_ENCRYPTED/_SIGNED.
 */
#define CHARSET_UU_MAX_BYTES	(1024 * 1024)
extern void charset_decode_blocks(struct report *, const struct report_limits *);

/*
 * html.c: a converter created while html_url_report is set on this
 * thread hands the URLs of its attributes (href, src, action,
 * formaction, srcset, data-*, ...) to extract_url_add() on that
 * report, and counts each outermost <pre> as a code block. report.c
 * sets it around the MIME walk and clears it after.
 */
extern void html_set_url_report(struct report *);

/*
 * extract.c: one URL as written in an attribute or a command line,
 * normalised like the URLs of the text (defanged forms included);
 * scheme-less "host/path" gets default_scheme when that is not NULL.
 */
extern void extract_url_add(struct report *, const char *, size_t,
			            const char *default_scheme);

#endif
