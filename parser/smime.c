/*++
/* NAME
/*	smime 3
/* SUMMARY
/*	the content of an opaque-signed S/MIME part
/* SYNOPSIS
/*	#include "parser/parser_private.h"
/*
/*	void	smime_walk_signed(ctx, part, depth)
/* DESCRIPTION
/*	An application/pkcs7-mime part with smime-type=signed-data holds
/*	the signed message itself, inside a CMS SignedData structure:
/*	unlike multipart/signed, a reader without S/MIME sees nothing of
/*	it. smime_walk_signed() takes the content out and walks it like
/*	any other part:
/* .IP \(bu
/*	The part's decoded bytes (the DER) are read into memory, at most
/*	max_part_bytes of them; past that nothing is unwrapped (a cut DER
/*	does not parse) and REPORT_F_OVERSIZE is set.
/* .IP \(bu
/*	OpenSSL decodes the SignedData and hands out its encapsulated
/*	content. The signature is not verified: no trust store, no
/*	certificate check. REPORT_F_SIGNED says "signed", never "signed
/*	by someone we trust".
/* .IP \(bu
/*	The content, at most max_part_bytes of it, is parsed by GMime as a
/*	MIME entity from a memory stream and walked by walk_mime() one
/*	level below the part (max_mime_depth and max_mime_parts count as
/*	everywhere): text to report->text, attachments recorded.
/* .PP
/*	What this file never does: verify or trust a signature, look at
/*	enveloped-data (that stays REPORT_F_ENCRYPTED), or write anything
/*	to disk.
/* DIAGNOSTICS
/*	None: a DER that does not decode, a CMS type other than
/*	SignedData, a detached signature (no content) or content that is
/*	no MIME entity sets REPORT_F_MALFORMED; out of memory reads less.
/*--*/

/* System library. */

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Third-party libraries. */

#include <gmime/gmime.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/objects.h>

/* Utility library. */

#include "util/util.h"

/* Application-specific. */

#include "parser/report.h"
#include "parser/parser_private.h"

#define SMIME_CHUNK_BYTES	4096	/* decode buffer */

static int smime_read_der(struct parse_ctx *, GMimePart *, GByteArray *);
static void smime_walk_content(struct parse_ctx *, const unsigned char *,
			               size_t, unsigned);

/* smime_read_der - the part's decoded bytes; -1 when cut or unreadable */

static int smime_read_der(struct parse_ctx *ctx, GMimePart *part, GByteArray *der)
{
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    GMimeStream *raw, *filtered;
    GMimeContentEncoding enc;
    GMimeFilter *basic;
    char    buf[SMIME_CHUNK_BYTES];
    struct walk_reader rd;
    ssize_t n;
    int     ret = 0;

    if (content == NULL || (raw = g_mime_data_wrapper_get_stream(content)) == NULL
	|| g_mime_stream_reset(raw) < 0)
	return (-1);

    /*
     * Transfer decoding in a filter stream, as for any leaf (walk.c).
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

    /*
     * The read loop is bounded like decode_part()'s: every read
     * consumes source bytes or counts as empty. Past max_part_bytes
     * the DER is cut: give up, a cut DER does not decode.
     */
    walk_reader_init(&rd, ctx->lim);
    while ((n = walk_read_chunk(filtered, buf, sizeof(buf), &rd)) > 0) {
	if ((size_t) n > ctx->lim->max_part_bytes - der->len) {
	    ctx->rep->flags |= REPORT_F_OVERSIZE;
	    ret = -1;
	    break;
	}
	g_byte_array_append(der, (const guint8 *) buf, (guint) n);

	/*
	 * The CPU budget, polled once a chunk.
	 */
	ctx->rep->budget_checks++;
	if (report_budget_exceeded()) {
	    ctx->rep->flags |= REPORT_F_TIMEOUT;
	    ret = -1;
	    break;
	}
    }
    g_object_unref(filtered);
    return (ret);
}

/* smime_walk_content - the signed content as a MIME entity, walked */

static void smime_walk_content(struct parse_ctx *ctx, const unsigned char *data,
			               size_t len, unsigned depth)
{
    GMimeParserOptions *opts;
    GMimeParser *parser;
    GMimeStream *stream;
    GMimeObject *obj;

    /*
     * Bounded like a part: the rest of a longer content is not read.
     */
    if (len > ctx->lim->max_part_bytes) {
	len = ctx->lim->max_part_bytes;
	ctx->rep->flags |= REPORT_F_OVERSIZE;
    }

    /*
     * An entity (headers, blank line, body) from a memory stream; the
     * warning callback marks the report as for the message itself.
     */
    stream = g_mime_stream_mem_new_with_buffer((const char *) data, len);
    opts = g_mime_parser_options_new();
    g_mime_parser_options_set_warning_callback(opts, parse_warning, ctx);
    parser = g_mime_parser_new_with_stream(stream);
    obj = g_mime_parser_construct_part(parser, opts);
    if (obj == NULL) {
	ctx->rep->flags |= REPORT_F_MALFORMED;
    } else {
	walk_mime(ctx, obj, depth + 1);
	g_object_unref(obj);
    }

    /*
     * The part goes before the options its headers may still use.
     */
    g_object_unref(parser);
    g_object_unref(stream);
    g_mime_parser_options_free(opts);
}

/* smime_walk_signed - unwrap a signed-data part, walk what it signed */

void    smime_walk_signed(struct parse_ctx *ctx, GMimePart *part, unsigned depth)
{
    ASN1_OCTET_STRING **content;
    CMS_ContentInfo *cms = NULL;
    GByteArray *der;
    BIO    *bio = NULL;

    /*
     * The DER, bounded; an empty one is no SignedData.
     */
    der = g_byte_array_new();
    if (smime_read_der(ctx, part, der) < 0 || der->len == 0 || der->len > INT_MAX) {
	if (der->len == 0)
	    ctx->rep->flags |= REPORT_F_MALFORMED;
	g_byte_array_unref(der);
	return;
    }

    /*
     * SignedData with its content inside: never verified (see the
     * DESCRIPTION), only decoded.
     */
    if ((bio = BIO_new_mem_buf(der->data, (int) der->len)) != NULL)
	cms = d2i_CMS_bio(bio, NULL);
    if (cms == NULL || OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed
	|| (content = CMS_get0_content(cms)) == NULL || *content == NULL) {
	ctx->rep->flags |= REPORT_F_MALFORMED;
    } else {
	smime_walk_content(ctx, ASN1_STRING_get0_data(*content),
			   (size_t) ASN1_STRING_length(*content), depth);
    }
    CMS_ContentInfo_free(cms);
    BIO_free(bio);
    g_byte_array_unref(der);

    /*
     * A DER that did not decode leaves errors on the thread's OpenSSL
     * queue: they are this part's, not the next caller's.
     */
    ERR_clear_error();
}
