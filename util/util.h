#ifndef SECMILTER_UTIL_H
#define SECMILTER_UTIL_H

/*++
/* NAME
/*	util 3h
/* SUMMARY
/*	shared utilities: bounded strings, the sanitiser, logging, configuration
/* SYNOPSIS
/*	#include "util/util.h"
/* DESCRIPTION
/*	This is the lowest layer. Every other folder may include it; it
/*	includes nothing of the project's.
/*
/*	Contract:
/* .IP \(bu
/*	struct sbuf is the only place untrusted text is accumulated. Every
/*	sbuf has a max_bytes bound; an append past it stores what fits,
/*	sets truncated and returns -1. The buffer is always NUL terminated.
/*	The caller owns the sbuf and frees it with sbuf_free().
/* .IP \(bu
/*	sm_sanitize() is the one sanitiser for anything a sender wrote that
/*	goes to a header, a log line, a reply or a file name: it removes
/*	C0 controls (CR and LF included) and DEL, replaces invalid UTF-8
/*	with '?', folds runs of white space and bounds the length at a
/*	character boundary. The result is malloc()ed; the caller frees it.
/* .IP \(bu
/*	sm_log() is thread safe. It never receives message text.
/* .IP \(bu
/*	struct sm_config is read once and then only read: it is safe to
/*	share between threads without locks. sm_config_free() releases it.
/* DIAGNOSTICS
/*	Functions return -1 (or NULL) with errno set; none aborts on input.
/*	sm_panic() is for broken internal invariants only.
/*--*/

#include <stddef.h>
#include <sys/types.h>
#include <stdint.h>
#include <stdarg.h>
#include <time.h>
#include <syslog.h>

/* Exit codes, sysexits(3) values, used by both programs. */
#define SM_EX_OK	0
#define SM_EX_USAGE	64
#define SM_EX_DATAERR	65
#define SM_EX_NOINPUT	66
#define SM_EX_SOFTWARE	70
#define SM_EX_OSERR	71
#define SM_EX_CANTCREAT	73
#define SM_EX_IOERR	74
#define SM_EX_TEMPFAIL	75
#define SM_EX_CONFIG	78

/* ---------------------------------------------------------------- sbuf */

struct sbuf {
    char   *data;			/* always NUL terminated once used */
    size_t  len;
    size_t  cap;
    size_t  max_bytes;			/* hard bound on len */
    int     truncated;			/* an append was cut */
};

#define SBUF_INIT(max) { NULL, 0, 0, (max), 0 }

extern void sbuf_init(struct sbuf *, size_t max_bytes);
extern int sbuf_append(struct sbuf *, const char *, size_t);
extern int sbuf_puts(struct sbuf *, const char *);
extern int sbuf_putc(struct sbuf *, int);
extern int sbuf_printf(struct sbuf *, const char *,...)
	__attribute__((format(printf, 2, 3)));
extern const char *sbuf_str(const struct sbuf *);	/* "" when empty */
extern char *sbuf_steal(struct sbuf *);	/* caller frees; sbuf is reset */
extern void sbuf_reset(struct sbuf *);
extern void sbuf_free(struct sbuf *);

/* ------------------------------------------------------------ strlist */

struct strlist {
    char  **v;
    size_t  n;
    size_t  cap;
};

#define STRLIST_INIT { NULL, 0, 0 }

extern int strlist_add(struct strlist *, const char *);	/* copies */
extern int strlist_add_unique(struct strlist *, const char *);
extern int strlist_contains(const struct strlist *, const char *);
extern int strlist_contains_nocase(const struct strlist *, const char *);
extern void strlist_free(struct strlist *);

/* ----------------------------------------------------------- sanitiser */

#define SM_SANITIZE_LOG_MAX	200	/* bytes of one sender field in a log */
#define SM_SANITIZE_HDR_MAX	900	/* bytes of one header value */
#define SM_SANITIZE_NAME_MAX	100	/* bytes of a file name component */

extern char *sm_sanitize(const char *, size_t len, size_t max_bytes);
extern char *sm_sanitize_str(const char *, size_t max_bytes);	/* NULL -> "" */
extern char *sm_sanitize_filename(const char *, size_t max_bytes);
extern int sm_utf8_valid(const char *, size_t);
extern size_t sm_utf8_seq_len(const unsigned char *, size_t);

/* ---------------------------------------------------------- addresses */

/*
 * sm_addr_normalize() strips angle brackets and white space, lower-cases
 * the domain and local part, and drops a +tag subaddress. The result is
 * malloc()ed; NULL when the input holds no address ("<>" gives "").
 */
extern char *sm_addr_normalize(const char *);
extern char *sm_addr_domain(const char *);	/* malloc()ed, lower case */
extern size_t sm_addr_local(const char *, char *, size_t);	/* 0: none or too long */

/* -------------------------------------------------------------- logging */

extern void sm_log_open(const char *ident, int to_stderr);
extern void sm_log_set_debug(int);
extern void sm_log(int prio, const char *qid, const char *,...)
	__attribute__((format(printf, 3, 4)));
extern void sm_vlog(int prio, const char *qid, const char *, va_list);
extern void sm_panic(const char *,...)
	__attribute__((format(printf, 1, 2), noreturn));

/* ---------------------------------------------------------------- time */

extern void sm_rfc3339(time_t, char *buf, size_t len);	/* UTC, "Z" */
extern void sm_rfc5322_date(time_t, char *buf, size_t len);
extern int64_t sm_now_ms(void);
extern int64_t sm_now_us(void);		/* monotonic, for durations */
extern time_t sm_parse_ymd(const char *);	/* YYYY-MM-DD; -1 when bad */

/* ------------------------------------------------------------- files */

extern int sm_mkdir_p(const char *path, int mode);
extern int sm_fsync_dir(const char *path);
extern int sm_listen_nodelay(void);
extern char *sm_hostname(void);		/* malloc()ed */
extern void sm_random_hex(char *buf, size_t nbytes);	/* writes 2n+1 */
extern void sm_hex(const unsigned char *, size_t n, char *buf);	/* writes 2n+1 */
extern int sm_write_all(int fd, const void *, size_t);	/* 0, or -1 and errno */
extern ssize_t sm_read_all(int fd, void *, size_t);	/* < len only at EOF */

/* ------------------------------------------------------ configuration */

/* Default limits; each is a configuration key of the same name. */
#define SM_DEF_MAX_MESSAGE_BYTES	(50UL * 1024 * 1024)
#define SM_DEF_MAX_TEXT_BYTES		(1UL * 1024 * 1024)
#define SM_DEF_MAX_HEADER_BYTES		(256UL * 1024)
#define SM_DEF_MAX_MIME_DEPTH		20
#define SM_DEF_MAX_MIME_PARTS		500
#define SM_DEF_MAX_ATTACHMENTS		100
#define SM_DEF_MAX_PART_BYTES		(50UL * 1024 * 1024)
#define SM_DEF_MAX_ATTACHMENT_BYTES	(25UL * 1024 * 1024)
#define SM_DEF_TRIAGE_CPU_MS		2000
#define SM_DEF_MAX_ZIP_ENTRIES		10000
#define SM_DEF_MAX_ZIP_RATIO		100
#define SM_DEF_TRIAGE_TARGET_DAYS	5
#define SM_DEF_ACK_TARGET_HOURS		24
#define SM_DEF_DUPLICATE_SIMILARITY	0.90	/* SimHash similarity, 0.5..1 */
#define SM_DEF_OUTBOX_MAX_AGE_S		(5U * 24 * 3600)	/* OutboxMaxAge 5d */
#define SM_DEF_OUTBOX_RETRY_MIN_S	30	/* first retry delay */
#define SM_DEF_RESPONSE_TARGET_MINUTES	60	/* first response target */
#define SM_DEF_ACK_LIMIT_PER_HOUR	5	/* automatic replies to one address */
#define SM_DEF_ACK_LIMIT_PER_DAY	20
#define SM_DEF_TIME_FRAME_CRITICAL	7	/* days to a fix, by severity */
#define SM_DEF_TIME_FRAME_HIGH		30
#define SM_DEF_TIME_FRAME_MEDIUM	90
#define SM_DEF_TIME_FRAME_LOW		180
#define SM_ACK_LIMIT_MAX		1000	/* highest AckLimitPerDay */

struct sm_config {
    char   *socket;			/* Socket */
    struct strlist security_addrs;	/* SecurityAddress, normalised */
    char   *state_dir;			/* StateDirectory */
    struct strlist in_scope_domains;	/* InScopeDomains, lower case */
    char   *ack_from;			/* AckFrom; NULL = derived */
    char   *sendmail;			/* Sendmail */
    char   *submit_server;		/* SubmitServer; NULL = use Sendmail */
    char   *authserv_id;		/* AuthservID; NULL = host name */
    char   *policy_url;			/* PolicyURL; NULL = none */
    char   *organization;		/* Organization: name in replies */
    size_t  max_message_bytes;		/* MaxMessageBytes */
    size_t  max_text_bytes;		/* MaxTextBytes */
    size_t  max_header_bytes;		/* MaxHeaderBytes */
    unsigned max_mime_depth;		/* MaxMimeDepth */
    unsigned max_mime_parts;		/* MaxMimeParts */
    unsigned max_attachments;		/* MaxAttachments */
    size_t  max_part_bytes;		/* MaxPartBytes */
    size_t  max_attachment_bytes;	/* MaxAttachmentBytes (kept) */
    unsigned triage_cpu_ms;		/* TriageCpuMs; 0 = unlimited */
    unsigned max_zip_entries;		/* MaxZipEntries */
    unsigned max_zip_ratio;		/* MaxZipRatio */
    int     keep_attachments;		/* KeepAttachments (yes) */
    unsigned ack_target_hours;		/* AckTargetHours */
    unsigned triage_target_days;	/* TriageTargetDays */
    int     sync;			/* SyncCommits (yes) */
    char   *timing_log;			/* TimingLog; NULL = off */
    char   *rules_file;			/* RulesFile; NULL = built-in rules */
    char   *template_dir;		/* TemplateDirectory; NULL = built-in */
    double  duplicate_similarity;	/* DuplicateSimilarity */
    unsigned outbox_max_age_s;		/* OutboxMaxAge */
    unsigned outbox_retry_min_s;	/* OutboxRetryMinSeconds */
    unsigned response_target_minutes;	/* ResponseTargetMinutes */
    struct strlist team_addrs;		/* TeamAddresses, normalised */
    unsigned ack_limit_per_hour;	/* AckLimitPerHour */
    unsigned ack_limit_per_day;		/* AckLimitPerDay */
    unsigned time_frame_days[4];	/* TimeFrameLow, Medium, High, Critical */
};

/*
 * sm_config_init() fills the built-in defaults. sm_config_load() reads a
 * file over them; on error it returns -1 and writes "FILE:LINE: KEY: why"
 * into err, and the config is left as it was before the call.
 */
extern void sm_config_init(struct sm_config *);
extern int sm_config_load(struct sm_config *, const char *path,
			          char *err, size_t errlen);
extern int sm_config_set(struct sm_config *, const char *key,
			         const char *value, char *err, size_t errlen);
extern void sm_config_free(struct sm_config *);

/* Derived values: AckFrom and AuthservID defaults; caller frees. */
extern char *sm_config_ack_from(const struct sm_config *);
extern char *sm_config_authserv_id(const struct sm_config *);

/* Recipient matching per INTERFACE.md: 1 when addr is an intake address. */
extern int sm_config_is_security_addr(const struct sm_config *, const char *addr);

/* TeamAddresses matching: 1 when addr (any form) is a team address. */
extern int sm_config_is_team_addr(const struct sm_config *, const char *addr);

/*
 * 1 when addr is one of ours: SecurityAddress (or the default
 * security@ local part), AckFrom, or TeamAddresses. Nobody replies to us.
 */
extern int sm_config_is_own_addr(const struct sm_config *, const char *addr);

/* InScopeDomains matching: 1 in, 0 out, -1 when the list is empty. */
extern int sm_config_host_in_scope(const struct sm_config *, const char *host);

#endif
