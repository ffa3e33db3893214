/*++
/* NAME
/*	decide 3
/* SUMMARY
/*	classes, scope, completeness, conduct, bounty demand and severity, with evidence
/* SYNOPSIS
/*	#include "classify/classify_private.h"
/*
/*	int	classify_decide(rules, report, cfg, t)
/*	const struct triage_rules *rules;
/*	const struct report *report;
/*	const struct sm_config *cfg;
/*	struct triage *t;
/* DESCRIPTION
/*	classify_decide() scans the Subject and the text once with the
/*	rules (match.c) and takes every decision of the triage from the
/*	tallies, each with its evidence (struct triage_evidence: the rule,
/*	the matched text, its offset):
/* .IP classes
/*	every class whose score reaches class_min, best first (ties in
/*	vocabulary order); "other" only when none does and the message is
/*	still security-relevant (other words reach other_min, or it names
/*	a CVE ID or a CVSS vector). A class only named (rules of weight
/*	DECIDE_NAME_WEIGHT and up) beside a 500 error or stack trace that
/*	reaches class_min yields to stack_trace: "it gives 500, so it is
/*	SQL injection" shows an exposed 500.
/* .IP scope
/*	out for the policy's exclusions: HTTP headers (missing_headers),
/*	stack traces and 500 errors (stack_trace) as the top class, and
/*	content spoofing (top class) by an administrative user; out when
/*	every asset URL is outside InScopeDomains or a third-party service,
/*	or when the report is about a third-party service and names no
/*	asset of ours; in for the policy's listed classes, and for any
/*	report whose class or wording says user data is read or changed;
/*	else unclear. Each reason names the policy item.
/*	A URL given as a value (inside a payload, after '=', as an
/*	argument, where a redirect leads) is the attacker's, not an asset;
/*	a host of InScopeDomains named without a URL, or the brand before
/*	a product version, names an asset of ours. An asset named only by
/*	a public IP address is unclear. With no asset named, a described
/*	flaw (impact, steps or proof) or a follow-up is in: all CallHub
/*	products are; a bare claim ("I found an XSS") is unclear.
/* .IP completeness
/*	type (a class other than "other"), target (an asset URL, a
/*	product version, an in-scope host name, or target rules), impact,
/*	steps (rules; an HTTP request shown adds one, short of the minimum
/*	alone) and poc (rules, the parser's payloads, curl commands,
/*	HTTP requests, code blocks, or an attachment).
/* .IP "conduct, bounty_demand"
/*	the conduct and flag rules that reach their minimum.
/* .IP severity
/*	the highest valid CVSS vector, else severity.c's estimate.
/* .PP
/*	Reference hosts (OWASP, MITRE, video hosts, payload catchers) and
/*	IP literals are never assets. A host in InScopeDomains is ours
/*	whatever the host lists of the rules say.
/* DIAGNOSTICS
/*	-1 with errno set when memory runs out or the scan fails.
/*--*/

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1			/* memmem() */
#endif

/* System library. */

#include <errno.h>
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
#define DECIDE_MAX_SCAN_BYTES	(1024 * 1024)	/* text scanned */
#define DECIDE_MAX_SUBJECT_BYTES 4096	/* Subject scanned */
#define DECIDE_MAX_URLS		200	/* URLs looked at */
#define DECIDE_MAX_HOST_LEN	253	/* a DNS name */
#define DECIDE_MAX_HOST_REASONS	3	/* hosts named in scope_reasons */
#define DECIDE_MAX_VECTORS	20	/* CVSS vectors scored */
#define DECIDE_MAX_EVIDENCE	256	/* evidence entries per message */
#define DECIDE_REASON_MAX	512
#define DECIDE_STEPS_REQUEST	1	/* steps weight of an HTTP request shown */
#define DECIDE_MAX_MENTIONS	64	/* host names looked at, per domain */
#define DECIDE_MAX_VERSIONS	20	/* product versions looked at */
#define DECIDE_BRAND_WINDOW	40	/* bytes before a version for the brand */
#define DECIDE_NAME_WEIGHT	3	/* class rules this heavy name the class */

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

 /*
  * The policy's own words, by class: the in-scope examples (numbered as
  * in the policy) and the three exclusions.
  */
static const char *const decide_listed_reason[C_COUNT] = {
    [C_XSS] = "policy scope, example 1: XSS (cross-site scripting) is in scope",
    [C_CSRF] = "policy scope, example 2: CSRF (cross-site request forgery) is in scope",
    [C_SQLI] = "policy scope, example 3: SQL injection is in scope",
    [C_MIXED] = "policy scope, example 4: mixed-content scripts are in scope",
    [C_MITM] = "policy scope, example 5: MITM (man-in-the-middle) attacks are in scope",
    [C_AUTH] = "policy scope, example 6: authentication or authorization flaws are in scope",
    [C_RCE] = "policy scope, example 7: SSI and server-side code execution bugs are in scope",
};

static const char *const decide_data_classes_reason =
"policy scope: an issue that substantially affects the confidentiality "
"or integrity of user data is covered";

static const char *const decide_exclusion_reason[C_COUNT] = {
    [C_HEADERS] = "policy exclusion 1: presence or absence of HTTP headers "
    "(X-Frame-Options, nosniff, etc.) is not considered a vulnerability",
    [C_STACK] = "policy exclusion 2: exposed stack traces or 500 errors are "
    "not considered a vulnerability",
    [C_SPOOF] = "policy exclusion 3: content spoofing by administrative users "
    "is not considered a vulnerability",
};

/* What one decision run carries between its steps. */
struct decide {
    const struct triage_rules *r;
    const struct report *rep;
    const struct sm_config *cfg;
    struct triage *t;
    struct classify_scan scan;
    const char *text;
    size_t  text_len;
    int     top;
    int     asset_urls;			/* URLs of assets, IP literals too */
    int     n_assets;			/* asset hosts (no IP literal) */
    int     n_ours;			/* of which the program's */
    int     n_public_ips;		/* asset URLs on public IP literals */
    int     excluded;			/* out by a policy exclusion */
    const char *first_asset_url;
};

/* ---------------------------------------------------------- evidence */

/* decide_ev_count - entries of one decision so far */

static size_t decide_ev_count(const struct triage *t, enum triage_ev_section sec,
			              const char *key)
{
    size_t  i, n = 0;

    for (i = 0; i < t->n_evidence; i++)
	if (t->evidence[i].section == sec && strcmp(t->evidence[i].key, key) == 0)
	    n++;
    return (n);
}

/* decide_ev_add - append one entry; takes rule and match (may be NULL) */

static int decide_ev_add(struct triage *t, enum triage_ev_section sec,
			         const char *key, char *rule, char *match, long offset)
{
    struct triage_evidence *ev, *nv;

    if (t->n_evidence >= DECIDE_MAX_EVIDENCE
	|| decide_ev_count(t, sec, key) >= TRIAGE_EVIDENCE_MAX) {
	free(rule);
	free(match);
	return (0);
    }
    if ((nv = realloc(t->evidence, (t->n_evidence + 1) * sizeof(*nv))) == NULL) {
	free(rule);
	free(match);
	return (-1);
    }
    t->evidence = nv;
    ev = &t->evidence[t->n_evidence];
    if ((ev->key = strdup(key)) == NULL) {
	free(rule);
	free(match);
	return (-1);
    }
    ev->section = sec;
    ev->rule = rule;
    ev->match = match;
    ev->offset = offset;
    t->n_evidence++;
    return (0);
}

/* decide_ev_hit - a scan hit as evidence */

static int decide_ev_hit(struct decide *d, enum triage_ev_section sec,
			         const char *key, unsigned hit)
{
    const struct classify_hit *h = &d->scan.hits[hit];
    const char *buf = h->subject ? d->scan.subject : d->text;
    size_t  len = h->subject ? d->scan.subject_len : d->text_len;
    char   *rule, *match;

    rule = classify_rule_id(d->r, h->rule);
    match = classify_snippet(buf, len, h->start, h->end);
    if (rule == NULL || match == NULL) {
	free(rule);
	free(match);
	return (-1);
    }
    return (decide_ev_add(d->t, sec, key, rule, match,
			  h->subject ? TRIAGE_EV_SUBJECT : (long) h->start));
}

/* decide_ev_tally - the evidence of a tally */

static int decide_ev_tally(struct decide *d, enum triage_ev_section sec,
			           const char *key, const struct classify_tally *tl)
{
    const struct classify_hit *h, *o;
    unsigned i, j;

    /*
     * Two rules on the same words ("stored XSS", "xss") make one piece
     * of evidence, not two.
     */
    for (i = 0; i < tl->n_ev; i++) {
	h = &d->scan.hits[tl->ev[i]];
	for (j = 0; j < i; j++) {
	    o = &d->scan.hits[tl->ev[j]];
	    if (o->subject == h->subject && o->start < h->end && h->start < o->end)
		break;
	}
	if (j < i)
	    continue;
	if (decide_ev_hit(d, sec, key, tl->ev[i]) < 0)
	    return (-1);
    }
    return (0);
}

/* decide_ev_string - a string of the report (URL, payload) as evidence */

static int decide_ev_string(struct decide *d, enum triage_ev_section sec,
			            const char *key, const char *rule, const char *s)
{
    const char *hit;
    size_t  len = strnlen(s, DECIDE_MAX_SCAN_BYTES);
    char   *r, *m;
    long    off = TRIAGE_EV_NONE;

    if (decide_ev_count(d->t, sec, key) >= TRIAGE_EVIDENCE_MAX)
	return (0);
    if (len > 0 && (hit = memmem(d->text, d->text_len, s, len)) != NULL) {
	off = (long) (hit - d->text);
	m = classify_snippet(d->text, d->text_len, (size_t) off, (size_t) off + len);
    } else {
	m = sm_sanitize(s, len, TRIAGE_EVIDENCE_MATCH_MAX);
    }
    r = strdup(rule);
    if (r == NULL || m == NULL) {
	free(r);
	free(m);
	return (-1);
    }
    return (decide_ev_add(d->t, sec, key, r, m, off));
}

/* ----------------------------------------------------------- hosts */

/* decide_host_matches - host is one of the domains or below one */

static int decide_host_matches(const char *host, const struct strlist *list)
{
    size_t  hl = strlen(host), dl, i;

    for (i = 0; i < list->n; i++) {
	dl = strlen(list->v[i]);
	if (hl == dl && strcmp(host, list->v[i]) == 0)
	    return (1);
	if (hl > dl && host[hl - dl - 1] == '.'
	    && strcmp(host + hl - dl, list->v[i]) == 0)
	    return (1);
    }
    return (0);
}

/* decide_url_host - lower-case host of "scheme://[user@]host[:port]/..." */

static char *decide_url_host(const char *url)
{
    const char *cp, *end, *at;
    size_t  len, i;
    char   *host;

    if ((cp = strstr(url, "://")) == NULL)
	return (NULL);
    cp += 3;
    end = cp + strcspn(cp, "/?#");
    while ((at = memchr(cp, '@', (size_t) (end - cp))) != NULL)
	cp = at + 1;
    if (*cp == '[') {
	const char *rb = memchr(cp, ']', (size_t) (end - cp));

	if (rb != NULL)
	    end = rb + 1;
    } else {
	const char *colon = memchr(cp, ':', (size_t) (end - cp));

	if (colon != NULL)
	    end = colon;
    }
    len = (size_t) (end - cp);
    while (len > 0 && cp[len - 1] == '.')
	len--;
    if (len == 0 || len > DECIDE_MAX_HOST_LEN || (host = malloc(len + 1)) == NULL)
	return (NULL);
    for (i = 0; i < len; i++)
	host[i] = (char) tolower_ascii((unsigned char) cp[i]);
    host[len] = 0;
    return (host);
}

/* decide_is_ip_literal - dotted quad or bracketed IPv6 */

static int decide_is_ip_literal(const char *host)
{
    return (host[0] == '[' || strspn(host, "0123456789.") == strlen(host));
}

/* decide_is_private_ip - loopback, link-local, RFC 1918: never a public asset */

static int decide_is_private_ip(const char *host)
{
    unsigned a = 0, b = 0;

    if (host[0] == '[')
	return (strncmp(host, "[::1]", 5) == 0 || strncasecmp(host, "[fe80:", 6) == 0
		|| strncasecmp(host, "[fc", 3) == 0 || strncasecmp(host, "[fd", 3) == 0);
    if (sscanf(host, "%u.%u", &a, &b) != 2)
	return (1);
    return (a == 10 || a == 127 || a == 0 || (a == 169 && b == 254)
	    || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168));
}

/* decide_is_host_char - a byte of a DNS name */

static int decide_is_host_char(int c)
{
    return (isalnum_ascii(c) || c == '-' || c == '.');
}

/* decide_find_nocase - bounded case-insensitive search, NULL when absent */

static const char *decide_find_nocase(const char *buf, size_t len, const char *s,
				              size_t slen)
{
    size_t  i;
    int     c0;

    if (slen == 0 || slen > len)
	return (NULL);
    c0 = tolower_ascii((unsigned char) s[0]);
    for (i = 0; i + slen <= len; i++)
	if (tolower_ascii((unsigned char) buf[i]) == c0 && strncasecmp(buf + i, s, slen) == 0)
	    return (buf + i);
    return (NULL);
}

/* decide_names_our_host - a host name of InScopeDomains, not a mail address */

static int decide_names_our_host(const struct sm_config *cfg, const char *buf,
				         size_t len)
{
    const char *dom, *hit, *cp;
    size_t  i, dl, from, to, n;
    char    host[DECIDE_MAX_HOST_LEN + 1];

    /*
     * "Asset: app.callhub.io" names an asset as surely as a URL does;
     * "security@callhub.io" and "callhub.io.attacker.example" do not.
     */
    for (i = 0; i < cfg->in_scope_domains.n; i++) {
	dom = cfg->in_scope_domains.v[i];
	if (dom[0] == '*' && dom[1] == '.')
	    dom += 2;
	if ((dl = strlen(dom)) < 4)
	    continue;
	for (cp = buf, n = 0; n < DECIDE_MAX_MENTIONS
	     && (hit = decide_find_nocase(cp, len - (size_t) (cp - buf), dom, dl)) != NULL;
	     n++, cp = hit + dl) {
	    from = (size_t) (hit - buf);
	    to = from + dl;
	    while (from > 0 && decide_is_host_char((unsigned char) buf[from - 1]))
		from--;
	    while (to < len && decide_is_host_char((unsigned char) buf[to]))
		to++;
	    while (to > from && buf[to - 1] == '.')
		to--;			/* the end of a sentence */
	    if ((from > 0 && buf[from - 1] == '@') || to - from > DECIDE_MAX_HOST_LEN)
		continue;
	    memcpy(host, buf + from, to - from);
	    host[to - from] = 0;
	    if (sm_config_host_in_scope(cfg, host) == 1)
		return (1);
	}
    }
    return (0);
}

/* decide_names_our_product - the brand of InScopeDomains before a version */

static int decide_names_our_product(const struct sm_config *cfg, const struct report *rep,
				            const char *text, size_t text_len)
{
    const char *dom, *dot, *hit, *buf, *line, *nl;
    char    brand[64];
    size_t  i, j, blen, len;
    int     pass;

    /*
     * "CallHub Android app v3.9.0": the product and its version, the
     * policy's other way to name the target. The brand is the label
     * before the domain's suffix (callhub of *.callhub.io).
     */
    for (i = 0; i < cfg->in_scope_domains.n; i++) {
	dom = cfg->in_scope_domains.v[i];
	if (dom[0] == '*' && dom[1] == '.')
	    dom += 2;
	if ((dot = strchr(dom, '.')) == NULL || (blen = (size_t) (dot - dom)) < 4
	    || blen >= sizeof(brand))
	    continue;
	memcpy(brand, dom, blen);
	brand[blen] = 0;
	for (j = 0; j < rep->versions.n && j < DECIDE_MAX_VERSIONS; j++) {
	    for (pass = 0; pass < 2; pass++) {
		buf = pass == 0 ? rep->subject : text;
		len = pass == 0 ? (buf ? strnlen(buf, DECIDE_MAX_SUBJECT_BYTES) : 0) : text_len;
		if (buf == NULL
		    || (hit = memmem(buf, len, rep->versions.v[j],
				     strlen(rep->versions.v[j]))) == NULL)
		    continue;
		line = hit - buf > DECIDE_BRAND_WINDOW ? hit - DECIDE_BRAND_WINDOW : buf;
		while ((nl = memchr(line, '\n', (size_t) (hit - line))) != NULL)
		    line = nl + 1;
		if (decide_find_nocase(line, (size_t) (hit - line), brand, blen) != NULL)
		    return (1);
	    }
	}
    }
    return (0);
}

/* decide_url_is_value - the URL is where the attacker points, not the asset */

static int decide_url_is_value(const struct decide *d, const char *url)
{
    const struct report *rep = d->rep;
    const char *hit, *cp;
    size_t  i, pos, end;
    int     quoted;

    /*
     * A URL inside a payload (an entity's SYSTEM URL, a callback of an
     * injected command; not the payload's own URL), a value
     * ("?next=https://...", href="https://...", HYPERLINK("http://..."))
     * or where a redirect leads is the attacker's host: it tells
     * nothing about whose asset is affected.
     */
    for (i = 0; i < rep->payloads.n; i++)
	if ((cp = strstr(rep->payloads.v[i], url)) != NULL && cp > rep->payloads.v[i])
	    return (1);
    if ((hit = memmem(d->text, d->text_len, url, strlen(url))) == NULL)
	return (0);
    pos = (size_t) (hit - d->text);
    if ((quoted = pos > 0 && strchr("\"'`", d->text[pos - 1]) != NULL) != 0)
	pos--;
    if (pos > 0 && d->text[pos - 1] == '=')
	return (1);
    if (pos > 1 && d->text[pos - 1] == '('
	&& (quoted || isalnum_ascii((unsigned char) d->text[pos - 2])))
	return (1);			/* an argument, not "(see https://...)" */

    /*
     * "... redirects to https://..."
     */
    end = pos;
    while (end > 0 && (d->text[end - 1] == ' ' || d->text[end - 1] == '\t'
		       || d->text[end - 1] == '\n' || d->text[end - 1] == '\r'))
	end--;
    if (end < 3 || strncasecmp(d->text + end - 3, " to", 3) != 0)
	return (0);
    end -= 3;
    for (cp = d->text + end; cp > d->text && isalnum_ascii((unsigned char) cp[-1]); cp--)
	 /* void */ ;
    return (d->text + end - cp >= 8 && strncasecmp(cp, "redirect", 8) == 0);
}

/* ----------------------------------------------------------- steps */

/* decide_shown - the weight of what the report shows of a class, not its name */

static int decide_shown(const struct decide *d, int cls)
{
    const struct classify_rule *rule;
    size_t  i;
    int     w = 0;

    /*
     * Names ("SQL injection", a CWE ID) weigh DECIDE_NAME_WEIGHT or
     * more; payloads, errors and behaviour weigh less, and findings
     * ("no CSRF token") are what was seen whatever their weight.
     */
    for (i = 0; i < d->scan.n_hits; i++) {
	rule = &d->r->rules[d->scan.hits[i].rule];
	if (d->scan.hits[i].state == HIT_COUNTED && rule->kind == RK_CLASS
	    && rule->target == cls && d->scan.hits[i].weight > 0
	    && (rule->weight < DECIDE_NAME_WEIGHT || !rule->negatable))
	    w += d->scan.hits[i].weight;
    }
    return (w);
}

/* decide_classes - rank the classes */

static int decide_classes(struct decide *d)
{
    const struct classify_knobs *k = &d->r->knobs;
    int     order[C_COUNT], score[C_COUNT];
    int     i, j, n = 0, tmp;

    for (i = 0; i < C_COUNT; i++)
	score[i] = d->scan.tally[RK_CLASS][i].score;
    for (i = 0; i < C_OTHER; i++)
	if (score[i] >= k->class_min)
	    order[n++] = i;
    for (i = 1; i < n; i++)
	for (j = i; j > 0 && score[order[j]] > score[order[j - 1]]; j--) {
	    tmp = order[j];
	    order[j] = order[j - 1];
	    order[j - 1] = tmp;
	}

    /*
     * A class only named, beside a 500 error or a stack trace that is
     * there ("I add a quote, the server gives 500, so it is SQL
     * injection"): what the report shows is the policy's exclusion 2.
     */
    if (n > 1 && order[0] != C_STACK && score[C_STACK] >= k->class_min
	&& decide_shown(d, order[0]) < k->class_min) {
	for (i = 1; i < n && order[i] != C_STACK; i++)
	     /* void */ ;
	if (i < n) {
	    for (; i > 0; i--)
		order[i] = order[i - 1];
	    order[0] = C_STACK;
	}
    }

    /*
     * Markup that the account's owner or an admin puts in front of
     * others ("as the owner I can put raw HTML, a fake login form, in
     * the welcome message"), told as spoofing: the policy's exclusion
     * 3, not an XSS, unless a script runs.
     */
    if (n > 1 && order[0] == C_XSS && score[C_SPOOF] >= k->class_min
	&& d->scan.tally[RK_SCOPE][ST_ADMIN].score >= k->scope_min
	&& score[C_XSS] <= 2 * score[C_SPOOF]) {
	for (i = 1; i < n && order[i] != C_SPOOF; i++)
	     /* void */ ;
	if (i < n) {
	    for (; i > 0; i--)
		order[i] = order[i - 1];
	    order[0] = C_SPOOF;
	}
    }

    /*
     * Nothing classified, but the sender speaks of a vulnerability:
     * "other", so that the team still looks, and the type is asked for.
     */
    if (n == 0 && (score[C_OTHER] >= k->other_min || d->rep->cves.n > 0
		   || d->rep->cvss_vectors.n > 0))
	order[n++] = C_OTHER;
    d->top = n > 0 ? order[0] : -1;
    for (i = 0; i < n; i++) {
	const char *name = triage_class_names[order[i]];

	if (strlist_add_unique(&d->t->classes, name) < 0
	    || decide_ev_tally(d, EV_CLASS, name, &d->scan.tally[RK_CLASS][order[i]]) < 0)
	    return (-1);
	if (order[i] == C_OTHER && d->rep->cves.n > 0
	    && decide_ev_string(d, EV_CLASS, name, "cve", d->rep->cves.v[0]) < 0)
	    return (-1);
    }
    return (0);
}

/* decide_reason - add a scope reason; evidence from a tally, or the policy */

static int decide_reason(struct decide *d, const char *reason,
			         const struct classify_tally *tl, unsigned max_ev)
{
    unsigned i;

    if (strlist_add_unique(&d->t->scope_reasons, reason) < 0)
	return (-1);
    for (i = 0; tl != NULL && i < tl->n_ev && i < max_ev; i++)
	if (decide_ev_hit(d, EV_SCOPE, reason, tl->ev[i]) < 0)
	    return (-1);
    if (decide_ev_count(d->t, EV_SCOPE, reason) == 0) {
	char   *rule = strdup("policy");

	if (rule == NULL)
	    return (-1);
	return (decide_ev_add(d->t, EV_SCOPE, reason, rule, NULL, TRIAGE_EV_NONE));
    }
    return (0);
}

/* decide_url_whose - URL_* of a URL; *hostp gets its host (caller frees) */

#define URL_NONE	-1		/* no host, or a reference host */
#define URL_NOT_IN	0		/* outside InScopeDomains */
#define URL_OURS	1
#define URL_THIRD_PARTY	2
#define URL_IP		3		/* an IP literal not listed as ours */

static int decide_url_whose(const struct decide *d, const char *url, char **hostp)
{
    char   *host;
    int     in;

    *hostp = NULL;
    if ((host = decide_url_host(url)) == NULL)
	return (URL_NONE);
    in = d->cfg ? sm_config_host_in_scope(d->cfg, host) : -1;
    if (in != 1 && decide_host_matches(host, &d->r->reference)) {
	free(host);
	return (URL_NONE);
    }
    *hostp = host;
    if (in == 1)
	return (URL_OURS);
    if (decide_is_ip_literal(host))
	return (URL_IP);
    if (in < 0)
	return (decide_host_matches(host, &d->r->third_party) ? URL_THIRD_PARTY : URL_OURS);
    return (URL_NOT_IN);
}

/* decide_assets - which URL hosts are assets, and whose */

static int decide_assets(struct decide *d)
{
    const struct report *rep = d->rep;
    struct triage *t = d->t;
    size_t  i, n_urls;
    int     n_assets = 0, n_ours = 0, n_reasons = 0, whose, any_ours = 0;
    char   *host, *clean, reason[DECIDE_REASON_MAX];

    /*
     * Which URL hosts are assets, and whose. InScopeDomains first: a
     * listed host is ours whatever the rules' host lists say. Whether
     * a URL is only a value matters when no URL is ours: look (memmem
     * per URL) only then.
     */
    n_urls = rep->urls.n < DECIDE_MAX_URLS ? rep->urls.n : DECIDE_MAX_URLS;
    for (i = 0; i < n_urls && !any_ours; i++) {
	any_ours = decide_url_whose(d, rep->urls.v[i], &host) == URL_OURS;
	free(host);
    }
    for (i = 0; i < n_urls; i++) {
	if ((whose = decide_url_whose(d, rep->urls.v[i], &host)) == URL_NONE)
	    continue;
	d->asset_urls++;
	if (d->first_asset_url == NULL)
	    d->first_asset_url = rep->urls.v[i];
	if (whose != URL_OURS && !any_ours && decide_url_is_value(d, rep->urls.v[i])) {
	    free(host);
	    continue;
	}
	if (whose == URL_IP) {
	    if (!decide_is_private_ip(host))
		d->n_public_ips++;
	    free(host);
	    continue;
	}
	n_assets++;
	if (whose == URL_NOT_IN || whose == URL_THIRD_PARTY) {
	    if (n_reasons < DECIDE_MAX_HOST_REASONS
		&& (clean = sm_sanitize_str(host, DECIDE_MAX_HOST_LEN)) != NULL) {
		(void) snprintf(reason, sizeof(reason), whose == URL_NOT_IN ?
				"%s is not in InScopeDomains" :
				"%s is a third-party service, not ours", clean);
		free(clean);
		n_reasons++;
		if (strlist_add_unique(&t->scope_reasons, reason) < 0
		    || decide_ev_string(d, EV_SCOPE, reason, "url", rep->urls.v[i]) < 0) {
		    free(host);
		    return (-1);
		}
	    }
	} else {
	    n_ours++;
	}
	free(host);
    }
    d->n_assets = n_assets;
    d->n_ours = n_ours;
    return (0);
}

/* decide_scope - the policy's exclusions, the assets, then the class */

static int decide_scope(struct decide *d)
{
    const struct classify_knobs *k = &d->r->knobs;
    const struct classify_tally *tl = d->scan.tally[RK_SCOPE];
    const struct classify_tally *top_tl = d->top >= 0 ?
    &d->scan.tally[RK_CLASS][d->top] : NULL;
    struct triage *t = d->t;
    int     n_assets = d->n_assets, n_ours = d->n_ours;
    int     ours_named = 0, rc;

    /*
     * The policy's exclusions, when they are the main subject. Content
     * spoofing is excluded when an administrative user does it.
     */
    if (d->top == C_HEADERS || d->top == C_STACK) {
	t->scope = SCOPE_OUT;
	d->excluded = 1;
	return (decide_reason(d, decide_exclusion_reason[d->top], top_tl, 2));
    }
    if (d->top == C_SPOOF && tl[ST_ADMIN].score >= k->scope_min) {
	t->scope = SCOPE_OUT;
	d->excluded = 1;
	return (decide_reason(d, decide_exclusion_reason[C_SPOOF], &tl[ST_ADMIN], 2));
    }

    /*
     * Every asset named is somebody else's, or the report is about a
     * service the program does not run. A host of ours named without a
     * URL, or the program's product with its version, is an asset too.
     */
    if (d->cfg != NULL && n_ours == 0 && (n_assets > 0 || d->n_public_ips > 0))
	ours_named = decide_names_our_host(d->cfg, d->text, d->text_len)
	    || (d->rep->subject != NULL
		&& decide_names_our_host(d->cfg, d->rep->subject,
				       strnlen(d->rep->subject, DECIDE_MAX_SUBJECT_BYTES)))
	    || decide_names_our_product(d->cfg, d->rep, d->text, d->text_len);
    if (n_assets > 0 && n_ours == 0 && !ours_named) {
	t->scope = SCOPE_OUT;
	return (decide_reason(d, "policy scope: CallHub products only; no URL in the "
			      "report is an asset of the program", NULL, 0));
    }
    if (n_ours == 0 && tl[ST_THIRD_PARTY].score >= k->scope_min) {
	t->scope = SCOPE_OUT;
	return (decide_reason(d, "policy scope: CallHub products only; the report is "
			      "about a third-party service (e.g. Stripe, AWS)",
			      &tl[ST_THIRD_PARTY], 3));
    }

    /*
     * No type, or no asset to tell: a human decides. A bare public IP
     * address may or may not be ours.
     */
    if (d->top < 0 && t->complete[ITEM_TARGET] && tl[ST_IN].score >= k->scope_min) {
	t->scope = SCOPE_IN;
	return (decide_reason(d, decide_data_classes_reason, &tl[ST_IN], 3));
    }
    t->scope = SCOPE_UNCLEAR;
    if (d->top < 0)
	return (decide_reason(d, "no vulnerability type recognised", NULL, 0));
    if (n_ours == 0 && n_assets == 0 && d->n_public_ips > 0 && !ours_named)
	return (decide_reason(d, "the asset is named by an IP address only: whether "
			      "it is CallHub's needs a human", NULL, 0));

    /*
     * No asset named, but a flaw described (what it gains, how to see
     * it, a proof) or a ticket followed up: all CallHub products are in
     * scope, and a report to CallHub is about CallHub's unless it says
     * otherwise. Only a bare claim ("I found an XSS") stays unclear.
     */
    if (!t->complete[ITEM_TARGET] && t->kind != TRIAGE_FOLLOWUP
	&& !t->complete[ITEM_IMPACT] && !t->complete[ITEM_STEPS] && !t->complete[ITEM_POC])
	return (decide_reason(d, "no URL, product or version tells which asset "
			      "is affected; needs a human", NULL, 0));

    /*
     * All CallHub products are in scope: a class the policy lists names
     * its example; data read or changed names the policy's rule.
     */
    t->scope = SCOPE_IN;
    if (decide_listed_reason[d->top] != NULL)
	rc = decide_reason(d, decide_listed_reason[d->top], top_tl, 2);
    else if (d->top == C_SSRF || d->top == C_XXE || d->top == C_TRAVERSAL || d->top == C_INFO)
	rc = decide_reason(d, decide_data_classes_reason, top_tl, 2);
    else if (tl[ST_IN].score >= k->scope_min)
	rc = decide_reason(d, decide_data_classes_reason, &tl[ST_IN], 3);
    else
	rc = decide_reason(d, "policy scope: all CallHub products are in scope, "
			   "and this is not among the policy's exclusions", top_tl, 2);
    if (rc == 0 && !t->complete[ITEM_TARGET])
	rc = decide_reason(d, "no asset named: the flaw described is taken as "
			   "CallHub's (all CallHub products are in scope)", NULL, 0);
    return (rc);
}

static int decide_forwarded(const struct report *);

/* decide_own_text - buf[pos] is the reporter's own text, not quoted mail */

static int decide_own_text(const struct decide *d, size_t pos)
{
    size_t  i;

    if (decide_forwarded(d->rep))
	return (1);			/* a forward: the quoted text is the report */
    if (pos >= d->scan.quote_start)
	return (0);
    for (i = pos; i > 0 && d->text[i - 1] != '\n'; i--)
	 /* void */ ;
    while (i < pos && (d->text[i] == ' ' || d->text[i] == '\t'))
	i++;
    return (d->text[i] != '>');
}

/* decide_target_url - the URL names the asset: in the reporter's own words */

static int decide_target_url(const struct decide *d, const char *url, int whose)
{
    const char *hit, *end = d->text + d->text_len;
    size_t  len = strlen(url);
    int     seen = 0;

    /*
     * Not a value in a payload ("HYPERLINK("http://evil..."), "?next="),
     * not a URL only in quoted earlier mail; one the text does not
     * show (the HTML part's) counts.
     */
    if (whose != URL_OURS && decide_url_is_value(d, url))
	return (0);
    if (len == 0)
	return (0);
    for (hit = d->text; (hit = memmem(hit, (size_t) (end - hit), url, len)) != NULL; hit++) {
	seen = 1;
	if (decide_own_text(d, (size_t) (hit - d->text)))
	    return (1);
    }
    return (!seen);
}

/* decide_product_sender - the address before at is one the product mails from */

static int decide_product_sender(const char *text, const char *at)
{
    static const char *const senders[] = {
	"noreply", "no-reply", "donotreply", "do-not-reply", "notifications",
	"notification", "notify", "mailer", "alerts", "alert", "bounce", "bounces",
    };
    const char *cp;
    size_t  i, n;

    /*
     * "invitation e-mails sent from noreply@example.org": the product's
     * own mail is the asset; security@ and people's addresses are not.
     */
    for (cp = at; cp > text && (decide_is_host_char((unsigned char) cp[-1]) || cp[-1] == '_'); cp--)
	 /* void */ ;
    n = (size_t) (at - cp);
    for (i = 0; i < NELEM(senders); i++)
	if (strlen(senders[i]) == n && strncasecmp(cp, senders[i], n) == 0)
	    return (1);
    return (0);
}

/* decide_target_host - an in-scope host named in the reporter's own words */

static const char *decide_target_host(const struct decide *d, const char *dom)
{
    const char *hit, *cp, *end = d->text + d->text_len;
    size_t  len = strlen(dom);

    /*
     * Not the domain of an e-mail address (security@example.org), not
     * in quoted earlier mail, not inside a longer name.
     */
    for (hit = d->text; (hit = decide_find_nocase(hit, (size_t) (end - hit), dom, len)) != NULL;
	 hit++) {
	if (hit + len < end && (isalnum_ascii((unsigned char) hit[len]) || hit[len] == '-'))
	    continue;
	if (hit > d->text && hit[-1] != '.' && decide_is_host_char((unsigned char) hit[-1]))
	    continue;			/* "notexample.org" */
	for (cp = hit; cp > d->text && decide_is_host_char((unsigned char) cp[-1]); cp--)
	     /* void */ ;
	if (cp > d->text && cp[-1] == '@' && !decide_product_sender(d->text, cp - 1))
	    continue;
	if (decide_own_text(d, (size_t) (hit - d->text)))
	    return (hit);
    }
    return (NULL);
}

/* decide_items - the policy's five items */

static int decide_items(struct decide *d)
{
    const struct report *rep = d->rep;
    const struct classify_tally *tl = d->scan.tally[RK_ITEM];
    int     min = d->r->knobs.item_min;
    struct triage *t = d->t;
    size_t  i;
    int     steps;
    const char *name;

    /*
     * type: a class other than "other", with the class's evidence.
     */
    if ((t->complete[ITEM_TYPE] = d->top >= 0)
	&& decide_ev_tally(d, EV_ITEM, "type", &d->scan.tally[RK_CLASS][d->top]) < 0)
	return (-1);

    /*
     * target: an asset URL, a product version, target wording, or an
     * in-scope host named in the text.
     */
    name = triage_item_names[ITEM_TARGET];
    t->complete[ITEM_TARGET] = 0;
    for (i = 0; i < d->rep->urls.n && i < DECIDE_MAX_URLS; i++) {
	char   *host;
	int     whose = decide_url_whose(d, rep->urls.v[i], &host);

	free(host);
	if (whose == URL_NONE || !decide_target_url(d, rep->urls.v[i], whose))
	    continue;
	t->complete[ITEM_TARGET] = 1;
	if (decide_ev_string(d, EV_ITEM, name, "url", rep->urls.v[i]) < 0)
	    return (-1);
	break;
    }
    for (i = 0; i < rep->versions.n && i < TRIAGE_EVIDENCE_MAX; i++)
	if (decide_ev_string(d, EV_ITEM, name, "version", rep->versions.v[i]) < 0)
	    return (-1);
    if (tl[ITEM_TARGET].score >= min && decide_ev_tally(d, EV_ITEM, name, &tl[ITEM_TARGET]) < 0)
	return (-1);
    t->complete[ITEM_TARGET] |= rep->versions.n > 0 || tl[ITEM_TARGET].score >= min;
    for (i = 0; d->cfg != NULL && !t->complete[ITEM_TARGET]
	 && i < d->cfg->in_scope_domains.n; i++) {
	const char *dom = d->cfg->in_scope_domains.v[i];

	if (dom[0] == '*' && dom[1] == '.')
	    dom += 2;
	if (strlen(dom) > 3 && decide_target_host(d, dom) != NULL) {
	    t->complete[ITEM_TARGET] = 1;
	    if (decide_ev_string(d, EV_ITEM, name, "host", dom) < 0)
		return (-1);
	}
    }

    /*
     * impact: wording only. steps: wording, and an HTTP request block
     * shown is one more ("send this request"); alone it is a poc, not
     * steps (a request file attached with no word of what to do).
     */
    if ((t->complete[ITEM_IMPACT] = tl[ITEM_IMPACT].score >= min)
	&& decide_ev_tally(d, EV_ITEM, "impact", &tl[ITEM_IMPACT]) < 0)
	return (-1);
    steps = tl[ITEM_STEPS].score + (rep->http_requests > 0 ? DECIDE_STEPS_REQUEST : 0);
    if ((t->complete[ITEM_STEPS] = steps >= min)) {
	if (decide_ev_tally(d, EV_ITEM, "steps", &tl[ITEM_STEPS]) < 0)
	    return (-1);
	if (rep->http_requests > 0 && tl[ITEM_STEPS].score < min) {
	    char    what[64];

	    (void) snprintf(what, sizeof(what), "%u HTTP request(s)", rep->http_requests);
	    if (decide_ev_string(d, EV_ITEM, "steps", "http", what) < 0)
		return (-1);
	}
    }

    /*
     * poc: wording and payloads in the text, what the parser found
     * (payloads, curl, HTTP requests, code), or an attachment that is
     * not a signature.
     */
    name = triage_item_names[ITEM_POC];
    if (tl[ITEM_POC].score >= min) {
	t->complete[ITEM_POC] = 1;
	if (decide_ev_tally(d, EV_ITEM, name, &tl[ITEM_POC]) < 0)
	    return (-1);
    }
    for (i = 0; i < rep->payloads.n && i < TRIAGE_EVIDENCE_MAX; i++) {
	t->complete[ITEM_POC] = 1;
	if (decide_ev_string(d, EV_ITEM, name, "payload", rep->payloads.v[i]) < 0)
	    return (-1);
    }
    for (i = 0; i < rep->curl_commands.n && i < TRIAGE_EVIDENCE_MAX; i++) {
	t->complete[ITEM_POC] = 1;
	if (decide_ev_string(d, EV_ITEM, name, "curl", rep->curl_commands.v[i]) < 0)
	    return (-1);
    }
    if (rep->http_requests > 0 || rep->code_blocks > 0) {
	char   *rule = strdup(rep->http_requests > 0 ? "http" : "code_block");
	char    what[64];
	char   *m;

	(void) snprintf(what, sizeof(what), "%u HTTP request(s), %u code block(s)",
			rep->http_requests, rep->code_blocks);
	m = strdup(what);
	t->complete[ITEM_POC] = 1;
	if (rule == NULL || m == NULL) {
	    free(rule);
	    free(m);
	    return (-1);
	}
	if (decide_ev_add(t, EV_ITEM, name, rule, m, TRIAGE_EV_NONE) < 0)
	    return (-1);
    }
    for (i = 0; i < rep->n_attachments; i++) {
	const struct report_attachment *a = &rep->attachments[i];
	const char *ct = a->content_type ? a->content_type : "";

	if (strstr(ct, "signature") != NULL)
	    continue;
	t->complete[ITEM_POC] = 1;
	if (decide_ev_string(d, EV_ITEM, name, "attachment",
			     a->filename && *a->filename ? a->filename : ct) < 0)
	    return (-1);
    }
    return (0);
}

/* decide_conduct - conduct and the bounty demand */

static int decide_conduct(struct decide *d)
{
    const struct classify_tally *tl;
    int     i;

    for (i = 0; i < K_COUNT; i++) {
	tl = &d->scan.tally[RK_CONDUCT][i];
	if (tl->score < d->r->knobs.conduct_min)
	    continue;
	if (strlist_add_unique(&d->t->conduct, triage_conduct_names[i]) < 0
	    || decide_ev_tally(d, EV_CONDUCT, triage_conduct_names[i], tl) < 0)
	    return (-1);
    }
    tl = &d->scan.tally[RK_FLAG][FT_BOUNTY];
    if (tl->score >= d->r->knobs.flag_min
	&& (strlist_add_unique(&d->t->flags, "bounty_demand") < 0
	    || decide_ev_tally(d, EV_FLAG, "bounty_demand", tl) < 0))
	return (-1);
    return (0);
}

/* decide_severity - CVSS, else the estimate of severity.c */

static int decide_severity(struct decide *d)
{
    const struct report *rep = d->rep;
    struct triage *t = d->t;
    struct classify_severity est;
    struct cvss_result cv;
    char    err[160], buf[DECIDE_REASON_MAX];
    size_t  i, n;
    const char *sev;

    n = rep->cvss_vectors.n < DECIDE_MAX_VECTORS ? rep->cvss_vectors.n : DECIDE_MAX_VECTORS;
    for (i = 0; i < n; i++) {
	if (cvss_score(rep->cvss_vectors.v[i], &cv, err, sizeof(err)) < 0)
	    continue;
	if (!t->has_cvss || cv.score > t->cvss.score) {
	    t->cvss = cv;
	    t->has_cvss = 1;
	}
    }
    if (t->has_cvss) {
	t->severity = t->cvss.severity;
	t->severity_basis = "cvss";
	(void) snprintf(buf, sizeof(buf), "CVSS %s vector %.200s: score %.1f",
			t->cvss.version, t->cvss.vector, t->cvss.score);
	if ((t->severity_rule = strdup(buf)) == NULL)
	    return (-1);
	return (decide_ev_string(d, EV_SEVERITY, "cvss", "cvss", rep->cvss_vectors.v[0]));
    }

    /*
     * No vector: the class and the stated impact (see severity.c).
     */
    classify_severity_estimate(&d->scan, d->top, t->complete[ITEM_STEPS], &est);
    if (d->excluded && est.base != SEV_UNSET) {
	t->severity = SEV_NONE;
	t->severity_basis = "class+impact";
	return ((t->severity_rule = strdup("policy exclusion: not considered a "
					   "vulnerability, severity none")) ? 0 : -1);
    }
    t->severity = est.severity;
    if (est.verdict >= 0) {
	/* Nothing to go on (null, no basis), or not a vulnerability. */
	if (est.verdict == SD_NONE)
	    t->severity_basis = "class+impact";
	if ((t->severity_rule = strdup(est.verdict == SD_NONE ?
				       "not a vulnerability by the rules: severity none" :
			   "nothing to go on: unconfirmed or details withheld")) == NULL)
	    return (-1);
	return (est.verdict_hit < 0 ? 0 :
		decide_ev_hit(d, EV_SEVERITY, est.verdict == SD_NONE ? "none" : "unknown",
			      (unsigned) est.verdict_hit));
    }
    if (est.severity == SEV_UNSET)
	return (0);
    t->severity_basis = "class+impact";
    sev = triage_severity_name((enum triage_severity) est.base);
    (void) snprintf(buf, sizeof(buf), "base %s=%s%s%.*d%s%.*d",
		    triage_class_names[d->top], sev ? sev : "unknown",
		    est.raise ? ", raised " : "", est.raise ? 1 : 0, est.raise,
		    est.lower ? ", lowered " : "", est.lower ? 1 : 0, est.lower);
    if ((t->severity_rule = strdup(buf)) == NULL)
	return (-1);
    if (est.raise_hit >= 0 && decide_ev_hit(d, EV_SEVERITY, "raise", (unsigned) est.raise_hit) < 0)
	return (-1);
    if (est.lower_hit >= 0 && decide_ev_hit(d, EV_SEVERITY, "lower", (unsigned) est.lower_hit) < 0)
	return (-1);
    return (0);
}

/* decide_forwarded - a forward: the quoted text is the report */

static int decide_forwarded(const struct report *rep)
{
    const char *s = rep->subject;

    if (rep->flags & REPORT_F_FORWARDED)
	return (1);
    if (s == NULL)
	return (0);
    while (*s == ' ' || *s == '\t')
	s++;
    return (strncasecmp(s, "fwd:", 4) == 0 || strncasecmp(s, "fw:", 3) == 0
	    || strncasecmp(s, "wg:", 3) == 0 || strncasecmp(s, "tr:", 3) == 0);
}

/* classify_decide - every decision of the classifier, with evidence */

int     classify_decide(const struct triage_rules *r, const struct report *rep,
			        const struct sm_config *cfg, struct triage *t)
{
    struct decide d;
    int     rc = -1;

    memset(&d, 0, sizeof(d));
    d.r = r;
    d.rep = rep;
    d.cfg = cfg;
    d.t = t;
    d.top = -1;
    d.text = sbuf_str(&rep->text);
    d.text_len = rep->text.len < DECIDE_MAX_SCAN_BYTES ? rep->text.len : DECIDE_MAX_SCAN_BYTES;

    /*
     * The one scan, then the decisions in the order they depend on
     * each other: classes, scope (which finds the asset URLs), items,
     * conduct, severity.
     */
    if (classify_scan_run(r, rep->subject ? rep->subject : "",
			  rep->subject ? strnlen(rep->subject, DECIDE_MAX_SUBJECT_BYTES) : 0,
			  d.text, d.text_len, decide_forwarded(rep), &d.scan) < 0)
	return (-1);
    if (decide_classes(&d) == 0 && decide_assets(&d) == 0 && decide_items(&d) == 0
	&& decide_scope(&d) == 0 && decide_conduct(&d) == 0 && decide_severity(&d) == 0)
	rc = 0;
    else
	errno = ENOMEM;
    classify_scan_free(&d.scan);
    return (rc);
}
