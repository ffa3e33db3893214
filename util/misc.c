/*++
/* NAME
/*	misc 3
/* SUMMARY
/*	time stamps, directories, host name, random tokens
/* SYNOPSIS
/*	#include "util/util.h"
/* DESCRIPTION
/*	Small system helpers shared by the daemon and secticket.
/*	sm_random_hex() uses OpenSSL's RAND_bytes, so Message-IDs and
/*	file names we make cannot be guessed by a sender. sm_hex() writes
/*	bytes as lower-case hex. sm_write_all() and sm_read_all() go on
/*	after short writes and reads and EINTR.
/* DIAGNOSTICS
/*	-1 with errno set.
/*--*/

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <openssl/rand.h>

#include "util/util.h"

void    sm_rfc3339(time_t t, char *buf, size_t len)
{
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void    sm_rfc5322_date(time_t t, char *buf, size_t len)
{
    struct tm tm;
    static const char *days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    /* Not strftime: %a and %b follow the locale, RFC 5322 does not. */
    gmtime_r(&t, &tm);
    snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	     days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
	     tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int64_t sm_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return ((int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int64_t sm_now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((int64_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

time_t  sm_parse_ymd(const char *s)
{
    struct tm tm;
    int     y, m, d;
    char    extra;

    if (s == NULL || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3)
	return (-1);
    if (s[4] != '-' || s[7] != '-' || y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
	return (-1);
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_hour = 12;
    {
	time_t  t = timegm(&tm);
	struct tm back;

	/* Reject 2027-02-30 and friends: timegm() would roll them over. */
	gmtime_r(&t, &back);
	if (back.tm_mday != d || back.tm_mon != m - 1)
	    return (-1);
	return (t);
    }
}

int     sm_mkdir_p(const char *path, int mode)
{
    char    buf[4096];
    size_t  n = strlen(path);

    if (n == 0 || n >= sizeof(buf)) {
	errno = ENAMETOOLONG;
	return (-1);
    }
    /*
     * Mostly the directory is there already (a spool or blob directory,
     * once per message): one system call, not one per component.
     */
    if (mkdir(path, (mode_t) mode) == 0 || errno == EEXIST)
	return (0);
    if (errno != ENOENT)
	return (-1);
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p; p++) {
	if (*p != '/')
	    continue;
	*p = 0;
	if (mkdir(buf, (mode_t) mode) < 0 && errno != EEXIST)
	    return (-1);
	*p = '/';
    }
    if (mkdir(buf, (mode_t) mode) < 0 && errno != EEXIST)
	return (-1);
    return (0);
}

int     sm_fsync_dir(const char *path)
{
    int     fd, ret;

    if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
	return (-1);
    ret = fsync(fd);
    close(fd);
    return (ret);
}

char   *sm_hostname(void)
{
    char    buf[256];

    if (gethostname(buf, sizeof(buf) - 1) < 0)
	return (strdup("localhost"));
    buf[sizeof(buf) - 1] = 0;
    return (strdup(buf));
}

void    sm_random_hex(char *buf, size_t nbytes)
{
    unsigned char raw[64];

    if (nbytes > sizeof(raw))
	nbytes = sizeof(raw);
    if (RAND_bytes(raw, (int) nbytes) != 1) {
	/* Never weaker than this: the clock and the pid, mixed. */
	uint64_t x = (uint64_t) sm_now_ms() ^ ((uint64_t) getpid() << 32);

	for (size_t i = 0; i < nbytes; i++) {
	    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
	    raw[i] = (unsigned char) x;
	}
    }
    sm_hex(raw, nbytes, buf);
}

/* sm_hex - n bytes as 2n lower-case hex digits and a NUL */

void    sm_hex(const unsigned char *raw, size_t n, char *buf)
{
    static const char hex[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
	buf[2 * i] = hex[raw[i] >> 4];
	buf[2 * i + 1] = hex[raw[i] & 15];
    }
    buf[2 * n] = 0;
}

/* sm_write_all - all of buf to fd, short writes continued; 0 or -1 */

int     sm_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    ssize_t n;

    while (len > 0) {
	if ((n = write(fd, p, len)) < 0) {
	    if (errno == EINTR)
		continue;
	    return (-1);
	}
	p += n;
	len -= (size_t) n;
    }
    return (0);
}

/* sm_read_all - up to len bytes from fd, short reads continued; bytes read or -1 */

ssize_t sm_read_all(int fd, void *buf, size_t len)
{
    char   *p = buf;
    size_t  got = 0;
    ssize_t n;

    while (got < len) {
	if ((n = read(fd, p + got, len - got)) < 0) {
	    if (errno == EINTR)
		continue;
	    return (-1);
	}
	if (n == 0)
	    break;
	got += (size_t) n;
    }
    return ((ssize_t) got);
}

/*
 * sm_listen_nodelay - TCP_NODELAY on the milter's listening TCP socket
 *
 * At end of message secmilter sends the MTA several modification
 * requests (a header, another, a Subject change) and then its verdict,
 * and libmilter writes each one as it is made. The MTA answers none of
 * them, so with Nagle's algorithm the second write waits for the
 * delayed acknowledgement of the first: some 40 ms per security@
 * message over "inet:" sockets, while end of message itself takes a few
 * milliseconds. libmilter does not hand out its socket, so the
 * listening one is found among our descriptors (it is the only
 * listening socket we have); Linux gives each accepted connection the
 * option of the listener. Returns the number of sockets set.
 */
int     sm_listen_nodelay(void)
{
    struct rlimit rl;
    struct sockaddr_storage ss;
    socklen_t len;
    int     fd, max, on = 1, n = 0, acc;

    max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096 ? (int) rl.rlim_cur : 4096;
    for (fd = 3; fd < max; fd++) {
	len = sizeof(acc);
	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len) < 0 || !acc)
	    continue;
	len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *) &ss, &len) < 0
	    || (ss.ss_family != AF_INET && ss.ss_family != AF_INET6))
	    continue;
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) == 0)
	    n++;
    }
    return (n);
}
