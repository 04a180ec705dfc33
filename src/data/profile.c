/*
 * profile.c — the pre-flight profile of `dbsage copy`: what the source
 * columns actually hold (SQLite typeof() counts, boolean spellings, epoch
 * numbers in date/timestamp columns, NaN/Infinity, NUL bytes, invalid
 * UTF-8, over-long strings, integer ranges; PostgreSQL NaN, numeric
 * precision, time zones), the target type chosen per column from it
 * (convert_column_type), and every lossy or risky cast listed before any
 * row moves.  One aggregate query per table.
 */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/match.h"
#include "data/copy_int.h"
#include "db/db_int.h"
#include "emit/emit.h"

/* ---- SQLite: dbsage_utf8_ok(x) ---------------------------------------------------- */

static bool utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t k;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            k = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            k = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            k = 3;
            cp = c & 0x07;
        } else
            return false;
        if (i + k >= n)
            return false;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += k + 1;
    }
    return true;
}

static void utf8_ok_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *b = sqlite3_value_blob(argv[0]);
    int n = sqlite3_value_bytes(argv[0]);
    sqlite3_result_int(ctx, utf8_valid(b, (size_t)n));
}

/* ---- helpers ------------------------------------------------------------------------ */

static bool date_named(const char *name)
{
    size_t n = strlen(name);
    return strcasestr(name, "date") || strcasestr(name, "time") ||
           (n > 3 && (!strcasecmp(name + n - 3, "_at") || !strcasecmp(name + n - 3, "_on")));
}

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

static void add_finding(copy_profile *p, arena *mem, const profile_table *t, const profile_column *c,
                        const char *kind, bool lossy, int64_t count, const char *example, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));
static void add_finding(copy_profile *p, arena *mem, const profile_table *t, const profile_column *c,
                        const char *kind, bool lossy, int64_t count, const char *example, const char *fmt, ...)
{
    profile_finding f;
    memset(&f, 0, sizeof f);
    f.schema = t->schema;
    f.table = t->name;
    f.column = c->name;
    f.kind = kind;
    f.lossy = lossy;
    f.count = count;
    f.example = example;
    f.source_type = c->source_type;
    f.target_type = c->target_type;
    va_list ap;
    va_start(ap, fmt);
    f.message = arena_vprintf(mem, fmt, ap);
    va_end(ap);
    VEC_PUSH(mem, p->findings, f);
}

/* one example value (SQLite quote()) matching cond, NULL on none */
static const char *sqlite_example(db_conn *src, arena *mem, const cat_table *t, const char *col, const char *cond)
{
    strbuf sql = STRBUF_INIT, q = STRBUF_INIT;
    sql_quote_ident(&q, DIALECT_SQLITE, col);
    strbuf_adds(&sql, "SELECT substr(quote(");
    strbuf_adds(&sql, strbuf_str(&q));
    strbuf_adds(&sql, "), 1, 40) FROM ");
    sql_quote_ident(&sql, DIALECT_SQLITE, t->name);
    strbuf_adds(&sql, " WHERE ");
    for (const char *s = cond; *s; s++) {
        if (*s == '@')
            strbuf_adds(&sql, strbuf_str(&q));
        else
            strbuf_addch(&sql, *s);
    }
    strbuf_adds(&sql, " LIMIT 1");
    int err = 0;
    const char *v = db_query_value(src, strbuf_str(&sql), &err);
    strbuf_release(&sql);
    strbuf_release(&q);
    return v && !err ? arena_strdup(mem, v) : NULL;
}

static bool bool_word(const unsigned char *s, int n)
{
    static const char *const words[] = {"t", "f", "true", "false"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if ((int)strlen(words[i]) == n && strncasecmp((const char *)s, words[i], (size_t)n) == 0)
            return true;
    return false;
}

static int64_t utf8_chars(const unsigned char *s, int n)
{
    int64_t c = 0;
    for (int i = 0; i < n; i++)
        c += (s[i] & 0xC0) != 0x80;
    return c;
}

/* ISO 8601 text: 0 = not one; else bits 1 valid, 2 time of day, 4 offset/Z,
 * 8 not in PostgreSQL's output form */
static int iso_date_kind(const unsigned char *s, int n)
{
    int i = 0, k = 1;
#define DIGITS(c) for (int d_ = 0; d_ < (c); d_++, i++) if (i >= n || s[i] < '0' || s[i] > '9') return 0
    DIGITS(4);
    if (i >= n || s[i++] != '-')
        return 0;
    DIGITS(2);
    if (i >= n || s[i++] != '-')
        return 0;
    DIGITS(2);
    if (i == n)
        return k;
    if (s[i] != ' ' && s[i] != 'T')
        return 0;
    if (s[i] == 'T')
        k |= 8;
    i++;
    k |= 2;
    DIGITS(2);
    if (i >= n || s[i++] != ':')
        return 0;
    DIGITS(2);
    if (i < n && s[i] == ':') {
        i++;
        DIGITS(2);
        if (i < n && s[i] == '.') {
            i++;
            int digits = 0;
            while (i < n && s[i] >= '0' && s[i] <= '9')
                i++, digits++;
            if (!digits)
                return 0;
            if (s[i - 1] == '0' || digits > 6)
                k |= 8;  /* PostgreSQL drops trailing zeros / rounds to microseconds */
        }
    } else
        k |= 8;  /* no seconds: printed with :00 */
    if (i < n && (s[i] == 'Z' || s[i] == '+' || s[i] == '-')) {
        k |= 4 | 8;
        if (s[i] == 'Z')
            i++;
        else {
            i++;
            DIGITS(2);
            if (i < n && s[i] == ':')
                i++;
            if (i < n) {
                DIGITS(2);
            }
        }
    }
#undef DIGITS
    return i == n ? k : 0;
}

/* epoch-like numbers: every number in a date/timestamp column (ms from 1e11
 * on), only plausible ones (1979..2100) in a date-named column */
static void count_epoch(profile_column *c, bool dateish, double a)
{
    if (dateish) {
        if (a < 1e11)
            c->n_epoch_s++;
        else
            c->n_epoch_ms++;
    } else if (a >= 3e8 && a <= 4.2e9)
        c->n_epoch_s++;
    else if (a >= 3e11 && a <= 4.2e12)
        c->n_epoch_ms++;
}

/* One pass over the rows in C (an aggregate query per column costs far more). */
static int scan_sqlite(db_conn *src, const cat_table *t, profile_table *pt, diag_list *diags)
{
    strbuf sql = STRBUF_INIT;
    strbuf_adds(&sql, "SELECT ");
    for (size_t i = 0; i < pt->cols.n; i++) {
        if (i)
            strbuf_adds(&sql, ", ");
        sql_quote_ident(&sql, DIALECT_SQLITE, pt->cols.v[i].name);
    }
    strbuf_adds(&sql, " FROM ");
    sql_quote_ident(&sql, DIALECT_SQLITE, t->name);
    db_stmt *st = db_prepare(src, strbuf_str(&sql), 0);
    strbuf_release(&sql);
    int ncol = (int)pt->cols.n;
    bool *dateish = calloc((size_t)ncol + 1, sizeof *dateish), *named = calloc((size_t)ncol + 1, sizeof *named);
    if (!dateish || !named)
        abort();
    for (int i = 0; i < ncol; i++) {
        profile_column *c = &pt->cols.v[i];
        dateish[i] = !strcmp(c->family, "date") || !strcmp(c->family, "timestamp") || !strcmp(c->family, "timestamptz");
        named[i] = dateish[i] || date_named(c->name);
        c->min_int = INT64_MAX;
        c->max_int = INT64_MIN;
    }
    int rc = st ? 1 : -1;
    while (st && (rc = db_step(st)) == 1) {
        pt->rows++;
        for (int i = 0; i < ncol; i++) {
            profile_column *c = &pt->cols.v[i];
            sqlite3_stmt *s3 = st->st;
            switch (sqlite3_column_type(s3, i)) {
            case SQLITE_NULL: c->n_null++; break;
            case SQLITE_INTEGER: {
                int64_t v = sqlite3_column_int64(s3, i);
                c->n_int++;
                c->n_bool_like += v == 0 || v == 1;
                if (v < c->min_int)
                    c->min_int = v;
                if (v > c->max_int)
                    c->max_int = v;
                if (named[i])
                    count_epoch(c, dateish[i], v < 0 ? -(double)v : (double)v);
                break;
            }
            case SQLITE_FLOAT: {
                double d = sqlite3_column_double(s3, i);
                c->n_real++;
                c->n_bool_like += d == 0 || d == 1;
                c->n_nan_inf += isinf(d) != 0;
                if (named[i] && !isinf(d))
                    count_epoch(c, dateish[i], fabs(d));
                break;
            }
            case SQLITE_TEXT: {
                const unsigned char *b = sqlite3_column_text(s3, i);
                int n = sqlite3_column_bytes(s3, i);
                c->n_text++;
                c->n_bool_like += bool_word(b, n);
                c->n_nul += memchr(b, 0, (size_t)n) != NULL;
                c->n_bad_utf8 += !utf8_valid(b, (size_t)n);
                if (dateish[i]) {
                    int k = iso_date_kind(b, n);
                    c->n_bad_date += k == 0;
                    c->n_date_time += (k & 2) != 0;
                    c->n_date_tz += (k & 4) != 0;
                    c->n_date_reformat += (k & 8) != 0;
                }
                int64_t len = utf8_chars(b, n);
                if (len > c->max_len)
                    c->max_len = len;
                break;
            }
            default: c->n_blob++; break;
            }
        }
    }
    for (int i = 0; i < ncol; i++)
        if (!pt->cols.v[i].n_int)
            pt->cols.v[i].min_int = pt->cols.v[i].max_int = 0;
    free(dateish);
    free(named);
    if (rc < 0) {
        diag_error(diags, ((src_loc){db_spec_masked(src), 0, 0}), "profiling %s: %s", t->name, db_last_error(src));
        if (st)
            db_finalize(st);
        return -1;
    }
    db_finalize(st);
    return 0;
}

static int scan_pg(db_conn *src, const catalog *cat, const cat_table *t, profile_table *pt, diag_list *diags)
{
    strbuf sql = STRBUF_INIT, q = STRBUF_INIT;
    strbuf_adds(&sql, "SELECT count(*)");
    for (size_t i = 0; i < pt->cols.n; i++) {
        profile_column *c = &pt->cols.v[i];
        strbuf_reset(&q);
        sql_quote_ident(&q, DIALECT_PG, c->name);
        const char *qc = strbuf_str(&q);
        strbuf_addf(&sql, ", count(*) FILTER (WHERE %s IS NULL)", qc);
        if (!strcmp(c->family, "float"))
            strbuf_addf(&sql, ", count(*) FILTER (WHERE %s = 'NaN')", qc);
        else if (!strcmp(c->family, "decimal"))
            strbuf_addf(&sql, ", count(*) FILTER (WHERE %s::float8::numeric <> %s OR %s::float8::text <> %s::text)", qc,
                        qc, qc, qc);
        else
            strbuf_adds(&sql, ", 0");
    }
    (void)cat;
    strbuf_adds(&sql, " FROM ");
    sql_quote_ident(&sql, DIALECT_PG, t->schema);
    strbuf_addch(&sql, '.');
    sql_quote_ident(&sql, DIALECT_PG, t->name);
    db_stmt *st = db_prepare(src, strbuf_str(&sql), 0);
    strbuf_release(&sql);
    strbuf_release(&q);
    int rc = st ? db_step(st) : -1;
    if (rc == 1) {
        pt->rows = db_column_int64(st, 0);
        for (size_t i = 0; i < pt->cols.n; i++) {
            profile_column *c = &pt->cols.v[i];
            c->n_null = db_column_int64(st, 1 + 2 * (int)i);
            c->n_text = pt->rows - c->n_null;
            int64_t x = db_column_int64(st, 2 + 2 * (int)i);
            if (!strcmp(c->family, "float"))
                c->n_nan_inf = x;
            else if (!strcmp(c->family, "decimal"))
                c->n_real = x;  /* values a double does not hold exactly */
        }
    }
    if (rc < 0) {
        diag_error(diags, ((src_loc){db_spec_masked(src), 0, 0}), "profiling %s: %s", t->name, db_last_error(src));
        if (st)
            db_finalize(st);
        return -1;
    }
    db_finalize(st);
    return 0;
}

/* ---- findings ------------------------------------------------------------------------ */

static void findings_sqlite_to_pg(db_conn *src, copy_profile *p, arena *mem, const cat_table *t,
                                  const profile_table *pt, const profile_column *c)
{
    int classes = (c->n_int > 0) + (c->n_real > 0) + (c->n_text > 0) + (c->n_blob > 0);
    const char *tt = c->target_type;
    const char *fam = c->family;
    bool numeric = !strcmp(fam, "integer") || !strcmp(fam, "float") || !strcmp(fam, "decimal");
    if (c->n_nul)
        add_finding(p, mem, pt, c, PROFILE_NUL_BYTES, true, c->n_nul,
                    sqlite_example(src, mem, t, c->name, "typeof(@)='text' AND instr(CAST(@ AS BLOB), x'00') > 0"),
                    "%" PRId64 " text value(s) hold NUL bytes, which PostgreSQL text cannot: column becomes %s",
                    c->n_nul, tt);
    if (c->n_bad_utf8)
        add_finding(p, mem, pt, c, PROFILE_BAD_UTF8, true, c->n_bad_utf8,
                    sqlite_example(src, mem, t, c->name, "typeof(@)='text' AND NOT dbsage_utf8_ok(@)"),
                    "%" PRId64 " text value(s) are not valid UTF-8: column becomes %s", c->n_bad_utf8, tt);
    if (classes > 1)
        add_finding(p, mem, pt, c, PROFILE_MIXED_TYPES, true, pt->rows - c->n_null, NULL,
                    "values of %d storage classes (integer %" PRId64 ", real %" PRId64 ", text %" PRId64
                    ", blob %" PRId64 ") go into one %s column: their storage classes are not kept",
                    classes, c->n_int, c->n_real, c->n_text, c->n_blob, tt);
    if (numeric && c->n_text && !strcmp(tt, "text"))
        add_finding(p, mem, pt, c, PROFILE_TEXT_IN_NUM, false, c->n_text,
                    sqlite_example(src, mem, t, c->name, "typeof(@)='text'"),
                    "%" PRId64 " text value(s) in a column of type %s: column becomes text", c->n_text, c->source_type);
    if (!strcmp(fam, "integer") && c->n_real)
        add_finding(p, mem, pt, c, PROFILE_REAL_IN_INT, false, c->n_real,
                    sqlite_example(src, mem, t, c->name, "typeof(@)='real'"),
                    "%" PRId64 " real value(s) in an integer column: column becomes %s", c->n_real, tt);
    if (!strcmp(fam, "text") && c->n_blob)
        add_finding(p, mem, pt, c, PROFILE_BLOB_IN_TEXT, true, c->n_blob, NULL,
                    "%" PRId64 " blob(s) in a text column: column becomes %s", c->n_blob, tt);
    if (!strcmp(fam, "boolean") && !strcmp(tt, "boolean")) {
        int64_t spelled = c->n_bool_like - 0;
        int64_t texts = c->n_text;
        if (texts)
            add_finding(p, mem, pt, c, PROFILE_BOOL_TEXT, true, texts,
                        sqlite_example(src, mem, t, c->name, "typeof(@)='text'"),
                        "%" PRId64 " boolean(s) spelled as text ('t'/'f'/'true'/'false') become boolean; the "
                        "spelling is not kept (%" PRId64 " boolean-like values in all)",
                        texts, spelled);
    } else if (!strcmp(fam, "boolean"))
        add_finding(p, mem, pt, c, PROFILE_BOOL_TEXT, false, pt->rows - c->n_null - c->n_bool_like,
                    sqlite_example(src, mem, t, c->name,
                                   "@ IS NOT NULL AND NOT (CASE WHEN typeof(@) IN ('integer','real') THEN @ IN (0,1) "
                                   "WHEN typeof(@)='text' THEN lower(@) IN ('t','f','true','false') ELSE 0 END)"),
                    "values other than 0/1/'t'/'f'/'true'/'false' in a boolean column: column becomes %s", tt);
    bool dateish = !strcmp(fam, "date") || !strcmp(fam, "timestamp") || !strcmp(fam, "timestamptz");
    if (c->n_epoch_s || c->n_epoch_ms) {
        bool conv = c->conv == CONV_EPOCH_S || c->conv == CONV_EPOCH_MS || c->conv == CONV_EPOCH_AUTO;
        if (c->n_epoch_s)
            add_finding(p, mem, pt, c, PROFILE_EPOCH_S, conv, c->n_epoch_s,
                        sqlite_example(src, mem, t, c->name, conv ? "typeof(@) IN ('integer','real') AND abs(@ + 0.0) < 1e11" : "typeof(@) IN ('integer','real') AND abs(@ + 0.0) BETWEEN 3e8 AND 4.2e9"),
                        conv ? "%" PRId64 " number(s) read as epoch seconds become %s values (UTC)"
                             : "%" PRId64 " number(s) that may be epoch seconds stay numbers (%s)",
                        c->n_epoch_s, tt);
        if (c->n_epoch_ms)
            add_finding(p, mem, pt, c, PROFILE_EPOCH_MS, conv, c->n_epoch_ms,
                        sqlite_example(src, mem, t, c->name, conv ? "typeof(@) IN ('integer','real') AND abs(@ + 0.0) >= 1e11" : "typeof(@) IN ('integer','real') AND abs(@ + 0.0) BETWEEN 3e11 AND 4.2e12"),
                        conv ? "%" PRId64 " number(s) read as epoch milliseconds become %s values (UTC)"
                             : "%" PRId64 " number(s) that may be epoch milliseconds stay numbers (%s)",
                        c->n_epoch_ms, tt);
    }
    if (dateish && c->n_bad_date)
        add_finding(p, mem, pt, c, PROFILE_BAD_DATE, false, c->n_bad_date, NULL,
                    "%" PRId64 " text value(s) are not ISO 8601 dates/times: column becomes %s", c->n_bad_date, tt);
    else if (dateish && c->n_date_reformat)
        add_finding(p, mem, pt, c, PROFILE_DATE_FORMAT, true, c->n_date_reformat, NULL,
                    "%" PRId64 " date/time text(s) ('T', 'Z', offsets, trailing zeros, no seconds) come back in "
                    "PostgreSQL's own format%s; column becomes %s",
                    c->n_date_reformat, c->n_date_tz ? " (offsets converted to UTC)" : "", tt);
    if (c->n_nan_inf)
        add_finding(p, mem, pt, c, PROFILE_NAN_INF, false, c->n_nan_inf,
                    sqlite_example(src, mem, t, c->name, "typeof(@)='real' AND @ IN (9e999,-9e999)"),
                    "%" PRId64 " infinite value(s): carried as Infinity in %s", c->n_nan_inf, tt);
    int n = 0;
    const char *paren = strchr(c->source_type, '(');
    if (paren && !strcmp(fam, "text"))
        n = atoi(paren + 1);
    if (n > 0 && c->max_len > n)
        add_finding(p, mem, pt, c, PROFILE_TOO_LONG, false, 0,
                    sqlite_example(src, mem, t, c->name, arena_printf(mem, "length(@) > %d", n)),
                    "strings up to %" PRId64 " characters in a %s column: column becomes %s", c->max_len,
                    c->source_type, tt);
    if (!strcmp(fam, "integer") && c->n_int && !strcmp(tt, "bigint") &&
             (c->min_int < INT32_MIN || c->max_int > INT32_MAX) && strcasecmp(c->source_type, "INTEGER") &&
             strcasecmp(c->source_type, "INT") && !strcasestr(c->source_type, "BIG") &&
             !strcasestr(c->source_type, "INT8"))
        add_finding(p, mem, pt, c, PROFILE_INT_RANGE, false, 0, NULL,
                    "integers from %" PRId64 " to %" PRId64 " exceed the 32-bit range of %s: column becomes bigint",
                    c->min_int, c->max_int, c->source_type);
}

static void findings_pg_to_sqlite(copy_profile *p, arena *mem, const profile_table *pt, const profile_column *c)
{
    if (!strcmp(c->family, "float") && c->n_nan_inf)
        add_finding(p, mem, pt, c, PROFILE_NAN_INF, true, c->n_nan_inf, NULL,
                    "%" PRId64 " NaN value(s): SQLite stores NaN as NULL", c->n_nan_inf);
    if (!strcmp(c->family, "decimal") && c->n_real)
        add_finding(p, mem, pt, c, PROFILE_PRECISION, true, c->n_real, NULL,
                    "%" PRId64 " numeric value(s) a REAL cannot hold exactly (SQLite NUMERIC affinity)", c->n_real);
    if (!strcmp(c->family, "timestamptz") && c->n_text)
        add_finding(p, mem, pt, c, PROFILE_TZ_DROPPED, false, c->n_text, NULL,
                    "%" PRId64 " timestamptz value(s) become UTC text ('+00')", c->n_text);
}

int profile_run(db_conn *src, const catalog *src_cat, dialect to, const strvec *tables, arena *mem,
                copy_profile *out, diag_list *diags)
{
    memset(out, 0, sizeof *out);
    out->from = src_cat->dialect;
    out->to = to;
    bool scan = out->from != to;
    if (scan && db_dialect(src) == DIALECT_SQLITE)
        sqlite3_create_function(src->sq, "dbsage_utf8_ok", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, utf8_ok_fn,
                                NULL, NULL);
    for (size_t i = 0; i < src_cat->tables.n; i++) {
        const cat_table *t = src_cat->tables.v[i];
        if (!wanted(tables, t) || catalog_is_tool_table(t->name) || !strcmp(t->name, COPY_PROGRESS_TABLE) ||
            !strncmp(t->name, "sqlite_", 7))
            continue;
        profile_table *pt = ARENA_NEW(mem, profile_table);
        pt->schema = t->schema;
        pt->name = t->name;
        for (size_t k = 0; k < t->columns.n; k++) {
            const cat_column *col = t->columns.v[k];
            if (col->hidden)
                continue;
            profile_column pc;
            memset(&pc, 0, sizeof pc);
            pc.name = col->name;
            pc.source_type = col->type ? col->type : "";
            pc.family = out->from == DIALECT_PG ? typemap_family_in(src_cat, col->type)
                                                : typemap_family(DIALECT_SQLITE, pc.source_type);
            VEC_PUSH(mem, pt->cols, pc);
        }
        if (scan) {
            int rc = db_dialect(src) == DIALECT_SQLITE ? scan_sqlite(src, t, pt, diags)
                                                       : scan_pg(src, src_cat, t, pt, diags);
            if (rc < 0)
                return -1;
        }
        size_t k = 0;
        for (size_t j = 0; j < t->columns.n; j++) {
            const cat_column *col = t->columns.v[j];
            if (col->hidden)
                continue;
            profile_column *pc = &pt->cols.v[k++];
            pc->target_type = convert_column_type(out->from, src_cat, col, to, scan ? pc : NULL, &pc->conv, mem);
            if (!scan)
                continue;
            if (to == DIALECT_PG)
                findings_sqlite_to_pg(src, out, mem, t, pt, pc);
            else
                findings_pg_to_sqlite(out, mem, pt, pc);
        }
        VEC_PUSH(mem, out->tables, pt);
    }
    return 0;
}

const profile_table *profile_find_table(const copy_profile *p, const char *schema, const char *table)
{
    for (size_t i = 0; i < p->tables.n; i++)
        if (!strcmp(p->tables.v[i]->name, table) && (!schema || !strcmp(p->tables.v[i]->schema, schema)))
            return p->tables.v[i];
    return NULL;
}

const profile_column *profile_find_column(const profile_table *t, const char *column)
{
    for (size_t i = 0; i < t->cols.n; i++)
        if (!strcmp(t->cols.v[i].name, column))
            return &t->cols.v[i];
    return NULL;
}
