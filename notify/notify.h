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
/*	struct notify_templates *notify_templates_load(dir, err, errlen)
/*	void	notify_templates_install(set)
/*	void	notify_templates_free(set)
/*	int	notify_templates_load_config(cfg, err, errlen)
/*	int	notify_template_render(which, vars, subject, body)
/*
/*	int	notify_reply_allowed(cfg, report, triage, sender, reason)
/*	int	notify_auth_forged(authserv_id, auth_results, why, whylen)
/*	json_t	*notify_credit_parse(text, len)
/*
/*	struct notify_sender *notify_sender_start(store, cfg)
/*	void	notify_sender_wake(sender)
/*	void	notify_sender_stop(sender)
/*	int	notify_submit(cmd, from, to, data, len, timeout_ms, err, errlen)
/*	int	notify_submit_smtp(server, from, to, data, len, timeout_ms, err, errlen)
/* DESCRIPTION
/*	compose.c writes complete RFC 5322 messages (UTF-8, MIME 1.0,
/*	Date, a Message-ID of our domain, In-Reply-To/References naming the
/*	report, Auto-Submitted: auto-replied, our loop header). Every
/*	sender-written string in them went through sm_sanitize(); the
/*	Subject is RFC 2047 encoded when it is not ASCII. The original
/*	attachments are never included.
/*
/*	sender.c runs a few threads per daemon that take batches of due
/*	messages from the store's outbox (never one message in two
/*	threads), pipe each into the Sendmail command ("CMD -i -f SENDER
/*	-- RCPT", null sender as "<>"), remove those the command took (exit
/*	0) in one commit and retry the others with exponential backoff.
/*	With SubmitServer set a batch goes over one SMTP session instead
/*	(smtp.c), and the Sendmail command is not used.
/*
/*	template.c holds the text of every message: one template per
/*	purpose, built into the program from templates/NAME.txt, each
/*	replaced by a same-named file in TemplateDirectory. A set is
/*	checked once when loaded ("FILE:LINE: unknown placeholder {{x}}")
/*	and only read afterwards.
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
 * template.c: the text of outgoing mail. notify_templates_load() reads
 * dir/NAME.txt where present, the built-in copy otherwise (dir NULL:
 * built-in only), and checks every template; NULL with "FILE:LINE: why"
 * in err. notify_templates_install() makes a set the one the compose
 * functions use (the set is the module's from then on; the previous
 * one is freed once no thread reads it). notify_template_render()
 * appends the Subject text and the body to the two sbufs; vars are
 * indexed by enum notify_var, NULL or "" for empty, already sanitised.
 */
enum notify_template {
    NOTIFY_TPL_ACK_COMPLETE, NOTIFY_TPL_ACK_NEEDS_INFO, NOTIFY_TPL_INFO_RECEIVED,
    NOTIFY_TPL_NEEDS_INFO, NOTIFY_TPL_ACKNOWLEDGED, NOTIFY_TPL_TRIAGED,
    NOTIFY_TPL_SCHEDULED, NOTIFY_TPL_FIXED, NOTIFY_TPL_CLOSED, NOTIFY_TPL_DUPLICATE,
    NOTIFY_TPL_OUT_OF_SCOPE, NOTIFY_TPL_INVALID, NOTIFY_TPL_COUNT
};
enum notify_var {
    NOTIFY_VAR_TICKET, NOTIFY_VAR_SUBJECT, NOTIFY_VAR_REPORTER, NOTIFY_VAR_MISSING_LIST,
    NOTIFY_VAR_RECEIVED_LIST, NOTIFY_VAR_CLASS, NOTIFY_VAR_SEVERITY,
    NOTIFY_VAR_SEVERITY_CAP, NOTIFY_VAR_ETA, NOTIFY_VAR_TIME_FRAME_DAYS,
    NOTIFY_VAR_ACK_TARGET_HOURS, NOTIFY_VAR_TRIAGE_TARGET_DAYS, NOTIFY_VAR_POLICY_URL,
    NOTIFY_VAR_ORGANIZATION, NOTIFY_VAR_DUPLICATE_OF, NOTIFY_VAR_COUNT
};
struct notify_templates;

extern const char *const notify_template_names[NOTIFY_TPL_COUNT];	/* "ack_complete" */
extern const char *const notify_var_names[NOTIFY_VAR_COUNT];	/* "ticket" */
extern struct notify_templates *notify_templates_load(const char *dir, char *err, size_t errlen);
extern void notify_templates_free(struct notify_templates *);
extern void notify_templates_install(struct notify_templates *);
extern int notify_templates_load_config(const struct sm_config *, char *err, size_t errlen);
extern int notify_template_render(enum notify_template, const char *const vars[NOTIFY_VAR_COUNT],
				          struct sbuf *subject, struct sbuf *body);

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
extern int notify_submit_smtp(const char *server, const char *from, const char *to,
			              const char *data, size_t len, int timeout_ms,
			              char *err, size_t errlen);
struct notify_smtp;
extern struct notify_smtp *notify_smtp_open(const char *server, int timeout_ms,
					            char *err, size_t errlen);
extern int notify_smtp_send(struct notify_smtp *, const char *from, const char *to,
			            const char *data, size_t len, int timeout_ms,
			            char *err, size_t errlen);
extern int notify_smtp_broken(const struct notify_smtp *);
extern void notify_smtp_close(struct notify_smtp *);

#endif
