/*++
/* NAME
/*	rules 3
/* SUMMARY
/*	load the classifier's rules file into one Hyperscan database
/* SYNOPSIS
/*	#include "classify/triage.h"
/*
/*	struct triage_rules *triage_rules_load(path, err, errlen)
/*	const char *path;
/*	char	*err;
/*	size_t	errlen;
/*
/*	void	triage_rules_free(rules)
/*
/*	const char *triage_rules_source(rules)
/* DESCRIPTION
/*	triage_rules_load() reads a rules file (path), or the built-in rules
/*	(path NULL: classify/default.rules, compiled into the program), and
/*	compiles its patterns into Hyperscan block-mode databases: one for
/*	the patterns matched against the flowing text (most of them; see
/*	rules_flow_expr()), one for those that need the lines as written,
/*	and, for each regex with the S flag, one of its own that tracks
/*	where a match starts (match.c runs it only before a match). The
/*	built-in rules come with their databases compiled at build time
/*	(classify/mkrulesdb). The format is described at the top of
/*	classify/default.rules.
/*
/*	Every word is checked against the vocabularies of triage.c; every
/*	number against its range. Loading is all or nothing: on the first
/*	error nothing is kept and the caller's rules stay in force.
/*
/*	triage_rules_source() is the path, or "built-in".
/*
/*	What this file never does: look at a message.
/* DIAGNOSTICS
/*	triage_rules_load() returns NULL and writes "FILE:LINE: reason" (or
/*	"FILE: reason" for the file as a whole) into err.
/*--*/

/* System library. */

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <limits.h>

/* Third-party libraries. */

#include <hs.h>

/* Utility library. */

#include "util/util.h"

/* Application-specific. */

#include "classify/triage.h"
#include "classify/classify_private.h"

 /*
  * Bounds on what a rules file can make us do.
  */
#define RULES_MAX_FILE_BYTES	(4UL * 1024 * 1024)
#define RULES_MAX_LINE_BYTES	4096
#define RULES_MAX_LINES		100000
#define RULES_MAX_RULES		20000	/* pattern rules */
#define RULES_MAX_WEIGHT	100
#define RULES_MAX_KNOB		1000000
#define RULES_MAX_HOST_LEN	253

static unsigned long rules_serial;	/* loads so far; see triage_rules_load() */
#define RULES_MAX_REGEX_BYTES	(RULES_MAX_LINE_BYTES * 8)	/* phrase, expanded */

const char *const classify_kind_names[] = {
    "class", "item", "scope", "conduct", "flag", "severity", "quote", NULL,
};
const char *const classify_scope_target_names[] = {"in", "admin", "third_party", NULL};
const char *const classify_flag_target_names[] = {"bounty_demand", NULL};

 /*
  * What a load builds before it is accepted.
  */
struct rules_build {
    struct triage_rules *r;
    char  **exprs;			/* Hyperscan expressions, by rule */
    unsigned *hs_flags;
    size_t  cap;
    const char *file;			/* for messages */
    unsigned line;
    char   *err;
    size_t  errlen;
};

static int rules_fail(struct rules_build *, const char *,...)
	__attribute__((format(printf, 2, 3)));
static int rules_word(const char **, char *, size_t);
static int rules_index(const char *const *, const char *);
static int rules_pattern(struct rules_build *, const char **, char **, unsigned *, int *,
			         char **, int *);
static char *rules_phrase_regex(const char *, size_t);
static int rules_line(struct rules_build *, const char *);
static int rules_compile(struct rules_build *, int, hs_database_t **);
static int rules_compile_som(struct rules_build *, size_t);
static int rules_builtin(struct triage_rules *);
static void rules_free_dbs(struct triage_rules *);
static void rules_defaults(struct triage_rules *);

/* rules_fail - "FILE:LINE: reason" into err; always -1 */

static int rules_fail(struct rules_build *b, const char *fmt,...)
{
    char    why[512];
    va_list ap;

    va_start(ap, fmt);
    (void) vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    if (b->line > 0)
	(void) snprintf(b->err, b->errlen, "%s:%u: %s", b->file, b->line, why);
    else
	(void) snprintf(b->err, b->errlen, "%s: %s", b->file, why);
    return (-1);
}

/* rules_word - the next white-space separated word; 0 at the end */

static int rules_word(const char **cpp, char *buf, size_t len)
{
    const char *cp = *cpp;
    size_t  n = 0;

    while (*cp == ' ' || *cp == '\t')
	cp++;
    if (*cp == 0 || *cp == '#')
	return (0);
    while (*cp && *cp != ' ' && *cp != '\t') {
	if (n + 1 >= len)
	    return (-1);
	buf[n++] = *cp++;
    }
    buf[n] = 0;
    *cpp = cp;
    return (1);
}

/* rules_index - position of word in a NULL terminated table, -1 if none */

static int rules_index(const char *const *table, const char *word)
{
    int     i;

    for (i = 0; table[i] != NULL; i++)
	if (strcmp(table[i], word) == 0)
	    return (i);
    return (-1);
}

/* rules_phrase_regex - a "phrase" as a Hyperscan expression */

static char *rules_phrase_regex(const char *p, size_t len)
{
    struct sbuf sb;
    size_t  i;
    int     prefix = 0;

    if (len > 0 && p[len - 1] == '*') {
	prefix = 1;
	len--;
    }
    sbuf_init(&sb, RULES_MAX_REGEX_BYTES);

    /*
     * Word boundaries where the phrase starts or ends with a word
     * character; white space runs, hyphens and apostrophes as people
     * type them.
     */
    if (len > 0 && (isalnum_ascii(p[0])))
	(void) sbuf_puts(&sb, "\\b");
    for (i = 0; i < len; i++) {
	unsigned char c = (unsigned char) p[i];

	if (c == ' ') {
	    while (i + 1 < len && p[i + 1] == ' ')
		i++;
	    (void) sbuf_puts(&sb, "\\s+");
	} else if (c == '-') {
	    (void) sbuf_puts(&sb, "[\\s\\-]?");
	} else if (c == '\'') {
	    (void) sbuf_puts(&sb, "(?:'|\\xe2\\x80\\x99)");
	} else if (isalnum_ascii(c) || c == '_' || c >= 0x80) {
	    (void) sbuf_putc(&sb, c);
	} else {
	    (void) sbuf_printf(&sb, "\\x%02x", c);
	}
    }
    if (!prefix && len > 0 && isalnum_ascii(p[len - 1]))
	(void) sbuf_puts(&sb, "\\b");
    if (sb.truncated || sb.len == 0) {
	sbuf_free(&sb);
	return (NULL);
    }
    return (sbuf_steal(&sb));
}

/* rules_pattern - "phrase"flags or /regex/flags at *cpp */

static int rules_pattern(struct rules_build *b, const char **cpp, char **expr,
			         unsigned *hs_flags, int *keep, char **phrase,
			         int *first_person)
{
    const char *cp = *cpp;
    struct sbuf raw;
    char    delim;

    *expr = NULL;
    *phrase = NULL;
    *keep = 0;
    *first_person = 0;
    while (*cp == ' ' || *cp == '\t')
	cp++;
    if (*cp != '"' && *cp != '/')
	return (rules_fail(b, "expected a \"phrase\" or a /regex/"));
    delim = *cp++;
    sbuf_init(&raw, RULES_MAX_LINE_BYTES);

    /*
     * The body up to the closing delimiter: \" in a phrase and \/ in a
     * regex write the delimiter; in a regex every other escape is
     * Hyperscan's.
     */
    for (;;) {
	if (*cp == 0) {
	    sbuf_free(&raw);
	    return (rules_fail(b, "unterminated %s", delim == '"' ? "phrase" : "regex"));
	}
	if (*cp == '\\' && cp[1] == delim) {
	    (void) sbuf_putc(&raw, delim);
	    cp += 2;
	    continue;
	}
	if (*cp == '\\' && delim == '"' && cp[1] == '\\') {
	    (void) sbuf_putc(&raw, '\\');
	    cp += 2;
	    continue;
	}
	if (*cp == '\\' && delim == '/' && cp[1] != 0) {
	    (void) sbuf_append(&raw, cp, 2);
	    cp += 2;
	    continue;
	}
	if (*cp == delim)
	    break;
	(void) sbuf_putc(&raw, *cp++);
    }
    cp++;
    if (raw.len == 0) {
	sbuf_free(&raw);
	return (rules_fail(b, "empty pattern"));
    }

    /*
     * Flags, right after the closing delimiter.
     */
    *hs_flags = delim == '"' ? HS_FLAG_CASELESS : 0;
    for (; *cp && *cp != ' ' && *cp != '\t' && *cp != '#'; cp++) {
	switch (*cp) {
	case 'i':
	    *hs_flags |= HS_FLAG_CASELESS;
	    break;
	case 's':
	    *hs_flags |= HS_FLAG_DOTALL;
	    break;
	case 'm':
	    *hs_flags |= HS_FLAG_MULTILINE;
	    break;
	case 'k':
	    *keep = 1;
	    break;
	case 'S':
	    *hs_flags |= HS_FLAG_SOM_LEFTMOST;
	    break;
	case 'P':
	    *first_person = 1;
	    break;
	default:
	    sbuf_free(&raw);
	    return (rules_fail(b, "unknown pattern flag '%c' (flags: i s m k S P)", *cp));
	}
    }
    if (delim == '"') {
	*expr = rules_phrase_regex(sbuf_str(&raw), raw.len);
	if (*expr == NULL) {
	    sbuf_free(&raw);
	    return (rules_fail(b, "phrase too long"));
	}
	if ((*phrase = sbuf_steal(&raw)) == NULL) {
	    free(*expr);
	    *expr = NULL;
	    return (rules_fail(b, "out of memory"));
	}
    } else {
	*expr = sbuf_steal(&raw);
	if (*expr == NULL)
	    return (rules_fail(b, "out of memory"));
    }
    *cpp = cp;
    return (0);
}

/* rules_flow_expr - a regex for the flowing text, or NULL: it needs lines */

static char *rules_flow_expr(const char *e, unsigned hs_flags)
{
    struct sbuf sb;
    int     in_class = 0;

    /*
     * match.c scans most patterns over the text as it flows: every run
     * of white space one byte, a line break where the run holds a blank
     * line, a space elsewhere. There \s+ outside a bracket is written
     * as one space, which keeps the words on each side of it one literal
     * for Hyperscan (a \s+ between two words splits them into two
     * short, frequent literals: the scan is then about twice as slow);
     * and \s* as \s?, the same there and a tenth faster. A pattern
     * that anchors at lines (^ $ \A \z \Z, the m flag) or asks for a
     * line break (\n \r outside a bracket) is scanned over the text as
     * written instead.
     */
    if (hs_flags & HS_FLAG_MULTILINE)
	return (NULL);
    sbuf_init(&sb, RULES_MAX_REGEX_BYTES);
    while (*e) {
	if (*e == '\\' && e[1] != 0) {
	    if (!in_class && strchr("nrAzZ", e[1]) != NULL)
		break;
	    if (!in_class && e[1] == 'x' && (strncasecmp(e + 2, "0a", 2) == 0
					     || strncasecmp(e + 2, "0d", 2) == 0))
		break;
	    if (!in_class && e[1] == 's' && e[2] == '+') {
		(void) sbuf_putc(&sb, ' ');
		e += 3;
		if (*e == '?' || *e == '+')
		    e++;			/* lazy or possessive: one space still */
		continue;
	    }
	    if (!in_class && e[1] == 's' && e[2] == '*') {
		(void) sbuf_puts(&sb, "\\s?");	/* the same there, and cheaper */
		e += 3;
		if (*e == '?' || *e == '+')
		    e++;
		continue;
	    }
	    (void) sbuf_append(&sb, e, 2);
	    e += 2;
	    continue;
	}
	if (in_class) {
	    if (*e == ']')
		in_class = 0;
	} else if (*e == '[') {
	    in_class = 1;
	    (void) sbuf_putc(&sb, *e++);
	    if (*e == '^')
		(void) sbuf_putc(&sb, *e++);
	    if (*e == ']')			/* a leading ] is a member */
		(void) sbuf_putc(&sb, *e++);
	    continue;
	} else if (*e == '^' || *e == '$') {
	    break;
	} else if (*e == '(' && e[1] == '?' && e[2] != ':' && e[2] != '#') {
	    const char *f;			/* (?m) and friends: be safe */

	    for (f = e + 2; *f && *f != ')' && *f != ':'; f++)
		if (*f == 'm')
		    break;
	    if (*f == 'm')
		break;
	}
	(void) sbuf_putc(&sb, *e++);
    }
    if (*e != 0 || sb.truncated) {
	sbuf_free(&sb);
	return (NULL);
    }
    return (sbuf_steal(&sb));
}

/* rules_add_pattern - append one pattern rule */

static int rules_add_pattern(struct rules_build *b, const struct classify_rule *rule,
			             char *expr, unsigned hs_flags)
{
    struct triage_rules *r = b->r;
    char   *flow;

    if (r->n_rules >= RULES_MAX_RULES) {
	free(expr);
	free(rule->phrase);
	return (rules_fail(b, "more than %d pattern rules", RULES_MAX_RULES));
    }
    if (r->n_rules == b->cap) {
	size_t  cap = b->cap ? b->cap * 2 : 256;
	struct classify_rule *nr = realloc(r->rules, cap * sizeof(*nr));
	char  **ne;
	unsigned *nf;

	if (nr != NULL)
	    r->rules = nr;
	ne = nr ? realloc(b->exprs, cap * sizeof(*ne)) : NULL;
	if (ne != NULL)
	    b->exprs = ne;
	nf = ne ? realloc(b->hs_flags, cap * sizeof(*nf)) : NULL;
	if (nf == NULL) {
	    free(expr);
	    free(rule->phrase);
	    return (rules_fail(b, "out of memory"));
	}
	b->hs_flags = nf;
	b->cap = cap;
    }
    r->rules[r->n_rules] = *rule;
    if ((flow = rules_flow_expr(expr, hs_flags)) != NULL) {
	free(expr);
	expr = flow;
	r->rules[r->n_rules].lines = 0;
	r->n_flow++;
    } else {
	r->rules[r->n_rules].lines = 1;
    }
    b->exprs[r->n_rules] = expr;
    b->hs_flags[r->n_rules] = hs_flags;
    r->n_rules++;
    return (0);
}

/* rules_number - an integer in [lo, hi] */

static int rules_number(const char *s, long lo, long hi, long *out)
{
    char   *end;
    long    v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
	return (-1);
    *out = v;
    return (0);
}

/* rules_rest_empty - nothing but a comment after cp */

static int rules_rest_empty(const char *cp)
{
    while (*cp == ' ' || *cp == '\t')
	cp++;
    return (*cp == 0 || *cp == '#');
}

/* rules_line - parse one line */

static int rules_line(struct rules_build *b, const char *line)
{
    struct triage_rules *r = b->r;
    const char *cp = line;
    char    kind[32], target[64], num[32];
    struct classify_rule rule;
    char   *expr, *phrase;
    unsigned hs_flags = 0;
    int     keep, k, first_person;
    long    v;

    if (rules_word(&cp, kind, sizeof(kind)) <= 0)
	return (0);			/* blank or comment */

    /*
     * set KNOB NUMBER
     */
    if (strcmp(kind, "set") == 0) {
	static const struct {
	    const char *name;
	    size_t  off;
	    long    lo, hi;
	}       knobs[] = {
#define KNOB(n, lo, hi) {#n, offsetof(struct classify_knobs, n), lo, hi}
	    KNOB(class_min, 1, RULES_MAX_KNOB), KNOB(other_min, 1, RULES_MAX_KNOB),
	    KNOB(item_min, 1, RULES_MAX_KNOB), KNOB(conduct_min, 1, RULES_MAX_KNOB),
	    KNOB(flag_min, 1, RULES_MAX_KNOB), KNOB(scope_min, 1, RULES_MAX_KNOB),
	    KNOB(subject_factor, 0, 100), KNOB(negation_window, 0, 256),
	    KNOB(quoted_percent, 0, 100), KNOB(severity_min, 1, RULES_MAX_KNOB),
#undef KNOB
	};
	size_t  i;

	if (rules_word(&cp, target, sizeof(target)) <= 0
	    || rules_word(&cp, num, sizeof(num)) <= 0)
	    return (rules_fail(b, "expected: set KNOB NUMBER"));
	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
	    if (strcmp(knobs[i].name, target) == 0)
		break;
	if (i == sizeof(knobs) / sizeof(knobs[0]))
	    return (rules_fail(b, "unknown knob \"%s\"", target));
	if (rules_number(num, knobs[i].lo, knobs[i].hi, &v) < 0)
	    return (rules_fail(b, "%s: expected a number from %ld to %ld",
			       target, knobs[i].lo, knobs[i].hi));
	*(int *) ((char *) &r->knobs + knobs[i].off) = (int) v;
	return (rules_rest_empty(cp) ? 0 : rules_fail(b, "text after the value"));
    }

    /*
     * base CLASS SEVERITY
     */
    if (strcmp(kind, "base") == 0) {
	enum triage_severity sev;

	if (rules_word(&cp, target, sizeof(target)) <= 0
	    || rules_word(&cp, num, sizeof(num)) <= 0)
	    return (rules_fail(b, "expected: base CLASS SEVERITY"));
	if ((k = rules_index(triage_class_names, target)) < 0)
	    return (rules_fail(b, "unknown class \"%s\"", target));
	sev = triage_severity_parse(num);
	if (sev == SEV_UNSET && strcmp(num, "unknown") != 0)
	    return (rules_fail(b, "unknown severity \"%s\" (none, low, medium, "
			       "high, critical, unknown)", num));
	r->base[k] = (signed char) sev;
	return (rules_rest_empty(cp) ? 0 : rules_fail(b, "text after the severity"));
    }

    /*
     * host third_party|reference DOMAIN
     */
    if (strcmp(kind, "host") == 0) {
	char    host[RULES_MAX_HOST_LEN + 2];
	struct strlist *list;
	size_t  i;

	if (rules_word(&cp, target, sizeof(target)) <= 0)
	    return (rules_fail(b, "expected: host third_party|reference DOMAIN"));
	if (strcmp(target, "third_party") == 0)
	    list = &r->third_party;
	else if (strcmp(target, "reference") == 0)
	    list = &r->reference;
	else
	    return (rules_fail(b, "unknown host list \"%s\" (third_party, reference)", target));
	if (rules_word(&cp, host, sizeof(host)) <= 0)
	    return (rules_fail(b, "expected a domain"));
	for (i = 0; host[i]; i++) {
	    host[i] = (char) tolower_ascii(host[i]);
	    if (!isalnum_ascii(host[i]) && host[i] != '.' && host[i] != '-')
		return (rules_fail(b, "\"%s\" is not a domain", host));
	}
	if (strlist_add_unique(list, host) < 0)
	    return (rules_fail(b, "out of memory"));
	return (rules_rest_empty(cp) ? 0 : rules_fail(b, "text after the domain"));
    }

    /*
     * negation PHRASE: a literal cue, looked for before a match.
     */
    if (strcmp(kind, "negation") == 0) {
	const char *q, *e;
	char    cue[64];
	size_t  n = 0;

	while (*cp == ' ' || *cp == '\t')
	    cp++;
	if (*cp != '"' || (e = strchr(cp + 1, '"')) == NULL || e == cp + 1)
	    return (rules_fail(b, "expected: negation \"phrase\""));
	for (q = cp + 1; q < e; q++) {
	    if (n + 1 >= sizeof(cue))
		return (rules_fail(b, "negation cue longer than %zu bytes", sizeof(cue) - 1));
	    cue[n++] = (char) tolower_ascii(*q);
	}
	cue[n] = 0;
	if (strlist_add_unique(&r->negations, cue) < 0)
	    return (rules_fail(b, "out of memory"));
	r->neg_first[(unsigned char) cue[0]] = 1;
	return (rules_rest_empty(e + 1) ? 0 : rules_fail(b, "text after the cue"));
    }

    /*
     * Pattern rules: quote PATTERN, or KIND TARGET WEIGHT PATTERN.
     */
    memset(&rule, 0, sizeof(rule));
    rule.line = b->line;
    rule.cls = -1;
    if (strcmp(kind, "quote") == 0) {
	rule.kind = RK_QUOTE;
	rule.weight = 0;
    } else {
	int     finding = strcmp(kind, "finding") == 0;

	if (finding)
	    k = RK_CLASS;
	else if ((k = rules_index(classify_kind_names, kind)) < 0 || k == RK_QUOTE)
	    return (rules_fail(b, "unknown rule kind \"%s\"", kind));
	rule.kind = (unsigned char) k;
	if (rules_word(&cp, target, sizeof(target)) <= 0)
	    return (rules_fail(b, "%s: expected a target word", kind));
	switch (rule.kind) {
	case RK_CLASS:
	    k = rules_index(triage_class_names, target);
	    break;
	case RK_ITEM:
	    k = rules_index(triage_item_names, target);
	    if (k == ITEM_TYPE)
		return (rules_fail(b, "item \"type\" follows from the classes; no rule sets it"));
	    break;
	case RK_SCOPE:
	    k = rules_index(classify_scope_target_names, target);
	    break;
	case RK_CONDUCT:
	    k = rules_index(triage_conduct_names, target);
	    break;
	case RK_FLAG:
	    k = rules_index(classify_flag_target_names, target);
	    break;
	default:			/* RK_SEVERITY: raise, lower, none, unknown [.CLASS] */
	    {
		char   *dot = strchr(target, '.');

		if (dot != NULL) {
		    *dot = 0;
		    if ((rule.cls = (signed char) rules_index(triage_class_names, dot + 1)) < 0)
			return (rules_fail(b, "severity: unknown class \"%s\"", dot + 1));
		}
		k = strcmp(target, "raise") == 0 ? SD_RAISE
		    : strcmp(target, "lower") == 0 ? SD_LOWER
		    : strcmp(target, "none") == 0 ? SD_NONE
		    : strcmp(target, "unknown") == 0 ? SD_UNKNOWN : -1;
		if (dot != NULL)
		    *dot = '.';
	    }
	    break;
	}
	if (k < 0)
	    return (rules_fail(b, "%s: unknown target \"%s\"", finding ? "finding" : kind, target));
	rule.target = (signed char) k;
	if (rules_word(&cp, num, sizeof(num)) <= 0
	    || rules_number(num, -RULES_MAX_WEIGHT, RULES_MAX_WEIGHT, &v) < 0)
	    return (rules_fail(b, "%s %s: expected a weight from %d to %d",
			       kind, target, -RULES_MAX_WEIGHT, RULES_MAX_WEIGHT));
	rule.weight = (short) v;
	rule.negatable = !finding && rule.kind != RK_QUOTE
	    && !(rule.kind == RK_ITEM && rule.target != ITEM_IMPACT);
    }
    if (rules_pattern(b, &cp, &expr, &hs_flags, &keep, &phrase, &first_person) < 0)
	return (-1);
    rule.first_person = (unsigned char) first_person;
    if (keep)
	rule.negatable = 0;
    if (!rules_rest_empty(cp)) {
	free(expr);
	free(phrase);
	return (rules_fail(b, "text after the pattern"));
    }

    /*
     * Where a match starts: a phrase is matched backwards from its end
     * (match.c), exactly and for free; a regex with the S flag is
     * tracked by Hyperscan; another regex starts at its end less its
     * widest match, within its line. Start-of-match tracking costs scan
     * time (a third of it for a few dozen patterns), hence only where
     * the words before a match decide and the regex does not start
     * with them.
     */
    rule.phrase = phrase;
    rule.som = phrase == NULL && (hs_flags & HS_FLAG_SOM_LEFTMOST);
    if (phrase == NULL && !rule.som)
	rule.no_som = 1;
    return (rules_add_pattern(b, &rule, expr, hs_flags));
}

/* rules_defaults - knobs and base severities before the file speaks */

static void rules_defaults(struct triage_rules *r)
{
    int     i;

    r->knobs.class_min = 2;
    r->knobs.other_min = 1;
    r->knobs.item_min = 2;
    r->knobs.conduct_min = 2;
    r->knobs.flag_min = 2;
    r->knobs.scope_min = 2;
    r->knobs.subject_factor = 2;
    r->knobs.negation_window = 28;
    r->knobs.quoted_percent = 0;
    r->knobs.severity_min = 2;
    for (i = 0; i < C_COUNT; i++)
	r->base[i] = SEV_UNSET;
}

/* rules_read - the whole file, bounded */

static char *rules_read(struct rules_build *b, const char *path)
{
    FILE   *fp;
    char   *buf;
    size_t  n;

    if ((fp = fopen(path, "r")) == NULL) {
	rules_fail(b, "cannot open: %s", strerror(errno));
	return (NULL);
    }
    if ((buf = malloc(RULES_MAX_FILE_BYTES + 1)) == NULL) {
	fclose(fp);
	rules_fail(b, "out of memory");
	return (NULL);
    }
    n = fread(buf, 1, RULES_MAX_FILE_BYTES + 1, fp);
    if (ferror(fp) || n > RULES_MAX_FILE_BYTES) {
	rules_fail(b, ferror(fp) ? "read error" : "larger than %lu bytes",
		   (unsigned long) RULES_MAX_FILE_BYTES);
	fclose(fp);
	free(buf);
	return (NULL);
    }
    fclose(fp);
    buf[n] = 0;
    if (memchr(buf, 0, n) != NULL) {
	rules_fail(b, "contains a NUL byte");
	free(buf);
	return (NULL);
    }
    return (buf);
}

/* triage_rules_load - parse, validate, compile: all or nothing */

/* rules_compile - the database of the rules for lines, or for flowing text */

static int rules_compile(struct rules_build *b, int lines, hs_database_t **db)
{
    struct triage_rules *r = b->r;
    hs_compile_error_t *cerr = NULL;
    const char **exprs;
    unsigned *ids, *flags;
    size_t  i, n;
    int     rc = -1;

    exprs = malloc(r->n_rules * sizeof(*exprs));
    ids = malloc(r->n_rules * sizeof(*ids));
    flags = malloc(r->n_rules * sizeof(*flags));
    if (exprs == NULL || ids == NULL || flags == NULL) {
	rules_fail(b, "out of memory");
	goto out;
    }

    /*
     * No pattern tracks where it starts here: that costs every byte of
     * every scan (half the scan time for 16 patterns). A rule with the
     * S flag has a database of its own for that, run only over the few
     * bytes before one of its matches (rules_compile_som()). The
     * Hyperscan ID is the rule's index.
     */
    for (i = n = 0; i < r->n_rules; i++) {
	if (r->rules[i].lines != lines)
	    continue;
	exprs[n] = b->exprs[i];
	flags[n] = b->hs_flags[i] & ~HS_FLAG_SOM_LEFTMOST;
	ids[n++] = (unsigned) i;
    }
    if (hs_compile_multi(exprs, flags, ids, (unsigned) n, HS_MODE_BLOCK, NULL,
			 db, &cerr) != HS_SUCCESS) {
	*db = NULL;
	if (cerr != NULL && cerr->expression >= 0 && (size_t) cerr->expression < n) {
	    b->line = r->rules[ids[cerr->expression]].line;
	    rules_fail(b, "bad pattern: %s", cerr->message);
	} else {
	    rules_fail(b, "cannot compile the patterns: %s",
		       cerr ? cerr->message : "unknown error");
	}
	goto out;
    }
    rc = 0;

out:
    if (cerr != NULL)
	hs_free_compile_error(cerr);
    free(exprs);
    free(ids);
    free(flags);
    return (rc);
}

/* rules_compile_som - the start-tracking database of a rule with the S flag */

static int rules_compile_som(struct rules_build *b, size_t i)
{
    struct triage_rules *r = b->r;
    hs_compile_error_t *cerr = NULL;

    /*
     * A pattern whose start Hyperscan cannot track (big bounded
     * repeats: "Pattern is too large") goes without: its start is then
     * its end less its widest match (match.c). It compiled in the main
     * database, so any other error here is Hyperscan's own.
     */
    if (hs_compile(b->exprs[i], b->hs_flags[i], HS_MODE_BLOCK, NULL,
		   &r->rules[i].som_db, &cerr) == HS_SUCCESS)
	return (0);
    r->rules[i].som_db = NULL;
    if (cerr != NULL && strstr(cerr->message, "too large") != NULL) {
	hs_free_compile_error(cerr);
	r->rules[i].no_som = 1;
	return (0);
    }
    b->line = r->rules[i].line;
    rules_fail(b, "bad pattern: %s", cerr ? cerr->message : "unknown error");
    if (cerr != NULL)
	hs_free_compile_error(cerr);
    return (-1);
}

/* rules_builtin - the databases compiled in, when they fit; 0 = used */

static int rules_builtin(struct triage_rules *r)
{
    size_t  i;

    if (classify_default_db_len == 0 || classify_default_n_rules != r->n_rules
	|| (classify_default_db_lines_len == 0) != (r->n_flow == r->n_rules))
	return (-1);
    if (hs_deserialize_database((const char *) classify_default_db,
				classify_default_db_len, &r->db) != HS_SUCCESS
	|| (classify_default_db_lines_len > 0
	    && hs_deserialize_database((const char *) classify_default_db_lines,
				       classify_default_db_lines_len,
				       &r->db_lines) != HS_SUCCESS))
	return (-1);
    for (i = 0; i + 2 < classify_default_som_index_len; i += 3) {
	unsigned rule = classify_default_som_index[i];

	if (rule >= r->n_rules || !r->rules[rule].som
	    || hs_deserialize_database((const char *) classify_default_som
				       + classify_default_som_index[i + 1],
				       classify_default_som_index[i + 2],
				       &r->rules[rule].som_db) != HS_SUCCESS)
	    return (-1);
    }
    for (i = 0; i + 2 < classify_default_nosom_len; i += 3) {
	if (classify_default_nosom[i] < r->n_rules) {
	    r->rules[classify_default_nosom[i]].no_som = 1;
	    r->rules[classify_default_nosom[i]].max_width = classify_default_nosom[i + 1];
	    r->rules[classify_default_nosom[i]].min_width = classify_default_nosom[i + 2];
	}
    }
    for (i = 0; i < r->n_rules; i++)
	if (r->rules[i].som && r->rules[i].som_db == NULL && !r->rules[i].no_som)
	    return (-1);
    return (0);
}

/* rules_free_dbs - every Hyperscan database of a rules object */

static void rules_free_dbs(struct triage_rules *r)
{
    size_t  i;

    if (r->db != NULL)
	hs_free_database(r->db);
    if (r->db_lines != NULL)
	hs_free_database(r->db_lines);
    r->db = r->db_lines = NULL;
    for (i = 0; i < r->n_rules; i++) {
	if (r->rules[i].som_db != NULL)
	    hs_free_database(r->rules[i].som_db);
	r->rules[i].som_db = NULL;
    }
}

struct triage_rules *triage_rules_load(const char *path, char *err, size_t errlen)
{
    struct rules_build b;
    struct triage_rules *r;
    char   *owned = NULL, line[RULES_MAX_LINE_BYTES + 1], key[65] = "";
    const char *text, *cp, *nl, *slash;
    hs_compile_error_t *cerr = NULL;
    size_t  i, len;
    int     rc = -1;
    hs_expr_info_t *info = NULL;
    char    dummy[1];

    memset(&b, 0, sizeof(b));
    b.file = path ? path : "built-in";
    b.err = err ? err : dummy;
    b.errlen = err ? errlen : sizeof(dummy);
    if ((r = calloc(1, sizeof(*r))) == NULL) {
	rules_fail(&b, "out of memory");
	return (NULL);
    }
    b.r = r;
    rules_defaults(r);
    slash = path ? strrchr(path, '/') : NULL;
    if ((r->source = strdup(b.file)) == NULL
	|| (r->name = strdup(path == NULL ? "default.rules" : slash ? slash + 1 : path)) == NULL) {
	rules_fail(&b, "out of memory");
	goto out;
    }

    /*
     * The text: the file, or the rules compiled in.
     */
    if (path != NULL) {
	if ((owned = rules_read(&b, path)) == NULL)
	    goto out;
	text = owned;
    } else {
	text = classify_default_rules;
    }

    /*
     * Line by line; the first error ends the load.
     */
    for (cp = text; *cp; cp = nl ? nl + 1 : cp + len) {
	if (++b.line > RULES_MAX_LINES) {
	    rules_fail(&b, "more than %d lines", RULES_MAX_LINES);
	    goto out;
	}
	nl = strchr(cp, '\n');
	len = nl ? (size_t) (nl - cp) : strlen(cp);
	if (len > RULES_MAX_LINE_BYTES) {
	    rules_fail(&b, "line longer than %d bytes", RULES_MAX_LINE_BYTES);
	    goto out;
	}
	memcpy(line, cp, len);
	if (len > 0 && line[len - 1] == '\r')
	    len--;
	line[len] = 0;
	if (rules_line(&b, line) < 0)
	    goto out;
	if (nl == NULL)
	    break;
    }
    b.line = 0;
    if (r->n_rules == 0) {
	rules_fail(&b, "no pattern rules");
	goto out;
    }

    /*
     * The built-in rules come compiled (classify/mkrulesdb): use those
     * databases when they fit this machine and these rules. Otherwise
     * one database for the flowing text, one for lines (if any rule
     * needs them), and one for each rule with the S flag.
     */
    if (path == NULL && rules_builtin(r) == 0) {
	r->prebuilt = 1;
    } else {
	rules_free_dbs(r);
	for (i = 0; i < r->n_rules; i++)
	    r->rules[i].no_som = r->rules[i].phrase == NULL && !r->rules[i].som;
	rules_cache_key(r, b.exprs, b.hs_flags, key);
	if (rules_cache_load(r, key) == 0) {
	    r->cached = 1;
	} else {
	    if (rules_compile(&b, 0, &r->db) < 0
		|| (r->n_flow < r->n_rules && rules_compile(&b, 1, &r->db_lines) < 0))
		goto out;
	    for (i = 0; i < r->n_rules; i++)
		if (r->rules[i].som && rules_compile_som(&b, i) < 0)
		    goto out;
	}
    }
    rc = 0;

out:
    /*
     * The widest match of each regex without start tracking (the cache
     * and the databases compiled in come with these).
     */
    for (i = 0; rc == 0 && !r->cached && !r->prebuilt && i < r->n_rules; i++) {
	if (!r->rules[i].no_som || r->rules[i].phrase != NULL)
	    continue;
	r->rules[i].max_width = CLASSIFY_GUESS_WIDTH;
	if (hs_expression_info(b.exprs[i], b.hs_flags[i], &info, &cerr) == HS_SUCCESS) {
	    if (info->max_width < CLASSIFY_GUESS_WIDTH)
		r->rules[i].max_width = info->max_width;
	    r->rules[i].min_width = info->min_width < r->rules[i].max_width ?
		info->min_width : r->rules[i].max_width;
	    free(info);
	} else {
	    hs_free_compile_error(cerr);
	}
	cerr = NULL;
    }
    /* What was compiled here, for the next load of these rules. */
    if (rc == 0 && !r->prebuilt && !r->cached)
	rules_cache_save(r, key);
    for (i = 0; i < r->n_rules && b.exprs; i++)
	free(b.exprs[i]);
    free(b.exprs);
    free(b.hs_flags);
    free(owned);
    if (rc < 0) {
	triage_rules_free(r);
	return (NULL);
    }

    /*
     * A number no other load has: match.c knows by it whether a
     * thread's scratch was made for these rules (an address may be
     * reused after a reload, a serial is not).
     */
    r->serial = __atomic_add_fetch(&rules_serial, 1, __ATOMIC_RELAXED);

    /* A scratch made now: the first report scanned does not pay for it. */
    classify_scratch_warm(r);
    return (r);
}

/* triage_rules_free - release a rules object no thread uses any more */

void    triage_rules_free(struct triage_rules *r)
{
    if (r == NULL)
	return;
    rules_free_dbs(r);
    for (size_t i = 0; i < r->n_rules; i++)
	free(r->rules[i].phrase);
    free(r->rules);
    free(r->source);
    free(r->name);
    strlist_free(&r->negations);
    strlist_free(&r->third_party);
    strlist_free(&r->reference);
    free(r);
}

/* triage_rules_prebuilt - 1: the built-in rules' compiled-in databases */

int     triage_rules_prebuilt(const struct triage_rules *r)
{
    return (r != NULL && r->prebuilt);
}

/* triage_rules_cached - 1 when the databases came from the cache */

int     triage_rules_cached(const struct triage_rules *r)
{
    return (r != NULL && r->cached);
}

/* triage_rules_source - the path, or "built-in" */

const char *triage_rules_source(const struct triage_rules *r)
{
    return (r && r->source ? r->source : "built-in");
}
