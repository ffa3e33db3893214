/*++
/* NAME
/*	report 3
/* SUMMARY
/*	parse one RFC 5322 message into the report model
/* SYNOPSIS
/*	#include "parser/report.h"
/*
/*	void	report_limits_from_config(limits, config)
/*	int	report_parse_fd(fd, limits, report)
/*	int	report_parse_file(path, limits, report)
/*	void	report_free(report)
/* DESCRIPTION
/*	report_parse_fd() reads a message through a GMime stream on a dup()
/*	of fd, bounded at max_message_bytes, and fills struct report: the
/*	decoded header fields, all readable text as UTF-8, and one entry
/*	per attachment with its size and SHA-256. It then runs
/*	report_extract() over the text. The report is overwritten: call
/*	report_free() on a used one first.
/*
/*	A regular file is read from offset 0; the descriptor's file offset
/*	moves (a dup() shares it). Anything else (a pipe) is read from
/*	where it stands.
/*
/*	What this file never does: read a message whole into memory,
/*	re-serialise a parsed multipart (GMime 3.2.13 can loop forever in
/*	g_mime_param_list_encode on a hostile Content-Type, gmime issue
/*	165, so g_mime_multipart_get_boundary() and every *_to_string /
/*	write_to_stream on a multipart are off limits), write anything to
/*	disk, or stop on bad input. Text and attachments are decoded
/*	through a fixed 4 KiB buffer, so memory stays bounded whatever a
/*	part's size.
/*
/*	Text repair: bytes that are not valid UTF-8 are read as
/*	windows-1252 (the usual truth behind "unknown-8bit" and mislabelled
/*	iso-8859-1), NUL and C0 controls other than TAB and LF are dropped,
/*	CR LF becomes LF. A declared charset iconv does not know is no
/*	error: the same repair applies.
/* DIAGNOSTICS
/*	report_parse_*() return -1 with errno set only when the input
/*	cannot be read at all (open or fstat fails, out of memory). Broken
/*	MIME sets REPORT_F_MALFORMED, a cut sets REPORT_F_OVERSIZE; both
/*	return 0.
/*--*/

/* System library. */

#include <sys/types.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Third-party libraries. */

#include <gmime/gmime.h>
#include <openssl/evp.h>

/* Utility library. */

#include "util/util.h"

/* Application-specific. */

#include "parser/report.h"
#include "parser/parser_private.h"

#define REPORT_CHUNK_BYTES	4096	/* decode buffer */
#define REPORT_MAX_HEADERS	2000	/* top-level header fields examined */
#define REPORT_MAX_REFERENCES	50	/* msg-ids kept from References */
#define REPORT_MAX_AUTH_RESULTS	20	/* Authentication-Results kept */
#define REPORT_MAX_CTYPE_BYTES	255	/* "type/subtype" */
#define REPORT_MAX_ZERO_READS	1024	/* filter reads that yield nothing */

 /*
  * Parse state shared by the MIME walk.
  */
struct parse_ctx {
    struct report *rep;
    const struct report_limits *lim;
    unsigned parts;			/* MIME parts visited */
    int     text_full;			/* report->text reached its bound */
    int     suppress_text;		/* inside an alternative already read */
    int     stop;			/* part limit reached: walk no more */
};

 /*
  * UTF-8 repair state: carries an incomplete sequence across chunks.
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

 /*
  * Where an attachment's decoded bytes go besides the text: the digest,
  * the type scan and the caller's sink (obj NULL = not kept).
  */
struct part_out {
    EVP_MD_CTX *sha;
    struct attach_scan *scan;
    const struct report_sink *sink;
    void   *obj;
    uint64_t kept;			/* bytes written to obj */
    int     cut;				/* max_part_bytes or the budget */
};

static void report_gmime_init(void);
static void parse_warning(gint64, GMimeParserWarning, const gchar *, gpointer);
static int u8_seq_len(const unsigned char *, size_t);
static void u8_emit(struct u8fix *, const char *, size_t);
static void u8_emit_cp1252(struct u8fix *, unsigned char);
static void u8_feed(struct u8fix *, const char *, size_t);
static void u8_finish(struct u8fix *);
static int sb_put_utf8(void *, const char *, size_t);
static int text_put(void *, const char *, size_t);
static int html_put(void *, const char *, size_t);
static void text_sep(struct parse_ctx *, const char *);
static char *field_dup(struct parse_ctx *, const char *, size_t, int);
static void read_headers(struct parse_ctx *, GMimeMessage *);
static void add_msgids(struct parse_ctx *, const char *, char **);
static void first_mailbox(GMimeMessage *, const char **, const char **);
static void walk(struct parse_ctx *, GMimeObject *, unsigned);
static void walk_multipart(struct parse_ctx *, GMimeMultipart *, unsigned);
static void walk_leaf(struct parse_ctx *, GMimePart *);
static void decode_part(struct parse_ctx *, GMimePart *, struct part_out *,
			        uint64_t *, int);
static void part_out_write(struct parse_ctx *, struct part_out *, const char *, size_t);
static void add_attachment(struct parse_ctx *, GMimePart *, const char *,
			           const char *, int);

static pthread_once_t report_once = PTHREAD_ONCE_INIT;

/* cp1252_high - code points of windows-1252 bytes 0x80..0x9F */

static const unsigned short cp1252_high[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

/* report_gmime_init - once per process; the daemon is multithreaded */

static void report_gmime_init(void)
{
    g_mime_init();
}

/* report_limits_from_config - copy the limits, defaults without a config */

void    report_limits_from_config(struct report_limits *lim,
				          const struct sm_config *cfg)
{
    struct sm_config defaults;

    /* Without a configuration, the built-in defaults of util.h. */
    if (cfg == NULL) {
	sm_config_init(&defaults);
	report_limits_from_config(lim, &defaults);
	sm_config_free(&defaults);
	return;
    }
    memset(lim, 0, sizeof(*lim));
    lim->max_message_bytes = cfg->max_message_bytes;
    lim->max_text_bytes = cfg->max_text_bytes;
    lim->max_header_bytes = cfg->max_header_bytes;
    lim->max_mime_depth = cfg->max_mime_depth;
    lim->max_mime_parts = cfg->max_mime_parts;
    lim->max_attachments = cfg->max_attachments;
    lim->max_part_bytes = cfg->max_part_bytes;
    lim->max_attachment_bytes = cfg->max_attachment_bytes;
    lim->cpu_budget_ms = cfg->triage_cpu_ms;
    lim->max_zip_entries = cfg->max_zip_entries;
    lim->max_zip_ratio = cfg->max_zip_ratio;
    lim->sink = NULL;
}

/* parse_warning - GMime saw broken structure: note it, go on */

static void parse_warning(gint64 offset, GMimeParserWarning code,
			          const gchar *item, gpointer arg)
{
    struct parse_ctx *ctx = arg;

    switch (code) {
    case GMIME_WARN_DUPLICATED_HEADER:

	/*
	 * Two of these are a smuggling trick (which one does the reader
	 * see?); two Received: are normal.
	 */
	if (item && (strcasecmp(item, "Content-Type") == 0
		     || strcasecmp(item, "Content-Transfer-Encoding") == 0
		     || strcasecmp(item, "From") == 0
		     || strcasecmp(item, "Subject") == 0
		     || strcasecmp(item, "Message-ID") == 0))
	    ctx->rep->flags |= REPORT_F_MALFORMED;
	break;
    case GMIME_WARN_INVALID_CONTENT_TYPE:
    case GMIME_WARN_MALFORMED_MULTIPART:
    case GMIME_WARN_TRUNCATED_MESSAGE:
    case GMIME_WARN_MALFORMED_MESSAGE:
    case GMIME_CRIT_INVALID_HEADER_NAME:
    case GMIME_CRIT_CONFLICTING_HEADER:
    case GMIME_CRIT_CONFLICTING_PARAMETER:
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
    case GMIME_CRIT_NESTING_OVERFLOW:
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
	ctx->rep->flags |= REPORT_F_MALFORMED;
	break;
    default:
	break;
    }
}

/* u8_seq_len - valid sequence length, 0 when cut short, -1 when invalid */

static int u8_seq_len(const unsigned char *p, size_t avail)
{
    unsigned char c = p[0], lo, hi;
    int     need;

    if (c < 0x80)
	return (1);
    if (c < 0xC2)
	return (-1);
    need = c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
    if (need == 0)
	return (-1);
    for (int i = 1; i < need; i++) {
	if ((size_t) i >= avail)
	    return (0);
	lo = 0x80, hi = 0xBF;
	if (i == 1) {
	    /* Overlong forms, surrogates, past U+10FFFF. */
	    if (c == 0xE0)
		lo = 0xA0;
	    else if (c == 0xED)
		hi = 0x9F;
	    else if (c == 0xF0)
		lo = 0x90;
	    else if (c == 0xF4)
		hi = 0x8F;
	}
	if (p[i] < lo || p[i] > hi)
	    return (-1);
    }
    return (need);
}

/* u8_emit - buffer complete sequences; hand them on in pieces */

static void u8_emit(struct u8fix *fx, const char *s, size_t n)
{
    if (fx->stopped)
	return;
    if (fx->nout + n > sizeof(fx->out)) {
	if (fx->put(fx->arg, fx->out, fx->nout) < 0)
	    fx->stopped = 1;
	fx->nout = 0;
	if (fx->stopped)
	    return;
    }
    memcpy(fx->out + fx->nout, s, n);
    fx->nout += n;
}

/* u8_emit_cp1252 - one byte that is not UTF-8, read as windows-1252 */

static void u8_emit_cp1252(struct u8fix *fx, unsigned char c)
{
    unsigned cp = c >= 0x80 && c < 0xA0 ? cp1252_high[c - 0x80] : c;
    char    b[3];

    if (cp < 0x800) {
	b[0] = (char) (0xC0 | (cp >> 6));
	b[1] = (char) (0x80 | (cp & 0x3F));
	u8_emit(fx, b, 2);
    } else {
	b[0] = (char) (0xE0 | (cp >> 12));
	b[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
	b[2] = (char) (0x80 | (cp & 0x3F));
	u8_emit(fx, b, 3);
    }
}

/* u8_feed - repair one chunk; the chunk may end inside a sequence */

static void u8_feed(struct u8fix *fx, const char *in, size_t n)
{
    const unsigned char *p = (const unsigned char *) in;
    size_t  i = 0;
    int     r;

    /*
     * Finish the sequence the last chunk ended in. The carry is a valid
     * prefix, so when the whole turns out invalid, each carried byte is
     * windows-1252, as it would be without the chunk boundary.
     */
    if (fx->ncarry > 0) {
	unsigned char tmp[8];
	size_t  old = fx->ncarry, k = n < 4 - old ? n : 4 - old;

	memcpy(tmp, fx->carry, old);
	memcpy(tmp + old, p, k);
	r = u8_seq_len(tmp, old + k);
	if (r == 0) {
	    memcpy(fx->carry, tmp, old + k);
	    fx->ncarry = old + k;
	    return;
	}
	fx->ncarry = 0;
	if (r > 0) {
	    u8_emit(fx, (char *) tmp, (size_t) r);
	    i = (size_t) r - old;
	} else {
	    for (size_t j = 0; j < old; j++)
		u8_emit_cp1252(fx, tmp[j]);
	}
    }

    /*
     * One step per character; each step consumes at least one byte.
     */
    while (i < n && !fx->stopped) {
	unsigned char c = p[i];

	if (c < 0x80) {
	    if (c == '\r' || (c == '\n' && !fx->last_cr)) {
		u8_emit(fx, fx->one_line ? " " : "\n", 1);
	    } else if (c == '\t' || (c >= 0x20 && c != 0x7F)) {
		u8_emit(fx, (char *) p + i, 1);
	    }
	    fx->last_cr = (c == '\r');
	    i++;
	    continue;
	}
	fx->last_cr = 0;
	r = u8_seq_len(p + i, n - i);
	if (r == 0) {
	    memcpy(fx->carry, p + i, n - i);
	    fx->ncarry = n - i;
	    return;
	}
	if (r > 0) {
	    u8_emit(fx, (char *) p + i, (size_t) r);
	    i += (size_t) r;
	} else {
	    u8_emit_cp1252(fx, c);
	    i++;
	}
    }
}

/* u8_finish - an unfinished sequence at the end is windows-1252 too */

static void u8_finish(struct u8fix *fx)
{
    for (size_t j = 0; j < fx->ncarry; j++)
	u8_emit_cp1252(fx, fx->carry[j]);
    fx->ncarry = 0;
    if (!fx->stopped && fx->nout > 0 && fx->put(fx->arg, fx->out, fx->nout) < 0)
	fx->stopped = 1;
    fx->nout = 0;
}

/* sb_put_utf8 - append valid UTF-8 to an sbuf, cut at a character */

static int sb_put_utf8(void *arg, const char *s, size_t n)
{
    struct sbuf *sb = arg;
    size_t  room = sb->max_bytes > sb->len ? sb->max_bytes - sb->len : 0;
    size_t  cut, lead;
    int     r;

    if (n <= room)
	return (sbuf_append(sb, s, n));

    /*
     * Cut before the character that does not fit, then drop a sequence
     * an earlier piece may have left unfinished at the very end.
     */
    cut = room;
    while (cut > 0 && ((unsigned char) s[cut] & 0xC0) == 0x80)
	cut--;
    (void) sbuf_append(sb, s, cut);
    sb->truncated = 1;
    for (lead = sb->len; lead > 0 && sb->len - lead < 4; lead--) {
	unsigned char c = (unsigned char) sb->data[lead - 1];

	if ((c & 0xC0) != 0x80) {
	    r = u8_seq_len(c >= 0x80 ? (unsigned char *) sb->data + lead - 1 : &c,
			   sb->len - lead + 1);
	    if (r <= 0) {
		sb->len = lead - 1;
		sb->data[sb->len] = 0;
	    }
	    break;
	}
    }
    return (-1);
}

/* text_put - report->text sink; past the bound, mark the report */

static int text_put(void *arg, const char *s, size_t n)
{
    struct parse_ctx *ctx = arg;

    if (ctx->text_full)
	return (-1);
    if (sb_put_utf8(&ctx->rep->text, s, n) < 0) {
	ctx->text_full = 1;
	ctx->rep->flags |= REPORT_F_OVERSIZE;
	return (-1);
    }
    return (0);
}

/* html_put - repaired UTF-8 into the HTML converter */

static int html_put(void *arg, const char *s, size_t n)
{
    return (report_html_feed(arg, s, n));
}

/* text_sep - a blank line between parts, then an optional label */

static void text_sep(struct parse_ctx *ctx, const char *label)
{
    struct sbuf *t = &ctx->rep->text;

    if (t->len > 0)
	(void) text_put(ctx, "\n\n", t->data[t->len - 1] == '\n' ? 1 : 2);
    if (label)
	(void) text_put(ctx, label, strlen(label));
}

/* field_dup - a header field: repaired UTF-8, bounded, one line */

static char *field_dup(struct parse_ctx *ctx, const char *s, size_t max,
		               int one_line)
{
    struct sbuf sb;
    struct u8fix fx;
    size_t  len;

    if (s == NULL)
	return (NULL);

    /*
     * Bound the input first: GMime keeps header values whole.
     */
    len = strnlen(s, max + 4);
    sbuf_init(&sb, max);
    memset(&fx, 0, sizeof(fx));
    fx.one_line = one_line;
    fx.put = sb_put_utf8;
    fx.arg = &sb;
    u8_feed(&fx, s, len);
    u8_finish(&fx);
    if (sb.truncated || len > max)
	ctx->rep->flags |= REPORT_F_OVERSIZE;
    return (sbuf_steal(&sb));
}

/* first_mailbox - addr-spec and display name of the first From mailbox */

static void first_mailbox(GMimeMessage *msg, const char **addr,
			          const char **name)
{
    InternetAddressList *list = g_mime_message_get_from(msg);
    InternetAddress *ia;
    int     n;

    *addr = *name = NULL;
    if (list == NULL)
	return;
    n = internet_address_list_length(list);
    for (int i = 0; i < n && i < 100; i++) {
	ia = internet_address_list_get_address(list, i);
	if (INTERNET_ADDRESS_IS_GROUP(ia)) {
	    InternetAddressList *members =
		internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia));

	    if (members == NULL || internet_address_list_length(members) < 1)
		continue;
	    ia = internet_address_list_get_address(members, 0);
	}
	if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
	    *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
	    *name = internet_address_get_name(ia);
	    return;
	}
    }
}

/* add_msgids - msg-ids of a header to references, first one to *first */

static void add_msgids(struct parse_ctx *ctx, const char *value, char **first)
{
    GMimeReferences *refs;
    char    buf[1024];
    int     n;

    if (value == NULL || (refs = g_mime_references_parse(NULL, value)) == NULL)
	return;
    n = g_mime_references_length(refs);
    for (int i = 0; i < n; i++) {
	const char *id = g_mime_references_get_message_id(refs, i);

	if (id == NULL || *id == 0 || strlen(id) > sizeof(buf) - 3)
	    continue;
	snprintf(buf, sizeof(buf), "<%s>", id);
	if (first && *first == NULL)
	    *first = field_dup(ctx, buf, ctx->lim->max_header_bytes, 1);
	if (ctx->rep->references.n >= REPORT_MAX_REFERENCES) {
	    ctx->rep->flags |= REPORT_F_OVERSIZE;
	    break;
	}
	if (sm_utf8_valid(buf, strlen(buf)))
	    (void) strlist_add_unique(&ctx->rep->references, buf);
    }
    g_mime_references_free(refs);
}

/* read_headers - the top-level header fields of the report model */

static void read_headers(struct parse_ctx *ctx, GMimeMessage *msg)
{
    struct report *rep = ctx->rep;
    size_t  hmax = ctx->lim->max_header_bytes;
    GMimeObject *obj = GMIME_OBJECT(msg);
    GMimeHeaderList *hl;
    const char *addr, *name, *v;
    char   *id;
    int     n;

    /*
     * Identity: From, Subject, Message-ID, Return-Path.
     */
    first_mailbox(msg, &addr, &name);
    if (addr && *addr)
	rep->from_addr = field_dup(ctx, addr, hmax, 1);
    if (name && *name)
	rep->from_name = field_dup(ctx, name, hmax, 1);
    if ((v = g_mime_message_get_subject(msg)) != NULL)
	rep->subject = field_dup(ctx, v, hmax, 1);
    if ((v = g_mime_message_get_message_id(msg)) != NULL && *v
	&& strlen(v) < hmax - 2 && (id = g_strdup_printf("<%s>", v)) != NULL) {
	rep->message_id = field_dup(ctx, id, hmax, 1);
	g_free(id);
    }
    if ((v = g_mime_object_get_header(obj, "Return-Path")) != NULL)
	rep->return_path = field_dup(ctx, v, hmax, 1);

    /*
     * Threading: References first, then In-Reply-To, unique.
     */
    add_msgids(ctx, g_mime_object_get_header(obj, "References"), NULL);
    add_msgids(ctx, g_mime_object_get_header(obj, "In-Reply-To"),
	       &rep->in_reply_to);

    /*
     * RFC 3834 evidence.
     */
    if ((v = g_mime_object_get_header(obj, "Auto-Submitted")) != NULL)
	rep->auto_submitted = field_dup(ctx, v, hmax, 1);
    if ((v = g_mime_object_get_header(obj, "Precedence")) != NULL)
	rep->precedence = field_dup(ctx, v, hmax, 1);

    /*
     * One bounded pass over every field for the name-based evidence.
     */
    hl = g_mime_object_get_header_list(obj);
    n = hl ? g_mime_header_list_get_count(hl) : 0;
    if (n > REPORT_MAX_HEADERS) {
	rep->flags |= REPORT_F_OVERSIZE;
	n = REPORT_MAX_HEADERS;
    }
    for (int i = 0; i < n; i++) {
	GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
	const char *hn = h ? g_mime_header_get_name(h) : NULL;

	if (hn == NULL)
	    continue;
	if (strncasecmp(hn, "X-Security-", 11) == 0) {
	    rep->spoofed_headers++;
	} else if (strncasecmp(hn, "List-", 5) == 0
		   || strcasecmp(hn, "Mailing-List") == 0
		   || strcasecmp(hn, "X-Mailing-List") == 0) {
	    rep->has_list_headers = 1;
	} else if (strcasecmp(hn, "X-Autoreply") == 0
		   || strcasecmp(hn, "X-Autorespond") == 0
		   || strcasecmp(hn, "X-Autoresponder") == 0
		   || strcasecmp(hn, "X-Autoreply-From") == 0
		   || strcasecmp(hn, "X-Mail-Autoreply") == 0
		   || strcasecmp(hn, "X-Autogenerated") == 0
		   || strcasecmp(hn, "X-FC-MachineGenerated") == 0
		   || strcasecmp(hn, "X-Vacation") == 0) {
	    rep->has_autoreply_headers = 1;
	} else if (strcasecmp(hn, "X-Mailer") == 0) {
	    v = g_mime_header_get_value(h);
	    if (v && (strcasestr(v, "vacation") || strcasestr(v, "autorespond")
		      || strcasestr(v, "autoreply")))
		rep->has_autoreply_headers = 1;
	} else if (strcasecmp(hn, "Authentication-Results") == 0) {
	    char   *raw;

	    if (rep->auth_results.n >= REPORT_MAX_AUTH_RESULTS)
		continue;
	    v = g_mime_header_get_raw_value(h);
	    if ((raw = field_dup(ctx, v ? v : "", hmax, 1)) == NULL)
		continue;
	    g_strstrip(raw);
	    (void) strlist_add(&rep->auth_results, raw);
	    free(raw);
	}
    }
}

/* decode_part - stream a leaf's decoded content through a fixed buffer */

static void decode_part(struct parse_ctx *ctx, GMimePart *part,
		           struct part_out *po, uint64_t *size, int text_mode)
{
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    GMimeObject *obj = GMIME_OBJECT(part);
    GMimeStream *raw, *filtered;
    GMimeContentEncoding enc;
    GMimeFilter *basic, *cs = NULL;
    struct report_html *html = NULL;
    struct u8fix fx;
    const char *charset;
    char    buf[REPORT_CHUNK_BYTES];
    size_t  max_reads, zero_reads = 0;
    ssize_t n;
    int     cut = 0;

    if (content == NULL || (raw = g_mime_data_wrapper_get_stream(content)) == NULL)
	return;
    if (g_mime_stream_reset(raw) < 0)
	return;

    /*
     * Transfer decoding happens in the filter stream; the charset is
     * converted by hand after hashing (the digest is of decoded bytes).
     * UTF-8, ASCII and Latin-1 skip iconv: the repair does them, with
     * windows-1252 for the bytes that are not UTF-8.
     */
    filtered = g_mime_stream_filter_new(raw);
    enc = g_mime_data_wrapper_get_encoding(content);
    if (enc == GMIME_CONTENT_ENCODING_BASE64
	|| enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE
	|| enc == GMIME_CONTENT_ENCODING_UUENCODE) {
	basic = g_mime_filter_basic_new(enc, FALSE);
	g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), basic);
	g_object_unref(basic);
    }
    if (text_mode && (charset = g_mime_object_get_content_type_parameter(obj,
							       "charset")) != NULL
	&& strcasecmp(charset, "utf-8") != 0 && strcasecmp(charset, "utf8") != 0
	&& strcasecmp(charset, "us-ascii") != 0 && strcasecmp(charset, "ascii") != 0
	&& strcasecmp(charset, "iso-8859-1") != 0 && strcasecmp(charset, "latin1") != 0
	&& strlen(charset) < 64)
	cs = g_mime_filter_charset_new(charset, "UTF-8");

    /*
     * Text goes to report->text, through the HTML converter for HTML.
     */
    memset(&fx, 0, sizeof(fx));
    fx.put = text_put;
    fx.arg = ctx;
    if (text_mode == 2 && (html = report_html_new(text_put, ctx)) != NULL) {
	fx.put = html_put;
	fx.arg = html;
    }

    /*
     * The read loop is bounded: every read either consumes source bytes
     * (at most max_message_bytes of them) or is counted as empty.
     */
    max_reads = ctx->lim->max_message_bytes / 256 + 4096;
    for (size_t reads = 0; reads < max_reads; reads++) {
	n = g_mime_stream_read(filtered, buf, sizeof(buf));
	if (n < 0)
	    break;
	if (n == 0) {
	    if (g_mime_stream_eos(filtered) || ++zero_reads > REPORT_MAX_ZERO_READS)
		break;
	    continue;
	}

	/*
	 * Past max_part_bytes the rest is not read: size and digest then
	 * describe the bytes read, and the report says it was cut.
	 */
	if (*size + (uint64_t) n > ctx->lim->max_part_bytes) {
	    n = (ssize_t) (ctx->lim->max_part_bytes - *size);
	    ctx->rep->flags |= REPORT_F_OVERSIZE;
	    cut = 1;
	}
	*size += (uint64_t) n;
	if (po)
	    part_out_write(ctx, po, buf, (size_t) n);
	if (text_mode && !fx.stopped && !ctx->text_full) {
	    if (cs) {
		char   *out;
		size_t  outlen, outpre;

		g_mime_filter_filter(cs, buf, (size_t) n, 0, &out, &outlen, &outpre);
		u8_feed(&fx, out, outlen);
	    } else
		u8_feed(&fx, buf, (size_t) n);
	}
	if (po == NULL && (fx.stopped || ctx->text_full))
	    break;

	/*
	 * The CPU budget, polled once a chunk.
	 */
	ctx->rep->budget_checks++;
	if (!cut && report_budget_exceeded()) {
	    ctx->rep->flags |= REPORT_F_TIMEOUT;
	    cut = 1;
	}
	if (cut)
	    break;
    }
    if (po)
	po->cut = cut;

    /*
     * Flush what the charset filter and the repair still hold.
     */
    if (text_mode && !fx.stopped && !ctx->text_full) {
	if (cs) {
	    char   *out;
	    size_t  outlen, outpre;

	    g_mime_filter_complete(cs, buf, 0, 0, &out, &outlen, &outpre);
	    u8_feed(&fx, out, outlen);
	}
	u8_finish(&fx);
    }
    if (html)
	report_html_finish(html);
    if (cs)
	g_object_unref(cs);
    g_object_unref(filtered);
}

/* part_out_write - one decoded chunk of an attachment to its consumers */

static void part_out_write(struct parse_ctx *ctx, struct part_out *out,
			           const char *buf, size_t n)
{
    if (out->sha)
	EVP_DigestUpdate(out->sha, buf, n);
    attach_scan_feed(out->scan, buf, n);

    /*
     * The sink keeps at most max_attachment_bytes: a longer attachment
     * is dropped whole, never kept cut.
     */
    if (out->obj == NULL)
	return;
    if (out->kept + n > ctx->lim->max_attachment_bytes
	|| out->sink->write(out->obj, buf, n) < 0) {
	out->sink->abort(out->obj);
	out->obj = NULL;
	return;
    }
    out->kept += n;
}

/* add_attachment - record a leaf as an attachment, hash it while decoding */

static void add_attachment(struct parse_ctx *ctx, GMimePart *part,
		          const char *ctype, const char *filename, int text_mode)
{
    struct report *rep = ctx->rep;
    struct report_attachment *att, *v;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    struct part_out out;
    char    label[256];
    char   *shown;

    /*
     * Bounded count; the array grows one entry at a time.
     */
    if (rep->n_attachments >= ctx->lim->max_attachments) {
	rep->flags |= REPORT_F_OVERSIZE;
	return;
    }
    if ((v = realloc(rep->attachments, (rep->n_attachments + 1) * sizeof(*v))) == NULL)
	return;
    rep->attachments = v;
    att = v + rep->n_attachments;
    memset(att, 0, sizeof(*att));
    att->filename = field_dup(ctx, filename ? filename : "",
			      ctx->lim->max_header_bytes, 1);
    att->content_type = strdup(ctype);
    if (att->filename == NULL || att->content_type == NULL) {
	free(att->filename);
	free(att->content_type);
	return;
    }
    rep->n_attachments++;

    /*
     * A text attachment (a PoC script, a saved page) is also text for
     * the classifier: its source as written, not rendered.
     */
    if (text_mode && !ctx->text_full) {
	shown = sm_sanitize_str(att->filename, SM_SANITIZE_NAME_MAX);
	snprintf(label, sizeof(label), "[attachment: %s]\n", shown ? shown : "");
	free(shown);
	text_sep(ctx, label);
    }

    /*
     * Size and SHA-256 of the decoded bytes, streamed, with the type
     * scan and the sink beside the digest. A cut part is not kept: its
     * digest is of the bytes read, not of the attachment.
     */
    memset(&out, 0, sizeof(out));
    if ((out.sha = EVP_MD_CTX_new()) == NULL)
	return;
    if (EVP_DigestInit_ex(out.sha, EVP_sha256(), NULL) != 1) {
	EVP_MD_CTX_free(out.sha);
	return;
    }
    out.scan = attach_scan_new(ctx->lim);
    if ((out.sink = ctx->lim->sink) != NULL)
	out.obj = out.sink->begin(out.sink->arg);
    decode_part(ctx, part, &out, &att->size, text_mode ? 1 : 0);
    if (EVP_DigestFinal_ex(out.sha, md, &mdlen) == 1)
	for (unsigned i = 0; i < mdlen && i < 32; i++)
	    snprintf(att->sha256 + 2 * i, 3, "%02x", md[i]);
    EVP_MD_CTX_free(out.sha);

    /*
     * What the content is, and where it was kept.
     */
    attach_scan_finish(out.scan, !out.cut, rep, att);
    attach_scan_free(out.scan);
    if (out.obj) {
	if (out.cut || mdlen == 0)
	    out.sink->abort(out.obj);
	else
	    att->stored = out.sink->end(out.obj, att->sha256);
    }
}

/* walk_leaf - one non-multipart part: text, attachment, or a marker */

static void walk_leaf(struct parse_ctx *ctx, GMimePart *part)
{
    GMimeObject *obj = GMIME_OBJECT(part);
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    const char *type, *sub, *disp, *filename, *p;
    char    ctype[REPORT_MAX_CTYPE_BYTES + 1];
    uint64_t size = 0;
    int     is_text, is_att;
    size_t  i = 0;

    /*
     * "type/subtype", lower case, bounded; text/plain when absent.
     */
    type = ct ? g_mime_content_type_get_media_type(ct) : NULL;
    sub = ct ? g_mime_content_type_get_media_subtype(ct) : NULL;
    if (type == NULL || *type == 0)
	type = "text";
    if (sub == NULL || *sub == 0)
	sub = strcasecmp(type, "text") == 0 ? "plain" : "octet-stream";
    for (p = type; *p && i < REPORT_MAX_CTYPE_BYTES; p++)
	ctype[i++] = (char) g_ascii_tolower(*p);
    if (i < REPORT_MAX_CTYPE_BYTES)
	ctype[i++] = '/';
    for (p = sub; *p && i < REPORT_MAX_CTYPE_BYTES; p++)
	ctype[i++] = (char) g_ascii_tolower(*p);
    ctype[i] = 0;
    if (!sm_utf8_valid(ctype, i))
	snprintf(ctype, sizeof(ctype), "application/octet-stream");

    /*
     * Containers we cannot read, and report markers.
     */
    if (strcmp(ctype, "application/pkcs7-mime") == 0
	|| strcmp(ctype, "application/x-pkcs7-mime") == 0) {
	p = g_mime_object_get_content_type_parameter(obj, "smime-type");
	ctx->rep->flags |= (p && strcasecmp(p, "signed-data") == 0) ?
	    REPORT_F_SIGNED : REPORT_F_ENCRYPTED;
	return;
    }
    if (strcmp(ctype, "application/pgp-signature") == 0
	|| strcmp(ctype, "application/pkcs7-signature") == 0
	|| strcmp(ctype, "application/x-pkcs7-signature") == 0) {
	ctx->rep->flags |= REPORT_F_SIGNED;
	return;
    }
    if (strcmp(ctype, "application/pgp-encrypted") == 0) {
	ctx->rep->flags |= REPORT_F_ENCRYPTED;
	return;
    }
    if (strcmp(ctype, "message/delivery-status") == 0
	|| strcmp(ctype, "message/global-delivery-status") == 0
	|| strcmp(ctype, "message/disposition-notification") == 0) {
	/* A status report is header-like text, not an attachment. */
	ctx->rep->flags |= REPORT_F_DSN;
	if (!ctx->suppress_text && !ctx->text_full) {
	    text_sep(ctx, NULL);
	    decode_part(ctx, part, NULL, &size, 1);
	}
	return;
    }

    /*
     * Every non-text leaf is an attachment; text is one when named or
     * marked so.
     */
    filename = g_mime_part_get_filename(part);
    disp = g_mime_object_get_disposition(obj);
    is_text = strncmp(ctype, "text/", 5) == 0;
    is_att = !is_text || (filename && *filename)
	|| (disp && strcasecmp(disp, "attachment") == 0);
    if (is_att) {
	add_attachment(ctx, part, ctype, filename, is_text);
	return;
    }
    if (ctx->suppress_text || ctx->text_full)
	return;
    text_sep(ctx, NULL);
    decode_part(ctx, part, NULL, &size, strcmp(ctype, "text/html") == 0 ? 2 : 1);
}

/* walk_multipart - children in order; alternatives: plain text first */

static void walk_multipart(struct parse_ctx *ctx, GMimeMultipart *mp,
			           unsigned depth)
{
    GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(mp));
    GMimeObject *child;
    int     n = g_mime_multipart_get_count(mp);
    int     alternative, plain_read = 0;
    size_t  before;

    if (ct && g_mime_content_type_is_type(ct, "multipart", "report"))
	ctx->rep->flags |= REPORT_F_DSN;
    alternative = ct && g_mime_content_type_is_type(ct, "multipart", "alternative");
    if (!alternative) {
	for (int i = 0; i < n && !ctx->stop; i++)
	    if ((child = g_mime_multipart_get_part(mp, i)) != NULL)
		walk(ctx, child, depth + 1);
	return;
    }

    /*
     * Pass 1: inline text/plain children. Pass 2: the rest, with their
     * text suppressed when pass 1 found any (attachments still count).
     */
    before = ctx->rep->text.len;
    for (int i = 0; i < n && !ctx->stop; i++) {
	child = g_mime_multipart_get_part(mp, i);
	if (child == NULL || !GMIME_IS_PART(child)
	    || !g_mime_content_type_is_type(g_mime_object_get_content_type(child),
					    "text", "plain"))
	    continue;
	walk(ctx, child, depth + 1);
    }
    for (size_t j = before; j < ctx->rep->text.len; j++)
	if (!g_ascii_isspace(ctx->rep->text.data[j])) {
	    plain_read = 1;
	    break;
	}
    if (plain_read)
	ctx->suppress_text++;
    for (int i = 0; i < n && !ctx->stop; i++) {
	child = g_mime_multipart_get_part(mp, i);
	if (child == NULL || (GMIME_IS_PART(child)
	     && g_mime_content_type_is_type(g_mime_object_get_content_type(child),
					    "text", "plain")))
	    continue;
	walk(ctx, child, depth + 1);
    }
    if (plain_read)
	ctx->suppress_text--;
}

/* walk - one MIME node, bounded in depth and in the number of parts */

static void walk(struct parse_ctx *ctx, GMimeObject *obj, unsigned depth)
{
    struct report *rep = ctx->rep;

    /*
     * The bounds: past them keep what was read so far.
     */
    if (ctx->parts >= ctx->lim->max_mime_parts) {
	rep->flags |= REPORT_F_OVERSIZE;
	ctx->stop = 1;
	return;
    }
    ctx->parts++;
    if (depth > ctx->lim->max_mime_depth) {
	rep->flags |= REPORT_F_OVERSIZE | REPORT_F_MALFORMED;
	return;
    }

    /*
     * Dispatch on the node type. Never ask a multipart for its
     * boundary (see the DESCRIPTION).
     */
    if (GMIME_IS_MESSAGE_PART(obj)) {
	GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
	const char *addr, *name, *subj;
	char   *fa, *fn, *fs, *label;

	rep->flags |= REPORT_F_FORWARDED;
	if (inner == NULL)
	    return;
	first_mailbox(inner, &addr, &name);
	subj = g_mime_message_get_subject(inner);
	fa = field_dup(ctx, addr ? addr : "", SM_SANITIZE_HDR_MAX, 1);
	fn = field_dup(ctx, name ? name : "", SM_SANITIZE_HDR_MAX, 1);
	fs = field_dup(ctx, subj ? subj : "", SM_SANITIZE_HDR_MAX, 1);
	label = g_strdup_printf("---------- Forwarded message ----------\n"
				"From: %s%s%s%s\nSubject: %s\n",
				fn ? fn : "", fn && *fn ? " <" : "", fa ? fa : "",
				fn && *fn ? ">" : "", fs ? fs : "");
	if (!ctx->suppress_text)
	    text_sep(ctx, label);
	g_free(label);
	free(fa);
	free(fn);
	free(fs);
	if (g_mime_message_get_mime_part(inner))
	    walk(ctx, g_mime_message_get_mime_part(inner), depth + 1);
    } else if (GMIME_IS_MULTIPART_ENCRYPTED(obj)) {
	rep->flags |= REPORT_F_ENCRYPTED;
    } else if (GMIME_IS_MULTIPART_SIGNED(obj)) {
	GMimeMultipart *mp = GMIME_MULTIPART(obj);

	rep->flags |= REPORT_F_SIGNED;
	if (g_mime_multipart_get_count(mp) > GMIME_MULTIPART_SIGNED_CONTENT)
	    walk(ctx, g_mime_multipart_get_part(mp, GMIME_MULTIPART_SIGNED_CONTENT),
		 depth + 1);
    } else if (GMIME_IS_MULTIPART(obj)) {
	walk_multipart(ctx, GMIME_MULTIPART(obj), depth);
    } else if (GMIME_IS_PART(obj)) {
	walk_leaf(ctx, GMIME_PART(obj));
    }
}

/* report_parse_fd - parse the message on fd into rep */

int     report_parse_fd(int fd, const struct report_limits *limits,
			        struct report *rep)
{
    struct report_limits defaults;
    struct parse_ctx ctx;
    GMimeParserOptions *opts;
    GMimeParser *parser;
    GMimeMessage *msg;
    GMimeStream *stream;
    struct stat st;
    int     dfd, regular, saved;

    if (limits == NULL) {
	report_limits_from_config(&defaults, NULL);
	limits = &defaults;
    }
    pthread_once(&report_once, report_gmime_init);

    /*
     * A fresh report; text is bounded from the start.
     */
    memset(rep, 0, sizeof(*rep));
    sbuf_init(&rep->text, limits->max_text_bytes);
    memset(&ctx, 0, sizeof(ctx));
    ctx.rep = rep;
    ctx.lim = limits;

    /*
     * A GMime stream on our own descriptor, bounded at
     * max_message_bytes. A regular file is read from its start; a pipe
     * gets a stream that never seeks (GMime then copies part content,
     * still within the bound).
     */
    if (fstat(fd, &st) < 0)
	return (-1);
    regular = S_ISREG(st.st_mode);
    if ((dfd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0)
	return (-1);
    if (regular) {
	rep->bytes = (uint64_t) st.st_size;
	if ((uint64_t) st.st_size > limits->max_message_bytes)
	    rep->flags |= REPORT_F_OVERSIZE;
	if (lseek(dfd, 0, SEEK_SET) < 0) {
	    saved = errno;
	    close(dfd);
	    errno = saved;
	    return (-1);
	}
	stream = g_mime_stream_fs_new_with_bounds(dfd, 0,
					    (gint64) limits->max_message_bytes);
    } else {
	stream = g_mime_stream_pipe_new(dfd);
	g_mime_stream_construct(stream, 0, (gint64) limits->max_message_bytes);
    }

    /*
     * Parse with per-call options: the warning callback marks the
     * report, it never stops the parse.
     */
    opts = g_mime_parser_options_new();
    g_mime_parser_options_set_warning_callback(opts, parse_warning, &ctx);
    parser = g_mime_parser_new_with_stream(stream);
    g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
    msg = g_mime_parser_construct_message(parser, opts);

    /*
     * A pipe: its size is what was read, and one byte more past the
     * bound means it was cut.
     */
    if (!regular) {
	char    c;

	rep->bytes = (uint64_t) stream->position;
	if ((uint64_t) stream->position >= limits->max_message_bytes
	    && read(dfd, &c, 1) == 1) {
	    rep->flags |= REPORT_F_OVERSIZE;
	    rep->bytes++;
	}
    }

    /*
     * Headers, then the MIME tree. No message at all is malformed
     * input, not an error.
     */
    if (msg == NULL) {
	rep->flags |= REPORT_F_MALFORMED;
    } else {
	read_headers(&ctx, msg);
	if (g_mime_message_get_mime_part(msg))
	    walk(&ctx, g_mime_message_get_mime_part(msg), 1);
	else if (rep->bytes > 0 && rep->from_addr == NULL && rep->subject == NULL)
	    rep->flags |= REPORT_F_MALFORMED;
    }

    /*
     * Inline PGP is a body we cannot read either.
     */
    if (rep->text.len > 0) {
	if (memmem(rep->text.data, rep->text.len, "-----BEGIN PGP MESSAGE-----", 27))
	    rep->flags |= REPORT_F_ENCRYPTED;
	if (memmem(rep->text.data, rep->text.len, "-----BEGIN PGP SIGNED MESSAGE-----", 34))
	    rep->flags |= REPORT_F_SIGNED;
    }
    if (rep->bytes == 0)
	rep->flags |= REPORT_F_MALFORMED;

    /*
     * The message goes before the options its headers may still use.
     */
    if (msg)
	g_object_unref(msg);
    g_object_unref(parser);
    g_object_unref(stream);
    g_mime_parser_options_free(opts);

    report_extract(rep);
    return (0);
}

/* report_parse_file - open, parse, close */

int     report_parse_file(const char *path, const struct report_limits *limits,
			          struct report *rep)
{
    int     fd, ret, saved;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
	return (-1);
    ret = report_parse_fd(fd, limits, rep);
    saved = errno;
    close(fd);
    errno = saved;
    return (ret);
}

/* report_free - release everything; safe on a zeroed or freed report */

void    report_free(struct report *rep)
{
    if (rep == NULL)
	return;
    free(rep->message_id);
    free(rep->from_addr);
    free(rep->from_name);
    free(rep->subject);
    free(rep->return_path);
    free(rep->in_reply_to);
    free(rep->auto_submitted);
    free(rep->precedence);
    strlist_free(&rep->references);
    strlist_free(&rep->auth_results);
    sbuf_free(&rep->text);
    for (size_t i = 0; i < rep->n_attachments; i++) {
	struct report_attachment *a = rep->attachments + i;

	free(a->filename);
	free(a->content_type);
	free(a->sniffed_type);
	free(a->stored);
	if (a->zip) {
	    for (size_t j = 0; j < a->zip->n_members; j++)
		free(a->zip->members[j].name);
	    free(a->zip->members);
	    free(a->zip);
	}
    }
    free(rep->attachments);
    strlist_free(&rep->urls);
    strlist_free(&rep->cves);
    strlist_free(&rep->cvss_vectors);
    memset(rep, 0, sizeof(*rep));
}
