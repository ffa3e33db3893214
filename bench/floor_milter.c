/*++
/* NAME
/*	floor_milter 1
/* SUMMARY
/*	"make bench" baseline: the least a recipient-matching milter costs
/* SYNOPSIS
/*	floor_milter -p socket
/* DESCRIPTION
/*	Negotiates away every step but RCPT and DATA, asks the MTA not
/*	to wait for a reply to RCPT (SMFIP_NR_RCPT), and accepts at
/*	DATA. This is the floor for ordinary mail through any milter
/*	that must see the recipients: the connection to the milter, the
/*	negotiation, one RCPT packet, one DATA round trip.
/*
/*	Runs in the foreground; SIGTERM stops it.
/*--*/

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <libmilter/mfapi.h>

static int nr_rcpt;

static sfsistat fm_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
			             unsigned long f2, unsigned long f3,
			             unsigned long *pf0, unsigned long *pf1,
			             unsigned long *pf2, unsigned long *pf3)
{
    unsigned long want = SMFIP_NOCONNECT | SMFIP_NOHELO | SMFIP_NOMAIL | SMFIP_NOHDRS
    | SMFIP_NOEOH | SMFIP_NOBODY | SMFIP_NOUNKNOWN | SMFIP_NR_RCPT;

    (void) ctx, (void) f2, (void) f3;
    *pf0 = 0;
    *pf1 = want & f1;
    *pf2 = *pf3 = 0;
    nr_rcpt = (*pf1 & SMFIP_NR_RCPT) != 0;
    (void) f0;
    return (SMFIS_CONTINUE);
}

static sfsistat fm_envrcpt(SMFICTX *ctx, char **argv)
{
    (void) ctx, (void) argv;
    return (nr_rcpt ? SMFIS_NOREPLY : SMFIS_CONTINUE);
}

static sfsistat fm_data(SMFICTX *ctx)
{
    (void) ctx;
    return (SMFIS_ACCEPT);
}

static sfsistat fm_eom(SMFICTX *ctx)
{
    (void) ctx;
    return (SMFIS_ACCEPT);
}

static struct smfiDesc desc = {
    "floor_milter", SMFI_VERSION, 0,
    NULL, NULL, NULL, fm_envrcpt, NULL, NULL, NULL,
    fm_eom, NULL, NULL, NULL, fm_data, fm_negotiate,
};

int     main(int argc, char **argv)
{
    int     ch;
    const char *sock = NULL;

    while ((ch = getopt(argc, argv, "p:")) != -1)
	if (ch == 'p')
	    sock = optarg;
    if (sock == NULL) {
	fprintf(stderr, "usage: floor_milter -p socket\n");
	return (2);
    }
    if (smfi_setconn((char *) sock) == MI_FAILURE || smfi_register(desc) == MI_FAILURE
	|| smfi_opensocket(1) == MI_FAILURE) {
	fprintf(stderr, "floor_milter: cannot use %s\n", sock);
	return (1);
    }
    return (smfi_main() == MI_SUCCESS ? 0 : 1);
}
