/*
 * compare.h — integration analysis of two catalogs A and B, possibly of
 * different dialects (`dbsage compare A B`, docs/compare.md):
 *   - overlaps: tables of A paired with tables of B by a best-score greedy
 *     assignment (score = (name similarity + typed column overlap) / 2,
 *     names compared without their schema), each with its column-level
 *     differences and verdict (src/analysis/match.h);
 *   - tenant copies: a table of A left unpaired whose structure is
 *     identical to a paired table of the same name in another schema of A
 *     (per-client schemas) joins that pair instead of being reported alone;
 *   - conflicts: the differences that contradict (match.h col_diff.conflict);
 *   - one-side-only objects (tables, views, enums, functions): the
 *     complementary parts;
 *   - FK-graph hints: when X of A is paired with Y of B, the neighbours of X
 *     in the foreign-key graph (tables it references, tables referencing it,
 *     tables linked to it through an association table) likely map to the
 *     neighbours of Y; the best-scoring unpaired neighbour pairs are
 *     reported as hints with their reason, and propagate in turn.
 */
#ifndef DBSAGE_COMPARE_H
#define DBSAGE_COMPARE_H

#include <stdbool.h>

#include "analysis/match.h"
#include "catalog/catalog.h"
#include "util/strbuf.h"

typedef struct compare_schema_map {
    const char *a, *b;  /* tables of schema a (side A) pair only with tables of schema b */
} compare_schema_map;

typedef struct compare_opts {
    double min_score;   /* pairing threshold, default 0.5 */
    double hint_min_score; /* FK-graph hints below this are not reported, default 0.1 */
    VEC(compare_schema_map) schema_map;
} compare_opts;

void compare_opts_init(compare_opts *o);

typedef struct compare_pair {
    table_match m;          /* a = table of A, b = table of B */
    const char *a_name, *b_name; /* qualified for display */
    double score;           /* (m.name_similarity + m.column_overlap) / 2 */
    strvec tenant_copies;   /* names of A tables identical to m.a in other schemas */
} compare_pair;

typedef struct compare_object {
    const char *kind;       /* "table", "view", "enum", "function" */
    const char *name;       /* qualified */
    bool hinted;            /* a table that appears in an FK-graph hint */
    const char *copy_of;    /* a tenant copy of this (unpaired) table of A, NULL */
} compare_object;
typedef VEC(compare_object) compare_object_vec;

typedef struct compare_hint {
    const cat_table *a, *b;
    const char *a_name, *b_name;
    double score;           /* same formula as compare_pair.score */
    const char *reason;
} compare_hint;

typedef struct compare_result {
    const catalog *a, *b;
    double min_score;
    VEC(compare_pair) overlaps;  /* by descending score, then A name */
    compare_object_vec only_a, only_b;
    VEC(compare_hint) hints;     /* in discovery order */
    int identical, compatible, conflicting;  /* overlap verdict counts */
    int conflicts;               /* col_diffs with conflict=true over all overlaps */
} compare_result;

void compare_catalogs(arena *mem, const catalog *a, const catalog *b, const compare_opts *opts,
                      compare_result *out);

/* compare_emit.c: the result as text (people), JSON (machines) or Markdown
 * (reports).  Deterministic; scores with two decimals. */
void compare_emit_text(strbuf *out, const compare_result *r);
void compare_emit_json(strbuf *out, const compare_result *r);
void compare_emit_markdown(strbuf *out, const compare_result *r);

#endif
