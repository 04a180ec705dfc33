/*
 * inventory_report.c — owns: the three renderings of an inventory: text
 * (for people), JSON (for machines; documented in docs/inventory.md) and
 * Markdown (for issues and reviews).  Pure formatting: no analysis here.
 */
#include <string.h>

#include "analysis/inventory.h"

#define RUNNERS_UP 3

static const char *dname(dialect d)
{
    return d == DIALECT_SQLITE ? "sqlite" : "pg";
}

static void file_stats(strbuf *o, const inv_file *f)
{
    strbuf_addf(o, "%d statement%s", f->n_statements, f->n_statements == 1 ? "" : "s");
    if (f->n_ddl || f->n_dml)
        strbuf_addf(o, " (%d schema, %d data)", f->n_ddl, f->n_dml);
    if (f->n_errors)
        strbuf_addf(o, ", %d refused alone", f->n_errors);
    if (strcmp(f->host, "sql"))
        strbuf_addf(o, ", SQL in %s strings", f->host);
}

static const char *seq_versions(arena *mem, const inv_sequence *s)
{
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < s->files.n; i++)
        strbuf_addf(&sb, "%s%s", i ? ", " : "", s->files.v[i]->version);
    const char *r = arena_strdup(mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return r;
}

static void join(strbuf *o, const strvec *v, const char *sep)
{
    for (size_t i = 0; i < v->n; i++)
        strbuf_addf(o, "%s%s", i ? sep : "", v->v[i]);
}

static const char *def_note(arena *mem, const inv_object *o, size_t i)
{
    const inv_def *d = &o->defs.v[i];
    for (size_t k = 0; k < i; k++)
        if (o->defs.v[k].group == d->group)
            return arena_printf(mem, " (identical to %s)", o->defs.v[k].file->name);
    return "";
}

/* ---- text ------------------------------------------------------------------- */

static void text_against(strbuf *o, const inventory *inv)
{
    const inv_against *a = inv->against;
    arena *mem = (arena *)&inv->mem;
    strbuf_addf(o, "\nAgainst %s (%s)\n", a->url, dname(a->dialect));
    strbuf_adds(o, "  objects:\n");
    for (size_t i = 0; i < a->objects.n; i++) {
        const inv_live_object *lo = &a->objects.v[i];
        strbuf_addf(o, "    %s %s: ", inv_kind_name(lo->obj->kind), lo->obj->display);
        if (!lo->present) {
            strbuf_adds(o, "missing\n");
            continue;
        }
        if (lo->matches.n) {
            strbuf_adds(o, "matches ");
            join(o, &lo->matches, ", ");
        } else {
            strbuf_adds(o, "present, matches no file");
        }
        strbuf_addch(o, '\n');
        for (size_t k = 0; k < lo->differs.n; k++)
            strbuf_addf(o, "      differs from %s\n", lo->differs.v[k]);
    }
    if (a->live_only.n) {
        strbuf_adds(o, "  only in the database: ");
        join(o, &a->live_only, ", ");
        strbuf_addch(o, '\n');
    }
    strbuf_adds(o, "  files:\n");
    for (size_t i = 0; i < a->files.n; i++) {
        const inv_live_file *lf = &a->files.v[i];
        strbuf_addf(o, "    %-44s %s (%d/%d)", lf->file->name, lf->state, lf->present, lf->total);
        if (lf->tracked)
            strbuf_addf(o, "; %s", lf->tracked);
        strbuf_addch(o, '\n');
    }
    strbuf_adds(o, "  tracking tables:");
    if (!a->tracking.n)
        strbuf_adds(o, " none found");
    strbuf_addch(o, '\n');
    for (size_t i = 0; i < a->tracking.n; i++) {
        const inv_tracking *t = &a->tracking.v[i];
        strbuf_addf(o, "    %s (%s): %zu applied, latest %s", t->tool, t->table, t->versions.n,
                    t->latest ? t->latest : "none");
        if (t->dirty.n) {
            strbuf_adds(o, ", dirty/failed: ");
            join(o, &t->dirty, ", ");
        }
        strbuf_addch(o, '\n');
        for (size_t k = 0; k < t->files.n; k++)
            strbuf_addf(o, "      %s\n", t->files.v[k]);
        if (t->unknown.n) {
            strbuf_adds(o, "      without a file: ");
            join(o, &t->unknown, ", ");
            strbuf_addch(o, '\n');
        }
    }
    (void)mem;
}

void inventory_report_text(strbuf *o, const inventory *inv)
{
    arena *mem = (arena *)&inv->mem;
    strbuf_addf(o, "dbsage inventory: %zu files, %zu sequences, %zu objects (%d defined in more than one place, %d conflicting)\n",
                inv->files.n, inv->sequences.n, inv->objects.n, inv->n_multi, inv->n_conflicting);
    if (inv->skipped.n) {
        strbuf_adds(o, "skipped: ");
        join(o, &inv->skipped, ", ");
        strbuf_addch(o, '\n');
    }
    static const inv_class order[] = {INV_SNAPSHOT, INV_MIGRATION, INV_SEED, INV_TEST, INV_OTHER};
    strbuf_adds(o, "\nFiles\n");
    for (size_t c = 0; c < sizeof order / sizeof *order; c++)
        for (size_t i = 0; i < inv->files.n; i++) {
            const inv_file *f = inv->files.v[i];
            if (f->cls != order[c])
                continue;
            strbuf_addf(o, "  %-9s %-6s %-46s ", inv_class_name(f->cls), dname(f->dialect), f->name);
            file_stats(o, f);
            strbuf_addf(o, " [%s]\n", f->why);
        }
    if (inv->sequences.n) {
        strbuf_adds(o, "\nSequences\n");
        for (size_t i = 0; i < inv->sequences.n; i++) {
            const inv_sequence *s = inv->sequences.v[i];
            strbuf_addf(o, "  %s/ (%s, %zu files): %s\n", s->dir, dname(s->dialect), s->files.n, seq_versions(mem, s));
            for (size_t k = 0; k < s->collisions.n; k++)
                strbuf_addf(o, "    collision %s\n", s->collisions.v[k]);
            for (size_t k = 0; k < s->gaps.n; k++)
                strbuf_addf(o, "    gap %s\n", s->gaps.v[k]);
        }
    }
    strbuf_adds(o, "\nObjects defined in more than one place\n");
    if (!inv->n_multi)
        strbuf_adds(o, "  none\n");
    for (size_t i = 0; i < inv->objects.n; i++) {
        const inv_object *ob = inv->objects.v[i];
        if (ob->defs.n < 2)
            continue;
        strbuf_addf(o, "  %s %s: %s\n", inv_kind_name(ob->kind), ob->display, inv_verdict_name(ob->verdict));
        for (size_t d = 0; d < ob->defs.n; d++) {
            const inv_def *df = &ob->defs.v[d];
            strbuf_addf(o, "    defined   %s:%u:%u (%s)%s\n", df->file->name, df->loc.line, df->loc.col,
                        dname(df->file->dialect), def_note(mem, ob, d));
        }
        for (size_t k = 0; k < ob->others.n; k++) {
            const inv_ref *r = ob->others.v[k];
            const char *fname = r->file->name;
            strbuf_addf(o, "    %-9s %s:%u:%u%s%s\n", r->action == INV_ALTER ? "altered" : "dropped", fname,
                        r->loc.line, r->loc.col, r->detail ? " " : "", r->detail ? r->detail : "");
        }
        for (size_t p = 0; p < ob->pairs.n; p++) {
            const inv_pair *pr = &ob->pairs.v[p];
            const inv_file *fa = ob->defs.v[pr->a].file, *fb = ob->defs.v[pr->b].file;
            strbuf_addf(o, "    %s vs %s: %s", fa->name, fb->name, inv_verdict_name(pr->verdict));
            if (pr->verdict == INV_COMPATIBLE && pr->superset)
                strbuf_addf(o, " (%s holds more)", pr->superset == 1 ? fa->name : fb->name);
            strbuf_addch(o, '\n');
            for (size_t k = 0; k < pr->diffs.n; k++)
                strbuf_addf(o, "      %s\n", pr->diffs.v[k]);
        }
    }
    strbuf_adds(o, "\nRecommendation\n");
    if (!inv->winner) {
        strbuf_adds(o, "  no schema snapshot or migration sequence found\n");
    } else {
        const inv_candidate *w = inv->winner;
        strbuf_addf(o, "  source of truth: %s\n", w->label);
        strbuf_addf(o, "    score %d = %d objects - %d conflicting - %d altered but never created\n", w->score,
                    w->objects, w->conflicts, w->dangling);
        if (inv->candidates.n > 1) {
            strbuf_adds(o, "  runners-up:\n");
            for (size_t i = 1; i < inv->candidates.n && i <= RUNNERS_UP; i++) {
                const inv_candidate *c = inv->candidates.v[i];
                strbuf_addf(o, "    %s: score %d (%d objects, %d conflicting, %d altered but never created)\n",
                            c->label, c->score, c->objects, c->conflicts, c->dangling);
            }
        }
        if (inv->notes.n)
            strbuf_adds(o, "  other files:\n");
        for (size_t i = 0; i < inv->notes.n; i++) {
            const inv_file_note *n = &inv->notes.v[i];
            strbuf_addf(o, "    %s: agrees on %d", n->file->name, n->agrees);
            if (n->adds.n) {
                strbuf_adds(o, "; adds ");
                join(o, &n->adds, ", ");
            }
            strbuf_addch(o, '\n');
            for (size_t k = 0; k < n->contradicts.n; k++)
                strbuf_addf(o, "      contradicts %s\n", n->contradicts.v[k]);
        }
    }
    if (inv->against)
        text_against(o, inv);
}

/* ---- JSON ------------------------------------------------------------------- */

static void jstr(strbuf *o, const char *key, const char *v, bool comma)
{
    strbuf_addf(o, "\"%s\": ", key);
    strbuf_add_json_string(o, v);
    if (comma)
        strbuf_addch(o, ',');
}

static void jarr(strbuf *o, const char *key, const strvec *v)
{
    strbuf_addf(o, "\"%s\": [", key);
    for (size_t i = 0; i < v->n; i++) {
        if (i)
            strbuf_addch(o, ',');
        strbuf_add_json_string(o, v->v[i]);
    }
    strbuf_addch(o, ']');
}

static void json_candidate(strbuf *o, const inv_candidate *c)
{
    strbuf_addch(o, '{');
    jstr(o, "label", c->label, true);
    strbuf_adds(o, "\"files\": [");
    for (size_t i = 0; i < c->files.n; i++) {
        if (i)
            strbuf_addch(o, ',');
        strbuf_add_json_string(o, c->files.v[i]->name);
    }
    strbuf_addf(o, "], \"objects\": %d, \"conflicts\": %d, \"dangling\": %d, \"refused\": %d, \"score\": %d}", c->objects,
                c->conflicts, c->dangling, c->refused, c->score);
}

static void json_against(strbuf *o, const inventory *inv)
{
    const inv_against *a = inv->against;
    strbuf_adds(o, "{");
    jstr(o, "url", a->url, true);
    jstr(o, "dialect", dname(a->dialect), true);
    strbuf_adds(o, "\"objects\": [");
    for (size_t i = 0; i < a->objects.n; i++) {
        const inv_live_object *lo = &a->objects.v[i];
        strbuf_adds(o, i ? ",\n  {" : "\n  {");
        jstr(o, "kind", inv_kind_name(lo->obj->kind), true);
        jstr(o, "name", lo->obj->display, true);
        strbuf_addf(o, "\"present\": %s, ", lo->present ? "true" : "false");
        jarr(o, "matches", &lo->matches);
        strbuf_adds(o, ", ");
        jarr(o, "differs", &lo->differs);
        strbuf_addch(o, '}');
    }
    strbuf_adds(o, "],\n\"files\": [");
    for (size_t i = 0; i < a->files.n; i++) {
        const inv_live_file *lf = &a->files.v[i];
        strbuf_adds(o, i ? ",\n  {" : "\n  {");
        jstr(o, "file", lf->file->name, true);
        jstr(o, "state", lf->state, true);
        strbuf_addf(o, "\"present\": %d, \"total\": %d, ", lf->present, lf->total);
        jstr(o, "tracked", lf->tracked, false);
        strbuf_addch(o, '}');
    }
    strbuf_adds(o, "],\n\"tracking\": [");
    for (size_t i = 0; i < a->tracking.n; i++) {
        const inv_tracking *t = &a->tracking.v[i];
        strbuf_adds(o, i ? ",\n  {" : "\n  {");
        jstr(o, "tool", t->tool, true);
        jstr(o, "table", t->table, true);
        jarr(o, "versions", &t->versions);
        strbuf_adds(o, ", ");
        jstr(o, "latest", t->latest, true);
        jarr(o, "dirty", &t->dirty);
        strbuf_adds(o, ", ");
        jarr(o, "files", &t->files);
        strbuf_adds(o, ", ");
        jarr(o, "unknown", &t->unknown);
        strbuf_addch(o, '}');
    }
    strbuf_adds(o, "],\n");
    jarr(o, "live_only", &a->live_only);
    strbuf_adds(o, "}");
}

void inventory_report_json(strbuf *o, const inventory *inv)
{
    strbuf_adds(o, "{\n");
    jarr(o, "roots", &inv->roots);
    strbuf_adds(o, ",\n");
    jarr(o, "skipped", &inv->skipped);
    strbuf_addf(o, ",\n\"summary\": {\"files\": %zu, \"sequences\": %zu, \"objects\": %zu, \"multiply_defined\": %d, "
                   "\"conflicting\": %d},\n",
                inv->files.n, inv->sequences.n, inv->objects.n, inv->n_multi, inv->n_conflicting);
    strbuf_adds(o, "\"files\": [");
    for (size_t i = 0; i < inv->files.n; i++) {
        const inv_file *f = inv->files.v[i];
        strbuf_adds(o, i ? ",\n  {" : "\n  {");
        jstr(o, "path", f->name, true);
        jstr(o, "class", inv_class_name(f->cls), true);
        jstr(o, "why", f->why, true);
        jstr(o, "host", f->host, true);
        jstr(o, "dialect", dname(f->dialect), true);
        jstr(o, "sequence", f->sequence, true);
        jstr(o, "version", f->version, true);
        strbuf_addf(o, "\"statements\": %d, \"schema_statements\": %d, \"data_statements\": %d, \"refused\": %d, ",
                    f->n_statements, f->n_ddl, f->n_dml, f->n_errors);
        strbuf_adds(o, "\"refs\": [");
        for (size_t k = 0; k < f->refs.n; k++) {
            const inv_ref *r = &f->refs.v[k];
            strbuf_adds(o, k ? ", {" : "{");
            jstr(o, "action", inv_action_name(r->action), true);
            jstr(o, "kind", inv_kind_name(r->kind), true);
            jstr(o, "schema", r->schema, true);
            jstr(o, "name", r->name, true);
            strbuf_addf(o, "\"line\": %u, \"col\": %u, ", r->loc.line, r->loc.col);
            jstr(o, "detail", r->detail, false);
            strbuf_addch(o, '}');
        }
        strbuf_adds(o, "]}");
    }
    strbuf_adds(o, "],\n\"sequences\": [");
    for (size_t i = 0; i < inv->sequences.n; i++) {
        const inv_sequence *s = inv->sequences.v[i];
        strbuf_adds(o, i ? ",\n  {" : "\n  {");
        jstr(o, "dir", s->dir, true);
        jstr(o, "dialect", dname(s->dialect), true);
        strbuf_adds(o, "\"files\": [");
        for (size_t k = 0; k < s->files.n; k++) {
            strbuf_adds(o, k ? ", {" : "{");
            jstr(o, "path", s->files.v[k]->name, true);
            jstr(o, "version", s->files.v[k]->version, false);
            strbuf_addch(o, '}');
        }
        strbuf_adds(o, "], ");
        jarr(o, "collisions", &s->collisions);
        strbuf_adds(o, ", ");
        jarr(o, "gaps", &s->gaps);
        strbuf_addch(o, '}');
    }
    strbuf_adds(o, "],\n\"objects\": [");
    for (size_t i = 0; i < inv->objects.n; i++) {
        const inv_object *ob = inv->objects.v[i];
        strbuf_adds(o, i ? ",\n  {" : "\n  {");
        jstr(o, "kind", inv_kind_name(ob->kind), true);
        jstr(o, "schema", ob->schema, true);
        jstr(o, "name", ob->name, true);
        jstr(o, "verdict", ob->defs.n >= 2 ? inv_verdict_name(ob->verdict) : NULL, true);
        strbuf_adds(o, "\"definitions\": [");
        for (size_t d = 0; d < ob->defs.n; d++) {
            const inv_def *df = &ob->defs.v[d];
            strbuf_adds(o, d ? ", {" : "{");
            jstr(o, "file", df->file->name, true);
            jstr(o, "dialect", dname(df->file->dialect), true);
            strbuf_addf(o, "\"line\": %u, \"col\": %u, \"group\": %d}", df->loc.line, df->loc.col, df->group);
        }
        strbuf_adds(o, "], \"changes\": [");
        for (size_t k = 0; k < ob->others.n; k++) {
            const inv_ref *r = ob->others.v[k];
            strbuf_adds(o, k ? ", {" : "{");
            jstr(o, "file", r->file->name, true);
            jstr(o, "action", inv_action_name(r->action), true);
            strbuf_addf(o, "\"line\": %u, \"col\": %u, ", r->loc.line, r->loc.col);
            jstr(o, "detail", r->detail, false);
            strbuf_addch(o, '}');
        }
        strbuf_adds(o, "], \"pairs\": [");
        for (size_t p = 0; p < ob->pairs.n; p++) {
            const inv_pair *pr = &ob->pairs.v[p];
            strbuf_adds(o, p ? ", {" : "{");
            jstr(o, "a", ob->defs.v[pr->a].file->name, true);
            jstr(o, "b", ob->defs.v[pr->b].file->name, true);
            jstr(o, "verdict", inv_verdict_name(pr->verdict), true);
            jstr(o, "superset",
                 pr->superset == 1 ? ob->defs.v[pr->a].file->name : pr->superset == 2 ? ob->defs.v[pr->b].file->name : NULL,
                 true);
            jarr(o, "differences", &pr->diffs);
            strbuf_addch(o, '}');
        }
        strbuf_adds(o, "]}");
    }
    strbuf_adds(o, "],\n\"recommendation\": ");
    if (!inv->winner) {
        strbuf_adds(o, "null");
    } else {
        strbuf_adds(o, "{\"winner\": ");
        json_candidate(o, inv->winner);
        strbuf_adds(o, ",\n  \"candidates\": [");
        for (size_t i = 0; i < inv->candidates.n; i++) {
            strbuf_adds(o, i ? ",\n    " : "\n    ");
            json_candidate(o, inv->candidates.v[i]);
        }
        strbuf_adds(o, "],\n  \"others\": [");
        for (size_t i = 0; i < inv->notes.n; i++) {
            const inv_file_note *n = &inv->notes.v[i];
            strbuf_adds(o, i ? ",\n    {" : "\n    {");
            jstr(o, "file", n->file->name, true);
            strbuf_addf(o, "\"agrees\": %d, ", n->agrees);
            jarr(o, "adds", &n->adds);
            strbuf_adds(o, ", ");
            jarr(o, "contradicts", &n->contradicts);
            strbuf_addch(o, '}');
        }
        strbuf_adds(o, "]}");
    }
    strbuf_adds(o, ",\n\"against\": ");
    if (inv->against)
        json_against(o, inv);
    else
        strbuf_adds(o, "null");
    strbuf_adds(o, "\n}\n");
}

/* ---- Markdown ------------------------------------------------------------------ */

static void md_cell(strbuf *o, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            strbuf_adds(o, "\\|");
        else
            strbuf_addch(o, *s);
    }
}

void inventory_report_markdown(strbuf *o, const inventory *inv)
{
    arena *mem = (arena *)&inv->mem;
    strbuf_addf(o, "# Schema inventory\n\n%zu files, %zu sequences, %zu objects (%d defined in more than one place, "
                   "%d conflicting).\n",
                inv->files.n, inv->sequences.n, inv->objects.n, inv->n_multi, inv->n_conflicting);
    if (inv->skipped.n) {
        strbuf_adds(o, "Skipped: ");
        for (size_t i = 0; i < inv->skipped.n; i++)
            strbuf_addf(o, "%s`%s`", i ? ", " : "", inv->skipped.v[i]);
        strbuf_adds(o, ".\n");
    }
    strbuf_adds(o, "\n## Files\n\n| file | class | dialect | statements | why |\n|---|---|---|---|---|\n");
    for (size_t i = 0; i < inv->files.n; i++) {
        const inv_file *f = inv->files.v[i];
        strbuf_addf(o, "| `%s` | %s | %s | ", f->name, inv_class_name(f->cls), dname(f->dialect));
        file_stats(o, f);
        strbuf_adds(o, " | ");
        md_cell(o, f->why);
        strbuf_adds(o, " |\n");
    }
    if (inv->sequences.n) {
        strbuf_adds(o, "\n## Sequences\n\n| folder | dialect | versions | collisions | gaps |\n|---|---|---|---|---|\n");
        for (size_t i = 0; i < inv->sequences.n; i++) {
            const inv_sequence *s = inv->sequences.v[i];
            strbuf_addf(o, "| `%s/` | %s | %s | ", s->dir, dname(s->dialect), seq_versions(mem, s));
            for (size_t k = 0; k < s->collisions.n; k++)
                strbuf_addf(o, "%s%s", k ? "; " : "", s->collisions.v[k]);
            strbuf_adds(o, " | ");
            for (size_t k = 0; k < s->gaps.n; k++)
                strbuf_addf(o, "%s%s", k ? ", " : "", s->gaps.v[k]);
            strbuf_adds(o, " |\n");
        }
    }
    strbuf_adds(o, "\n## Objects defined in more than one place\n\n");
    if (!inv->n_multi)
        strbuf_adds(o, "None.\n");
    for (size_t i = 0; i < inv->objects.n; i++) {
        const inv_object *ob = inv->objects.v[i];
        if (ob->defs.n < 2)
            continue;
        strbuf_addf(o, "### %s `%s` — %s\n\n", inv_kind_name(ob->kind), ob->display, inv_verdict_name(ob->verdict));
        for (size_t d = 0; d < ob->defs.n; d++)
            strbuf_addf(o, "- defined in `%s:%u:%u` (%s)%s\n", ob->defs.v[d].file->name, ob->defs.v[d].loc.line,
                        ob->defs.v[d].loc.col, dname(ob->defs.v[d].file->dialect), def_note(mem, ob, d));
        for (size_t p = 0; p < ob->pairs.n; p++) {
            const inv_pair *pr = &ob->pairs.v[p];
            strbuf_addf(o, "- `%s` vs `%s`: **%s**\n", ob->defs.v[pr->a].file->name, ob->defs.v[pr->b].file->name,
                        inv_verdict_name(pr->verdict));
            for (size_t k = 0; k < pr->diffs.n; k++)
                strbuf_addf(o, "  - %s\n", pr->diffs.v[k]);
        }
        strbuf_addch(o, '\n');
    }
    strbuf_adds(o, "\n## Recommendation\n\n");
    if (!inv->winner) {
        strbuf_adds(o, "No schema snapshot or migration sequence found.\n");
    } else {
        const inv_candidate *w = inv->winner;
        strbuf_addf(o, "Source of truth: **%s** — score %d = %d objects − %d conflicting − %d altered but never "
                       "created.\n\n",
                    w->label, w->score, w->objects, w->conflicts, w->dangling);
        strbuf_adds(o, "| candidate | score | objects | conflicting | dangling |\n|---|---|---|---|---|\n");
        for (size_t i = 0; i < inv->candidates.n; i++) {
            const inv_candidate *c = inv->candidates.v[i];
            strbuf_addf(o, "| %s | %d | %d | %d | %d |\n", c->label, c->score, c->objects, c->conflicts, c->dangling);
        }
        if (inv->notes.n)
            strbuf_adds(o, "\n| other file | agrees | adds | contradicts |\n|---|---|---|---|\n");
        for (size_t i = 0; i < inv->notes.n; i++) {
            const inv_file_note *n = &inv->notes.v[i];
            strbuf_addf(o, "| `%s` | %d | ", n->file->name, n->agrees);
            for (size_t k = 0; k < n->adds.n; k++) {
                strbuf_adds(o, k ? ", " : "");
                md_cell(o, n->adds.v[k]);
            }
            strbuf_adds(o, " | ");
            for (size_t k = 0; k < n->contradicts.n; k++) {
                strbuf_adds(o, k ? "; " : "");
                md_cell(o, n->contradicts.v[k]);
            }
            strbuf_adds(o, " |\n");
        }
    }
    if (inv->against) {
        strbuf_adds(o, "\n## Against the live database\n\n```\n");
        strbuf tmp = STRBUF_INIT;
        text_against(&tmp, inv);
        strbuf_add(o, tmp.buf ? tmp.buf + 1 : "", tmp.len ? tmp.len - 1 : 0);
        strbuf_release(&tmp);
        strbuf_adds(o, "```\n");
    }
}
