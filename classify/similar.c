/*++
/* NAME
/*	similar 3
/* SUMMARY
/*	what two reports of the same issue have in common
/* SYNOPSIS
/*	#include "classify/triage.h"
/*
/*	int	triage_fingerprints(report, triage, fps, max)
/*	uint64_t triage_simhash(text, len)
/*	double	triage_simhash_similarity(a, b)
/*	json_t	*triage_duplicate_json(triage)
/* DESCRIPTION
/*	Two researchers rarely word a report alike, but they name the same
/*	endpoint. This file computes the two keys the store indexes to find
/*	an earlier ticket about the same issue; it never looks anything up
/*	itself (the milter asks store/ with these keys).
/*
/*	triage_fingerprints() writes, for each distinct URL or HTTP request
/*	target of the report (at most max, at most TRIAGE_FP_MAX), the
/*	SHA-256 hex of "asset host, top class, endpoint path, sorted
/*	parameter names", with the parts of a path that differ between two
/*	accounts (numbers, UUIDs, hex and token IDs, e-mail addresses)
/*	replaced by placeholders and parameter values dropped. A report
/*	without a class (or only "other") has none; so has a URL that names
/*	no endpoint (a bare host), a host that is never an asset (reference
/*	sites, loopback, private and link-local addresses, callback
/*	catchers). The result is the count written.
/*
/*	triage_simhash() is a 64-bit SimHash over word 3-shingles of the
/*	text: lower case, digit runs collapsed, each URL reduced to its
/*	host; quoted reply lines (">") and the signature after "-- " are
/*	dropped, so a reply that quotes an old report does not look like
/*	it. It reads at most TRIAGE_SIMHASH_MAX_BYTES and polls
/*	report_budget_exceeded(). 0 means "too little text to compare"
/*	(fewer than TRIAGE_SIMHASH_MIN_WORDS words).
/*
/*	triage_duplicate_json() is the triage JSON "duplicate" member:
/*	null, or {"of", "similarity", "basis"}.
/*
/*	Never: a store lookup, a file, a log line with report text.
/*	Reentrant; the tables are constant.
/*--*/

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "util/util.h"
#include "parser/report.h"
#include "classify/triage.h"

#define SIMILAR_URLS_MAX	64	/* URLs looked at */
#define SIMILAR_REQUESTS_MAX	16	/* HTTP request lines looked at */
#define SIMILAR_HOST_MAX	255	/* bytes of a host name */
#define SIMILAR_PATH_MAX	512	/* bytes of a normalised path */
#define SIMILAR_SEGMENTS_MAX	32	/* path segments kept */
#define SIMILAR_PARAMS_MAX	32	/* parameter names kept */
#define SIMILAR_PARAM_MAX	64	/* bytes of one parameter name */
#define SIMILAR_WORD_MAX	64	/* bytes of one word */
#define SIMILAR_POLL_BYTES	4096	/* text between budget polls */
#define SIMILAR_REQUEST_SCAN	2048	/* bytes after a request line for Host: */

struct similar_key {
    char    host[SIMILAR_HOST_MAX + 1];
    char    path[SIMILAR_PATH_MAX + 1];
    char    params[SIMILAR_PARAMS_MAX][SIMILAR_PARAM_MAX + 1];
    size_t  n_params;
};

static int similar_host_ignored(const char *);
static int similar_parse_url(const char *, size_t, struct similar_key *);
static void similar_segment(const char *, size_t, struct sbuf *);
static void similar_params(const char *, size_t, struct similar_key *);
static const EVP_MD *similar_sha256(void);
static int similar_digest(const struct similar_key *, const char *, char[65]);
static int similar_add(char fps[][65], size_t *, size_t, const char *);
static int similar_requests(const struct report *, const char *, char fps[][65],
			            size_t *, size_t);
static uint64_t similar_mix(uint64_t);

/*
 * Hosts that are never the program's asset: references cited in a
 * report, and the catchers and sinks that payloads point at. Matched as
 * the host itself or a subdomain.
 */
static const char *const similar_ignored_hosts[] = {
    "owasp.org", "cwe.mitre.org", "cve.mitre.org", "mitre.org", "nvd.nist.gov",
    "first.org", "portswigger.net", "hackerone.com", "bugcrowd.com",
    "developer.mozilla.org", "w3.org", "ietf.org", "rfc-editor.org",
    "cvedetails.com", "exploit-db.com", "youtube.com", "youtu.be", "imgur.com",
    "drive.google.com", "docs.google.com", "pastebin.com", "gist.github.com",
    "burpcollaborator.net", "oastify.com", "oast.fun", "oast.me", "oast.live",
    "oast.pro", "oast.site", "oast.online", "interact.sh", "requestbin.net",
    "webhook.site", "ngrok.io", "ngrok-free.app", "pipedream.net",
    "attacker.com", "evil.com", "localhost", "metadata.google.internal",
};

/* ------------------------------------------------------ fingerprints */

/* similar_host_ignored - 1 for a host that names no asset */

static int similar_host_ignored(const char *host)
{
    size_t  hl = strlen(host), nl;
    unsigned a, b, c, d;
    char    tail;

    if (hl == 0)
	return (1);
    for (size_t i = 0; i < sizeof(similar_ignored_hosts) / sizeof(similar_ignored_hosts[0]); i++) {
	nl = strlen(similar_ignored_hosts[i]);
	if (hl >= nl && strcmp(host + hl - nl, similar_ignored_hosts[i]) == 0
	    && (hl == nl || host[hl - nl - 1] == '.'))
	    return (1);
    }

    /* Loopback, private and link-local addresses are payloads, not assets. */
    if (sscanf(host, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4) {
	if (a == 127 || a == 10 || a == 0 || (a == 169 && b == 254)
	    || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168))
	    return (1);
    }
    if (host[0] == '[')
	return (strncmp(host, "[::1]", 5) == 0 || strncmp(host, "[fe80:", 6) == 0
		|| strncmp(host, "[fc", 3) == 0 || strncmp(host, "[fd", 3) == 0);
    return (0);
}

/* similar_segment - one path segment, with its varying part replaced */

static void similar_segment(const char *s, size_t n, struct sbuf *out)
{
    size_t  digits = 0, hex = 0, alpha = 0, tok = 0, i;

    for (i = 0; i < n; i++) {
	unsigned char c = (unsigned char) s[i];

	digits += isdigit(c) != 0;
	hex += isxdigit(c) != 0;
	alpha += isalpha(c) != 0;
	tok += (isalnum(c) || c == '-' || c == '_');
    }

    /*
     * Whole-segment identifiers: numbers, UUIDs, hex digests, tokens,
     * addresses. The order matters: a number is hex too.
     */
    if (digits == n) {
	sbuf_puts(out, "{n}");
	return;
    }
    if (n == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-'
	&& hex == 32) {
	sbuf_puts(out, "{uuid}");
	return;
    }
    if (hex == n && n >= 8 && digits > 0) {
	sbuf_puts(out, "{hex}");
	return;
    }
    if (tok == n && n >= 16 && digits >= 2 && alpha > 0) {
	sbuf_puts(out, "{id}");
	return;
    }
    if (memchr(s, '@', n) != NULL) {
	sbuf_puts(out, "{email}");
	return;
    }

    /* Else the name, lower case, each run of digits one placeholder. */
    for (i = 0; i < n; i++) {
	if (isdigit((unsigned char) s[i])) {
	    while (i + 1 < n && isdigit((unsigned char) s[i + 1]))
		i++;
	    sbuf_puts(out, "{n}");
	} else {
	    sbuf_putc(out, (char) tolower((unsigned char) s[i]));
	}
    }
}

/* similar_params - the sorted, unique parameter names of a query */

static int similar_param_cmp(const void *a, const void *b)
{
    return (strcmp(a, b));
}

static void similar_params(const char *q, size_t n, struct similar_key *key)
{
    size_t  i = 0, start, len, j;
    char    name[SIMILAR_PARAM_MAX + 1];

    while (i < n && key->n_params < SIMILAR_PARAMS_MAX) {
	start = i;
	while (i < n && q[i] != '&' && q[i] != ';')
	    i++;
	for (len = 0; start + len < i && q[start + len] != '='; len++)
	    ;
	i++;
	if (len == 0 || len > SIMILAR_PARAM_MAX)
	    continue;
	for (j = 0; j < len; j++)
	    name[j] = (char) tolower((unsigned char) q[start + j]);
	name[len] = 0;
	for (j = 0; j < key->n_params && strcmp(key->params[j], name) != 0; j++)
	    ;
	if (j == key->n_params)
	    memcpy(key->params[key->n_params++], name, len + 1);
    }
    qsort(key->params, key->n_params, sizeof(key->params[0]), similar_param_cmp);
}

/*
 * similar_parse_url - host, normalised path and parameter names of
 * "scheme://[user@]host[:port]/path?query#fragment"; -1 when the URL
 * names no endpoint of an asset.
 */

static int similar_parse_url(const char *url, size_t len, struct similar_key *key)
{
    const char *p = url, *end = url + len, *h, *he, *port = NULL, *at;
    struct sbuf path;
    size_t  segs = 0, hl;

    memset(key, 0, sizeof(*key));
    if (len > 7 && strncasecmp(p, "http://", 7) == 0)
	p += 7;
    else if (len > 8 && strncasecmp(p, "https://", 8) == 0)
	p += 8;
    else
	return (-1);

    /* The authority: no user info, no default port, no trailing dot. */
    for (he = p; he < end && !strchr("/?#", *he); he++)
	;
    h = p;
    if ((at = memchr(h, '@', (size_t) (he - h))) != NULL)
	h = at + 1;
    if (h < he && *h == '[') {
	const char *rb = memchr(h, ']', (size_t) (he - h));

	if (rb == NULL)
	    return (-1);
	if (rb + 1 < he && rb[1] == ':')
	    port = rb + 1;
    } else {
	port = memchr(h, ':', (size_t) (he - h));
    }
    hl = (size_t) ((port ? port : he) - h);
    /* The scheme's default port, either scheme: a request block's Host: line has no scheme. */
    if (port && ((he - port == 4 && strncmp(port, ":443", 4) == 0)
		 || (he - port == 3 && strncmp(port, ":80", 3) == 0)))
	port = NULL;
    if (port)
	hl = (size_t) (he - h);
    while (hl > 0 && h[hl - 1] == '.' && !port)
	hl--;
    if (hl == 0 || hl > SIMILAR_HOST_MAX)
	return (-1);
    for (size_t i = 0; i < hl; i++)
	key->host[i] = (char) tolower((unsigned char) h[i]);
    key->host[hl] = 0;
    if (port)
	key->host[port - h] = 0;	/* the name alone, for the check */
    if (similar_host_ignored(key->host))
	return (-1);
    if (port)
	key->host[port - h] = ':';

    /*
     * The path, segment by segment: "." and empty ones dropped, ".."
     * taken back, matrix parameters (";jsessionid=") cut.
     */
    sbuf_init(&path, SIMILAR_PATH_MAX);
    p = he;
    while (p < end && *p == '/' && segs < SIMILAR_SEGMENTS_MAX) {
	const char *s = ++p, *semi;
	size_t  n;

	while (p < end && !strchr("/?#", *p))
	    p++;
	n = (size_t) (p - s);
	if ((semi = memchr(s, ';', n)) != NULL)
	    n = (size_t) (semi - s);
	if (n == 0 || (n == 1 && s[0] == '.'))
	    continue;
	if (n == 2 && s[0] == '.' && s[1] == '.') {
	    char   *last = path.len ? strrchr(sbuf_str(&path), '/') : NULL;

	    if (last)
		path.len = (size_t) (last - sbuf_str(&path)), path.data[path.len] = 0;
	    continue;
	}
	sbuf_putc(&path, '/');
	similar_segment(s, n, &path);
	segs++;
    }
    while (p < end && *p != '?' && *p != '#')
	p++;
    if (p < end && *p == '?') {
	const char *q = ++p;

	while (p < end && *p != '#')
	    p++;
	similar_params(q, (size_t) (p - q), key);
    }
    snprintf(key->path, sizeof(key->path), "%s", path.len ? sbuf_str(&path) : "/");
    sbuf_free(&path);

    /* A bare host names no endpoint: two reports on it may be anything. */
    if (strcmp(key->path, "/") == 0 && key->n_params == 0)
	return (-1);
    return (0);
}

/*
 * similar_sha256 - SHA-256, fetched once: OpenSSL 3 looks EVP_sha256()
 * up again at every digest, which cost more than hashing a key.
 */

static const EVP_MD *similar_md;
static pthread_once_t similar_md_once = PTHREAD_ONCE_INIT;

static void similar_md_fetch(void)
{
    similar_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

static const EVP_MD *similar_sha256(void)
{
    (void) pthread_once(&similar_md_once, similar_md_fetch);
    return (similar_md ? similar_md : EVP_sha256());
}

/* similar_digest - SHA-256 hex of the key under one class */

static int similar_digest(const struct similar_key *key, const char *cls, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    char    buf[SIMILAR_HOST_MAX + SIMILAR_PATH_MAX + 64
		        + SIMILAR_PARAMS_MAX * (SIMILAR_PARAM_MAX + 1)];
    size_t  n;

    /* The key is bounded: it fits the stack buffer (no malloc per URL). */
    n = (size_t) snprintf(buf, sizeof(buf), "fp1\n%s\n%s\n%s\n", key->host, cls, key->path);
    for (size_t i = 0; i < key->n_params && n < sizeof(buf); i++)
	n += (size_t) snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? "," : "", key->params[i]);
    if (n >= sizeof(buf))
	return (-1);
    if (EVP_Digest(buf, n, md, &mdlen, similar_sha256(), NULL) != 1 || mdlen != 32)
	return (-1);
    sm_hex(md, 32, hex);
    return (0);
}

/* similar_add - append a fingerprint unless present; 1 when full */

static int similar_add(char fps[][65], size_t *n, size_t max, const char *fp)
{
    for (size_t i = 0; i < *n; i++)
	if (strcmp(fps[i], fp) == 0)
	    return (0);
    if (*n < max)
	memcpy(fps[(*n)++], fp, 65);
    return (*n >= max);
}

/*
 * similar_requests - fingerprints of "METHOD /target HTTP/1.x" blocks
 * in the text, with the host from their Host: line.
 */

static int similar_requests(const struct report *r, const char *cls,
			            char fps[][65], size_t *n, size_t max)
{
    static const char *const methods[] = {"GET ", "POST ", "PUT ", "DELETE ", "PATCH "};
    const char *text = r->text.data, *end, *line, *nl;
    size_t  len = r->text.len, seen = 0, lines = 0;
    struct similar_key key;
    char    fp[65];

    if (text == NULL)
	return (0);
    if (len > TRIAGE_SIMHASH_MAX_BYTES)
	len = TRIAGE_SIMHASH_MAX_BYTES;
    end = text + len;
    for (line = text; line < end && seen < SIMILAR_REQUESTS_MAX; line = nl + 1) {
	const char *t, *te, *hl, *hnl, *scan_end;
	struct sbuf url;
	size_t  m;

	if ((nl = memchr(line, '\n', (size_t) (end - line))) == NULL)
	    nl = end;
	if ((++lines & 63) == 0 && report_budget_exceeded())
	    break;

	/* A request line: METHOD SP target SP HTTP/x. */
	while (line < nl && (*line == ' ' || *line == '\t'))
	    line++;
	for (m = 0; m < sizeof(methods) / sizeof(methods[0]); m++)
	    if ((size_t) (nl - line) > strlen(methods[m])
		&& strncmp(line, methods[m], strlen(methods[m])) == 0)
		break;
	if (m == sizeof(methods) / sizeof(methods[0]))
	    continue;
	t = line + strlen(methods[m]);
	for (te = t; te < nl && *te != ' '; te++)
	    ;
	if (te == t || nl - te < 6 || strncmp(te, " HTTP/", 6) != 0)
	    continue;
	seen++;

	/*
	 * Absolute targets carry their host; others take the Host: line of
	 * the same header block (up to its blank line, or a bounded scan).
	 */
	sbuf_init(&url, 4096);
	if (*t != '/') {
	    sbuf_printf(&url, "%.*s", (int) (te - t), t);
	} else {
	    scan_end = end - nl > SIMILAR_REQUEST_SCAN ? nl + SIMILAR_REQUEST_SCAN : end;
	    for (hl = nl + 1; hl < scan_end; hl = hnl + 1) {
		const char *v, *ve;

		if ((hnl = memchr(hl, '\n', (size_t) (scan_end - hl))) == NULL)
		    hnl = scan_end;
		for (v = hl; v < hnl && (*v == ' ' || *v == '\t' || *v == '\r'); v++)
		    ;
		if (v == hnl)
		    break;		/* the blank line after the headers */
		if (hnl - v > 5 && strncasecmp(v, "Host:", 5) == 0) {
		    for (v += 5; v < hnl && (*v == ' ' || *v == '\t'); v++)
			;
		    for (ve = v; ve < hnl && !strchr(" \t\r", *ve); ve++)
			;
		    if (ve > v && ve - v <= SIMILAR_HOST_MAX)
			sbuf_printf(&url, "http://%.*s%.*s", (int) (ve - v), v, (int) (te - t), t);
		    break;
		}
	    }
	}
	if (url.len && !url.truncated && similar_parse_url(sbuf_str(&url), url.len, &key) == 0
	    && similar_digest(&key, cls, fp) == 0 && similar_add(fps, n, max, fp)) {
	    sbuf_free(&url);
	    return (1);
	}
	sbuf_free(&url);
    }
    return (0);
}

int     triage_fingerprints(const struct report *r, const struct triage *t,
			            char fps[][65], size_t max)
{
    struct similar_key key;
    const char *cls;
    char    fp[65];
    size_t  n = 0;

    if (max > TRIAGE_FP_MAX)
	max = TRIAGE_FP_MAX;
    if (r == NULL || t == NULL || max == 0 || t->classes.n == 0)
	return (0);
    cls = t->classes.v[0];
    if (strcmp(cls, "other") == 0)
	return (0);

    /* The URLs the parser found, in the order of the text. */
    for (size_t i = 0; i < r->urls.n && i < SIMILAR_URLS_MAX; i++) {
	if (similar_parse_url(r->urls.v[i], strlen(r->urls.v[i]), &key) < 0
	    || similar_digest(&key, cls, fp) < 0)
	    continue;
	if (similar_add(fps, &n, max, fp))
	    return ((int) n);
    }

    /* Then the targets of raw HTTP requests pasted into the report. */
    if (r->http_requests > 0)
	similar_requests(r, cls, fps, &n, max);
    return ((int) n);
}

/* ----------------------------------------------------------- SimHash */

/* similar_mix - the splitmix64 finaliser: every input bit moves ~half the output */

static uint64_t similar_mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return (x);
}

#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL

/* similar_flush - add the byte lanes into the per-bit counts */

static void similar_flush(uint64_t lanes[8], uint32_t counts[64], unsigned *in_lanes)
{
    for (int j = 0; j < 8; j++) {
	for (int k = 0; k < 8; k++)
	    counts[8 * k + j] += (uint32_t) ((lanes[j] >> (8 * k)) & 0xff);
	lanes[j] = 0;
    }
    *in_lanes = 0;
}

 /*
  * What each byte is to the SimHash, in one table lookup (C locale, as
  * isalnum() and tolower() are in this program): a word byte (ASCII
  * letters, and every byte of a UTF-8 sequence), a digit, the line end,
  * and the bytes that end a URL's host or the URL. NUL ends both, as
  * strchr() found it in the sets.
  */
#define SC_WORD		1
#define SC_DIGIT	2
#define SC_NL		4
#define SC_HOST_END	8		/* / ? # : " ' < > SP HT CR LF NUL */
#define SC_URL_END	16		/* " ' < > SP HT CR LF NUL */

static const unsigned char similar_class[256] = {
    [0] = SC_HOST_END | SC_URL_END,
    ['\t'] = SC_HOST_END | SC_URL_END,
    ['\n'] = SC_NL | SC_HOST_END | SC_URL_END,
    ['\r'] = SC_HOST_END | SC_URL_END,
    [' '] = SC_HOST_END | SC_URL_END,
    ['"'] = SC_HOST_END | SC_URL_END,
    ['\''] = SC_HOST_END | SC_URL_END,
    ['<'] = SC_HOST_END | SC_URL_END,
    ['>'] = SC_HOST_END | SC_URL_END,
    ['/'] = SC_HOST_END, ['?'] = SC_HOST_END, ['#'] = SC_HOST_END, [':'] = SC_HOST_END,
    ['0' ... '9'] = SC_DIGIT,
    ['A' ... 'Z'] = SC_WORD,
    ['a' ... 'z'] = SC_WORD,
    [0x80 ... 0xff] = SC_WORD,
};

#define SIMILAR_LOWER(c)	((c) >= 'A' && (c) <= 'Z' ? (c) + 32 : (c))

uint64_t triage_simhash(const char *text, size_t len)
{
    uint32_t counts[64];
    uint64_t lanes[8] = {0};
    unsigned in_lanes = 0;
    uint64_t shingles = 0;
    uint64_t win[3] = {0, 0, 0}, h, out = 0;
    size_t  words = 0, wl;
    const unsigned char *p, *q, *end, *poll;
    unsigned char c;
    int     line_start = 1;

    if (text == NULL)
	return (0);
    if (len > TRIAGE_SIMHASH_MAX_BYTES)
	len = TRIAGE_SIMHASH_MAX_BYTES;
    p = (const unsigned char *) text;
    end = p + len;
    poll = p + SIMILAR_POLL_BYTES;
    memset(counts, 0, sizeof(counts));

    while (p < end) {
	if (p >= poll) {
	    if (report_budget_exceeded())
		break;
	    poll = p + SIMILAR_POLL_BYTES;
	}

	/*
	 * At a line start: a quoted line is skipped whole; the signature
	 * separator ends the text.
	 */
	if (line_start) {
	    line_start = 0;
	    for (q = p; q < end && (*q == ' ' || *q == '\t'); q++)
		;
	    if (q < end && *q == '>') {
		const unsigned char *nl = memchr(q, '\n', (size_t) (end - q));

		p = nl ? nl + 1 : end;
		line_start = 1;
		continue;
	    }
	    if (end - p >= 2 && p[0] == '-' && p[1] == '-'
		&& (p + 2 == end || p[2] == '\n' || p[2] == '\r'
		    || (p[2] == ' ' && (p + 3 == end || p[3] == '\n' || p[3] == '\r'))))
		break;
	}
	c = *p;
	if (c == '\n') {
	    line_start = 1;
	    p++;
	    continue;
	}
	if (!(similar_class[c] & (SC_WORD | SC_DIGIT))) {
	    /* A run of separators in one loop; a line end stops it. */
	    while (++p < end && !(similar_class[*p] & (SC_WORD | SC_DIGIT | SC_NL)))
		;
	    continue;
	}

	/* A URL counts as its host: paths and IDs differ between reporters. */
	if ((c | 0x20) == 'h' && ((end - p > 7 && strncasecmp((const char *) p, "http://", 7) == 0)
	    || (end - p > 8 && strncasecmp((const char *) p, "https://", 8) == 0))) {
	    q = p + (p[4] == ':' ? 7 : 8);
	    h = FNV_OFFSET;
	    for (wl = 0; q < end && !(similar_class[*q] & SC_HOST_END); q++, wl++)
		if (wl < SIMILAR_WORD_MAX)
		    h = (h ^ SIMILAR_LOWER(*q)) * FNV_PRIME;
	    while (q < end && !(similar_class[*q] & SC_URL_END))
		q++;
	    p = q;
	    if (wl == 0)
		continue;
	} else {
	    /*
	     * A word: lower case, each run of digits one "0"; only its
	     * first SIMILAR_WORD_MAX units count, the rest is skipped.
	     */
	    h = FNV_OFFSET;
	    for (q = p, wl = 0; q < end && wl < SIMILAR_WORD_MAX; wl++) {
		unsigned char k = similar_class[*q];

		if (k & SC_WORD) {
		    h = (h ^ SIMILAR_LOWER(*q)) * FNV_PRIME;
		    q++;
		} else if (k & SC_DIGIT) {
		    while (++q < end && (similar_class[*q] & SC_DIGIT))
			;
		    h = (h ^ '0') * FNV_PRIME;
		} else {
		    break;
		}
	    }
	    while (q < end && (similar_class[*q] & (SC_WORD | SC_DIGIT)))
		q++;
	    p = q;
	}

	/* The shingle: this word and the two before, in order. */
	win[0] = win[1];
	win[1] = win[2];
	win[2] = h;
	if (++words < 3)
	    continue;
	h = similar_mix(win[0] ^ similar_mix(win[1] ^ similar_mix(win[2])));

	/*
	 * Count each bit of h in byte lanes, eight bits per add: lane j of
	 * byte k counts bit 8k+j. A lane holds 255 at most: flush before.
	 */
	lanes[0] += h & 0x0101010101010101ULL;
	lanes[1] += (h >> 1) & 0x0101010101010101ULL;
	lanes[2] += (h >> 2) & 0x0101010101010101ULL;
	lanes[3] += (h >> 3) & 0x0101010101010101ULL;
	lanes[4] += (h >> 4) & 0x0101010101010101ULL;
	lanes[5] += (h >> 5) & 0x0101010101010101ULL;
	lanes[6] += (h >> 6) & 0x0101010101010101ULL;
	lanes[7] += (h >> 7) & 0x0101010101010101ULL;
	if (++in_lanes == 255)
	    similar_flush(lanes, counts, &in_lanes);
	shingles++;
    }
    similar_flush(lanes, counts, &in_lanes);
    if (words < TRIAGE_SIMHASH_MIN_WORDS)
	return (0);

    /* A bit is set when more than half the shingles set it. */
    for (int b = 0; b < 64; b++)
	if (2 * (uint64_t) counts[b] > shingles)
	    out |= 1ULL << b;
    return (out == 0 ? 1 : out);	/* 0 means "none" */
}

double  triage_simhash_similarity(uint64_t a, uint64_t b)
{
    return (1.0 - (double) __builtin_popcountll(a ^ b) / 64.0);
}

/* --------------------------------------------------------------- JSON */

json_t *triage_duplicate_json(const struct triage *t)
{
    double  sim;

    if (t->duplicate_of == NULL || !triage_ticket_id_valid(t->duplicate_of))
	return (json_null());
    sim = t->duplicate_similarity;
    if (sim < 0)
	sim = 0;
    if (sim > 1)
	sim = 1;
    return (json_pack("{s:s, s:f, s:s}",
		      "of", t->duplicate_of,
		      "similarity", (double) (long) (sim * 100 + 0.5) / 100,
		      "basis", t->duplicate_basis ? t->duplicate_basis : "fingerprint"));
}
