/*++
/* NAME
/*	jsondump 3
/* SUMMARY
/*	a document's compact JSON text, straight into a string buffer
/* SYNOPSIS
/*	#include "store/store_private.h"
/*
/*	int	store_json_dump(doc, real_precision, out)
/*	const json_t *doc;
/*	int	real_precision;
/*	struct sbuf *out;
/*
/*	int	store_json_member(text, len, key, value, value_end)
/*	const char *text;
/*	size_t	len;
/*	const char *key;
/*	const char **value;
/*	const char **value_end;
/* DESCRIPTION
/*	store_json_dump() appends to out exactly the bytes that
/*	json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(real_precision))
/*	returns: members in insertion order, "," and ":" without spaces,
/*	the same escapes (\\ \" \b \f \n \r \t, \u00XX upper case for other
/*	control bytes, nothing else), numbers as Jansson writes them (a
/*	real is written by Jansson itself: its shortest-digits rules are
/*	its own).
/*
/*	Why: Jansson's dump decodes every string character by character
/*	and calls back per piece; a ticket is kilobytes of mostly plain
/*	text, and serialising it at every intake was a tenth of the
/*	pipeline. Here a run of plain bytes is one copy.
/*
/*	store_json_member() finds a member of the object that text holds
/*	without building it: value..value_end is the member's JSON text
/*	(a string with its quotes). Only strings and nesting are looked at
/*	on the way; a key with an escape is never the one asked for. For
/*	a look at the second member of a ticket, or a byte-exact change of
/*	one of its values, where parsing kilobytes of JSON cost more than
/*	the rest of the step.
/*
/*	Never: a document deeper than STORE_JSON_MAX_DEPTH (a cycle),
/*	a string that is not UTF-8 (json_dumps() refuses both).
/* DIAGNOSTICS
/*	store_json_dump(): -1 (out holds a partial text) when json_dumps()
/*	would fail, or out reached its bound; the caller then uses
/*	json_dumps() or fails. store_json_member(): 1 found, 0 not a
/*	member, -1 when text is no object this code can walk (the caller
/*	then parses it).
/*--*/

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "util/util.h"
#include "store/store.h"
#include "store/store_private.h"

#define STORE_JSON_MAX_DEPTH	64	/* our documents are five deep */

static int json_dump_value(const json_t *, int, struct sbuf *, int);
static int json_dump_string(const char *, size_t, struct sbuf *);
static const char *json_text_skip(const char *, const char *);

 /*
  * Per byte: 0 copied as is, 1 escaped, 2 the lead of a multi-byte
  * UTF-8 sequence (checked), 3 never valid in UTF-8.
  */
static const unsigned char json_byte_class[256] = {
    [0x00 ... 0x1f] = 1,
    ['"'] = 1,
    ['\\'] = 1,
    [0x80 ... 0xc1] = 3,
    [0xc2 ... 0xf4] = 2,
    [0xf5 ... 0xff] = 3,
};

/* json_dump_string - one quoted, escaped string */

static int json_dump_string(const char *str, size_t len, struct sbuf *out)
{
    const unsigned char *s = (const unsigned char *) str, *end = s + len, *run;
    char    seq[8];

    sbuf_putc(out, '"');
    for (run = s; s < end;) {
	unsigned char k = json_byte_class[*s];
	size_t  n;

	if (k == 0) {
	    s++;
	    continue;
	}
	if (k == 2) {
	    if ((n = sm_utf8_seq_len(s, (size_t) (end - s))) == 0)
		return (-1);
	    s += n;
	    continue;
	}
	if (k == 3)
	    return (-1);
	sbuf_append(out, (const char *) run, (size_t) (s - run));
	switch (*s) {
	case '\\':
	    sbuf_append(out, "\\\\", 2);
	    break;
	case '"':
	    sbuf_append(out, "\\\"", 2);
	    break;
	case '\b':
	    sbuf_append(out, "\\b", 2);
	    break;
	case '\f':
	    sbuf_append(out, "\\f", 2);
	    break;
	case '\n':
	    sbuf_append(out, "\\n", 2);
	    break;
	case '\r':
	    sbuf_append(out, "\\r", 2);
	    break;
	case '\t':
	    sbuf_append(out, "\\t", 2);
	    break;
	default:
	    snprintf(seq, sizeof(seq), "\\u%04X", (unsigned) *s);
	    sbuf_append(out, seq, 6);
	    break;
	}
	run = ++s;
    }
    sbuf_append(out, (const char *) run, (size_t) (s - run));
    return (sbuf_putc(out, '"'));
}

/* json_dump_value - one value, recursively */

static int json_dump_value(const json_t *v, int precision, struct sbuf *out, int depth)
{
    char    num[64];
    const char *key;
    json_t *member;
    size_t  i, n;
    int     first;

    if (depth > STORE_JSON_MAX_DEPTH)
	return (-1);
    switch (json_typeof(v)) {
    case JSON_NULL:
	return (sbuf_append(out, "null", 4));
    case JSON_TRUE:
	return (sbuf_append(out, "true", 4));
    case JSON_FALSE:
	return (sbuf_append(out, "false", 5));
    case JSON_INTEGER:
	n = (size_t) snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	return (sbuf_append(out, num, n));
    case JSON_REAL:
	/* Jansson's own digits: its rules differ between builds. */
	n = json_dumpb(v, num, sizeof(num), JSON_ENCODE_ANY | JSON_REAL_PRECISION(precision));
	if (n == 0 || n >= sizeof(num))
	    return (-1);
	return (sbuf_append(out, num, n));
    case JSON_STRING:
	return (json_dump_string(json_string_value(v), json_string_length(v), out));
    case JSON_ARRAY:
	sbuf_putc(out, '[');
	n = json_array_size(v);
	for (i = 0; i < n; i++) {
	    if (i > 0)
		sbuf_putc(out, ',');
	    if (json_dump_value(json_array_get(v, i), precision, out, depth + 1) < 0)
		return (-1);
	}
	return (sbuf_putc(out, ']'));
    case JSON_OBJECT:
	sbuf_putc(out, '{');
	first = 1;
	json_object_foreach((json_t *) v, key, member) {
	    if (!first)
		sbuf_putc(out, ',');
	    first = 0;
	    if (json_dump_string(key, strlen(key), out) < 0)
		return (-1);
	    sbuf_putc(out, ':');
	    if (json_dump_value(member, precision, out, depth + 1) < 0)
		return (-1);
	}
	return (sbuf_putc(out, '}'));
    default:
	return (-1);
    }
}

int     store_json_dump(const json_t *doc, int real_precision, struct sbuf *out)
{
    if (!json_is_object(doc) && !json_is_array(doc))
	return (-1);
    if (json_dump_value(doc, real_precision, out, 0) < 0 || out->truncated)
	return (-1);
    return (0);
}

/*
 * json_text_skip - past one JSON value at p (no check of its insides
 * beyond strings and nesting); NULL when it does not end.
 */

static const char *json_text_skip(const char *p, const char *end)
{
    size_t  depth = 0;

    for (; p < end; p++) {
	switch (*p) {
	case '"':
	    for (p++; p < end && *p != '"'; p++)
		if (*p == '\\')
		    p++;
	    if (p >= end)
		return (NULL);
	    if (depth == 0)
		return (p + 1);
	    break;
	case '{':
	case '[':
	    depth++;
	    break;
	case '}':
	case ']':
	    if (depth == 0)
		return (p);
	    if (--depth == 0)
		return (p + 1);
	    break;
	case ',':
	    if (depth == 0)
		return (p);
	    break;
	}
    }
    return (NULL);
}

#define JSON_SKIP_WS(p, end) \
    while ((p) < (end) && (*(p) == ' ' || *(p) == '\n' || *(p) == '\t' || *(p) == '\r')) \
	(p)++

int     store_json_member(const char *p, size_t len, const char *key,
			          const char **value, const char **value_end)
{
    const char *end = p + len, *k, *v;
    size_t  klen, want = strlen(key);

    JSON_SKIP_WS(p, end);
    if (p >= end || *p++ != '{')
	return (-1);
    for (;;) {
	JSON_SKIP_WS(p, end);
	if (p < end && *p == '}')
	    return (0);
	if (p >= end || *p != '"')
	    return (-1);
	k = ++p;
	while (p < end && *p != '"')
	    p += (*p == '\\') ? 2 : 1;
	if (p >= end)
	    return (-1);
	klen = (size_t) (p++ - k);
	JSON_SKIP_WS(p, end);
	if (p >= end || *p++ != ':')
	    return (-1);
	JSON_SKIP_WS(p, end);
	if ((v = p) >= end || (p = json_text_skip(p, end)) == NULL || p == v)
	    return (-1);
	if (klen == want && memcmp(k, key, want) == 0) {
	    *value = v;
	    *value_end = p;
	    return (1);
	}
	JSON_SKIP_WS(p, end);
	if (p < end && *p == ',')
	    p++;
	else if (p < end && *p == '}')
	    return (0);
	else
	    return (-1);
    }
}
