/*++
/* NAME
/*	intake 3
/* SUMMARY
/*	one message through parse, triage, store and acknowledgement
/* SYNOPSIS
/*	#include "milter/milter.h"
/* DESCRIPTION
/*	The daemon and secmilter -t run the same code: intake_triage()
/*	parses the message (parser/) and judges it (classify/). With a
/*	store it also asks store/ whether the message belongs to a ticket:
/*	a duplicate delivery, a ticket tag, or a reference to a message of
/*	a ticket (ours included).
/*
/*	intake_message() then commits the message to its ticket and, for a
/*	new report from a real sender, queues the acknowledgement in the
/*	same transaction; at most one acknowledgement per ticket.
/*
/*	A new report (not a follow-up, not automated, not a retried
/*	delivery) is also compared with the tickets in the store: the
/*	earliest one about the same endpoint (classify/ fingerprints) or
/*	with text at least DuplicateSimilarity alike (SimHash) becomes its
/*	duplicate_of, in the triage JSON and the X-Security-Triage header;
/*	its keys are indexed in the same commit. secmilter -t has no store
/*	and names no duplicate.
/*
/*	With a store and KeepAttachments yes, the parser keeps each
/*	attachment (up to MaxAttachmentBytes) in the store's att/ through a
/*	report_sink over store_blob_*(), set in a copy of the shared limits.
/*	secmilter -t has no store and keeps nothing.
/*
/*	Never: a store lookup from classify/, a reply to automated mail or
/*	to a null sender, message text in a log line.
/* DIAGNOSTICS
/*	-1 and a log line when the message must pass unchanged.
/*--*/

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/util.h"
#include "milter/milter.h"

#define INTAKE_STDIN_MAX_BYTES	(64UL * 1024 * 1024)

static void *sink_begin(void *);
static int sink_write(void *, const void *, size_t);
static char *sink_end(void *, const char *);
static void sink_abort(void *);
static void intake_reply_policy(const struct intake_env *, const struct report *,
				        struct triage *);
static size_t intake_duplicate(const struct intake_env *, const char *,
			               const struct report *, struct triage *,
			               char[][65], uint64_t *);

/* sink_begin, sink_write, sink_end, sink_abort - attachments into blobs */

static void *sink_begin(void *arg)
{
    return (store_blob_begin(arg));
}

static int sink_write(void *obj, const void *data, size_t len)
{
    return (store_blob_write(obj, data, len));
}

static char *sink_end(void *obj, const char *sha256_hex)
{
    return (store_blob_end(obj, sha256_hex));
}

static void sink_abort(void *obj)
{
    store_blob_abort(obj);
}

void    intake_result_init(struct intake_result *res)
{
    memset(res, 0, sizeof(*res));
    sbuf_init(&res->triage_hdr, 1024);
}

void    intake_result_free(struct intake_result *res)
{
    sbuf_free(&res->triage_hdr);
}

int     intake_triage(const struct intake_env *env, int fd, const char *sender,
		              unsigned report_flags, struct report *rep, struct triage *t)
{
    struct report_limits limits = env->limits;
    struct report_sink sink;
    char    tag[32] = "", ticket[32];
    int     dup = 0;

    /*
     * Attachments go to the store when it keeps them: through a copy of
     * the limits, since env is shared by every connection thread.
     */
    if (env->store != NULL && env->cfg != NULL && env->cfg->keep_attachments) {
	sink.arg = env->store;
	sink.begin = sink_begin;
	sink.write = sink_write;
	sink.end = sink_end;
	sink.abort = sink_abort;
	limits.sink = &sink;
    } else {
	limits.sink = NULL;
    }

    /* Parse and judge under the CPU budget: no store, no network. */
    report_budget_start(limits.cpu_budget_ms);
    if (report_parse_fd(fd, &limits, rep) < 0) {
	report_budget_stop();
	return (-1);
    }
    rep->flags |= report_flags;
    if (report_budget_exceeded())
	rep->flags |= REPORT_F_TIMEOUT;
    /* The rules in force, pinned while this message uses them. */
    {
	void   *token;
	const struct triage_rules *rules = milter_rules_acquire(&token);
	int     r = triage_classify(rules, rep, sender, env->cfg, t);

	milter_rules_release(token);
	if (r < 0) {
	    report_budget_stop();
	    return (-1);
	}
    }
    report_budget_stop();

    /*
     * A sender that our own authserv-id could not verify still makes a
     * ticket, flagged for the team, and gets no automatic reply.
     */
    if (env->cfg != NULL) {
	char   *authserv = sm_config_authserv_id(env->cfg);

	if (authserv && notify_auth_forged(authserv, &rep->auth_results, NULL, 0))
	    (void) strlist_add_unique(&t->flags, "unverified_sender");
	free(authserv);
    }

    /* With a store: is this about a ticket we have? */
    if (env->store == NULL) {
	intake_reply_policy(env, rep, t);
	return (0);
    }
    if (rep->subject)
	triage_find_ticket_tag(rep->subject, tag, sizeof(tag));
    switch (store_lookup_thread(env->store, rep->message_id, tag[0] ? tag : NULL,
				&rep->references, ticket, &dup)) {
    case 1:
	if (t->kind == TRIAGE_AUTOMATED) {
	    triage_set_ticket(t, ticket);
	} else if (dup) {
	    /* A retry of a delivery: the same judgement, the same ticket. */
	    triage_set_ticket(t, ticket);
	} else {
	    triage_set_followup(t, ticket);
	}
	break;
    case 0:
	/* A tag for a ticket we do not have is not a follow-up. */
	if (t->kind == TRIAGE_FOLLOWUP) {
	    t->kind = TRIAGE_REPORT;
	    triage_set_ticket(t, NULL);
	    t->acknowledge = (t->sender && *t->sender);
	}
	break;
    default:
	return (-1);
    }
    intake_reply_policy(env, rep, t);
    return (0);
}

/*
 * intake_reply_policy - only a new report may be acknowledged, and only
 * when notify_reply_allowed() says so (the one place of that decision).
 */

static void intake_reply_policy(const struct intake_env *env, const struct report *rep,
				        struct triage *t)
{
    t->acknowledge = t->kind == TRIAGE_REPORT
	&& notify_reply_allowed(env->cfg, rep, t, t->sender, NULL);
}

/*
 * intake_duplicate - a new report's duplicate keys, and the earliest
 * ticket they match (into t): same endpoint first, then similar text.
 * A failed lookup only loses the hint; the count of fingerprints.
 */

static size_t intake_duplicate(const struct intake_env *env, const char *qid,
			               const struct report *rep, struct triage *t,
			               char fps[][65], uint64_t *simhash)
{
    double  min = env->cfg ? env->cfg->duplicate_similarity : SM_DEF_DUPLICATE_SIMILARITY;
    double  sim;
    const char *basis;
    char    ticket[32];
    int     n;

    /* Bounded work under a budget of its own: triage has spent its one. */
    report_budget_start(env->limits.cpu_budget_ms);
    n = triage_fingerprints(rep, t, fps, TRIAGE_FP_MAX);
    *simhash = triage_simhash(rep->text.data, rep->text.len);
    report_budget_stop();
    if (n < 0)
	n = 0;

    switch (store_find_duplicate(env->store, fps, (size_t) n, *simhash, min,
				 ticket, &sim, &basis)) {
    case 1:
	free(t->duplicate_of);
	if ((t->duplicate_of = strdup(ticket)) != NULL) {
	    t->duplicate_similarity = sim;
	    t->duplicate_basis = basis;
	}
	break;
    case 0:
	break;
    default:
	sm_log(LOG_WARNING, qid, "duplicate lookup failed: %s", store_error(env->store));
	break;
    }
    return ((size_t) n);
}

struct ack_ctx {
    const struct intake_env *env;
    const struct report *rep;
    const struct triage *t;
    struct notify_mail mail;
};

/* compose_note - the "information received" note, inside the transaction */

static int compose_note(void *arg, json_t *ticket, struct store_outmsg *out,
			        struct sbuf *buf)
{
    struct ack_ctx *c = arg;
    const char *id = json_string_value(json_object_get(ticket, "id"));

    if (notify_compose_update(c->env->cfg, ticket, "info_received", &c->mail, buf) < 0)
	return (-1);
    notify_mail_outmsg(&c->mail, buf, id, out);
    return (0);
}

/*
 * intake_is_team - mail From a TeamAddresses address (the envelope
 * sender when there is no From), unless our authserv-id says forged.
 */

static int intake_is_team(const struct intake_env *env, const struct report *rep,
			          const struct triage *t)
{
    const char *from = rep->from_addr ? rep->from_addr : t->sender;

    return (env->cfg != NULL && from != NULL && sm_config_is_team_addr(env->cfg, from)
	    && !strlist_contains(&t->flags, "unverified_sender"));
}

/* compose_ack - called by the store inside the ticket's transaction */

static int compose_ack(void *arg, const char *ticket_id, struct store_outmsg *out,
		               struct sbuf *buf)
{
    struct ack_ctx *c = arg;

    if (notify_compose_ack(c->env->cfg, ticket_id, c->rep, c->t, c->t->sender,
			   &c->mail, buf) < 0)
	return (-1);
    notify_mail_outmsg(&c->mail, buf, ticket_id, out);
    return (0);
}

int     intake_message(const struct intake_env *env, const char *qid, int fd,
		               const char *spool_path, const char *sender,
		               unsigned report_flags, struct intake_result *res)
{
    struct report rep;
    struct triage t;
    struct store_intake in;
    struct ack_ctx ack;
    struct store_intake_result got;
    json_t *js = NULL, *credit = NULL;
    const char *no_reply = NULL;
    int     team;
    char   *reporter = NULL, *name = NULL, *subject = NULL;
    int     ret = -1, dup = 0, new_ticket, r;
    char    fps[TRIAGE_FP_MAX][65];
    size_t  n_fps = 0;
    uint64_t simhash = 0;

    memset(&rep, 0, sizeof(rep));
    memset(&got, 0, sizeof(got));
    triage_init(&t);

    /* 1. Parse and judge the spooled message. */
    res->triage_us = sm_now_us();
    r = intake_triage(env, fd, sender, report_flags, &rep, &t);
    res->triage_us = sm_now_us() - res->triage_us;
    if (r < 0) {
	sm_log(LOG_ERR, qid, "cannot triage message: %s; accepted unchanged",
	       errno ? strerror(errno) : "parser error");
	goto out;
    }

    /* 2. Automated mail about no ticket opens none. */
    res->kind = t.kind;
    if (t.kind == TRIAGE_AUTOMATED && t.ticket == NULL) {
	triage_header(&t, &res->triage_hdr);
	snprintf(res->summary, sizeof(res->summary), "kind=automated ticket=none");
	ret = 0;
	goto out;
    }

    /*
     * 2b. The team's own mail is correspondence on a ticket; on none it
     * opens none (a team member writing to security@ is not a reporter).
     */
    team = (t.kind != TRIAGE_AUTOMATED && intake_is_team(env, &rep, &t));
    if (team && t.ticket == NULL) {
	sbuf_puts(&res->triage_hdr, "kind=report; team=yes");
	snprintf(res->summary, sizeof(res->summary), "kind=report team=yes ticket=none");
	ret = 0;
	goto out;
    }

    /*
     * 3. A new report: is it about the issue of an earlier ticket? The
     * keys go into the commit, so later reports find this one.
     */
    new_ticket = (t.ticket == NULL);
    if (new_ticket && t.kind == TRIAGE_REPORT) {
	res->duplicate_us = sm_now_us();
	n_fps = intake_duplicate(env, qid, &rep, &t, fps, &simhash);
	res->duplicate_us = sm_now_us() - res->duplicate_us;
    }

    /* 4. Commit: a new ticket or a message on one, with the ack. */
    js = triage_to_json(&rep, &t, NULL);
    reporter = sm_sanitize_str(rep.from_addr ? rep.from_addr : t.sender, 254);
    name = sm_sanitize_str(rep.from_name, 120);
    subject = sm_sanitize_str(rep.subject, 300);
    memset(&in, 0, sizeof(in));
    in.ticket = t.ticket;
    in.message_id = rep.message_id;
    in.kind = triage_kind_names[t.kind];
    in.reporter = reporter;
    in.reporter_name = name;
    in.subject = subject;
    in.triage = js;
    in.spool_path = spool_path;
    in.initial_state = "new";
    if (new_ticket)
	in.initial_state = t.complete[ITEM_TYPE] && t.complete[ITEM_TARGET]
	    && t.complete[ITEM_IMPACT] && t.complete[ITEM_STEPS] && t.complete[ITEM_POC]
	    ? "acknowledged" : "needs_info";
    in.operator = "secmilter";
    in.now = time(NULL);
    in.fingerprints = fps;
    in.n_fingerprints = n_fps;
    in.simhash = simhash;
    in.has_simhash = (simhash != 0);
    memset(&ack, 0, sizeof(ack));
    ack.env = env;
    ack.rep = &rep;
    ack.t = &t;
    in.set_acked = (new_ticket && t.acknowledge && t.kind == TRIAGE_REPORT);
    if (!in.set_acked)
	in.initial_state = new_ticket ? "new" : NULL;

    /*
     * Why a new report gets no acknowledgement (the reply policy), for
     * the log and the ticket history.
     */
    if (new_ticket && t.kind == TRIAGE_REPORT && !t.acknowledge
	&& !notify_reply_allowed(env->cfg, &rep, &t, t.sender, &no_reply))
	in.ack_suppressed = no_reply;

    /*
     * A follow-up: the team's is only recorded; the reporter's may
     * complete the ticket (a note that the information arrived, when
     * the policy allows a reply) or carry the Hall of Fame credit.
     */
    if (!new_ticket && t.kind == TRIAGE_FOLLOWUP && team) {
	in.role = "team";
	in.history_event = "team_reply";
    } else if (!new_ticket && t.kind == TRIAGE_FOLLOWUP) {
	in.resolve_needs_info = 1;
	if (notify_reply_allowed(env->cfg, &rep, &t, t.sender, NULL)) {
	    in.note = compose_note;
	    in.note_arg = &ack;
	}
	if ((credit = notify_credit_parse(rep.text.data, rep.text.len)) != NULL)
	    in.credit = credit;
    }
    if (env->cfg) {
	in.rate_limit = 1;
	in.rate_per_hour = env->cfg->ack_limit_per_hour;
	in.rate_per_day = env->cfg->ack_limit_per_day;
    }
    in.result = &got;
    if (store_intake_commit(env->store, &in, in.set_acked ? compose_ack : NULL, &ack,
			    res->ticket, &dup) < 0) {
	sm_log(LOG_ERR, qid, "cannot store ticket: %s; accepted unchanged",
	       store_error(env->store));
	goto out;
    }
    res->duplicate = dup;
    res->raw_copy_us = got.raw_copy_us;
    res->lock_wait_us = got.lock_wait_us;
    res->txn_us = got.txn_us;
    res->acked = in.set_acked && !dup && ack.mail.to[0] && !got.rate_limited;
    if (res->acked || got.note_queued)
	notify_sender_wake(env->sender);
    if (!dup && in.ack_suppressed)
	sm_log(LOG_INFO, qid, "no acknowledgement: %s", in.ack_suppressed);
    if (!dup && got.rate_limited)
	sm_log(LOG_NOTICE, qid, "%s suppressed: rate limit (AckLimitPerHour %u, AckLimitPerDay %u)",
	       new_ticket ? "acknowledgement" : "information-received note",
	       env->cfg->ack_limit_per_hour, env->cfg->ack_limit_per_day);

    /* 5. What the milter writes into the message. */
    triage_set_ticket(&t, res->ticket);
    if (t.duplicate_of && strcmp(t.duplicate_of, res->ticket) == 0) {
	free(t.duplicate_of);		/* a race with a retried delivery */
	t.duplicate_of = NULL;
    }
    triage_header(&t, &res->triage_hdr);
    res->tag_subject = (t.kind != TRIAGE_AUTOMATED);
    snprintf(res->summary, sizeof(res->summary),
	     "ticket=%s kind=%s%s%s%s class=%s severity=%s ack=%s%s%s%s%s",
	     res->ticket, triage_kind_names[t.kind], dup ? " duplicate-delivery" : "",
	     team ? " role=team" : "",
	     got.state_changed ? " state=acknowledged" : got.credit_set ? " credit=set" : "",
	     t.classes.n ? t.classes.v[0] : "none",
	     triage_severity_name(t.severity) ?: "unknown",
	     res->acked ? "queued" : "no",
	     t.duplicate_of ? " duplicate-of=" : "", t.duplicate_of ? t.duplicate_of : "",
	     t.duplicate_of ? " basis=" : "", t.duplicate_of ? t.duplicate_basis : "");
    ret = 0;

out:
    json_decref(js);
    json_decref(credit);
    free(reporter);
    free(name);
    free(subject);
    triage_free(&t);
    report_free(&rep);
    return (ret);
}

/* copy_stdin - standard input into an unlinked temporary file */

static int copy_stdin(void)
{
    char    path[] = "/tmp/secmilter-stdin.XXXXXX";
    char    buf[65536];
    size_t  total = 0;
    ssize_t n;
    int     fd;

    if ((fd = mkstemp(path)) < 0)
	return (-1);
    unlink(path);
    while ((n = read(0, buf, sizeof(buf))) > 0) {
	total += (size_t) n;
	if (total > INTAKE_STDIN_MAX_BYTES)
	    break;
	if (write(fd, buf, (size_t) n) != n) {
	    close(fd);
	    return (-1);
	}
    }
    lseek(fd, 0, SEEK_SET);
    return (fd);
}

int     intake_offline(const struct intake_env *env, char **files, int nfiles)
{
    int     status = SM_EX_OK;

    for (int i = 0; i < nfiles; i++) {
	struct report rep;
	struct triage t;
	json_t *js;
	char   *line, *sender;
	int     fd;

	/* Open each file; one that cannot be read does not stop the rest. */
	fd = strcmp(files[i], "-") == 0 ? copy_stdin() : open(files[i], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
	    char   *clean = sm_sanitize_str(files[i], 300);

	    fprintf(stderr, "secmilter: %s: %s\n", clean, strerror(errno));
	    free(clean);
	    status = SM_EX_NOINPUT;
	    continue;
	}
	memset(&rep, 0, sizeof(rep));
	triage_init(&t);

	/* The envelope sender is unknown offline: the classifier uses Return-Path. */
	sender = NULL;
	if (intake_triage(env, fd, sender, 0, &rep, &t) < 0) {
	    fprintf(stderr, "secmilter: %s: cannot triage\n", files[i]);
	    status = SM_EX_NOINPUT;
	} else if ((js = triage_to_json(&rep, &t, files[i])) != NULL) {
	    if ((line = json_dumps(js, TRIAGE_JSON_DUMP_FLAGS | JSON_PRESERVE_ORDER)) != NULL) {
		puts(line);
		free(line);
	    }
	    json_decref(js);
	}
	fflush(stdout);
	triage_free(&t);
	report_free(&rep);
	close(fd);
    }
    return (status);
}
