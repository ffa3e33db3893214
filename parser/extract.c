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
/*	Payload-like strings (XSS, SQL injection, command injection,
/*	template injection, path traversal, XXE, SSRF targets, Log4Shell):
/*	at most one per line, the token that holds it (or the rest of the
/*	line for payloads that hold spaces), bounded.
/* .PP
/*	The line pass: HTTP request blocks ("GET /p HTTP/1.1" and their
/*	"Host:" give https://host/p, http:// when the block says so) and
/*	response status lines are counted; fenced (``` or ~~~) and
/*	indented (four spaces or a tab, two lines or more) code blocks are
/*	counted; curl command lines (with their continuation lines) are
/*	kept and their URL arguments added, scheme-less ones as curl
/*	reads them (http://).
/*
/*	Finally report->hosts gets the host of every URL: lower case, no
/*	userinfo, no port, no trailing dot, an IPv6 literal in brackets.
/*
/*	extract_url_add() adds one URL taken from markup (an attribute)
/*	or a command line, with the same normalisation.
/*
/*	Both passes poll report_budget_exceeded(); when the CPU budget
/*	runs out they stop with what they have and set REPORT_F_TIMEOUT.
/*	Nothing here allocates in proportion to the input.
/* DIAGNOSTICS
/*	None: bad input yields less output, never an error.
/*--*/

/* System library. */

#include <ctype.h>
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
#define EXTRACT_MAX_URL_BYTES	2048
#define EXTRACT_MAX_HOSTS	200
#define EXTRACT_MAX_HOST_BYTES	255
#define EXTRACT_MAX_CVES	200
#define EXTRACT_MAX_CWES	100
#define EXTRACT_MAX_GHSAS	100
#define EXTRACT_MAX_CVSS	50
#define EXTRACT_MAX_CVSS_BYTES	256
#define EXTRACT_MAX_VERSIONS	30
#define EXTRACT_MAX_VERSION_BYTES 64
#define EXTRACT_MAX_PAYLOADS	50
#define EXTRACT_MAX_PAYLOAD_BYTES 200
#define EXTRACT_MAX_CURLS	20
#define EXTRACT_MAX_CURL_BYTES	500
#define EXTRACT_CURL_LINES	30	/* continuation lines of one command */
#define EXTRACT_CURL_TOKENS	100	/* words of one command looked at */
#define EXTRACT_HTTP_LOOKAHEAD	50	/* header lines after a request line */
#define EXTRACT_BUDGET_BYTES	4096	/* bytes between budget polls */
#define EXTRACT_BUDGET_LINES	256	/* lines between budget polls */

 /*
  * How much of the text around a payload match is kept.
  */
#define PL_TOKEN	0		/* the white-space delimited token */
#define PL_LINE		1		/* from the token to the line end */
#define PL_TAG		2		/* from the token to the last '>' */

static void add_bounded(struct report *, struct strlist *, size_t, const char *);
static size_t scan_url(struct report *, const char *, size_t);
static size_t scan_cve(struct report *, const char *, size_t);
static size_t scan_cvss(struct report *, const char *, size_t);
static size_t scan_cwe(struct report *, const char *, size_t);
static size_t scan_ghsa(struct report *, const char *, size_t);
static size_t scan_version(struct report *, const char *, size_t, size_t);
static void payload_keep(struct report *, const char *, size_t, size_t, size_t, int);
static int cmd_word(const char *, size_t);
static size_t ssti(const char *, size_t);
static int scan_payload(struct report *, const char *, size_t, size_t);
static void scan(struct report *, const char *, size_t);
static void http_request(struct report *, const char *, size_t, size_t);
static void curl_urls(struct report *, const char *, size_t);
static size_t curl_command(struct report *, const char *, size_t, size_t);
static void lines(struct report *, const char *, size_t);
static void hosts_from_urls(struct report *);

/* scan_url - a URL (maybe defanged) starting at s; bytes consumed or 0 */

static size_t scan_url(struct report *rep, const char *s, size_t n)
{
    char    url[EXTRACT_MAX_URL_BYTES + 1];
    size_t  i, k, host0, host1;
    int     tls = 0, paren = 0, bracket = 0;

    /*
     * Scheme: http, https, hxxp, hxxps; then "://", "[:]//" or "[://]".
     */
    if (n < 7 || tolower((unsigned char) s[0]) != 'h')
	return (0);
    if (strncasecmp(s, "http", 4) == 0 || strncasecmp(s, "hxxp", 4) == 0)
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
    k = (size_t) snprintf(url, sizeof(url), "%s://", tls ? "https" : "http");
    host0 = k;

    /*
     * The rest, up to white space or a character URLs do not hold
     * unescaped; "[.]", "(.)", "{.}" and "[dot]" are dots.
     */
    while (i < n && k < EXTRACT_MAX_URL_BYTES) {
	unsigned char c = (unsigned char) s[i];

	if (c <= 0x20 || c == 0x7F || strchr("<>\"`{}|\\^", c)) {
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
    for (host1 = host0; host1 < k && !strchr("/?#", url[host1]); host1++)
	url[host1] = (char) tolower((unsigned char) url[host1]);
    if (host1 == host0 || !(isalnum((unsigned char) url[host0]) || url[host0] == '['
			   || (unsigned char) url[host0] >= 0x80))
	return (i);
    if (rep->urls.n >= EXTRACT_MAX_URLS) {
	if (!strlist_contains(&rep->urls, url))
	    rep->flags |= REPORT_F_OVERSIZE;
	return (i);
    }
    if (sm_utf8_valid(url, k))
	(void) strlist_add_unique(&rep->urls, url);
    return (i);
}

/* scan_cve - CVE-YYYY-NNNN... at s; bytes consumed or 0 */

static size_t scan_cve(struct report *rep, const char *s, size_t n)
{
    char    id[32];
    size_t  i, d;

    if (n < 13 || strncasecmp(s, "CVE-", 4) != 0)
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

    if (n < 13 || strncasecmp(s, "CVSS:", 5) != 0 || !isdigit((unsigned char) s[5])
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

/* add_bounded - one unique entry, at most max of them */

static void add_bounded(struct report *rep, struct strlist *sl, size_t max,
			        const char *s)
{
    if (!sm_utf8_valid(s, strlen(s)))
	return;
    if (sl->n < max)
	(void) strlist_add_unique(sl, s);
    else if (!strlist_contains(sl, s))
	rep->flags |= REPORT_F_OVERSIZE;
}

/* scan_cwe - CWE-N at s; bytes consumed or 0 */

static size_t scan_cwe(struct report *rep, const char *s, size_t n)
{
    char    id[16];
    size_t  i;

    if (n < 5 || strncasecmp(s, "CWE-", 4) != 0 || !isdigit((unsigned char) s[4]))
	return (0);
    for (i = 4; i < n && isdigit((unsigned char) s[i]); i++)
	 /* void */ ;
    if (i - 4 > 6 || (i < n && isalnum((unsigned char) s[i])))
	return (i);
    snprintf(id, sizeof(id), "CWE-%.*s", (int) (i - 4), s + 4);
    add_bounded(rep, &rep->cwes, EXTRACT_MAX_CWES, id);
    return (i);
}

/* scan_ghsa - GHSA-xxxx-xxxx-xxxx at s; bytes consumed or 0 */

static size_t scan_ghsa(struct report *rep, const char *s, size_t n)
{
    char    id[20];

    if (n < 19 || strncasecmp(s, "GHSA-", 5) != 0)
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
    add_bounded(rep, &rep->ghsas, EXTRACT_MAX_GHSAS, id);
    return (19);
}

/* scan_version - "Name X.Y[.Z]" whose number starts at s+i; consumed */

static size_t scan_version(struct report *rep, const char *s, size_t i, size_t n)
{
    static const char *generic[] = {
	"version", "ver", "release", "build", "app", "application", "firmware",
	"plugin", "extension", "server", "client", "package", "library", "sdk", 0,
    };
    static const char *stop[] = {
	"cvss", "cvssv3", "cvssv4", "section", "step", "figure", "table", "page",
	"chapter", "score", "rating", "line", "rfc", "http", "https", "and", "or",
	"to", "of", "in", "on", "at", "is", "by", "from", "for", "with", "than", 0,
    };
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
	for (int k = 0; generic[k]; k++)
	    is_generic |= (strlen(generic[k]) == wl && strncasecmp(s + w0, generic[k], wl) == 0);
	for (int k = 0; stop[k]; k++)
	    is_stop |= (strlen(stop[k]) == wl && strncasecmp(s + w0, stop[k], wl) == 0);
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
    add_bounded(rep, &rep->versions, EXTRACT_MAX_VERSIONS, out);
    return (p - i);
}

/* payload_keep - the payload around s[m..m+len) as an entry */

static void payload_keep(struct report *rep, const char *s, size_t m, size_t len,
			         size_t n, int mode)
{
    char    out[EXTRACT_MAX_PAYLOAD_BYTES + 1];
    size_t  a = m, b, eol, k;

    /*
     * From the start of the token, to its end, the line end or the
     * last '>' of the line; bounded both ways.
     */
    while (a > 0 && m - a < 100 && !isspace((unsigned char) s[a - 1]))
	a--;
    for (eol = m + len; eol < n && s[eol] != '\n' && eol - a < 1024; eol++)
	 /* void */ ;
    if (mode == PL_TOKEN) {
	for (b = m + len; b < eol && !isspace((unsigned char) s[b]); b++)
	     /* void */ ;
    } else if (mode == PL_TAG) {
	for (b = eol; b > m + len && s[b - 1] != '>'; b--)
	     /* void */ ;
	if (b == m + len)
	    b = eol;
    } else
	b = eol;
    while (b > a && isspace((unsigned char) s[b - 1]))
	b--;
    k = b - a;
    if (k > EXTRACT_MAX_PAYLOAD_BYTES) {
	k = EXTRACT_MAX_PAYLOAD_BYTES;
	while (k > 0 && ((unsigned char) s[a + k] & 0xC0) == 0x80)
	    k--;
    }
    memcpy(out, s + a, k);
    out[k] = 0;
    add_bounded(rep, &rep->payloads, EXTRACT_MAX_PAYLOADS, out);
}

/* cmd_word - a shell command that injection proofs run, at s */

static int cmd_word(const char *s, size_t n)
{
    static const char *cmds[] = {
	"id", "whoami", "uname", "sleep", "curl", "wget", "nslookup", "ping",
	"cat", "hostname", "ls", 0,
    };

    for (int k = 0; cmds[k]; k++) {
	size_t  l = strlen(cmds[k]);

	if (n >= l && strncmp(s, cmds[k], l) == 0
	    && (n == l || !isalnum((unsigned char) s[l])))
	    return (1);
    }
    return (0);
}

/* ssti - "{{7*7}}", "${7*7}", "#{7*7}", "<%= 7*7 %>" at s; its length */

static size_t ssti(const char *s, size_t n)
{
    size_t  i, open_len;
    const char *close;

    if (n >= 2 && s[0] == '{' && s[1] == '{')
	open_len = 2, close = "}}";
    else if (n >= 2 && (s[0] == '$' || s[0] == '#') && s[1] == '{')
	open_len = 2, close = "}";
    else if (n >= 3 && memcmp(s, "<%=", 3) == 0)
	open_len = 3, close = "%>";
    else
	return (0);
    i = open_len;
    while (i < n && s[i] == ' ')
	i++;
    if (i >= n || !isdigit((unsigned char) s[i]))
	return (0);
    while (i < n && isdigit((unsigned char) s[i]))
	i++;
    while (i < n && s[i] == ' ')
	i++;
    if (i >= n || s[i] != '*')
	return (0);
    for (i++; i < n && s[i] == ' '; i++)
	 /* void */ ;
    if (i >= n || !isdigit((unsigned char) s[i]))
	return (0);
    while (i < n && isdigit((unsigned char) s[i]))
	i++;
    while (i < n && s[i] == ' ')
	i++;
    if (n - i < strlen(close) || memcmp(s + i, close, strlen(close)) != 0)
	return (0);
    return (i + strlen(close));
}

/* scan_payload - a payload-like string at s+i; 1 when one was kept */

static int scan_payload(struct report *rep, const char *s, size_t i, size_t n)
{
    static const struct {
	const char *str;
	int     mode;
    } lit[] = {
	{"<script", PL_TAG}, {"%3cscript", PL_TOKEN}, {"javascript:", PL_TOKEN},
	{"onerror=", PL_TOKEN}, {"onload=", PL_TOKEN}, {"<svg", PL_TAG},
	{"<img src=x", PL_TAG}, {"<!entity", PL_TAG}, {"sleep(", PL_LINE},
	{"../../", PL_TOKEN}, {"..\\..\\", PL_TOKEN}, {"..%2f", PL_TOKEN},
	{"%2e%2e", PL_TOKEN}, {"/etc/passwd", PL_TOKEN}, {"file://", PL_TOKEN},
	{"gopher://", PL_TOKEN}, {"169.254.169.254", PL_TOKEN},
	{"metadata.google.internal", PL_TOKEN}, {"${jndi:", PL_TOKEN},
	{0, 0},
    };
    const char *p = s + i;
    size_t  r = n - i, k;
    unsigned char c = (unsigned char) *p;

    /*
     * Cheap first-byte filter: most bytes are none of these.
     */
    if (!strchr("<%jJoOsS.e/fFgG1mM$'\";|`{#uU", c) || c == 0)
	return (0);

    /*
     * Literal spellings, case-insensitive.
     */
    for (int j = 0; lit[j].str; j++) {
	size_t  l = strlen(lit[j].str);

	if (tolower(c) != lit[j].str[0] || r < l || strncasecmp(p, lit[j].str, l) != 0)
	    continue;
	if (lit[j].str[0] == 's' && i > 0 && isalpha((unsigned char) s[i - 1])
	    && !(i >= 3 && strncasecmp(s + i - 3, "pg_", 3) == 0))
	    continue;			/* "asleep(" is prose */
	payload_keep(rep, s, i, l, n, lit[j].mode);
	return (1);
    }

    /*
     * XXE: "<!DOCTYPE ... SYSTEM" on one line.
     */
    if (c == '<' && r >= 9 && strncasecmp(p, "<!doctype", 9) == 0) {
	for (k = 9; k + 6 <= r && k < 300 && p[k] != '\n'; k++)
	    if (strncasecmp(p + k, "system", 6) == 0) {
		payload_keep(rep, s, i, 9, n, PL_TAG);
		return (1);
	    }
	return (0);
    }

    /*
     * SQL: "' OR 1=1", "' or '1'='1", "\" OR \"1\"=\"1", UNION SELECT.
     */
    if (c == '\'' || c == '"') {
	k = 1;
	while (k < r && k < 4 && p[k] == ' ')
	    k++;
	if (r - k >= 3 && strncasecmp(p + k, "or", 2) == 0 && p[k + 2] == ' ') {
	    k += 3;
	    while (k < r && k < 10 && p[k] == ' ')
		k++;
	    if ((r - k >= 3 && memcmp(p + k, "1=1", 3) == 0)
		|| (r - k >= 5 && p[k] == (char) c && p[k + 1] == '1' && p[k + 2] == (char) c
		    && p[k + 3] == '=' && p[k + 4] == (char) c)) {
		payload_keep(rep, s, i, 1, n, PL_LINE);
		return (1);
	    }
	}
	return (0);
    }
    if ((c == 'u' || c == 'U') && r >= 12 && strncasecmp(p, "union", 5) == 0) {
	k = 5;
	while (k < r && k < 40 && (p[k] == ' ' || p[k] == '\t' || p[k] == '/' || p[k] == '*'))
	    k++;
	if (r - k >= 4 && strncasecmp(p + k, "all", 3) == 0 && !isalnum((unsigned char) p[k + 3]))
	    for (k += 3; k < r && k < 60 && (p[k] == ' ' || p[k] == '/' || p[k] == '*'); k++)
		 /* void */ ;
	if (k > 5 && r - k >= 6 && strncasecmp(p + k, "select", 6) == 0) {
	    payload_keep(rep, s, i, k + 6, n, PL_LINE);
	    return (1);
	}
	return (0);
    }

    /*
     * Command injection: ";id", "|id", "$(id)", "`id`".
     */
    if ((c == ';' || c == '|') && r >= 3 && cmd_word(p + 1, r - 1)
	&& strncmp(p + 1, "id", 2) == 0) {
	payload_keep(rep, s, i, 3, n, PL_TOKEN);
	return (1);
    }
    if (c == '$' && r >= 4 && p[1] == '(' && cmd_word(p + 2, r - 2)) {
	payload_keep(rep, s, i, 2, n, PL_LINE);
	return (1);
    }
    if (c == '`' && r >= 4 && cmd_word(p + 1, r - 1)) {
	for (k = 1; k < r && k < 100 && p[k] != '`' && p[k] != '\n'; k++)
	     /* void */ ;
	if (k < r && p[k] == '`') {
	    payload_keep(rep, s, i, k + 1, n, PL_LINE);
	    return (1);
	}
	return (0);
    }

    /*
     * Template injection.
     */
    if ((k = ssti(p, r)) > 0) {
	payload_keep(rep, s, i, k, n, PL_TOKEN);
	return (1);
    }
    return (0);
}

/* scan - identifiers left to right, then payloads; each step moves on */

static void scan(struct report *rep, const char *s, size_t n)
{
    size_t  i = 0, k, payload_eol = 0, poll = 0;

    while (i < n) {
	unsigned char c = (unsigned char) s[i];
	unsigned char prev = i > 0 ? (unsigned char) s[i - 1] : ' ';
	int     word_start = !isalnum(prev);

	/*
	 * The CPU budget, every few KiB.
	 */
	if (i >= poll) {
	    if (report_budget_exceeded()) {
		rep->flags |= REPORT_F_TIMEOUT;
		return;
	    }
	    poll = i + EXTRACT_BUDGET_BYTES;
	}

	/*
	 * Identifiers start a word.
	 */
	k = 0;
	if (!word_start) {
	     /* nothing */ ;
	} else if (c == 'h' || c == 'H') {
	    k = scan_url(rep, s + i, n - i);
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
	i += k ? k : 1;
    }

    /*
     * Payloads may sit inside a URL the loop above stepped over: their
     * own pass, one per line, looked for at every byte.
     */
    for (i = 0, poll = 0; i < n; i++) {
	if (i >= poll) {
	    if (report_budget_exceeded()) {
		rep->flags |= REPORT_F_TIMEOUT;
		return;
	    }
	    poll = i + EXTRACT_BUDGET_BYTES;
	}
	if (i >= payload_eol && scan_payload(rep, s, i, n)) {
	    const char *nl = memchr(s + i, '\n', n - i);

	    payload_eol = nl ? (size_t) (nl - s) : n;
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
	&& scan_url(rep, s, n) > 0)
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
		(void) scan_url(rep, buf, strlen(buf));
	    return;
	}
}

/* http_request - a request line at s+pos: count it, make its URL */

static void http_request(struct report *rep, const char *s, size_t pos, size_t n)
{
    static const char *methods[] = {
	"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE",
	"CONNECT", "PROPFIND", 0,
    };
    char    url[EXTRACT_MAX_URL_BYTES + 1];
    const char *l = s + pos, *nl, *host = NULL, *target;
    size_t  ln, m = 0, t0, t1, hl = 0, p, u;
    int     http = 0;

    /*
     * "METHOD SP target SP HTTP/d": the method in upper case, as sent.
     */
    nl = memchr(l, '\n', n - pos);
    ln = nl ? (size_t) (nl - l) : n - pos;
    for (int k = 0; methods[k] && m == 0; k++) {
	size_t  ml = strlen(methods[k]);

	if (ln > ml && memcmp(l, methods[k], ml) == 0 && l[ml] == ' ')
	    m = ml;
    }
    if (m == 0)
	return;
    /*
     * The line ends in " HTTP/d[.d]"; the target is what lies between,
     * spaces and all: reporters paste payloads unencoded.
     */
    while (ln > 0 && (l[ln - 1] == ' ' || l[ln - 1] == '\r'))
	ln--;
    p = ln;
    if (p >= 2 && l[p - 2] == '.' && isdigit((unsigned char) l[p - 1]))
	p -= 2;
    if (p < m + 8 || !isdigit((unsigned char) l[p - 1]) || memcmp(l + p - 6, "HTTP/", 5) != 0
	|| l[p - 7] != ' ')
	return;
    for (t0 = m; t0 < ln && l[t0] == ' '; t0++)
	 /* void */ ;
    for (t1 = p - 7; t1 > t0 && l[t1 - 1] == ' '; t1--)
	 /* void */ ;
    if (t1 <= t0)
	return;
    rep->http_requests++;
    target = l + t0;

    /*
     * The header lines up to the blank line: Host, and whether the
     * block says plain http (Origin, Referer, port 80).
     */
    p = nl ? (size_t) (nl - s) + 1 : n;
    for (int k = 0; k < EXTRACT_HTTP_LOOKAHEAD && p < n; k++) {
	const char *h = s + p, *hnl = memchr(h, '\n', n - p);
	size_t  hn = hnl ? (size_t) (hnl - h) : n - p;

	while (hn > 0 && (*h == ' ' || *h == '\t' || *h == '>'))
	    h++, hn--;			/* indented or quoted like the request */
	while (hn > 0 && (h[hn - 1] == ' ' || h[hn - 1] == '\r'))
	    hn--;
	if (hn == 0)
	    break;
	if (hn > 5 && strncasecmp(h, "host:", 5) == 0 && host == NULL) {
	    host = h + 5;
	    hl = hn - 5;
	    while (hl > 0 && *host == ' ')
		host++, hl--;
	} else if ((hn > 7 && strncasecmp(h, "origin:", 7) == 0)
		   || (hn > 8 && strncasecmp(h, "referer:", 8) == 0)) {
	    const char *v = (const char *) memchr(h, ':', hn) + 1;

	    while (v < h + hn && *v == ' ')
		v++;
	    http = (h + hn - v >= 7 && strncasecmp(v, "http://", 7) == 0);
	}
	p = hnl ? (size_t) (hnl - s) + 1 : n;
    }

    /*
     * Absolute form (a proxy request) stands alone; origin form needs
     * the Host.
     */
    if (t1 - t0 > 7 && (strncasecmp(target, "http://", 7) == 0
			|| strncasecmp(target, "https://", 8) == 0)) {
	extract_url_add(rep, target, t1 - t0, NULL);
	return;
    }
    if (host == NULL || hl == 0 || target[0] != '/' || hl > EXTRACT_MAX_HOST_BYTES)
	return;
    if (hl > 3 && memcmp(host + hl - 3, ":80", 3) == 0)
	http = 1, hl -= 3;
    else if (hl > 4 && memcmp(host + hl - 4, ":443", 4) == 0)
	hl -= 4;
    u = (size_t) snprintf(url, sizeof(url), "%s://%.*s", http ? "http" : "https",
			  (int) hl, host);
    for (size_t j = 0; j < t1 - t0 && u + 3 < sizeof(url); j++) {
	if (target[j] == ' ')
	    memcpy(url + u, "%20", 3), u += 3;
	else
	    url[u++] = target[j];
    }
    url[u] = 0;
    (void) scan_url(rep, url, u);
}

/* curl_urls - the URL arguments of one curl command */

static void curl_urls(struct report *rep, const char *cmd, size_t n)
{
    static const char *with_arg[] = {
	"-H", "-d", "-X", "-o", "-u", "-A", "-b", "-c", "-e", "-F", "-T", "-x",
	"-m", "-w", "-K", "-E", "-r", "-C", "-U", "-Q", "-t", "-z", "-y", "-Y",
	"--data", "--data-raw", "--data-binary", "--data-urlencode",
	"--data-ascii", "--json", "--header", "--request", "--user",
	"--user-agent", "--cookie", "--cookie-jar", "--referer", "--form",
	"--output", "--proxy", "--max-time", "--write-out", "--connect-timeout",
	"--resolve", "--cert", "--key", "--cacert", "--upload-file",
	"--connect-to", "--proxy-user", "-P", "--interface", 0,
    };
    char    tok[EXTRACT_MAX_CURL_BYTES + 1];
    size_t  i = 0;
    int     skip_next = 0, is_url_next = 0, first = 1;

    /*
     * Shell words: white space outside quotes ends one; quotes go.
     */
    for (int t = 0; t < EXTRACT_CURL_TOKENS && i < n; t++) {
	size_t  k = 0;
	int     q = 0;

	while (i < n && isspace((unsigned char) cmd[i]))
	    i++;
	if (i >= n)
	    break;
	for (; i < n && (q || !isspace((unsigned char) cmd[i])); i++) {
	    if (q && cmd[i] == q)
		q = 0;
	    else if (!q && (cmd[i] == '\'' || cmd[i] == '"'))
		q = cmd[i];
	    else if (!q && cmd[i] == '\\' && i + 1 < n)
		tok[k++] = cmd[++i];
	    else if (k < sizeof(tok) - 1)
		tok[k++] = cmd[i];
	}
	tok[k] = 0;

	/*
	 * "curl" itself, then options (some take the next word), then
	 * URLs.
	 */
	if (first) {
	    first = 0;
	    continue;
	}
	if (skip_next || is_url_next) {
	    if (is_url_next)
		extract_url_add(rep, tok, k, "http");
	    skip_next = is_url_next = 0;
	    continue;
	}
	if (tok[0] == '-') {
	    if (strcmp(tok, "--url") == 0)
		is_url_next = 1;
	    for (int j = 0; with_arg[j] && !is_url_next; j++)
		if (strcmp(tok, with_arg[j]) == 0)
		    skip_next = 1;
	    continue;
	}
	if (strchr("|;&><", tok[0]))
	    break;			/* the next command of a pipeline */
	extract_url_add(rep, tok, k, "http");
    }
}

/* curl_command - a curl command line at s+pos; bytes of its lines */

static size_t curl_command(struct report *rep, const char *s, size_t pos, size_t n)
{
    char    cmd[EXTRACT_MAX_CURL_BYTES + 1];
    size_t  p = pos, k = 0, start;

    /*
     * A prompt may come first: "$ ", "% ", "# ", "> ", "PS> ".
     */
    while (p < n && (s[p] == ' ' || s[p] == '\t'))
	p++;
    if (n - p >= 4 && memcmp(s + p, "PS> ", 4) == 0)
	p += 4;
    else if (n - p >= 2 && strchr("$%#>", s[p]) && s[p + 1] == ' ')
	p += 2;
    if (n - p >= 5 && memcmp(s + p, "sudo ", 5) == 0)
	p += 5;
    if (n - p < 6 || memcmp(s + p, "curl", 4) != 0 || (s[p + 4] != ' ' && s[p + 4] != '\t'))
	return (0);
    start = p;

    /*
     * The command and its continuation lines ("\" at the end), joined
     * with spaces, bounded.
     */
    for (int lines = 0; lines < EXTRACT_CURL_LINES && p < n; lines++) {
	const char *l = s + p, *nl = memchr(l, '\n', n - p);
	size_t  ln = nl ? (size_t) (nl - l) : n - p, keep = ln;
	int     cont;

	while (keep > 0 && (l[keep - 1] == ' ' || l[keep - 1] == '\t'))
	    keep--;
	cont = (keep > 0 && l[keep - 1] == '\\');
	if (cont)
	    keep--;
	while (keep > 0 && (l[keep - 1] == ' ' || l[keep - 1] == '\t'))
	    keep--;
	if (p != start)
	    while (keep > 0 && (*l == ' ' || *l == '\t'))
		l++, keep--;
	if (k > 0 && k < sizeof(cmd) - 1)
	    cmd[k++] = ' ';
	for (size_t j = 0; j < keep && k < sizeof(cmd) - 1; j++)
	    cmd[k++] = l[j];
	p = nl ? p + ln + 1 : n;
	if (!cont)
	    break;
    }
    while (k > 0 && cmd[k - 1] == ' ')
	k--;
    if (k == sizeof(cmd) - 1) {
	/* Cut: no half character at the end. */
	while (k > 0 && ((unsigned char) cmd[k - 1] & 0xC0) == 0x80)
	    k--;
	if (k > 0 && (unsigned char) cmd[k - 1] >= 0xC0)
	    k--;
    }
    cmd[k] = 0;
    if (sm_utf8_valid(cmd, k))
	add_bounded(rep, &rep->curl_commands, EXTRACT_MAX_CURLS, cmd);
    curl_urls(rep, cmd, k);
    return (p - pos);
}

/* lines - the line pass: HTTP blocks, code blocks, curl commands */

static void lines(struct report *rep, const char *s, size_t n)
{
    size_t  pos = 0, count = 0, k;
    int     fence = 0, indent_run = 0;

    while (pos < n) {
	const char *l = s + pos, *nl = memchr(l, '\n', n - pos);
	size_t  ln = nl ? (size_t) (nl - l) : n - pos, next = nl ? pos + ln + 1 : n;
	size_t  q = 0, b;

	if (++count % EXTRACT_BUDGET_LINES == 0 && report_budget_exceeded()) {
	    rep->flags |= REPORT_F_TIMEOUT;
	    return;
	}

	/*
	 * Code blocks: a fence opens or closes; two indented lines in a
	 * row are one block.
	 */
	for (b = 0; b < ln && b < 3 && l[b] == ' '; b++)
	     /* void */ ;
	if (ln - b >= 3 && (memcmp(l + b, "```", 3) == 0 || memcmp(l + b, "~~~", 3) == 0)) {
	    if (!fence)
		rep->code_blocks++;
	    fence = !fence;
	    indent_run = 0;
	    pos = next;
	    continue;
	}
	if (!fence && ln > 0 && (l[0] == '\t' || (ln >= 4 && memcmp(l, "    ", 4) == 0))) {
	    for (b = 0; b < ln && isspace((unsigned char) l[b]); b++)
		 /* void */ ;
	    if (b < ln && ++indent_run == 2)
		rep->code_blocks++;
	} else if (!fence) {
	    indent_run = 0;
	}

	/*
	 * Quoted or indented: look past "> " and white space.
	 */
	while (q < ln && q < 40 && (l[q] == '>' || l[q] == ' ' || l[q] == '\t'))
	    q++;

	/*
	 * HTTP request and status lines; curl commands.
	 */
	if (ln - q >= 10 && memcmp(l + q, "HTTP/", 5) == 0 && isdigit((unsigned char) l[q + 5])) {
	    size_t  d = q + 6;

	    if (d < ln && l[d] == '.')
		d += 2;
	    if (d + 4 <= ln && l[d] == ' ' && isdigit((unsigned char) l[d + 1])
		&& isdigit((unsigned char) l[d + 2]) && isdigit((unsigned char) l[d + 3]))
		rep->http_responses++;
	} else if (ln - q >= 14 && isupper((unsigned char) l[q])) {
	    http_request(rep, s, pos + q, n);
	}
	if (ln >= 6 && (k = curl_command(rep, s, pos, n)) > 0) {
	    pos += k;
	    continue;
	}
	pos = next;
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
	add_bounded(rep, &rep->hosts, EXTRACT_MAX_HOSTS, host);
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
	lines(rep, rep->text.data, rep->text.len);
    hosts_from_urls(rep);
}
