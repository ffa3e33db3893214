/*++
/* NAME
/*	commit 3
/* SUMMARY
/*	write transactions, committed in groups
/* SYNOPSIS
/*	#include "store/store_private.h"
/*
/*	int	store_write(st, step, arg)
/*	struct store *st;
/*	store_step_fn step;
/*	void	*arg;
/* DESCRIPTION
/*	store_write() runs step(st, txn, arg) in a write transaction and
/*	returns when that transaction is committed (synced, unless the
/*	store was opened with STORE_F_NOSYNC): step's result, or -1 with
/*	the reason in store_error().
/*
/*	Group commit: LMDB has one writer, and a commit with SyncCommits
/*	costs two syncs. Requests that arrive while a commit is under way
/*	wait in a queue; the next thread to find no commit running becomes
/*	the leader, takes every waiting request, runs each step in a
/*	nested transaction of one parent transaction and commits that
/*	once. Twenty connections ending messages together then share one
/*	commit instead of queueing for twenty; each caller still returns
/*	only after its own data is durable.
/*
/*	A step that fails (a result other than 0) has its nested
/*	transaction aborted: it changes nothing, and the others in the
/*	group are not affected. MDB_MAP_FULL anywhere aborts the whole
/*	group: the map is doubled and every step runs again (steps
/*	recompute everything from the transaction and have no side effect
/*	outside it). MDB_MAP_RESIZED (another process grew the map) is
/*	adopted before a group begins. Growing the map remaps it: it waits
/*	until no transaction of this process is open, read or write, and
/*	none begins meanwhile (map_lock; see store_read_begin()).
/*
/*	Never: a step that calls store_write() (it would wait for itself);
/*	a caller that returns before the commit of its step.
/* DIAGNOSTICS
/*	-1 with the reason in store_error(); the reason of each failed step
/*	is its own (copied into st->err as its caller returns).
/*--*/

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <lmdb.h>

#include "util/util.h"
#include "store/store.h"
#include "store/store_private.h"

#define STORE_WRITE_RETRIES	16	/* map growths in one group */

struct store_req {
    store_step_fn step;
    void   *arg;
    int     result;
    int     done;
    char    err[sizeof(((struct store *) 0)->err)];
    struct store_req *next;
};

static int store_grow(struct store *);
static void store_run_group(struct store *, struct store_req *);

/* store_grow - double the map, once no transaction of ours is open */

static int store_grow(struct store *st)
{
    MDB_envinfo info;
    size_t  want;
    int     rc;

    mdb_env_info(st->env, &info);
    want = info.me_mapsize * 2;
    if (want > STORE_MAP_MAX_BYTES)
	return (store_fail(st, "store %s: map would pass %lu bytes", st->dir,
			   (unsigned long) STORE_MAP_MAX_BYTES));
    pthread_rwlock_wrlock(&st->map_lock);	/* no transaction of ours open */
    rc = mdb_env_set_mapsize(st->env, want);
    pthread_rwlock_unlock(&st->map_lock);
    if (rc != 0)
	return (store_fail(st, "store %s: cannot grow map: %s", st->dir, mdb_strerror(rc)));
    st->mapsize = want;
    sm_log(LOG_INFO, NULL, "store %s: map grown to %lu bytes", st->dir, (unsigned long) want);
    return (0);
}

/* store_group_fail - every request of the group fails with st->err */

static void store_group_fail(struct store *st, struct store_req *group)
{
    for (struct store_req *q = group; q; q = q->next) {
	q->result = -1;
	snprintf(q->err, sizeof(q->err), "%s", st->err);
    }
}

/*
 * store_run_group - the leader's work: one parent transaction, a nested
 * one per request, one commit. Called with st->lock held.
 */

static void store_run_group(struct store *st, struct store_req *group)
{
    MDB_txn *txn, *child;
    struct store_req *q;
    int     rc, r, full;

    for (int attempt = 0; attempt < STORE_WRITE_RETRIES; attempt++) {
	pthread_rwlock_rdlock(&st->map_lock);	/* the map stays while it is open */
	rc = mdb_txn_begin(st->env, NULL, 0, &txn);
	if (rc != 0)
	    pthread_rwlock_unlock(&st->map_lock);
	if (rc == MDB_MAP_RESIZED) {
	    store_map_adopt(st);
	    continue;
	}
	if (rc != 0) {
	    store_fail(st, "store %s: begin: %s", st->dir, mdb_strerror(rc));
	    store_group_fail(st, group);
	    return;
	}

	/* Each step on its own: a failed one leaves no trace. */
	full = 0;
	for (q = group; q && !full; q = q->next) {
	    q->err[0] = 0;
	    if ((rc = mdb_txn_begin(st->env, txn, 0, &child)) != 0) {
		q->result = store_fail(st, "store %s: begin: %s", st->dir, mdb_strerror(rc));
		snprintf(q->err, sizeof(q->err), "%s", st->err);
		continue;
	    }
	    st->mdb_rc = 0;
	    r = q->step(st, child, q->arg);
	    if (r == STORE_STEP_FULL || st->mdb_rc == MDB_MAP_FULL) {
		mdb_txn_abort(child);
		full = 1;
		break;
	    }
	    if (r != 0) {
		mdb_txn_abort(child);
		q->result = r;
		if (r < 0)
		    snprintf(q->err, sizeof(q->err), "%s", st->err);
		continue;
	    }
	    if ((rc = mdb_txn_commit(child)) == MDB_MAP_FULL) {
		full = 1;
		break;
	    }
	    q->result = rc == 0 ? 0 : store_fail(st, "store %s: commit: %s", st->dir, mdb_strerror(rc));
	    if (rc != 0)
		snprintf(q->err, sizeof(q->err), "%s", st->err);
	}
	if (full) {
	    mdb_txn_abort(txn);
	    pthread_rwlock_unlock(&st->map_lock);
	    if (store_grow(st) < 0) {
		store_group_fail(st, group);
		return;
	    }
	    continue;
	}

	/* The one commit (and sync) for the whole group. */
	rc = mdb_txn_commit(txn);
	pthread_rwlock_unlock(&st->map_lock);
	if (rc == MDB_MAP_FULL) {
	    if (store_grow(st) < 0) {
		store_group_fail(st, group);
		return;
	    }
	    continue;
	}
	if (rc != 0) {
	    store_fail(st, "store %s: commit: %s", st->dir, mdb_strerror(rc));
	    for (q = group; q; q = q->next)
		if (q->result == 0) {
		    q->result = -1;
		    snprintf(q->err, sizeof(q->err), "%s", st->err);
		}
	}
	return;
    }
    store_fail(st, "store %s: gave up after %d retries", st->dir, STORE_WRITE_RETRIES);
    store_group_fail(st, group);
}

int     store_write(struct store *st, store_step_fn step, void *arg)
{
    struct store_req req, *group;

    if (st->flags & STORE_F_RDONLY)
	return (store_fail(st, "store %s: opened read-only", st->dir));
    memset(&req, 0, sizeof(req));
    req.step = step;
    req.arg = arg;

    /*
     * Queue the request; lead a group when no commit is running, else
     * wait: the running leader's successor takes it.
     */
    pthread_mutex_lock(&st->queue_lock);
    *st->queue_tail = &req;
    st->queue_tail = &req.next;
    while (!req.done) {
	if (st->leading) {
	    pthread_cond_wait(&st->queue_cond, &st->queue_lock);
	    continue;
	}
	st->leading = 1;
	group = st->queue;
	st->queue = NULL;
	st->queue_tail = &st->queue;
	pthread_mutex_unlock(&st->queue_lock);

	pthread_mutex_lock(&st->lock);
	store_run_group(st, group);
	pthread_mutex_unlock(&st->lock);

	pthread_mutex_lock(&st->queue_lock);
	for (struct store_req *q = group, *next; q; q = next) {
	    next = q->next;			/* q may return and vanish */
	    q->done = 1;
	}
	st->leading = 0;
	pthread_cond_broadcast(&st->queue_cond);
    }
    pthread_mutex_unlock(&st->queue_lock);

    /* The reason of this caller's own failure, for store_error(). */
    if (req.result < 0 && req.err[0])
	snprintf(st->err, sizeof(st->err), "%s", req.err);
    return (req.result);
}
