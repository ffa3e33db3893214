/*++
/* NAME
/*	bench_smtp 1
/* SUMMARY
/*	parallel SMTP driver for "make bench": sends prepared files
/* SYNOPSIS
/*	bench_smtp [-s sessions] [-m messages] [-d] [-T timeout_s] host:port plan
/* DESCRIPTION
/*	Sends messages over -s parallel SMTP sessions (default 20) until
/*	-m messages (default 2000) have been sent, one message per
/*	connection like smtp-source's default (-d: one connection per
/*	session for all its messages). Message i is line i % N of the
/*	plan file, "SENDER RECIPIENT FILE": the mixes of the benchmark
/*	are plans (99 lines of ordinary mail and one of security@ mail,
/*	say). Files are read once, turned into CRLF lines, dot-stuffed.
/*
/*	smtp-source (Postfix) sends generated text or one fixed file per
/*	run; this driver exists for the mixes of realistic reports.
/*
/*	Every "Message-ID: <bench-" header gets a fresh 16-digit hex
/*	number per message (same length as the placeholder), so the
/*	store never sees the same Message-ID twice. So does a "%N" in a
/*	plan's SENDER: every message then comes from its own address, as
/*	reports to an intake desk come from different researchers (the
/*	per-recipient reply limit never hides what a reply costs).
/*
/*	Prints one line: "sent=N ok=N tempfail=N permfail=N errors=N
/*	seconds=F" (tempfail counts 4xx replies, 451 from a busy filter
/*	among them). Exit 0 when every message was accepted.
/*
/*	Only for loopback benchmarks: no TLS, no pipelining, no retries.
/*--*/

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define PLAN_MAX	100000		/* plan lines */
#define FILE_MAX_BYTES	(64 << 20)	/* one message file */
#define REPLY_MAX	4096
#define MSGID_TAG	"Message-ID: <bench-"
#define MSGID_DIGITS	16

struct item {
    char   *from;
    char   *to;
    char   *path;
    char   *data;			/* CRLF, dot-stuffed, ends ".\r\n" */
    size_t  len;
    size_t  id_off;			/* placeholder offset, or 0 */
};

static struct item *plan;
static size_t n_plan;
static struct sockaddr_in addr;
static long n_messages = 2000;
static int keep_conn;
static int timeout_s = 120;
static atomic_long next_msg, n_ok, n_temp, n_perm, n_err;
static unsigned long long run_id;

/* load_file - one message as it goes on the wire */

static int load_file(const char *path, struct item *it)
{
    FILE   *fp = fopen(path, "rb");
    char   *out;
    size_t  cap, o = 0;
    int     bol = 1, ch;

    if (fp == NULL)
	return (-1);
    cap = 1 << 16;
    if ((out = malloc(cap)) == NULL)
	return (-1);
    while ((ch = getc(fp)) != EOF) {
	if (o + 8 > cap) {
	    if (cap >= FILE_MAX_BYTES)
		break;
	    cap *= 2;
	    if ((out = realloc(out, cap)) == NULL)
		return (-1);
	}
	if (bol && ch == '.')
	    out[o++] = '.';
	if (ch == '\r')
	    continue;
	if (ch == '\n') {
	    out[o++] = '\r';
	    out[o++] = '\n';
	    bol = 1;
	    continue;
	}
	out[o++] = (char) ch;
	bol = 0;
    }
    fclose(fp);
    if (!bol) {
	out[o++] = '\r';
	out[o++] = '\n';
    }
    out = realloc(out, o + 4);
    memcpy(out + o, ".\r\n", 3);
    it->data = out;
    it->len = o + 3;
    it->id_off = 0;
    for (size_t i = 0; i + sizeof(MSGID_TAG) + MSGID_DIGITS < o; i++) {
	if ((i == 0 || out[i - 1] == '\n')
	    && strncasecmp(out + i, MSGID_TAG, sizeof(MSGID_TAG) - 1) == 0) {
	    it->id_off = i + sizeof(MSGID_TAG) - 1;
	    break;
	}
	if (out[i] == '\r' && out[i + 1] == '\n' && i + 2 < o && out[i + 2] == '\r')
	    break;			/* end of the header */
    }
    return (0);
}

static int load_plan(const char *path)
{
    FILE   *fp = fopen(path, "r");
    char    line[8192], from[1024], to[1024], file[4096];

    if (fp == NULL)
	return (-1);
    plan = calloc(PLAN_MAX, sizeof(*plan));
    while (n_plan < PLAN_MAX && fgets(line, sizeof(line), fp)) {
	if (line[0] == '#' || sscanf(line, "%1023s %1023s %4095s", from, to, file) != 3)
	    continue;
	/* Lines naming the same file share its bytes. */
	plan[n_plan].from = strdup(from);
	plan[n_plan].to = strdup(to);
	plan[n_plan].path = strdup(file);
	for (size_t j = 0; j < n_plan; j++)
	    if (strcmp(file, plan[j].path) == 0) {
		plan[n_plan].data = plan[j].data;
		plan[n_plan].len = plan[j].len;
		plan[n_plan].id_off = plan[j].id_off;
		break;
	    }
	if (plan[n_plan].data == NULL && load_file(file, &plan[n_plan]) < 0) {
	    fprintf(stderr, "bench_smtp: %s: %s\n", file, strerror(errno));
	    return (-1);
	}
	n_plan++;
    }
    fclose(fp);
    return (n_plan > 0 ? 0 : -1);
}

/* reply - read one (multi-line) reply; its code, or -1 */

static int reply(int fd, char *buf, size_t *have)
{
    for (;;) {
	char   *nl;
	ssize_t n;

	while ((nl = memchr(buf, '\n', *have)) != NULL) {
	    size_t  used = (size_t) (nl - buf) + 1;
	    int     code = -1, last = 0;

	    if (used >= 4) {
		code = atoi(buf);
		last = buf[3] != '-';
	    }
	    memmove(buf, buf + used, *have - used);
	    *have -= used;
	    if (last)
		return (code);
	}
	if (*have >= REPLY_MAX - 1)
	    return (-1);
	n = read(fd, buf + *have, REPLY_MAX - 1 - *have);
	if (n <= 0)
	    return (-1);
	*have += (size_t) n;
    }
}

static int send_all(int fd, const struct iovec *iov, int n)
{
    struct iovec v[4];
    int     i = 0;

    memcpy(v, iov, sizeof(*v) * n);
    while (i < n) {
	ssize_t w = writev(fd, v + i, n - i);

	if (w < 0) {
	    if (errno == EINTR)
		continue;
	    return (-1);
	}
	while (i < n && (size_t) w >= v[i].iov_len) {
	    w -= v[i].iov_len;
	    i++;
	}
	if (i < n) {
	    v[i].iov_base = (char *) v[i].iov_base + w;
	    v[i].iov_len -= w;
	}
    }
    return (0);
}

static int cmd(int fd, char *buf, size_t *have, const char *line)
{
    struct iovec v = {(void *) line, strlen(line)};

    if (send_all(fd, &v, 1) < 0)
	return (-1);
    return (reply(fd, buf, have));
}

static int dial(char *buf, size_t *have)
{
    struct timeval tv = {timeout_s, 0};
    int     fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

    if (fd < 0)
	return (-1);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    *have = 0;
    if (connect(fd, (struct sockaddr *) &addr, sizeof(addr)) < 0
	|| reply(fd, buf, have) != 220
	|| cmd(fd, buf, have, "EHLO bench.example.net\r\n") != 250) {
	close(fd);
	return (-1);
    }
    return (fd);
}

/* count - file one final reply */

static void count(int code)
{
    if (code >= 200 && code < 300)
	atomic_fetch_add(&n_ok, 1);
    else if (code >= 400 && code < 500)
	atomic_fetch_add(&n_temp, 1);
    else if (code >= 500 && code < 600)
	atomic_fetch_add(&n_perm, 1);
    else
	atomic_fetch_add(&n_err, 1);
}

static void *session(void *arg)
{
    char    buf[REPLY_MAX], line[2200], id[MSGID_DIGITS + 1];
    size_t  have = 0;
    int     fd = -1;
    long    i;

    (void) arg;
    while ((i = atomic_fetch_add(&next_msg, 1)) < n_messages) {
	const struct item *it = &plan[(size_t) i % n_plan];
	const char *pct;
	int     code;

	if (fd < 0 && (fd = dial(buf, &have)) < 0) {
	    count(-1);
	    continue;
	}
	if ((pct = strstr(it->from, "%N")) != NULL)
	    snprintf(line, sizeof(line), "MAIL FROM:<%.*s%016llx%s>\r\n", (int) (pct - it->from),
		     it->from, run_id + (unsigned long long) i, pct + 2);
	else
	    snprintf(line, sizeof(line), "MAIL FROM:<%s>\r\n", it->from);
	if ((code = cmd(fd, buf, &have, line)) != 250)
	    goto fail;
	snprintf(line, sizeof(line), "RCPT TO:<%s>\r\n", it->to);
	if ((code = cmd(fd, buf, &have, line)) != 250)
	    goto fail;
	if ((code = cmd(fd, buf, &have, "DATA\r\n")) != 354)
	    goto fail;
	if (it->id_off) {
	    struct iovec v[3];

	    snprintf(id, sizeof(id), "%016llx", run_id + (unsigned long long) i);
	    v[0].iov_base = it->data;
	    v[0].iov_len = it->id_off;
	    v[1].iov_base = id;
	    v[1].iov_len = MSGID_DIGITS;
	    v[2].iov_base = it->data + it->id_off + MSGID_DIGITS;
	    v[2].iov_len = it->len - it->id_off - MSGID_DIGITS;
	    code = send_all(fd, v, 3) < 0 ? -1 : reply(fd, buf, &have);
	} else {
	    struct iovec v = {it->data, it->len};

	    code = send_all(fd, &v, 1) < 0 ? -1 : reply(fd, buf, &have);
	}
	count(code);
	if (code < 0) {
	    close(fd);
	    fd = -1;
	    continue;
	}
	if (!keep_conn) {
	    (void) cmd(fd, buf, &have, "QUIT\r\n");
	    close(fd);
	    fd = -1;
	}
	continue;
fail:
	count(code);
	if (code < 0) {
	    close(fd);
	    fd = -1;
	} else if (cmd(fd, buf, &have, "RSET\r\n") != 250 || !keep_conn) {
	    close(fd);
	    fd = -1;
	}
    }
    if (fd >= 0) {
	(void) cmd(fd, buf, &have, "QUIT\r\n");
	close(fd);
    }
    return (NULL);
}

int     main(int argc, char **argv)
{
    int     sessions = 20, ch;
    pthread_t *tids;
    struct timespec t0, t1;
    char   *host, *colon;
    double  secs;

    while ((ch = getopt(argc, argv, "ds:m:T:")) != -1) {
	switch (ch) {
	case 'd':
	    keep_conn = 1;
	    break;
	case 's':
	    sessions = atoi(optarg);
	    break;
	case 'm':
	    n_messages = atol(optarg);
	    break;
	case 'T':
	    timeout_s = atoi(optarg);
	    break;
	default:
	    goto usage;
	}
    }
    if (argc - optind != 2 || sessions < 1 || sessions > 1000 || n_messages < 1)
	goto usage;
    host = strdup(argv[optind]);
    if ((colon = strrchr(host, ':')) == NULL)
	goto usage;
    *colon = 0;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short) atoi(colon + 1));
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1)
	goto usage;
    if (load_plan(argv[optind + 1]) < 0) {
	fprintf(stderr, "bench_smtp: cannot load plan %s\n", argv[optind + 1]);
	return (2);
    }
    clock_gettime(CLOCK_REALTIME, &t0);
    run_id = ((unsigned long long) t0.tv_sec << 24) ^ ((unsigned long long) getpid() << 40);

    clock_gettime(CLOCK_MONOTONIC, &t0);
    tids = calloc((size_t) sessions, sizeof(*tids));
    for (int i = 0; i < sessions; i++)
	pthread_create(&tids[i], NULL, session, NULL);
    for (int i = 0; i < sessions; i++)
	pthread_join(tids[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("sent=%ld ok=%ld tempfail=%ld permfail=%ld errors=%ld seconds=%.3f\n",
	   n_messages, atomic_load(&n_ok), atomic_load(&n_temp), atomic_load(&n_perm),
	   atomic_load(&n_err), secs);
    return (atomic_load(&n_ok) == n_messages ? 0 : 1);
usage:
    fprintf(stderr, "usage: bench_smtp [-d] [-s sessions] [-m messages] [-T timeout_s] host:port plan\n");
    return (2);
}
