/*++
/* NAME
/*	mkrulesdb 1
/* SUMMARY
/*	compile the built-in rules at build time
/* SYNOPSIS
/*	classify/mkrulesdb rules-file output.c
/* DESCRIPTION
/*	mkrulesdb loads classify/default.rules as triage_rules_load()
/*	does, serialises the Hyperscan database it compiled, and writes
/*	output.c: the rules text (classify_default_rules), the serialised
/*	database (classify_default_db) and which patterns went in without
/*	start-of-match tracking, with their widest and narrowest match
/*	(classify_default_nosom: what a load would ask Hyperscan for each
/*	of them, some 100 ms). The program then
/*	starts without compiling its built-in rules (a compile takes
/*	seconds); where the database does not fit the machine (another CPU)
/*	triage_rules_load() compiles the text instead.
/*
/*	Run by make only; never installed.
/* DIAGNOSTICS
/*	Exit 1 with "FILE:LINE: reason" for a bad rules file.
/*--*/

/* System library. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Third-party libraries. */

#include <hs.h>

/* Application-specific. */

#include "classify/triage.h"
#include "classify/classify_private.h"

 /*
  * The tool itself runs without built-in rules.
  */
const char classify_default_rules[] = "";
const unsigned char classify_default_db[1];
const size_t classify_default_db_len = 0;
const unsigned char classify_default_db_lines[1];
const size_t classify_default_db_lines_len = 0;
const unsigned char classify_default_som[1];
const unsigned classify_default_som_index[1];
const size_t classify_default_som_index_len = 0;
const unsigned classify_default_nosom[1];
const size_t classify_default_nosom_len = 0;
const size_t classify_default_n_rules = 0;

int     main(int argc, char **argv)
{
    struct triage_rules *r;
    char    err[512], *bytes = NULL, *lbytes = NULL;
    size_t  len = 0, llen = 0, i, n_nosom = 0, n_som = 0, off, *som;
    FILE   *in, *out;
    int     c;

    if (argc != 3) {
	fprintf(stderr, "usage: mkrulesdb rules-file output.c\n");
	return (2);
    }
    if ((r = triage_rules_load(argv[1], err, sizeof(err))) == NULL) {
	fprintf(stderr, "mkrulesdb: %s\n", err);
	return (1);
    }
    if (hs_serialize_database(r->db, &bytes, &len) != HS_SUCCESS
	|| (r->db_lines != NULL
	    && hs_serialize_database(r->db_lines, &lbytes, &llen) != HS_SUCCESS)) {
	fprintf(stderr, "mkrulesdb: cannot serialise the database\n");
	return (1);
    }
    if ((in = fopen(argv[1], "r")) == NULL || (out = fopen(argv[2], "w")) == NULL) {
	perror("mkrulesdb");
	return (1);
    }

    /*
     * The text, as a string; then the databases (flowing text, lines,
     * each S rule's) and the no-SOM list.
     */
    fprintf(out, "/* Generated from %s by classify/mkrulesdb: do not edit. */\n"
	    "#include <stddef.h>\n"
	    "extern const char classify_default_rules[];\n"
	    "extern const unsigned char classify_default_db[];\n"
	    "extern const size_t classify_default_db_len;\n"
	    "extern const unsigned char classify_default_db_lines[];\n"
	    "extern const size_t classify_default_db_lines_len;\n"
	    "extern const unsigned char classify_default_som[];\n"
	    "extern const unsigned classify_default_som_index[];\n"
	    "extern const size_t classify_default_som_index_len;\n"
	    "extern const unsigned classify_default_nosom[];\n"
	    "extern const size_t classify_default_nosom_len;\n"
	    "extern const size_t classify_default_n_rules;\n"
	    "const char classify_default_rules[] =\n\"", argv[1]);
    while ((c = getc(in)) != EOF) {
	if (c == '\n')
	    fputs("\\n\"\n\"", out);
	else if (c == '\\' || c == '"')
	    fprintf(out, "\\%c", c);
	else if (c < 0x20 || c >= 0x7f)
	    fprintf(out, "\\%03o", c);
	else
	    putc(c, out);
    }
    fputs("\";\nconst unsigned char classify_default_db[] = {", out);
    for (i = 0; i < len; i++)
	fprintf(out, "%s%u,", i % 20 ? "" : "\n", (unsigned char) bytes[i]);
    fprintf(out, "\n};\nconst size_t classify_default_db_len = %zu;\n", len);
    fputs("const unsigned char classify_default_db_lines[] = {", out);
    for (i = 0; i < llen; i++)
	fprintf(out, "%s%u,", i % 20 ? "" : "\n", (unsigned char) lbytes[i]);
    fprintf(out, "0\n};\nconst size_t classify_default_db_lines_len = %zu;\n", llen);
    /*
     * Each S rule's database, one after the other; then where each is.
     */
    if ((som = calloc(r->n_rules, 2 * sizeof(*som))) == NULL) {
	perror("mkrulesdb");
	return (1);
    }
    fputs("const unsigned char classify_default_som[] = {", out);
    for (i = 0, off = 0; i < r->n_rules; i++) {
	char   *sb;
	size_t  sl, k;

	if (r->rules[i].som_db == NULL)
	    continue;
	if (hs_serialize_database(r->rules[i].som_db, &sb, &sl) != HS_SUCCESS) {
	    fprintf(stderr, "mkrulesdb: cannot serialise a database\n");
	    return (1);
	}
	for (k = 0; k < sl; k++)
	    fprintf(out, "%s%u,", (off + k) % 20 ? "" : "\n", (unsigned char) sb[k]);
	som[2 * i] = off;
	som[2 * i + 1] = sl;
	off += sl;
	free(sb);
    }
    fputs("0\n};\nconst unsigned classify_default_som_index[] = {", out);
    for (i = 0; i < r->n_rules; i++) {
	if (r->rules[i].som_db == NULL)
	    continue;
	fprintf(out, "%zu, %zu, %zu, ", i, som[2 * i], som[2 * i + 1]);
	n_som += 3;
    }
    free(som);
    fprintf(out, "0};\nconst size_t classify_default_som_index_len = %zu;\n", n_som);
    fputs("const unsigned classify_default_nosom[] = {", out);
    for (i = 0; i < r->n_rules; i++)
	if (r->rules[i].no_som) {
	    fprintf(out, "%zu, %u, %u, ", i, r->rules[i].max_width, r->rules[i].min_width);
	    n_nosom += 3;
	}
    fprintf(out, "0};\nconst size_t classify_default_nosom_len = %zu;\n", n_nosom);
    fprintf(out, "const size_t classify_default_n_rules = %zu;\n", r->n_rules);
    free(bytes);
    free(lbytes);
    fclose(in);
    if (fclose(out) != 0) {
	perror("mkrulesdb");
	return (1);
    }
    triage_rules_free(r);
    return (0);
}
