/*++
/* NAME
/*	evidence 3
/* SUMMARY
/*	proof material in the text of a report: payloads, HTTP, code, curl
/* SYNOPSIS
/*	#include "parser/parser_private.h"
/*
/*	int	evidence_payload_start(byte, next)
/*	int	evidence_payload_third(byte, third)
/*	size_t	evidence_payload_at(report, text, pos, len)
/*	void	evidence_lines(report, text, len)
/* DESCRIPTION
/*	What report_extract() looks for that a reporter pastes as proof
/*	rather than names.
/*
/*	evidence_payload_at() keeps the payload-like string (XSS, SQL
/*	injection, command injection, template injection, path traversal,
/*	XXE, SSRF targets, Log4Shell) that starts at text[pos]: the token
/*	that holds it (or the rest of the line for payloads that hold
/*	spaces), bounded. It returns where the line of a kept payload ends
/*	(the caller keeps one a line), or 0. The character pass of
/*	extract.c calls it at every byte, inside URLs too, where
/*	evidence_payload_start() says a payload may start: at byte, with
/*	next after it (-1: the text ends). Elsewhere it finds none.
/*	evidence_payload_third() says the same of the byte two on (third),
/*	for the bytes whose every payload is a literal spelling: "on"
/*	starts a payload only as "one" or "onl".
/*
/*	evidence_lines() is the line pass: HTTP request blocks ("GET /p
/*	HTTP/1.1" and their "Host:" give https://host/p, http:// when the
/*	block says so) and response status lines are counted; fenced (```
/*	or ~~~) and indented (four spaces or a tab, two lines or more)
/*	code blocks are counted; curl command lines (with their
/*	continuation lines) are kept and their URL arguments added,
/*	scheme-less ones as curl reads them (http://).
/*
/*	The line pass polls report_budget_exceeded(); when the CPU budget
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

#define EXTRACT_MAX_PAYLOADS	50
#define EXTRACT_MAX_PAYLOAD_BYTES 200
#define EXTRACT_MAX_CURLS	20
#define EXTRACT_MAX_CURL_BYTES	500
#define EXTRACT_CURL_LINES	30	/* continuation lines of one command */
#define EXTRACT_CURL_TOKENS	100	/* words of one command looked at */
#define EXTRACT_HTTP_LOOKAHEAD	50	/* header lines after a request line */
#define EXTRACT_BUDGET_LINES	256	/* lines between budget polls */

 /*
  * How much of the text around a payload match is kept.
  */
#define PL_TOKEN	0		/* the white-space delimited token */
#define PL_LINE		1		/* from the token to the line end */
#define PL_TAG		2		/* from the token to the last '>' */

 /*
  * Literal payload spellings, lower case, grouped by first byte: a text
  * byte is compared with the group of its own first byte only, in the
  * order written (the first match wins, as it always did).
  */
struct pl_lit {
    const char *str;
    size_t  len;			/* strlen(str), counted once */
    int     mode;
};

#define PL_LIT(s, m)	{ (s), sizeof(s) - 1, (m) }
#define PL_END		{ 0, 0, 0 }

static const struct pl_lit pl_lt[] = {
    PL_LIT("<script", PL_TAG), PL_LIT("<svg", PL_TAG),
    PL_LIT("<img src=x", PL_TAG), PL_LIT("<!entity", PL_TAG), PL_END,
};
static const struct pl_lit pl_pct[] = {
    PL_LIT("%3cscript", PL_TOKEN), PL_LIT("%2e%2e", PL_TOKEN), PL_END,
};
static const struct pl_lit pl_j[] = {PL_LIT("javascript:", PL_TOKEN), PL_END};
static const struct pl_lit pl_o[] = {
    PL_LIT("onerror=", PL_TOKEN), PL_LIT("onload=", PL_TOKEN), PL_END,
};
static const struct pl_lit pl_s[] = {PL_LIT("sleep(", PL_LINE), PL_END};
static const struct pl_lit pl_dot[] = {
    PL_LIT("../../", PL_TOKEN), PL_LIT("..\\..\\", PL_TOKEN),
    PL_LIT("..%2f", PL_TOKEN), PL_END,
};
static const struct pl_lit pl_slash[] = {PL_LIT("/etc/passwd", PL_TOKEN), PL_END};
static const struct pl_lit pl_f[] = {PL_LIT("file://", PL_TOKEN), PL_END};
static const struct pl_lit pl_g[] = {PL_LIT("gopher://", PL_TOKEN), PL_END};
static const struct pl_lit pl_1[] = {PL_LIT("169.254.169.254", PL_TOKEN), PL_END};
static const struct pl_lit pl_m[] = {
    PL_LIT("metadata.google.internal", PL_TOKEN), PL_END,
};
static const struct pl_lit pl_dollar[] = {PL_LIT("${jndi:", PL_TOKEN), PL_END};

static const struct pl_lit *const pl_groups[256] = {
    ['<'] = pl_lt, ['%'] = pl_pct, ['j'] = pl_j, ['J'] = pl_j,
    ['o'] = pl_o, ['O'] = pl_o, ['s'] = pl_s, ['S'] = pl_s,
    ['.'] = pl_dot, ['/'] = pl_slash, ['f'] = pl_f, ['F'] = pl_f,
    ['g'] = pl_g, ['G'] = pl_g, ['1'] = pl_1, ['m'] = pl_m, ['M'] = pl_m,
    ['$'] = pl_dollar,
};

 /*
  * The bytes a payload can start with: the literal groups above, and
  * the SQL, command and template injection openers of
  * evidence_payload_at().
  * 1: look closer. Above 1: look closer only when the next byte, in
  * lower case, is this one (every payload that starts with the byte
  * goes on so). The character pass jumps over the rest without a call.
  */
static const unsigned char pl_first[256] = {
    ['<'] = 1, ['%'] = 1, ['$'] = 1, ['\''] = 1, ['"'] = 1, [';'] = 1,
    ['|'] = 1, ['`'] = 1, ['{'] = 1, ['#'] = 1,
    ['j'] = 'a', ['J'] = 'a', ['o'] = 'n', ['O'] = 'n', ['s'] = 'l',
    ['S'] = 'l', ['f'] = 'i', ['F'] = 'i', ['g'] = 'o', ['G'] = 'o',
    ['m'] = 'e', ['M'] = 'e', ['u'] = 'n', ['U'] = 'n', ['1'] = '6',
    ['/'] = 'e', ['.'] = '.',
};

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
    extract_add_bounded(rep, &rep->payloads, EXTRACT_MAX_PAYLOADS, out);
}

/* cmd_word - a shell command that injection proofs run, at s */

static int cmd_word(const char *s, size_t n)
{
    static const struct {
	const char *str;
	size_t  len;
    } cmds[] = {
	{"id", 2}, {"whoami", 6}, {"uname", 5}, {"sleep", 5}, {"curl", 4},
	{"wget", 4}, {"nslookup", 8}, {"ping", 4}, {"cat", 3},
	{"hostname", 8}, {"ls", 2}, {0, 0},
    };

    for (int k = 0; cmds[k].str; k++) {
	size_t  l = cmds[k].len;

	if (n >= l && s[0] == cmds[k].str[0] && memcmp(s, cmds[k].str, l) == 0
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

/* evidence_payload_start - a payload may start at c, followed by next */

int     evidence_payload_start(unsigned char c, int next)
{
    unsigned char want = pl_first[c];
    int     lc = (next >= 'A' && next <= 'Z') ? next | 0x20 : next;

    /*
     * What the second byte of each kind must be (scan_payload() has the
     * whole rule). No payload is one byte long.
     */
    if (want == 0 || next < 0)
	return (0);
    if (want > 1)
	return (lc == want);
    switch (c) {
    case '<':					/* <script <svg <img <!entity
						 * <!doctype <%= */
	return (lc == 's' || lc == 'i' || lc == '!' || lc == '%');
    case '%':					/* %3cscript %2e%2e */
	return (next == '3' || next == '2');
    case '$':					/* ${jndi: ${7*7} $(id) */
	return (next == '{' || next == '(');
    case '\'':
    case '"':					/* ' OR 1=1 */
	return (next == ' ' || lc == 'o');
    case ';':
    case '|':					/* ;id */
	return (next == 'i');
    case '`':					/* `id`, the first letters of
						 * cmd_word() */
	return (next != 0 && strchr("iwuscnphl", next) != NULL);
    case '{':
    case '#':					/* {{7*7}} #{7*7} */
	return (next == '{');
    }
    return (1);
}

/* evidence_payload_third - a payload may start at c with third two on */

int     evidence_payload_third(unsigned char c, int third)
{
    int     lt = (third >= 'A' && third <= 'Z') ? third | 0x20 : third;

    /*
     * The third bytes of the literal spellings (pl_groups), for the
     * first bytes that start literals only: scan_payload() compares
     * them in lower case, as here. Every other byte may go on.
     */
    switch (c | 0x20) {
    case 'o':					/* onerror= onload= */
	return (lt == 'e' || lt == 'l');
    case 'm':					/* metadata.google.internal */
	return (lt == 't');
    case 'f':					/* file:// */
	return (lt == 'l');
    case 'g':					/* gopher:// */
	return (lt == 'p');
    case 'u':					/* union */
	return (lt == 'i');
    case 's':					/* sleep( */
	return (lt == 'e');
    case 'j':					/* javascript: */
	return (lt == 'v');
    }
    if (c == '1')				/* 169.254.169.254 */
	return (third == '9');
    if (c == '/')				/* /etc/passwd */
	return (lt == 't');
    if (c == '.')				/* ../../ ..\..\ ..%2f */
	return (third == '/' || third == '\\' || third == '%');
    return (1);
}

/* scan_payload - a payload-like string at s+i; 1 when one was kept */

static int scan_payload(struct report *rep, const char *s, size_t i, size_t n)
{
    const char *p = s + i;
    size_t  r = n - i, k;
    unsigned char c = (unsigned char) *p;
    const struct pl_lit *lit;

    /*
     * Literal spellings, case-insensitive: only the group of the first
     * byte can match.
     */
    for (lit = pl_groups[c]; lit && lit->str; lit++) {
	if (r < lit->len || !ascii_prefix_ci(p + 1, lit->str + 1, lit->len - 1))
	    continue;
	if (lit->str[0] == 's' && i > 0 && isalpha((unsigned char) s[i - 1])
	    && !(i >= 3 && strncasecmp(s + i - 3, "pg_", 3) == 0))
	    continue;			/* "asleep(" is prose */
	payload_keep(rep, s, i, lit->len, n, lit->mode);
	return (1);
    }

    /*
     * XXE: "<!DOCTYPE ... SYSTEM" on one line.
     */
    if (c == '<' && r >= 9 && ascii_prefix_ci(p, "<!doctype", 9)) {
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
	if (r - k >= 3 && ascii_prefix_ci(p + k, "or", 2) && p[k + 2] == ' ') {
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
    if ((c == ';' || c == '|') && r >= 3 && p[1] == 'i' && p[2] == 'd'
	&& cmd_word(p + 1, r - 1)) {
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

/* evidence_payload_at - the payload at s+i; the end of its line, or 0 */

size_t  evidence_payload_at(struct report *rep, const char *s, size_t i, size_t n)
{
    const char *nl;

    if (i >= n || !scan_payload(rep, s, i, n))
	return (0);
    nl = memchr(s + i, '\n', n - i);
    return (nl ? (size_t) (nl - s) : n);
}

/* http_request - a request line at s+pos: count it, make its URL */

static void http_request(struct report *rep, const char *s, size_t pos, size_t n)
{
    static const struct {
	const char *str;
	size_t  len;
    } methods[] = {
	{"GET", 3}, {"POST", 4}, {"PUT", 3}, {"DELETE", 6}, {"PATCH", 5},
	{"HEAD", 4}, {"OPTIONS", 7}, {"TRACE", 5}, {"CONNECT", 7},
	{"PROPFIND", 8}, {0, 0},
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
    for (int k = 0; methods[k].str && m == 0; k++) {
	size_t  ml = methods[k].len;

	if (ln > ml && l[0] == methods[k].str[0] && memcmp(l, methods[k].str, ml) == 0
	    && l[ml] == ' ')
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
    (void) extract_url_scan(rep, url, u);
}

/* curl_urls - the URL arguments of one curl command */

static void curl_urls(struct report *rep, const char *cmd, size_t n)
{
    /*
     * The options that take the next word: the short ones by letter
     * (one test a word, not a strcmp() each), then the long ones.
     */
    static const char short_with_arg[] = "HdXouAbceFTxmwKErCUQtzyYP";
    static const char *with_arg[] = {
	"--data", "--data-raw", "--data-binary", "--data-urlencode",
	"--data-ascii", "--json", "--header", "--request", "--user",
	"--user-agent", "--cookie", "--cookie-jar", "--referer", "--form",
	"--output", "--proxy", "--max-time", "--write-out", "--connect-timeout",
	"--resolve", "--cert", "--key", "--cacert", "--upload-file",
	"--connect-to", "--proxy-user", "--interface", 0,
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
	    if (tok[1] != 0 && tok[1] != '-' && tok[2] == 0)
		skip_next = strchr(short_with_arg, tok[1]) != NULL;
	    else if (tok[1] == '-')
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
    if (text_utf8_valid(cmd, k))
	extract_add_bounded(rep, &rep->curl_commands, EXTRACT_MAX_CURLS, cmd);
    curl_urls(rep, cmd, k);
    return (p - pos);
}

/* evidence_lines - the line pass: HTTP blocks, code blocks, curl commands */

void    evidence_lines(struct report *rep, const char *s, size_t n)
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
	} else if (ln - q >= 14 && (l[q] == 'G' || l[q] == 'P' || l[q] == 'D' || l[q] == 'H'
				    || l[q] == 'O' || l[q] == 'T' || l[q] == 'C')
		   && l[q + 1] >= 'A' && l[q + 1] <= 'Z') {
	    /* A method's first letter, then a capital: "The", "Hello" are none. */
	    http_request(rep, s, pos + q, n);
	}

	/*
	 * A curl command starts with "curl", "sudo" or a prompt ("PS> ",
	 * "$ ", "% ", "# ", "> ") after white space: other lines are no
	 * call.
	 */
	for (b = 0; b < ln && (l[b] == ' ' || l[b] == '\t'); b++)
	     /* void */ ;
	if (ln >= 6 && b < ln && (l[b] == 'c' || l[b] == 's' || l[b] == '$' || l[b] == '%'
				  || l[b] == '#' || l[b] == '>' || l[b] == 'P')
	    && (k = curl_command(rep, s, pos, n)) > 0) {
	    pos += k;
	    continue;
	}
	pos = next;
    }
}
