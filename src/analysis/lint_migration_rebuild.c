/*
 * lint_migration_rebuild.c — table rebuilds in migrations: SQLite changes a
 * column (type, constraints, drop) by CREATE TABLE new, copy, DROP TABLE old,
 * ALTER TABLE new RENAME TO old.  Such a DROP is not a lost table: it is
 * deferred, and when a table created in the file takes the dropped name, the
 * old columns (from the `before` catalog) are compared with the new ones —
 * a missing column is ban-drop-column, a changed declared type (SQLite) is
 * changing-column-type.  Also: SQLite-only syntax blanked out so libpg_query
 * can parse the statement.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "analysis/lint_migration_int.h"
#include "source/pg_sql_util.h"

/* ---- declared types from the source ----------------------------------------- */

static bool stop_word(const char *w, size_t n)
{
    static const char *const words[] = {"CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK",
                                        "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS",
                                        "AUTOINCREMENT", "ON", NULL};
    for (const char *const *s = words; *s; s++)
        if (strlen(*s) == n && !strncasecmp(*s, w, n))
            return true;
    return false;
}

/* the declared type starting at text[off], upper-cased, spaces collapsed and
 * none around parentheses and commas */
static const char *type_text(mig *m, size_t off)
{
    const char *t = m->text;
    size_t i = off, end = off;
    int depth = 0;
    while (i < m->len) {
        char c = t[i];
        if (c == '(') {
            depth++;
        } else if (c == ')') {
            if (!depth)
                break;
            depth--;
        } else if (c == ',' && !depth) {
            break;
        } else if (!depth && (isalpha((unsigned char)c) || c == '_')) {
            size_t w = i;
            while (i < m->len && (isalnum((unsigned char)t[i]) || t[i] == '_'))
                i++;
            if (i > w && w > off && stop_word(t + w, i - w))
                break;
            end = i;
            continue;
        }
        i++;
        if (!isspace((unsigned char)c))
            end = i;
    }
    char *out = arena_alloc(&m->tmp, end - off + 1);
    size_t n = 0;
    bool space = false;
    for (size_t k = off; k < end; k++) {
        char c = t[k];
        if (isspace((unsigned char)c)) {
            space = true;
            continue;
        }
        if (space && n && !strchr("(,", out[n - 1]) && !strchr("(),", c))
            out[n++] = ' ';
        space = false;
        out[n++] = (char)toupper((unsigned char)c);
    }
    out[n] = 0;
    return out;
}

static const char *type_canon(arena *mem, const char *s)
{
    char *out = arena_alloc(mem, strlen(s) + 1);
    size_t n = 0;
    for (; *s; s++) {
        if (*s == ' ' && (n == 0 || strchr("(,", out[n - 1]) || strchr("(),", s[1])))
            continue;
        out[n++] = (char)toupper((unsigned char)*s);
    }
    out[n] = 0;
    return out;
}

mig_newtable *mig_newtable_of(mig *m, const PgQuery__CreateStmt *st, size_t base)
{
    mig_newtable *nt = ARENA_NEW(&m->tmp, mig_newtable);
    for (size_t i = 0; i < st->n_table_elts; i++) {
        const PgQuery__Node *e = st->table_elts[i];
        if (e->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
            continue;
        const PgQuery__ColumnDef *cd = e->column_def;
        const char *type = NULL;
        if (m->d == DIALECT_SQLITE && cd->type_name && cd->type_name->location >= 0)
            type = type_text(m, base + (size_t)cd->type_name->location);
        VEC_PUSH(&m->tmp, nt->cols, arena_strdup(&m->tmp, cd->colname));
        VEC_PUSH(&m->tmp, nt->types, type);
    }
    return nt;
}

/* ---- drops and rebuilds ---------------------------------------------------------- */

void mig_drop_table(mig *m, const char *schema, const char *name, const char *display)
{
    mig_drop d = {
        .schema = arena_strdup(&m->tmp, mig_schema(m, schema)),
        .name = arena_strdup(&m->tmp, name),
        .display = arena_strdup(&m->tmp, display),
        .loc = m->stmt_loc,
        .end_line = m->stmt_end_line,
    };
    VEC_PUSH(&m->tmp, m->drops, d);
}

void mig_rename_new_table(mig *m, const char *schema, const char *to, const mig_newtable *info)
{
    const char *sch = mig_schema(m, schema);
    mig_drop *d = NULL;
    for (size_t i = m->drops.n; i-- > 0 && !d;)
        if (!m->drops.v[i].rebuilt && !strcmp(m->drops.v[i].schema, sch) && !strcmp(m->drops.v[i].name, to))
            d = &m->drops.v[i];
    if (!d)
        return;
    d->rebuilt = true;
    const cat_table *old = mig_before_table(m, sch, to);
    if (!old || info == &m->no_info)
        return;
    for (size_t i = 0; i < old->columns.n; i++) {
        const cat_column *c = old->columns.v[i];
        size_t k = 0;
        while (k < info->cols.n && (m->d == DIALECT_SQLITE ? strcasecmp(info->cols.v[k], c->name)
                                                             : strcmp(info->cols.v[k], c->name)) != 0)
            k++;
        const char *obj = arena_printf(&m->tmp, "%s.%s", d->display, c->name);
        if (k == info->cols.n) {
            mig_report(m, "ban-drop-column", -1, obj,
                       "keep the column in the rebuilt table until no client reads it",
                       "the rebuild of %s drops column %s: its data is lost and clients still "
                       "reading it break", d->display, c->name);
            continue;
        }
        const char *nt = info->types.v[k];
        if (m->d == DIALECT_SQLITE && nt && c->type &&
            strcmp(type_canon(&m->tmp, nt), type_canon(&m->tmp, c->type)) != 0)
            mig_report(m, "changing-column-type", -1, obj,
                       "check every stored value converts; clients may see a different type",
                       "the rebuild of %s changes column %s from %s to %s", d->display, c->name,
                       *c->type ? c->type : "(none)", *nt ? nt : "(none)");
    }
}

void mig_drops_report(mig *m)
{
    for (size_t i = 0; i < m->drops.n; i++) {
        const mig_drop *d = &m->drops.v[i];
        if (d->rebuilt)
            continue;
        m->stmt_loc = d->loc;
        m->stmt_end_line = d->end_line;
        mig_report(m, "ban-drop-table", -1, d->display,
                   "stop using the table first; drop it in a later release",
                   "DROP TABLE %s loses its data and breaks clients still using it", d->display);
    }
}

/* ---- SQLite syntax -------------------------------------------------------------------- */

static bool blank_word(char *s, size_t len, size_t i, const char *word)
{
    size_t n = strlen(word);
    if (i + n > len || strncasecmp(s + i, word, n) != 0)
        return false;
    if ((i && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_')) ||
        (i + n < len && (isalnum((unsigned char)s[i + n]) || s[i + n] == '_')))
        return false;
    memset(s + i, ' ', n);
    return true;
}

char *mig_sqlite_blank(arena *mem, const char *sql, size_t len)
{
    char *s = arena_strndup(mem, sql, len);
    bool changed = false;
    char quote = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (quote) {
            if (c == quote) {
                quote = 0;
                if (c == '`')
                    s[i] = '"';
            }
            continue;
        }
        if (c == '\'' || c == '"' || c == '`') {
            quote = c;
            if (c == '`') {
                s[i] = '"';
                changed = true;
            }
        } else if (blank_word(s, len, i, "AUTOINCREMENT") || blank_word(s, len, i, "STRICT")) {
            changed = true;
        } else if (!strncasecmp(s + i, "WITHOUT", 7) && blank_word(s, len, i, "WITHOUT")) {
            size_t k = i + 7;
            while (k < len && isspace((unsigned char)s[k]))
                k++;
            blank_word(s, len, k, "ROWID");
            changed = true;
        }
    }
    return changed ? s : NULL;
}
