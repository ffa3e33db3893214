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
/*
/*	#include "parser/parser_private.h"
/*
/*	char	*parse_field_dup(ctx, value, max_bytes, one_line)
/*	void	parse_first_mailbox(message, addr, name)
/*	void	parse_warning(offset, code, item, ctx)
/*	const EVP_MD *parse_sha256()
/* DESCRIPTION
/*	report_parse_fd() reads a message through a GMime stream on a dup()
/*	of fd, bounded at max_message_bytes, and fills struct report: the
/*	decoded header fields here, then all readable text as UTF-8 and
/*	one entry per attachment with its size and SHA-256 (the MIME walk
/*	of walk.c), then whether it is a forwarded report (forward.c). It
/*	then runs report_extract() over the text. The report is
/*	overwritten: call report_free() on a used one first.
/*
/*	A regular file is read from offset 0; the descriptor's file offset
/*	moves (a dup() shares it). Anything else (a pipe) is read from
/*	where it stands.
/*
/*	Header fields are repaired like text (charset.c): bytes that are
/*	not valid UTF-8 are read as windows-1252, controls are dropped,
/*	each value is bounded at max_header_bytes.
/*
/*	What this file never does: read a message whole into memory,
/*	re-serialise a parsed message (see walk.c), write anything to
/*	disk, or stop on bad input.
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

#define REPORT_MAX_HEADERS	2000	/* top-level header fields examined */
#define REPORT_MAX_REFERENCES	50	/* msg-ids kept from References */
#define REPORT_MAX_AUTH_RESULTS	20	/* Authentication-Results kept */

static void report_gmime_init(void);
static void read_headers(struct parse_ctx *, GMimeMessage *);
static void add_msgids(struct parse_ctx *, const char *, char **);

static pthread_once_t report_once = PTHREAD_ONCE_INIT;
static const EVP_MD *report_sha256;	/* fetched once; NULL: EVP_sha256() */

/* report_gmime_init - once per process; the daemon is multithreaded */

static void report_gmime_init(void)
{
    g_mime_init();

    /*
     * OpenSSL 3 looks EVP_sha256() up again at every digest start, which
     * costs about what hashing a few KiB does: look it up once.
     */
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    report_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
#endif
}

/* parse_sha256 - SHA-256 for EVP_DigestInit_ex(), looked up once */

const EVP_MD *parse_sha256(void)
{
    pthread_once(&report_once, report_gmime_init);
    return (report_sha256 ? report_sha256 : EVP_sha256());
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

void    parse_warning(gint64 offset, GMimeParserWarning code,
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

/* parse_field_dup - a header field: repaired UTF-8, bounded, one line */

char   *parse_field_dup(struct parse_ctx *ctx, const char *s, size_t max,
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

/* parse_first_mailbox - addr-spec and display name of the first From mailbox */

void    parse_first_mailbox(GMimeMessage *msg, const char **addr,
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
	    *first = parse_field_dup(ctx, buf, ctx->lim->max_header_bytes, 1);
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
    parse_first_mailbox(msg, &addr, &name);
    if (addr && *addr)
	rep->from_addr = parse_field_dup(ctx, addr, hmax, 1);
    if (name && *name)
	rep->from_name = parse_field_dup(ctx, name, hmax, 1);
    if ((v = g_mime_message_get_subject(msg)) != NULL)
	rep->subject = parse_field_dup(ctx, v, hmax, 1);
    if ((v = g_mime_message_get_message_id(msg)) != NULL && *v
	&& strlen(v) < hmax - 2 && (id = g_strdup_printf("<%s>", v)) != NULL) {
	rep->message_id = parse_field_dup(ctx, id, hmax, 1);
	g_free(id);
    }
    if ((v = g_mime_object_get_header(obj, "Return-Path")) != NULL)
	rep->return_path = parse_field_dup(ctx, v, hmax, 1);

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
	rep->auto_submitted = parse_field_dup(ctx, v, hmax, 1);
    if ((v = g_mime_object_get_header(obj, "Precedence")) != NULL)
	rep->precedence = parse_field_dup(ctx, v, hmax, 1);

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
	} else if (strcasecmp(hn, "X-Secmilter-Loop") == 0) {
	    /* notify.h NOTIFY_LOOP_HEADER: mail we sent, come back. */
	    rep->has_loop_header = 1;
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
	    if ((raw = parse_field_dup(ctx, v ? v : "", hmax, 1)) == NULL)
		continue;
	    g_strstrip(raw);
	    (void) strlist_add(&rep->auth_results, raw);
	    free(raw);
	}
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
    int     dfd, regular, saved, pgp_seen;

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
	    walk_mime(&ctx, g_mime_message_get_mime_part(msg), 1);
	else if (rep->bytes > 0 && rep->from_addr == NULL && rep->subject == NULL)
	    rep->flags |= REPORT_F_MALFORMED;
    }

    /*
     * Inline PGP is a body we cannot read either.
     */
    pgp_seen = rep->text.len > 0
	&& text_find(rep->text.data, rep->text.len, "-----BEGIN PGP ") != NULL;
    if (pgp_seen) {
	/* Both markers start alike: most texts are searched once. */
	if (text_find(rep->text.data, rep->text.len, "-----BEGIN PGP MESSAGE-----"))
	    rep->flags |= REPORT_F_ENCRYPTED;
	if (text_find(rep->text.data, rep->text.len, "-----BEGIN PGP SIGNED MESSAGE-----"))
	    rep->flags |= REPORT_F_SIGNED;
    }
    if (rep->bytes == 0)
	rep->flags |= REPORT_F_MALFORMED;
    html_set_url_report(NULL);

    /*
     * Encodings inside the text (inline uuencode, PGP armour) come out;
     * then decide whether the report is a forwarded one.
     */
    charset_decode_blocks(rep, limits, pgp_seen);
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
