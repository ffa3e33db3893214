/*++
/* NAME
/*	master 3
/* SUMMARY
/*	the supervisor: one worker process, signals, restarts
/* SYNOPSIS
/*	#include "milter/milter.h"
/*
/*	int	master_run(worker, arg)
/* DESCRIPTION
/*	secmilter runs as two processes. The master (the pid in the pid
/*	file) holds the listening socket and never touches mail or the
/*	store; it starts the worker, which runs libmilter and everything
/*	else, and:
/* .IP SIGHUP
/*	tells the worker to reload its rules (SIGUSR1 to the worker).
/*	libmilter's own signal thread treats SIGHUP as "stop", and a
/*	second thread waiting for it in the same process would race
/*	it: that is why reloads go through this process.
/* .IP "SIGTERM, SIGINT"
/*	stops the worker (SIGTERM: libmilter finishes the open
/*	conversations), waits up to MASTER_STOP_S seconds, then exits.
/* .IP SIGCHLD
/*	a worker that dies unasked is logged and started again, after a
/*	pause that doubles up to MASTER_BACKOFF_MAX_S while it keeps
/*	dying quickly. The MTA meanwhile applies milter_default_action
/*	(accept, as documented), so no mail waits for us.
/* .PP
/*	The worker starts with a clean signal mask and default handlers.
/* DIAGNOSTICS
/*	Logged; master_run() returns the exit status for main().
/*--*/

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/util.h"
#include "milter/milter.h"

#define MASTER_STOP_S		30	/* grace for the worker to stop */
#define MASTER_BACKOFF_MIN_S	1	/* first restart pause */
#define MASTER_BACKOFF_MAX_S	60	/* longest restart pause */
#define MASTER_STABLE_S		60	/* a worker this old resets the pause */

static pid_t master_spawn(int (*worker) (void *), void *arg, const sigset_t *old)
{
    pid_t   pid;
    sigset_t mask;

    if ((pid = fork()) != 0)
	return (pid);

    /*
     * The worker: default signal dispositions, nothing blocked but
     * SIGUSR1, which it takes in sigwait(). A reload asked for before
     * the worker is ready stays pending: by default it would kill it.
     */
    signal(SIGHUP, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    mask = *old;
    sigaddset(&mask, SIGUSR1);
    sigprocmask(SIG_SETMASK, &mask, NULL);
    _exit(worker(arg));
}

/* master_stop - ask the worker to stop, and make sure it does */

static void master_stop(pid_t pid)
{
    int     status;

    kill(pid, SIGTERM);
    for (int i = 0; i < MASTER_STOP_S * 10; i++) {
	if (waitpid(pid, &status, WNOHANG) == pid)
	    return;
	usleep(100000);
    }
    sm_log(LOG_WARNING, NULL, "worker %ld did not stop in %d s: killed",
	   (long) pid, MASTER_STOP_S);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
}

int     master_run(int (*worker) (void *), void *arg)
{
    sigset_t set, old;
    siginfo_t info;
    pid_t   pid;
    time_t  started;
    unsigned backoff = MASTER_BACKOFF_MIN_S;
    int     status;

    /* Every signal we act on waits in sigwaitinfo(), never in a handler. */
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, &old);

    if ((pid = master_spawn(worker, arg, &old)) < 0) {
	sm_log(LOG_ERR, NULL, "cannot start the worker: %s", strerror(errno));
	return (SM_EX_OSERR);
    }
    started = time(NULL);
    sm_log(LOG_INFO, NULL, "master %ld: worker %ld started", (long) getpid(), (long) pid);

    for (;;) {
	struct timespec pause = {backoff, 0};
	int     sig;

	/* With no worker, wait only until it is due to start again. */
	sig = pid > 0 ? sigwaitinfo(&set, &info) : sigtimedwait(&set, &info, &pause);
	if (sig < 0 && errno == EAGAIN && pid == 0) {
	    if (backoff < MASTER_BACKOFF_MAX_S)
		backoff = backoff * 2 > MASTER_BACKOFF_MAX_S ? MASTER_BACKOFF_MAX_S : backoff * 2;
	    if ((pid = master_spawn(worker, arg, &old)) < 0) {
		sm_log(LOG_ERR, NULL, "cannot restart the worker: %s", strerror(errno));
		return (SM_EX_OSERR);
	    }
	    started = time(NULL);
	    sm_log(LOG_INFO, NULL, "master: worker %ld started", (long) pid);
	    continue;
	}
	if (sig < 0) {
	    if (errno == EINTR)
		continue;
	    sm_log(LOG_ERR, NULL, "master: sigwaitinfo: %s", strerror(errno));
	    if (pid > 0)
		master_stop(pid);
	    return (SM_EX_OSERR);
	}
	switch (sig) {
	case SIGHUP:
	    if (pid > 0) {
		sm_log(LOG_INFO, NULL, "master: SIGHUP: worker %ld reloads its rules", (long) pid);
		kill(pid, SIGUSR1);
	    }
	    break;
	case SIGTERM:
	case SIGINT:
	    if (pid > 0) {
		sm_log(LOG_INFO, NULL, "master: stopping worker %ld", (long) pid);
		master_stop(pid);
	    }
	    return (SM_EX_OK);
	case SIGCHLD:
	    if (pid <= 0 || waitpid(pid, &status, WNOHANG) != pid)
		break;
	    pid = 0;

	    /* A worker that exits 0 was stopped (libmilter saw a signal). */
	    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		sm_log(LOG_INFO, NULL, "master: the worker exited");
		return (SM_EX_OK);
	    }
	    if (WIFSIGNALED(status))
		sm_log(LOG_ERR, NULL, "master: the worker was killed by signal %d", WTERMSIG(status));
	    else
		sm_log(LOG_ERR, NULL, "master: the worker exited with status %d", WEXITSTATUS(status));
	    if (WIFEXITED(status) && (WEXITSTATUS(status) == SM_EX_CONFIG
				      || WEXITSTATUS(status) == SM_EX_CANTCREAT)) {
		sm_log(LOG_ERR, NULL, "master: the worker cannot start: giving up");
		return (WEXITSTATUS(status));
	    }

	    /* Start again; a worker that keeps dying young waits longer. */
	    if (time(NULL) - started >= MASTER_STABLE_S)
		backoff = MASTER_BACKOFF_MIN_S;
	    sm_log(LOG_INFO, NULL, "master: restarting the worker in %u s", backoff);
	    break;
	}
    }
}
