#ifndef SECMILTER_CLASSIFY_PRIVATE_H
#define SECMILTER_CLASSIFY_PRIVATE_H

/*++
/* NAME
/*	classify_private 3h
/* SUMMARY
/*	what the files of classify/ share and nobody else sees
/* SYNOPSIS
/*	#include "classify/classify_private.h"
/* DESCRIPTION
/*	rules.c parses a rules file into struct triage_rules and compiles
/*	every pattern of it into one Hyperscan database; match.c scans a
/*	message once with that database and tallies what matched; triage.c
/*	and severity.c turn the tallies into decisions.
/*
/*	A struct triage_rules is immutable once loaded: it is shared by
/*	every thread without locks. Each thread scans with its own
/*	Hyperscan scratch (match.c keeps one per thread).
/*--*/

#include <hs.h>

#include "util/util.h"
#include "parser/report.h"
#include "classify/triage.h"

 /*
  * The vocabularies in the order of the name tables of triage.c.
  */
enum classify_class {
    C_XSS, C_CSRF, C_SQLI, C_MIXED, C_MITM, C_AUTH, C_RCE, C_SSRF,
    C_REDIRECT, C_XXE, C_TRAVERSAL, C_INFO, C_HEADERS, C_STACK,
    C_SPOOF, C_DOS, C_OTHER, C_COUNT
};

enum classify_conduct {
    K_DOS, K_BRUTE, K_SPAM, K_OTHERS_DATA, K_DESTRUCTION, K_SOCIAL,
    K_PHYSICAL, K_NON_TEST, K_DISCLOSURE, K_COUNT
};

 /*
  * Rule kinds that carry a pattern. "finding" rules are class rules
  * that no negation cancels ("no CSRF token", "no rate limit").
  */
enum classify_kind {
    RK_CLASS, RK_ITEM, RK_SCOPE, RK_CONDUCT, RK_FLAG, RK_SEVERITY,
    RK_QUOTE, RK_COUNT
};

/* Targets of scope rules. */
enum classify_scope_target { ST_IN, ST_ADMIN, ST_THIRD_PARTY, ST_COUNT };

/* Targets of flag rules. */
enum classify_flag_target { FT_BOUNTY, FT_COUNT };

/* Targets of severity rules. */
enum classify_sev_dir { SD_RAISE, SD_LOWER, SD_NONE, SD_UNKNOWN };

#define CLASSIFY_TARGETS_MAX	C_COUNT	/* the widest vocabulary */
#define CLASSIFY_GUESS_WIDTH	64	/* a start not tracked: at most this far back */

/* ASCII only: no locale lookups on sender text. */
static inline int isalnum_ascii(int c)
{
    return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
}

static inline int tolower_ascii(int c)
{
    return ((c >= 'A' && c <= 'Z') ? c + 32 : c);
}

extern const char *const classify_kind_names[];	/* "class", ... */
extern const char *const classify_scope_target_names[];
extern const char *const classify_flag_target_names[];

struct classify_rule {
    unsigned char kind;			/* enum classify_kind */
    signed char target;			/* index in the kind's vocabulary */
    signed char cls;			/* severity: the class, -1 = any */
    unsigned char negatable;		/* a negation cue cancels a match */
    unsigned char no_som;		/* compiled without start of match */
    unsigned char som;			/* the S flag: start tracked by som_db */
    unsigned char first_person;		/* "I"/"we" must come before, same sentence */
    unsigned char lines;		/* scanned over the text as written */
    short   weight;
    unsigned line;			/* in the rules file */
    unsigned max_width;			/* no_som: widest match, bounded */
    unsigned min_width;			/* no_som: narrowest match */
    char   *phrase;			/* a "phrase" as written; NULL = regex */
    hs_database_t *som_db;		/* S: this pattern, start-tracking */
};

 /*
  * Knobs the rules file may set ("set KEY VALUE").
  */
struct classify_knobs {
    int     class_min;			/* score for a class to be kept */
    int     other_min;			/* score of "other" words to say other */
    int     item_min;			/* score for a completeness item */
    int     conduct_min;		/* score for a conduct flag */
    int     flag_min;			/* score for a flag (bounty_demand) */
    int     scope_min;			/* score for a scope cue */
    int     subject_factor;		/* a Subject match weighs this much more */
    int     negation_window;		/* bytes before a match looked at */
    int     quoted_percent;		/* weight of quoted text, in percent */
    int     severity_min;		/* severity none/unknown rules: weight */
};

struct triage_rules {
    char   *source;			/* the path, or "built-in" */
    char   *name;			/* its base name, for evidence */
    struct classify_rule *rules;	/* Hyperscan ID = index */
    size_t  n_rules;
    size_t  n_flow;			/* rules not "lines" */
    hs_database_t *db;			/* the rules for flowing text */
    hs_database_t *db_lines;		/* the rules for lines; NULL: none */
    unsigned long serial;		/* this load, of all loads: never 0 */
    int     prebuilt;			/* built-in, databases as compiled in */
    int     cached;			/* databases from the cache (rulescache.c) */
    struct strlist negations;		/* lower-case cue phrases */
    unsigned char neg_first[256];	/* a cue starts with this byte */
    struct strlist third_party;		/* host suffixes of other services */
    struct strlist reference;		/* host suffixes that are not assets */
    signed char base[C_COUNT];		/* base severity per class */
    struct classify_knobs knobs;
};

/* rulescache.c: compiled databases kept between loads of the same rules. */
extern void rules_cache_key(const struct triage_rules *, char *const *exprs,
			            const unsigned *flags, char key[65]);
extern int rules_cache_load(struct triage_rules *, const char *key);
extern void rules_cache_save(const struct triage_rules *, const char *key);

/* The built-in rules, generated by classify/mkrulesdb at build time. */
extern const char classify_default_rules[];	/* the text */
extern const unsigned char classify_default_db[];	/* serialised databases */
extern const size_t classify_default_db_len;
extern const unsigned char classify_default_db_lines[];
extern const size_t classify_default_db_lines_len;
extern const unsigned char classify_default_som[];	/* S rules' databases */
extern const unsigned classify_default_som_index[];	/* rule, offset, length */
extern const size_t classify_default_som_index_len;
extern const unsigned classify_default_nosom[];	/* rule, max_width, min_width */
extern const size_t classify_default_nosom_len;
extern const size_t classify_default_n_rules;

/* ------------------------------------------------------------ match.c */

enum classify_hit_state {
    HIT_COUNTED,			/* it counts */
    HIT_NEGATED,			/* a negation cue before it */
    HIT_QUOTED,				/* in quoted earlier mail */
    HIT_REPEAT,				/* the rule already counted there */
};

struct classify_hit {
    unsigned rule;
    size_t  start, end;			/* in the subject or the text */
    unsigned char subject;		/* 1 = in the Subject */
    unsigned char state;		/* enum classify_hit_state */
    short   weight;			/* what it added (factor applied) */
};

struct classify_tally {
    int     score;
    unsigned n_ev;
    unsigned ev[TRIAGE_EVIDENCE_MAX];	/* hit indices, best first */
};

struct classify_scan {
    const struct triage_rules *rules;
    const char *subject;
    size_t  subject_len;
    const char *text;
    size_t  text_len;
    size_t  quote_start;		/* quoted tail; text_len = none */
    struct classify_hit *hits;
    size_t  n_hits;
    size_t  cap_hits;
    unsigned *per_rule;			/* hits kept per rule */
    int     stopped;			/* a bound was hit */
    struct classify_tally tally[RK_COUNT][CLASSIFY_TARGETS_MAX];
};

extern int classify_scan_run(const struct triage_rules *, const char *subject,
			             size_t subject_len, const char *text,
			             size_t text_len, int quoted_counts,
			             struct classify_scan *);
extern void classify_scan_free(struct classify_scan *);
extern void classify_scratch_warm(const struct triage_rules *);
extern char *classify_snippet(const char *buf, size_t len, size_t start, size_t end);
extern char *classify_rule_id(const struct triage_rules *, unsigned rule);

/* ----------------------------------------------------------- decide.c */

extern int classify_decide(const struct triage_rules *, const struct report *,
			           const struct sm_config *, struct triage *);

/* --------------------------------------------------------- severity.c */

struct classify_severity {
    enum triage_severity severity;
    int     base;			/* before raising or lowering */
    int     raise, lower;		/* levels */
    long    raise_hit, lower_hit;	/* hit index, -1 none */
    int     verdict;			/* SD_NONE, SD_UNKNOWN or -1 */
    long    verdict_hit;		/* its heaviest hit, -1 none */
};

extern void classify_severity_estimate(const struct classify_scan *, int top,
				               int has_steps, struct classify_severity *);

#endif
