/*++
/* NAME
/*	similar 3
/* SUMMARY
/*	the duplicate index: endpoint fingerprints and SimHash bands
/* SYNOPSIS
/*	#include "store/store.h"
/*
/*	int	store_find_duplicate(st, fps, nfp, simhash, min_similarity,
/*			ticket_out, similarity, basis)
/* DESCRIPTION
/*	Three databases beside the tickets (see store.h): "fp" and "band"
/*	map a key to the tickets that carry it, each ticket as an 8-byte
/*	sortable key (big-endian year, then number), so LMDB keeps the
/*	duplicates of a key earliest first; "simhash" maps a ticket ID to
/*	its SimHash. A new ticket's keys are written in its intake
/*	transaction (store_similar_index_txn, called by store.c), so a
/*	ticket and its index entries exist together or not at all.
/*
/*	The SimHash is cut into four 16-bit bands. Two hashes within 7
/*	bits of each other have a band that differs in at most one bit, so
/*	looking up each band as it is and with each of its 16 bits flipped
/*	(68 point reads) finds every ticket at similarity 0.89 or more,
/*	without a scan of all tickets.
/*
/*	This file never reads message text: the keys come from classify/
/*	through the milter. Tickets whose state is spam or invalid are no
/*	duplicate targets (their state is read when they are candidates).
/* DIAGNOSTICS
/*	-1 with the reason in store_error().
/*--*/

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lmdb.h>

#include "util/util.h"
#include "store/store.h"
#include "store/store_private.h"

#define SIMILAR_BANDS		4	/* 16-bit bands of a SimHash */
#define SIMILAR_BAND_KEY	16	/* "b3/ffff" and its NUL, with room */

static int similar_ticket_key(const char *, unsigned char[8]);
static void similar_ticket_id(const unsigned char *, char[32]);
static void similar_band_key(int, unsigned, char[SIMILAR_BAND_KEY]);
static int similar_ticket_state(const char *, size_t, char *, size_t);
static int similar_ticket_open(struct store *, MDB_txn *, const char *);
static int similar_key_cmp(const void *, const void *);

/*
 * Closing verdicts that make a ticket no duplicate target: nothing was
 * there to duplicate.
 */
static const char *const similar_closed_states[] = {"spam", "invalid"};

/* similar_ticket_key - "SEC-YYYY-NNNN" as 8 sortable bytes; -1 if not one */

static int similar_ticket_key(const char *id, unsigned char key[8])
{
    unsigned long year, num;
    char    tail;

    if (sscanf(id, "SEC-%4lu-%lu%c", &year, &num, &tail) != 2
	|| year > 9999 || num > 0xffffffffUL)
	return (-1);
    for (int i = 0; i < 4; i++) {
	key[i] = (unsigned char) (year >> (24 - 8 * i));
	key[4 + i] = (unsigned char) (num >> (24 - 8 * i));
    }
    return (0);
}

/* similar_ticket_id - the ID of an 8-byte key, as next_ticket_id() spells it */

static void similar_ticket_id(const unsigned char *key, char id[32])
{
    unsigned long year = 0, num = 0;

    for (int i = 0; i < 4; i++) {
	year = (year << 8) | key[i];
	num = (num << 8) | key[4 + i];
    }
    snprintf(id, 32, "SEC-%04lu-%04lu", year, num);
}

static void similar_band_key(int band, unsigned value, char key[SIMILAR_BAND_KEY])
{
    snprintf(key, SIMILAR_BAND_KEY, "b%u/%04x", (unsigned) band & 0xf, value & 0xffff);
}

static int similar_key_cmp(const void *a, const void *b)
{
    return (memcmp(a, b, 8));
}

/* store_similar_open - open (or create) the three databases; an LMDB code */

int     store_similar_open(struct store *st, MDB_txn *txn, int rdonly)
{
    unsigned dup = MDB_DUPSORT | MDB_DUPFIXED | (rdonly ? 0 : MDB_CREATE);
    int     rc;

    /*
     * A store written by an older version has none of them; read-only
     * it cannot create them, and finds no duplicates rather than fail.
     */
    st->has_similar = 0;
    rc = mdb_dbi_open(txn, "fp", dup, &st->db_fp);
    if (rc == 0)
	rc = mdb_dbi_open(txn, "simhash", rdonly ? 0 : MDB_CREATE, &st->db_simhash);
    if (rc == 0)
	rc = mdb_dbi_open(txn, "band", dup, &st->db_band);
    if (rc == MDB_NOTFOUND && rdonly)
	return (0);
    if (rc == 0)
	st->has_similar = 1;
    return (rc);
}

/* store_similar_index_txn - a new ticket's keys, inside its intake transaction */

int     store_similar_index_txn(struct store *st, MDB_txn *txn, const char *ticket,
				        const struct store_intake *in)
{
    unsigned char key[8], sh[8];
    char    band[SIMILAR_BAND_KEY];
    int     r;

    if (!st->has_similar || similar_ticket_key(ticket, key) < 0)
	return (0);
    for (size_t i = 0; in->fingerprints && i < in->n_fingerprints && i < STORE_DUP_MAX_FP; i++) {
	if (strlen(in->fingerprints[i]) != 64)
	    continue;
	if ((r = store_put(st, txn, st->db_fp, in->fingerprints[i], 64, key, 8)) != 0)
	    return (r);
    }
    if (!in->has_simhash || in->simhash == 0)
	return (0);
    for (int i = 0; i < 8; i++)
	sh[i] = (unsigned char) (in->simhash >> (56 - 8 * i));
    if ((r = store_put(st, txn, st->db_simhash, ticket, strlen(ticket), sh, 8)) != 0)
	return (r);
    for (int b = 0; b < SIMILAR_BANDS; b++) {
	similar_band_key(b, (unsigned) (in->simhash >> (16 * b)), band);
	if ((r = store_put(st, txn, st->db_band, band, strlen(band), key, 8)) != 0)
	    return (r);
    }
    return (0);
}

/*
 * similar_ticket_state - the top-level "state" of a ticket document,
 * read without building it (a ticket is kilobytes of JSON): 1 and the
 * state in buf, 0 without one, -1 when the text is not what
 * store_put_json() writes (the caller then parses it).
 */

static int similar_ticket_state(const char *p, size_t len, char *buf, size_t buflen)
{
    const char *v, *ve;
    int     r;

    if ((r = store_json_member(p, len, "state", &v, &ve)) <= 0)
	return (r);
    if (ve - v < 2 || *v != '"' || ve[-1] != '"' || memchr(v, '\\', (size_t) (ve - v))
	|| (size_t) (ve - v - 2) >= buflen)
	return (-1);
    memcpy(buf, v + 1, (size_t) (ve - v - 2));
    buf[ve - v - 2] = 0;
    return (1);
}

/* similar_ticket_open - 1 when the ticket exists and is no spam or invalid */

static int similar_ticket_open(struct store *st, MDB_txn *txn, const char *id)
{
    MDB_val k = {strlen(id), (void *) id};
    MDB_val v;
    json_t *doc = NULL;
    const char *state;
    char    buf[64];
    int     open = 1, r;

    if (mdb_get(txn, st->db_tickets, &k, &v) != 0)
	return (0);
    if ((r = similar_ticket_state(v.mv_data, v.mv_size, buf, sizeof(buf))) > 0) {
	state = buf;
    } else if (r == 0) {
	state = NULL;
    } else {
	if (store_get_json(st, txn, st->db_tickets, id, &doc) != 0)
	    return (0);
	state = json_string_value(json_object_get(doc, "state"));
    }
    for (size_t i = 0; state && i < sizeof(similar_closed_states) / sizeof(similar_closed_states[0]); i++)
	if (strcmp(state, similar_closed_states[i]) == 0)
	    open = 0;
    json_decref(doc);
    return (open);
}

/*
 * similar_by_fingerprint - the earliest open ticket under any of the
 * fingerprints into best[] (kept when it is earlier already); 1 if found.
 */

static int similar_by_fingerprint(struct store *st, MDB_txn *txn, MDB_cursor *cur,
				          char fps[][65], size_t nfp,
				          unsigned char best[8])
{
    MDB_val k, v;
    char    id[32];
    int     found = 0, rc;

    for (size_t i = 0; i < nfp && i < STORE_DUP_MAX_FP; i++) {
	if (strlen(fps[i]) != 64)
	    continue;
	k.mv_size = 64;
	k.mv_data = fps[i];
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_KEY);
	for (int n = 0; rc == 0 && n < STORE_DUP_MAX_PER_KEY; n++) {
	    /* Duplicates come earliest first: past best, nothing better. */
	    if (v.mv_size != 8 || (found && memcmp(v.mv_data, best, 8) >= 0))
		break;
	    similar_ticket_id(v.mv_data, id);
	    if (similar_ticket_open(st, txn, id)) {
		memcpy(best, v.mv_data, 8);
		found = 1;
		break;
	    }
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT_DUP);
	}
    }
    return (found);
}

/*
 * similar_by_text - the earliest open ticket whose SimHash is close
 * enough, among the band candidates; 1 if found.
 */

static int similar_by_text(struct store *st, MDB_txn *txn, MDB_cursor *cur,
			           uint64_t simhash, double min_similarity,
			           unsigned char best[8], double *similarity)
{
    unsigned char (*cand)[8];
    size_t  n = 0, u;
    MDB_val k, v;
    char    band[SIMILAR_BAND_KEY], id[32];
    int     found = 0, rc;

    if ((cand = malloc(STORE_DUP_MAX_CANDIDATES * sizeof(*cand))) == NULL)
	return (store_fail(st, "store %s: out of memory", st->dir));

    /* Candidates: each band as it is, then with one bit flipped. */
    for (int b = 0; b < SIMILAR_BANDS && n < STORE_DUP_MAX_CANDIDATES; b++) {
	unsigned value = (unsigned) (simhash >> (16 * b)) & 0xffff;

	for (int flip = -1; flip < 16 && n < STORE_DUP_MAX_CANDIDATES; flip++) {
	    similar_band_key(b, flip < 0 ? value : value ^ (1u << flip), band);
	    k.mv_size = strlen(band);
	    k.mv_data = band;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_SET_KEY);
	    for (int i = 0; rc == 0 && i < STORE_DUP_MAX_PER_KEY
		 && n < STORE_DUP_MAX_CANDIDATES; i++) {
		if (v.mv_size == 8)
		    memcpy(cand[n++], v.mv_data, 8);
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT_DUP);
	    }
	}
    }

    /* Earliest first; the first close and open one is the answer. */
    qsort(cand, n, 8, similar_key_cmp);
    for (size_t i = 0; i < n && !found; i++) {
	uint64_t other = 0;
	double  sim;

	if (i > 0 && memcmp(cand[i], cand[i - 1], 8) == 0)
	    continue;
	similar_ticket_id(cand[i], id);
	k.mv_size = strlen(id);
	k.mv_data = id;
	if (mdb_get(txn, st->db_simhash, &k, &v) != 0 || v.mv_size != 8)
	    continue;
	for (u = 0; u < 8; u++)
	    other = (other << 8) | ((unsigned char *) v.mv_data)[u];
	sim = 1.0 - (double) __builtin_popcountll(other ^ simhash) / 64.0;
	if (sim + 1e-9 < min_similarity || !similar_ticket_open(st, txn, id))
	    continue;
	memcpy(best, cand[i], 8);
	*similarity = sim;
	found = 1;
    }
    free(cand);
    return (found);
}

int     store_find_duplicate(struct store *st, char fps[][65], size_t nfp,
			             uint64_t simhash, double min_similarity,
			             char ticket_out[32], double *similarity,
			             const char **basis)
{
    MDB_txn *txn;
    MDB_cursor *cur;
    unsigned char best[8];
    int     found = 0, rc;

    ticket_out[0] = 0;
    *similarity = 0;
    *basis = NULL;
    if (!st->has_similar || (nfp == 0 && simhash == 0))
	return (0);
    if (store_read_begin(st, &txn) < 0)
	return (-1);

    /* The same endpoint, host and class first: that is the strong sign. */
    if (nfp > 0) {
	if ((rc = mdb_cursor_open(txn, st->db_fp, &cur)) != 0) {
	    store_read_end(st, txn);
	    return (store_fail(st, "store %s: cursor: %s", st->dir, mdb_strerror(rc)));
	}
	found = similar_by_fingerprint(st, txn, cur, fps, nfp, best);
	mdb_cursor_close(cur);
	if (found) {
	    *similarity = 1.0;
	    *basis = "fingerprint";
	}
    }

    /* Else the text, when it is long enough to have a SimHash. */
    if (!found && simhash != 0) {
	if ((rc = mdb_cursor_open(txn, st->db_band, &cur)) != 0) {
	    store_read_end(st, txn);
	    return (store_fail(st, "store %s: cursor: %s", st->dir, mdb_strerror(rc)));
	}
	found = similar_by_text(st, txn, cur, simhash, min_similarity, best, similarity);
	mdb_cursor_close(cur);
	if (found < 0) {
	    store_read_end(st, txn);
	    return (-1);
	}
	if (found)
	    *basis = "text";
    }
    store_read_end(st, txn);
    if (found)
	similar_ticket_id(best, ticket_out);
    return (found);
}
