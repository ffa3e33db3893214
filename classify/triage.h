#ifndef SECMILTER_TRIAGE_H
#define SECMILTER_TRIAGE_H

/*++
/* NAME
/*	triage 3h
/* SUMMARY
/*	judge a parsed report against the vulnerability reporting policy
/* SYNOPSIS
/*	#include "classify/triage.h"
/*
/*	void	triage_init(triage)
/*	struct triage_rules *triage_rules_load(path, err, errlen)
/*	void	triage_rules_free(rules)
/*	const char *triage_rules_source(rules)
/*	int	triage_rules_prebuilt(rules)
/*	int	triage_rules_cached(rules)
/*	int	triage_rules_cache_dir(dir)
/*	const struct triage_rules *triage_builtin_rules()
/*	int	triage_classify(rules, report, envelope_sender, config, triage)
/*	void	triage_set_followup(triage, ticket_id)
/*	json_t	*triage_to_json(report, triage, file)
/*	int	triage_header(triage, sbuf)
/*	void	triage_free(triage)
/*
/*	int	cvss_score(vector, result, err, errlen)
/* DESCRIPTION
/*	classify/ reads a struct report and fills a struct triage: kind,
/*	classes, scope, completeness, conduct, flags, severity and whether
/*	an acknowledgement is due. The vocabularies are the ones fixed in
/*	INTERFACE.md; the string tables below are the only spelling of them.
/*
/*	Contract:
/* .IP \(bu
/*	classify/ never touches the store, the network or the file system
/*	(beyond reading a rules file, and the cache of compiled rules its
/*	caller may name: triage_rules_cache_dir()).
/*	Whether a message is a follow-up on a known ticket is decided by the
/*	caller (who may look in the store) and told with
/*	triage_set_followup(). Without a store (secmilter -t), a ticket tag
/*	in the Subject alone makes a follow-up.
/* .IP \(bu
/*	triage_to_json() returns a new jansson reference the caller
/*	json_decref()s; it has every field of the INTERFACE.md triage JSON.
/* .IP \(bu
/*	triage_header() appends the X-Security-Triage value; every word in it
/*	comes from a fixed vocabulary or a ticket ID, never from the sender.
/* .IP \(bu
/*	Reentrant: a triage is used by one thread; the tables are constant.
/*--*/

#include <jansson.h>

#include "util/util.h"
#include "parser/report.h"

enum triage_kind { TRIAGE_REPORT, TRIAGE_FOLLOWUP, TRIAGE_AUTOMATED };
enum triage_scope { SCOPE_IN, SCOPE_OUT, SCOPE_UNCLEAR };
enum triage_severity {
    SEV_UNSET = -1, SEV_NONE, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL
};

/* The five items of the policy, in the order of INTERFACE.md. */
enum triage_item { ITEM_TYPE, ITEM_TARGET, ITEM_IMPACT, ITEM_STEPS, ITEM_POC, ITEM_COUNT };

extern const char *const triage_kind_names[];	/* "report", ... */
extern const char *const triage_scope_names[];	/* "in", "out", "unclear" */
extern const char *const triage_item_names[];	/* "type", "target", ... */
extern const char *const triage_class_names[];	/* NULL terminated */
extern const char *const triage_conduct_names[];	/* NULL terminated */
extern const char *triage_severity_name(enum triage_severity);	/* NULL = unset */
extern enum triage_severity triage_severity_parse(const char *);	/* SEV_UNSET if bad */
extern int triage_class_valid(const char *);

/* ------------------------------------------------------------ CVSS */

struct cvss_result {
    char    version[4];			/* "3.1" or "4.0" */
    char    vector[256];		/* normalised vector */
    double  score;			/* one decimal */
    enum triage_severity severity;
};

/* 0 and result filled, or -1 with a reason in err for a bad vector. */
extern int cvss_score(const char *vector, struct cvss_result *,
		              char *err, size_t errlen);
extern enum triage_severity cvss_severity_of(double score);

/* ----------------------------------------------------------- rules */

/*
 * The patterns, weights and phrases the classifier uses, from a rules
 * file (format: classify/default.rules, secmilter.conf(5) RulesFile).
 * triage_rules_load(NULL, ...) gives the built-in rules. Loading is all
 * or nothing: NULL with "FILE:LINE: reason" in err, nothing leaked. A
 * loaded object is immutable and may be shared by any number of
 * threads; the caller frees it once no thread uses it. triage_classify()
 * with NULL rules uses the built-in ones, loaded once per process;
 * triage_builtin_rules() loads them now (a daemon, at start) and returns
 * them, NULL when they cannot be loaded (logged). triage_rules_prebuilt()
 * is 1 when they run on the databases compiled in at build time, 0 when
 * those did not fit this CPU and the patterns were compiled at load.
 * triage_rules_cache_dir() names a directory where compiled databases
 * are kept between loads (NULL, the default: none; classify/rulescache.c);
 * triage_rules_cached() is 1 when a load read its databases from there.
 * That directory is the only file classify/ writes.
 */
struct triage_rules;
extern struct triage_rules *triage_rules_load(const char *path, char *err,
					              size_t errlen);
extern void triage_rules_free(struct triage_rules *);
extern const char *triage_rules_source(const struct triage_rules *);
extern int triage_rules_prebuilt(const struct triage_rules *);
extern int triage_rules_cached(const struct triage_rules *);
extern int triage_rules_cache_dir(const char *);
extern const struct triage_rules *triage_builtin_rules(void);

/* -------------------------------------------------------- evidence */

/*
 * Why a decision was taken: the rule (e.g. "default.rules:142", "url",
 * "payload", "attachment"), the matched text with a little context
 * (sanitised, at most TRIAGE_EVIDENCE_MATCH_MAX bytes) and its byte
 * offset in report->text (TRIAGE_EV_SUBJECT: in the Subject,
 * TRIAGE_EV_NONE: not in the text, e.g. an attachment). At most
 * TRIAGE_EVIDENCE_MAX entries per decision.
 */
#define TRIAGE_EVIDENCE_MAX	5
#define TRIAGE_EVIDENCE_MATCH_MAX 120
#define TRIAGE_EV_SUBJECT	(-1L)
#define TRIAGE_EV_NONE		(-2L)

enum triage_ev_section {
    EV_CLASS, EV_ITEM, EV_SCOPE, EV_CONDUCT, EV_FLAG, EV_SEVERITY
};

struct triage_evidence {
    enum triage_ev_section section;
    char   *key;			/* class, item, conduct, flag, or scope reason */
    char   *rule;
    char   *match;
    long    offset;
};

/* ---------------------------------------------------------- triage */

struct triage {
    enum triage_kind kind;
    char   *ticket;			/* "SEC-2026-0042" or NULL */
    struct strlist classes;		/* vocabulary words, best first */
    enum triage_scope scope;
    struct strlist scope_reasons;	/* human sentences */
    int     complete[ITEM_COUNT];	/* 1 present, 0 missing */
    struct strlist conduct;		/* vocabulary words */
    struct strlist flags;		/* bounty_demand, encrypted, ... */
    enum triage_severity severity;	/* SEV_UNSET = null */
    int     has_cvss;
    struct cvss_result cvss;
    int     acknowledge;		/* an ack is due */
    char   *duplicate_of;		/* set by the caller; NULL = none */
    double  duplicate_similarity;	/* set with duplicate_of: 0..1 */
    const char *duplicate_basis;	/* "fingerprint" or "text": a constant */
    char   *sender;			/* envelope sender used; "" = null */
    struct triage_evidence *evidence;	/* why: every decision's evidence */
    size_t  n_evidence;
    char   *severity_rule;		/* how severity was decided; NULL = unset */
    const char *severity_basis;		/* "cvss", "class+impact" or NULL */
};

extern void triage_init(struct triage *);
extern int triage_classify(const struct triage_rules *, const struct report *,
			           const char *envelope_sender,
			           const struct sm_config *, struct triage *);
extern void triage_set_followup(struct triage *, const char *ticket_id);
extern void triage_set_ticket(struct triage *, const char *ticket_id);
extern json_t *triage_to_json(const struct report *, const struct triage *,
			              const char *file);

/*
 * Dump triage JSON with these flags (or add JSON_REAL_PRECISION(15) to
 * yours): jansson's default prints the score 9.8 as 9.8000000000000007.
 */
#define TRIAGE_JSON_DUMP_FLAGS	(JSON_COMPACT | JSON_REAL_PRECISION(15))
extern int triage_header(const struct triage *, struct sbuf *);
extern void triage_free(struct triage *);

/*
 * triage_find_ticket_tag() finds "[SEC-YYYY-NNNN]" (also without the
 * brackets after "Re:") in text; writes the ID into buf (>= 32 bytes).
 */
extern int triage_find_ticket_tag(const char *text, char *buf, size_t len);
extern int triage_ticket_id_valid(const char *);


/* ------------------------------------------------------- duplicates */

/*
 * similar.c: the keys by which the caller finds an earlier ticket about
 * the same issue (classify/ computes them, store/ indexes and looks them
 * up). triage_fingerprints() writes up to max (<= TRIAGE_FP_MAX) SHA-256
 * hex strings, one per distinct endpoint of the report: asset host, top
 * class, the path with IDs replaced by placeholders, sorted parameter
 * names; none without a class. triage_simhash() is a 64-bit SimHash of
 * word 3-shingles (quoted lines and the signature dropped, at most
 * TRIAGE_SIMHASH_MAX_BYTES read); 0 when the text is too short to tell.
 * triage_duplicate_json() is the JSON "duplicate" member: null, or
 * {"of", "similarity", "basis"} from duplicate_of and its two fields.
 */
#define TRIAGE_FP_MAX			8
#define TRIAGE_SIMHASH_MAX_BYTES	(256UL * 1024)
#define TRIAGE_SIMHASH_MIN_WORDS	12

extern int triage_fingerprints(const struct report *, const struct triage *,
			               char fps[][65], size_t max);
extern uint64_t triage_simhash(const char *text, size_t len);
extern double triage_simhash_similarity(uint64_t, uint64_t);
extern json_t *triage_duplicate_json(const struct triage *);

#endif
