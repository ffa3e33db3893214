/*++
/* NAME
/*	attach 3
/* SUMMARY
/*	what an attachment really is: magic bytes and zip listings
/* SYNOPSIS
/*	#include "parser/parser_private.h"
/*
/*	struct attach_scan *attach_scan_new(limits)
/*	void	attach_scan_feed(scan, data, len)
/*	void	attach_scan_finish(scan, complete, report, attachment)
/*	void	attach_scan_free(scan)
/* DESCRIPTION
/*	report.c feeds each attachment's decoded bytes, chunk by chunk, to
/*	an attach_scan. It keeps the first ATTACH_HEAD_BYTES for the magic
/*	number and, when they start a zip archive, a ring of the last
/*	ATTACH_ZIP_WINDOW_BYTES: the central directory (up to 256 KiB of
/*	it), the end of central directory record and its longest comment.
/*
/*	Sniffing: PNG, JPEG, GIF, PDF, zip (and from its listing OOXML,
/*	Java and Android archives), OLE2, gzip, ELF, PE, pcap, pcapng;
/*	then text: shebang scripts, HTML, SVG, XML, HAR, JSON and plain
/*	UTF-8. Anything else is unknown (NULL). The declared type
/*	mismatches when both fall in different families (image, text,
/*	archive, office, executable, capture, PDF, ...). Never a
/*	mismatch: a declared application/octet-stream, an unknown sniff,
/*	plain text or JSON (no magic number, a guess), text/* against
/*	text/*, zip against application/x-zip-compressed, Office against
/*	zip or OLE2 (mailers label xlsx as vnd.ms-excel; encrypted OOXML
/*	is OLE2). A declared type we have no family for mismatches only
/*	an executable.
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
/*	max_zip_ratio once the claimed size passes ATTACH_ZIP_RATIO_MIN_BYTES
/*	(a small file of spaces compresses a thousandfold and is no bomb);
/*	a claimed total past ATTACH_ZIP_MAX_FACTOR times max_message_bytes;
/*	a nested archive member whose own ratio passes ATTACH_ZIP_NESTED_RATIO
/*	(42.zip); members whose data overlap (Fifield's non-recursive bomb).
/*
/*	What this file never does: decompress, extract, or trust a size,
/*	count or offset written by the sender.
/* DIAGNOSTICS
/*	A zip without a readable end record, or whose central directory
/*	does not parse, sets REPORT_F_MALFORMED (zip stays NULL when
/*	nothing could be listed). Out of memory loses the listing only.
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

#define ATTACH_HEAD_BYTES	512	/* kept for the magic number */
#define ATTACH_ZIP_CD_BYTES	(256 * 1024)	/* central directory kept */
#define ATTACH_ZIP_COMMENT_MAX	65535	/* longest archive comment */
#define ATTACH_ZIP_EOCD_BYTES	22	/* end of central directory */
#define ATTACH_ZIP64_LOC_BYTES	20	/* ZIP64 end locator */
#define ATTACH_ZIP64_EOCD_BYTES	56	/* ZIP64 end record, fixed part */
#define ATTACH_ZIP_WINDOW_BYTES	(ATTACH_ZIP_CD_BYTES + ATTACH_ZIP_COMMENT_MAX \
	+ ATTACH_ZIP_EOCD_BYTES + ATTACH_ZIP64_LOC_BYTES + ATTACH_ZIP64_EOCD_BYTES)
#define ATTACH_ZIP_CDE_BYTES	46	/* central directory entry, fixed */
#define ATTACH_ZIP_NAME_MAX	255	/* bytes of a member name kept */
#define ATTACH_ZIP_MAX_FACTOR	16	/* claimed total / max_message_bytes */
#define ATTACH_ZIP_MAX_DEFAULT	(1ULL << 30)	/* when max_message_bytes is 0 */
#define ATTACH_ZIP_RATIO_MIN_BYTES (1024 * 1024)	/* ratio test from here */
#define ATTACH_ZIP_NESTED_RATIO	10	/* an archive inside, compressed */
#define ATTACH_HTML_PROBE_BYTES	ATTACH_HEAD_BYTES	/* where HTML tags count */

 /*
  * Type families: the declared and the sniffed type mismatch when their
  * families differ (with the exceptions in attach_mismatch()).
  */
enum attach_family {
    FAM_NONE,				/* says nothing: octet-stream */
    FAM_WEAK,				/* a guess: plain text, JSON */
    FAM_TEXT,				/* text that a program may run or render */
    FAM_IMAGE,
    FAM_MEDIA,
    FAM_PDF,
    FAM_ZIP,
    FAM_OLE,
    FAM_OFFICE,				/* declared Office: zip or OLE2 */
    FAM_GZIP,
    FAM_EXEC,
    FAM_PCAP,
    FAM_OTHER,				/* declared, no family known */
};

struct attach_scan {
    unsigned char head[ATTACH_HEAD_BYTES];
    size_t  nhead;
    uint64_t total;			/* decoded bytes fed */
    int     decided;			/* zip or not, known */
    int     is_zip;
    unsigned char *ring;		/* the last bytes of a zip; NULL if none */
    size_t  ring_cap;
    uint64_t ring_fed;			/* bytes pushed into the ring */
    unsigned max_entries;
    unsigned max_ratio;
    uint64_t max_uncompressed;
};

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

static uint16_t le16(const unsigned char *);
static uint32_t le32(const unsigned char *);
static uint64_t le64(const unsigned char *);
static void ring_push(struct attach_scan *, const unsigned char *, size_t);
static size_t ring_linear(struct attach_scan *);
static void mem_reverse(unsigned char *, size_t);
static int mem_has_ci(const unsigned char *, size_t, const char *);
static int head_is_text(const unsigned char *, size_t, int);
static int u8_len(const unsigned char *, size_t);
static const char *sniff_head(const unsigned char *, size_t);
static enum attach_family family_of_sniffed(const char *);
static enum attach_family family_of_declared(const char *);
static int attach_mismatch(const char *, const char *);
static int has_suffix_ci(const char *, size_t, const char *);
static char *zip_name_dup(const unsigned char *, size_t);
static void zip_note_name(struct zip_walk *, const unsigned char *, size_t);
static int zip64_extra(const unsigned char *, size_t, uint32_t, uint32_t,
		               uint64_t *, uint64_t *, uint64_t *);
static int zip_entry(struct zip_walk *, const unsigned char *, size_t, size_t *);
static int cmp_extent(const void *, const void *);
static struct report_zip *zip_list(struct attach_scan *, const unsigned char *,
				           size_t, struct report *, const char **);

/* le16, le32, le64 - little-endian fields; the caller checked the bounds */

static uint16_t le16(const unsigned char *p)
{
    return ((uint16_t) (p[0] | (p[1] << 8)));
}

static uint32_t le32(const unsigned char *p)
{
    return ((uint32_t) p[0] | ((uint32_t) p[1] << 8)
	    | ((uint32_t) p[2] << 16) | ((uint32_t) p[3] << 24));
}

static uint64_t le64(const unsigned char *p)
{
    return ((uint64_t) le32(p) | ((uint64_t) le32(p + 4) << 32));
}

/* attach_scan_new - a scan for one attachment */

struct attach_scan *attach_scan_new(const struct report_limits *lim)
{
    struct attach_scan *sc;

    if ((sc = calloc(1, sizeof(*sc))) == NULL)
	return (NULL);
    sc->max_entries = lim->max_zip_entries;
    sc->max_ratio = lim->max_zip_ratio;
    sc->max_uncompressed = lim->max_message_bytes > 0
	&& lim->max_message_bytes <= UINT64_MAX / ATTACH_ZIP_MAX_FACTOR ?
	(uint64_t) lim->max_message_bytes * ATTACH_ZIP_MAX_FACTOR :
	ATTACH_ZIP_MAX_DEFAULT;
    return (sc);
}

/* ring_push - keep the last ring_cap bytes fed */

static void ring_push(struct attach_scan *sc, const unsigned char *p, size_t n)
{
    size_t  pos, k;

    /*
     * Only the last ring_cap bytes of a long chunk can survive.
     */
    if (n > sc->ring_cap) {
	sc->ring_fed += n - sc->ring_cap;
	p += n - sc->ring_cap;
	n = sc->ring_cap;
    }

    /*
     * At most two copies: to the end of the ring, then from its start.
     */
    pos = (size_t) (sc->ring_fed % sc->ring_cap);
    k = sc->ring_cap - pos < n ? sc->ring_cap - pos : n;
    memcpy(sc->ring + pos, p, k);
    if (n > k)
	memcpy(sc->ring, p + k, n - k);
    sc->ring_fed += n;
}

/* attach_scan_feed - one chunk of decoded bytes */

void    attach_scan_feed(struct attach_scan *sc, const void *data, size_t n)
{
    const unsigned char *p = data;
    size_t  k;

    if (sc == NULL || n == 0)
	return;
    sc->total += n;

    /*
     * The first bytes, for the magic number.
     */
    k = ATTACH_HEAD_BYTES - sc->nhead < n ? ATTACH_HEAD_BYTES - sc->nhead : n;
    memcpy(sc->head + sc->nhead, p, k);
    sc->nhead += k;

    /*
     * A zip keeps its tail: the ring starts with the head bytes seen
     * before the decision, then takes every chunk whole.
     */
    if (!sc->decided) {
	if (sc->nhead < 4)
	    return;
	sc->decided = 1;
	sc->is_zip = sc->head[0] == 'P' && sc->head[1] == 'K'
	    && ((sc->head[2] == 3 && sc->head[3] == 4)
		|| (sc->head[2] == 5 && sc->head[3] == 6)
		|| (sc->head[2] == 7 && sc->head[3] == 8));
	if (!sc->is_zip)
	    return;
	sc->ring_cap = ATTACH_ZIP_WINDOW_BYTES;
	if ((sc->ring = malloc(sc->ring_cap)) == NULL)
	    return;
	ring_push(sc, sc->head, sc->nhead);
	ring_push(sc, p + k, n - k);
	return;
    }
    if (sc->ring)
	ring_push(sc, p, n);
}

/* mem_reverse - reverse a byte range in place */

static void mem_reverse(unsigned char *p, size_t n)
{
    unsigned char c;

    for (size_t i = 0, j = n; i + 1 < j; i++, j--) {
	c = p[i];
	p[i] = p[j - 1];
	p[j - 1] = c;
    }
}

/* ring_linear - rotate the ring in place so the window starts at 0 */

static size_t ring_linear(struct attach_scan *sc)
{
    size_t  pos;

    if (sc->ring_fed <= sc->ring_cap)
	return ((size_t) sc->ring_fed);

    /*
     * The oldest byte sits at the write position: three reversals
     * rotate it to the front without a second buffer.
     */
    pos = (size_t) (sc->ring_fed % sc->ring_cap);
    mem_reverse(sc->ring, pos);
    mem_reverse(sc->ring + pos, sc->ring_cap - pos);
    mem_reverse(sc->ring, sc->ring_cap);
    return (sc->ring_cap);
}

/* mem_has_ci - an ASCII needle anywhere in a bounded range, any case */

static int mem_has_ci(const unsigned char *p, size_t n, const char *needle)
{
    size_t  m = strlen(needle);

    for (size_t i = 0; i + m <= n; i++)
	if (strncasecmp((const char *) p + i, needle, m) == 0)
	    return (1);
    return (0);
}

/* u8_len - valid UTF-8 sequence length, 0 when cut short, -1 when invalid */

static int u8_len(const unsigned char *p, size_t avail)
{
    unsigned char c = p[0], lo, hi;
    int     need;

    if (c < 0x80)
	return (1);
    if (c < 0xC2)
	return (-1);
    need = c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
    if (need == 0)
	return (-1);
    for (int i = 1; i < need; i++) {
	if ((size_t) i >= avail)
	    return (0);
	lo = 0x80, hi = 0xBF;
	if (i == 1) {
	    if (c == 0xE0)
		lo = 0xA0;
	    else if (c == 0xED)
		hi = 0x9F;
	    else if (c == 0xF0)
		lo = 0x90;
	    else if (c == 0xF4)
		hi = 0x8F;
	}
	if (p[i] < lo || p[i] > hi)
	    return (-1);
    }
    return (need);
}

/* head_is_text - valid UTF-8, no NUL, only the usual controls */

static int head_is_text(const unsigned char *p, size_t n, int cut)
{
    size_t  i = 0;
    int     r;

    while (i < n) {
	if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r'
	    && p[i] != '\f' && p[i] != '\v' && p[i] != 0x1B)
	    return (0);
	if ((r = u8_len(p + i, n - i)) < 0)
	    return (0);
	if (r == 0)
	    return (cut);			/* the head ends inside a character */
	i += (size_t) r;
    }
    return (1);
}

/* sniff_head - a type from the first bytes, or NULL */

static const char *sniff_head(const unsigned char *p, size_t n)
{
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    const unsigned char *t;
    size_t  left;
    uint32_t m;

    if (n == 0)
	return (NULL);

    /*
     * Binary formats by their magic numbers.
     */
    if (n >= 8 && memcmp(p, png, 8) == 0)
	return ("image/png");
    if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
	return ("image/jpeg");
    if (n >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
	return ("image/gif");
    if (n >= 5 && memcmp(p, "%PDF-", 5) == 0)
	return ("application/pdf");
    if (n >= 4 && p[0] == 'P' && p[1] == 'K'
	&& ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6)
	    || (p[2] == 7 && p[3] == 8)))
	return ("application/zip");
    if (n >= 8 && memcmp(p, ole, 8) == 0)
	return ("application/vnd.ms-office");
    if (n >= 3 && p[0] == 0x1F && p[1] == 0x8B && p[2] == 8)
	return ("application/gzip");
    if (n >= 4 && memcmp(p, "\177ELF", 4) == 0)
	return ("application/x-executable");
    if (n >= 4) {
	m = (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
	if (m == 0xA1B2C3D4 || m == 0xD4C3B2A1 || m == 0xA1B23C4D || m == 0x4D3CB2A1)
	    return ("application/vnd.tcpdump.pcap");
	if (m == 0x0A0D0D0A)
	    return ("application/x-pcapng");
    }

    /*
     * MZ: the PE signature where e_lfanew points, when that is within
     * the head; otherwise a DOS header has NUL bytes, text does not.
     */
    if (n >= 64 && p[0] == 'M' && p[1] == 'Z') {
	uint32_t lfanew = le32(p + 60);

	if ((size_t) lfanew + 4 <= n ? memcmp(p + lfanew, "PE\0\0", 4) == 0
	    : memchr(p, 0, n) != NULL)
	    return ("application/x-dosexec");
    }

    /*
     * Text: past a BOM and white space. Scripts by their #! line.
     */
    if (!head_is_text(p, n, n == ATTACH_HEAD_BYTES))
	return (NULL);
    t = p, left = n;
    if (left >= 3 && t[0] == 0xEF && t[1] == 0xBB && t[2] == 0xBF)
	t += 3, left -= 3;
    if (left >= 2 && t[0] == '#' && t[1] == '!') {
	const unsigned char *eol = memchr(t, '\n', left);
	size_t  line = eol ? (size_t) (eol - t) : left;

	return (mem_has_ci(t, line, "python") ? "text/x-python" : "text/x-shellscript");
    }
    while (left > 0 && (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\n'
			|| *t == '\f'))
	t++, left--;
    if (left == 0)
	return ("text/plain");

    /*
     * Markup: HTML when one of its tags is in the first bytes (a
     * browser would render it), SVG, then any XML.
     */
    if (mem_has_ci(t, left, "<!doctype html") || mem_has_ci(t, left, "<html")
	|| mem_has_ci(t, left, "<script") || mem_has_ci(t, left, "<form")
	|| mem_has_ci(t, left, "<iframe") || mem_has_ci(t, left, "<body"))
	return ("text/html");
    if (mem_has_ci(t, left, "<svg"))
	return ("image/svg+xml");
    if (left >= 5 && strncmp((const char *) t, "<?xml", 5) == 0)
	return ("application/xml");

    /*
     * JSON, and HAR: a JSON object with a "log" key.
     */
    if (*t == '{' || *t == '[')
	return (*t == '{' && mem_has_ci(t, left, "\"log\"") ?
		"application/har+json" : "application/json");
    return ("text/plain");
}

/* family_of_sniffed - the family of one of sniff_head()'s answers */

static enum attach_family family_of_sniffed(const char *t)
{
    if (t == NULL)
	return (FAM_NONE);
    if (strcmp(t, "text/plain") == 0 || strcmp(t, "application/json") == 0
	|| strcmp(t, "application/har+json") == 0)
	return (FAM_WEAK);
    if (strncmp(t, "image/", 6) == 0)
	return (strcmp(t, "image/svg+xml") == 0 ? FAM_TEXT : FAM_IMAGE);
    if (strncmp(t, "text/", 5) == 0 || strcmp(t, "application/xml") == 0)
	return (FAM_TEXT);
    if (strcmp(t, "application/pdf") == 0)
	return (FAM_PDF);
    if (strcmp(t, "application/vnd.ms-office") == 0)
	return (FAM_OLE);
    if (strcmp(t, "application/gzip") == 0)
	return (FAM_GZIP);
    if (strcmp(t, "application/x-executable") == 0
	|| strcmp(t, "application/x-dosexec") == 0)
	return (FAM_EXEC);
    if (strcmp(t, "application/vnd.tcpdump.pcap") == 0
	|| strcmp(t, "application/x-pcapng") == 0)
	return (FAM_PCAP);
    return (FAM_ZIP);				/* zip and what its listing showed */
}

/* family_of_declared - the family of a declared "type/subtype" */

static enum attach_family family_of_declared(const char *t)
{
    static const char *const none[] = {
	"application/octet-stream", "binary/octet-stream", "application/unknown",
	"application/x-unknown", "application/binary", "application/force-download",
	"application/download", "application/x-download", 0,
    };
    static const char *const text[] = {
	"application/json", "application/xml", "application/javascript",
	"application/x-javascript", "application/ecmascript", "application/x-sh",
	"application/x-shellscript", "application/x-csh", "application/x-python",
	"application/x-python-code", "application/x-perl", "application/x-ruby",
	"application/x-httpd-php", "application/x-php", "application/xhtml+xml",
	"application/x-har", "application/har+json", "application/sql",
	"application/x-yaml", "application/yaml", "application/toml", 0,
    };
    static const char *const zip[] = {
	"application/zip", "application/x-zip", "application/x-zip-compressed",
	"multipart/x-zip", "application/java-archive", "application/x-java-archive",
	"application/vnd.android.package-archive", "application/x-jar", 0,
    };
    static const char *const gzip[] = {
	"application/gzip", "application/x-gzip", "application/x-gunzip",
	"application/gzipped", "application/x-compressed-tar", "application/x-gtar",
	"application/x-tgz", "application/tar+gzip", "application/x-tar",
	"application/x-compressed", 0,
    };
    static const char *const exec[] = {
	"application/x-executable", "application/x-elf", "application/x-sharedlib",
	"application/x-pie-executable", "application/x-dosexec",
	"application/x-msdownload", "application/x-msdos-program",
	"application/vnd.microsoft.portable-executable",
	"application/x-ms-dos-executable", "application/exe", "application/x-exe",
	"application/x-winexe", "application/x-object", 0,
    };
    static const char *const pcap[] = {
	"application/vnd.tcpdump.pcap", "application/x-pcap", "application/pcap",
	"application/x-pcapng", "application/pcapng", "application/cap", 0,
    };
    static const struct {
	const char *const *list;
	enum attach_family fam;
    } table[] = {
	{none, FAM_NONE}, {text, FAM_TEXT}, {zip, FAM_ZIP}, {gzip, FAM_GZIP},
	{exec, FAM_EXEC}, {pcap, FAM_PCAP},
    };
    size_t  len;

    if (t == NULL || *t == 0)
	return (FAM_NONE);
    len = strlen(t);
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
	for (const char *const *p = table[i].list; *p; p++)
	    if (strcmp(t, *p) == 0)
		return (table[i].fam);
    if (strncmp(t, "text/", 5) == 0 || strcmp(t, "image/svg+xml") == 0
	|| has_suffix_ci(t, len, "+json") || has_suffix_ci(t, len, "+xml"))
	return (FAM_TEXT);
    if (strncmp(t, "image/", 6) == 0)
	return (FAM_IMAGE);
    if (strncmp(t, "audio/", 6) == 0 || strncmp(t, "video/", 6) == 0)
	return (FAM_MEDIA);
    if (strcmp(t, "application/pdf") == 0 || strcmp(t, "application/x-pdf") == 0
	|| strcmp(t, "application/acrobat") == 0)
	return (FAM_PDF);
    if (has_suffix_ci(t, len, "+zip")
	|| strncmp(t, "application/vnd.oasis.opendocument.", 35) == 0)
	return (FAM_ZIP);
    if (strcmp(t, "application/msword") == 0 || strcmp(t, "application/x-msi") == 0
	|| strcmp(t, "application/x-ole-storage") == 0
	|| strncmp(t, "application/vnd.ms-", 19) == 0
	|| strncmp(t, "application/vnd.openxmlformats-officedocument.", 46) == 0
	|| strcmp(t, "application/vnd.visio") == 0)
	return (FAM_OFFICE);
    return (FAM_OTHER);
}

/* attach_mismatch - declared and sniffed disagree in a way that matters */

static int attach_mismatch(const char *declared, const char *sniffed)
{
    enum attach_family d = family_of_declared(declared);
    enum attach_family s = family_of_sniffed(sniffed);

    if (s == FAM_NONE || s == FAM_WEAK || d == FAM_NONE)
	return (0);
    if (d == FAM_OTHER)
	return (s == FAM_EXEC);
    if (d == FAM_OFFICE)
	return (s != FAM_ZIP && s != FAM_OLE);
    return (d != s);
}

/* has_suffix_ci - s (of length len) ends with suffix, any case */

static int has_suffix_ci(const char *s, size_t len, const char *suffix)
{
    size_t  m = strlen(suffix);

    return (len >= m && strncasecmp(s + len - m, suffix, m) == 0);
}

/* zip_name_dup - a member name: valid UTF-8 ('?' for the rest), bounded */

static char *zip_name_dup(const unsigned char *p, size_t n)
{
    char   *out;
    size_t  i = 0, o = 0;
    int     r;

    if (n > ATTACH_ZIP_NAME_MAX)
	n = ATTACH_ZIP_NAME_MAX;
    if ((out = malloc(n + 1)) == NULL)
	return (NULL);

    /*
     * Names without the UTF-8 flag are often CP437: those bytes, and a
     * character the bound cut, become '?'. NUL ends nothing: '?' too.
     */
    while (i < n) {
	r = p[i] == 0 ? -1 : u8_len(p + i, n - i);
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
    if (end - *pos < ATTACH_ZIP_CDE_BYTES || le32(e) != 0x02014b50)
	return (-1);
    nlen = le16(e + 28);
    xlen = le16(e + 30);
    clen = le16(e + 32);
    next = *pos + ATTACH_ZIP_CDE_BYTES + nlen + xlen + clen;
    if (next > end)
	return (-1);

    /*
     * Sizes: 32-bit, or 64-bit in the ZIP64 extra field. Sums saturate.
     */
    csize32 = le32(e + 20);
    usize32 = le32(e + 24);
    usize = usize32, csize = csize32, offset = le32(e + 42);
    if (zip64_extra(e + ATTACH_ZIP_CDE_BYTES + nlen, xlen, usize32, csize32,
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
    name = (const char *) e + ATTACH_ZIP_CDE_BYTES;
    zip_note_name(w, e + ATTACH_ZIP_CDE_BYTES, nlen);
    if ((has_suffix_ci(name, nlen, ".zip") || has_suffix_ci(name, nlen, ".jar")
	 || has_suffix_ci(name, nlen, ".gz") || has_suffix_ci(name, nlen, ".7z")
	 || has_suffix_ci(name, nlen, ".rar") || has_suffix_ci(name, nlen, ".xz")
	 || has_suffix_ci(name, nlen, ".bz2"))
	&& csize > 0 && usize / csize > ATTACH_ZIP_NESTED_RATIO)
	w->nested_bomb = 1;
    if (z->n_members < REPORT_ZIP_LIST_MAX) {
	char   *copy = zip_name_dup(e + ATTACH_ZIP_CDE_BYTES, nlen);

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

static struct report_zip *zip_list(struct attach_scan *sc, const unsigned char *win,
				           size_t len, struct report *rep,
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
    if (len < ATTACH_ZIP_EOCD_BYTES)
	return (NULL);
    lowest = len - ATTACH_ZIP_EOCD_BYTES > ATTACH_ZIP_COMMENT_MAX ?
	len - ATTACH_ZIP_EOCD_BYTES - ATTACH_ZIP_COMMENT_MAX : 0;
    for (size_t i = len - ATTACH_ZIP_EOCD_BYTES + 1; i-- > lowest;) {
	if (le32(win + i) == 0x06054b50
	    && i + ATTACH_ZIP_EOCD_BYTES + le16(win + i + 20) <= len) {
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
    if (eocd >= ATTACH_ZIP64_LOC_BYTES + ATTACH_ZIP64_EOCD_BYTES
	&& le32(win + eocd - ATTACH_ZIP64_LOC_BYTES) == 0x07064b50) {
	size_t  r = eocd - ATTACH_ZIP64_LOC_BYTES - ATTACH_ZIP64_EOCD_BYTES;

	if (le32(win + r) == 0x06064b50 && le64(win + r + 4) == ATTACH_ZIP64_EOCD_BYTES - 12) {
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
    limit = sc->max_entries < UINT32_MAX ? sc->max_entries + 1 : UINT32_MAX;
    if (limit > cd_end / ATTACH_ZIP_CDE_BYTES + 1)
	limit = (unsigned) (cd_end / ATTACH_ZIP_CDE_BYTES + 1);
    w.extents = calloc(limit, sizeof(*w.extents));

    /*
     * Where the directory starts: cd_size before its end when that is
     * in the window; else at the first entry signature in the window.
     */
    if (cd_size <= cd_end) {
	cd_start = cd_end - (size_t) cd_size;
    } else if (sc->ring_fed > len) {
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
     * every step advances at least ATTACH_ZIP_CDE_BYTES.
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
    z->bomb = z->entries > sc->max_entries
	|| z->uncompressed > sc->max_uncompressed
	|| (z->uncompressed >= ATTACH_ZIP_RATIO_MIN_BYTES
	    && (z->compressed == 0
		|| z->uncompressed / z->compressed > sc->max_ratio))
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

/* attach_scan_finish - sniffed type, mismatch and listing of an attachment */

void    attach_scan_finish(struct attach_scan *sc, int complete, struct report *rep,
			           struct report_attachment *att)
{
    const char *type, *refined = NULL;
    size_t  len;

    if (sc == NULL)
	return;

    /*
     * The magic number; a zip may say more through its listing.
     */
    type = sniff_head(sc->head, sc->nhead);
    if (sc->is_zip && sc->ring && complete) {
	len = ring_linear(sc);
	if ((att->zip = zip_list(sc, sc->ring, len, rep, &refined)) == NULL)
	    rep->flags |= REPORT_F_MALFORMED;
	else if (att->zip->bomb)
	    rep->flags |= REPORT_F_ZIP_BOMB;
	if (refined)
	    type = refined;
    }
    if (type && (att->sniffed_type = strdup(type)) == NULL)
	return;

    /*
     * Declared against sniffed.
     */
    if (att->sniffed_type && attach_mismatch(att->content_type, att->sniffed_type)) {
	att->type_mismatch = 1;
	rep->flags |= REPORT_F_TYPE_MISMATCH;
    }
}

/* attach_scan_free - release a scan; NULL is fine */

void    attach_scan_free(struct attach_scan *sc)
{
    if (sc == NULL)
	return;
    free(sc->ring);
    free(sc);
}
