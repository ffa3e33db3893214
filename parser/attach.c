/*++
/* NAME
/*	attach 3
/* SUMMARY
/*	what an attachment really is: magic bytes against the declared type
/* SYNOPSIS
/*	#include "parser/parser_private.h"
/*
/*	struct attach_scan *attach_scan_new(limits)
/*	void	attach_scan_feed(scan, data, len)
/*	void	attach_scan_finish(scan, complete, report, attachment)
/*	void	attach_scan_free(scan)
/* DESCRIPTION
/*	walk.c feeds each attachment's decoded bytes, chunk by chunk, to
/*	an attach_scan. It keeps the first ATTACH_HEAD_BYTES for the magic
/*	number and, when they start a zip archive, a ring of the last
/*	ZIP_WINDOW_BYTES: the central directory (up to 256 KiB of
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
/*	Zip listing and bomb verdict: zip.c, over the ring.
/*
/*	What this file never does: decompress, extract, or trust a size,
/*	count or offset written by the sender.
/* DIAGNOSTICS
/*	A zip whose end record or central directory zip.c cannot read
/*	sets REPORT_F_MALFORMED (zip stays NULL when nothing could be
/*	listed). Out of memory loses the listing only.
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
#define ATTACH_ZIP_MAX_FACTOR	16	/* claimed total / max_message_bytes */
#define ATTACH_ZIP_MAX_DEFAULT	(1ULL << 30)	/* when max_message_bytes is 0 */
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
    struct zip_bounds bounds;		/* for the bomb verdict */
};

static void ring_push(struct attach_scan *, const unsigned char *, size_t);
static size_t ring_linear(struct attach_scan *);
static void mem_reverse(unsigned char *, size_t);
static int mem_has_ci(const unsigned char *, size_t, const char *);
static int head_is_text(const unsigned char *, size_t, int);
static const char *sniff_head(const unsigned char *, size_t);
static enum attach_family family_of_sniffed(const char *);
static enum attach_family family_of_declared(const char *);
static int attach_mismatch(const char *, const char *);

/* attach_scan_new - a scan for one attachment */

struct attach_scan *attach_scan_new(const struct report_limits *lim)
{
    struct attach_scan *sc;

    if ((sc = calloc(1, sizeof(*sc))) == NULL)
	return (NULL);
    sc->bounds.max_entries = lim->max_zip_entries;
    sc->bounds.max_ratio = lim->max_zip_ratio;
    sc->bounds.max_uncompressed = lim->max_message_bytes > 0
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
	sc->ring_cap = ZIP_WINDOW_BYTES;
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

/* head_is_text - valid UTF-8, no NUL, only the usual controls */

static int head_is_text(const unsigned char *p, size_t n, int cut)
{
    size_t  i = 0;
    int     r;

    while (i < n) {
	if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r'
	    && p[i] != '\f' && p[i] != '\v' && p[i] != 0x1B)
	    return (0);
	if ((r = u8_seq_len(p + i, n - i)) < 0)
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
	if ((att->zip = zip_list(sc->ring, len, sc->ring_fed, &sc->bounds, rep,
				  &refined)) == NULL)
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
