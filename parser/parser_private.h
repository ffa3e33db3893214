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
/*	struct parse_ctx
/*	char	*parse_field_dup(ctx, value, max_bytes, one_line)
/*	void	parse_first_mailbox(message, addr, name)
/*	const EVP_MD *parse_sha256()
/*	void	walk_mime(ctx, object, depth)
/*	size_t	text_nonspace(text, len)
/*	void	forward_decide(ctx)
/*	void	smime_walk_signed(ctx, part, depth)
/*
/*	struct attach_scan *attach_scan_new(limits)
/*	void	attach_scan_feed(scan, data, len)
/*	void	attach_scan_finish(scan, complete, report, attachment)
/*	void	attach_scan_free(scan)
/*	struct report_zip *zip_list(window, len, fed, bounds, report, refined)
/*
/*	void	u8_feed(fix, bytes, len), u8_finish(fix)
/*	void	charset_decode_blocks(report, limits, pgp_seen)
/*	void	html_set_url_report(report)
/*	void	extract_url_add(report, text, len, default_scheme)
/*	size_t	extract_url_scan(report, text, len)
/*	void	extract_add_bounded(report, list, max, entry)
/*	int	evidence_payload_start(byte, next)
/*	int	evidence_payload_third(byte, third)
/*	size_t	evidence_payload_at(report, text, pos, len)
/*	void	evidence_lines(report, text, len)
/* DESCRIPTION
/*	struct parse_ctx is the state of one parse: report.c makes it,
/*	walk.c walks the MIME tree with it, forward.c decides afterwards
/*	whether the report is a forwarded one.
/*
/*	An attach_scan looks at one attachment's decoded bytes while
/*	walk.c (or charset.c, for inline uuencode) streams them: it keeps
/*	the first bytes for the magic number and, for a zip archive, a
/*	bounded window of the last bytes for the central directory.
/*	Memory is fixed whatever the size.
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

/* System library. */

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* Third-party libraries. */

#include <gmime/gmime.h>
#include <openssl/evp.h>

/* Application-specific. */

#include "parser/report.h"

 /*
  * The state of one parse, shared by report.c, walk.c and forward.c.
  */
struct parse_ctx {
    struct report *rep;
    const struct report_limits *lim;
    unsigned parts;			/* MIME parts visited */
    int     text_full;			/* report->text reached its bound */
    int     suppress_text;		/* inside an alternative already read */
    int     stop;			/* part limit reached: walk no more */
    int     fwd_seen;			/* the first message/rfc822 was met */
    size_t  fwd_text0, fwd_text1;	/* its text in report->text */
    char   *fwd_addr, *fwd_name, *fwd_subject;	/* its From and Subject */
};

/*
 * report.c: a header field as repaired UTF-8, bounded at max bytes
 * (REPORT_F_OVERSIZE past it); the first mailbox of a From field.
 */
extern char *parse_field_dup(struct parse_ctx *, const char *, size_t, int);
extern void parse_first_mailbox(GMimeMessage *, const char **, const char **);

/*
 * report.c: SHA-256 for EVP_DigestInit_ex() (attachment digests of
 * walk.c and charset.c), looked up once per process.
 */
extern const EVP_MD *parse_sha256(void);

/*
 * report.c: the GMime parser warning callback (arg: the parse_ctx); it
 * sets REPORT_F_MALFORMED for broken structure, never stops a parse.
 */
extern void parse_warning(gint64, GMimeParserWarning, const gchar *, gpointer);

/*
 * walk.c: one MIME node and what is below it, bounded by max_mime_depth
 * and max_mime_parts: text into report->text, leaves that are not text
 * into report->attachments. text_nonspace() counts the bytes of a text
 * that are not white space.
 */
extern void walk_mime(struct parse_ctx *, GMimeObject *, unsigned);

/* walk.c: the bounded read loop every decoding stream is read with. */
#define WALK_MAX_ZERO_READS	1024	/* filter reads that yield nothing */
struct walk_reader {
    size_t  reads_left;
    size_t  zero_reads;
};
extern void walk_reader_init(struct walk_reader *, const struct report_limits *);
extern ssize_t walk_read_chunk(GMimeStream *, char *, size_t, struct walk_reader *);
extern size_t text_nonspace(const char *, size_t);

/*
 * forward.c: after the walk, adopt the identity of a forwarded report
 * (attached message/rfc822 or inline "Forwarded message") when the
 * forwarder added few words of their own.
 */
extern void forward_decide(struct parse_ctx *);

/*
 * smime.c: an application/pkcs7-mime signed-data part at depth: the
 * signed content, unwrapped without verification and bounded by
 * max_part_bytes, walked as a MIME entity at depth + 1.
 */
extern void smime_walk_signed(struct parse_ctx *, GMimePart *, unsigned);

struct attach_scan;

extern struct attach_scan *attach_scan_new(const struct report_limits *);
extern void attach_scan_feed(struct attach_scan *, const void *, size_t);
extern void attach_scan_finish(struct attach_scan *, int complete, struct report *,
			               struct report_attachment *);
extern void attach_scan_free(struct attach_scan *);

/*
 * zip.c: the listing of a zip archive from a window of its last bytes
 * (fed: how many bytes the archive had in all; more than len means the
 * window is its tail). attach.c keeps ZIP_WINDOW_BYTES: the central
 * directory up to ZIP_CD_BYTES, the longest comment and the end records.
 * refined gets an OOXML, jar or apk type when the members show one.
 */
#define ZIP_CD_BYTES		(256 * 1024)	/* central directory kept */
#define ZIP_COMMENT_MAX		65535	/* longest archive comment */
#define ZIP_EOCD_BYTES		22	/* end of central directory */
#define ZIP64_LOC_BYTES		20	/* ZIP64 end locator */
#define ZIP64_EOCD_BYTES	56	/* ZIP64 end record, fixed part */
#define ZIP_WINDOW_BYTES	(ZIP_CD_BYTES + ZIP_COMMENT_MAX \
	+ ZIP_EOCD_BYTES + ZIP64_LOC_BYTES + ZIP64_EOCD_BYTES)

struct zip_bounds {
    unsigned max_entries;		/* more: a bomb */
    unsigned max_ratio;			/* uncompressed/compressed */
    uint64_t max_uncompressed;		/* claimed total */
};

extern struct report_zip *zip_list(const unsigned char *, size_t, uint64_t,
				           const struct zip_bounds *, struct report *,
				           const char **);

/* attach.c, zip.c: little-endian fields; the caller checked the bounds. */

static inline uint16_t le16(const unsigned char *p)
{
    return ((uint16_t) (p[0] | (p[1] << 8)));
}

static inline uint32_t le32(const unsigned char *p)
{
    return ((uint32_t) p[0] | ((uint32_t) p[1] << 8)
	    | ((uint32_t) p[2] << 16) | ((uint32_t) p[3] << 24));
}

static inline uint64_t le64(const unsigned char *p)
{
    return ((uint64_t) le32(p) | ((uint64_t) le32(p + 4) << 32));
}

/* attach.c, zip.c: s (of length len) ends with suffix, any case. */

static inline int has_suffix_ci(const char *s, size_t len, const char *suffix)
{
    size_t  m = strlen(suffix);

    return (len >= m && strncasecmp(s + len - m, suffix, m) == 0);
}

/*
 * s starts with lit (len bytes, lower case), ASCII case ignored: what
 * strncasecmp() does in the C locale, without a call per byte of a
 * hot loop.
 */
static inline int ascii_prefix_ci(const char *s, const char *lit, size_t len)
{
    for (size_t k = 0; k < len; k++) {
	unsigned char c = (unsigned char) s[k];

	if (c >= 'A' && c <= 'Z')
	    c |= 0x20;
	if (c != (unsigned char) lit[k])
	    return (0);
    }
    return (1);
}

/*
 * c is an ASCII letter or digit; without a branch, for the tight loops
 * of the character passes.
 */
static inline int ascii_alnum(unsigned char c)
{
    return (((unsigned) (c | 0x20) - 'a' < 26u) | ((unsigned) c - '0' < 10u));
}

/*
 * The first needle in the report text t[0..n), or NULL. The text ends
 * in a NUL and holds none (report.h; sbuf keeps the NUL), so strstr(),
 * which libc vectorises, can do the work of memmem(), several times
 * faster; a text that breaks the rule still gets memmem().
 */
static inline const char *text_find(const char *t, size_t n, const char *needle)
{
    if (t[n] == 0 && strlen(t) == n)
	return (strstr(t, needle));
    return (memmem(t, n, needle, strlen(needle)));
}

/*
 * sm_utf8_valid() with a quick way through ASCII, where most of what
 * the extraction keeps stays.
 */
static inline int text_utf8_valid(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
	if ((unsigned char) s[i] >= 0x80)
	    return (sm_utf8_valid(s, n));
    return (1);
}

/*
 * charset.c: text decoding shared by report.c, walk.c, html.c and extract.c.
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
 * the attach_scan, the sink if any) and "[attachment: name]" in the
 * text; inline PGP armour becomes a marker and sets
 * REPORT_F_ENCRYPTED/_SIGNED. pgp_seen says whether the caller found
 * "-----BEGIN PGP " in the text already (0: the text holds none), so
 * that the text is searched for it once per message.
 */
#define CHARSET_UU_MAX_BYTES	(1024 * 1024)
extern void charset_decode_blocks(struct report *, const struct report_limits *,
				          int);

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

/*
 * extract.c, for evidence.c: extract_url_scan() adds the URL (maybe
 * defanged) that starts the text and returns the bytes it took (0: no
 * URL there); extract_add_bounded() adds one unique entry, at most max
 * of them (REPORT_F_OVERSIZE past that).
 */
#define EXTRACT_MAX_URL_BYTES	2048
#define EXTRACT_MAX_HOST_BYTES	255
#define EXTRACT_BUDGET_BYTES	4096	/* bytes between budget polls */

extern size_t extract_url_scan(struct report *, const char *, size_t);
extern void extract_add_bounded(struct report *, struct strlist *, size_t,
				        const char *);

/*
 * evidence.c: payload-like strings, for the character pass of
 * extract.c: evidence_payload_start() says whether one may start at a
 * byte followed by next (-1: none follows), evidence_payload_third()
 * with third two bytes on, evidence_payload_at() keeps
 * the one at pos and returns the end of its line (0: none there). The
 * line pass (HTTP blocks, code blocks, curl commands) of
 * report_extract(); it polls the CPU budget.
 */
extern int evidence_payload_start(unsigned char, int);
extern int evidence_payload_third(unsigned char, int);
extern size_t evidence_payload_at(struct report *, const char *, size_t, size_t);
extern void evidence_lines(struct report *, const char *, size_t);

#endif
