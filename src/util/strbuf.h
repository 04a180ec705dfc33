/*
 * strbuf.h — growable string buffer (git's strbuf).  Always NUL-terminated.
 * Heap-backed (not arena) so that long outputs can be released early.
 */
#ifndef DBSAGE_STRBUF_H
#define DBSAGE_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct strbuf {
    char *buf;
    size_t len;
    size_t cap;
} strbuf;

#define STRBUF_INIT {NULL, 0, 0}

void strbuf_init(strbuf *sb);
void strbuf_release(strbuf *sb);
void strbuf_reset(strbuf *sb);
void strbuf_grow(strbuf *sb, size_t extra);
void strbuf_add(strbuf *sb, const void *data, size_t len);
void strbuf_adds(strbuf *sb, const char *s);
void strbuf_addch(strbuf *sb, char c);
void strbuf_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(strbuf *sb, const char *fmt, va_list ap);
void strbuf_setlen(strbuf *sb, size_t len);
const char *strbuf_str(const strbuf *sb);  /* "" when empty */
char *strbuf_detach(strbuf *sb);           /* caller frees */
void strbuf_rtrim(strbuf *sb);
/* JSON string literal with quotes and escapes; NULL writes null */
void strbuf_add_json_string(strbuf *sb, const char *s);
/* Read a whole file; returns 0 or -1 with errno set. */
int strbuf_read_file(strbuf *sb, const char *path);

#endif
