/*
 * copy_plan.c — plain `dbsage copy` (whole databases or --tables): reads the
 * source catalog, profiles the stored values, converts the catalog to the
 * target dialect, compares it with the live target (existing tables must
 * be type-compatible unless told), diffs the absent part with the diff
 * engine into a DDL script, and builds one copy_job per table in foreign-key
 * order (keyset chunks on a single-column primary key).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/match.h"
#include "data/copy_int.h"
#include "diff/diff.h"
#include "source/source.h"

static bool wanted(const strvec *tables, const cat_table *t)
{
    if (!tables || !tables->n)
        return true;
    for (size_t i = 0; i < tables->n; i++) {
        const char *w = tables->v[i];
        const char *dot = strchr(w, '.');
        if (dot ? (strlen(t->schema) == (size_t)(dot - w) && !strncmp(w, t->schema, (size_t)(dot - w)) &&
                   !strcmp(dot + 1, t->name))
                : !strcmp(w, t->name))
            return true;
    }
    return false;
}

static bool skip_table(const cat_table *t)
{
    return catalog_is_tool_table(t->name) || !strcmp(t->name, COPY_PROGRESS_TABLE) || !strncmp(t->name, "sqlite_", 7);
}

static catalog *load_live(const char *spec, dialect d, diag_list *diags)
{
    catalog *cat = catalog_new(d);
    source_opts so;
    memset(&so, 0, sizeof so);
    so.force_dialect = d;
    if (source_load(cat, spec, &so, diags) < 0) {
        catalog_free(cat);
        return NULL;
    }
    return cat;
}

/* Is the existing target table able to take the converted one?  Lists why not. */
static bool compatible(const catalog *live, const cat_table *have, const cat_table *want, arena *mem,
                       strbuf *why)
{
    bool ok = true;
    for (size_t i = 0; i < want->columns.n; i++) {
        const cat_column *w = want->columns.v[i];
        const cat_column *h = catalog_column_find(have, w->name);
        if (!h) {
            strbuf_addf(why, "%scolumn %s missing", why->len ? "; " : "", w->name);
            ok = false;
            continue;
        }
        type_relation r = typemap_relate(live->dialect, w->type, live->dialect, h->type);
        if (r == TYPE_CONFLICT || r == TYPE_NARROWER) {
            strbuf_addf(why, "%s%s is %s, needs %s (%s)", why->len ? "; " : "", w->name, h->type, w->type,
                        typemap_relation_name(r));
            ok = false;
        }
    }
    (void)mem;
    return ok;
}

static void build_job(copy_plan *out, arena *mem, const cat_table *st, const cat_table *tt)
{
    copy_job j;
    memset(&j, 0, sizeof j);
    j.src_schema = st->schema;
    j.src_table = st->name;
    j.dst_schema = tt->schema;
    j.dst_table = tt->name;
    j.name = arena_printf(mem, "%s.%s", tt->schema, tt->name);
    j.key_index = -1;
    const profile_table *pt = profile_find_table(&out->profile, st->schema, st->name);
    copy_column *cols = arena_alloc(mem, sizeof *cols * (st->columns.n + 1));
    int n = 0, pos = 0;
    const cat_constraint *pk = catalog_primary_key(st);
    for (size_t i = 0; i < st->columns.n; i++) {
        const cat_column *c = st->columns.v[i];
        if (c->hidden)
            continue;
        const profile_column *pc = pt ? profile_find_column(pt, c->name) : NULL;
        if (pk && pk->columns.n == 1 && !strcmp(pk->columns.v[0], c->name)) {
            const char *fam = pc ? pc->family : "";
            bool pure_int = pc && pc->n_text == 0 && pc->n_real == 0 && pc->n_blob == 0;
            if (!strcmp(fam, "integer") && (out->profile.from == DIALECT_PG || pure_int || out->profile.from ==
                                                                                               out->profile.to)) {
                j.key_column = c->name;
                j.key_index = pos;
                j.key_is_int = true;
            } else if (!strcmp(fam, "text") || !strcmp(fam, "uuid") || (!strcmp(fam, "integer") && !pure_int &&
                                                                        out->profile.from == DIALECT_PG)) {
                j.key_column = c->name;
                j.key_index = pos;
            }
            if (out->profile.from == DIALECT_SQLITE && out->profile.to != DIALECT_SQLITE && pc &&
                (pc->n_int + pc->n_real + pc->n_blob) && strcmp(fam, "integer")) {
                j.key_column = NULL;  /* mixed storage classes: no keyset order that binds one way */
                j.key_index = -1;
            }
        }
        const cat_column *tc = catalog_column_find(tt, c->name);
        if (tc) {
            cols[n].name = tc->name;
            cols[n].src_index = pos;
            cols[n].conv = pc ? pc->conv : CONV_NONE;
            cols[n].target_type = tc->type;
            n++;
        }
        pos++;
    }
    j.cols = cols;
    j.ncols = n;
    VEC_PUSH(mem, out->jobs, j);
}

int copy_plan_build(const char *src_spec, const char *dst_spec, db_conn *src, db_conn *dst, const strvec *tables,
                    const copy_opts *opts, arena *mem, copy_plan *out, diag_list *diags)
{
    memset(out, 0, sizeof *out);
    dialect sd = db_dialect(src), dd = db_dialect(dst);
    src_loc sloc = {db_spec_masked(src), 0, 0};
    if (sd == DIALECT_PG && db_exec(src, "SET TimeZone = 'UTC'") < 0) {
        diag_error(diags, sloc, "SET TimeZone: %s", db_last_error(src));
        return -1;
    }
    out->src_cat = load_live(src_spec, sd, diags);
    if (!out->src_cat)
        return -1;
    catalog *sc = out->src_cat;
    if (tables && tables->n)
        for (size_t i = 0; i < tables->n; i++) {
            bool found = false;
            for (size_t k = 0; k < sc->tables.n && !found; k++) {
                strvec one = {0};
                VEC_PUSH(mem, one, tables->v[i]);
                found = wanted(&one, sc->tables.v[k]);
            }
            if (!found) {
                diag_add_rule(diags, DIAG_ERROR, sloc, "copy-no-table", "no table %s in the source", tables->v[i]);
                return -1;
            }
        }
    if (profile_run(src, sc, dd, tables, mem, &out->profile, diags) < 0)
        return -1;
    size_t errors_before = diags->n_errors;
    out->target = convert_catalog(sc, dd, NULL, tables, &out->profile, mem, diags);
    if (!out->target || diags->n_errors > errors_before)
        return -1;
    catalog *live = load_live(dst_spec, dd, diags);
    if (!live)
        return -1;
    /* jobs in FK order, against the full converted catalog */
    cat_table **order = catalog_tables_in_dependency_order(out->target);
    for (size_t i = 0; i < out->target->tables.n; i++) {
        const cat_table *tt = order[i];
        const cat_table *st = NULL;
        for (size_t k = 0; k < sc->tables.n && !st; k++)
            if (!strcmp(sc->tables.v[k]->name, tt->name) && wanted(tables, sc->tables.v[k]) &&
                !skip_table(sc->tables.v[k]) &&
                (sd != dd || !strcmp(sc->tables.v[k]->schema, tt->schema)))
                st = sc->tables.v[k];
        if (st)
            build_job(out, mem, st, tt);
    }
    /* existing target tables: compared, not re-created */
    strbuf why = STRBUF_INIT;
    src_loc dloc = {db_spec_masked(dst), 0, 0};
    for (size_t i = out->target->tables.n; i-- > 0;) {
        cat_table *tt = out->target->tables.v[i];
        cat_table *have = catalog_table_find(live, tt->schema, tt->name);
        if (!have)
            continue;
        strbuf_reset(&why);
        if (!compatible(live, have, tt, mem, &why)) {
            diag_add_rule(diags, opts && opts->allow_incompatible ? DIAG_WARNING : DIAG_ERROR, dloc,
                          "copy-incompatible", "target table %s exists with other types: %s", tt->name,
                          strbuf_str(&why));
            VEC_PUSH(mem, out->refused, tt->name);
        }
        catalog_table_remove(out->target, tt);
    }
    strbuf_release(&why);
    for (size_t i = out->target->sequences.n; i-- > 0;)
        if (catalog_sequence_find(live, out->target->sequences.v[i]->schema, out->target->sequences.v[i]->name))
            catalog_sequence_remove(out->target, out->target->sequences.v[i]);
    for (size_t i = out->target->enums.n; i-- > 0;)
        if (catalog_enum_find(live, out->target->enums.v[i]->schema, out->target->enums.v[i]->name))
            catalog_enum_remove(out->target, out->target->enums.v[i]);
    catalog *from = catalog_new(dd);
    for (size_t i = 0; i < live->schemas.n; i++)
        catalog_schema_add(from, live->schemas.v[i]->name, (src_loc){0, 0, 0});
    if (dd == DIALECT_PG && !catalog_schema_find(from, "public"))
        catalog_schema_add(from, "public", (src_loc){0, 0, 0});
    for (size_t i = out->target->schemas.n; i-- > 0;)
        if (catalog_schema_find(from, out->target->schemas.v[i]->name))
            catalog_schema_remove(out->target, out->target->schemas.v[i]);
    catalog_free(live);
    diff_plan plan;
    diff_plan_init(&plan, mem, dd);
    diff_opts dopts;
    memset(&dopts, 0, sizeof dopts);
    int rc = diff_catalogs(&plan, from, out->target, &dopts, diags);
    if (rc == 0 && !diff_plan_empty(&plan)) {
        strbuf sql = STRBUF_INIT;
        diff_emit_sql(&sql, &plan);
        out->ddl = arena_strdup(mem, strbuf_str(&sql));
        strbuf_release(&sql);
    } else
        out->ddl = "";
    catalog_free(from);
    if (out->refused.n && !(opts && opts->allow_incompatible))
        return -1;
    return rc;
}

int copy_plan_apply_ddl(db_conn *dst, const copy_plan *plan, diag_list *diags)
{
    if (!plan->ddl || !*plan->ddl)
        return 0;
    return db_exec_script(dst, "copy schema", plan->ddl, strlen(plan->ddl), 1, diags);
}

void copy_plan_free(copy_plan *plan)
{
    if (plan->src_cat)
        catalog_free(plan->src_cat);
    if (plan->target)
        catalog_free(plan->target);
    plan->src_cat = plan->target = NULL;
}
