/*++
/* NAME
/*	callbacks 3
/* SUMMARY
/*	the milter protocol: recipients, spooling, annotation
/* SYNOPSIS
/*	#include "milter/milter.h"
/* DESCRIPTION
/*	Per SMTP connection libmilter gives us one thread and one struct
/*	conn. The message steps:
/* .IP negotiate
/*	Ask only for what we use: no CONNECT, HELO, EOH or unknown
/*	commands, and no replies to MAIL, RCPT, headers or body where the
/*	MTA allows it; leading spaces of header values are kept so the
/*	spool is the message as sent.
/* .IP "MAIL, RCPT"
/*	Remember the sender; match each recipient against SecurityAddress.
/* .IP DATA
/*	No security recipient: ACCEPT, so the MTA never sends us the rest.
/*	Otherwise open a spool file (0600) under StateDirectory/spool;
/*	the spool buffer is allocated then, at the connection's first
/*	security@ message, never for ordinary mail.
/* .IP "header, body"
/*	Write to the spool, never past MaxMessageBytes; note every
/*	X-Security-* header (to remove) and the Subject (to tag).
/* .IP EOM
/*	intake_message(), then remove the forged X-Security-* headers and
/*	add ours. Always ACCEPT: a failure leaves the message unchanged.
/* .IP "ABORT, CLOSE"
/*	Drop the spool and the per-message state.
/*
/*	Never: reject or tempfail for content, hold a message in memory,
/*	log message text.
/* DIAGNOSTICS
/*	Logged with the queue ID; the message is accepted.
/*--*/

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libmilter/mfapi.h>

#include "util/util.h"
#include "milter/milter.h"

#define CONN_SPOOFED_MAX	64	/* distinct X-Security-* names tracked */
#define CONN_SPOOL_BUF		65536	/* spool write buffer */
#define TIMING_LINE_MAX		128
#define CONN_PATH_MAX		4096	/* spool file name */

struct spoofed {
    char    name[128];			/* as seen, bounded */
    int     count;
};

/*
 * What only a security@ message needs, allocated at its DATA and kept for
 * the connection's later messages. Never in struct conn itself: calloc()
 * of ~74 KB per connection was most of what ordinary mail cost us.
 */
struct conn_spool {
    char    path[CONN_PATH_MAX];
    char    buf[CONN_SPOOL_BUF];
    struct spoofed spoofed[CONN_SPOOFED_MAX];
};

struct conn {
    char    qid[32];
    char   *sender;			/* normalised; "" = null sender */
    int     secure;			/* a recipient is an intake address */
    int     spool_fd;
    struct conn_spool *sp;		/* NULL until a security@ DATA */
    char   *spool_path;			/* sp->path */
    size_t  spool_bytes;
    int     oversize;
    int     in_body;
    int     pending_cr;
    char   *buf;			/* sp->buf */
    size_t  buf_len;
    int     write_error;
    char   *subject_raw;		/* first Subject value as sent */
    int     subject_count;
    struct spoofed *spoofed;		/* sp->spoofed */
    int     n_spoofed;
};

static const struct intake_env *milter_env;
static int nr_mail, nr_rcpt, nr_hdr, nr_body, hdr_leadspc;
static FILE *timing_fp;

void    milter_set_env(const struct intake_env *env)
{
    milter_env = env;
    if (env->cfg->timing_log)
	timing_fp = fopen(env->cfg->timing_log, "a");
}

/* conn_get - the connection's state, created on first use */

static struct conn *conn_get(SMFICTX *ctx)
{
    struct conn *c = smfi_getpriv(ctx);

    if (c == NULL) {
	if ((c = calloc(1, sizeof(*c))) == NULL)
	    return (NULL);
	c->spool_fd = -1;
	smfi_setpriv(ctx, c);
    }
    return (c);
}

static void conn_set_qid(SMFICTX *ctx, struct conn *c)
{
    const char *q = smfi_getsymval(ctx, "i");

    if (q && *q) {
	char   *clean = sm_sanitize_str(q, sizeof(c->qid) - 1);

	snprintf(c->qid, sizeof(c->qid), "%s", clean);
	free(clean);
    }
}

/* message_reset - forget one message; the connection stays */

static void message_reset(struct conn *c)
{
    if (c->spool_fd >= 0) {
	close(c->spool_fd);
	c->spool_fd = -1;
    }
    if (c->spool_path && c->spool_path[0]) {
	unlink(c->spool_path);
	c->spool_path[0] = 0;
    }
    free(c->sender);
    free(c->subject_raw);
    c->sender = NULL;
    c->subject_raw = NULL;
    c->secure = 0;
    c->spool_bytes = 0;
    c->oversize = 0;
    c->in_body = 0;
    c->pending_cr = 0;
    c->buf_len = 0;
    c->write_error = 0;
    c->subject_count = 0;
    c->n_spoofed = 0;
    c->qid[0] = 0;
}

/* spool_flush, spool_write - buffered, bounded writes to the spool */

static void spool_flush(struct conn *c)
{
    if (c->buf_len > 0 && !c->write_error
	&& sm_write_all(c->spool_fd, c->buf, c->buf_len) < 0) {
	sm_log(LOG_ERR, c->qid, "spool write: %s; message will pass unchanged", strerror(errno));
	c->write_error = 1;
    }
    c->buf_len = 0;
}

static void spool_write(struct conn *c, const char *p, size_t n)
{
    if (c->spool_fd < 0 || c->write_error)
	return;
    if (c->spool_bytes + n > milter_env->cfg->max_message_bytes) {
	n = milter_env->cfg->max_message_bytes > c->spool_bytes
	    ? milter_env->cfg->max_message_bytes - c->spool_bytes : 0;
	c->oversize = 1;
    }
    c->spool_bytes += n;
    while (n > 0) {
	size_t  take = CONN_SPOOL_BUF - c->buf_len;

	if (take > n)
	    take = n;
	memcpy(c->buf + c->buf_len, p, take);
	c->buf_len += take;
	p += take;
	n -= take;
	if (c->buf_len == CONN_SPOOL_BUF)
	    spool_flush(c);
    }
}

/* ------------------------------------------------------------ steps */

static sfsistat cb_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
			             unsigned long f2, unsigned long f3,
			             unsigned long *pf0, unsigned long *pf1,
			             unsigned long *pf2, unsigned long *pf3)
{
    unsigned long want = SMFIP_NOCONNECT | SMFIP_NOHELO | SMFIP_NOUNKNOWN | SMFIP_NOEOH;
    unsigned long opt = SMFIP_NR_MAIL | SMFIP_NR_RCPT | SMFIP_NR_HDR | SMFIP_NR_BODY
    | SMFIP_HDR_LEADSPC;

    /* Actions: we add and change headers, nothing else. */
    *pf0 = (SMFIF_ADDHDRS | SMFIF_CHGHDRS) & f0;
    *pf1 = (want & f1) | (opt & f1);
    *pf2 = *pf3 = 0;

    /* Replies we may skip are only those the MTA agreed to skip. */
    nr_mail = (*pf1 & SMFIP_NR_MAIL) != 0;
    nr_rcpt = (*pf1 & SMFIP_NR_RCPT) != 0;
    nr_hdr = (*pf1 & SMFIP_NR_HDR) != 0;
    nr_body = (*pf1 & SMFIP_NR_BODY) != 0;
    hdr_leadspc = (*pf1 & SMFIP_HDR_LEADSPC) != 0;
    return (SMFIS_CONTINUE);
}

static sfsistat cb_envfrom(SMFICTX *ctx, char **argv)
{
    struct conn *c = conn_get(ctx);

    if (c == NULL)
	return (nr_mail ? SMFIS_NOREPLY : SMFIS_CONTINUE);
    message_reset(c);
    conn_set_qid(ctx, c);
    c->sender = sm_addr_normalize(argv[0] ? argv[0] : "<>");
    if (c->sender == NULL)
	c->sender = strdup("");
    return (nr_mail ? SMFIS_NOREPLY : SMFIS_CONTINUE);
}

static sfsistat cb_envrcpt(SMFICTX *ctx, char **argv)
{
    struct conn *c = smfi_getpriv(ctx);

    if (c && !c->secure && argv[0] && sm_config_is_security_addr(milter_env->cfg, argv[0]))
	c->secure = 1;
    return (nr_rcpt ? SMFIS_NOREPLY : SMFIS_CONTINUE);
}

static sfsistat cb_data(SMFICTX *ctx)
{
    struct conn *c = smfi_getpriv(ctx);
    char    dir[CONN_PATH_MAX - 16];
    int     n;

    /* Mail for others ends here: the MTA sends us nothing more of it. */
    if (c == NULL || !c->secure)
	return (SMFIS_ACCEPT);
    if (c->sp == NULL) {
	if ((c->sp = malloc(sizeof(*c->sp))) == NULL) {
	    sm_log(LOG_ERR, c->qid, "spool buffer: %s; accepted unchanged", strerror(errno));
	    return (SMFIS_ACCEPT);
	}
	c->sp->path[0] = 0;
	c->spool_path = c->sp->path;
	c->buf = c->sp->buf;
	c->spoofed = c->sp->spoofed;
    }
    if (c->qid[0] == 0)
	conn_set_qid(ctx, c);

    /* The spool file, private to us. */
    n = snprintf(dir, sizeof(dir), "%s/spool", milter_env->cfg->state_dir);
    if (n < 0 || (size_t) n >= sizeof(dir) || sm_mkdir_p(dir, 0700) < 0) {
	sm_log(LOG_ERR, c->qid, "spool directory %s: %s; accepted unchanged", dir, strerror(errno));
	return (SMFIS_ACCEPT);
    }
    (void) snprintf(c->spool_path, CONN_PATH_MAX, "%s/msg.XXXXXX", dir);
    if ((c->spool_fd = mkostemp(c->spool_path, O_CLOEXEC)) < 0) {
	sm_log(LOG_ERR, c->qid, "spool file: %s; accepted unchanged", strerror(errno));
	c->spool_path[0] = 0;
	return (SMFIS_ACCEPT);
    }
    fchmod(c->spool_fd, 0600);
    return (SMFIS_CONTINUE);
}

static sfsistat cb_header(SMFICTX *ctx, char *name, char *value)
{
    struct conn *c = smfi_getpriv(ctx);
    size_t  nl = strlen(name);

    if (c == NULL || c->spool_fd < 0)
	return (nr_hdr ? SMFIS_NOREPLY : SMFIS_CONTINUE);

    /* Remember what EOM changes: forged triage headers and the Subject. */
    if (strncasecmp(name, "X-Security-", 11) == 0) {
	int     i;

	for (i = 0; i < c->n_spoofed; i++)
	    if (strcasecmp(c->spoofed[i].name, name) == 0)
		break;
	if (i == c->n_spoofed && i < CONN_SPOOFED_MAX && nl < sizeof(c->spoofed[0].name)) {
	    snprintf(c->spoofed[i].name, sizeof(c->spoofed[i].name), "%s", name);
	    c->spoofed[i].count = 0;	/* sp is malloc()ed, not calloc()ed */
	    c->n_spoofed++;
	}
	if (i < c->n_spoofed)
	    c->spoofed[i].count++;
    } else if (strcasecmp(name, "Subject") == 0 && c->subject_count++ == 0) {
	c->subject_raw = strdup(value);
    }

    /* The spool holds the header as sent: "Name:" value. */
    spool_write(c, name, nl);
    spool_write(c, hdr_leadspc ? ":" : ": ", hdr_leadspc ? 1 : 2);
    spool_write(c, value, strlen(value));
    spool_write(c, "\n", 1);
    return (nr_hdr ? SMFIS_NOREPLY : SMFIS_CONTINUE);
}

static sfsistat cb_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
    struct conn *c = smfi_getpriv(ctx);
    size_t  start = 0;

    if (c == NULL || c->spool_fd < 0)
	return (nr_body ? SMFIS_NOREPLY : SMFIS_CONTINUE);
    if (!c->in_body) {
	spool_write(c, "\n", 1);
	c->in_body = 1;
    }

    /* CRLF becomes LF, also across chunk boundaries. */
    for (size_t i = 0; i < len; i++) {
	if (c->pending_cr) {
	    c->pending_cr = 0;
	    if (chunk[i] != '\n')
		spool_write(c, "\r", 1);
	}
	if (chunk[i] == '\r') {
	    spool_write(c, (char *) chunk + start, i - start);
	    start = i + 1;
	    c->pending_cr = 1;
	}
    }
    spool_write(c, (char *) chunk + start, len - start);
    return (nr_body ? SMFIS_NOREPLY : SMFIS_CONTINUE);
}

/* annotate - remove forged headers, add ours, tag the Subject */

static void annotate(SMFICTX *ctx, struct conn *c, const struct intake_result *res)
{
    char    value[1200];
    const char *lead = hdr_leadspc ? " " : "";

    for (int i = 0; i < c->n_spoofed; i++)
	for (int idx = c->spoofed[i].count; idx >= 1; idx--)
	    if (smfi_chgheader(ctx, c->spoofed[i].name, idx, NULL) != MI_SUCCESS)
		sm_log(LOG_WARNING, c->qid, "cannot remove a forged X-Security header");

    if (res->ticket[0]) {
	snprintf(value, sizeof(value), "%s%s", lead, res->ticket);
	smfi_addheader(ctx, "X-Security-Ticket", value);
    }
    snprintf(value, sizeof(value), "%s%s", lead, sbuf_str(&res->triage_hdr));
    smfi_addheader(ctx, "X-Security-Triage", value);

    if (res->tag_subject && res->ticket[0]) {
	char    tag[40];
	char   *clean;

	snprintf(tag, sizeof(tag), "[%s]", res->ticket);
	if (c->subject_raw && strstr(c->subject_raw, tag))
	    return;
	/* Unfolded and cleaned: the value we write is a single line. */
	clean = sm_sanitize_str(c->subject_raw ? c->subject_raw : "", SM_SANITIZE_HDR_MAX);
	snprintf(value, sizeof(value), "%s%s%s%s", lead, tag, *clean ? " " : "", clean);
	free(clean);
	if (c->subject_count > 0)
	    smfi_chgheader(ctx, "Subject", 1, value);
	else
	    smfi_addheader(ctx, "Subject", value);
    }
}

static sfsistat cb_eom(SMFICTX *ctx)
{
    struct conn *c = smfi_getpriv(ctx);
    struct intake_result res;
    int64_t t0 = sm_now_ms();

    if (c == NULL || c->spool_fd < 0)
	return (SMFIS_ACCEPT);
    if (c->qid[0] == 0)
	conn_set_qid(ctx, c);
    if (c->pending_cr)
	spool_write(c, "\r", 1);
    if (!c->in_body)
	spool_write(c, "\n", 1);
    spool_flush(c);
    if (c->write_error) {
	message_reset(c);
	return (SMFIS_ACCEPT);
    }
#ifdef SYNC_FILE_RANGE_WRITE

    /*
     * The spool file becomes the ticket's raw copy, fsync()ed before the
     * commit: have the kernel start writing it now, while the report is
     * parsed and triaged, so that fsync() finds the data on its way.
     * Only a start: durability is still fsync()'s.
     */
    if (milter_env->cfg->sync)
	(void) sync_file_range(c->spool_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
    if (c->oversize)
	sm_log(LOG_WARNING, c->qid, "message larger than MaxMessageBytes: triaged on the first %lu bytes",
	       (unsigned long) milter_env->cfg->max_message_bytes);

    /* Parse, judge, commit; any failure passes the message unchanged. */
    intake_result_init(&res);
    lseek(c->spool_fd, 0, SEEK_SET);
    if (intake_message(milter_env, c->qid, c->spool_fd, c->spool_path, c->sender,
		       c->oversize ? REPORT_F_OVERSIZE : 0, &res) == 0) {
	annotate(ctx, c, &res);
	sm_log(LOG_INFO, c->qid, "%s%s", res.summary, c->n_spoofed ? " forged-headers=removed" : "");
    }
    if (timing_fp) {
	/* eom_ms first: the benchmark reads it; then where it went. */
	fprintf(timing_fp, "%s eom_ms=%lld triage_ms=%.1f duplicate_ms=%.1f raw_copy_ms=%.1f"
		" lock_wait_ms=%.1f txn_ms=%.1f\n", c->qid[0] ? c->qid : "NOQUEUE",
		(long long) (sm_now_ms() - t0), res.triage_us / 1000.0, res.duplicate_us / 1000.0,
		res.raw_copy_us / 1000.0, res.lock_wait_us / 1000.0, res.txn_us / 1000.0);
	fflush(timing_fp);
    }
    intake_result_free(&res);
    message_reset(c);
    return (SMFIS_ACCEPT);
}

static sfsistat cb_abort(SMFICTX *ctx)
{
    struct conn *c = smfi_getpriv(ctx);

    if (c)
	message_reset(c);
    return (SMFIS_CONTINUE);
}

static sfsistat cb_close(SMFICTX *ctx)
{
    struct conn *c = smfi_getpriv(ctx);

    if (c) {
	message_reset(c);
	free(c->sp);
	free(c);
	smfi_setpriv(ctx, NULL);
    }
    return (SMFIS_CONTINUE);
}

struct smfiDesc milter_desc = {
    "secmilter",
    SMFI_VERSION,
    SMFIF_ADDHDRS | SMFIF_CHGHDRS,
    NULL,				/* connect */
    NULL,				/* helo */
    cb_envfrom,
    cb_envrcpt,
    cb_header,
    NULL,				/* eoh */
    cb_body,
    cb_eom,
    cb_abort,
    cb_close,
    NULL,				/* unknown */
    cb_data,
    cb_negotiate,
};
