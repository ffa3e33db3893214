/*++
/* NAME
/*	outbox 3
/* SUMMARY
/*	the durable outbox of outgoing mail
/* SYNOPSIS
/*	#include "store/store.h"
/* DESCRIPTION
/*	Outgoing mail (acknowledgements, notifications) is queued here in
/*	the same transaction as the ticket change that caused it, and
/*	leaves only when notify/'s sender has handed it to the MTA
/*	(store_outbox_done). A crash between the hand-over and
/*	store_outbox_done() sends a message twice; nothing is ever lost.
/*
/*	Keys are an 8-byte big-endian sequence, so a cursor walks the
/*	outbox in the order mail was queued. Each record is JSON: from, to,
/*	message_id, data, ticket, purpose, created, attempts, next_try
/*	(epoch seconds), state ("queued" or "failed"), last_error and,
/*	once an operator put a failed item back (store_outbox_retry()),
/*	requeued (epoch seconds).
/* DIAGNOSTICS
/*	-1 with the reason in store_error().
/*--*/

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lmdb.h>

#include "util/util.h"
#include "store/store.h"
#include "store/store_private.h"

#define OUTBOX_SEQ_KEY	"outbox/seq"

static void key_of(uint64_t id, unsigned char key[8])
{
    for (int i = 7; i >= 0; i--, id >>= 8)
	key[i] = (unsigned char) (id & 0xff);
}

static uint64_t id_of(const MDB_val *k)
{
    uint64_t id = 0;

    for (size_t i = 0; i < 8 && i < k->mv_size; i++)
	id = (id << 8) | ((const unsigned char *) k->mv_data)[i];
    return (id);
}

int     store_outbox_put_txn(struct store *st, MDB_txn *txn,
			             const struct store_outmsg *m, time_t now)
{
    MDB_val k = {strlen(OUTBOX_SEQ_KEY), (void *) OUTBOX_SEQ_KEY}, v;
    unsigned char key[8];
    char    seqbuf[24], ts[32];
    uint64_t seq = 0;
    json_t *doc;
    int     r;

    /* The next sequence number, kept in meta. */
    if (mdb_get(txn, st->db_meta, &k, &v) == 0 && v.mv_size < sizeof(seqbuf)) {
	memcpy(seqbuf, v.mv_data, v.mv_size);
	seqbuf[v.mv_size] = 0;
	seq = strtoull(seqbuf, NULL, 10);
    }
    seq++;
    snprintf(seqbuf, sizeof(seqbuf), "%llu", (unsigned long long) seq);
    if ((r = store_put(st, txn, st->db_meta, OUTBOX_SEQ_KEY, strlen(OUTBOX_SEQ_KEY),
		       seqbuf, strlen(seqbuf))) != 0)
	return (r);

    /* The record. */
    sm_rfc3339(now, ts, sizeof(ts));
    doc = json_pack("{s:s, s:s, s:s?, s:s%, s:s?, s:s, s:s, s:i, s:I, s:s, s:n}",
		    "from", m->from ? m->from : "",
		    "to", m->to,
		    "message_id", m->message_id,
		    "data", m->data, m->len,
		    "ticket", m->ticket,
		    "purpose", m->purpose ? m->purpose : "mail",
		    "created", ts,
		    "attempts", 0,
		    "next_try", (json_int_t) now,
		    "state", "queued",
		    "last_error");
    if (doc == NULL)
	return (store_fail(st, "outbox: cannot build record (bad UTF-8?)"));
    key_of(seq, key);
    r = store_put_doc(st, txn, st->db_outbox, key, sizeof(key), doc);
    json_decref(doc);
    if (r != 0)
	return (r);

    /* Replies to this message thread into its ticket. */
    if (m->message_id && m->ticket && strlen(m->message_id) < 480)
	if ((r = store_put(st, txn, st->db_msgid, m->message_id, strlen(m->message_id),
			   m->ticket, strlen(m->ticket))) != 0)
	    return (r);
    return (0);
}

struct put_ctx {
    const struct store_outmsg *m;
    time_t  now;
};

static int put_step(struct store *st, MDB_txn *txn, void *arg)
{
    struct put_ctx *c = arg;

    return (store_outbox_put_txn(st, txn, c->m, c->now));
}

int     store_outbox_put(struct store *st, const struct store_outmsg *m, time_t now)
{
    struct put_ctx c = {m, now};

    return (store_write(st, put_step, &c));
}

/* outbox_later - 1 when a record's next_try is past now, read in place */

static int outbox_later(const char *doc, size_t len, time_t now)
{
    static const char key[] = "\"next_try\":";
    const char *p = memmem(doc, len, key, sizeof(key) - 1), *end = doc + len;
    long long t = 0;

    if (p == NULL)
	return (0);				/* parsed, and judged there */
    for (p += sizeof(key) - 1; p < end && *p == ' '; p++)
	 /* void */ ;
    if (p >= end || *p < '0' || *p > '9')
	return (0);
    for (; p < end && *p >= '0' && *p <= '9' && t < (1LL << 40); p++)
	t = t * 10 + (*p - '0');
    return (t > (long long) now);
}

/*
 * store_outbox_due - up to max items due at now, oldest first, none of
 * the n_skip IDs in skip (those another sender thread has in hand); the
 * number found, or -1. One read transaction.
 */
int     store_outbox_due(struct store *st, time_t now, const uint64_t *skip, size_t n_skip,
			         struct outbox_item *items, size_t max)
{
    MDB_txn *txn;
    MDB_cursor *cur;
    MDB_val k, v;
    json_t *doc;
    size_t  found = 0, i;
    uint64_t id;
    int     rc;

    if (store_read_begin(st, &txn) < 0)
	return (-1);
    if ((rc = mdb_cursor_open(txn, st->db_outbox, &cur)) != 0) {
	store_read_end(st, txn);
	return (store_fail(st, "outbox: cursor: %s", mdb_strerror(rc)));
    }
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && found < max;
	 rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
	id = id_of(&k);
	for (i = 0; i < n_skip && skip[i] != id; i++)
	    /* void */ ;
	if (i < n_skip)
	    continue;
	/*
	 * Not parsed: an item not queued (failed, kept for the operator),
	 * or queued for later. A backlog while the MTA is down would
	 * otherwise be parsed whole at every look. Inside a JSON string a
	 * quote is escaped, so these keys cannot be matched in the text.
	 */
	if (memmem(v.mv_data, v.mv_size, "\"state\":\"queued\"", 16) == NULL
	    && memmem(v.mv_data, v.mv_size, "\"state\": \"queued\"", 17) == NULL)
	    continue;
	if (outbox_later(v.mv_data, v.mv_size, now))
	    continue;
	if ((doc = json_loadb(v.mv_data, v.mv_size, 0, NULL)) == NULL)
	    continue;
	if (strcmp(json_string_value(json_object_get(doc, "state")) ?: "", "queued") == 0
	    && json_integer_value(json_object_get(doc, "next_try")) <= (json_int_t) now) {
	    items[found].id = id;
	    items[found].doc = doc;
	    found++;
	} else {
	    json_decref(doc);
	}
    }
    mdb_cursor_close(cur);
    store_read_end(st, txn);
    return ((int) found);
}

int     store_outbox_next_due(struct store *st, time_t now, struct outbox_item *item)
{
    memset(item, 0, sizeof(*item));
    return (store_outbox_due(st, now, NULL, 0, item, 1));
}

struct done_ctx {
    uint64_t id;
    int     remove;
    time_t  next_try;
    const char *error;
};

static int done_step(struct store *st, MDB_txn *txn, void *arg)
{
    struct done_ctx *c = arg;
    unsigned char key[8];
    MDB_val k = {sizeof(key), key}, v;
    json_t *doc;
    int     rc, r;

    key_of(c->id, key);
    if (c->remove) {
	rc = mdb_del(txn, st->db_outbox, &k, NULL);
	if (rc != 0 && rc != MDB_NOTFOUND)
	    return (store_fail(st, "outbox: delete: %s", mdb_strerror(rc)));
	return (0);
    }
    if ((rc = mdb_get(txn, st->db_outbox, &k, &v)) != 0)
	return (rc == MDB_NOTFOUND ? 1 : store_fail(st, "outbox: get: %s", mdb_strerror(rc)));
    if ((doc = json_loadb(v.mv_data, v.mv_size, 0, NULL)) == NULL)
	return (store_fail(st, "outbox: corrupt record"));
    json_object_set_new(doc, "attempts",
	     json_integer(json_integer_value(json_object_get(doc, "attempts")) + 1));
    if (c->next_try > 0)
	json_object_set_new(doc, "next_try", json_integer(c->next_try));
    else
	json_object_set_new(doc, "state", json_string("failed"));
    json_object_set_new(doc, "last_error", c->error ? json_string(c->error) : json_null());
    r = store_put_doc(st, txn, st->db_outbox, key, sizeof(key), doc);
    json_decref(doc);
    return (r);
}

int     store_outbox_done(struct store *st, uint64_t id)
{
    struct done_ctx c = {id, 1, 0, NULL};

    return (store_write(st, done_step, &c));
}

struct sent_ctx {
    uint64_t id;
    const char *ticket;
    const char *clock;
    time_t  when;
};

/*
 * sent_clock_text - the clock set in the ticket's text, without parsing
 * kilobytes of JSON: its null becomes the time, byte for byte what
 * store_clock_mark() and store_put_json() write. 0 set or already set,
 * 1 when the text is not as expected (the caller parses), else an
 * error of store_put().
 */

static int sent_clock_text(struct store *st, MDB_txn *txn, const char *id,
			           const char *clock, time_t when)
{
    MDB_val k = {strlen(id), (void *) id}, v;
    const char *doc, *c, *ce, *f, *fe;
    struct sbuf text;
    char    ts[32];
    int     r;

    if (mdb_get(txn, st->db_tickets, &k, &v) != 0)
	return (1);
    doc = v.mv_data;
    if (store_json_member(doc, v.mv_size, "clock", &c, &ce) != 1
	|| store_json_member(c, (size_t) (ce - c), clock, &f, &fe) != 1)
	return (1);
    if (fe - f >= 2 && *f == '"')
	return (0);				/* the first one wins */
    if (fe - f != 4 || memcmp(f, "null", 4) != 0)
	return (1);
    sm_rfc3339(when, ts, sizeof(ts));

    /* A copy: v points into the map, which the put may change. */
    sbuf_init(&text, v.mv_size + sizeof(ts) + 8);
    sbuf_append(&text, doc, (size_t) (f - doc));
    sbuf_printf(&text, "\"%s\"", ts);
    sbuf_append(&text, fe, v.mv_size - (size_t) (fe - doc));
    r = text.truncated ? 1 : store_put(st, txn, st->db_tickets, id, strlen(id), text.data, text.len);
    sbuf_free(&text);
    return (r);
}

/* sent_step - the item leaves the outbox; its ticket's clock starts */

static int sent_step(struct store *st, MDB_txn *txn, void *arg)
{
    struct sent_ctx *c = arg;
    unsigned char key[8];
    MDB_val k = {sizeof(key), key};
    json_t *ticket;
    int     rc, r;

    key_of(c->id, key);
    rc = mdb_del(txn, st->db_outbox, &k, NULL);
    if (rc != 0 && rc != MDB_NOTFOUND)
	return (store_fail(st, "outbox: delete: %s", mdb_strerror(rc)));
    if (c->ticket == NULL)
	return (0);
    if ((r = sent_clock_text(st, txn, c->ticket, c->clock, c->when)) != 1)
	return (r);
    if ((r = store_get_json(st, txn, st->db_tickets, c->ticket, &ticket)) != 0)
	return (r == STORE_NOTFOUND ? 0 : r);
    r = store_clock_mark(ticket, c->clock, c->when) == 1 ?
	store_put_json(st, txn, st->db_tickets, c->ticket, ticket) : 0;
    json_decref(ticket);
    return (r);
}

int     store_outbox_sent(struct store *st, uint64_t id, const char *ticket,
			          const char *clock, time_t when)
{
    struct sent_ctx c = {id, ticket, clock, when};

    return (store_write(st, sent_step, &c));
}

struct sent_many_ctx {
    size_t  n;
    const uint64_t *ids;
    const char *const *tickets;
    const char *clock;
    time_t  when;
};

static int sent_many_step(struct store *st, MDB_txn *txn, void *arg)
{
    struct sent_many_ctx *m = arg;
    int     r;

    for (size_t i = 0; i < m->n; i++) {
	struct sent_ctx c = {m->ids[i], m->tickets ? m->tickets[i] : NULL, m->clock, m->when};

	if ((r = sent_step(st, txn, &c)) != 0)
	    return (r);
    }
    return (0);
}

int     store_outbox_sent_many(struct store *st, size_t n, const uint64_t *ids,
			               const char *const *tickets, const char *clock, time_t when)
{
    struct sent_many_ctx m = {n, ids, tickets, clock, when};

    return (n == 0 ? 0 : store_write(st, sent_many_step, &m));
}

int     store_outbox_defer(struct store *st, uint64_t id, time_t next_try, const char *error)
{
    struct done_ctx c = {id, 0, next_try, error};
    int     r = store_write(st, done_step, &c);

    return (r == 1 ? 0 : r);
}

struct retry_ctx {
    uint64_t id;
    time_t  now;
};

static int retry_step(struct store *st, MDB_txn *txn, void *arg)
{
    struct retry_ctx *c = arg;
    unsigned char key[8];
    MDB_val k = {sizeof(key), key}, v;
    json_t *doc;
    int     rc, r;

    key_of(c->id, key);
    if ((rc = mdb_get(txn, st->db_outbox, &k, &v)) != 0)
	return (rc == MDB_NOTFOUND ? STORE_NOTFOUND : store_fail(st, "outbox: get: %s", mdb_strerror(rc)));
    if ((doc = json_loadb(v.mv_data, v.mv_size, 0, NULL)) == NULL)
	return (store_fail(st, "outbox: corrupt record"));
    json_object_set_new(doc, "state", json_string("queued"));
    json_object_set_new(doc, "next_try", json_integer(c->now));
    json_object_set_new(doc, "requeued", json_integer(c->now));
    r = store_put_doc(st, txn, st->db_outbox, key, sizeof(key), doc);
    json_decref(doc);
    return (r);
}

int     store_outbox_retry(struct store *st, uint64_t id, time_t now)
{
    struct retry_ctx c = {id, now};

    return (store_write(st, retry_step, &c));
}

int     store_outbox_list(struct store *st, json_t **array)
{
    MDB_txn *txn;
    MDB_cursor *cur;
    MDB_val k, v;
    json_t *doc;
    int     rc;

    if (store_read_begin(st, &txn) < 0)
	return (-1);
    if ((rc = mdb_cursor_open(txn, st->db_outbox, &cur)) != 0) {
	store_read_end(st, txn);
	return (store_fail(st, "outbox: cursor: %s", mdb_strerror(rc)));
    }
    *array = json_array();
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	 rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
	if ((doc = json_loadb(v.mv_data, v.mv_size, 0, NULL)) == NULL)
	    continue;
	json_object_set_new(doc, "id", json_integer((json_int_t) id_of(&k)));
	json_object_del(doc, "data");
	json_array_append_new(*array, doc);
    }
    mdb_cursor_close(cur);
    store_read_end(st, txn);
    return (0);
}

void    outbox_item_free(struct outbox_item *item)
{
    json_decref(item->doc);
    item->doc = NULL;
}
