/*
 * normalize_sqlite.c — canonical SQLite spellings for comparison: declared
 * types (upper case, single spaces, none around parentheses and commas) and
 * expression text (whitespace collapsed outside literals and quoted
 * identifiers, SQL keywords upper-cased, redundant outer parentheses
 * removed).  Text only; SQLite keeps expressions as written, so no parser
 * is needed.
 */
#include "catalog/normalize.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "util/strbuf.h"

static const char *const KEYWORDS[] = {
    "NULL", "TRUE", "FALSE", "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "AND",
    "OR", "NOT", "IS", "IN", "LIKE", "GLOB", "REGEXP", "MATCH", "BETWEEN", "ESCAPE", "CASE",
    "WHEN", "THEN", "ELSE", "END", "CAST", "AS", "COLLATE", "EXISTS", "DISTINCT", "SELECT",
    "FROM", "WHERE", "ISNULL", "NOTNULL",
};

static bool is_word(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

static bool is_op(char c)
{
    return c && strchr("+-*/%<>=!|&~^", c) != NULL;
}

/* Would dropping the blank between a and b glue two tokens together? */
static bool need_space(char a, char b)
{
    return (is_word(a) && is_word(b)) || (is_op(a) && is_op(b));
}

/* Length of a quoted token starting at s (quote char q, doubled to escape). */
static size_t quoted_len(const char *s, char close)
{
    size_t i = 1;
    while (s[i]) {
        if (s[i] == close) {
            if (close != ']' && s[i + 1] == close) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i++;
    }
    return i;
}

static void add_word(strbuf *sb, const char *w, size_t n)
{
    for (size_t i = 0; i < sizeof KEYWORDS / sizeof KEYWORDS[0]; i++) {
        if (strlen(KEYWORDS[i]) == n && strncasecmp(KEYWORDS[i], w, n) == 0) {
            strbuf_adds(sb, KEYWORDS[i]);
            return;
        }
    }
    strbuf_add(sb, w, n);
}

/* Index of the ')' matching the '(' at s[0], or -1. Skips literals. */
static long matching_paren(const char *s, size_t len)
{
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\'' || c == '"' || c == '`' || c == '[') {
            i += quoted_len(s + i, c == '[' ? ']' : c) - 1;
        } else if (c == '(') {
            depth++;
        } else if (c == ')' && --depth == 0) {
            return (long)i;
        }
    }
    return -1;
}

static void strip_outer_parens(strbuf *sb)
{
    while (sb->len >= 2 && sb->buf[0] == '(' &&
           matching_paren(sb->buf, sb->len) == (long)sb->len - 1) {
        memmove(sb->buf, sb->buf + 1, sb->len - 2);
        strbuf_setlen(sb, sb->len - 2);
    }
}

const char *normalize_sqlite_expr(arena *mem, const char *expr)
{
    if (!expr)
        return NULL;
    strbuf sb = STRBUF_INIT;
    bool blank = false;
    for (const char *p = expr; *p;) {
        char c = *p;
        if (isspace((unsigned char)c)) {
            blank = true;
            p++;
            continue;
        }
        if (blank && sb.len && need_space(sb.buf[sb.len - 1], c))
            strbuf_addch(&sb, ' ');
        blank = false;
        if (c == '\'' || c == '"' || c == '`' || c == '[') {
            size_t n = quoted_len(p, c == '[' ? ']' : c);
            strbuf_add(&sb, p, n);
            p += n;
        } else if (is_word(c)) {
            size_t n = 0;
            while (p[n] && is_word(p[n]))
                n++;
            add_word(&sb, p, n);
            p += n;
        } else {
            strbuf_addch(&sb, c);
            p++;
        }
    }
    strip_outer_parens(&sb);
    const char *out = arena_strdup(mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return out;
}

const char *normalize_sqlite_type(arena *mem, const char *declared)
{
    if (!declared)
        return NULL;
    strbuf sb = STRBUF_INIT;
    bool blank = false;
    for (const char *p = declared; *p; p++) {
        char c = *p;
        if (isspace((unsigned char)c)) {
            blank = true;
            continue;
        }
        bool glue = c == '(' || c == ')' || c == ',' ||
                    (sb.len && strchr("(,", sb.buf[sb.len - 1]));
        if (blank && sb.len && !glue)
            strbuf_addch(&sb, ' ');
        blank = false;
        strbuf_addch(&sb, (char)toupper((unsigned char)c));
    }
    const char *out = arena_strdup(mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return out;
}
