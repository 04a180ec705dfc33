/*
 * convert.c — a catalog of one dialect -> an equivalent catalog of the
 * other (or the same) dialect, for `dbsage copy`: column types through the
 * portable families of analysis/match.h (refined by the value profile),
 * defaults translated (now()/CURRENT_TIMESTAMP, booleans, serial/identity
 * <-> INTEGER PRIMARY KEY AUTOINCREMENT), primary keys, unique constraints,
 * foreign keys and plain indexes carried; what cannot be carried across
 * dialects (views, triggers, routines, CHECK and index expressions, partial
 * indexes) is reported as a warning with rule "copy-not-carried".
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/match.h"
#include "data/copy_int.h"

static bool has_ci(const char *s, const char *needle)
{
    return s && strcasestr(s, needle) != NULL;
}

/* "(n)" / "(p,s)" of a type, "" when none */
static const char *typmod(const char *t, arena *mem)
{
    const char *p = t ? strchr(t, '(') : NULL;
    const char *q = p ? strchr(p, ')') : NULL;
    return p && q ? arena_strndup(mem, p, (size_t)(q - p + 1)) : "";
}

static int typmod_n(const char *t)
{
    const char *p = t ? strchr(t, '(') : NULL;
    return p ? atoi(p + 1) : 0;
}

static const char *sqlite_to_pg(const cat_column *col, const profile_column *pc, copy_conv *conv, arena *mem)
{
    const char *t = col->type && *col->type ? col->type : col->type_written;
    const char *fam = typemap_family(DIALECT_SQLITE, t ? t : "");
    *conv = CONV_NONE;
    bool texts = pc && pc->n_text > 0, blobs = pc && pc->n_blob > 0;
    bool reals = pc && pc->n_real > 0, ints = pc && pc->n_int > 0;
    if (pc && (pc->n_nul || pc->n_bad_utf8)) {
        *conv = CONV_BLOB;  /* PostgreSQL text holds neither NUL bytes nor invalid UTF-8 */
        return "bytea";
    }
    if (!strcmp(fam, "any")) {
        if (blobs && !texts && !ints && !reals) {
            *conv = CONV_BLOB;
            return "bytea";
        }
        if (texts || blobs || !pc)
            return "text";
        if (reals)
            *conv = CONV_REAL;
        return reals ? "double precision" : "bigint";
    }
    if (!strcmp(fam, "integer")) {
        if (texts || blobs)
            return "text";
        if (reals) {
            *conv = CONV_REAL;
            return "double precision";
        }
        if (col->autoincrement || has_ci(t, "BIGINT") || has_ci(t, "INT8") || !strcasecmp(t, "INTEGER") ||
            !strcasecmp(t, "INT"))
            return "bigint";
        bool small = has_ci(t, "SMALLINT") || has_ci(t, "INT2") || has_ci(t, "TINYINT");
        bool fits4 = !pc || !ints || (pc->min_int >= INT32_MIN && pc->max_int <= INT32_MAX);
        bool fits2 = !pc || !ints || (pc->min_int >= -32768 && pc->max_int <= 32767);
        if (small && fits2)
            return "smallint";
        return fits4 ? "integer" : "bigint";
    }
    if (!strcmp(fam, "float")) {
        if (texts || blobs)
            return "text";
        *conv = CONV_REAL;
        return "double precision";
    }
    if (!strcmp(fam, "decimal")) {
        if (texts || blobs)
            return "text";
        const char *m = typmod(t, mem);
        return *m ? arena_printf(mem, "numeric%s", m) : "numeric";
    }
    if (!strcmp(fam, "boolean")) {
        if (pc && (pc->n_bool_like < pc->n_int + pc->n_real + pc->n_text || blobs))
            return "text";
        *conv = CONV_BOOL;
        return "boolean";
    }
    if (!strcmp(fam, "text")) {
        if (blobs) {
            *conv = CONV_BLOB;
            return "bytea";
        }
        int n = typmod_n(t);
        if (n > 0 && (has_ci(t, "VARCHAR") || has_ci(t, "VARYING")) && (!pc || pc->max_len <= n))
            return arena_printf(mem, "character varying(%d)", n);
        return "text";
    }
    if (!strcmp(fam, "binary")) {
        *conv = CONV_BLOB;
        return "bytea";
    }
    if (!strcmp(fam, "json"))
        return (blobs || ints || reals) ? "text" : "json";
    if (!strcmp(fam, "uuid"))
        return "text";  /* PG uuid lower-cases and reformats: text keeps every value */
    if (!strcmp(fam, "date") || !strcmp(fam, "timestamp") || !strcmp(fam, "timestamptz")) {
        const char *pgt = !strcmp(fam, "date")          ? "date"
                          : !strcmp(fam, "timestamptz") ? "timestamp with time zone"
                                                        : "timestamp without time zone";
        if (blobs || (pc && pc->n_bad_date))
            return "text";  /* PostgreSQL would refuse (or silently misread) those values */
        if (pc && pc->n_date_tz)
            pgt = "timestamp with time zone";  /* a timestamp column would drop the offsets */
        else if (pc && pc->n_date_time && !strcmp(fam, "date"))
            pgt = "timestamp without time zone";  /* a date column would drop the time */
        if (pc && (pc->n_epoch_s || pc->n_epoch_ms)) {
            *conv = pc->n_epoch_s && pc->n_epoch_ms ? CONV_EPOCH_AUTO : pc->n_epoch_ms ? CONV_EPOCH_MS : CONV_EPOCH_S;
            if (!strcmp(pgt, "date"))
                return "timestamp without time zone";
        }
        return pgt;
    }
    if (!strcmp(fam, "time"))
        return (ints || reals || blobs) ? "text" : "time without time zone";
    if (!strcmp(fam, "interval"))
        return (ints || reals || blobs) ? "text" : "interval";
    return "text";
}

static const char *pg_to_sqlite(const catalog *src, const cat_column *col, copy_conv *conv, arena *mem)
{
    const char *t = typemap_resolve(src, col->type);
    const char *fam = typemap_family_in(src, col->type);
    *conv = CONV_NONE;
    (void)mem;
    if (!strcmp(fam, "integer")) {
        *conv = CONV_INTEGER;
        return "INTEGER";
    }
    if (!strcmp(fam, "float")) {
        *conv = CONV_REAL;
        return "REAL";
    }
    if (!strcmp(fam, "decimal")) {
        const char *m = typmod(t, mem);
        return *m ? arena_printf(mem, "NUMERIC%s", m) : "NUMERIC";
    }
    if (!strcmp(fam, "boolean")) {
        *conv = CONV_BOOL;
        return "BOOLEAN";
    }
    if (!strcmp(fam, "binary")) {
        *conv = CONV_BLOB;
        return "BLOB";
    }
    if (!strcmp(fam, "text")) {
        int n = typmod_n(t);
        if (n > 0 && strstr(t, "character varying"))
            return arena_printf(mem, "VARCHAR(%d)", n);
        return "TEXT";
    }
    if (!strcmp(fam, "date"))
        return "DATE";
    if (!strcmp(fam, "timestamp"))
        return "TIMESTAMP";
    if (!strcmp(fam, "timestamptz")) {
        *conv = CONV_TIMESTAMPTZ_UTC;
        return "TIMESTAMPTZ";
    }
    if (!strcmp(fam, "time"))
        return "TIME";
    /* json, uuid, interval, arrays, enums, other: their text */
    return "TEXT";
}

const char *convert_column_type(dialect from, const catalog *src, const cat_column *col, dialect to,
                                const profile_column *prof_col, copy_conv *conv_out, arena *mem)
{
    copy_conv conv = CONV_NONE;
    const char *t;
    if (from == to) {
        t = col->type && *col->type ? col->type : col->type_written ? col->type_written : "";
        if (to == DIALECT_PG && col->identity == 0 && col->default_norm && strstr(col->default_norm, "nextval("))
            t = col->type;
    } else if (from == DIALECT_SQLITE)
        t = sqlite_to_pg(col, prof_col, &conv, mem);
    else
        t = pg_to_sqlite(src, col, &conv, mem);
    if (conv_out)
        *conv_out = conv;
    return t;
}

/* ---- defaults -------------------------------------------------------------------- */

static bool is_now(const char *d)
{
    return d && (!strcasecmp(d, "now()") || !strcasecmp(d, "CURRENT_TIMESTAMP") ||
                 !strcasecmp(d, "transaction_timestamp()") || !strcasecmp(d, "LOCALTIMESTAMP") ||
                 !strcasecmp(d, "datetime('now')"));
}

static bool is_number(const char *d)
{
    if (!d || !*d)
        return false;
    const char *p = d;
    if (*p == '-' || *p == '+')
        p++;
    bool digit = false;
    for (; *p; p++) {
        if (isdigit((unsigned char)*p))
            digit = true;
        else if (*p != '.' && *p != 'e' && *p != 'E' && *p != '-' && *p != '+')
            return false;
    }
    return digit;
}

/* strip a trailing ::type cast of a PG default literal ('x'::text -> 'x') */
static const char *strip_cast(const char *d, arena *mem)
{
    if (!d)
        return NULL;
    const char *c = strstr(d, "::");
    if (c && d[0] == '\'' && c > d && c[-1] == '\'')
        return arena_strndup(mem, d, (size_t)(c - d));
    if (c && is_number(arena_strndup(mem, d, (size_t)(c - d))))
        return arena_strndup(mem, d, (size_t)(c - d));
    return d;
}

/* the default in the target dialect, NULL when none / not translatable (*lost) */
static const char *convert_default(dialect from, dialect to, const cat_column *col, const char *to_type,
                                   arena *mem, bool *lost)
{
    const char *d = col->default_norm ? col->default_norm : col->default_expr;
    *lost = false;
    if (!d)
        return NULL;
    if (from == to)
        return col->default_expr ? col->default_expr : d;
    if (is_now(d) || has_ci(d, "CURRENT_TIMESTAMP"))
        return to == DIALECT_PG ? "now()" : "CURRENT_TIMESTAMP";
    if (!strcasecmp(d, "CURRENT_DATE") || !strcasecmp(d, "date('now')"))
        return "CURRENT_DATE";
    if (to == DIALECT_SQLITE) {
        if (strstr(d, "nextval("))
            return NULL;  /* becomes the rowid alias / AUTOINCREMENT */
        if (!strcmp(d, "true"))
            return "1";
        if (!strcmp(d, "false"))
            return "0";
        const char *s = strip_cast(d, mem);
        if (is_number(s) || (s[0] == '\'' && s[strlen(s) - 1] == '\''))
            return s;
        *lost = true;
        return NULL;
    }
    /* SQLite -> PG */
    if (!strcmp(to_type, "boolean")) {
        if (!strcmp(d, "1") || !strcasecmp(d, "'t'") || !strcasecmp(d, "'true'") || !strcasecmp(d, "true"))
            return "true";
        if (!strcmp(d, "0") || !strcasecmp(d, "'f'") || !strcasecmp(d, "'false'") || !strcasecmp(d, "false"))
            return "false";
        *lost = true;
        return NULL;
    }
    if (!strcasecmp(d, "NULL"))
        return NULL;
    if (is_number(d) || (d[0] == '\'' && d[strlen(d) - 1] == '\''))
        return d;
    *lost = true;
    return NULL;
}

/* ---- tables ------------------------------------------------------------------------ */

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

static void not_carried(diag_list *diags, const catalog *src, const char *fmt, const char *a, const char *b)
{
    src_loc loc = {src->source, 0, 0};
    diag_add_rule(diags, DIAG_WARNING, loc, "copy-not-carried", fmt, a, b);
}

static bool single_int_pk(const cat_table *t, const cat_column *c)
{
    const cat_constraint *pk = catalog_primary_key(t);
    return pk && pk->columns.n == 1 && !strcmp(pk->columns.v[0], c->name);
}

static void strvec_copy(catalog *cat, strvec *dst, const strvec *src)
{
    for (size_t i = 0; i < src->n; i++)
        VEC_PUSH(&cat->mem, *dst, arena_strdup(&cat->mem, src->v[i]));
}

static void convert_table(catalog *out, const catalog *src, const cat_table *t, const char *schema,
                          const copy_profile *prof, diag_list *diags)
{
    dialect from = src->dialect, to = out->dialect;
    src_loc none = {0};
    cat_table *nt = catalog_table_add(out, schema, t->name, none);
    const profile_table *pt = prof ? profile_find_table(prof, t->schema, t->name) : NULL;
    nt->without_rowid = from == to && t->without_rowid;
    for (size_t i = 0; i < t->columns.n; i++) {
        const cat_column *c = t->columns.v[i];
        if (c->hidden)
            continue;
        cat_column *nc = catalog_column_add(out, nt, c->name, none);
        copy_conv conv;
        const profile_column *pc = pt ? profile_find_column(pt, c->name) : NULL;
        const char *type = pc && pc->target_type ? pc->target_type
                                                 : convert_column_type(from, src, c, to, pc, &conv, &out->mem);
        nc->type = nc->type_written = arena_strdup(&out->mem, type);
        nc->not_null = c->not_null;
        nc->collation = from == to ? c->collation : NULL;
        if (c->generated) {
            not_carried(diags, src, "%s.%s: generated column copied as a plain column", t->name, c->name);
            continue;
        }
        bool lost;
        const char *def = convert_default(from, to, c, type, &out->mem, &lost);
        if (lost)
            not_carried(diags, src, "%s.%s: default not carried to the other dialect", t->name, c->name);
        nc->default_expr = nc->default_norm = def ? arena_strdup(&out->mem, def) : NULL;
        if (from == to) {
            nc->identity = c->identity;
            nc->identity_options = c->identity_options;
            nc->autoincrement = c->autoincrement;
        } else if (to == DIALECT_PG) {
            /* INTEGER PRIMARY KEY (rowid alias) / AUTOINCREMENT -> identity */
            if ((c->autoincrement || (single_int_pk(t, c) && !strcasecmp(c->type ? c->type : "", "INTEGER"))) &&
                (!strcmp(type, "bigint") || !strcmp(type, "integer"))) {
                nc->identity = 'd';
                nc->not_null = true;
            }
        } else if (single_int_pk(t, c) && (c->identity || (c->default_norm && strstr(c->default_norm, "nextval(")))) {
            nc->autoincrement = true;
        }
    }
    for (size_t i = 0; i < t->constraints.n; i++) {
        const cat_constraint *k = t->constraints.v[i];
        if (k->kind == CON_CHECK && from != to) {
            not_carried(diags, src, "%s: CHECK %s not carried to the other dialect", t->name,
                        k->expr_norm ? k->expr_norm : k->expr);
            continue;
        }
        if (k->kind == CON_EXCLUDE) {
            not_carried(diags, src, "%s: exclusion constraint %s not carried", t->name, k->name ? k->name : "");
            continue;
        }
        const char *name = k->name;
        if (from == DIALECT_PG && to == DIALECT_SQLITE && k->kind != CON_FOREIGN)
            name = NULL;  /* SQLite keeps its own anonymous names */
        cat_constraint *nk = catalog_constraint_add(out, nt, k->kind, name, none);
        strvec_copy(out, &nk->columns, &k->columns);
        nk->expr = k->expr;
        nk->expr_norm = k->expr_norm;
        if (k->kind == CON_FOREIGN) {
            nk->ref_schema = from == to ? arena_strdup(&out->mem, k->ref_schema) : arena_strdup(&out->mem, schema);
            nk->ref_table = arena_strdup(&out->mem, k->ref_table);
            strvec_copy(out, &nk->ref_columns, &k->ref_columns);
            nk->on_delete = k->on_delete;
            nk->on_update = k->on_update;
            nk->match = k->match;
            nk->deferrable = k->deferrable;
            nk->initially_deferred = k->initially_deferred;
        }
    }
    for (size_t i = 0; i < t->indexes.n; i++) {
        const cat_index *ix = t->indexes.v[i];
        bool plain = !ix->where_norm && !ix->where_expr;
        for (size_t e = 0; e < ix->elems.n; e++)
            if (!ix->elems.v[e].column)
                plain = false;
        if (from != to && !plain) {
            not_carried(diags, src, "%s: index %s (expression or partial) not carried to the other dialect",
                        t->name, ix->name);
            continue;
        }
        cat_index *ni = catalog_index_add(out, nt, ix->name, none);
        ni->unique = ix->unique;
        ni->method = to == DIALECT_PG ? (from == to ? ix->method : "btree") : NULL;
        for (size_t e = 0; e < ix->elems.n; e++) {
            cat_index_elem el = ix->elems.v[e];
            if (from != to) {
                el.collation = el.opclass = NULL;
                el.nulls = 0;
            }
            VEC_PUSH(&out->mem, ni->elems, el);
        }
        if (from == to) {
            ni->where_expr = ix->where_expr;
            ni->where_norm = ix->where_norm;
            ni->sql = ix->sql;
        }
    }
    if (t->triggers.n)
        not_carried(diags, src, "%s: %s trigger(s) not carried", t->name, t->triggers.v[0]->name);
}

catalog *convert_catalog(const catalog *src, dialect to, const char *to_schema, const strvec *tables,
                         const copy_profile *prof, arena *mem, diag_list *diags)
{
    (void)mem;
    catalog *out = catalog_new(to);
    out->source = "converted";
    const char *def = to == DIALECT_PG ? "public" : "main";
    for (size_t i = 0; i < src->tables.n; i++) {
        const cat_table *t = src->tables.v[i];
        if (!wanted(tables, t) || catalog_is_tool_table(t->name) || !strcmp(t->name, COPY_PROGRESS_TABLE))
            continue;
        if (!strncmp(t->name, "sqlite_", 7))
            continue;
        const char *schema = to_schema ? to_schema : src->dialect == to ? t->schema : def;
        if (to == DIALECT_PG && strcmp(schema, "public") && !catalog_schema_find(out, schema))
            catalog_schema_add(out, schema, (src_loc){0, 0, 0});
        if (catalog_table_find(out, schema, t->name)) {
            src_loc loc = {src->source, 0, 0};
            diag_add_rule(diags, DIAG_ERROR, loc, "copy-name-collision",
                          "tables %s.%s and another %s both become %s.%s in the target; copy one with --tables",
                          t->schema, t->name, t->name, schema, t->name);
            continue;
        }
        convert_table(out, src, t, schema, prof, diags);
    }
    if (src->dialect == to && to == DIALECT_PG) {
        /* types and sequences the tables use */
        for (size_t i = 0; i < src->enums.n; i++) {
            const cat_enum *e = src->enums.v[i];
            cat_enum *ne = catalog_enum_add(out, e->schema, e->name, (src_loc){0, 0, 0});
            strvec_copy(out, &ne->labels, &e->labels);
        }
        for (size_t i = 0; i < src->sequences.n; i++) {
            const cat_sequence *s = src->sequences.v[i];
            if (s->owned_by_table && !catalog_table_find(out, s->schema, s->owned_by_table))
                continue;
            cat_sequence *ns = catalog_sequence_add(out, s->schema, s->name, (src_loc){0, 0, 0});
            const char *nm = ns->name, *sch = ns->schema;
            *ns = *s;
            ns->name = nm;
            ns->schema = sch;
            memset(&ns->prov, 0, sizeof ns->prov);
        }
        for (size_t i = 0; i < src->domains.n; i++)
            not_carried(diags, src, "domain %s.%s not carried (columns keep its name)", src->domains.v[i]->schema,
                        src->domains.v[i]->name);
    }
    if (src->views.n)
        not_carried(diags, src, "%s view(s), e.g. %s, not carried (copy moves tables)",
                    arena_printf(&out->mem, "%zu", src->views.n), src->views.v[0]->name);
    if (src->functions.n)
        not_carried(diags, src, "%s routine(s), e.g. %s, not carried",
                    arena_printf(&out->mem, "%zu", src->functions.n), src->functions.v[0]->name);
    return out;
}
