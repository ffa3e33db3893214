/*++
/* NAME
/*	sbuf 3
/* SUMMARY
/*	bounded growable strings and string lists
/* SYNOPSIS
/*	#include "util/util.h"
/* DESCRIPTION
/*	struct sbuf holds untrusted text. It grows geometrically but never
/*	past max_bytes; an append that does not fit stores the part that
/*	does, sets truncated and returns -1, so a caller that only wants a
/*	bounded prefix can ignore the result.
/*
/*	struct strlist is a growable array of malloc()ed strings.
/* DIAGNOSTICS
/*	-1 with errno ENOMEM or EOVERFLOW; nothing aborts.
/*--*/

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/util.h"

static int sbuf_reserve(struct sbuf *, size_t);

void    sbuf_init(struct sbuf *sb, size_t max_bytes)
{
    sb->data = NULL;
    sb->len = sb->cap = 0;
    sb->max_bytes = max_bytes;
    sb->truncated = 0;
}

/* sbuf_reserve - make room for need more bytes plus the NUL */

static int sbuf_reserve(struct sbuf *sb, size_t need)
{
    size_t  want;
    char   *p;

    if (need > SIZE_MAX - sb->len - 1) {
	errno = EOVERFLOW;
	return (-1);
    }
    want = sb->len + need + 1;
    if (want <= sb->cap)
	return (0);
    if (sb->cap < 64)
	sb->cap = 64;
    while (sb->cap < want) {
	if (sb->cap > SIZE_MAX / 2) {
	    sb->cap = want;
	    break;
	}
	sb->cap *= 2;
    }
    if ((p = realloc(sb->data, sb->cap)) == NULL)
	return (-1);
    sb->data = p;
    return (0);
}

int     sbuf_append(struct sbuf *sb, const char *s, size_t n)
{
    size_t  room;
    int     ret = 0;

    /*
     * Cut at the bound; the caller learns of it through the return value
     * and the truncated flag.
     */
    room = sb->max_bytes > sb->len ? sb->max_bytes - sb->len : 0;
    if (n > room) {
	n = room;
	sb->truncated = 1;
	errno = EOVERFLOW;
	ret = -1;
    }
    if (sbuf_reserve(sb, n) < 0)
	return (-1);
    if (n > 0)
	memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = 0;
    return (ret);
}

int     sbuf_puts(struct sbuf *sb, const char *s)
{
    return (sbuf_append(sb, s, strlen(s)));
}

int     sbuf_putc(struct sbuf *sb, int ch)
{
    char    c = (char) ch;

    return (sbuf_append(sb, &c, 1));
}

int     sbuf_printf(struct sbuf *sb, const char *fmt,...)
{
    va_list ap;
    char    small[256];
    char   *big;
    int     n;
    int     ret;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
	return (-1);
    if ((size_t) n < sizeof(small))
	return (sbuf_append(sb, small, (size_t) n));
    if ((big = malloc((size_t) n + 1)) == NULL)
	return (-1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t) n + 1, fmt, ap);
    va_end(ap);
    ret = sbuf_append(sb, big, (size_t) n);
    free(big);
    return (ret);
}

const char *sbuf_str(const struct sbuf *sb)
{
    return (sb->data ? sb->data : "");
}

char   *sbuf_steal(struct sbuf *sb)
{
    char   *p = sb->data;

    if (p == NULL)
	p = strdup("");
    sb->data = NULL;
    sb->len = sb->cap = 0;
    sb->truncated = 0;
    return (p);
}

void    sbuf_reset(struct sbuf *sb)
{
    sb->len = 0;
    sb->truncated = 0;
    if (sb->data)
	sb->data[0] = 0;
}

void    sbuf_free(struct sbuf *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
    sb->truncated = 0;
}

/* ------------------------------------------------------------ strlist */

int     strlist_add(struct strlist *sl, const char *s)
{
    char  **v;
    char   *copy;

    if (sl->n == sl->cap) {
	size_t  cap = sl->cap ? sl->cap * 2 : 8;

	if ((v = realloc(sl->v, cap * sizeof(*v))) == NULL)
	    return (-1);
	sl->v = v;
	sl->cap = cap;
    }
    if ((copy = strdup(s)) == NULL)
	return (-1);
    sl->v[sl->n++] = copy;
    return (0);
}

int     strlist_contains(const struct strlist *sl, const char *s)
{
    for (size_t i = 0; i < sl->n; i++)
	if (strcmp(sl->v[i], s) == 0)
	    return (1);
    return (0);
}

int     strlist_contains_nocase(const struct strlist *sl, const char *s)
{
    for (size_t i = 0; i < sl->n; i++)
	if (strcasecmp(sl->v[i], s) == 0)
	    return (1);
    return (0);
}

int     strlist_add_unique(struct strlist *sl, const char *s)
{
    if (strlist_contains(sl, s))
	return (0);
    return (strlist_add(sl, s));
}

void    strlist_free(struct strlist *sl)
{
    for (size_t i = 0; i < sl->n; i++)
	free(sl->v[i]);
    free(sl->v);
    sl->v = NULL;
    sl->n = sl->cap = 0;
}
