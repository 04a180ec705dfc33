/*
 * copy_value.c — values of the copy engine: reading one source column as a
 * copy_value (SQLite storage class kept exactly: integers as int64, REAL as
 * a double, text and blobs as bytes; PostgreSQL as text, bytea decoded),
 * the per-column conversions (booleans, epoch numbers -> timestamps,
 * bytea <-> BLOB, text numbers -> SQLite INTEGER/REAL), and writing a value
 * as PostgreSQL COPY text or as a typed SQLite binding.
 *
 * Reads SQLite storage classes through db_int.h (db.h exposes only text /
 * int / double / blob accessors, not sqlite3_column_type).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "data/copy_int.h"
#include "db/db_int.h"

const char *copy_conv_name(copy_conv c)
{
    switch (c) {
    case CONV_NONE: return "none";
    case CONV_BOOL: return "bool";
    case CONV_EPOCH_S: return "epoch_s";
    case CONV_EPOCH_MS: return "epoch_ms";
    case CONV_BLOB: return "blob";
    case CONV_INTEGER: return "integer";
    case CONV_REAL: return "real";
    case CONV_TEXT: return "text";
    case CONV_TIMESTAMPTZ_UTC: return "timestamptz_utc";
    case CONV_EPOCH_AUTO: return "epoch_auto";
    }
    return "none";
}

void copy_value_read(db_stmt *s, int col, bool want_blob, strbuf *keep, copy_value *v)
{
    memset(v, 0, sizeof *v);
    if (s->c->d == DIALECT_SQLITE) {
        switch (sqlite3_column_type(s->st, col)) {
        case SQLITE_NULL: v->kind = COPY_NULL; return;
        case SQLITE_INTEGER:
            v->kind = COPY_INT;
            v->i = sqlite3_column_int64(s->st, col);
            return;
        case SQLITE_FLOAT:
            v->kind = COPY_REAL;
            v->d = sqlite3_column_double(s->st, col);
            return;
        case SQLITE_BLOB:
            v->kind = COPY_BLOB;
            v->s = sqlite3_column_blob(s->st, col);
            v->len = (size_t)sqlite3_column_bytes(s->st, col);
            if (!v->s)
                v->s = "";
            return;
        default:
            v->kind = COPY_TEXT;
            v->s = (const char *)sqlite3_column_text(s->st, col);
            v->len = (size_t)sqlite3_column_bytes(s->st, col);
            if (!v->s)
                v->s = "";
            return;
        }
    }
    if (db_column_is_null(s, col)) {
        v->kind = COPY_NULL;
        return;
    }
    if (want_blob) {
        v->kind = COPY_BLOB;
        v->s = db_column_blob(s, col, &v->len);
        if (keep) {  /* the driver's decode buffer is reused by the next column */
            strbuf_reset(keep);
            strbuf_add(keep, v->s ? v->s : "", v->len);
            v->s = strbuf_str(keep);
        } else if (!v->s)
            v->s = "";
        return;
    }
    v->kind = COPY_TEXT;
    v->s = db_column_text(s, col, &v->len);
}

/* ---- helpers ------------------------------------------------------------------ */

static void add_real(strbuf *sb, double d)
{
    if (isnan(d))
        strbuf_adds(sb, "NaN");
    else if (isinf(d))
        strbuf_adds(sb, d > 0 ? "Infinity" : "-Infinity");
    else
        strbuf_addf(sb, "%.17g", d);
}

/* int64 as decimal without printf (the hot path of integer columns) */
static void add_int(strbuf *sb, int64_t v)
{
    char buf[24];
    char *p = buf + sizeof buf;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    strbuf_add(sb, p, (size_t)(buf + sizeof buf - p));
}

static void add_hex(strbuf *sb, const char *s, size_t len)
{
    static const char hx[] = "0123456789abcdef";
    strbuf_adds(sb, "\\x");
    strbuf_grow(sb, len * 2);
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)s[i];
        strbuf_addch(sb, hx[b >> 4]);
        strbuf_addch(sb, hx[b & 15]);
    }
}

/* seconds (with fraction in micros) since the epoch -> 'YYYY-MM-DD HH:MM:SS[.ffffff]' UTC */
static void add_epoch(strbuf *sb, int64_t secs, int64_t micros)
{
    time_t t = (time_t)secs;
    struct tm tm;
    gmtime_r(&t, &tm);
    strbuf_addf(sb, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (micros) {
        if (micros % 1000 == 0)
            strbuf_addf(sb, ".%03" PRId64, micros / 1000);
        else
            strbuf_addf(sb, ".%06" PRId64, micros);
    }
}

static bool epoch_parts(const copy_value *v, bool ms, int64_t *secs, int64_t *micros)
{
    if (v->kind == COPY_INT) {
        int64_t x = v->i;
        if (ms) {
            *secs = x / 1000 - (x % 1000 < 0);
            *micros = (x - *secs * 1000) * 1000;
        } else {
            *secs = x;
            *micros = 0;
        }
        return true;
    }
    if (v->kind == COPY_REAL && isfinite(v->d)) {
        double s = ms ? v->d / 1000.0 : v->d;
        double f = floor(s);
        *secs = (int64_t)f;
        *micros = (int64_t)llround((s - f) * 1e6);
        if (*micros >= 1000000) {
            *secs += 1;
            *micros -= 1000000;
        }
        return true;
    }
    return false;
}

/* text spellings of booleans -> 1 / 0, -1 when not one */
static int bool_text(const char *s, size_t len)
{
    static const char *const yes[] = {"t", "true", "1", "y", "yes", "on"};
    static const char *const no[] = {"f", "false", "0", "n", "no", "off"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (strlen(yes[i]) == len && strncasecmp(s, yes[i], len) == 0)
            return 1;
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (strlen(no[i]) == len && strncasecmp(s, no[i], len) == 0)
            return 0;
    return -1;
}

/* ---- to PostgreSQL COPY text ------------------------------------------------- */

bool copy_value_pg_text(const copy_value *v, copy_conv conv, bool tz, strbuf *sb)
{
    strbuf_reset(sb);
    if (v->kind == COPY_NULL)
        return false;
    int64_t secs, micros;
    switch (conv) {
    case CONV_BOOL:
        if (v->kind == COPY_INT) {
            strbuf_adds(sb, v->i == 0 ? "f" : v->i == 1 ? "t" : "invalid-boolean");
            return true;
        }
        if (v->kind == COPY_REAL) {
            strbuf_adds(sb, v->d == 0 ? "f" : v->d == 1 ? "t" : "invalid-boolean");
            return true;
        }
        break;
    case CONV_EPOCH_S:
    case CONV_EPOCH_MS:
    case CONV_EPOCH_AUTO:
        if (conv == CONV_EPOCH_AUTO)
            conv = (v->kind == COPY_INT ? llabs(v->i) >= 100000000000LL : fabs(v->d) >= 1e11) ? CONV_EPOCH_MS
                                                                                                : CONV_EPOCH_S;
        if (epoch_parts(v, conv == CONV_EPOCH_MS, &secs, &micros)) {
            add_epoch(sb, secs, micros);
            if (tz)
                strbuf_adds(sb, "+00");
            return true;
        }
        break;
    case CONV_BLOB:
        if (v->kind == COPY_BLOB || v->kind == COPY_TEXT) {
            add_hex(sb, v->s, v->len);
            return true;
        }
        break;
    default:
        break;
    }
    switch (v->kind) {
    case COPY_INT: add_int(sb, v->i); break;
    case COPY_REAL:
        /* into a float column: hexadecimal (exact, and far cheaper than
         * 17 decimal digits; PostgreSQL's float8in reads it through strtod) */
        if (conv == CONV_REAL && isfinite(v->d))
            strbuf_addf(sb, "%a", v->d);
        else
            add_real(sb, v->d);
        break;
    case COPY_TEXT:
    case COPY_BLOB: strbuf_add(sb, v->s, v->len); break;
    case COPY_NULL: return false;
    }
    return true;
}

/* ---- to an SQLite binding ----------------------------------------------------- */

int copy_value_sqlite_bind(db_stmt *st, int i, const copy_value *v, copy_conv conv, strbuf *tmp)
{
    if (v->kind == COPY_NULL)
        return db_bind_null(st, i);
    if (v->kind == COPY_TEXT) {
        char *end;
        switch (conv) {
        case CONV_INTEGER: {
            strbuf_reset(tmp);
            strbuf_add(tmp, v->s, v->len);
            errno = 0;
            long long x = strtoll(tmp->buf, &end, 10);
            if (!errno && *end == '\0' && v->len)
                return db_bind_int64(st, i, x);
            break;  /* numeric beyond int8 etc.: kept as text */
        }
        case CONV_REAL: {
            strbuf_reset(tmp);
            strbuf_add(tmp, v->s, v->len);
            double d = strtod(tmp->buf, &end);
            if (*end == '\0' && v->len)
                return db_bind_double(st, i, d);
            break;
        }
        case CONV_BOOL: {
            int b = bool_text(v->s, v->len);
            if (b >= 0)
                return db_bind_int64(st, i, b);
            break;
        }
        default: break;
        }
        return db_bind_text(st, i, v->s, v->len);
    }
    if (v->kind == COPY_INT)
        return db_bind_int64(st, i, v->i);
    if (v->kind == COPY_REAL)
        return db_bind_double(st, i, v->d);
    return db_bind_blob(st, i, v->s, v->len);
}

int copy_value_key_text(const copy_value *v, arena *mem, const char **out)
{
    strbuf sb = STRBUF_INIT;
    if (v->kind == COPY_NULL) {
        *out = NULL;
        return -1;
    }
    copy_value_pg_text(v, CONV_NONE, false, &sb);
    *out = arena_strndup(mem, strbuf_str(&sb), sb.len);
    strbuf_release(&sb);
    return 0;
}

int copy_value_bind(db_stmt *st, int i, const copy_value *v)
{
    switch (v->kind) {
    case COPY_NULL: return db_bind_null(st, i);
    case COPY_INT: return db_bind_int64(st, i, v->i);
    case COPY_REAL: return db_bind_double(st, i, v->d);
    case COPY_TEXT: return db_bind_text(st, i, v->s, v->len);
    case COPY_BLOB: return db_bind_blob(st, i, v->s, v->len);
    }
    return -1;
}
