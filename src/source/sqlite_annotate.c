/*
 * sqlite_annotate.c — `-- dbsage:renamed-from OLD` annotations in SQLite
 * schema files.  A comment right before CREATE TABLE / CREATE INDEX /
 * CREATE VIEW says the object was called OLD before; one right before a
 * column definition inside CREATE TABLE (...) says the same of the column.
 * Each annotation becomes a catalog rename hint (catalog_rename_hint_add),
 * which `dbsage diff` turns into ALTER TABLE ... RENAME instead of drop + add.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "source/source.h"
#include "source/sqlite_ddl.h"

#define MARK "dbsage:renamed-from"

/* the OLD name of the last annotation in s[from..to), or NULL; *at = its offset */
static const char *find_hint(arena *mem, const char *s, size_t from, size_t to, size_t *at)
{
    const char *found = NULL;
    size_t i = from;
    while (i + 1 < to) {
        if (s[i] == '/' && s[i + 1] == '*') {
            const char *e = strstr(s + i + 2, "*/");
            i = e ? (size_t)(e - s) + 2 : to;
            continue;
        }
        if (s[i] != '-' || s[i + 1] != '-') {
            i++;
            continue;
        }
        size_t p = i + 2, eol = p;
        while (eol < to && s[eol] != '\n')
            eol++;
        while (p < eol && isspace((unsigned char)s[p]))
            p++;
        size_t ml = strlen(MARK);
        if (eol - p > ml && !strncasecmp(s + p, MARK, ml) && isspace((unsigned char)s[p + ml])) {
            p += ml;
            while (p < eol && isspace((unsigned char)s[p]))
                p++;
            size_t q = p;
            if (p < eol && (s[p] == '"' || s[p] == '`' || s[p] == '[')) {
                size_t pos = p;
                sqlite_tok t = sqlite_next_tok(s, eol, &pos);
                if (t.type == STK_QUOTED) {
                    found = sqlite_tok_ident(mem, s, t);
                    *at = i;
                }
            } else {
                while (q < eol && !isspace((unsigned char)s[q]) && s[q] != ';' && s[q] != ',')
                    q++;
                if (q > p) {
                    found = arena_strndup(mem, s + p, q - p);
                    *at = i;
                }
            }
        }
        i = eol;
    }
    return found;
}

static bool constraint_word(const char *s, sqlite_tok t)
{
    static const char *const words[] = {"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (sqlite_tok_is(s, t, words[i]))
            return true;
    return t.type != STK_WORD && t.type != STK_QUOTED && t.type != STK_STRING;
}

/* column annotations inside CREATE TABLE name (...) at s[start..end) */
static void column_hints(catalog *cat, arena *tmp, const char *s, size_t start, size_t end, const char *table,
                         const line_index *li)
{
    sqlite_tokvec tv = {0};
    sqlite_tokenize(tmp, s + start, end - start, &tv);
    int depth = 0;
    for (size_t i = 0; i + 1 < tv.n; i++) {
        const char *b = s + start;
        if (sqlite_tok_punct(b, tv.v[i], '('))
            depth++;
        else if (sqlite_tok_punct(b, tv.v[i], ')'))
            depth--;
        bool opens = depth == 1 && (sqlite_tok_punct(b, tv.v[i], '(') || sqlite_tok_punct(b, tv.v[i], ','));
        if (!opens)
            continue;
        size_t at = 0;
        const char *old = find_hint(tmp, s, start + tv.v[i].off + tv.v[i].len, start + tv.v[i + 1].off, &at);
        if (!old || constraint_word(b, tv.v[i + 1]))
            continue;
        const char *col = sqlite_tok_ident(tmp, b, tv.v[i + 1]);
        catalog_rename_hint_add(cat, OBJ_COLUMN, "main", table, old, col, line_index_loc(li, at));
    }
}

void sqlite_annotate_scan(catalog *cat, const char *sql, size_t len, const line_index *li)
{
    if (!sql || !len || !strstr(sql, MARK))
        return;
    arena tmp;
    arena_init(&tmp);
    size_t pos = 0;
    for (;;) {
        size_t start = sqlite_skip_space(sql, len, pos);
        if (start >= len)
            break;
        size_t end = sqlite_stmt_end(sql, len, start);
        if (end <= start)
            end = start + 1;
        sqlite_stmt_head h;
        sqlite_stmt_head_scan(&tmp, sql + start, end - start, &h);
        bool create = h.verb == SV_CREATE && h.name && !h.temp && (h.kind == 't' || h.kind == 'i' || h.kind == 'v');
        size_t at = 0;
        const char *old = create ? find_hint(&tmp, sql, pos, start, &at) : NULL;
        if (old) {
            cat_object_kind k = h.kind == 't' ? OBJ_TABLE : h.kind == 'i' ? OBJ_INDEX : OBJ_VIEW;
            catalog_rename_hint_add(cat, k, "main", NULL, old, h.name, line_index_loc(li, at));
        }
        if (create && h.kind == 't')
            column_hints(cat, &tmp, sql, start, end, h.name, li);
        pos = end;
    }
    arena_free(&tmp);
}
