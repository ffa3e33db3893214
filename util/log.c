/*++
/* NAME
/*	log 3
/* SUMMARY
/*	logging to syslog or standard error
/* SYNOPSIS
/*	#include "util/util.h"
/* DESCRIPTION
/*	sm_log() writes one line that starts with the Postfix queue ID (or
/*	NOQUEUE), like Postfix's own logging, so an admin can grep one
/*	message through both. Callers never pass message text, and pass
/*	every sender-written field through sm_sanitize() first.
/*
/*	With -f the lines go to standard error with a time stamp; else to
/*	syslog(3), facility mail.
/* DIAGNOSTICS
/*	sm_panic() logs and aborts: for broken internal invariants only.
/*--*/

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/util.h"

static int log_to_stderr = 1;
static int log_debug = 0;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void    sm_log_open(const char *ident, int to_stderr)
{
    log_to_stderr = to_stderr;
    if (!to_stderr)
	openlog(ident, LOG_PID | LOG_NDELAY, LOG_MAIL);
}

void    sm_log_set_debug(int on)
{
    log_debug = on;
}

void    sm_vlog(int prio, const char *qid, const char *fmt, va_list ap)
{
    char    line[2048];
    int     n;

    if (prio == LOG_DEBUG && !log_debug)
	return;
    n = snprintf(line, sizeof(line), "%s: ", qid && *qid ? qid : "NOQUEUE");
    if (n < 0 || (size_t) n >= sizeof(line))
	n = 0;
    vsnprintf(line + n, sizeof(line) - (size_t) n, fmt, ap);

    /* Defence in depth: a line never carries a line break. */
    for (char *p = line; *p; p++)
	if (*p == '\n' || *p == '\r')
	    *p = ' ';

    if (log_to_stderr) {
	char    ts[32];
	time_t  now = time(NULL);
	struct tm tm;

	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", localtime_r(&now, &tm));
	pthread_mutex_lock(&log_lock);
	fprintf(stderr, "%s secmilter[%ld]: %s\n", ts, (long) getpid(), line);
	fflush(stderr);
	pthread_mutex_unlock(&log_lock);
    } else {
	syslog(prio, "%s", line);
    }
}

void    sm_log(int prio, const char *qid, const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    sm_vlog(prio, qid, fmt, ap);
    va_end(ap);
}

void    sm_panic(const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    sm_vlog(LOG_CRIT, "panic", fmt, ap);
    va_end(ap);
    abort();
}
