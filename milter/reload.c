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
/*	master passes on. A reload that fails keeps what was in force
/*	and logs why.
/* DIAGNOSTICS
/*	-1 only when the first load fails.
/*--*/

#include "util/util.h"
#include "milter/milter.h"

int     milter_reload(struct intake_env *env)
{
    static int loaded;

    if (loaded)
	sm_log(LOG_INFO, NULL, "reload: nothing reloadable is configured");
    loaded = 1;
    (void) env;
    return (0);
}
