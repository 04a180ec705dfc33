/*
 * strbuf.c — growable strings.
 */
#include "util/strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char strbuf_empty[1];

void strbuf_init(strbuf *sb)
{
    sb->buf = NULL;
    sb->len = 0;
    sb->cap = 0;
}

void strbuf_release(strbuf *sb)
{
    free(sb->buf);
    strbuf_init(sb);
}

void strbuf_reset(strbuf *sb)
{
    sb->len = 0;
    if (sb->buf)
        sb->buf[0] = '\0';
}

void strbuf_grow(strbuf *sb, size_t extra)
{
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(sb->buf, cap);
    if (!p) {
        fputs("dbsage: out of memory\n", stderr);
        abort();
    }
    sb->buf = p;
    sb->cap = cap;
}

void strbuf_add(strbuf *sb, const void *data, size_t len)
{
    strbuf_grow(sb, len);
    if (len)
        memcpy(sb->buf + sb->len, data, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
}

void strbuf_adds(strbuf *sb, const char *s)
{
    if (s)
        strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(strbuf *sb, char c)
{
    strbuf_grow(sb, 1);
    sb->buf[sb->len++] = c;
    sb->buf[sb->len] = '\0';
}

void strbuf_vaddf(strbuf *sb, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n <= 0)
        return;
    strbuf_grow(sb, (size_t)n);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void strbuf_addf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(sb, fmt, ap);
    va_end(ap);
}

void strbuf_setlen(strbuf *sb, size_t len)
{
    if (len > sb->len)
        len = sb->len;
    sb->len = len;
    if (sb->buf)
        sb->buf[len] = '\0';
}

const char *strbuf_str(const strbuf *sb)
{
    return sb->buf ? sb->buf : strbuf_empty;
}

char *strbuf_detach(strbuf *sb)
{
    char *p = sb->buf;
    if (!p) {
        p = malloc(1);
        if (!p)
            abort();
        p[0] = '\0';
    }
    strbuf_init(sb);
    return p;
}

void strbuf_rtrim(strbuf *sb)
{
    while (sb->len > 0 && (sb->buf[sb->len - 1] == ' ' || sb->buf[sb->len - 1] == '\n' ||
                           sb->buf[sb->len - 1] == '\t' || sb->buf[sb->len - 1] == '\r'))
        sb->len--;
    if (sb->buf)
        sb->buf[sb->len] = '\0';
}

void strbuf_add_json_string(strbuf *sb, const char *s)
{
    if (!s) {
        strbuf_adds(sb, "null");
        return;
    }
    strbuf_addch(sb, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': strbuf_adds(sb, "\\\""); break;
        case '\\': strbuf_adds(sb, "\\\\"); break;
        case '\n': strbuf_adds(sb, "\\n"); break;
        case '\r': strbuf_adds(sb, "\\r"); break;
        case '\t': strbuf_adds(sb, "\\t"); break;
        case '\b': strbuf_adds(sb, "\\b"); break;
        case '\f': strbuf_adds(sb, "\\f"); break;
        default:
            if (*p < 0x20)
                strbuf_addf(sb, "\\u%04x", *p);
            else
                strbuf_addch(sb, (char)*p);
        }
    }
    strbuf_addch(sb, '"');
}

int strbuf_read_file(strbuf *sb, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        strbuf_add(sb, tmp, n);
    int err = ferror(f);
    fclose(f);
    if (err) {
        errno = EIO;
        return -1;
    }
    if (!sb->buf)
        strbuf_grow(sb, 0), sb->buf[0] = '\0';
    return 0;
}
