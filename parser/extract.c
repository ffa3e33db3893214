/*++
/* NAME
/*	extract 3
/* SUMMARY
/*	plain text from HTML; URLs, CVE IDs and CVSS vectors from text
/* SYNOPSIS
/*	#include "parser/report.h"
/*
/*	void	report_extract(report)
/*
/*	struct report_html *report_html_new(put, arg)
/*	int	report_html_feed(html, text, len)
/*	void	report_html_finish(html)
/* DESCRIPTION
/*	report_extract() scans the subject and text of a report once,
/*	left to right, and fills report->urls, report->cves and
/*	report->cvss_vectors, each unique and bounded in count and length:
/* .IP \(bu
/*	URLs: http and https, and the defanged forms reporters use
/*	(hxxp://, hxxps://, [:]//, [.], (.), {.}, [dot]), normalised to
/*	http(s)://host... with scheme and host in lower case; trailing
/*	punctuation and unbalanced closing brackets are not part of a URL.
/* .IP \(bu
/*	CVE IDs: CVE-YYYY-NNNN (4 to 19 digits), upper-cased.
/* .IP \(bu
/*	CVSS vectors: "CVSS:3.x/" or "CVSS:4.0/" followed by one or more
/*	"/METRIC:VALUE" groups, as written.
/* .PP
/*	report_html_*() is a small state machine that turns a text/html
/*	part into readable text while it streams: script, style and
/*	comments are dropped, entities decoded, block elements become line
/*	breaks, list items get "- " or "N. ", <pre> keeps its white space
/*	and a link keeps its target as "text (href)". Its buffers are
/*	fixed: a tag longer than HTML_TAG_MAX is read to its end but only
/*	its start is looked at.
/*
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

#define EXTRACT_MAX_URLS	200
#define EXTRACT_MAX_URL_BYTES	2048
#define EXTRACT_MAX_CVES	200
#define EXTRACT_MAX_CVSS	50
#define EXTRACT_MAX_CVSS_BYTES	256

#define HTML_TAG_MAX		4096	/* bytes of a tag looked at */
#define HTML_TAG_QUOTE_MAX	65536	/* an open quote ends here */
#define HTML_ENT_MAX		32	/* bytes of an entity name */
#define HTML_HREF_MAX		2048	/* bytes of a link target */
#define HTML_LIST_DEPTH		8	/* nested lists numbered */

enum html_state { H_TEXT, H_LT, H_TAG, H_COMMENT, H_ENTITY, H_RAW };

struct report_html {
    int     (*put) (void *, const char *, size_t);
    void   *arg;
    enum html_state state;
    int     stopped;
    char    tag[HTML_TAG_MAX];
    size_t  ntag;			/* bytes kept */
    size_t  tag_total;			/* bytes seen */
    int     quote;			/* open quote character in a tag */
    int     comment_dashes;
    char    ent[HTML_ENT_MAX];
    size_t  nent;
    const char *raw_end;		/* "</script" or "</style" */
    size_t  raw_match;
    unsigned pre_depth;
    int     started;			/* visible text written */
    int     pending_space;
    int     pending_nl;
    int     in_link;
    char    href[HTML_HREF_MAX];
    size_t  nhref;
    char    linktext[HTML_HREF_MAX];
    size_t  nlinktext;
    int     list_kind[HTML_LIST_DEPTH];	/* 0 ul, 1 ol */
    unsigned list_count[HTML_LIST_DEPTH];
    unsigned list_depth;
    char    out[1024];
    size_t  nout;
};

 /*
  * Named entities worth knowing in security reports, payload spellings
  * (&colon; &lpar;) included. Unknown names stay as written.
  */
static const struct {
    const char *name;
    unsigned cp;
} html_entities[] = {
    {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''},
    {"nbsp", ' '}, {"ensp", ' '}, {"emsp", ' '}, {"thinsp", ' '},
    {"colon", ':'}, {"sol", '/'}, {"lpar", '('}, {"rpar", ')'},
    {"period", '.'}, {"comma", ','}, {"excl", '!'}, {"num", '#'},
    {"semi", ';'}, {"equals", '='}, {"lowbar", '_'}, {"grave", '`'},
    {"bsol", '\\'}, {"Tab", '\t'}, {"NewLine", '\n'},
    {"copy", 0xA9}, {"reg", 0xAE}, {"trade", 0x2122}, {"deg", 0xB0},
    {"hellip", 0x2026}, {"mdash", 0x2014}, {"ndash", 0x2013},
    {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C},
    {"rdquo", 0x201D}, {"bull", 0x2022}, {"middot", 0xB7},
    {"laquo", 0xAB}, {"raquo", 0xBB}, {"times", 0xD7}, {"divide", 0xF7},
    {"euro", 0x20AC}, {"pound", 0xA3}, {"sect", 0xA7}, {"para", 0xB6},
    {"auml", 0xE4}, {"ouml", 0xF6}, {"uuml", 0xFC}, {"Auml", 0xC4},
    {"Ouml", 0xD6}, {"Uuml", 0xDC}, {"szlig", 0xDF}, {"eacute", 0xE9},
    {"egrave", 0xE8}, {"agrave", 0xE0}, {"aacute", 0xE1}, {"ccedil", 0xE7},
    {"ntilde", 0xF1}, {"oacute", 0xF3}, {"iacute", 0xED}, {"uacute", 0xFA},
    {"shy", 0}, {"zwnj", 0}, {"zwj", 0}, {"ZeroWidthSpace", 0},
};

static const unsigned short html_cp1252[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

static size_t utf8_encode(unsigned, char *);
static int entity_decode(const char *, size_t, char *);
static void html_flush(struct report_html *);
static void html_out(struct report_html *, const char *, size_t);
static void html_text(struct report_html *, const char *, size_t);
static void html_space(struct report_html *, int);
static void html_break(struct report_html *, int);
static void html_entity_end(struct report_html *, int);
static void html_tag(struct report_html *);
static size_t html_attr(const char *, size_t, const char *, char *, size_t);
static void html_byte(struct report_html *, unsigned char);
static void scan(struct report *, const char *, size_t);
static size_t scan_url(struct report *, const char *, size_t);
static size_t scan_cve(struct report *, const char *, size_t);
static size_t scan_cvss(struct report *, const char *, size_t);

/* utf8_encode - one code point; NUL-free by construction of callers */

static size_t utf8_encode(unsigned cp, char *b)
{
    if (cp < 0x80) {
	b[0] = (char) cp;
	return (1);
    }
    if (cp < 0x800) {
	b[0] = (char) (0xC0 | (cp >> 6));
	b[1] = (char) (0x80 | (cp & 0x3F));
	return (2);
    }
    if (cp < 0x10000) {
	b[0] = (char) (0xE0 | (cp >> 12));
	b[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
	b[2] = (char) (0x80 | (cp & 0x3F));
	return (3);
    }
    b[0] = (char) (0xF0 | (cp >> 18));
    b[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
    b[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
    b[3] = (char) (0x80 | (cp & 0x3F));
    return (4);
}

/* entity_decode - name without & and ;, to UTF-8; -1 when unknown */

static int entity_decode(const char *name, size_t n, char *out)
{
    unsigned long cp = 0;
    size_t  i;

    /*
     * Numeric: decimal or hex, with the HTML rules for bad values.
     */
    if (n >= 2 && name[0] == '#') {
	int     hex = (name[1] == 'x' || name[1] == 'X');

	if (n == (size_t) (hex ? 2 : 1))
	    return (-1);
	for (i = hex ? 2 : 1; i < n; i++) {
	    int     c = (unsigned char) name[i];

	    if (hex ? !isxdigit(c) : !isdigit(c))
		return (-1);
	    cp = cp * (hex ? 16 : 10) + (unsigned long) (isdigit(c) ? c - '0' :
						      (tolower(c) - 'a' + 10));
	    if (cp > 0x10FFFF)
		cp = 0x110000;
	}
	if (cp >= 0x80 && cp < 0xA0)
	    cp = html_cp1252[cp - 0x80];
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
	    cp = 0xFFFD;
	if (cp < 0x20 && cp != '\t' && cp != '\n')
	    return (0);
	return ((int) utf8_encode((unsigned) cp, out));
    }

    /*
     * Named: a short table.
     */
    for (i = 0; i < sizeof(html_entities) / sizeof(html_entities[0]); i++)
	if (strlen(html_entities[i].name) == n
	    && memcmp(html_entities[i].name, name, n) == 0)
	    return (html_entities[i].cp ?
		    (int) utf8_encode(html_entities[i].cp, out) : 0);
    return (-1);
}

/* report_html_new - a converter writing to put(arg, ...) */

struct report_html *report_html_new(int (*put) (void *, const char *, size_t),
				            void *arg)
{
    struct report_html *h;

    if ((h = calloc(1, sizeof(*h))) == NULL)
	return (NULL);
    h->put = put;
    h->arg = arg;
    h->state = H_TEXT;
    return (h);
}

/* html_flush - hand the buffered output on */

static void html_flush(struct report_html *h)
{
    if (h->nout > 0 && !h->stopped && h->put(h->arg, h->out, h->nout) < 0)
	h->stopped = 1;
    h->nout = 0;
}

/* html_out - buffer output bytes */

static void html_out(struct report_html *h, const char *s, size_t n)
{
    while (n > 0 && !h->stopped) {
	size_t  k = sizeof(h->out) - h->nout;

	if (k == 0) {
	    html_flush(h);
	    continue;
	}
	if (k > n)
	    k = n;
	memcpy(h->out + h->nout, s, k);
	h->nout += k;
	s += k;
	n -= k;
    }
}

/* html_text - visible text: first the white space that is due */

static void html_text(struct report_html *h, const char *s, size_t n)
{
    if (h->pending_nl && h->started) {
	html_out(h, "\n\n", (size_t) h->pending_nl);
    } else if (h->pending_space && h->started) {
	html_out(h, " ", 1);
    }
    h->pending_nl = h->pending_space = 0;
    h->started = 1;
    html_out(h, s, n);
    if (h->in_link && h->nlinktext + n < sizeof(h->linktext)) {
	memcpy(h->linktext + h->nlinktext, s, n);
	h->nlinktext += n;
    }
}

/* html_space - white space in text; kept as written inside <pre> */

static void html_space(struct report_html *h, int c)
{
    char    ch = (char) c;

    if (h->pre_depth > 0) {
	if (h->pending_nl && h->started)
	    html_out(h, "\n\n", (size_t) h->pending_nl);
	h->pending_nl = h->pending_space = 0;
	h->started = 1;
	html_out(h, &ch, 1);
    } else
	h->pending_space = 1;
}

/* html_break - a line break (1) or a blank line (2) before what follows */

static void html_break(struct report_html *h, int lines)
{
    if (h->pending_nl < lines)
	h->pending_nl = lines;
    h->pending_space = 0;
}

/* html_attr - value of attribute name in a tag, entities decoded */

static size_t html_attr(const char *tag, size_t n, const char *name,
			        char *out, size_t outmax)
{
    size_t  i = 0, nlen = strlen(name), k = 0;

    /*
     * Skip the element name, then walk name[=value] pairs.
     */
    while (i < n && !isspace((unsigned char) tag[i]) && tag[i] != '/')
	i++;
    while (i < n) {
	size_t  a0, a1, v0, v1;
	int     q = 0;

	while (i < n && (isspace((unsigned char) tag[i]) || tag[i] == '/'))
	    i++;
	a0 = i;
	while (i < n && tag[i] != '=' && !isspace((unsigned char) tag[i]) && tag[i] != '/')
	    i++;
	a1 = i;
	while (i < n && isspace((unsigned char) tag[i]))
	    i++;
	if (a1 == a0 && i < n && tag[i] != '=') {
	    i++;
	    continue;
	}
	if (i >= n || tag[i] != '=') {
	    continue;
	}
	i++;
	while (i < n && isspace((unsigned char) tag[i]))
	    i++;
	if (i < n && (tag[i] == '"' || tag[i] == '\''))
	    q = tag[i++];
	v0 = i;
	while (i < n && (q ? tag[i] != q : !isspace((unsigned char) tag[i])))
	    i++;
	v1 = i;
	if (i < n && q)
	    i++;
	if (a1 - a0 != nlen || strncasecmp(tag + a0, name, nlen) != 0)
	    continue;

	/*
	 * Decode entities in the value; bounded by outmax.
	 */
	for (size_t j = v0; j < v1 && k + 4 < outmax; j++) {
	    if (tag[j] == '&') {
		size_t  e = j + 1;
		char    b[4];
		int     r;

		while (e < v1 && e - j < HTML_ENT_MAX && (isalnum((unsigned char) tag[e])
							  || tag[e] == '#'))
		    e++;
		r = entity_decode(tag + j + 1, e - j - 1, b);
		if (r >= 0) {
		    memcpy(out + k, b, (size_t) r);
		    k += (size_t) r;
		    j = (e < v1 && tag[e] == ';') ? e : e - 1;
		    continue;
		}
	    }
	    if ((unsigned char) tag[j] >= 0x20)
		out[k++] = tag[j];
	}
	out[k] = 0;
	return (k);
    }
    out[0] = 0;
    return (0);
}

/* html_tag - act on a complete tag */

static void html_tag(struct report_html *h)
{
    char    name[16];
    const char *t = h->tag;
    size_t  n = h->ntag, i = 0, k = 0;
    int     closing = 0, self_closing;

    if (n > 0 && t[0] == '/')
	closing = 1, i = 1;
    while (i < n && k < sizeof(name) - 1 && (isalnum((unsigned char) t[i])))
	name[k++] = (char) tolower((unsigned char) t[i++]);
    name[k] = 0;
    self_closing = n > 0 && t[n - 1] == '/';

#define IS(s) (strcmp(name, (s)) == 0)

    /*
     * Elements whose content is not text.
     */
    if (!closing && !self_closing && (IS("script") || IS("style"))) {
	h->raw_end = IS("script") ? "</script" : "</style";
	h->raw_match = 0;
	h->state = H_RAW;
	return;
    }

    /*
     * Line structure.
     */
    if (IS("br")) {
	if (h->pending_nl < 2 && h->started)
	    h->pending_nl++;
	h->pending_space = 0;
    } else if (IS("p") || IS("h1") || IS("h2") || IS("h3") || IS("h4")
	       || IS("h5") || IS("h6") || IS("blockquote") || IS("table")) {
	html_break(h, 2);
    } else if (IS("div") || IS("tr") || IS("hr") || IS("dt") || IS("dd")
	       || IS("section") || IS("article") || IS("header")
	       || IS("footer") || IS("title")) {
	html_break(h, 1);
    } else if (IS("td") || IS("th")) {
	h->pending_space = 1;
    } else if (IS("pre")) {
	html_break(h, 1);
	if (closing && h->pre_depth > 0)
	    h->pre_depth--;
	else if (!closing && !self_closing)
	    h->pre_depth++;
    } else if (IS("ul") || IS("ol")) {
	html_break(h, 1);
	if (!closing && h->list_depth < HTML_LIST_DEPTH) {
	    h->list_kind[h->list_depth] = IS("ol");
	    h->list_count[h->list_depth] = 0;
	    h->list_depth++;
	} else if (closing && h->list_depth > 0)
	    h->list_depth--;
    } else if (IS("li") && !closing) {
	char    mark[16];
	unsigned d = h->list_depth ? h->list_depth - 1 : 0;

	html_break(h, 1);
	if (h->list_depth && h->list_kind[d])
	    snprintf(mark, sizeof(mark), "%u. ", ++h->list_count[d]);
	else
	    snprintf(mark, sizeof(mark), "- ");
	html_text(h, mark, strlen(mark));
    } else if (IS("a")) {

	/*
	 * Links: remember the target, write it after the link text
	 * unless the text already is the target.
	 */
	if (!closing) {
	    h->nhref = html_attr(t, n, "href", h->href, sizeof(h->href));
	    h->in_link = h->nhref > 0;
	    h->nlinktext = 0;
	} else if (h->in_link) {
	    const char *lt = h->linktext;
	    size_t  ln = h->nlinktext;

	    h->in_link = 0;
	    while (ln > 0 && isspace((unsigned char) *lt))
		lt++, ln--;
	    while (ln > 0 && isspace((unsigned char) lt[ln - 1]))
		ln--;
	    if (!(ln == h->nhref && memcmp(lt, h->href, ln) == 0)
		&& !(h->nhref > 7 && strncasecmp(h->href, "mailto:", 7) == 0
		     && ln == h->nhref - 7 && memcmp(lt, h->href + 7, ln) == 0)) {
		html_text(h, " (", 2);
		html_out(h, h->href, h->nhref);
		html_out(h, ")", 1);
	    }
	}
    }
#undef IS
}

/* html_entity_end - an entity ended (with or without ';') */

static void html_entity_end(struct report_html *h, int semi)
{
    char    b[4];
    int     r = entity_decode(h->ent, h->nent, b);

    if (r < 0) {
	html_text(h, "&", 1);
	if (h->nent)
	    html_text(h, h->ent, h->nent);
	if (semi)
	    html_text(h, ";", 1);
    } else if (r == 1 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n')) {
	html_space(h, b[0]);
    } else if (r > 0) {
	html_text(h, b, (size_t) r);
    }
}

/* html_byte - one input byte through the state machine */

static void html_byte(struct report_html *h, unsigned char c)
{
    switch (h->state) {
    case H_TEXT:
	if (c == '<')
	    h->state = H_LT;
	else if (c == '&')
	    h->state = H_ENTITY, h->nent = 0;
	else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')
	    html_space(h, c == '\r' || c == '\f' ? '\n' : c);
	else
	    html_text(h, (char *) &c, 1);
	break;
    case H_LT:

	/*
	 * "<" starts a tag only before a letter, '/', '!' or '?'.
	 */
	if (isalpha(c) || c == '/' || c == '!' || c == '?') {
	    h->state = H_TAG;
	    h->ntag = h->tag_total = 0;
	    h->quote = 0;
	    h->tag[h->ntag++] = (char) c;
	    h->tag_total = 1;
	} else {
	    h->state = H_TEXT;
	    html_text(h, "<", 1);
	    html_byte(h, c);
	}
	break;
    case H_TAG:
	h->tag_total++;
	if (h->quote) {
	    if (c == h->quote || h->tag_total > HTML_TAG_QUOTE_MAX)
		h->quote = 0;
	} else if (c == '"' || c == '\'') {
	    if (h->ntag > 0 && h->tag[h->ntag - 1] == '=')
		h->quote = c;
	} else if (c == '>') {
	    h->state = H_TEXT;
	    if (h->tag[0] != '!' && h->tag[0] != '?')
		html_tag(h);
	    break;
	}
	if (h->ntag < sizeof(h->tag) - 1)
	    h->tag[h->ntag++] = (char) c;
	if (h->ntag == 3 && memcmp(h->tag, "!--", 3) == 0)
	    h->state = H_COMMENT, h->comment_dashes = 0;
	break;
    case H_COMMENT:
	if (c == '>' && h->comment_dashes >= 2)
	    h->state = H_TEXT;
	else
	    h->comment_dashes = (c == '-') ? h->comment_dashes + 1 : 0;
	break;
    case H_ENTITY:
	if ((isalnum(c) || (c == '#' && h->nent == 0)) && h->nent < sizeof(h->ent)) {
	    h->ent[h->nent++] = (char) c;
	    break;
	}
	h->state = H_TEXT;
	html_entity_end(h, c == ';');
	if (c != ';')
	    html_byte(h, c);
	break;
    case H_RAW:

	/*
	 * Skip to the closing tag, matched case-insensitively.
	 */
	if (tolower(c) == (unsigned char) h->raw_end[h->raw_match]) {
	    if (h->raw_end[++h->raw_match] == 0) {
		h->state = H_TAG;
		h->quote = 0;
		h->ntag = h->tag_total = strlen(h->raw_end + 1);
		memcpy(h->tag, h->raw_end + 1, h->ntag);
	    }
	} else
	    h->raw_match = (c == '<') ? 1 : 0;
	break;
    }
}

/* report_html_feed - convert a piece of UTF-8 HTML */

int     report_html_feed(struct report_html *h, const char *s, size_t n)
{
    for (size_t i = 0; i < n && !h->stopped; i++)
	html_byte(h, (unsigned char) s[i]);
    return (h->stopped ? -1 : 0);
}

/* report_html_finish - flush what is pending and free */

void    report_html_finish(struct report_html *h)
{
    if (h == NULL)
	return;
    if (h->state == H_ENTITY)
	html_entity_end(h, 0);
    html_flush(h);
    free(h);
}

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

/* scan - one left-to-right pass; each step consumes at least one byte */

static void scan(struct report *rep, const char *s, size_t n)
{
    size_t  i = 0, k;

    while (i < n) {
	unsigned char c = (unsigned char) s[i];
	int     word_start = (i == 0 || !isalnum((unsigned char) s[i - 1]));

	k = 0;
	if ((c == 'h' || c == 'H') && word_start)
	    k = scan_url(rep, s + i, n - i);
	else if ((c == 'c' || c == 'C') && word_start) {
	    if ((k = scan_cve(rep, s + i, n - i)) == 0)
		k = scan_cvss(rep, s + i, n - i);
	}
	i += k ? k : 1;
    }
}

/* report_extract - URLs, CVE IDs and CVSS vectors of subject and text */

void    report_extract(struct report *rep)
{
    if (rep->subject)
	scan(rep, rep->subject, strlen(rep->subject));
    if (rep->text.len > 0)
	scan(rep, rep->text.data, rep->text.len);
}
