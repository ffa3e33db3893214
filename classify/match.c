/*++
/* NAME
/*	match 3
/* SUMMARY
/*	scan a message once with the rules and tally what matched
/* SYNOPSIS
/*	#include "classify/classify_private.h"
/*
/*	int	classify_scan_run(rules, subject, subject_len, text, text_len,
/*				quoted_counts, scan)
/*	void	classify_scan_free(scan)
/*	char	*classify_snippet(buf, len, start, end)
/*	char	*classify_rule_id(rules, rule)
/* DESCRIPTION
/*	classify_scan_run() runs the rules' Hyperscan database over the
/*	Subject and over the text: one pass each, every pattern at once.
/*	Each match is kept as a hit (at most MATCH_MAX_HITS, at most
/*	MATCH_MAX_PER_RULE per rule), then judged:
/* .IP negated
/*	a negation cue of the rules ends at most negation_window bytes
/*	before the match, in the same clause (no . ! ? ; : , ( ) " or blank
/*	line in between), and the rule is negatable.
/* .IP quoted
/*	the match is on a line that starts with '>', or after the first
/*	match of a quote rule ("On ... wrote:"); it weighs quoted_percent,
/*	unless quoted_counts (a forward: the quoted text is the report).
/* .IP repeat
/*	the rule already counted in the same place (Subject or text).
/* .PP
/*	What counts is added to the tally of its kind and target: the
/*	weight (times subject_factor in the Subject), and the hit as
/*	evidence, the heaviest TRIAGE_EVIDENCE_MAX kept.
/*
/*	classify_snippet() is the matched text with a little context on
/*	each side, cut on UTF-8 boundaries and passed through the one
/*	sanitiser, at most TRIAGE_EVIDENCE_MATCH_MAX bytes.
/*
/*	classify_rule_id() is "NAME:LINE" of a rule, e.g.
/*	"default.rules:142", malloc()ed.
/*
/*	Thread safety: the rules are only read; each scan takes a Hyperscan
/*	scratch of its own from a pool of idle ones (made for the same
/*	rules, or grown when a rules object needs more) and gives it back.
/*
/*	What this file never does: decide. triage.c and severity.c read
/*	the tallies.
/* DIAGNOSTICS
/*	classify_scan_run() returns -1 with errno set when memory runs out
/*	or Hyperscan fails; bounds reached set scan->stopped.
/*--*/

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1			/* memrchr() */
#endif

/* System library. */

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Third-party libraries. */

#include <hs.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Utility library. */

#include "util/util.h"

/* Application-specific. */

#include "classify/triage.h"
#include "classify/classify_private.h"

 /*
  * Bounds on what one message can make us do.
  */
#define MATCH_MAX_HITS		8192	/* hits kept per message */
#define MATCH_MAX_PER_RULE	32	/* hits kept per rule */
#define MATCH_FIRST_HITS	256	/* hit table at first; doubles up to the max */
#define MATCH_QUOTE_LINE_SCAN	2048	/* bytes looked back for a '>' line */
#define MATCH_NEG_BUF		300	/* negation window, folded */
#define MATCH_SNIPPET_CONTEXT	24	/* bytes of context each side */
#define MATCH_PHRASE_MAX_STEPS	4096	/* bytes walked back for a phrase start */
#define MATCH_PERSON_WINDOW	120	/* bytes looked back for "I" or "we" */
#define MATCH_SOM_WINDOW	4096	/* bytes an S rule's start is looked for in */

#define MATCH_SCRATCH_POOL	64	/* idle scratches kept for reuse */

 /*
  * Idle Hyperscan scratches, shared by all threads. libmilter starts a
  * thread per SMTP connection, and most connections carry one message:
  * a scratch per thread was made (and freed) once per report.
  * hs_alloc_scratch() checks each database it is given (a CRC over its
  * bytes; with the S rules' databases some 300 us, longer than the scan
  * of a report), so a scan takes an idle scratch made for the same
  * rules (by serial) and gives it back when done. A scratch made for
  * other rules (a reload) is grown and checked again before use. The
  * pool holds as many scratches as reports were ever scanned at once,
  * at most MATCH_SCRATCH_POOL; more are freed when given back.
  */
struct match_idle {
    hs_scratch_t *scratch;
    unsigned long serial;
};
static pthread_mutex_t match_pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct match_idle match_pool[MATCH_SCRATCH_POOL];
static size_t match_pool_n;

/* match_scratch_get - an idle scratch for the rules, or a new one */

static hs_scratch_t *match_scratch_get(const struct triage_rules *r)
{
    hs_scratch_t *s = NULL;
    unsigned long serial = 0;
    size_t  i;
    int     ok;

    (void) pthread_mutex_lock(&match_pool_lock);
    for (i = match_pool_n; i > 0; i--)
	if (match_pool[i - 1].serial == r->serial)
	    break;
    if (i == 0 && match_pool_n > 0)
	i = match_pool_n;			/* other rules': grown below */
    if (i > 0) {
	s = match_pool[i - 1].scratch;
	serial = match_pool[i - 1].serial;
	match_pool[i - 1] = match_pool[--match_pool_n];
    }
    (void) pthread_mutex_unlock(&match_pool_lock);
    if (s != NULL && r->serial != 0 && serial == r->serial)
	return (s);

    /*
     * hs_alloc_scratch() keeps a scratch that is big enough already,
     * and grows one made for a smaller (older) rules database.
     */
    ok = hs_alloc_scratch(r->db, &s) == HS_SUCCESS
	&& (r->db_lines == NULL || hs_alloc_scratch(r->db_lines, &s) == HS_SUCCESS);
    for (i = 0; ok && i < r->n_rules; i++)
	if (r->rules[i].som_db != NULL)
	    ok = hs_alloc_scratch(r->rules[i].som_db, &s) == HS_SUCCESS;
    if (!ok) {
	if (s != NULL)
	    hs_free_scratch(s);
	return (NULL);
    }
    return (s);
}

/* match_scratch_put - give a scratch made for the rules back to the pool */

static void match_scratch_put(const struct triage_rules *r, hs_scratch_t *s)
{
    int     kept = 0;

    if (s == NULL)
	return;
    (void) pthread_mutex_lock(&match_pool_lock);
    if (match_pool_n < MATCH_SCRATCH_POOL && r->serial != 0) {
	match_pool[match_pool_n].scratch = s;
	match_pool[match_pool_n].serial = r->serial;
	match_pool_n++;
	kept = 1;
    }
    (void) pthread_mutex_unlock(&match_pool_lock);
    if (!kept)
	hs_free_scratch(s);
}

 /*
  * The text as it flows: a line break first (the text starts a
  * paragraph), then the text with each run of white space one byte, a
  * space, or a line break where the run holds a blank line. Most rules are
  * scanned over this (rules.c says which); a hit's offsets are mapped
  * back to the text as written, where everything else looks.
  */
struct match_flow {
    char   *buf;
    size_t  len;
    uint32_t *at;			/* flow offsets where the shift grows */
    uint32_t *shift;			/* from at[k] on: written = flow + shift[k] - 1 */
    size_t  n;
    size_t  cap;
};

 /*
  * The callback's view of one scan.
  */
struct match_ctx {
    struct classify_scan *scan;
    const char *buf;			/* what is scanned */
    unsigned char subject;
};

/* match_space - white space as the phrases' \\s+ sees it */

static const unsigned char match_ws[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
};

static inline int match_space(int c)
{
    return (match_ws[c & 0xff]);
}

/* classify_scratch_warm - one idle scratch for new rules, made ahead */

void    classify_scratch_warm(const struct triage_rules *r)
{
    match_scratch_put(r, match_scratch_get(r));
}

/* match_flow_make - the flowing text of buf; -1 when memory runs out */

static int match_flow_make(struct match_flow *f, const char *buf, size_t len)
{
    size_t  i, o, run, nl;

    memset(f, 0, sizeof(*f));
    if ((f->buf = malloc(len + 2)) == NULL)
	return (-1);
    f->buf[0] = '\n';			/* the text starts a paragraph */
    for (i = 0, o = 1; i < len;) {
	if (!match_space((unsigned char) buf[i])) {
#ifdef __SSE2__

	    /*
	     * A run of text up to the next byte <= ' ' (every white space
	     * byte is one), sixteen bytes at a time. The store may write
	     * past the run: o <= i + 1 and i + 16 <= len, inside len + 2.
	     */
	    while (i + 16 <= len) {
		__m128i v = _mm_loadu_si128((const __m128i *) (buf + i));
		unsigned low = (unsigned) _mm_movemask_epi8(
			       _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(' ')), v));
		unsigned n = low ? (unsigned) __builtin_ctz(low) : 16;

		_mm_storeu_si128((__m128i *) (f->buf + o), v);
		o += n;
		i += n;
		if (n < 16)
		    break;
	    }
	    if (i < len && !match_space((unsigned char) buf[i]))
		f->buf[o++] = buf[i++];
#else
	    f->buf[o++] = buf[i++];
#endif
	    continue;
	}
	for (run = nl = 0; i + run < len && match_space((unsigned char) buf[i + run]); run++)
	    nl += buf[i + run] == '\n';
	f->buf[o++] = nl >= 2 ? '\n' : ' ';
	i += run;
	if (run == 1)
	    continue;
	if (f->n == f->cap) {
	    size_t  cap = f->cap ? f->cap * 2 : 64;
	    uint32_t *na = realloc(f->at, cap * sizeof(*na)), *ns;

	    if (na != NULL)
		f->at = na;
	    if (na == NULL || (ns = realloc(f->shift, cap * sizeof(*ns))) == NULL)
		return (-1);
	    f->shift = ns;
	    f->cap = cap;
	}
	f->at[f->n] = (uint32_t) o;		/* len <= UINT32_MAX: the caller */
	f->shift[f->n++] = (uint32_t) (i + 1 - o);	/* never negative: o <= i + 1 */
    }
    f->buf[o] = 0;
    f->len = o;
    return (0);
}

/* match_flow_free - release a flowing text */

static void match_flow_free(struct match_flow *f)
{
    free(f->buf);
    free(f->at);
    free(f->shift);
    memset(f, 0, sizeof(*f));
}

/* match_flow_written - the offset in the text as written of flow offset p */

static size_t match_flow_written(const struct match_flow *f, size_t p)
{
    size_t  lo = 0, hi = f->n;

    while (lo < hi) {			/* the first at[] beyond p */
	size_t  mid = lo + (hi - lo) / 2;

	if (f->at[mid] <= p)
	    lo = mid + 1;
	else
	    hi = mid;
    }
    if (lo > 0)
	return (p + f->shift[lo - 1] - 1);
    return (p > 0 ? p - 1 : 0);		/* 0: the line break put first */
}

/* match_phrase_start - walk a phrase back from where Hyperscan said it ends */

static size_t match_phrase_start(const char *buf, size_t end, const char *ph)
{
    size_t  k = strlen(ph), i = end, steps = 0;

    if (k > 0 && ph[k - 1] == '*')
	k--;
    while (k > 0 && steps++ < MATCH_PHRASE_MAX_STEPS) {
	unsigned char c = (unsigned char) ph[k - 1];

	if (c == ' ') {
	    if (i == 0 || !match_space((unsigned char) buf[i - 1]))
		break;
	    while (i > 0 && match_space((unsigned char) buf[i - 1]) && steps++ < MATCH_PHRASE_MAX_STEPS)
		i--;
	    while (k > 0 && ph[k - 1] == ' ')
		k--;
	} else if (c == '-') {
	    if (i > 0 && (buf[i - 1] == '-' || match_space((unsigned char) buf[i - 1])))
		i--;
	    k--;
	} else if (c == '\'' && i >= 3 && (unsigned char) buf[i - 3] == 0xe2
		   && (unsigned char) buf[i - 2] == 0x80 && (unsigned char) buf[i - 1] == 0x99) {
	    i -= 3;
	    k--;
	} else if (i > 0 && tolower_ascii((unsigned char) buf[i - 1]) == tolower_ascii(c)) {
	    i--;
	    k--;
	} else {
	    break;
	}
    }

    /*
     * Not walked to its first byte (cannot happen for a true match):
     * its length back from the end, which is near enough.
     */
    if (k > 0) {
	k = strlen(ph);
	return (end > k ? end - k : 0);
    }
    return (i);
}

/* match_regex_start - a regex without start tracking: its widest match back, within its line */

static size_t match_regex_start(const char *buf, size_t end, unsigned max_width)
{
    size_t  from = end > max_width ? end - max_width : 0;
    size_t  i;

    /*
     * Not before the line, nor before the sentence (". ", "! ", "? ",
     * ";"): a URL's dots do not end one.
     */
    for (i = end > 0 ? end - 1 : 0; i > from; i--) {
	char    c = buf[i - 1];

	if (c == '\n' || c == ';'
	    || ((c == '.' || c == '!' || c == '?') && match_space((unsigned char) buf[i])))
	    return (i);
    }
    return (from);
}

/* match_on_hit - Hyperscan's callback: keep the hit, within bounds */

static int match_on_hit(unsigned id, unsigned long long from,
			        unsigned long long to, unsigned flags, void *arg)
{
    struct match_ctx *ctx = arg;
    struct classify_scan *scan = ctx->scan;
    const struct classify_rule *rule;
    struct classify_hit *h;

    (void) flags;
    if (id >= scan->rules->n_rules)
	return (0);
    rule = &scan->rules->rules[id];
    if (scan->per_rule[id] >= MATCH_MAX_PER_RULE) {
	scan->stopped = 1;
	return (0);
    }
    if (scan->n_hits >= scan->cap_hits) {
	struct classify_hit *nh;
	size_t  cap = scan->cap_hits * 2;

	if (cap > MATCH_MAX_HITS
	    || (nh = realloc(scan->hits, cap * sizeof(*nh))) == NULL) {
	    scan->stopped = 1;
	    return (1);			/* stop when full */
	}
	scan->hits = nh;
	scan->cap_hits = cap;
    }
    scan->per_rule[id]++;
    h = &scan->hits[scan->n_hits++];
    h->rule = id;
    if (rule->phrase != NULL)
	from = match_phrase_start(ctx->buf, (size_t) to, rule->phrase);
    else if (rule->som_db == NULL)
	from = match_regex_start(ctx->buf, (size_t) to, rule->max_width);
    h->start = (size_t) from;
    h->end = (size_t) to;
    h->subject = ctx->subject;
    h->state = HIT_COUNTED;
    h->weight = 0;
    return (0);
}

/* match_is_break - a byte that ends a clause for negation */

static int match_is_break(int c)
{
    return (c == '.' || c == '!' || c == '?' || c == ';' || c == ':'
	    || c == ',' || c == '(' || c == ')' || c == '"');
}

/* match_negated - a negation cue in [from - negation_window, start) */

static int match_negated(const struct triage_rules *r, const char *buf,
			         size_t from, size_t start)
{
    char    win[MATCH_NEG_BUF + 2];
    size_t  i, n = 0, wl;
    size_t  k;

    if (r->knobs.negation_window <= 0 || r->negations.n == 0 || start == 0)
	return (0);
    from = from > (size_t) r->knobs.negation_window ?
	from - (size_t) r->knobs.negation_window : 0;

    /*
     * The window, folded: lower case, white space as one space, the
     * typographic apostrophe as ASCII; it starts after the last clause
     * break.
     */
    win[n++] = ' ';
    for (i = from; i < start && n < MATCH_NEG_BUF; i++) {
	unsigned char c = (unsigned char) buf[i];

	if (match_is_break(c) || (c == '\n' && i + 1 < start && buf[i + 1] == '\n')) {
	    n = 0;
	    win[n++] = ' ';
	    continue;
	}
	if (c == 0xe2 && i + 2 < start && (unsigned char) buf[i + 1] == 0x80
	    && (unsigned char) buf[i + 2] == 0x99) {
	    win[n++] = '\'';
	    i += 2;
	    continue;
	}
	if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
	    if (win[n - 1] != ' ')
		win[n++] = ' ';
	    continue;
	}
	win[n++] = (char) tolower_ascii(c);
    }
    win[n] = 0;

    /*
     * A cue must stand as words of its own: "no" in "know" is not one.
     */
    for (i = 0; i < n; i++) {
	if (!r->neg_first[(unsigned char) win[i]]
	    || (i > 0 && isalnum_ascii((unsigned char) win[i - 1])))
	    continue;
	for (k = 0; k < r->negations.n; k++) {
	    const char *cue = r->negations.v[k];

	    if (cue[0] != win[i] || strncmp(win + i, cue, wl = strlen(cue)) != 0)
		continue;
	    if (!isalnum_ascii((unsigned char) win[i + wl]) && win[i + wl] != '\'')
		return (1);
	}
    }
    return (0);
}

/* match_first_person - "I", "we", "my team" before buf[to], same sentence */

static int match_first_person(const char *buf, size_t to)
{
    static const char *const words[] = {"i", "we", "i've", "i'd", "i'm", "we've", "me"};
    size_t  from = to > MATCH_PERSON_WINDOW ? to - MATCH_PERSON_WINDOW : 0;
    size_t  i, ws, we, k;

    /*
     * Word by word, back to the start of the sentence.
     */
    for (i = to; i > from;) {
	while (i > from && !isalnum_ascii((unsigned char) buf[i - 1]) && buf[i - 1] != '\'') {
	    /* A dot inside a token ("1.5M", "app.example.org") ends nothing. */
	    if ((buf[i - 1] == '.' && (i >= to || !isalnum_ascii((unsigned char) buf[i])))
		|| buf[i - 1] == '!' || buf[i - 1] == '?' || buf[i - 1] == ';'
		|| (buf[i - 1] == '\n' && i >= 2 && buf[i - 2] == '\n'))
		return (0);
	    i--;
	}
	we = i;
	while (i > from && (isalnum_ascii((unsigned char) buf[i - 1]) || buf[i - 1] == '\''))
	    i--;
	ws = i;
	for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
	    if (strlen(words[k]) == we - ws && strncasecmp(buf + ws, words[k], we - ws) == 0)
		return (1);
    }
    return (0);
}

/* match_line_quoted - the line of buf[start] begins with '>' */

static int match_line_quoted(const char *buf, size_t start)
{
    size_t  i, scanned;

    for (i = start, scanned = 0; i > 0 && scanned < MATCH_QUOTE_LINE_SCAN; i--, scanned++)
	if (buf[i - 1] == '\n')
	    break;
    if (scanned >= MATCH_QUOTE_LINE_SCAN)
	return (0);
    while (buf[i] == ' ' || buf[i] == '\t')
	i++;
    return (buf[i] == '>');
}

/* match_evidence - keep the hit among the heaviest of its tally */

static void match_evidence(struct classify_scan *scan, struct classify_tally *t,
			           unsigned hit)
{
    unsigned i, j;
    short   w = scan->hits[hit].weight;

    for (i = 0; i < t->n_ev; i++)
	if (w > scan->hits[t->ev[i]].weight)
	    break;
    if (i >= TRIAGE_EVIDENCE_MAX)
	return;
    if (t->n_ev < TRIAGE_EVIDENCE_MAX)
	t->n_ev++;
    for (j = t->n_ev - 1; j > i; j--)
	t->ev[j] = t->ev[j - 1];
    t->ev[i] = hit;
}

/* match_cmp - Subject first, then by position */

static int match_cmp(const void *a, const void *b)
{
    const struct classify_hit *x = a, *y = b;

    if (x->subject != y->subject)
	return (x->subject ? -1 : 1);
    if (x->start != y->start)
	return (x->start < y->start ? -1 : 1);
    return (x->rule < y->rule ? -1 : x->rule > y->rule);
}

/* match_som_on_hit - the leftmost start of a match that ends at the end */

static int match_som_on_hit(unsigned id, unsigned long long from,
			            unsigned long long to, unsigned flags, void *arg)
{
    unsigned long long *want = arg;	/* [0] the end; [1] the start found */

    (void) id;
    (void) flags;
    if (to == want[0] && from < want[1])
	want[1] = from;
    return (0);
}

/* match_settle - exact starts of S rules, then offsets as written */

static void match_settle(struct classify_scan *scan, size_t first, hs_scratch_t *scratch,
			         const char *buf, const struct match_flow *flow)
{
    size_t  i;

    for (i = first; i < scan->n_hits; i++) {
	struct classify_hit *h = &scan->hits[i];
	const struct classify_rule *rule = &scan->rules->rules[h->rule];

	/*
	 * A rule with the S flag: its own database over the bytes before
	 * the match (a match longer than that starts where they start).
	 */
	if (rule->som_db != NULL) {
	    size_t  from = h->end > MATCH_SOM_WINDOW ? h->end - MATCH_SOM_WINDOW : 0;
	    unsigned long long want[2];

	    want[0] = h->end - from;
	    want[1] = ~0ULL;
	    if (hs_scan(rule->som_db, buf + from, (unsigned) (h->end - from), 0, scratch,
			match_som_on_hit, want) == HS_SUCCESS && want[1] <= want[0])
		h->start = from + (size_t) want[1];
	    else
		h->start = match_regex_start(buf, h->end, CLASSIFY_GUESS_WIDTH);
	}
	if (flow != NULL) {
	    h->start = match_flow_written(flow, h->start);
	    h->end = h->end > 0 ? match_flow_written(flow, h->end - 1) + 1 : 0;
	}
    }
}

/* match_scan_place - scan the Subject or the text: flowing, then as written */

static int match_scan_place(const struct triage_rules *r, hs_scratch_t *scratch,
			            struct classify_scan *scan, const char *buf,
			            size_t len, int subject)
{
    struct match_flow flow;
    struct match_ctx ctx;
    hs_error_t e = HS_SUCCESS;
    size_t  first;

    if (len == 0)
	return (0);
    if (len > UINT32_MAX - 2) {
	errno = EFBIG;
	return (-1);
    }
    if (match_flow_make(&flow, buf, len) < 0) {
	match_flow_free(&flow);
	errno = ENOMEM;
	return (-1);
    }

    /*
     * A full hit table stops a scan (HS_SCAN_TERMINATED is not an
     * error); the scan as written then has nowhere to put its hits
     * either.
     */
    ctx.scan = scan;
    ctx.subject = (unsigned char) subject;
    ctx.buf = flow.buf;
    first = scan->n_hits;
    if (flow.len > 0)
	e = hs_scan(r->db, flow.buf, (unsigned) flow.len, 0, scratch, match_on_hit, &ctx);
    match_settle(scan, first, scratch, flow.buf, &flow);
    if (e == HS_SUCCESS && r->db_lines != NULL) {
	ctx.buf = buf;
	first = scan->n_hits;
	e = hs_scan(r->db_lines, buf, (unsigned) len, 0, scratch, match_on_hit, &ctx);
	match_settle(scan, first, scratch, buf, NULL);
    }
    match_flow_free(&flow);
    if (e != HS_SUCCESS && e != HS_SCAN_TERMINATED) {
	errno = EINVAL;
	return (-1);
    }
    return (0);
}

/* classify_scan_run - one Hyperscan pass over Subject and text, then judge */

int     classify_scan_run(const struct triage_rules *r, const char *subject,
			          size_t subject_len, const char *text,
			          size_t text_len, int quoted_counts,
			          struct classify_scan *scan)
{
    hs_scratch_t *scratch;
    unsigned char *counted;
    int     saved_errno;		/* per rule: 1 subject, 2 text */
    size_t  i;

    memset(scan, 0, sizeof(*scan));
    scan->rules = r;
    scan->subject = subject;
    scan->subject_len = subject_len;
    scan->text = text;
    scan->text_len = text_len;
    scan->quote_start = text_len;
    scan->cap_hits = MATCH_FIRST_HITS;
    if ((scan->hits = malloc(scan->cap_hits * sizeof(*scan->hits))) == NULL
	|| (scan->per_rule = calloc(r->n_rules, sizeof(*scan->per_rule))) == NULL
	|| (counted = calloc(r->n_rules, 1)) == NULL) {
	classify_scan_free(scan);
	errno = ENOMEM;
	return (-1);
    }
    if ((scratch = match_scratch_get(r)) == NULL) {
	free(counted);
	classify_scan_free(scan);
	errno = ENOMEM;
	return (-1);
    }

    /*
     * The one pass: every pattern at once, Subject then text.
     */
    if (match_scan_place(r, scratch, scan, subject, subject_len, 1) < 0)
	goto fail;
    memset(scan->per_rule, 0, r->n_rules * sizeof(*scan->per_rule));
    if (match_scan_place(r, scratch, scan, text, text_len, 0) < 0)
	goto fail;
    match_scratch_put(r, scratch);
    scratch = NULL;
    qsort(scan->hits, scan->n_hits, sizeof(*scan->hits), match_cmp);

    /*
     * Where quoted earlier mail starts in the text.
     */
    for (i = 0; i < scan->n_hits; i++) {
	const struct classify_hit *h = &scan->hits[i];

	if (!h->subject && r->rules[h->rule].kind == RK_QUOTE && h->start < scan->quote_start)
	    scan->quote_start = h->start;
    }

    /*
     * Judge each hit, then add what counts to its tally.
     */
    for (i = 0; i < scan->n_hits; i++) {
	struct classify_hit *h = &scan->hits[i];
	const struct classify_rule *rule = &r->rules[h->rule];
	const char *buf = h->subject ? subject : text;
	unsigned char place = h->subject ? 1 : 2;
	int     w = rule->weight;
	size_t  neg_to;
	struct classify_tally *t;

	if (rule->kind == RK_QUOTE) {
	    h->state = HIT_REPEAT;
	    continue;
	}
	/*
	 * A regex whose start is a guess: the cue may stand anywhere up
	 * to where its shortest match would start.
	 */
	neg_to = h->start;
	if (rule->no_som && rule->phrase == NULL && h->end > h->start + rule->min_width)
	    neg_to = h->end - rule->min_width;
	if (rule->first_person && !match_first_person(buf, neg_to)) {
	    h->state = HIT_NEGATED;
	    continue;
	}
	if (rule->negatable && match_negated(r, buf, h->start, neg_to)) {
	    h->state = HIT_NEGATED;
	    continue;
	}
	if (!quoted_counts && !h->subject
	    && (h->start >= scan->quote_start || match_line_quoted(buf, h->start))) {
	    w = w * r->knobs.quoted_percent / 100;
	    if (w == 0) {
		h->state = HIT_QUOTED;
		continue;
	    }
	}
	if (counted[h->rule] & place) {
	    h->state = HIT_REPEAT;
	    continue;
	}
	counted[h->rule] |= place;
	if (h->subject)
	    w *= r->knobs.subject_factor;
	h->weight = (short) w;
	h->state = HIT_COUNTED;
	if (rule->kind == RK_SEVERITY)
	    continue;			/* severity.c reads the hits */
	t = &scan->tally[rule->kind][rule->target];
	t->score += w;
	if (w > 0)
	    match_evidence(scan, t, (unsigned) i);
    }
    free(counted);
    return (0);

fail:
    saved_errno = errno;
    match_scratch_put(r, scratch);
    free(counted);
    classify_scan_free(scan);
    errno = saved_errno;
    return (-1);
}

/* classify_scan_free - release what a scan holds */

void    classify_scan_free(struct classify_scan *scan)
{
    free(scan->hits);
    free(scan->per_rule);
    scan->hits = NULL;
    scan->per_rule = NULL;
    scan->n_hits = 0;
}

/* classify_snippet - the match with a little context, sanitised */

char   *classify_snippet(const char *buf, size_t len, size_t start, size_t end)
{
    size_t  from, to;

    if (start > len)
	start = len;
    if (end > len)
	end = len;
    if (end < start)
	end = start;
    from = start > MATCH_SNIPPET_CONTEXT ? start - MATCH_SNIPPET_CONTEXT : 0;
    to = len - end > MATCH_SNIPPET_CONTEXT ? end + MATCH_SNIPPET_CONTEXT : len;

    /*
     * Long matches keep their start: the context after is dropped
     * first by the length bound of the sanitiser.
     */
    if (end - start > TRIAGE_EVIDENCE_MATCH_MAX / 2)
	from = start > 8 ? start - 8 : 0;
    while (from > 0 && from < start && ((unsigned char) buf[from] & 0xc0) == 0x80)
	from++;
    while (to < len && to > end && ((unsigned char) buf[to] & 0xc0) == 0x80)
	to--;
    return (sm_sanitize(buf + from, to - from, TRIAGE_EVIDENCE_MATCH_MAX));
}

/* classify_rule_id - "NAME:LINE" */

char   *classify_rule_id(const struct triage_rules *r, unsigned rule)
{
    char    buf[300];

    (void) snprintf(buf, sizeof(buf), "%.200s:%u", r->name ? r->name : "rules",
		    rule < r->n_rules ? r->rules[rule].line : 0);
    return (strdup(buf));
}
