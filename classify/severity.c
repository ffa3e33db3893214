/*++
/* NAME
/*	severity 3
/* SUMMARY
/*	estimate a severity when the report carries no CVSS vector
/* SYNOPSIS
/*	#include "classify/classify_private.h"
/*
/*	void	classify_severity_estimate(scan, top, has_steps, result)
/*	const struct classify_scan *scan;
/*	int	top;
/*	int	has_steps;
/*	struct classify_severity *result;
/* DESCRIPTION
/*	The rule, written down here and in the rules file (base and
/*	severity lines of classify/default.rules), is how a careful
/*	triager qualifies a report that carries no CVSS vector:
/* .IP 1.
/*	No class, or a class without a base: no estimate (null).
/* .IP 2.
/*	Not a vulnerability: when the "severity none" rules that matched
/*	add up to severity_min (a best-practice setting such as a DMARC
/*	policy of none), or the class's base is none (the policy's
/*	exclusions): none.
/* .IP 3.
/*	Nothing to go on: when the "severity unknown" rules that matched
/*	add up to severity_min (the reporter only suspects it, asks
/*	whether it is a problem at all, or keeps the details back), no
/*	raise matched and the report has no steps to reproduce: null.
/* .IP 4.
/*	Otherwise start from the base severity of the top class (base
/*	lines; e.g. rce and sqli critical, auth high, xss medium,
/*	open_redirect low, "other" low).
/* .IP 5.
/*	Raise by the largest weight of the "severity raise" rules that
/*	matched (those named raise.CLASS only when CLASS is the top
/*	class), to critical at most: the stated impact, e.g. "account
/*	takeover", "takes over the account", "all users", "full
/*	database", "unauthenticated",
/*	"without login", a stored XSS, code deployed on production; live
/*	credentials, a cloud secret key or a live payment key, every
/*	customer's data (critical). The rules that name no class
/*	do not raise auth: its base (high) already is the level of
/*	account takeover and of other customers' data.
/* .IP 6.
/*	Lower by the largest weight of the "severity lower" rules that
/*	matched: "self-XSS", "only I can see it", "requires admin",
/*	"requires physical access", a session still valid or that does
/*	not expire, a payload the victim must paste into their own
/*	console, limited impact. A lower rule the reporter also denies
/*	("this is not just a self-XSS") is disputed and does not count.
/* .IP 7.
/*	Keep the result between low and critical. A raise that goes
/*	past critical is lost before the lower: "critical, unauthenticated,
/*	but only from the internal network" is high.
/* .PP
/*	Negated and quoted matches do not count ("it is not stored").
/*	A CVSS vector, when the report has one, wins over all this: that
/*	is triage.c's choice, not this file's.
/*--*/

/* System library. */

#include <string.h>

/* Utility library. */

#include "util/util.h"

/* Application-specific. */

#include "classify/triage.h"
#include "classify/classify_private.h"

/* severity_disputed - a hit of the same rule was negated */

static int severity_disputed(const struct classify_scan *scan, unsigned rule)
{
    size_t  i;

    for (i = 0; i < scan->n_hits; i++)
	if (scan->hits[i].rule == rule && scan->hits[i].state == HIT_NEGATED)
	    return (1);
    return (0);
}

/* severity_first_count - the first counted hit of its rule */

static int severity_first_count(const struct classify_scan *scan, size_t hit)
{
    size_t  i;

    for (i = 0; i < hit; i++)
	if (scan->hits[i].rule == scan->hits[hit].rule && scan->hits[i].state == HIT_COUNTED)
	    return (0);
    return (1);
}

/* classify_severity_estimate - the rule above */

void    classify_severity_estimate(const struct classify_scan *scan, int top,
				           int has_steps, struct classify_severity *res)
{
    const struct triage_rules *r = scan->rules;
    size_t  i;
    int     sev, verdict_sum[SD_UNKNOWN + 1] = {0};
    long    verdict_hit[SD_UNKNOWN + 1] = {-1, -1, -1, -1};

    memset(res, 0, sizeof(*res));
    res->severity = SEV_UNSET;
    res->base = SEV_UNSET;
    res->raise_hit = res->lower_hit = res->verdict_hit = -1;
    res->verdict = -1;
    if (top < 0 || top >= C_COUNT || r->base[top] == SEV_UNSET)
	return;
    res->base = r->base[top];

    /*
     * The largest raise and the largest lower that counted, and what
     * the none and unknown rules add up to (each rule once). The
     * Subject factor makes no level: weights are levels.
     */
    for (i = 0; i < scan->n_hits; i++) {
	const struct classify_hit *h = &scan->hits[i];
	const struct classify_rule *rule = &r->rules[h->rule];

	if (rule->kind != RK_SEVERITY || h->state != HIT_COUNTED)
	    continue;
	if (rule->cls >= 0 && rule->cls != top)
	    continue;
	/* auth's base is already the account-takeover level. */
	if (rule->cls < 0 && rule->target == SD_RAISE && top == C_AUTH)
	    continue;
	if (rule->target == SD_RAISE && rule->weight > res->raise) {
	    res->raise = rule->weight;
	    res->raise_hit = (long) i;
	} else if (rule->target == SD_LOWER && rule->weight > res->lower
		   && !severity_disputed(scan, h->rule)) {
	    res->lower = rule->weight;
	    res->lower_hit = (long) i;
	} else if ((rule->target == SD_NONE || rule->target == SD_UNKNOWN)
		   && severity_first_count(scan, i)) {
	    verdict_sum[rule->target] += rule->weight;
	    if (verdict_hit[rule->target] < 0
		|| rule->weight > r->rules[scan->hits[verdict_hit[rule->target]].rule].weight)
		verdict_hit[rule->target] = (long) i;
	}
    }

    /*
     * Not a vulnerability by the team's standard: none. Nothing to go
     * on, and no stated impact: null.
     */
    if (verdict_sum[SD_NONE] >= r->knobs.severity_min) {
	res->verdict = SD_NONE;
	res->verdict_hit = verdict_hit[SD_NONE];
	res->severity = SEV_NONE;
	return;
    }
    if (res->base == SEV_NONE) {
	res->severity = SEV_NONE;
	return;
    }
    if (verdict_sum[SD_UNKNOWN] >= r->knobs.severity_min && res->raise == 0 && !has_steps) {
	res->verdict = SD_UNKNOWN;
	res->verdict_hit = verdict_hit[SD_UNKNOWN];
	return;
    }

    /*
     * Between low and critical: a raise stops at critical, so that a
     * lower still counts beside it (a critical base stays critical
     * however much is said of it, and "only from the internal network"
     * is then one level less).
     */
    sev = res->base + res->raise;
    if (sev > SEV_CRITICAL)
	sev = SEV_CRITICAL;
    sev -= res->lower;
    if (sev < SEV_LOW)
	sev = SEV_LOW;
    res->severity = (enum triage_severity) sev;
}
