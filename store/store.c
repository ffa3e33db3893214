/*++
/* NAME
/*	store 3
/* SUMMARY
/*	tickets in LMDB: open, intake, lookup, update, list
/* SYNOPSIS
/*	#include "store/store.h"
/* DESCRIPTION
/*	See store.h for the layout and the contract. This file holds the
/*	environment, the intake of a message and the ticket documents.
/*	outbox.c holds the outbox on top of the same environment.
/*
/*	Every write goes through store_write() (commit.c), which commits
/*	the steps of concurrent callers together and retries them after
/*	MDB_MAP_FULL (doubling the map) or MDB_MAP_RESIZED (another
/*	process grew it). The step functions it calls therefore recompute
/*	everything from the transaction and have no side effect outside it.
/* DIAGNOSTICS
/*	-1 with the reason in store_error(); STORE_NOTFOUND for a ticket
/*	that does not exist.
/*--*/

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lmdb.h>

#include "util/util.h"
#include "store/store.h"
#include "store/store_private.h"

#define STORE_MSGID_MAX		480	/* longest Message-ID indexed */
#define STORE_REFS_MAX		50	/* references looked at */
#define STORE_MAX_DBS		16	/* named databases, with room to add */
#define STORE_DOC_MAX_BYTES	(1UL << 30)	/* a document LMDB could hold, and more */

static int intake_step(struct store *, MDB_txn *, void *);
static void store_map_lock_init(pthread_rwlock_t *);
static int update_step(struct store *, MDB_txn *, void *);

/* store_fail - record a reason; always returns -1 */

int     store_fail(struct store *st, const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(st->err, sizeof(st->err), fmt, ap);
    va_end(ap);
    return (-1);
}

const char *store_error(const struct store *st)
{
    return (st->err);
}

const char *store_dir(const struct store *st)
{
    return (st->dir);
}

struct store *store_open(const char *dir, int flags, char *err, size_t errlen)
{
    struct store *st;
    struct stat sb;
    MDB_txn *txn;
    int     rc;
    unsigned envflags = MDB_NOTLS;
    unsigned dbflags = (flags & STORE_F_RDONLY) ? 0 : MDB_CREATE;
    char    path[4096];

    /*
     * The directory: created (0700) only when asked; a missing or
     * unusable one is named in the error.
     */
    if (stat(dir, &sb) < 0) {
	if (errno != ENOENT || !(flags & STORE_F_CREATE)) {
	    snprintf(err, errlen, "store %s: %s", dir, strerror(errno));
	    return (NULL);
	}
	if (sm_mkdir_p(dir, 0700) < 0) {
	    snprintf(err, errlen, "store %s: cannot create: %s", dir, strerror(errno));
	    return (NULL);
	}
    } else if (!S_ISDIR(sb.st_mode)) {
	snprintf(err, errlen, "store %s: not a directory", dir);
	return (NULL);
    }
    if ((st = calloc(1, sizeof(*st))) == NULL) {
	snprintf(err, errlen, "store %s: out of memory", dir);
	return (NULL);
    }
    pthread_mutex_init(&st->lock, NULL);
    store_map_lock_init(&st->map_lock);
    pthread_mutex_init(&st->queue_lock, NULL);
    pthread_cond_init(&st->queue_cond, NULL);
    st->queue_tail = &st->queue;
    st->dir = strdup(dir);
    st->flags = flags;

    /* Sub-directories for raw copies and the milter's spool. */
    if (!(flags & STORE_F_RDONLY)) {
	snprintf(path, sizeof(path), "%s/msg", dir);
	if (sm_mkdir_p(path, 0700) < 0) {
	    snprintf(err, errlen, "store %s: cannot create %s: %s", dir, path, strerror(errno));
	    goto fail;
	}
    }

    /* The environment; the map starts at its last size or the default. */
    if ((rc = mdb_env_create(&st->env)) != 0
	|| (rc = mdb_env_set_maxdbs(st->env, STORE_MAX_DBS)) != 0
	|| (rc = mdb_env_set_maxreaders(st->env, 256)) != 0) {
	snprintf(err, errlen, "store %s: %s", dir, mdb_strerror(rc));
	goto fail;
    }
    snprintf(path, sizeof(path), "%s/data.mdb", dir);
    st->mapsize = (flags & STORE_F_SMALLMAP) ? 1024 * 1024 : STORE_MAP_INITIAL_BYTES;
    if (stat(path, &sb) == 0 && (size_t) sb.st_size > st->mapsize)
	st->mapsize = (size_t) sb.st_size;
    mdb_env_set_mapsize(st->env, st->mapsize);
    if (flags & STORE_F_NOSYNC)
	envflags |= MDB_NOSYNC;
    if (flags & STORE_F_RDONLY)
	envflags |= MDB_RDONLY;
    if ((rc = mdb_env_open(st->env, dir, envflags, 0600)) != 0) {
	snprintf(err, errlen, "store %s: cannot open LMDB environment: %s", dir, mdb_strerror(rc));
	goto fail;
    }

    /* The named databases, created on first use. */
    if ((rc = mdb_txn_begin(st->env, NULL, (flags & STORE_F_RDONLY) ? MDB_RDONLY : 0, &txn)) != 0) {
	snprintf(err, errlen, "store %s: %s", dir, mdb_strerror(rc));
	goto fail;
    }
    if ((rc = mdb_dbi_open(txn, "meta", dbflags, &st->db_meta)) != 0
	|| (rc = mdb_dbi_open(txn, "tickets", dbflags, &st->db_tickets)) != 0
	|| (rc = mdb_dbi_open(txn, "msgid", dbflags, &st->db_msgid)) != 0
	|| (rc = mdb_dbi_open(txn, "outbox", dbflags, &st->db_outbox)) != 0
	|| (rc = store_similar_open(st, txn, (flags & STORE_F_RDONLY) != 0)) != 0
	|| (rc = store_rate_open(st, txn, (flags & STORE_F_RDONLY) != 0)) != 0) {
	mdb_txn_abort(txn);
	snprintf(err, errlen, "store %s: %s%s", dir, mdb_strerror(rc),
		 rc == MDB_NOTFOUND ? " (an empty store: nothing recorded yet)" : "");
	goto fail;
    }
    if ((rc = mdb_txn_commit(txn)) != 0) {
	snprintf(err, errlen, "store %s: %s", dir, mdb_strerror(rc));
	goto fail;
    }
    return (st);

fail:
    store_close(st);
    return (NULL);
}

void    store_close(struct store *st)
{
    if (st == NULL)
	return;
    if (st->env)
	mdb_env_close(st->env);
    pthread_mutex_destroy(&st->lock);
    pthread_rwlock_destroy(&st->map_lock);
    pthread_mutex_destroy(&st->queue_lock);
    pthread_cond_destroy(&st->queue_cond);
    free(st->dir);
    free(st);
}

/* store_map_lock_init - readers share, a map change waits for them all */

static void store_map_lock_init(pthread_rwlock_t *lock)
{
    pthread_rwlockattr_t attr;

    /*
     * A map change waits for every open transaction of this process,
     * and none begins while it waits (else a steady stream of readers
     * would hold the growth, and the writer, off for good).
     */
    pthread_rwlockattr_init(&attr);
#if defined(__GLIBC__) && defined(__USE_GNU)
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
    pthread_rwlock_init(lock, &attr);
    pthread_rwlockattr_destroy(&attr);
}

/* store_map_adopt - take the size another process gave the map */

void    store_map_adopt(struct store *st)
{
    pthread_rwlock_wrlock(&st->map_lock);
    mdb_env_set_mapsize(st->env, 0);
    pthread_rwlock_unlock(&st->map_lock);
}

/*
 * store_read_begin - a read transaction, adopting a grown map. LMDB
 * remaps the file when the map changes: a transaction open in another
 * thread would then read unmapped memory. So every transaction holds
 * map_lock shared until store_read_end(), and a change of the map
 * takes it exclusive.
 */

int     store_read_begin(struct store *st, MDB_txn **txn)
{
    int     rc;

    for (int attempt = 0; attempt < 4; attempt++) {
	pthread_rwlock_rdlock(&st->map_lock);
	if ((rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, txn)) == 0)
	    return (0);
	pthread_rwlock_unlock(&st->map_lock);
	if (rc == MDB_MAP_RESIZED) {
	    store_map_adopt(st);
	    continue;
	}
	return (store_fail(st, "store %s: read: %s", st->dir, mdb_strerror(rc)));
    }
    return (store_fail(st, "store %s: map keeps changing", st->dir));
}

/* store_read_end - end a transaction of store_read_begin() */

void    store_read_end(struct store *st, MDB_txn *txn)
{
    mdb_txn_abort(txn);
    pthread_rwlock_unlock(&st->map_lock);
}

/* store_put - mdb_put that remembers a full map for store_write() */

int     store_put(struct store *st, MDB_txn *txn, MDB_dbi dbi, const void *k,
		          size_t klen, const void *v, size_t vlen)
{
    MDB_val key = {klen, (void *) k};
    MDB_val val = {vlen, (void *) v};
    int     rc;

    if ((rc = mdb_put(txn, dbi, &key, &val, 0)) != 0) {
	st->mdb_rc = rc;
	if (rc == MDB_MAP_FULL)
	    return (STORE_STEP_FULL);
	return (store_fail(st, "store %s: put: %s", st->dir, mdb_strerror(rc)));
    }
    return (0);
}

/* store_put_doc - a document under a key of any bytes */

int     store_put_doc(struct store *st, MDB_txn *txn, MDB_dbi dbi,
		              const void *key, size_t klen, json_t *doc)
{
    struct sbuf text;
    char   *slow;
    int     r;

    /* Our dump, byte for byte json_dumps()'s; Jansson's when ours declines. */
    sbuf_init(&text, STORE_DOC_MAX_BYTES);
    if (store_json_dump(doc, 15, &text) == 0) {
	r = store_put(st, txn, dbi, key, klen, text.data, text.len);
	sbuf_free(&text);
	return (r);
    }
    sbuf_free(&text);
    if ((slow = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(15))) == NULL)
	return (store_fail(st, "store %s: cannot serialise a document", st->dir));
    r = store_put(st, txn, dbi, key, klen, slow, strlen(slow));
    free(slow);
    return (r);
}

int     store_put_json(struct store *st, MDB_txn *txn, MDB_dbi dbi,
		               const char *key, json_t *doc)
{
    return (store_put_doc(st, txn, dbi, key, strlen(key), doc));
}

/* store_get_json - 0 and *doc, STORE_NOTFOUND, or -1 */

int     store_get_json(struct store *st, MDB_txn *txn, MDB_dbi dbi,
		               const char *key, json_t **doc)
{
    MDB_val k = {strlen(key), (void *) key};
    MDB_val v;
    json_error_t jerr;
    int     rc;

    if ((rc = mdb_get(txn, dbi, &k, &v)) == MDB_NOTFOUND)
	return (STORE_NOTFOUND);
    if (rc != 0)
	return (store_fail(st, "store %s: get %s: %s", st->dir, key, mdb_strerror(rc)));
    if ((*doc = json_loadb(v.mv_data, v.mv_size, 0, &jerr)) == NULL)
	return (store_fail(st, "store %s: record %s is corrupt: %s", st->dir, key, jerr.text));
    return (0);
}

/* store_get_str - a small string value into buf */

static int store_get_str(MDB_txn *txn, MDB_dbi dbi, const char *key, char *buf, size_t len)
{
    MDB_val k = {strlen(key), (void *) key};
    MDB_val v;

    if (strlen(key) == 0 || strlen(key) > STORE_MSGID_MAX)
	return (0);
    if (mdb_get(txn, dbi, &k, &v) != 0 || v.mv_size >= len)
	return (0);
    memcpy(buf, v.mv_data, v.mv_size);
    buf[v.mv_size] = 0;
    return (1);
}

/* ------------------------------------------------------------ lookup */

int     store_lookup_thread(struct store *st, const char *message_id,
			            const char *subject_tag,
			            const struct strlist *refs,
			            char ticket[32], int *is_duplicate)
{
    MDB_txn *txn;
    int     found = 0;

    *is_duplicate = 0;
    if (store_read_begin(st, &txn) < 0)
	return (-1);

    /*
     * Order matters: the message's own ID first (a retry of a delivery
     * we saw), then the tag the reporter kept, then the thread.
     */
    if (message_id && store_get_str(txn, st->db_msgid, message_id, ticket, 32)) {
	*is_duplicate = 1;
	found = 1;
    }
    if (!found && subject_tag && *subject_tag) {
	MDB_val k = {strlen(subject_tag), (void *) subject_tag};
	MDB_val v;

	if (mdb_get(txn, st->db_tickets, &k, &v) == 0 && strlen(subject_tag) < 32) {
	    strcpy(ticket, subject_tag);
	    found = 1;
	}
    }
    for (size_t i = 0; !found && refs && i < refs->n && i < STORE_REFS_MAX; i++)
	if (store_get_str(txn, st->db_msgid, refs->v[i], ticket, 32))
	    found = 1;
    store_read_end(st, txn);
    return (found);
}

/* ------------------------------------------------------------ intake */

void    store_history_add(json_t *ticket, time_t when, const char *operator,
			          const char *event, const char *detail)
{
    json_t *hist = json_object_get(ticket, "history");
    char    ts[32];

    if (!json_is_array(hist)) {
	hist = json_array();
	json_object_set_new(ticket, "history", hist);
    }
    sm_rfc3339(when, ts, sizeof(ts));
    json_array_append_new(hist, json_pack("{s:s, s:s, s:s, s:s}",
					  "time", ts,
					  "operator", operator ? operator : "secmilter",
					  "event", event,
					  "detail", detail ? detail : ""));
}

/* clock_object - the ticket's clocks, made (received = created) when missing */

static json_t *clock_object(json_t *ticket)
{
    static const char *const names[] = STORE_CLOCK_NAMES;
    json_t *clock = json_object_get(ticket, "clock");

    if (json_is_object(clock))
	return (clock);
    clock = json_object();
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
	json_object_set_new(clock, names[i], json_null());
    if (json_is_string(json_object_get(ticket, "created")))
	json_object_set(clock, "received", json_object_get(ticket, "created"));
    json_object_set_new(ticket, "clock", clock);
    return (clock);
}

int     store_clock_mark(json_t *ticket, const char *name, time_t when)
{
    static const char *const names[] = STORE_CLOCK_NAMES;
    json_t *clock;
    char    ts[32];
    size_t  i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
	if (strcmp(name, names[i]) == 0)
	    break;
    if (i == sizeof(names) / sizeof(names[0]))
	return (-1);
    clock = clock_object(ticket);
    if (json_is_string(json_object_get(clock, name)))
	return (0);
    sm_rfc3339(when, ts, sizeof(ts));
    json_object_set_new(clock, name, json_string(ts));
    return (1);
}

struct intake_ctx {
    const struct store_intake *in;
    store_compose_fn compose;
    void   *arg;
    const char *raw_rel;		/* "msg/xxxx.eml" or NULL */
    char    ticket[32];
    int     duplicate;
    struct sbuf outbuf;
    int64_t write_start_us;		/* store_write() called */
    int64_t lock_wait_us;		/* until the first step ran */
};

/* next_ticket_id - take the next number of the year */

static int next_ticket_id(struct store *st, MDB_txn *txn, time_t now, char id[32])
{
    char    key[16], val[16];
    struct tm tm;
    unsigned long n = 0;
    int     r;

    gmtime_r(&now, &tm);
    snprintf(key, sizeof(key), "seq/%04d", tm.tm_year + 1900);
    if (store_get_str(txn, st->db_meta, key, val, sizeof(val)))
	n = strtoul(val, NULL, 10);
    n++;
    snprintf(val, sizeof(val), "%lu", n);
    if ((r = store_put(st, txn, st->db_meta, key, strlen(key), val, strlen(val))) != 0)
	return (r);
    snprintf(id, 32, "SEC-%04d-%04lu", tm.tm_year + 1900, n);
    return (0);
}

/* copy_summary - the ticket's summary fields from a message's triage */

/*
 * What a person must do by hand, said on the ticket itself: a flag of a
 * message's triage and the sentence the ticket carries for it.
 */
static const char *const attention_texts[][2] = {
    {"encrypted", "the report body is encrypted (PGP or S/MIME): it needs manual decryption"},
    {"unverified_sender", "the sender could not be verified (DMARC/SPF/DKIM): no reply was sent"},
    {"triage_timeout", "triage ran out of its CPU budget: read the report in full"},
    {"zip_bomb", "an attached archive is past the size limits: do not unpack it"},
};

/* add_attention - the ticket's "attention" list, one sentence per flag */

static void add_attention(json_t *ticket, json_t *triage)
{
    json_t *flags = json_object_get(triage, "flags"), *att, *f;
    size_t  i;

    json_array_foreach(flags, i, f) {
	for (size_t k = 0; k < sizeof(attention_texts) / sizeof(attention_texts[0]); k++) {
	    if (!json_is_string(f) || strcmp(json_string_value(f), attention_texts[k][0]) != 0)
		continue;
	    if (!json_is_array(att = json_object_get(ticket, "attention"))) {
		att = json_array();
		json_object_set_new(ticket, "attention", att);
	    }
	    {
		json_t *text = json_string(attention_texts[k][1]);
		size_t  j;
		json_t *have;
		int     dup = 0;

		json_array_foreach(att, j, have)
		    dup |= json_equal(have, text);
		if (!dup)
		    json_array_append(att, text);
		json_decref(text);
	    }
	}
    }
}

static void copy_summary(json_t *ticket, json_t *triage, int first)
{
    static const char *const fields[] = {"classes", "scope", "severity", "conduct", "flags", "cvss"};
    json_t *v;

    add_attention(ticket, triage);

    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
	v = json_object_get(triage, fields[i]);
	if (v == NULL)
	    continue;
	if (!first && (json_is_null(v) || (json_is_array(v) && json_array_size(v) == 0)))
	    continue;
	/* A severity the team set is theirs: triage never overrides it. */
	if (!first && strcmp(fields[i], "severity") == 0
	    && json_is_true(json_object_get(ticket, "severity_by_team")))
	    continue;
	json_object_set(ticket, fields[i], v);
    }

    /* Completeness is the union over the messages: missing shrinks. */
    v = json_object_get(triage, "missing");
    if (first || !json_is_array(json_object_get(ticket, "missing"))) {
	json_object_set_new(ticket, "missing", v ? json_incref(v) : json_array());
    } else if (json_is_array(v)) {
	json_t *old = json_object_get(ticket, "missing");
	json_t *keep = json_array();
	size_t  i, j;
	json_t *a, *b;

	json_array_foreach(old, i, a) {
	    json_array_foreach(v, j, b) {
		if (json_equal(a, b)) {
		    json_array_append(keep, a);
		    break;
		}
	    }
	}
	json_object_set_new(ticket, "missing", keep);
    }
}

static int intake_step(struct store *st, MDB_txn *txn, void *varg)
{
    struct intake_ctx *c = varg;
    const struct store_intake *in = c->in;
    json_t *ticket = NULL, *msg;
    char    ts[32];
    int     r, first = 0;
    struct store_outmsg out;

    c->duplicate = 0;
    sbuf_reset(&c->outbuf);
    if (c->lock_wait_us < 0)
	c->lock_wait_us = sm_now_us() - c->write_start_us;
    if (in->result)
	memset(in->result, 0, sizeof(*in->result));

    /* A Message-ID we know: a duplicate delivery changes nothing. */
    if (in->message_id && store_get_str(txn, st->db_msgid, in->message_id, c->ticket, sizeof(c->ticket))) {
	c->duplicate = 1;
	return (1);
    }

    /* The ticket: the one named, or a new one. */
    if (in->ticket) {
	if ((r = store_get_json(st, txn, st->db_tickets, in->ticket, &ticket)) != 0)
	    return (r == STORE_NOTFOUND ? store_fail(st, "ticket %s not found", in->ticket) : r);
	snprintf(c->ticket, sizeof(c->ticket), "%s", in->ticket);
    } else {
	if ((r = next_ticket_id(st, txn, in->now, c->ticket)) != 0)
	    return (r);
	sm_rfc3339(in->now, ts, sizeof(ts));
	ticket = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[], s:n, s:s, s:[], s:[], s:[], s:n, s:n, s:b, s:[], s:[], s:[]}",
			   "id", c->ticket,
			   "state", in->initial_state ? in->initial_state : "new",
			   "created", ts, "updated", ts,
			   "reporter", in->reporter ? in->reporter : "",
			   "reporter_name", in->reporter_name ? in->reporter_name : "",
			   "subject", in->subject ? in->subject : "",
			   "classes", "severity", "scope", "unclear",
			   "missing", "conduct", "flags",
			   "duplicate_of", "eta", "acked", 0,
			   "notes", "messages", "history");
	if (ticket == NULL)
	    return (store_fail(st, "cannot build ticket document"));
	store_clock_mark(ticket, "received", in->now);
	first = 1;
	store_history_add(ticket, in->now, in->operator, "created",
			  in->initial_state ? in->initial_state : "new");
    }

    /* The message, with its triage and the place of its raw copy. */
    sm_rfc3339(in->now, ts, sizeof(ts));
    msg = json_pack("{s:s?, s:s, s:s, s:s?, s:O?}",
		    "message_id", in->message_id,
		    "received", ts,
		    "kind", in->kind ? in->kind : "report",
		    "raw", c->raw_rel,
		    "triage", in->triage);
    json_array_append_new(json_object_get(ticket, "messages"), msg);
    /* The team's own mail says nothing about the report's completeness. */
    if (in->triage && strcmp(in->kind ? in->kind : "report", "automated") != 0
	&& in->role == NULL)
	copy_summary(ticket, in->triage, first);
    if (first && in->triage) {
	json_t *dup = json_object_get(in->triage, "duplicate_of");

	if (json_is_string(dup))
	    json_object_set(ticket, "duplicate_of", dup);
    }
    if (!first)
	store_history_add(ticket, in->now, in->operator,
			  in->history_event ? in->history_event : in->kind ? in->kind : "followup",
			  in->message_id ? in->message_id : "");
    if ((r = store_correspond_txn(st, txn, in, ticket, msg, first)) != 0)
	goto fail;
    json_object_set_new(ticket, "updated", json_string(ts));

    /* The acknowledgement, built now that the ticket has its ID. */
    if (c->compose) {
	memset(&out, 0, sizeof(out));
	/* A recipient past its rate limit gets no reply (correspond.c). */
	if (c->compose(c->arg, c->ticket, &out, &c->outbuf) == 0
	    && (r = store_rate_take_txn(st, txn, in, ticket, first, out.to)) != 0) {
	    if (r < 0 || (r = store_outbox_put_txn(st, txn, &out, in->now)) != 0)
		goto fail;
	    if (in->set_acked) {
		json_object_set_new(ticket, "acked", json_true());
		if (out.message_id)
		    json_object_set_new(ticket, "ack_message_id", json_string(out.message_id));
		store_history_add(ticket, in->now, in->operator, "ack_queued", out.to);
	    }
	}
    }

    /* The document, the duplicate keys of a new one, its Message-ID. */
    if ((r = store_put_json(st, txn, st->db_tickets, c->ticket, ticket)) != 0)
	goto fail;
    if (first && (r = store_similar_index_txn(st, txn, c->ticket, in)) != 0)
	goto fail;
    if (in->message_id && strlen(in->message_id) <= STORE_MSGID_MAX
	&& (r = store_put(st, txn, st->db_msgid, in->message_id, strlen(in->message_id),
			  c->ticket, strlen(c->ticket))) != 0)
	goto fail;
    json_decref(ticket);
    return (0);

fail:
    json_decref(ticket);
    return (r);
}

/* keep_raw_copy - fsync the spool file and link it under msg/ */

static int keep_raw_copy(struct store *st, const char *spool, char *rel, size_t rellen)
{
    char    hex[33], abs[4096], dir[4096];
    int     fd;

    if ((fd = open(spool, O_RDONLY | O_CLOEXEC)) < 0)
	return (store_fail(st, "raw copy %s: %s", spool, strerror(errno)));
    if (!(st->flags & STORE_F_NOSYNC) && fsync(fd) < 0) {
	close(fd);
	return (store_fail(st, "raw copy fsync: %s", strerror(errno)));
    }
    close(fd);
    sm_random_hex(hex, 16);
    snprintf(rel, rellen, "msg/%.2s/%s.eml", hex, hex + 2);
    snprintf(dir, sizeof(dir), "%s/msg/%.2s", st->dir, hex);
    snprintf(abs, sizeof(abs), "%s/%s", st->dir, rel);
    if (sm_mkdir_p(dir, 0700) < 0)
	return (store_fail(st, "raw copy: mkdir %s: %s", dir, strerror(errno)));
    if (link(spool, abs) < 0)
	return (store_fail(st, "raw copy: link %s: %s", abs, strerror(errno)));
    chmod(abs, 0600);
    if (!(st->flags & STORE_F_NOSYNC))
	sm_fsync_dir(dir);
    return (0);
}

int     store_intake_commit(struct store *st, const struct store_intake *in,
			            store_compose_fn compose, void *arg,
			            char ticket_out[32], int *is_duplicate)
{
    struct intake_ctx c;
    char    rel[128], abs[4096];
    int64_t t0;
    int     r;

    memset(&c, 0, sizeof(c));
    c.in = in;
    c.compose = compose;
    c.arg = arg;
    sbuf_init(&c.outbuf, 4 * 1024 * 1024);

    /* The raw copy first: a committed ticket never names a missing file. */
    t0 = sm_now_us();
    if (in->spool_path) {
	if (keep_raw_copy(st, in->spool_path, rel, sizeof(rel)) < 0) {
	    sbuf_free(&c.outbuf);
	    return (-1);
	}
	c.raw_rel = rel;
    }
    c.write_start_us = sm_now_us();
    c.lock_wait_us = -1;
    r = store_write(st, intake_step, &c);
    if (in->result) {
	in->result->raw_copy_us = c.write_start_us - t0;
	in->result->lock_wait_us = c.lock_wait_us > 0 ? c.lock_wait_us : 0;
	in->result->txn_us = sm_now_us() - c.write_start_us;
    }
    if (r != 0 && c.raw_rel) {
	snprintf(abs, sizeof(abs), "%s/%s", st->dir, rel);
	unlink(abs);
    }
    sbuf_free(&c.outbuf);
    if (r < 0)
	return (-1);
    snprintf(ticket_out, 32, "%s", c.ticket);
    *is_duplicate = c.duplicate;
    return (0);
}

/* ----------------------------------------------------------- tickets */

int     store_ticket_get(struct store *st, const char *id, json_t **ticket)
{
    MDB_txn *txn;
    int     r;

    if (store_read_begin(st, &txn) < 0)
	return (-1);
    r = store_get_json(st, txn, st->db_tickets, id, ticket);
    store_read_end(st, txn);
    return (r);
}

/* ticket_order - newest first: by year, then by number */

static int ticket_order(const void *a, const void *b)
{
    const char *x = json_string_value(json_object_get(*(json_t * const *) a, "id"));
    const char *y = json_string_value(json_object_get(*(json_t * const *) b, "id"));
    unsigned long xy = 0, xn = 0, yy = 0, yn = 0;

    if (x)
	sscanf(x, "SEC-%lu-%lu", &xy, &xn);
    if (y)
	sscanf(y, "SEC-%lu-%lu", &yy, &yn);
    if (xy != yy)
	return (xy < yy ? 1 : -1);
    return (xn < yn ? 1 : xn > yn ? -1 : 0);
}

int     store_ticket_list(struct store *st, const char *state, json_t **array)
{
    MDB_txn *txn;
    MDB_cursor *cur;
    MDB_val k, v;
    json_t **items = NULL, *doc;
    size_t  n = 0, cap = 0;
    int     rc;

    if (store_read_begin(st, &txn) < 0)
	return (-1);
    if ((rc = mdb_cursor_open(txn, st->db_tickets, &cur)) != 0) {
	store_read_end(st, txn);
	return (store_fail(st, "store %s: cursor: %s", st->dir, mdb_strerror(rc)));
    }
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	 rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
	if ((doc = json_loadb(v.mv_data, v.mv_size, 0, NULL)) == NULL)
	    continue;
	if (state && strcmp(json_string_value(json_object_get(doc, "state")) ?: "", state) != 0) {
	    json_decref(doc);
	    continue;
	}
	if (n == cap) {
	    cap = cap ? cap * 2 : 64;
	    items = realloc(items, cap * sizeof(*items));
	}
	items[n++] = doc;
    }
    mdb_cursor_close(cur);
    store_read_end(st, txn);
    if (n > 1)
	qsort(items, n, sizeof(*items), ticket_order);
    *array = json_array();
    for (size_t i = 0; i < n; i++)
	json_array_append_new(*array, items[i]);
    free(items);
    return (0);
}

struct update_ctx {
    const char *id;
    store_edit_fn edit;
    void   *arg;
    char   *err;
    size_t  errlen;
    struct sbuf bufs[STORE_EDIT_MAX_OUT];
    int     notfound;
};

static int update_step(struct store *st, MDB_txn *txn, void *varg)
{
    struct update_ctx *c = varg;
    struct store_outmsg out[STORE_EDIT_MAX_OUT];
    size_t  n_out = 0;
    json_t *doc;
    int     r;
    time_t  now = time(NULL);

    for (int i = 0; i < STORE_EDIT_MAX_OUT; i++)
	sbuf_reset(&c->bufs[i]);
    memset(out, 0, sizeof(out));
    if ((r = store_get_json(st, txn, st->db_tickets, c->id, &doc)) != 0) {
	if (r == STORE_NOTFOUND)
	    c->notfound = 1;
	return (r);
    }
    r = c->edit(doc, c->arg, out, &n_out, c->bufs, c->err, c->errlen);
    if (r != 0) {
	json_decref(doc);
	return (r);
    }
    /* The outgoing messages may point into doc: it lives until they are queued. */
    if ((r = store_put_json(st, txn, st->db_tickets, c->id, doc)) == 0)
	for (size_t i = 0; i < n_out && i < STORE_EDIT_MAX_OUT; i++)
	    if ((r = store_outbox_put_txn(st, txn, &out[i], now)) != 0)
		break;
    json_decref(doc);
    return (r);
}

int     store_ticket_update(struct store *st, const char *id, store_edit_fn edit,
			            void *arg, char *err, size_t errlen)
{
    struct update_ctx c;
    int     r;

    memset(&c, 0, sizeof(c));
    c.id = id;
    c.edit = edit;
    c.arg = arg;
    c.err = err;
    c.errlen = errlen;
    for (int i = 0; i < STORE_EDIT_MAX_OUT; i++)
	sbuf_init(&c.bufs[i], 1024 * 1024);
    if (errlen)
	err[0] = 0;
    r = store_write(st, update_step, &c);
    for (int i = 0; i < STORE_EDIT_MAX_OUT; i++)
	sbuf_free(&c.bufs[i]);
    if (c.notfound)
	return (STORE_NOTFOUND);
    if (r < 0 && errlen && err[0] == 0)
	snprintf(err, errlen, "%s", st->err);
    return (r);
}

struct clock_ctx {
    const char *name;
    time_t  when;
};

/* clock_edit - store_ticket_update() callback: only a null clock is set */

static int clock_edit(json_t *ticket, void *varg, struct store_outmsg *out, size_t *n_out,
		              struct sbuf *bufs, char *err, size_t errlen)
{
    struct clock_ctx *c = varg;
    int     r;

    (void) out, (void) n_out, (void) bufs;
    if ((r = store_clock_mark(ticket, c->name, c->when)) < 0) {
	snprintf(err, errlen, "unknown clock \"%s\"", c->name);
	return (-1);
    }
    return (r == 1 ? 0 : 1);
}

int     store_ticket_clock(struct store *st, const char *id, const char *name, time_t when)
{
    struct clock_ctx c = {name, when};
    char    err[256];
    int     r;

    r = store_ticket_update(st, id, clock_edit, &c, err, sizeof(err));
    if (r == 1)
	return (0);
    if (r == -1 && err[0])
	store_fail(st, "%s", err);
    return (r);
}
