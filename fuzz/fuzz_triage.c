/*++
/* NAME
/*	fuzz_triage 1
/* SUMMARY
/*	libFuzzer target: one input is one message, parsed and triaged
/* SYNOPSIS
/*	make fuzz
/*	make fuzz-run FUZZ_SECONDS=600
/*
/*	int	LLVMFuzzerInitialize(argc, argv)
/*	int	LLVMFuzzerTestOneInput(data, size)
/* DESCRIPTION
/*	Runs the path a message takes through "secmilter -t": the input
/*	goes into a memory file (memfd, a regular file to fstat(), so
/*	report_parse_fd() takes its seeking branch as it does for a
/*	spooled message), then report_parse_fd() with the default limits,
/*	triage_classify() with the default configuration, triage_to_json()
/*	and json_dumps(), all under the default 2 s CPU budget. Everything
/*	is freed, so LeakSanitizer sees a leak in any of them.
/*
/*	What this never does: touch the store, the network or a file
/*	other than its own memfd. The budget watchdog stops a slow input
/*	with REPORT_F_TIMEOUT as in production; only a loop it cannot
/*	stop reaches libFuzzer's -timeout.
/*
/*	Built by "make fuzz" with clang -fsanitize=fuzzer,address,undefined
/*	straight from the sources of util/, parser/ and classify/ (never
/*	the gcc-built libraries, which carry no coverage).
/* DIAGNOSTICS
/*	A crash, a sanitizer report, a leak or a timeout, by libFuzzer.
/*	Keep each input that causes one in tests/data/fuzz/:
/*	tests/parser/test_fuzz_replay.sh replays them.
/*--*/

/* System library. */

#include <sys/mman.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Third-party libraries. */

#include <jansson.h>

/* Utility library. */

#include "util/util.h"

/* Application-specific. */

#include "parser/report.h"
#include "classify/triage.h"

#define FUZZ_CPU_BUDGET_MS	2000	/* SM_DEF_TRIAGE_CPU_MS, as shipped */

int     LLVMFuzzerInitialize(int *, char ***);
int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int fuzz_fd = -1;		/* the memory file, reused */

/* fuzz_one - parse and triage the message in fuzz_fd */

static void fuzz_one(void)
{
    struct report_limits lim;
    struct sm_config cfg;
    struct report rep;
    struct triage t;
    json_t *js;
    char   *line;

    /*
     * Default limits and configuration, as "secmilter -t" without -c.
     */
    report_limits_from_config(&lim, NULL);
    sm_config_init(&cfg);
    memset(&rep, 0, sizeof(rep));
    triage_init(&t);

    /*
     * Parse and judge under the CPU budget, as intake_triage() does.
     */
    report_budget_start(FUZZ_CPU_BUDGET_MS);
    if (report_parse_fd(fuzz_fd, &lim, &rep) == 0) {
	if (report_budget_exceeded())
	    rep.flags |= REPORT_F_TIMEOUT;
	if (triage_classify(NULL, &rep, NULL, &cfg, &t) == 0
	    && (js = triage_to_json(&rep, &t, "fuzz")) != NULL) {
	    line = json_dumps(js, TRIAGE_JSON_DUMP_FLAGS | JSON_PRESERVE_ORDER);
	    free(line);
	    json_decref(js);
	}
    }
    report_budget_stop();

    triage_free(&t);
    report_free(&rep);
    sm_config_free(&cfg);
}

/* LLVMFuzzerInitialize - the memory file; one-time library state */

int     LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char warmup[] = "From: a@example.com\r\nSubject: x\r\n\r\nx\r\n";

    (void) argc;
    (void) argv;
    if ((fuzz_fd = memfd_create("fuzz_triage", MFD_CLOEXEC)) < 0) {
	fprintf(stderr, "fuzz_triage: memfd_create: %s\n", strerror(errno));
	exit(1);
    }

    /*
     * GMime and the budget's signal handler initialise once, on first
     * use: do it here so the leak check never counts their globals.
     */
    if (write(fuzz_fd, warmup, sizeof(warmup) - 1) != (ssize_t) sizeof(warmup) - 1) {
	fprintf(stderr, "fuzz_triage: write: %s\n", strerror(errno));
	exit(1);
    }
    fuzz_one();
    return (0);
}

/* LLVMFuzzerTestOneInput - one message */

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t  off = 0;
    ssize_t n;

    /*
     * Replace the memory file's content with the input.
     */
    if (ftruncate(fuzz_fd, 0) < 0)
	abort();
    while (off < size) {
	if ((n = pwrite(fuzz_fd, data + off, size - off, (off_t) off)) <= 0)
	    abort();
	off += (size_t) n;
    }
    fuzz_one();
    return (0);
}
