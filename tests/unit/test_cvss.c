/*++
/* NAME
/*	test_cvss 1
/* SUMMARY
/*	unit tests of classify/cvss.c
/* SYNOPSIS
/*	tests/unit/test_cvss
/* DESCRIPTION
/*	Scores of CVSS v3.1 and v4.0 vectors against published values
/*	(the FIRST specification examples and the FIRST v4.0 reference
/*	calculator, as reproduced by the ae-cvss-calculator package), the
/*	severity bands, the normalised vector, and the rejection of
/*	malformed vectors with a message that names the fault.
/* DIAGNOSTICS
/*	TAP or cmocka output; exit status 0 when every test passed.
/*--*/

/* System library. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

/* Application-specific. */

#include "classify/triage.h"

struct known_score {
    const char *vector;
    double  score;
    enum triage_severity severity;
};

 /*
  * v3.1: specification examples and NVD-published base scores, plus
  * temporal and environmental vectors (the most specific score wins).
  */
static const struct known_score v31_known[] = {
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, SEV_CRITICAL},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, SEV_MEDIUM},
    {"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8, SEV_HIGH},
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0, SEV_NONE},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, SEV_CRITICAL},
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4, SEV_MEDIUM},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, SEV_HIGH},
    {"CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6, SEV_LOW},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C", 8.8, SEV_HIGH},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:L/IR:L/AR:L/MAV:L", 6.6, SEV_MEDIUM},
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N/MS:C/MC:H", 8.5, SEV_HIGH},
    /* order is not enforced */
    {"CVSS:3.1/C:H/I:H/A:H/AV:N/AC:L/PR:N/UI:N/S:U", 9.8, SEV_CRITICAL},
};

 /*
  * v4.0: the FIRST calculator's scores, base and with threat,
  * environmental and supplemental metrics.
  */
static const struct known_score v40_known[] = {
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3, SEV_CRITICAL},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 8.5, SEV_HIGH},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0.0, SEV_NONE},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10.0, SEV_CRITICAL},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 8.7, SEV_HIGH},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:L/VI:L/VA:N/SC:L/SI:L/SA:N", 5.1, SEV_MEDIUM},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", 1.0, SEV_LOW},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U", 8.1, SEV_HIGH},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P/CR:L/IR:L/AR:L", 7.9, SEV_HIGH},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N/MSI:S/MSA:S", 9.1, SEV_CRITICAL},
    {"CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:P/VC:H/VI:L/VA:N/SC:L/SI:N/SA:H/S:P/AU:Y/R:I/V:C/RE:H/U:Red", 5.7, SEV_MEDIUM},
    /* a modified impact lifts a no-impact base vector */
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/MVC:H", 8.7, SEV_HIGH},
};

static void check_known(const struct known_score *k, size_t n)
{
    struct cvss_result r;
    char    err[256];
    size_t  i;

    for (i = 0; i < n; i++) {
	err[0] = 0;
	if (cvss_score(k[i].vector, &r, err, sizeof(err)) != 0)
	    fail_msg("%s rejected: %s", k[i].vector, err);
	if (fabs(r.score - k[i].score) > 0.001)
	    fail_msg("%s scored %.1f, expected %.1f", k[i].vector, r.score, k[i].score);
	assert_int_equal(r.severity, k[i].severity);
    }
}

static void test_v31_known_scores(void **state)
{
    (void) state;
    check_known(v31_known, sizeof(v31_known) / sizeof(v31_known[0]));
}

static void test_v40_known_scores(void **state)
{
    (void) state;
    check_known(v40_known, sizeof(v40_known) / sizeof(v40_known[0]));
}

static void test_result_fields(void **state)
{
    struct cvss_result r;
    char    err[256];

    (void) state;

    /* The vector comes back in specification order, version set. */
    assert_int_equal(cvss_score("CVSS:3.1/C:H/I:H/A:H/AV:N/AC:L/PR:N/UI:N/S:U",
				&r, err, sizeof(err)), 0);
    assert_string_equal(r.version, "3.1");
    assert_string_equal(r.vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");

    assert_int_equal(cvss_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/"
				"SC:N/SI:N/SA:N/U:Amber/E:A", &r, err, sizeof(err)), 0);
    assert_string_equal(r.version, "4.0");
    assert_string_equal(r.vector, "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/"
			"SC:N/SI:N/SA:N/E:A/U:Amber");
    assert_true(fabs(r.score - 9.3) < 0.001);
}

 /*
  * Scores that sit on an x.x5 tie in floating point: the reference
  * lifts by 1e-6 before rounding.
  */
static void test_v40_rounding_ties(void **state)
{
    struct cvss_result r;
    char    err[256];

    (void) state;
    /* the interpolation gives 8.5499999999999989 here: 8.6, not 8.5 */
    assert_int_equal(cvss_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:L/VA:N/"
				"SC:H/SI:H/SA:H", &r, err, sizeof(err)), 0);
    assert_true(fabs(r.score - 8.6) < 0.001);
}

struct bad_vector {
    const char *vector;
    const char *must_say;		/* part of the message */
};

static const struct bad_vector bad_vectors[] = {
    {"", "not a CVSS vector"},
    {"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "not a CVSS vector"},
    {"cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "not a CVSS vector"},
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unsupported CVSS version '3.0'"},
    {"CVSS:2.0/AV:N", "unsupported CVSS version"},
    {"CVSS:3.1/", "empty metric"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", "empty metric"},
    {"CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "empty metric"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "missing base metric A"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H", "missing base metric S"},
    {"CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "duplicate metric 'AV'"},
    {"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "bad value 'X' for metric AV"},
    {"CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "bad value 'n' for metric AV"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:P/S:U/C:H/I:H/A:H", "bad value 'P' for metric UI"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y", "unknown metric 'XX'"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AT:N", "unknown metric 'AT'"},
    {"CVSS:3.1/AV/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "has no ':VALUE'"},
    {"CVSS:3.1/AV:/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "bad value '' for metric AV"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N", "missing base metric SA"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "bad value 'R' for metric UI"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N", "bad value 'S' for metric SI"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:U", "bad value 'U' for metric S (expected X, N or P)"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSC:S", "bad value 'S' for metric MSC"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:red", "bad value 'red' for metric U"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/E:U", "duplicate metric 'E'"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MS:U", "unknown metric 'MS'"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N trailing", "bad value"},
    /* control characters are never echoed */
    {"CVSS:3.1/A\x1b[2J:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown metric 'A??2J'"},
};

static void test_malformed_vectors(void **state)
{
    struct cvss_result r;
    char    err[256];
    size_t  i;

    (void) state;
    for (i = 0; i < sizeof(bad_vectors) / sizeof(bad_vectors[0]); i++) {
	err[0] = 0;
	if (cvss_score(bad_vectors[i].vector, &r, err, sizeof(err)) != -1)
	    fail_msg("accepted: %s", bad_vectors[i].vector);
	if (strstr(err, bad_vectors[i].must_say) == NULL)
	    fail_msg("%s: message \"%s\" does not say \"%s\"",
		     bad_vectors[i].vector, err, bad_vectors[i].must_say);
    }
}

static void test_overlong_and_null(void **state)
{
    struct cvss_result r;
    char    err[256], big[2048];
    size_t  n;

    (void) state;
    strcpy(big, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    for (n = strlen(big); n + 5 < sizeof(big); n += 4)
	strcat(big, "/E:X");
    assert_int_equal(cvss_score(big, &r, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "longer than"));
    assert_int_equal(cvss_score(NULL, &r, err, sizeof(err)), -1);

    /* no room for a message is fine too */
    assert_int_equal(cvss_score("CVSS:3.1/AV:N", &r, NULL, 0), -1);
    assert_int_equal(cvss_score("CVSS:3.1/AV:N", &r, err, 1), -1);
    assert_int_equal(err[0], 0);
}

static void test_severity_bands(void **state)
{
    (void) state;
    assert_int_equal(cvss_severity_of(0.0), SEV_NONE);
    assert_int_equal(cvss_severity_of(0.1), SEV_LOW);
    assert_int_equal(cvss_severity_of(3.9), SEV_LOW);
    assert_int_equal(cvss_severity_of(4.0), SEV_MEDIUM);
    assert_int_equal(cvss_severity_of(6.9), SEV_MEDIUM);
    assert_int_equal(cvss_severity_of(7.0), SEV_HIGH);
    assert_int_equal(cvss_severity_of(8.9), SEV_HIGH);
    assert_int_equal(cvss_severity_of(9.0), SEV_CRITICAL);
    assert_int_equal(cvss_severity_of(10.0), SEV_CRITICAL);
    assert_int_equal(cvss_severity_of(NAN), SEV_UNSET);
}

 /*
  * Every v3.1 base vector scores within 0..10 with one decimal, and
  * zero impact scores 0.0 whatever the rest says.
  */
static void test_v31_exhaustive_sanity(void **state)
{
    static const char *av = "NALP", *ac = "LH", *pr = "NLH", *ui = "NR",
           *s = "UC", *cia = "HLN";
    struct cvss_result r;
    char    v[128], err[256];
    int     a, b, c, d, e, f, g, h;

    (void) state;
    for (a = 0; a < 4; a++) for (b = 0; b < 2; b++) for (c = 0; c < 3; c++)
	for (d = 0; d < 2; d++) for (e = 0; e < 2; e++) for (f = 0; f < 3; f++)
	    for (g = 0; g < 3; g++) for (h = 0; h < 3; h++) {
		snprintf(v, sizeof(v), "CVSS:3.1/AV:%c/AC:%c/PR:%c/UI:%c/S:%c/C:%c/I:%c/A:%c",
			 av[a], ac[b], pr[c], ui[d], s[e], cia[f], cia[g], cia[h]);
		assert_int_equal(cvss_score(v, &r, err, sizeof(err)), 0);
		assert_true(r.score >= 0.0 && r.score <= 10.0);
		assert_true(fabs(r.score * 10 - floor(r.score * 10 + 0.5)) < 1e-9);
		if (f == 2 && g == 2 && h == 2)
		    assert_true(r.score == 0.0);
		else
		    assert_true(r.score > 0.0);
	    }
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_v31_known_scores),
	cmocka_unit_test(test_v40_known_scores),
	cmocka_unit_test(test_result_fields),
	cmocka_unit_test(test_v40_rounding_ties),
	cmocka_unit_test(test_malformed_vectors),
	cmocka_unit_test(test_overlong_and_null),
	cmocka_unit_test(test_severity_bands),
	cmocka_unit_test(test_v31_exhaustive_sanity),
    };

    return (cmocka_run_group_tests(tests, NULL, NULL));
}
