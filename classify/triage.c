/*++
/* NAME
/*	triage 3
/* SUMMARY
/*	judge a parsed report against the vulnerability reporting policy
/* SYNOPSIS
/*	#include "classify/triage.h"
/*
/*	void	triage_init(t)
/*	struct triage *t;
/*
/*	int	triage_classify(report, envelope_sender, cfg, t)
/*	const struct report *report;
/*	const char *envelope_sender;
/*	const struct sm_config *cfg;
/*	struct triage *t;
/*
/*	void	triage_set_followup(t, ticket_id)
/*	void	triage_set_ticket(t, ticket_id)
/*
/*	json_t	*triage_to_json(report, t, file)
/*	int	triage_header(t, sbuf)
/*	void	triage_free(t)
/*
/*	int	triage_find_ticket_tag(text, buf, len)
/*	int	triage_ticket_id_valid(id)
/* DESCRIPTION
/*	This is the first, keyword-based pass of the intake desk. It reads
/*	what the parser made of a message and fills struct triage:
/* .IP kind
/*	automated (RFC 3834: null sender, Auto-Submitted other than "no",
/*	Precedence bulk/list/junk, list or auto-reply headers, a DSN, a
/*	robot's address such as MAILER-DAEMON or owner-*, or an auto-reply
/*	Subject); followup when the Subject carries a ticket tag; else
/*	report. An automated message with a ticket tag stays automated,
/*	but its ticket is set so the caller can record it on the ticket.
/* .IP classes
/*	the INTERFACE.md vocabulary, scored by wording, payloads and CWE
/*	IDs in the Subject and the text (a Subject hit counts twice). A
/*	phrase preceded within three words of its sentence by a negation
/*	("not an XSS", "no SQL injection") does not count, unless the
/*	next word names a defence ("no CSRF token" is a CSRF report).
/*	A class needs a score of 2 (one strong word, or two weak ones).
/*	"other" is given only when no class scores and the message still
/*	speaks of a vulnerability, an exploit, a CVE ID or a CVSS vector.
/* .IP scope
/*	out for the policy's three exclusions when they are the top class,
/*	or when every asset host named in a URL is outside InScopeDomains
/*	or a third-party service; in for a class the policy lists; else
/*	unclear. Reference sites (OWASP, MITRE, GitHub, video hosts),
/*	payload hosts (169.254.169.254, localhost, collaborator domains)
/*	and IP literals are not assets and are ignored here.
/* .IP completeness
/*	the policy's five items: type (a class other than "other"),
/*	target (an asset URL, a product version or an in-scope host name),
/*	impact, steps and poc (wording, payloads or an attachment).
/* .IP "conduct, flags"
/*	what the reporter says they did that the policy forbids; bounty
/*	demands and what the parser noticed (encrypted, malformed MIME,
/*	forged X-Security-* headers, truncation).
/* .IP severity
/*	the highest valid CVSS vector of the report, else an estimate from
/*	the top class (see triage_estimate()), else unset.
/* .PP
/*	At most TRIAGE_MAX_SCAN_BYTES of the text are read; every loop over
/*	sender data is bounded by a named constant.
/*
/*	triage_set_followup() and triage_set_ticket() let the caller, who
/*	may look in the store, correct what the Subject alone suggested.
/*	Ticket IDs that are not SEC-YYYY-NNNN are ignored.
/*
/*	triage_to_json() builds the INTERFACE.md triage object, fields in
/*	the documented order, plus "duplicate_of". Dump it with
/*	TRIAGE_JSON_DUMP_FLAGS so that scores print as 9.8, not
/*	9.8000000000000007.
/*
/*	triage_header() appends the X-Security-Triage value. Only fixed
/*	vocabulary words and validated ticket IDs reach it.
/* DIAGNOSTICS
/*	triage_classify() returns -1 with errno set when memory runs out,
/*	else 0. triage_to_json() returns NULL when memory runs out.
/*	triage_header() returns -1 when the sbuf bound was hit. Nothing
/*	here aborts on input.
/*--*/

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1			/* memmem() */
#endif

/* System library. */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Utility library. */

#include "util/util.h"

/* Application-specific. */

#include "parser/report.h"
#include "classify/triage.h"

 /*
  * Limits on what one message can make us do.
  */
#define TRIAGE_MAX_SCAN_BYTES	(512 * 1024)	/* text read for keywords */
#define TRIAGE_MAX_SUBJECT_BYTES 4096	/* subject read for keywords */
#define TRIAGE_MAX_HITS		64	/* occurrences tried per pattern */
#define TRIAGE_MAX_LINES	20000	/* lines read for numbered steps */
#define TRIAGE_MAX_URLS		200	/* URLs looked at */
#define TRIAGE_MAX_HOST_LEN	253	/* a DNS name */
#define TRIAGE_MAX_HOST_REASONS	3	/* hosts named in scope_reasons */
#define TRIAGE_MAX_VECTORS	20	/* CVSS vectors scored */
#define TRIAGE_NEG_WORDS	3	/* words looked back for a negation */
#define TRIAGE_CLASS_MIN_SCORE	2	/* score for a class to count */
#define TRIAGE_JSON_STR_MAX	(64 * 1024)	/* sanitised JSON fallback */
#define TRIAGE_TICKET_MAX_DIGITS 9	/* SEC-YYYY-NNNNNNNNN */
#define TRIAGE_STEPS_WINDOW	300	/* bytes from "first" to "then" */

/* ------------------------------------------------------------ tables */

const char *const triage_kind_names[] = {"report", "followup", "automated"};
const char *const triage_scope_names[] = {"in", "out", "unclear"};
const char *const triage_item_names[] = {"type", "target", "impact", "steps", "poc"};

enum triage_class {
    C_XSS, C_CSRF, C_SQLI, C_MIXED, C_MITM, C_AUTH, C_RCE, C_SSRF,
    C_REDIRECT, C_XXE, C_TRAVERSAL, C_INFO, C_HEADERS, C_STACK,
    C_SPOOF, C_DOS, C_OTHER, C_COUNT
};

const char *const triage_class_names[] = {
    "xss", "csrf", "sqli", "mixed_content", "mitm", "auth", "rce", "ssrf",
    "open_redirect", "xxe", "path_traversal", "info_disclosure",
    "missing_headers", "stack_trace", "content_spoofing", "dos", "other",
    NULL,
};

enum triage_conduct {
    K_DOS, K_BRUTE, K_SPAM, K_OTHERS_DATA, K_DESTRUCTION, K_SOCIAL,
    K_PHYSICAL, K_NON_TEST, K_DISCLOSURE, K_COUNT
};

const char *const triage_conduct_names[] = {
    "dos", "brute_force", "spam", "others_data", "data_destruction",
    "social_engineering", "physical", "non_test_account",
    "public_disclosure", NULL,
};

static const char *const triage_severity_names[] = {
    "none", "low", "medium", "high", "critical",
};

 /*
  * A pattern is lower case ASCII, matched on a copy of the text that is
  * lower-cased with white space folded to one space. A pattern that
  * starts (ends) with a letter or digit must start (end) on a word
  * boundary; a trailing '*' drops the end boundary ("leak*").
  */
struct triage_pattern {
    const char *text;
    short   id;				/* class, conduct or item */
    short   weight;
};

static const struct triage_pattern triage_class_patterns[] = {
    /* xss */
    {"xss", C_XSS, 3}, {"cross-site scripting", C_XSS, 3},
    {"cross site scripting", C_XSS, 3}, {"cwe-79", C_XSS, 3},
    {"html injection", C_XSS, 2}, {"<script", C_XSS, 2},
    {"onerror=", C_XSS, 2}, {"onload=", C_XSS, 2},
    {"javascript:alert", C_XSS, 2}, {"alert(", C_XSS, 1},
    {"document.cookie", C_XSS, 1}, {"reflected", C_XSS, 1},
    {"dom-based", C_XSS, 1}, {"<svg", C_XSS, 1},
    /* csrf */
    {"csrf", C_CSRF, 3}, {"xsrf", C_CSRF, 3},
    {"cross-site request forgery", C_CSRF, 3},
    {"cross site request forgery", C_CSRF, 3}, {"cwe-352", C_CSRF, 3},
    {"samesite", C_CSRF, 1},
    /* sqli */
    {"sql injection", C_SQLI, 3}, {"sqli", C_SQLI, 3},
    {"sql-injection", C_SQLI, 3}, {"cwe-89", C_SQLI, 3},
    {"blind sql", C_SQLI, 2}, {"union select", C_SQLI, 2},
    {"union all select", C_SQLI, 2}, {"' or 1=1", C_SQLI, 2},
    {"' or '1'='1", C_SQLI, 2}, {"or 1=1", C_SQLI, 1},
    {"sqlmap", C_SQLI, 2}, {"waitfor delay", C_SQLI, 2},
    {"information_schema", C_SQLI, 2}, {"sleep(", C_SQLI, 1},
    {"sql syntax", C_SQLI, 1}, {"sql error", C_SQLI, 1},
    /* mixed content */
    {"mixed content", C_MIXED, 3}, {"mixed-content", C_MIXED, 3},
    {"insecure content", C_MIXED, 2}, {"loaded over http", C_MIXED, 2},
    /* mitm */
    {"man-in-the-middle", C_MITM, 3}, {"man in the middle", C_MITM, 3},
    {"mitm", C_MITM, 3}, {"ssl stripping", C_MITM, 2},
    {"sslstrip", C_MITM, 2}, {"tls downgrade", C_MITM, 2},
    {"certificate validation", C_MITM, 2}, {"cwe-295", C_MITM, 3},
    {"cwe-319", C_MITM, 2}, {"cleartext", C_MITM, 1},
    {"weak cipher*", C_MITM, 1},
    /* auth */
    {"idor", C_AUTH, 3}, {"insecure direct object reference*", C_AUTH, 3},
    {"account takeover", C_AUTH, 3}, {"account take over", C_AUTH, 3},
    {"account take-over", C_AUTH, 3}, {"privilege escalation", C_AUTH, 3},
    {"escalate privileges", C_AUTH, 2}, {"escalate my privileges", C_AUTH, 2},
    {"session fixation", C_AUTH, 3}, {"session hijack*", C_AUTH, 2},
    {"authentication bypass", C_AUTH, 3}, {"bypass authentication", C_AUTH, 3},
    {"bypass the authentication", C_AUTH, 3}, {"auth bypass", C_AUTH, 3},
    {"authorization bypass", C_AUTH, 3}, {"authorisation bypass", C_AUTH, 3},
    {"broken access control", C_AUTH, 3}, {"broken authentication", C_AUTH, 3},
    {"2fa bypass", C_AUTH, 3}, {"bypass 2fa", C_AUTH, 3},
    {"mfa bypass", C_AUTH, 3}, {"unauthorized access", C_AUTH, 2},
    {"unauthorised access", C_AUTH, 2}, {"missing authorization", C_AUTH, 2},
    {"access control", C_AUTH, 1}, {"password reset", C_AUTH, 1},
    {"jwt", C_AUTH, 1}, {"cwe-287", C_AUTH, 3}, {"cwe-639", C_AUTH, 3},
    {"cwe-284", C_AUTH, 3}, {"cwe-285", C_AUTH, 3}, {"cwe-384", C_AUTH, 3},
    {"cwe-306", C_AUTH, 3}, {"cwe-862", C_AUTH, 3}, {"cwe-863", C_AUTH, 3},
    /* rce: server-side code execution, SSI, injection, deserialisation */
    {"rce", C_RCE, 3}, {"remote code execution", C_RCE, 3},
    {"code execution", C_RCE, 2}, {"command injection", C_RCE, 3},
    {"os command", C_RCE, 2}, {"shell injection", C_RCE, 3},
    {"ssti", C_RCE, 3}, {"template injection", C_RCE, 3},
    {"{{7*7}}", C_RCE, 2}, {"${7*7}", C_RCE, 2},
    {"deserialization", C_RCE, 2}, {"deserialisation", C_RCE, 2},
    {"insecure deserial*", C_RCE, 3}, {"ssi injection", C_RCE, 3},
    {"server-side include*", C_RCE, 3}, {"server side include*", C_RCE, 3},
    {"<!--#exec", C_RCE, 3}, {"webshell", C_RCE, 2}, {"web shell", C_RCE, 2},
    {"reverse shell", C_RCE, 2}, {"arbitrary code", C_RCE, 2},
    {"arbitrary command*", C_RCE, 2}, {"unrestricted file upload", C_RCE, 2},
    {"cwe-78", C_RCE, 3}, {"cwe-77", C_RCE, 3}, {"cwe-94", C_RCE, 3},
    {"log4shell", C_RCE, 3}, {"cwe-97", C_RCE, 3}, {"cwe-502", C_RCE, 3}, {"cwe-1336", C_RCE, 3},
    /* ssrf */
    {"ssrf", C_SSRF, 3}, {"server-side request forgery", C_SSRF, 3},
    {"server side request forgery", C_SSRF, 3}, {"169.254.169.254", C_SSRF, 3},
    {"metadata.google.internal", C_SSRF, 2}, {"cwe-918", C_SSRF, 3},
    {"internal network", C_SSRF, 1},
    /* open redirect */
    {"open redirect*", C_REDIRECT, 3}, {"open-redirect*", C_REDIRECT, 3},
    {"unvalidated redirect*", C_REDIRECT, 3}, {"url redirection", C_REDIRECT, 2},
    {"cwe-601", C_REDIRECT, 3}, {"redirect_uri", C_REDIRECT, 1},
    {"redirect=", C_REDIRECT, 1},
    /* xxe */
    {"xxe", C_XXE, 3}, {"xml external entit*", C_XXE, 3},
    {"<!entity", C_XXE, 3}, {"external entity", C_XXE, 2},
    {"cwe-611", C_XXE, 3}, {"cwe-776", C_XXE, 2},
    /* path traversal */
    {"path traversal", C_TRAVERSAL, 3}, {"directory traversal", C_TRAVERSAL, 3},
    {"local file inclusion", C_TRAVERSAL, 3}, {"file inclusion", C_TRAVERSAL, 2},
    {"lfi", C_TRAVERSAL, 2}, {"../../", C_TRAVERSAL, 2},
    {"..%2f", C_TRAVERSAL, 2}, {"%2e%2e%2f", C_TRAVERSAL, 2},
    {"..\\..\\", C_TRAVERSAL, 2}, {"/etc/passwd", C_TRAVERSAL, 2},
    {"cwe-22", C_TRAVERSAL, 3}, {"cwe-23", C_TRAVERSAL, 3},
    {"cwe-98", C_TRAVERSAL, 2},
    /* information disclosure */
    {"information disclosure", C_INFO, 3}, {"info disclosure", C_INFO, 3},
    {"information leak*", C_INFO, 3}, {"sensitive data exposure", C_INFO, 3},
    {"source code disclosure", C_INFO, 3}, {"exposed .git", C_INFO, 3},
    {"data exposure", C_INFO, 2}, {"leaks", C_INFO, 2}, {"leaked", C_INFO, 2},
    {"leaking", C_INFO, 2}, {"/.git/", C_INFO, 2}, {".git/config", C_INFO, 2},
    {".env file", C_INFO, 2}, {"/.env", C_INFO, 2},
    {"directory listing", C_INFO, 2}, {"phpinfo", C_INFO, 2},
    {"exposed api key*", C_INFO, 2}, {"cwe-200", C_INFO, 3},
    {"cwe-532", C_INFO, 2}, {"cwe-538", C_INFO, 2}, {"exposes", C_INFO, 1},
    {"publicly accessible", C_INFO, 1}, {"s3 bucket", C_INFO, 1},
    /* missing headers (policy exclusion 1) */
    {"x-frame-options", C_HEADERS, 3}, {"clickjacking", C_HEADERS, 3},
    {"click-jacking", C_HEADERS, 3}, {"x-content-type-options", C_HEADERS, 3},
    {"missing header*", C_HEADERS, 3}, {"missing security header*", C_HEADERS, 3},
    {"header missing", C_HEADERS, 2}, {"headers missing", C_HEADERS, 2},
    {"header is missing", C_HEADERS, 2}, {"headers are missing", C_HEADERS, 2},
    {"security headers", C_HEADERS, 2}, {"hsts", C_HEADERS, 2},
    {"strict-transport-security", C_HEADERS, 2},
    {"content-security-policy", C_HEADERS, 2}, {"nosniff", C_HEADERS, 2},
    {"referrer-policy", C_HEADERS, 2}, {"x-xss-protection", C_HEADERS, 2},
    {"permissions-policy", C_HEADERS, 2}, {"cwe-1021", C_HEADERS, 3},
    /* stack traces and 500 errors (policy exclusion 2) */
    {"stack trace", C_STACK, 3}, {"stacktrace", C_STACK, 3},
    {"stack-trace", C_STACK, 3}, {"traceback", C_STACK, 3},
    {"500 internal server error", C_STACK, 3}, {"cwe-209", C_STACK, 3},
    {"internal server error", C_STACK, 2}, {"error 500", C_STACK, 2},
    {"http 500", C_STACK, 2}, {"status 500", C_STACK, 2},
    {"verbose error*", C_STACK, 2}, {"exception in thread", C_STACK, 2},
    /* content spoofing (policy exclusion 3) */
    {"content spoofing", C_SPOOF, 3}, {"content-spoofing", C_SPOOF, 3},
    {"text injection", C_SPOOF, 3}, {"arbitrary text", C_SPOOF, 1},
    /* dos */
    {"denial of service", C_DOS, 3}, {"denial-of-service", C_DOS, 3},
    {"ddos", C_DOS, 3}, {"redos", C_DOS, 3}, {"dos", C_DOS, 2},
    {"resource exhaustion", C_DOS, 3}, {"billion laughs", C_DOS, 2},
    {"zip bomb", C_DOS, 2}, {"cwe-400", C_DOS, 3}, {"cwe-770", C_DOS, 2},
    {"rate limit*", C_DOS, 1},
};

 /*
  * Words that make a message security-ish when no class scored: they
  * earn "other".
  */
static const char *const triage_other_words[] = {
    "vulnerability", "vulnerabilities", "vulnerable", "security issue*",
    "security bug*", "security flaw*", "exploit*", "security hole*",
};

static const struct triage_pattern triage_conduct_patterns[] = {
    /* what the reporter says they did; past tense or first person */
    {"i flooded", K_DOS, 1}, {"we flooded", K_DOS, 1},
    {"flooded your", K_DOS, 1}, {"flooded the", K_DOS, 1},
    {"ddos'd", K_DOS, 1}, {"ddosed", K_DOS, 1}, {"i ddos", K_DOS, 1},
    {"we ddos", K_DOS, 1}, {"took your site down", K_DOS, 1},
    {"took the site down", K_DOS, 1}, {"brought down", K_DOS, 1},
    {"crashed your", K_DOS, 1}, {"crashed the server", K_DOS, 1},
    {"i load tested", K_DOS, 1}, {"stress tested", K_DOS, 1},
    {"slowloris", K_DOS, 1},
    {"brute forced", K_BRUTE, 1}, {"brute-forced", K_BRUTE, 1},
    {"bruteforced", K_BRUTE, 1}, {"i brute", K_BRUTE, 1},
    {"we brute", K_BRUTE, 1}, {"was able to brute", K_BRUTE, 1},
    {"password spraying", K_BRUTE, 1}, {"credential stuffing", K_BRUTE, 1},
    {"guessed the password", K_BRUTE, 1}, {"dictionary attack", K_BRUTE, 1},
    {"sent spam", K_SPAM, 1}, {"spammed", K_SPAM, 1},
    {"i spam", K_SPAM, 1}, {"mass mailed", K_SPAM, 1},
    {"downloaded other users", K_OTHERS_DATA, 1},
    {"downloaded other customers", K_OTHERS_DATA, 1},
    {"downloaded the database", K_OTHERS_DATA, 1},
    {"downloaded customer", K_OTHERS_DATA, 1},
    {"downloaded user data", K_OTHERS_DATA, 1},
    {"accessed customer", K_OTHERS_DATA, 1},
    {"accessed other users", K_OTHERS_DATA, 1},
    {"accessed other customers", K_OTHERS_DATA, 1},
    {"accessed the data of", K_OTHERS_DATA, 1},
    {"viewed other users", K_OTHERS_DATA, 1},
    {"dumped the database", K_OTHERS_DATA, 1},
    {"dumped the users", K_OTHERS_DATA, 1}, {"dumped all", K_OTHERS_DATA, 1},
    {"dumped user", K_OTHERS_DATA, 1}, {"kept a copy", K_OTHERS_DATA, 1},
    {"i have a copy", K_OTHERS_DATA, 1}, {"i exfiltrated", K_OTHERS_DATA, 1},
    {"we exfiltrated", K_OTHERS_DATA, 1},
    {"i deleted", K_DESTRUCTION, 1}, {"we deleted", K_DESTRUCTION, 1},
    {"deleted all", K_DESTRUCTION, 1}, {"deleted other", K_DESTRUCTION, 1},
    {"deleted your", K_DESTRUCTION, 1}, {"deleted customer", K_DESTRUCTION, 1},
    {"dropped the table", K_DESTRUCTION, 1}, {"dropped table", K_DESTRUCTION, 1},
    {"dropped your", K_DESTRUCTION, 1}, {"wiped", K_DESTRUCTION, 1},
    {"truncated the table", K_DESTRUCTION, 1},
    {"corrupted the", K_DESTRUCTION, 1}, {"overwrote", K_DESTRUCTION, 1},
    {"called your support", K_SOCIAL, 1}, {"called your", K_SOCIAL, 1},
    {"pretending to be", K_SOCIAL, 1}, {"pretended to be", K_SOCIAL, 1},
    {"i impersonated", K_SOCIAL, 1}, {"phished", K_SOCIAL, 1},
    {"i phish", K_SOCIAL, 1}, {"sent a phishing", K_SOCIAL, 1},
    {"social engineered", K_SOCIAL, 1}, {"vished", K_SOCIAL, 1},
    {"visited your office", K_PHYSICAL, 1}, {"your office", K_PHYSICAL, 1},
    {"your data center", K_PHYSICAL, 1}, {"your datacenter", K_PHYSICAL, 1},
    {"the data center", K_PHYSICAL, 1}, {"data centre", K_PHYSICAL, 1},
    {"tailgated", K_PHYSICAL, 1}, {"picked the lock", K_PHYSICAL, 1},
    {"real customer account", K_NON_TEST, 1},
    {"real customer's account", K_NON_TEST, 1},
    {"real user account", K_NON_TEST, 1}, {"real user's account", K_NON_TEST, 1},
    {"live customer account", K_NON_TEST, 1},
    {"actual customer account", K_NON_TEST, 1},
    {"my friend's account", K_NON_TEST, 1}, {"a friend's account", K_NON_TEST, 1},
    {"my colleague's account", K_NON_TEST, 1},
    {"not a test account", K_NON_TEST, 1}, {"non-test account", K_NON_TEST, 1},
    {"i will publish", K_DISCLOSURE, 1}, {"we will publish", K_DISCLOSURE, 1},
    {"going to publish", K_DISCLOSURE, 1}, {"will be publishing", K_DISCLOSURE, 1},
    {"going public", K_DISCLOSURE, 1}, {"go public", K_DISCLOSURE, 1},
    {"disclose publicly", K_DISCLOSURE, 1}, {"publicly disclose", K_DISCLOSURE, 1},
    {"disclose it publicly", K_DISCLOSURE, 1}, {"i will disclose", K_DISCLOSURE, 1},
    {"full disclosure", K_DISCLOSURE, 1}, {"posted on twitter", K_DISCLOSURE, 1},
    {"posted it on", K_DISCLOSURE, 1}, {"tweeted", K_DISCLOSURE, 1},
    {"already published", K_DISCLOSURE, 1}, {"published a blog", K_DISCLOSURE, 1},
};

static const struct triage_pattern triage_item_patterns[] = {
    /* impact */
    {"impact", ITEM_IMPACT, 1}, {"an attacker can", ITEM_IMPACT, 1},
    {"an attacker could", ITEM_IMPACT, 1}, {"attacker can", ITEM_IMPACT, 1},
    {"attacker could", ITEM_IMPACT, 1}, {"attacker may", ITEM_IMPACT, 1},
    {"attackers can", ITEM_IMPACT, 1}, {"attackers could", ITEM_IMPACT, 1},
    {"allows an attacker", ITEM_IMPACT, 1}, {"allow an attacker", ITEM_IMPACT, 1},
    {"allows attackers", ITEM_IMPACT, 1}, {"allows remote", ITEM_IMPACT, 1},
    {"could allow", ITEM_IMPACT, 1}, {"can be used to", ITEM_IMPACT, 1},
    {"steal", ITEM_IMPACT, 1}, {"take over", ITEM_IMPACT, 1},
    {"takeover", ITEM_IMPACT, 1}, {"access other users", ITEM_IMPACT, 1},
    {"access to other users", ITEM_IMPACT, 1}, {"read other users", ITEM_IMPACT, 1},
    {"other users' data", ITEM_IMPACT, 1}, {"leads to", ITEM_IMPACT, 1},
    {"lead to", ITEM_IMPACT, 1}, {"results in", ITEM_IMPACT, 1},
    {"resulting in", ITEM_IMPACT, 1}, {"compromise", ITEM_IMPACT, 1},
    {"hijack*", ITEM_IMPACT, 1}, {"exfiltrat*", ITEM_IMPACT, 1},
    {"arbitrary code", ITEM_IMPACT, 1}, {"arbitrary file", ITEM_IMPACT, 1},
    {"sensitive data", ITEM_IMPACT, 1}, {"sensitive information", ITEM_IMPACT, 1},
    {"full control", ITEM_IMPACT, 1}, {"on behalf of", ITEM_IMPACT, 1},
    /* steps */
    {"steps to reproduce", ITEM_STEPS, 1}, {"step to reproduce", ITEM_STEPS, 1},
    {"to reproduce", ITEM_STEPS, 1}, {"reproduction steps", ITEM_STEPS, 1},
    {"repro steps", ITEM_STEPS, 1}, {"step 1", ITEM_STEPS, 1},
    {"step-by-step", ITEM_STEPS, 1}, {"step by step", ITEM_STEPS, 1},
    {"1st step", ITEM_STEPS, 1},
    /* proof of concept */
    {"proof of concept", ITEM_POC, 1}, {"proof-of-concept", ITEM_POC, 1},
    {"poc", ITEM_POC, 1}, {"exploit", ITEM_POC, 1}, {"payload", ITEM_POC, 1},
    {"<script", ITEM_POC, 1}, {"onerror=", ITEM_POC, 1}, {"onload=", ITEM_POC, 1},
    {"javascript:", ITEM_POC, 1}, {"alert(", ITEM_POC, 1},
    {"' or 1=1", ITEM_POC, 1}, {"' or '1'='1", ITEM_POC, 1},
    {"union select", ITEM_POC, 1}, {"{{7*7}}", ITEM_POC, 1},
    {"${7*7}", ITEM_POC, 1}, {"../../", ITEM_POC, 1}, {"<!entity", ITEM_POC, 1},
    {"curl ", ITEM_POC, 1}, {"wget ", ITEM_POC, 1}, {"get /", ITEM_POC, 1},
    {"post /", ITEM_POC, 1}, {"put /", ITEM_POC, 1}, {"http/1.1", ITEM_POC, 1},
    {"http/2", ITEM_POC, 1}, {"<iframe", ITEM_POC, 1}, {"<img src", ITEM_POC, 1},
    {"<form", ITEM_POC, 1}, {"document.cookie", ITEM_POC, 1},
    {"169.254.169.254", ITEM_POC, 1}, {"/etc/passwd", ITEM_POC, 1},
    {"import requests", ITEM_POC, 1}, {"fetch(", ITEM_POC, 1},
};

 /*
  * Words that, after a class name, say the sentence is about the
  * defence: "no CSRF token" reports CSRF, it does not deny it.
  */
static const char *const triage_defence_words[] = {
    "token", "tokens", "protection", "protections", "check", "checks",
    "validation", "mitigation", "defense", "defence", "filter",
    "filtering", "sanitization", "sanitisation", "escaping", "header",
    "limit", "limiting", "prevention",
};

static const char *const triage_negations[] = {
    "not", "no", "isn't", "isnt", "wasn't", "aren't", "never", "without",
    "nor", "don't", "dont", "doesn't", "didn't", "didnt", "non",
};

 /*
  * Hosts that are not ours to scope: services run by others. A host in
  * InScopeDomains is ours whatever this list says.
  */
static const char *const triage_third_party[] = {
    "stripe.com", "stripe.network", "amazonaws.com", "cloudfront.net",
    "awsstatic.com", "googleapis.com", "google.com", "gstatic.com",
    "cloudflare.com", "azure.com", "azurewebsites.net", "windows.net",
    "twilio.com", "zendesk.com", "intercom.io", "hubspot.com",
    "mailchimp.com", "sendgrid.net", "salesforce.com", "facebook.com",
    "twitter.com", "x.com", "linkedin.com", "gravatar.com",
    "wordpress.com", "herokuapp.com", "paypal.com",
};

 /*
  * Hosts that are references, evidence or payload catchers, never the
  * asset reported on: ignored for scope and for the target item.
  */
static const char *const triage_reference_hosts[] = {
    "owasp.org", "mitre.org", "cve.org", "nist.gov", "first.org",
    "portswigger.net", "hackerone.com", "bugcrowd.com", "wikipedia.org",
    "github.com", "githubusercontent.com", "gitlab.com", "youtube.com",
    "youtu.be", "vimeo.com", "loom.com", "imgur.com", "drive.google.com",
    "docs.google.com", "pastebin.com", "burpcollaborator.net",
    "oastify.com", "interact.sh", "oast.fun", "webhook.site",
    "requestbin.net", "ngrok.io", "localhost", "metadata.google.internal",
};

 /*
  * RFC 3834 robots: local parts of addresses that never read a reply.
  */
static const char *const triage_robot_locals[] = {
    "mailer-daemon", "postmaster", "noreply", "no-reply", "no_reply",
    "donotreply", "do-not-reply", "do_not_reply", "bounce", "bounces",
};

static const char *const triage_auto_subjects[] = {
    "out of office", "out-of-office", "automatic reply", "auto-reply",
    "autoreply", "auto reply", "undeliverable", "undelivered mail",
    "delivery status notification", "mail delivery failed",
    "delivery failure", "failure notice", "returned mail",
    "delivery has failed", "message not delivered", "vacation reply",
    "abwesenheitsnotiz", "réponse automatique",
};

 /*
  * Why a class is in scope, or out: the policy's own wording.
  */
static const char *const triage_in_scope_reason[C_COUNT] = {
    [C_XSS] = "policy: XSS (cross-site scripting) is in scope",
    [C_CSRF] = "policy: CSRF (cross-site request forgery) is in scope",
    [C_SQLI] = "policy: SQL injection is in scope",
    [C_MIXED] = "policy: mixed-content scripts are in scope",
    [C_MITM] = "policy: MITM (man-in-the-middle) attacks are in scope",
    [C_AUTH] = "policy: authentication or authorization flaws are in scope",
    [C_RCE] = "policy: server-side code execution bugs are in scope",
    [C_SSRF] = "policy: SSRF affects the confidentiality or integrity of user data",
    [C_REDIRECT] = "policy: open redirect affects the integrity of user data",
    [C_XXE] = "policy: XXE affects the confidentiality or integrity of user data",
    [C_TRAVERSAL] = "policy: path traversal affects the confidentiality of user data",
    [C_INFO] = "policy: information disclosure affects the confidentiality of user data",
};

static const char *const triage_out_scope_reason[C_COUNT] = {
    [C_HEADERS] = "policy: presence or absence of HTTP headers "
    "(X-Frame-Options, nosniff, etc.) is not a vulnerability",
    [C_STACK] = "policy: exposed stack traces or 500 errors are not a vulnerability",
    [C_SPOOF] = "policy: content spoofing by administrative users is not a vulnerability",
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* ----------------------------------------------------------- helpers */

 /*
  * The text as the keyword matcher sees it.
  */
struct triage_text {
    char   *subject;			/* folded Subject */
    size_t  subject_len;
    char   *body;			/* folded text */
    size_t  body_len;
};

static char *triage_fold(const char *, size_t, size_t *);
static int triage_is_word(int);
static int triage_find(const char *, size_t, const char *, int);
static int triage_in(const struct triage_text *, const char *, int);
static int triage_host_matches(const char *, const char *const *, size_t);
static char *triage_url_host(const char *);
static int triage_is_ip_literal(const char *);
static char *triage_strip_addr(const char *);
static int triage_robot_address(const char *);
static int triage_first_token_is(const char *, const char *const *, size_t);
static int triage_numbered_steps(const char *, size_t);
static int triage_has_version(const char *, size_t);
static void triage_counted_conduct(const char *, size_t, int *);
static int triage_first_then(const char *, size_t);
static int triage_add(struct strlist *, const char *);

/* triage_fold - lower-case copy with white space runs folded to one space */

static char *triage_fold(const char *s, size_t max_bytes, size_t *out_len)
{
    size_t  len = strnlen(s, max_bytes);
    size_t  i, n = 0;
    char   *out;

    if ((out = malloc(len + 1)) == NULL)
	return (NULL);
    for (i = 0; i < len; i++) {
	unsigned char c = (unsigned char) s[i];

	/*
	 * Typographic apostrophes (U+2019) become ASCII ones, so that
	 * "users’ data" and "isn’t" match like their ASCII spelling.
	 */
	if (c == 0xe2 && i + 2 < len && (unsigned char) s[i + 1] == 0x80
	    && (unsigned char) s[i + 2] == 0x99) {
	    out[n++] = '\'';
	    i += 2;
	    continue;
	}
	if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'
	    || c == '\v') {
	    if (n > 0 && out[n - 1] != ' ')
		out[n++] = ' ';
	    continue;
	}
	out[n++] = (c < 0x80) ? (char) tolower(c) : (char) c;
    }
    out[n] = 0;
    *out_len = n;
    return (out);
}

/* triage_is_word - ASCII letter, digit or underscore */

static int triage_is_word(int c)
{
    return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	    || (c >= '0' && c <= '9') || c == '_');
}

/* triage_negated - a negation within a few words before pos, same sentence */

static int triage_negated(const char *hay, size_t pos, const char *after,
			          const char *end)
{
    size_t  p = pos;
    size_t  w, i, word_end, word_start;
    char    word[16];
    size_t  wl;

    /*
     * "no CSRF token": the negation is about the defence, and that is
     * the report.
     */
    while (after < end && *after == ' ')
	after++;
    for (i = 0; i < NELEM(triage_defence_words); i++) {
	wl = strlen(triage_defence_words[i]);
	if ((size_t) (end - after) >= wl
	    && memcmp(after, triage_defence_words[i], wl) == 0
	    && (after + wl == end || !triage_is_word((unsigned char) after[wl])))
	    return (0);
    }

    /*
     * Walk back word by word; a sentence mark ends the search.
     */
    for (w = 0; w < TRIAGE_NEG_WORDS && p > 0; w++) {
	while (p > 0 && !triage_is_word((unsigned char) hay[p - 1])
	       && hay[p - 1] != '\'') {
	    if (strchr(".!?;:,()\"", hay[p - 1]) != NULL)
		return (0);
	    p--;
	}
	word_end = p;
	while (p > 0 && (triage_is_word((unsigned char) hay[p - 1])
			 || hay[p - 1] == '\''))
	    p--;
	word_start = p;
	wl = word_end - word_start;
	if (wl == 0 || wl >= sizeof(word))
	    continue;
	memcpy(word, hay + word_start, wl);
	word[wl] = 0;
	for (i = 0; i < NELEM(triage_negations); i++)
	    if (strcmp(word, triage_negations[i]) == 0)
		return (1);
    }
    return (0);
}

/* triage_find - 1 when pat occurs in hay on word boundaries (and not negated) */

static int triage_find(const char *hay, size_t hay_len, const char *pat,
		               int negatable)
{
    size_t  pl = strlen(pat);
    int     prefix = 0;
    const char *cp = hay, *hit, *end = hay + hay_len;
    int     tries;

    if (pl > 0 && pat[pl - 1] == '*') {
	prefix = 1;
	pl--;
    }
    if (pl == 0 || hay_len < pl)
	return (0);

    /*
     * Try at most TRIAGE_MAX_HITS occurrences: a text that repeats a
     * word a million times does not get a million negation checks.
     */
    for (tries = 0; tries < TRIAGE_MAX_HITS; tries++) {
	hit = memmem(cp, (size_t) (end - cp), pat, pl);
	if (hit == NULL)
	    return (0);
	cp = hit + 1;
	if (triage_is_word((unsigned char) pat[0]) && hit > hay
	    && triage_is_word((unsigned char) hit[-1]))
	    continue;
	if (!prefix && triage_is_word((unsigned char) pat[pl - 1])
	    && hit + pl < end && triage_is_word((unsigned char) hit[pl]))
	    continue;
	if (negatable && triage_negated(hay, (size_t) (hit - hay), hit + pl, end))
	    continue;
	return (1);
    }
    return (0);
}

/* triage_in - pattern in Subject (2) or text (1), or nowhere (0) */

static int triage_in(const struct triage_text *tx, const char *pat, int negatable)
{
    int     where = 0;

    if (triage_find(tx->subject, tx->subject_len, pat, negatable))
	where += 2;
    if (triage_find(tx->body, tx->body_len, pat, negatable))
	where += 1;
    return (where);
}

/* triage_host_matches - host is one of the domains or below one */

static int triage_host_matches(const char *host, const char *const *list,
			               size_t n)
{
    size_t  hl = strlen(host), dl, i;

    for (i = 0; i < n; i++) {
	dl = strlen(list[i]);
	if (hl == dl && strcmp(host, list[i]) == 0)
	    return (1);
	if (hl > dl && host[hl - dl - 1] == '.'
	    && strcmp(host + hl - dl, list[i]) == 0)
	    return (1);
    }
    return (0);
}

/* triage_url_host - lower-case host of "scheme://[user@]host[:port]/..." */

static char *triage_url_host(const char *url)
{
    const char *cp, *end, *at;
    size_t  len, i;
    char   *host;

    if ((cp = strstr(url, "://")) == NULL)
	return (NULL);
    cp += 3;
    end = cp + strcspn(cp, "/?#");
    if ((at = memchr(cp, '@', (size_t) (end - cp))) != NULL)
	while (at != NULL) {
	    cp = at + 1;
	    at = memchr(cp, '@', (size_t) (end - cp));
	}
    if (*cp == '[') {
	/* IPv6 literal: keep the brackets, drop the port. */
	const char *rb = memchr(cp, ']', (size_t) (end - cp));

	if (rb != NULL)
	    end = rb + 1;
    } else {
	const char *colon = memchr(cp, ':', (size_t) (end - cp));

	if (colon != NULL)
	    end = colon;
    }
    len = (size_t) (end - cp);
    while (len > 0 && cp[len - 1] == '.')
	len--;
    if (len == 0 || len > TRIAGE_MAX_HOST_LEN)
	return (NULL);
    if ((host = malloc(len + 1)) == NULL)
	return (NULL);
    for (i = 0; i < len; i++)
	host[i] = (char) tolower((unsigned char) cp[i]);
    host[len] = 0;
    return (host);
}

/* triage_is_ip_literal - dotted quad or bracketed IPv6 */

static int triage_is_ip_literal(const char *host)
{
    if (host[0] == '[')
	return (1);
    return (strspn(host, "0123456789.") == strlen(host));
}

/* triage_strip_addr - copy without white space and angle brackets */

static char *triage_strip_addr(const char *addr)
{
    const char *cp = addr;
    size_t  len;
    char   *out;

    while (*cp == ' ' || *cp == '\t' || *cp == '<')
	cp++;
    len = strnlen(cp, SM_SANITIZE_HDR_MAX);
    while (len > 0 && (cp[len - 1] == ' ' || cp[len - 1] == '\t'
		       || cp[len - 1] == '>' || cp[len - 1] == '\r'
		       || cp[len - 1] == '\n'))
	len--;
    if ((out = malloc(len + 1)) == NULL)
	return (NULL);
    memcpy(out, cp, len);
    out[len] = 0;
    return (out);
}

/* triage_robot_address - the local part is a robot's (RFC 3834, 2) */

static int triage_robot_address(const char *addr)
{
    const char *at;
    char    local[65];
    size_t  len, i;

    if (addr == NULL)
	return (0);
    while (*addr == ' ' || *addr == '<')
	addr++;
    if ((at = strrchr(addr, '@')) == NULL)
	at = addr + strlen(addr);
    len = (size_t) (at - addr);
    if (len == 0 || len >= sizeof(local))
	return (0);
    for (i = 0; i < len; i++)
	local[i] = (char) tolower((unsigned char) addr[i]);
    local[len] = 0;
    for (i = 0; i < NELEM(triage_robot_locals); i++)
	if (strcmp(local, triage_robot_locals[i]) == 0)
	    return (1);
    if (strncmp(local, "owner-", 6) == 0)
	return (1);
    if (len > 8 && strcmp(local + len - 8, "-request") == 0)
	return (1);
    return (0);
}

/* triage_first_token_is - first word of a header value, case-insensitive */

static int triage_first_token_is(const char *value, const char *const *words,
				         size_t n)
{
    size_t  len, i;

    while (*value == ' ' || *value == '\t')
	value++;
    len = strcspn(value, " \t;,()");
    for (i = 0; i < n; i++)
	if (strlen(words[i]) == len && strncasecmp(value, words[i], len) == 0)
	    return (1);
    return (0);
}

/* triage_numbered_steps - a line "1." (or "1)") and a later line "2." */

static int triage_numbered_steps(const char *text, size_t len)
{
    const char *cp = text, *end = text + len, *nl;
    int     lines, want = 1;

    for (lines = 0; cp < end && lines < TRIAGE_MAX_LINES; lines++) {
	nl = memchr(cp, '\n', (size_t) (end - cp));
	if (nl == NULL)
	    nl = end;
	while (cp < nl && (*cp == ' ' || *cp == '\t' || *cp == '-' || *cp == '*'))
	    cp++;
	if (nl - cp >= 2 && *cp == '0' + want
	    && (cp[1] == '.' || cp[1] == ')' || cp[1] == ':')) {
	    if (want == 2)
		return (1);
	    want = 2;
	}
	cp = nl + 1;
    }
    return (0);
}

/* triage_has_version - "version 3.2.1", "v2.4", "app 5.1" in folded text */

static int triage_has_version(const char *hay, size_t len)
{
    static const char *const product_words[] = {
	"version", "ver", "ver.", "release", "build", "app", "application",
	"apk", "ios", "android", "plugin", "extension", "sdk", "api",
	"firmware", "client", "desktop", "server", "edition",
    };
    size_t  i, p, ws, we, k;
    int     tries = 0;

    for (i = 0; i + 2 < len; i++) {
	/*
	 * A candidate is DIGITS "." DIGIT at a word start, or directly
	 * after "v" at a word start.
	 */
	if (!(hay[i] >= '0' && hay[i] <= '9'))
	    continue;
	if (i > 0 && (triage_is_word((unsigned char) hay[i - 1]) || hay[i - 1] == '.')
	    && !(hay[i - 1] == 'v' && (i < 2 || !triage_is_word((unsigned char) hay[i - 2]))))
	    continue;
	for (p = i; p < len && hay[p] >= '0' && hay[p] <= '9'; p++)
	     /* void */ ;
	if (!(p + 1 < len && hay[p] == '.' && hay[p + 1] >= '0' && hay[p + 1] <= '9'))
	    continue;
	if (++tries > TRIAGE_MAX_HITS * 16)
	    return (0);
	if (i > 0 && hay[i - 1] == 'v')
	    return (1);

	/*
	 * Otherwise the word before must name a product or a version.
	 */
	if (i < 2 || hay[i - 1] != ' ')
	    continue;
	we = i - 1;
	ws = we;
	while (ws > 0 && hay[ws - 1] != ' ')
	    ws--;
	for (k = 0; k < NELEM(product_words); k++)
	    if (strlen(product_words[k]) == we - ws
		&& memcmp(hay + ws, product_words[k], we - ws) == 0)
		return (1);
    }
    return (0);
}

/* triage_counted_conduct - "sent 100000 requests", "tried 10,000 passwords" */

static void triage_counted_conduct(const char *hay, size_t len, int *found)
{
    static const char *const verbs[] = {
	"sent", "tried", "made", "fired", "launched", "performed",
	"submitted", "attempted", "generated", "sending", "trying",
    };
    static const struct {
	const char *noun;
	int     conduct;
	unsigned long min_count;
    }       nouns[] = {
	{"requests", K_DOS, 1000}, {"packets", K_DOS, 1000},
	{"passwords", K_BRUTE, 100}, {"login attempts", K_BRUTE, 100},
	{"password attempts", K_BRUTE, 100}, {"otp codes", K_BRUTE, 100},
	{"codes", K_BRUTE, 100}, {"combinations", K_BRUTE, 100},
	{"emails", K_SPAM, 100}, {"messages", K_SPAM, 100},
	{"sms", K_SPAM, 100},
    };
    size_t  i, v, k, p, vl, nl;
    unsigned long count;
    int     tries = 0;

    for (v = 0; v < NELEM(verbs); v++) {
	const char *cp = hay, *hit, *end = hay + len;

	vl = strlen(verbs[v]);
	for (tries = 0; tries < TRIAGE_MAX_HITS; tries++) {
	    if ((hit = memmem(cp, (size_t) (end - cp), verbs[v], vl)) == NULL)
		break;
	    cp = hit + 1;
	    if ((hit > hay && triage_is_word((unsigned char) hit[-1]))
		|| hit + vl + 1 >= end || hit[vl] != ' ')
		continue;

	    /*
	     * VERB [over|about|more than] NUMBER NOUN; the number may have
	     * thousands separators and a "k" suffix.
	     */
	    p = (size_t) (hit - hay) + vl + 1;
	    for (i = 0; i < 3 && p < len && !(hay[p] >= '0' && hay[p] <= '9'); i++) {
		while (p < len && hay[p] != ' ')
		    p++;
		p++;
	    }
	    count = 0;
	    while (p < len && ((hay[p] >= '0' && hay[p] <= '9') || hay[p] == ',')) {
		if (hay[p] != ',' && count < 100000000UL)
		    count = count * 10 + (unsigned long) (hay[p] - '0');
		p++;
	    }
	    if (p < len && hay[p] == 'k') {
		count *= 1000;
		p++;
	    }
	    if (count == 0 || p >= len || hay[p] != ' ')
		continue;
	    p++;
	    for (k = 0; k < NELEM(nouns); k++) {
		nl = strlen(nouns[k].noun);
		if (p + nl <= len && memcmp(hay + p, nouns[k].noun, nl) == 0
		    && count >= nouns[k].min_count)
		    found[nouns[k].conduct] = 1;
	    }
	}
    }
}

/* triage_first_then - "first ... then ..." within a few lines of text */

static int triage_first_then(const char *hay, size_t len)
{
    const char *cp = hay, *hit, *end = hay + len;
    size_t  window;
    int     tries;

    for (tries = 0; tries < TRIAGE_MAX_HITS; tries++) {
	if ((hit = memmem(cp, (size_t) (end - cp), "first", 5)) == NULL)
	    return (0);
	cp = hit + 5;
	if (hit > hay && triage_is_word((unsigned char) hit[-1]))
	    continue;
	window = (size_t) (end - cp) < TRIAGE_STEPS_WINDOW ?
	    (size_t) (end - cp) : TRIAGE_STEPS_WINDOW;
	if (memmem(cp, window, " then ", 6) != NULL
	    || memmem(cp, window, " then,", 6) != NULL)
	    return (1);
    }
    return (0);
}

/* triage_add - strlist_add that keeps errno for the caller */

static int triage_add(struct strlist *sl, const char *s)
{
    return (strlist_add_unique(sl, s) < 0 ? -1 : 0);
}

/* ------------------------------------------------------ vocabularies */

/* triage_severity_name - "high", or NULL for unset */

const char *triage_severity_name(enum triage_severity sev)
{
    if (sev < SEV_NONE || sev > SEV_CRITICAL)
	return (NULL);
    return (triage_severity_names[sev]);
}

/* triage_severity_parse - the inverse; SEV_UNSET when unknown */

enum triage_severity triage_severity_parse(const char *s)
{
    int     i;

    if (s == NULL)
	return (SEV_UNSET);
    for (i = SEV_NONE; i <= SEV_CRITICAL; i++)
	if (strcasecmp(s, triage_severity_names[i]) == 0)
	    return ((enum triage_severity) i);
    return (SEV_UNSET);
}

/* triage_class_valid - a word of the class vocabulary */

int     triage_class_valid(const char *s)
{
    int     i;

    if (s == NULL)
	return (0);
    for (i = 0; triage_class_names[i] != NULL; i++)
	if (strcmp(s, triage_class_names[i]) == 0)
	    return (1);
    return (0);
}

/* ----------------------------------------------------------- tickets */

/* triage_ticket_id_valid - exactly "SEC-" 4 digits "-" 4..9 digits */

int     triage_ticket_id_valid(const char *id)
{
    size_t  n;

    if (id == NULL || strncmp(id, "SEC-", 4) != 0)
	return (0);
    if (strspn(id + 4, "0123456789") != 4 || id[8] != '-')
	return (0);
    n = strspn(id + 9, "0123456789");
    return (n >= 4 && n <= TRIAGE_TICKET_MAX_DIGITS && id[9 + n] == 0);
}

/* triage_tag_at - length of "SEC-YYYY-NNNN" at cp (any case), else 0 */

static size_t triage_tag_at(const char *cp)
{
    size_t  n;

    if (strncasecmp(cp, "SEC-", 4) != 0)
	return (0);
    if (strspn(cp + 4, "0123456789") != 4 || cp[8] != '-')
	return (0);
    n = strspn(cp + 9, "0123456789");
    if (n < 4 || n > TRIAGE_TICKET_MAX_DIGITS)
	return (0);
    return (9 + n);
}

/* triage_find_ticket_tag - "[SEC-YYYY-NNNN]" anywhere, or "Re: SEC-..." */

int     triage_find_ticket_tag(const char *text, char *buf, size_t len)
{
    const char *cp;
    size_t  n, scanned;

    if (text == NULL || buf == NULL || len < 32)
	return (0);

    /*
     * The bracketed tag that secmilter writes, anywhere in the text.
     */
    for (cp = text, scanned = 0; (cp = strchr(cp, '[')) != NULL
	 && scanned < TRIAGE_MAX_SUBJECT_BYTES; cp++, scanned++) {
	if ((n = triage_tag_at(cp + 1)) != 0 && cp[1 + n] == ']') {
	    memcpy(buf, cp + 1, n);
	    buf[n] = 0;
	    memcpy(buf, "SEC", 3);
	    return (1);
	}
    }

    /*
     * A client that dropped the brackets: "Re: SEC-2026-0042 ...".
     */
    cp = text;
    for (scanned = 0; scanned < 8; scanned++) {
	while (*cp == ' ' || *cp == '\t')
	    cp++;
	if (strncasecmp(cp, "re:", 3) == 0 || strncasecmp(cp, "aw:", 3) == 0
	    || strncasecmp(cp, "sv:", 3) == 0)
	    cp += 3;
	else if (strncasecmp(cp, "fwd:", 4) == 0)
	    cp += 4;
	else if (strncasecmp(cp, "fw:", 3) == 0)
	    cp += 3;
	else
	    break;
    }
    if (cp != text && (n = triage_tag_at(cp)) != 0
	&& !triage_is_word((unsigned char) cp[n]) && cp[n] != '-') {
	memcpy(buf, cp, n);
	buf[n] = 0;
	memcpy(buf, "SEC", 3);
	return (1);
    }
    return (0);
}

/* --------------------------------------------------------- lifecycle */

/* triage_init - an empty triage: report, unclear, severity unset */

void    triage_init(struct triage *t)
{
    memset(t, 0, sizeof(*t));
    t->kind = TRIAGE_REPORT;
    t->scope = SCOPE_UNCLEAR;
    t->severity = SEV_UNSET;
}

/* triage_free - release what a triage holds; it is then empty */

void    triage_free(struct triage *t)
{
    if (t == NULL)
	return;
    free(t->ticket);
    strlist_free(&t->classes);
    strlist_free(&t->scope_reasons);
    strlist_free(&t->conduct);
    strlist_free(&t->flags);
    free(t->duplicate_of);
    free(t->sender);
    triage_init(t);
}

/* triage_set_ticket - the ticket this message opened or joined */

void    triage_set_ticket(struct triage *t, const char *ticket_id)
{
    char   *copy;

    if (!triage_ticket_id_valid(ticket_id) || (copy = strdup(ticket_id)) == NULL)
	return;
    free(t->ticket);
    t->ticket = copy;
}

/* triage_set_followup - the caller knows this joins an existing ticket */

void    triage_set_followup(struct triage *t, const char *ticket_id)
{
    if (!triage_ticket_id_valid(ticket_id))
	return;
    triage_set_ticket(t, ticket_id);

    /*
     * Automated mail on a ticket is recorded there but stays automated;
     * nobody acknowledges a follow-up.
     */
    if (t->kind != TRIAGE_AUTOMATED)
	t->kind = TRIAGE_FOLLOWUP;
    t->acknowledge = 0;
}

/* ------------------------------------------------------------ steps */

/* triage_automated - RFC 3834 automated mail */

static int triage_automated(const struct report *r, const char *sender,
			            int sender_known)
{
    static const char *const bulk[] = {"bulk", "list", "junk"};
    static const char *const no[] = {"no"};
    size_t  i;

    /*
     * The null sender is how bounces and most auto-replies arrive.
     */
    if (sender_known && sender[0] == 0)
	return (1);
    if (r->auto_submitted != NULL
	&& !triage_first_token_is(r->auto_submitted, no, NELEM(no)))
	return (1);
    if (r->precedence != NULL && triage_first_token_is(r->precedence, bulk, NELEM(bulk)))
	return (1);
    if (r->has_list_headers || r->has_autoreply_headers || (r->flags & REPORT_F_DSN))
	return (1);
    if ((sender != NULL && triage_robot_address(sender))
	|| triage_robot_address(r->from_addr))
	return (1);

    /*
     * Robots that send no header still title their mail alike.
     */
    if (r->subject != NULL) {
	char   *folded;
	size_t  len;
	int     hit = 0;

	if ((folded = triage_fold(r->subject, TRIAGE_MAX_SUBJECT_BYTES, &len)) == NULL)
	    return (0);
	for (i = 0; i < NELEM(triage_auto_subjects) && !hit; i++)
	    hit = triage_find(folded, len, triage_auto_subjects[i], 0);
	free(folded);
	if (hit)
	    return (1);
    }
    return (0);
}

/* triage_classes - score the vocabulary, best first */

static int triage_classes(const struct report *r, const struct triage_text *tx,
			          struct triage *t, int *top)
{
    int     score[C_COUNT] = {0};
    int     order[C_COUNT];
    int     i, j, n, where, tmp;

    /*
     * Each pattern counts once for the Subject (double) and once for
     * the text, whatever its number of occurrences.
     */
    for (i = 0; i < (int) NELEM(triage_class_patterns); i++) {
	const struct triage_pattern *p = &triage_class_patterns[i];

	where = triage_in(tx, p->text, 1);
	if (where & 2)
	    score[p->id] += 2 * p->weight;
	if (where & 1)
	    score[p->id] += p->weight;
    }

    /*
     * Rank: highest score first, the vocabulary order breaks ties.
     */
    for (n = 0, i = 0; i < C_OTHER; i++)
	if (score[i] >= TRIAGE_CLASS_MIN_SCORE)
	    order[n++] = i;
    for (i = 1; i < n; i++)
	for (j = i; j > 0 && score[order[j]] > score[order[j - 1]]; j--) {
	    tmp = order[j];
	    order[j] = order[j - 1];
	    order[j - 1] = tmp;
	}

    /*
     * Nothing classified, but the sender speaks of a vulnerability:
     * "other", so that the team still looks, and the type is asked for.
     */
    if (n == 0) {
	int     securityish = r->cves.n > 0 || r->cvss_vectors.n > 0;

	for (i = 0; !securityish && i < (int) NELEM(triage_other_words); i++)
	    securityish = triage_in(tx, triage_other_words[i], 1) != 0;
	if (securityish)
	    order[n++] = C_OTHER;
    }
    *top = n > 0 ? order[0] : -1;
    for (i = 0; i < n; i++)
	if (triage_add(&t->classes, triage_class_names[order[i]]) < 0)
	    return (-1);
    return (0);
}

/* triage_scope - the policy's exclusions, then InScopeDomains, then class */

static int triage_scope(const struct report *r, const struct sm_config *cfg,
			        int top, struct triage *t, int *asset_urls)
{
    size_t  i, n_urls;
    int     n_assets = 0, n_ours = 0, n_reasons = 0, in;
    char   *host, *clean, reason[512];
    int     rc = 0;

    /*
     * Which URL hosts are assets, and whose.
     */
    n_urls = r->urls.n < TRIAGE_MAX_URLS ? r->urls.n : TRIAGE_MAX_URLS;
    for (i = 0; i < n_urls && rc == 0; i++) {
	if ((host = triage_url_host(r->urls.v[i])) == NULL)
	    continue;
	if (triage_host_matches(host, triage_reference_hosts, NELEM(triage_reference_hosts))) {
	    free(host);
	    continue;
	}
	*asset_urls += 1;
	if (triage_is_ip_literal(host)) {
	    free(host);
	    continue;
	}
	n_assets++;
	in = cfg ? sm_config_host_in_scope(cfg, host) : -1;
	if (in < 0 && triage_host_matches(host, triage_third_party, NELEM(triage_third_party)))
	    in = 2;			/* not ours, and not listed as ours */
	if (in == 0 || in == 2) {
	    if (n_reasons < TRIAGE_MAX_HOST_REASONS
		&& (clean = sm_sanitize_str(host, TRIAGE_MAX_HOST_LEN)) != NULL) {
		(void) snprintf(reason, sizeof(reason), in == 0 ?
				"%s is not in InScopeDomains" :
				"%s is a third-party service, not ours", clean);
		free(clean);
		rc = triage_add(&t->scope_reasons, reason);
		n_reasons++;
	    }
	} else {
	    n_ours++;
	}
	free(host);
    }
    if (rc < 0)
	return (-1);

    /*
     * The policy's three exclusions win when they are the main subject.
     */
    if (top >= 0 && triage_out_scope_reason[top] != NULL) {
	t->scope = SCOPE_OUT;
	return (triage_add(&t->scope_reasons, triage_out_scope_reason[top]));
    }

    /*
     * Every asset named is somebody else's.
     */
    if (n_assets > 0 && n_ours == 0) {
	t->scope = SCOPE_OUT;
	return (triage_add(&t->scope_reasons, "no URL in the report is an asset of the program"));
    }

    /*
     * A listed class: in. The host reasons above (some hosts outside)
     * stay as a note.
     */
    if (top >= 0 && triage_in_scope_reason[top] != NULL) {
	t->scope = SCOPE_IN;
	return (triage_add(&t->scope_reasons, triage_in_scope_reason[top]));
    }
    t->scope = SCOPE_UNCLEAR;
    if (top < 0)
	return (triage_add(&t->scope_reasons, "no vulnerability type recognised"));
    (void) snprintf(reason, sizeof(reason),
		    "%s is not among the policy's examples; needs a human",
		    triage_class_names[top]);
    return (triage_add(&t->scope_reasons, reason));
}

/* triage_estimate - severity from the top class when no CVSS is given */

static enum triage_severity triage_estimate(int top, const struct triage_text *tx)
{
    /*
     * The rule, after common bug bounty ratings:
     *   critical  rce, sqli (code or database of every customer)
     *   high      xxe, ssrf, path_traversal, auth; xss when stored
     *   medium    xss, csrf, mitm, info_disclosure, dos
     *   low       open_redirect, mixed_content, content_spoofing,
     *             stack_trace
     *   none      missing_headers (the policy says: not a vulnerability)
     *   unset     other, or nothing found
     */
    switch (top) {
    case C_RCE:
    case C_SQLI:
	return (SEV_CRITICAL);
    case C_XXE:
    case C_SSRF:
    case C_TRAVERSAL:
    case C_AUTH:
	return (SEV_HIGH);
    case C_XSS:
	if (triage_in(tx, "stored", 1) || triage_in(tx, "persistent", 1))
	    return (SEV_HIGH);
	return (SEV_MEDIUM);
    case C_CSRF:
    case C_MITM:
    case C_INFO:
    case C_DOS:
	return (SEV_MEDIUM);
    case C_REDIRECT:
    case C_MIXED:
    case C_SPOOF:
    case C_STACK:
	return (SEV_LOW);
    case C_HEADERS:
	return (SEV_NONE);
    default:
	return (SEV_UNSET);
    }
}

/* triage_classify - judge one report */

int     triage_classify(const struct report *r, const char *envelope_sender,
			        const struct sm_config *cfg, struct triage *t)
{
    struct triage_text tx;
    const char *sender_src;
    const char *text;
    size_t  text_len, i, n;
    int     top = -1, asset_urls = 0, sender_known, rc = -1;
    int     conduct[K_COUNT] = {0};
    char    tag[32], err[160];
    struct cvss_result cv;

    /*
     * Start empty: t must have been initialised by triage_init().
     */
    triage_free(t);
    memset(&tx, 0, sizeof(tx));

    /*
     * The sender that an acknowledgement would go to: the envelope
     * sender when the caller knows it ("" is the null sender), else
     * Return-Path, else From.
     */
    sender_known = envelope_sender != NULL;
    sender_src = envelope_sender ? envelope_sender
	: r->return_path ? r->return_path : r->from_addr;
    if (sender_src != NULL && (t->sender = triage_strip_addr(sender_src)) == NULL)
	goto out;
    if (!sender_known && t->sender != NULL && r->return_path != NULL
	&& t->sender[0] == 0)
	sender_known = 1;		/* Return-Path: <> */

    /*
     * The folded text the keyword passes read.
     */
    text = sbuf_str(&r->text);
    text_len = r->text.len < TRIAGE_MAX_SCAN_BYTES ? r->text.len : TRIAGE_MAX_SCAN_BYTES;
    if ((tx.subject = triage_fold(r->subject ? r->subject : "",
				  TRIAGE_MAX_SUBJECT_BYTES, &tx.subject_len)) == NULL
	|| (tx.body = triage_fold(text, text_len, &tx.body_len)) == NULL)
	goto out;

    /*
     * Kind: automated, follow-up by Subject tag, or report.
     */
    if (triage_automated(r, t->sender ? t->sender : "", sender_known))
	t->kind = TRIAGE_AUTOMATED;
    if (r->subject != NULL && triage_find_ticket_tag(r->subject, tag, sizeof(tag))) {
	triage_set_ticket(t, tag);
	if (t->kind != TRIAGE_AUTOMATED)
	    t->kind = TRIAGE_FOLLOWUP;
    }

    /*
     * Classes, then scope (which also counts the asset URLs).
     */
    if (triage_classes(r, &tx, t, &top) < 0)
	goto out;
    if (triage_scope(r, cfg, top, t, &asset_urls) < 0)
	goto out;

    /*
     * Completeness: the policy's five items.
     */
    t->complete[ITEM_TYPE] = top >= 0 && top != C_OTHER;
    t->complete[ITEM_TARGET] = asset_urls > 0
	|| triage_has_version(tx.subject, tx.subject_len)
	|| triage_has_version(tx.body, tx.body_len);
    if (!t->complete[ITEM_TARGET] && cfg != NULL) {
	for (i = 0; i < cfg->in_scope_domains.n && !t->complete[ITEM_TARGET]; i++) {
	    const char *d = cfg->in_scope_domains.v[i];

	    if (d[0] == '*' && d[1] == '.')
		d += 2;
	    t->complete[ITEM_TARGET] = triage_in(&tx, d, 0) != 0;
	}
    }
    for (i = 0; i < NELEM(triage_item_patterns); i++) {
	const struct triage_pattern *p = &triage_item_patterns[i];

	if (!t->complete[p->id] && triage_in(&tx, p->text, p->id != ITEM_POC))
	    t->complete[p->id] = 1;
    }
    if (!t->complete[ITEM_STEPS])
	t->complete[ITEM_STEPS] = triage_numbered_steps(text, text_len)
	    || triage_first_then(tx.body, tx.body_len);
    if (r->n_attachments > 0)
	t->complete[ITEM_POC] = 1;

    /*
     * Conduct: what the reporter says they did.
     */
    for (i = 0; i < NELEM(triage_conduct_patterns); i++) {
	const struct triage_pattern *p = &triage_conduct_patterns[i];

	if (!conduct[p->id] && triage_in(&tx, p->text, 1))
	    conduct[p->id] = 1;
    }
    triage_counted_conduct(tx.body, tx.body_len, conduct);
    for (i = 0; i < K_COUNT; i++)
	if (conduct[i] && triage_add(&t->conduct, triage_conduct_names[i]) < 0)
	    goto out;

    /*
     * Flags: money asked for, and what the parser noticed.
     */
    {
	static const char *const money[] = {
	    "bounty", "bounties", "reward", "rewarded", "paypal",
	    "how much will you pay", "how much do you pay", "pay me",
	    "payment", "compensation", "compensated", "monetary",
	    "bitcoin", "btc", "money", "financial reward", "honorarium",
	};
	int     demand = 0;

	for (i = 0; i < NELEM(money) && !demand; i++)
	    demand = triage_in(&tx, money[i], 1) != 0;
	if ((demand && triage_add(&t->flags, "bounty_demand") < 0)
	    || ((r->flags & REPORT_F_ENCRYPTED) && triage_add(&t->flags, "encrypted") < 0)
	    || ((r->flags & REPORT_F_MALFORMED) && triage_add(&t->flags, "malformed_mime") < 0)
	    || (r->spoofed_headers > 0 && triage_add(&t->flags, "spoofed_headers") < 0)
	    || ((r->flags & REPORT_F_OVERSIZE) && triage_add(&t->flags, "oversize") < 0)
	    || ((r->flags & REPORT_F_TIMEOUT) && triage_add(&t->flags, "triage_timeout") < 0)
	    || ((r->flags & REPORT_F_ZIP_BOMB) && triage_add(&t->flags, "zip_bomb") < 0)
	    || ((r->flags & REPORT_F_TYPE_MISMATCH) && triage_add(&t->flags, "type_mismatch") < 0)
	    || ((r->flags & REPORT_F_FORWARDED) && triage_add(&t->flags, "forwarded") < 0)
	    || ((r->flags & REPORT_F_SIGNED) && triage_add(&t->flags, "signed") < 0))
	    goto out;
    }

    /*
     * Severity: the highest valid CVSS vector, else the estimate.
     */
    n = r->cvss_vectors.n < TRIAGE_MAX_VECTORS ? r->cvss_vectors.n : TRIAGE_MAX_VECTORS;
    for (i = 0; i < n; i++) {
	if (cvss_score(r->cvss_vectors.v[i], &cv, err, sizeof(err)) < 0)
	    continue;
	if (!t->has_cvss || cv.score > t->cvss.score) {
	    t->cvss = cv;
	    t->has_cvss = 1;
	}
    }
    t->severity = t->has_cvss ? t->cvss.severity : triage_estimate(top, &tx);

    /*
     * Acknowledge a report from somebody who can read the reply.
     */
    t->acknowledge = t->kind == TRIAGE_REPORT && t->sender != NULL
	&& t->sender[0] != 0 && strchr(t->sender, '@') != NULL
	&& !triage_robot_address(t->sender);
    rc = 0;

out:
    free(tx.subject);
    free(tx.body);
    return (rc);
}

/* ------------------------------------------------------------- JSON */

/* triage_json_str - a JSON string, sanitised if jansson refuses it */

static json_t *triage_json_str(const char *s)
{
    json_t *j;
    char   *clean;

    if (s == NULL)
	return (json_null());
    if ((j = json_string(s)) != NULL)
	return (j);

    /*
     * Not valid UTF-8 after all: the sanitiser replaces what is bad.
     */
    if ((clean = sm_sanitize_str(s, TRIAGE_JSON_STR_MAX)) == NULL)
	return (NULL);
    j = json_string(clean);
    free(clean);
    return (j ? j : json_string(""));
}

/* triage_json_list - a JSON array of strings */

static json_t *triage_json_list(const struct strlist *sl)
{
    json_t *a, *s;
    size_t  i;

    if ((a = json_array()) == NULL)
	return (NULL);
    for (i = 0; i < sl->n; i++) {
	if ((s = triage_json_str(sl->v[i])) == NULL || json_array_append_new(a, s) < 0) {
	    json_decref(a);
	    return (NULL);
	}
    }
    return (a);
}

/* triage_json_set - json_object_set_new() that tracks failure */

static void triage_json_set(json_t *o, const char *key, json_t *val, int *failed)
{
    if (val == NULL || json_object_set_new(o, key, val) < 0)
	*failed = 1;
}

/* triage_json_mailbox - {"name", "address"}, nulls when absent */

static json_t *triage_json_mailbox(const char *name, const char *addr)
{
    json_t *o = json_object();
    int     failed = 0;

    if (o == NULL)
	return (NULL);
    triage_json_set(o, "name", triage_json_str(name), &failed);
    triage_json_set(o, "address", triage_json_str(addr), &failed);
    if (failed) {
	json_decref(o);
	return (NULL);
    }
    return (o);
}

/* triage_json_zip - an archive listing, or null */

static json_t *triage_json_zip(const struct report_zip *z)
{
    json_t *o, *members, *m;
    int     failed = 0;

    if (z == NULL)
	return (json_null());
    if ((o = json_object()) == NULL || (members = json_array()) == NULL) {
	json_decref(o);
	return (NULL);
    }
    for (size_t i = 0; i < z->n_members; i++) {
	m = json_object();
	triage_json_set(m, "name", triage_json_str(z->members[i].name), &failed);
	triage_json_set(m, "size", json_integer((json_int_t) z->members[i].size), &failed);
	if (m == NULL || json_array_append_new(members, m) < 0)
	    failed = 1;
    }
    triage_json_set(o, "entries", json_integer(z->entries), &failed);
    triage_json_set(o, "uncompressed", json_integer((json_int_t) z->uncompressed), &failed);
    triage_json_set(o, "compressed", json_integer((json_int_t) z->compressed), &failed);
    triage_json_set(o, "bomb", json_boolean(z->bomb), &failed);
    triage_json_set(o, "encrypted", json_boolean(z->encrypted), &failed);
    triage_json_set(o, "members", members, &failed);
    if (failed) {
	json_decref(o);
	return (NULL);
    }
    return (o);
}

/* triage_to_json - the INTERFACE.md triage object, and our extra fields */

json_t *triage_to_json(const struct report *r, const struct triage *t,
		               const char *file)
{
    json_t *o, *comp, *missing, *cvss, *atts, *att;
    const char *sev;
    size_t  i;
    int     failed = 0;

    if ((o = json_object()) == NULL)
	return (NULL);

    /*
     * Fields in the documented order; jansson keeps insertion order.
     */
    triage_json_set(o, "file", triage_json_str(file), &failed);
    triage_json_set(o, "message_id", triage_json_str(r->message_id), &failed);
    triage_json_set(o, "from", triage_json_str(r->from_addr), &failed);
    triage_json_set(o, "subject", triage_json_str(r->subject), &failed);
    triage_json_set(o, "kind", json_string(triage_kind_names[t->kind]), &failed);
    triage_json_set(o, "ticket", triage_json_str(t->ticket), &failed);
    triage_json_set(o, "classes", triage_json_list(&t->classes), &failed);
    triage_json_set(o, "scope", json_string(triage_scope_names[t->scope]), &failed);
    triage_json_set(o, "scope_reasons", triage_json_list(&t->scope_reasons), &failed);

    /*
     * The five items, and the missing ones in the same order.
     */
    comp = json_object();
    missing = json_array();
    for (i = 0; comp != NULL && missing != NULL && i < ITEM_COUNT; i++) {
	triage_json_set(comp, triage_item_names[i], json_boolean(t->complete[i]), &failed);
	if (!t->complete[i]
	    && json_array_append_new(missing, json_string(triage_item_names[i])) < 0)
	    failed = 1;
    }
    triage_json_set(o, "completeness", comp, &failed);
    triage_json_set(o, "missing", missing, &failed);
    triage_json_set(o, "conduct", triage_json_list(&t->conduct), &failed);
    triage_json_set(o, "flags", triage_json_list(&t->flags), &failed);
    sev = triage_severity_name(t->severity);
    triage_json_set(o, "severity", sev ? json_string(sev) : json_null(), &failed);

    /*
     * The CVSS vector that gave the severity, score with one decimal.
     */
    if (t->has_cvss) {
	cvss = json_object();
	if (cvss != NULL) {
	    triage_json_set(cvss, "version", json_string(t->cvss.version), &failed);
	    triage_json_set(cvss, "vector", json_string(t->cvss.vector), &failed);
	    triage_json_set(cvss, "score",
			    json_real((double) (long) (t->cvss.score * 10 + 0.5) / 10),
			    &failed);
	    sev = triage_severity_name(t->cvss.severity);
	    triage_json_set(cvss, "severity", sev ? json_string(sev) : json_null(), &failed);
	}
    } else {
	cvss = json_null();
    }
    triage_json_set(o, "cvss", cvss, &failed);
    triage_json_set(o, "urls", triage_json_list(&r->urls), &failed);
    triage_json_set(o, "cves", triage_json_list(&r->cves), &failed);

    atts = json_array();
    for (i = 0; atts != NULL && i < r->n_attachments; i++) {
	const struct report_attachment *a = &r->attachments[i];

	if ((att = json_object()) == NULL) {
	    failed = 1;
	    break;
	}
	triage_json_set(att, "filename", triage_json_str(a->filename ? a->filename : ""), &failed);
	triage_json_set(att, "content_type", triage_json_str(a->content_type), &failed);
	triage_json_set(att, "size", json_integer((json_int_t) a->size), &failed);
	triage_json_set(att, "sha256", triage_json_str(a->sha256), &failed);
	triage_json_set(att, "sniffed_type", triage_json_str(a->sniffed_type), &failed);
	triage_json_set(att, "type_mismatch", json_boolean(a->type_mismatch), &failed);
	triage_json_set(att, "stored", triage_json_str(a->stored), &failed);
	triage_json_set(att, "zip", triage_json_zip(a->zip), &failed);
	if (json_array_append_new(atts, att) < 0)
	    failed = 1;
    }
    triage_json_set(o, "attachments", atts, &failed);
    triage_json_set(o, "acknowledge", json_boolean(t->acknowledge), &failed);

    /*
     * Extra fields: the suspected duplicate, if the caller found one, and
     * what the parser extracted (the evidence classify/ reads).
     */
    triage_json_set(o, "duplicate_of", triage_json_str(t->duplicate_of), &failed);
    triage_json_set(o, "duplicate", triage_duplicate_json(t), &failed);
    triage_json_set(o, "reporter", triage_json_mailbox(r->from_name, r->from_addr), &failed);
    triage_json_set(o, "forwarded_by", r->forwarded_by.addr || r->forwarded_by.name
		    ? triage_json_mailbox(r->forwarded_by.name, r->forwarded_by.addr)
		    : json_null(), &failed);
    triage_json_set(o, "hosts", triage_json_list(&r->hosts), &failed);
    triage_json_set(o, "cwes", triage_json_list(&r->cwes), &failed);
    triage_json_set(o, "ghsas", triage_json_list(&r->ghsas), &failed);
    triage_json_set(o, "cvss_vectors", triage_json_list(&r->cvss_vectors), &failed);
    triage_json_set(o, "versions", triage_json_list(&r->versions), &failed);
    triage_json_set(o, "extracted", json_pack("{s:i, s:i, s:i, s:o, s:o}",
					    "http_requests", (int) r->http_requests,
					    "http_responses", (int) r->http_responses,
					    "code_blocks", (int) r->code_blocks,
					    "payloads", triage_json_list(&r->payloads),
					    "curl_commands", triage_json_list(&r->curl_commands)),
		    &failed);

    if (failed) {
	json_decref(o);
	return (NULL);
    }
    return (o);
}

/* ----------------------------------------------------------- header */

/* triage_header_word - a vocabulary word: lower case, digits, '_', '-' */

static int triage_header_word(const char *w)
{
    return (w != NULL && w[0] != 0 && strlen(w) < 64
	    && strspn(w, "abcdefghijklmnopqrstuvwxyz0123456789_-") == strlen(w));
}

/* triage_header_list - "a,b" or "none"; words that fail the check are left out */

static void triage_header_list(struct sbuf *sb, const struct strlist *sl)
{
    size_t  i;
    int     n = 0;

    for (i = 0; i < sl->n; i++) {
	if (!triage_header_word(sl->v[i]))
	    continue;
	(void) sbuf_printf(sb, "%s%s", n++ ? "," : "", sl->v[i]);
    }
    if (n == 0)
	(void) sbuf_puts(sb, "none");
}

/* triage_header - append the X-Security-Triage value */

int     triage_header(const struct triage *t, struct sbuf *sb)
{
    const char *sev;
    size_t  i;
    int     n, flags;

    /*
     * Automated mail gets the kind and nothing else.
     */
    if (t->kind == TRIAGE_AUTOMATED) {
	(void) sbuf_puts(sb, "kind=automated");
	return (sb->truncated ? -1 : 0);
    }

    /*
     * kind, class, scope, severity, missing, conduct: always there.
     */
    (void) sbuf_printf(sb, "kind=%s; class=", triage_kind_names[t->kind]);
    (void) sbuf_puts(sb, t->classes.n > 0 && triage_header_word(t->classes.v[0]) ?
		     t->classes.v[0] : "none");
    sev = triage_severity_name(t->severity);
    (void) sbuf_printf(sb, "; scope=%s; severity=%s; missing=",
		       triage_scope_names[t->scope], sev ? sev : "unknown");
    for (n = 0, i = 0; i < ITEM_COUNT; i++)
	if (!t->complete[i])
	    (void) sbuf_printf(sb, "%s%s", n++ ? "," : "", triage_item_names[i]);
    if (n == 0)
	(void) sbuf_puts(sb, "none");
    (void) sbuf_puts(sb, "; conduct=");
    triage_header_list(sb, &t->conduct);

    /*
     * flags only when there are some; duplicate-of only when valid.
     */
    for (flags = 0, i = 0; i < t->flags.n; i++)
	flags += triage_header_word(t->flags.v[i]);
    if (flags > 0) {
	(void) sbuf_puts(sb, "; flags=");
	triage_header_list(sb, &t->flags);
    }
    if (t->duplicate_of != NULL && triage_ticket_id_valid(t->duplicate_of))
	(void) sbuf_printf(sb, "; duplicate-of=%s", t->duplicate_of);
    return (sb->truncated ? -1 : 0);
}
