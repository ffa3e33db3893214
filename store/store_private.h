#ifndef SECMILTER_STORE_PRIVATE_H
#define SECMILTER_STORE_PRIVATE_H

/*++
/* NAME
/*	store_private 3h
/* SUMMARY
/*	what the files of store/ share; never included outside store/
/*--*/

#include <pthread.h>
#include <stdarg.h>
#include <lmdb.h>
#include <jansson.h>
#include <time.h>

#define STORE_STEP_FULL	(-3)		/* a step hit MDB_MAP_FULL */

struct store {
    MDB_env *env;
    MDB_dbi db_meta;
    MDB_dbi db_tickets;
    MDB_dbi db_msgid;
    MDB_dbi db_outbox;
    MDB_dbi db_fp;			/* similar.c: fingerprint -> tickets */
    MDB_dbi db_simhash;			/* similar.c: ticket -> SimHash */
    MDB_dbi db_band;			/* similar.c: band -> tickets */
    MDB_dbi db_rate;			/* correspond.c: recipient -> reply times */
    int     has_rate;
    int     has_similar;		/* the three exist (a read-only open
					 * of an older store has none) */
    pthread_mutex_t lock;		/* serialises writes */
    pthread_rwlock_t map_lock;		/* shared: a transaction of ours is
					 * open; exclusive: the map changes */
    pthread_mutex_t queue_lock;		/* commit.c: the queue and leading */
    pthread_cond_t queue_cond;		/* a group was committed */
    struct store_req *queue;		/* requests for the next group */
    struct store_req **queue_tail;
    int     leading;			/* a group is being committed */
    char   *dir;
    int     flags;
    size_t  mapsize;
    int     mdb_rc;			/* last LMDB error inside a step */
    char    err[512];
};

typedef int (*store_step_fn) (struct store *, MDB_txn *, void *);

extern int store_fail(struct store *, const char *,...)
	__attribute__((format(printf, 2, 3)));
extern int store_write(struct store *, store_step_fn, void *);
extern int store_read_begin(struct store *, MDB_txn **);
extern void store_read_end(struct store *, MDB_txn *);
extern void store_map_adopt(struct store *);
extern int store_put(struct store *, MDB_txn *, MDB_dbi, const void *, size_t,
		             const void *, size_t);
extern int store_put_json(struct store *, MDB_txn *, MDB_dbi, const char *, json_t *);
extern int store_put_doc(struct store *, MDB_txn *, MDB_dbi, const void *, size_t, json_t *);
extern int store_get_json(struct store *, MDB_txn *, MDB_dbi, const char *, json_t **);
extern int store_json_dump(const json_t *, int, struct sbuf *);
extern int store_json_member(const char *, size_t, const char *, const char **, const char **);
extern int store_outbox_put_txn(struct store *, MDB_txn *, const struct store_outmsg *, time_t);
extern int store_similar_open(struct store *, MDB_txn *, int rdonly);
extern int store_similar_index_txn(struct store *, MDB_txn *, const char *ticket,
				           const struct store_intake *);
extern int store_rate_open(struct store *, MDB_txn *, int rdonly);
extern int store_rate_take_txn(struct store *, MDB_txn *, const struct store_intake *,
			               json_t *ticket, int first, const char *to);
extern int store_correspond_txn(struct store *, MDB_txn *, const struct store_intake *,
				        json_t *ticket, json_t *msg, int first);

#endif
