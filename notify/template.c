/*++
/* NAME
/*	template 3
/* SUMMARY
/*	the text of every outgoing mail: template files and their placeholders
/* SYNOPSIS
/*	#include "notify/notify.h"
/*
/*	struct notify_templates *notify_templates_load(dir, err, errlen)
/*	void	notify_templates_free(set)
/*	void	notify_templates_install(set)
/*	int	notify_templates_load_config(cfg, err, errlen)
/*	int	notify_template_render(name, vars, subject, body)
/* DESCRIPTION
/*	One template per purpose (NOTIFY_TEMPLATE_NAMES: ack_complete,
/*	ack_needs_info, info_received, needs_info, acknowledged, triaged,
/*	scheduled, fixed, closed, duplicate, out_of_scope, invalid). The
/*	built-in copies are templates/NAME.txt, compiled into the program
/*	(notify/default_templates.c, generated at build time); a file
/*	NAME.txt in TemplateDirectory replaces the built-in one.
/*
/*	A template is a "Subject: ..." line, one empty line, and the body.
/*	{{name}} is a placeholder (NOTIFY_VAR_NAMES); "{{" always opens
/*	one. Values replace placeholders verbatim: the caller passes them
/*	sanitised (sm_sanitize()). A line that holds placeholders, all of
/*	which render empty, is left out: "Our policy: {{policy_url}}"
/*	disappears when there is no PolicyURL.
/*
/*	notify_templates_load() checks every template once: a missing or
/*	empty Subject line, a missing blank line after it, an unknown or
/*	unterminated placeholder, a list placeholder in the Subject, a line
/*	past NOTIFY_TEMPLATE_LINE_MAX or a file past NOTIFY_TEMPLATE_MAX_BYTES
/*	is an error "FILE:LINE: why", and nothing of the set is kept.
/*
/*	notify_templates_install() makes a set the one the compose functions
/*	render with and frees the one before. Rendering holds a read lock,
/*	installing a write lock: a set is read-only once loaded, and a
/*	SIGHUP never frees a set that another thread is reading. With no
/*	set installed the built-in copies are used.
/* DIAGNOSTICS
/*	NULL or -1 with the reason in err.
/*--*/

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/util.h"
#include "notify/notify.h"

#define NOTIFY_TEMPLATE_MAX_BYTES	(64 * 1024)	/* one template file */
#define NOTIFY_TEMPLATE_LINE_MAX	998	/* one line of a template */
#define NOTIFY_VAR_NAME_MAX		32	/* bytes of a placeholder name */

/* notify/default_templates.c, made from templates/ at build time. */
struct notify_builtin_template {
    const char *name;			/* "ack_complete" */
    const char *text;
};
extern const struct notify_builtin_template notify_builtin_templates[];

const char *const notify_template_names[NOTIFY_TPL_COUNT] = {
    "ack_complete", "ack_needs_info", "info_received", "needs_info",
    "acknowledged", "triaged", "scheduled", "fixed", "closed", "duplicate",
    "out_of_scope", "invalid",
};

const char *const notify_var_names[NOTIFY_VAR_COUNT] = {
    "ticket", "subject", "reporter", "missing_list", "received_list",
    "class", "severity", "Severity", "eta", "time_frame_days",
    "ack_target_hours", "triage_target_days", "policy_url", "organization",
    "duplicate_of",
};

struct notify_templates {
    char   *origin[NOTIFY_TPL_COUNT];	/* file name, for diagnostics */
    char   *subject[NOTIFY_TPL_COUNT];	/* the Subject line's text */
    char   *body[NOTIFY_TPL_COUNT];	/* the body, lines end in \n */
};

static pthread_rwlock_t current_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct notify_templates *current;

static int template_check_line(const char *, size_t, int, const char *, int,
			               char *, size_t);
static int template_parse(struct notify_templates *, int, const char *origin,
			          const char *text, size_t len, char *err, size_t errlen);

/* var_lookup - the index of a placeholder name; -1 when unknown */

static int var_lookup(const char *name, size_t len)
{
    for (int i = 0; i < NOTIFY_VAR_COUNT; i++)
	if (strlen(notify_var_names[i]) == len && memcmp(notify_var_names[i], name, len) == 0)
	    return (i);
    return (-1);
}

/*
 * template_check_line - every placeholder of one line known and closed;
 * in the Subject (is_subject), no list placeholder.
 */

static int template_check_line(const char *line, size_t len, int is_subject,
			               const char *origin, int lineno,
			               char *err, size_t errlen)
{
    const char *p = line, *end = line + len, *open, *close;

    if (len > NOTIFY_TEMPLATE_LINE_MAX) {
	snprintf(err, errlen, "%s:%d: line longer than %d bytes", origin, lineno,
		 NOTIFY_TEMPLATE_LINE_MAX);
	return (-1);
    }
    while ((open = memmem(p, (size_t) (end - p), "{{", 2)) != NULL) {
	int     v;

	close = memmem(open + 2, (size_t) (end - open - 2), "}}", 2);
	if (close == NULL) {
	    snprintf(err, errlen, "%s:%d: unterminated placeholder \"%.*s\"", origin, lineno,
		     (int) (end - open > 40 ? 40 : end - open), open);
	    return (-1);
	}
	v = var_lookup(open + 2, (size_t) (close - open - 2));
	if (v < 0) {
	    char   *name = sm_sanitize(open + 2, (size_t) (close - open - 2), NOTIFY_VAR_NAME_MAX);

	    snprintf(err, errlen, "%s:%d: unknown placeholder {{%s}}", origin, lineno,
		     name ? name : "");
	    free(name);
	    return (-1);
	}
	if (is_subject && (v == NOTIFY_VAR_MISSING_LIST || v == NOTIFY_VAR_RECEIVED_LIST)) {
	    snprintf(err, errlen, "%s:%d: {{%s}} is a list: not in the Subject", origin,
		     lineno, notify_var_names[v]);
	    return (-1);
	}
	p = close + 2;
    }
    return (0);
}

/* template_parse - check one template's text and keep it in set slot k */

static int template_parse(struct notify_templates *set, int k, const char *origin,
			          const char *text, size_t len, char *err, size_t errlen)
{
    const char *p = text, *end = text + len, *eol;
    struct sbuf body = SBUF_INIT(NOTIFY_TEMPLATE_MAX_BYTES + 1);
    int     lineno = 0;

    if (len > NOTIFY_TEMPLATE_MAX_BYTES) {
	snprintf(err, errlen, "%s: larger than %d bytes", origin, NOTIFY_TEMPLATE_MAX_BYTES);
	return (-1);
    }
    if (memchr(text, 0, len) != NULL) {
	snprintf(err, errlen, "%s: holds a NUL byte", origin);
	return (-1);
    }

    /* Line by line; a CR before the LF is dropped. */
    while (p < end) {
	size_t  n;

	lineno++;
	if ((eol = memchr(p, '\n', (size_t) (end - p))) == NULL)
	    eol = end;
	n = (size_t) (eol - p);
	if (n > 0 && p[n - 1] == '\r')
	    n--;

	/* Line 1: "Subject: text"; line 2: empty. */
	if (lineno == 1) {
	    const char *s = p + 9;

	    if (n < 9 || strncasecmp(p, "Subject: ", 9) != 0) {
		snprintf(err, errlen, "%s:1: expected \"Subject: ...\" as the first line", origin);
		goto fail;
	    }
	    while (s < p + n && *s == ' ')
		s++;
	    if (s == p + n) {
		snprintf(err, errlen, "%s:1: the Subject is empty", origin);
		goto fail;
	    }
	    if (template_check_line(s, (size_t) (p + n - s), 1, origin, lineno, err, errlen) < 0)
		goto fail;
	    set->subject[k] = strndup(s, (size_t) (p + n - s));
	} else if (lineno == 2) {
	    if (n != 0) {
		snprintf(err, errlen, "%s:2: expected an empty line after the Subject", origin);
		goto fail;
	    }
	} else {
	    if (template_check_line(p, n, 0, origin, lineno, err, errlen) < 0)
		goto fail;
	    sbuf_append(&body, p, n);
	    sbuf_putc(&body, '\n');
	}
	p = eol + 1;
    }
    if (lineno < 2) {
	snprintf(err, errlen, "%s:%d: expected a Subject line, an empty line and the body",
		 origin, lineno ? lineno : 1);
	goto fail;
    }
    if (set->subject[k] == NULL || body.truncated) {
	snprintf(err, errlen, "%s: out of memory", origin);
	goto fail;
    }
    set->body[k] = sbuf_steal(&body);
    set->origin[k] = strdup(origin);
    return (0);

fail:
    sbuf_free(&body);
    free(set->subject[k]);
    set->subject[k] = NULL;
    return (-1);
}

/* template_read - one override file; 0 read, 1 absent, -1 error */

static int template_read(const char *path, struct sbuf *out, char *err, size_t errlen)
{
    char    buf[8192];
    ssize_t n;
    int     fd;

    if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
	if (errno == ENOENT)
	    return (1);
	snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
	return (-1);
    }
    while ((n = read(fd, buf, sizeof(buf))) > 0) {
	if (out->len + (size_t) n > NOTIFY_TEMPLATE_MAX_BYTES) {
	    snprintf(err, errlen, "%s: larger than %d bytes", path, NOTIFY_TEMPLATE_MAX_BYTES);
	    close(fd);
	    return (-1);
	}
	sbuf_append(out, buf, (size_t) n);
    }
    if (n < 0) {
	snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
	close(fd);
	return (-1);
    }
    close(fd);
    return (0);
}

struct notify_templates *notify_templates_load(const char *dir, char *err, size_t errlen)
{
    struct notify_templates *set;

    if ((set = calloc(1, sizeof(*set))) == NULL) {
	snprintf(err, errlen, "templates: out of memory");
	return (NULL);
    }
    for (int k = 0; k < NOTIFY_TPL_COUNT; k++) {
	const char *name = notify_template_names[k];
	const char *text = NULL;
	char    origin[4096];
	struct sbuf file = SBUF_INIT(NOTIFY_TEMPLATE_MAX_BYTES + 1);
	int     r = 1;

	/* The file in TemplateDirectory, else the built-in copy. */
	if (dir != NULL) {
	    snprintf(origin, sizeof(origin), "%s/%s.txt", dir, name);
	    if ((r = template_read(origin, &file, err, errlen)) < 0) {
		sbuf_free(&file);
		notify_templates_free(set);
		return (NULL);
	    }
	    text = sbuf_str(&file);
	}
	if (r == 1) {
	    snprintf(origin, sizeof(origin), "(built-in)/%s.txt", name);
	    for (int i = 0; notify_builtin_templates[i].name; i++)
		if (strcmp(notify_builtin_templates[i].name, name) == 0)
		    text = notify_builtin_templates[i].text;
	    if (text == NULL) {
		snprintf(err, errlen, "%s: missing from the program", origin);
		sbuf_free(&file);
		notify_templates_free(set);
		return (NULL);
	    }
	}
	if (template_parse(set, k, origin, text, strlen(text), err, errlen) < 0) {
	    sbuf_free(&file);
	    notify_templates_free(set);
	    return (NULL);
	}
	sbuf_free(&file);
    }
    return (set);
}

void    notify_templates_free(struct notify_templates *set)
{
    if (set == NULL)
	return;
    for (int k = 0; k < NOTIFY_TPL_COUNT; k++) {
	free(set->origin[k]);
	free(set->subject[k]);
	free(set->body[k]);
    }
    free(set);
}

void    notify_templates_install(struct notify_templates *set)
{
    struct notify_templates *old;

    pthread_rwlock_wrlock(&current_lock);
    old = current;
    current = set;
    pthread_rwlock_unlock(&current_lock);
    notify_templates_free(old);
}

int     notify_templates_load_config(const struct sm_config *cfg, char *err, size_t errlen)
{
    struct notify_templates *set;

    if ((set = notify_templates_load(cfg->template_dir, err, errlen)) == NULL)
	return (-1);
    notify_templates_install(set);
    return (0);
}

/*
 * render_text - text with its placeholders replaced; a line whose
 * placeholders all render empty is left out. The subject is one line.
 */

static void render_text(const char *text, const char *const vars[NOTIFY_VAR_COUNT],
			        struct sbuf *out)
{
    const char *p = text;

    while (*p) {
	const char *eol = strchr(p, '\n'), *q = p, *open;
	size_t  line_start = out->len;
	int     n_vars = 0, n_full = 0;

	if (eol == NULL)
	    eol = p + strlen(p);
	while (q < eol && (open = memmem(q, (size_t) (eol - q), "{{", 2)) != NULL) {
	    const char *close = memmem(open + 2, (size_t) (eol - open - 2), "}}", 2);
	    int     v = close ? var_lookup(open + 2, (size_t) (close - open - 2)) : -1;

	    /* Checked at load: every placeholder is closed and known. */
	    if (v < 0)
		sm_panic("template: unchecked placeholder");
	    sbuf_append(out, q, (size_t) (open - q));
	    n_vars++;
	    if (vars[v] && *vars[v]) {
		n_full++;
		sbuf_puts(out, vars[v]);
	    }
	    q = close + 2;
	}
	sbuf_append(out, q, (size_t) (eol - q));
	if (n_vars > 0 && n_full == 0) {
	    /* Omitted: every placeholder of the line rendered empty. */
	    out->len = line_start;
	    if (out->data)
		out->data[out->len] = 0;
	} else if (*eol == '\n') {
	    sbuf_putc(out, '\n');
	}
	p = *eol ? eol + 1 : eol;
    }
}

int     notify_template_render(enum notify_template k, const char *const vars[NOTIFY_VAR_COUNT],
			               struct sbuf *subject, struct sbuf *body)
{
    char    err[512];

    if ((int) k < 0 || k >= NOTIFY_TPL_COUNT)
	return (-1);

    /* No set installed: the built-in copies, loaded once. */
    pthread_rwlock_rdlock(&current_lock);
    if (current == NULL) {
	struct notify_templates *set;

	pthread_rwlock_unlock(&current_lock);
	if ((set = notify_templates_load(NULL, err, sizeof(err))) == NULL) {
	    sm_log(LOG_ERR, NULL, "%s", err);
	    return (-1);
	}
	pthread_rwlock_wrlock(&current_lock);
	if (current == NULL)
	    current = set, set = NULL;
	pthread_rwlock_unlock(&current_lock);
	notify_templates_free(set);
	pthread_rwlock_rdlock(&current_lock);
    }
    render_text(current->subject[k], vars, subject);
    render_text(current->body[k], vars, body);
    pthread_rwlock_unlock(&current_lock);
    return (subject->truncated || body->truncated ? -1 : 0);
}
