/*++
/* NAME
/*	charset 3
/* SUMMARY
/*	text decoding: UTF-8 repair, inline uuencode and PGP armour
/* SYNOPSIS
/*	#include "parser/parser_private.h"
/*
/*	void	u8_feed(fix, bytes, len)
/*	void	u8_finish(fix)
/*	int	u8_seq_len(bytes, avail)
/*	size_t	u8_encode(code_point, out)
/*	int	sb_put_utf8(sbuf, text, len)
/*
/*	void	charset_decode_blocks(report, limits, pgp_seen)
/* DESCRIPTION
/*	Declared charsets are converted to UTF-8 by walk.c through
/*	GMime (iconv). Whatever comes out of that, and whatever was
/*	declared UTF-8, US-ASCII or ISO-8859-1, passes through the repair
/*	of struct u8fix: bytes that are not UTF-8 are read as windows-1252.
/*	That one rule covers the usual mislabels: "iso-8859-1" or
/*	"us-ascii" with 0x80-0x9F curly quotes, "utf-8" that is really
/*	Latin-1, and "unknown-8bit"; a charset iconv does not know ends up
/*	here as well, so no charset is ever fatal.
/*
/*	u8_feed() repairs one chunk; a chunk may end inside a sequence,
/*	which is carried over. u8_finish() flushes. sb_put_utf8() appends
/*	valid UTF-8 to a bounded sbuf, cutting at a character.
/*
/*	charset_decode_blocks() makes one pass over the finished text of
/*	a report and takes out what is an encoding rather than words:
/* .IP \(bu
/*	Inline uuencode ("begin 644 name" ... "end"), as old mailers and
/*	scripts send a PoC: decoded, hashed, sniffed (attach.c: its type
/*	and, for a zip, its listing) and recorded as an attachment (and
/*	kept in the sink when there is one); the text gets
/*	"[attachment: name]" instead of the encoded lines.
/* .IP \(bu
/*	Inline PGP: an encrypted block sets REPORT_F_ENCRYPTED and becomes
/*	"[PGP encrypted message: not readable]"; a clear-signed message
/*	sets REPORT_F_SIGNED, keeps its text (dash escapes undone) and
/*	loses the armour and the signature.
/* .PP
/*	Nothing here allocates in proportion to the input beyond the text
/*	bound the report already has; every pass is linear.
/* DIAGNOSTICS
/*	None: bad input yields less output, never an error. A decoded
/*	uuencode block past CHARSET_UU_MAX_BYTES is cut and sets
/*	REPORT_F_OVERSIZE; the CPU budget sets REPORT_F_TIMEOUT.
/*--*/

/* System library. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Third-party libraries. */

#include <openssl/evp.h>

/* Utility library. */

#include "util/util.h"

/* Application-specific. */

#include "parser/report.h"
#include "parser/parser_private.h"

#define CHARSET_UU_NAME_MAX	255	/* bytes of a uuencode file name */
#define CHARSET_BUDGET_LINES	256	/* lines between budget polls */

#define PGP_MSG_BEGIN		"-----BEGIN PGP MESSAGE-----"
#define PGP_MSG_END		"-----END PGP MESSAGE-----"
#define PGP_SIGNED_BEGIN	"-----BEGIN PGP SIGNED MESSAGE-----"
#define PGP_SIG_BEGIN		"-----BEGIN PGP SIGNATURE-----"
#define PGP_SIG_END		"-----END PGP SIGNATURE-----"

 /*
  * A uuencoded block being decoded: digest, size and the sink object.
  */
struct uu_state {
    EVP_MD_CTX *sha;
    const struct report_sink *sink;
    void   *obj;
    struct attach_scan *scan;		/* sniffed type, zip listing */
    uint64_t size;
    int     cut;
    int     complete;			/* up to its "end", uncut */
};

static void u8_emit(struct u8fix *, const char *, size_t);
static void u8_emit_run(struct u8fix *, const char *, size_t);
static void u8_emit_cp1252(struct u8fix *, unsigned char);
static int line_is(const char *, size_t, const char *);
static int uu_begin(const char *, size_t, char *, size_t);
static int uu_line(const char *, size_t, unsigned char *);
static size_t uu_block(struct report *, const struct report_limits *,
		               const char *, size_t, size_t, const char *, int *);
static void uu_attachment(struct report *, const struct report_limits *,
			          const char *, struct uu_state *);

/* charset_cp1252_high - code points of windows-1252 bytes 0x80..0x9F */

const unsigned short charset_cp1252_high[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

/* u8_encode - one code point as UTF-8; at most 4 bytes */

size_t  u8_encode(unsigned cp, char *b)
{
    if (cp < 0x80) {
	b[0] = (char) cp;
	return (1);
    }
    if (cp < 0x800) {
	b[0] = (char) (0xC0 | (cp >> 6));
	b[1] = (char) (0x80 | (cp & 0x3F));
	return (2);
    }
    if (cp < 0x10000) {
	b[0] = (char) (0xE0 | (cp >> 12));
	b[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
	b[2] = (char) (0x80 | (cp & 0x3F));
	return (3);
    }
    b[0] = (char) (0xF0 | (cp >> 18));
    b[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
    b[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
    b[3] = (char) (0x80 | (cp & 0x3F));
    return (4);
}

/* u8_seq_len - valid sequence length, 0 when cut short, -1 when invalid */

int     u8_seq_len(const unsigned char *p, size_t avail)
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
	    /* Overlong forms, surrogates, past U+10FFFF. */
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

 /*
  * Bytes the repair keeps as they are: printable ASCII, TAB, and LF
  * unless it becomes a space (lf 0) or follows a CR. Everything else
  * takes the slow path, one character at a time.
  */
#define U8_KEPT(c, lf) \
	(((c) >= 0x20 && (c) < 0x7F) || (c) == '\t' || ((c) == '\n' && (lf)))

 /*
  * Eight bytes at p are all printable ASCII (0x20..0x7E): a byte below
  * 0x20 sets its high bit in x - 0x20..., DEL in x + 0x01..., and one
  * above in x. A borrow or carry between bytes can only turn a yes into
  * a no, never the other way.
  */
static inline int u8_word_printable(const unsigned char *p)
{
    uint64_t x;

    memcpy(&x, p, sizeof(x));
    return ((((x - 0x2020202020202020ull) | (x + 0x0101010101010101ull) | x)
	     & 0x8080808080808080ull) == 0);
}

/* u8_emit - buffer complete sequences; hand them on in pieces */

static void u8_emit(struct u8fix *fx, const char *s, size_t n)
{
    if (fx->stopped)
	return;
    if (fx->nout + n > sizeof(fx->out)) {
	if (fx->put(fx->arg, fx->out, fx->nout) < 0)
	    fx->stopped = 1;
	fx->nout = 0;
	if (fx->stopped)
	    return;
    }
    memcpy(fx->out + fx->nout, s, n);
    fx->nout += n;
}

#ifdef __SSE2__

 /*
  * The sixteen bytes at p as a mask, bit k set when U8_KEPT(p[k], lf):
  * 0x20..0x7E (a signed compare puts 0x80..0xFF below 0x20), tab, and
  * LF when lines are kept.
  */
static inline unsigned u8_block_kept(const unsigned char *p, int lf)
{
    __m128i x = _mm_loadu_si128((const __m128i *) p);
    __m128i ok = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(0x1F)),
			       _mm_cmplt_epi8(x, _mm_set1_epi8(0x7F)));

    ok = _mm_or_si128(ok, _mm_cmpeq_epi8(x, _mm_set1_epi8('\t')));
    if (lf)
	ok = _mm_or_si128(ok, _mm_cmpeq_epi8(x, _mm_set1_epi8('\n')));
    return ((unsigned) _mm_movemask_epi8(ok));
}

#endif

/* u8_emit_run - single-byte characters in bulk, cut where u8_emit() would cut */

static void u8_emit_run(struct u8fix *fx, const char *s, size_t n)
{
    size_t  room, k;

    /*
     * Each round copies at least one byte or empties a full buffer, so
     * the pieces handed on are those of one u8_emit() per byte.
     */
    while (n > 0 && !fx->stopped) {
	if ((room = sizeof(fx->out) - fx->nout) == 0) {
	    if (fx->put(fx->arg, fx->out, fx->nout) < 0)
		fx->stopped = 1;
	    fx->nout = 0;
	    continue;
	}
	k = n < room ? n : room;
	memcpy(fx->out + fx->nout, s, k);
	fx->nout += k;
	s += k;
	n -= k;
    }
}

/* u8_emit_cp1252 - one byte that is not UTF-8, read as windows-1252 */

static void u8_emit_cp1252(struct u8fix *fx, unsigned char c)
{
    unsigned cp = c >= 0x80 && c < 0xA0 ? charset_cp1252_high[c - 0x80] : c;
    char    b[4];

    u8_emit(fx, b, u8_encode(cp, b));
}

/* u8_feed - repair one chunk; the chunk may end inside a sequence */

void    u8_feed(struct u8fix *fx, const char *in, size_t n)
{
    const unsigned char *p = (const unsigned char *) in;
    size_t  i = 0;
    int     r, lf = !fx->one_line;

    /*
     * Finish the sequence the last chunk ended in. The carry is a valid
     * prefix, so when the whole turns out invalid, each carried byte is
     * windows-1252, as it would be without the chunk boundary.
     */
    if (fx->ncarry > 0) {
	unsigned char tmp[8];
	size_t  old = fx->ncarry, k = n < 4 - old ? n : 4 - old;

	memcpy(tmp, fx->carry, old);
	memcpy(tmp + old, p, k);
	r = u8_seq_len(tmp, old + k);
	if (r == 0) {
	    memcpy(fx->carry, tmp, old + k);
	    fx->ncarry = old + k;
	    return;
	}
	fx->ncarry = 0;
	if (r > 0) {
	    u8_emit(fx, (char *) tmp, (size_t) r);
	    i = (size_t) r - old;
	} else {
	    for (size_t j = 0; j < old; j++)
		u8_emit_cp1252(fx, tmp[j]);
	}
    }

    /*
     * One step per character; each step consumes at least one byte.
     */
    while (i < n && !fx->stopped) {
	unsigned char c = p[i];
	size_t  j;

	/*
	 * A run of bytes kept as they are, copied at once. Inside the run
	 * no byte is a CR, so an LF there never follows one.
	 */
	if (U8_KEPT(c, lf) && !(c == '\n' && fx->last_cr)) {
	    j = i + 1;
#ifdef __SSE2__

	    /*
	     * Sixteen bytes a step, line ends and all: the run ends at the
	     * first byte U8_KEPT() would refuse.
	     */
	    while (n - j >= 16) {
		unsigned kept = u8_block_kept(p + j, lf);

		if (kept == 0xFFFF) {
		    j += 16;
		    continue;
		}
		j += (size_t) __builtin_ctz(~kept);
		break;
	    }
#endif
	    for (; j < n;) {
		size_t  e = n - j < 8 ? n : j + 8;

		if (e - j == 8 && u8_word_printable(p + j)) {
		    j += 8;
		    continue;
		}
		/* A line end or a stranger among these eight: one by one. */
		while (j < e && U8_KEPT(p[j], lf))
		    j++;
		if (j < e)
		    break;
	    }
	    u8_emit_run(fx, (const char *) p + i, j - i);
	    fx->last_cr = 0;
	    i = j;
	    continue;
	}
	if (c < 0x80) {
	    if (c == '\r' || (c == '\n' && !fx->last_cr)) {
		u8_emit(fx, fx->one_line ? " " : "\n", 1);
	    } else if (c == '\t' || (c >= 0x20 && c != 0x7F)) {
		u8_emit(fx, (char *) p + i, 1);
	    }
	    fx->last_cr = (c == '\r');
	    i++;
	    continue;
	}
	fx->last_cr = 0;
	r = u8_seq_len(p + i, n - i);
	if (r == 0) {
	    memcpy(fx->carry, p + i, n - i);
	    fx->ncarry = n - i;
	    return;
	}
	if (r > 0) {
	    u8_emit(fx, (char *) p + i, (size_t) r);
	    i += (size_t) r;
	} else {
	    u8_emit_cp1252(fx, c);
	    i++;
	}
    }
}

/* u8_finish - an unfinished sequence at the end is windows-1252 too */

void    u8_finish(struct u8fix *fx)
{
    for (size_t j = 0; j < fx->ncarry; j++)
	u8_emit_cp1252(fx, fx->carry[j]);
    fx->ncarry = 0;
    if (!fx->stopped && fx->nout > 0 && fx->put(fx->arg, fx->out, fx->nout) < 0)
	fx->stopped = 1;
    fx->nout = 0;
}

/* sb_put_utf8 - append valid UTF-8 to an sbuf, cut at a character */

int     sb_put_utf8(void *arg, const char *s, size_t n)
{
    struct sbuf *sb = arg;
    size_t  room = sb->max_bytes > sb->len ? sb->max_bytes - sb->len : 0;
    size_t  cut, lead;
    int     r;

    if (n <= room)
	return (sbuf_append(sb, s, n));

    /*
     * Cut before the character that does not fit, then drop a sequence
     * an earlier piece may have left unfinished at the very end.
     */
    cut = room;
    while (cut > 0 && ((unsigned char) s[cut] & 0xC0) == 0x80)
	cut--;
    (void) sbuf_append(sb, s, cut);
    sb->truncated = 1;
    for (lead = sb->len; lead > 0 && sb->len - lead < 4; lead--) {
	unsigned char c = (unsigned char) sb->data[lead - 1];

	if ((c & 0xC0) != 0x80) {
	    r = u8_seq_len(c >= 0x80 ? (unsigned char *) sb->data + lead - 1 : &c,
			   sb->len - lead + 1);
	    if (r <= 0) {
		sb->len = lead - 1;
		sb->data[sb->len] = 0;
	    }
	    break;
	}
    }
    return (-1);
}

/* line_is - the line is exactly s, trailing white space aside */

static int line_is(const char *l, size_t n, const char *s)
{
    size_t  k = strlen(s);

    while (n > k && (l[n - 1] == ' ' || l[n - 1] == '\t'))
	n--;
    return (n == k && memcmp(l, s, k) == 0);
}

/* uu_begin - "begin MODE name": the name, bounded; 0 when not one */

static int uu_begin(const char *l, size_t n, char *name, size_t max)
{
    size_t  i = 6, k = 0, digits = 0;

    if (n < 9 || memcmp(l, "begin ", 6) != 0)
	return (0);
    while (i < n && l[i] >= '0' && l[i] <= '7' && digits < 5)
	i++, digits++;
    if (digits < 3 || i >= n || l[i] != ' ')
	return (0);
    i++;
    while (n > i && (l[n - 1] == ' ' || l[n - 1] == '\t'))
	n--;
    while (i < n && k < max - 1)
	name[k++] = l[i++];
    name[k] = 0;
    return (k > 0);
}

/* uu_line - decode one data line; bytes out (0..63), or -1 when not uu */

static int uu_line(const char *l, size_t n, unsigned char *out)
{
    int     len, k = 0;
    size_t  need, i;

    while (n > 1 && (l[n - 1] == ' ' || l[n - 1] == '\t'))
	n--;			/* some mailers strip, some pad */
    if (n == 0 || l[0] < 0x20 || l[0] > 0x60)
	return (-1);
    len = (l[0] - 0x20) & 0x3F;
    need = ((size_t) len * 4 + 2) / 3;
    if (n - 1 < need)
	return (-1);
    for (i = 1; i < n; i++)
	if (l[i] < 0x20 || l[i] > 0x60)
	    return (-1);

    /*
     * Four characters give three bytes; a short last group may lack its
     * padding characters.
     */
    for (i = 1; k < len; i += 4) {
	unsigned v[4];

	for (int j = 0; j < 4; j++)
	    v[j] = i + (size_t) j < n ? (unsigned) ((l[i + (size_t) j] - 0x20) & 0x3F) : 0;
	out[k++] = (unsigned char) ((v[0] << 2) | (v[1] >> 4));
	if (k < len)
	    out[k++] = (unsigned char) ((v[1] << 4) | (v[2] >> 2));
	if (k < len)
	    out[k++] = (unsigned char) ((v[2] << 6) | v[3]);
    }
    return (len);
}

/* uu_attachment - the report_attachment of a decoded block */

static void uu_attachment(struct report *rep, const struct report_limits *lim,
			          const char *name, struct uu_state *uu)
{
    struct report_attachment *att, *v;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    char    hex[65] = "";

    /*
     * The digest first: the sink files the object under it.
     */
    if (EVP_DigestFinal_ex(uu->sha, md, &mdlen) == 1)
	for (unsigned i = 0; i < mdlen && i < 32; i++)
	    snprintf(hex + 2 * i, 3, "%02x", md[i]);
    if (rep->n_attachments >= lim->max_attachments
	|| (v = realloc(rep->attachments,
			(rep->n_attachments + 1) * sizeof(*v))) == NULL) {
	rep->flags |= REPORT_F_OVERSIZE;
	if (uu->obj)
	    uu->sink->abort(uu->obj);
	return;
    }
    rep->attachments = v;
    att = v + rep->n_attachments;
    memset(att, 0, sizeof(*att));
    att->filename = strdup(name);
    att->content_type = strdup("application/octet-stream");
    if (att->filename == NULL || att->content_type == NULL) {
	free(att->filename);
	free(att->content_type);
	if (uu->obj)
	    uu->sink->abort(uu->obj);
	return;
    }
    att->size = uu->size;
    memcpy(att->sha256, hex, sizeof(att->sha256));
    attach_scan_finish(uu->scan, uu->complete, rep, att);
    if (uu->obj)
	att->stored = uu->sink->end(uu->obj, hex);
    rep->n_attachments++;
}

/* uu_block - decode the block after its begin line; end offset or 0 */

static size_t uu_block(struct report *rep, const struct report_limits *lim,
		               const char *t, size_t n, size_t pos,
		               const char *name, int *seen_end)
{
    struct uu_state uu;
    unsigned char buf[64];
    size_t  p, lines = 0, data_lines = 0;
    int     k, done = 0;

    /*
     * First a dry run: a block counts only when every line up to "end"
     * (or the end of a cut text) is uuencode. Nothing is recorded for
     * prose that merely starts with "begin 644".
     */
    *seen_end = 0;
    for (p = pos; p < n && !done; lines++) {
	const char *l = t + p, *nl = memchr(l, '\n', n - p);
	size_t  ln = nl ? (size_t) (nl - l) : n - p;

	p = nl ? p + ln + 1 : n;
	if (line_is(l, ln, "end")) {
	    *seen_end = done = 1;
	} else if ((k = uu_line(l, ln, buf)) < 0) {
	    return (0);
	} else if (k > 0)
	    data_lines++;
    }
    if (data_lines == 0 || (!done && !rep->text.truncated))
	return (0);

    /*
     * Then decode for real: digest, size, sink.
     */
    memset(&uu, 0, sizeof(uu));
    if ((uu.sha = EVP_MD_CTX_new()) == NULL
	|| EVP_DigestInit_ex(uu.sha, parse_sha256(), NULL) != 1) {
	EVP_MD_CTX_free(uu.sha);
	return (p);
    }
    if (lim->sink && lim->sink->begin)
	uu.sink = lim->sink, uu.obj = lim->sink->begin(lim->sink->arg);
    uu.scan = attach_scan_new(lim);
    for (size_t q = pos; q < p;) {
	const char *l = t + q, *nl = memchr(l, '\n', p - q);
	size_t  ln = nl ? (size_t) (nl - l) : p - q;

	q = nl ? q + ln + 1 : p;
	if (line_is(l, ln, "end") || (k = uu_line(l, ln, buf)) <= 0)
	    continue;
	if (uu.size + (uint64_t) k > CHARSET_UU_MAX_BYTES) {
	    uu.cut = 1;
	    break;
	}
	EVP_DigestUpdate(uu.sha, buf, (size_t) k);
	attach_scan_feed(uu.scan, buf, (size_t) k);
	if (uu.obj && uu.sink->write(uu.obj, buf, (size_t) k) < 0) {
	    uu.sink->abort(uu.obj);
	    uu.obj = NULL;
	}
	uu.size += (uint64_t) k;
    }
    if (uu.cut || !*seen_end)
	rep->flags |= REPORT_F_OVERSIZE;
    uu.complete = !uu.cut && *seen_end;
    uu_attachment(rep, lim, name, &uu);
    attach_scan_free(uu.scan);
    EVP_MD_CTX_free(uu.sha);
    return (p);
}

/* charset_decode_blocks - uuencode and PGP armour out of report->text */

void    charset_decode_blocks(struct report *rep, const struct report_limits *lim,
			              int pgp_seen)
{
    const char *t = rep->text.data;
    size_t  n = rep->text.len, pos = 0, lines = 0, end;
    char    name[CHARSET_UU_NAME_MAX + 1];
    struct sbuf out;
    int     changed = 0, in_signed = 0, seen_end;

    /*
     * Most reports have none of it: look before copying anything. Both
     * kinds start a line (uu_begin(), line_is()); "\nbegin " is a much
     * rarer pair of first bytes for strstr() than "be". The caller has
     * looked for the PGP marker.
     */
    if (n == 0 || (!pgp_seen && !(n >= 6 && memcmp(t, "begin ", 6) == 0)
		   && !text_find(t, n, "\nbegin ")))
	return;
    sbuf_init(&out, rep->text.max_bytes);

    /*
     * One pass, line by line; each step consumes at least one line.
     */
    while (pos < n) {
	const char *l = t + pos, *nl = memchr(l, '\n', n - pos);
	size_t  ln = nl ? (size_t) (nl - l) : n - pos;
	size_t  next = nl ? pos + ln + 1 : n;

	if (++lines % CHARSET_BUDGET_LINES == 0 && report_budget_exceeded()) {
	    rep->flags |= REPORT_F_TIMEOUT;
	    (void) sbuf_append(&out, l, n - pos);
	    break;
	}

	/*
	 * Inline uuencode: an attachment in all but name.
	 */
	if (ln >= 9 && l[0] == 'b' && uu_begin(l, ln, name, sizeof(name))
	    && (end = uu_block(rep, lim, t, n, next, name, &seen_end)) > 0) {
	    char   *shown = sm_sanitize_str(name, SM_SANITIZE_NAME_MAX);

	    sbuf_printf(&out, "[attachment: %s]\n", shown ? shown : "");
	    free(shown);
	    pos = end;
	    changed = 1;
	    continue;
	}

	/*
	 * Inline PGP. An END marker not found means the rest is armour:
	 * searching once per BEGIN stays linear because the rest is
	 * consumed either way.
	 */
	if (ln >= 27 && l[0] == '-' && line_is(l, ln, PGP_MSG_BEGIN)) {
	    const char *e = memmem(t + next, n - next, PGP_MSG_END, sizeof(PGP_MSG_END) - 1);
	    const char *enl = e ? memchr(e, '\n', (size_t) (t + n - e)) : NULL;

	    rep->flags |= REPORT_F_ENCRYPTED;
	    sbuf_puts(&out, "[PGP encrypted message: not readable]\n");
	    pos = enl ? (size_t) (enl - t) + 1 : n;
	    changed = 1;
	    continue;
	}
	if (ln >= 27 && l[0] == '-' && line_is(l, ln, PGP_SIGNED_BEGIN)) {
	    rep->flags |= REPORT_F_SIGNED;
	    in_signed = 1;
	    changed = 1;
	    pos = next;
	    /* Armour headers ("Hash: SHA256") up to the blank line. */
	    for (int h = 0; h < 10 && pos < n && t[pos] != '\n'; h++) {
		const char *hl = memchr(t + pos, '\n', n - pos);

		pos = hl ? (size_t) (hl - t) + 1 : n;
	    }
	    if (pos < n && t[pos] == '\n')
		pos++;
	    continue;
	}
	if (ln >= 27 && l[0] == '-' && line_is(l, ln, PGP_SIG_BEGIN)) {
	    const char *e = memmem(t + next, n - next, PGP_SIG_END, sizeof(PGP_SIG_END) - 1);
	    const char *enl = e ? memchr(e, '\n', (size_t) (t + n - e)) : NULL;

	    rep->flags |= REPORT_F_SIGNED;
	    in_signed = 0;
	    pos = enl ? (size_t) (enl - t) + 1 : n;
	    changed = 1;
	    continue;
	}

	/*
	 * Anything else is text; clear-signed text has its dash escapes
	 * undone.
	 */
	if (in_signed && ln >= 2 && l[0] == '-' && l[1] == ' ')
	    (void) sbuf_append(&out, l + 2, next - pos - 2);
	else
	    (void) sbuf_append(&out, l, next - pos);
	pos = next;
    }

    /*
     * The new text replaces the old only when something was taken out.
     */
    if (changed) {
	out.truncated |= rep->text.truncated;
	sbuf_free(&rep->text);
	rep->text = out;
    } else
	sbuf_free(&out);
}
