/*++
/* NAME
/*	correspond 3
/* SUMMARY
/*	correspondence on a ticket: reply rate limits, team replies,
/*	information received, credit
/* SYNOPSIS
/*	#include "store/store_private.h"
/*
/*	int	store_rate_open(st, txn, rdonly)
/*	int	store_rate_take_txn(st, txn, intake, ticket, first, to)
/*	int	store_correspond_txn(st, txn, intake, ticket, msg, first)
/* DESCRIPTION
/*	These steps run inside the intake transaction of store.c, so a
/*	ticket, its correspondence and the replies it queues are one
/*	commit.
/*
/*	Database "rate": a normalised recipient -> the times (decimal
/*	seconds, space separated, oldest first) of the automatic replies
/*	queued to it within the last day, at most SM_ACK_LIMIT_MAX.
/*	store_rate_take_txn() admits one more reply when the recipient
/*	had fewer than rate_per_hour in the last hour and rate_per_day in
/*	the last day, and records it: 1. Otherwise it records the
/*	suppression in the ticket's history ("ack_suppressed", "rate
/*	limit"), leaves a new ticket in state "new" (nobody acknowledged
/*	it) and returns 0. Since the count and the queueing share the
/*	write transaction, two threads cannot both pass a limit.
/*
/*	store_correspond_txn() applies the rest of struct store_intake:
/*	the message's role ("team"), the reason an acknowledgement was not
/*	sent, the move needs_info -> acknowledged once nothing is missing
/*	(with the "information received" note, rate limited like an ack),
/*	and the credit of a fixed ticket.
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

#define RATE_KEY_MAX	320		/* bytes of a recipient key */
#define CORRESPOND_DETAIL_MAX	400	/* bytes of a history detail */
#define RATE_HOUR_S	3600
#define RATE_DAY_S	(24 * 3600)

/* store_rate_open - open (or create) the rate database; an LMDB code */

int     store_rate_open(struct store *st, MDB_txn *txn, int rdonly)
{
    int     rc;

    /* A read-only open of an older store has none; nothing reads it there. */
    st->has_rate = 0;
    rc = mdb_dbi_open(txn, "rate", rdonly ? 0 : MDB_CREATE, &st->db_rate);
    if (rc == MDB_NOTFOUND && rdonly)
	return (0);
    if (rc == 0)
	st->has_rate = 1;
    return (rc);
}

int     store_rate_take_txn(struct store *st, MDB_txn *txn, const struct store_intake *in,
			            json_t *ticket, int first, const char *to)
{
    MDB_val k, v;
    time_t  times[SM_ACK_LIMIT_MAX + 1];
    size_t  n = 0, hour = 0, start;
    struct sbuf val = SBUF_INIT(16 * (SM_ACK_LIMIT_MAX + 2));
    char    buf[16 * (SM_ACK_LIMIT_MAX + 2)];
    int     rc;

    if (!in->rate_limit || to == NULL || *to == 0)
	return (1);
    if (!st->has_rate)
	return (store_fail(st, "store %s: no rate database", st->dir));
    if (strlen(to) > RATE_KEY_MAX)
	to = to + strlen(to) - RATE_KEY_MAX;	/* the domain end is the distinct one */

    /* The recipient's replies of the last day, oldest first. */
    k.mv_size = strlen(to);
    k.mv_data = (void *) to;
    if ((rc = mdb_get(txn, st->db_rate, &k, &v)) == 0 && v.mv_size < sizeof(buf)) {
	char   *p, *e;

	memcpy(buf, v.mv_data, v.mv_size);
	buf[v.mv_size] = 0;
	for (p = buf; *p && n < SM_ACK_LIMIT_MAX; p = e) {
	    long long t = strtoll(p, &e, 10);

	    if (e == p)
		break;
	    if (t > (long long) in->now - RATE_DAY_S && t <= (long long) in->now)
		times[n++] = (time_t) t;
	}
    } else if (rc != 0 && rc != MDB_NOTFOUND) {
	return (store_fail(st, "store %s: rate: %s", st->dir, mdb_strerror(rc)));
    }
    for (size_t i = 0; i < n; i++)
	if (times[i] > in->now - RATE_HOUR_S)
	    hour++;

    /* Past a limit: no reply, and the ticket says why. */
    if (hour >= in->rate_per_hour || n >= in->rate_per_day) {
	if (first) {
	    json_t *hist = json_object_get(ticket, "history");
	    json_t *created = json_array_get(hist, 0);

	    json_object_set_new(ticket, "state", json_string("new"));
	    if (created)
		json_object_set_new(created, "detail", json_string("new"));
	}
	store_history_add(ticket, in->now, in->operator, "ack_suppressed", "rate limit");
	if (in->result)
	    in->result->rate_limited = 1;
	return (0);
    }

    /* Admitted: the new time joins the list (the oldest ones drop off). */
    times[n++] = in->now;
    start = n > SM_ACK_LIMIT_MAX ? n - SM_ACK_LIMIT_MAX : 0;
    for (size_t i = start; i < n; i++)
	sbuf_printf(&val, "%s%lld", i > start ? " " : "", (long long) times[i]);
    rc = store_put(st, txn, st->db_rate, to, strlen(to), sbuf_str(&val), val.len);
    sbuf_free(&val);
    return (rc == 0 ? 1 : rc);
}

int     store_correspond_txn(struct store *st, MDB_txn *txn, const struct store_intake *in,
			             json_t *ticket, json_t *msg, int first)
{
    const char *state = json_string_value(json_object_get(ticket, "state"));
    struct store_outmsg out;
    struct sbuf buf;
    char    detail[CORRESPOND_DETAIL_MAX];
    int     r = 0;

    /* Team correspondence is marked as such on its message. */
    if (in->role)
	json_object_set_new(msg, "role", json_string(in->role));

    /* A new ticket that got no acknowledgement says why. */
    if (first && in->ack_suppressed)
	store_history_add(ticket, in->now, in->operator, "ack_suppressed", in->ack_suppressed);

    /* Credit for the Hall of Fame: only once the issue is fixed. */
    if (!first && in->credit && state
	&& (strcmp(state, "fixed") == 0 || strcmp(state, "closed") == 0)) {
	const char *consent = json_string_value(json_object_get(in->credit, "consent"));

	json_object_set(ticket, "credit", in->credit);
	snprintf(detail, sizeof(detail), "consent=%s", consent ? consent : "unknown");
	store_history_add(ticket, in->now, in->operator, "credit", detail);
	if (in->result)
	    in->result->credit_set = 1;
    }

    /* The information asked for is complete: needs_info -> acknowledged. */
    if (!first && in->resolve_needs_info && state && strcmp(state, "needs_info") == 0
	&& json_array_size(json_object_get(ticket, "missing")) == 0) {
	json_object_set_new(ticket, "state", json_string("acknowledged"));
	store_history_add(ticket, in->now, in->operator, "state",
			  "needs_info -> acknowledged (information received)");
	if (in->result)
	    in->result->state_changed = 1;
	if (in->note == NULL)
	    return (0);
	memset(&out, 0, sizeof(out));
	sbuf_init(&buf, 4 * 1024 * 1024);
	if (in->note(in->note_arg, ticket, &out, &buf) == 0
	    && (r = store_rate_take_txn(st, txn, in, ticket, 0, out.to)) == 1) {
	    if ((r = store_outbox_put_txn(st, txn, &out, in->now)) == 0) {
		snprintf(detail, sizeof(detail), "info_received to %s", out.to);
		store_history_add(ticket, in->now, in->operator, "notify_queued", detail);
		if (in->result)
		    in->result->note_queued = 1;
	    }
	}
	sbuf_free(&buf);
	if (r > 0)
	    r = 0;
    }
    return (r);
}
