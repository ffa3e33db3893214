#ifndef SECMILTER_PARSER_PRIVATE_H
#define SECMILTER_PARSER_PRIVATE_H

/*++
/* NAME
/*	parser_private 3h
/* SUMMARY
/*	what the files of parser/ share; never included outside parser/
/* SYNOPSIS
/*	#include "parser/parser_private.h"
/*
/*	struct attach_scan *attach_scan_new(limits)
/*	void	attach_scan_feed(scan, data, len)
/*	void	attach_scan_finish(scan, complete, report, attachment)
/*	void	attach_scan_free(scan)
/* DESCRIPTION
/*	An attach_scan looks at one attachment's decoded bytes while
/*	report.c streams them: it keeps the first bytes for the magic
/*	number and, for a zip archive, a bounded window of the last bytes
/*	for the central directory. Memory is fixed whatever the size.
/*
/*	attach_scan_finish() fills attachment->sniffed_type,
/*	->type_mismatch and ->zip and sets REPORT_F_TYPE_MISMATCH,
/*	REPORT_F_ZIP_BOMB, REPORT_F_MALFORMED or REPORT_F_OVERSIZE on the
/*	report. complete is 0 when the part was cut (max_part_bytes, CPU
/*	budget): the end of a cut archive is not its end, so no listing is
/*	attempted.
/*
/*	Every function accepts a NULL scan (attach_scan_new() failed: out
/*	of memory) and then does nothing. One scan is used by one thread.
/*--*/

#include <stddef.h>

#include "parser/report.h"

struct attach_scan;

extern struct attach_scan *attach_scan_new(const struct report_limits *);
extern void attach_scan_feed(struct attach_scan *, const void *, size_t);
extern void attach_scan_finish(struct attach_scan *, int complete, struct report *,
			               struct report_attachment *);
extern void attach_scan_free(struct attach_scan *);

#endif
