/*++
/* NAME
/*	cvss 3
/* SUMMARY
/*	score CVSS v3.1 and v4.0 vectors
/* SYNOPSIS
/*	#include "classify/triage.h"
/*
/*	int	cvss_score(vector, result, err, errlen)
/*	const char *vector;
/*	struct cvss_result *result;
/*	char	*err;
/*	size_t	errlen;
/*
/*	enum triage_severity cvss_severity_of(score)
/*	double	score;
/* DESCRIPTION
/*	cvss_score() validates one CVSS vector string and computes its
/*	score exactly as the FIRST specifications do:
/* .IP "CVSS:3.1/..."
/*	the v3.1 equations of the specification document, section 7,
/*	with the Roundup function of Appendix A (integer arithmetic, so
/*	that floating-point noise never lifts a score by 0.1). When
/*	temporal or environmental metrics other than X are given, the
/*	score is the environmental (else the temporal) score, the most
/*	specific one the vector describes.
/* .IP "CVSS:4.0/..."
/*	the v4.0 MacroVector method: the vector is mapped to its
/*	equivalence classes EQ1..EQ6, the MacroVector score is looked up
/*	in the FIRST table, and the score is interpolated by the severity
/*	distance to the highest-severity vectors of that MacroVector, as
/*	the FIRST reference calculator (cvss_score.js) does, including its
/*	1e-6 lift before rounding. Threat and environmental metrics take
/*	part in the score (CVSS-BT, -BE, -BTE); supplemental metrics are
/*	validated and carried in the vector but never change the score.
/* .PP
/*	Metric names and values are case sensitive, each metric may
/*	appear once, and every base metric must be present. The order of
/*	the metrics is not enforced (many real reports reorder them);
/*	result->vector holds them in the order of the specification.
/*
/*	cvss_severity_of() maps a score to the qualitative rating shared by
/*	v3.1 and v4.0: 0.0 none, 0.1-3.9 low, 4.0-6.9 medium, 7.0-8.9 high,
/*	9.0-10.0 critical.
/*
/*	Both functions are reentrant: the tables are constant.
/* DIAGNOSTICS
/*	cvss_score() returns 0 with result filled, or -1 with a one-line
/*	reason in err (which names the metric or value at fault, with any
/*	character other than a letter, digit or '.' shown as '?'). A bad
/*	vector is normal input: nothing here aborts.
/* SEE ALSO
/*	https://www.first.org/cvss/v3.1/specification-document
/*	https://www.first.org/cvss/v4.0/specification-document
/*	https://github.com/FIRSTdotorg/cvss-v4-calculator (BSD-2-Clause),
/*	the source of the v4.0 MacroVector table transcribed below.
/*--*/

/*
 * The v4.0 interpolation must be bit-for-bit the reference's double
 * arithmetic, or scores that sit on an x.x5 tie round the other way.
 * A fused multiply-add keeps one rounding fewer than JavaScript does,
 * so contraction is turned off for this file.
 */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize ("fp-contract=off")
#endif

/* System library. */

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Application-specific. */

#include "classify/triage.h"

 /*
  * Limits. A vector longer than the result buffer is not one anybody
  * wrote by hand; metric names and values are short words.
  */
#define CVSS_MAX_VECTOR_LEN	255
#define CVSS_MAX_NAME_LEN	4
#define CVSS_MAX_VALUE_LEN	8
#define CVSS_MAX_VALUES		8
#define CVSS_MAX_METRICS	32
#define CVSS_ERR_TOKEN_LEN	12

 /*
  * One metric of a vector grammar: its name, its values, and whether a
  * vector without it is malformed.
  */
struct cvss_metric_def {
    const char *name;
    const char *values[CVSS_MAX_VALUES];	/* NULL terminated */
    int     mandatory;
};

struct cvss_grammar {
    const char *prefix;			/* "CVSS:3.1/" */
    const char *version;		/* "3.1" */
    const struct cvss_metric_def *metrics;	/* in specification order */
    int     n_metrics;
};

 /*
  * A parsed vector: for each metric of the grammar, the index of its
  * value, or -1 when the vector leaves it out (the same as X).
  */
struct cvss_parsed {
    const struct cvss_grammar *grammar;
    int     value[CVSS_MAX_METRICS];
};

/* ------------------------------------------------------------ v3.1 */

enum {
    V3_AV, V3_AC, V3_PR, V3_UI, V3_S, V3_C, V3_I, V3_A,
    V3_E, V3_RL, V3_RC,
    V3_CR, V3_IR, V3_AR, V3_MAV, V3_MAC, V3_MPR, V3_MUI, V3_MS,
    V3_MC, V3_MI, V3_MA, V3_COUNT
};

static const struct cvss_metric_def cvss_v3_metrics[V3_COUNT] = {
    {"AV", {"N", "A", "L", "P"}, 1},
    {"AC", {"L", "H"}, 1},
    {"PR", {"N", "L", "H"}, 1},
    {"UI", {"N", "R"}, 1},
    {"S", {"U", "C"}, 1},
    {"C", {"H", "L", "N"}, 1},
    {"I", {"H", "L", "N"}, 1},
    {"A", {"H", "L", "N"}, 1},
    {"E", {"X", "H", "F", "P", "U"}, 0},
    {"RL", {"X", "U", "W", "T", "O"}, 0},
    {"RC", {"X", "C", "R", "U"}, 0},
    {"CR", {"X", "H", "M", "L"}, 0},
    {"IR", {"X", "H", "M", "L"}, 0},
    {"AR", {"X", "H", "M", "L"}, 0},
    {"MAV", {"X", "N", "A", "L", "P"}, 0},
    {"MAC", {"X", "L", "H"}, 0},
    {"MPR", {"X", "N", "L", "H"}, 0},
    {"MUI", {"X", "N", "R"}, 0},
    {"MS", {"X", "U", "C"}, 0},
    {"MC", {"X", "H", "L", "N"}, 0},
    {"MI", {"X", "H", "L", "N"}, 0},
    {"MA", {"X", "H", "L", "N"}, 0},
};

static const struct cvss_grammar cvss_v3_grammar = {
    "CVSS:3.1/", "3.1", cvss_v3_metrics, V3_COUNT,
};

/* ------------------------------------------------------------ v4.0 */

enum {
    V4_AV, V4_AC, V4_AT, V4_PR, V4_UI, V4_VC, V4_VI, V4_VA,
    V4_SC, V4_SI, V4_SA,
    V4_E,
    V4_CR, V4_IR, V4_AR, V4_MAV, V4_MAC, V4_MAT, V4_MPR, V4_MUI,
    V4_MVC, V4_MVI, V4_MVA, V4_MSC, V4_MSI, V4_MSA,
    V4_S, V4_AU, V4_R, V4_V, V4_RE, V4_U, V4_COUNT
};

/* A base metric's modified twin sits this far after it. */
#define V4_MOD_OFFSET	(V4_MAV - V4_AV)

static const struct cvss_metric_def cvss_v4_metrics[V4_COUNT] = {
    {"AV", {"N", "A", "L", "P"}, 1},
    {"AC", {"L", "H"}, 1},
    {"AT", {"N", "P"}, 1},
    {"PR", {"N", "L", "H"}, 1},
    {"UI", {"N", "P", "A"}, 1},
    {"VC", {"H", "L", "N"}, 1},
    {"VI", {"H", "L", "N"}, 1},
    {"VA", {"H", "L", "N"}, 1},
    {"SC", {"H", "L", "N"}, 1},
    {"SI", {"H", "L", "N"}, 1},
    {"SA", {"H", "L", "N"}, 1},
    {"E", {"X", "A", "P", "U"}, 0},
    {"CR", {"X", "H", "M", "L"}, 0},
    {"IR", {"X", "H", "M", "L"}, 0},
    {"AR", {"X", "H", "M", "L"}, 0},
    {"MAV", {"X", "N", "A", "L", "P"}, 0},
    {"MAC", {"X", "L", "H"}, 0},
    {"MAT", {"X", "N", "P"}, 0},
    {"MPR", {"X", "N", "L", "H"}, 0},
    {"MUI", {"X", "N", "P", "A"}, 0},
    {"MVC", {"X", "H", "L", "N"}, 0},
    {"MVI", {"X", "H", "L", "N"}, 0},
    {"MVA", {"X", "H", "L", "N"}, 0},
    {"MSC", {"X", "H", "L", "N"}, 0},
    {"MSI", {"X", "S", "H", "L", "N"}, 0},
    {"MSA", {"X", "S", "H", "L", "N"}, 0},
    {"S", {"X", "N", "P"}, 0},
    {"AU", {"X", "N", "Y"}, 0},
    {"R", {"X", "A", "U", "I"}, 0},
    {"V", {"X", "D", "C"}, 0},
    {"RE", {"X", "L", "M", "H"}, 0},
    {"U", {"X", "Clear", "Green", "Amber", "Red"}, 0},
};

static const struct cvss_grammar cvss_v4_grammar = {
    "CVSS:4.0/", "4.0", cvss_v4_metrics, V4_COUNT,
};

 /*
  * The FIRST v4.0 MacroVector table: "EQ1..EQ6" and the score of the
  * highest-severity vector of that MacroVector, in tenths. Transcribed
  * from cvss_lookup.js of the FIRST reference calculator (270 entries;
  * EQ3=2 with EQ6=0 cannot occur).
  */
struct cvss_macro_score {
    char    eqs[7];
    short   tenths;
};

static const struct cvss_macro_score cvss_v4_lookup[] = {
    {"000000", 100}, {"000001", 99}, {"000010", 98}, {"000011", 95},
    {"000020", 95}, {"000021", 92}, {"000100", 100}, {"000101", 96},
    {"000110", 93}, {"000111", 87}, {"000120", 91}, {"000121", 81},
    {"000200", 93}, {"000201", 90}, {"000210", 89}, {"000211", 80},
    {"000220", 81}, {"000221", 68}, {"001000", 98}, {"001001", 95},
    {"001010", 95}, {"001011", 92}, {"001020", 90}, {"001021", 84},
    {"001100", 93}, {"001101", 92}, {"001110", 89}, {"001111", 81},
    {"001120", 81}, {"001121", 65}, {"001200", 88}, {"001201", 80},
    {"001210", 78}, {"001211", 70}, {"001220", 69}, {"001221", 48},
    {"002001", 92}, {"002011", 82}, {"002021", 72}, {"002101", 79},
    {"002111", 69}, {"002121", 50}, {"002201", 69}, {"002211", 55},
    {"002221", 27}, {"010000", 99}, {"010001", 97}, {"010010", 95},
    {"010011", 92}, {"010020", 92}, {"010021", 85}, {"010100", 95},
    {"010101", 91}, {"010110", 90}, {"010111", 83}, {"010120", 84},
    {"010121", 71}, {"010200", 92}, {"010201", 81}, {"010210", 82},
    {"010211", 71}, {"010220", 72}, {"010221", 53}, {"011000", 95},
    {"011001", 93}, {"011010", 92}, {"011011", 85}, {"011020", 85},
    {"011021", 73}, {"011100", 92}, {"011101", 82}, {"011110", 80},
    {"011111", 72}, {"011120", 70}, {"011121", 59}, {"011200", 84},
    {"011201", 70}, {"011210", 71}, {"011211", 52}, {"011220", 50},
    {"011221", 30}, {"012001", 86}, {"012011", 75}, {"012021", 52},
    {"012101", 71}, {"012111", 52}, {"012121", 29}, {"012201", 63},
    {"012211", 29}, {"012221", 17}, {"100000", 98}, {"100001", 95},
    {"100010", 94}, {"100011", 87}, {"100020", 91}, {"100021", 81},
    {"100100", 94}, {"100101", 89}, {"100110", 86}, {"100111", 74},
    {"100120", 77}, {"100121", 64}, {"100200", 87}, {"100201", 75},
    {"100210", 74}, {"100211", 63}, {"100220", 63}, {"100221", 49},
    {"101000", 94}, {"101001", 89}, {"101010", 88}, {"101011", 77},
    {"101020", 76}, {"101021", 67}, {"101100", 86}, {"101101", 76},
    {"101110", 74}, {"101111", 58}, {"101120", 59}, {"101121", 50},
    {"101200", 72}, {"101201", 57}, {"101210", 57}, {"101211", 52},
    {"101220", 52}, {"101221", 25}, {"102001", 83}, {"102011", 70},
    {"102021", 54}, {"102101", 65}, {"102111", 58}, {"102121", 26},
    {"102201", 53}, {"102211", 21}, {"102221", 13}, {"110000", 95},
    {"110001", 90}, {"110010", 88}, {"110011", 76}, {"110020", 76},
    {"110021", 70}, {"110100", 90}, {"110101", 77}, {"110110", 75},
    {"110111", 62}, {"110120", 61}, {"110121", 53}, {"110200", 77},
    {"110201", 66}, {"110210", 68}, {"110211", 59}, {"110220", 52},
    {"110221", 30}, {"111000", 89}, {"111001", 78}, {"111010", 76},
    {"111011", 67}, {"111020", 62}, {"111021", 58}, {"111100", 74},
    {"111101", 59}, {"111110", 57}, {"111111", 57}, {"111120", 47},
    {"111121", 23}, {"111200", 61}, {"111201", 52}, {"111210", 57},
    {"111211", 29}, {"111220", 24}, {"111221", 16}, {"112001", 71},
    {"112011", 59}, {"112021", 30}, {"112101", 58}, {"112111", 26},
    {"112121", 15}, {"112201", 23}, {"112211", 13}, {"112221", 6},
    {"200000", 93}, {"200001", 87}, {"200010", 86}, {"200011", 72},
    {"200020", 75}, {"200021", 58}, {"200100", 86}, {"200101", 74},
    {"200110", 74}, {"200111", 61}, {"200120", 56}, {"200121", 34},
    {"200200", 70}, {"200201", 54}, {"200210", 52}, {"200211", 40},
    {"200220", 40}, {"200221", 22}, {"201000", 85}, {"201001", 75},
    {"201010", 74}, {"201011", 55}, {"201020", 62}, {"201021", 51},
    {"201100", 72}, {"201101", 57}, {"201110", 55}, {"201111", 41},
    {"201120", 46}, {"201121", 19}, {"201200", 53}, {"201201", 36},
    {"201210", 34}, {"201211", 19}, {"201220", 19}, {"201221", 8},
    {"202001", 64}, {"202011", 51}, {"202021", 20}, {"202101", 47},
    {"202111", 21}, {"202121", 11}, {"202201", 24}, {"202211", 9},
    {"202221", 4}, {"210000", 88}, {"210001", 75}, {"210010", 73},
    {"210011", 53}, {"210020", 60}, {"210021", 50}, {"210100", 73},
    {"210101", 55}, {"210110", 59}, {"210111", 40}, {"210120", 41},
    {"210121", 20}, {"210200", 54}, {"210201", 43}, {"210210", 45},
    {"210211", 22}, {"210220", 20}, {"210221", 11}, {"211000", 75},
    {"211001", 55}, {"211010", 58}, {"211011", 45}, {"211020", 40},
    {"211021", 21}, {"211100", 61}, {"211101", 51}, {"211110", 48},
    {"211111", 18}, {"211120", 20}, {"211121", 9}, {"211200", 46},
    {"211201", 18}, {"211210", 17}, {"211211", 7}, {"211220", 8},
    {"211221", 2}, {"212001", 53}, {"212011", 24}, {"212021", 14},
    {"212101", 24}, {"212111", 12}, {"212121", 5}, {"212201", 10},
    {"212211", 3}, {"212221", 1},
};

#define CVSS_V4_LOOKUP_COUNT \
	(sizeof(cvss_v4_lookup) / sizeof(cvss_v4_lookup[0]))

 /*
  * The highest-severity vectors of each MacroVector (max_composed.js),
  * written as the values of a fixed list of metrics:
  * EQ1 as AV PR UI, EQ2 as AC AT, EQ3+EQ6 as VC VI VA CR IR AR,
  * EQ4 as SC SI SA. EQ5 (E) has one maximum per level and takes no
  * part in the distance. Lists are tried in this order.
  */
#define CVSS_V4_MAX_ALTS	5

static const char *const cvss_v4_max_eq1[3][CVSS_V4_MAX_ALTS + 1] = {
    {"NNN"},
    {"ANN", "NLN", "NNP"},
    {"PNN", "ALP"},
};

static const char *const cvss_v4_max_eq2[2][CVSS_V4_MAX_ALTS + 1] = {
    {"LN"},
    {"HN", "LP"},
};

static const char *const cvss_v4_max_eq3eq6[3][2][CVSS_V4_MAX_ALTS + 1] = {
    {{"HHHHHH"}, {"HHLMMH", "HHHMMM"}},
    {{"LHHHHH", "HLHHHH"}, {"LHLHMH", "LHHHMM", "HLHMHM", "HLLMHH", "LLHHHM"}},
    {{0}, {"LLLHHH"}},
};

static const char *const cvss_v4_max_eq4[3][CVSS_V4_MAX_ALTS + 1] = {
    {"HSS"},
    {"HHH"},
    {"LLL"},
};

 /*
  * Depth of each MacroVector in severity-distance steps (max_severity.js).
  * -1 marks the impossible EQ3=2, EQ6=0.
  */
static const int cvss_v4_depth_eq1[3] = {1, 4, 5};
static const int cvss_v4_depth_eq2[2] = {1, 2};
static const int cvss_v4_depth_eq3eq6[3][2] = {{7, 6}, {8, 8}, {-1, 10}};
static const int cvss_v4_depth_eq4[3] = {6, 5, 4};

/* ---------------------------------------------------------- helpers */

/* cvss_err - write a reason, if the caller gave room for one */

static void cvss_err(char *err, size_t errlen, const char *fmt,...)
{
    va_list ap;

    if (err == NULL || errlen == 0)
	return;
    va_start(ap, fmt);
    (void) vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* cvss_token - quote a piece of the sender's vector for a message */

static const char *cvss_token(const char *s, size_t len, char *buf, size_t buflen)
{
    size_t  i;
    size_t  n = 0;

    /*
     * Keep letters, digits and '.', show anything else as '?', and cut
     * long tokens: the message may reach a terminal or a log.
     */
    for (i = 0; i < len && i < CVSS_ERR_TOKEN_LEN && n + 4 < buflen; i++) {
	unsigned char c = (unsigned char) s[i];

	buf[n++] = ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
		    || (c >= '0' && c <= '9') || c == '.') ? (char) c : '?';
    }
    if (i < len && n + 4 <= buflen) {
	memcpy(buf + n, "...", 3);
	n += 3;
    }
    buf[n] = 0;
    return (buf);
}

/* cvss_js_round - JavaScript Math.round(): nearest integer, ties up */

static double cvss_js_round(double x)
{
    double  r = floor(x);

    if (x - r >= 0.5)
	r += 1.0;
    return (r);
}

/* cvss_val - the value a parsed vector gives a metric; "X" if absent */

static const char *cvss_val(const struct cvss_parsed *p, int metric)
{
    int     idx = p->value[metric];

    if (idx < 0)
	return ("X");
    return (p->grammar->metrics[metric].values[idx]);
}

/* cvss_category_given - some metric in [first, last] is present and not X */

static int cvss_category_given(const struct cvss_parsed *p, int first, int last)
{
    int     m;

    for (m = first; m <= last; m++)
	if (strcmp(cvss_val(p, m), "X") != 0)
	    return (1);
    return (0);
}

/* ------------------------------------------------------- v3.1 score */

/* cvss_v3_roundup - the Roundup of CVSS v3.1 Appendix A */

static double cvss_v3_roundup(double x)
{
    long long int_input;

    /*
     * Work in integers of 1e-5 so that 4.000000000000001 stays 4.0.
     */
    int_input = (long long) cvss_js_round(x * 100000.0);
    if (int_input % 10000 == 0)
	return (int_input / 100000.0);
    return ((double) (int_input / 10000 + 1) / 10.0);
}

/* cvss_v3_eff - a v3.1 metric after its modified twin, if any */

static char cvss_v3_eff(const struct cvss_parsed *p, int base, int modified)
{
    const char *m = cvss_val(p, modified);

    if (strcmp(m, "X") != 0)
	return (m[0]);
    return (cvss_val(p, base)[0]);
}

/* cvss_v3_weight - numeric weight of one metric value (spec section 7.4) */

static double cvss_v3_weight(int metric, char v, int scope_changed)
{
    switch (metric) {
    case V3_AV:
	return (v == 'N' ? 0.85 : v == 'A' ? 0.62 : v == 'L' ? 0.55 : 0.2);
    case V3_AC:
	return (v == 'L' ? 0.77 : 0.44);
    case V3_PR:
	if (v == 'N')
	    return (0.85);
	if (v == 'L')
	    return (scope_changed ? 0.68 : 0.62);
	return (scope_changed ? 0.5 : 0.27);
    case V3_UI:
	return (v == 'N' ? 0.85 : 0.62);
    case V3_C:
	return (v == 'H' ? 0.56 : v == 'L' ? 0.22 : 0.0);
    case V3_E:
	return (v == 'F' ? 0.97 : v == 'P' ? 0.94 : v == 'U' ? 0.91 : 1.0);
    case V3_RL:
	return (v == 'W' ? 0.97 : v == 'T' ? 0.96 : v == 'O' ? 0.95 : 1.0);
    case V3_RC:
	return (v == 'R' ? 0.96 : v == 'U' ? 0.92 : 1.0);
    case V3_CR:
	return (v == 'H' ? 1.5 : v == 'L' ? 0.5 : 1.0);
    default:
	return (0.0);
    }
}

/* cvss_v3_score - base, temporal or environmental score of a v3.1 vector */

static double cvss_v3_score(const struct cvss_parsed *p)
{
    int     changed;
    double  iss, impact, exploitability, base, e, rl, rc;
    double  miss, mimpact, mexploitability, env;

    /*
     * Base score (section 7.1).
     */
    changed = cvss_val(p, V3_S)[0] == 'C';
    iss = 1 - ((1 - cvss_v3_weight(V3_C, cvss_val(p, V3_C)[0], 0))
	       * (1 - cvss_v3_weight(V3_C, cvss_val(p, V3_I)[0], 0))
	       * (1 - cvss_v3_weight(V3_C, cvss_val(p, V3_A)[0], 0)));
    if (changed)
	impact = 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15);
    else
	impact = 6.42 * iss;
    exploitability = 8.22 * cvss_v3_weight(V3_AV, cvss_val(p, V3_AV)[0], 0)
	* cvss_v3_weight(V3_AC, cvss_val(p, V3_AC)[0], 0)
	* cvss_v3_weight(V3_PR, cvss_val(p, V3_PR)[0], changed)
	* cvss_v3_weight(V3_UI, cvss_val(p, V3_UI)[0], 0);
    if (impact <= 0)
	base = 0;
    else if (changed)
	base = cvss_v3_roundup(fmin(1.08 * (impact + exploitability), 10));
    else
	base = cvss_v3_roundup(fmin(impact + exploitability, 10));

    e = cvss_v3_weight(V3_E, cvss_val(p, V3_E)[0], 0);
    rl = cvss_v3_weight(V3_RL, cvss_val(p, V3_RL)[0], 0);
    rc = cvss_v3_weight(V3_RC, cvss_val(p, V3_RC)[0], 0);

    /*
     * Without environmental metrics: the temporal score when temporal
     * metrics are given (section 7.2), else the base score.
     */
    if (!cvss_category_given(p, V3_CR, V3_MA)) {
	if (!cvss_category_given(p, V3_E, V3_RC))
	    return (base);
	return (cvss_v3_roundup(base * e * rl * rc));
    }

    /*
     * Environmental score (section 7.3): modified metrics replace the
     * base ones, requirements weigh the impacts.
     */
    changed = cvss_v3_eff(p, V3_S, V3_MS) == 'C';
    miss = fmin(1 - (1 - cvss_v3_weight(V3_CR, cvss_val(p, V3_CR)[0], 0)
		     * cvss_v3_weight(V3_C, cvss_v3_eff(p, V3_C, V3_MC), 0))
		* (1 - cvss_v3_weight(V3_CR, cvss_val(p, V3_IR)[0], 0)
		   * cvss_v3_weight(V3_C, cvss_v3_eff(p, V3_I, V3_MI), 0))
		* (1 - cvss_v3_weight(V3_CR, cvss_val(p, V3_AR)[0], 0)
		   * cvss_v3_weight(V3_C, cvss_v3_eff(p, V3_A, V3_MA), 0)),
		0.915);
    if (changed)
	mimpact = 7.52 * (miss - 0.029) - 3.25 * pow(miss * 0.9731 - 0.02, 13);
    else
	mimpact = 6.42 * miss;
    mexploitability = 8.22
	* cvss_v3_weight(V3_AV, cvss_v3_eff(p, V3_AV, V3_MAV), 0)
	* cvss_v3_weight(V3_AC, cvss_v3_eff(p, V3_AC, V3_MAC), 0)
	* cvss_v3_weight(V3_PR, cvss_v3_eff(p, V3_PR, V3_MPR), changed)
	* cvss_v3_weight(V3_UI, cvss_v3_eff(p, V3_UI, V3_MUI), 0);
    if (mimpact <= 0)
	return (0.0);
    if (changed)
	env = cvss_v3_roundup(fmin(1.08 * (mimpact + mexploitability), 10));
    else
	env = cvss_v3_roundup(fmin(mimpact + mexploitability, 10));
    return (cvss_v3_roundup(env * e * rl * rc));
}

/* ------------------------------------------------------- v4.0 score */

/* cvss_v4_eff - effective value of a v4.0 metric (the reference's m()) */

static char cvss_v4_eff(const struct cvss_parsed *p, int metric)
{
    const char *v = cvss_val(p, metric);
    const char *mod;

    /*
     * E:X scores as E:A and a requirement X as H: the worst case. A base
     * metric yields to its modified twin unless that is X.
     */
    if (metric == V4_E)
	return (v[0] == 'X' ? 'A' : v[0]);
    if (metric == V4_CR || metric == V4_IR || metric == V4_AR)
	return (v[0] == 'X' ? 'H' : v[0]);
    if (metric <= V4_SA) {
	mod = cvss_val(p, metric + V4_MOD_OFFSET);
	if (mod[0] != 'X')
	    return (mod[0]);
    }
    return (v[0]);
}

/* cvss_v4_level - severity level of a value, in the reference's 0.1 steps */

static double cvss_v4_level(int metric, char v)
{
    switch (metric) {
    case V4_AV:
	return (v == 'N' ? 0.0 : v == 'A' ? 0.1 : v == 'L' ? 0.2 : 0.3);
    case V4_PR:
	return (v == 'N' ? 0.0 : v == 'L' ? 0.1 : 0.2);
    case V4_UI:
	return (v == 'N' ? 0.0 : v == 'P' ? 0.1 : 0.2);
    case V4_AC:
	return (v == 'L' ? 0.0 : 0.1);
    case V4_AT:
	return (v == 'N' ? 0.0 : 0.1);
    case V4_VC:
    case V4_VI:
    case V4_VA:
	return (v == 'H' ? 0.0 : v == 'L' ? 0.1 : 0.2);
    case V4_SC:
	return (v == 'H' ? 0.1 : v == 'L' ? 0.2 : 0.3);
    case V4_SI:
    case V4_SA:
	return (v == 'S' ? 0.0 : v == 'H' ? 0.1 : v == 'L' ? 0.2 : 0.3);
    case V4_CR:
    case V4_IR:
    case V4_AR:
	return (v == 'H' ? 0.0 : v == 'M' ? 0.1 : 0.2);
    default:
	return (0.0);
    }
}

/* cvss_v4_lookup_score - MacroVector score, or -1 when there is none */

static double cvss_v4_lookup_score(const int eq[6])
{
    char    key[7];
    size_t  i;

    /*
     * A "next lower" MacroVector may step past the last level of an EQ;
     * such a MacroVector does not exist.
     */
    for (i = 0; i < 6; i++) {
	if (eq[i] < 0 || eq[i] > 9)
	    return (-1);
	key[i] = (char) ('0' + eq[i]);
    }
    key[6] = 0;
    for (i = 0; i < CVSS_V4_LOOKUP_COUNT; i++)
	if (memcmp(cvss_v4_lookup[i].eqs, key, 6) == 0)
	    return (cvss_v4_lookup[i].tenths / 10.0);
    return (-1);
}

/* cvss_v4_macrovector - EQ1..EQ6 of a vector (section 8.2 of the spec) */

static void cvss_v4_macrovector(const struct cvss_parsed *p, int eq[6])
{
    char    av = cvss_v4_eff(p, V4_AV), pr = cvss_v4_eff(p, V4_PR);
    char    ui = cvss_v4_eff(p, V4_UI);
    char    vc = cvss_v4_eff(p, V4_VC), vi = cvss_v4_eff(p, V4_VI);
    char    va = cvss_v4_eff(p, V4_VA);
    char    e = cvss_v4_eff(p, V4_E);

    /* EQ1: AV, PR, UI. */
    if (av == 'N' && pr == 'N' && ui == 'N')
	eq[0] = 0;
    else if ((av == 'N' || pr == 'N' || ui == 'N') && av != 'P')
	eq[0] = 1;
    else
	eq[0] = 2;

    /* EQ2: AC, AT. */
    eq[1] = (cvss_v4_eff(p, V4_AC) == 'L' && cvss_v4_eff(p, V4_AT) == 'N') ? 0 : 1;

    /* EQ3: VC, VI, VA. */
    if (vc == 'H' && vi == 'H')
	eq[2] = 0;
    else if (vc == 'H' || vi == 'H' || va == 'H')
	eq[2] = 1;
    else
	eq[2] = 2;

    /* EQ4: MSI/MSA Safety, else SC, SI, SA. */
    if (cvss_val(p, V4_MSI)[0] == 'S' || cvss_val(p, V4_MSA)[0] == 'S')
	eq[3] = 0;
    else if (cvss_v4_eff(p, V4_SC) == 'H' || cvss_v4_eff(p, V4_SI) == 'H'
	     || cvss_v4_eff(p, V4_SA) == 'H')
	eq[3] = 1;
    else
	eq[3] = 2;

    /* EQ5: E. */
    eq[4] = (e == 'A') ? 0 : (e == 'P') ? 1 : 2;

    /* EQ6: requirements against impacts. */
    eq[5] = ((cvss_v4_eff(p, V4_CR) == 'H' && vc == 'H')
	     || (cvss_v4_eff(p, V4_IR) == 'H' && vi == 'H')
	     || (cvss_v4_eff(p, V4_AR) == 'H' && va == 'H')) ? 0 : 1;
}

 /*
  * Severity distances of a vector from one highest-severity vector,
  * per metric, in the order AV PR UI AC AT VC VI VA CR IR AR SC SI SA.
  */
#define CVSS_V4_NDIST	14

static const int cvss_v4_dist_metric[CVSS_V4_NDIST] = {
    V4_AV, V4_PR, V4_UI, V4_AC, V4_AT, V4_VC, V4_VI, V4_VA,
    V4_CR, V4_IR, V4_AR, V4_SC, V4_SI, V4_SA,
};

/* cvss_v4_distances - distances to a max vector; 1 when none is negative */

static int cvss_v4_distances(const struct cvss_parsed *p, const char *m1,
			             const char *m2, const char *m36,
			             const char *m4, double d[CVSS_V4_NDIST])
{
    char    maxv[CVSS_V4_NDIST];
    int     i;
    int     ok = 1;

    /*
     * Lay the max vector's values out in the distance order.
     */
    maxv[0] = m1[0];
    maxv[1] = m1[1];
    maxv[2] = m1[2];
    maxv[3] = m2[0];
    maxv[4] = m2[1];
    for (i = 0; i < 6; i++)
	maxv[5 + i] = m36[i];
    maxv[11] = m4[0];
    maxv[12] = m4[1];
    maxv[13] = m4[2];

    for (i = 0; i < CVSS_V4_NDIST; i++) {
	int     metric = cvss_v4_dist_metric[i];

	d[i] = cvss_v4_level(metric, cvss_v4_eff(p, metric))
	    - cvss_v4_level(metric, maxv[i]);
	if (d[i] < 0)
	    ok = 0;
    }
    return (ok);
}

/* cvss_v4_score - the score of a v4.0 vector (FIRST cvss_score.js) */

static double cvss_v4_score(const struct cvss_parsed *p)
{
    static const int impact_metrics[6] = {V4_VC, V4_VI, V4_VA, V4_SC, V4_SI, V4_SA};
    int     eq[6], next[6];
    double  value, lower[5], left, right, d[CVSS_V4_NDIST];
    double  cur[5], depth[4], normalized[5], mean;
    const char *const *l1, *const *l2, *const *l36, *const *l4;
    int     i, a, b, c, f, n_lower, found;
    const double step = 0.1;

    /*
     * A vector that touches neither the vulnerable nor any subsequent
     * system scores 0.0, whatever else it says.
     */
    for (i = 0; i < 6; i++)
	if (cvss_v4_eff(p, impact_metrics[i]) != 'N')
	    break;
    if (i == 6)
	return (0.0);

    /*
     * Step 1: the MacroVector, its score, and the score of the next
     * lower MacroVector along each EQ (-1 where there is none). EQ3
     * and EQ6 move together; from 00 both 01 and 10 are lower, and the
     * reference takes the left one only when it is strictly higher.
     */
    cvss_v4_macrovector(p, eq);
    value = cvss_v4_lookup_score(eq);
    if (value < 0)
	return (0.0);			/* cannot happen: table is complete */
    for (i = 0; i < 5; i++)
	lower[i] = -1;
#define NEXT_LOWER(k, d1, d2) do { \
	memcpy(next, eq, sizeof(next)); next[(d1)]++; \
	if ((d2) >= 0) next[(d2)]++; \
	(k) = cvss_v4_lookup_score(next); \
    } while (0)
    NEXT_LOWER(lower[0], 0, -1);
    NEXT_LOWER(lower[1], 1, -1);
    if (eq[2] == 0 && eq[5] == 0) {
	NEXT_LOWER(left, 5, -1);
	NEXT_LOWER(right, 2, -1);
	lower[2] = (left >= 0 && right >= 0 && left > right) ? left : right;
    } else if (eq[2] == 1 && eq[5] == 0) {
	NEXT_LOWER(lower[2], 5, -1);
    } else if (eq[2] == 2 && eq[5] == 1) {
	NEXT_LOWER(lower[2], 2, 5);	/* 21 -> 32: does not exist */
    } else {
	NEXT_LOWER(lower[2], 2, -1);	/* 01 -> 11, 11 -> 21 */
    }
    NEXT_LOWER(lower[3], 3, -1);
    NEXT_LOWER(lower[4], 4, -1);
#undef NEXT_LOWER

    /*
     * Step 2: the first highest-severity vector of this MacroVector
     * that the vector does not exceed on any metric. When none fits,
     * the reference keeps the distances to the last one tried.
     */
    l1 = cvss_v4_max_eq1[eq[0]];
    l2 = cvss_v4_max_eq2[eq[1]];
    l36 = cvss_v4_max_eq3eq6[eq[2]][eq[5]];
    l4 = cvss_v4_max_eq4[eq[3]];
    found = 0;
    memset(d, 0, sizeof(d));
    for (a = 0; !found && a < CVSS_V4_MAX_ALTS && l1[a]; a++)
	for (b = 0; !found && b < CVSS_V4_MAX_ALTS && l2[b]; b++)
	    for (c = 0; !found && c < CVSS_V4_MAX_ALTS && l36[c]; c++)
		for (f = 0; !found && f < CVSS_V4_MAX_ALTS && l4[f]; f++)
		    found = cvss_v4_distances(p, l1[a], l2[b], l36[c], l4[f], d);

    /*
     * Step 3: the distance summed per EQ (EQ5 always 0), and each
     * MacroVector's depth in 0.1 steps.
     */
    cur[0] = d[0] + d[1] + d[2];
    cur[1] = d[3] + d[4];
    cur[2] = d[5] + d[6] + d[7] + d[8] + d[9] + d[10];
    cur[3] = d[11] + d[12] + d[13];
    cur[4] = 0;
    depth[0] = cvss_v4_depth_eq1[eq[0]] * step;
    depth[1] = cvss_v4_depth_eq2[eq[1]] * step;
    depth[2] = cvss_v4_depth_eq3eq6[eq[2]][eq[5]] * step;
    depth[3] = cvss_v4_depth_eq4[eq[3]] * step;

    /*
     * Step 4: each EQ that has a lower MacroVector contributes the
     * score gap scaled by the proportion of the depth travelled; the
     * mean of those contributions comes off the MacroVector score.
     */
    n_lower = 0;
    for (i = 0; i < 5; i++) {
	normalized[i] = 0.0;
	if (lower[i] < 0)
	    continue;
	n_lower++;
	if (i < 4)
	    normalized[i] = (value - lower[i]) * (cur[i] / depth[i]);
    }
    mean = 0.0;
    if (n_lower > 0)
	mean = (normalized[0] + normalized[1] + normalized[2] + normalized[3]
		+ normalized[4]) / n_lower;
    value -= mean;
    if (value < 0)
	value = 0.0;
    if (value > 10)
	value = 10.0;

    /*
     * Step 5: round half up at one decimal, lifted by 1e-6 first as the
     * reference does, so that 5.6499999999999995 gives 5.7.
     */
    return (cvss_js_round((value + 1e-6) * 10) / 10);
}

/* ------------------------------------------------------------ parse */

/* cvss_find_metric - index of a metric name in a grammar, or -1 */

static int cvss_find_metric(const struct cvss_grammar *g, const char *name,
			            size_t len)
{
    int     m;

    for (m = 0; m < g->n_metrics; m++)
	if (strlen(g->metrics[m].name) == len
	    && memcmp(g->metrics[m].name, name, len) == 0)
	    return (m);
    return (-1);
}

/* cvss_find_value - index of a value of a metric, or -1 */

static int cvss_find_value(const struct cvss_metric_def *def, const char *val,
			           size_t len)
{
    int     i;

    for (i = 0; i < CVSS_MAX_VALUES && def->values[i]; i++)
	if (strlen(def->values[i]) == len
	    && memcmp(def->values[i], val, len) == 0)
	    return (i);
    return (-1);
}

/* cvss_expected - "N, A, L or P" for a message */

static void cvss_expected(const struct cvss_metric_def *def, char *buf,
			          size_t buflen)
{
    size_t  n;
    int     i, count;

    for (count = 0; count < CVSS_MAX_VALUES && def->values[count]; count++)
	 /* void */ ;
    buf[0] = 0;
    for (i = 0; i < count; i++) {
	n = strlen(buf);
	(void) snprintf(buf + n, buflen - n, "%s%s",
			i == 0 ? "" : (i == count - 1 ? " or " : ", "),
			def->values[i]);
    }
}

/* cvss_parse - validate a vector against its grammar */

static int cvss_parse(const char *vector, struct cvss_parsed *p,
		              char *err, size_t errlen)
{
    const struct cvss_grammar *g;
    const char *cp, *end, *colon;
    char    tok[CVSS_ERR_TOKEN_LEN + 8], tok2[CVSS_ERR_TOKEN_LEN + 8];
    char    expected[64];
    size_t  len, comp_len, name_len, value_len;
    int     m, v, count;

    /*
     * The prefix names the grammar. Anything else is not a vector we
     * can score, and the message says which versions are known.
     */
    len = strnlen(vector, CVSS_MAX_VECTOR_LEN + 1);
    if (len > CVSS_MAX_VECTOR_LEN) {
	cvss_err(err, errlen, "vector longer than %d characters",
		 CVSS_MAX_VECTOR_LEN);
	return (-1);
    }
    if (strncmp(vector, cvss_v3_grammar.prefix, strlen(cvss_v3_grammar.prefix)) == 0) {
	g = &cvss_v3_grammar;
    } else if (strncmp(vector, cvss_v4_grammar.prefix, strlen(cvss_v4_grammar.prefix)) == 0) {
	g = &cvss_v4_grammar;
    } else if (strncmp(vector, "CVSS:", 5) == 0) {
	end = strchr(vector + 5, '/');
	cvss_err(err, errlen, "unsupported CVSS version '%s': expected "
		 "CVSS:3.1/ or CVSS:4.0/",
		 cvss_token(vector + 5, end ? (size_t) (end - vector - 5) :
			    len - 5, tok, sizeof(tok)));
	return (-1);
    } else {
	cvss_err(err, errlen, "not a CVSS vector: it must start with "
		 "CVSS:3.1/ or CVSS:4.0/");
	return (-1);
    }
    p->grammar = g;
    for (m = 0; m < CVSS_MAX_METRICS; m++)
	p->value[m] = -1;

    /*
     * Each "/"-separated component is NAME:VALUE, the name known to
     * the grammar, given once, the value one of the metric's. The loop
     * is bounded by the vector length checked above.
     */
    cp = vector + strlen(g->prefix);
    for (count = 0; count <= CVSS_MAX_VECTOR_LEN; count++) {
	end = strchr(cp, '/');
	if (end == NULL)
	    end = cp + strlen(cp);
	comp_len = (size_t) (end - cp);
	if (comp_len == 0) {
	    cvss_err(err, errlen, "CVSS:%s: empty metric (%s)", g->version,
		     *end ? "two '/' in a row" : "nothing after the last '/'");
	    return (-1);
	}
	colon = memchr(cp, ':', comp_len);
	if (colon == NULL) {
	    cvss_err(err, errlen, "CVSS:%s: metric '%s' has no ':VALUE'",
		     g->version, cvss_token(cp, comp_len, tok, sizeof(tok)));
	    return (-1);
	}
	name_len = (size_t) (colon - cp);
	value_len = comp_len - name_len - 1;
	m = (name_len <= CVSS_MAX_NAME_LEN) ? cvss_find_metric(g, cp, name_len) : -1;
	if (m < 0) {
	    cvss_err(err, errlen, "CVSS:%s: unknown metric '%s'", g->version,
		     cvss_token(cp, name_len, tok, sizeof(tok)));
	    return (-1);
	}
	if (p->value[m] >= 0) {
	    cvss_err(err, errlen, "CVSS:%s: duplicate metric '%s'", g->version,
		     g->metrics[m].name);
	    return (-1);
	}
	v = (value_len <= CVSS_MAX_VALUE_LEN) ?
	    cvss_find_value(&g->metrics[m], colon + 1, value_len) : -1;
	if (v < 0) {
	    cvss_expected(&g->metrics[m], expected, sizeof(expected));
	    cvss_err(err, errlen, "CVSS:%s: bad value '%s' for metric %s "
		     "(expected %s)", g->version,
		     cvss_token(colon + 1, value_len, tok2, sizeof(tok2)),
		     g->metrics[m].name, expected);
	    return (-1);
	}
	p->value[m] = v;
	if (*end == 0)
	    break;
	cp = end + 1;
    }

    /*
     * Every base metric must be there; the others default to X.
     */
    for (m = 0; m < g->n_metrics; m++) {
	if (g->metrics[m].mandatory && p->value[m] < 0) {
	    cvss_err(err, errlen, "CVSS:%s: missing base metric %s",
		     g->version, g->metrics[m].name);
	    return (-1);
	}
    }
    return (0);
}

/* cvss_normalize - the metrics given, in the order of the specification */

static void cvss_normalize(const struct cvss_parsed *p, char *buf, size_t buflen)
{
    const struct cvss_grammar *g = p->grammar;
    size_t  n;
    int     m;

    (void) snprintf(buf, buflen, "CVSS:%s", g->version);
    for (m = 0; m < g->n_metrics; m++) {
	if (p->value[m] < 0)
	    continue;
	n = strlen(buf);
	(void) snprintf(buf + n, buflen - n, "/%s:%s", g->metrics[m].name,
			g->metrics[m].values[p->value[m]]);
    }
}

/* ----------------------------------------------------------- public */

/* cvss_score - validate and score one vector */

int     cvss_score(const char *vector, struct cvss_result *result,
		           char *err, size_t errlen)
{
    struct cvss_parsed parsed;
    double  score;

    if (err != NULL && errlen > 0)
	err[0] = 0;
    if (vector == NULL || result == NULL) {
	cvss_err(err, errlen, "no vector");
	return (-1);
    }

    /*
     * Parse first: nothing is written to result for a bad vector.
     */
    if (cvss_parse(vector, &parsed, err, errlen) < 0)
	return (-1);

    if (parsed.grammar == &cvss_v3_grammar)
	score = cvss_v3_score(&parsed);
    else
	score = cvss_v4_score(&parsed);

    memset(result, 0, sizeof(*result));
    (void) snprintf(result->version, sizeof(result->version), "%s",
		    parsed.grammar->version);
    cvss_normalize(&parsed, result->vector, sizeof(result->vector));
    result->score = score;
    result->severity = cvss_severity_of(score);
    return (0);
}

/* cvss_severity_of - qualitative rating of a score */

enum triage_severity cvss_severity_of(double score)
{
    double  tenths;

    /*
     * Compare in tenths so that 3.9000000001 is still low.
     */
    if (isnan(score))
	return (SEV_UNSET);
    tenths = cvss_js_round(score * 10);
    if (tenths <= 0)
	return (SEV_NONE);
    if (tenths <= 39)
	return (SEV_LOW);
    if (tenths <= 69)
	return (SEV_MEDIUM);
    if (tenths <= 89)
	return (SEV_HIGH);
    return (SEV_CRITICAL);
}
