/*++
/* NAME
/*	blob 3
/* SUMMARY
/*	content-addressed attachment files under StateDirectory/att/
/* SYNOPSIS
/*	#include "store/store.h"
/*
/*	struct store_blob *store_blob_begin(store)
/*	int	store_blob_write(blob, data, len)
/*	char	*store_blob_end(blob, sha256_hex)
/*	void	store_blob_abort(blob)
/* DESCRIPTION
/*	An attachment is written, while the parser decodes it, to a new
/*	temporary file att/tmp.XXXXXX (O_EXCL, O_CLOEXEC, mode 0600).
/*	store_blob_end() names it by the SHA-256 of its content: the file
/*	is fsync()ed (unless STORE_F_NOSYNC) and renamed to att/XX/SHA256,
/*	XX being the first two digits (directories mode 0700). When that
/*	name exists already, the content is the same: the temporary file
/*	is removed and the existing one stays. store_blob_end() returns
/*	the malloc()ed relative name "att/XX/SHA256".
/*
/*	The digest is checked (64 lower-case hex digits) before it is put
/*	in a path: the parser computes it, but from sender bytes.
/*
/*	Every function frees the blob it is given except store_blob_write().
/*	Thread safe: a blob is one thread's; the only thing blobs share is
/*	the directory, and names there are unique (mkstemp) or final (the
/*	same content under the same name).
/*
/*	Never: a name made from sender text, a partial file under a final
/*	name, a file left behind by store_blob_abort().
/* DIAGNOSTICS
/*	store_blob_begin() and store_blob_end() return NULL, and
/*	store_blob_write() -1, with errno set. A failed write makes
/*	store_blob_end() fail too.
/*--*/

/* System library. */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Utility library. */

#include "util/util.h"

/* Application-specific. */

#include "store/store.h"
#include "store/store_private.h"

#define BLOB_DIR	"att"		/* under StateDirectory */
#define BLOB_HEX_LEN	64		/* SHA-256, hex */

struct store_blob {
    char    tmp[PATH_MAX];		/* the temporary file */
    char    dir[PATH_MAX];		/* StateDirectory */
    int     fd;
    int     nosync;
    int     failed;			/* a write failed: never named */
};

static int blob_hex_valid(const char *);

/* blob_hex_valid - exactly 64 lower-case hex digits */

static int blob_hex_valid(const char *hex)
{
    if (hex == NULL)
	return (0);
    for (int i = 0; i < BLOB_HEX_LEN; i++)
	if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
	    return (0);
    return (hex[BLOB_HEX_LEN] == 0);
}

/* store_blob_begin - a new temporary file under att/ */

struct store_blob *store_blob_begin(struct store *st)
{
    struct store_blob *b;
    char    dir[PATH_MAX];
    int     saved;

    if (st == NULL || (st->flags & STORE_F_RDONLY)) {
	errno = EPERM;
	return (NULL);
    }
    if ((b = calloc(1, sizeof(*b))) == NULL)
	return (NULL);
    b->fd = -1;
    b->nosync = (st->flags & STORE_F_NOSYNC) != 0;

    /*
     * att/ exists after the first blob; mkstemp() opens O_EXCL, 0600.
     */
    if ((size_t) snprintf(b->dir, sizeof(b->dir), "%s", store_dir(st)) >= sizeof(b->dir)
	|| (size_t) snprintf(dir, sizeof(dir), "%s/%s", b->dir, BLOB_DIR) >= sizeof(dir)
	|| (size_t) snprintf(b->tmp, sizeof(b->tmp), "%s/tmp.XXXXXX", dir) >= sizeof(b->tmp)) {
	free(b);
	errno = ENAMETOOLONG;
	return (NULL);
    }
    if (sm_mkdir_p(dir, 0700) < 0 || (b->fd = mkostemp(b->tmp, O_CLOEXEC)) < 0) {
	saved = errno;
	free(b);
	errno = saved;
	return (NULL);
    }
    return (b);
}

/* store_blob_write - append to the temporary file */

int     store_blob_write(struct store_blob *b, const void *data, size_t len)
{
    if (b == NULL || b->failed) {
	errno = EIO;
	return (-1);
    }
    if (sm_write_all(b->fd, data, len) < 0) {
	b->failed = 1;
	return (-1);
    }
    return (0);
}

/* store_blob_end - sync, name the file by its digest, free the blob */

char   *store_blob_end(struct store_blob *b, const char *sha256_hex)
{
    char    sub[PATH_MAX], final[PATH_MAX], *rel = NULL;
    struct stat sb;
    int     saved = 0;

    if (b == NULL) {
	errno = EINVAL;
	return (NULL);
    }

    /*
     * A bad name or a failed write keeps nothing.
     */
    if (!blob_hex_valid(sha256_hex) || b->failed) {
	saved = b->failed ? EIO : EINVAL;
	goto fail;
    }
    if ((!b->nosync && fsync(b->fd) < 0) || close(b->fd) < 0) {
	b->fd = -1;
	saved = errno;
	goto fail;
    }
    b->fd = -1;

    /*
     * att/XX/, then the file under its final name; the same content
     * may already be there.
     */
    if ((size_t) snprintf(sub, sizeof(sub), "%s/%s/%.2s", b->dir, BLOB_DIR,
			  sha256_hex) >= sizeof(sub)
	|| (size_t) snprintf(final, sizeof(final), "%s/%s", sub, sha256_hex) >= sizeof(final)) {
	saved = ENAMETOOLONG;
	goto fail;
    }
    if (sm_mkdir_p(sub, 0700) < 0) {
	saved = errno;
	goto fail;
    }
    if (lstat(final, &sb) == 0) {
	unlink(b->tmp);
    } else if (rename(b->tmp, final) < 0) {
	saved = errno;
	goto fail;
    } else if (!b->nosync) {
	sm_fsync_dir(sub);
    }
    if ((rel = malloc(sizeof(BLOB_DIR) + 3 + BLOB_HEX_LEN + 1)) == NULL) {
	free(b);
	return (NULL);
    }
    sprintf(rel, "%s/%.2s/%s", BLOB_DIR, sha256_hex, sha256_hex);
    free(b);
    return (rel);

fail:
    store_blob_abort(b);
    errno = saved;
    return (NULL);
}

/* store_blob_abort - drop the temporary file, free the blob */

void    store_blob_abort(struct store_blob *b)
{
    if (b == NULL)
	return;
    if (b->fd >= 0)
	close(b->fd);
    unlink(b->tmp);
    free(b);
}
