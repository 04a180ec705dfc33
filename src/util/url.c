/*
 * url.c — connection spec helpers.  Never trusts the input: every index is
 * bounds-checked (there is a libFuzzer target for this file).
 */
#include "util/url.h"

#include <ctype.h>
#include <string.h>

static bool has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

static bool has_prefix_ci(const char *s, const char *p)
{
    return strncasecmp(s, p, strlen(p)) == 0;
}

bool url_is_postgres(const char *spec)
{
    if (!spec)
        return false;
    if (has_prefix_ci(spec, "postgres://") || has_prefix_ci(spec, "postgresql://"))
        return true;
    /* libpq keyword/value: first token is word= */
    const char *p = spec;
    while (*p == ' ' || *p == '\t')
        p++;
    const char *w = p;
    while (isalnum((unsigned char)*p) || *p == '_')
        p++;
    if (p == w)
        return false;
    while (*p == ' ')
        p++;
    if (*p != '=')
        return false;
    static const char *const keys[] = {"host", "hostaddr", "port", "dbname", "user", "password",
                                       "service", "sslmode", "options", "application_name",
                                       "connect_timeout", "passfile", NULL};
    size_t len = 0;
    while (w + len < p && (isalnum((unsigned char)w[len]) || w[len] == '_'))
        len++;
    for (int i = 0; keys[i]; i++)
        if (strlen(keys[i]) == len && !strncmp(keys[i], w, len))
            return true;
    return false;
}

bool url_is_sqlite(const char *spec)
{
    return spec && (has_prefix_ci(spec, "sqlite:") || has_prefix_ci(spec, "sqlite3:") ||
                    has_prefix(spec, "file:"));
}

char *url_sqlite_path(arena *mem, const char *spec)
{
    if (!url_is_sqlite(spec))
        return NULL;
    const char *p = strchr(spec, ':') + 1;
    /* sqlite://relative, sqlite:///absolute, sqlite:path */
    if (p[0] == '/' && p[1] == '/')
        p += 2;
    size_t n = strcspn(p, "?");
    return arena_strndup(mem, p, n);
}

static char *mask_keyword_string(arena *mem, const char *spec)
{
    size_t len = strlen(spec);
    char *out = arena_alloc(mem, len + 8);
    size_t o = 0;
    const char *p = spec;
    while (*p) {
        /* copy whitespace */
        if (isspace((unsigned char)*p)) {
            out[o++] = *p++;
            continue;
        }
        const char *key = p;
        while (*p && *p != '=' && !isspace((unsigned char)*p))
            p++;
        size_t klen = (size_t)(p - key);
        memcpy(out + o, key, klen);
        o += klen;
        while (isspace((unsigned char)*p))
            out[o++] = *p++;
        if (*p != '=')
            continue;
        out[o++] = *p++;
        while (isspace((unsigned char)*p))
            out[o++] = *p++;
        bool secret = klen == 8 && !strncmp(key, "password", 8);
        const char *val = p;
        if (*p == '\'') {
            p++;
            while (*p && *p != '\'') {
                if (*p == '\\' && p[1])
                    p++;
                p++;
            }
            if (*p == '\'')
                p++;
        } else {
            while (*p && !isspace((unsigned char)*p))
                p++;
        }
        if (secret) {
            memcpy(out + o, "***", 3);
            o += 3;
        } else {
            memcpy(out + o, val, (size_t)(p - val));
            o += (size_t)(p - val);
        }
    }
    out[o] = '\0';
    return out;
}

char *url_mask(arena *mem, const char *spec)
{
    if (!spec)
        return NULL;
    const char *scheme_end = strstr(spec, "://");
    if (!scheme_end) {
        if (url_is_postgres(spec))
            return mask_keyword_string(mem, spec);
        return arena_strdup(mem, spec);
    }
    const char *auth = scheme_end + 3;
    size_t auth_len = strcspn(auth, "/?#");
    /* last '@' within the authority separates userinfo */
    const char *at = NULL;
    for (size_t i = 0; i < auth_len; i++)
        if (auth[i] == '@')
            at = auth + i;
    char *out;
    if (at) {
        const char *colon = memchr(auth, ':', (size_t)(at - auth));
        if (colon) {
            size_t head = (size_t)(colon + 1 - spec);
            out = arena_printf(mem, "%.*s***%s", (int)head, spec, at);
        } else {
            out = arena_strdup(mem, spec);
        }
    } else {
        out = arena_strdup(mem, spec);
    }
    /* password=... in the query string */
    char *q = strchr(out, '?');
    while (q) {
        char *pw = strstr(q, "password=");
        if (!pw)
            break;
        if (pw[-1] != '?' && pw[-1] != '&') {
            q = pw + 1;
            continue;
        }
        char *val = pw + 9;
        size_t vlen = strcspn(val, "&#");
        char *rebuilt = arena_printf(mem, "%.*s***%s", (int)(val - out), out, val + vlen);
        q = rebuilt + (val - out) + 3;
        out = rebuilt;
    }
    return out;
}
