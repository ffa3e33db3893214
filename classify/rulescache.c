/*++
/* NAME
/*	rulescache 3
/* SUMMARY
/*	compiled rules kept between starts
/* SYNOPSIS
/*	#include "classify/triage.h"
/*
/*	int	triage_rules_cache_dir(dir)
/*	const char *dir;
/*
/*	int	triage_rules_cached(rules)
/*	const struct triage_rules *rules;
/* INTERNAL INTERFACE
/*	#include "classify/classify_private.h"
/*
/*	void	rules_cache_key(rules, exprs, flags, key)
/*	int	rules_cache_load(rules, key)
/*	void	rules_cache_save(rules, key)
/* DESCRIPTION
/*	Hyperscan needs seconds to compile a rules file of the default's
/*	size (some 1,400 patterns: 9 s on two cores). A daemon that did
/*	that at every start, every restart of its worker and every reload
/*	would keep the MTA waiting each time. So the databases of a load
/*	are written to a cache directory, and the next load of the same
/*	rules on the same machine reads them back in milliseconds.
/*
/*	triage_rules_cache_dir() names the directory (created 0700 when
/*	first written; NULL turns the cache off, the default). The daemon
/*	uses StateDirectory/rules-cache; "secmilter -n" and "-t" use none.
/*
/*	The key of a file is the SHA-256 of a format version, the
/*	Hyperscan version, the CPU's platform as Hyperscan sees it (tune
/*	and features) and every rule as it would be compiled (expression,
/*	flags, database): a changed rule, a program that translates a
/*	phrase differently, a new Hyperscan or another CPU is a new key,
/*	never a stale database. A file holds
/*	every database of the load (the flowing-text one, the lines one,
/*	each S rule's), what the load decided per rule (no start tracking,
/*	widest and narrowest match) and ends with the SHA-256 of all that.
/*	A file that is short, changed or of another shape is ignored: the
/*	load compiles, and writes the file anew.
/*
/*	Files are written to a temporary name and renamed; the cache keeps
/*	the RULES_CACHE_KEEP newest files and removes the rest. Nothing
/*	here is an error to the caller: without a cache a load compiles.
/*
/*	triage_rules_cached() is 1 when a load took its databases from the
/*	cache.
/* SECURITY
/*	Hyperscan runs what it deserialises: the directory must be
/*	writable only by secmilter's user (it is under StateDirectory,
/*	whose whole tree the daemon owns, mode 0700).
/*--*/

/* System library. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Third-party libraries. */

#include <hs.h>
#include <openssl/evp.h>

/* Utility library. */

#include "util/util.h"

/* Application-specific. */

#include "classify/triage.h"
#include "classify/classify_private.h"

#define RULES_CACHE_MAGIC	"SMRULES1"	/* 8 bytes: format version */
#define RULES_CACHE_SUFFIX	".hsdb"
#define RULES_CACHE_KEEP	4	/* newest files kept */
#define RULES_CACHE_MAX_BYTES	(512UL * 1024 * 1024)

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static char *cache_dir;			/* NULL: no cache */

/* triage_rules_cache_dir - where compiled rules are kept; NULL: nowhere */

int     triage_rules_cache_dir(const char *dir)
{
    char   *copy = NULL;

    if (dir != NULL && (copy = strdup(dir)) == NULL)
	return (-1);
    pthread_mutex_lock(&cache_lock);
    free(cache_dir);
    cache_dir = copy;
    pthread_mutex_unlock(&cache_lock);
    return (0);
}

/* cache_path - the file of key, in buf; 0 when there is no cache */

static int cache_path(const char *key, const char *suffix, char *buf, size_t len)
{
    int     n = -1;

    pthread_mutex_lock(&cache_lock);
    if (cache_dir != NULL)
	n = snprintf(buf, len, "%s/%s%s", cache_dir, key, suffix);
    pthread_mutex_unlock(&cache_lock);
    return (n > 0 && (size_t) n < len);
}

/* rules_cache_key - the hex SHA-256 that names the databases of r */

void    rules_cache_key(const struct triage_rules *r, char *const *exprs,
			        const unsigned *flags, char key[65])
{
    hs_platform_info_t plat;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    EVP_MD_CTX *ctx;
    const char *ver = hs_version();
    size_t  i;
    int     ok;

    /* No cache (secmilter -t, -n, mkrulesdb): no key to compute. */
    key[0] = 0;
    pthread_mutex_lock(&cache_lock);
    ok = cache_dir != NULL;
    pthread_mutex_unlock(&cache_lock);
    if (!ok)
	return;
    memset(&plat, 0, sizeof(plat));
    (void) hs_populate_platform(&plat);
    if ((ctx = EVP_MD_CTX_new()) == NULL)
	return;
    ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1
	&& EVP_DigestUpdate(ctx, RULES_CACHE_MAGIC, 8) == 1
	&& EVP_DigestUpdate(ctx, ver, strlen(ver) + 1) == 1
	&& EVP_DigestUpdate(ctx, &plat.tune, sizeof(plat.tune)) == 1
	&& EVP_DigestUpdate(ctx, &plat.cpu_features, sizeof(plat.cpu_features)) == 1;

    /*
     * Exactly what would be compiled: each rule's expression as this
     * program translated it, its flags, the database it goes to.
     */
    for (i = 0; ok && i < r->n_rules; i++) {
	unsigned char how[3] = {r->rules[i].lines, r->rules[i].som, r->rules[i].phrase != NULL};

	ok = EVP_DigestUpdate(ctx, how, sizeof(how)) == 1
	    && EVP_DigestUpdate(ctx, &flags[i], sizeof(flags[i])) == 1
	    && EVP_DigestUpdate(ctx, exprs[i], strlen(exprs[i]) + 1) == 1;
    }
    if (ok && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 32)
	sm_hex(md, 32, key);
    EVP_MD_CTX_free(ctx);
}

 /*
  * The file: MAGIC, u32 rules, u32 has-lines; per rule u8 no_som, u8
  * has-som-db, u32 max_width, u32 min_width; then each database as u64
  * length and bytes (flowing, lines if any, S rules' in rule order);
  * last the SHA-256 of everything before it.
  */
struct cache_buf {
    unsigned char *data;
    size_t  len;
    size_t  cap;
    size_t  pos;			/* reading */
    int     bad;
};

static void put(struct cache_buf *b, const void *p, size_t n)
{
    if (b->bad)
	return;
    if (b->len + n > b->cap) {
	size_t  cap = b->cap ? b->cap : 65536;
	unsigned char *d;

	while (cap < b->len + n)
	    cap *= 2;
	if (cap > RULES_CACHE_MAX_BYTES || (d = realloc(b->data, cap)) == NULL) {
	    b->bad = 1;
	    return;
	}
	b->data = d;
	b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void put_db(struct cache_buf *b, const hs_database_t *db)
{
    char   *bytes = NULL;
    size_t  n = 0;
    uint64_t len;

    if (hs_serialize_database(db, &bytes, &n) != HS_SUCCESS) {
	b->bad = 1;
	return;
    }
    len = n;
    put(b, &len, sizeof(len));
    put(b, bytes, n);
    free(bytes);
}

static int get(struct cache_buf *b, void *p, size_t n)
{
    if (b->bad || b->len - b->pos < n) {
	b->bad = 1;
	return (-1);
    }
    memcpy(p, b->data + b->pos, n);
    b->pos += n;
    return (0);
}

static hs_database_t *get_db(struct cache_buf *b)
{
    hs_database_t *db = NULL;
    uint64_t len;

    if (get(b, &len, sizeof(len)) < 0 || len > b->len - b->pos) {
	b->bad = 1;
	return (NULL);
    }
    if (hs_deserialize_database((const char *) b->data + b->pos, (size_t) len, &db) != HS_SUCCESS) {
	b->bad = 1;
	return (NULL);
    }
    b->pos += (size_t) len;
    return (db);
}

static int digest(const unsigned char *p, size_t n, unsigned char md[32])
{
    unsigned mdlen = 0;

    return (EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL) == 1 && mdlen == 32 ? 0 : -1);
}

/* rules_cache_load - the databases of key into r; 0 done, -1 compile */

int     rules_cache_load(struct triage_rules *r, const char *key)
{
    struct cache_buf b;
    struct stat st;
    unsigned char md[32];
    char    path[PATH_MAX], magic[8];
    uint32_t n_rules, has_lines;
    size_t  i;
    int     fd;

    if (key[0] == 0 || !cache_path(key, RULES_CACHE_SUFFIX, path, sizeof(path)))
	return (-1);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
	return (-1);
    memset(&b, 0, sizeof(b));
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 8 + 8 + 32
	|| (uint64_t) st.st_size > RULES_CACHE_MAX_BYTES
	|| (b.data = malloc((size_t) st.st_size)) == NULL
	|| sm_read_all(fd, b.data, (size_t) st.st_size) != (ssize_t) st.st_size) {
	close(fd);
	free(b.data);
	return (-1);
    }
    close(fd);
    b.len = (size_t) st.st_size - 32;
    if (digest(b.data, b.len, md) < 0 || memcmp(md, b.data + b.len, 32) != 0)
	goto bad;
    if (get(&b, magic, 8) < 0 || memcmp(magic, RULES_CACHE_MAGIC, 8) != 0
	|| get(&b, &n_rules, 4) < 0 || get(&b, &has_lines, 4) < 0
	|| n_rules != r->n_rules || (has_lines != 0) != (r->n_flow < r->n_rules))
	goto bad;

    /*
     * What the load decided per rule, then the databases. A rule with
     * the S flag has its own database unless Hyperscan could not track
     * its start (no_som); no other rule has one.
     */
    for (i = 0; i < r->n_rules; i++) {
	unsigned char no_som, has_som;
	uint32_t maxw, minw;

	if (get(&b, &no_som, 1) < 0 || get(&b, &has_som, 1) < 0
	    || get(&b, &maxw, 4) < 0 || get(&b, &minw, 4) < 0
	    || has_som != (r->rules[i].som && !no_som) || minw > maxw)
	    goto bad;
	r->rules[i].no_som = no_som;
	r->rules[i].max_width = maxw;
	r->rules[i].min_width = minw;
    }
    if ((r->db = get_db(&b)) == NULL || (has_lines && (r->db_lines = get_db(&b)) == NULL))
	goto bad;
    for (i = 0; i < r->n_rules; i++)
	if (r->rules[i].som && !r->rules[i].no_som
	    && (r->rules[i].som_db = get_db(&b)) == NULL)
	    goto bad;
    if (b.pos != b.len)
	goto bad;
    free(b.data);
    return (0);

bad:
    free(b.data);
    for (i = 0; i < r->n_rules; i++) {
	if (r->rules[i].som_db != NULL)
	    hs_free_database(r->rules[i].som_db);
	r->rules[i].som_db = NULL;
    }
    if (r->db != NULL)
	hs_free_database(r->db);
    if (r->db_lines != NULL)
	hs_free_database(r->db_lines);
    r->db = r->db_lines = NULL;
    return (-1);
}

/* cache_prune - keep the RULES_CACHE_KEEP newest files; old temporaries go */

static void cache_prune(const char *dir)
{
    struct entry {
	char    name[NAME_MAX + 1];
	struct timespec mtime;
    }      *e = NULL, *ne;
    size_t  n = 0, i, j, sl = strlen(RULES_CACHE_SUFFIX);
    struct dirent *de;
    struct stat st;
    char    path[PATH_MAX];
    DIR    *d;

    if ((d = opendir(dir)) == NULL)
	return;
    while ((de = readdir(d)) != NULL) {
	size_t  len = strlen(de->d_name);

	if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int) sizeof(path)
	    || lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
	    continue;
	/* A temporary a writer left behind more than an hour ago. */
	if (strstr(de->d_name, RULES_CACHE_SUFFIX ".tmp.") != NULL) {
	    if (st.st_mtime < time(NULL) - 3600)
		(void) unlink(path);
	    continue;
	}
	if (len <= sl || strcmp(de->d_name + len - sl, RULES_CACHE_SUFFIX) != 0)
	    continue;
	if ((ne = realloc(e, (n + 1) * sizeof(*e))) == NULL)
	    break;
	e = ne;
	memcpy(e[n].name, de->d_name, len + 1);
	e[n++].mtime = st.st_mtim;
    }
    closedir(d);
    /* Newest first (a few files: insertion sort). */
    for (i = 1; i < n; i++)
	for (j = i; j > 0 && (e[j].mtime.tv_sec > e[j - 1].mtime.tv_sec
			      || (e[j].mtime.tv_sec == e[j - 1].mtime.tv_sec
				  && e[j].mtime.tv_nsec > e[j - 1].mtime.tv_nsec)); j--) {
	    struct entry t = e[j];

	    e[j] = e[j - 1];
	    e[j - 1] = t;
	}
    for (i = RULES_CACHE_KEEP; i < n; i++)
	if (snprintf(path, sizeof(path), "%s/%s", dir, e[i].name) < (int) sizeof(path))
	    (void) unlink(path);
    free(e);
}

/* rules_cache_save - write the databases of r under key; quietly */

void    rules_cache_save(const struct triage_rules *r, const char *key)
{
    struct cache_buf b;
    unsigned char md[32];
    char    path[PATH_MAX], tmp[PATH_MAX], suffix[64], *dir, *slash;
    uint32_t n_rules = (uint32_t) r->n_rules, has_lines = r->db_lines != NULL;
    size_t  i;
    int     fd;

    if (key[0] == 0 || r->db == NULL || !cache_path(key, RULES_CACHE_SUFFIX, path, sizeof(path)))
	return;
    snprintf(suffix, sizeof(suffix), RULES_CACHE_SUFFIX ".tmp.%ld", (long) getpid());
    if (!cache_path(key, suffix, tmp, sizeof(tmp)))
	return;
    memset(&b, 0, sizeof(b));
    put(&b, RULES_CACHE_MAGIC, 8);
    put(&b, &n_rules, 4);
    put(&b, &has_lines, 4);
    for (i = 0; i < r->n_rules; i++) {
	unsigned char no_som = r->rules[i].no_som, has_som = r->rules[i].som_db != NULL;
	uint32_t maxw = r->rules[i].max_width, minw = r->rules[i].min_width;

	put(&b, &no_som, 1);
	put(&b, &has_som, 1);
	put(&b, &maxw, 4);
	put(&b, &minw, 4);
    }
    put_db(&b, r->db);
    if (r->db_lines != NULL)
	put_db(&b, r->db_lines);
    for (i = 0; i < r->n_rules; i++)
	if (r->rules[i].som_db != NULL)
	    put_db(&b, r->rules[i].som_db);
    if (b.bad || digest(b.data, b.len, md) < 0) {
	free(b.data);
	return;
    }
    put(&b, md, 32);

    /* The directory, then a temporary renamed into place. */
    if ((dir = strdup(path)) != NULL && (slash = strrchr(dir, '/')) != NULL) {
	*slash = 0;
	(void) sm_mkdir_p(dir, 0700);
    }
    if (!b.bad && (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600)) >= 0) {
	int     ok = sm_write_all(fd, b.data, b.len) == 0;

	if (close(fd) < 0)
	    ok = 0;
	if (!ok || rename(tmp, path) < 0)
	    (void) unlink(tmp);
	else if (dir != NULL)
	    cache_prune(dir);
    }
    free(dir);
    free(b.data);
}
