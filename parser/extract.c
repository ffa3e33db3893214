/*++
/* NAME
/*	extract 3
/* SUMMARY
/*	indicators from the text of a report
/* SYNOPSIS
/*	#include "parser/report.h"
/*
/*	void	report_extract(report)
/*
/*	#include "parser/parser_private.h"
/*
/*	void	extract_url_add(report, text, len, default_scheme)
/*	size_t	extract_url_scan(report, text, len)
/*	void	extract_add_bounded(report, list, max, entry)
/* DESCRIPTION
/*	report_extract() scans the subject and text of a report in two
/*	linear passes and fills the indicator fields of struct report,
/*	each list unique and bounded in count and entry length (past a
/*	bound: REPORT_F_OVERSIZE).
/*
/*	The character pass, left to right:
/* .IP \(bu
/*	URLs: http and https, and the defanged forms reporters use
/*	(hxxp://, hxxps://, [:]//, [.], (.), {.}, [dot]), normalised to
/*	http(s)://host... with scheme and host in lower case; trailing
/*	punctuation and unbalanced closing brackets are not part of a URL.
/* .IP \(bu
/*	CVE IDs (CVE-YYYY-NNNN, 4 to 19 digits, upper-cased), CWE IDs
/*	("CWE-79"), GitHub advisories ("GHSA-xxxx-xxxx-xxxx", body in
/*	lower case), and CVSS vectors ("CVSS:3.x/" or "CVSS:4.0/" and
/*	"/METRIC:VALUE" groups, as written).
/* .IP \(bu
/*	Product versions, "Name X.Y[.Z...]" as written ("Chrome
/*	120.0.6099.109", "CallHub 4.3", "Android app 5.1.2", "version
/*	3.2.1", "v2.4.0"). A lower-case name needs three components, so
/*	that "takes 1.5 seconds" is no version; a dotted quad that could
/*	be an IPv4 address is none either.
/* .IP \(bu
/*	Payload-like strings (evidence.c), at most one a line. They are
/*	looked for at every byte, apart from the identifiers: a payload may
/*	sit inside a URL the identifiers stepped over.
/* .PP
/*	One table of byte pairs, made once, lets the pass jump over the
/*	bytes where neither an identifier nor a payload can start.
/*	Then the line pass of evidence.c (HTTP blocks, code blocks, curl
/*	commands).
/*
/*	Finally report->hosts gets the host of every URL: lower case, no
/*	userinfo, no port, no trailing dot, an IPv6 literal in brackets.
/*
/*	extract_url_add() adds one URL taken from markup (an attribute)
/*	or a command line, with the same normalisation;
/*	extract_url_scan() is the URL scanner itself, for evidence.c,
/*	and extract_add_bounded() the bounded add of every list.
/*
/*	The passes poll report_budget_exceeded(); when the CPU budget
/*	runs out they stop with what they have and set REPORT_F_TIMEOUT.
/*	Nothing here allocates in proportion to the input.
/* DIAGNOSTICS
/*	None: bad input yields less output, never an error.
/*--*/

/* System library. */

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Utility library. */

#include "util/util.h"

/* Application-specific. */

#include "parser/report.h"
#include "parser/parser_private.h"

#define EXTRACT_MAX_URLS	200
#define EXTRACT_MAX_HOSTS	200
#define EXTRACT_MAX_CVES	200
#define EXTRACT_MAX_CWES	100
#define EXTRACT_MAX_GHSAS	100
#define EXTRACT_MAX_CVSS	50
#define EXTRACT_MAX_CVSS_BYTES	256
#define EXTRACT_MAX_VERSIONS	30
#define EXTRACT_MAX_VERSION_BYTES 64

 /*
  * Characters a URL does not hold unescaped (white space and DEL aside).
  */
static const unsigned char url_stop[256] = {
    ['<'] = 1, ['>'] = 1, ['"'] = 1, ['`'] = 1, ['{'] = 1, ['}'] = 1,
    ['|'] = 1, ['\\'] = 1, ['^'] = 1,
};

 /*
  * Above 0x20, the bytes extract_url_scan() looks at more closely:
  * url_stop[], DEL, the brackets it counts or reads as a defanged dot,
  * and the lead byte of a non-breaking space. Every other one is
  * copied as it is.
  */
static const unsigned char url_special[256] = {
    ['<'] = 1, ['>'] = 1, ['"'] = 1, ['`'] = 1, ['{'] = 1, ['}'] = 1,
    ['|'] = 1, ['\\'] = 1, ['^'] = 1, [0x7F] = 1, ['['] = 1, [']'] = 1,
    ['('] = 1, [')'] = 1, [0xC2] = 1,
};

 /*
  * The bytes an identifier starts with: URLs (h), CVE, CVSS and CWE
  * (c), GHSA (g), versions (a digit, or v before one). The character
  * pass jumps over every other byte.
  */
static const unsigned char id_first[256] = {
    ['h'] = 1, ['H'] = 1, ['c'] = 1, ['C'] = 1, ['g'] = 1, ['G'] = 1,
    ['v'] = 1, ['V'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1,
    ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
};

 /*
  * scan_pairs[] holds for each pair of bytes a, b (indexed by the two
  * bytes as one host-order 16-bit word, as the pass reads them) whether
  * a payload may start at a followed by b (PAIR_PAYLOAD), a letter
  * identifier at a followed by b (PAIR_ID_HERE: "ht", "hx", "cv", "cw",
  * "gh", "v" and a digit), or a number at b after a (PAIR_ID_NEXT). A
  * letter identifier is told by its second byte, not by the byte
  * before it: most words start after a space, few go on like one.
  * Made once, read only after: the character pass tests each byte with
  * the next one in one lookup.
  */
#define PAIR_PAYLOAD	1
#define PAIR_ID_HERE	2
#define PAIR_ID_NEXT	4

static unsigned char scan_pairs[256 * 256];

 /*
  * scan_thirds[] holds a bit for each first byte a and third byte c of
  * a payload: whether one may start at a with c two bytes on
  * (evidence_payload_third()). Most pairs that may start one ("on",
  * "me", "fi") go on as prose; this spares them the call.
  */
static unsigned char scan_thirds[256 * 256 / 8];
static pthread_once_t scan_pairs_once = PTHREAD_ONCE_INIT;

static inline unsigned pair_at(const unsigned char *p)
{
    uint16_t w;

    memcpy(&w, p, sizeof(w));
    return (w);
}

static size_t scan_cve(struct report *, const char *, size_t);
static size_t scan_cvss(struct report *, const char *, size_t);
static size_t scan_cwe(struct report *, const char *, size_t);
static size_t scan_ghsa(struct report *, const char *, size_t);
static size_t scan_version(struct report *, const char *, size_t, size_t);
static void scan_pairs_init(void);
static inline int id_second(const char *, size_t, size_t);
static inline int payload_third(const unsigned char *, size_t, size_t);
static void scan_id(struct report *, const char *, size_t, size_t, size_t *);
static void scan(struct report *, const char *, size_t);
static void hosts_from_urls(struct report *);

/* extract_url_scan - a URL (maybe defanged) starting at s; bytes consumed or 0 */

size_t  extract_url_scan(struct report *rep, const char *s, size_t n)
{
    char    url[EXTRACT_MAX_URL_BYTES + 1];
    size_t  i, k, host0, host1;
    int     tls = 0, paren = 0, bracket = 0;

    /*
     * Scheme: http, https, hxxp, hxxps; then "://", "[:]//" or "[://]".
     */
    if (n < 7 || tolower((unsigned char) s[0]) != 'h')
	return (0);
    if (ascii_prefix_ci(s, "http", 4) || ascii_prefix_ci(s, "hxxp", 4))
	i = 4;
    else
	return (0);
    if (i < n && tolower((unsigned char) s[i]) == 's')
	tls = 1, i++;
    if (n - i >= 3 && memcmp(s + i, "://", 3) == 0)
	i += 3;
    else if (n - i >= 5 && memcmp(s + i, "[:]//", 5) == 0)
	i += 5;
    else if (n - i >= 5 && memcmp(s + i, "[://]", 5) == 0)
	i += 5;
    else
	return (0);
    k = tls ? sizeof("https://") - 1 : sizeof("http://") - 1;
    memcpy(url, tls ? "https://" : "http://", k);
    host0 = k;

    /*
     * The rest, up to white space or a character URLs do not hold
     * unescaped; "[.]", "(.)", "{.}" and "[dot]" are dots.
     */
    while (i < n && k < EXTRACT_MAX_URL_BYTES) {
	unsigned char c = (unsigned char) s[i];

	if (c > 0x20 && !url_special[c]) {
	    url[k++] = (char) c;
	    i++;
	    continue;
	}
	if (c <= 0x20 || c == 0x7F || url_stop[c]) {
	    if (c == '{' && n - i >= 3 && memcmp(s + i, "{.}", 3) == 0) {
		url[k++] = '.', i += 3;
		continue;
	    }
	    break;
	}
	if ((c == '[' || c == '(') && n - i >= 3 && s[i + 1] == '.'
	    && s[i + 2] == (c == '[' ? ']' : ')')) {
	    url[k++] = '.', i += 3;
	    continue;
	}
	if (c == '[' && n - i >= 5 && strncasecmp(s + i, "[dot]", 5) == 0) {
	    url[k++] = '.', i += 5;
	    continue;
	}
	/* Non-breaking space and other Unicode space end a URL too. */
	if (c == 0xC2 && i + 1 < n && (unsigned char) s[i + 1] == 0xA0)
	    break;
	if (c == '(')
	    paren++;
	else if (c == ')')
	    paren--;
	else if (c == '[')
	    bracket++;
	else if (c == ']')
	    bracket--;
	url[k++] = (char) c;
	i++;
    }

    /*
     * Past the bound: drop the rest of this URL, keep its start.
     */
    if (k >= EXTRACT_MAX_URL_BYTES)
	while (i < n && (unsigned char) s[i] > 0x20 && !strchr("<>\"", s[i]))
	    i++;
    while (k > host0 && ((unsigned char) url[k - 1] & 0xC0) == 0x80
	   && k >= EXTRACT_MAX_URL_BYTES)
	k--;

    /*
     * Trailing punctuation belongs to the sentence, unbalanced closing
     * brackets to the markup around the URL.
     */
    while (k > host0) {
	char    c = url[k - 1];

	if (strchr(".,;:!?'*", c))
	    k--;
	else if (c == ')' && paren < 0)
	    k--, paren++;
	else if (c == ']' && bracket < 0)
	    k--, bracket++;
	else if ((unsigned char) c >= 0x80 && k - host0 >= 3
		 && (unsigned char) url[k - 3] == 0xE2 && (unsigned char) url[k - 2] == 0x80)
	    k -= 3;			/* closing quotes, ellipsis */
	else
	    break;
    }
    url[k] = 0;

    /*
     * A host is required; scheme and host are lower case.
     */
    for (host1 = host0; host1 < k && url[host1] != '/' && url[host1] != '?'
	 && url[host1] != '#'; host1++)
	url[host1] = (char) tolower((unsigned char) url[host1]);
    if (host1 == host0 || !(isalnum((unsigned char) url[host0]) || url[host0] == '['
			   || (unsigned char) url[host0] >= 0x80))
	return (i);
    if (rep->urls.n >= EXTRACT_MAX_URLS) {
	if (!strlist_contains(&rep->urls, url))
	    rep->flags |= REPORT_F_OVERSIZE;
	return (i);
    }
    if (!strlist_contains(&rep->urls, url) && text_utf8_valid(url, k))
	(void) strlist_add(&rep->urls, url);
    return (i);
}

/* scan_cve - CVE-YYYY-NNNN... at s; bytes consumed or 0 */

static size_t scan_cve(struct report *rep, const char *s, size_t n)
{
    char    id[32];
    size_t  i, d;

    if (n < 13 || !ascii_prefix_ci(s, "cve-", 4))
	return (0);
    for (i = 4; i < 8; i++)
	if (!isdigit((unsigned char) s[i]))
	    return (0);
    if (s[8] != '-')
	return (0);
    for (i = 9; i < n && isdigit((unsigned char) s[i]); i++)
	 /* void */ ;
    d = i - 9;
    if (d < 4 || d > 19 || (i < n && isalnum((unsigned char) s[i])))
	return (i);
    memcpy(id, "CVE-", 4);
    memcpy(id + 4, s + 4, i - 4);
    id[i] = 0;
    if (rep->cves.n < EXTRACT_MAX_CVES)
	(void) strlist_add_unique(&rep->cves, id);
    else if (!strlist_contains(&rep->cves, id))
	rep->flags |= REPORT_F_OVERSIZE;
    return (i);
}

/* scan_cvss - CVSS:d.d/M:V/... at s, as written; bytes consumed or 0 */

static size_t scan_cvss(struct report *rep, const char *s, size_t n)
{
    char    vec[EXTRACT_MAX_CVSS_BYTES + 1];
    size_t  i = 9, end, groups = 0;

    if (n < 13 || !ascii_prefix_ci(s, "cvss:", 5) || !isdigit((unsigned char) s[5])
	|| s[6] != '.' || !isdigit((unsigned char) s[7]) || s[8] != '/')
	return (0);

    /*
     * "/METRIC:VALUE" groups while they last.
     */
    end = 8;
    while (i < n && end < EXTRACT_MAX_CVSS_BYTES) {
	size_t  m = i, v;

	while (m < n && isalpha((unsigned char) s[m]))
	    m++;
	if (m == i || m >= n || s[m] != ':')
	    break;
	v = m + 1;
	while (v < n && isalnum((unsigned char) s[v]))
	    v++;
	if (v == m + 1 || v > EXTRACT_MAX_CVSS_BYTES)
	    break;
	end = v;
	groups++;
	if (v < n && s[v] == '/')
	    i = v + 1;
	else
	    break;
    }
    if (groups == 0)
	return (9);
    memcpy(vec, s, end);
    vec[end] = 0;
    if (rep->cvss_vectors.n < EXTRACT_MAX_CVSS)
	(void) strlist_add_unique(&rep->cvss_vectors, vec);
    else if (!strlist_contains(&rep->cvss_vectors, vec))
	rep->flags |= REPORT_F_OVERSIZE;
    return (end);
}

/* extract_add_bounded - one unique entry, at most max of them */

void    extract_add_bounded(struct report *rep, struct strlist *sl, size_t max,
				        const char *s)
{
    /*
     * An entry seen before was valid and kept or counted: most are
     * repeats, so that is asked first.
     */
    if (strlist_contains(sl, s) || !text_utf8_valid(s, strlen(s)))
	return;
    if (sl->n < max)
	(void) strlist_add(sl, s);
    else
	rep->flags |= REPORT_F_OVERSIZE;
}

/* scan_cwe - CWE-N at s; bytes consumed or 0 */

static size_t scan_cwe(struct report *rep, const char *s, size_t n)
{
    char    id[16];
    size_t  i;

    if (n < 5 || !ascii_prefix_ci(s, "cwe-", 4) || !isdigit((unsigned char) s[4]))
	return (0);
    for (i = 4; i < n && isdigit((unsigned char) s[i]); i++)
	 /* void */ ;
    if (i - 4 > 6 || (i < n && isalnum((unsigned char) s[i])))
	return (i);
    snprintf(id, sizeof(id), "CWE-%.*s", (int) (i - 4), s + 4);
    extract_add_bounded(rep, &rep->cwes, EXTRACT_MAX_CWES, id);
    return (i);
}

/* scan_ghsa - GHSA-xxxx-xxxx-xxxx at s; bytes consumed or 0 */

static size_t scan_ghsa(struct report *rep, const char *s, size_t n)
{
    char    id[20];

    if (n < 19 || !ascii_prefix_ci(s, "ghsa-", 5))
	return (0);
    for (size_t i = 5; i < 19; i++) {
	if ((i == 9 || i == 14) ? s[i] != '-' : !isalnum((unsigned char) s[i]))
	    return (5);
    }
    if (n > 19 && (isalnum((unsigned char) s[19]) || s[19] == '-'))
	return (19);
    memcpy(id, "GHSA", 4);
    for (size_t i = 4; i < 19; i++)
	id[i] = (char) tolower((unsigned char) s[i]);
    id[19] = 0;
    extract_add_bounded(rep, &rep->ghsas, EXTRACT_MAX_GHSAS, id);
    return (19);
}

/* scan_version - "Name X.Y[.Z]" whose number starts at s+i; consumed */

static size_t scan_version(struct report *rep, const char *s, size_t i, size_t n)
{
#define VW(s)	{ (s), sizeof(s) - 1 }
    static const struct {
	const char *str;
	size_t  len;			/* counted once */
    } generic[] = {
	VW("version"), VW("ver"), VW("release"), VW("build"), VW("app"),
	VW("application"), VW("firmware"), VW("plugin"), VW("extension"),
	VW("server"), VW("client"), VW("package"), VW("library"), VW("sdk"),
	{0, 0},
    }, stop[] = {
	VW("cvss"), VW("cvssv3"), VW("cvssv4"), VW("section"), VW("step"),
	VW("figure"), VW("table"), VW("page"), VW("chapter"), VW("score"),
	VW("rating"), VW("line"), VW("rfc"), VW("http"), VW("https"), VW("and"),
	VW("or"), VW("to"), VW("of"), VW("in"), VW("on"), VW("at"), VW("is"),
	VW("by"), VW("from"), VW("for"), VW("with"), VW("than"), {0, 0},
    };
#undef VW
    char    out[EXTRACT_MAX_VERSION_BYTES + 1];
    size_t  p = i, parts = 1, w0, w1, p0, p1;
    unsigned long part, max_part = 0;
    int     vprefix = 0, upper = 0, ip = 1;

    /*
     * The number: digits, then one to three ".digits".
     */
    if (s[p] == 'v' || s[p] == 'V')
	vprefix = 1, p++;
    part = 0;
    for (size_t d = 0; p < n && isdigit((unsigned char) s[p]); p++, d++)
	if (d < 7)
	    part = part * 10 + (unsigned long) (s[p] - '0');
	else
	    return (p - i);
    max_part = part;
    while (p + 1 < n && s[p] == '.' && isdigit((unsigned char) s[p + 1]) && parts < 4) {
	part = 0;
	for (p++; p < n && isdigit((unsigned char) s[p]); p++)
	    if (part < 1000000)
		part = part * 10 + (unsigned long) (s[p] - '0');
	if (part > max_part)
	    max_part = part;
	parts++;
    }
    if (parts < 2 || (p < n && (isalnum((unsigned char) s[p]) || s[p] == '_'
				|| (s[p] == '.' && p + 1 < n && isdigit((unsigned char) s[p + 1])))))
	return (p - i);
    ip = (parts == 4 && max_part <= 255 && !vprefix);
    if (ip)
	return (p - i);

    /*
     * The name: the word before, one space away; a generic word
     * ("app", "version") takes a capitalised word before it along.
     */
    w1 = i;
    if (w1 > 0 && s[w1 - 1] == ' ')
	w1--;
    w0 = w1;
    while (w0 > 0 && i - w0 < 40 && (isalnum((unsigned char) s[w0 - 1])
				     || s[w0 - 1] == '-' || s[w0 - 1] == '_'))
	w0--;
    if (w1 == i || w0 == w1 || !isalpha((unsigned char) s[w0])
	|| (w0 > 0 && !isspace((unsigned char) s[w0 - 1]) && !strchr("(\"'*", s[w0 - 1])))
	w0 = w1 = i;			/* no name */
    p0 = w0;
    p1 = p;
    if (w1 > w0) {
	size_t  wl = w1 - w0;
	int     is_generic = 0, is_stop = 0;

	for (size_t k = w0; k < w1; k++)
	    upper |= isupper((unsigned char) s[k]);
	for (int k = 0; generic[k].str; k++)
	    is_generic |= (generic[k].len == wl && ascii_prefix_ci(s + w0, generic[k].str, wl));
	for (int k = 0; stop[k].str; k++)
	    is_stop |= (stop[k].len == wl && ascii_prefix_ci(s + w0, stop[k].str, wl));
	if (is_stop) {
	    p0 = i;
	} else if (is_generic && w0 >= 2 && s[w0 - 1] == ' ') {
	    size_t  g1 = w0 - 1, g0 = g1;

	    while (g0 > 0 && w0 - g0 < 40 && (isalnum((unsigned char) s[g0 - 1])
					      || s[g0 - 1] == '-'))
		g0--;
	    if (g0 < g1 && isupper((unsigned char) s[g0])
		&& (g0 == 0 || isspace((unsigned char) s[g0 - 1])))
		p0 = g0;		/* "Android app 5.1.2" */
	    else if (vprefix)
		p0 = i;			/* "library v2.4.0": "v2.4.0" */
	} else if (!upper && !is_generic && parts < 3) {
	    p0 = i;			/* "takes 1.5 seconds" */
	}
    }
    if (p0 == i && !vprefix)
	return (p - i);
    if (p1 - p0 > EXTRACT_MAX_VERSION_BYTES)
	return (p - i);
    memcpy(out, s + p0, p1 - p0);
    out[p1 - p0] = 0;
    extract_add_bounded(rep, &rep->versions, EXTRACT_MAX_VERSIONS, out);
    return (p - i);
}

/* scan_pairs_init - the table of byte pairs worth a closer look */

static void scan_pairs_init(void)
{
    for (unsigned a = 0; a < 256; a++)
	for (unsigned b = 0; b < 256; b++) {
	    unsigned char ab[2] = {(unsigned char) a, (unsigned char) b};
	    unsigned lb = (b >= 'A' && b <= 'Z') ? b | 0x20 : b;
	    int     digit_b = (b >= '0' && b <= '9');
	    int     here = 0, next = 0;

	    /*
	     * The second bytes id_second() asks for; "v" goes on with a
	     * digit or scan_id() takes nothing there.
	     */
	    switch (a | 0x20) {
	    case 'h':
		here = (lb == 't' || lb == 'x');
		break;
	    case 'c':
		here = (lb == 'v' || lb == 'w');
		break;
	    case 'g':
		here = (lb == 'h');
		break;
	    case 'v':
		here = digit_b;
		break;
	    }
	    if (!id_first[a] || (a >= '0' && a <= '9'))
		here = 0;

	    /*
	     * A digit after one of ".-/:=#$" starts no version (scan_id):
	     * the numbers of dates, addresses and paths are no stop.
	     */
	    next = digit_b && !ascii_alnum((unsigned char) a)
		&& !(a != 0 && strchr(".-/:=#$", (int) a));
	    scan_pairs[pair_at(ab)] = (unsigned char)
		((evidence_payload_start((unsigned char) a, (int) b) ? PAIR_PAYLOAD : 0)
		 | (here ? PAIR_ID_HERE : 0) | (next ? PAIR_ID_NEXT : 0));
	    if (evidence_payload_third((unsigned char) a, (int) b))
		scan_thirds[(a << 5) | (b >> 3)] |= (unsigned char) (1u << (b & 7));
	}
}

/* payload_third - a payload may start at u+i by its third byte */

static inline int payload_third(const unsigned char *u, size_t i, size_t n)
{
    unsigned a = u[i], c;

    if (n - i < 3)
	return (1);
    c = u[i + 2];
    return ((scan_thirds[(a << 5) | (c >> 3)] >> (c & 7)) & 1);
}

/* id_second - an identifier may start at s+i, by what follows */

static inline int id_second(const char *s, size_t i, size_t n)
{
    unsigned char c = (unsigned char) s[i];
    unsigned char next = i + 1 < n ? (unsigned char) s[i + 1] | 0x20 : 0;
    size_t  j;

    /*
     * "http"/"hxxp", "cve-"/"cvss:"/"cwe-", "ghsa-"; a version number
     * has a dot and a digit after at most seven digits (scan_version).
     * "| 0x20" may let a wrong byte by, never stop a right one.
     */
    switch (c | 0x20) {
    case 'h':
	return (n - i >= 7 && (next == 't' || next == 'x'));
    case 'c':
	return (n - i >= 5 && (next == 'v' || next == 'w'));
    case 'g':
	return (n - i >= 19 && next == 'h');
    case 'v':
	return (1);
    }
    for (j = i; j < n && j - i < 8 && s[j] >= '0' && s[j] <= '9'; j++)
	 /* void */ ;
    return (j - i < 8 && j + 1 < n && s[j] == '.' && s[j + 1] >= '0' && s[j + 1] <= '9');
}

/* scan_id - the identifier at s+i, unless the last one covers it */

static void scan_id(struct report *rep, const char *s, size_t i, size_t n,
		            size_t *next)
{
    unsigned char c = (unsigned char) s[i];
    unsigned char prev = i > 0 ? (unsigned char) s[i - 1] : ' ';
    size_t  k = 0;

    /*
     * Identifiers start a word; each one found is stepped over whole.
     * Their second bytes first: most words that start like one are
     * none ("the", "can", "2024"), and the scanners below would say so
     * at more cost, moving on by one byte (a run of digits moves on
     * further, over digits that start no word).
     */
    if (i < *next || !id_first[c] || isalnum(prev))
	return;
    if (!id_second(s, i, n)) {
	*next = i + 1;
	return;
    }
    if (c == 'h' || c == 'H') {
	k = extract_url_scan(rep, s + i, n - i);
    } else if (c == 'c' || c == 'C') {
	if ((k = scan_cve(rep, s + i, n - i)) == 0
	    && (k = scan_cvss(rep, s + i, n - i)) == 0)
	    k = scan_cwe(rep, s + i, n - i);
    } else if (c == 'g' || c == 'G') {
	k = scan_ghsa(rep, s + i, n - i);
    } else if (isdigit(c) && prev != '.' && prev != '-' && prev != '/'
	       && prev != ':' && prev != '=' && prev != '#' && prev != '$') {
	k = scan_version(rep, s, i, n);
    } else if ((c == 'v' || c == 'V') && i + 1 < n && isdigit((unsigned char) s[i + 1])) {
	k = scan_version(rep, s, i, n);
    }
    *next = i + (k ? k : 1);
}

/* scan - the character pass: identifiers and payloads, left to right */

static void scan(struct report *rep, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *) s;
    size_t  i = 0, end, id_next = 0, pl_next = 0, k;

    /*
     * Two cursors over one walk: identifiers move on past what they
     * took (id_next), payloads past the line of the last one kept
     * (pl_next). The two never share a list, so their order is free.
     */
    if (n == 0)
	return;
    pthread_once(&scan_pairs_once, scan_pairs_init);
    scan_id(rep, s, 0, n, &id_next);
    while (i < n) {

	/*
	 * The CPU budget, every few KiB.
	 */
	if (report_budget_exceeded()) {
	    rep->flags |= REPORT_F_TIMEOUT;
	    return;
	}
	end = n - i > EXTRACT_BUDGET_BYTES ? i + EXTRACT_BUDGET_BYTES : n - 1;

	/*
	 * The pair at i: a payload or a letter identifier at i, a number
	 * at i + 1. The tight loop jumps over the pairs where none can
	 * start.
	 */
	while (i < end) {
	    unsigned pair;

	    while (end - i > 4 && !(scan_pairs[pair_at(u + i)] | scan_pairs[pair_at(u + i + 1)]
				    | scan_pairs[pair_at(u + i + 2)]
				    | scan_pairs[pair_at(u + i + 3)]))
		i += 4;			/* four pairs, one branch */
	    while (i < end && !scan_pairs[pair_at(u + i)])
		i++;
	    if (i >= end)
		break;
	    pair = scan_pairs[pair_at(u + i)];
	    if (i >= pl_next && (pair & PAIR_PAYLOAD) && payload_third(u, i, n)
		&& (k = evidence_payload_at(rep, s, i, n)) > 0)
		pl_next = k;
	    if ((pair & PAIR_ID_HERE) && i >= id_next && (i == 0 || !ascii_alnum(u[i - 1]))
		&& id_second(s, i, n))
		scan_id(rep, s, i, n, &id_next);
	    else if ((pair & PAIR_ID_NEXT) && i + 1 >= id_next && id_second(s, i + 1, n))
		scan_id(rep, s, i + 1, n, &id_next);
	    i++;
	}

	/*
	 * The last byte has no pair of its own.
	 */
	if (i == n - 1) {
	    if (i >= pl_next)
		(void) evidence_payload_at(rep, s, i, n);
	    break;
	}
    }
}

/* extract_url_add - a URL from an attribute or a command line */

void    extract_url_add(struct report *rep, const char *s, size_t n,
			        const char *default_scheme)
{
    char    buf[EXTRACT_MAX_URL_BYTES + 16];
    const char *colon;

    if (rep == NULL || n == 0)
	return;
    while (n > 0 && isspace((unsigned char) *s))
	s++, n--;
    if (n >= 4 && (strncasecmp(s, "http", 4) == 0 || strncasecmp(s, "hxxp", 4) == 0)
	&& extract_url_scan(rep, s, n) > 0)
	return;

    /*
     * No scheme: "host.tld/path" as curl reads it. Anything with a
     * scheme of its own (mailto:, javascript:, cid:) is not a web URL.
     */
    colon = memchr(s, ':', n < 16 ? n : 16);
    if (default_scheme == NULL || (colon && n - (size_t) (colon - s) >= 3
				   && memcmp(colon, "://", 3) == 0)
	|| !isalnum((unsigned char) s[0]) || n > EXTRACT_MAX_URL_BYTES)
	return;
    for (size_t i = 0; i < n && !strchr("/?#", s[i]); i++)
	if (s[i] == '.' || (i == n - 1 && i > 0)) {
	    int     k = snprintf(buf, sizeof(buf), "%s://%.*s", default_scheme, (int) n, s);

	    if (k > 0)
		(void) extract_url_scan(rep, buf, strlen(buf));
	    return;
	}
}

/* hosts_from_urls - the normalised host of every URL */

static void hosts_from_urls(struct report *rep)
{
    char    host[EXTRACT_MAX_HOST_BYTES + 1];

    for (size_t u = 0; u < rep->urls.n; u++) {
	const char *a = strstr(rep->urls.v[u], "://"), *e, *at, *h;
	size_t  hl, k;

	if (a == NULL)
	    continue;
	a += 3;

	/*
	 * The authority, without userinfo; then the host without port.
	 */
	e = a + strcspn(a, "/?#");
	at = memchr(a, '@', (size_t) (e - a));
	while (at && (h = memchr(at + 1, '@', (size_t) (e - at - 1))) != NULL)
	    at = h;
	h = at ? at + 1 : a;
	if (*h == '[') {
	    const char *rb = memchr(h, ']', (size_t) (e - h));

	    if (rb == NULL)
		continue;
	    hl = (size_t) (rb - h) + 1;
	} else {
	    const char *colon = memchr(h, ':', (size_t) (e - h));

	    hl = colon ? (size_t) (colon - h) : (size_t) (e - h);
	}
	while (hl > 0 && h[hl - 1] == '.')
	    hl--;
	if (hl == 0 || hl > EXTRACT_MAX_HOST_BYTES)
	    continue;
	for (k = 0; k < hl; k++)
	    host[k] = (char) tolower((unsigned char) h[k]);
	host[k] = 0;
	extract_add_bounded(rep, &rep->hosts, EXTRACT_MAX_HOSTS, host);
    }
}

/* report_extract - indicators of subject and text */

void    report_extract(struct report *rep)
{
    if (rep->subject)
	scan(rep, rep->subject, strlen(rep->subject));
    if (rep->text.len > 0 && !(rep->flags & REPORT_F_TIMEOUT))
	scan(rep, rep->text.data, rep->text.len);
    if (rep->text.len > 0 && !(rep->flags & REPORT_F_TIMEOUT))
	evidence_lines(rep, rep->text.data, rep->text.len);
    hosts_from_urls(rep);
}
