/*++
/* NAME
/*	credit 3
/* SUMMARY
/*	the Hall of Fame credit a reporter sends back
/* SYNOPSIS
/*	#include "notify/notify.h"
/*
/*	json_t	*notify_credit_parse(text, len)
/* DESCRIPTION
/*	The "fixed" notification asks the reporter to reply with the lines
/*	"Credit-Name: ...", "Credit-Link: ..." and "Credit-Consent: yes"
/*	(or "no"). notify_credit_parse() finds them in the text of the
/*	reply and returns {"name", "link", "consent"} (each a string or
/*	null), or NULL when the text holds none of them.
/*
/*	Only the reporter's own lines count: quoted lines ("> ...") are
/*	skipped, and so are the placeholders of our own request. The name
/*	is sanitised and cut at NOTIFY_CREDIT_NAME_MAX bytes; a link that
/*	is not one http:// or https:// URL of at most NOTIFY_CREDIT_LINK_MAX
/*	bytes is dropped; consent is "yes" or "no", else null.
/*
/*	Never: a credit line read from quoted text; a link with white
/*	space, controls or quotes.
/* DIAGNOSTICS
/*	NULL when nothing was found (or out of memory).
/*--*/

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/util.h"
#include "notify/notify.h"

#define CREDIT_MAX_LINES	5000	/* lines of the reply looked at */
#define CREDIT_LINE_MAX		1024	/* bytes of one value read */

static char *credit_value(const char *, size_t);
static int credit_link_ok(const char *);

/* credit_value - a value, sanitised and bounded; NULL when empty */

static char *credit_value(const char *p, size_t len)
{
    char   *v;

    while (len > 0 && (*p == ' ' || *p == '\t'))
	p++, len--;
    while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
	len--;
    if (len > CREDIT_LINE_MAX)
	len = CREDIT_LINE_MAX;
    if ((v = sm_sanitize(p, len, CREDIT_LINE_MAX)) == NULL)
	return (NULL);
    if (*v == 0) {
	free(v);
	return (NULL);
    }
    return (v);
}

/* credit_link_ok - one http(s) URL with a host, nothing else */

static int credit_link_ok(const char *s)
{
    const char *host;
    size_t  n = strlen(s);

    if (n > NOTIFY_CREDIT_LINK_MAX)
	return (0);
    if (strncasecmp(s, "https://", 8) == 0)
	host = s + 8;
    else if (strncasecmp(s, "http://", 7) == 0)
	host = s + 7;
    else
	return (0);
    if (!isalnum((unsigned char) *host))
	return (0);
    for (const char *p = s; *p; p++)
	if ((unsigned char) *p <= ' ' || (unsigned char) *p >= 0x7f || *p == '"'
	    || *p == '<' || *p == '>' || *p == '\\' || *p == '`')
	    return (0);
    return (1);
}

json_t *notify_credit_parse(const char *text, size_t len)
{
    static const char *const placeholders[] = {
	"the name to show", "an optional link", NULL,
    };
    char   *name = NULL, *link = NULL, *consent = NULL;
    const char *p = text, *end = text + len;
    int     lines = 0, found = 0;
    json_t *out;

    if (text == NULL)
	return (NULL);

    /* One line at a time, the reporter's own lines only. */
    while (p < end && lines++ < CREDIT_MAX_LINES) {
	const char *eol = memchr(p, '\n', (size_t) (end - p));
	const char *q = p, *v;
	size_t  vlen;
	char  **slot = NULL;

	if (eol == NULL)
	    eol = end;
	while (q < eol && (*q == ' ' || *q == '\t'))
	    q++;
	if (eol - q > 12 && strncasecmp(q, "Credit-Name:", 12) == 0)
	    slot = &name, v = q + 12;
	else if (eol - q > 12 && strncasecmp(q, "Credit-Link:", 12) == 0)
	    slot = &link, v = q + 12;
	else if (eol - q > 15 && strncasecmp(q, "Credit-Consent:", 15) == 0)
	    slot = &consent, v = q + 15;
	if (slot && *slot == NULL) {
	    vlen = (size_t) (eol - v);
	    *slot = credit_value(v, vlen);
	}
	p = eol + 1;
    }

    /* Our own placeholders are no answer. */
    for (int i = 0; placeholders[i]; i++) {
	if (name && strncasecmp(name, placeholders[i], strlen(placeholders[i])) == 0)
	    free(name), name = NULL;
	if (link && strncasecmp(link, placeholders[i], strlen(placeholders[i])) == 0)
	    free(link), link = NULL;
    }
    if (name && strlen(name) > NOTIFY_CREDIT_NAME_MAX) {
	char   *cut = sm_sanitize(name, strlen(name), NOTIFY_CREDIT_NAME_MAX);

	free(name);
	name = cut;
    }
    if (link && !credit_link_ok(link))
	free(link), link = NULL;
    if (consent) {
	const char *c = strcasecmp(consent, "yes") == 0 ? "yes"
	    : strcasecmp(consent, "no") == 0 ? "no" : NULL;

	free(consent);
	consent = c ? strdup(c) : NULL;
    }
    found = name || link || consent;
    out = found ? json_pack("{s:s?, s:s?, s:s?}", "name", name, "link", link,
			    "consent", consent) : NULL;
    free(name);
    free(link);
    free(consent);
    return (out);
}
