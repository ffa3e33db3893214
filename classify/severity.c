/*++
/* NAME
/*	severity 3
/* SUMMARY
/*	estimate a severity when the report carries no CVSS vector
/* SYNOPSIS
/*	#include "classify/classify_private.h"
/*
/*	void	classify_severity_estimate(scan, top, result)
/*	const struct classify_scan *scan;
/*	int	top;
/*	struct classify_severity *result;
/* DESCRIPTION
/*	The rule, written down here and in the rules file (base and
/*	severity lines of classify/default.rules):
/* .IP 1.
/*	Start from the base severity of the top class (base lines; e.g.
/*	rce and sqli critical, auth high, xss medium, open_redirect low,
/*	missing_headers none). No class, or a class without a base
/*	(other): no estimate (null).
/* .IP 2.
/*	Raise by the largest weight of the "severity raise" rules that
/*	matched (those named raise.CLASS only when CLASS is the top
/*	class): the stated impact, e.g. "account takeover", "all users",
/*	"full database", "unauthenticated", a stored XSS. The rules
/*	that name no class do not raise auth: its base (high) already is
/*	the level of account takeover and of other customers' data.
/* .IP 3.
/*	Lower by the largest weight of the "severity lower" rules that
/*	matched: "self-XSS", "requires admin", "requires physical access".
/* .IP 4.
/*	Keep the result between low and critical; a base of none stays
/*	none (the policy's exclusions are not vulnerabilities).
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

/* classify_severity_estimate - the rule above */

void    classify_severity_estimate(const struct classify_scan *scan, int top,
				           struct classify_severity *res)
{
    const struct triage_rules *r = scan->rules;
    size_t  i;
    int     sev;

    memset(res, 0, sizeof(*res));
    res->severity = SEV_UNSET;
    res->base = SEV_UNSET;
    res->raise_hit = res->lower_hit = -1;
    if (top < 0 || top >= C_COUNT || r->base[top] == SEV_UNSET)
	return;
    res->base = r->base[top];

    /*
     * The largest raise and the largest lower that counted. The Subject
     * factor makes no level: weights are levels.
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
	} else if (rule->target == SD_LOWER && rule->weight > res->lower) {
	    res->lower = rule->weight;
	    res->lower_hit = (long) i;
	}
    }

    /*
     * none stays none; the others stay between low and critical.
     */
    if (res->base == SEV_NONE) {
	res->severity = SEV_NONE;
	return;
    }
    sev = res->base + res->raise - res->lower;
    if (sev < SEV_LOW)
	sev = SEV_LOW;
    if (sev > SEV_CRITICAL)
	sev = SEV_CRITICAL;
    res->severity = (enum triage_severity) sev;
}
