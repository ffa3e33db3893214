/*++
/* NAME
/*	secmilter 8
/* SUMMARY
/*	vulnerability-intake milter: main program
/* SYNOPSIS
/*	secmilter [-fnV] [-c file] [-p socket] [-d dir] [-P pidfile]
/*		[-u user[:group]] [-t file...]
/* DESCRIPTION
/*	main() reads the flags and the configuration, and then does one of:
/* .IP -V
/*	print the version.
/* .IP -n
/*	check the configuration and the templates of outgoing mail: exit
/*	0, or 78 with "FILE:LINE: KEY: why" or "FILE:LINE: unknown
/*	placeholder {{name}}".
/* .IP -t
/*	triage files offline (intake_offline()): no store, no mail.
/* .PP
/*	or runs the daemon: open the milter socket and the store (as
/*	root when started as root), detach unless -f, drop privileges
/*	(-u), start the outbox sender and hand over to libmilter.
/*
/*	The LMDB environment is opened after detaching: an environment
/*	must not cross fork(). It is test-opened before, so a store that
/*	cannot be opened is an error on the terminal, not only in syslog.
/* DIAGNOSTICS
/*	sysexits(3) codes: 64 usage, 66 unreadable -t input, 71 socket,
/*	73 store, 78 configuration.
/*--*/

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libmilter/mfapi.h>

#include "util/util.h"
#include "milter/milter.h"

static void usage(void)
{
    fprintf(stderr,
	    "usage: secmilter [-fnV] [-c file] [-p socket] [-d dir] [-P pidfile]\n"
	    "                 [-u user[:group]] [-t file...]\n");
    exit(SM_EX_USAGE);
}

static uid_t chown_uid;
static gid_t chown_gid;

/* chown_one - nftw() callback: one file of the state tree */

static int chown_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void) type, (void) ftw;
    if ((sb->st_uid != chown_uid || sb->st_gid != chown_gid)
	&& lchown(path, chown_uid, chown_gid) < 0)
	fprintf(stderr, "secmilter: chown %s: %s\n", path, strerror(errno));
    return (0);
}

/* drop_privileges - become user[:group]; the state is made theirs first */

static int drop_privileges(const char *spec, const char *state_dir)
{
    char   *user = strdup(spec), *group;
    struct passwd *pw;
    struct group *gr;
    gid_t   gid;

    if ((group = strchr(user, ':')) != NULL)
	*group++ = 0;
    if ((pw = getpwnam(user)) == NULL) {
	fprintf(stderr, "secmilter: -u %s: no such user\n", user);
	free(user);
	return (-1);
    }
    gid = pw->pw_gid;
    if (group) {
	if ((gr = getgrnam(group)) == NULL) {
	    fprintf(stderr, "secmilter: -u %s: no such group %s\n", spec, group);
	    free(user);
	    return (-1);
	}
	gid = gr->gr_gid;
    }
    /* The whole state tree becomes theirs: tickets, raw copies, attachments. */
    chown_uid = pw->pw_uid;
    chown_gid = gid;
    if (nftw(state_dir, chown_one, 16, FTW_PHYS) < 0 && errno != ENOENT)
	fprintf(stderr, "secmilter: chown %s: %s\n", state_dir, strerror(errno));
    if (setgroups(1, &gid) < 0 || setgid(gid) < 0 || setuid(pw->pw_uid) < 0) {
	fprintf(stderr, "secmilter: -u %s: %s\n", spec, strerror(errno));
	free(user);
	return (-1);
    }
    free(user);
    return (0);
}

static void detach(void)
{
    pid_t   pid;
    int     fd;

    if ((pid = fork()) < 0) {
	perror("secmilter: fork");
	exit(SM_EX_OSERR);
    }
    if (pid > 0)
	_exit(0);
    setsid();
    if ((pid = fork()) < 0)
	_exit(SM_EX_OSERR);
    if (pid > 0)
	_exit(0);
    if (chdir("/") < 0) {
	/* Nothing depends on the working directory: paths are absolute. */
    }
    if ((fd = open("/dev/null", O_RDWR)) >= 0) {
	dup2(fd, 0), dup2(fd, 1), dup2(fd, 2);
	if (fd > 2)
	    close(fd);
    }
}

static char *absolute(const char *path)
{
    char    cwd[4096], *out;

    if (path[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
	return (strdup(path));
    if (asprintf(&out, "%s/%s", cwd, path) < 0)
	return (NULL);
    return (out);
}

/* reload_thread - the worker's SIGUSR1 (the master's SIGHUP) */

static void *reload_thread(void *arg)
{
    sigset_t set;
    int     sig;

    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    for (;;)
	if (sigwait(&set, &sig) == 0 && sig == SIGUSR1)
	    milter_reload((struct intake_env *) arg);
    return (NULL);
}

/* worker_main - the process that speaks milter: store, sender, libmilter */

static int worker_main(void *arg)
{
    struct intake_env *env = arg;
    const struct sm_config *cfg = env->cfg;
    struct store *store;
    sigset_t set;
    pthread_t tid;
    char    err[1024];
    int     rc;

    /* SIGUSR1 is ours alone: blocked before any thread exists. */
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);

    /* The LMDB environment is opened here: it must not cross fork(). */
    if ((store = store_open(cfg->state_dir, STORE_F_CREATE | (cfg->sync ? 0 : STORE_F_NOSYNC),
			    err, sizeof(err))) == NULL) {
	sm_log(LOG_ERR, NULL, "%s", err);
	return (SM_EX_CANTCREAT);
    }
    env->store = store;
    if (milter_reload(env) < 0) {
	store_close(store);
	return (SM_EX_CONFIG);
    }
    if ((env->sender = notify_sender_start(store, cfg)) == NULL) {
	sm_log(LOG_ERR, NULL, "cannot start the outbox sender");
	store_close(store);
	return (SM_EX_OSERR);
    }
    pthread_create(&tid, NULL, reload_thread, env);
    pthread_detach(tid);
    milter_set_env(env);
    sm_log(LOG_INFO, NULL, "secmilter %s worker %ld: socket %s, state %s",
	   PACKAGE_VERSION, (long) getpid(), cfg->socket, cfg->state_dir);
    rc = smfi_main() == MI_SUCCESS ? SM_EX_OK : SM_EX_SOFTWARE;
    notify_sender_stop(env->sender);
    store_close(store);
    return (rc);
}

int     main(int argc, char **argv)
{
    struct sm_config cfg;
    struct intake_env env;
    struct store *store = NULL;
    const char *conf = NULL, *sock = NULL, *dir = NULL, *pidfile = NULL, *user = NULL;
    int     foreground = 0, check = 0, offline = 0, ch, rc;
    char    err[1024];

    /* Flags, OpenDMARC style. */
    while ((ch = getopt(argc, argv, "c:p:d:fP:u:ntV")) != -1) {
	switch (ch) {
	case 'c':
	    conf = optarg;
	    break;
	case 'p':
	    sock = optarg;
	    break;
	case 'd':
	    dir = optarg;
	    break;
	case 'f':
	    foreground = 1;
	    break;
	case 'P':
	    pidfile = optarg;
	    break;
	case 'u':
	    user = optarg;
	    break;
	case 'n':
	    check = 1;
	    break;
	case 't':
	    offline = 1;
	    break;
	case 'V':
	    printf("secmilter %s\n", PACKAGE_VERSION);
	    return (SM_EX_OK);
	default:
	    usage();
	}
    }
    if (offline && optind >= argc) {
	fprintf(stderr, "secmilter: -t needs at least one file (or - for standard input)\n");
	usage();
    }
    if (!offline && optind < argc) {
	fprintf(stderr, "secmilter: unexpected argument \"%s\"\n", argv[optind]);
	usage();
    }

    /* Configuration: defaults, the file, then the flags over both. */
    sm_config_init(&cfg);
    if (conf && sm_config_load(&cfg, conf, err, sizeof(err)) < 0) {
	fprintf(stderr, "secmilter: %s\n", err);
	rc = SM_EX_CONFIG;
	goto out;
    }
    if (sock && sm_config_set(&cfg, "Socket", sock, err, sizeof(err)) < 0) {
	fprintf(stderr, "secmilter: -p: %s\n", err);
	rc = SM_EX_CONFIG;
	goto out;
    }
    if (dir) {
	char   *abs = absolute(dir);

	if (sm_config_set(&cfg, "StateDirectory", abs, err, sizeof(err)) < 0) {
	    fprintf(stderr, "secmilter: -d: %s\n", err);
	    free(abs);
	    rc = SM_EX_CONFIG;
	    goto out;
	}
	free(abs);
    } else if (cfg.state_dir[0] != '/') {
	char   *abs = absolute(cfg.state_dir);

	free(cfg.state_dir);
	cfg.state_dir = abs;
    }
    /* The templates of outgoing mail: checked here, on the terminal. */
    if (!offline) {
	struct notify_templates *tpl = notify_templates_load(cfg.template_dir, err, sizeof(err));

	if (tpl == NULL) {
	    fprintf(stderr, "secmilter: %s\n", err);
	    rc = SM_EX_CONFIG;
	    goto out;
	}
	notify_templates_free(tpl);
    }

    /*
     * The classifier's rules file, when one is configured: the same.
     * The daemon keeps what Hyperscan compiles under its state
     * directory, so that the worker, a restart or a reload of the same
     * rules does not compile them again (seconds for a file the size
     * of the built-in one). A check or secmilter -t writes nothing.
     */
    if (!check && !offline) {
	char    cache[4096];

	if (snprintf(cache, sizeof(cache), "%s/rules-cache", cfg.state_dir) < (int) sizeof(cache))
	    (void) triage_rules_cache_dir(cache);
    }
    if (milter_rules_install(&cfg, err, sizeof(err)) < 0) {
	fprintf(stderr, "secmilter: %s\n", err);
	rc = SM_EX_CONFIG;
	goto out;
    }
    if (check) {
	printf("secmilter: configuration %s is valid\n", conf ? conf : "(built-in defaults)");
	rc = SM_EX_OK;
	goto out;
    }

    /*
     * The daemon's master never classifies: it drops the rules it
     * checked (their databases are megabytes); each worker loads them,
     * from the cache just written.
     */
    if (!offline)
	milter_rules_install(NULL, NULL, 0);

    memset(&env, 0, sizeof(env));
    env.cfg = &cfg;
    report_limits_from_config(&env.limits, &cfg);

    /* secmilter -t: the same pipeline, without store and mail. */
    if (offline) {
	sm_log_open("secmilter", 1);
	rc = intake_offline(&env, argv + optind, argc - optind);
	goto out;
    }

    /* The daemon. */
    sm_log_open("secmilter", foreground);
    signal(SIGPIPE, SIG_IGN);
    if (smfi_setconn(cfg.socket) == MI_FAILURE || smfi_register(milter_desc) == MI_FAILURE) {
	fprintf(stderr, "secmilter: Socket %s: cannot use\n", cfg.socket);
	rc = SM_EX_OSERR;
	goto out;
    }
    if (smfi_opensocket(1) == MI_FAILURE) {
	fprintf(stderr, "secmilter: Socket %s: cannot open (in use, or no permission)\n", cfg.socket);
	rc = SM_EX_OSERR;
	goto out;
    }
    if ((strncmp(cfg.socket, "inet:", 5) == 0 || strncmp(cfg.socket, "inet6:", 6) == 0)
	&& sm_listen_nodelay() == 0)
	fprintf(stderr, "secmilter: Socket %s: cannot set TCP_NODELAY; replies at end of message"
		" may wait for delayed acknowledgements\n", cfg.socket);
    if ((store = store_open(cfg.state_dir, STORE_F_CREATE, err, sizeof(err))) == NULL) {
	fprintf(stderr, "secmilter: %s\n", err);
	rc = SM_EX_CANTCREAT;
	goto out;
    }
    store_close(store);
    store = NULL;
    if (!foreground)
	detach();
    if (pidfile) {
	FILE   *fp = fopen(pidfile, "w");

	if (fp == NULL) {
	    sm_log(LOG_ERR, NULL, "pid file %s: %s", pidfile, strerror(errno));
	} else {
	    fprintf(fp, "%ld\n", (long) getpid());
	    fclose(fp);
	}
    }
    {
	char    spool[4096];

	snprintf(spool, sizeof(spool), "%s/spool", cfg.state_dir);
	sm_mkdir_p(spool, 0700);
    }
    if (user && drop_privileges(user, cfg.state_dir) < 0) {
	rc = SM_EX_CONFIG;
	goto out;
    }

    /* The master keeps the socket and the pid; the worker does the rest. */
    rc = master_run(worker_main, &env);
    sm_log(LOG_INFO, NULL, "secmilter stopped");
    if (pidfile && unlink(pidfile) < 0 && errno != ENOENT)
	sm_log(LOG_WARNING, NULL, "pid file %s: %s", pidfile, strerror(errno));
out:
    store_close(store);
    milter_rules_install(NULL, NULL, 0);
    sm_config_free(&cfg);
    return (rc);
}
