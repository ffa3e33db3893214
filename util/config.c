/*++
/* NAME
/*	config 3
/* SUMMARY
/*	secmilter.conf(5): defaults, parsing, validation
/* SYNOPSIS
/*	#include "util/util.h"
/* DESCRIPTION
/*	The configuration is "Key value" lines; "#" starts a comment; keys
/*	are case-insensitive. Every key is checked when it is read, so a
/*	running daemon never meets a bad value later.
/*
/*	sm_config_load() is all or nothing: the whole file is checked on a
/*	scratch copy first, and only a file without error is applied.
/* DIAGNOSTICS
/*	"FILE:LINE: KEY: reason" in the caller's buffer.
/*--*/

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "util/util.h"

#define CONFIG_LINE_MAX		4096	/* bytes in one configuration line */
#define CONFIG_LINES_MAX	10000	/* lines in one file */

static int set_string(char **, const char *);
static int parse_size(const char *, size_t *);
static int parse_uint(const char *, unsigned, unsigned, unsigned *);
static int parse_bool(const char *, int *);
static int parse_ratio(const char *, double, double, double *);
static int parse_duration(const char *, unsigned, unsigned, unsigned *);
static int socket_valid(const char *);
static int set_list(struct strlist *, const char *, int addr);

void    sm_config_init(struct sm_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->socket = strdup("inet:8895@127.0.0.1");
    /* INTERFACE.md fixes this default, whatever the install prefix. */
    cfg->state_dir = strdup("/var/lib/secmilter");
    cfg->sendmail = strdup("/usr/sbin/sendmail");
    cfg->organization = strdup("the security team");
    cfg->max_message_bytes = SM_DEF_MAX_MESSAGE_BYTES;
    cfg->max_text_bytes = SM_DEF_MAX_TEXT_BYTES;
    cfg->max_header_bytes = SM_DEF_MAX_HEADER_BYTES;
    cfg->max_mime_depth = SM_DEF_MAX_MIME_DEPTH;
    cfg->max_mime_parts = SM_DEF_MAX_MIME_PARTS;
    cfg->max_attachments = SM_DEF_MAX_ATTACHMENTS;
    cfg->max_part_bytes = SM_DEF_MAX_PART_BYTES;
    cfg->max_attachment_bytes = SM_DEF_MAX_ATTACHMENT_BYTES;
    cfg->triage_cpu_ms = SM_DEF_TRIAGE_CPU_MS;
    cfg->max_zip_entries = SM_DEF_MAX_ZIP_ENTRIES;
    cfg->max_zip_ratio = SM_DEF_MAX_ZIP_RATIO;
    cfg->keep_attachments = 1;
    cfg->ack_target_hours = SM_DEF_ACK_TARGET_HOURS;
    cfg->triage_target_days = SM_DEF_TRIAGE_TARGET_DAYS;
    cfg->sync = 1;
    cfg->duplicate_similarity = SM_DEF_DUPLICATE_SIMILARITY;
    cfg->outbox_max_age_s = SM_DEF_OUTBOX_MAX_AGE_S;
    cfg->outbox_retry_min_s = SM_DEF_OUTBOX_RETRY_MIN_S;
    cfg->response_target_minutes = SM_DEF_RESPONSE_TARGET_MINUTES;
    cfg->ack_limit_per_hour = SM_DEF_ACK_LIMIT_PER_HOUR;
    cfg->ack_limit_per_day = SM_DEF_ACK_LIMIT_PER_DAY;
    cfg->time_frame_days[0] = SM_DEF_TIME_FRAME_LOW;
    cfg->time_frame_days[1] = SM_DEF_TIME_FRAME_MEDIUM;
    cfg->time_frame_days[2] = SM_DEF_TIME_FRAME_HIGH;
    cfg->time_frame_days[3] = SM_DEF_TIME_FRAME_CRITICAL;
}

void    sm_config_free(struct sm_config *cfg)
{
    free(cfg->socket);
    strlist_free(&cfg->security_addrs);
    free(cfg->state_dir);
    strlist_free(&cfg->in_scope_domains);
    free(cfg->ack_from);
    free(cfg->sendmail);
    free(cfg->submit_server);
    free(cfg->authserv_id);
    free(cfg->policy_url);
    free(cfg->organization);
    free(cfg->timing_log);
    free(cfg->rules_file);
    free(cfg->template_dir);
    strlist_free(&cfg->team_addrs);
    memset(cfg, 0, sizeof(*cfg));
}

static int set_string(char **dst, const char *val)
{
    char   *copy;

    if ((copy = strdup(val)) == NULL)
	return (-1);
    free(*dst);
    *dst = copy;
    return (0);
}

static int parse_size(const char *s, size_t *out)
{
    char   *end;
    unsigned long long v;
    unsigned long long mul = 1;

    if (!isdigit((unsigned char) *s))
	return (-1);
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno)
	return (-1);
    switch (tolower((unsigned char) *end)) {
    case 'k':
	mul = 1024ULL, end++;
	break;
    case 'm':
	mul = 1024ULL * 1024, end++;
	break;
    case 'g':
	mul = 1024ULL * 1024 * 1024, end++;
	break;
    }
    if (*end != 0 || v == 0 || v > (unsigned long long) SIZE_MAX / mul)
	return (-1);
    *out = (size_t) (v * mul);
    return (0);
}

static int parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
    char   *end;
    unsigned long v;

    if (!isdigit((unsigned char) *s))
	return (-1);
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
	return (-1);
    *out = (unsigned) v;
    return (0);
}

static int parse_bool(const char *s, int *out)
{
    if (!strcasecmp(s, "yes") || !strcasecmp(s, "true") || !strcmp(s, "1") || !strcasecmp(s, "on"))
	return (*out = 1, 0);
    if (!strcasecmp(s, "no") || !strcasecmp(s, "false") || !strcmp(s, "0") || !strcasecmp(s, "off"))
	return (*out = 0, 0);
    return (-1);
}

/* parse_ratio - "0.9", "1", ".95": a decimal from lo to hi, whatever the locale */

static int parse_ratio(const char *s, double lo, double hi, double *out)
{
    double  v = 0, scale = 1;
    int     digits = 0;

    for (; isdigit((unsigned char) *s) && digits < 8; s++, digits++)
	v = v * 10 + (*s - '0');
    if (*s == '.')
	for (s++; isdigit((unsigned char) *s) && digits < 8; s++, digits++)
	    v += (*s - '0') / (scale *= 10);
    if (*s != 0 || digits == 0 || v < lo || v > hi)
	return (-1);
    *out = v;
    return (0);
}

/*
 * parse_duration - "5d", "12h", "30m", "90s", or a bare number of days
 * (Postfix's maximal_queue_lifetime convention), into seconds lo..hi.
 */

static int parse_duration(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
    char   *end;
    unsigned long v, mul = 24 * 3600;

    if (!isdigit((unsigned char) *s))
	return (-1);
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || v > 1000000)
	return (-1);
    switch (tolower((unsigned char) *end)) {
    case 's':
	mul = 1, end++;
	break;
    case 'm':
	mul = 60, end++;
	break;
    case 'h':
	mul = 3600, end++;
	break;
    case 'd':
	mul = 24 * 3600, end++;
	break;
    }
    if (*end != 0 || v * mul < lo || v * mul > hi)
	return (-1);
    *out = (unsigned) (v * mul);
    return (0);
}

/* socket_valid - local:/path, unix:/path, inet:PORT@HOST, inet6:PORT@HOST */

static int socket_valid(const char *s)
{
    const char *rest, *at;
    char   *end;
    long    port;

    if (!strncasecmp(s, "local:", 6) || !strncasecmp(s, "unix:", 5)) {
	rest = strchr(s, ':') + 1;
	return (rest[0] == '/' && strlen(rest) < 100);
    }
    if (!strncasecmp(s, "inet:", 5) || !strncasecmp(s, "inet6:", 6)) {
	rest = strchr(s, ':') + 1;
	port = strtol(rest, &end, 10);
	if (end == rest || port < 1 || port > 65535)
	    return (0);
	if (*end == 0)
	    return (1);
	at = end;
	return (*at == '@' && at[1] != 0);
    }
    return (0);
}

/* set_list - comma or space separated list; addresses are normalised */

static int set_list(struct strlist *list, const char *val, int addr)
{
    struct strlist tmp = STRLIST_INIT;
    char   *copy, *tok, *save = NULL;

    if ((copy = strdup(val)) == NULL)
	return (-1);
    for (tok = strtok_r(copy, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
	char   *norm;

	if (addr) {
	    if ((norm = sm_addr_normalize(tok)) == NULL || strchr(norm, '@') == NULL
		|| norm[0] == '@' || strchr(norm, '@')[1] == 0) {
		free(norm);
		strlist_free(&tmp);
		free(copy);
		return (-1);
	    }
	} else {
	    norm = strdup(tok);
	    for (char *p = norm; p && *p; p++)
		*p = (char) tolower((unsigned char) *p);
	    if (norm == NULL || strspn(norm, "abcdefghijklmnopqrstuvwxyz0123456789.-*") != strlen(norm)
		|| (strchr(norm, '*') && strncmp(norm, "*.", 2) != 0)
		|| strchr(norm + 1, '*')) {
		free(norm);
		strlist_free(&tmp);
		free(copy);
		return (-1);
	    }
	}
	strlist_add_unique(&tmp, norm);
	free(norm);
    }
    free(copy);
    strlist_free(list);
    *list = tmp;
    return (0);
}

int     sm_config_set(struct sm_config *cfg, const char *key, const char *val,
		              char *err, size_t errlen)
{
    const char *why = NULL;

#define IS(k) (strcasecmp(key, (k)) == 0)
    if (IS("Socket")) {
	if (!socket_valid(val))
	    why = "expected local:/path, unix:/path, inet:PORT@HOST or inet6:PORT@HOST";
	else
	    set_string(&cfg->socket, val);
    } else if (IS("SecurityAddress")) {
	if (set_list(&cfg->security_addrs, val, 1) < 0)
	    why = "expected one or more addresses local@domain";
    } else if (IS("StateDirectory")) {
	if (val[0] != '/' && strncmp(val, "./", 2) != 0 && strncmp(val, "../", 3) != 0 && !isalnum((unsigned char) val[0]))
	    why = "expected a directory path";
	else
	    set_string(&cfg->state_dir, val);
    } else if (IS("InScopeDomains")) {
	if (set_list(&cfg->in_scope_domains, val, 0) < 0)
	    why = "expected host names, optionally *.domain";
    } else if (IS("AckFrom")) {
	char   *n = sm_addr_normalize(val);

	if (n == NULL || strchr(n, '@') == NULL || strpbrk(n, " \t\r\n\"") != NULL)
	    why = "expected an address local@domain";
	else
	    set_string(&cfg->ack_from, n);
	free(n);
    } else if (IS("Sendmail")) {
	if (val[0] != '/')
	    why = "expected an absolute command path, optionally with arguments";
	else
	    set_string(&cfg->sendmail, val);
    } else if (IS("SubmitServer")) {
	const char *at = strchr(val, '@');

	if ((strncmp(val, "inet:", 5) != 0 && strncmp(val, "inet6:", 6) != 0)
	    || at == NULL || at[1] == 0 || strspn(strchr(val, ':') + 1, "0123456789") == 0
	    || strchr(val, ':') + 1 + strspn(strchr(val, ':') + 1, "0123456789") != at
	    || strpbrk(val, " \t") != NULL)
	    why = "expected inet:PORT@HOST or inet6:PORT@HOST";
	else
	    set_string(&cfg->submit_server, val);
    } else if (IS("AuthservID")) {
	if (strpbrk(val, " \t;\"") != NULL)
	    why = "expected a single token";
	else
	    set_string(&cfg->authserv_id, val);
    } else if (IS("PolicyURL")) {
	if (strncmp(val, "https://", 8) != 0 && strncmp(val, "http://", 7) != 0)
	    why = "expected an http:// or https:// URL";
	else
	    set_string(&cfg->policy_url, val);
    } else if (IS("Organization")) {
	char   *s = sm_sanitize_str(val, 100);

	set_string(&cfg->organization, s);
	free(s);
    } else if (IS("MaxMessageBytes")) {
	if (parse_size(val, &cfg->max_message_bytes) < 0)
	    why = "expected a positive size (e.g. 50m)";
    } else if (IS("MaxTextBytes")) {
	if (parse_size(val, &cfg->max_text_bytes) < 0)
	    why = "expected a positive size (e.g. 1m)";
    } else if (IS("MaxHeaderBytes")) {
	if (parse_size(val, &cfg->max_header_bytes) < 0)
	    why = "expected a positive size (e.g. 256k)";
    } else if (IS("MaxMimeDepth")) {
	if (parse_uint(val, 1, 1000, &cfg->max_mime_depth) < 0)
	    why = "expected a number from 1 to 1000";
    } else if (IS("MaxMimeParts")) {
	if (parse_uint(val, 1, 100000, &cfg->max_mime_parts) < 0)
	    why = "expected a number from 1 to 100000";
    } else if (IS("MaxAttachments")) {
	if (parse_uint(val, 0, 10000, &cfg->max_attachments) < 0)
	    why = "expected a number from 0 to 10000";
    } else if (IS("MaxPartBytes")) {
	if (parse_size(val, &cfg->max_part_bytes) < 0)
	    why = "expected a positive size (e.g. 50m)";
    } else if (IS("MaxAttachmentBytes")) {
	if (parse_size(val, &cfg->max_attachment_bytes) < 0)
	    why = "expected a positive size (e.g. 25m)";
    } else if (IS("TriageCpuMs")) {
	if (parse_uint(val, 0, 600000, &cfg->triage_cpu_ms) < 0)
	    why = "expected milliseconds from 0 (no limit) to 600000";
    } else if (IS("MaxZipEntries")) {
	if (parse_uint(val, 1, 10000000, &cfg->max_zip_entries) < 0)
	    why = "expected a number from 1 to 10000000";
    } else if (IS("MaxZipRatio")) {
	if (parse_uint(val, 2, 1000000, &cfg->max_zip_ratio) < 0)
	    why = "expected a ratio from 2 to 1000000";
    } else if (IS("KeepAttachments")) {
	if (parse_bool(val, &cfg->keep_attachments) < 0)
	    why = "expected yes or no";
    } else if (IS("AckTargetHours")) {
	if (parse_uint(val, 1, 24 * 30, &cfg->ack_target_hours) < 0)
	    why = "expected a number of hours from 1 to 720";
    } else if (IS("TriageTargetDays")) {
	if (parse_uint(val, 1, 365, &cfg->triage_target_days) < 0)
	    why = "expected a number of days from 1 to 365";
    } else if (IS("SyncCommits")) {
	if (parse_bool(val, &cfg->sync) < 0)
	    why = "expected yes or no";
    } else if (IS("DuplicateSimilarity")) {
	if (parse_ratio(val, 0.5, 1.0, &cfg->duplicate_similarity) < 0)
	    why = "expected a similarity from 0.5 to 1 (e.g. 0.90)";
    } else if (IS("OutboxMaxAge")) {
	if (parse_duration(val, 1, 365 * 24 * 3600, &cfg->outbox_max_age_s) < 0)
	    why = "expected a time from 1s to 365d (suffix s, m, h or d; no suffix: days)";
    } else if (IS("OutboxRetryMinSeconds")) {
	if (parse_uint(val, 1, 3600, &cfg->outbox_retry_min_s) < 0)
	    why = "expected seconds from 1 to 3600";
    } else if (IS("ResponseTargetMinutes")) {
	if (parse_uint(val, 1, 60 * 24 * 30, &cfg->response_target_minutes) < 0)
	    why = "expected minutes from 1 to 43200";
    } else if (IS("TimingLog")) {
	if (val[0] != '/')
	    why = "expected an absolute file path";
	else
	    set_string(&cfg->timing_log, val);
    } else if (IS("TeamAddresses")) {
	if (set_list(&cfg->team_addrs, val, 1) < 0)
	    why = "expected one or more addresses local@domain";
    } else if (IS("AckLimitPerHour")) {
	if (parse_uint(val, 0, SM_ACK_LIMIT_MAX, &cfg->ack_limit_per_hour) < 0)
	    why = "expected a number of replies from 0 to 1000";
    } else if (IS("AckLimitPerDay")) {
	if (parse_uint(val, 0, SM_ACK_LIMIT_MAX, &cfg->ack_limit_per_day) < 0)
	    why = "expected a number of replies from 0 to 1000";
    } else if (IS("TimeFrameLow") || IS("TimeFrameMedium") || IS("TimeFrameHigh")
	       || IS("TimeFrameCritical")) {
	int     k = IS("TimeFrameLow") ? 0 : IS("TimeFrameMedium") ? 1 : IS("TimeFrameHigh") ? 2 : 3;

	if (parse_uint(val, 1, 3650, &cfg->time_frame_days[k]) < 0)
	    why = "expected a number of days from 1 to 3650";
    } else if (IS("TemplateDirectory")) {
	struct stat st;

	/* Checked now, so that secmilter -n names a missing directory. */
	if (val[0] != '/')
	    why = "expected an absolute directory path";
	else if (stat(val, &st) < 0 || !S_ISDIR(st.st_mode))
	    why = "not a directory";
	else
	    set_string(&cfg->template_dir, val);
    } else if (IS("RulesFile")) {
	if (val[0] != '/')
	    why = "expected an absolute file path";
	else
	    set_string(&cfg->rules_file, val);
    } else {
	snprintf(err, errlen, "%s: unknown key", key);
	return (-1);
    }
#undef IS
    if (why) {
	snprintf(err, errlen, "%s: bad value \"%.100s\": %s", key, val, why);
	return (-1);
    }
    return (0);
}

int     sm_config_load(struct sm_config *cfg, const char *path, char *err, size_t errlen)
{
    FILE   *fp;
    char    line[CONFIG_LINE_MAX + 2];
    char    why[512];
    struct sm_config scratch;
    int     lineno = 0;
    int     pass;

    /*
     * Pass 0 checks every line on a scratch copy; pass 1 applies. A file
     * with any error changes nothing.
     */
    for (pass = 0; pass < 2; pass++) {
	if ((fp = fopen(path, "r")) == NULL) {
	    snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
	    return (-1);
	}
	if (pass == 0)
	    sm_config_init(&scratch);
	lineno = 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
	    char   *key, *val, *end;

	    if (++lineno > CONFIG_LINES_MAX) {
		snprintf(err, errlen, "%s:%d: too many lines", path, lineno);
		goto fail;
	    }
	    if (strchr(line, '\n') == NULL && !feof(fp)) {
		snprintf(err, errlen, "%s:%d: line longer than %d bytes", path, lineno, CONFIG_LINE_MAX);
		goto fail;
	    }
	    if ((end = strchr(line, '#')) != NULL)
		*end = 0;
	    for (key = line; isspace((unsigned char) *key); key++)
		 /* void */ ;
	    if (*key == 0)
		continue;
	    for (val = key; *val && !isspace((unsigned char) *val) && *val != '='; val++)
		 /* void */ ;
	    if (*val)
		*val++ = 0;
	    while (isspace((unsigned char) *val) || *val == '=')
		val++;
	    end = val + strlen(val);
	    while (end > val && isspace((unsigned char) end[-1]))
		*--end = 0;
	    if (*val == 0) {
		snprintf(err, errlen, "%s:%d: %s: missing value", path, lineno, key);
		goto fail;
	    }
	    if (sm_config_set(pass == 0 ? &scratch : cfg, key, val, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
		goto fail;
	    }
	}
	fclose(fp);
	if (pass == 0)
	    sm_config_free(&scratch);
    }
    return (0);

fail:
    fclose(fp);
    sm_config_free(&scratch);
    return (-1);
}

char   *sm_config_ack_from(const struct sm_config *cfg)
{
    char   *host, *out;

    if (cfg->ack_from)
	return (strdup(cfg->ack_from));
    if (cfg->security_addrs.n > 0)
	return (strdup(cfg->security_addrs.v[0]));
    host = sm_hostname();
    if (host == NULL)
	return (strdup("security@localhost"));
    if (asprintf(&out, "security@%s", host) < 0)
	out = NULL;
    free(host);
    return (out);
}

char   *sm_config_authserv_id(const struct sm_config *cfg)
{
    return (cfg->authserv_id ? strdup(cfg->authserv_id) : sm_hostname());
}

int     sm_config_is_security_addr(const struct sm_config *cfg, const char *addr)
{
    char   *norm, *at;
    int     hit;

    if ((norm = sm_addr_normalize(addr)) == NULL)
	return (0);
    if (cfg->security_addrs.n > 0) {
	hit = strlist_contains(&cfg->security_addrs, norm);
    } else {
	/* Default: any address whose local part is "security". */
	at = strrchr(norm, '@');
	hit = at ? (at - norm == 8 && strncmp(norm, "security", 8) == 0)
	    : strcmp(norm, "security") == 0;
    }
    free(norm);
    return (hit);
}

int     sm_config_is_team_addr(const struct sm_config *cfg, const char *addr)
{
    char   *norm;
    int     hit;

    if (addr == NULL || cfg->team_addrs.n == 0 || (norm = sm_addr_normalize(addr)) == NULL)
	return (0);
    hit = strlist_contains(&cfg->team_addrs, norm);
    free(norm);
    return (hit);
}

int     sm_config_is_own_addr(const struct sm_config *cfg, const char *addr)
{
    char   *norm, *from;
    int     hit;

    if (addr == NULL || *addr == 0)
	return (0);
    if (sm_config_is_security_addr(cfg, addr) || sm_config_is_team_addr(cfg, addr))
	return (1);
    if ((norm = sm_addr_normalize(addr)) == NULL)
	return (0);
    from = sm_config_ack_from(cfg);
    hit = from != NULL && strcasecmp(norm, from) == 0;
    free(from);
    free(norm);
    return (hit);
}

int     sm_config_host_in_scope(const struct sm_config *cfg, const char *host)
{
    size_t  hl, dl;

    if (cfg->in_scope_domains.n == 0)
	return (-1);
    if (host == NULL)
	return (0);
    hl = strlen(host);
    for (size_t i = 0; i < cfg->in_scope_domains.n; i++) {
	const char *d = cfg->in_scope_domains.v[i];

	if (d[0] == '*' && d[1] == '.') {
	    /* "*.example.com" matches subdomains and the domain itself. */
	    dl = strlen(d + 2);
	    if ((hl == dl && strcasecmp(host, d + 2) == 0)
		|| (hl > dl && host[hl - dl - 1] == '.' && strcasecmp(host + hl - dl, d + 2) == 0))
		return (1);
	} else if (strcasecmp(host, d) == 0) {
	    return (1);
	}
    }
    return (0);
}
