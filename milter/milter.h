#ifndef SECMILTER_MILTER_H
#define SECMILTER_MILTER_H

/*++
/* NAME
/*	milter 3h
/* SUMMARY
/*	the daemon: MTA protocol, and the intake pipeline it drives
/* SYNOPSIS
/*	#include "milter/milter.h"
/* DESCRIPTION
/*	milter/ is the top of the data flow: callbacks.c speaks the milter
/*	protocol through libmilter, intake.c runs parse -> triage -> store
/*	-> queue the acknowledgement for one spooled message, and
/*	secmilter.c is main(): flags, configuration, privileges, -t and -n.
/*
/*	Contract:
/* .IP \(bu
/*	Mail for nobody in SecurityAddress is accepted at DATA: never
/*	spooled, never changed.
/* .IP \(bu
/*	Mail for security@ is never rejected or delayed for what it holds.
/*	Any internal failure accepts the message unchanged and logs why.
/* .IP \(bu
/*	A ticket is committed before end-of-message returns.
/* .IP \(bu
/*	struct intake_env is built once at start and only read by the
/*	connection threads; each connection owns its struct intake_result.
/*--*/

#include <jansson.h>

#include "util/util.h"
#include "parser/report.h"
#include "classify/triage.h"
#include "store/store.h"
#include "notify/notify.h"

struct intake_env {
    const struct sm_config *cfg;
    struct report_limits limits;
    struct store *store;		/* NULL for secmilter -t */
    struct notify_sender *sender;	/* NULL for secmilter -t */
};

struct intake_result {
    char    ticket[32];			/* "" when no ticket */
    int     duplicate;			/* a Message-ID seen before */
    enum triage_kind kind;
    int     tag_subject;		/* add "[ticket] " to the Subject */
    int     acked;			/* an acknowledgement was queued */
    struct sbuf triage_hdr;		/* X-Security-Triage value */
    char    summary[256];		/* for the log: vocabulary words only */
    /* Where the end of message went, for the TimingLog (microseconds). */
    int64_t triage_us;			/* parse and classify */
    int64_t duplicate_us;		/* keys and the duplicate lookup */
    int64_t raw_copy_us, lock_wait_us, txn_us;	/* store_intake_result's */
};

extern void intake_result_init(struct intake_result *);
extern void intake_result_free(struct intake_result *);

/*
 * intake_triage() parses and classifies one message from fd and, with a
 * store, decides whether it is a follow-up. It is all secmilter -t runs.
 * report_flags (REPORT_F_*) are what the caller knows of the message
 * already, e.g. REPORT_F_OVERSIZE when the spool was cut.
 */
extern int intake_triage(const struct intake_env *, int fd, const char *sender,
			         unsigned report_flags, struct report *, struct triage *);

/*
 * intake_message() is the daemon's end of message: intake_triage(), then
 * the ticket commit (with the acknowledgement in the same transaction).
 * 0 when res says what to annotate; -1 when the message must pass
 * unchanged (the reason is logged).
 */
extern int intake_message(const struct intake_env *, const char *qid, int fd,
			          const char *spool_path, const char *sender,
			          unsigned report_flags, struct intake_result *);

/* secmilter -t: one JSON line per file on stdout; the exit status. */
extern int intake_offline(const struct intake_env *, char **files, int nfiles);

/* master.c: run worker(arg) in a supervised child; the exit status. */
extern int master_run(int (*worker) (void *), void *arg);

/* reload.c: (re)load what SIGHUP reloads; -1 when the first load fails. */
extern int milter_reload(struct intake_env *);

/*
 * The classifier's rules in force, shared by the connection threads.
 * milter_rules_install() loads cfg->rules_file (NULL cfg: drop them) and
 * swaps it in only when it loads; acquire() pins the set in force (NULL
 * means the built-in rules) until release(), so a reload never frees
 * rules a triage still uses.
 */
extern int milter_rules_install(const struct sm_config *, char *err, size_t errlen);
extern const struct triage_rules *milter_rules_acquire(void **token);
extern void milter_rules_release(void *token);

/* callbacks.c */
extern struct smfiDesc milter_desc;
extern void milter_set_env(const struct intake_env *);

#endif
