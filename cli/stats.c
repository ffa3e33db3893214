/*++
/* NAME
/*	stats 3
/* SUMMARY
/*	secticket stats: response times against the policy's targets
/* SYNOPSIS
/*	#include "cli/cli.h"
/*
/*	int	cli_stats(cfg, dir, argc, argv)
/* DESCRIPTION
/*	Over the tickets received in a period (--since and --until, UTC
/*	dates, both included; without them, every ticket), three measures
/*	taken from each ticket's clocks (store.h):
/* .IP "first response"
/*	received to the first acknowledgement or notification the MTA took
/*	(clock first_response), or to the first team reply (history event
/*	team_reply), whichever came first. Target: ResponseTargetMinutes.
/* .IP triage
/*	received to the first entry into triaged. Target: TriageTargetDays
/*	business days. A business day is Monday to Friday, in UTC; no
/*	holidays. A report received on a Saturday or Sunday counts from
/*	Monday 00:00; the deadline is the same time of day N business days
/*	later (received Friday 15:00 with 5 days: next Friday 15:00).
/* .IP fix
/*	received to the first entry into fixed. Target: the time frame of
/*	the ticket's severity (TimeFrameCritical, High, Medium, Low; 7, 30,
/*	90 and 180 days by default; none counts as low, unknown as medium),
/*	counted from triage, when the time frame was promised (from receipt
/*	when the ticket has no triage clock).
/* .PP
/*	For each measure: how many tickets have the event (done), the
/*	median and 90th percentile of those (nearest rank: the value at
/*	rank ceil(p * n) of the sorted durations), how many met the target
/*	and their share of the done ones, how many open tickets still wait
/*	for the event (pending: new, acknowledged, needs_info, triaged,
/*	scheduled) and how many closed without it (none: e.g. spam that
/*	was never answered). Pending and none are not in the percentiles.
/*
/*	Never writes the store.
/* DIAGNOSTICS
/*	64 for a bad argument or date (named), 73 when the store cannot be
/*	opened, 74 when it cannot be read.
/*--*/

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "util/util.h"
#include "store/store.h"
#include "cli/cli.h"

#define STATS_DAY_S	(24 * 3600)
#define STATS_NOON_S	(12 * 3600)	/* sm_parse_ymd() gives noon UTC */

enum { M_RESPONSE, M_TRIAGE, M_FIX, M_COUNT };

static const char *const metric_names[M_COUNT] = {"first_response", "triage", "fix"};
static const char *const metric_titles[M_COUNT] = {"first response", "triage", "fix"};

struct metric {
    long long *d;			/* durations in seconds, done ones */
    size_t  n;
    size_t  cap;
    size_t  within;			/* met the target */
    size_t  pending;			/* open, no event yet */
    size_t  none;			/* closed without the event */
};

/* parse_time - an RFC 3339 "YYYY-MM-DDTHH:MM:SSZ" of ours, or -1 */

static time_t parse_time(json_t *v)
{
    struct tm tm;
    const char *s = json_string_value(v);

    memset(&tm, 0, sizeof(tm));
    if (s == NULL || strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm) == NULL)
	return (-1);
    return (timegm(&tm));
}

static int state_open(const char *s)
{
    static const char *const open_states[] = {
	"new", "acknowledged", "needs_info", "triaged", "scheduled", NULL,
    };

    for (int i = 0; s && open_states[i]; i++)
	if (strcmp(s, open_states[i]) == 0)
	    return (1);
    return (0);
}

static int weekend(time_t t)
{
    struct tm tm;

    gmtime_r(&t, &tm);
    return (tm.tm_wday == 0 || tm.tm_wday == 6);
}

/* business_deadline - received plus days business days (see above) */

static time_t business_deadline(time_t received, unsigned days)
{
    time_t  t = received;

    if (weekend(t)) {
	t -= t % STATS_DAY_S;
	while (weekend(t))
	    t += STATS_DAY_S;
    }
    for (unsigned i = 0; i < days; i++) {
	t += STATS_DAY_S;
	while (weekend(t))
	    t += STATS_DAY_S;
    }
    return (t);
}

/* fix_days - the time frame of a severity, from the configuration */

static unsigned fix_days(const struct sm_config *cfg, const char *sev)
{
    int     k;

    /* Index as in TimeFrameLow, Medium, High, Critical: 0..3. */
    if (sev == NULL || strcmp(sev, "medium") == 0)
	k = 1;
    else if (strcmp(sev, "critical") == 0)
	k = 3;
    else if (strcmp(sev, "high") == 0)
	k = 2;
    else
	k = 0;
    if (cfg->time_frame_days[k] > 0)
	return (cfg->time_frame_days[k]);
    return (k == 3 ? 7 : k == 2 ? 30 : k == 1 ? 90 : 180);
}

static void metric_add(struct metric *m, long long d, int within)
{
    if (m->n == m->cap) {
	size_t  cap = m->cap ? m->cap * 2 : 64;
	long long *nd = realloc(m->d, cap * sizeof(*nd));

	if (nd == NULL)
	    sm_panic("stats: out of memory");
	m->d = nd;
	m->cap = cap;
    }
    m->d[m->n++] = d < 0 ? 0 : d;
    m->within += (within != 0);
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *) a, y = *(const long long *) b;

    return (x < y ? -1 : x > y);
}

/* percentile - nearest rank over sorted durations; -1 when none */

static long long percentile(const struct metric *m, unsigned p)
{
    size_t  rank;

    if (m->n == 0)
	return (-1);
    rank = (m->n * p + 99) / 100;
    return (m->d[rank > 0 ? rank - 1 : 0]);
}

/* human - "3d 4h", "2h 5m", "12m", "40s"; "-" for -1 */

static const char *human(long long s, char *buf, size_t len)
{
    if (s < 0)
	snprintf(buf, len, "-");
    else if (s >= STATS_DAY_S)
	snprintf(buf, len, "%lldd %lldh", s / STATS_DAY_S, s % STATS_DAY_S / 3600);
    else if (s >= 3600)
	snprintf(buf, len, "%lldh %lldm", s / 3600, s % 3600 / 60);
    else if (s >= 60)
	snprintf(buf, len, "%lldm", s / 60);
    else
	snprintf(buf, len, "%llds", s);
    return (buf);
}

/* first_team_reply - the time of the first team_reply history event */

static time_t first_team_reply(json_t *t)
{
    json_t *h;
    size_t  i;
    time_t  best = -1, w;

    json_array_foreach(json_object_get(t, "history"), i, h) {
	if (strcmp(json_string_value(json_object_get(h, "event")) ?: "", "team_reply") != 0)
	    continue;
	if ((w = parse_time(json_object_get(h, "time"))) >= 0 && (best < 0 || w < best))
	    best = w;
    }
    return (best);
}

/* parse_day - a --since/--until date, or -1 with the message printed */

static time_t parse_day(const char *flag, const char *val)
{
    time_t  t = val ? sm_parse_ymd(val) : -1;

    if (t < 0) {
	char   *clean = sm_sanitize_str(val ? val : "", 40);

	fprintf(stderr, "secticket: stats: %s %s: expected a date YYYY-MM-DD\n", flag,
		*clean ? clean : "(missing)");
	free(clean);
	return (-1);
    }
    return (t - STATS_NOON_S);		/* 00:00 UTC of that day */
}

int     cli_stats(const struct sm_config *cfg, const char *dir, int argc, char **argv)
{
    const char *since_s = NULL, *until_s = NULL;
    time_t  since = -1, until = -1;	/* [since, until): until is exclusive */
    int     as_json = 0;
    struct store *st;
    struct metric m[M_COUNT];
    json_t *all, *t, *out, *list, *o;
    size_t  i, count = 0;
    char    err[1024];

    /* 1. Arguments: each date must be a real day; since before until. */
    for (int k = 0; k < argc; k++) {
	if (strcmp(argv[k], "--json") == 0) {
	    as_json = 1;
	} else if (strcmp(argv[k], "--since") == 0 || strcmp(argv[k], "--until") == 0) {
	    const char *flag = argv[k];
	    const char *val = k + 1 < argc ? argv[++k] : NULL;

	    if (parse_day(flag, val) < 0)
		return (SM_EX_USAGE);
	    if (flag[2] == 's')
		since_s = val;
	    else
		until_s = val;
	} else if (strncmp(argv[k], "--since=", 8) == 0 || strncmp(argv[k], "--until=", 8) == 0) {
	    if (argv[k][2] == 's')
		since_s = argv[k] + 8;
	    else
		until_s = argv[k] + 8;
	    if (parse_day(argv[k][2] == 's' ? "--since" : "--until", argv[k] + 8) < 0)
		return (SM_EX_USAGE);
	} else {
	    char   *clean = sm_sanitize_str(argv[k], 60);

	    fprintf(stderr, "secticket: stats: unknown argument \"%s\"\n", clean);
	    free(clean);
	    return (SM_EX_USAGE);
	}
    }
    if (since_s)
	since = parse_day("--since", since_s);
    if (until_s)
	until = parse_day("--until", until_s) + STATS_DAY_S;
    if (since >= 0 && until >= 0 && since >= until) {
	fprintf(stderr, "secticket: stats: --since %s is after --until %s\n", since_s, until_s);
	return (SM_EX_USAGE);
    }

    /* 2. The tickets, read once. */
    if ((st = store_open(dir, 0, err, sizeof(err))) == NULL) {
	fprintf(stderr, "secticket: %s\n", err);
	return (SM_EX_CANTCREAT);
    }
    if (store_ticket_list(st, NULL, &all) < 0) {
	fprintf(stderr, "secticket: %s\n", store_error(st));
	store_close(st);
	return (SM_EX_IOERR);
    }
    store_close(st);

    /* 3. Each ticket received in the period: its three durations. */
    memset(m, 0, sizeof(m));
    list = json_array();
    json_array_foreach(all, i, t) {
	json_t *clock = json_object_get(t, "clock");
	const char *state = json_string_value(json_object_get(t, "state"));
	const char *sev = json_string_value(json_object_get(t, "severity"));
	time_t  rcv, fr, team, tri, fix;
	int     open = state_open(state);
	json_t *row;

	if (!json_is_object(clock))
	    store_clock_mark(t, "received", 0);	/* an older ticket */
	clock = json_object_get(t, "clock");
	if ((rcv = parse_time(json_object_get(clock, "received"))) < 0)
	    continue;
	if ((since >= 0 && rcv < since) || (until >= 0 && rcv >= until))
	    continue;
	count++;
	fr = parse_time(json_object_get(clock, "first_response"));
	if ((team = first_team_reply(t)) >= 0 && (fr < 0 || team < fr))
	    fr = team;
	tri = parse_time(json_object_get(clock, "triaged"));
	fix = parse_time(json_object_get(clock, "fixed"));

	if (fr >= 0)
	    metric_add(&m[M_RESPONSE], fr - rcv, fr - rcv <= (time_t) cfg->response_target_minutes * 60);
	else
	    open ? m[M_RESPONSE].pending++ : m[M_RESPONSE].none++;
	if (tri >= 0)
	    metric_add(&m[M_TRIAGE], tri - rcv, tri <= business_deadline(rcv, cfg->triage_target_days));
	else
	    open ? m[M_TRIAGE].pending++ : m[M_TRIAGE].none++;
	if (fix >= 0)
	    metric_add(&m[M_FIX], fix - rcv,
		       fix - (tri >= 0 ? tri : rcv) <= (time_t) fix_days(cfg, sev) * STATS_DAY_S);
	else
	    open ? m[M_FIX].pending++ : m[M_FIX].none++;

	row = json_pack("{s:O, s:O, s:O, s:O, s:O}", "id", json_object_get(t, "id"),
			"state", json_object_get(t, "state"),
			"severity", json_object_get(t, "severity") ?: json_null(),
			"clock", clock,
			"first_response_effective", json_null());
	if (fr >= 0) {
	    char    ts[32];

	    sm_rfc3339(fr, ts, sizeof(ts));
	    json_object_set_new(row, "first_response_effective", json_string(ts));
	}
	json_object_set_new(row, "first_response_s", fr >= 0 ? json_integer(fr - rcv) : json_null());
	json_object_set_new(row, "triage_s", tri >= 0 ? json_integer(tri - rcv) : json_null());
	json_object_set_new(row, "fix_s", fix >= 0 ? json_integer(fix - rcv) : json_null());
	json_array_append_new(list, row);
    }
    for (int k = 0; k < M_COUNT; k++)
	if (m[k].n > 1)
	    qsort(m[k].d, m[k].n, sizeof(m[k].d[0]), cmp_ll);

    /* 4. The report: JSON, or a table. */
    out = json_pack("{s:s?, s:s?, s:I, s:{s:I, s:I, s:{s:I, s:I, s:I, s:I}}}",
		    "since", since_s, "until", until_s, "tickets", (json_int_t) count,
		    "targets", "first_response_minutes", (json_int_t) cfg->response_target_minutes,
		    "triage_business_days", (json_int_t) cfg->triage_target_days,
		    "fix_days", "critical", (json_int_t) fix_days(cfg, "critical"),
		    "high", (json_int_t) fix_days(cfg, "high"),
		    "medium", (json_int_t) fix_days(cfg, "medium"),
		    "low", (json_int_t) fix_days(cfg, "low"));
    for (int k = 0; k < M_COUNT; k++) {
	long long med = percentile(&m[k], 50), p90 = percentile(&m[k], 90);

	o = json_pack("{s:I, s:o, s:o, s:I, s:o, s:I, s:I}",
		      "done", (json_int_t) m[k].n,
		      "median_s", med < 0 ? json_null() : json_integer(med),
		      "p90_s", p90 < 0 ? json_null() : json_integer(p90),
		      "within_target", (json_int_t) m[k].within,
		      "within_target_share", m[k].n ? json_real((double) m[k].within / (double) m[k].n) : json_null(),
		      "pending", (json_int_t) m[k].pending,
		      "none", (json_int_t) m[k].none);
	json_object_set_new(out, metric_names[k], o);
    }
    json_object_set_new(out, "ticket_clocks", list);
    if (as_json) {
	char   *s = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));

	if (s)
	    puts(s);
	free(s);
    } else {
	char    a[32], b[32], tgt[32];

	printf("Period:  %s .. %s (UTC), %zu ticket(s) received\n", since_s ? since_s : "start",
	       until_s ? until_s : "now", count);
	printf("Targets: first response %u min; triage %u business days (Mon-Fri); "
	       "fix %u/%u/%u/%u days (critical/high/medium/low) from triage\n\n",
	       cfg->response_target_minutes, cfg->triage_target_days, fix_days(cfg, "critical"),
	       fix_days(cfg, "high"), fix_days(cfg, "medium"), fix_days(cfg, "low"));
	printf("%-15s %6s %10s %10s %-12s %14s %8s %6s\n", "MEASURE", "DONE", "MEDIAN", "P90",
	       "TARGET", "WITHIN", "PENDING", "NONE");
	for (int k = 0; k < M_COUNT; k++) {
	    char    within[32];

	    if (k == M_RESPONSE)
		snprintf(tgt, sizeof(tgt), "%u min", cfg->response_target_minutes);
	    else if (k == M_TRIAGE)
		snprintf(tgt, sizeof(tgt), "%u bus. days", cfg->triage_target_days);
	    else
		snprintf(tgt, sizeof(tgt), "by severity");
	    if (m[k].n)
		snprintf(within, sizeof(within), "%zu/%zu %3.0f%%", m[k].within, m[k].n,
			 100.0 * (double) m[k].within / (double) m[k].n);
	    else
		snprintf(within, sizeof(within), "-");
	    printf("%-15s %6zu %10s %10s %-12s %14s %8zu %6zu\n", metric_titles[k], m[k].n,
		   human(percentile(&m[k], 50), a, sizeof(a)),
		   human(percentile(&m[k], 90), b, sizeof(b)), tgt, within,
		   m[k].pending, m[k].none);
	}
    }
    json_decref(out);
    json_decref(all);
    for (int k = 0; k < M_COUNT; k++)
	free(m[k].d);
    return (SM_EX_OK);
}
