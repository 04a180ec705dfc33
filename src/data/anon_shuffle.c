/*
 * anon_shuffle.c — owns the second pass of the `shuffle` rule: after the
 * export has loaded a table, permute one column's values among its rows
 * with a permutation drawn from the seed (same rows + seed -> same result).
 */
#include <string.h>

#include "data/anon.h"
#include "emit/emit.h"
#include "util/strbuf.h"

typedef struct shuf_val {
    const char *s;   /* NULL = SQL NULL */
    size_t len;
} shuf_val;

/* splitmix64: a small, well-mixed deterministic generator */
static uint64_t next_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void fail(diag_list *diags, db_conn *dst, const char *what, const char *table, const char *column)
{
    src_loc loc = {db_spec_masked(dst), 0, 0};
    diag_error(diags, loc, "shuffle %s.%s: %s: %s", table, column, what, db_last_error(dst));
}

int anon_shuffle_column(db_conn *dst, const char *schema, const char *table, const char *column,
                        const char *key_column, uint64_t seed, arena *mem, diag_list *diags)
{
    dialect d = db_dialect(dst);
    strbuf qt = STRBUF_INIT, qc = STRBUF_INIT, qk = STRBUF_INIT, sql = STRBUF_INIT;
    sql_quote_qualified(&qt, d, schema, table);
    sql_quote_ident(&qc, d, column);
    sql_quote_ident(&qk, d, key_column);
    strbuf_addf(&sql, "SELECT %s, %s FROM %s ORDER BY 1", qk.buf, qc.buf, qt.buf);
    VEC(shuf_val) keys = {0};
    VEC(shuf_val) vals = {0};
    int rc = -1;
    db_stmt *st = db_prepare(dst, sql.buf, 0);
    if (!st) {
        fail(diags, dst, "cannot read the column", table, column);
        goto out;
    }
    int r;
    while ((r = db_step(st)) == 1) {
        size_t kl = 0, vl = 0;
        const char *k = db_column_text(st, 0, &kl);
        shuf_val kv = {arena_strndup(mem, k ? k : "", kl), kl};
        shuf_val vv = {NULL, 0};
        if (!db_column_is_null(st, 1)) {
            const char *v = db_column_text(st, 1, &vl);
            vv.s = arena_strndup(mem, v ? v : "", vl);
            vv.len = vl;
        }
        VEC_PUSH(mem, keys, kv);
        VEC_PUSH(mem, vals, vv);
    }
    db_finalize(st);
    if (r < 0) {
        fail(diags, dst, "cannot read the column", table, column);
        goto out;
    }
    size_t n = vals.n;
    size_t *perm = arena_alloc(mem, (n ? n : 1) * sizeof *perm);
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    uint64_t state = seed;
    for (size_t i = n; i > 1; i--) {   /* Fisher-Yates */
        size_t j = (size_t)(next_rand(&state) % i);
        size_t t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
    }
    strbuf_reset(&sql);
    strbuf_addf(&sql, "UPDATE %s SET %s = $1 WHERE %s = $2", qt.buf, qc.buf, qk.buf);
    if (db_begin(dst) < 0) {
        fail(diags, dst, "cannot begin a transaction", table, column);
        goto out;
    }
    st = db_prepare(dst, sql.buf, 2);
    if (!st) {
        fail(diags, dst, "cannot prepare the update", table, column);
        db_rollback(dst);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (perm[i] == i)
            continue;
        const shuf_val *v = &vals.v[perm[i]];
        if (v->s)
            db_bind_text(st, 1, v->s, v->len);
        else
            db_bind_null(st, 1);
        db_bind_text(st, 2, keys.v[i].s, keys.v[i].len);
        if (db_step(st) < 0) {
            fail(diags, dst, "update failed", table, column);
            db_finalize(st);
            db_rollback(dst);
            goto out;
        }
        db_reset(st);
    }
    db_finalize(st);
    if (db_commit(dst) < 0) {
        fail(diags, dst, "commit failed", table, column);
        db_rollback(dst);
        goto out;
    }
    rc = 0;
out:
    strbuf_release(&qt);
    strbuf_release(&qc);
    strbuf_release(&qk);
    strbuf_release(&sql);
    return rc;
}
