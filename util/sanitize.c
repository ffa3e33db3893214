/*++
/* NAME
/*	sanitize 3
/* SUMMARY
/*	the one sanitiser for sender-written text, and address helpers
/* SYNOPSIS
/*	#include "util/util.h"
/* DESCRIPTION
/*	sm_sanitize() makes sender text safe for a header value, a log line,
/*	a reply or (with sm_sanitize_filename) a file name: no C0 control
/*	characters (CR and LF among them), no DEL, no invalid UTF-8, white
/*	space folded to one space, leading and trailing space dropped, and
/*	at most max_bytes bytes, cut at a character boundary.
/*
/*	It never returns text longer than its bound, whatever the input.
/*
/*	sm_utf8_seq_len() is the one UTF-8 check under it (and under the
/*	store's JSON writer): the length of the well-formed sequence at s,
/*	0 for a stray byte, an overlong form, a surrogate or a value past
/*	U+10FFFF.
/* DIAGNOSTICS
/*	NULL only when memory runs out.
/*--*/

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

/* sm_utf8_seq_len - length of a valid UTF-8 sequence at s, 0 if invalid */

size_t  sm_utf8_seq_len(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];
    size_t  n;
    unsigned cp;

    if (c < 0x80)
	return (1);
    if (c >= 0xC2 && c <= 0xDF)
	n = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
	n = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
	n = 4, cp = c & 0x07;
    else
	return (0);
    if (n > avail)
	return (0);
    for (size_t i = 1; i < n; i++) {
	if ((s[i] & 0xC0) != 0x80)
	    return (0);
	cp = (cp << 6) | (s[i] & 0x3F);
    }
    /* Overlong forms, surrogates and values past U+10FFFF. */
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))
	|| (cp >= 0xD800 && cp <= 0xDFFF))
	return (0);
    return (n);
}

int     sm_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *) s;
    size_t  i = 0, n;

    while (i < len) {
	if ((n = sm_utf8_seq_len(p + i, len - i)) == 0)
	    return (0);
	i += n;
    }
    return (1);
}

static char *sanitize(const char *in, size_t len, size_t max_bytes, int for_file)
{
    const unsigned char *p = (const unsigned char *) in;
    char   *out;
    size_t  o = 0, i = 0, n;
    int     pending_space = 0;

    if ((out = malloc(max_bytes + 1)) == NULL)
	return (NULL);

    /*
     * One bounded pass: each input byte is looked at once, and the output
     * never grows past max_bytes.
     */
    while (i < len && o < max_bytes) {
	if (p[i] < 0x20 || p[i] == 0x7F || p[i] == ' ') {
	    if (p[i] == 0)
		break;
	    pending_space = (o > 0);
	    i++;
	    continue;
	}
	n = sm_utf8_seq_len(p + i, len - i);
	if (pending_space) {
	    if (o + 1 >= max_bytes)
		break;
	    out[o++] = for_file ? '_' : ' ';
	    pending_space = 0;
	}
	if (n == 0) {
	    out[o++] = '?';
	    i++;
	    continue;
	}
	if (o + n > max_bytes)
	    break;
	if (for_file && n == 1 && !(isalnum(p[i]) || strchr("._-+@=", p[i]))) {
	    out[o++] = '_';
	} else {
	    memcpy(out + o, p + i, n);
	    o += n;
	}
	i += n;
    }
    out[o] = 0;

    /* A file name never starts with a dot and is never empty. */
    if (for_file) {
	for (size_t k = 0; k < o && out[k] == '.'; k++)
	    out[k] = '_';
	if (o == 0 && max_bytes > 0)
	    out[o++] = '_', out[o] = 0;
    }
    return (out);
}

char   *sm_sanitize(const char *in, size_t len, size_t max_bytes)
{
    return (sanitize(in ? in : "", in ? len : 0, max_bytes, 0));
}

char   *sm_sanitize_str(const char *in, size_t max_bytes)
{
    return (sm_sanitize(in, in ? strlen(in) : 0, max_bytes));
}

char   *sm_sanitize_filename(const char *in, size_t max_bytes)
{
    return (sanitize(in ? in : "", in ? strlen(in) : 0, max_bytes, 1));
}

/* ---------------------------------------------------------- addresses */

char   *sm_addr_normalize(const char *addr)
{
    const char *s, *e;
    char   *out, *at, *plus;
    size_t  n;

    if (addr == NULL)
	return (NULL);

    /* Take what is inside the last angle brackets, else the whole. */
    if ((s = strrchr(addr, '<')) != NULL) {
	s++;
	if ((e = strchr(s, '>')) == NULL)
	    e = s + strlen(s);
    } else {
	s = addr;
	e = s + strlen(s);
    }
    while (s < e && isspace((unsigned char) *s))
	s++;
    while (e > s && isspace((unsigned char) e[-1]))
	e--;
    n = (size_t) (e - s);
    if (n > 512)
	return (NULL);
    if ((out = malloc(n + 1)) == NULL)
	return (NULL);
    for (size_t i = 0; i < n; i++)
	out[i] = (char) tolower((unsigned char) s[i]);
    out[n] = 0;

    /* Drop a +tag subaddress from the local part. */
    if ((at = strrchr(out, '@')) != NULL) {
	*at = 0;
	if ((plus = strchr(out, '+')) != NULL && plus != out) {
	    /* "local+tag\0domain" becomes "local@domain". */
	    *plus = '@';
	    memmove(plus + 1, at + 1, strlen(at + 1) + 1);
	} else {
	    *at = '@';
	}
    }
    return (out);
}

/* sm_addr_local - an address's local part, lower case, into out */

size_t  sm_addr_local(const char *addr, char *out, size_t size)
{
    const char *at;
    size_t  len, i;

    if (addr == NULL || size == 0)
	return (0);
    while (*addr == ' ' || *addr == '<')
	addr++;
    if ((at = strrchr(addr, '@')) == NULL)
	at = addr + strlen(addr);
    if ((len = (size_t) (at - addr)) == 0 || len >= size)
	return (0);
    for (i = 0; i < len; i++)
	out[i] = (char) tolower((unsigned char) addr[i]);
    out[len] = 0;
    return (len);
}

char   *sm_addr_domain(const char *addr)
{
    char   *norm, *at, *dom;

    if ((norm = sm_addr_normalize(addr)) == NULL)
	return (NULL);
    at = strrchr(norm, '@');
    dom = strdup(at ? at + 1 : "");
    free(norm);
    return (dom);
}
