/*
 * lint_design.c — the design rules: checks on the resulting schema (a
 * catalog read from files or from a live database), each finding placed at
 * the CREATE location of the object from its provenance.
 */
#include "analysis/lint.h"

#include <ctype.h>
#include <fnmatch.h>
#include <string.h>

static const lint_rule design_rules[] = {
    {"missing-primary-key", NULL, LINT_DESIGN, DIAG_WARNING, "table has no primary key"},
    {"fk-missing-index", NULL, LINT_DESIGN, DIAG_WARNING,
     "foreign key columns are not a prefix of any index, primary key or unique constraint"},
    {"fk-type-mismatch", NULL, LINT_DESIGN, DIAG_ERROR,
     "foreign key column type differs from the referenced column type"},
    {"fk-missing-on-delete", NULL, LINT_DESIGN, DIAG_NOTE,
     "foreign key without an explicit ON DELETE policy (defaults to NO ACTION)"},
    {"tenant-table-without-rls", NULL, LINT_DESIGN, DIAG_WARNING,
     "table with a tenant column does not enable row level security"},
    {"tenant-column-missing", NULL, LINT_DESIGN, DIAG_WARNING,
     "table that must be tenant-scoped (config tenant.tables) lacks the tenant column"},
    {"json-in-text", NULL, LINT_DESIGN, DIAG_WARNING, "JSON stored in a text/varchar column; use json/jsonb"},
    {"plaintext-secret", NULL, LINT_DESIGN, DIAG_ERROR,
     "column looks like a plaintext secret (password, token, api key)"},
    {"timestamp-without-time-zone", NULL, LINT_DESIGN, DIAG_WARNING,
     "timestamp without time zone; use timestamptz"},
    {"prefer-text-over-varchar", NULL, LINT_DESIGN, DIAG_WARNING,
     "varchar(n) where text (with a CHECK if needed) serves"},
    {"identifier-too-long", NULL, LINT_DESIGN, DIAG_ERROR,
     "identifier longer than 63 bytes (PostgreSQL truncates it)"},
    {"duplicate-index", NULL, LINT_DESIGN, DIAG_WARNING,
     "index duplicates another index or the primary key / a unique constraint"},
    {"table-without-timestamps", NULL, LINT_DESIGN, DIAG_NOTE,
     "table has no created_at / updated_at-like column"},
    {"role-literal-password", NULL, LINT_DESIGN, DIAG_ERROR,
     "role created or altered with a literal password in the source"},
    {NULL, NULL, LINT_DESIGN, DIAG_NOTE, NULL},
};

const lint_rule *lint_design_rules(void) { return design_rules; }

/* ---- helpers ------------------------------------------------------------- */

typedef struct dctx {
    lint_ctx *lc;
    const catalog *cat;
    bool pg;
    hashmap earlier; /* "rule\x1ffile\x1fobject" of the findings made before the design rules */
} dctx;

static const char *obj_name(dctx *d, const char *schema, const char *name, const char *sub)
{
    bool dflt = !schema || !strcmp(schema, d->pg ? "public" : "main");
    if (sub)
        return dflt ? arena_printf(d->lc->mem, "%s.%s", name, sub)
                    : arena_printf(d->lc->mem, "%s.%s.%s", schema, name, sub);
    return dflt ? arena_printf(d->lc->mem, "%s", name) : arena_printf(d->lc->mem, "%s.%s", schema, name);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

static bool starts_with(const char *s, const char *prefix) { return !strncmp(s, prefix, strlen(prefix)); }

static char *lower_dup(dctx *d, const char *s)
{
    char *r = arena_strdup(d->lc->mem, s ? s : "");
    for (char *p = r; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return r;
}

/* SQLite type affinity (datatype3.html section 3.1) */
static char sqlite_affinity(const char *type)
{
    char buf[128];
    size_t n = 0;
    for (const char *p = type ? type : ""; *p && n + 1 < sizeof buf; p++)
        buf[n++] = (char)toupper((unsigned char)*p);
    buf[n] = 0;
    if (strstr(buf, "INT"))
        return 'i';
    if (strstr(buf, "CHAR") || strstr(buf, "CLOB") || strstr(buf, "TEXT"))
        return 't';
    if (!buf[0] || strstr(buf, "BLOB"))
        return 'b';
    if (strstr(buf, "REAL") || strstr(buf, "FLOA") || strstr(buf, "DOUB"))
        return 'r';
    return 'n';
}

/* the column's type with domains resolved to their base type */
static const char *column_type(dctx *d, const cat_table *t, const cat_column *c)
{
    const char *ty = c->type ? c->type : "";
    if (d->pg) {
        const char *dot = strchr(ty, '.');
        const cat_domain *dom = dot ? catalog_domain_find(d->cat, arena_strndup(d->lc->mem, ty, (size_t)(dot - ty)), dot + 1)
                                    : catalog_domain_find(d->cat, t->schema, ty);
        if (!dom && !dot)
            dom = catalog_domain_find(d->cat, "public", ty);
        if (dom && dom->base_type)
            return dom->base_type;
    }
    return ty;
}

static bool is_textual(dctx *d, const char *type)
{
    if (!d->pg)
        return sqlite_affinity(type) == 't' || !type[0];
    return !strcmp(type, "text") || starts_with(type, "character varying") || starts_with(type, "character(") ||
           !strcmp(type, "character") || !strcmp(type, "citext");
}

/* a migration rule (prefer-text-field, prefer-timestamptz) already reported this
 * column from the statement: the design rule would say the same thing again */
static const char *finding_key(dctx *d, const char *rule_id, const char *file, const char *object)
{
    return arena_printf(d->lc->mem, "%s\x1f%s\x1f%s", rule_id, file ? file : "", object ? object : "");
}

static bool reported_by(dctx *d, const char *rule_id, const char *object, src_loc loc)
{
    return hashmap_get(&d->earlier, finding_key(d, rule_id, loc.file, object)) != NULL;
}

static bool is_partition(const cat_table *t) { return t->partition_bound != NULL; }

static bool is_virtual_table(const cat_table *t)
{
    if (!t->sql)
        return false;
    const char *p = t->sql;
    while (*p && isspace((unsigned char)*p))
        p++;
    return !strncasecmp(p, "CREATE VIRTUAL", 14);
}

/* ---- per-rule checks ------------------------------------------------------- */

static void check_primary_key(dctx *d, const cat_table *t)
{
    if (is_partition(t) || is_virtual_table(t) || catalog_primary_key(t))
        return;
    lint_report(d->lc, "missing-primary-key", t->prov.created, 0, obj_name(d, t->schema, t->name, NULL),
                "add a PRIMARY KEY (an identity column or a natural key)", "table %s has no primary key",
                obj_name(d, t->schema, t->name, NULL));
}

static bool in_strvec(const strvec *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n && i < v->n; i++)
        if (!strcmp(v->v[i], s))
            return true;
    return false;
}

/* do the first fk->columns.n key columns of `cols` equal the FK columns (any order)? */
static bool prefix_covers(const strvec *cols, const strvec *fkcols)
{
    if (cols->n < fkcols->n)
        return false;
    for (size_t i = 0; i < fkcols->n; i++)
        if (!in_strvec(cols, fkcols->n, fkcols->v[i]))
            return false;
    return true;
}

static bool fk_has_index(dctx *d, const cat_table *t, const cat_constraint *fk)
{
    for (size_t i = 0; i < t->constraints.n; i++) {
        const cat_constraint *c = t->constraints.v[i];
        if ((c->kind == CON_PRIMARY || c->kind == CON_UNIQUE) && prefix_covers(&c->columns, &fk->columns))
            return true;
    }
    for (size_t i = 0; i < t->indexes.n; i++) {
        const cat_index *ix = t->indexes.v[i];
        if (ix->where_norm || (ix->method && strcmp(ix->method, "btree") != 0))
            continue;
        strvec cols = {0};
        for (size_t k = 0; k < ix->elems.n && ix->elems.v[k].column; k++)
            VEC_PUSH(d->lc->mem, cols, ix->elems.v[k].column);
        if (prefix_covers(&cols, &fk->columns))
            return true;
    }
    return false;
}

static void check_foreign_keys(dctx *d, const cat_table *t)
{
    for (size_t i = 0; i < t->constraints.n; i++) {
        const cat_constraint *fk = t->constraints.v[i];
        if (fk->kind != CON_FOREIGN || !fk->columns.n)
            continue;
        const char *cols = fk->columns.v[0];
        for (size_t k = 1; k < fk->columns.n; k++)
            cols = arena_printf(d->lc->mem, "%s, %s", cols, fk->columns.v[k]);
        const char *ref = obj_name(d, fk->ref_schema ? fk->ref_schema : t->schema, fk->ref_table, NULL);
        const char *obj = obj_name(d, t->schema, t->name, fk->name ? fk->name : cols);
        if (!fk_has_index(d, t, fk))
            lint_report(d->lc, "fk-missing-index", fk->prov.created, 0, obj,
                        arena_printf(d->lc->mem, "CREATE INDEX ON %s (%s)", obj_name(d, t->schema, t->name, NULL), cols),
                        "foreign key %s (%s) of %s has no index starting with its columns; deletes and updates of %s scan the table",
                        fk->name ? fk->name : "", cols, obj_name(d, t->schema, t->name, NULL), ref);
        if (fk->on_delete == 'a' || fk->on_delete == 0)
            lint_report(d->lc, "fk-missing-on-delete", fk->prov.created, 0, obj,
                        "say ON DELETE CASCADE, SET NULL or RESTRICT explicitly",
                        "foreign key (%s) of %s to %s has no ON DELETE policy (NO ACTION)", cols,
                        obj_name(d, t->schema, t->name, NULL), ref);
        /* types */
        const cat_table *rt = catalog_table_find(d->cat, fk->ref_schema ? fk->ref_schema : t->schema, fk->ref_table);
        if (!rt)
            continue;
        const strvec *rcols = &fk->ref_columns;
        const cat_constraint *pk = catalog_primary_key(rt);
        if (!rcols->n && pk)
            rcols = &pk->columns;
        for (size_t k = 0; k < fk->columns.n && k < rcols->n; k++) {
            const cat_column *c = catalog_column_find(t, fk->columns.v[k]);
            const cat_column *rc = catalog_column_find(rt, rcols->v[k]);
            if (!c || !rc)
                continue;
            const char *a = column_type(d, t, c), *b = column_type(d, rt, rc);
            bool differ = d->pg ? strcmp(a, b) != 0 : sqlite_affinity(a) != sqlite_affinity(b);
            if (differ)
                lint_report(d->lc, "fk-type-mismatch", fk->prov.created, 0, obj_name(d, t->schema, t->name, c->name),
                            "give both columns the same type",
                            "foreign key column %s.%s is %s but the referenced %s.%s is %s",
                            obj_name(d, t->schema, t->name, NULL), c->name, a[0] ? a : "untyped", ref, rc->name,
                            b[0] ? b : "untyped");
        }
    }
}

static const char *const tenant_like[] = {"tenant_id", "client_id", "org_id", "organization_id", "account_id", NULL};

static const cat_column *tenant_column(dctx *d, const cat_table *t)
{
    const lint_config *cfg = d->lc->cfg;
    const char *col = cfg && cfg->tenant_column ? cfg->tenant_column : "tenant_id";
    const cat_column *c = catalog_column_find(t, col);
    if (c || strcmp(col, "tenant_id") != 0)
        return c;
    for (const char *const *p = tenant_like; *p; p++)
        if ((c = catalog_column_find(t, *p)))
            return c;
    return NULL;
}

static void check_tenant(dctx *d, const cat_table *t)
{
    if (is_partition(t))
        return;
    const cat_column *tc = tenant_column(d, t);
    const char *tname = obj_name(d, t->schema, t->name, NULL);
    if (tc && d->pg && !t->rls_enabled)
        lint_report(d->lc, "tenant-table-without-rls", t->prov.created, 0, tname,
                    arena_printf(d->lc->mem, "ALTER TABLE %s ENABLE ROW LEVEL SECURITY and add a policy on %s", tname, tc->name),
                    "table %s has tenant column %s but row level security is not enabled", tname, tc->name);
    const lint_config *cfg = d->lc->cfg;
    if (tc || !cfg || !cfg->tenant_tables.n)
        return;
    const char *qual = arena_printf(d->lc->mem, "%s.%s", t->schema, t->name);
    for (size_t i = 0; i < cfg->tenant_tables.n; i++) {
        const char *g = cfg->tenant_tables.v[i];
        if (!fnmatch(g, t->name, 0) || !fnmatch(g, qual, 0)) {
            const char *col = cfg->tenant_column ? cfg->tenant_column : "tenant_id";
            lint_report(d->lc, "tenant-column-missing", t->prov.created, 0, tname,
                        arena_printf(d->lc->mem, "add a %s column referencing the tenant table", col),
                        "table %s matches tenant.tables '%s' but has no %s column", tname, g, col);
            return;
        }
    }
}

static bool json_default(const char *e)
{
    if (!e)
        return false;
    while (*e == '(' || isspace((unsigned char)*e))
        e++;
    if (*e == 'E' || *e == 'e')
        e++;
    if (*e != '\'')
        return false;
    e++;
    while (isspace((unsigned char)*e))
        e++;
    return *e == '{' || *e == '[';
}

static const char *const secret_words[] = {"password", "passwd", "secret", "token", "api_key",
                                           "apikey", "access_key", "private_key", NULL};
static const char *const safe_words[] = {"hash", "digest", "encrypted", "crypt", "salt", NULL};

static bool is_timestamp_name(const char *n)
{
    static const char *const words[] = {"created", "updated", "modified", "inserted", "changed", "timestamp", NULL};
    for (const char *const *w = words; *w; w++)
        if (strstr(n, *w))
            return true;
    return ends_with(n, "_at") || ends_with(n, "_on") || !strcmp(n, "ts");
}

static void check_columns(dctx *d, const cat_table *t)
{
    bool has_ts = false;
    for (size_t i = 0; i < t->columns.n; i++) {
        const cat_column *c = t->columns.v[i];
        const char *ty = column_type(d, t, c);
        const char *obj = obj_name(d, t->schema, t->name, c->name);
        char *lname = lower_dup(d, c->name);
        src_loc loc = c->prov.created;
        if (is_timestamp_name(lname))
            has_ts = true;
        if (is_textual(d, ty) && (ends_with(lname, "_json") || ends_with(lname, "_data") || !strcmp(lname, "json") ||
                                  json_default(c->default_expr)))
            lint_report(d->lc, "json-in-text", loc, 0, obj, d->pg ? "use jsonb" : "use a JSON CHECK (json_valid(...))",
                        "column %s stores JSON as %s", obj, ty[0] ? ty : "untyped");
        if (is_textual(d, ty) || !strcmp(ty, "bytea")) {
            bool secret = false, safe = false;
            for (const char *const *w = secret_words; *w; w++)
                secret |= strstr(lname, *w) != NULL;
            for (const char *const *w = safe_words; *w; w++)
                safe |= strstr(lname, *w) != NULL;
            if (secret && !safe)
                lint_report(d->lc, "plaintext-secret", loc, 0, obj,
                            "store a hash (e.g. password_hash) or an encrypted value, and say so in the name",
                            "column %s looks like a plaintext secret", obj);
        }
        if (d->pg && starts_with(ty, "timestamp") && strstr(ty, "without time zone") &&
            !reported_by(d, "prefer-timestamptz", obj, loc))
            lint_report(d->lc, "timestamp-without-time-zone", loc, 0, obj, "use timestamp with time zone (timestamptz)",
                        "column %s is %s", obj, ty);
        if (d->pg && starts_with(ty, "character varying(") && !reported_by(d, "prefer-text-field", obj, loc))
            lint_report(d->lc, "prefer-text-over-varchar", loc, 0, obj,
                        "use text, with CHECK (length(col) <= n) if the limit matters", "column %s is %s", obj, ty);
    }
    if (!has_ts && !is_partition(t) && !is_virtual_table(t))
        lint_report(d->lc, "table-without-timestamps", t->prov.created, 0, obj_name(d, t->schema, t->name, NULL),
                    "add created_at / updated_at columns", "table %s has no created_at/updated_at-like column",
                    obj_name(d, t->schema, t->name, NULL));
}

/* the key of an index or a PRIMARY KEY / UNIQUE constraint: method,
 * elements, predicate (uniqueness left out) */
static void key_elem(strbuf *sb, size_t k, const char *column, const char *expr, const char *collation,
                     const char *opclass, bool desc, char nulls)
{
    strbuf_addf(sb, "%s%s%s|%s|%s|%c%c", k ? "," : "", column ? "c:" : "e:", column ? column : (expr ? expr : ""),
                collation ? collation : "", opclass ? opclass : "", desc ? 'd' : 'a', nulls ? nulls : '-');
}

static const char *key_done(dctx *d, strbuf *sb)
{
    const char *r = arena_strdup(d->lc->mem, strbuf_str(sb));
    strbuf_release(sb);
    return r;
}

static const char *index_key(dctx *d, const cat_index *ix)
{
    strbuf sb = STRBUF_INIT;
    strbuf_addf(&sb, "%s(", ix->method ? ix->method : "btree");
    for (size_t k = 0; k < ix->elems.n; k++) {
        const cat_index_elem *e = &ix->elems.v[k];
        key_elem(&sb, k, e->column, e->expr_norm ? e->expr_norm : e->expr, e->collation, e->opclass, e->desc, e->nulls);
    }
    strbuf_addf(&sb, ")%s", ix->where_norm ? ix->where_norm : (ix->where_expr ? ix->where_expr : ""));
    return key_done(d, &sb);
}

static const char *constraint_key(dctx *d, const cat_constraint *c)
{
    strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "btree(");
    for (size_t k = 0; k < c->columns.n; k++)
        key_elem(&sb, k, c->columns.v[k], NULL, NULL, NULL, false, 0);
    strbuf_adds(&sb, ")");
    return key_done(d, &sb);
}

static int loc_cmp(src_loc a, src_loc b)
{
    int c = (a.file && b.file) ? strcmp(a.file, b.file) : 0;
    if (c)
        return c;
    if (a.line != b.line)
        return a.line < b.line ? -1 : 1;
    return a.col < b.col ? -1 : a.col > b.col;
}

static void check_duplicate_indexes(dctx *d, const cat_table *t)
{
    size_t n = t->indexes.n;
    const char **keys = arena_alloc(d->lc->mem, (n + 1) * sizeof *keys);
    for (size_t i = 0; i < n; i++)
        keys[i] = index_key(d, t->indexes.v[i]);
    for (size_t i = 0; i < n; i++) {
        const cat_index *ix = t->indexes.v[i];
        const char *what = NULL;
        for (size_t c = 0; c < t->constraints.n && !what; c++) {
            const cat_constraint *con = t->constraints.v[c];
            if ((con->kind == CON_PRIMARY || con->kind == CON_UNIQUE) && con->columns.n &&
                !strcmp(constraint_key(d, con), keys[i]))
                what = arena_printf(d->lc->mem, "%s %s", con->kind == CON_PRIMARY ? "primary key" : "unique constraint",
                                    con->name ? con->name : "");
        }
        for (size_t j = 0; j < n && !what; j++) {
            if (j == i || strcmp(keys[i], keys[j]) != 0)
                continue;
            const cat_index *o = t->indexes.v[j];
            /* report the non-unique one; between equals, the one created later (then by name) */
            bool report_i = (o->unique && !ix->unique) ||
                            (o->unique == ix->unique &&
                             (loc_cmp(o->prov.created, ix->prov.created) < 0 ||
                              (loc_cmp(o->prov.created, ix->prov.created) == 0 && strcmp(o->name, ix->name) < 0)));
            if (report_i)
                what = arena_printf(d->lc->mem, "index %s", o->name);
        }
        if (what)
            lint_report(d->lc, "duplicate-index", ix->prov.created, 0, obj_name(d, ix->schema, ix->name, NULL),
                        arena_printf(d->lc->mem, "DROP INDEX %s", obj_name(d, ix->schema, ix->name, NULL)),
                        "index %s on %s duplicates %s", obj_name(d, ix->schema, ix->name, NULL),
                        obj_name(d, t->schema, t->name, NULL), what);
    }
}

/* CREATE/ALTER ROLE|USER ... PASSWORD '<literal>' in an opaque statement */
static void check_role(dctx *d, const cat_opaque *op)
{
    if (!op->sql || strcmp(op->kind, "role") != 0)
        return;
    const char *p = op->sql;
    char words[3][64] = {{0}};
    size_t nw = 0;
    bool pw = false;
    while (*p) {
        if (isspace((unsigned char)*p) || *p == '(' || *p == ')' || *p == ',' || *p == ';') {
            p++;
        } else if (*p == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
        } else if (*p == '\'' || ((*p == 'E' || *p == 'e') && p[1] == '\'')) {
            if (pw)
                goto found;
            p += *p == '\'' ? 1 : 2;
            while (*p && *p != '\'')
                p++;
            if (*p)
                p++;
        } else if (*p == '"') {
            const char *s = ++p;
            while (*p && *p != '"')
                p++;
            if (nw < 3)
                snprintf(words[nw++], sizeof words[0], "%.*s", (int)(p - s), s);
            if (*p)
                p++;
            pw = false;
        } else {
            const char *s = p;
            while (*p && (isalnum((unsigned char)*p) || *p == '_' || *p == '$'))
                p++;
            if (p == s)
                p++;
            size_t n = (size_t)(p - s);
            if (nw < 3)
                snprintf(words[nw++], sizeof words[0], "%.*s", (int)n, s);
            pw = n == 8 && !strncasecmp(s, "password", 8);
        }
    }
    return;
found:
    if (nw < 3 || (strcasecmp(words[0], "create") && strcasecmp(words[0], "alter")) ||
        (strcasecmp(words[1], "role") && strcasecmp(words[1], "user")))
        return;
    lint_report(d->lc, "role-literal-password", op->loc, 0, arena_strdup(d->lc->mem, words[2]),
                "set the password out of band (\\password, or PASSWORD from a secret at deploy time)",
                "role %s is given a literal password in the source", words[2]);
}

/* ---- entry points -------------------------------------------------------------- */

void lint_design_run(lint_ctx *ctx, const catalog *cat)
{
    dctx d = {ctx, cat, cat->dialect == DIALECT_PG, {0}};
    hashmap_init(&d.earlier, ctx->mem);
    for (size_t i = 0; i < ctx->findings.n; i++) {
        const lint_finding *f = &ctx->findings.v[i];
        if (f->object)
            hashmap_put(&d.earlier, finding_key(&d, f->rule->id, f->loc.file, f->object), (void *)f);
    }
    for (size_t i = 0; i < cat->tables.n; i++) {
        const cat_table *t = cat->tables.v[i];
        check_primary_key(&d, t);
        check_foreign_keys(&d, t);
        check_tenant(&d, t);
        check_columns(&d, t);
        check_duplicate_indexes(&d, t);
    }
    for (size_t i = 0; i < cat->opaque.n; i++)
        check_role(&d, &cat->opaque.v[i]);
    hashmap_release(&d.earlier);
}

/* identifier-too-long: PostgreSQL truncates identifiers over 63 bytes while
 * parsing, so neither a file catalog nor a live database shows them; the
 * source text is scanned instead (words and "quoted identifiers", outside
 * comments, string literals and dollar quotes). */
void lint_design_scan(lint_ctx *ctx, dialect d, const char *file, const char *text, size_t len)
{
    if (d != DIALECT_PG || !text)
        return;
    line_index li;
    line_index_build(&li, ctx->mem, file, text, len);
    size_t i = 0;
    while (i < len) {
        char c = text[i];
        if (c == '-' && i + 1 < len && text[i + 1] == '-') {
            while (i < len && text[i] != '\n')
                i++;
        } else if (c == '/' && i + 1 < len && text[i + 1] == '*') {
            i += 2;
            while (i + 1 < len && !(text[i] == '*' && text[i + 1] == '/'))
                i++;
            i += 2;
        } else if (c == '\'') {
            i++;
            while (i < len && text[i] != '\'')
                i++;
            i++;
        } else if (c == '$' && i + 1 < len && (text[i + 1] == '$' || isalpha((unsigned char)text[i + 1]) || text[i + 1] == '_')) {
            size_t j = i + 1;
            while (j < len && (isalnum((unsigned char)text[j]) || text[j] == '_'))
                j++;
            if (j < len && text[j] == '$') {
                size_t taglen = j - i + 1, k = j + 1;
                while (k + taglen <= len && memcmp(text + k, text + i, taglen) != 0)
                    k++;
                i = k + taglen;
            } else {
                i = j;
            }
        } else if (c == '"' || isalpha((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80) {
            size_t s = i, n;
            if (c == '"') {
                i++;
                while (i < len && !(text[i] == '"' && !(i + 1 < len && text[i + 1] == '"')))
                    i += text[i] == '"' ? 2 : 1;
                n = i - s - 1;
                i++;
            } else {
                while (i < len && (isalnum((unsigned char)text[i]) || text[i] == '_' || text[i] == '$' ||
                                   (unsigned char)text[i] >= 0x80))
                    i++;
                n = i - s;
            }
            if (n > 63) {
                const char *name = arena_strndup(ctx->mem, text + s + (c == '"'), n);
                lint_report(ctx, "identifier-too-long", line_index_loc(&li, s), 0, name,
                            "shorten the name to at most 63 bytes",
                            "identifier is %zu bytes long; PostgreSQL truncates it to 63 (%.63s)", n, name);
            }
        } else if (isdigit((unsigned char)c)) {
            while (i < len && (isalnum((unsigned char)text[i]) || text[i] == '.' || text[i] == '_'))
                i++;
        } else {
            i++;
        }
    }
}
