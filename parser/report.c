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
/*	Text repair (charset.c): bytes that are not valid UTF-8 are read
/*	as windows-1252 (the usual truth behind "unknown-8bit" and
/*	mislabelled iso-8859-1), NUL and C0 controls other than TAB and LF
/*	are dropped, CR LF becomes LF. A declared charset iconv does not
/*	know is no error: the same repair applies.
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
#define ALT_STUB_MAX_NONSPACE	200	/* a plain part this short may be a stub */
#define FWD_OWN_TEXT_MAX	500	/* forwarder's words, non-space bytes */
#define FWD_SCAN_BYTES		65536	/* text searched for an inline forward */
#define FWD_SCAN_LINES		400	/* lines searched for its marker */
#define FWD_HEADER_LINES	12	/* header lines after the marker */
#define FWD_LINE_MAX		998	/* bytes of one of those lines */

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
    int     fwd_seen;			/* the first message/rfc822 was met */
    size_t  fwd_text0, fwd_text1;	/* its text in report->text */
    char   *fwd_addr, *fwd_name, *fwd_subject;	/* its From and Subject */
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
static size_t nonspace(const char *, size_t);
static int alternative_stub(const char *, size_t);
static void forward_adopt(struct parse_ctx *, char *, char *, char *);
static int forward_from(struct parse_ctx *, const char *, size_t, char **, char **);
static void forward_inline(struct parse_ctx *);
static void forward_decide(struct parse_ctx *);
static void decode_part(struct parse_ctx *, GMimePart *, struct part_out *,
			        uint64_t *, int);
static void part_out_write(struct parse_ctx *, struct part_out *, const char *, size_t);
static void add_attachment(struct parse_ctx *, GMimePart *, const char *,
			           const char *, int);

static pthread_once_t report_once = PTHREAD_ONCE_INIT;

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

/* nonspace - bytes of s[0..n) that are not white space */

static size_t nonspace(const char *s, size_t n)
{
    size_t  k = 0;

    for (size_t i = 0; i < n; i++)
	k += !g_ascii_isspace(s[i]);
    return (k);
}

/* alternative_stub - the plain part read is only "see the HTML version" */

static int alternative_stub(const char *s, size_t n)
{
    static const char *phrases[] = {
	"view this message in html", "view this email in html",
	"in an html-capable", "html-capable", "html capable",
	"this message is in html format", "this is an html message",
	"this email is in html format", "html format", "html version",
	"does not support html", "doesn't support html", "not support html",
	"view it in your browser", "view this email in your browser",
	"view in browser", "view it online", "requires html",
	"enable html", "html-only", "html only", "html e-mail", "html email",
	0,
    };
    char    flat[ALT_STUB_MAX_NONSPACE * 4];
    size_t  k = 0;

    /*
     * Short, and saying so: then the HTML part is the report. The
     * phrase may be wrapped: compare with white space runs as one
     * space, in lower case.
     */
    if (nonspace(s, n) >= ALT_STUB_MAX_NONSPACE)
	return (0);
    for (size_t i = 0; i < n && k < sizeof(flat) - 1; i++) {
	if (g_ascii_isspace(s[i])) {
	    if (k > 0 && flat[k - 1] != ' ')
		flat[k++] = ' ';
	} else
	    flat[k++] = g_ascii_tolower(s[i]);
    }
    flat[k] = 0;
    for (int j = 0; phrases[j]; j++)
	if (strstr(flat, phrases[j]))
	    return (1);
    return (0);
}

/* forward_adopt - the inner report's identity; the outer one forwarded it */

static void forward_adopt(struct parse_ctx *ctx, char *addr, char *name,
			          char *subject)
{
    struct report *rep = ctx->rep;

    /*
     * Message-ID, In-Reply-To and References stay the outer ones: a
     * reply threads with the mail we received.
     */
    free(rep->forwarded_by.addr);
    free(rep->forwarded_by.name);
    rep->forwarded_by.addr = rep->from_addr;
    rep->forwarded_by.name = rep->from_name;
    rep->from_addr = addr;
    rep->from_name = name && *name ? name : NULL;
    if (rep->from_name != name)
	free(name);
    if (subject && *subject) {
	free(rep->subject);
	rep->subject = subject;
    } else
	free(subject);
    rep->flags |= REPORT_F_FORWARDED;
}

/* forward_from - "Name <addr>", "Name [mailto:addr]" or "addr" */

static int forward_from(struct parse_ctx *ctx, const char *v, size_t n,
			        char **addr, char **name)
{
    InternetAddressList *list;
    const char *a, *nm;
    char    buf[FWD_LINE_MAX + 1];
    char   *mailto;

    /*
     * Outlook writes "Name [mailto:addr]": make it RFC 5322 first.
     */
    if (n > FWD_LINE_MAX)
	n = FWD_LINE_MAX;
    memcpy(buf, v, n);
    buf[n] = 0;
    if ((mailto = strstr(buf, "[mailto:")) != NULL) {
	char   *rb = strchr(mailto, ']');

	memmove(mailto + 1, mailto + 8, strlen(mailto + 8) + 1);
	mailto[0] = '<';
	if (rb && (rb = strchr(mailto, ']')) != NULL)
	    *rb = '>';
    }
    *addr = *name = NULL;
    if ((list = internet_address_list_parse(NULL, buf)) == NULL)
	return (0);
    for (int i = 0; i < internet_address_list_length(list) && i < 10; i++) {
	InternetAddress *ia = internet_address_list_get_address(list, i);

	if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
	    continue;
	a = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
	nm = internet_address_get_name(ia);
	if (a == NULL || strchr(a, '@') == NULL)
	    continue;
	*addr = field_dup(ctx, a, ctx->lim->max_header_bytes, 1);
	*name = nm && *nm ? field_dup(ctx, nm, ctx->lim->max_header_bytes, 1) : NULL;
	break;
    }
    g_object_unref(list);
    return (*addr != NULL);
}

/* forward_inline - "Forwarded message" and its From:/Subject: lines */

static void forward_inline(struct parse_ctx *ctx)
{
    static const char *markers[] = {
	"forwarded message", "begin forwarded message", "original message",
	"weitergeleitete nachricht", "message transféré", 0,
    };
    const char *t = ctx->rep->text.data;
    size_t  n = ctx->rep->text.len, pos = 0, own = 0;
    char   *addr = NULL, *name = NULL, *subject = NULL;

    if (n > FWD_SCAN_BYTES)
	n = FWD_SCAN_BYTES;

    /*
     * The marker line; what comes before it is the forwarder's.
     */
    for (int lines = 0; pos < n && lines < FWD_SCAN_LINES; lines++) {
	const char *l = t + pos, *nl = memchr(l, '\n', n - pos);
	size_t  ln = nl ? (size_t) (nl - l) : n - pos, next = nl ? pos + ln + 1 : n;
	char    line[FWD_LINE_MAX + 1];
	int     hit = 0;

	if (ln > 0 && ln <= FWD_LINE_MAX && (l[0] == '-' || l[0] == 'B' || l[0] == '_')) {
	    memcpy(line, l, ln);
	    line[ln] = 0;
	    for (int k = 0; markers[k] && !hit; k++)
		hit = strcasestr(line, markers[k]) != NULL
		    && (l[0] == '-' || strncmp(line, "Begin forwarded message", 23) == 0);
	    if (!hit && ln >= 16 && strspn(line, "_") == ln)
		hit = 1;			/* Outlook's rule before From: */
	}
	if (!hit) {
	    own += nonspace(l, next - pos);
	    if (own > FWD_OWN_TEXT_MAX)
		return;
	    pos = next;
	    continue;
	}

	/*
	 * The header block of the forwarded mail: From: and Subject:.
	 */
	pos = next;
	for (int h = 0; h < FWD_HEADER_LINES && pos < n; h++) {
	    const char *hl = t + pos, *hnl = memchr(hl, '\n', n - pos);
	    size_t  hn = hnl ? (size_t) (hnl - hl) : n - pos;
	    size_t  skip = 0;

	    pos = hnl ? pos + hn + 1 : n;
	    while (skip < hn && (hl[skip] == '*' || hl[skip] == ' ' || hl[skip] == '>'))
		skip++;			/* "*From:*" from bold HTML, quotes */
	    hl += skip, hn -= skip;
	    if (hn == 0 && (addr || h > 0))
		break;
	    if (hn > 5 && strncasecmp(hl, "From:", 5) == 0 && addr == NULL) {
		hl += 5, hn -= 5;
		while (hn > 0 && (*hl == ' ' || *hl == '*'))
		    hl++, hn--;
		(void) forward_from(ctx, hl, hn, &addr, &name);
	    } else if (hn > 8 && strncasecmp(hl, "Subject:", 8) == 0 && subject == NULL) {
		char    sbuf_line[FWD_LINE_MAX + 1];

		hl += 8, hn -= 8;
		while (hn > 0 && (*hl == ' ' || *hl == '*'))
		    hl++, hn--;
		if (hn > FWD_LINE_MAX)
		    hn = FWD_LINE_MAX;
		memcpy(sbuf_line, hl, hn);
		sbuf_line[hn] = 0;
		subject = field_dup(ctx, sbuf_line, FWD_LINE_MAX, 1);
	    }
	}
	if (addr == NULL) {
	    free(name);
	    free(subject);
	    return;
	}
	forward_adopt(ctx, addr, name, subject);
	return;
    }
}

/* forward_decide - is the report the forwarded one? */

static void forward_decide(struct parse_ctx *ctx)
{
    struct report *rep = ctx->rep;
    const char *t = rep->text.data;
    size_t  own;

    /*
     * An attached message: the forwarder's own words are the text
     * around the inner message's.
     */
    if (ctx->fwd_seen) {
	if (ctx->fwd_addr == NULL || *ctx->fwd_addr == 0)
	    return;
	if (ctx->fwd_text1 > rep->text.len)
	    ctx->fwd_text1 = rep->text.len;
	if (ctx->fwd_text0 > ctx->fwd_text1)
	    ctx->fwd_text0 = ctx->fwd_text1;
	own = nonspace(t, ctx->fwd_text0)
	    + nonspace(t + ctx->fwd_text1, rep->text.len - ctx->fwd_text1);
	if (own <= FWD_OWN_TEXT_MAX) {
	    forward_adopt(ctx, ctx->fwd_addr, ctx->fwd_name, ctx->fwd_subject);
	    ctx->fwd_addr = ctx->fwd_name = ctx->fwd_subject = NULL;
	}
	return;
    }

    /*
     * Otherwise an inline forward, if any.
     */
    if (rep->text.len > 0)
	forward_inline(ctx);
}

/* walk_multipart - children in order; alternatives: plain text first */

static void walk_multipart(struct parse_ctx *ctx, GMimeMultipart *mp,
			           unsigned depth)
{
    GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(mp));
    GMimeObject *child;
    int     n = g_mime_multipart_get_count(mp);
    int     alternative, plain_read = 0;
    size_t  before, atts;

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
    atts = ctx->rep->n_attachments;
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

    /*
     * A plain part that only says "read the HTML version" is no text:
     * take it back (unless it brought an attachment) and read the HTML.
     */
    if (plain_read && atts == ctx->rep->n_attachments && !ctx->rep->text.truncated
	&& alternative_stub(ctx->rep->text.data + before, ctx->rep->text.len - before)) {
	ctx->rep->text.len = before;
	if (ctx->rep->text.data)
	    ctx->rep->text.data[before] = 0;
	plain_read = 0;
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

	/*
	 * The first forwarded message may turn out to be the report
	 * (forward_decide() after the walk): keep its identity and
	 * where its text is.
	 */
	if (!ctx->fwd_seen && !ctx->suppress_text) {
	    ctx->fwd_seen = 1;
	    ctx->fwd_addr = fa, ctx->fwd_name = fn, ctx->fwd_subject = fs;
	    fa = fn = fs = NULL;
	    ctx->fwd_text0 = rep->text.len;
	}
	free(fa);
	free(fn);
	free(fs);
	if (g_mime_message_get_mime_part(inner))
	    walk(ctx, g_mime_message_get_mime_part(inner), depth + 1);
	if (ctx->fwd_seen == 1) {
	    ctx->fwd_seen = 2;
	    ctx->fwd_text1 = rep->text.len;
	}
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
	html_set_url_report(rep);
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
    html_set_url_report(NULL);

    /*
     * Encodings inside the text (inline uuencode, PGP armour) come out;
     * then decide whether the report is a forwarded one.
     */
    charset_decode_blocks(rep, limits);
    if (msg)
	forward_decide(&ctx);
    free(ctx.fwd_addr);
    free(ctx.fwd_name);
    free(ctx.fwd_subject);

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
    free(rep->forwarded_by.name);
    free(rep->forwarded_by.addr);
    strlist_free(&rep->urls);
    strlist_free(&rep->hosts);
    strlist_free(&rep->cves);
    strlist_free(&rep->cwes);
    strlist_free(&rep->ghsas);
    strlist_free(&rep->cvss_vectors);
    strlist_free(&rep->versions);
    strlist_free(&rep->payloads);
    strlist_free(&rep->curl_commands);
    memset(rep, 0, sizeof(*rep));
}
