/*
 * verify_copy.c — `dbsage verify --from --to` as library code
 * (verify_copy.h): lists the tables and columns of both sides, streams
 * every table's rows (SQLite: one statement; PostgreSQL: a cursor fetched
 * in batches, so memory stays constant), frames each row's canonical
 * values (verify_canon.c), hashes the row with SHA-256 and adds the digest
 * into a 256-bit order-independent sum.  Never prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/verify_copy.h"
#include "data/verify_copy_int.h"
#include "emit/emit.h"
#include "util/digest.h"
#include "util/vec.h"

#define FETCH_BATCH 5000


static src_loc conn_loc(db_conn *c)
{
    return (src_loc){db_spec_masked(c), 0, 0};
}

void verify_db_error(diag_list *diags, db_conn *c, const char *what)
{
    diag_add(diags, DIAG_ERROR, conn_loc(c), "%s: %s", what, db_last_error(c));
}

/* ---- tables and columns ----------------------------------------------------- */

static int list_tables(db_conn *c, arena *mem, name_vec *out, diag_list *diags)
{
    const char *sql = db_dialect(c) == DIALECT_PG
        ? "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
          "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = current_schema() "
          "AND c.relname NOT LIKE 'dbsage\\_%' ORDER BY 1"
        : "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
          "AND name NOT LIKE 'dbsage\\_%' ESCAPE '\\' ORDER BY 1";
    db_stmt *s = db_prepare(c, sql, 0);
    if (!s) {
        verify_db_error(diags, c, "cannot list tables");
        return -1;
    }
    int rc;
    while ((rc = db_step(s)) == 1)
        VEC_PUSH(mem, *out, arena_strdup(mem, db_column_text(s, 0, NULL)));
    if (rc < 0)
        verify_db_error(diags, c, "cannot list tables");
    db_finalize(s);
    return rc < 0 ? -1 : 0;
}

int verify_list_columns(db_conn *c, const char *schema, const char *table, arena *mem, col_vec *out,
                        diag_list *diags)
{
    const char *sql = db_dialect(c) == DIALECT_PG
        ? "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
          "WHERE a.attrelid = to_regclass(format('%I.%I', coalesce($2::text, current_schema()), $1::text)) "
          "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"
        : "SELECT name, type FROM pragma_table_info($1) WHERE $2 IS NULL OR $2 = 'main'";
    db_stmt *s = db_prepare(c, sql, 2);
    if (!s || db_bind_text(s, 1, table, strlen(table)) < 0 ||
        (schema ? db_bind_text(s, 2, schema, strlen(schema)) : db_bind_null(s, 2)) < 0) {
        verify_db_error(diags, c, "cannot read columns");
        if (s)
            db_finalize(s);
        return -1;
    }
    int rc;
    while ((rc = db_step(s)) == 1) {
        col_info ci = {arena_strdup(mem, db_column_text(s, 0, NULL)), arena_strdup(mem, db_column_text(s, 1, NULL))};
        VEC_PUSH(mem, *out, ci);
    }
    if (rc < 0)
        verify_db_error(diags, c, "cannot read columns");
    db_finalize(s);
    return rc < 0 ? -1 : 0;
}

const col_info *verify_find_col(const col_vec *v, const char *name)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->v[i].name, name))
            return &v->v[i];
    return NULL;
}

/* ---- checksums ----------------------------------------------------------------- */

typedef struct sum256 {
    uint64_t limb[4];   /* limb[0] most significant */
} sum256;

static int hexval(char c)
{
    return c <= '9' ? c - '0' : c - 'a' + 10;
}

static void sum_add_hex(sum256 *s, const char hex[65])
{
    unsigned carry = 0;
    for (int l = 3; l >= 0; l--) {
        uint64_t v = 0;
        for (int k = 0; k < 16; k++)
            v = (v << 4) | (uint64_t)hexval(hex[l * 16 + k]);
        uint64_t r = s->limb[l] + v;
        unsigned c1 = r < v;
        uint64_t r2 = r + carry;
        unsigned c2 = r2 < r;
        s->limb[l] = r2;
        carry = c1 | c2;
    }
}

static void sum_hex(const sum256 *s, char out[65])
{
    for (int l = 0; l < 4; l++)
        snprintf(out + l * 16, 17, "%016llx", (unsigned long long)s->limb[l]);
}


static void frame_value(strbuf *row, strbuf *val, verify_kind k, verify_storage st, int64_t iv, double dv,
                        const char *text, size_t len)
{
    if (st == VS_NULL) {
        strbuf_adds(row, "N;");
        return;
    }
    strbuf_reset(val);
    verify_canon_value(k, st, iv, dv, text, len, val);
    char num[24];
    int n = 0;
    num[n++] = ':';
    size_t len_ = val->len;
    do {
        num[n++] = (char)('0' + len_ % 10);
        len_ /= 10;
    } while (len_);
    num[n++] = 'V';
    strbuf_grow(row, (size_t)n);
    while (n)
        row->buf[row->len++] = num[--n];
    row->buf[row->len] = 0;
    strbuf_add(row, val->buf ? val->buf : "", val->len);
}

static void add_row(sum256 *sum, const strbuf *row)
{
    char hex[DIGEST_HEX_LEN + 1];
    digest_sha256_hex(row->buf ? row->buf : "", row->len, hex);
    sum_add_hex(sum, hex);
}

/* an integer key the copy moved by `off` (remap: offset): integers (SQLite)
 * or integer text (PG) shifted; anything else left alone (it will differ) */
static void shift_value(verify_storage *st, int64_t *iv, const char **text, size_t *len, int64_t off, char num[24])
{
    if (*st == VS_INT) {
        *iv += off;
    } else if (*st == VS_TEXT && *len > 0 && *len < 21) {
        char tmp[24], *end;
        memcpy(tmp, *text, *len);
        tmp[*len] = 0;
        long long v = strtoll(tmp, &end, 10);
        if (*end)
            return;
        snprintf(num, 24, "%lld", v + (long long)off);
        *text = num;
        *len = strlen(num);
    }
}

/* a key the copy replaced through dbsage_key_map (remap: map): back to the source's key */
static void unmap_value(verify_storage *st, int64_t iv, const char **text, size_t *len, const hashmap *m, char num[24])
{
    const char *key = *text;
    if (*st == VS_INT) {
        snprintf(num, 24, "%lld", (long long)iv);
        key = num;
    } else if (*st != VS_TEXT) {
        return;
    }
    const char *old = hashmap_get(m, key);
    if (old) {
        *st = VS_TEXT;
        *text = old;
        *len = strlen(old);
    }
}

static verify_storage sqlite_storage(const char *t)
{
    switch (t ? t[0] : 'n') {
    case 'i': return VS_INT;
    case 'r': return VS_REAL;
    case 't': return VS_TEXT;
    case 'b': return VS_BLOB;
    default: return VS_NULL;
    }
}

static int checksum_sqlite(const side_query *q, int64_t *rows, sum256 *sum, diag_list *diags)
{
    db_stmt *s = db_prepare(q->c, q->sql, q->param ? 1 : 0);
    if (!s || (q->param && db_bind_text(s, 1, q->param, strlen(q->param)) < 0)) {
        verify_db_error(diags, q->c, "cannot read rows");
        if (s)
            db_finalize(s);
        return -1;
    }
    strbuf row = STRBUF_INIT, val = STRBUF_INIT;
    char num[24];
    int rc;
    while ((rc = db_step(s)) == 1) {
        strbuf_reset(&row);
        for (size_t i = 0; i < q->ncols; i++) {
            int col = (int)(2 * i);
            verify_storage st = sqlite_storage(db_column_text(s, col + 1, NULL));
            int64_t iv = 0;
            double dv = 0;
            const char *text = NULL;
            size_t len = 0;
            if (st == VS_INT)
                iv = db_column_int64(s, col);
            else if (st == VS_REAL)
                dv = db_column_double(s, col);
            else if (st == VS_BLOB)
                text = db_column_blob(s, col, &len);
            else if (st == VS_TEXT)
                text = db_column_text(s, col, &len);
            if (q->offsets && q->offsets[i])
                shift_value(&st, &iv, &text, &len, q->offsets[i], num);
            if (q->unmap && q->unmap[i])
                unmap_value(&st, iv, &text, &len, q->unmap[i], num);
            frame_value(&row, &val, q->kinds[i], st, iv, dv, text, len);
        }
        add_row(sum, &row);
        (*rows)++;
    }
    if (rc < 0)
        verify_db_error(diags, q->c, "cannot read rows");
    db_finalize(s);
    strbuf_release(&row);
    strbuf_release(&val);
    return rc < 0 ? -1 : 0;
}

static int checksum_pg(const side_query *q, int64_t *rows, sum256 *sum, diag_list *diags)
{
    db_conn *c = q->c;
    strbuf sql = STRBUF_INIT, row = STRBUF_INIT, val = STRBUF_INIT;
    char num[24];
    strbuf_addf(&sql, "DECLARE dbsage_verify NO SCROLL CURSOR FOR %s", q->sql);
    int ret = -1;
    if (db_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") < 0) {
        verify_db_error(diags, c, "cannot read rows");
        goto out;
    }
    db_stmt *d = db_prepare(c, strbuf_str(&sql), q->param ? 1 : 0);
    int drc = d && (!q->param || db_bind_text(d, 1, q->param, strlen(q->param)) == 0) ? db_step(d) : -1;
    if (drc < 0) {
        verify_db_error(diags, c, "cannot read rows");
        if (d)
            db_finalize(d);
        goto out;
    }
    db_finalize(d);
    strbuf_reset(&sql);
    strbuf_addf(&sql, "FETCH %d FROM dbsage_verify", FETCH_BATCH);
    db_stmt *s = db_prepare(c, strbuf_str(&sql), 0);
    if (!s) {
        verify_db_error(diags, c, "cannot read rows");
        goto out;
    }
    for (;;) {
        int got = 0, rc;
        while ((rc = db_step(s)) == 1) {
            got++;
            strbuf_reset(&row);
            for (size_t i = 0; i < q->ncols; i++) {
                int col = (int)i;
                size_t len = 0;
                const char *text = NULL;
                verify_storage st = VS_NULL;
                if (!db_column_is_null(s, col)) {
                    st = q->pg_bytea[i] ? VS_BLOB : VS_TEXT;
                    text = st == VS_BLOB ? db_column_blob(s, col, &len) : db_column_text(s, col, &len);
                }
                int64_t iv = 0;
                if (q->offsets && q->offsets[i])
                    shift_value(&st, &iv, &text, &len, q->offsets[i], num);
                if (q->unmap && q->unmap[i])
                    unmap_value(&st, iv, &text, &len, q->unmap[i], num);
                frame_value(&row, &val, q->kinds[i], st, iv, 0, text, len);
            }
            add_row(sum, &row);
            (*rows)++;
        }
        if (rc < 0) {
            verify_db_error(diags, c, "cannot read rows");
            db_finalize(s);
            goto out;
        }
        if (got < FETCH_BATCH)
            break;
        db_reset(s);
    }
    db_finalize(s);
    ret = 0;
out:
    db_exec(c, "ROLLBACK");
    strbuf_release(&sql);
    strbuf_release(&row);
    strbuf_release(&val);
    return ret;
}

/* the session settings that make PG's text output canonical-friendly */
int verify_pg_session(db_conn *c, diag_list *diags)
{
    if (db_dialect(c) != DIALECT_PG)
        return 0;
    if (db_exec(c, "SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, YMD'; SET extra_float_digits TO 1; "
                   "SET bytea_output TO 'hex'") < 0) {
        verify_db_error(diags, c, "cannot set the session up");
        return -1;
    }
    return 0;
}

/* SELECT over the compared columns of one side */
static const char *side_sql(db_conn *c, const char *table, const char **cols, size_t n, arena *mem)
{
    dialect d = db_dialect(c);
    strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "SELECT ");
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_adds(&sb, ", ");
        sql_quote_ident(&sb, d, cols[i]);
        if (d == DIALECT_SQLITE) {
            strbuf_adds(&sb, ", typeof(");
            sql_quote_ident(&sb, d, cols[i]);
            strbuf_addch(&sb, ')');
        }
    }
    if (!n)
        strbuf_adds(&sb, "1");
    strbuf_adds(&sb, " FROM ");
    sql_quote_ident(&sb, d, table);
    const char *r = arena_strdup(mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return r;
}

int verify_side_checksum(const side_query *q, int64_t *rows, char out[65], diag_list *diags)
{
    sum256 sum = {{0, 0, 0, 0}};
    *rows = 0;
    int rc = db_dialect(q->c) == DIALECT_PG ? checksum_pg(q, rows, &sum, diags)
                                            : checksum_sqlite(q, rows, &sum, diags);
    sum_hex(&sum, out);
    return rc;
}

static bool is_bytea(const char *type)
{
    return type && !strcmp(type, "bytea");
}

static int verify_one(db_conn *from, db_conn *to, const char *table, arena *mem, verify_table *t,
                      diag_list *diags)
{
    memset(t, 0, sizeof *t);
    t->name = table;
    col_vec fc = {0}, tc = {0};
    bool exists = false;
    if (db_table_exists(to, NULL, table, &exists) < 0) {
        verify_db_error(diags, to, "cannot look the table up");
        return -1;
    }
    if (verify_list_columns(from, NULL, table, mem, &fc, diags) < 0)
        return -1;
    if (!exists) {
        t->missing = true;
    } else if (verify_list_columns(to, NULL, table, mem, &tc, diags) < 0) {
        return -1;
    }
    name_vec cols = {0}, miss_to = {0}, miss_from = {0};
    VEC(verify_kind) kinds = {0};
    for (size_t i = 0; i < fc.n; i++) {
        const col_info *o = verify_find_col(&tc, fc.v[i].name);
        if (!o) {
            if (exists)
                VEC_PUSH(mem, miss_to, fc.v[i].name);
            continue;
        }
        VEC_PUSH(mem, cols, fc.v[i].name);
        VEC_PUSH(mem, kinds, verify_kind_merge(verify_kind_of_type(fc.v[i].type), verify_kind_of_type(o->type)));
    }
    for (size_t i = 0; i < tc.n; i++)
        if (!verify_find_col(&fc, tc.v[i].name))
            VEC_PUSH(mem, miss_from, tc.v[i].name);
    t->columns = cols.v;
    t->kinds = kinds.v;
    t->ncolumns = cols.n;
    t->missing_in_to = miss_to.v;
    t->nmissing_in_to = miss_to.n;
    t->missing_in_from = miss_from.v;
    t->nmissing_in_from = miss_from.n;

    /* the source side alone when the target lacks the table: its count and checksum */
    bool *fb = arena_alloc(mem, (cols.n ? cols.n : 1) * sizeof *fb);
    bool *tb = arena_alloc(mem, (cols.n ? cols.n : 1) * sizeof *tb);
    const verify_kind *kv = kinds.v;
    if (t->missing) {
        VEC(verify_kind) own = {0};
        for (size_t i = 0; i < fc.n; i++)
            VEC_PUSH(mem, own, verify_kind_of_type(fc.v[i].type));
        name_vec all = {0};
        for (size_t i = 0; i < fc.n; i++)
            VEC_PUSH(mem, all, fc.v[i].name);
        fb = arena_alloc(mem, (fc.n ? fc.n : 1) * sizeof *fb);
        for (size_t i = 0; i < fc.n; i++)
            fb[i] = is_bytea(fc.v[i].type);
        side_query fq = {from, side_sql(from, table, all.v, all.n, mem), all.n, own.v, fb, NULL, NULL, NULL};
        return verify_side_checksum(&fq, &t->from_rows, t->from_sum, diags);
    }
    for (size_t i = 0; i < cols.n; i++) {
        fb[i] = is_bytea(verify_find_col(&fc, cols.v[i])->type);
        tb[i] = is_bytea(verify_find_col(&tc, cols.v[i])->type);
    }
    side_query fq = {from, side_sql(from, table, cols.v, cols.n, mem), cols.n, kv, fb, NULL, NULL, NULL};
    side_query tq = {to, side_sql(to, table, cols.v, cols.n, mem), cols.n, kv, tb, NULL, NULL, NULL};
    if (verify_side_checksum(&fq, &t->from_rows, t->from_sum, diags) < 0 ||
        verify_side_checksum(&tq, &t->to_rows, t->to_sum, diags) < 0)
        return -1;
    t->equal = t->from_rows == t->to_rows && !strcmp(t->from_sum, t->to_sum);
    return 0;
}

int verify_copy(db_conn *from, db_conn *to, const verify_opts *opts, arena *mem, verify_report *out,
                diag_list *diags)
{
    memset(out, 0, sizeof *out);
    if (verify_pg_session(from, diags) < 0 || verify_pg_session(to, diags) < 0)
        return -1;
    name_vec tables = {0};
    if (list_tables(from, mem, &tables, diags) < 0)
        return -1;
    name_vec chosen = {0};
    if (opts && opts->ntables) {
        for (size_t i = 0; i < opts->ntables; i++) {
            bool found = false;
            for (size_t k = 0; k < tables.n && !found; k++)
                found = !strcmp(tables.v[k], opts->tables[i]);
            if (!found) {
                diag_add(diags, DIAG_ERROR, conn_loc(from), "no table '%s' in the source", opts->tables[i]);
                return -1;
            }
            VEC_PUSH(mem, chosen, opts->tables[i]);
        }
    } else {
        chosen = tables;
    }
    out->tables = arena_alloc(mem, (chosen.n ? chosen.n : 1) * sizeof *out->tables);
    for (size_t i = 0; i < chosen.n; i++) {
        verify_table *t = &out->tables[out->ntables++];
        if (verify_one(from, to, chosen.v[i], mem, t, diags) < 0)
            return -1;
        if (t->missing || !t->equal || t->nmissing_in_to)
            out->ndiffer++;
    }
    return 0;
}
