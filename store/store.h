#ifndef SECMILTER_STORE_H
#define SECMILTER_STORE_H

/*++
/* NAME
/*	store 3h
/* SUMMARY
/*	the ticket store and the outbox, in one LMDB environment
/* SYNOPSIS
/*	#include "store/store.h"
/* DESCRIPTION
/*	store/ owns StateDirectory: the LMDB environment (data.mdb), the
/*	raw message copies (msg/XX/SHA256.eml, mode 0600), the kept
/*	attachments (att/XX/SHA256, mode 0600, named by the SHA-256 of
/*	their decoded content) and nothing else of the program's.
/*
/*	Databases inside the environment:
/* .IP meta
/*	"seq/YYYY" -> the last ticket number of that year (uint32).
/* .IP tickets
/*	"SEC-YYYY-NNNN" -> the ticket, a JSON document (see below).
/* .IP msgid
/*	Message-ID -> ticket ID, for every message of a ticket and every
/*	message we sent about it: duplicate deliveries and threading.
/* .IP outbox
/*	8-byte big-endian sequence -> an outgoing message (JSON).
/* .IP fp
/*	endpoint fingerprint (64 hex digits) -> the tickets that named it
/*	(dupsort; each an 8-byte key: big-endian year, then number, so the
/*	earliest ticket comes first).
/* .IP simhash
/*	ticket ID -> the SimHash of its first report (8 bytes, big-endian).
/* .IP rate
/*	normalised recipient -> the times of the automatic replies queued
/*	to it in the last day (correspond.c): AckLimitPerHour/PerDay.
/* .IP band
/*	"b<k>/<hex>" (k 0..3, the k-th 16 bits of a SimHash) -> tickets, as
/*	in fp: the candidates of a text comparison without a full scan.
/* .PP
/*	A ticket document has at least: id, state, created, updated (RFC
/*	3339), reporter, reporter_name, subject, classes, severity, scope,
/*	missing, conduct, flags, duplicate_of, eta, acked, messages[] (each:
/*	message_id, received, kind, raw, triage), history[] (each: time,
/*	operator, event, detail) and clock, the response-time clocks:
/*	{"received", "first_response", "triaged", "scheduled", "fixed"},
/*	each RFC 3339 or null until it happens. A clock is set once, the
/*	first time its event happens, and never moved.
/*
/*	Contract:
/* .IP \(bu
/*	Every write is one LMDB transaction, committed (and, by default,
/*	synced) before the function returns 0. When the map fills the
/*	store grows it and retries; when another process grew it, it
/*	adopts the new size.
/* .IP \(bu
/*	A struct store may be shared by the threads of one process: calls
/*	are serialised inside. Other processes (secticket, a second daemon)
/*	may use the same directory at the same time.
/* .IP \(bu
/*	json_t results are new references the caller json_decref()s;
/*	json_t arguments are borrowed.
/* .IP \(bu
/*	The store trusts its callers to have sanitised display strings; it
/*	never interprets message content.
/* DIAGNOSTICS
/*	-1 and a reason in the store's error buffer (store_error()); the
/*	ticket functions return STORE_NOTFOUND for an unknown ID.
/*--*/

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <jansson.h>

#include "util/util.h"

#define STORE_NOTFOUND	(-2)

#define STORE_MAP_INITIAL_BYTES	(64UL * 1024 * 1024)
#define STORE_MAP_MAX_BYTES	(64UL * 1024 * 1024 * 1024)

struct store;

#define STORE_F_CREATE	(1 << 0)	/* create the directory if missing */
#define STORE_F_NOSYNC	(1 << 1)	/* SyncCommits no (tests, benches) */
#define STORE_F_RDONLY	(1 << 2)	/* never write */
#define STORE_F_SMALLMAP (1 << 3)	/* start with a 1 MiB map (tests) */

extern struct store *store_open(const char *dir, int flags, char *err, size_t errlen);
extern void store_close(struct store *);
extern const char *store_error(const struct store *);
extern const char *store_dir(const struct store *);

/* ------------------------------------------------------------ intake */

/*
 * store_lookup_thread() looks for the ticket a message belongs to, in this
 * order: its own Message-ID (a duplicate delivery: *is_duplicate = 1), the
 * subject tag, then each reference. 1 and the ID in ticket[] when found,
 * 0 when not, -1 on error.
 */
extern int store_lookup_thread(struct store *, const char *message_id,
			               const char *subject_tag,
			               const struct strlist *references,
			               char ticket[32], int *is_duplicate);

struct store_outmsg {
    const char *from;			/* envelope sender; "" = null */
    const char *to;			/* one recipient */
    const char *message_id;		/* "<...>", indexed to the ticket */
    const char *data;			/* the whole RFC 5322 message */
    size_t  len;
    const char *ticket;			/* may be NULL */
    const char *purpose;		/* "ack", "notify", ... */
};

/*
 * A note built inside the intake transaction from the ticket document
 * (borrowed); 0 and out filled, or -1 to queue nothing.
 */
typedef int (*store_note_fn) (void *arg, json_t *ticket, struct store_outmsg *out,
			              struct sbuf *buf);

struct store_intake_result {
    int     rate_limited;		/* a reply was suppressed by a rate limit */
    int     state_changed;		/* needs_info -> acknowledged */
    int     note_queued;		/* the "information received" note */
    int     credit_set;			/* the ticket's credit was set */
    /* Where the time went, for the TimingLog (microseconds). */
    int64_t raw_copy_us;		/* spool fsync, link, directory fsync */
    int64_t lock_wait_us;		/* waiting for the store's writer lock */
    int64_t txn_us;			/* the lock wait, the transaction, its commit */
};

struct store_intake {
    const char *ticket;			/* existing ticket, or NULL = new */
    const char *message_id;		/* may be NULL */
    const char *kind;			/* "report", "followup", "automated" */
    const char *reporter;		/* sanitised address */
    const char *reporter_name;		/* sanitised display name */
    const char *subject;		/* sanitised subject */
    json_t *triage;			/* the triage JSON of the message */
    const char *spool_path;		/* raw copy to keep; NULL = none */
    const char *initial_state;		/* for a new ticket */
    const char *operator;		/* for the history */
    int     set_acked;			/* an acknowledgement is queued */
    time_t  now;
    /* A new ticket's duplicate keys, indexed in the same commit (optional). */
    char    (*fingerprints)[65];	/* from triage_fingerprints() */
    size_t  n_fingerprints;
    uint64_t simhash;			/* from triage_simhash() */
    int     has_simhash;
    /* Correspondence (correspond.c); all optional, 0/NULL = none. */
    const char *role;			/* "team": the message is the team's */
    const char *history_event;		/* a follow-up's event; NULL = its kind */
    const char *ack_suppressed;		/* why a new ticket got no ack */
    json_t *credit;			/* {"name","link","consent"}: kept on a fixed ticket */
    int     resolve_needs_info;		/* needs_info with nothing missing -> acknowledged */
    store_note_fn note;			/* then builds the "information received" note */
    void   *note_arg;
    int     rate_limit;			/* rate limit the ack and the note: */
    unsigned rate_per_hour;		/* replies to one recipient per hour */
    unsigned rate_per_day;		/* and per day */
    struct store_intake_result *result;	/* what happened; may be NULL */
};

/*
 * store_intake_commit() records one message in one transaction: a new
 * ticket (ID allocated from the year's sequence) or a new message on an
 * existing one, the Message-ID index, and the raw copy (the spool file
 * is fsync()ed and linked into msg/ first). When a Message-ID is already
 * known the call changes nothing and reports the ticket with
 * *is_duplicate = 1.
 *
 * When compose is not NULL it is called inside the transaction with the
 * ticket ID, to build an outgoing message that is queued in the same
 * commit (it returns 0 and fills out, or -1 to queue nothing). So a
 * ticket and its acknowledgement exist together or not at all.
 */
typedef int (*store_compose_fn) (void *arg, const char *ticket_id,
				         struct store_outmsg *out, struct sbuf *buf);

extern int store_intake_commit(struct store *, const struct store_intake *,
			               store_compose_fn compose, void *arg,
			               char ticket_out[32], int *is_duplicate);

/* -------------------------------------------------------- duplicates */

/*
 * store_find_duplicate() (similar.c) names the earliest ticket (lowest
 * year, then number) about the same issue: one that shares an endpoint
 * fingerprint (*similarity 1.0, *basis "fingerprint"), else one whose
 * SimHash is at least min_similarity alike (*basis "text"). Text
 * candidates come from the band index only: every ticket within 7
 * differing bits shares a band up to one bit, and is found. Tickets
 * closed as spam or invalid are never named. Work is bounded
 * (STORE_DUP_MAX_*). 1 and ticket_out filled, 0 when none, -1 on error.
 */
#define STORE_DUP_MAX_FP		16	/* fingerprints looked up */
#define STORE_DUP_MAX_PER_KEY		256	/* tickets read under one key */
#define STORE_DUP_MAX_CANDIDATES	1024	/* text candidates compared */

extern int store_find_duplicate(struct store *, char fps[][65], size_t nfp,
				        uint64_t simhash, double min_similarity,
				        char ticket_out[32], double *similarity,
				        const char **basis);

/* ----------------------------------------------------------- tickets */

extern int store_ticket_get(struct store *, const char *id, json_t **ticket);

/* All tickets, newest first; state NULL = any. */
extern int store_ticket_list(struct store *, const char *state, json_t **array);

/*
 * store_ticket_update() reads a ticket, calls edit() on the document, and
 * writes it back in the same transaction when edit() returns 0 (1 means
 * "no change", -1 aborts with the reason edit() wrote in err). Outgoing
 * messages that edit() added to *out (up to 4) are queued in the same
 * commit.
 */
typedef int (*store_edit_fn) (json_t *ticket, void *arg,
			              struct store_outmsg *out, size_t *n_out,
			              struct sbuf *bufs, char *err, size_t errlen);

#define STORE_EDIT_MAX_OUT 4

extern int store_ticket_update(struct store *, const char *id,
			               store_edit_fn edit, void *arg,
			               char *err, size_t errlen);

/* Append one history event to a ticket document (no I/O). */
extern void store_history_add(json_t *ticket, time_t, const char *operator,
			              const char *event, const char *detail);

/*
 * Clocks (see above). store_clock_mark() sets one clock of a ticket
 * document when it is still null (no I/O): 1 when set, 0 when it was
 * already set, -1 for an unknown name. A document without clocks (an
 * older store) gets them, "received" from "created". store_ticket_clock()
 * does the same in its own transaction: 0 (set or already set),
 * STORE_NOTFOUND, or -1.
 */
#define STORE_CLOCK_NAMES { "received", "first_response", "triaged", "scheduled", "fixed" }

extern int store_clock_mark(json_t *ticket, const char *name, time_t);
extern int store_ticket_clock(struct store *, const char *id, const char *name, time_t);

/* ------------------------------------------------------------- blobs */

/*
 * Attachment content, streamed into att/tmp.XXXXXX and named by its
 * SHA-256 at the end (blob.c). store_blob_end() validates the digest
 * (64 lower-case hex digits), fsyncs (unless STORE_F_NOSYNC), renames to
 * att/XX/SHA256 (or drops the copy when that exists: same content) and
 * returns the malloc()ed relative name "att/XX/SHA256", or NULL.
 * store_blob_end() and store_blob_abort() free the blob. Blobs use no
 * LMDB and no lock: any thread may write its own at any time.
 */
struct store_blob;

extern struct store_blob *store_blob_begin(struct store *);
extern int store_blob_write(struct store_blob *, const void *, size_t);
extern char *store_blob_end(struct store_blob *, const char *sha256_hex);
extern void store_blob_abort(struct store_blob *);

/* ------------------------------------------------------------ outbox */

struct outbox_item {
    uint64_t id;
    json_t *doc;			/* from, to, data, attempts, next_try,
					 * created, ticket, purpose, last_error */
};

extern int store_outbox_put(struct store *, const struct store_outmsg *, time_t now);

/* The first item due at now: 1 and *item filled, 0 when none. */
extern int store_outbox_next_due(struct store *, time_t now, struct outbox_item *);

/*
 * Up to max items due at now, oldest first, skipping the IDs in skip
 * (another sender thread has them in hand): the count, or -1.
 */
extern int store_outbox_due(struct store *, time_t now, const uint64_t *skip,
			            size_t n_skip, struct outbox_item *items, size_t max);
extern int store_outbox_done(struct store *, uint64_t id);

/*
 * store_outbox_sent() is store_outbox_done() and, when ticket is not
 * NULL, store_ticket_clock(ticket, clock, when) in one transaction (one
 * commit, one sync, where the sender made two). A missing ticket only
 * skips the clock. 0 or -1.
 */
extern int store_outbox_sent(struct store *, uint64_t id, const char *ticket,
			             const char *clock, time_t when);

/* store_outbox_sent() for n items in one transaction (one commit). */
extern int store_outbox_sent_many(struct store *, size_t n, const uint64_t *ids,
			                  const char *const *tickets, const char *clock,
			                  time_t when);
extern int store_outbox_defer(struct store *, uint64_t id, time_t next_try,
			              const char *last_error);
extern int store_outbox_list(struct store *, json_t **array);

/*
 * store_outbox_retry() puts a failed (or waiting) item back in the
 * queue: state queued, next_try now, and "requeued" now, from which the
 * sender counts OutboxMaxAge afresh. 0, STORE_NOTFOUND, or -1.
 */
extern int store_outbox_retry(struct store *, uint64_t id, time_t now);

extern void outbox_item_free(struct outbox_item *);

#endif
