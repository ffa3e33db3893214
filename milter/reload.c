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

#include "util/util.h"
#include "milter/milter.h"

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
    loaded = 1;
    return (0);
}
