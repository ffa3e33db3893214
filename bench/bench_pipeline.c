/*++
/* NAME
/*	bench_pipeline 1
/* SUMMARY
/*	"make bench-pipeline": the daemon's intake in process, for callgrind
/* SYNOPSIS
/*	bench_pipeline [-m gmime|pipeline] [-d state_dir] file...
/* DESCRIPTION
/*	-m pipeline (default) runs intake_message() on every file, as the
/*	milter's end of message does: parse, triage, duplicate lookup,
/*	ticket commit (durable: SyncCommits yes) with the acknowledgement
/*	in the outbox. The outbox sender is not started: sending is a
/*	separate process's work. -m gmime is the floor: GMime parses each
/*	file and decodes every leaf to a null stream, as bench_parser's
/*	floor does; the pipeline cannot do less than that.
/*
/*	The first file is run once before measuring (lazy start-up), with
/*	callgrind's collection off; the loop over all files runs with it
/*	on (CALLGRIND_TOGGLE_COLLECT; run under --collect-atstart=no).
/*	Outside valgrind the program just runs.
/*
/*	The state directory (default bench/pipeline-state) is emptied
/*	first; it must be on the files' file system: the store keeps its
/*	raw copy of a message as a hard link.
/*--*/

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gmime/gmime.h>
#include <valgrind/callgrind.h>

#include "util/util.h"
#include "milter/milter.h"

#define BENCH_MAX_DEPTH	32

static void floor_walk(GMimeObject *obj, GMimeStream *null, unsigned depth)
{
    GMimeDataWrapper *content;
    GMimeMessage *inner;

    if (obj == NULL || depth > BENCH_MAX_DEPTH)
	return;
    if (GMIME_IS_MESSAGE_PART(obj)) {
	inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
	if (inner)
	    floor_walk(g_mime_message_get_mime_part(inner), null, depth + 1);
    } else if (GMIME_IS_MULTIPART(obj)) {
	int     n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));

	for (int i = 0; i < n; i++)
	    floor_walk(g_mime_multipart_get_part(GMIME_MULTIPART(obj), i), null, depth + 1);
    } else if (GMIME_IS_PART(obj)) {
	content = g_mime_part_get_content(GMIME_PART(obj));
	if (content)
	    (void) g_mime_data_wrapper_write_to_stream(content, null);
    }
}

static int gmime_one(const char *path)
{
    GMimeStream *stream, *null;
    GMimeParser *parser;
    GMimeMessage *msg;
    int     fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
	return (-1);
    stream = g_mime_stream_fs_new(fd);
    parser = g_mime_parser_new_with_stream(stream);
    g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
    null = g_mime_stream_null_new();
    if ((msg = g_mime_parser_construct_message(parser, NULL)) != NULL) {
	floor_walk(g_mime_message_get_mime_part(msg), null, 1);
	g_object_unref(msg);
    }
    g_object_unref(null);
    g_object_unref(parser);
    g_object_unref(stream);
    return (0);
}

static int pipeline_one(const struct intake_env *env, const char *path, int n)
{
    struct intake_result res;
    char    qid[32];
    int     fd, rc;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
	return (-1);
    snprintf(qid, sizeof(qid), "BENCH%06d", n);
    intake_result_init(&res);
    rc = intake_message(env, qid, fd, path, "researcher@example.net", 0, &res);
    intake_result_free(&res);
    close(fd);
    return (rc);
}

int     main(int argc, char **argv)
{
    const char *mode = "pipeline", *dir = "bench/pipeline-state";
    struct sm_config cfg;
    struct intake_env env;
    char    err[1024], cmd[4200];
    int     ch, failed = 0;

    while ((ch = getopt(argc, argv, "m:d:")) != -1) {
	switch (ch) {
	case 'm':
	    mode = optarg;
	    break;
	case 'd':
	    dir = optarg;
	    break;
	default:
	    goto usage;
	}
    }
    if (optind >= argc || (strcmp(mode, "gmime") && strcmp(mode, "pipeline")))
	goto usage;
    g_mime_init();
    sm_log_open("bench_pipeline", 1);

    memset(&env, 0, sizeof(env));
    sm_config_init(&cfg);
    if (sm_config_set(&cfg, "SecurityAddress", "security@example.com", err, sizeof(err)) < 0
	|| sm_config_set(&cfg, "StateDirectory", dir, err, sizeof(err)) < 0) {
	fprintf(stderr, "bench_pipeline: %s\n", err);
	return (1);
    }
    env.cfg = &cfg;
    report_limits_from_config(&env.limits, &cfg);
    if (strcmp(mode, "pipeline") == 0) {
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (strchr(dir, '\'') || system(cmd) != 0)
	    return (1);
	if ((env.store = store_open(dir, STORE_F_CREATE | (cfg.sync ? 0 : STORE_F_NOSYNC),
				    err, sizeof(err))) == NULL) {
	    fprintf(stderr, "bench_pipeline: %s\n", err);
	    return (1);
	}
	if (milter_reload(&env) < 0)
	    return (1);
    }

    /* Warm up on the first file (a ticket more does not matter). */
    if (strcmp(mode, "gmime") == 0)
	(void) gmime_one(argv[optind]);
    else
	(void) pipeline_one(&env, argv[optind], 0);

    CALLGRIND_TOGGLE_COLLECT;
    for (int i = optind; i < argc; i++)
	if ((strcmp(mode, "gmime") == 0 ? gmime_one(argv[i]) : pipeline_one(&env, argv[i], i)) < 0)
	    failed++;
    CALLGRIND_TOGGLE_COLLECT;

    printf("bench_pipeline: %s, %d files, %d failed\n", mode, argc - optind, failed);
    if (env.store)
	store_close(env.store);
    sm_config_free(&cfg);
    return (failed ? 1 : 0);
usage:
    fprintf(stderr, "usage: bench_pipeline [-m gmime|pipeline] [-d state_dir] file...\n");
    return (2);
}
