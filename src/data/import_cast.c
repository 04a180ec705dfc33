/*
 * import_cast.c — owns: the column casts of the import engine (spec
 * `type:`): integer, real, boolean, timestamp (ISO-8601 or epoch seconds /
 * milliseconds -> ISO-8601 UTC), date, json, blob (base64), text.  Pure C,
 * no database: a value that cannot be cast gives the reason.
 */
#include "data/import_int.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/strbuf.h"

static const char *fail(arena *mem, const char *text, const char *what)
{
    size_t n = strlen(text);
    if (n > 60)
        return arena_printf(mem, "cannot read '%.60s...' as %s", text, what);
    return arena_printf(mem, "cannot read '%s' as %s", text, what);
}

static bool all_digits(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static bool valid_date(int y, int m, int d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

static char *put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

/* YYYY-MM-DDTHH:MM:SS<frac>Z without printf (a hot path: one per value) */
static const char *iso_utc(arena *mem, const struct tm *tm, const char *frac)
{
    int y = tm->tm_year + 1900;
    if (y < 0 || y > 9999)
        return NULL;
    size_t fl = strlen(frac);
    char *out = arena_alloc(mem, 21 + fl + 1);
    char *p = put2(out, y / 100);
    p = put2(p, y % 100);
    *p++ = '-';
    p = put2(p, tm->tm_mon + 1);
    *p++ = '-';
    p = put2(p, tm->tm_mday);
    *p++ = 'T';
    p = put2(p, tm->tm_hour);
    *p++ = ':';
    p = put2(p, tm->tm_min);
    *p++ = ':';
    p = put2(p, tm->tm_sec);
    memcpy(p, frac, fl);
    p += fl;
    *p++ = 'Z';
    *p = 0;
    return out;
}

/* epoch seconds (or milliseconds when |v| >= 1e11) -> ISO-8601 UTC */
static const char *epoch_iso(arena *mem, long long v)
{
    long long ms = -1;
    if (v >= 100000000000LL || v <= -100000000000LL) {
        ms = ((v % 1000) + 1000) % 1000;
        v = (v - ms) / 1000;
    }
    time_t t = (time_t)v;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return NULL;
    char frac[5] = "";
    if (ms >= 0) {
        frac[0] = '.';
        frac[1] = (char)('0' + ms / 100);
        frac[2] = (char)('0' + ms / 10 % 10);
        frac[3] = (char)('0' + ms % 10);
        frac[4] = 0;
    }
    return iso_utc(mem, &tm, frac);
}

/* YYYY-MM-DD[(T| )HH:MM[:SS[.frac]]][Z|(+|-)HH[:]MM] -> UTC ISO-8601 */
static const char *iso_timestamp(arena *mem, const char *s)
{
    size_t n = strlen(s);
    if (n < 10 || !all_digits(s, 4) || s[4] != '-' || !all_digits(s + 5, 2) || s[7] != '-' || !all_digits(s + 8, 2))
        return NULL;
    int y = num(s, 4), mo = num(s + 5, 2), d = num(s + 8, 2);
    if (!valid_date(y, mo, d))
        return NULL;
    int h = 0, mi = 0, sec = 0, off = 0;
    char frac[10] = "";
    const char *p = s + 10;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (!all_digits(p, 2) || p[2] != ':' || !all_digits(p + 3, 2))
            return NULL;
        h = num(p, 2);
        mi = num(p + 3, 2);
        p += 5;
        if (*p == ':') {
            if (!all_digits(p + 1, 2))
                return NULL;
            sec = num(p + 1, 2);
            p += 3;
            if (*p == '.' || *p == ',') {
                p++;
                size_t k = 0;
                while (isdigit((unsigned char)p[k]))
                    k++;
                if (!k)
                    return NULL;
                size_t keep = k > 9 ? 9 : k;
                frac[0] = '.';
                memcpy(frac + 1, p, keep);
                frac[keep + 1] = 0;
                p += k;
            }
        }
        if (h > 23 || mi > 59 || sec > 60)
            return NULL;
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p == '-' ? -1 : 1;
            p++;
            if (!all_digits(p, 2))
                return NULL;
            int oh = num(p, 2), om = 0;
            p += 2;
            if (*p == ':')
                p++;
            if (all_digits(p, 2)) {
                om = num(p, 2);
                p += 2;
            }
            off = sign * (oh * 60 + om);
        }
    }
    if (*p)
        return NULL;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = sec};
    time_t t = timegm(&tm) - (time_t)off * 60;
    struct tm u;
    if (!gmtime_r(&t, &u))
        return NULL;
    return iso_utc(mem, &u, frac);
}

static int b64(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

static bool base64_decode(arena *mem, const char *s, const char **out, size_t *len)
{
    size_t n = strlen(s);
    unsigned char *buf = arena_alloc(mem, n / 4 * 3 + 4);
    size_t o = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '=' ) {
            for (size_t j = i; j < n; j++)
                if (s[j] != '=' && !isspace((unsigned char)s[j]))
                    return false;
            break;
        }
        if (isspace(c))
            continue;
        int v = b64(c);
        if (v < 0)
            return false;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[o++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    *out = (const char *)buf;
    *len = o;
    return true;
}

static bool json_number(const char *s)
{
    if (!*s)
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    (void)v;
    return !*end && !isspace((unsigned char)*s) && strncasecmp(s, "nan", 3) && strncasecmp(s, "inf", 3) &&
           strncasecmp(s + (*s == '-' || *s == '+'), "inf", 3) && *s != '+' && *s != '.';
}

const char *import_cast(spec_type t, dialect d, const char *text, bool is_json, arena *mem, import_value *out)
{
    memset(out, 0, sizeof *out);
    out->kind = IV_TEXT;
    out->s = text;
    out->len = strlen(text);
    if (is_json && t != SPEC_TEXT && t != SPEC_JSON)
        return arena_printf(mem, "cannot read a %s as %s", text[0] == '[' ? "sequence" : "mapping",
                            spec_type_name(t));
    switch (t) {
    case SPEC_TEXT:
        return NULL;
    case SPEC_INTEGER: {
        char *end;
        errno = 0;
        long long v = strtoll(text, &end, 10);
        if (*end == '.') { /* 12.0 is 12 */
            char *e2;
            double dv = strtod(text, &e2);
            if (!*e2 && dv == floor(dv) && fabs(dv) < 9e15) {
                out->kind = IV_INT;
                out->i = (int64_t)dv;
                return NULL;
            }
        }
        if (!*text || isspace((unsigned char)*text) || *end || errno == ERANGE)
            return fail(mem, text, "integer");
        out->kind = IV_INT;
        out->i = v;
        return NULL;
    }
    case SPEC_REAL: {
        char *end;
        errno = 0;
        double v = strtod(text, &end);
        if (!*text || isspace((unsigned char)*text) || *end || errno == ERANGE || !isfinite(v))
            return fail(mem, text, "real");
        out->kind = IV_REAL;
        out->d = v;
        return NULL;
    }
    case SPEC_BOOLEAN: {
        int b = -1;
        if (!strcasecmp(text, "true") || !strcasecmp(text, "yes") || !strcasecmp(text, "on") || !strcmp(text, "1") ||
            !strcasecmp(text, "t") || !strcasecmp(text, "y"))
            b = 1;
        else if (!strcasecmp(text, "false") || !strcasecmp(text, "no") || !strcasecmp(text, "off") ||
                 !strcmp(text, "0") || !strcasecmp(text, "f") || !strcasecmp(text, "n"))
            b = 0;
        if (b < 0)
            return fail(mem, text, "boolean");
        if (d == DIALECT_PG) {
            out->s = b ? "true" : "false";
            out->len = strlen(out->s);
        } else {
            out->kind = IV_INT;
            out->i = b;
        }
        return NULL;
    }
    case SPEC_TIMESTAMP: {
        const char *iso = NULL;
        const char *digits = text + (*text == '-');
        if (all_digits(digits, strlen(digits)) && strlen(digits) <= 16) {
            iso = epoch_iso(mem, strtoll(text, NULL, 10));
        } else if (strchr(text, '.') && !strchr(text, '-') && !strchr(text, ':')) {
            char *end;
            double v = strtod(text, &end);
            if (!*end && isfinite(v) && fabs(v) < 1e11) { /* epoch seconds with a fraction */
                long long whole = (long long)floor(v);
                long long ms = llround((v - (double)whole) * 1000.0);
                iso = epoch_iso(mem, whole * 1000 + ms);
            }
        } else {
            iso = iso_timestamp(mem, text);
        }
        if (!iso)
            return fail(mem, text, "timestamp");
        out->s = iso;
        out->len = strlen(iso);
        return NULL;
    }
    case SPEC_DATE: {
        size_t n = strlen(text);
        if (n != 10 || !all_digits(text, 4) || text[4] != '-' || !all_digits(text + 5, 2) || text[7] != '-' ||
            !all_digits(text + 8, 2) || !valid_date(num(text, 4), num(text + 5, 2), num(text + 8, 2)))
            return fail(mem, text, "date");
        return NULL;
    }
    case SPEC_JSON: {
        if (is_json || json_number(text) || !strcmp(text, "true") || !strcmp(text, "false"))
            return NULL;
        strbuf sb = STRBUF_INIT;
        strbuf_add_json_string(&sb, text);
        out->s = arena_strndup(mem, sb.buf, sb.len);
        out->len = sb.len;
        strbuf_release(&sb);
        return NULL;
    }
    case SPEC_BLOB: {
        if (!base64_decode(mem, text, &out->s, &out->len))
            return fail(mem, text, "base64 blob");
        out->kind = IV_BLOB;
        return NULL;
    }
    }
    return NULL;
}
