#ifndef SECMILTER_NOTIFY_H
#define SECMILTER_NOTIFY_H

/*++
/* NAME
/*	notify 3h
/* SUMMARY
/*	outgoing mail: acknowledgements, notifications, the sender thread
/* SYNOPSIS
/*	#include "notify/notify.h"
/*
/*	int	notify_compose_ack(cfg, ticket_id, report, triage, rcpt, mail, data)
/*	int	notify_compose_update(cfg, ticket, event, mail, data)
/*	void	notify_mail_outmsg(mail, data, ticket_id, out)
/*
/*	int	notify_reply_allowed(cfg, report, triage, sender, reason)
/*	int	notify_auth_forged(authserv_id, auth_results, why, whylen)
/*	json_t	*notify_credit_parse(text, len)
/*
/*	struct notify_sender *notify_sender_start(store, cfg)
/*	void	notify_sender_wake(sender)
/*	void	notify_sender_stop(sender)
/*	int	notify_submit(cmd, from, to, data, len, timeout_ms, err, errlen)
/* DESCRIPTION
/*	compose.c writes complete RFC 5322 messages (UTF-8, MIME 1.0,
/*	Date, a Message-ID of our domain, In-Reply-To/References naming the
/*	report, Auto-Submitted: auto-replied, our loop header). Every
/*	sender-written string in them went through sm_sanitize(); the
/*	Subject is RFC 2047 encoded when it is not ASCII. The original
/*	attachments are never included.
/*
/*	sender.c runs one thread per daemon that takes due messages from
/*	the store's outbox, pipes each into the Sendmail command
/*	("CMD -i -f SENDER -- RCPT", null sender as "<>"), removes it after
/*	the command exits 0 and otherwise retries with exponential backoff.
/*
/*	Contract: compose functions are reentrant and do no I/O. The
/*	sender owns its thread; notify_sender_stop() joins it. A process
/*	that calls notify_submit() ignores SIGPIPE: a command that exits
/*	without reading its input must not kill the daemon.
/* DIAGNOSTICS
/*	-1 when a message cannot be built (no usable recipient).
/*--*/

#include <jansson.h>

#include "util/util.h"
#include "parser/report.h"
#include "classify/triage.h"
#include "store/store.h"

#define NOTIFY_ADDR_MAX		320
#define NOTIFY_MSGID_MAX	160
#define NOTIFY_LOOP_HEADER	"X-Secmilter-Loop"
#define NOTIFY_SUBMIT_TIMEOUT_MS	(120 * 1000)
#define NOTIFY_RETRY_MIN_S	30
#define NOTIFY_RETRY_MAX_S	3600
#define NOTIFY_MAX_AGE_S	(5 * 24 * 3600)

struct notify_mail {
    char    from[NOTIFY_ADDR_MAX];	/* envelope sender; "" = null */
    char    to[NOTIFY_ADDR_MAX];	/* envelope recipient */
    char    message_id[NOTIFY_MSGID_MAX];
    const char *purpose;		/* "ack", "notify" */
};

extern int notify_compose_ack(const struct sm_config *, const char *ticket_id,
			              const struct report *, const struct triage *,
			              const char *rcpt, struct notify_mail *,
			              struct sbuf *data);
extern int notify_compose_update(const struct sm_config *, json_t *ticket,
			                 const char *event, struct notify_mail *,
			                 struct sbuf *data);

/*
 * policy.c: the one decision whether a message may get an automatic
 * reply (RFC 3834, our own addresses and loop header, forged senders);
 * 0 with a constant reason when not. notify_auth_forged(): 1 when an
 * Authentication-Results header of our authserv-id says the sender is
 * forged (dmarc=fail, or spf=fail without dkim=pass); others ignored.
 */
extern int notify_reply_allowed(const struct sm_config *, const struct report *,
				        const struct triage *, const char *sender,
				        const char **reason);
extern int notify_auth_forged(const char *authserv_id, const struct strlist *auth_results,
			              char *why, size_t whylen);

/*
 * credit.c: {"name", "link", "consent"} from the reporter's own
 * Credit-Name/Credit-Link/Credit-Consent lines, or NULL when none.
 */
#define NOTIFY_CREDIT_NAME_MAX	100
#define NOTIFY_CREDIT_LINK_MAX	300
extern json_t *notify_credit_parse(const char *text, size_t len);
extern void notify_mail_outmsg(const struct notify_mail *, const struct sbuf *,
			               const char *ticket_id, struct store_outmsg *);

/* Whether a state change is something the reporter must hear of. */
extern int notify_event_wanted(const char *state);

struct notify_sender;

extern struct notify_sender *notify_sender_start(struct store *, const struct sm_config *);
extern void notify_sender_wake(struct notify_sender *);
extern void notify_sender_stop(struct notify_sender *);
extern int notify_submit(const char *cmd, const char *from, const char *to,
			         const char *data, size_t len, int timeout_ms,
			         char *err, size_t errlen);

#endif
