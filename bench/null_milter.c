/*++
/* NAME
/*	null_milter 1
/* SUMMARY
/*	"make bench" baseline: a milter that looks at everything, does nothing
/* SYNOPSIS
/*	null_milter -p socket
/* DESCRIPTION
/*	Registers every callback and negotiates nothing away, the way a
/*	first milter is written: the MTA sends connect, HELO, MAIL, RCPT,
/*	DATA, each header, the body, and waits for each reply. It keeps
/*	no state and accepts at end of message. What secmilter costs
/*	beyond this is its own work on the message.
/*
/*	Runs in the foreground; SIGTERM stops it.
/*--*/

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <libmilter/mfapi.h>

static sfsistat nm_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *sa)
{
    (void) ctx, (void) host, (void) sa;
    return (SMFIS_CONTINUE);
}

static sfsistat nm_helo(SMFICTX *ctx, char *helo)
{
    (void) ctx, (void) helo;
    return (SMFIS_CONTINUE);
}

static sfsistat nm_argv(SMFICTX *ctx, char **argv)
{
    (void) ctx, (void) argv;
    return (SMFIS_CONTINUE);
}

static sfsistat nm_header(SMFICTX *ctx, char *name, char *value)
{
    (void) ctx, (void) name, (void) value;
    return (SMFIS_CONTINUE);
}

static sfsistat nm_step(SMFICTX *ctx)
{
    (void) ctx;
    return (SMFIS_CONTINUE);
}

static sfsistat nm_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
    (void) ctx, (void) chunk, (void) len;
    return (SMFIS_CONTINUE);
}

static sfsistat nm_eom(SMFICTX *ctx)
{
    (void) ctx;
    return (SMFIS_ACCEPT);
}

static sfsistat nm_unknown(SMFICTX *ctx, const char *cmd)
{
    (void) ctx, (void) cmd;
    return (SMFIS_CONTINUE);
}

static struct smfiDesc desc = {
    "null_milter", SMFI_VERSION, 0,
    nm_connect, nm_helo, nm_argv, nm_argv, nm_header, nm_step, nm_body,
    nm_eom, nm_step, nm_step, nm_unknown, nm_step, NULL,
};

int     main(int argc, char **argv)
{
    int     ch;
    const char *sock = NULL;

    while ((ch = getopt(argc, argv, "p:")) != -1)
	if (ch == 'p')
	    sock = optarg;
    if (sock == NULL) {
	fprintf(stderr, "usage: null_milter -p socket\n");
	return (2);
    }
    if (smfi_setconn((char *) sock) == MI_FAILURE || smfi_register(desc) == MI_FAILURE
	|| smfi_opensocket(1) == MI_FAILURE) {
	fprintf(stderr, "null_milter: cannot use %s\n", sock);
	return (1);
    }
    return (smfi_main() == MI_SUCCESS ? 0 : 1);
}
