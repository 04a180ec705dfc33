/*
 * verify_canon.c — the canonical text of one value for `dbsage verify`
 * (verify_copy.h): column kinds from declared types, and per kind one
 * spelling shared by SQLite and PostgreSQL (numbers, booleans, timestamps,
 * dates, JSON with sorted keys, blobs as hex).  Pure functions, no I/O;
 * the rules are documented in docs/verify.md.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "data/verify_copy.h"

/* ---- kinds ------------------------------------------------------------------ */

verify_kind verify_kind_of_type(const char *t)
{
    if (!t || !*t)
        return VK_TEXT;
    char low[64];
    size_t n = 0;
    for (; t[n] && n < sizeof low - 1; n++)
        low[n] = (char)tolower((unsigned char)t[n]);
    low[n] = 0;
    if (strstr(low, "json"))
        return VK_JSON;
    if (strstr(low, "timestamp") || strstr(low, "datetime"))
        return VK_TIMESTAMP;
    if (!strncmp(low, "date", 4))
        return VK_DATE;
    if (strstr(low, "bool"))
        return VK_BOOL;
    if (strstr(low, "bytea") || strstr(low, "blob") || strstr(low, "binary"))
        return VK_BLOB;
    if (strstr(low, "int") || strstr(low, "serial") || strstr(low, "real") || strstr(low, "floa") ||
        strstr(low, "doub") || strstr(low, "numeric") || strstr(low, "decimal"))
        return VK_NUMBER;
    return VK_TEXT;
}

static int kind_rank(verify_kind k)
{
    switch (k) {
    case VK_JSON: return 6;
    case VK_TIMESTAMP: return 5;
    case VK_DATE: return 4;
    case VK_BOOL: return 3;
    case VK_BLOB: return 2;
    case VK_NUMBER: return 1;
    case VK_TEXT: break;
    }
    return 0;
}

verify_kind verify_kind_merge(verify_kind a, verify_kind b)
{
    return kind_rank(a) >= kind_rank(b) ? a : b;
}

const char *verify_kind_name(verify_kind k)
{
    static const char *const names[] = {"text", "number", "bool", "timestamp", "date", "json", "blob"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

/* ---- fast integer text (printf is a large share of verify's CPU) ------------- */

static void add_int(strbuf *out, int64_t v)
{
    char buf[24];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        buf[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        buf[n++] = '-';
    strbuf_grow(out, (size_t)n);
    while (n)
        out->buf[out->len++] = buf[--n];
    out->buf[out->len] = 0;
}

/* v zero-padded to `width` digits (v >= 0) */
static void add_padded(strbuf *out, int64_t v, int width)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v && n < 20);
    while (n < width)
        buf[n++] = '0';
    strbuf_grow(out, (size_t)n);
    while (n)
        out->buf[out->len++] = buf[--n];
    out->buf[out->len] = 0;
}

/* ---- numbers ------------------------------------------------------------------ */

/* A decimal literal ([+-]digits[.digits][e[+-]digits]) -> its plain spelling:
 * no leading/trailing zeros, no exponent (unless it is huge), "-0" -> "0".
 * false when s is not such a literal. */
static bool canon_decimal(const char *s, size_t len, strbuf *out)
{
    size_t i = 0;
    while (i < len && isspace((unsigned char)s[i]))
        i++;
    while (len > i && isspace((unsigned char)s[len - 1]))
        len--;
    bool neg = false;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    char digits[512];
    size_t nd = 0, nint = 0, ndig = 0;
    bool dot = false;
    for (; i < len; i++) {
        char c = s[i];
        if (isdigit((unsigned char)c)) {
            ndig++;
            if (nd == 0 && c == '0' && !dot)
                continue;          /* leading zero of the integer part */
            if (nd >= sizeof digits)
                return false;
            digits[nd++] = c;
            if (!dot)
                nint++;
        } else if (c == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    if (!ndig)
        return false;
    long exp = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        if (i >= len || !isdigit((unsigned char)s[i]))
            return false;
        for (; i < len && isdigit((unsigned char)s[i]); i++)
            if (exp < 100000)
                exp = exp * 10 + (s[i] - '0');
        if (eneg)
            exp = -exp;
    }
    if (i != len)
        return false;
    long point = (long)nint + exp;     /* digits[0..point) is the integer part */
    size_t lead = 0;
    while (lead < nd && digits[lead] == '0')
        lead++;
    point -= (long)lead;
    memmove(digits, digits + lead, nd - lead);
    nd -= lead;
    while (nd > 0 && digits[nd - 1] == '0')
        nd--;
    if (nd == 0) {
        strbuf_addch(out, '0');
        return true;
    }
    if (neg)
        strbuf_addch(out, '-');
    if (point > 400 || point < -400) {      /* absurd exponents: keep scientific */
        strbuf_addch(out, digits[0]);
        if (nd > 1) {
            strbuf_addch(out, '.');
            strbuf_add(out, digits + 1, nd - 1);
        }
        strbuf_addf(out, "e%ld", point - 1);
    } else if (point <= 0) {
        strbuf_adds(out, "0.");
        for (long z = point; z < 0; z++)
            strbuf_addch(out, '0');
        strbuf_add(out, digits, nd);
    } else if ((size_t)point >= nd) {
        strbuf_add(out, digits, nd);
        for (size_t z = nd; z < (size_t)point; z++)
            strbuf_addch(out, '0');
    } else {
        strbuf_add(out, digits, (size_t)point);
        strbuf_addch(out, '.');
        strbuf_add(out, digits + point, nd - (size_t)point);
    }
    return true;
}

static void canon_double(double d, strbuf *out)
{
    if (isnan(d)) {
        strbuf_adds(out, "NaN");
        return;
    }
    if (isinf(d)) {
        strbuf_adds(out, d < 0 ? "-Infinity" : "Infinity");
        return;
    }
    /* the shortest spelling that reads back the same: when some p <= 15 digits
     * round-trip, %.15g prints exactly those digits (%g drops trailing zeros),
     * so only 15, 16 and 17 need trying */
    char buf[40];
    for (int p = 15; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*g", p, d);
        if (p == 17 || strtod(buf, NULL) == d)
            break;
    }
    canon_decimal(buf, strlen(buf), out);
}

/* NaN / Infinity spellings of both engines; false when s is none */
static bool canon_special(const char *s, size_t len, strbuf *out)
{
    const char *p = s;
    size_t n = len;
    bool neg = false;
    if (n && (*p == '+' || *p == '-')) {
        neg = *p == '-';
        p++;
        n--;
    }
    if ((n == 3 && !strncasecmp(p, "nan", 3))) {
        strbuf_adds(out, "NaN");
        return true;
    }
    if ((n == 3 && !strncasecmp(p, "inf", 3)) || (n == 8 && !strncasecmp(p, "infinity", 8))) {
        strbuf_adds(out, neg ? "-Infinity" : "Infinity");
        return true;
    }
    return false;
}

static void canon_raw(const char *text, size_t len, strbuf *out)
{
    strbuf_addch(out, '?');
    strbuf_add(out, text, len);
}

static void canon_number(verify_storage st, int64_t iv, double dv, const char *text, size_t len, strbuf *out)
{
    if (st == VS_INT)
        add_int(out, iv);
    else if (st == VS_REAL)
        canon_double(dv, out);
    else if (!canon_special(text, len, out) && !canon_decimal(text, len, out))
        canon_raw(text, len, out);
}

/* ---- booleans ------------------------------------------------------------------- */

static void canon_bool(verify_storage st, int64_t iv, double dv, const char *text, size_t len, strbuf *out)
{
    int v = -1;
    if (st == VS_INT)
        v = iv == 0 ? 0 : iv == 1 ? 1 : -1;
    else if (st == VS_REAL)
        v = dv == 0.0 ? 0 : dv == 1.0 ? 1 : -1;
    else {
        static const char *const yes[] = {"t", "true", "1", "y", "yes", "on"};
        static const char *const no[] = {"f", "false", "0", "n", "no", "off"};
        for (size_t i = 0; i < sizeof yes / sizeof yes[0] && v < 0; i++) {
            if (strlen(yes[i]) == len && !strncasecmp(text, yes[i], len))
                v = 1;
            if (strlen(no[i]) == len && !strncasecmp(text, no[i], len))
                v = 0;
        }
    }
    if (v < 0) {
        if (st == VS_INT || st == VS_REAL)
            canon_number(st, iv, dv, text, len, out);
        else
            canon_raw(text, len, out);
        return;
    }
    strbuf_adds(out, v ? "true" : "false");
}

/* ---- timestamps ------------------------------------------------------------------ */

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool digits_at(const char *s, size_t len, size_t i, int n, int *v)
{
    if (i + (size_t)n > len)
        return false;
    int x = 0;
    for (int k = 0; k < n; k++) {
        if (!isdigit((unsigned char)s[i + k]))
            return false;
        x = x * 10 + (s[i + k] - '0');
    }
    *v = x;
    return true;
}

/* "YYYY-MM-DD[( |T)HH:MM[:SS[.f+]]][ ][Z|UTC|(+|-)HH[[:]MM]]" -> microseconds since the epoch (UTC) */
static bool parse_timestamp(const char *s, size_t len, int64_t *us)
{
    int y, mo, d, h = 0, mi = 0, sec = 0;
    size_t i = 0;
    if (!digits_at(s, len, 0, 4, &y) || len < 10 || s[4] != '-' || !digits_at(s, len, 5, 2, &mo) ||
        s[7] != '-' || !digits_at(s, len, 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
        return false;
    i = 10;
    int64_t frac = 0;
    if (i < len && (s[i] == ' ' || s[i] == 'T') && i + 1 < len && isdigit((unsigned char)s[i + 1])) {
        if (!digits_at(s, len, i + 1, 2, &h) || i + 3 >= len || s[i + 3] != ':' ||
            !digits_at(s, len, i + 4, 2, &mi))
            return false;
        i += 6;
        if (i < len && s[i] == ':') {
            if (!digits_at(s, len, i + 1, 2, &sec))
                return false;
            i += 3;
            if (i < len && s[i] == '.') {
                i++;
                int nf = 0;
                bool round_up = false;
                for (; i < len && isdigit((unsigned char)s[i]); i++, nf++) {
                    if (nf < 6)
                        frac = frac * 10 + (s[i] - '0');
                    else if (nf == 6)
                        round_up = s[i] >= '5';
                }
                for (int k = nf; k < 6; k++)
                    frac *= 10;
                frac += round_up;
            }
        }
        if (h > 24 || mi > 59 || sec > 60)
            return false;
    }
    int64_t off = 0;   /* seconds east of UTC */
    while (i < len && s[i] == ' ')
        i++;
    if (i < len) {
        if ((len - i == 1 && s[i] == 'Z') || (len - i == 3 && !strncmp(s + i, "UTC", 3))) {
            i = len;
        } else if (s[i] == '+' || s[i] == '-') {
            int sign = s[i] == '-' ? -1 : 1, oh, om = 0, os = 0;
            if (!digits_at(s, len, i + 1, 2, &oh))
                return false;
            i += 3;
            if (i < len && s[i] == ':')
                i++;
            if (i < len && digits_at(s, len, i, 2, &om))
                i += 2;
            if (i < len && s[i] == ':' && digits_at(s, len, i + 1, 2, &os))
                i += 3;
            off = sign * (oh * 3600 + om * 60 + os);
        }
        if (i != len)
            return false;
    }
    int64_t days = days_from_civil(y, mo, d);
    *us = ((days * 86400 + h * 3600 + mi * 60 + sec) - off) * 1000000 + frac;
    return true;
}

/* a number stored for a date: seconds, or milliseconds when |v| >= 1e11 (after 5138 AD in seconds) */
static bool epoch_to_us(verify_storage st, int64_t iv, double dv, const char *text, size_t len, int64_t *us)
{
    if (st == VS_TEXT) {
        char tmp[64];
        if (len == 0 || len >= sizeof tmp)
            return false;
        memcpy(tmp, text, len);
        tmp[len] = 0;
        char *end;
        dv = strtod(tmp, &end);
        if (*end || !isfinite(dv))
            return false;
        st = VS_REAL;
    }
    if (st == VS_INT) {
        if (iv > INT64_MAX / 1000000 || iv < INT64_MIN / 1000000)
            *us = iv * 1000;            /* only reachable as milliseconds */
        else
            *us = (iv >= 100000000000LL || iv <= -100000000000LL) ? iv * 1000 : iv * 1000000;
        return true;
    }
    if (st != VS_REAL || !isfinite(dv) || fabs(dv) > 9e15)
        return false;
    *us = (int64_t)llround(fabs(dv) >= 1e11 ? dv * 1000.0 : dv * 1000000.0);
    return true;
}

static void canon_time(bool date_only, verify_storage st, int64_t iv, double dv, const char *text, size_t len,
                       strbuf *out)
{
    int64_t us;
    if (st == VS_TEXT && len > 0 && len <= 9 && (!strncasecmp(text, "infinity", len) ||
                                                 !strncasecmp(text, "-infinity", len))) {
        strbuf_add(out, text, len);   /* PG's infinity / -infinity */
        return;
    }
    bool ok = (st == VS_TEXT && parse_timestamp(text, len, &us)) || epoch_to_us(st, iv, dv, text, len, &us);
    if (!ok) {
        if (st == VS_INT || st == VS_REAL)
            canon_number(st, iv, dv, text, len, out);
        else
            canon_raw(text, len, out);
        return;
    }
    int64_t secs = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
    int64_t micro = us - secs * 1000000;
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t sod = secs - days * 86400;
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {   /* outside ISO's four digits: printf handles the sign */
        strbuf_addf(out, "%04lld-%02d-%02d", (long long)y, m, d);
    } else {
        add_padded(out, y, 4);
        strbuf_addch(out, '-');
        add_padded(out, m, 2);
        strbuf_addch(out, '-');
        add_padded(out, d, 2);
    }
    if (!date_only) {
        strbuf_addch(out, 'T');
        add_padded(out, sod / 3600, 2);
        strbuf_addch(out, ':');
        add_padded(out, sod / 60 % 60, 2);
        strbuf_addch(out, ':');
        add_padded(out, sod % 60, 2);
        strbuf_addch(out, '.');
        add_padded(out, micro, 6);
        strbuf_addch(out, 'Z');
    }
}

/* ---- JSON ------------------------------------------------------------------------- */

typedef struct jin {
    const char *p, *end;
    int depth;
} jin;

static void jws(jin *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

static void utf8_put(strbuf *out, unsigned cp)
{
    if (cp < 0x80) {
        strbuf_addch(out, (char)cp);
    } else if (cp < 0x800) {
        strbuf_addch(out, (char)(0xC0 | (cp >> 6)));
        strbuf_addch(out, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        strbuf_addch(out, (char)(0xE0 | (cp >> 12)));
        strbuf_addch(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
        strbuf_addch(out, (char)(0x80 | (cp & 0x3F)));
    } else {
        strbuf_addch(out, (char)(0xF0 | (cp >> 18)));
        strbuf_addch(out, (char)(0x80 | ((cp >> 12) & 0x3F)));
        strbuf_addch(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
        strbuf_addch(out, (char)(0x80 | (cp & 0x3F)));
    }
}

static bool hex4(jin *j, unsigned *v)
{
    if (j->end - j->p < 4)
        return false;
    unsigned x = 0;
    for (int k = 0; k < 4; k++) {
        char c = j->p[k];
        x <<= 4;
        if (c >= '0' && c <= '9')
            x |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            x |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            x |= (unsigned)(c - 'A' + 10);
        else
            return false;
    }
    j->p += 4;
    *v = x;
    return true;
}

/* a JSON string (at the opening quote) -> its decoded UTF-8 bytes */
static bool jstring_decode(jin *j, strbuf *raw)
{
    j->p++;
    while (j->p < j->end && *j->p != '"') {
        char c = *j->p++;
        if ((unsigned char)c < 0x20)
            return false;
        if (c != '\\') {
            strbuf_addch(raw, c);
            continue;
        }
        if (j->p >= j->end)
            return false;
        c = *j->p++;
        switch (c) {
        case '"': case '\\': case '/': strbuf_addch(raw, c); break;
        case 'b': strbuf_addch(raw, '\b'); break;
        case 'f': strbuf_addch(raw, '\f'); break;
        case 'n': strbuf_addch(raw, '\n'); break;
        case 'r': strbuf_addch(raw, '\r'); break;
        case 't': strbuf_addch(raw, '\t'); break;
        case 'u': {
            unsigned cp, lo;
            if (!hex4(j, &cp))
                return false;
            if (cp >= 0xD800 && cp < 0xDC00 && j->end - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u') {
                j->p += 2;
                if (!hex4(j, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                    return false;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            utf8_put(raw, cp);
            break;
        }
        default: return false;
        }
    }
    if (j->p >= j->end)
        return false;
    j->p++;
    return true;
}

static void jstring_emit(strbuf *out, const char *s, size_t n)
{
    strbuf_addch(out, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            strbuf_addch(out, '\\');
            strbuf_addch(out, (char)c);
        } else if (c < 0x20) {
            strbuf_addf(out, "\\u%04x", c);
        } else {
            strbuf_addch(out, (char)c);
        }
    }
    strbuf_addch(out, '"');
}

typedef struct jmember {
    strbuf key, val;
    size_t order;
} jmember;

static int jmember_cmp(const void *a, const void *b)
{
    const jmember *x = a, *y = b;
    size_t n = x->key.len < y->key.len ? x->key.len : y->key.len;
    int c = n ? memcmp(x->key.buf, y->key.buf, n) : 0;
    if (c)
        return c;
    if (x->key.len != y->key.len)
        return x->key.len < y->key.len ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static bool jvalue(jin *j, strbuf *out);

static bool jobject(jin *j, strbuf *out)
{
    j->p++;
    jmember *m = NULL;
    size_t n = 0, cap = 0;
    bool ok = false;
    jws(j);
    if (j->p < j->end && *j->p == '}') {
        j->p++;
        strbuf_adds(out, "{}");
        return true;
    }
    for (;;) {
        jws(j);
        if (j->p >= j->end || *j->p != '"')
            goto done;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            m = realloc(m, cap * sizeof *m);
            if (!m)
                return false;
        }
        strbuf_init(&m[n].key);
        strbuf_init(&m[n].val);
        m[n].order = n;
        n++;
        if (!jstring_decode(j, &m[n - 1].key))
            goto done;
        jws(j);
        if (j->p >= j->end || *j->p != ':')
            goto done;
        j->p++;
        if (!jvalue(j, &m[n - 1].val))
            goto done;
        jws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == '}') {
            j->p++;
            break;
        }
        goto done;
    }
    qsort(m, n, sizeof *m, jmember_cmp);
    strbuf_addch(out, '{');
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        /* duplicate keys: the last one wins (as jsonb) */
        if (i + 1 < n && m[i].key.len == m[i + 1].key.len &&
            (!m[i].key.len || !memcmp(m[i].key.buf, m[i + 1].key.buf, m[i].key.len)))
            continue;
        if (!first)
            strbuf_addch(out, ',');
        first = false;
        jstring_emit(out, m[i].key.buf, m[i].key.len);
        strbuf_addch(out, ':');
        strbuf_add(out, m[i].val.buf, m[i].val.len);
    }
    strbuf_addch(out, '}');
    ok = true;
done:
    for (size_t i = 0; i < n; i++) {
        strbuf_release(&m[i].key);
        strbuf_release(&m[i].val);
    }
    free(m);
    return ok;
}

static bool jvalue(jin *j, strbuf *out)
{
    jws(j);
    if (j->p >= j->end || ++j->depth > 256)
        return false;
    bool ok = false;
    char c = *j->p;
    if (c == '{') {
        ok = jobject(j, out);
    } else if (c == '[') {
        j->p++;
        strbuf_addch(out, '[');
        jws(j);
        if (j->p < j->end && *j->p == ']') {
            j->p++;
            ok = true;
        } else {
            for (bool first = true;; first = false) {
                if (!first)
                    strbuf_addch(out, ',');
                if (!jvalue(j, out))
                    break;
                jws(j);
                if (j->p < j->end && *j->p == ',') {
                    j->p++;
                    continue;
                }
                ok = j->p < j->end && *j->p == ']';
                j->p += ok;
                break;
            }
        }
        strbuf_addch(out, ']');
    } else if (c == '"') {
        strbuf raw = STRBUF_INIT;
        ok = jstring_decode(j, &raw);
        if (ok)
            jstring_emit(out, raw.buf ? raw.buf : "", raw.len);
        strbuf_release(&raw);
    } else if (c == '-' || isdigit((unsigned char)c)) {
        const char *s = j->p;
        while (j->p < j->end && (isdigit((unsigned char)*j->p) || strchr("+-.eE", *j->p)))
            j->p++;
        ok = canon_decimal(s, (size_t)(j->p - s), out);
    } else {
        static const char *const lits[] = {"true", "false", "null"};
        for (size_t i = 0; i < 3 && !ok; i++) {
            size_t n = strlen(lits[i]);
            if ((size_t)(j->end - j->p) >= n && !memcmp(j->p, lits[i], n)) {
                strbuf_adds(out, lits[i]);
                j->p += n;
                ok = true;
            }
        }
    }
    j->depth--;
    return ok;
}

static void canon_json(const char *text, size_t len, strbuf *out)
{
    size_t start = out->len;
    jin j = {text, text + len, 0};
    bool ok = jvalue(&j, out);
    jws(&j);
    if (!ok || j.p != j.end) {
        strbuf_setlen(out, start);
        canon_raw(text, len, out);
    }
}

/* ---- blobs ---------------------------------------------------------------------- */

static void canon_hex(const char *bytes, size_t len, strbuf *out)
{
    static const char hx[] = "0123456789abcdef";
    strbuf_grow(out, len * 2);
    for (size_t i = 0; i < len; i++) {
        out->buf[out->len++] = hx[(unsigned char)bytes[i] >> 4];
        out->buf[out->len++] = hx[(unsigned char)bytes[i] & 15];
    }
    out->buf[out->len] = 0;
}

/* ---- entry point ------------------------------------------------------------------ */

void verify_canon_value(verify_kind k, verify_storage st, int64_t iv, double dv, const char *text, size_t len,
                        strbuf *out)
{
    if (!text)
        text = "";
    if (st == VS_BLOB && k != VK_BLOB) {   /* bytes where text was expected */
        strbuf_addch(out, 'x');
        canon_hex(text, len, out);
        return;
    }
    switch (k) {
    case VK_NUMBER: canon_number(st, iv, dv, text, len, out); return;
    case VK_BOOL: canon_bool(st, iv, dv, text, len, out); return;
    case VK_TIMESTAMP: canon_time(false, st, iv, dv, text, len, out); return;
    case VK_DATE: canon_time(true, st, iv, dv, text, len, out); return;
    case VK_JSON:
        if (st == VS_INT || st == VS_REAL)
            canon_number(st, iv, dv, text, len, out);
        else
            canon_json(text, len, out);
        return;
    case VK_BLOB:
        if (st == VS_INT || st == VS_REAL) {   /* SQLite: a number in a blob column is stored as its text */
            strbuf tmp = STRBUF_INIT;
            if (st == VS_INT)
                strbuf_addf(&tmp, "%lld", (long long)iv);
            else
                strbuf_addf(&tmp, "%.17g", dv);
            canon_hex(tmp.buf, tmp.len, out);
            strbuf_release(&tmp);
        } else {
            canon_hex(text, len, out);
        }
        return;
    case VK_TEXT:
        if (st == VS_INT || st == VS_REAL)
            canon_number(st, iv, dv, text, len, out);
        else
            strbuf_add(out, text, len);
        return;
    }
}
