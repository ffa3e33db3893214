/*++
/* NAME
/*	reload 3
/* SUMMARY
/*	what SIGHUP reloads in a running daemon
/* SYNOPSIS
/*	#include "milter/milter.h"
/*
/*	int	milter_reload(env)
/* DESCRIPTION
/*	Called once when the worker starts, and again for each SIGHUP the
/*	master passes on. It reloads the templates of outgoing mail
/*	(TemplateDirectory over the built-in copies). A reload that fails
/*	keeps what was in force and logs why ("FILE:LINE: why").
/* DIAGNOSTICS
/*	-1 only when the first load fails.
/*--*/

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/util.h"
#include "milter/milter.h"

struct rules_ref {
    struct triage_rules *rules;		/* NULL = the built-in rules */
    int     refs;			/* the holder's one, plus triages */
};

static pthread_mutex_t rules_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rules_ref *rules_current;

/* rules_unref - drop one reference; the last one frees */

static void rules_unref(struct rules_ref *ref)
{
    if (ref && --ref->refs == 0) {
	triage_rules_free(ref->rules);
	free(ref);
    }
}

int     milter_rules_install(const struct sm_config *cfg, char *err, size_t errlen)
{
    struct rules_ref *ref = NULL, *old;

    /* Load first: a file that fails leaves the rules in force alone. */
    if (cfg && cfg->rules_file) {
	if ((ref = calloc(1, sizeof(*ref))) == NULL) {
	    snprintf(err, errlen, "RulesFile %s: out of memory", cfg->rules_file);
	    return (-1);
	}
	if ((ref->rules = triage_rules_load(cfg->rules_file, err, errlen)) == NULL) {
	    free(ref);
	    return (-1);
	}
	ref->refs = 1;
    }
    pthread_mutex_lock(&rules_lock);
    old = rules_current;
    rules_current = ref;
    rules_unref(old);
    pthread_mutex_unlock(&rules_lock);
    return (0);
}

const struct triage_rules *milter_rules_acquire(void **token)
{
    struct rules_ref *ref;

    pthread_mutex_lock(&rules_lock);
    if ((ref = rules_current) != NULL)
	ref->refs++;
    pthread_mutex_unlock(&rules_lock);
    *token = ref;
    return (ref ? ref->rules : NULL);
}

void    milter_rules_release(void *token)
{
    pthread_mutex_lock(&rules_lock);
    rules_unref(token);
    pthread_mutex_unlock(&rules_lock);
}

int     milter_reload(struct intake_env *env)
{
    static int loaded;
    char    err[1024];

    /* The templates: a set that fails its checks is never installed. */
    if (notify_templates_load_config(env->cfg, err, sizeof(err)) < 0) {
	sm_log(LOG_ERR, NULL, "%s%s", loaded ? "reload: keeping the templates in force: " : "", err);
	return (loaded ? 0 : -1);
    }
    if (loaded)
	sm_log(LOG_INFO, NULL, "reload: templates reloaded from %s",
	       env->cfg->template_dir ? env->cfg->template_dir : "the built-in copies");

    /* The classifier's rules: the same all-or-nothing rule. */
    if (env->cfg->rules_file) {
	int64_t t0 = sm_now_ms();
	void   *token;
	int     cached;

	if (milter_rules_install(env->cfg, err, sizeof(err)) < 0) {
	    sm_log(LOG_ERR, NULL, "%s%s", loaded ? "reload: keeping the rules in force: " : "", err);
	    return (loaded ? 0 : -1);
	}
	cached = triage_rules_cached(milter_rules_acquire(&token));
	milter_rules_release(token);
	sm_log(LOG_INFO, NULL, "%s: rules loaded from %s in %lld ms (%s)", loaded ? "reload" : "start",
	       env->cfg->rules_file, (long long) (sm_now_ms() - t0),
	       cached ? "databases from the cache" : "compiled now");
    } else if (!loaded) {
	const struct triage_rules *builtin;
	int64_t t0 = sm_now_ms();

	/*
	 * The built-in rules now, not in the first report's end of
	 * message. Their databases are compiled at build time for the
	 * build machine's CPU; on a CPU without its features (or under
	 * valgrind) the patterns are compiled here, which takes seconds.
	 */
	if ((builtin = triage_builtin_rules()) == NULL)
	    return (-1);
	sm_log(LOG_INFO, NULL, "start: built-in rules ready in %lld ms (%s)",
	       (long long) (sm_now_ms() - t0), triage_rules_prebuilt(builtin) ?
	       "databases compiled in" : triage_rules_cached(builtin) ?
	       "databases from the cache: the compiled-in ones do not fit this CPU" :
	       "compiled now: the compiled-in databases do not fit this CPU");
    }
    loaded = 1;
    return (0);
}
