/*
 * compare_emit.c — owns the three renderings of a compare_result: text for
 * people, JSON for machines, Markdown for integration reports.  All three
 * list the same findings in the same order (overlaps by score, conflicts,
 * one-side-only objects, FK-graph hints, summary); see docs/compare.md.
 */
#include "analysis/compare.h"

#include <string.h>

static const char *orn(const char *s)
{
    return s ? s : "(none)";
}

static const char *relation_words(type_relation r)
{
    switch (r) {
    case TYPE_SAME: return "same family";
    case TYPE_WIDER: return "B wider";
    case TYPE_NARROWER: return "B narrower";
    case TYPE_CONFLICT: return "conflict";
    }
    return "";
}

/* one difference in words, without a leading marker */
static void diff_words(strbuf *sb, const col_diff *d)
{
    switch (d->kind) {
    case COLDIFF_ONLY_A:
        strbuf_addf(sb, "column %s %s: only in A", d->column, orn(d->a));
        break;
    case COLDIFF_ONLY_B:
        strbuf_addf(sb, "column %s %s: only in B", d->column, orn(d->b));
        break;
    case COLDIFF_TYPE:
        strbuf_addf(sb, "column %s: %s vs %s (%s)", d->column, orn(d->a), orn(d->b),
                    relation_words(d->relation));
        break;
    case COLDIFF_NULLABLE:
        strbuf_addf(sb, "column %s: NOT NULL in %s only", d->column, d->a ? "A" : "B");
        break;
    case COLDIFF_DEFAULT:
        strbuf_addf(sb, "column %s: default %s vs %s", d->column, orn(d->a), orn(d->b));
        break;
    case COLDIFF_FOREIGN_KEY:
        if (d->a && d->b)
            strbuf_addf(sb, "%s: %s vs %s", d->column, d->a, d->b);
        else
            strbuf_addf(sb, "%s %s: in %s only", d->column, d->a ? d->a : d->b, d->a ? "A" : "B");
        break;
    default:
        if (d->a && d->b)
            strbuf_addf(sb, "%s: %s vs %s", d->column, d->a, d->b);
        else
            strbuf_addf(sb, "%s: in %s only", d->a ? d->a : d->b, d->a ? "A" : "B");
        break;
    }
}

static char marker(const col_diff *d)
{
    if (d->conflict)
        return '!';
    return d->kind == COLDIFF_ONLY_A ? '-' : d->kind == COLDIFF_ONLY_B ? '+' : '~';
}

static int pair_conflicts(const table_match *m)
{
    int n = 0;
    for (size_t i = 0; i < m->diffs.n; i++)
        n += m->diffs.v[i].conflict;
    return n;
}

static const char *superset_words(const table_match *m)
{
    if (m->verdict == MATCH_CONFLICTING && !pair_conflicts(m))
        return " (divergent: each side has what the other lacks)";
    if (m->verdict != MATCH_COMPATIBLE)
        return "";
    return m->superset == 1 ? ", A is the superset" : m->superset == 2 ? ", B is the superset" : "";
}

static const char *catalog_label(const catalog *c)
{
    return c->source ? c->source : "?";
}

/* ---- text --------------------------------------------------------------- */

void compare_emit_text(strbuf *out, const compare_result *r)
{
    strbuf_addf(out, "A: %s (%s)\nB: %s (%s)\n", catalog_label(r->a), dialect_name(r->a->dialect),
                catalog_label(r->b), dialect_name(r->b->dialect));
    strbuf_addf(out, "\noverlaps (%zu, min score %.2f):\n", r->overlaps.n, r->min_score);
    for (size_t i = 0; i < r->overlaps.n; i++) {
        const compare_pair *p = &r->overlaps.v[i];
        strbuf_addf(out, "  %s ~ %s  score %.2f (names %.2f, columns %.2f, %d common)  %s%s\n", p->a_name,
                    p->b_name, p->score, p->m.name_similarity, p->m.column_overlap, p->m.common_columns,
                    match_verdict_name(p->m.verdict), superset_words(&p->m));
        for (size_t k = 0; k < p->tenant_copies.n; k++)
            strbuf_addf(out, "    = %s: same structure in A (tenant copy)\n", p->tenant_copies.v[k]);
        for (size_t k = 0; k < p->m.diffs.n; k++) {
            strbuf_addf(out, "    %c ", marker(&p->m.diffs.v[k]));
            diff_words(out, &p->m.diffs.v[k]);
            strbuf_addch(out, '\n');
        }
    }
    strbuf_addf(out, "\nconflicts (%d):\n", r->conflicts);
    for (size_t i = 0; i < r->overlaps.n; i++) {
        const compare_pair *p = &r->overlaps.v[i];
        for (size_t k = 0; k < p->m.diffs.n; k++)
            if (p->m.diffs.v[k].conflict) {
                strbuf_addf(out, "  %s ~ %s: ", p->a_name, p->b_name);
                diff_words(out, &p->m.diffs.v[k]);
                strbuf_addch(out, '\n');
            }
    }
    const compare_object_vec *sides[2] = {&r->only_a, &r->only_b};
    for (int s = 0; s < 2; s++) {
        strbuf_addf(out, "\nonly in %c (%zu):\n", s ? 'B' : 'A', sides[s]->n);
        for (size_t i = 0; i < sides[s]->n; i++)
        {
            const compare_object *o = &sides[s]->v[i];
            strbuf_addf(out, "  %s %s", o->kind, o->name);
            if (o->copy_of)
                strbuf_addf(out, "  (tenant copy of %s)", o->copy_of);
            strbuf_adds(out, o->hinted ? "  (see hints)\n" : "\n");
        }
    }
    strbuf_addf(out, "\nFK-graph hints (%zu):\n", r->hints.n);
    for (size_t i = 0; i < r->hints.n; i++) {
        const compare_hint *h = &r->hints.v[i];
        strbuf_addf(out, "  %s ~ %s  score %.2f\n    because %s\n", h->a_name, h->b_name, h->score, h->reason);
    }
    strbuf_addf(out,
                "\nsummary: %zu overlaps (%d identical, %d compatible, %d conflicting), %d conflicts, "
                "%zu only in A, %zu only in B, %zu hints\n",
                r->overlaps.n, r->identical, r->compatible, r->conflicting, r->conflicts, r->only_a.n,
                r->only_b.n, r->hints.n);
}

/* ---- JSON --------------------------------------------------------------- */

static void json_str_or_null(strbuf *sb, const char *s)
{
    if (s)
        strbuf_add_json_string(sb, s);
    else
        strbuf_adds(sb, "null");
}

static void json_diff(strbuf *out, const col_diff *d)
{
    strbuf_adds(out, "{\"kind\": ");
    strbuf_add_json_string(out, match_diff_kind_name(d->kind));
    strbuf_adds(out, ", \"what\": ");
    strbuf_add_json_string(out, d->column);
    strbuf_adds(out, ", \"a\": ");
    json_str_or_null(out, d->a);
    strbuf_adds(out, ", \"b\": ");
    json_str_or_null(out, d->b);
    if (d->kind == COLDIFF_TYPE) {
        strbuf_adds(out, ", \"relation\": ");
        strbuf_add_json_string(out, typemap_relation_name(d->relation));
    }
    strbuf_addf(out, ", \"conflict\": %s}", d->conflict ? "true" : "false");
}

static void json_side(strbuf *out, const char *key, const catalog *c)
{
    strbuf_addf(out, "  \"%s\": {\"source\": ", key);
    strbuf_add_json_string(out, catalog_label(c));
    strbuf_adds(out, ", \"dialect\": ");
    strbuf_add_json_string(out, dialect_name(c->dialect));
    strbuf_adds(out, "},\n");
}

void compare_emit_json(strbuf *out, const compare_result *r)
{
    strbuf_adds(out, "{\n");
    json_side(out, "a", r->a);
    json_side(out, "b", r->b);
    strbuf_addf(out, "  \"min_score\": %.2f,\n  \"overlaps\": [", r->min_score);
    for (size_t i = 0; i < r->overlaps.n; i++) {
        const compare_pair *p = &r->overlaps.v[i];
        strbuf_adds(out, i ? ",\n    {\"a\": " : "\n    {\"a\": ");
        strbuf_add_json_string(out, p->a_name);
        strbuf_adds(out, ", \"b\": ");
        strbuf_add_json_string(out, p->b_name);
        strbuf_addf(out, ", \"score\": %.2f, \"name_similarity\": %.2f, \"column_overlap\": %.2f, "
                         "\"common_columns\": %d, \"verdict\": ",
                    p->score, p->m.name_similarity, p->m.column_overlap, p->m.common_columns);
        strbuf_add_json_string(out, match_verdict_name(p->m.verdict));
        strbuf_adds(out, ", \"superset\": ");
        json_str_or_null(out, p->m.verdict == MATCH_COMPATIBLE && p->m.superset
                                  ? (p->m.superset == 1 ? "a" : "b")
                                  : NULL);
        strbuf_addf(out, ", \"conflicts\": %d", pair_conflicts(&p->m));
        strbuf_adds(out, ",\n     \"tenant_copies\": [");
        for (size_t k = 0; k < p->tenant_copies.n; k++) {
            if (k)
                strbuf_adds(out, ", ");
            strbuf_add_json_string(out, p->tenant_copies.v[k]);
        }
        strbuf_adds(out, "],\n     \"differences\": [");
        for (size_t k = 0; k < p->m.diffs.n; k++) {
            strbuf_adds(out, k ? ",\n       " : "\n       ");
            json_diff(out, &p->m.diffs.v[k]);
        }
        strbuf_adds(out, p->m.diffs.n ? "\n     ]}" : "]}");
    }
    strbuf_adds(out, r->overlaps.n ? "\n  ],\n  \"conflicts\": [" : "],\n  \"conflicts\": [");
    bool first = true;
    for (size_t i = 0; i < r->overlaps.n; i++) {
        const compare_pair *p = &r->overlaps.v[i];
        for (size_t k = 0; k < p->m.diffs.n; k++) {
            if (!p->m.diffs.v[k].conflict)
                continue;
            strbuf_adds(out, first ? "\n    {\"a_table\": " : ",\n    {\"a_table\": ");
            first = false;
            strbuf_add_json_string(out, p->a_name);
            strbuf_adds(out, ", \"b_table\": ");
            strbuf_add_json_string(out, p->b_name);
            strbuf_adds(out, ", \"difference\": ");
            json_diff(out, &p->m.diffs.v[k]);
            strbuf_adds(out, "}");
        }
    }
    strbuf_adds(out, first ? "]" : "\n  ]");
    const compare_object_vec *sides[2] = {&r->only_a, &r->only_b};
    for (int s = 0; s < 2; s++) {
        strbuf_addf(out, ",\n  \"only_%c\": [", s ? 'b' : 'a');
        for (size_t i = 0; i < sides[s]->n; i++) {
            strbuf_adds(out, i ? ",\n    {\"kind\": " : "\n    {\"kind\": ");
            strbuf_add_json_string(out, sides[s]->v[i].kind);
            strbuf_adds(out, ", \"name\": ");
            strbuf_add_json_string(out, sides[s]->v[i].name);
            strbuf_addf(out, ", \"hinted\": %s, \"copy_of\": ", sides[s]->v[i].hinted ? "true" : "false");
            json_str_or_null(out, sides[s]->v[i].copy_of);
            strbuf_adds(out, "}");
        }
        strbuf_adds(out, sides[s]->n ? "\n  ]" : "]");
    }
    strbuf_adds(out, ",\n  \"hints\": [");
    for (size_t i = 0; i < r->hints.n; i++) {
        const compare_hint *h = &r->hints.v[i];
        strbuf_adds(out, i ? ",\n    {\"a\": " : "\n    {\"a\": ");
        strbuf_add_json_string(out, h->a_name);
        strbuf_adds(out, ", \"b\": ");
        strbuf_add_json_string(out, h->b_name);
        strbuf_addf(out, ", \"score\": %.2f, \"reason\": ", h->score);
        strbuf_add_json_string(out, h->reason);
        strbuf_adds(out, "}");
    }
    strbuf_adds(out, r->hints.n ? "\n  ]" : "]");
    strbuf_addf(out,
                ",\n  \"summary\": {\"overlaps\": %zu, \"identical\": %d, \"compatible\": %d, "
                "\"conflicting\": %d, \"conflicts\": %d, \"only_a\": %zu, \"only_b\": %zu, \"hints\": %zu}\n}\n",
                r->overlaps.n, r->identical, r->compatible, r->conflicting, r->conflicts, r->only_a.n,
                r->only_b.n, r->hints.n);
}

/* ---- Markdown ------------------------------------------------------------- */

/* a table cell: pipes escaped, newlines flattened */
static void md_cell(strbuf *out, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '|')
            strbuf_adds(out, "\\|");
        else if (*p == '\n')
            strbuf_addch(out, ' ');
        else
            strbuf_addch(out, *p);
    }
}

void compare_emit_markdown(strbuf *out, const compare_result *r)
{
    strbuf_adds(out, "# Schema comparison\n\n");
    strbuf_adds(out, "- **A**: `");
    md_cell(out, catalog_label(r->a));
    strbuf_addf(out, "` (%s)\n- **B**: `", dialect_name(r->a->dialect));
    md_cell(out, catalog_label(r->b));
    strbuf_addf(out, "` (%s)\n\n", dialect_name(r->b->dialect));
    strbuf_addf(out,
                "**Summary:** %zu overlaps (%d identical, %d compatible, %d conflicting), %d conflicts, "
                "%zu only in A, %zu only in B, %zu FK-graph hints.\n\n",
                r->overlaps.n, r->identical, r->compatible, r->conflicting, r->conflicts, r->only_a.n,
                r->only_b.n, r->hints.n);
    strbuf_addf(out, "## Direct overlaps\n\nPairs scoring at least %.2f.\n\n", r->min_score);
    if (r->overlaps.n) {
        strbuf_adds(out, "| A | B | score | names | columns | common | verdict |\n"
                         "|---|---|------:|------:|--------:|-------:|---------|\n");
        for (size_t i = 0; i < r->overlaps.n; i++) {
            const compare_pair *p = &r->overlaps.v[i];
            strbuf_addf(out, "| %s | %s | %.2f | %.2f | %.2f | %d | %s%s |\n", p->a_name, p->b_name, p->score,
                        p->m.name_similarity, p->m.column_overlap, p->m.common_columns,
                        match_verdict_name(p->m.verdict), superset_words(&p->m));
        }
    } else {
        strbuf_adds(out, "None.\n");
    }
    for (size_t i = 0; i < r->overlaps.n; i++) {
        const compare_pair *p = &r->overlaps.v[i];
        strbuf_addf(out, "\n### %s ~ %s\n\n", p->a_name, p->b_name);
        for (size_t k = 0; k < p->tenant_copies.n; k++)
            strbuf_addf(out, "- Tenant copy in A: `%s` (same structure)\n", p->tenant_copies.v[k]);
        if (!p->m.diffs.n)
            strbuf_adds(out, "Identical.\n");
        for (size_t k = 0; k < p->m.diffs.n; k++) {
            strbuf_adds(out, p->m.diffs.v[k].conflict ? "- **conflict** " : "- ");
            strbuf s = STRBUF_INIT;
            diff_words(&s, &p->m.diffs.v[k]);
            md_cell(out, strbuf_str(&s));
            strbuf_release(&s);
            strbuf_addch(out, '\n');
        }
    }
    strbuf_addf(out, "\n## Conflicts\n\n");
    if (!r->conflicts)
        strbuf_adds(out, "None.\n");
    for (size_t i = 0; i < r->overlaps.n; i++) {
        const compare_pair *p = &r->overlaps.v[i];
        for (size_t k = 0; k < p->m.diffs.n; k++)
            if (p->m.diffs.v[k].conflict) {
                strbuf_addf(out, "- %s ~ %s: ", p->a_name, p->b_name);
                strbuf s = STRBUF_INIT;
                diff_words(&s, &p->m.diffs.v[k]);
                md_cell(out, strbuf_str(&s));
                strbuf_release(&s);
                strbuf_addch(out, '\n');
            }
    }
    const compare_object_vec *sides[2] = {&r->only_a, &r->only_b};
    for (int s = 0; s < 2; s++) {
        strbuf_addf(out, "\n## Only in %c (complementary)\n\n", s ? 'B' : 'A');
        if (!sides[s]->n)
            strbuf_adds(out, "None.\n");
        for (size_t i = 0; i < sides[s]->n; i++)
        {
            const compare_object *o = &sides[s]->v[i];
            strbuf_addf(out, "- %s `%s`", o->kind, o->name);
            if (o->copy_of)
                strbuf_addf(out, " (tenant copy of `%s`)", o->copy_of);
            strbuf_adds(out, o->hinted ? " (see hints)\n" : "\n");
        }
    }
    strbuf_adds(out, "\n## FK-graph hints\n\n");
    if (!r->hints.n)
        strbuf_adds(out, "None.\n");
    else
        strbuf_adds(out, "| A | B | score | because |\n|---|---|------:|---------|\n");
    for (size_t i = 0; i < r->hints.n; i++) {
        const compare_hint *h = &r->hints.v[i];
        strbuf_addf(out, "| %s | %s | %.2f | ", h->a_name, h->b_name, h->score);
        md_cell(out, h->reason);
        strbuf_adds(out, " |\n");
    }
}
