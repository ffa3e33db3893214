#ifndef SECMILTER_CLI_H
#define SECMILTER_CLI_H

/*++
/* NAME
/*	cli 3h
/* SUMMARY
/*	what secticket.c and stats.c share; never included outside cli/
/* SYNOPSIS
/*	#include "cli/cli.h"
/*
/*	int	cli_stats(cfg, dir, argc, argv)
/* DESCRIPTION
/*	cli_stats() runs "secticket stats" over the store in dir and
/*	returns the exit status (sysexits(3)). It opens the store itself,
/*	never creating it, and writes nothing.
/*--*/

#include "util/util.h"

extern int cli_stats(const struct sm_config *, const char *dir, int argc, char **argv);

#endif
