/*++
/* NAME
/*	triage 3
/* SUMMARY
/*	judge a parsed report against the vulnerability reporting policy
/* SYNOPSIS
/*	#include "classify/triage.h"
/*
/*	void	triage_init(t)
/*	struct triage *t;
/*
/*	int	triage_classify(report, envelope_sender, cfg, t)
/*	const struct report *report;
/*	const char *envelope_sender;
/*	const struct sm_config *cfg;
/*	struct triage *t;
/*
/*	void	triage_set_followup(t, ticket_id)
/*	void	triage_set_ticket(t, ticket_id)
/*
/*	json_t	*triage_to_json(report, t, file)
/*	int	triage_header(t, sbuf)
/*	void	triage_free(t)
/*
/*	int	triage_find_ticket_tag(text, buf, len)
/*	int	triage_ticket_id_valid(id)
/* DESCRIPTION
/*	This is the intake desk's judgement of a message. It reads what
/*	the parser made of it and fills struct triage:
/* .IP kind
/*	automated (RFC 3834: null sender, Auto-Submitted other than "no",
/*	Precedence bulk/list/junk, list or auto-reply headers, a DSN, a
/*	robot's address such as MAILER-DAEMON or owner-*, or an auto-reply
/*	Subject); followup when the Subject carries a ticket tag; else
/*	report. An automated message with a ticket tag stays automated,
/*	but its ticket is set so the caller can record it on the ticket.
/* .IP "classes, scope, completeness, conduct, bounty_demand, severity"
/*	from the rules (rules.c: a rules file, RulesFile, or the built-in
/*	classify/default.rules), by one scan of the Subject and the text
/*	(match.c) and the decisions of decide.c and severity.c; each
/*	decision carries its evidence (the rule, the matched text, its
/*	offset), in struct triage and in the JSON under "evidence".
/*	rules NULL means the built-in rules, loaded once per process.
/* .IP flags
/*	bounty_demand, then what the parser noticed (encrypted, malformed
/*	MIME, forged X-Security-* headers, truncation, ...).
/* .PP
/*	triage_set_followup() and triage_set_ticket() let the caller, who
/*	may look in the store, correct what the Subject alone suggested.
/*	Ticket IDs that are not SEC-YYYY-NNNN are ignored.
/*
/*	triage_to_json() builds the INTERFACE.md triage object, fields in
/*	the documented order, plus "duplicate_of". Dump it with
/*	TRIAGE_JSON_DUMP_FLAGS so that scores print as 9.8, not
/*	9.8000000000000007.
/*
/*	triage_header() appends the X-Security-Triage value. Only fixed
/*	vocabulary words and validated ticket IDs reach it.
/* DIAGNOSTICS
/*	triage_classify() returns -1 with errno set when memory runs out,
/*	else 0. triage_to_json() returns NULL when memory runs out.
/*	triage_header() returns -1 when the sbuf bound was hit. Nothing
/*	here aborts on input.
/*--*/

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1			/* memmem() */
#endif

/* System library. */

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Utility library. */

#include "util/util.h"

/* Application-specific. */

#include "parser/report.h"
#include "classify/triage.h"
#include "classify/classify_private.h"

 /*
  * Limits on what one message can make us do.
  */
#define TRIAGE_MAX_SUBJECT_BYTES 4096	/* subject read for robots' titles */
#define TRIAGE_MAX_HITS		64	/* occurrences tried per title */
#define TRIAGE_JSON_STR_MAX	(64 * 1024)	/* sanitised JSON fallback */
#define TRIAGE_TICKET_MAX_DIGITS 9	/* SEC-YYYY-NNNNNNNNN */

/* ------------------------------------------------------------ tables */

const char *const triage_kind_names[] = {"report", "followup", "automated"};
const char *const triage_scope_names[] = {"in", "out", "unclear"};
const char *const triage_item_names[] = {"type", "target", "impact", "steps", "poc"};

const char *const triage_class_names[] = {
    "xss", "csrf", "sqli", "mixed_content", "mitm", "auth", "rce", "ssrf",
    "open_redirect", "xxe", "path_traversal", "info_disclosure",
    "missing_headers", "stack_trace", "content_spoofing", "dos", "other",
    NULL,
};

const char *const triage_conduct_names[] = {
    "dos", "brute_force", "spam", "others_data", "data_destruction",
    "social_engineering", "physical", "non_test_account",
    "public_disclosure", NULL,
};

static const char *const triage_severity_names[] = {
    "none", "low", "medium", "high", "critical",
};

 /*
  * RFC 3834 robots: local parts of addresses that never read a reply.
  */
static const char *const triage_robot_locals[] = {
    "mailer-daemon", "postmaster", "noreply", "no-reply", "no_reply",
    "donotreply", "do-not-reply", "do_not_reply", "bounce", "bounces",
};

static const char *const triage_auto_subjects[] = {
    "out of office", "out-of-office", "automatic reply", "auto-reply",
    "autoreply", "auto reply", "undeliverable", "undelivered mail",
    "delivery status notification", "mail delivery failed",
    "delivery failure", "failure notice", "returned mail",
    "delivery has failed", "message not delivered", "vacation reply",
    "abwesenheitsnotiz", "réponse automatique",
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* ----------------------------------------------------------- helpers */

static char *triage_fold(const char *, size_t, size_t *);
static int triage_is_word(int);
static int triage_find(const char *, size_t, const char *);
static char *triage_strip_addr(const char *);
static int triage_robot_address(const char *);
static int triage_first_token_is(const char *, const char *const *, size_t);

/* triage_fold - lower-case copy with white space runs folded to one space */

static char *triage_fold(const char *s, size_t max_bytes, size_t *out_len)
{
    size_t  len = strnlen(s, max_bytes);
    size_t  i, n = 0;
    char   *out;

    if ((out = malloc(len + 1)) == NULL)
	return (NULL);
    for (i = 0; i < len; i++) {
	unsigned char c = (unsigned char) s[i];

	/*
	 * Typographic apostrophes (U+2019) become ASCII ones, so that
	 * "users’ data" and "isn’t" match like their ASCII spelling.
	 */
	if (c == 0xe2 && i + 2 < len && (unsigned char) s[i + 1] == 0x80
	    && (unsigned char) s[i + 2] == 0x99) {
	    out[n++] = '\'';
	    i += 2;
	    continue;
	}
	if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'
	    || c == '\v') {
	    if (n > 0 && out[n - 1] != ' ')
		out[n++] = ' ';
	    continue;
	}
	out[n++] = (c < 0x80) ? (char) tolower(c) : (char) c;
    }
    out[n] = 0;
    *out_len = n;
    return (out);
}

/* triage_is_word - ASCII letter, digit or underscore */

static int triage_is_word(int c)
{
    return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	    || (c >= '0' && c <= '9') || c == '_');
}

/* triage_find - 1 when pat occurs in hay on word boundaries */

static int triage_find(const char *hay, size_t hay_len, const char *pat)
{
    size_t  pl = strlen(pat);
    const char *cp = hay, *hit, *end = hay + hay_len;
    int     tries;

    if (pl == 0 || hay_len < pl)
	return (0);
    for (tries = 0; tries < TRIAGE_MAX_HITS; tries++) {
	if ((hit = memmem(cp, (size_t) (end - cp), pat, pl)) == NULL)
	    return (0);
	cp = hit + 1;
	if (triage_is_word((unsigned char) pat[0]) && hit > hay
	    && triage_is_word((unsigned char) hit[-1]))
	    continue;
	if (triage_is_word((unsigned char) pat[pl - 1])
	    && hit + pl < end && triage_is_word((unsigned char) hit[pl]))
	    continue;
	return (1);
    }
    return (0);
}

/* triage_strip_addr - copy without white space and angle brackets */

static char *triage_strip_addr(const char *addr)
{
    const char *cp = addr;
    size_t  len;
    char   *out;

    while (*cp == ' ' || *cp == '\t' || *cp == '<')
	cp++;
    len = strnlen(cp, SM_SANITIZE_HDR_MAX);
    while (len > 0 && (cp[len - 1] == ' ' || cp[len - 1] == '\t'
		       || cp[len - 1] == '>' || cp[len - 1] == '\r'
		       || cp[len - 1] == '\n'))
	len--;
    if ((out = malloc(len + 1)) == NULL)
	return (NULL);
    memcpy(out, cp, len);
    out[len] = 0;
    return (out);
}

/* triage_robot_address - the local part is a robot's (RFC 3834, 2) */

static int triage_robot_address(const char *addr)
{
    char    local[65];
    size_t  len, i;

    if ((len = sm_addr_local(addr, local, sizeof(local))) == 0)
	return (0);
    for (i = 0; i < NELEM(triage_robot_locals); i++)
	if (strcmp(local, triage_robot_locals[i]) == 0)
	    return (1);
    if (strncmp(local, "owner-", 6) == 0)
	return (1);
    if (len > 8 && strcmp(local + len - 8, "-request") == 0)
	return (1);
    return (0);
}

/* triage_first_token_is - first word of a header value, case-insensitive */

static int triage_first_token_is(const char *value, const char *const *words,
				         size_t n)
{
    size_t  len, i;

    while (*value == ' ' || *value == '\t')
	value++;
    len = strcspn(value, " \t;,()");
    for (i = 0; i < n; i++)
	if (strlen(words[i]) == len && strncasecmp(value, words[i], len) == 0)
	    return (1);
    return (0);
}

/* triage_add - strlist_add_unique that keeps errno for the caller */

static int triage_add(struct strlist *sl, const char *s)
{
    return (strlist_add_unique(sl, s) < 0 ? -1 : 0);
}

/* ------------------------------------------------------ vocabularies */

/* triage_severity_name - "high", or NULL for unset */

const char *triage_severity_name(enum triage_severity sev)
{
    if (sev < SEV_NONE || sev > SEV_CRITICAL)
	return (NULL);
    return (triage_severity_names[sev]);
}

/* triage_severity_parse - the inverse; SEV_UNSET when unknown */

enum triage_severity triage_severity_parse(const char *s)
{
    int     i;

    if (s == NULL)
	return (SEV_UNSET);
    for (i = SEV_NONE; i <= SEV_CRITICAL; i++)
	if (strcasecmp(s, triage_severity_names[i]) == 0)
	    return ((enum triage_severity) i);
    return (SEV_UNSET);
}

/* triage_class_valid - a word of the class vocabulary */

int     triage_class_valid(const char *s)
{
    int     i;

    if (s == NULL)
	return (0);
    for (i = 0; triage_class_names[i] != NULL; i++)
	if (strcmp(s, triage_class_names[i]) == 0)
	    return (1);
    return (0);
}

/* ----------------------------------------------------------- tickets */

/* triage_ticket_id_valid - exactly "SEC-" 4 digits "-" 4..9 digits */

int     triage_ticket_id_valid(const char *id)
{
    size_t  n;

    if (id == NULL || strncmp(id, "SEC-", 4) != 0)
	return (0);
    if (strspn(id + 4, "0123456789") != 4 || id[8] != '-')
	return (0);
    n = strspn(id + 9, "0123456789");
    return (n >= 4 && n <= TRIAGE_TICKET_MAX_DIGITS && id[9 + n] == 0);
}

/* triage_tag_at - length of "SEC-YYYY-NNNN" at cp (any case), else 0 */

static size_t triage_tag_at(const char *cp)
{
    size_t  n;

    if (strncasecmp(cp, "SEC-", 4) != 0)
	return (0);
    if (strspn(cp + 4, "0123456789") != 4 || cp[8] != '-')
	return (0);
    n = strspn(cp + 9, "0123456789");
    if (n < 4 || n > TRIAGE_TICKET_MAX_DIGITS)
	return (0);
    return (9 + n);
}

/* triage_find_ticket_tag - "[SEC-YYYY-NNNN]" anywhere, or "Re: SEC-..." */

int     triage_find_ticket_tag(const char *text, char *buf, size_t len)
{
    const char *cp;
    size_t  n, scanned;

    if (text == NULL || buf == NULL || len < 32)
	return (0);

    /*
     * The bracketed tag that secmilter writes, anywhere in the text.
     */
    for (cp = text, scanned = 0; (cp = strchr(cp, '[')) != NULL
	 && scanned < TRIAGE_MAX_SUBJECT_BYTES; cp++, scanned++) {
	if ((n = triage_tag_at(cp + 1)) != 0 && cp[1 + n] == ']') {
	    memcpy(buf, cp + 1, n);
	    buf[n] = 0;
	    memcpy(buf, "SEC", 3);
	    return (1);
	}
    }

    /*
     * A client that dropped the brackets: "Re: SEC-2026-0042 ...".
     */
    cp = text;
    for (scanned = 0; scanned < 8; scanned++) {
	while (*cp == ' ' || *cp == '\t')
	    cp++;
	if (strncasecmp(cp, "re:", 3) == 0 || strncasecmp(cp, "aw:", 3) == 0
	    || strncasecmp(cp, "sv:", 3) == 0)
	    cp += 3;
	else if (strncasecmp(cp, "fwd:", 4) == 0)
	    cp += 4;
	else if (strncasecmp(cp, "fw:", 3) == 0)
	    cp += 3;
	else
	    break;
    }
    if (cp != text && (n = triage_tag_at(cp)) != 0
	&& !triage_is_word((unsigned char) cp[n]) && cp[n] != '-') {
	memcpy(buf, cp, n);
	buf[n] = 0;
	memcpy(buf, "SEC", 3);
	return (1);
    }
    return (0);
}

/* --------------------------------------------------------- lifecycle */

/* triage_init - an empty triage: report, unclear, severity unset */

void    triage_init(struct triage *t)
{
    memset(t, 0, sizeof(*t));
    t->kind = TRIAGE_REPORT;
    t->scope = SCOPE_UNCLEAR;
    t->severity = SEV_UNSET;
}

/* triage_free - release what a triage holds; it is then empty */

void    triage_free(struct triage *t)
{
    if (t == NULL)
	return;
    free(t->ticket);
    strlist_free(&t->classes);
    strlist_free(&t->scope_reasons);
    strlist_free(&t->conduct);
    strlist_free(&t->flags);
    free(t->duplicate_of);
    free(t->sender);
    for (size_t i = 0; i < t->n_evidence; i++) {
	free(t->evidence[i].key);
	free(t->evidence[i].rule);
	free(t->evidence[i].match);
    }
    free(t->evidence);
    free(t->severity_rule);
    triage_init(t);
}

/* triage_set_ticket - the ticket this message opened or joined */

void    triage_set_ticket(struct triage *t, const char *ticket_id)
{
    char   *copy;

    if (!triage_ticket_id_valid(ticket_id) || (copy = strdup(ticket_id)) == NULL)
	return;
    free(t->ticket);
    t->ticket = copy;
}

/* triage_set_followup - the caller knows this joins an existing ticket */

void    triage_set_followup(struct triage *t, const char *ticket_id)
{
    if (!triage_ticket_id_valid(ticket_id))
	return;
    triage_set_ticket(t, ticket_id);

    /*
     * Automated mail on a ticket is recorded there but stays automated;
     * nobody acknowledges a follow-up.
     */
    if (t->kind != TRIAGE_AUTOMATED)
	t->kind = TRIAGE_FOLLOWUP;
    t->acknowledge = 0;
}

/* ------------------------------------------------------------ steps */

/* triage_automated - RFC 3834 automated mail */

static int triage_automated(const struct report *r, const char *sender,
			            int sender_known)
{
    static const char *const bulk[] = {"bulk", "list", "junk"};
    static const char *const no[] = {"no"};
    size_t  i;

    /*
     * The null sender is how bounces and most auto-replies arrive.
     */
    if (sender_known && sender[0] == 0)
	return (1);
    if (r->auto_submitted != NULL
	&& !triage_first_token_is(r->auto_submitted, no, NELEM(no)))
	return (1);
    if (r->precedence != NULL && triage_first_token_is(r->precedence, bulk, NELEM(bulk)))
	return (1);
    if (r->has_list_headers || r->has_autoreply_headers || (r->flags & REPORT_F_DSN))
	return (1);
    if ((sender != NULL && triage_robot_address(sender))
	|| triage_robot_address(r->from_addr))
	return (1);

    /*
     * Robots that send no header still title their mail alike.
     */
    if (r->subject != NULL) {
	char   *folded;
	size_t  len;
	int     hit = 0;

	if ((folded = triage_fold(r->subject, TRIAGE_MAX_SUBJECT_BYTES, &len)) == NULL)
	    return (0);
	for (i = 0; i < NELEM(triage_auto_subjects) && !hit; i++)
	    hit = triage_find(folded, len, triage_auto_subjects[i]);
	free(folded);
	if (hit)
	    return (1);
    }
    return (0);
}

/* triage_default_rules - the built-in rules, loaded once per process */

static struct triage_rules *triage_builtin;
static pthread_once_t triage_builtin_once = PTHREAD_ONCE_INIT;

static void triage_builtin_load(void)
{
    char    err[512];

    /*
     * The built-in rules are part of the program: tests load them, so
     * failing here means the build is broken.
     */
    if ((triage_builtin = triage_rules_load(NULL, err, sizeof(err))) == NULL)
	sm_log(LOG_ERR, NULL, "built-in classifier rules: %s", err);
}

/* triage_builtin_rules - the built-in rules, loaded now if not yet */

const struct triage_rules *triage_builtin_rules(void)
{
    (void) pthread_once(&triage_builtin_once, triage_builtin_load);
    return (triage_builtin);
}

/* triage_classify - judge one report */

int     triage_classify(const struct triage_rules *rules, const struct report *r,
			        const char *envelope_sender,
			        const struct sm_config *cfg, struct triage *t)
{
    const char *sender_src;
    int     sender_known;
    char    tag[32];

    /*
     * Start empty: t must have been initialised by triage_init().
     */
    triage_free(t);
    if (rules == NULL) {
	if ((rules = triage_builtin_rules()) == NULL) {
	    errno = EINVAL;
	    return (-1);
	}
    }

    /*
     * The sender that an acknowledgement would go to: the envelope
     * sender when the caller knows it ("" is the null sender), else
     * Return-Path, else From.
     */
    sender_known = envelope_sender != NULL;
    sender_src = envelope_sender ? envelope_sender
	: r->return_path ? r->return_path : r->from_addr;
    if (sender_src != NULL && (t->sender = triage_strip_addr(sender_src)) == NULL)
	return (-1);
    if (!sender_known && t->sender != NULL && r->return_path != NULL
	&& t->sender[0] == 0)
	sender_known = 1;		/* Return-Path: <> */

    /*
     * Kind: automated, follow-up by Subject tag, or report.
     */
    if (triage_automated(r, t->sender ? t->sender : "", sender_known))
	t->kind = TRIAGE_AUTOMATED;
    if (r->subject != NULL && triage_find_ticket_tag(r->subject, tag, sizeof(tag))) {
	triage_set_ticket(t, tag);
	if (t->kind != TRIAGE_AUTOMATED)
	    t->kind = TRIAGE_FOLLOWUP;
    }

    /*
     * Classes, scope, completeness, conduct, bounty demand, severity,
     * each with its evidence: one scan with the rules (decide.c).
     */
    if (classify_decide(rules, r, cfg, t) < 0)
	return (-1);

    /*
     * Flags: what the parser noticed, after the bounty demand.
     */
    if (((r->flags & REPORT_F_ENCRYPTED) && triage_add(&t->flags, "encrypted") < 0)
	|| ((r->flags & REPORT_F_MALFORMED) && triage_add(&t->flags, "malformed_mime") < 0)
	|| (r->spoofed_headers > 0 && triage_add(&t->flags, "spoofed_headers") < 0)
	|| ((r->flags & REPORT_F_OVERSIZE) && triage_add(&t->flags, "oversize") < 0)
	|| ((r->flags & REPORT_F_TIMEOUT) && triage_add(&t->flags, "triage_timeout") < 0)
	|| ((r->flags & REPORT_F_ZIP_BOMB) && triage_add(&t->flags, "zip_bomb") < 0)
	|| ((r->flags & REPORT_F_TYPE_MISMATCH) && triage_add(&t->flags, "type_mismatch") < 0)
	|| ((r->flags & REPORT_F_FORWARDED) && triage_add(&t->flags, "forwarded") < 0)
	|| ((r->flags & REPORT_F_SIGNED) && triage_add(&t->flags, "signed") < 0))
	return (-1);

    /*
     * Acknowledge a report from somebody who can read the reply.
     */
    t->acknowledge = t->kind == TRIAGE_REPORT && t->sender != NULL
	&& t->sender[0] != 0 && strchr(t->sender, '@') != NULL
	&& !triage_robot_address(t->sender);
    return (0);
}

/* ------------------------------------------------------------- JSON */

/* triage_json_str - a JSON string, sanitised if jansson refuses it */

static json_t *triage_json_str(const char *s)
{
    json_t *j;
    char   *clean;

    if (s == NULL)
	return (json_null());
    if ((j = json_string(s)) != NULL)
	return (j);

    /*
     * Not valid UTF-8 after all: the sanitiser replaces what is bad.
     */
    if ((clean = sm_sanitize_str(s, TRIAGE_JSON_STR_MAX)) == NULL)
	return (NULL);
    j = json_string(clean);
    free(clean);
    return (j ? j : json_string(""));
}

/* triage_json_list - a JSON array of strings */

static json_t *triage_json_list(const struct strlist *sl)
{
    json_t *a, *s;
    size_t  i;

    if ((a = json_array()) == NULL)
	return (NULL);
    for (i = 0; i < sl->n; i++) {
	if ((s = triage_json_str(sl->v[i])) == NULL || json_array_append_new(a, s) < 0) {
	    json_decref(a);
	    return (NULL);
	}
    }
    return (a);
}

/* triage_json_set - json_object_set_new() that tracks failure */

static void triage_json_set(json_t *o, const char *key, json_t *val, int *failed)
{
    if (val == NULL || json_object_set_new(o, key, val) < 0)
	*failed = 1;
}

/* triage_json_mailbox - {"name", "address"}, nulls when absent */

static json_t *triage_json_mailbox(const char *name, const char *addr)
{
    json_t *o = json_object();
    int     failed = 0;

    if (o == NULL)
	return (NULL);
    triage_json_set(o, "name", triage_json_str(name), &failed);
    triage_json_set(o, "address", triage_json_str(addr), &failed);
    if (failed) {
	json_decref(o);
	return (NULL);
    }
    return (o);
}

/* triage_json_zip - an archive listing, or null */

static json_t *triage_json_zip(const struct report_zip *z)
{
    json_t *o, *members, *m;
    int     failed = 0;

    if (z == NULL)
	return (json_null());
    if ((o = json_object()) == NULL || (members = json_array()) == NULL) {
	json_decref(o);
	return (NULL);
    }
    for (size_t i = 0; i < z->n_members; i++) {
	m = json_object();
	triage_json_set(m, "name", triage_json_str(z->members[i].name), &failed);
	triage_json_set(m, "size", json_integer((json_int_t) z->members[i].size), &failed);
	if (m == NULL || json_array_append_new(members, m) < 0)
	    failed = 1;
    }
    triage_json_set(o, "entries", json_integer(z->entries), &failed);
    triage_json_set(o, "uncompressed", json_integer((json_int_t) z->uncompressed), &failed);
    triage_json_set(o, "compressed", json_integer((json_int_t) z->compressed), &failed);
    triage_json_set(o, "bomb", json_boolean(z->bomb), &failed);
    triage_json_set(o, "encrypted", json_boolean(z->encrypted), &failed);
    triage_json_set(o, "members", members, &failed);
    if (failed) {
	json_decref(o);
	return (NULL);
    }
    return (o);
}

/* triage_json_ev - one evidence entry: {"rule", "match", "offset"} */

static json_t *triage_json_ev(const struct triage_evidence *ev, int with_reason)
{
    json_t *o = json_object();
    int     failed = 0;

    if (o == NULL)
	return (NULL);
    if (with_reason)
	triage_json_set(o, "reason", triage_json_str(ev->key), &failed);
    triage_json_set(o, "rule", triage_json_str(ev->rule), &failed);
    triage_json_set(o, "match", triage_json_str(ev->match), &failed);
    triage_json_set(o, "offset", ev->offset >= 0 ? json_integer((json_int_t) ev->offset)
		    : ev->offset == TRIAGE_EV_SUBJECT ? json_string("subject")
		    : json_null(), &failed);
    if (failed) {
	json_decref(o);
	return (NULL);
    }
    return (o);
}

/* triage_json_evidence - "evidence": why each decision was taken */

static json_t *triage_json_evidence(const struct triage *t)
{
    static const char *const section_names[] = {
	[EV_CLASS] = "classes", [EV_ITEM] = "completeness", [EV_SCOPE] = "scope",
	[EV_CONDUCT] = "conduct", [EV_FLAG] = "flags", [EV_SEVERITY] = "severity",
    };
    json_t *o, *sec, *list, *sev, *matches;
    size_t  i;
    int     failed = 0;

    if ((o = json_object()) == NULL)
	return (NULL);
    triage_json_set(o, "classes", json_object(), &failed);
    triage_json_set(o, "completeness", json_object(), &failed);
    triage_json_set(o, "scope", json_array(), &failed);
    triage_json_set(o, "conduct", json_object(), &failed);
    triage_json_set(o, "flags", json_object(), &failed);
    sev = json_object();
    matches = json_array();
    triage_json_set(sev, "rule", triage_json_str(t->severity_rule), &failed);
    triage_json_set(sev, "basis", triage_json_str(t->severity_basis), &failed);
    triage_json_set(sev, "matches", matches, &failed);
    triage_json_set(o, "severity", sev, &failed);
    if (failed) {
	json_decref(o);
	return (NULL);
    }

    /*
     * Grouped by decision: {"classes": {"xss": [...]}, "scope": [...],
     * "severity": {"rule", "basis", "matches": [...]}}.
     */
    for (i = 0; i < t->n_evidence; i++) {
	const struct triage_evidence *ev = &t->evidence[i];
	json_t *e;

	if ((unsigned) ev->section > EV_SEVERITY)
	    continue;
	if ((e = triage_json_ev(ev, ev->section == EV_SCOPE)) == NULL) {
	    failed = 1;
	    break;
	}
	sec = json_object_get(o, section_names[ev->section]);
	if (ev->section == EV_SCOPE) {
	    list = sec;
	} else if (ev->section == EV_SEVERITY) {
	    list = matches;
	    triage_json_set(e, "direction", triage_json_str(ev->key), &failed);
	} else if ((list = json_object_get(sec, ev->key)) == NULL) {
	    list = json_array();
	    triage_json_set(sec, ev->key, list, &failed);
	}
	if (list == NULL || json_array_append_new(list, e) < 0)
	    failed = 1;
    }
    if (failed) {
	json_decref(o);
	return (NULL);
    }
    return (o);
}

/* triage_to_json - the INTERFACE.md triage object, and our extra fields */

json_t *triage_to_json(const struct report *r, const struct triage *t,
		               const char *file)
{
    json_t *o, *comp, *missing, *cvss, *atts, *att;
    const char *sev;
    size_t  i;
    int     failed = 0;

    if ((o = json_object()) == NULL)
	return (NULL);

    /*
     * Fields in the documented order; jansson keeps insertion order.
     */
    triage_json_set(o, "file", triage_json_str(file), &failed);
    triage_json_set(o, "message_id", triage_json_str(r->message_id), &failed);
    triage_json_set(o, "from", triage_json_str(r->from_addr), &failed);
    triage_json_set(o, "subject", triage_json_str(r->subject), &failed);
    triage_json_set(o, "kind", json_string(triage_kind_names[t->kind]), &failed);
    triage_json_set(o, "ticket", triage_json_str(t->ticket), &failed);
    triage_json_set(o, "classes", triage_json_list(&t->classes), &failed);
    triage_json_set(o, "scope", json_string(triage_scope_names[t->scope]), &failed);
    triage_json_set(o, "scope_reasons", triage_json_list(&t->scope_reasons), &failed);

    /*
     * The five items, and the missing ones in the same order.
     */
    comp = json_object();
    missing = json_array();
    for (i = 0; comp != NULL && missing != NULL && i < ITEM_COUNT; i++) {
	triage_json_set(comp, triage_item_names[i], json_boolean(t->complete[i]), &failed);
	if (!t->complete[i]
	    && json_array_append_new(missing, json_string(triage_item_names[i])) < 0)
	    failed = 1;
    }
    triage_json_set(o, "completeness", comp, &failed);
    triage_json_set(o, "missing", missing, &failed);
    triage_json_set(o, "conduct", triage_json_list(&t->conduct), &failed);
    triage_json_set(o, "flags", triage_json_list(&t->flags), &failed);
    sev = triage_severity_name(t->severity);
    triage_json_set(o, "severity", sev ? json_string(sev) : json_null(), &failed);

    /*
     * The CVSS vector that gave the severity, score with one decimal.
     */
    if (t->has_cvss) {
	cvss = json_object();
	if (cvss != NULL) {
	    triage_json_set(cvss, "version", json_string(t->cvss.version), &failed);
	    triage_json_set(cvss, "vector", json_string(t->cvss.vector), &failed);
	    triage_json_set(cvss, "score",
			    json_real((double) (long) (t->cvss.score * 10 + 0.5) / 10),
			    &failed);
	    sev = triage_severity_name(t->cvss.severity);
	    triage_json_set(cvss, "severity", sev ? json_string(sev) : json_null(), &failed);
	}
    } else {
	cvss = json_null();
    }
    triage_json_set(o, "cvss", cvss, &failed);
    triage_json_set(o, "urls", triage_json_list(&r->urls), &failed);
    triage_json_set(o, "cves", triage_json_list(&r->cves), &failed);

    atts = json_array();
    for (i = 0; atts != NULL && i < r->n_attachments; i++) {
	const struct report_attachment *a = &r->attachments[i];

	if ((att = json_object()) == NULL) {
	    failed = 1;
	    break;
	}
	triage_json_set(att, "filename", triage_json_str(a->filename ? a->filename : ""), &failed);
	triage_json_set(att, "content_type", triage_json_str(a->content_type), &failed);
	triage_json_set(att, "size", json_integer((json_int_t) a->size), &failed);
	triage_json_set(att, "sha256", triage_json_str(a->sha256), &failed);
	triage_json_set(att, "sniffed_type", triage_json_str(a->sniffed_type), &failed);
	triage_json_set(att, "type_mismatch", json_boolean(a->type_mismatch), &failed);
	triage_json_set(att, "stored", triage_json_str(a->stored), &failed);
	triage_json_set(att, "zip", triage_json_zip(a->zip), &failed);
	if (json_array_append_new(atts, att) < 0)
	    failed = 1;
    }
    triage_json_set(o, "attachments", atts, &failed);
    triage_json_set(o, "acknowledge", json_boolean(t->acknowledge), &failed);

    /*
     * Extra fields: the suspected duplicate, if the caller found one, and
     * what the parser extracted (the evidence classify/ reads).
     */
    triage_json_set(o, "duplicate_of", triage_json_str(t->duplicate_of), &failed);
    triage_json_set(o, "duplicate", triage_duplicate_json(t), &failed);
    triage_json_set(o, "reporter", triage_json_mailbox(r->from_name, r->from_addr), &failed);
    triage_json_set(o, "forwarded_by", r->forwarded_by.addr || r->forwarded_by.name
		    ? triage_json_mailbox(r->forwarded_by.name, r->forwarded_by.addr)
		    : json_null(), &failed);
    triage_json_set(o, "hosts", triage_json_list(&r->hosts), &failed);
    triage_json_set(o, "cwes", triage_json_list(&r->cwes), &failed);
    triage_json_set(o, "ghsas", triage_json_list(&r->ghsas), &failed);
    triage_json_set(o, "cvss_vectors", triage_json_list(&r->cvss_vectors), &failed);
    triage_json_set(o, "versions", triage_json_list(&r->versions), &failed);
    triage_json_set(o, "extracted", json_pack("{s:i, s:i, s:i, s:o, s:o}",
					    "http_requests", (int) r->http_requests,
					    "http_responses", (int) r->http_responses,
					    "code_blocks", (int) r->code_blocks,
					    "payloads", triage_json_list(&r->payloads),
					    "curl_commands", triage_json_list(&r->curl_commands)),
		    &failed);
    triage_json_set(o, "evidence", triage_json_evidence(t), &failed);

    if (failed) {
	json_decref(o);
	return (NULL);
    }
    return (o);
}

/* ----------------------------------------------------------- header */

/* triage_header_word - a vocabulary word: lower case, digits, '_', '-' */

static int triage_header_word(const char *w)
{
    return (w != NULL && w[0] != 0 && strlen(w) < 64
	    && strspn(w, "abcdefghijklmnopqrstuvwxyz0123456789_-") == strlen(w));
}

/* triage_header_list - "a,b" or "none"; words that fail the check are left out */

static void triage_header_list(struct sbuf *sb, const struct strlist *sl)
{
    size_t  i;
    int     n = 0;

    for (i = 0; i < sl->n; i++) {
	if (!triage_header_word(sl->v[i]))
	    continue;
	(void) sbuf_printf(sb, "%s%s", n++ ? "," : "", sl->v[i]);
    }
    if (n == 0)
	(void) sbuf_puts(sb, "none");
}

/* triage_header - append the X-Security-Triage value */

int     triage_header(const struct triage *t, struct sbuf *sb)
{
    const char *sev;
    size_t  i;
    int     n, flags;

    /*
     * Automated mail gets the kind and nothing else.
     */
    if (t->kind == TRIAGE_AUTOMATED) {
	(void) sbuf_puts(sb, "kind=automated");
	return (sb->truncated ? -1 : 0);
    }

    /*
     * kind, class, scope, severity, missing, conduct: always there.
     */
    (void) sbuf_printf(sb, "kind=%s; class=", triage_kind_names[t->kind]);
    (void) sbuf_puts(sb, t->classes.n > 0 && triage_header_word(t->classes.v[0]) ?
		     t->classes.v[0] : "none");
    sev = triage_severity_name(t->severity);
    (void) sbuf_printf(sb, "; scope=%s; severity=%s; missing=",
		       triage_scope_names[t->scope], sev ? sev : "unknown");
    for (n = 0, i = 0; i < ITEM_COUNT; i++)
	if (!t->complete[i])
	    (void) sbuf_printf(sb, "%s%s", n++ ? "," : "", triage_item_names[i]);
    if (n == 0)
	(void) sbuf_puts(sb, "none");
    (void) sbuf_puts(sb, "; conduct=");
    triage_header_list(sb, &t->conduct);

    /*
     * flags only when there are some; duplicate-of only when valid.
     */
    for (flags = 0, i = 0; i < t->flags.n; i++)
	flags += triage_header_word(t->flags.v[i]);
    if (flags > 0) {
	(void) sbuf_puts(sb, "; flags=");
	triage_header_list(sb, &t->flags);
    }
    if (t->duplicate_of != NULL && triage_ticket_id_valid(t->duplicate_of))
	(void) sbuf_printf(sb, "; duplicate-of=%s", t->duplicate_of);
    return (sb->truncated ? -1 : 0);
}
