/*++
/* NAME
/*	sender 3
/* SUMMARY
/*	hand the outbox to the MTA through the Sendmail command
/* SYNOPSIS
/*	#include "notify/notify.h"
/* DESCRIPTION
/*	SENDER_THREADS threads per daemon. Each takes up to SENDER_BATCH
/*	due messages from the store's outbox that no other thread has in
/*	hand, pipes each into "Sendmail -i -f SENDER -- RCPT" and waits
/*	for the command, with a time limit; with SubmitServer set it hands
/*	them over in one SMTP session (smtp.c) instead. The messages the
/*	MTA took leave the outbox in one commit. Several threads keep up
/*	with a busy intake: each hand-over waits for the MTA's own fsync
/*	(and, through Sendmail, for a process), which one thread alone
/*	did one message at a time. Exit status 0 (or 250) removes the
/*	message from the outbox; anything else defers it with exponential
/*	backoff (OutboxRetryMinSeconds, 30 by default, doubling up to
/*	NOTIFY_RETRY_MAX_S), and a message older than OutboxMaxAge (5 days
/*	by default; counted from when it was queued, or from when an
/*	operator requeued it with "secticket outbox retry") is marked
/*	failed, where secticket shows it. The last retry is at the maximum
/*	age, never after it.
/*
/*	A message about a ticket that the MTA took starts the ticket's
/*	first_response clock, in the commit that removes it from the outbox
/*	(store_outbox_sent(); only a null clock is set:
/*	the first message handed over wins).
/*
/*	The child is started with posix_spawn(): never fork() in a threaded
/*	milter. No shell is involved: the command is split on white space
/*	and the addresses are separate arguments after "--".
/*
/*	A crash after the MTA took a message and before it left the outbox
/*	sends it again at the next start; a message is never lost.
/* DIAGNOSTICS
/*	Failures are logged with the outbox ID and retried.
/*--*/

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/util.h"
#include "store/store.h"
#include "notify/notify.h"

#define SENDER_IDLE_MS		2000	/* outbox poll when idle */
#define SENDER_THREADS		4	/* messages handed over at once */
#define SENDER_BATCH		16	/* messages a thread takes at a time */
#define SENDER_ARGV_MAX		32	/* words in the Sendmail command */
#define SENDER_ERR_MAX		300	/* bytes of the command's stderr kept */

extern char **environ;

struct notify_sender {
    struct store *store;
    const struct sm_config *cfg;
    pthread_t thread[SENDER_THREADS];
    int     n_threads;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int     stop;
    unsigned wake;			/* wake-ups so far */
    uint64_t inflight[SENDER_THREADS * SENDER_BATCH];	/* IDs in hand */
    size_t  n_inflight;
};

/* split_command - the Sendmail key as argv, plus our arguments */

static int split_command(char *cmd, const char *from, const char *to, char **argv)
{
    int     n = 0;
    char   *save = NULL;

    for (char *w = strtok_r(cmd, " \t", &save); w && n < SENDER_ARGV_MAX - 6; w = strtok_r(NULL, " \t", &save))
	argv[n++] = w;
    if (n == 0)
	return (-1);
    argv[n++] = "-i";
    argv[n++] = "-f";
    argv[n++] = (char *) (from && *from ? from : "<>");
    argv[n++] = "--";
    argv[n++] = (char *) to;
    argv[n] = NULL;
    return (n);
}

int     notify_submit(const char *command, const char *from, const char *to,
		              const char *data, size_t len, int timeout_ms,
		              char *err, size_t errlen)
{
    char   *cmd, *argv[SENDER_ARGV_MAX];
    int     in[2] = {-1, -1}, errp[2] = {-1, -1};
    posix_spawn_file_actions_t fa;
    pid_t   pid;
    size_t  off = 0, elen = 0;
    int     status = 0, rc, done = 0;
    int64_t deadline = sm_now_ms() + timeout_ms;

    err[0] = 0;
    if (to == NULL || *to == 0 || *to == '-') {
	snprintf(err, errlen, "bad recipient");
	return (-1);
    }
    if ((cmd = strdup(command)) == NULL || split_command(cmd, from, to, argv) < 0) {
	free(cmd);
	snprintf(err, errlen, "empty Sendmail command");
	return (-1);
    }

    /* The child: stdin from our pipe, stderr to another, no shell. */
    if (pipe2(in, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
	snprintf(err, errlen, "pipe: %s", strerror(errno));
	goto fail;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
    rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]), in[0] = -1;
    close(errp[1]), errp[1] = -1;
    if (rc != 0) {
	snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(rc));
	goto fail;
    }

    /* Feed the message and drain stderr until both are done or time runs out. */
    fcntl(in[1], F_SETFL, O_NONBLOCK);
    while (!done) {
	struct pollfd pfd[2];
	int     nfd = 0, left = (int) (deadline - sm_now_ms());

	if (left <= 0) {
	    kill(pid, SIGKILL);
	    snprintf(err, errlen, "%s timed out after %d ms", argv[0], timeout_ms);
	    break;
	}
	if (in[1] >= 0) {
	    pfd[nfd].fd = in[1];
	    pfd[nfd++].events = POLLOUT;
	}
	pfd[nfd].fd = errp[0];
	pfd[nfd++].events = POLLIN;
	if (poll(pfd, (nfds_t) nfd, left > 500 ? 500 : left) < 0 && errno != EINTR)
	    break;
	for (int i = 0; i < nfd; i++) {
	    if (pfd[i].fd == in[1] && (pfd[i].revents & (POLLOUT | POLLERR | POLLHUP))) {
		ssize_t w = write(in[1], data + off, len - off);

		if (w > 0)
		    off += (size_t) w;
		if ((w < 0 && errno != EAGAIN) || off >= len) {
		    close(in[1]);
		    in[1] = -1;
		}
	    } else if (pfd[i].fd == errp[0] && (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))) {
		char    buf[512];
		ssize_t r = read(errp[0], buf, sizeof(buf));

		if (r <= 0) {
		    done = 1;
		} else if (elen + 1 < errlen && elen < SENDER_ERR_MAX) {
		    size_t  take = (size_t) r;

		    if (take > errlen - elen - 1)
			take = errlen - elen - 1;
		    memcpy(err + elen, buf, take);
		    elen += take;
		    err[elen] = 0;
		}
	    }
	}
    }
    if (in[1] >= 0)
	close(in[1]);
    close(errp[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
	 /* void */ ;
    free(cmd);

    /* Only a clean exit after the whole message counts as handed over. */
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && off >= len) {
	err[0] = 0;
	return (0);
    }
    {
	char   *clean = sm_sanitize(err, strlen(err), 200);

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
	    snprintf(err, errlen, "exit 0 after reading %zu of %zu bytes%s%s", off, len,
		     *clean ? ": " : "", clean);
	else if (WIFEXITED(status))
	    snprintf(err, errlen, "exit %d%s%s", WEXITSTATUS(status), *clean ? ": " : "", clean);
	else if (!*clean)
	    snprintf(err, errlen, "killed by signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	else
	    snprintf(err, errlen, "%s", clean);
	free(clean);
    }
    return (-1);

fail:
    for (int i = 0; i < 2; i++) {
	if (in[i] >= 0)
	    close(in[i]);
	if (errp[i] >= 0)
	    close(errp[i]);
    }
    free(cmd);
    return (-1);
}

/* sender_failed - a message the MTA did not take: retry later, or give up */

static void sender_failed(struct notify_sender *s, const struct outbox_item *item, const char *err)
{
    time_t  now = time(NULL), created;
    json_int_t attempts = json_integer_value(json_object_get(item->doc, "attempts"));
    time_t  delay = s->cfg->outbox_retry_min_s ? s->cfg->outbox_retry_min_s : NOTIFY_RETRY_MIN_S;
    time_t  max_age = s->cfg->outbox_max_age_s ? s->cfg->outbox_max_age_s : NOTIFY_MAX_AGE_S;
    char    ts[32];
    struct tm tm;

    for (json_int_t i = 0; i < attempts && delay < NOTIFY_RETRY_MAX_S; i++)
	delay *= 2;
    if (delay > NOTIFY_RETRY_MAX_S)
	delay = NOTIFY_RETRY_MAX_S;

    /*
     * Past the maximum age the message is failed for good. The age
     * counts from the queueing, or from an operator's requeue.
     */
    memset(&tm, 0, sizeof(tm));
    snprintf(ts, sizeof(ts), "%s", json_string_value(json_object_get(item->doc, "created")) ?: "");
    created = strptime(ts, "%Y-%m-%dT%H:%M:%SZ", &tm) ? timegm(&tm) : now;
    if (json_integer_value(json_object_get(item->doc, "requeued")) > (json_int_t) created)
	created = (time_t) json_integer_value(json_object_get(item->doc, "requeued"));
    if (now + delay > created + max_age && now < created + max_age)
	delay = created + max_age - now;
    if (now - created >= max_age) {
	sm_log(LOG_ERR, NULL, "outbox: item %llu failed for good after %lld attempts: %s",
	       (unsigned long long) item->id, (long long) attempts + 1, err);
	store_outbox_defer(s->store, item->id, 0, err);
    } else {
	sm_log(LOG_WARNING, NULL, "outbox: item %llu deferred %lds: %s",
	       (unsigned long long) item->id, (long) delay, err);
	store_outbox_defer(s->store, item->id, now + delay, err);
    }
}

/*
 * sender_batch - take up to SENDER_BATCH due messages no other thread
 * has, hand them to the MTA (over one SMTP session with SubmitServer),
 * and take the ones it took out of the outbox in one commit. The number
 * of messages tried.
 */
static int sender_batch(struct notify_sender *s)
{
    struct outbox_item items[SENDER_BATCH];
    uint64_t sent_ids[SENDER_BATCH];
    const char *sent_tickets[SENDER_BATCH];
    size_t  sent_idx[SENDER_BATCH], n_sent = 0, i, j;
    struct notify_smtp *session = NULL;
    char    err[512], open_err[512] = "";
    int     n;

    /* Claimed under the lock: two threads never hold the same message. */
    pthread_mutex_lock(&s->lock);
    n = store_outbox_due(s->store, time(NULL), s->inflight, s->n_inflight, items, SENDER_BATCH);
    for (i = 0; n > 0 && i < (size_t) n; i++)
	s->inflight[s->n_inflight++] = items[i].id;
    if (n == SENDER_BATCH)
	pthread_cond_signal(&s->cond);	/* maybe more: another thread looks */
    pthread_mutex_unlock(&s->lock);
    if (n <= 0) {
	if (n < 0)
	    sm_log(LOG_WARNING, NULL, "outbox: %s", store_error(s->store));
	return (0);
    }

    for (i = 0; i < (size_t) n; i++) {
	const struct outbox_item *item = &items[i];
	const char *data = json_string_value(json_object_get(item->doc, "data"));
	const char *from = json_string_value(json_object_get(item->doc, "from"));
	const char *to = json_string_value(json_object_get(item->doc, "to"));
	size_t  len = json_string_length(json_object_get(item->doc, "data"));
	int     r;

	if (data == NULL || to == NULL) {
	    sm_log(LOG_ERR, NULL, "outbox: item %llu is unreadable, marked failed",
		   (unsigned long long) item->id);
	    store_outbox_defer(s->store, item->id, 0, "unreadable record");
	    continue;
	}
	if (s->cfg->submit_server) {
	    if (session != NULL && notify_smtp_broken(session)) {
		notify_smtp_close(session);
		session = NULL;
	    }
	    /*
	     * A server that cannot be reached once is not tried again for
	     * the rest of the batch: a dead or silent MTA costs one time
	     * limit per batch, not one per message.
	     */
	    if (session == NULL && open_err[0] == 0
		&& (session = notify_smtp_open(s->cfg->submit_server, NOTIFY_SUBMIT_TIMEOUT_MS,
					       open_err, sizeof(open_err))) == NULL
		&& open_err[0] == 0)
		snprintf(open_err, sizeof(open_err), "SubmitServer: no session");
	    if (session == NULL) {
		snprintf(err, sizeof(err), "%s", open_err);
		r = -1;
	    } else {
		r = notify_smtp_send(session, from, to, data, len, NOTIFY_SUBMIT_TIMEOUT_MS,
				     err, sizeof(err));
	    }
	} else {
	    r = notify_submit(s->cfg->sendmail, from, to, data, len,
			      NOTIFY_SUBMIT_TIMEOUT_MS, err, sizeof(err));
	}
	if (r == 0) {
	    sent_ids[n_sent] = item->id;
	    sent_tickets[n_sent] = json_string_value(json_object_get(item->doc, "ticket"));
	    sent_idx[n_sent++] = i;
	} else {
	    sender_failed(s, item, err);
	}
    }
    notify_smtp_close(session);

    /*
     * Out of the outbox, and each reporter has heard from us: the
     * tickets' first response, in the same commit.
     */
    if (store_outbox_sent_many(s->store, n_sent, sent_ids, sent_tickets,
			       "first_response", time(NULL)) < 0) {
	for (j = 0; j < n_sent; j++)
	    sm_log(LOG_ERR, NULL, "outbox: item %llu sent but not removed: %s",
		   (unsigned long long) sent_ids[j], store_error(s->store));
    } else {
	for (j = 0; j < n_sent; j++)
	    sm_log(LOG_INFO, NULL, "outbox: item %llu ticket=%s purpose=%s handed to the MTA",
		   (unsigned long long) sent_ids[j], sent_tickets[j] ? sent_tickets[j] : "-",
		   json_string_value(json_object_get(items[sent_idx[j]].doc, "purpose")) ?: "-");
    }

    /* Out of hand: removed, deferred, or (on a store error) tried again. */
    pthread_mutex_lock(&s->lock);
    for (i = 0; i < (size_t) n; i++) {
	for (j = 0; j < s->n_inflight && s->inflight[j] != items[i].id; j++)
	    /* void */ ;
	if (j < s->n_inflight)
	    s->inflight[j] = s->inflight[--s->n_inflight];
    }
    pthread_mutex_unlock(&s->lock);
    for (i = 0; i < (size_t) n; i++)
	outbox_item_free(&items[i]);
    return (n);
}

static void *sender_main(void *arg)
{
    struct notify_sender *s = arg;
    unsigned seen;

    for (;;) {
	struct timespec ts;
	int     busy;

	pthread_mutex_lock(&s->lock);
	if (s->stop) {
	    pthread_mutex_unlock(&s->lock);
	    break;
	}
	seen = s->wake;
	pthread_mutex_unlock(&s->lock);

	busy = sender_batch(s);

	/* Idle: sleep until woken or the poll interval passes. */
	pthread_mutex_lock(&s->lock);
	if (!busy && s->wake == seen && !s->stop) {
	    clock_gettime(CLOCK_REALTIME, &ts);
	    ts.tv_sec += SENDER_IDLE_MS / 1000;
	    pthread_cond_timedwait(&s->cond, &s->lock, &ts);
	}
	pthread_mutex_unlock(&s->lock);
    }
    return (NULL);
}

struct notify_sender *notify_sender_start(struct store *store, const struct sm_config *cfg)
{
    struct notify_sender *s;

    if ((s = calloc(1, sizeof(*s))) == NULL)
	return (NULL);
    s->store = store;
    s->cfg = cfg;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->cond, NULL);
    for (int i = 0; i < SENDER_THREADS; i++) {
	if (pthread_create(&s->thread[i], NULL, sender_main, s) != 0)
	    break;
	s->n_threads++;
    }
    if (s->n_threads == 0) {
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	free(s);
	return (NULL);
    }
    return (s);
}

void    notify_sender_wake(struct notify_sender *s)
{
    if (s == NULL)
	return;
    pthread_mutex_lock(&s->lock);
    s->wake++;
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

void    notify_sender_stop(struct notify_sender *s)
{
    if (s == NULL)
	return;
    pthread_mutex_lock(&s->lock);
    s->stop = 1;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
    for (int i = 0; i < s->n_threads; i++)
	pthread_join(s->thread[i], NULL);
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->lock);
    free(s);
}
