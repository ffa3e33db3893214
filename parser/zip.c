/*++
/* NAME
/*	zip 3
/* SUMMARY
/*	the listing of a zip archive from its last bytes, and the bomb verdict
/* SYNOPSIS
/*	#include "parser/parser_private.h"
/*
/*	struct report_zip *zip_list(window, len, fed, bounds, report, refined)
/* DESCRIPTION
/*	zip_list() reads the window attach.c kept of an archive's last
/*	bytes (ZIP_WINDOW_BYTES: the central directory up to ZIP_CD_BYTES,
/*	the end of central directory record and its longest comment); fed
/*	is the archive's whole size.
/*
/*	Zip listing: the end of central directory record (and the ZIP64
/*	locator and record) is searched in the window, the central
/*	directory is taken to end where that record starts and to be as
/*	long as the record says; offsets written in the archive are never
/*	used to find anything, only compared to each other (overlapping
/*	members). Every length is checked against the window and the walk
/*	stops after max_zip_entries + 1 entries.
/*
/*	When the central directory is longer than the window, the walk
/*	starts at the first entry signature inside it: entries, sizes and
/*	members then describe what fits, entries is a lower bound (but at
/*	least what the end record claims) and REPORT_F_OVERSIZE is set.
/*
/*	Bomb: more entries than max_zip_entries; a claimed total ratio past
/*	max_zip_ratio once the claimed size passes ZIP_RATIO_MIN_BYTES
/*	(a small file of spaces compresses a thousandfold and is no bomb);
/*	a claimed total past bounds->max_uncompressed (ATTACH_ZIP_MAX_FACTOR
/*	times max_message_bytes, attach.c);
/*	a nested archive member whose own ratio passes ZIP_NESTED_RATIO
/*	(42.zip); members whose data overlap (Fifield's non-recursive bomb).
/*
/*	The members' names tell an OOXML document, a Java or an Android
/*	archive: *refined gets that type.
/*
/*	What this file never does: decompress, extract, or trust a size,
/*	count or offset written by the sender.
/* DIAGNOSTICS
/*	NULL when there is no readable end record (or out of memory). A
/*	central directory that does not parse sets REPORT_F_MALFORMED; a
/*	cut one REPORT_F_OVERSIZE.
/*--*/

/* System library. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Utility library. */

#include "util/util.h"

/* Application-specific. */

#include "parser/report.h"
#include "parser/parser_private.h"

#define ZIP_CDE_BYTES		46	/* central directory entry, fixed */
#define ZIP_NAME_MAX		255	/* bytes of a member name kept */
#define ZIP_RATIO_MIN_BYTES	(1024 * 1024)	/* ratio test from here */
#define ZIP_NESTED_RATIO	10	/* an archive inside, compressed */

 /*
  * A member's local header offset and compressed size, as claimed.
  */
struct zip_extent {
    uint64_t offset;
    uint64_t csize;
};

 /*
  * What the walk of a central directory found.
  */
struct zip_walk {
    struct report_zip *zip;
    struct zip_extent *extents;		/* claimed: where each member's data is */
    size_t  n_extents;
    int     nested_bomb;
    int     overlap;
    int     malformed;
    int     has_content_types;		/* [Content_Types].xml: OOXML */
    int     has_word, has_xl, has_ppt;
    int     has_manifest;		/* META-INF/MANIFEST.MF: a jar */
    int     has_android;		/* AndroidManifest.xml: an apk */
};

static char *zip_name_dup(const unsigned char *, size_t);
static void zip_note_name(struct zip_walk *, const unsigned char *, size_t);
static int zip64_extra(const unsigned char *, size_t, uint32_t, uint32_t,
		               uint64_t *, uint64_t *, uint64_t *);
static int zip_entry(struct zip_walk *, const unsigned char *, size_t, size_t *);
static int cmp_extent(const void *, const void *);

/* zip_name_dup - a member name: valid UTF-8 ('?' for the rest), bounded */

static char *zip_name_dup(const unsigned char *p, size_t n)
{
    char   *out;
    size_t  i = 0, o = 0;
    int     r;

    if (n > ZIP_NAME_MAX)
	n = ZIP_NAME_MAX;
    if ((out = malloc(n + 1)) == NULL)
	return (NULL);

    /*
     * Names without the UTF-8 flag are often CP437: those bytes, and a
     * character the bound cut, become '?'. NUL ends nothing: '?' too.
     */
    while (i < n) {
	r = p[i] == 0 ? -1 : u8_seq_len(p + i, n - i);
	if (r <= 0) {
	    out[o++] = '?';
	    i++;
	    continue;
	}
	memcpy(out + o, p + i, (size_t) r);
	o += (size_t) r;
	i += (size_t) r;
    }
    out[o] = 0;
    return (out);
}

/* zip_note_name - what a member name says about the archive */

static void zip_note_name(struct zip_walk *w, const unsigned char *p, size_t n)
{
    const char *s = (const char *) p;

    if (n == 19 && memcmp(s, "[Content_Types].xml", 19) == 0)
	w->has_content_types = 1;
    else if (n > 5 && memcmp(s, "word/", 5) == 0)
	w->has_word = 1;
    else if (n > 3 && memcmp(s, "xl/", 3) == 0)
	w->has_xl = 1;
    else if (n > 4 && memcmp(s, "ppt/", 4) == 0)
	w->has_ppt = 1;
    else if (n == 20 && memcmp(s, "META-INF/MANIFEST.MF", 20) == 0)
	w->has_manifest = 1;
    else if (n == 19 && memcmp(s, "AndroidManifest.xml", 19) == 0)
	w->has_android = 1;
}

/* zip64_extra - 64-bit sizes from the ZIP64 extra field, when marked */

static int zip64_extra(const unsigned char *p, size_t n, uint32_t usize32,
		               uint32_t csize32, uint64_t *usize, uint64_t *csize,
		               uint64_t *offset)
{
    size_t  i = 0, len, k;

    /*
     * Extra fields are (id, length, data) records; each step advances
     * at least four bytes, and the data must fit.
     */
    while (i + 4 <= n) {
	len = le16(p + i + 2);
	if (i + 4 + len > n)
	    return (-1);
	if (le16(p + i) == 0x0001) {
	    k = i + 4;
	    if (usize32 == 0xFFFFFFFF) {
		if (k + 8 > i + 4 + len)
		    return (-1);
		*usize = le64(p + k), k += 8;
	    }
	    if (csize32 == 0xFFFFFFFF) {
		if (k + 8 > i + 4 + len)
		    return (-1);
		*csize = le64(p + k), k += 8;
	    }
	    if (*offset == 0xFFFFFFFF && k + 8 <= i + 4 + len)
		*offset = le64(p + k);
	    return (0);
	}
	i += 4 + len;
    }
    return (0);
}

/* zip_entry - one central directory entry at win[*pos], bounded by end */

static int zip_entry(struct zip_walk *w, const unsigned char *win, size_t end,
		             size_t *pos)
{
    const unsigned char *e = win + *pos;
    struct report_zip *z = w->zip;
    size_t  nlen, xlen, clen, next;
    uint32_t usize32, csize32;
    uint64_t usize, csize, offset;
    const char *name;

    /*
     * The fixed part and the three variable ones must lie before end.
     */
    if (end - *pos < ZIP_CDE_BYTES || le32(e) != 0x02014b50)
	return (-1);
    nlen = le16(e + 28);
    xlen = le16(e + 30);
    clen = le16(e + 32);
    next = *pos + ZIP_CDE_BYTES + nlen + xlen + clen;
    if (next > end)
	return (-1);

    /*
     * Sizes: 32-bit, or 64-bit in the ZIP64 extra field. Sums saturate.
     */
    csize32 = le32(e + 20);
    usize32 = le32(e + 24);
    usize = usize32, csize = csize32, offset = le32(e + 42);
    if (zip64_extra(e + ZIP_CDE_BYTES + nlen, xlen, usize32, csize32,
		    &usize, &csize, &offset) < 0)
	w->malformed = 1;
    z->uncompressed = UINT64_MAX - z->uncompressed < usize ?
	UINT64_MAX : z->uncompressed + usize;
    z->compressed = UINT64_MAX - z->compressed < csize ?
	UINT64_MAX : z->compressed + csize;
    if (le16(e + 8) & 1)
	z->encrypted = 1;
    if (w->extents) {
	w->extents[w->n_extents].offset = offset;
	w->extents[w->n_extents].csize = csize;
	w->n_extents++;
    }

    /*
     * The name: what it says about the archive, a nested archive that
     * compresses too well, and the first members listed.
     */
    name = (const char *) e + ZIP_CDE_BYTES;
    zip_note_name(w, e + ZIP_CDE_BYTES, nlen);
    if ((has_suffix_ci(name, nlen, ".zip") || has_suffix_ci(name, nlen, ".jar")
	 || has_suffix_ci(name, nlen, ".gz") || has_suffix_ci(name, nlen, ".7z")
	 || has_suffix_ci(name, nlen, ".rar") || has_suffix_ci(name, nlen, ".xz")
	 || has_suffix_ci(name, nlen, ".bz2"))
	&& csize > 0 && usize / csize > ZIP_NESTED_RATIO)
	w->nested_bomb = 1;
    if (z->n_members < REPORT_ZIP_LIST_MAX) {
	char   *copy = zip_name_dup(e + ZIP_CDE_BYTES, nlen);

	if (copy) {
	    z->members[z->n_members].name = copy;
	    z->members[z->n_members].size = usize;
	    z->n_members++;
	}
    }
    z->entries++;
    *pos = next;
    return (0);
}

/* cmp_extent - qsort order of members: by local header offset */

static int cmp_extent(const void *a, const void *b)
{
    uint64_t x = ((const struct zip_extent *) a)->offset;
    uint64_t y = ((const struct zip_extent *) b)->offset;

    return (x < y ? -1 : x > y);
}

/* zip_list - the listing from the window, or NULL when there is none */

struct report_zip *zip_list(const unsigned char *win, size_t len, uint64_t fed,
			            const struct zip_bounds *zb, struct report *rep,
			            const char **ooxml)
{
    struct zip_walk w;
    struct report_zip *z;
    size_t  eocd = 0, cd_end, cd_start, pos, lowest;
    uint64_t cd_size, claimed;
    int     found = 0, partial = 0;
    unsigned limit;

    /*
     * The end record: searched backwards over at most the longest
     * comment; its comment must fit in what follows it.
     */
    if (len < ZIP_EOCD_BYTES)
	return (NULL);
    lowest = len - ZIP_EOCD_BYTES > ZIP_COMMENT_MAX ?
	len - ZIP_EOCD_BYTES - ZIP_COMMENT_MAX : 0;
    for (size_t i = len - ZIP_EOCD_BYTES + 1; i-- > lowest;) {
	if (le32(win + i) == 0x06054b50
	    && i + ZIP_EOCD_BYTES + le16(win + i + 20) <= len) {
	    eocd = i;
	    found = 1;
	    break;
	}
    }
    if (!found)
	return (NULL);
    cd_size = le32(win + eocd + 12);
    claimed = le16(win + eocd + 10);
    cd_end = eocd;

    /*
     * ZIP64: the locator right before the end record, the ZIP64 record
     * right before the locator (its size field must say so). Its
     * offset in the locator is a file offset: not used.
     */
    if (eocd >= ZIP64_LOC_BYTES + ZIP64_EOCD_BYTES
	&& le32(win + eocd - ZIP64_LOC_BYTES) == 0x07064b50) {
	size_t  r = eocd - ZIP64_LOC_BYTES - ZIP64_EOCD_BYTES;

	if (le32(win + r) == 0x06064b50 && le64(win + r + 4) == ZIP64_EOCD_BYTES - 12) {
	    claimed = le64(win + r + 32);
	    cd_size = le64(win + r + 40);
	    cd_end = r;
	} else {
	    rep->flags |= REPORT_F_MALFORMED;
	}
    }

    /*
     * The listing, with room for the first members and the offsets of
     * as many entries as the walk may visit.
     */
    if ((z = calloc(1, sizeof(*z))) == NULL)
	return (NULL);
    if ((z->members = calloc(REPORT_ZIP_LIST_MAX, sizeof(*z->members))) == NULL) {
	free(z);
	return (NULL);
    }
    memset(&w, 0, sizeof(w));
    w.zip = z;
    limit = zb->max_entries < UINT32_MAX ? zb->max_entries + 1 : UINT32_MAX;
    if (limit > cd_end / ZIP_CDE_BYTES + 1)
	limit = (unsigned) (cd_end / ZIP_CDE_BYTES + 1);
    w.extents = calloc(limit, sizeof(*w.extents));

    /*
     * Where the directory starts: cd_size before its end when that is
     * in the window; else at the first entry signature in the window.
     */
    if (cd_size <= cd_end) {
	cd_start = cd_end - (size_t) cd_size;
    } else if (fed > len) {
	partial = 1;
	cd_start = cd_end;
	if (cd_end >= 4)
	    for (size_t i = 0; i + 4 <= cd_end; i++)
		if (le32(win + i) == 0x02014b50) {
		    cd_start = i;
		    break;
		}
    } else {
	cd_start = cd_end;
	w.malformed = 1;			/* longer than the whole file */
    }

    /*
     * The walk: bounded by the entry limit and by the directory's end;
     * every step advances at least ZIP_CDE_BYTES.
     */
    pos = cd_start;
    while (pos < cd_end && z->entries < limit) {
	if (zip_entry(&w, win, cd_end, &pos) < 0) {
	    w.malformed = 1;
	    break;
	}
    }
    if (!partial && z->entries < limit && z->entries != claimed
	&& claimed != 0xFFFF)
	w.malformed = 1;

    /*
     * A cut directory: what fits is a lower bound, and the record's
     * claim counts too.
     */
    if (partial) {
	rep->flags |= REPORT_F_OVERSIZE;
	if (claimed > z->entries)
	    z->entries = claimed > UINT32_MAX ? UINT32_MAX : (unsigned) claimed;
    }

    /*
     * Overlapping members: sorted by offset, one member's data reaching
     * the next one's header (a real archive puts a header and the name
     * between them). Offsets are only compared with each other.
     */
    if (w.extents && w.n_extents > 1) {
	qsort(w.extents, w.n_extents, sizeof(*w.extents), cmp_extent);
	for (size_t i = 1; i < w.n_extents && !w.overlap; i++)
	    if (w.extents[i].offset - w.extents[i - 1].offset
		<= w.extents[i - 1].csize)
		w.overlap = 1;
    }
    free(w.extents);

    /*
     * The verdict.
     */
    z->bomb = z->entries > zb->max_entries
	|| z->uncompressed > zb->max_uncompressed
	|| (z->uncompressed >= ZIP_RATIO_MIN_BYTES
	    && (z->compressed == 0
		|| z->uncompressed / z->compressed > zb->max_ratio))
	|| w.nested_bomb || w.overlap;
    if (w.malformed)
	rep->flags |= REPORT_F_MALFORMED;
    if (w.has_content_types && w.has_word)
	*ooxml = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    else if (w.has_content_types && w.has_xl)
	*ooxml = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    else if (w.has_content_types && w.has_ppt)
	*ooxml = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    else if (w.has_android)
	*ooxml = "application/vnd.android.package-archive";
    else if (w.has_manifest)
	*ooxml = "application/java-archive";
    return (z);
}
