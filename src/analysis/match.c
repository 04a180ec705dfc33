/*
 * match.c — owns the comparison of two tables, possibly from catalogs of
 * different dialects: column-by-column and constraint-by-constraint
 * differences (col_diff), the identical / compatible / conflicting verdict,
 * identifier similarity and the pairing score used by inventory and compare.
 * Dialect spellings (now() vs CURRENT_TIMESTAMP, true vs 1, serial vs
 * INTEGER PRIMARY KEY) are folded before comparing, see docs/type-mapping.md.
 */
#include "analysis/match.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/strbuf.h"

/* ---- names ---------------------------------------------------------------- */

#define MAX_TOKENS 16

typedef struct name_tokens {
    char tok[MAX_TOKENS][64];
    int n;
    char joined[256];
} name_tokens;

static void singularise(char *t)
{
    size_t n = strlen(t);
    if (n > 4 && !strcmp(t + n - 3, "ies")) {
        strcpy(t + n - 3, "y");
    } else if (n > 3 && t[n - 1] == 's' && t[n - 2] != 's' && t[n - 2] != 'u' && t[n - 2] != 'i') {
        t[n - 1] = '\0';
    }
}

/* lower-case alphanumeric tokens split on anything else and on camelCase */
static void tokenise(const char *s, name_tokens *nt)
{
    memset(nt, 0, sizeof *nt);
    size_t len = 0;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        bool boundary = !isalnum(c) ||
                        (isupper(c) && p > s && islower((unsigned char)p[-1]));
        if (boundary && len > 0) {
            nt->tok[nt->n][len] = '\0';
            if (nt->n + 1 < MAX_TOKENS)
                nt->n++;
            len = 0;
        }
        if (isalnum(c) && len + 1 < sizeof nt->tok[0])
            nt->tok[nt->n][len++] = (char)tolower(c);
    }
    if (len > 0) {
        nt->tok[nt->n][len] = '\0';
        nt->n++;
    }
    for (int i = 0; i < nt->n; i++) {
        singularise(nt->tok[i]);
        if (strlen(nt->joined) + strlen(nt->tok[i]) + 1 < sizeof nt->joined)
            strcat(nt->joined, nt->tok[i]);
    }
}

static size_t levenshtein(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *row = calloc(lb + 1, sizeof *row);
    if (!row)
        abort();
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t d = row[lb];
    free(row);
    return d;
}

double match_name_similarity(const char *a, const char *b)
{
    name_tokens ta, tb;
    tokenise(a ? a : "", &ta);
    tokenise(b ? b : "", &tb);
    if (!strcmp(ta.joined, tb.joined))
        return 1.0;
    size_t la = strlen(ta.joined), lb = strlen(tb.joined);
    size_t mx = la > lb ? la : lb;
    double chars = mx ? 1.0 - (double)levenshtein(ta.joined, tb.joined) / (double)mx : 0.0;
    chars *= chars;  /* unrelated names share letters by chance: only near-equal spellings count */
    int common = 0;
    bool used[MAX_TOKENS] = {0};
    for (int i = 0; i < ta.n; i++)
        for (int j = 0; j < tb.n; j++)
            if (!used[j] && !strcmp(ta.tok[i], tb.tok[j])) {
                used[j] = true;
                common++;
                break;
            }
    double tokens = ta.n + tb.n ? 2.0 * common / (ta.n + tb.n) : 0.0;
    double s = chars > tokens ? chars : tokens;
    return s > 0.99 ? 0.99 : s < 0 ? 0 : s;
}

/* ---- helpers ----------------------------------------------------------- */

static const cat_column *column_find_ci(const cat_table *t, const char *name)
{
    for (size_t i = 0; i < t->columns.n; i++)
        if (!strcasecmp(t->columns.v[i]->name, name))
            return t->columns.v[i];
    return NULL;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* "a, b" lower-cased; sorted when the order does not matter */
static const char *column_list(arena *mem, const strvec *cols, bool sorted)
{
    const char *tmp[64];
    size_t n = cols->n < 64 ? cols->n : 64;
    for (size_t i = 0; i < n; i++)
        tmp[i] = cols->v[i];
    if (sorted)
        qsort(tmp, n, sizeof *tmp, cmp_str);
    strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_adds(&sb, ", ");
        for (const char *p = tmp[i]; *p; p++)
            strbuf_addch(&sb, (char)tolower((unsigned char)*p));
    }
    const char *r = arena_strdup(mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return r;
}

static bool in_pk(const cat_table *t, const char *col)
{
    const cat_constraint *pk = catalog_primary_key(t);
    if (!pk)
        return false;
    for (size_t i = 0; i < pk->columns.n; i++)
        if (!strcasecmp(pk->columns.v[i], col))
            return true;
    return false;
}

/* SQLite INTEGER PRIMARY KEY: an alias of the rowid, assigned automatically */
static bool rowid_alias(const catalog *c, const cat_table *t, const cat_column *col)
{
    if (c->dialect != DIALECT_SQLITE || t->without_rowid || !col->type ||
        strcasecmp(col->type, "INTEGER") != 0)
        return false;
    const cat_constraint *pk = catalog_primary_key(t);
    return pk && pk->columns.n == 1 && !strcasecmp(pk->columns.v[0], col->name);
}

/* Expression text folded for cross-dialect comparison: lower case, no
 * blanks, no parentheses, no ::casts. */
static char *fold_expr(arena *mem, const char *e)
{
    strbuf sb;
    strbuf_init(&sb);
    char quote = 0;
    for (const char *p = e; *p; p++) {
        char c = *p;
        if (quote) {
            strbuf_addch(&sb, c);
            if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '\'') {
            strbuf_addch(&sb, c);
            quote = c;
            continue;
        }
        if (c == '"')
            continue;  /* identifiers: drop the quotes */
        if (c == ':' && p[1] == ':') {
            p += 2;
            while (*p && (isalnum((unsigned char)*p) || *p == '_' || *p == ' ' || *p == '.' ||
                          *p == '"' || *p == '[' || *p == ']'))
                p++;
            if (*p == '(') {
                while (*p && *p != ')')
                    p++;
                if (!*p)
                    break;
            } else {
                p--;
            }
            continue;
        }
        if (isspace((unsigned char)c) || c == '(' || c == ')')
            continue;
        strbuf_addch(&sb, (char)tolower((unsigned char)c));
    }
    char *r = arena_strdup(mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return r;
}

/* The default of a column in a dialect-neutral spelling, NULL = none. */
static const char *canon_default(arena *mem, const catalog *c, const cat_table *t,
                                 const cat_column *col, const char *family)
{
    if (col->identity || col->autoincrement)
        return "autoincrement";
    const char *d = col->default_norm ? col->default_norm : col->default_expr;
    if (!d) {
        if (rowid_alias(c, t, col))
            return "rowid";
        return NULL;
    }
    char *f = fold_expr(mem, d);
    if (strstr(f, "nextval"))
        return "autoincrement";
    static const char *const NOW[] = {"now", "current_timestamp", "transaction_timestamp",
                                      "localtimestamp", "datetime'now'",
                                      "strftime'%Y-%m-%d %H:%M:%f','now'",
                                      "strftime'%Y-%m-%d %H:%M:%S','now'",
                                      "strftime'%Y-%m-%dT%H:%M:%fZ','now'",
                                      "strftime'%Y-%m-%dT%H:%M:%SZ','now'"};
    for (size_t i = 0; i < sizeof NOW / sizeof *NOW; i++)
        if (!strcasecmp(f, NOW[i]))
            return "now";
    if (!strcmp(f, "current_date") || !strcasecmp(f, "date'now'"))
        return "current_date";
    if (!strcmp(f, "gen_random_uuid") || !strcmp(f, "uuid_generate_v4"))
        return "random uuid";
    if (!strcmp(family, "boolean")) {
        if (!strcmp(f, "true") || !strcmp(f, "1") || !strcmp(f, "'t'") || !strcmp(f, "'true'") ||
            !strcmp(f, "'1'"))
            return "true";
        if (!strcmp(f, "false") || !strcmp(f, "0") || !strcmp(f, "'f'") ||
            !strcmp(f, "'false'") || !strcmp(f, "'0'"))
            return "false";
    }
    /* '42' and 42 alike for numbers */
    size_t n = strlen(f);
    if (n >= 3 && f[0] == '\'' && f[n - 1] == '\'') {
        bool numeric = true;
        for (size_t i = 1; i + 1 < n; i++)
            if (!isdigit((unsigned char)f[i]) && f[i] != '.' && f[i] != '-')
                numeric = false;
        if (numeric) {
            f[n - 1] = '\0';
            return f + 1;
        }
    }
    if (!strcmp(f, "null"))
        return NULL;
    return f;
}

static const char *type_text(const cat_column *c)
{
    return c->type && *c->type ? c->type : "(untyped)";
}

static void push(arena *mem, table_match *m, col_diff_kind k, const char *what, const char *a,
                 const char *b, bool conflict)
{
    col_diff d = {k, what, a, b, TYPE_SAME, conflict};
    VEC_PUSH(mem, m->diffs, d);
}

/* ---- constraints --------------------------------------------------------- */

typedef struct keyed {
    const char *key;   /* comparison key */
    const char *text;  /* shown text */
    const cat_constraint *con;
} keyed;

typedef VEC(keyed) keyed_vec;

static void collect(arena *mem, const catalog *c, const cat_table *t, char kind, keyed_vec *out)
{
    const cat_constraint *pk = catalog_primary_key(t);
    const char *pkkey = pk ? column_list(mem, &pk->columns, true) : NULL;
    for (size_t i = 0; i < t->constraints.n; i++) {
        const cat_constraint *k = t->constraints.v[i];
        if ((char)k->kind != kind)
            continue;
        keyed e = {0};
        e.con = k;
        if (kind == CON_UNIQUE) {
            e.key = column_list(mem, &k->columns, true);
            if (pkkey && !strcmp(e.key, pkkey))
                continue;
            e.text = arena_printf(mem, "UNIQUE (%s)", column_list(mem, &k->columns, false));
        } else if (kind == CON_FOREIGN) {
            e.key = column_list(mem, &k->columns, true);
            e.text = arena_printf(mem, "REFERENCES %s(%s)", k->ref_table ? k->ref_table : "?",
                                  column_list(mem, &k->ref_columns, false));
        } else if (kind == CON_CHECK) {
            const char *x = k->expr_norm ? k->expr_norm : k->expr ? k->expr : "";
            e.key = fold_expr(mem, x);
            e.text = arena_printf(mem, "CHECK (%s)", x);
        }
        VEC_PUSH(mem, *out, e);
    }
    if (kind != CON_UNIQUE)
        return;
    (void)c;
    for (size_t i = 0; i < t->indexes.n; i++) {
        const cat_index *ix = t->indexes.v[i];
        if (!ix->unique || ix->where_norm || ix->where_expr)
            continue;
        strvec cols = {0};
        bool plain = true;
        for (size_t j = 0; j < ix->elems.n; j++) {
            if (!ix->elems.v[j].column) {
                plain = false;
                break;
            }
            VEC_PUSH(mem, cols, ix->elems.v[j].column);
        }
        if (!plain || !cols.n)
            continue;
        keyed e = {column_list(mem, &cols, true), NULL, NULL};
        if (pkkey && !strcmp(e.key, pkkey))
            continue;
        bool dup = false;
        for (size_t j = 0; j < out->n && !dup; j++)
            dup = !strcmp(out->v[j].key, e.key);
        if (dup)
            continue;
        e.text = arena_printf(mem, "UNIQUE (%s)", column_list(mem, &cols, false));
        VEC_PUSH(mem, *out, e);
    }
}

static const keyed *keyed_find(const keyed_vec *v, const char *key)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->v[i].key, key))
            return &v->v[i];
    return NULL;
}

static const char *kind_word(char kind)
{
    return kind == CON_UNIQUE ? "UNIQUE" : kind == CON_FOREIGN ? "FOREIGN KEY" : "CHECK";
}

static void compare_constraints(arena *mem, const catalog *ca, const cat_table *a,
                                const catalog *cb, const cat_table *b, char kind, table_match *m)
{
    keyed_vec ka = {0}, kb = {0};
    collect(mem, ca, a, kind, &ka);
    collect(mem, cb, b, kind, &kb);
    col_diff_kind dk = kind == CON_UNIQUE ? COLDIFF_UNIQUE
                       : kind == CON_FOREIGN ? COLDIFF_FOREIGN_KEY
                                             : COLDIFF_CHECK;
    for (size_t i = 0; i < ka.n; i++) {
        const keyed *o = keyed_find(&kb, ka.v[i].key);
        const char *what = kind == CON_CHECK ? "CHECK"
                                             : arena_printf(mem, "%s (%s)", kind_word(kind), ka.v[i].key);
        if (!o) {
            push(mem, m, dk, what, ka.v[i].text, NULL, false);
            continue;
        }
        if (kind == CON_FOREIGN) {
            const cat_constraint *x = ka.v[i].con, *y = o->con;
            bool same = x->ref_table && y->ref_table && !strcasecmp(x->ref_table, y->ref_table);
            if (same && x->ref_columns.n && y->ref_columns.n)
                same = !strcmp(column_list(mem, &x->ref_columns, false),
                               column_list(mem, &y->ref_columns, false));
            if (!same)
                push(mem, m, dk, what, ka.v[i].text, o->text, true);
        }
    }
    for (size_t i = 0; i < kb.n; i++)
        if (!keyed_find(&ka, kb.v[i].key))
            push(mem, m, dk,
                 kind == CON_CHECK ? "CHECK" : arena_printf(mem, "%s (%s)", kind_word(kind), kb.v[i].key),
                 NULL, kb.v[i].text, false);
}

/* ---- the comparison ------------------------------------------------------ */

static void compare_columns(arena *mem, const catalog *ca, const cat_table *a, const catalog *cb,
                            const cat_table *b, table_match *m, double *overlap_weight)
{
    for (size_t i = 0; i < a->columns.n; i++) {
        const cat_column *x = a->columns.v[i];
        const cat_column *y = column_find_ci(b, x->name);
        if (!y) {
            push(mem, m, COLDIFF_ONLY_A, x->name, type_text(x), NULL, false);
            continue;
        }
        m->common_columns++;
        type_relation r = typemap_relate_in(ca, x->type, cb, y->type);
        bool spelled = ca->dialect == cb->dialect && strcasecmp(x->type ? x->type : "",
                                                                y->type ? y->type : "") != 0;
        *overlap_weight += r == TYPE_CONFLICT ? 0.5 : 1.0;
        if (r != TYPE_SAME || spelled) {
            col_diff d = {COLDIFF_TYPE, x->name, type_text(x), type_text(y), r, r == TYPE_CONFLICT};
            VEC_PUSH(mem, m->diffs, d);
        }
        bool nna = x->not_null || in_pk(a, x->name), nnb = y->not_null || in_pk(b, y->name);
        if (nna != nnb)
            push(mem, m, COLDIFF_NULLABLE, x->name, nna ? "NOT NULL" : NULL, nnb ? "NOT NULL" : NULL,
                 false);
        const char *fam = typemap_family_in(ca, x->type);
        const char *da = canon_default(mem, ca, a, x, fam);
        const char *db = canon_default(mem, cb, b, y, typemap_family_in(cb, y->type));
        /* an SQLite rowid alias is generated like serial/identity, or given */
        if (da && !strcmp(da, "rowid"))
            da = db && !strcmp(db, "autoincrement") ? db : NULL;
        if (db && !strcmp(db, "rowid"))
            db = da && !strcmp(da, "autoincrement") ? da : NULL;
        if ((da || db) && (!da || !db || strcmp(da, db) != 0)) {
            const char *ta = x->default_expr ? x->default_expr : da;
            const char *tb = y->default_expr ? y->default_expr : db;
            push(mem, m, COLDIFF_DEFAULT, x->name, ta, tb, da && db);
        }
    }
    for (size_t i = 0; i < b->columns.n; i++)
        if (!column_find_ci(a, b->columns.v[i]->name))
            push(mem, m, COLDIFF_ONLY_B, b->columns.v[i]->name, NULL, type_text(b->columns.v[i]),
                 false);
}

static void compare_primary_keys(arena *mem, const cat_table *a, const cat_table *b, table_match *m)
{
    const cat_constraint *pa = catalog_primary_key(a), *pb = catalog_primary_key(b);
    const char *la = pa ? column_list(mem, &pa->columns, false) : NULL;
    const char *lb = pb ? column_list(mem, &pb->columns, false) : NULL;
    if (!la && !lb)
        return;
    if (la && lb && !strcmp(la, lb))
        return;
    push(mem, m, COLDIFF_PRIMARY_KEY, "PRIMARY KEY", la ? arena_printf(mem, "PRIMARY KEY (%s)", la) : NULL,
         lb ? arena_printf(mem, "PRIMARY KEY (%s)", lb) : NULL, la && lb);
}

/* which side has more: +1 a, +2 b, 0 neither */
static int direction(const col_diff *d)
{
    if (d->kind == COLDIFF_ONLY_A)
        return 1;
    if (d->kind == COLDIFF_ONLY_B)
        return 2;
    if (d->kind == COLDIFF_TYPE)
        return d->relation == TYPE_WIDER ? 2 : d->relation == TYPE_NARROWER ? 1 : 0;
    if (d->a && !d->b)
        return 1;
    if (d->b && !d->a)
        return 2;
    return 0;
}

void match_tables(arena *mem, const catalog *ca, const cat_table *a, const catalog *cb,
                  const cat_table *b, table_match *out)
{
    memset(out, 0, sizeof *out);
    out->a = a;
    out->b = b;
    out->da = ca->dialect;
    out->db = cb->dialect;
    double weight = 0;
    compare_columns(mem, ca, a, cb, b, out, &weight);
    compare_primary_keys(mem, a, b, out);
    compare_constraints(mem, ca, a, cb, b, CON_UNIQUE, out);
    compare_constraints(mem, ca, a, cb, b, CON_FOREIGN, out);
    compare_constraints(mem, ca, a, cb, b, CON_CHECK, out);

    size_t uni = a->columns.n + b->columns.n - (size_t)out->common_columns;
    out->column_overlap = uni ? weight / (double)uni : 1.0;
    out->name_similarity = match_name_similarity(a->name, b->name);
    out->score = out->name_similarity * out->column_overlap;

    bool more_a = false, more_b = false, conflict = false;
    for (size_t i = 0; i < out->diffs.n; i++) {
        const col_diff *d = &out->diffs.v[i];
        conflict |= d->conflict;
        int dir = direction(d);
        more_a |= dir == 1;
        more_b |= dir == 2;
    }
    if (!out->diffs.n)
        out->verdict = MATCH_IDENTICAL;
    else if (conflict || (more_a && more_b))
        out->verdict = MATCH_CONFLICTING;
    else {
        out->verdict = MATCH_COMPATIBLE;
        out->superset = more_a ? 1 : more_b ? 2 : 0;
    }
}

const char *match_verdict_name(int verdict)
{
    return verdict == MATCH_IDENTICAL ? "identical"
           : verdict == MATCH_COMPATIBLE ? "compatible"
                                         : "conflicting";
}

const char *match_diff_kind_name(col_diff_kind k)
{
    switch (k) {
    case COLDIFF_ONLY_A: return "only_a";
    case COLDIFF_ONLY_B: return "only_b";
    case COLDIFF_TYPE: return "type";
    case COLDIFF_NULLABLE: return "nullable";
    case COLDIFF_DEFAULT: return "default";
    case COLDIFF_PRIMARY_KEY: return "primary_key";
    case COLDIFF_UNIQUE: return "unique";
    case COLDIFF_FOREIGN_KEY: return "foreign_key";
    case COLDIFF_CHECK: return "check";
    }
    return "?";
}
