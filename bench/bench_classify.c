/*++
/* NAME
/*	bench_classify 1
/* SUMMARY
/*	throughput of the classifier against a memchr floor
/* SYNOPSIS
/*	bench/bench_classify [-r rounds] [-o results-dir] [-l label] [-R rules]
/*		corpus-dir
/* DESCRIPTION
/*	bench_classify parses every *.eml of the corpus once (parse time is
/*	bench_parser's business and is not counted), then times only
/*	triage_classify() with the built-in rules over all the reports, and,
/*	for a sense of scale, a floor: one memchr() and one strlen() pass
/*	over the same bytes (Subject and text of every report).
/*
/*	The two run in interleaved rounds after one warm-up round; each
/*	figure is the median of the rounds (thread CPU time), with the
/*	spread min-max. Throughput is report text (Subject + text) per
/*	second of one core. The target, at least BENCH_TARGET_MBPS MB/s,
/*	is printed as met or missed.
/*
/*	-R times a rules file (the RulesFile format) instead of the
/*	built-in rules: the way to find what a change of the rules costs
/*	without rebuilding.
/*
/*	Results go to stdout, and as one JSON object to
/*	results-dir/bench-classify-YYYY-MM-DD.json.
/*
/*	What this program never does: fail because the machine is slow.
/* DIAGNOSTICS
/*	64 usage, 66 corpus unreadable or empty, 73 the results file could
/*	not be written.
/*--*/

/* System library. */

#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Third-party libraries. */

#include <jansson.h>

/* Utility library. */

#include "util/util.h"

/* Application-specific. */

#include "parser/report.h"
#include "classify/triage.h"

#define BENCH_MIN_ROUNDS	3
#define BENCH_DEF_ROUNDS	7
#define BENCH_MAX_ROUNDS	101
#define BENCH_MAX_FILES		100000
#define BENCH_TARGET_MBPS	50.0

static volatile size_t bench_sink;	/* keeps the floor from being optimised out */

static double now_cpu(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static int dbl_cmp(const void *a, const void *b)
{
    double  x = *(const double *) a, y = *(const double *) b;

    return ((x > y) - (x < y));
}

static int path_cmp(const void *a, const void *b)
{
    return (strcmp(*(char *const *) a, *(char *const *) b));
}

/* load - parse every report of the corpus */

static struct report *load(const char *dir, size_t *n, uint64_t *bytes)
{
    struct report_limits lim;
    struct report *reps = NULL;
    char  **paths = NULL, path[4096];
    size_t  np = 0, i;
    struct dirent *de;
    DIR    *d;
    int     fd;

    if ((d = opendir(dir)) == NULL)
	return (NULL);
    while ((de = readdir(d)) != NULL && np < BENCH_MAX_FILES) {
	size_t  len = strlen(de->d_name);

	if (len < 5 || strcmp(de->d_name + len - 4, ".eml") != 0
	    || strcmp(de->d_name, "big.eml") == 0)
	    continue;
	(void) snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
	if ((paths = realloc(paths, (np + 1) * sizeof(*paths))) == NULL
	    || (paths[np++] = strdup(path)) == NULL)
	    sm_panic("bench_classify: out of memory");
    }
    closedir(d);
    qsort(paths, np, sizeof(*paths), path_cmp);
    report_limits_from_config(&lim, NULL);
    lim.cpu_budget_ms = 0;
    if (np > 0 && (reps = calloc(np, sizeof(*reps))) == NULL)
	sm_panic("bench_classify: out of memory");
    *n = 0;
    *bytes = 0;
    for (i = 0; i < np; i++) {
	if ((fd = open(paths[i], O_RDONLY)) < 0)
	    continue;
	if (report_parse_fd(fd, &lim, &reps[*n]) == 0) {
	    *bytes += reps[*n].text.len + (reps[*n].subject ? strlen(reps[*n].subject) : 0);
	    (*n)++;
	}
	close(fd);
	free(paths[i]);
    }
    free(paths);
    return (reps);
}

/* run_classify - one pass of triage_classify() over every report */

static const struct triage_rules *bench_rules;	/* NULL: built in */

static double run_classify(struct report *reps, size_t n, size_t *classes)
{
    struct triage t;
    double  t0 = now_cpu();
    size_t  i;

    *classes = 0;
    for (i = 0; i < n; i++) {
	triage_init(&t);
	if (triage_classify(bench_rules, &reps[i], "bench@example.org", NULL, &t) == 0)
	    *classes += t.classes.n;
	triage_free(&t);
    }
    return (now_cpu() - t0);
}

/* run_floor - memchr and strlen over the same bytes */

static double run_floor(struct report *reps, size_t n)
{
    double  t0 = now_cpu();
    size_t  i, acc = 0;

    for (i = 0; i < n; i++) {
	const char *s = sbuf_str(&reps[i].text);

	acc += memchr(s, 0x01, reps[i].text.len) != NULL;
	acc += strlen(s);
	if (reps[i].subject)
	    acc += strlen(reps[i].subject);
    }
    bench_sink = acc;
    return (now_cpu() - t0);
}

int     main(int argc, char **argv)
{
    const char *outdir = NULL, *label = "unknown";
    int     rounds = BENCH_DEF_ROUNDS, ch, r;
    struct report *reps;
    size_t  n, i, classes = 0;
    uint64_t bytes;
    double *tc, *tf, mb, mbps, fmbps;
    json_t *doc;
    char    day[11], path[4096];
    time_t  now = time(NULL);
    struct tm tm;

    while ((ch = getopt(argc, argv, "r:o:l:R:")) != -1) {
	switch (ch) {
	case 'r':
	    rounds = atoi(optarg);
	    break;
	case 'o':
	    outdir = optarg;
	    break;
	case 'l':
	    label = optarg;
	    break;
	case 'R': {
		char    err[512];

		if ((bench_rules = triage_rules_load(optarg, err, sizeof(err))) == NULL) {
		    fprintf(stderr, "bench_classify: -R %s: %s\n", optarg, err);
		    return (SM_EX_USAGE);
		}
		break;
	    }
	default:
	    fprintf(stderr, "usage: bench_classify [-r rounds] [-o dir] [-l label] [-R rules] corpus-dir\n");
	    return (SM_EX_USAGE);
	}
    }
    if (optind + 1 != argc || rounds < BENCH_MIN_ROUNDS || rounds > BENCH_MAX_ROUNDS) {
	fprintf(stderr, "usage: bench_classify [-r %d..%d] [-o dir] [-l label] corpus-dir\n",
		BENCH_MIN_ROUNDS, BENCH_MAX_ROUNDS);
	return (SM_EX_USAGE);
    }
    if ((reps = load(argv[optind], &n, &bytes)) == NULL || n == 0 || bytes == 0) {
	fprintf(stderr, "bench_classify: %s: no reports\n", argv[optind]);
	return (SM_EX_NOINPUT);
    }
    mb = bytes / 1e6;

    /*
     * Warm-up (loads the built-in rules, the scratch), then interleaved
     * rounds.
     */
    (void) run_classify(reps, n, &classes);
    tc = calloc((size_t) rounds, sizeof(*tc));
    tf = calloc((size_t) rounds, sizeof(*tf));
    if (tc == NULL || tf == NULL)
	sm_panic("bench_classify: out of memory");
    for (r = 0; r < rounds; r++) {
	if (r % 2) {
	    tf[r] = run_floor(reps, n);
	    tc[r] = run_classify(reps, n, &classes);
	} else {
	    tc[r] = run_classify(reps, n, &classes);
	    tf[r] = run_floor(reps, n);
	}
    }
    qsort(tc, (size_t) rounds, sizeof(*tc), dbl_cmp);
    qsort(tf, (size_t) rounds, sizeof(*tf), dbl_cmp);
    mbps = mb / tc[rounds / 2];
    fmbps = mb / tf[rounds / 2];

    printf("bench-classify (%s): %zu reports, %.1f MB of Subject+text, %d rounds\n",
	   label, n, mb, rounds);
    printf("  %-26s %9.1f MB/s  (median %.3f s, %.3f-%.3f s)\n", "triage_classify",
	   mbps, tc[rounds / 2], tc[0], tc[rounds - 1]);
    printf("  %-26s %9.1f MB/s  (median %.4f s)\n", "floor: memchr+strlen",
	   fmbps, tf[rounds / 2]);
    printf("  %-26s %9.1f us\n", "per report", tc[rounds / 2] / n * 1e6);
    printf("  classes found per pass: %zu\n", classes);
    printf("  target >= %.0f MB/s on one core: %s\n", BENCH_TARGET_MBPS,
	   mbps >= BENCH_TARGET_MBPS ? "met" : "MISSED");

    /*
     * The results file; a failure to write it is said, not fatal.
     */
    if (outdir != NULL) {
	strftime(day, sizeof(day), "%Y-%m-%d", localtime_r(&now, &tm));
	(void) snprintf(path, sizeof(path), "%s/bench-classify-%s.json", outdir, day);
	doc = json_pack("{s:s, s:i, s:f, s:i, s:f, s:f, s:f, s:f, s:f, s:b}",
			"label", label, "reports", (int) n, "megabytes", mb,
			"rounds", rounds, "classify_mbps", mbps,
			"classify_median_s", tc[rounds / 2], "classify_min_s", tc[0],
			"classify_max_s", tc[rounds - 1], "floor_mbps", fmbps,
			"target_met", mbps >= BENCH_TARGET_MBPS);
	if (doc == NULL || sm_mkdir_p(outdir, 0755) < 0
	    || json_dump_file(doc, path, JSON_INDENT(2) | JSON_SORT_KEYS) != 0)
	    fprintf(stderr, "bench_classify: cannot write %s\n", path);
	else
	    printf("results: %s\n", path);
	json_decref(doc);
    }
    for (i = 0; i < n; i++)
	report_free(&reps[i]);
    free(reps);
    free(tc);
    free(tf);
    return (0);
}
