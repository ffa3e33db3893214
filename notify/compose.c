/*++
/* NAME
/*	compose 3
/* SUMMARY
/*	write acknowledgements and ticket notifications
/* SYNOPSIS
/*	#include "notify/notify.h"
/* DESCRIPTION
/*	Every message we send is built here, in the policy's voice: it
/*	thanks the reporter, names what was received, asks for each missing
/*	item by name, and states the next steps and time frames (the
/*	policy's commitments: acknowledge, ask for more information,
/*	qualify Critical/High/Medium, give a time frame, say when a fix is
/*	planned and when it is done, credit in the Hall of Fame).
/*
/*	Never: sender text without sm_sanitize(); a header line past 998
/*	bytes; a raw non-ASCII header; an original attachment.
/* DIAGNOSTICS
/*	-1 when there is no usable recipient.
/*--*/

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>

#include "util/util.h"
#include "notify/notify.h"

#define COMPOSE_SUBJECT_MAX	200	/* bytes of the reporter's subject quoted */
#define COMPOSE_NAME_MAX	120	/* bytes of an attachment name quoted */
#define COMPOSE_LIST_MAX	20	/* attachments or URLs listed */

/* The policy's five items, asked for in plain words. */
static const char *const item_requests[ITEM_COUNT] = {
    "The type of issue: for example cross-site scripting, SQL injection, or an\n"
    "  authentication or authorization flaw.",
    "The product and version with the bug, or the URL where it occurs.",
    "The potential impact: what an attacker could read, change or do, and\n"
    "  whose data is at risk.",
    "Step-by-step instructions to reproduce the issue, starting from a test\n"
    "  account (for example: 1. log in as ... 2. open ... 3. submit ...).",
    "A proof of concept or exploit code: the payload, the HTTP request, or\n"
    "  a small script or page we can run (attached or in the text).",
};

static void put_folded(struct sbuf *, const char *, const char *);
static void qp_body(struct sbuf *, size_t);

/* addr_ok - a recipient we may write to: plain addr-spec, no controls */

static int addr_ok(const char *a)
{
    const char *at;

    if (a == NULL || *a == 0 || strlen(a) >= NOTIFY_ADDR_MAX)
	return (0);
    for (const char *p = a; *p; p++)
	if ((unsigned char) *p <= ' ' || *p == '<' || *p == '>' || *p == '"'
	    || *p == ',' || *p == ';' || *p == '\\' || (unsigned char) *p >= 0x7f)
	    return (0);
    at = strrchr(a, '@');
    return (at != NULL && at != a && at[1] != 0);
}

/* msgid_ok - a Message-ID we may repeat in In-Reply-To */

static int msgid_ok(const char *m)
{
    size_t  n;

    if (m == NULL || (n = strlen(m)) < 3 || n > NOTIFY_MSGID_MAX - 1 || m[0] != '<' || m[n - 1] != '>')
	return (0);
    for (size_t i = 1; i + 1 < n; i++)
	if ((unsigned char) m[i] <= ' ' || (unsigned char) m[i] >= 0x7f || m[i] == '<' || m[i] == '>')
	    return (0);
    return (1);
}

/* put_encoded_header - "Name: value", RFC 2047 B words when not ASCII */

static void put_encoded_header(struct sbuf *out, const char *name, const char *value)
{
    int     ascii = 1;
    size_t  len = strlen(value), i = 0, col;

    for (size_t k = 0; k < len; k++)
	if ((unsigned char) value[k] >= 0x7f)
	    ascii = 0;
    if (ascii && len + strlen(name) + 2 <= 900) {
	put_folded(out, name, value);
	return;
    }

    /*
     * Encoded words of at most 45 input bytes (60 in base64), each on its
     * own folded line, cut only between UTF-8 characters.
     */
    sbuf_printf(out, "%s:", name);
    col = strlen(name) + 1;
    while (i < len) {
	size_t  n = len - i > 45 ? 45 : len - i;
	unsigned char b64[80];

	while (n > 0 && i + n < len && ((unsigned char) value[i + n] & 0xC0) == 0x80)
	    n--;
	if (n == 0)
	    n = len - i > 45 ? 45 : len - i;
	EVP_EncodeBlock(b64, (const unsigned char *) value + i, (int) n);
	sbuf_printf(out, "%s=?UTF-8?B?%s?=", col > 70 ? "\n " : " ", b64);
	col = 80;
	i += n;
    }
    sbuf_puts(out, "\n");
}

/* put_folded - "Name: a b c", folded at white space before 78 columns */

static void put_folded(struct sbuf *out, const char *name, const char *value)
{
    size_t  col = strlen(name) + 1;
    const char *p = value;

    sbuf_printf(out, "%s:", name);
    while (*p) {
	size_t  n;

	while (*p == ' ')
	    p++;
	if ((n = strcspn(p, " ")) == 0)
	    break;
	if (col > strlen(name) + 1 && col + 1 + n > 78) {
	    sbuf_puts(out, "\n");
	    col = 0;
	}
	sbuf_putc(out, ' ');
	sbuf_append(out, p, n);
	col += 1 + n;
	p += n;
    }
    sbuf_puts(out, "\n");
}

/*
 * qp_body - the body written from body_start on, made quoted-printable
 * (RFC 2045): UTF-8 text of any line length travels as 7-bit lines of
 * at most 76 characters, whatever the MTAs on the way do with 8bit.
 */

static void qp_body(struct sbuf *out, size_t body_start)
{
    static const char hex[] = "0123456789ABCDEF";
    char   *raw;
    size_t  len, col = 0;

    if (out->len <= body_start)
	return;
    len = out->len - body_start;
    if ((raw = malloc(len + 1)) == NULL) {
	out->truncated = 1;
	return;
    }
    memcpy(raw, out->data + body_start, len);
    out->len = body_start;
    out->data[out->len] = 0;
    for (size_t i = 0; i < len; i++) {
	unsigned char c = (unsigned char) raw[i];
	int     at_eol = (i + 1 == len || raw[i + 1] == '\n');
	char    enc[4];
	size_t  n;

	if (c == '\n') {
	    sbuf_putc(out, '\n');
	    col = 0;
	    continue;
	}
	if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_eol)) {
	    enc[0] = (char) c;
	    n = 1;
	} else {
	    enc[0] = '=', enc[1] = hex[c >> 4], enc[2] = hex[c & 15];
	    n = 3;
	}
	/* A soft break keeps every line within 76 characters. */
	if (col + n > (at_eol ? 76 : 75)) {
	    sbuf_puts(out, "=\n");
	    col = 0;
	}
	sbuf_append(out, enc, n);
	col += n;
    }
    free(raw);
}

/* put_headers - the headers every message of ours carries */

static void put_headers(const struct sm_config *cfg, struct notify_mail *mail,
			        const char *from_hdr, const char *ticket_id,
			        const char *subject, const char *in_reply_to,
			        const char *references, struct sbuf *out)
{
    char    date[64], rnd[33], *dom;
    const char *at;

    at = strrchr(from_hdr, '@');
    dom = strdup(at ? at + 1 : "localhost");
    sm_random_hex(rnd, 12);
    snprintf(mail->message_id, sizeof(mail->message_id), "<%s.%s@%s>", ticket_id, rnd, dom);
    sm_rfc5322_date(time(NULL), date, sizeof(date));

    sbuf_printf(out, "From: Security Team <%s>\n", from_hdr);
    sbuf_printf(out, "To: <%s>\n", mail->to);
    put_encoded_header(out, "Subject", subject);
    sbuf_printf(out, "Date: %s\n", date);
    sbuf_printf(out, "Message-ID: %s\n", mail->message_id);
    if (in_reply_to && msgid_ok(in_reply_to))
	sbuf_printf(out, "In-Reply-To: %s\n", in_reply_to);
    if (references && *references)
	put_folded(out, "References", references);
    sbuf_puts(out, "Auto-Submitted: auto-replied\n");
    sbuf_printf(out, "%s: %s\n", NOTIFY_LOOP_HEADER, from_hdr);
    sbuf_printf(out, "X-Security-Ticket: %s\n", ticket_id);
    sbuf_puts(out, "Precedence: bulk\n");
    sbuf_puts(out, "MIME-Version: 1.0\n");
    sbuf_puts(out, "Content-Type: text/plain; charset=UTF-8\n");
    sbuf_puts(out, "Content-Transfer-Encoding: quoted-printable\n\n");
    free(dom);
}

static void put_signature(const struct sm_config *cfg, struct sbuf *out)
{
    sbuf_printf(out, "\nPlease keep the ticket tag in the subject when you reply.\n"
		"We ask you not to share the issue with third parties until it is fixed.\n");
    if (cfg->policy_url)
	sbuf_printf(out, "Our vulnerability reporting policy: %s\n", cfg->policy_url);
    sbuf_printf(out, "\n-- \n%s\n", cfg->organization ? cfg->organization : "the security team");
}

int     notify_compose_ack(const struct sm_config *cfg, const char *ticket_id,
			           const struct report *rep, const struct triage *t,
			           const char *rcpt, struct notify_mail *mail,
			           struct sbuf *out)
{
    char   *from_hdr, *subj, *norm, subject[400], refs[2 * NOTIFY_MSGID_MAX];
    size_t  n_missing = 0, body_start;

    /* Only a plain, non-null recipient ever gets mail from us. */
    norm = rcpt ? sm_addr_normalize(rcpt) : NULL;
    if (norm == NULL || !addr_ok(norm)) {
	free(norm);
	return (-1);
    }
    memset(mail, 0, sizeof(*mail));
    snprintf(mail->to, sizeof(mail->to), "%s", norm);
    free(norm);
    mail->purpose = "ack";
    from_hdr = sm_config_ack_from(cfg);

    /* Headers: our tag, then the reporter's subject, sanitised. */
    subj = sm_sanitize_str(rep->subject ? rep->subject : "", COMPOSE_SUBJECT_MAX);
    if (strstr(subj, ticket_id))
	snprintf(subject, sizeof(subject), "Re: %s", subj);
    else
	snprintf(subject, sizeof(subject), "[%s] Re: %s", ticket_id, *subj ? subj : "your report");
    refs[0] = 0;
    if (msgid_ok(rep->message_id))
	snprintf(refs, sizeof(refs), "%s", rep->message_id);
    put_headers(cfg, mail, from_hdr, ticket_id, subject,
		msgid_ok(rep->message_id) ? rep->message_id : NULL, refs, out);
    body_start = out->len;

    /* What we received. */
    sbuf_printf(out, "Hello,\n\nthank you for your report. We have received it and opened ticket\n"
		"%s for it.\n\nWhat we received:\n", ticket_id);
    sbuf_printf(out, "- Subject: %s\n", *subj ? subj : "(none)");
    sbuf_printf(out, "- Text: %lu bytes", (unsigned long) rep->text.len);
    if (rep->urls.n)
	sbuf_printf(out, ", %lu URL(s)", (unsigned long) rep->urls.n);
    if (rep->cves.n)
	sbuf_printf(out, ", %lu CVE reference(s)", (unsigned long) rep->cves.n);
    sbuf_puts(out, "\n");
    for (size_t i = 0; i < rep->n_attachments && i < COMPOSE_LIST_MAX; i++) {
	char   *name = sm_sanitize_str(rep->attachments[i].filename, COMPOSE_NAME_MAX);

	sbuf_printf(out, "- Attachment: %s (%s, %llu bytes, SHA-256 %.16s...)\n",
		    *name ? name : "(no name)", rep->attachments[i].content_type,
		    (unsigned long long) rep->attachments[i].size, rep->attachments[i].sha256);
	free(name);
    }
    if (t->classes.n)
	sbuf_printf(out, "- Our first reading of the issue type: %s\n", t->classes.v[0]);
    if (t->has_cvss)
	sbuf_printf(out, "- CVSS vector: %s (%.1f)\n", t->cvss.vector, t->cvss.score);

    /* Each missing item, asked for by name. */
    for (int i = 0; i < ITEM_COUNT; i++)
	if (!t->complete[i])
	    n_missing++;
    if (n_missing) {
	sbuf_printf(out, "\nTo validate and reproduce the issue we still need the following\n"
		    "(please reply to this message):\n");
	for (int i = 0; i < ITEM_COUNT; i++)
	    if (!t->complete[i])
		sbuf_printf(out, "- %s: %s\n", triage_item_names[i], item_requests[i]);
    } else {
	sbuf_printf(out, "\nYour report contains everything our policy asks for: the type of\n"
		    "issue, the affected product or URL, the impact, the steps to reproduce\n"
		    "and a proof of concept.\n");
    }

    /* Next steps and time frames. */
    sbuf_printf(out, "\nNext steps:\n"
		"- We will investigate and qualify the report as Critical, High or Medium\n"
		"  within %u business days, and give you an estimated time frame for the fix.\n"
		"- We will tell you when the fix is planned and when it is done.\n"
		"- When the fix is out we will ask how you would like to be credited in\n"
		"  our Security Hall of Fame. (We do not pay monetary rewards.)\n",
		cfg->triage_target_days);
    put_signature(cfg, out);
    qp_body(out, body_start);
    free(subj);
    free(from_hdr);
    return (out->truncated ? -1 : 0);
}

int     notify_event_wanted(const char *state)
{
    static const char *const wanted[] = {
	"needs_info", "acknowledged", "triaged", "scheduled", "fixed", "closed",
	"duplicate", "out_of_scope", "invalid", "info_received", NULL,
    };

    for (int i = 0; wanted[i]; i++)
	if (strcmp(state, wanted[i]) == 0)
	    return (1);
    return (0);
}

/* severity_time_frame - days to a fix, by qualification (TimeFrame*) */

static unsigned severity_time_frame(const struct sm_config *cfg, const char *sev)
{
    if (sev == NULL || strcmp(sev, "medium") == 0)
	return (cfg->time_frame_days[1]);
    if (strcmp(sev, "critical") == 0)
	return (cfg->time_frame_days[3]);
    if (strcmp(sev, "high") == 0)
	return (cfg->time_frame_days[2]);
    return (cfg->time_frame_days[0]);
}

int     notify_compose_update(const struct sm_config *cfg, json_t *ticket,
			              const char *event, struct notify_mail *mail,
			              struct sbuf *out)
{
    const char *id = json_string_value(json_object_get(ticket, "id"));
    const char *reporter = json_string_value(json_object_get(ticket, "reporter"));
    const char *sev = json_string_value(json_object_get(ticket, "severity"));
    const char *eta = json_string_value(json_object_get(ticket, "eta"));
    const char *dup = json_string_value(json_object_get(ticket, "duplicate_of"));
    json_t *msgs = json_object_get(ticket, "messages");
    const char *first_id = NULL, *ack_id;
    char   *from_hdr, *subj, subject[400], refs[3 * NOTIFY_MSGID_MAX];
    char    sevcap[16] = "";
    size_t  body_start;

    if (id == NULL || !notify_event_wanted(event) || !addr_ok(reporter))
	return (-1);
    memset(mail, 0, sizeof(*mail));
    snprintf(mail->to, sizeof(mail->to), "%s", reporter);
    mail->purpose = "notify";
    from_hdr = sm_config_ack_from(cfg);

    /* Thread under the report and our acknowledgement. */
    if (json_array_size(msgs) > 0)
	first_id = json_string_value(json_object_get(json_array_get(msgs, 0), "message_id"));
    ack_id = json_string_value(json_object_get(ticket, "ack_message_id"));
    refs[0] = 0;
    if (msgid_ok(first_id))
	snprintf(refs, sizeof(refs), "%s", first_id);
    if (msgid_ok(ack_id))
	snprintf(refs + strlen(refs), sizeof(refs) - strlen(refs), "%s%s", refs[0] ? " " : "", ack_id);
    subj = sm_sanitize_str(json_string_value(json_object_get(ticket, "subject")), COMPOSE_SUBJECT_MAX);
    snprintf(subject, sizeof(subject), "[%s] Update: %s", id, *subj ? subj : "your report");
    put_headers(cfg, mail, from_hdr, id, subject,
		msgid_ok(ack_id) ? ack_id : (msgid_ok(first_id) ? first_id : NULL), refs, out);
    body_start = out->len;

    sbuf_printf(out, "Hello,\n\nthis is an update on your report %s.\n\n", id);
    if (sev) {
	snprintf(sevcap, sizeof(sevcap), "%s", sev);
	sevcap[0] = (char) toupper((unsigned char) sevcap[0]);
    }

    /* One paragraph per state, each a promise of the policy. */
    if (strcmp(event, "needs_info") == 0) {
	json_t *missing = json_object_get(ticket, "missing");
	size_t  i;
	json_t *m;

	sbuf_puts(out, "To validate and reproduce the issue we need more information:\n");
	json_array_foreach(missing, i, m) {
	    for (int k = 0; k < ITEM_COUNT; k++)
		if (json_is_string(m) && strcmp(json_string_value(m), triage_item_names[k]) == 0)
		    sbuf_printf(out, "- %s: %s\n", triage_item_names[k], item_requests[k]);
	}
	if (json_array_size(missing) == 0)
	    sbuf_puts(out, "- Please see the questions the team will send you separately.\n");
    } else if (strcmp(event, "info_received") == 0) {
	sbuf_puts(out, "Thank you: we have received the information we asked for. Your report\n"
		  "now has everything we need, and we are investigating the issue.\n");
    } else if (strcmp(event, "acknowledged") == 0) {
	sbuf_puts(out, "We have the information we need and are investigating the issue.\n");
    } else if (strcmp(event, "triaged") == 0) {
	sbuf_printf(out, "We have validated the issue and qualified it as %s.\n"
		    "Our estimated time frame for addressing it is %u days.\n",
		    *sevcap ? sevcap : "(not yet qualified)", severity_time_frame(cfg, sev));
    } else if (strcmp(event, "scheduled") == 0) {
	sbuf_printf(out, "A fix is planned. We expect to release it by %s.\n", eta ? eta : "(date to follow)");
    } else if (strcmp(event, "fixed") == 0) {
	sbuf_printf(out, "The issue is fixed. Thank you for helping us protect our users.\n\n"
		    "We would like to credit you in our Security Hall of Fame. If you agree,\n"
		    "reply to this message with these lines filled in:\n\n"
		    "  Credit-Name: the name to show\n"
		    "  Credit-Link: an optional link (Twitter, LinkedIn, web page)\n"
		    "  Credit-Consent: yes\n\n"
		    "Reply \"Credit-Consent: no\" if you prefer not to be named.\n");
    } else if (strcmp(event, "closed") == 0) {
	sbuf_puts(out, "We have closed this ticket. Thank you for your report.\n");
    } else if (strcmp(event, "duplicate") == 0) {
	sbuf_printf(out, "This issue had already been reported to us%s%s, so we are closing\n"
		    "this ticket as a duplicate. Thank you for your report all the same.\n",
		    dup ? " (" : "", dup ? dup : "");
	if (dup)
	    sbuf_puts(out, "(The earlier ticket is named above.)\n");
    } else if (strcmp(event, "out_of_scope") == 0) {
	sbuf_puts(out, "After review, the issue falls outside the scope of our vulnerability\n"
		  "reporting policy. The policy does not count as vulnerabilities: the\n"
		  "presence or absence of HTTP headers (X-Frame-Options, nosniff, etc.),\n"
		  "exposed stack traces or 500 errors, and content spoofing by administrative\n"
		  "users; and it covers only our own products, not third-party services.\n");
    } else if (strcmp(event, "invalid") == 0) {
	sbuf_puts(out, "After investigation we could not confirm a vulnerability that affects\n"
		  "the confidentiality or integrity of user data, as our policy requires, so\n"
		  "we are closing this ticket. If you have more evidence, reply to this\n"
		  "message with it.\n");
    }
    put_signature(cfg, out);
    qp_body(out, body_start);
    free(subj);
    free(from_hdr);
    return (out->truncated ? -1 : 0);
}

void    notify_mail_outmsg(const struct notify_mail *mail, const struct sbuf *data,
			           const char *ticket_id, struct store_outmsg *out)
{
    out->from = mail->from;
    out->to = mail->to;
    out->message_id = mail->message_id;
    out->data = sbuf_str(data);
    out->len = data->len;
    out->ticket = ticket_id;
    out->purpose = mail->purpose;
}
