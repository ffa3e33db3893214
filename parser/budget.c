/*++
/* NAME
/*	budget 3
/* SUMMARY
/*	the per-message CPU budget of triage, with a watchdog timer
/* SYNOPSIS
/*	#include "parser/report.h"
/*
/*	void	report_budget_start(cpu_budget_ms)
/*	int	report_budget_exceeded()
/*	void	report_budget_stop()
/* DESCRIPTION
/*	Each triage runs in one thread. report_budget_start() arms a POSIX
/*	timer on that thread's CPU clock (CLOCK_THREAD_CPUTIME_ID) whose
/*	signal, delivered to the same thread, only sets a thread-local
/*	flag. Every long loop in parser/ and classify/ polls the flag with
/*	report_budget_exceeded() and, once it is set, stops with what it
/*	has: the message still passes, gets its ticket, and is flagged.
/*
/*	Why a flag and not a jump out: GMime and iconv hold locks and
/*	allocations we must not abandon halfway. The loops that GMime runs
/*	itself are bounded by the size limits instead (and the one known
/*	to loop forever, g_mime_multipart_get_boundary(), is never called).
/*
/*	CPU time, not wall time: a busy machine must not cut a triage
/*	short, and a hostile message must not hold a core.
/* DIAGNOSTICS
/*	When the timer cannot be armed, the budget is polled from the
/*	thread's CPU clock instead (every call reads it).
/*--*/

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "util/util.h"
#include "parser/report.h"

#define BUDGET_SIGNAL	(SIGRTMIN + 3)

static __thread volatile sig_atomic_t budget_expired;
static __thread int budget_armed;
static __thread timer_t budget_timer;
static __thread int64_t budget_deadline_ns;	/* fallback: CPU clock ns */
static pthread_once_t budget_once = PTHREAD_ONCE_INIT;
static int budget_have_handler;

static void budget_handler(int sig)
{
    (void) sig;
    budget_expired = 1;
}

static void budget_install(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = budget_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    budget_have_handler = (sigaction(BUDGET_SIGNAL, &sa, NULL) == 0);
}

static int64_t thread_cpu_ns(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) < 0)
	return (0);
    return ((int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec);
}

void    report_budget_start(unsigned cpu_budget_ms)
{
    struct sigevent sev;
    struct itimerspec its;

    report_budget_stop();
    budget_expired = 0;
    budget_deadline_ns = 0;
    if (cpu_budget_ms == 0)
	return;
    pthread_once(&budget_once, budget_install);

    /* The watchdog: a one-shot timer on this thread's CPU clock. */
    memset(&sev, 0, sizeof(sev));
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev.sigev_signo = BUDGET_SIGNAL;
    sev._sigev_un._tid = (pid_t) syscall(SYS_gettid);
    if (budget_have_handler
	&& timer_create(CLOCK_THREAD_CPUTIME_ID, &sev, &budget_timer) == 0) {
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = cpu_budget_ms / 1000;
	its.it_value.tv_nsec = (long) (cpu_budget_ms % 1000) * 1000000L;
	if (timer_settime(budget_timer, 0, &its, NULL) == 0) {
	    budget_armed = 1;
	    return;
	}
	timer_delete(budget_timer);
    }

    /* No timer: read the clock at each poll instead. */
    budget_deadline_ns = thread_cpu_ns() + (int64_t) cpu_budget_ms * 1000000;
}

int     report_budget_exceeded(void)
{
    if (budget_expired)
	return (1);
    if (budget_deadline_ns && thread_cpu_ns() > budget_deadline_ns)
	budget_expired = 1;
    return (budget_expired != 0);
}

void    report_budget_stop(void)
{
    if (budget_armed) {
	timer_delete(budget_timer);
	budget_armed = 0;
    }
    budget_deadline_ns = 0;
}
