/*++
/* NAME
/*	html 3
/* SUMMARY
/*	streaming HTML to plain text
/* SYNOPSIS
/*	#include "parser/report.h"
/*
/*	struct report_html *report_html_new(put, arg)
/*	int	report_html_feed(html, text, len)
/*	void	report_html_finish(html)
/*
/*	#include "parser/parser_private.h"
/*
/*	void	html_set_url_report(report)
/* DESCRIPTION
/*	report_html_*() is a small state machine that turns a text/html
/*	part into readable text while it streams: script, style and
/*	comments are dropped, entities decoded, block elements become line
/*	breaks, list items get "- " or "N. ", <pre> and <code> keep their
/*	white space as written, and a link keeps its target as
/*	"text (href)".
/*
/*	While html_set_url_report() names a report on this thread, the
/*	converters created then also hand every URL found in an attribute
/*	(href, src, action, formaction, srcset, data-*, background,
/*	poster, cite) to that report's URL list, so that a link whose text
/*	differs from its target, a form target or an image source is
/*	evidence too; and each outermost <pre> counts as a code block.
/*
/*	Its buffers are fixed: a tag longer than HTML_TAG_MAX is read to
/*	its end but only its start is looked at; an attribute value is
/*	looked at up to HTML_HREF_MAX bytes. Nothing here allocates in
/*	proportion to the input, and each input byte is looked at a
/*	bounded number of times.
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

#define HTML_TAG_MAX		4096	/* bytes of a tag looked at */
#define HTML_TAG_QUOTE_MAX	65536	/* an open quote ends here */
#define HTML_ENT_MAX		32	/* bytes of an entity name */
#define HTML_HREF_MAX		2048	/* bytes of a link target */
#define HTML_LIST_DEPTH		8	/* nested lists numbered */
#define HTML_SRCSET_MAX		16	/* candidates of one srcset */

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
    unsigned pre_depth;			/* <pre>: white space and lines kept */
    unsigned code_depth;		/* <code>: white space kept */
    struct report *rep;			/* attribute URLs go here; or NULL */
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

static __thread struct report *html_url_report;

static int entity_decode(const char *, size_t, char *);
static void html_flush(struct report_html *);
static void html_out(struct report_html *, const char *, size_t);
static void html_text(struct report_html *, const char *, size_t);
static void html_space(struct report_html *, int);
static void html_break(struct report_html *, int);
static void html_entity_end(struct report_html *, int);
static void html_tag(struct report_html *);
static int html_attr_next(const char *, size_t, size_t *, size_t[4]);
static size_t html_attr_value(const char *, size_t, size_t, char *, size_t);
static size_t html_attr(const char *, size_t, const char *, char *, size_t);
static void html_attr_urls(struct report_html *, const char *, size_t);
static void html_byte(struct report_html *, unsigned char);

/* html_set_url_report - where converters made from now on put URLs */

void    html_set_url_report(struct report *rep)
{
    html_url_report = rep;
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
	    cp = charset_cp1252_high[cp - 0x80];
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
	    cp = 0xFFFD;
	if (cp < 0x20 && cp != '\t' && cp != '\n')
	    return (0);
	return ((int) u8_encode((unsigned) cp, out));
    }

    /*
     * Named: a short table.
     */
    for (i = 0; i < sizeof(html_entities) / sizeof(html_entities[0]); i++)
	if (strlen(html_entities[i].name) == n
	    && memcmp(html_entities[i].name, name, n) == 0)
	    return (html_entities[i].cp ?
		    (int) u8_encode(html_entities[i].cp, out) : 0);
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
    h->rep = html_url_report;
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

/* html_space - white space in text; kept as written in <pre>, <code> */

static void html_space(struct report_html *h, int c)
{
    char    ch = (char) c;

    if (h->pre_depth > 0 || h->code_depth > 0) {
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

/* html_attr_next - the next name[=value] of a tag; 0 at its end */

static int html_attr_next(const char *tag, size_t n, size_t *ip, size_t a[4])
{
    size_t  i = *ip;

    /*
     * The first call skips the element name. Each round consumes at
     * least one byte, so a tag is walked once.
     */
    if (i == 0)
	while (i < n && !isspace((unsigned char) tag[i]) && tag[i] != '/')
	    i++;
    while (i < n) {
	int     q = 0;

	while (i < n && (isspace((unsigned char) tag[i]) || tag[i] == '/'))
	    i++;
	a[0] = i;
	while (i < n && tag[i] != '=' && !isspace((unsigned char) tag[i]) && tag[i] != '/')
	    i++;
	a[1] = i;
	while (i < n && isspace((unsigned char) tag[i]))
	    i++;
	if (a[1] == a[0]) {
	    if (i < n && tag[i] != '=')
		i++;
	    else if (i < n)
		i++;			/* a stray '=' */
	    continue;
	}
	if (i >= n || tag[i] != '=') {
	    a[2] = a[3] = i;		/* a name without a value */
	    *ip = i;
	    return (1);
	}
	i++;
	while (i < n && isspace((unsigned char) tag[i]))
	    i++;
	if (i < n && (tag[i] == '"' || tag[i] == '\''))
	    q = tag[i++];
	a[2] = i;
	while (i < n && (q ? tag[i] != q : !isspace((unsigned char) tag[i])))
	    i++;
	a[3] = i;
	if (i < n && q)
	    i++;
	*ip = i;
	return (1);
    }
    *ip = n;
    return (0);
}

/* html_attr_value - tag[v0..v1) with entities decoded, bounded */

static size_t html_attr_value(const char *tag, size_t v0, size_t v1,
			              char *out, size_t outmax)
{
    size_t  k = 0;

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

/* html_attr - value of attribute name in a tag, entities decoded */

static size_t html_attr(const char *tag, size_t n, const char *name,
			        char *out, size_t outmax)
{
    size_t  i = 0, a[4], nlen = strlen(name);

    while (html_attr_next(tag, n, &i, a))
	if (a[1] - a[0] == nlen && strncasecmp(tag + a[0], name, nlen) == 0)
	    return (html_attr_value(tag, a[2], a[3], out, outmax));
    out[0] = 0;
    return (0);
}

/* html_attr_urls - URLs of a start tag's attributes to the report */

static void html_attr_urls(struct report_html *h, const char *tag, size_t n)
{
    static const char *url_attrs[] = {
	"href", "src", "action", "formaction", "background", "poster",
	"cite", "longdesc", "xlink:href", "ping", 0,
    };
    char    val[HTML_HREF_MAX];
    size_t  i = 0, a[4], an, vn;

    while (html_attr_next(tag, n, &i, a)) {
	int     srcset, data, known = 0;

	/*
	 * Which attributes hold URLs: the known ones, srcset (a list),
	 * and data-* when their value looks like one.
	 */
	an = a[1] - a[0];
	srcset = (an == 6 && strncasecmp(tag + a[0], "srcset", 6) == 0);
	data = (an > 5 && strncasecmp(tag + a[0], "data-", 5) == 0);
	for (int k = 0; url_attrs[k] && !known; k++)
	    known = (strlen(url_attrs[k]) == an
		     && strncasecmp(tag + a[0], url_attrs[k], an) == 0);
	if (!known && !srcset && !data)
	    continue;
	if ((vn = html_attr_value(tag, a[2], a[3], val, sizeof(val))) == 0)
	    continue;

	/*
	 * srcset: "url 1x, url 2x"; each candidate is a URL up to white
	 * space. Others are one URL; "//host/path" takes https.
	 */
	if (srcset) {
	    size_t  p = 0;

	    for (int c = 0; c < HTML_SRCSET_MAX && p < vn; c++) {
		size_t  u0, u1;

		while (p < vn && (isspace((unsigned char) val[p]) || val[p] == ','))
		    p++;
		u0 = p;
		while (p < vn && !isspace((unsigned char) val[p]))
		    p++;
		u1 = p;
		while (u1 > u0 && val[u1 - 1] == ',')
		    u1--;
		while (p < vn && val[p] != ',')
		    p++;
		if (u1 > u0)
		    extract_url_add(h->rep, val + u0, u1 - u0, NULL);
	    }
	} else if (vn > 2 && val[0] == '/' && val[1] == '/') {
	    extract_url_add(h->rep, val + 2, vn - 2, "https");
	} else {
	    extract_url_add(h->rep, val, vn, NULL);
	}
    }
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
     * URLs in attributes are evidence whatever the element.
     */
    if (!closing && h->rep)
	html_attr_urls(h, t, n);

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
	if (closing && h->pre_depth > 0) {
	    h->pre_depth--;
	} else if (!closing && !self_closing) {
	    if (h->pre_depth++ == 0 && h->rep)
		h->rep->code_blocks++;
	}
    } else if (IS("code") || IS("samp") || IS("kbd") || IS("tt")) {
	/* Inline code: its spaces are part of the payload. */
	if (closing && h->code_depth > 0)
	    h->code_depth--;
	else if (!closing && !self_closing)
	    h->code_depth++;
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
