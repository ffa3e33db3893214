/*++
/* NAME
/*	secticket 1
/* SUMMARY
/*	the security team's command-line tool over the ticket store
/* SYNOPSIS
/*	secticket [-c file] [-d dir] list [--state S] [--json]
/*	secticket [-c file] [-d dir] show ID [--json]
/*	secticket [-c file] [-d dir] set ID KEY=VALUE...
/*	secticket [-c file] [-d dir] outbox [--json]
/*	secticket [-c file] [-d dir] outbox retry ID
/*	secticket [-c file] [-d dir] stats [--since DATE] [--until DATE] [--json]
/*	secticket cvss VECTOR...
/* DESCRIPTION
/*	secticket reads and changes tickets in the store that secmilter
/*	writes; both may run at the same time. A change the reporter must
/*	hear of (a new state) queues a notification in the outbox in the
/*	same transaction; the running daemon hands it to the MTA.
/*
/*	Every argument is checked before anything is written: a bad key,
/*	value, state change or ticket ID changes no data. State changes
/*	follow one table (state_rules below, secticket(1) STATES); each
/*	refusal says why. The first entry into triaged, scheduled and fixed
/*	starts the ticket's clock of that name; stats.c reads the clocks.
/* DIAGNOSTICS
/*	64 usage (naming the argument), 65 bad CVSS vector or value,
/*	66 unknown ticket, 73 store cannot be opened, 78 configuration.
/*--*/

#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "util/util.h"
#include "classify/triage.h"
#include "store/store.h"
#include "notify/notify.h"
#include "cli/cli.h"

#define CLI_NOTE_MAX	2000		/* bytes of one note */
#define CLI_COL_SUBJECT	40		/* subject column width in list */
#define CLI_OPERATOR_MAX 32		/* bytes of an operator name */

static const char *const states[] = {
    "new", "acknowledged", "needs_info", "triaged", "scheduled", "fixed", "closed",
    "duplicate", "out_of_scope", "invalid", "spam", NULL,
};

static struct sm_config cfg;

static void usage(void)
{
    fprintf(stderr,
	    "usage: secticket [-c file] [-d dir] list [--state S] [--json]\n"
	    "       secticket [-c file] [-d dir] show ID [--json]\n"
	    "       secticket [-c file] [-d dir] set ID KEY=VALUE...\n"
	    "              keys: state, severity, eta (YYYY-MM-DD), note, duplicate_of\n"
	    "       secticket [-c file] [-d dir] outbox [--json]\n"
	    "       secticket [-c file] [-d dir] outbox retry ID\n"
	    "       secticket [-c file] [-d dir] stats [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--json]\n"
	    "       secticket cvss VECTOR...\n");
    exit(SM_EX_USAGE);
}

static int state_valid(const char *s)
{
    for (int i = 0; states[i]; i++)
	if (strcmp(s, states[i]) == 0)
	    return (1);
    return (0);
}

static const char *jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));

    return (s ? s : "");
}

/* join - a JSON array of strings as "a,b" ("-" when empty) */

static void join(json_t *arr, char *buf, size_t len)
{
    size_t  i, o = 0;
    json_t *v;

    buf[0] = 0;
    json_array_foreach(arr, i, v) {
	if (json_is_string(v))
	    o += (size_t) snprintf(buf + o, o < len ? len - o : 0, "%s%s", i ? "," : "", json_string_value(v));
    }
    if (buf[0] == 0)
	snprintf(buf, len, "-");
}

static void print_json(json_t *j)
{
    char   *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));

    if (s) {
	puts(s);
	free(s);
    }
}

static struct store *open_store(const char *dir, int rdonly)
{
    struct store *st;
    char    err[1024];

    (void) rdonly;
    /* Never create: a mistyped -d must not make an empty store. */
    st = store_open(dir, 0, err, sizeof(err));
    if (st == NULL) {
	fprintf(stderr, "secticket: %s\n", err);
	exit(SM_EX_CANTCREAT);
    }
    return (st);
}

/* ------------------------------------------------------------- list */

static int cmd_list(const char *dir, int argc, char **argv)
{
    const char *state = NULL;
    int     as_json = 0;
    struct store *st;
    json_t *all, *out, *t;
    size_t  i;

    for (int k = 0; k < argc; k++) {
	if (strcmp(argv[k], "--json") == 0)
	    as_json = 1;
	else if (strcmp(argv[k], "--state") == 0 && k + 1 < argc)
	    state = argv[++k];
	else if (strncmp(argv[k], "--state=", 8) == 0)
	    state = argv[k] + 8;
	else {
	    fprintf(stderr, "secticket: list: unknown argument \"%s\"\n", argv[k]);
	    return (SM_EX_USAGE);
	}
    }
    if (state && !state_valid(state)) {
	fprintf(stderr, "secticket: list: --state %s: not a ticket state\n", state);
	return (SM_EX_USAGE);
    }
    st = open_store(dir, 0);
    if (store_ticket_list(st, state, &all) < 0) {
	fprintf(stderr, "secticket: %s\n", store_error(st));
	store_close(st);
	return (SM_EX_IOERR);
    }

    /* The summary of each ticket: the fields INTERFACE.md fixes. */
    out = json_array();
    json_array_foreach(all, i, t) {
	json_t *o = json_object();

	json_object_set(o, "id", json_object_get(t, "id"));
	json_object_set(o, "state", json_object_get(t, "state"));
	json_object_set(o, "created", json_object_get(t, "created"));
	json_object_set(o, "updated", json_object_get(t, "updated"));
	json_object_set(o, "reporter", json_object_get(t, "reporter"));
	json_object_set(o, "subject", json_object_get(t, "subject"));
	json_object_set_new(o, "classes", json_deep_copy(json_object_get(t, "classes") ?: json_array()));
	json_object_set(o, "severity", json_object_get(t, "severity") ?: json_null());
	json_object_set(o, "scope", json_object_get(t, "scope") ?: json_null());
	json_object_set_new(o, "missing", json_deep_copy(json_object_get(t, "missing") ?: json_array()));
	json_object_set_new(o, "conduct", json_deep_copy(json_object_get(t, "conduct") ?: json_array()));
	json_object_set_new(o, "flags", json_deep_copy(json_object_get(t, "flags") ?: json_array()));
	json_object_set(o, "duplicate_of", json_object_get(t, "duplicate_of") ?: json_null());
	json_object_set(o, "eta", json_object_get(t, "eta") ?: json_null());
	json_object_set_new(o, "messages", json_integer((json_int_t) json_array_size(json_object_get(t, "messages"))));
	json_array_append_new(out, o);
    }
    if (as_json) {
	print_json(out);
    } else {
	char    classes[128], missing[128];

	printf("%-15s %-12s %-20s %-8s %-7s %-14s %-24s %s\n", "ID", "STATE", "CREATED",
	       "SEVERITY", "SCOPE", "CLASS", "MISSING", "SUBJECT");
	json_array_foreach(out, i, t) {
	    join(json_object_get(t, "classes"), classes, sizeof(classes));
	    join(json_object_get(t, "missing"), missing, sizeof(missing));
	    printf("%-15s %-12s %-20s %-8s %-7s %-14.14s %-24.24s %.*s\n", jstr(t, "id"),
		   jstr(t, "state"), jstr(t, "created"),
		   *jstr(t, "severity") ? jstr(t, "severity") : "-",
		   *jstr(t, "scope") ? jstr(t, "scope") : "-", classes, missing,
		   CLI_COL_SUBJECT, jstr(t, "subject"));
	}
	if (json_array_size(out) == 0)
	    printf("(no tickets)\n");
    }
    json_decref(out);
    json_decref(all);
    store_close(st);
    return (SM_EX_OK);
}

/* ------------------------------------------------------------- show */

/* show_why - one evidence line: "why: xss <- '<svg onload=...>' @1234 (rule)" */

static void show_why(const char *what, json_t *e)
{
    json_t *off = json_object_get(e, "offset");
    char    at[32];

    if (json_is_integer(off))
	snprintf(at, sizeof(at), "@%lld", (long long) json_integer_value(off));
    else if (json_is_string(off))
	snprintf(at, sizeof(at), "@%s", json_string_value(off));
    else
	snprintf(at, sizeof(at), "@-");
    printf("     why: %s <- '%s' %s (%s)\n", what,
	   *jstr(e, "match") ? jstr(e, "match") : "-", at, jstr(e, "rule"));
}

/* show_evidence - the evidence of one message's triage, decision by decision */

static void show_evidence(json_t *ev)
{
    static const char *const sections[] = {"classes", "completeness", "conduct", "flags"};
    const char *key;
    json_t *obj, *list, *e, *sev;
    size_t  i, k;
    char    what[160];

    if (!json_is_object(ev))
	return;
    for (k = 0; k < sizeof(sections) / sizeof(sections[0]); k++) {
	obj = json_object_get(ev, sections[k]);
	json_object_foreach(obj, key, list) {
	    json_array_foreach(list, i, e) {
		snprintf(what, sizeof(what), "%s%s", k == 1 ? "has " : "", key);
		show_why(what, e);
	    }
	}
    }
    json_array_foreach(json_object_get(ev, "scope"), i, e) {
	snprintf(what, sizeof(what), "scope: %.140s", jstr(e, "reason"));
	show_why(what, e);
    }
    sev = json_object_get(ev, "severity");
    if (*jstr(sev, "rule"))
	printf("     why: severity <- %s (%s)\n", jstr(sev, "rule"), jstr(sev, "basis"));
    json_array_foreach(json_object_get(sev, "matches"), i, e) {
	snprintf(what, sizeof(what), "severity %s", jstr(e, "direction"));
	show_why(what, e);
    }
}

static int cmd_show(const char *dir, int argc, char **argv)
{
    const char *id = NULL;
    int     as_json = 0, r;
    struct store *st;
    json_t *t, *v, *items, *outgoing;
    size_t  i;
    char    buf[256];

    for (int k = 0; k < argc; k++) {
	if (strcmp(argv[k], "--json") == 0)
	    as_json = 1;
	else if (id == NULL && argv[k][0] != '-')
	    id = argv[k];
	else {
	    fprintf(stderr, "secticket: show: unknown argument \"%s\"\n", argv[k]);
	    return (SM_EX_USAGE);
	}
    }
    if (id == NULL) {
	fprintf(stderr, "secticket: show: missing ticket ID\n");
	return (SM_EX_USAGE);
    }
    if (!triage_ticket_id_valid(id)) {
	char   *clean = sm_sanitize_str(id, 60);

	fprintf(stderr, "secticket: show: \"%s\" is not a ticket ID (SEC-YYYY-NNNN)\n", clean);
	free(clean);
	return (SM_EX_USAGE);
    }
    st = open_store(dir, 0);
    if ((r = store_ticket_get(st, id, &t)) != 0) {
	if (r == STORE_NOTFOUND)
	    fprintf(stderr, "secticket: show: no ticket %s\n", id);
	else
	    fprintf(stderr, "secticket: %s\n", store_error(st));
	store_close(st);
	return (r == STORE_NOTFOUND ? SM_EX_NOINPUT : SM_EX_IOERR);
    }

    /*
     * Its mail still in the outbox (queued or failed); what the MTA took
     * has left the outbox and shows in the history and the clocks.
     */
    outgoing = json_array();
    if (store_outbox_list(st, &items) == 0) {
	json_array_foreach(items, i, v)
	    if (strcmp(jstr(v, "ticket"), id) == 0)
	    json_array_append(outgoing, v);
	json_decref(items);
    }
    if (!json_is_object(json_object_get(t, "clock")))
	store_clock_mark(t, "received", 0);	/* an older ticket: its clocks */
    if (as_json) {
	json_object_set(t, "outgoing", outgoing);
	print_json(t);
    } else {
	printf("Ticket:     %s\n", jstr(t, "id"));
	printf("State:      %s\n", jstr(t, "state"));
	printf("Created:    %s\n", jstr(t, "created"));
	printf("Updated:    %s\n", jstr(t, "updated"));
	printf("Reporter:   %s%s%s%s\n", jstr(t, "reporter_name"), *jstr(t, "reporter_name") ? " <" : "",
	       jstr(t, "reporter"), *jstr(t, "reporter_name") ? ">" : "");
	printf("Subject:    %s\n", jstr(t, "subject"));
	join(json_object_get(t, "classes"), buf, sizeof(buf));
	printf("Classes:    %s\n", buf);
	printf("Scope:      %s\n", *jstr(t, "scope") ? jstr(t, "scope") : "-");
	printf("Severity:   %s%s\n", *jstr(t, "severity") ? jstr(t, "severity") : "unknown",
	       json_is_true(json_object_get(t, "severity_by_team")) ? " (set by the team)" : "");
	join(json_object_get(t, "missing"), buf, sizeof(buf));
	printf("Missing:    %s\n", buf);
	join(json_object_get(t, "conduct"), buf, sizeof(buf));
	printf("Conduct:    %s\n", buf);
	join(json_object_get(t, "flags"), buf, sizeof(buf));
	printf("Flags:      %s\n", buf);
	json_array_foreach(json_object_get(t, "attention"), i, v)
	    printf("Attention:  %s\n", json_string_value(v) ? json_string_value(v) : "");
	printf("ETA:        %s\n", *jstr(t, "eta") ? jstr(t, "eta") : "-");
	printf("Duplicate:  %s\n", *jstr(t, "duplicate_of") ? jstr(t, "duplicate_of") : "-");
	printf("Acked:      %s\n", json_is_true(json_object_get(t, "acked")) ? "yes" : "no");
	{
	    static const char *const names[] = STORE_CLOCK_NAMES;
	    json_t *clock = json_object_get(t, "clock");

	    printf("\nClocks:\n");
	    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		printf("  %-15s %s\n", names[k], *jstr(clock, names[k]) ? jstr(clock, names[k]) : "-");
	}
	printf("\nOutgoing mail (not yet handed to the MTA):\n");
	json_array_foreach(outgoing, i, v)
	    printf("  #%lld %-7s %-8s to %s, created %s, %lld attempt(s)%s%s\n",
		   (long long) json_integer_value(json_object_get(v, "id")), jstr(v, "purpose"),
		   jstr(v, "state"), jstr(v, "to"), jstr(v, "created"),
		   (long long) json_integer_value(json_object_get(v, "attempts")),
		   *jstr(v, "last_error") ? ", last error: " : "", jstr(v, "last_error"));
	if (json_array_size(outgoing) == 0)
	    printf("  (none)\n");
	printf("\nMessages:\n");
	json_array_foreach(json_object_get(t, "messages"), i, v) {
	    json_t *tr = json_object_get(v, "triage");
	    char    cls[128], miss[128];

	    join(json_object_get(tr, "classes"), cls, sizeof(cls));
	    join(json_object_get(tr, "missing"), miss, sizeof(miss));
	    printf("  %zu. %s %-9s %s\n     classes=%s scope=%s severity=%s missing=%s\n     raw: %s\n",
		   i + 1, jstr(v, "received"), jstr(v, "kind"), jstr(v, "message_id"),
		   cls, *jstr(tr, "scope") ? jstr(tr, "scope") : "-",
		   *jstr(tr, "severity") ? jstr(tr, "severity") : "unknown", miss,
		   *jstr(v, "raw") ? jstr(v, "raw") : "-");
	    show_evidence(json_object_get(tr, "evidence"));
	}
	if (json_array_size(json_object_get(t, "notes")) > 0) {
	    printf("\nNotes:\n");
	    json_array_foreach(json_object_get(t, "notes"), i, v)
		printf("  %s %s: %s\n", jstr(v, "time"), jstr(v, "operator"), jstr(v, "text"));
	}
	printf("\nHistory:\n");
	json_array_foreach(json_object_get(t, "history"), i, v)
	    printf("  %s %-10s %-12s %s\n", jstr(v, "time"), jstr(v, "operator"),
		   jstr(v, "event"), jstr(v, "detail"));
    }
    json_decref(outgoing);
    json_decref(t);
    store_close(st);
    return (SM_EX_OK);
}

/* -------------------------------------------------------------- set */

struct set_args {
    const char *state;
    const char *severity;
    const char *eta;
    const char *note;
    const char *duplicate_of;
    const char *operator;
};

/*
 * The state table: where each state may go (secticket(1), STATES, has
 * the same table). A closed ticket is final; a closing verdict can be
 * reopened only to triaged, which needs a severity; a fix comes after
 * qualification. why, when set, is the reason for every other target;
 * for the open states the reason depends on the target (refusal()).
 */
static const struct state_rule {
    const char *from;
    const char *to;			/* allowed targets, space separated */
    const char *why;
} state_rules[] = {
    {"new", "acknowledged needs_info triaged duplicate out_of_scope invalid spam", NULL},
    {"acknowledged", "needs_info triaged duplicate out_of_scope invalid spam", NULL},
    {"needs_info", "acknowledged triaged closed duplicate out_of_scope invalid spam", NULL},
    {"triaged", "needs_info scheduled fixed duplicate out_of_scope invalid", NULL},
    {"scheduled", "triaged needs_info fixed duplicate out_of_scope invalid", NULL},
    {"fixed", "closed", "a fixed ticket can only be closed"},
    {"closed", "", "a closed ticket is final: a regression is a new report"},
    {"duplicate", "triaged closed", "a closing verdict can only be reopened to triaged, or closed"},
    {"out_of_scope", "triaged closed", "a closing verdict can only be reopened to triaged, or closed"},
    {"invalid", "triaged closed", "a closing verdict can only be reopened to triaged, or closed"},
    {"spam", "closed", "a ticket judged spam can only be closed"},
};

/* refusal - why an open ticket cannot go to this state */

static const char *refusal(const char *to)
{
    if (strcmp(to, "fixed") == 0)
	return ("only a triaged or scheduled ticket can be fixed");
    if (strcmp(to, "scheduled") == 0)
	return ("only a triaged ticket can be scheduled: qualify it first");
    if (strcmp(to, "spam") == 0)
	return ("a validated ticket is not spam: use invalid");
    if (strcmp(to, "acknowledged") == 0)
	return ("a validated ticket does not go back to acknowledged: use needs_info to ask for more");
    if (strcmp(to, "closed") == 0)
	return ("only a fixed ticket, a closing verdict or an unanswered needs_info ticket can be closed");
    return ("not a change the state table allows");
}

/* transition_ok - NULL when old -> new makes sense, else why not */

static const char *transition_ok(const char *from, const char *to)
{
    const char *p;
    size_t  n = strlen(to);

    if (strcmp(from, to) == 0)
	return (NULL);
    if (strcmp(to, "new") == 0)
	return ("a ticket never goes back to new");
    for (size_t i = 0; i < sizeof(state_rules) / sizeof(state_rules[0]); i++) {
	if (strcmp(from, state_rules[i].from) != 0)
	    continue;
	for (p = state_rules[i].to; (p = strstr(p, to)) != NULL; p += n)
	    if ((p == state_rules[i].to || p[-1] == ' ') && (p[n] == 0 || p[n] == ' '))
		return (NULL);
	return (state_rules[i].why ? state_rules[i].why : refusal(to));
    }
    /* A state this program does not know (a newer store): no rule. */
    return (NULL);
}

/*
 * operator_name - who ran secticket: the sudo user when run through sudo
 * (and that user exists), else the real user; bounded and sanitised.
 */

static void operator_name(char *buf, size_t len)
{
    const char *sudo = getenv("SUDO_USER");
    struct passwd *pw;
    char   *clean;

    if (sudo && *sudo && getpwnam(sudo) != NULL) {
	clean = sm_sanitize_str(sudo, CLI_OPERATOR_MAX);
    } else {
	pw = getpwuid(getuid());
	if (pw != NULL) {
	    clean = sm_sanitize_str(pw->pw_name, CLI_OPERATOR_MAX);
	} else {
	    snprintf(buf, len, "uid%lu", (unsigned long) getuid());
	    return;
	}
    }
    snprintf(buf, len, "%s", clean);
    free(clean);
}

static int edit_set(json_t *t, void *varg, struct store_outmsg *out, size_t *n_out,
		            struct sbuf *bufs, char *err, size_t errlen)
{
    struct set_args *a = varg;
    const char *old = jstr(t, "state");
    const char *why;
    char    detail[NOTIFY_ADDR_MAX + 64];
    time_t  now = time(NULL);
    int     changed = 0;
    static struct notify_mail mail;

    /* Check everything against the ticket before changing anything. */
    if (a->state && (why = transition_ok(old, a->state)) != NULL) {
	snprintf(err, errlen, "state=%s: refused from %s: %s", a->state, old, why);
	return (-1);
    }
    if (a->state && strcmp(a->state, "scheduled") == 0 && a->eta == NULL && *jstr(t, "eta") == 0) {
	snprintf(err, errlen, "state=scheduled: needs an ETA: add eta=YYYY-MM-DD");
	return (-1);
    }
    /* Qualifying is the team's call: triage's estimate does not count. */
    if (a->state && strcmp(a->state, "triaged") == 0 && a->severity == NULL
	&& !json_is_true(json_object_get(t, "severity_by_team"))) {
	snprintf(err, errlen, "state=triaged: needs a qualification: add severity=critical|high|medium|low");
	return (-1);
    }
    if (a->state && strcmp(a->state, "duplicate") == 0 && a->duplicate_of == NULL
	&& *jstr(t, "duplicate_of") == 0) {
	snprintf(err, errlen, "state=duplicate: name the earlier ticket: add duplicate_of=SEC-YYYY-NNNN");
	return (-1);
    }

    /* Apply, each change with its history event. */
    if (a->severity) {
	json_object_set_new(t, "severity", json_string(a->severity));
	json_object_set_new(t, "severity_by_team", json_true());
	store_history_add(t, now, a->operator, "severity", a->severity);
	changed = 1;
    }
    if (a->eta) {
	json_object_set_new(t, "eta", json_string(a->eta));
	store_history_add(t, now, a->operator, "eta", a->eta);
	changed = 1;
    }
    if (a->duplicate_of) {
	json_object_set_new(t, "duplicate_of", json_string(a->duplicate_of));
	store_history_add(t, now, a->operator, "duplicate_of", a->duplicate_of);
	changed = 1;
    }
    if (a->note) {
	json_t *notes = json_object_get(t, "notes");
	char    ts[32];

	if (!json_is_array(notes)) {
	    notes = json_array();
	    json_object_set_new(t, "notes", notes);
	}
	sm_rfc3339(now, ts, sizeof(ts));
	json_array_append_new(notes, json_pack("{s:s, s:s, s:s}", "time", ts,
					       "operator", a->operator, "text", a->note));
	store_history_add(t, now, a->operator, "note", "");
	changed = 1;
    }
    if (a->state && strcmp(a->state, old) != 0) {
	snprintf(detail, sizeof(detail), "%s -> %s", old, a->state);
	json_object_set_new(t, "state", json_string(a->state));
	store_history_add(t, now, a->operator, "state", detail);
	changed = 1;

	/* The response-time clocks start once, at the first entry. */
	if (strcmp(a->state, "triaged") == 0 || strcmp(a->state, "scheduled") == 0
	    || strcmp(a->state, "fixed") == 0)
	    store_clock_mark(t, a->state, now);

	/* The reporter hears of the new state (never of spam). */
	if (notify_event_wanted(a->state)
	    && notify_compose_update(&cfg, t, a->state, &mail, &bufs[0]) == 0) {
	    notify_mail_outmsg(&mail, &bufs[0], jstr(t, "id"), &out[0]);
	    *n_out = 1;
	    snprintf(detail, sizeof(detail), "%s to %s", a->state, mail.to);
	    store_history_add(t, now, a->operator, "notify_queued", detail);
	}
    }
    if (!changed)
	return (1);
    {
	char    ts[32];

	sm_rfc3339(now, ts, sizeof(ts));
	json_object_set_new(t, "updated", json_string(ts));
    }
    return (0);
}

static int cmd_set(const char *dir, int argc, char **argv)
{
    struct set_args a;
    struct store *st;
    char    err[512], *note = NULL, operator[CLI_OPERATOR_MAX + 16];
    const char *id;
    int     r;

    if (argc < 2) {
	fprintf(stderr, "secticket: set: needs a ticket ID and at least one KEY=VALUE\n");
	return (SM_EX_USAGE);
    }
    id = argv[0];
    if (!triage_ticket_id_valid(id)) {
	char   *clean = sm_sanitize_str(id, 60);

	fprintf(stderr, "secticket: set: \"%s\" is not a ticket ID (SEC-YYYY-NNNN)\n", clean);
	free(clean);
	return (SM_EX_USAGE);
    }

    /* The templates of the notification, checked before anything changes. */
    if (notify_templates_load_config(&cfg, err, sizeof(err)) < 0) {
	fprintf(stderr, "secticket: %s\n", err);
	return (SM_EX_CONFIG);
    }
    memset(&a, 0, sizeof(a));

    /* Every KEY=VALUE is checked before the store is touched. */
    for (int k = 1; k < argc; k++) {
	char   *eq = strchr(argv[k], '=');
	char   *key = argv[k], *val;

	if (eq == NULL) {
	    char   *clean = sm_sanitize_str(argv[k], 60);

	    fprintf(stderr, "secticket: set: \"%s\": expected KEY=VALUE\n", clean);
	    free(clean);
	    goto usage;
	}
	*eq = 0;
	val = eq + 1;
	if (strcmp(key, "state") == 0) {
	    if (!state_valid(val)) {
		fprintf(stderr, "secticket: set: state=%.40s: not a state (new, acknowledged, needs_info, "
			"triaged, scheduled, fixed, closed, duplicate, out_of_scope, invalid, spam)\n", val);
		goto usage;
	    }
	    a.state = val;
	} else if (strcmp(key, "severity") == 0) {
	    enum triage_severity s = triage_severity_parse(val);

	    if (s == SEV_UNSET) {
		fprintf(stderr, "secticket: set: severity=%.40s: expected critical, high, medium, low or none\n", val);
		goto usage;
	    }
	    a.severity = triage_severity_name(s);
	} else if (strcmp(key, "eta") == 0) {
	    if (sm_parse_ymd(val) < 0) {
		fprintf(stderr, "secticket: set: eta=%.40s: expected a date YYYY-MM-DD\n", val);
		goto usage;
	    }
	    a.eta = val;
	} else if (strcmp(key, "note") == 0) {
	    free(note);
	    note = sm_sanitize_str(val, CLI_NOTE_MAX);
	    if (*note == 0) {
		fprintf(stderr, "secticket: set: note=: empty note\n");
		goto usage;
	    }
	    a.note = note;
	} else if (strcmp(key, "duplicate_of") == 0) {
	    if (!triage_ticket_id_valid(val) || strcmp(val, id) == 0) {
		fprintf(stderr, "secticket: set: duplicate_of=%.40s: expected another ticket ID\n", val);
		goto usage;
	    }
	    a.duplicate_of = val;
	} else {
	    char   *clean = sm_sanitize_str(key, 60);

	    fprintf(stderr, "secticket: set: unknown key \"%s\" (keys: state, severity, eta, note, duplicate_of)\n", clean);
	    free(clean);
	    goto usage;
	}
    }
    operator_name(operator, sizeof(operator));
    a.operator = operator;

    st = open_store(dir, 0);
    if (a.duplicate_of) {
	json_t *other;

	if (store_ticket_get(st, a.duplicate_of, &other) != 0) {
	    fprintf(stderr, "secticket: set: duplicate_of=%s: no such ticket\n", a.duplicate_of);
	    store_close(st);
	    free(note);
	    return (SM_EX_NOINPUT);
	}
	json_decref(other);
    }
    r = store_ticket_update(st, id, edit_set, &a, err, sizeof(err));
    store_close(st);
    free(note);
    if (r == STORE_NOTFOUND) {
	fprintf(stderr, "secticket: set: no ticket %s\n", id);
	return (SM_EX_NOINPUT);
    }
    if (r < 0) {
	fprintf(stderr, "secticket: set: %s: %s\n", id, err);
	return (SM_EX_DATAERR);
    }
    printf("%s: %s\n", id, r == 1 ? "unchanged" : "updated");
    return (SM_EX_OK);

usage:
    free(note);
    return (SM_EX_USAGE);
}

/* ----------------------------------------------------------- outbox */

/* outbox_retry - put one failed item back in the queue, due now */

static int outbox_retry(const char *dir, int argc, char **argv)
{
    struct store *st;
    unsigned long long id;
    char   *end;
    int     r;

    if (argc != 1 || !isdigit((unsigned char) argv[0][0])
	|| (errno = 0, id = strtoull(argv[0], &end, 10), errno != 0 || *end != 0 || id == 0)) {
	char   *clean = sm_sanitize_str(argc > 0 ? argv[0] : "", 60);

	fprintf(stderr, "secticket: outbox retry: %s%s%s: expected one outbox ID (a number from secticket outbox)\n",
		*clean ? "\"" : "", *clean ? clean : "missing ID", *clean ? "\"" : "");
	free(clean);
	return (SM_EX_USAGE);
    }
    st = open_store(dir, 0);
    r = store_outbox_retry(st, (uint64_t) id, time(NULL));
    if (r == STORE_NOTFOUND)
	fprintf(stderr, "secticket: outbox retry: no outbox item %llu (sent, or never queued)\n", id);
    else if (r < 0)
	fprintf(stderr, "secticket: %s\n", store_error(st));
    else
	printf("outbox item %llu: queued; the running secmilter sends it\n", id);
    store_close(st);
    return (r == STORE_NOTFOUND ? SM_EX_NOINPUT : r < 0 ? SM_EX_IOERR : SM_EX_OK);
}

static int cmd_outbox(const char *dir, int argc, char **argv)
{
    struct store *st;
    json_t *items, *v;
    size_t  i;
    int     as_json = argc > 0 && strcmp(argv[0], "--json") == 0;

    if (argc > 0 && strcmp(argv[0], "retry") == 0)
	return (outbox_retry(dir, argc - 1, argv + 1));

    if (argc > (as_json ? 1 : 0)) {
	fprintf(stderr, "secticket: outbox: unknown argument \"%s\"\n", argv[as_json]);
	return (SM_EX_USAGE);
    }
    st = open_store(dir, 0);
    if (store_outbox_list(st, &items) < 0) {
	fprintf(stderr, "secticket: %s\n", store_error(st));
	store_close(st);
	return (SM_EX_IOERR);
    }
    if (as_json) {
	print_json(items);
    } else {
	printf("%-6s %-8s %-15s %-8s %-8s %-30s %s\n", "ID", "STATE", "TICKET", "PURPOSE", "TRIES", "TO", "LAST ERROR");
	json_array_foreach(items, i, v)
	    printf("%-6lld %-8s %-15s %-8s %-8lld %-30s %s\n",
		   (long long) json_integer_value(json_object_get(v, "id")), jstr(v, "state"),
		   jstr(v, "ticket"), jstr(v, "purpose"),
		   (long long) json_integer_value(json_object_get(v, "attempts")), jstr(v, "to"),
		   jstr(v, "last_error"));
	if (json_array_size(items) == 0)
	    printf("(outbox empty)\n");
    }
    json_decref(items);
    store_close(st);
    return (SM_EX_OK);
}

/* ------------------------------------------------------------- cvss */

static int cmd_cvss(int argc, char **argv)
{
    struct cvss_result r;
    char    err[256];
    int     status = SM_EX_OK;

    if (argc == 0) {
	fprintf(stderr, "secticket: cvss: needs at least one vector\n");
	return (SM_EX_USAGE);
    }
    for (int k = 0; k < argc; k++) {
	if (cvss_score(argv[k], &r, err, sizeof(err)) < 0) {
	    char   *clean = sm_sanitize_str(argv[k], 200);

	    fprintf(stderr, "secticket: cvss: invalid vector \"%s\": %s\n", clean, err);
	    free(clean);
	    status = SM_EX_DATAERR;
	    continue;
	}
	printf("%.1f %s\n", r.score, triage_severity_name(r.severity));
    }
    return (status);
}

int     main(int argc, char **argv)
{
    const char *conf = NULL, *dir = NULL, *cmd;
    char    err[1024];
    int     ch, rc;

    while ((ch = getopt(argc, argv, "+c:d:h")) != -1) {
	switch (ch) {
	case 'c':
	    conf = optarg;
	    break;
	case 'd':
	    dir = optarg;
	    break;
	default:
	    usage();
	}
    }
    if (optind >= argc)
	usage();
    cmd = argv[optind++];

    sm_config_init(&cfg);
    if (conf && sm_config_load(&cfg, conf, err, sizeof(err)) < 0) {
	fprintf(stderr, "secticket: %s\n", err);
	return (SM_EX_CONFIG);
    }
    if (dir == NULL)
	dir = cfg.state_dir;

    if (strcmp(cmd, "list") == 0)
	rc = cmd_list(dir, argc - optind, argv + optind);
    else if (strcmp(cmd, "show") == 0)
	rc = cmd_show(dir, argc - optind, argv + optind);
    else if (strcmp(cmd, "set") == 0)
	rc = cmd_set(dir, argc - optind, argv + optind);
    else if (strcmp(cmd, "outbox") == 0)
	rc = cmd_outbox(dir, argc - optind, argv + optind);
    else if (strcmp(cmd, "stats") == 0)
	rc = cli_stats(&cfg, dir, argc - optind, argv + optind);
    else if (strcmp(cmd, "cvss") == 0)
	rc = cmd_cvss(argc - optind, argv + optind);
    else {
	char   *clean = sm_sanitize_str(cmd, 60);

	fprintf(stderr, "secticket: unknown command \"%s\" (list, show, set, outbox, stats, cvss)\n", clean);
	free(clean);
	rc = SM_EX_USAGE;
    }
    sm_config_free(&cfg);
    return (rc);
}
