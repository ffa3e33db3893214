/*++
/* NAME
/*	smtp 3
/* SUMMARY
/*	hand one message to the MTA over SMTP (SubmitServer)
/* SYNOPSIS
/*	#include "notify/notify.h"
/*
/*	int	notify_submit_smtp(server, from, to, data, len, timeout_ms,
/*			err, errlen)
/*
/*	struct notify_smtp *notify_smtp_open(server, timeout_ms, err, errlen)
/*	int	notify_smtp_send(session, from, to, data, len, timeout_ms,
/*			err, errlen)
/*	int	notify_smtp_broken(session)
/*	void	notify_smtp_close(session)
/*	const char *server;
/*	const char *from;
/*	const char *to;
/*	const char *data;
/*	size_t	len;
/*	int	timeout_ms;
/*	char	*err;
/*	size_t	errlen;
/* DESCRIPTION
/*	notify_submit_smtp() is notify_submit() without a process: one
/*	SMTP session to server ("inet:PORT@HOST" or "inet6:PORT@HOST", the
/*	syntax of Socket) for one message: EHLO, MAIL FROM:<from> (empty
/*	for the null sender), RCPT TO:<to>, DATA with the message's lines
/*	ended by CRLF and dot-stuffed, QUIT. The message is handed over
/*	when the MTA answers 250 to the final dot.
/*
/*	notify_smtp_open() opens a session for several messages (EHLO
/*	done); notify_smtp_send() hands one message over in it; a message
/*	the MTA refuses is followed by RSET and the session stays usable,
/*	while an I/O error or a timeout marks it broken
/*	(notify_smtp_broken()); notify_smtp_close() says QUIT and frees it.
/*	The sender sends a batch of due messages per session, which saves
/*	a connection, a greeting and an smtpd hand-over per message.
/*
/*	Why: Postfix's sendmail and postdrop cost about 13 ms of CPU per
/*	message on the benchmark machine, an SMTP transaction with a
/*	running smtpd well under 1 ms; an acknowledgement per report made
/*	sendmail the largest cost of mix b.
/*
/*	Never: an address with a control character, '<' or '>' on the
/*	wire (they came from our outbox, but an SMTP command line is
/*	no place to find out); a wait past timeout_ms.
/* DIAGNOSTICS
/*	0 when the MTA took the message, else -1 and the reason (the MTA's
/*	reply, cleaned) in err; the sender retries like a failed command.
/*--*/

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/util.h"
#include "notify/notify.h"

#define SMTP_REPLY_MAX		4096	/* one reply, all its lines */
#define SMTP_LINE_MAX		1100	/* one command line */
#define SMTP_CHUNK		16384	/* DATA written at a time */

struct smtp_conn {
    int     fd;
    int64_t deadline;
    char    buf[SMTP_REPLY_MAX];
    size_t  have;
};

static int smtp_connect(const char *, struct smtp_conn *, char *, size_t);
static int smtp_reply(struct smtp_conn *, char *, size_t);
static int smtp_write(struct smtp_conn *, const char *, size_t);
static int smtp_cmd(struct smtp_conn *, const char *, int, char *, size_t);
static int smtp_data(struct smtp_conn *, const char *, size_t);
static int smtp_addr_ok(const char *);
static int smtp_envelope_ok(const char **, const char *, char *, size_t);

/* smtp_wait - poll fd for events until the deadline; 0, or -1 at timeout */

static int smtp_wait(struct smtp_conn *c, short events)
{
    struct pollfd pfd = {c->fd, events, 0};
    int     left, n;

    for (;;) {
	if ((left = (int) (c->deadline - sm_now_ms())) <= 0) {
	    errno = ETIMEDOUT;
	    return (-1);
	}
	if ((n = poll(&pfd, 1, left)) > 0)
	    return (0);
	if (n < 0 && errno != EINTR)
	    return (-1);
    }
}

/* smtp_connect - a connected socket to "inet:PORT@HOST" or "inet6:PORT@HOST" */

static int smtp_connect(const char *server, struct smtp_conn *c, char *err, size_t errlen)
{
    struct addrinfo hints, *res = NULL, *ai;
    char    port[16], host[256];
    const char *at, *colon;
    int     family, rc, soerr;
    socklen_t sl = sizeof(soerr);

    if (strncmp(server, "inet:", 5) == 0)
	family = AF_INET;
    else if (strncmp(server, "inet6:", 6) == 0)
	family = AF_INET6;
    else {
	snprintf(err, errlen, "SubmitServer: expected inet:PORT@HOST or inet6:PORT@HOST");
	return (-1);
    }
    colon = strchr(server, ':');
    if ((at = strchr(colon, '@')) == NULL || at - colon - 1 <= 0
	|| (size_t) (at - colon - 1) >= sizeof(port) || strlen(at + 1) >= sizeof(host)) {
	snprintf(err, errlen, "SubmitServer: expected inet:PORT@HOST or inet6:PORT@HOST");
	return (-1);
    }
    snprintf(port, sizeof(port), "%.*s", (int) (at - colon - 1), colon + 1);
    snprintf(host, sizeof(host), "%s", at + 1);
    if (host[0] == '[' && host[strlen(host) - 1] == ']') {
	memmove(host, host + 1, strlen(host));
	host[strlen(host) - 1] = 0;
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = family;
    hints.ai_socktype = SOCK_STREAM;
    if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
	snprintf(err, errlen, "SubmitServer %s: %s", server, gai_strerror(rc));
	return (-1);
    }

    /* Non-blocking connect, each address in turn, within the deadline. */
    c->fd = -1;
    for (ai = res; ai != NULL; ai = ai->ai_next) {
	if ((c->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    ai->ai_protocol)) < 0)
	    continue;
	if (connect(c->fd, ai->ai_addr, ai->ai_addrlen) == 0
	    || (errno == EINPROGRESS && smtp_wait(c, POLLOUT) == 0
		&& getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0
		&& (errno = soerr) == 0))
	    break;
	snprintf(err, errlen, "SubmitServer %s: connect: %s", server, strerror(errno));
	close(c->fd);
	c->fd = -1;
    }
    freeaddrinfo(res);
    return (c->fd < 0 ? -1 : 0);
}

/*
 * smtp_reply - one reply, every line of it; its code, or -1. The text
 * of its last line goes into err (cleaned), for the log.
 */

static int smtp_reply(struct smtp_conn *c, char *err, size_t errlen)
{
    char   *line = c->buf, *nl;
    ssize_t n = -1;

    for (;;) {
	/* A complete line? A last line is "NNN " (or just "NNN"). */
	while ((nl = memchr(line, '\n', c->have - (size_t) (line - c->buf))) != NULL) {
	    size_t  ll = (size_t) (nl - line);
	    int     last = ll < 4 || line[3] != '-';
	    int     code = ll >= 3 ? atoi(line) : -1;

	    if (last) {
		char   *clean = sm_sanitize(line, ll, 200);

		snprintf(err, errlen, "%s", clean);
		free(clean);
		c->have -= (size_t) (nl + 1 - c->buf);
		memmove(c->buf, nl + 1, c->have);
		return (code >= 200 && code < 600 ? code : -1);
	    }
	    line = nl + 1;
	}
	if (c->have >= sizeof(c->buf)) {
	    snprintf(err, errlen, "SMTP reply longer than %d bytes", SMTP_REPLY_MAX);
	    return (-1);
	}
	if (smtp_wait(c, POLLIN) < 0
	    || (n = read(c->fd, c->buf + c->have, sizeof(c->buf) - c->have)) <= 0) {
	    snprintf(err, errlen, "SMTP reply: %s", n == 0 ? "connection closed" : strerror(errno));
	    return (-1);
	}
	c->have += (size_t) n;
    }
}

/* smtp_write - all of it, within the deadline */

static int smtp_write(struct smtp_conn *c, const char *p, size_t len)
{
    ssize_t n;

    while (len > 0) {
	if ((n = send(c->fd, p, len, MSG_NOSIGNAL)) < 0) {
	    if (errno == EAGAIN && smtp_wait(c, POLLOUT) == 0)
		continue;
	    if (errno == EINTR)
		continue;
	    return (-1);
	}
	p += n;
	len -= (size_t) n;
    }
    return (0);
}

/* smtp_cmd - one command, its reply; -1 unless the code is want */

static int smtp_cmd(struct smtp_conn *c, const char *line, int want, char *err, size_t errlen)
{
    int     code;

    if (smtp_write(c, line, strlen(line)) < 0) {
	snprintf(err, errlen, "SMTP write: %s", strerror(errno));
	return (-1);
    }
    if ((code = smtp_reply(c, err, errlen)) != want
	&& !(want == 250 && code == 251))
	return (-1);
    return (0);
}

/* smtp_data - the message: CRLF line ends, a leading dot doubled */

static int smtp_data(struct smtp_conn *c, const char *data, size_t len)
{
    struct sbuf out;
    const char *p = data, *end = data + len, *nl;
    int     r = 0;

    sbuf_init(&out, SMTP_CHUNK * 4);
    while (p < end && r == 0) {
	if ((nl = memchr(p, '\n', (size_t) (end - p))) == NULL)
	    nl = end;
	if (*p == '.')
	    sbuf_putc(&out, '.');
	sbuf_append(&out, p, (size_t) (nl - p) - (nl > p && nl[-1] == '\r'));
	sbuf_append(&out, "\r\n", 2);
	p = nl < end ? nl + 1 : end;
	if (out.len >= SMTP_CHUNK && !out.truncated) {
	    r = smtp_write(c, out.data, out.len);
	    sbuf_reset(&out);
	}
    }
    sbuf_append(&out, ".\r\n", 3);
    if (out.truncated) {
	errno = EOVERFLOW;		/* a line of more than 48 KB */
	r = -1;
    }
    if (r == 0)
	r = smtp_write(c, out.data, out.len);
    sbuf_free(&out);
    return (r);
}

/* smtp_addr_ok - an address we can write between angle brackets */

static int smtp_addr_ok(const char *a)
{
    for (const unsigned char *p = (const unsigned char *) a; *p; p++)
	if (*p < 0x21 || *p == 0x7f || *p == '<' || *p == '>')
	    return (0);
    return (strlen(a) < 500);
}

/* smtp_envelope_ok - both addresses fit a command line; "<>" or NULL is "" */

static int smtp_envelope_ok(const char **from, const char *to, char *err, size_t errlen)
{
    if (*from == NULL || strcmp(*from, "<>") == 0)
	*from = "";
    if (to == NULL || *to == 0 || *to == '-' || !smtp_addr_ok(to) || !smtp_addr_ok(*from)) {
	snprintf(err, errlen, "bad recipient or sender");
	return (-1);
    }
    return (0);
}

/*
 * A session: connected, greeted, EHLO answered. A failed transaction in
 * it is RSET and the session goes on; an I/O error or a timeout ends it
 * (broken), and the caller opens another for the next message.
 */
struct notify_smtp {
    struct smtp_conn c;
    char   *server;
    int     broken;
};

struct notify_smtp *notify_smtp_open(const char *server, int timeout_ms, char *err, size_t errlen)
{
    struct notify_smtp *s;
    char    line[SMTP_LINE_MAX], *host;
    int     ok;

    err[0] = 0;
    if ((s = calloc(1, sizeof(*s))) == NULL || (s->server = strdup(server)) == NULL) {
	free(s);
	snprintf(err, errlen, "out of memory");
	return (NULL);
    }
    s->c.deadline = sm_now_ms() + timeout_ms;
    if (smtp_connect(server, &s->c, err, errlen) < 0) {
	free(s->server);
	free(s);
	return (NULL);
    }
    host = sm_hostname();
    snprintf(line, sizeof(line), "EHLO %s\r\n", host && *host ? host : "localhost");
    free(host);
    ok = smtp_reply(&s->c, err, errlen) == 220 && smtp_cmd(&s->c, line, 250, err, errlen) == 0;
    if (!ok) {
	s->broken = 1;
	notify_smtp_close(s);
	return (NULL);
    }
    err[0] = 0;
    return (s);
}

int     notify_smtp_send(struct notify_smtp *s, const char *from, const char *to,
			         const char *data, size_t len, int timeout_ms,
			         char *err, size_t errlen)
{
    char    line[SMTP_LINE_MAX], rset_err[64];
    int     code;

    err[0] = 0;
    if (s == NULL || s->broken) {
	snprintf(err, errlen, "SMTP session closed");
	return (-1);
    }
    if (smtp_envelope_ok(&from, to, err, errlen) < 0)
	return (-1);
    s->c.deadline = sm_now_ms() + timeout_ms;

    /* The transaction; any unexpected reply ends it, the MTA's words in err. */
    snprintf(line, sizeof(line), "MAIL FROM:<%s>\r\n", from);
    if (smtp_cmd(&s->c, line, 250, err, errlen) < 0)
	goto refused;
    snprintf(line, sizeof(line), "RCPT TO:<%s>\r\n", to);
    if (smtp_cmd(&s->c, line, 250, err, errlen) < 0)
	goto refused;
    if (smtp_cmd(&s->c, "DATA\r\n", 354, err, errlen) < 0)
	goto refused;
    if (smtp_data(&s->c, data, len) < 0) {
	snprintf(err, errlen, "SMTP DATA: %s", strerror(errno));
	s->broken = 1;
	return (-1);
    }
    if ((code = smtp_reply(&s->c, err, errlen)) != 250) {
	if (code < 0)
	    s->broken = 1;
	return (-1);
    }
    err[0] = 0;
    return (0);

    /*
     * Refused, or no answer: a session that still answers is reset for
     * the next message, one that does not is done.
     */
refused:
    if (smtp_cmd(&s->c, "RSET\r\n", 250, rset_err, sizeof(rset_err)) < 0)
	s->broken = 1;
    return (-1);
}

int     notify_smtp_broken(const struct notify_smtp *s)
{
    return (s == NULL || s->broken);
}

void    notify_smtp_close(struct notify_smtp *s)
{
    if (s == NULL)
	return;
    if (!s->broken) {
	s->c.deadline = sm_now_ms() + 1000;
	(void) smtp_write(&s->c, "QUIT\r\n", 6);
    }
    close(s->c.fd);
    free(s->server);
    free(s);
}

int     notify_submit_smtp(const char *server, const char *from, const char *to,
			           const char *data, size_t len, int timeout_ms,
			           char *err, size_t errlen)
{
    struct notify_smtp *s;
    int     r;

    if (smtp_envelope_ok(&from, to, err, errlen) < 0)
	return (-1);
    if ((s = notify_smtp_open(server, timeout_ms, err, errlen)) == NULL)
	return (-1);
    r = notify_smtp_send(s, from, to, data, len, timeout_ms, err, errlen);
    notify_smtp_close(s);
    return (r);
}
