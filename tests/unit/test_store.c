/*
 * test_store - tickets, threading, duplicates, the outbox, map growth and
 * the duplicate index, on real LMDB files in a temporary directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lmdb.h>

#include "util/util.h"
#include "store/store.h"
#include "store/store_private.h"

static char dir[128];

static int setup(void **state)
{
    snprintf(dir, sizeof(dir), "/tmp/test_store.XXXXXX");
    assert_non_null(mkdtemp(dir));
    return (0);
}

static int teardown(void **state)
{
    char    cmd[256];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return (system(cmd) == 0 ? 0 : -1);
}

static int intake(struct store *st, const char *ticket, const char *msgid,
		          const char *kind, char out[32], int *dup)
{
    struct store_intake in;
    json_t *triage = json_pack("{s:s, s:[s], s:s, s:[s], s:[], s:[], s:s}",
			       "kind", kind, "classes", "xss", "scope", "in",
			       "missing", "poc", "conduct", "flags", "severity", "high");
    int     r;

    memset(&in, 0, sizeof(in));
    in.ticket = ticket;
    in.message_id = msgid;
    in.kind = kind;
    in.reporter = "researcher@example.net";
    in.subject = "Stored XSS";
    in.triage = triage;
    in.initial_state = "needs_info";
    in.operator = "test";
    in.now = 1790000000;		/* 2026 */
    r = store_intake_commit(st, &in, NULL, NULL, out, dup);
    json_decref(triage);
    return (r);
}

static void test_create_and_sequence(void **state)
{
    char    err[256], id[32];
    int     dup;
    struct store *st = store_open(dir, STORE_F_CREATE | STORE_F_NOSYNC, err, sizeof(err));
    json_t *t;

    assert_non_null(st);
    assert_int_equal(intake(st, NULL, "<a@x>", "report", id, &dup), 0);
    assert_string_equal(id, "SEC-2026-0001");
    assert_int_equal(dup, 0);
    assert_int_equal(intake(st, NULL, "<b@x>", "report", id, &dup), 0);
    assert_string_equal(id, "SEC-2026-0002");

    /* The same Message-ID again: one ticket, flagged as a duplicate. */
    assert_int_equal(intake(st, NULL, "<a@x>", "report", id, &dup), 0);
    assert_string_equal(id, "SEC-2026-0001");
    assert_int_equal(dup, 1);

    assert_int_equal(store_ticket_get(st, "SEC-2026-0001", &t), 0);
    assert_string_equal(json_string_value(json_object_get(t, "state")), "needs_info");
    assert_int_equal(json_array_size(json_object_get(t, "messages")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(t, "classes"), 0)), "xss");
    json_decref(t);
    assert_int_equal(store_ticket_get(st, "SEC-2026-0099", &t), STORE_NOTFOUND);
    store_close(st);

    /* Reopened: the sequence goes on. */
    st = store_open(dir, STORE_F_NOSYNC, err, sizeof(err));
    assert_non_null(st);
    assert_int_equal(intake(st, NULL, "<c@x>", "report", id, &dup), 0);
    assert_string_equal(id, "SEC-2026-0003");
    store_close(st);
}

static void test_threading(void **state)
{
    char    err[256], id[32];
    int     dup;
    struct store *st = store_open(dir, STORE_F_CREATE | STORE_F_NOSYNC, err, sizeof(err));
    struct strlist refs = STRLIST_INIT;
    json_t *t;

    assert_int_equal(intake(st, NULL, "<first@x>", "report", id, &dup), 0);

    /* By subject tag, by reference, and nothing for unknown ones. */
    assert_int_equal(store_lookup_thread(st, "<new@x>", "SEC-2026-0001", NULL, id, &dup), 1);
    assert_string_equal(id, "SEC-2026-0001");
    assert_int_equal(dup, 0);
    assert_int_equal(store_lookup_thread(st, "<new@x>", "SEC-2026-0777", NULL, id, &dup), 0);
    strlist_add(&refs, "<unrelated@y>");
    strlist_add(&refs, "<first@x>");
    assert_int_equal(store_lookup_thread(st, "<new@x>", NULL, &refs, id, &dup), 1);
    assert_string_equal(id, "SEC-2026-0001");
    assert_int_equal(store_lookup_thread(st, "<first@x>", NULL, NULL, id, &dup), 1);
    assert_int_equal(dup, 1);

    /* A follow-up joins, and missing shrinks to the intersection. */
    assert_int_equal(intake(st, "SEC-2026-0001", "<second@x>", "followup", id, &dup), 0);
    assert_int_equal(store_ticket_get(st, "SEC-2026-0001", &t), 0);
    assert_int_equal(json_array_size(json_object_get(t, "messages")), 2);
    assert_true(json_array_size(json_object_get(t, "history")) >= 2);
    json_decref(t);
    strlist_free(&refs);
    store_close(st);
}

static int compose_cb(void *arg, const char *ticket, struct store_outmsg *out, struct sbuf *buf)
{
    sbuf_printf(buf, "Subject: [%s] ack\n\nhello\n", ticket);
    out->from = "";
    out->to = "researcher@example.net";
    out->message_id = "<ack.1@example.com>";
    out->data = sbuf_str(buf);
    out->len = buf->len;
    out->ticket = ticket;
    out->purpose = "ack";
    return (0);
}

static void test_outbox(void **state)
{
    char    err[256], id[32];
    int     dup;
    struct store *st = store_open(dir, STORE_F_CREATE | STORE_F_NOSYNC, err, sizeof(err));
    struct store_intake in;
    struct outbox_item item;
    json_t *list, *tr = json_object();

    memset(&in, 0, sizeof(in));
    in.message_id = "<r@x>";
    in.kind = "report";
    in.triage = tr;
    in.set_acked = 1;
    in.now = time(NULL);
    assert_int_equal(store_intake_commit(st, &in, compose_cb, NULL, id, &dup), 0);
    json_decref(tr);

    /* The ack is queued with the ticket, and its Message-ID threads. */
    assert_int_equal(store_outbox_next_due(st, time(NULL), &item), 1);
    assert_non_null(strstr(json_string_value(json_object_get(item.doc, "data")), id));
    assert_string_equal(json_string_value(json_object_get(item.doc, "to")), "researcher@example.net");
    assert_int_equal(store_lookup_thread(st, NULL, NULL, NULL, id, &dup), 0);
    {
	struct strlist refs = STRLIST_INIT;
	char    t2[32];

	strlist_add(&refs, "<ack.1@example.com>");
	assert_int_equal(store_lookup_thread(st, "<reply@x>", NULL, &refs, t2, &dup), 1);
	assert_string_equal(t2, id);
	strlist_free(&refs);
    }

    /* Deferred: not due now, due later; failed: never due again. */
    assert_int_equal(store_outbox_defer(st, item.id, time(NULL) + 60, "exit 75"), 0);
    outbox_item_free(&item);
    assert_int_equal(store_outbox_next_due(st, time(NULL), &item), 0);
    assert_int_equal(store_outbox_next_due(st, time(NULL) + 61, &item), 1);
    assert_int_equal(json_integer_value(json_object_get(item.doc, "attempts")), 1);

    /* Handed over: out of the outbox, the ticket's first response starts; the first wins. */
    assert_int_equal(store_outbox_sent(st, item.id, id, "first_response", 1790000000), 0);
    outbox_item_free(&item);
    {
	json_t *tk;
	char    ts[32];

	sm_rfc3339(1790000000, ts, sizeof(ts));
	assert_int_equal(store_ticket_get(st, id, &tk), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(tk, "clock"),
							      "first_response")), ts);
	assert_true(json_is_string(json_object_get(json_object_get(tk, "clock"), "received")));
	json_decref(tk);
	assert_int_equal(store_outbox_sent(st, item.id, id, "first_response", 1790009999), 0);
	assert_int_equal(store_ticket_get(st, id, &tk), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(tk, "clock"),
							      "first_response")), ts);
	json_decref(tk);
	assert_int_equal(store_outbox_sent(st, 999999, "SEC-1999-0001", "first_response", 1), 0);
    }
    assert_int_equal(store_outbox_next_due(st, time(NULL) + 3600, &item), 0);
    assert_int_equal(store_outbox_list(st, &list), 0);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    store_close(st);
}

/* Several sender threads: batches of due items, none twice, one commit. */
static void test_outbox_batch(void **state)
{
    char    err[256], ids[5][32], mid[32];
    int     dup, i, n;
    struct store *st = store_open(dir, STORE_F_CREATE | STORE_F_NOSYNC, err, sizeof(err));
    struct outbox_item items[8], more[8];
    uint64_t skip[8], sent[8];
    const char *tickets[8];
    json_t *tk;

    (void) state;
    assert_non_null(st);
    /* a new store: an empty outbox */
    assert_int_equal(store_outbox_due(st, time(NULL), NULL, 0, items, 8), 0);
    for (i = 0; i < 5; i++) {
	struct store_intake in;
	json_t *tr = json_object();

	memset(&in, 0, sizeof(in));
	snprintf(mid, sizeof(mid), "<batch-%d@x>", i);
	in.message_id = mid;
	in.kind = "report";
	in.triage = tr;
	in.set_acked = 1;
	in.now = time(NULL);
	assert_int_equal(store_intake_commit(st, &in, compose_cb, NULL, ids[i], &dup), 0);
	json_decref(tr);
    }

    /* At most max, oldest first; the IDs in hand are skipped. */
    assert_int_equal(store_outbox_due(st, time(NULL), NULL, 0, items, 3), 3);
    assert_true(items[0].id < items[1].id && items[1].id < items[2].id);
    assert_non_null(strstr(json_string_value(json_object_get(items[0].doc, "data")), ids[0]));
    for (i = 0; i < 3; i++)
	skip[i] = items[i].id;
    n = store_outbox_due(st, time(NULL), skip, 3, more, 8);
    assert_int_equal(n, 2);
    for (i = 0; i < n; i++)
	assert_true(more[i].id != skip[0] && more[i].id != skip[1] && more[i].id != skip[2]);

    /* One failed for good: never due again. */
    assert_int_equal(store_outbox_defer(st, items[2].id, 0, "550 no such user"), 0);
    assert_int_equal(store_outbox_due(st, time(NULL) + 86400, NULL, 0, more + 2, 6), 4);
    for (i = 2; i < 6; i++) {
	assert_true(more[i].id != items[2].id);
	outbox_item_free(&more[i]);
    }

    /* Four handed over in one commit: gone, and each ticket's clock set. */
    sent[0] = items[0].id, tickets[0] = ids[0];
    sent[1] = items[1].id, tickets[1] = ids[1];
    sent[2] = more[0].id, tickets[2] = json_string_value(json_object_get(more[0].doc, "ticket"));
    sent[3] = more[1].id, tickets[3] = json_string_value(json_object_get(more[1].doc, "ticket"));
    assert_non_null(tickets[2]);
    assert_non_null(tickets[3]);
    assert_int_equal(store_outbox_sent_many(st, 4, sent, tickets, "first_response", 1790000000), 0);
    assert_int_equal(store_outbox_due(st, time(NULL) + 86400, NULL, 0, more + 2, 6), 0);
    for (i = 0; i < 4; i++) {
	assert_int_equal(store_ticket_get(st, tickets[i], &tk), 0);
	assert_true(json_is_string(json_object_get(json_object_get(tk, "clock"), "first_response")));
	json_decref(tk);
    }
    assert_int_equal(store_ticket_get(st, ids[2], &tk), 0);
    assert_true(json_is_null(json_object_get(json_object_get(tk, "clock"), "first_response")));
    json_decref(tk);
    assert_int_equal(store_outbox_sent_many(st, 0, NULL, NULL, "first_response", 1), 0);
    for (i = 0; i < 3; i++)
	outbox_item_free(&items[i]);
    outbox_item_free(&more[0]);
    outbox_item_free(&more[1]);
    store_close(st);
}

static void test_map_growth(void **state)
{
    char    err[256], id[32];
    int     dup;
    struct store *st = store_open(dir, STORE_F_CREATE | STORE_F_NOSYNC | STORE_F_SMALLMAP, err, sizeof(err));
    struct stat sb;
    char    path[256];
    char   *big = malloc(200000);
    json_t *triage;
    struct store_intake in;

    /* 40 tickets of 200 KB each do not fit a 1 MiB map: it must grow. */
    memset(big, 'a', 199999);
    big[199999] = 0;
    triage = json_pack("{s:s}", "blob", big);
    for (int i = 0; i < 40; i++) {
	char    mid[32];

	snprintf(mid, sizeof(mid), "<m%d@x>", i);
	memset(&in, 0, sizeof(in));
	in.message_id = mid;
	in.kind = "report";
	in.triage = triage;
	in.now = 1790000000;
	assert_int_equal(store_intake_commit(st, &in, NULL, NULL, id, &dup), 0);
    }
    assert_string_equal(id, "SEC-2026-0040");
    snprintf(path, sizeof(path), "%s/data.mdb", dir);
    assert_int_equal(stat(path, &sb), 0);
    assert_true(sb.st_size > 4 * 1024 * 1024);
    json_decref(triage);
    free(big);
    store_close(st);
}

 /*
  * The map grows while other threads read: growing remaps the file, so
  * it must wait until no transaction of this process is open, and no
  * new one may start until it is done (a reader on the old mapping
  * would read freed memory).
  */
#define READERS	4

struct reader_arg {
    struct store *st;
    volatile int *stop;
    unsigned long reads;
    int     bad;
};

static void *growth_reader(void *p)
{
    struct reader_arg *a = p;

    while (!*a->stop) {
	json_t *t = NULL, *list = NULL;
	const char *blob;

	if (store_ticket_get(a->st, "SEC-2026-0001", &t) == 0 && t != NULL) {
	    blob = json_string_value(json_object_get(json_object_get(json_array_get(
				 json_object_get(t, "messages"), 0), "triage"), "blob"));
	    if (blob == NULL || strlen(blob) != 99999 || blob[0] != 'b' || blob[99998] != 'b')
		a->bad++;
	    json_decref(t);
	}
	if (store_ticket_list(a->st, NULL, &list) == 0)
	    json_decref(list);
	a->reads++;
    }
    return (NULL);
}

static void test_growth_under_readers(void **state)
{
    char    err[256], id[32], mid[32];
    struct store *st = store_open(dir, STORE_F_CREATE | STORE_F_NOSYNC | STORE_F_SMALLMAP,
				  err, sizeof(err));
    struct reader_arg ra[READERS];
    pthread_t th[READERS];
    volatile int stop = 0;
    char   *big = malloc(100000);
    json_t *triage;
    struct store_intake in;
    int     dup;

    (void) state;
    assert_non_null(st);
    assert_non_null(big);
    memset(big, 'b', 99999);
    big[99999] = 0;
    triage = json_pack("{s:s}", "blob", big);
    memset(&in, 0, sizeof(in));
    in.message_id = "<first@x>";
    in.kind = "report";
    in.triage = triage;
    in.now = 1790000000;
    assert_int_equal(store_intake_commit(st, &in, NULL, NULL, id, &dup), 0);
    for (int i = 0; i < READERS; i++) {
	memset(&ra[i], 0, sizeof(ra[i]));
	ra[i].st = st;
	ra[i].stop = &stop;
	assert_int_equal(pthread_create(&th[i], NULL, growth_reader, &ra[i]), 0);
    }

    /* 60 tickets of 100 KB: a 1 MiB map doubles three times or more. */
    for (int i = 0; i < 60; i++) {
	snprintf(mid, sizeof(mid), "<g%d@x>", i);
	in.message_id = mid;
	assert_int_equal(store_intake_commit(st, &in, NULL, NULL, id, &dup), 0);
    }
    stop = 1;
    for (int i = 0; i < READERS; i++) {
	pthread_join(th[i], NULL);
	assert_int_equal(ra[i].bad, 0);
	assert_true(ra[i].reads > 0);
    }
    assert_string_equal(id, "SEC-2026-0061");
    json_decref(triage);
    free(big);
    store_close(st);
}

static void test_two_processes(void **state)
{
    char    err[256], id[32];
    int     dup, status;
    pid_t   pid;
    struct store *st;
    json_t *list;

    /* Two writers at once, each with its own environment handle. */
    pid = fork();
    assert_true(pid >= 0);
    st = store_open(dir, STORE_F_CREATE | STORE_F_NOSYNC, err, sizeof(err));
    if (st == NULL)
	_exit(1);
    for (int i = 0; i < 50; i++) {
	char    mid[32];

	snprintf(mid, sizeof(mid), "<%s%d@x>", pid == 0 ? "child" : "parent", i);
	if (intake(st, NULL, mid, "report", id, &dup) != 0 || dup)
	    _exit(2);
    }
    store_close(st);
    if (pid == 0)
	_exit(0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    st = store_open(dir, 0, err, sizeof(err));
    assert_int_equal(store_ticket_list(st, NULL, &list), 0);
    assert_int_equal(json_array_size(list), 100);
    /* Newest first. */
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "id")), "SEC-2026-0100");
    json_decref(list);
    store_close(st);
}

static void test_open_errors(void **state)
{
    char    err[256], path[256];
    FILE   *fp;

    assert_null(store_open("/nonexistent/secmilter/state", 0, err, sizeof(err)));
    assert_non_null(strstr(err, "/nonexistent/secmilter/state"));
    snprintf(path, sizeof(path), "%s/afile", dir);
    fp = fopen(path, "w");
    fclose(fp);
    assert_null(store_open(path, STORE_F_CREATE, err, sizeof(err)));
    assert_non_null(strstr(err, "not a directory"));
}

/* ------------------------------------------------------------- blobs */

/* count_files - regular files under dir/sub, recursively, via find(1) */

static int count_files(const char *sub)
{
    char    cmd[512];
    FILE   *fp;
    int     n = -1;

    snprintf(cmd, sizeof(cmd), "find '%s/%s' -type f 2>/dev/null | wc -l", dir, sub);
    assert_non_null(fp = popen(cmd, "r"));
    assert_int_equal(fscanf(fp, "%d", &n), 1);
    pclose(fp);
    return (n);
}

static void test_blobs(void **state)
{
    /* sha256("hello, world\n") */
    const char *sha = "853ff93762a06ddbf722c4ebe9ddd66d8f63ddaea97f521c3ecc20da7c976020";
    const char *data = "hello, world\n";
    char    err[256], path[512], buf[64];
    struct store *st = store_open(dir, STORE_F_CREATE | STORE_F_NOSYNC, err, sizeof(err));
    struct store_blob *b;
    struct stat sb;
    char   *name;
    FILE   *fp;

    assert_non_null(st);

    /* Two identical blobs, written in pieces: one file, mode 0600. */
    for (int i = 0; i < 2; i++) {
	assert_non_null(b = store_blob_begin(st));
	assert_int_equal(store_blob_write(b, data, 5), 0);
	assert_int_equal(store_blob_write(b, data + 5, strlen(data) - 5), 0);
	assert_non_null(name = store_blob_end(b, sha));
	assert_string_equal(name, "att/85/853ff93762a06ddbf722c4ebe9ddd66d8f63ddaea97f521c3ecc20da7c976020");
	free(name);
    }
    assert_int_equal(count_files("att"), 1);
    snprintf(path, sizeof(path), "%s/att/85/%s", dir, sha);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0600);
    assert_non_null(fp = fopen(path, "r"));
    assert_non_null(fgets(buf, sizeof(buf), fp));
    fclose(fp);
    assert_string_equal(buf, data);
    snprintf(path, sizeof(path), "%s/att/85", dir);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0700);

    /* Abort leaves nothing behind. */
    assert_non_null(b = store_blob_begin(st));
    assert_int_equal(store_blob_write(b, "partial", 7), 0);
    store_blob_abort(b);
    assert_int_equal(count_files("att"), 1);

    /* A digest that is not 64 lower-case hex digits names nothing. */
    {
	const char *bad[] = {
	    "../../../../etc/passwd", "",
	    "853FF93762A06DDBF722C4EBE9DDD66D8F63DDAEA97F521C3ECC20DA7C976020",
	    "853ff93762a06ddbf722c4ebe9ddd66d8f63ddaea97f521c3ecc20da7c97602",
	    "853ff93762a06ddbf722c4ebe9ddd66d8f63ddaea97f521c3ecc20da7c9760200",
	    "85/ff93762a06ddbf722c4ebe9ddd66d8f63ddaea97f521c3ecc20da7c976020",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
	    assert_non_null(b = store_blob_begin(st));
	    assert_int_equal(store_blob_write(b, data, strlen(data)), 0);
	    assert_null(store_blob_end(b, bad[i]));
	}
	assert_non_null(b = store_blob_begin(st));
	assert_null(store_blob_end(b, NULL));
    }
    assert_int_equal(count_files("att"), 1);
    store_close(st);

    /* A read-only store writes no blob. */
    st = store_open(dir, STORE_F_RDONLY, err, sizeof(err));
    assert_non_null(st);
    assert_null(store_blob_begin(st));
    store_close(st);
}

/* -------------------------------------------------------- duplicates */

static int intake_keys(struct store *st, const char *ticket, const char *msgid, time_t now,
		               char fps[][65], size_t nfp, uint64_t simhash, char out[32])
{
    struct store_intake in;
    json_t *triage = json_pack("{s:s, s:[s]}", "kind", "report", "classes", "auth");
    int     r, dup;

    memset(&in, 0, sizeof(in));
    in.ticket = ticket;
    in.message_id = msgid;
    in.kind = ticket ? "followup" : "report";
    in.triage = triage;
    in.now = now;
    in.fingerprints = fps;
    in.n_fingerprints = nfp;
    in.simhash = simhash;
    in.has_simhash = (simhash != 0);
    r = store_intake_commit(st, &in, NULL, NULL, out, &dup);
    json_decref(triage);
    return (r);
}

static int set_state_edit(json_t *ticket, void *arg, struct store_outmsg *out,
			          size_t *n_out, struct sbuf *bufs, char *err, size_t errlen)
{
    json_object_set_new(ticket, "state", json_string(arg));
    return (0);
}

static void test_duplicates(void **state)
{
    char    err[256], id[32], found[32];
    char    fa[1][65], fb[1][65], fc[1][65], fx[2][65];
    struct store *st = store_open(dir, STORE_F_CREATE | STORE_F_NOSYNC, err, sizeof(err));
    const time_t y2026 = 1790000000, y2027 = 1800000000;
    const uint64_t h = 0x0123456789abcdefULL;
    /* Five bits off, at least one in each band: no band matches exactly. */
    const uint64_t near = h ^ (1ULL << 0) ^ (1ULL << 9) ^ (1ULL << 17) ^ (1ULL << 40) ^ (1ULL << 63);
    const char *basis;
    double  sim;

    assert_non_null(st);
    memset(fa[0], 'a', 64), fa[0][64] = 0;
    memset(fb[0], 'b', 64), fb[0][64] = 0;
    memset(fc[0], 'c', 64), fc[0][64] = 0;
    memcpy(fx[0], fb[0], 65);
    memcpy(fx[1], fa[0], 65);

    /* Nothing stored yet: nothing found. */
    assert_int_equal(store_find_duplicate(st, fa, 1, h, 0.9, found, &sim, &basis), 0);

    assert_int_equal(intake_keys(st, NULL, "<d1@x>", y2026, fa, 1, h, id), 0);
    assert_string_equal(id, "SEC-2026-0001");
    assert_int_equal(intake_keys(st, NULL, "<d2@x>", y2026, fa, 1, near, id), 0);
    assert_int_equal(intake_keys(st, NULL, "<d3@x>", y2026, fb, 1, ~h, id), 0);
    assert_string_equal(id, "SEC-2026-0003");

    /* A shared fingerprint names the earliest ticket that has it. */
    assert_int_equal(store_find_duplicate(st, fx, 2, 0, 0.9, found, &sim, &basis), 1);
    assert_string_equal(found, "SEC-2026-0001");
    assert_string_equal(basis, "fingerprint");
    assert_true(sim == 1.0);
    assert_int_equal(store_find_duplicate(st, fb, 1, 0, 0.9, found, &sim, &basis), 1);
    assert_string_equal(found, "SEC-2026-0003");

    /* Similar text through the bands, though no band is equal. */
    assert_int_equal(store_find_duplicate(st, fc, 1, near, 0.9, found, &sim, &basis), 1);
    assert_string_equal(found, "SEC-2026-0001");
    assert_string_equal(basis, "text");
    assert_true(sim > 0.92 && sim < 0.93);	/* 59 of 64 bits */
    assert_int_equal(store_find_duplicate(st, fc, 1, near, 0.95, found, &sim, &basis), 1);
    assert_string_equal(found, "SEC-2026-0002");	/* the same hash */
    assert_true(sim == 1.0);
    assert_int_equal(store_find_duplicate(st, fc, 1, h ^ 0xffff00ULL, 0.9, found, &sim, &basis), 0);
    assert_int_equal(store_find_duplicate(st, NULL, 0, 0, 0.9, found, &sim, &basis), 0);

    /* A ticket closed as spam or invalid is nobody's original. */
    assert_int_equal(store_ticket_update(st, "SEC-2026-0001", set_state_edit, "spam", err, sizeof(err)), 0);
    assert_int_equal(store_find_duplicate(st, fa, 1, 0, 0.9, found, &sim, &basis), 1);
    assert_string_equal(found, "SEC-2026-0002");
    assert_int_equal(store_find_duplicate(st, fc, 1, h, 0.9, found, &sim, &basis), 1);
    assert_string_equal(found, "SEC-2026-0002");
    assert_int_equal(store_ticket_update(st, "SEC-2026-0002", set_state_edit, "invalid", err, sizeof(err)), 0);
    assert_int_equal(store_find_duplicate(st, fa, 1, h, 0.9, found, &sim, &basis), 0);
    assert_int_equal(store_ticket_update(st, "SEC-2026-0002", set_state_edit, "out_of_scope", err, sizeof(err)), 0);
    assert_int_equal(store_find_duplicate(st, fa, 1, 0, 0.9, found, &sim, &basis), 1);
    assert_string_equal(found, "SEC-2026-0002");

    /* Earliest is by year, then number, whatever the order of intake. */
    assert_int_equal(intake_keys(st, NULL, "<d4@x>", y2027, fc, 1, 0, id), 0);
    assert_string_equal(id, "SEC-2027-0001");
    assert_int_equal(intake_keys(st, NULL, "<d5@x>", y2026, fc, 1, 0, id), 0);
    assert_string_equal(id, "SEC-2026-0004");
    assert_int_equal(store_find_duplicate(st, fc, 1, 0, 0.9, found, &sim, &basis), 1);
    assert_string_equal(found, "SEC-2026-0004");

    /* A follow-up adds no keys: only a new ticket is indexed. */
    {
	char    fd[1][65];

	memset(fd[0], 'd', 64), fd[0][64] = 0;
	assert_int_equal(intake_keys(st, "SEC-2026-0003", "<d6@x>", y2026, fd, 1, 0, id), 0);
	assert_string_equal(id, "SEC-2026-0003");
	assert_int_equal(store_find_duplicate(st, fd, 1, 0, 0.9, found, &sim, &basis), 0);
    }
    store_close(st);

    /* Read-only (secticket) finds the same. */
    st = store_open(dir, STORE_F_RDONLY, err, sizeof(err));
    assert_non_null(st);
    assert_int_equal(store_find_duplicate(st, fc, 1, 0, 0.9, found, &sim, &basis), 1);
    assert_string_equal(found, "SEC-2026-0004");
    store_close(st);
}

static void test_duplicates_older_store(void **state)
{
    static const char *const dbs[] = {"meta", "tickets", "msgid", "outbox"};
    char    err[256], found[32], fa[1][65];
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    struct store *st;
    const char *basis;
    double  sim;

    /* A store of an earlier version: only the first four databases. */
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_set_maxdbs(env, 8), 0);
    assert_int_equal(mdb_env_open(env, dir, MDB_NOSYNC, 0600), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    for (size_t i = 0; i < 4; i++)
	assert_int_equal(mdb_dbi_open(txn, dbs[i], MDB_CREATE, &dbi), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);

    /* Read-only it opens and finds no duplicate; read-write it adds the index. */
    memset(fa[0], 'a', 64), fa[0][64] = 0;
    assert_non_null(st = store_open(dir, STORE_F_RDONLY, err, sizeof(err)));
    assert_int_equal(store_find_duplicate(st, fa, 1, 1, 0.9, found, &sim, &basis), 0);
    store_close(st);
    assert_non_null(st = store_open(dir, STORE_F_NOSYNC, err, sizeof(err)));
    assert_int_equal(store_find_duplicate(st, fa, 1, 1, 0.9, found, &sim, &basis), 0);
    store_close(st);
}

/* ------------------------------------------------------ document text */

/* rand_bytes - hostile text: control bytes, quotes, stray and valid UTF-8 */
static size_t rand_bytes(unsigned *seed, char *buf, size_t max)
{
    static const char *const pieces[] = {
	"\"", "\\", "/", "\x01", "\x1f", "\x7f", "\t", "\r\n", "caf\xc3\xa9",
	"\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xed\xa0\x80", "\xc0\xaf", "\xe0\x80\xaf",
	"\xf4\x90\x80\x80", "\xf5\x80", "\xff", "\xc3", "\xe2\x82", "plain text ",
    };
    size_t  n = 0, k = (size_t) rand_r(seed) % 12;

    while (k-- > 0) {
	const char *p = pieces[(size_t) rand_r(seed) % (sizeof(pieces) / sizeof(pieces[0]))];
	size_t  len = strlen(p);

	if (n + len >= max)
	    break;
	memcpy(buf + n, p, len);
	n += len;
    }
    return (n);
}

/* rand_doc - a random document of what tickets hold */
static json_t *rand_doc(unsigned *seed, int depth)
{
    char    buf[256];
    size_t  n, i, members = (size_t) rand_r(seed) % 5;
    json_t *v;

    switch (depth > 3 ? rand_r(seed) % 5 : rand_r(seed) % 7) {
    case 0:
	n = rand_bytes(seed, buf, sizeof(buf));
	return (json_stringn_nocheck(buf, n));
    case 1:
	return (json_integer((json_int_t) rand_r(seed) - RAND_MAX / 2));
    case 2:
	return (json_real((double) rand_r(seed) / 997.0));
    case 3:
	return (rand_r(seed) % 2 ? json_true() : json_false());
    case 4:
	return (json_null());
    case 5:
	v = json_array();
	for (i = 0; i < members; i++)
	    json_array_append_new(v, rand_doc(seed, depth + 1));
	return (v);
    default:
	v = json_object();
	for (i = 0; i < members; i++) {
	    /* Keys are ours (the ticket's fields), never sender text. */
	    snprintf(buf, sizeof(buf), "k%zu", i);
	    json_object_set_new(v, buf, rand_doc(seed, depth + 1));
	}
	return (v);
    }
}

/* The store's JSON writer gives json_dumps()'s bytes, whatever the text. */
static void test_json_dump_as_jansson(void **state)
{
    unsigned seed = 20261129;
    int     i;

    (void) state;
    for (i = 0; i < 3000; i++) {
	json_t *doc = json_object();
	struct sbuf out;
	char   *want;

	json_object_set_new(doc, "v", rand_doc(&seed, 0));
	sbuf_init(&out, 1 << 20);
	want = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(15));
	if (want != NULL) {
	    assert_int_equal(store_json_dump(doc, 15, &out), 0);
	    assert_int_equal(out.len, strlen(want));
	    assert_memory_equal(sbuf_str(&out), want, out.len);
	} else {
	    assert_int_equal(store_json_dump(doc, 15, &out), -1);
	}
	free(want);
	sbuf_free(&out);
	json_decref(doc);
    }
}

static void test_document_round_trip(void **state)
{
    char    err[256], id[32];
    struct store *st = store_open(dir, STORE_F_CREATE | STORE_F_NOSYNC, err, sizeof(err));
    struct store_intake in;
    json_t *triage, *ticket, *msgs;
    int     dup;

    /*
     * What a sender controls, through the store's own serialiser and
     * back: quotes, backslashes, control bytes, UTF-8, reals, nesting.
     */
    assert_non_null(st);
    triage = json_pack("{s:s, s:s, s:[s, s], s:{s:f, s:f, s:I}, s:b, s:n, s:{}, s:[]}",
		       "kind", "report",
		       "subject", "a \"quoted\" \\ path\x01\x1f\t\r\n caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		       "classes", "xss", "/slash/",
		       "cvss", "score", 9.8, "similarity", 0.92, "big", (json_int_t) -9007199254740993LL,
		       "acknowledge", 1, "ticket", "attachments", "urls");
    assert_non_null(triage);
    memset(&in, 0, sizeof(in));
    in.message_id = "<round@trip>";
    in.kind = "report";
    in.subject = "Subject with \"quotes\" and \xc3\xa9";
    in.triage = triage;
    in.now = 1790000000;
    assert_int_equal(store_intake_commit(st, &in, NULL, NULL, id, &dup), 0);
    assert_int_equal(store_ticket_get(st, id, &ticket), 0);
    assert_string_equal(json_string_value(json_object_get(ticket, "subject")), in.subject);
    msgs = json_object_get(ticket, "messages");
    assert_true(json_equal(json_object_get(json_array_get(msgs, 0), "triage"), triage));
    json_decref(ticket);
    json_decref(triage);
    store_close(st);
}

/* ------------------------------------------------------- group commit */

#define GROUP_THREADS	8
#define GROUP_EACH	25

struct group_arg {
    struct store *st;
    int     n;
    int     failed;
    char    ids[GROUP_EACH][32];
};

static void *group_writer(void *varg)
{
    struct group_arg *g = varg;
    char    msgid[64], again[32];
    int     dup;

    for (int i = 0; i < GROUP_EACH; i++) {
	snprintf(msgid, sizeof(msgid), "<g%d.%d@x>", g->n, i);
	if (intake(g->st, NULL, msgid, "report", g->ids[i], &dup) != 0 || dup)
	    g->failed++;
	/* A retried delivery in the middle of a group changes nothing. */
	if (i % 5 == 0 && (intake(g->st, NULL, msgid, "report", again, &dup) != 0 || !dup
			   || strcmp(again, g->ids[i]) != 0))
	    g->failed++;
    }
    return (NULL);
}

static void test_group_commit(void **state)
{
    char    err[256];
    struct store *st = store_open(dir, STORE_F_CREATE | STORE_F_NOSYNC | STORE_F_SMALLMAP,
				  err, sizeof(err));
    struct group_arg g[GROUP_THREADS];
    pthread_t th[GROUP_THREADS];
    char    seen[GROUP_THREADS * GROUP_EACH + 1];
    json_t *list;
    unsigned long year, num;

    /*
     * Concurrent writers share commits; the small map fills in the
     * middle of groups. Every ticket exists once, numbers have no gap.
     */
    assert_non_null(st);
    for (int i = 0; i < GROUP_THREADS; i++) {
	memset(&g[i], 0, sizeof(g[i]));
	g[i].st = st;
	g[i].n = i;
	assert_int_equal(pthread_create(&th[i], NULL, group_writer, &g[i]), 0);
    }
    memset(seen, 0, sizeof(seen));
    for (int i = 0; i < GROUP_THREADS; i++) {
	pthread_join(th[i], NULL);
	assert_int_equal(g[i].failed, 0);
	for (int j = 0; j < GROUP_EACH; j++) {
	    assert_int_equal(sscanf(g[i].ids[j], "SEC-%lu-%lu", &year, &num), 2);
	    assert_true(num >= 1 && num <= GROUP_THREADS * GROUP_EACH);
	    assert_int_equal(seen[num], 0);
	    seen[num] = 1;
	}
    }
    assert_int_equal(store_ticket_list(st, NULL, &list), 0);
    assert_int_equal(json_array_size(list), GROUP_THREADS * GROUP_EACH);
    json_decref(list);
    store_close(st);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_create_and_sequence, setup, teardown),
	cmocka_unit_test_setup_teardown(test_threading, setup, teardown),
	cmocka_unit_test_setup_teardown(test_outbox, setup, teardown),
	cmocka_unit_test_setup_teardown(test_outbox_batch, setup, teardown),
	cmocka_unit_test_setup_teardown(test_map_growth, setup, teardown),
	cmocka_unit_test_setup_teardown(test_growth_under_readers, setup, teardown),
	cmocka_unit_test_setup_teardown(test_two_processes, setup, teardown),
	cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
	cmocka_unit_test_setup_teardown(test_blobs, setup, teardown),
	cmocka_unit_test_setup_teardown(test_duplicates, setup, teardown),
	cmocka_unit_test_setup_teardown(test_duplicates_older_store, setup, teardown),
	cmocka_unit_test_setup_teardown(test_document_round_trip, setup, teardown),
	cmocka_unit_test_setup_teardown(test_group_commit, setup, teardown),
	cmocka_unit_test(test_json_dump_as_jansson),
    };

    return (cmocka_run_group_tests(tests, NULL, NULL));
}
