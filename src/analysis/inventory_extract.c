/*
 * inventory_extract.c — owns: finding SQL held in string literals of Python,
 * JavaScript and TypeScript source (`SCHEMA_SQL = """CREATE TABLE ..."""`,
 * db.exec(`CREATE TABLE ...`)).
 *
 * The host text is masked in place: every byte outside a literal that looks
 * like SQL becomes a space (newlines stay), the closing quote of a kept
 * literal becomes ';'.  So the result is plain SQL whose line:col are those
 * of the host file.  Inside kept literals, escapes (\n, \t, \') turn into
 * two spaces and interpolations ({x} in f-strings, ${x} in templates) into
 * spaces.  A literal looks like SQL when its first word (after blanks and
 * `--` comments) is CREATE, ALTER, DROP, INSERT, COMMENT or GRANT.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "analysis/inventory.h"

static bool looks_like_sql(const char *s, size_t n)
{
    static const char *const words[] = {"CREATE", "ALTER", "DROP", "INSERT", "COMMENT", "GRANT", NULL};
    size_t i = 0;
    for (;;) {
        while (i < n && (isspace((unsigned char)s[i]) || s[i] == '\\'))
            i += s[i] == '\\' && i + 1 < n ? 2 : 1;
        if (i + 1 < n && s[i] == '-' && s[i + 1] == '-') {
            while (i < n && s[i] != '\n')
                i++;
            continue;
        }
        break;
    }
    for (const char *const *w = words; *w; w++) {
        size_t k = strlen(*w);
        if (i + k < n && !strncasecmp(s + i, *w, k) && !isalnum((unsigned char)s[i + k]) && s[i + k] != '_')
            return true;
    }
    return false;
}

static void blank(char *t, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (t[i] != '\n')
            t[i] = ' ';
}

/* Clean a kept literal body t[from..to): escapes and interpolations. */
static void clean_body(char *t, size_t from, size_t to, bool raw, bool fstring, bool template)
{
    for (size_t i = from; i < to; i++) {
        if (t[i] == '\\' && !raw && i + 1 < to) {
            t[i] = ' ';
            if (t[i + 1] != '\n') {
                char c = t[i + 1];
                t[i + 1] = c == '\'' || c == '"' ? c : ' ';
            }
            i++;
        } else if (fstring && t[i] == '}' && i + 1 < to && t[i + 1] == '}') { /* }} likewise */
            t[i + 1] = ' ';
            i++;
        } else if ((fstring && t[i] == '{') || (template && t[i] == '$' && i + 1 < to && t[i + 1] == '{')) {
            if (fstring && i + 1 < to && t[i + 1] == '{') { /* {{ is a literal brace */
                t[i] = ' ';
                i++;
                continue;
            }
            int depth = 0;
            size_t j = i;
            for (; j < to; j++) {
                if (t[j] == '{')
                    depth++;
                else if (t[j] == '}' && --depth == 0)
                    break;
            }
            blank(t, i, j < to ? j + 1 : to);
            i = j;
        }
    }
}

/* A literal found at t[open..close) with body t[body..body_end). */
static bool keep_literal(char *t, size_t start, size_t body, size_t body_end, size_t end, bool raw, bool fstring,
                         bool template)
{
    if (!looks_like_sql(t + body, body_end - body)) {
        blank(t, start, end);
        return false;
    }
    blank(t, start, body);
    clean_body(t, body, body_end, raw, fstring, template);
    blank(t, body_end, end);
    /* the closing quote becomes the terminator; an unterminated literal that
     * runs to a newline keeps it (lines must stay where they are) */
    if (end > body_end && t[end - 1] != '\n')
        t[end - 1] = ';';
    return true;
}

static bool mask_python(char *t, size_t len)
{
    bool any = false;
    size_t i = 0, out = 0; /* out: start of the not-yet-blanked region */
    while (i < len) {
        char c = t[i];
        if (c == '#') {
            while (i < len && t[i] != '\n')
                i++;
            continue;
        }
        bool ident_before = i > 0 && (isalnum((unsigned char)t[i - 1]) || t[i - 1] == '_');
        size_t p = i;
        bool raw = false, fstr = false;
        if (!ident_before)
            while (p < len && p - i < 2 && t[p] && strchr("rRbBfFuU", t[p])) {
                raw |= t[p] == 'r' || t[p] == 'R';
                fstr |= t[p] == 'f' || t[p] == 'F';
                p++;
            }
        if (!ident_before && p < len && (t[p] == '\'' || t[p] == '"')) {
            char q = t[p];
            bool triple = p + 2 < len && t[p + 1] == q && t[p + 2] == q;
            size_t body = p + (triple ? 3 : 1), j = body;
            while (j < len) {
                if (t[j] == '\\') { /* raw strings cannot end in an escaped quote either */
                    j += 2;
                    continue;
                }
                if (triple ? (j + 2 < len && t[j] == q && t[j + 1] == q && t[j + 2] == q) : t[j] == q)
                    break;
                if (!triple && t[j] == '\n')
                    break;
                j++;
            }
            if (j > len)
                j = len;
            size_t end = j < len ? j + (triple ? 3 : 1) : len;
            blank(t, out, i);
            any |= keep_literal(t, i, body, j, end, raw, fstr, false);
            i = out = end;
            continue;
        }
        if (isalnum((unsigned char)c) || c == '_') {
            while (i < len && (isalnum((unsigned char)t[i]) || t[i] == '_'))
                i++;
            continue;
        }
        i++;
    }
    blank(t, out, len);
    return any;
}

static bool mask_js(char *t, size_t len)
{
    bool any = false;
    size_t i = 0, out = 0;
    while (i < len) {
        char c = t[i];
        if (c == '/' && i + 1 < len && t[i + 1] == '/') {
            while (i < len && t[i] != '\n')
                i++;
            continue;
        }
        if (c == '/' && i + 1 < len && t[i + 1] == '*') {
            i += 2;
            while (i + 1 < len && !(t[i] == '*' && t[i + 1] == '/'))
                i++;
            i += 2;
            continue;
        }
        if (c == '\'' || c == '"' || c == '`') {
            size_t j = i + 1;
            int depth = 0; /* ${ ... } nesting inside templates */
            while (j < len) {
                if (t[j] == '\\') {
                    j += 2;
                    continue;
                }
                if (c == '`' && t[j] == '$' && j + 1 < len && t[j + 1] == '{') {
                    depth++;
                    j += 2;
                    continue;
                }
                if (depth && t[j] == '}') {
                    depth--;
                    j++;
                    continue;
                }
                if (!depth && t[j] == c)
                    break;
                if (c != '`' && t[j] == '\n')
                    break;
                j++;
            }
            if (j > len)
                j = len;
            size_t end = j < len ? j + 1 : len;
            blank(t, out, i);
            any |= keep_literal(t, i, i + 1, j, end, false, false, c == '`');
            i = out = end;
            continue;
        }
        i++;
    }
    blank(t, out, len);
    return any;
}

bool inv_extract_sql(const char *host, char *text, size_t len)
{
    if (!strcmp(host, "python"))
        return mask_python(text, len);
    return mask_js(text, len);
}
