/*++
/* NAME
/*	policy 3
/* SUMMARY
/*	whether a message may get an automatic reply; forged senders
/* SYNOPSIS
/*	#include "notify/notify.h"
/*
/*	int	notify_reply_allowed(cfg, report, triage, sender, reason)
/*
/*	int	notify_auth_forged(authserv_id, auth_results, why, whylen)
/* DESCRIPTION
/*	notify_reply_allowed() is the one place that decides whether a
/*	message may be answered automatically (an acknowledgement of a
/*	report, or the note that the information asked for arrived). It
/*	follows RFC 3834 in full: never to a null sender; never to mail
/*	with Auto-Submitted other than "no", Precedence bulk, list or junk,
/*	List-* headers, auto-responder headers or a delivery status
/*	report; never to a robot address (mailer-daemon, postmaster,
/*	owner-*, *-request, noreply and its spellings, bounce); never to
/*	one of our own addresses (SecurityAddress, AckFrom,
/*	TeamAddresses); never to mail carrying our loop header; never to
/*	a sender our own authserv-id says is forged (the triage flag
/*	unverified_sender). It returns 1 when a reply is allowed, else 0
/*	with a constant reason for the log and the ticket history.
/*
/*	The per-address rate limits (AckLimitPerHour, AckLimitPerDay) are
/*	the second gate: store/ applies them in the transaction that
/*	queues the reply, so two threads cannot both pass them.
/*
/*	notify_auth_forged() reads the Authentication-Results headers
/*	(RFC 8601) whose authserv-id equals ours; headers of any other
/*	authserv-id are ignored, since a sender can write them. The
/*	sender counts as forged when DMARC failed, or when SPF failed and
/*	no DKIM signature passed (and DMARC did not pass). It returns 1
/*	and the results in why when forged, else 0.
/*
/*	Never: a reply decision elsewhere; trust of a foreign authserv-id.
/* DIAGNOSTICS
/*	None: bad header text is normal input and decides nothing.
/*--*/

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/util.h"
#include "notify/notify.h"

#define POLICY_AR_MAX_BYTES	2048	/* bytes of one A-R header read */
#define POLICY_AR_MAX_HEADERS	20	/* A-R headers looked at */
#define POLICY_AR_MAX_RESULTS	32	/* method=result pairs in one header */
#define POLICY_LOCAL_MAX	64	/* bytes of a local part compared */

static int first_token_is(const char *, const char *const *);
static int robot_address(const char *);
static void strip_comments(const char *, char *, size_t);

/* first_token_is - the value's first word is one of words (no case) */

static int first_token_is(const char *value, const char *const *words)
{
    char    tok[32];
    size_t  n = 0;

    while (*value == ' ' || *value == '\t')
	value++;
    while (value[n] && n < sizeof(tok) - 1 && !isspace((unsigned char) value[n])
	   && value[n] != ';' && value[n] != '(')
	tok[n] = (char) tolower((unsigned char) value[n]), n++;
    tok[n] = 0;
    for (int i = 0; words[i]; i++)
	if (strcmp(tok, words[i]) == 0)
	    return (1);
    return (0);
}

/* robot_address - RFC 3834 robots: local parts that never read a reply */

static int robot_address(const char *addr)
{
    static const char *const robots[] = {
	"mailer-daemon", "postmaster", "noreply", "no-reply", "no_reply",
	"donotreply", "do-not-reply", "do_not_reply", "bounce", "bounces",
	"nobody", NULL,
    };
    char    local[POLICY_LOCAL_MAX + 1];
    size_t  len;

    if ((len = sm_addr_local(addr, local, sizeof(local))) == 0)
	return (0);
    for (int i = 0; robots[i]; i++)
	if (strcmp(local, robots[i]) == 0)
	    return (1);
    return (strncmp(local, "owner-", 6) == 0
	    || (len > 8 && strcmp(local + len - 8, "-request") == 0)
	    || strncmp(local, "noreply", 7) == 0 || strncmp(local, "no-reply", 8) == 0);
}

int     notify_reply_allowed(const struct sm_config *cfg, const struct report *rep,
			             const struct triage *t, const char *sender,
			             const char **reason)
{
    static const char *const no[] = {"no", NULL};
    static const char *const bulk[] = {"bulk", "list", "junk", NULL};
    const char *why = NULL;

    /* What the message is: automated mail is never answered. */
    if (t->kind == TRIAGE_AUTOMATED)
	why = "automated mail";

    /* Who would get the reply. */
    else if (sender == NULL || *sender == 0)
	why = "null sender";
    else if (strchr(sender, '@') == NULL)
	why = "sender without a domain";
    else if (robot_address(sender) || robot_address(rep->from_addr))
	why = "robot address";
    else if (cfg && (sm_config_is_own_addr(cfg, sender)
		     || (rep->from_addr && sm_config_is_own_addr(cfg, rep->from_addr))))
	why = "one of our own addresses";

    /* RFC 3834 headers, and our own mail come back. */
    else if (rep->has_loop_header)
	why = "our loop header";
    else if (rep->auto_submitted && !first_token_is(rep->auto_submitted, no))
	why = "Auto-Submitted";
    else if (rep->precedence && first_token_is(rep->precedence, bulk))
	why = "Precedence bulk, list or junk";
    else if (rep->has_list_headers)
	why = "mailing list headers";
    else if (rep->has_autoreply_headers)
	why = "auto-responder headers";
    else if (rep->flags & REPORT_F_DSN)
	why = "delivery status notification";

    /* A sender our authserv-id could not verify: the team decides. */
    else if (strlist_contains(&t->flags, "unverified_sender"))
	why = "unverified sender";

    if (reason)
	*reason = why;
    return (why == NULL);
}

/* strip_comments - copy without RFC 5322 comments, bounded */

static void strip_comments(const char *in, char *out, size_t outlen)
{
    size_t  n = 0;
    int     depth = 0, quoted = 0;

    for (; *in && n + 1 < outlen; in++) {
	if (*in == '\\' && in[1] && (depth || quoted)) {
	    in++;
	    continue;
	}
	if (!depth && *in == '"')
	    quoted = !quoted;
	if (!quoted && *in == '(') {
	    depth++;
	    continue;
	}
	if (!quoted && *in == ')' && depth) {
	    depth--;
	    continue;
	}
	if (depth == 0)
	    out[n++] = (*in == '\r' || *in == '\n' || *in == '\t') ? ' ' : *in;
    }
    out[n] = 0;
}

int     notify_auth_forged(const char *authserv_id, const struct strlist *ar,
			           char *why, size_t whylen)
{
    int     dmarc_fail = 0, dmarc_pass = 0, spf_fail = 0, dkim_pass = 0, trusted = 0;
    char    buf[POLICY_AR_MAX_BYTES];

    if (why && whylen)
	why[0] = 0;
    if (authserv_id == NULL || *authserv_id == 0 || ar == NULL)
	return (0);

    for (size_t h = 0; h < ar->n && h < POLICY_AR_MAX_HEADERS; h++) {
	char   *p, *seg, *save = NULL, *id;
	int     nres = 0;

	/*
	 * authserv-id [version] ; method[/version]=result props ; ...
	 * The first segment names who wrote the header: ours, or skip it.
	 */
	strip_comments(ar->v[h], buf, sizeof(buf));
	if ((p = strchr(buf, ';')) == NULL)
	    continue;
	*p++ = 0;
	id = strtok_r(buf, " ", &save);
	if (id == NULL || strcasecmp(id, authserv_id) != 0)
	    continue;
	trusted = 1;

	for (seg = strtok_r(p, ";", &save); seg && nres < POLICY_AR_MAX_RESULTS;
	     seg = strtok_r(NULL, ";", &save), nres++) {
	    char    method[32], result[32];
	    size_t  m = 0, r = 0;

	    while (*seg == ' ')
		seg++;
	    while (*seg && *seg != '=' && *seg != '/' && *seg != ' ' && m < sizeof(method) - 1)
		method[m++] = (char) tolower((unsigned char) *seg++);
	    method[m] = 0;
	    while (*seg && *seg != '=' && *seg != ' ')
		seg++;			/* a method version */
	    while (*seg == ' ')
		seg++;
	    if (*seg++ != '=')
		continue;
	    while (*seg == ' ')
		seg++;
	    while (*seg && !isspace((unsigned char) *seg) && r < sizeof(result) - 1)
		result[r++] = (char) tolower((unsigned char) *seg++);
	    result[r] = 0;

	    if (strcmp(method, "dmarc") == 0) {
		dmarc_fail |= strcmp(result, "fail") == 0;
		dmarc_pass |= strcmp(result, "pass") == 0;
	    } else if (strcmp(method, "spf") == 0) {
		spf_fail |= strcmp(result, "fail") == 0;
	    } else if (strcmp(method, "dkim") == 0) {
		dkim_pass |= strcmp(result, "pass") == 0;
	    }
	}
    }
    if (!trusted)
	return (0);
    if (dmarc_fail) {
	if (why)
	    snprintf(why, whylen, "dmarc=fail");
	return (1);
    }
    if (spf_fail && !dkim_pass && !dmarc_pass) {
	if (why)
	    snprintf(why, whylen, "spf=fail, no dkim=pass");
	return (1);
    }
    return (0);
}
