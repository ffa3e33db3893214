/*++
/* NAME
/*	bench_parser 1
/* SUMMARY
/*	throughput and peak memory of parser/ against a GMime floor
/* SYNOPSIS
/*	bench/bench_parser [-r rounds] [-o results-dir] [-b big-message]
/*		[-l label] corpus-dir
/*	bench/bench_parser -p floor|parse [-r rounds] corpus-dir
/*	bench/bench_parser -C idle|floor|parse file	(internal: one RSS child)
/* DESCRIPTION
/*	bench_parser measures what report_parse_fd() (parse + extract, as
/*	the daemon runs it, under the CPU budget) costs over a corpus of
/*	report mails, against a floor measured in the same run: GMime
/*	parsing the same files and writing every leaf's decoded content
/*	into a null stream, the least work that sees every byte decoded.
/*
/*	The two are run in interleaved rounds (floor first in even
/*	rounds, parse first in odd ones) after one warm-up round; each
/*	figure is the median of the rounds, with the spread min-max. The
/*	ratio is taken per round, so a machine that is busy for a while
/*	slows both sides of one ratio alike.
/*
/*	Peak RSS: the big message is parsed in fresh children started
/*	with posix_spawn() (no copy of this process's memory), one per
/*	mode: idle (start up, exit), floor, parse. ru_maxrss comes from
/*	wait4().
/*
/*	Results go to stdout as a table, and as one JSON object to
/*	results-dir/bench-parser-YYYY-MM-DD.json (written to a .tmp file,
/*	then renamed); label (e.g. git describe) names the code measured.
/*
/*	-p runs one side only, rounds times, and prints its time: a
/*	steady load to run under perf record or valgrind.
/*
/*	What this program never does: fail because the machine is slow.
/*	Targets (parse+extract at most 2x the floor, peak RSS under 32
/*	MiB on the big message) are reported as met or missed; the exit
/*	status is 0 either way. It never calls
/*	g_mime_multipart_get_boundary() (see parser/report.c).
/* DIAGNOSTICS
/*	64 usage, 66 corpus unreadable or empty, 71 a child could not be
/*	started, 73 the results file could not be written.
/*--*/

/* System library. */

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Third-party libraries. */

#include <gmime/gmime.h>
#include <jansson.h>

/* Utility library. */

#include "util/util.h"

/* Application-specific. */

#include "parser/report.h"

#define BENCH_MIN_ROUNDS	7
#define BENCH_DEF_ROUNDS	9
#define BENCH_MAX_ROUNDS	101
#define BENCH_MAX_FILES		100000	/* corpus files read */
#define BENCH_MAX_DEPTH		64	/* floor walk: GMime nests no deeper */
#define BENCH_RSS_RUNS		3	/* children per mode; the max is kept */
#define BENCH_RATIO_TARGET	2.0
#define BENCH_RSS_TARGET_KIB	(32 * 1024)
#define BENCH_CHILD_LINE_MAX	512

struct corpus {
    char  **paths;
    size_t  n;
    uint64_t bytes;
};

/* One pass over the corpus. */
struct pass {
    double  wall_s;
    double  cpu_s;
};

/* What parse+extract found, to show it did the work. */
struct sanity {
    uint64_t text_bytes;
    uint64_t attachments;
    uint64_t attachment_bytes;
    uint64_t urls;
    unsigned timeouts;
    unsigned malformed;
};

struct stat3 {
    double  median, min, max;
};

struct child_result {
    long    maxrss_kib;
    char    line[BENCH_CHILD_LINE_MAX];
};

extern char **environ;

static void usage(void);
static double now_mono(void);
static double now_cpu(void);
static int path_cmp(const void *, const void *);
static int corpus_load(struct corpus *, const char *dir);
static void floor_walk(GMimeObject *, GMimeStream *, unsigned depth);
static int floor_one(const char *path, GMimeStream *null);
static int parse_one(const char *path, const struct report_limits *,
		             struct sanity *);
static struct pass run_floor(const struct corpus *);
static struct pass run_parse(const struct corpus *, const struct report_limits *,
			             struct sanity *);
static int dbl_cmp(const void *, const void *);
static struct stat3 stat3_of(const double *, size_t);
static json_t *stat3_json(struct stat3);
static int child_main(const char *mode, const char *path);
static int child_run(const char *self, const char *mode, const char *path,
		             struct child_result *);
static int results_write(const char *dir, json_t *);

/* usage - say how, exit 64 */

static void usage(void)
{
    fprintf(stderr, "usage: bench_parser [-r rounds] [-o results-dir] "
	    "[-b big-message] [-l label] corpus-dir\n"
	    "       bench_parser -p floor|parse [-r rounds] corpus-dir\n");
    exit(SM_EX_USAGE);
}

/* now_mono - elapsed seconds, monotonic */

static double now_mono(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (ts.tv_sec + ts.tv_nsec / 1e9);
}

/* now_cpu - user + system seconds of this process */

static double now_cpu(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6
	    + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
}

static int path_cmp(const void *a, const void *b)
{
    return (strcmp(*(char *const *) a, *(char *const *) b));
}

/* corpus_load - every *.eml of dir but big.eml, sorted by name */

static int corpus_load(struct corpus *c, const char *dir)
{
    struct dirent *de;
    struct stat st;
    DIR    *d;
    size_t  len;
    char   *path;
    char  **v;

    memset(c, 0, sizeof(*c));
    if ((d = opendir(dir)) == NULL)
	return (-1);
    while ((de = readdir(d)) != NULL && c->n < BENCH_MAX_FILES) {
	len = strlen(de->d_name);
	if (len < 5 || strcmp(de->d_name + len - 4, ".eml") != 0
	    || strcmp(de->d_name, "big.eml") == 0)
	    continue;
	if ((path = g_strdup_printf("%s/%s", dir, de->d_name)) == NULL
	    || stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
	    g_free(path);
	    continue;
	}
	if ((v = realloc(c->paths, (c->n + 1) * sizeof(*v))) == NULL)
	    sm_panic("bench_parser: out of memory");
	c->paths = v;
	c->paths[c->n++] = path;
	c->bytes += (uint64_t) st.st_size;
    }
    closedir(d);
    if (c->n > 1)
	qsort(c->paths, c->n, sizeof(*c->paths), path_cmp);
    return (c->n > 0 ? 0 : -1);
}

/* floor_walk - every leaf's decoded content into the null stream */

static void floor_walk(GMimeObject *obj, GMimeStream *null, unsigned depth)
{
    GMimeDataWrapper *content;
    GMimeMessage *inner;
    int     n;

    if (obj == NULL || depth > BENCH_MAX_DEPTH)
	return;

    /*
     * Containers: children in order, a forwarded message's body. Never
     * ask a multipart for its boundary.
     */
    if (GMIME_IS_MESSAGE_PART(obj)) {
	inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
	if (inner)
	    floor_walk(g_mime_message_get_mime_part(inner), null, depth + 1);
    } else if (GMIME_IS_MULTIPART(obj)) {
	n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));
	for (int i = 0; i < n; i++)
	    floor_walk(g_mime_multipart_get_part(GMIME_MULTIPART(obj), i), null,
		       depth + 1);
    } else if (GMIME_IS_PART(obj)) {

	/*
	 * A leaf: its content, transfer-decoded, to nowhere.
	 */
	content = g_mime_part_get_content(GMIME_PART(obj));
	if (content)
	    (void) g_mime_data_wrapper_write_to_stream(content, null);
    }
}

/* floor_one - GMime alone: parse one file, walk it, decode every leaf */

static int floor_one(const char *path, GMimeStream *null)
{
    GMimeParser *parser;
    GMimeMessage *msg;
    GMimeStream *stream;
    int     fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
	return (-1);
    stream = g_mime_stream_fs_new(fd);		/* owns fd */
    parser = g_mime_parser_new_with_stream(stream);
    g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
    msg = g_mime_parser_construct_message(parser, NULL);
    if (msg) {
	floor_walk(g_mime_message_get_mime_part(msg), null, 1);
	g_object_unref(msg);
    }
    g_object_unref(parser);
    g_object_unref(stream);
    return (0);
}

/* parse_one - report_parse_fd() as the daemon runs it, with the budget */

static int parse_one(const char *path, const struct report_limits *lim,
		             struct sanity *san)
{
    struct report rep;
    int     fd, ret;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
	return (-1);
    report_budget_start(lim->cpu_budget_ms);
    ret = report_parse_fd(fd, lim, &rep);
    report_budget_stop();
    close(fd);
    if (ret < 0)
	return (-1);
    if (san) {
	san->text_bytes += rep.text.len;
	san->attachments += rep.n_attachments;
	for (size_t i = 0; i < rep.n_attachments; i++)
	    san->attachment_bytes += rep.attachments[i].size;
	san->urls += rep.urls.n;
	if (rep.flags & REPORT_F_TIMEOUT)
	    san->timeouts++;
	if (rep.flags & REPORT_F_MALFORMED)
	    san->malformed++;
    }
    report_free(&rep);
    return (0);
}

/* run_floor - one pass of the floor over the corpus */

static struct pass run_floor(const struct corpus *c)
{
    GMimeStream *null = g_mime_stream_null_new();
    struct pass p;
    double  t0, c0;

    t0 = now_mono();
    c0 = now_cpu();
    for (size_t i = 0; i < c->n; i++) {
	if (floor_one(c->paths[i], null) < 0)
	    fprintf(stderr, "bench_parser: %s: %s\n", c->paths[i], strerror(errno));
	(void) g_mime_stream_reset(null);
    }
    p.wall_s = now_mono() - t0;
    p.cpu_s = now_cpu() - c0;
    g_object_unref(null);
    return (p);
}

/* run_parse - one pass of parse+extract over the corpus */

static struct pass run_parse(const struct corpus *c,
			             const struct report_limits *lim,
			             struct sanity *san)
{
    struct pass p;
    double  t0, c0;

    t0 = now_mono();
    c0 = now_cpu();
    for (size_t i = 0; i < c->n; i++)
	if (parse_one(c->paths[i], lim, san) < 0)
	    fprintf(stderr, "bench_parser: %s: %s\n", c->paths[i], strerror(errno));
    p.wall_s = now_mono() - t0;
    p.cpu_s = now_cpu() - c0;
    return (p);
}

static int dbl_cmp(const void *a, const void *b)
{
    double  x = *(const double *) a, y = *(const double *) b;

    return ((x > y) - (x < y));
}

/* stat3_of - median, min and max of n values */

static struct stat3 stat3_of(const double *v, size_t n)
{
    double  s[BENCH_MAX_ROUNDS];
    struct stat3 r;

    memcpy(s, v, n * sizeof(*v));
    qsort(s, n, sizeof(*s), dbl_cmp);
    r.min = s[0];
    r.max = s[n - 1];
    r.median = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    return (r);
}

static json_t *stat3_json(struct stat3 s)
{
    return (json_pack("{s:f, s:f, s:f}", "median", s.median, "min", s.min,
		      "max", s.max));
}

/* child_main - one RSS child: start up, do one message, say what it saw */

static int child_main(const char *mode, const char *path)
{
    struct report_limits lim;
    struct report rep;
    struct rusage ru;
    double  t0, c0;
    int     fd;

    /*
     * The same start-up in every mode, so idle is the baseline.
     */
    g_mime_init();
    report_limits_from_config(&lim, NULL);
    if (strcmp(mode, "idle") == 0) {
	getrusage(RUSAGE_SELF, &ru);
	printf("maxrss_self_kib=%ld\n", ru.ru_maxrss);
	return (0);
    }
    t0 = now_mono();
    c0 = now_cpu();
    if (strcmp(mode, "floor") == 0) {
	GMimeStream *null = g_mime_stream_null_new();

	if (floor_one(path, null) < 0)
	    return (SM_EX_NOINPUT);
	printf("decoded=%lld ", (long long) g_mime_stream_length(null));
	g_object_unref(null);
    } else if (strcmp(mode, "parse") == 0) {
	uint64_t att = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
	    return (SM_EX_NOINPUT);
	report_budget_start(lim.cpu_budget_ms);
	if (report_parse_fd(fd, &lim, &rep) < 0)
	    return (SM_EX_NOINPUT);
	report_budget_stop();
	close(fd);
	for (size_t i = 0; i < rep.n_attachments; i++)
	    att += rep.attachments[i].size;
	printf("flags=0x%x text=%zu attachments=%zu attachment_bytes=%llu urls=%zu ",
	       rep.flags, rep.text.len, rep.n_attachments,
	       (unsigned long long) att, rep.urls.n);
	report_free(&rep);
    } else
	return (SM_EX_USAGE);
    getrusage(RUSAGE_SELF, &ru);
    printf("wall_ms=%.1f cpu_ms=%.1f maxrss_self_kib=%ld\n",
	   (now_mono() - t0) * 1e3, (now_cpu() - c0) * 1e3, ru.ru_maxrss);
    return (0);
}

/* child_run - spawn one child, read its line, take ru_maxrss from wait4() */

static int child_run(const char *self, const char *mode, const char *path,
		             struct child_result *res)
{
    posix_spawn_file_actions_t fa;
    char   *argv[5];
    struct rusage ru;
    size_t  len = 0;
    ssize_t n;
    pid_t   pid;
    int     pfd[2], status, err;

    memset(res, 0, sizeof(*res));
    if (pipe(pfd) < 0)
	return (-1);

    /*
     * posix_spawn, not fork: a forked child starts with a copy of our
     * page tables, and its ru_maxrss would count our memory too.
     */
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
    posix_spawn_file_actions_addclose(&fa, pfd[0]);
    argv[0] = (char *) self;
    argv[1] = (char *) "-C";
    argv[2] = (char *) mode;
    argv[3] = (char *) path;
    argv[4] = NULL;
    err = posix_spawn(&pid, self, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pfd[1]);
    if (err != 0) {
	close(pfd[0]);
	errno = err;
	return (-1);
    }

    /*
     * Its one line of findings, then its resource usage.
     */
    while (len < sizeof(res->line) - 1
	   && (n = read(pfd[0], res->line + len, sizeof(res->line) - 1 - len)) > 0)
	len += (size_t) n;
    res->line[len] = 0;
    res->line[strcspn(res->line, "\n")] = 0;
    close(pfd[0]);
    while (wait4(pid, &status, 0, &ru) < 0)
	if (errno != EINTR)
	    return (-1);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
	errno = ECHILD;
	return (-1);
    }
    res->maxrss_kib = ru.ru_maxrss;
    return (0);
}

/* results_write - dir/bench-parser-YYYY-MM-DD.json, via a .tmp file */

static int results_write(const char *dir, json_t *doc)
{
    char    day[11], *path, *tmp;
    time_t  now = time(NULL);
    struct tm tm;
    int     ret = -1;

    strftime(day, sizeof(day), "%Y-%m-%d", localtime_r(&now, &tm));
    if (sm_mkdir_p(dir, 0755) < 0)
	return (-1);
    path = g_strdup_printf("%s/bench-parser-%s.json", dir, day);
    tmp = g_strdup_printf("%s.tmp", path);
    if (json_dump_file(doc, tmp, JSON_INDENT(2) | JSON_SORT_KEYS
		       | JSON_REAL_PRECISION(6)) == 0 && rename(tmp, path) == 0) {
	printf("results: %s\n", path);
	ret = 0;
    } else
	(void) unlink(tmp);
    g_free(path);
    g_free(tmp);
    return (ret);
}

/* main - measure, print, write the results; exit 0 whatever they are */

int     main(int argc, char **argv)
{
    const char *results_dir = "bench/results", *big = NULL, *dir;
    const char *label = "", *only = NULL;
    double  f_msgs[BENCH_MAX_ROUNDS], f_mbs[BENCH_MAX_ROUNDS], f_cpu[BENCH_MAX_ROUNDS];
    double  p_msgs[BENCH_MAX_ROUNDS], p_mbs[BENCH_MAX_ROUNDS], p_cpu[BENCH_MAX_ROUNDS];
    double  r_wall[BENCH_MAX_ROUNDS], r_cpu[BENCH_MAX_ROUNDS];
    struct stat3 sf_msgs, sf_mbs, sf_cpu, sp_msgs, sp_mbs, sp_cpu, sr_wall, sr_cpu;
    struct child_result rss[3];
    static const char *const rss_modes[3] = {"idle", "floor", "parse"};
    struct report_limits lim;
    struct sanity san;
    struct corpus c;
    struct utsname un;
    struct stat st;
    json_t *doc, *jrss;
    char    big_default[4096], gmime_version[32], day[11];
    time_t  now;
    struct tm tm;
    int     rounds = BENCH_DEF_ROUNDS, ch, ratio_met, rss_met, have_big;
    double  mb;

    /*
     * An RSS child does its one message and nothing else.
     */
    if (argc == 4 && strcmp(argv[1], "-C") == 0)
	return (child_main(argv[2], argv[3]));

    while ((ch = getopt(argc, argv, "b:l:o:p:r:")) != -1) {
	switch (ch) {
	case 'b':
	    big = optarg;
	    break;
	case 'l':
	    label = optarg;
	    break;
	case 'p':
	    only = optarg;
	    if (strcmp(only, "floor") != 0 && strcmp(only, "parse") != 0)
		usage();
	    break;
	case 'o':
	    results_dir = optarg;
	    break;
	case 'r':
	    rounds = atoi(optarg);
	    if (rounds < BENCH_MIN_ROUNDS || rounds > BENCH_MAX_ROUNDS) {
		fprintf(stderr, "bench_parser: -r: %d..%d rounds\n",
			BENCH_MIN_ROUNDS, BENCH_MAX_ROUNDS);
		usage();
	    }
	    break;
	default:
	    usage();
	}
    }
    if (argc - optind != 1)
	usage();
    dir = argv[optind];
    if (big == NULL) {
	snprintf(big_default, sizeof(big_default), "%s/big.eml", dir);
	big = big_default;
    }
    have_big = stat(big, &st) == 0 && S_ISREG(st.st_mode);

    /*
     * The corpus, the daemon's default limits, GMime.
     */
    if (corpus_load(&c, dir) < 0) {
	fprintf(stderr, "bench_parser: %s: no *.eml files\n", dir);
	return (SM_EX_NOINPUT);
    }
    mb = c.bytes / 1e6;
    report_limits_from_config(&lim, NULL);
    g_mime_init();
    printf("bench-parser: %zu messages, %.1f MB, %d rounds (+1 warm-up), "
	   "GMime %u.%u.%u\n", c.n, mb, rounds, gmime_major_version,
	   gmime_minor_version, gmime_micro_version);

    /*
     * A profiling load: one side only, no table, no results file.
     */
    if (only) {
	for (int r = 0; r < rounds; r++) {
	    struct pass p = strcmp(only, "floor") == 0 ? run_floor(&c)
		: run_parse(&c, &lim, NULL);

	    printf("%s pass %d: %.3f s wall, %.3f s CPU\n", only, r + 1,
		   p.wall_s, p.cpu_s);
	}
	return (SM_EX_OK);
    }

    /*
     * Warm-up: page cache, lazy initialisation, malloc arenas.
     */
    (void) run_floor(&c);
    (void) run_parse(&c, &lim, NULL);

    /*
     * Interleaved rounds; the order alternates so neither side always
     * runs on a cache the other one warmed.
     */
    memset(&san, 0, sizeof(san));
    for (int r = 0; r < rounds; r++) {
	struct pass f, p;

	if (r % 2 == 0) {
	    f = run_floor(&c);
	    p = run_parse(&c, &lim, r == 0 ? &san : NULL);
	} else {
	    p = run_parse(&c, &lim, NULL);
	    f = run_floor(&c);
	}
	f_msgs[r] = c.n / f.wall_s;
	f_mbs[r] = mb / f.wall_s;
	f_cpu[r] = f.cpu_s * 1e6 / c.n;
	p_msgs[r] = c.n / p.wall_s;
	p_mbs[r] = mb / p.wall_s;
	p_cpu[r] = p.cpu_s * 1e6 / c.n;
	r_wall[r] = p.wall_s / f.wall_s;
	r_cpu[r] = f.cpu_s > 0 ? p.cpu_s / f.cpu_s : 0;
	fprintf(stderr, "round %d: floor %.3f s, parse+extract %.3f s, ratio %.2f\n",
		r + 1, f.wall_s, p.wall_s, r_wall[r]);
    }
    sf_msgs = stat3_of(f_msgs, rounds);
    sf_mbs = stat3_of(f_mbs, rounds);
    sf_cpu = stat3_of(f_cpu, rounds);
    sp_msgs = stat3_of(p_msgs, rounds);
    sp_mbs = stat3_of(p_mbs, rounds);
    sp_cpu = stat3_of(p_cpu, rounds);
    sr_wall = stat3_of(r_wall, rounds);
    sr_cpu = stat3_of(r_cpu, rounds);
    ratio_met = sr_wall.median <= BENCH_RATIO_TARGET;

    /*
     * Peak RSS on the big message, each mode in fresh children; the
     * largest of a few runs.
     */
    memset(rss, 0, sizeof(rss));
    for (int m = 0; have_big && m < 3; m++) {
	for (int k = 0; k < BENCH_RSS_RUNS; k++) {
	    struct child_result one;

	    if (child_run("/proc/self/exe", rss_modes[m], big, &one) < 0) {
		fprintf(stderr, "bench_parser: %s child: %s\n", rss_modes[m],
			strerror(errno));
		return (SM_EX_OSERR);
	    }
	    if (one.maxrss_kib >= rss[m].maxrss_kib)
		rss[m] = one;
	}
    }
    rss_met = have_big && rss[2].maxrss_kib < BENCH_RSS_TARGET_KIB;

    /*
     * The table.
     */
    printf("\n%-22s %12s %20s %10s %20s %12s\n", "", "msgs/s", "(min-max)",
	   "MB/s", "(min-max)", "CPU us/msg");
    printf("%-22s %12.1f %9.1f-%-10.1f %10.2f %9.2f-%-10.2f %12.1f\n",
	   "GMime floor", sf_msgs.median, sf_msgs.min, sf_msgs.max,
	   sf_mbs.median, sf_mbs.min, sf_mbs.max, sf_cpu.median);
    printf("%-22s %12.1f %9.1f-%-10.1f %10.2f %9.2f-%-10.2f %12.1f\n",
	   "parse+extract", sp_msgs.median, sp_msgs.min, sp_msgs.max,
	   sp_mbs.median, sp_mbs.min, sp_mbs.max, sp_cpu.median);
    printf("\ncost ratio parse+extract / floor (per round): wall %.2fx "
	   "(%.2f-%.2f), CPU %.2fx (%.2f-%.2f)\n", sr_wall.median, sr_wall.min,
	   sr_wall.max, sr_cpu.median, sr_cpu.min, sr_cpu.max);
    printf("target <= %.1fx: %s\n", BENCH_RATIO_TARGET, ratio_met ? "met" : "missed");
    printf("parse+extract saw: %llu text bytes, %llu attachments (%llu bytes), "
	   "%llu URLs, %u timeouts, %u malformed\n",
	   (unsigned long long) san.text_bytes, (unsigned long long) san.attachments,
	   (unsigned long long) san.attachment_bytes, (unsigned long long) san.urls,
	   san.timeouts, san.malformed);
    if (san.timeouts)
	printf("WARNING: %u messages hit the CPU budget: parse+extract did "
	       "less work than asked, its figures flatter it\n", san.timeouts);
    if (have_big) {
	printf("\npeak RSS, %s (%.1f MiB), fresh process each:\n", big,
	       st.st_size / 1048576.0);
	for (int m = 0; m < 3; m++)
	    printf("  %-6s %7.1f MiB%s  %s\n", rss_modes[m],
		   rss[m].maxrss_kib / 1024.0, m == 0 ? " (start-up only)" : "",
		   rss[m].line);
	printf("  triage adds %.1f MiB over start-up (floor adds %.1f MiB)\n",
	       (rss[2].maxrss_kib - rss[0].maxrss_kib) / 1024.0,
	       (rss[1].maxrss_kib - rss[0].maxrss_kib) / 1024.0);
	printf("target < %d MiB: %s\n", BENCH_RSS_TARGET_KIB / 1024,
	       rss_met ? "met" : "missed");
    } else
	printf("\npeak RSS: %s missing, not measured\n", big);

    /*
     * The same figures as JSON.
     */
    uname(&un);
    now = time(NULL);
    strftime(day, sizeof(day), "%Y-%m-%d", localtime_r(&now, &tm));
    snprintf(gmime_version, sizeof(gmime_version), "%u.%u.%u", gmime_major_version,
	     gmime_minor_version, gmime_micro_version);
    jrss = have_big ? json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:s, s:s, s:I, s:b}",
				"message", big, "message_bytes", (json_int_t) st.st_size,
				"idle_kib", (json_int_t) rss[0].maxrss_kib,
				"floor_kib", (json_int_t) rss[1].maxrss_kib,
				"parse_extract_kib", (json_int_t) rss[2].maxrss_kib,
				"added_kib", (json_int_t) (rss[2].maxrss_kib - rss[0].maxrss_kib),
				"floor_child", rss[1].line, "parse_child", rss[2].line,
				"target_kib", (json_int_t) BENCH_RSS_TARGET_KIB,
				"met", rss_met)
	: json_null();
    doc = json_pack("{s:s, s:s, s:s, s:I, s:s, s:{s:s, s:s, s:I}, s:{s:s, s:I, s:I}, s:i,"
		    " s:{s:o, s:o, s:o}, s:{s:o, s:o, s:o},"
		    " s:{s:o, s:o, s:f, s:b},"
		    " s:{s:I, s:I, s:I, s:I, s:i, s:i}, s:o}",
		    "bench", "parser", "label", label, "date", day,
		    "time", (json_int_t) now,
		    "gmime", gmime_version,
		    "host", "machine", un.machine, "release", un.release,
		    "cpus", (json_int_t) sysconf(_SC_NPROCESSORS_ONLN),
		    "corpus", "dir", dir, "messages", (json_int_t) c.n,
		    "bytes", (json_int_t) c.bytes,
		    "rounds", rounds,
		    "floor", "msgs_per_s", stat3_json(sf_msgs),
		    "mb_per_s", stat3_json(sf_mbs), "cpu_us_per_msg", stat3_json(sf_cpu),
		    "parse_extract", "msgs_per_s", stat3_json(sp_msgs),
		    "mb_per_s", stat3_json(sp_mbs), "cpu_us_per_msg", stat3_json(sp_cpu),
		    "ratio", "wall", stat3_json(sr_wall), "cpu", stat3_json(sr_cpu),
		    "target", BENCH_RATIO_TARGET, "met", ratio_met,
		    "sanity", "text_bytes", (json_int_t) san.text_bytes,
		    "attachments", (json_int_t) san.attachments,
		    "attachment_bytes", (json_int_t) san.attachment_bytes,
		    "urls", (json_int_t) san.urls, "timeouts", (int) san.timeouts,
		    "malformed", (int) san.malformed,
		    "rss", jrss);
    if (doc == NULL || results_write(results_dir, doc) < 0) {
	fprintf(stderr, "bench_parser: %s: cannot write results: %s\n",
		results_dir, strerror(errno));
	return (SM_EX_CANTCREAT);
    }
    json_decref(doc);
    for (size_t i = 0; i < c.n; i++)
	g_free(c.paths[i]);
    free(c.paths);
    return (SM_EX_OK);
}
