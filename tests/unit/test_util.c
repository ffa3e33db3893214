/*
 * test_util - the sanitiser, bounded strings, addresses and configuration.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include "util/util.h"

static void test_sbuf_bound(void **state)
{
    struct sbuf sb = SBUF_INIT(10);

    assert_int_equal(sbuf_puts(&sb, "hello"), 0);
    assert_int_equal(sbuf_puts(&sb, " world!"), -1);
    assert_string_equal(sbuf_str(&sb), "hello worl");
    assert_int_equal(sb.len, 10);
    assert_true(sb.truncated);
    assert_int_equal(sbuf_printf(&sb, "%d", 42), -1);
    assert_int_equal(sb.len, 10);
    sbuf_free(&sb);
}

static void test_sbuf_grow(void **state)
{
    struct sbuf sb = SBUF_INIT(1 << 20);
    char    chunk[1000];

    memset(chunk, 'x', sizeof(chunk));
    for (int i = 0; i < 500; i++)
	assert_int_equal(sbuf_append(&sb, chunk, sizeof(chunk)), 0);
    assert_int_equal(sb.len, 500000);
    assert_int_equal(strlen(sbuf_str(&sb)), 500000);
    sbuf_free(&sb);
}

static void test_sanitize_controls(void **state)
{
    const char in[] = "Subject\r\nBcc: victim@example.com\x1b[31m\x7f end";
    char   *out = sm_sanitize(in, sizeof(in) - 1, 200);

    assert_null(strchr(out, '\r'));
    assert_null(strchr(out, '\n'));
    assert_null(strchr(out, 0x1b));
    assert_null(strchr(out, 0x7f));
    assert_string_equal(out, "Subject Bcc: victim@example.com [31m end");
    free(out);
}

static void test_sanitize_utf8_bound(void **state)
{
    /* "é" is two bytes: a bound of 5 must not cut one in half. */
    char   *out = sm_sanitize_str("ééé", 5);

    assert_string_equal(out, "éé");
    assert_true(sm_utf8_valid(out, strlen(out)));
    free(out);

    out = sm_sanitize_str("bad \xff\xfe bytes \xc3", 100);
    assert_true(sm_utf8_valid(out, strlen(out)));
    assert_string_equal(out, "bad ?? bytes ?");
    free(out);
}

static void test_sanitize_filename(void **state)
{
    char   *out = sm_sanitize_filename("../../etc/passwd", 100);

    assert_null(strchr(out, '/'));
    assert_true(out[0] != '.');
    free(out);
    out = sm_sanitize_filename("", 100);
    assert_string_equal(out, "_");
    free(out);
}

static void test_addr_normalize(void **state)
{
    char   *a = sm_addr_normalize("  <Security+Bug42@Example.COM> ");

    assert_string_equal(a, "security@example.com");
    free(a);
    a = sm_addr_normalize("<>");
    assert_string_equal(a, "");
    free(a);
    a = sm_addr_normalize("+x@example.com");
    assert_string_equal(a, "+x@example.com");
    free(a);
}

static void test_security_match(void **state)
{
    struct sm_config cfg;
    char    err[256];

    sm_config_init(&cfg);
    /* Default: any address whose local part is security. */
    assert_true(sm_config_is_security_addr(&cfg, "<security@example.com>"));
    assert_true(sm_config_is_security_addr(&cfg, "SECURITY+tag@corp.example"));
    assert_false(sm_config_is_security_addr(&cfg, "insecurity@example.com"));
    assert_false(sm_config_is_security_addr(&cfg, "security.team@example.com"));
    assert_int_equal(sm_config_set(&cfg, "securityaddress", "psirt@example.com, Sec@Example.org", err, sizeof(err)), 0);
    assert_true(sm_config_is_security_addr(&cfg, "<psirt+x@EXAMPLE.com>"));
    assert_true(sm_config_is_security_addr(&cfg, "sec@example.org"));
    assert_false(sm_config_is_security_addr(&cfg, "security@example.com"));
    sm_config_free(&cfg);
}

static void test_scope_domains(void **state)
{
    struct sm_config cfg;
    char    err[256];

    sm_config_init(&cfg);
    assert_int_equal(sm_config_host_in_scope(&cfg, "anything.test"), -1);
    assert_int_equal(sm_config_set(&cfg, "InScopeDomains", "*.callhub.io app.example.com", err, sizeof(err)), 0);
    assert_int_equal(sm_config_host_in_scope(&cfg, "api.callhub.io"), 1);
    assert_int_equal(sm_config_host_in_scope(&cfg, "callhub.io"), 1);
    assert_int_equal(sm_config_host_in_scope(&cfg, "evilcallhub.io"), 0);
    assert_int_equal(sm_config_host_in_scope(&cfg, "app.example.com"), 1);
    assert_int_equal(sm_config_host_in_scope(&cfg, "www.example.com"), 0);
    sm_config_free(&cfg);
}

static char *write_conf(const char *text)
{
    static char path[64];
    FILE   *fp;

    snprintf(path, sizeof(path), "/tmp/test_util_conf.%ld", (long) getpid());
    fp = fopen(path, "w");
    fputs(text, fp);
    fclose(fp);
    return (path);
}

static void test_config_errors(void **state)
{
    struct sm_config cfg;
    char    err[512];
    char   *path;

    sm_config_init(&cfg);
    path = write_conf("# comment\nSocket inet:9999@127.0.0.1\nStateDirectry /tmp/x\n");
    assert_int_equal(sm_config_load(&cfg, path, err, sizeof(err)), -1);
    assert_non_null(strstr(err, ":3: StateDirectry: unknown key"));
    /* All or nothing: the valid line 2 was not applied. */
    assert_string_equal(cfg.socket, "inet:8895@127.0.0.1");

    path = write_conf("MaxMimeDepth 0\n");
    assert_int_equal(sm_config_load(&cfg, path, err, sizeof(err)), -1);
    assert_non_null(strstr(err, ":1: MaxMimeDepth: bad value"));

    path = write_conf("Socket tcp:25\n");
    assert_int_equal(sm_config_load(&cfg, path, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "Socket"));

    path = write_conf("socket   local:/run/secmilter.sock  # trailing comment\n"
		      "MAXMESSAGEBYTES 10m\nAckFrom <Security@Example.com>\n");
    assert_int_equal(sm_config_load(&cfg, path, err, sizeof(err)), 0);
    assert_string_equal(cfg.socket, "local:/run/secmilter.sock");
    assert_int_equal(cfg.max_message_bytes, 10 * 1024 * 1024);
    assert_string_equal(cfg.ack_from, "security@example.com");
    unlink(path);
    sm_config_free(&cfg);
}

static void test_mkdir_p(void **state)
{
    char    top[] = "/tmp/sm-mkdir-XXXXXX", path[256], file[256];
    struct stat st;
    FILE   *fp;

    (void) state;
    assert_non_null(mkdtemp(top));
    /* new, three levels at once; then again: there already */
    snprintf(path, sizeof(path), "%s/a/b/c", top);
    assert_int_equal(sm_mkdir_p(path, 0700), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(sm_mkdir_p(path, 0700), 0);
    /* a sibling under an existing parent */
    snprintf(path, sizeof(path), "%s/a/b/d", top);
    assert_int_equal(sm_mkdir_p(path, 0700), 0);
    assert_int_equal(stat(path, &st), 0);
    /* a file in the way of a component: an error, nothing made */
    snprintf(file, sizeof(file), "%s/f", top);
    assert_non_null(fp = fopen(file, "w"));
    fclose(fp);
    snprintf(path, sizeof(path), "%s/f/g", top);
    assert_int_equal(sm_mkdir_p(path, 0700), -1);
    assert_int_equal(errno, ENOTDIR);
    assert_int_equal(sm_mkdir_p("", 0700), -1);
    /* clean up */
    snprintf(path, sizeof(path), "rm -rf '%s'", top);
    assert_int_equal(system(path), 0);
}

/* The milter's listening TCP socket gets TCP_NODELAY, and so does each
 * connection accepted on it (the reason it is set on the listener). */
static void test_listen_nodelay(void **state)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof(sin);
    int     lfd, cfd, afd, udp, opt;

    (void) state;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_true((lfd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
    assert_int_equal(bind(lfd, (struct sockaddr *) &sin, sizeof(sin)), 0);
    assert_int_equal(listen(lfd, 4), 0);
    assert_int_equal(getsockname(lfd, (struct sockaddr *) &sin, &len), 0);
    /* not listening: left alone */
    assert_true((udp = socket(AF_INET, SOCK_DGRAM, 0)) >= 0);

    opt = -1;
    len = sizeof(opt);
    assert_int_equal(getsockopt(lfd, IPPROTO_TCP, TCP_NODELAY, &opt, &len), 0);
    assert_int_equal(opt, 0);
    assert_int_equal(sm_listen_nodelay(), 1);
    assert_int_equal(getsockopt(lfd, IPPROTO_TCP, TCP_NODELAY, &opt, &len), 0);
    assert_int_not_equal(opt, 0);

    assert_true((cfd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
    assert_int_equal(connect(cfd, (struct sockaddr *) &sin, sizeof(sin)), 0);
    assert_true((afd = accept(lfd, NULL, NULL)) >= 0);
    opt = 0;
    assert_int_equal(getsockopt(afd, IPPROTO_TCP, TCP_NODELAY, &opt, &len), 0);
    assert_int_not_equal(opt, 0);
    close(afd);
    close(cfd);
    close(udp);
    close(lfd);
}

static void test_parse_ymd(void **state)
{
    assert_true(sm_parse_ymd("2027-01-15") > 0);
    assert_int_equal(sm_parse_ymd("2027-02-30"), -1);
    assert_int_equal(sm_parse_ymd("2027-1-15"), -1);
    assert_int_equal(sm_parse_ymd("tomorrow"), -1);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_sbuf_bound),
	cmocka_unit_test(test_sbuf_grow),
	cmocka_unit_test(test_sanitize_controls),
	cmocka_unit_test(test_sanitize_utf8_bound),
	cmocka_unit_test(test_sanitize_filename),
	cmocka_unit_test(test_addr_normalize),
	cmocka_unit_test(test_security_match),
	cmocka_unit_test(test_scope_domains),
	cmocka_unit_test(test_config_errors),
	cmocka_unit_test(test_mkdir_p),
	cmocka_unit_test(test_listen_nodelay),
	cmocka_unit_test(test_parse_ymd),
    };

    return (cmocka_run_group_tests(tests, NULL, NULL));
}
