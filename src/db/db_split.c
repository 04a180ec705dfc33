/*
 * db_split.c — db_split_script: the statements of a script with their byte
 * spans, without a connection (used by the script runner, plans and lint).
 *
 * A span starts at the statement's first token (leading blanks and comments
 * skipped) and ends before its terminating ';' with trailing blanks trimmed;
 * empty statements (";;", comment-only tails) are not listed.
 *
 * PostgreSQL: libpg_query's scanner splitter (strings, dollar quotes,
 * comments, CREATE RULE (...; ...)); the parser splitter when the text has a
 * BEGIN ATOMIC body, which the scanner cannot see (falling back to the
 * scanner when the text does not parse).
 * SQLite: the text is cut at each ';' where sqlite3_complete() says the
 * statement so far is complete (trigger bodies BEGIN ...; ...; END).
 */
#include "db/db_int.h"

#include <ctype.h>
#include <pg_query.h>
#include <string.h>

typedef VEC(db_stmt_span) span_vec;

static void add_span(arena *mem, span_vec *v, const char *text, size_t start, size_t end,
                     bool nested_comments)
{
    start = db_skip_blank(text, end, start, nested_comments);
    if (start >= end)
        return;
    size_t n = db_trim_right(text + start, end - start);
    if (n == 0)
        return;
    db_stmt_span sp = {start, n};
    VEC_PUSH(mem, *v, sp);
}

/* text between two statements: blanks, comments and ';' — or a statement
 * the scanner did not recognise */
static void add_gap(arena *mem, span_vec *v, const char *text, size_t from, size_t to)
{
    for (;;) {
        from = db_skip_blank(text, to, from, true);
        if (from < to && text[from] == ';') {
            from++;
            continue;
        }
        break;
    }
    if (from >= to)
        return;
    while (to > from) {  /* drop trailing blanks and ';' */
        size_t t = db_trim_right(text + from, to - from) + from;
        if (t > from && text[t - 1] == ';')
            t--;
        if (t == to)
            break;
        to = t;
    }
    add_span(mem, v, text, from, to, true);
}

/* a word ATOMIC anywhere (case-insensitive): maybe BEGIN ATOMIC */
static bool mentions_atomic(const char *text, size_t len)
{
    for (size_t i = 0; i + 6 <= len; i++) {
        if (strncasecmp(text + i, "atomic", 6) != 0)
            continue;
        bool left = i == 0 || !(isalnum((unsigned char)text[i - 1]) || text[i - 1] == '_');
        bool right = i + 6 == len || !(isalnum((unsigned char)text[i + 6]) || text[i + 6] == '_');
        if (left && right)
            return true;
    }
    return false;
}

int db_split_pg(arena *mem, const char *text, size_t len, db_stmt_span **out, int *err_cursor,
                const char **err_msg)
{
    *out = NULL;
    PgQuerySplitResult r;
    bool parsed = false;
    if (mentions_atomic(text, len)) {
        r = pg_query_split_with_parser(text);
        if (r.error)
            pg_query_free_split_result(r);
        else
            parsed = true;
    }
    if (!parsed)
        r = pg_query_split_with_scanner(text);
    if (r.error) {
        if (err_cursor)
            *err_cursor = r.error->cursorpos;
        if (err_msg)
            *err_msg = arena_strdup(mem, r.error->message);
        pg_query_free_split_result(r);
        return -1;
    }
    span_vec v = {0};
    size_t pos = 0;  /* end of the last span */
    for (int i = 0; i <= r.n_stmts; i++) {
        size_t start = len, end = len;
        if (i < r.n_stmts) {
            start = (size_t)r.stmts[i]->stmt_location;
            end = r.stmts[i]->stmt_len ? start + (size_t)r.stmts[i]->stmt_len : len;
            if (start > len || start < pos)
                continue;
            if (end > len)
                end = len;
        }
        /* the scanner drops a statement that does not start with a keyword
         * ("SELEC 1;"): keep what lies between statements, so that the
         * server reports it instead of a script silently skipping it */
        add_gap(mem, &v, text, pos, start);
        if (i < r.n_stmts) {
            add_span(mem, &v, text, start, end, true);
            pos = end;
        }
    }
    pg_query_free_split_result(r);
    *out = v.v;
    return (int)v.n;
}

/* index after a quoted token opened at t[i] ('...', "...", `...` with the
 * quote doubled inside; [...] without escapes); len when unterminated */
static size_t skip_quoted(const char *t, size_t len, size_t i, char close)
{
    for (i++; i < len; i++) {
        if (t[i] != close)
            continue;
        if (close != ']' && i + 1 < len && t[i + 1] == close) {
            i++;
            continue;
        }
        return i + 1;
    }
    return len;
}

/* Only a ';' outside strings, quoted names and comments can end a
 * statement; sqlite3_complete() decides at those (trigger bodies), so a long
 * statement with many ';' in its strings stays linear. */
static int split_sqlite(arena *mem, char *text, size_t len, db_stmt_span **out)
{
    span_vec v = {0};
    size_t start = db_skip_blank(text, len, 0, false);
    size_t i = start;
    while (i < len) {
        char ch = text[i];
        if (ch == '\'' || ch == '"' || ch == '`' || ch == '[') {
            i = skip_quoted(text, len, i, ch == '[' ? ']' : ch);
        } else if (ch == '-' && i + 1 < len && text[i + 1] == '-') {
            while (i < len && text[i] != '\n')
                i++;
        } else if (ch == '/' && i + 1 < len && text[i + 1] == '*') {
            i += 2;
            while (i < len && !(text[i] == '*' && i + 1 < len && text[i + 1] == '/'))
                i++;
            i = i < len ? i + 2 : len;
        } else if (ch != ';') {
            i++;
        } else {
            char save = text[i + 1];
            text[i + 1] = '\0';
            bool complete = sqlite3_complete(text + start) != 0;
            text[i + 1] = save;
            if (!complete) {
                i++;
                continue;
            }
            add_span(mem, &v, text, start, i, false);
            start = db_skip_blank(text, len, i + 1, false);
            i = start;
        }
    }
    if (start < len)
        add_span(mem, &v, text, start, len, false);
    *out = v.v;
    return (int)v.n;
}

int db_split_script(dialect d, arena *mem, const char *text, size_t len, db_stmt_span **out)
{
    *out = NULL;
    if (!text)
        return -1;
    char *copy = arena_strndup(mem, text, len);  /* NUL-terminated, writable */
    if (d == DIALECT_PG)
        return db_split_pg(mem, copy, len, out, NULL, NULL);
    if (d == DIALECT_SQLITE)
        return split_sqlite(mem, copy, len, out);
    return -1;
}
