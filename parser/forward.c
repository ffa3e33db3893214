/*++
/* NAME
/*	forward 3
/* SUMMARY
/*	is the report a forwarded one?
/* SYNOPSIS
/*	#include "parser/parser_private.h"
/*
/*	void	forward_decide(ctx)
/* DESCRIPTION
/*	Reports often reach us forwarded: a colleague, a ticket system or
/*	a bug bounty platform passes on what a reporter sent. After the
/*	MIME walk, forward_decide() looks for the inner report:
/* .IP \(bu
/*	An attached message/rfc822 (the first one, as walk.c noted it):
/*	when the text around it holds at most FWD_OWN_TEXT_MAX non-space
/*	bytes, its From and Subject become the report's.
/* .IP \(bu
/*	Otherwise an inline forward: a "Forwarded message", "Original
/*	message" or Outlook rule line within the first FWD_SCAN_LINES
/*	lines, with at most FWD_OWN_TEXT_MAX non-space bytes before it,
/*	then a From: line (Outlook's "Name [mailto:addr]" too) and maybe a
/*	Subject: line among the next FWD_HEADER_LINES lines.
/* .PP
/*	The outer From goes to report->forwarded_by, REPORT_F_FORWARDED
/*	is set. Message-ID, In-Reply-To and References stay the outer
/*	ones: a reply threads with the mail we received.
/*
/*	Every scan is bounded in bytes and lines; nothing here changes
/*	report->text.
/* DIAGNOSTICS
/*	None: no forward found leaves the report as it is.
/*--*/

/* System library. */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Third-party libraries. */

#include <gmime/gmime.h>

/* Utility library. */

#include "util/util.h"

/* Application-specific. */

#include "parser/report.h"
#include "parser/parser_private.h"

#define FWD_OWN_TEXT_MAX	500	/* forwarder's words, non-space bytes */
#define FWD_SCAN_BYTES		65536	/* text searched for an inline forward */
#define FWD_SCAN_LINES		400	/* lines searched for its marker */
#define FWD_HEADER_LINES	12	/* header lines after the marker */
#define FWD_LINE_MAX		998	/* bytes of one of those lines */

static void forward_adopt(struct parse_ctx *, char *, char *, char *);
static int forward_from(struct parse_ctx *, const char *, size_t, char **, char **);
static void forward_inline(struct parse_ctx *);

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
	*addr = parse_field_dup(ctx, a, ctx->lim->max_header_bytes, 1);
	*name = nm && *nm ? parse_field_dup(ctx, nm, ctx->lim->max_header_bytes, 1) : NULL;
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
	    own += text_nonspace(l, next - pos);
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
		subject = parse_field_dup(ctx, sbuf_line, FWD_LINE_MAX, 1);
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

void    forward_decide(struct parse_ctx *ctx)
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
	own = text_nonspace(t, ctx->fwd_text0)
	    + text_nonspace(t + ctx->fwd_text1, rep->text.len - ctx->fwd_text1);
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
