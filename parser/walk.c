/*++
/* NAME
/*	walk 3
/* SUMMARY
/*	the MIME tree of a report: text, attachments and markers
/* SYNOPSIS
/*	#include "parser/parser_private.h"
/*
/*	void	walk_mime(ctx, object, depth)
/*	size_t	text_nonspace(text, len)
/* DESCRIPTION
/*	walk_mime() visits one MIME node and what is below it, at most
/*	max_mime_parts nodes and max_mime_depth levels, and fills
/*	report->text and report->attachments:
/* .IP \(bu
/*	Text parts (text/plain, text/html through the converter of html.c,
/*	delivery status reports) are decoded and their charset converted
/*	into report->text, separated by blank lines. Text repair
/*	(charset.c): bytes that are not valid UTF-8 are read as
/*	windows-1252 (the usual truth behind "unknown-8bit" and
/*	mislabelled iso-8859-1), NUL and C0 controls other than TAB and LF
/*	are dropped, CR LF becomes LF. A declared charset iconv does not
/*	know is no error: the same repair applies.
/* .IP \(bu
/*	multipart/alternative: the text/plain children are read first; the
/*	others then add attachments but no text, unless the plain part was
/*	empty or only a stub ("view this message in HTML").
/* .IP \(bu
/*	Every other leaf, and a text part with a file name or an
/*	attachment disposition, is an attachment: decoded size, SHA-256,
/*	the type scan of attach.c, and the caller's sink when there is
/*	one. A text attachment is text as well, labelled with its name.
/* .IP \(bu
/*	message/rfc822 is walked like the rest, under a "Forwarded
/*	message" label; the first one is noted for forward_decide().
/* .IP \(bu
/*	Signed and encrypted containers set REPORT_F_SIGNED or
/*	REPORT_F_ENCRYPTED; the content of a signed one is walked
/*	(multipart/signed here, opaque S/MIME signed-data by smime.c).
/* .PP
/*	Text and attachments are decoded through a fixed 4 KiB buffer, at
/*	most max_part_bytes of one part, so memory stays bounded whatever
/*	a part's size; every read loop polls the CPU budget.
/*
/*	What this file never does: re-serialise a parsed multipart
/*	(GMime 3.2.13 can loop forever in g_mime_param_list_encode on a
/*	hostile Content-Type, gmime issue 165, so
/*	g_mime_multipart_get_boundary() and every *_to_string /
/*	write_to_stream on a multipart are off limits), write anything to
/*	disk, or stop on bad input.
/* DIAGNOSTICS
/*	None: broken structure sets REPORT_F_MALFORMED, a limit
/*	REPORT_F_OVERSIZE, the CPU budget REPORT_F_TIMEOUT.
/*--*/

/* System library. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Third-party libraries. */

#include <gmime/gmime.h>
#include <openssl/evp.h>

/* Utility library. */

#include "util/util.h"

/* Application-specific. */

#include "parser/report.h"
#include "parser/parser_private.h"

#define REPORT_CHUNK_BYTES	4096	/* decode buffer */
#define REPORT_MAX_CTYPE_BYTES	255	/* "type/subtype" */
#define ALT_STUB_MAX_NONSPACE	200	/* a plain part this short may be a stub */

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

static int text_put(void *, const char *, size_t);
static int html_put(void *, const char *, size_t);
static void text_sep(struct parse_ctx *, const char *);
static void walk_multipart(struct parse_ctx *, GMimeMultipart *, unsigned);
static void walk_leaf(struct parse_ctx *, GMimePart *, unsigned);
static int alternative_stub(const char *, size_t);
static void decode_part(struct parse_ctx *, GMimePart *, struct part_out *,
			        uint64_t *, int);
static void part_out_write(struct parse_ctx *, struct part_out *, const char *, size_t);
static void add_attachment(struct parse_ctx *, GMimePart *, const char *,
			           const char *, int);

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

/*
 * walk_reader_init, walk_read_chunk - the one bounded read loop over a
 * decoding stream (leaves here, S/MIME DER in smime.c): the number of
 * reads is bounded by the message size, and too many reads that yield
 * nothing end it, so no filter can keep the loop going.
 */
void    walk_reader_init(struct walk_reader *rd, const struct report_limits *lim)
{
    rd->reads_left = lim->max_message_bytes / 256 + 4096;
    rd->zero_reads = 0;
}

ssize_t walk_read_chunk(GMimeStream *stream, char *buf, size_t len,
			        struct walk_reader *rd)
{
    ssize_t n;

    while (rd->reads_left > 0) {
	rd->reads_left--;
	if ((n = g_mime_stream_read(stream, buf, len)) < 0)
	    return (0);
	if (n > 0)
	    return (n);
	if (g_mime_stream_eos(stream) || ++rd->zero_reads > WALK_MAX_ZERO_READS)
	    return (0);
    }
    return (0);
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
    struct walk_reader rd;
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
     * The read loop is bounded (walk_read_chunk()).
     */
    walk_reader_init(&rd, ctx->lim);
    while ((n = walk_read_chunk(filtered, buf, sizeof(buf), &rd)) > 0) {

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
    att->filename = parse_field_dup(ctx, filename ? filename : "",
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
    if (EVP_DigestInit_ex(out.sha, parse_sha256(), NULL) != 1) {
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

static void walk_leaf(struct parse_ctx *ctx, GMimePart *part, unsigned depth)
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

    /*
     * RFC 2045 5.2: a Content-Type without "type/subtype" is invalid and
     * means text/plain. GMime reads it as application/octet-stream, which
     * would hide the text of "Content-Type: text; charset=us-ascii".
     */
    if ((p = g_mime_object_get_header(obj, "Content-Type")) != NULL) {
	size_t  n = strcspn(p, ";");

	if (memchr(p, '/', n) == NULL) {
	    type = "text";
	    sub = "plain";
	}
    }
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
     * Containers: opaque-signed S/MIME holds the report (smime.c);
     * the rest we cannot read. Then report markers.
     */
    if (strcmp(ctype, "application/pkcs7-mime") == 0
	|| strcmp(ctype, "application/x-pkcs7-mime") == 0) {
	p = g_mime_object_get_content_type_parameter(obj, "smime-type");
	if (p && strcasecmp(p, "signed-data") == 0) {
	    ctx->rep->flags |= REPORT_F_SIGNED;
	    smime_walk_signed(ctx, part, depth);
	} else
	    ctx->rep->flags |= REPORT_F_ENCRYPTED;
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

/* text_nonspace - bytes of s[0..n) that are not white space */

size_t  text_nonspace(const char *s, size_t n)
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
    for (size_t i = 0, nonspace = 0; i < n; i++)
	if (!g_ascii_isspace(s[i]) && ++nonspace >= ALT_STUB_MAX_NONSPACE)
	    return (0);			/* long: no need to count the rest */
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
		walk_mime(ctx, child, depth + 1);
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
	walk_mime(ctx, child, depth + 1);
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
	walk_mime(ctx, child, depth + 1);
    }
    if (plain_read)
	ctx->suppress_text--;
}

/* walk_mime - one MIME node, bounded in depth and in the number of parts */

void    walk_mime(struct parse_ctx *ctx, GMimeObject *obj, unsigned depth)
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
	parse_first_mailbox(inner, &addr, &name);
	subj = g_mime_message_get_subject(inner);
	fa = parse_field_dup(ctx, addr ? addr : "", SM_SANITIZE_HDR_MAX, 1);
	fn = parse_field_dup(ctx, name ? name : "", SM_SANITIZE_HDR_MAX, 1);
	fs = parse_field_dup(ctx, subj ? subj : "", SM_SANITIZE_HDR_MAX, 1);
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
	    walk_mime(ctx, g_mime_message_get_mime_part(inner), depth + 1);
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
	    walk_mime(ctx, g_mime_multipart_get_part(mp, GMIME_MULTIPART_SIGNED_CONTENT),
		 depth + 1);
    } else if (GMIME_IS_MULTIPART(obj)) {
	walk_multipart(ctx, GMIME_MULTIPART(obj), depth);
    } else if (GMIME_IS_PART(obj)) {
	walk_leaf(ctx, GMIME_PART(obj), depth);
    }
}
