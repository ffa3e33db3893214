/*++
/* NAME
/*	compose 3
/* SUMMARY
/*	write acknowledgements and ticket notifications
/* SYNOPSIS
/*	#include "notify/notify.h"
/* DESCRIPTION
/*	Every message we send is built here: the headers, and the values
/*	of the placeholders of its template (template.c; the text, in the
/*	policy's voice, is in templates/NAME.txt). The values are what the
/*	policy commits to: what was received, each missing item by name,
/*	the qualification, the time frames, the planned date, the earlier
/*	ticket of a duplicate.
/*
/*	When the reporter's subject already carries the ticket tag, the
/*	acknowledgement's Subject drops a leading "[TICKET] " of its
/*	template, so the tag appears once.
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

/*
 * compose_vars - the placeholder values of one message; the numbers
 * are written into the struct, the strings belong to the caller.
 */

struct compose_vars {
    const char *v[NOTIFY_VAR_COUNT];
    char    ack_hours[16];
    char    triage_days[16];
    char    frame_days[16];
};

/* vars_common - the values every template may use: configuration */

static void vars_common(const struct sm_config *cfg, struct compose_vars *cv)
{
    memset(cv, 0, sizeof(*cv));
    snprintf(cv->ack_hours, sizeof(cv->ack_hours), "%u", cfg->ack_target_hours);
    snprintf(cv->triage_days, sizeof(cv->triage_days), "%u", cfg->triage_target_days);
    cv->v[NOTIFY_VAR_ACK_TARGET_HOURS] = cv->ack_hours;
    cv->v[NOTIFY_VAR_TRIAGE_TARGET_DAYS] = cv->triage_days;
    cv->v[NOTIFY_VAR_POLICY_URL] = cfg->policy_url;
    cv->v[NOTIFY_VAR_ORGANIZATION] = cfg->organization ? cfg->organization : "the security team";
}

/* missing_list - "- item: plain words with an example", one per line */

static void missing_list(const int *missing, struct sbuf *out)
{
    for (int i = 0; i < ITEM_COUNT; i++)
	if (missing[i])
	    sbuf_printf(out, "%s- %s: %s", out->len ? "\n" : "", triage_item_names[i],
			item_requests[i]);
}

/*
 * compose_message - headers, then the template's body made
 * quoted-printable; -1 when the template cannot be rendered.
 */

static int compose_message(const struct sm_config *cfg, struct notify_mail *mail,
			           enum notify_template which, const struct compose_vars *cv,
			           const char *drop_tag, const char *ticket_id,
			           const char *in_reply_to, const char *references,
			           struct sbuf *out)
{
    struct sbuf subject = SBUF_INIT(SM_SANITIZE_HDR_MAX);
    struct sbuf body = SBUF_INIT(out->max_bytes);
    char   *from_hdr;
    const char *subj;
    size_t  body_start;
    int     rc = -1;

    if (notify_template_render(which, cv->v, &subject, &body) < 0)
	goto out;
    subj = sbuf_str(&subject);
    if (drop_tag && strncmp(subj, drop_tag, strlen(drop_tag)) == 0 && subj[strlen(drop_tag)])
	subj += strlen(drop_tag);
    while (*subj == ' ')
	subj++;
    from_hdr = sm_config_ack_from(cfg);
    put_headers(cfg, mail, from_hdr, ticket_id, *subj ? subj : ticket_id, in_reply_to,
		references, out);
    free(from_hdr);
    body_start = out->len;
    sbuf_append(out, body.data ? body.data : "", body.len);
    qp_body(out, body_start);
    rc = out->truncated ? -1 : 0;
out:
    sbuf_free(&subject);
    sbuf_free(&body);
    return (rc);
}

int     notify_compose_ack(const struct sm_config *cfg, const char *ticket_id,
			           const struct report *rep, const struct triage *t,
			           const char *rcpt, struct notify_mail *mail,
			           struct sbuf *out)
{
    struct compose_vars cv;
    struct sbuf received = SBUF_INIT(64 * 1024), missing = SBUF_INIT(8 * 1024);
    char   *subj, *norm, tag[64], refs[2 * NOTIFY_MSGID_MAX];
    int     is_missing[ITEM_COUNT], n_missing = 0, rc;

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

    /* What we received: the reporter's subject, sanitised, and counts. */
    subj = sm_sanitize_str(rep->subject ? rep->subject : "", COMPOSE_SUBJECT_MAX);
    sbuf_printf(&received, "- Subject: %s\n", *subj ? subj : "(none)");
    sbuf_printf(&received, "- Text: %lu bytes", (unsigned long) rep->text.len);
    if (rep->urls.n)
	sbuf_printf(&received, ", %lu URL(s)", (unsigned long) rep->urls.n);
    if (rep->cves.n)
	sbuf_printf(&received, ", %lu CVE reference(s)", (unsigned long) rep->cves.n);
    for (size_t i = 0; i < rep->n_attachments && i < COMPOSE_LIST_MAX; i++) {
	char   *name = sm_sanitize_str(rep->attachments[i].filename, COMPOSE_NAME_MAX);
	char   *ctype = sm_sanitize_str(rep->attachments[i].content_type, COMPOSE_NAME_MAX);

	sbuf_printf(&received, "\n- Attachment: %s (%s, %llu bytes, SHA-256 %.16s...)",
		    *name ? name : "(no name)", ctype,
		    (unsigned long long) rep->attachments[i].size, rep->attachments[i].sha256);
	free(name);
	free(ctype);
    }
    if (t->has_cvss)
	sbuf_printf(&received, "\n- CVSS vector: %s (%.1f)", t->cvss.vector, t->cvss.score);

    /* Each missing item, asked for by name. */
    for (int i = 0; i < ITEM_COUNT; i++)
	if ((is_missing[i] = !t->complete[i]) != 0)
	    n_missing++;
    missing_list(is_missing, &missing);

    vars_common(cfg, &cv);
    cv.v[NOTIFY_VAR_TICKET] = ticket_id;
    cv.v[NOTIFY_VAR_SUBJECT] = *subj ? subj : "your report";
    cv.v[NOTIFY_VAR_REPORTER] = mail->to;
    cv.v[NOTIFY_VAR_RECEIVED_LIST] = sbuf_str(&received);
    cv.v[NOTIFY_VAR_MISSING_LIST] = sbuf_str(&missing);
    cv.v[NOTIFY_VAR_CLASS] = t->classes.n ? t->classes.v[0] : NULL;

    /* A reply that already carries our tag is not tagged twice. */
    snprintf(tag, sizeof(tag), "[%s] ", ticket_id);
    refs[0] = 0;
    if (msgid_ok(rep->message_id))
	snprintf(refs, sizeof(refs), "%s", rep->message_id);
    rc = compose_message(cfg, mail, n_missing ? NOTIFY_TPL_ACK_NEEDS_INFO : NOTIFY_TPL_ACK_COMPLETE,
			 &cv, strstr(subj, ticket_id) ? tag : NULL, ticket_id,
			 msgid_ok(rep->message_id) ? rep->message_id : NULL, refs, out);
    sbuf_free(&received);
    sbuf_free(&missing);
    free(subj);
    return (rc);
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

/* update_template - the template of a state the reporter hears of */

static int update_template(const char *event)
{
    for (int k = 0; k < NOTIFY_TPL_COUNT; k++)
	if (strncmp(notify_template_names[k], "ack_", 4) != 0
	    && strcmp(notify_template_names[k], event) == 0)
	    return (k);
    return (-1);
}

int     notify_compose_update(const struct sm_config *cfg, json_t *ticket,
			              const char *event, struct notify_mail *mail,
			              struct sbuf *out)
{
    const char *id = json_string_value(json_object_get(ticket, "id"));
    const char *reporter = json_string_value(json_object_get(ticket, "reporter"));
    json_t *msgs = json_object_get(ticket, "messages");
    json_t *missing = json_object_get(ticket, "missing"), *m;
    const char *first_id = NULL, *ack_id;
    struct compose_vars cv;
    struct sbuf missing_text = SBUF_INIT(8 * 1024);
    char   *subj, *sev, *eta, *dup, refs[3 * NOTIFY_MSGID_MAX], sevcap[16] = "";
    int     is_missing[ITEM_COUNT] = {0}, which, rc;
    size_t  i;

    if (id == NULL || !notify_event_wanted(event) || !addr_ok(reporter)
	|| (which = update_template(event)) < 0)
	return (-1);
    memset(mail, 0, sizeof(*mail));
    snprintf(mail->to, sizeof(mail->to), "%s", reporter);
    mail->purpose = "notify";

    /* Thread under the report and our acknowledgement. */
    if (json_array_size(msgs) > 0)
	first_id = json_string_value(json_object_get(json_array_get(msgs, 0), "message_id"));
    ack_id = json_string_value(json_object_get(ticket, "ack_message_id"));
    refs[0] = 0;
    if (msgid_ok(first_id))
	snprintf(refs, sizeof(refs), "%s", first_id);
    if (msgid_ok(ack_id))
	snprintf(refs + strlen(refs), sizeof(refs) - strlen(refs), "%s%s", refs[0] ? " " : "", ack_id);

    /* The ticket's values, sanitised: some came from the reporter. */
    subj = sm_sanitize_str(json_string_value(json_object_get(ticket, "subject")), COMPOSE_SUBJECT_MAX);
    sev = sm_sanitize_str(json_string_value(json_object_get(ticket, "severity")), 15);
    eta = sm_sanitize_str(json_string_value(json_object_get(ticket, "eta")), 40);
    dup = sm_sanitize_str(json_string_value(json_object_get(ticket, "duplicate_of")), 40);
    if (*sev) {
	snprintf(sevcap, sizeof(sevcap), "%s", sev);
	sevcap[0] = (char) toupper((unsigned char) sevcap[0]);
    }
    json_array_foreach(missing, i, m) {
	for (int k = 0; k < ITEM_COUNT; k++)
	    if (json_is_string(m) && strcmp(json_string_value(m), triage_item_names[k]) == 0)
		is_missing[k] = 1;
    }
    missing_list(is_missing, &missing_text);
    if (missing_text.len == 0)
	sbuf_puts(&missing_text, "- Please see the questions the team will send you separately.");

    vars_common(cfg, &cv);
    snprintf(cv.frame_days, sizeof(cv.frame_days), "%u",
	     severity_time_frame(cfg, *sev ? sev : NULL));
    cv.v[NOTIFY_VAR_TICKET] = id;
    cv.v[NOTIFY_VAR_SUBJECT] = *subj ? subj : "your report";
    cv.v[NOTIFY_VAR_REPORTER] = mail->to;
    cv.v[NOTIFY_VAR_MISSING_LIST] = sbuf_str(&missing_text);
    cv.v[NOTIFY_VAR_SEVERITY] = *sev ? sev : "not yet qualified";
    cv.v[NOTIFY_VAR_SEVERITY_CAP] = *sevcap ? sevcap : "(not yet qualified)";
    cv.v[NOTIFY_VAR_ETA] = *eta ? eta : "(date to follow)";
    cv.v[NOTIFY_VAR_TIME_FRAME_DAYS] = cv.frame_days;
    cv.v[NOTIFY_VAR_DUPLICATE_OF] = dup;
    rc = compose_message(cfg, mail, (enum notify_template) which, &cv, NULL, id,
			 msgid_ok(ack_id) ? ack_id : (msgid_ok(first_id) ? first_id : NULL),
			 refs, out);
    sbuf_free(&missing_text);
    free(subj);
    free(sev);
    free(eta);
    free(dup);
    return (rc);
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
