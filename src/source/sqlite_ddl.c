/*
 * sqlite_ddl.c — tokenizer and scanner of SQLite DDL text: statement heads,
 * CREATE TABLE column/constraint details, CREATE INDEX elements, view
 * bodies and trigger parts (what PRAGMAs do not expose).  See sqlite_ddl.h.
 */
#include "source/sqlite_ddl.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* ---- tokenizer ------------------------------------------------------------ */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_ident_start(unsigned char c)
{
    return isalpha(c) || c == '_' || c >= 0x80;
}

static bool is_ident_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

size_t sqlite_skip_space(const char *s, size_t len, size_t pos)
{
    while (pos < len) {
        if (is_space(s[pos])) {
            pos++;
        } else if (s[pos] == '-' && pos + 1 < len && s[pos + 1] == '-') {
            while (pos < len && s[pos] != '\n')
                pos++;
        } else if (s[pos] == '/' && pos + 1 < len && s[pos + 1] == '*') {
            pos += 2;
            while (pos < len && !(s[pos] == '*' && pos + 1 < len && s[pos + 1] == '/'))
                pos++;
            pos = pos < len ? pos + 2 : len;
        } else {
            break;
        }
    }
    return pos;
}

/* end of a quoted run starting at pos (the opening quote); doubled closing
 * quotes are escapes unless close is ']' */
static size_t skip_quoted(const char *s, size_t len, size_t pos, char close)
{
    pos++;
    while (pos < len) {
        if (s[pos] == close) {
            if (close != ']' && pos + 1 < len && s[pos + 1] == close) {
                pos += 2;
                continue;
            }
            return pos + 1;
        }
        pos++;
    }
    return len;
}

static size_t skip_number(const char *s, size_t len, size_t pos)
{
    while (pos < len) {
        char c = s[pos];
        if (isalnum((unsigned char)c) || c == '.' || c == '_') {
            pos++;
        } else if ((c == '+' || c == '-') && pos > 0 && (s[pos - 1] == 'e' || s[pos - 1] == 'E') &&
                   !(pos > 1 && (s[pos - 2] == 'x' || s[pos - 2] == 'X'))) {
            pos++;
        } else {
            break;
        }
    }
    return pos;
}

static size_t punct_len(const char *s, size_t len, size_t pos)
{
    static const char *const two[] = {"||", "<=", ">=", "==", "!=", "<>", "<<", ">>", "->", NULL};
    if (pos + 2 < len && !strncmp(s + pos, "->>", 3))
        return 3;
    for (int i = 0; two[i]; i++)
        if (pos + 1 < len && s[pos] == two[i][0] && s[pos + 1] == two[i][1])
            return 2;
    return 1;
}

sqlite_tok sqlite_next_tok(const char *s, size_t len, size_t *pos)
{
    size_t p = sqlite_skip_space(s, len, *pos);
    sqlite_tok t = {STK_EOF, p, 0};
    if (p >= len) {
        *pos = len;
        return t;
    }
    unsigned char c = (unsigned char)s[p];
    size_t e;
    if ((c == 'x' || c == 'X') && p + 1 < len && s[p + 1] == '\'') {
        t.type = STK_BLOB;
        e = skip_quoted(s, len, p + 1, '\'');
    } else if (is_ident_start(c)) {
        t.type = STK_WORD;
        e = p + 1;
        while (e < len && is_ident_char((unsigned char)s[e]))
            e++;
    } else if (c == '\'') {
        t.type = STK_STRING;
        e = skip_quoted(s, len, p, '\'');
    } else if (c == '"' || c == '`') {
        t.type = STK_QUOTED;
        e = skip_quoted(s, len, p, (char)c);
    } else if (c == '[') {
        t.type = STK_QUOTED;
        e = skip_quoted(s, len, p, ']');
    } else if (isdigit(c) || (c == '.' && p + 1 < len && isdigit((unsigned char)s[p + 1]))) {
        t.type = STK_NUMBER;
        e = skip_number(s, len, p);
    } else if (c == '?' || c == ':' || c == '@' || c == '$') {
        t.type = STK_VAR;
        e = p + 1;
        while (e < len && is_ident_char((unsigned char)s[e]))
            e++;
    } else {
        t.type = STK_PUNCT;
        e = p + punct_len(s, len, p);
    }
    t.len = e - p;
    *pos = e;
    return t;
}

void sqlite_tokenize(arena *mem, const char *s, size_t len, sqlite_tokvec *out)
{
    size_t pos = 0;
    for (;;) {
        sqlite_tok t = sqlite_next_tok(s, len, &pos);
        if (t.type == STK_EOF)
            break;
        VEC_PUSH(mem, *out, t);
    }
}

bool sqlite_tok_is(const char *s, sqlite_tok t, const char *kw)
{
    return t.type == STK_WORD && strlen(kw) == t.len && strncasecmp(s + t.off, kw, t.len) == 0;
}

bool sqlite_tok_punct(const char *s, sqlite_tok t, char c)
{
    return t.type == STK_PUNCT && t.len == 1 && s[t.off] == c;
}

char *sqlite_tok_ident(arena *mem, const char *s, sqlite_tok t)
{
    if (t.type != STK_QUOTED && t.type != STK_STRING)
        return arena_strndup(mem, s + t.off, t.len);
    char open = s[t.off];
    char close = open == '[' ? ']' : open;
    char *out = arena_alloc(mem, t.len + 1);
    size_t n = 0;
    size_t end = t.len >= 2 && s[t.off + t.len - 1] == close ? t.off + t.len - 1 : t.off + t.len;
    for (size_t i = t.off + 1; i < end; i++) {
        out[n++] = s[i];
        if (close != ']' && s[i] == close && i + 1 < end && s[i + 1] == close)
            i++;
    }
    out[n] = 0;
    return out;
}

char *sqlite_text_slice(arena *mem, const char *s, size_t from, size_t to)
{
    while (from < to && is_space(s[from]))
        from++;
    while (to > from && is_space(s[to - 1]))
        to--;
    return arena_strndup(mem, s + from, to - from);
}

size_t sqlite_stmt_end(const char *s, size_t len, size_t pos)
{
    size_t p = pos;
    sqlite_tok first[3];
    int nfirst = 0;
    bool trigger = false, in_body = false, prev_end = false;
    for (;;) {
        sqlite_tok t = sqlite_next_tok(s, len, &p);
        if (t.type == STK_EOF)
            return len;
        if (nfirst < 3) {
            first[nfirst++] = t;
            if (nfirst >= 2 && sqlite_tok_is(s, first[0], "CREATE") && sqlite_tok_is(s, t, "TRIGGER"))
                trigger = true;
        }
        if (trigger && sqlite_tok_is(s, t, "BEGIN"))
            in_body = true;
        if (sqlite_tok_punct(s, t, ';') && (!in_body || prev_end))
            return p;
        prev_end = sqlite_tok_is(s, t, "END");
    }
}

/* ---- token-vector helpers ------------------------------------------------------ */

typedef struct scan {
    arena *mem;
    const char *s;
    sqlite_tokvec tv;
} scan;

static void scan_init(scan *sc, arena *mem, const char *s)
{
    sc->mem = mem;
    sc->s = s;
    memset(&sc->tv, 0, sizeof sc->tv);
    sqlite_tokenize(mem, s, strlen(s), &sc->tv);
}

static bool kw_at(const scan *sc, size_t i, const char *kw)
{
    return i < sc->tv.n && sqlite_tok_is(sc->s, sc->tv.v[i], kw);
}

static bool punct_at(const scan *sc, size_t i, char c)
{
    return i < sc->tv.n && sqlite_tok_punct(sc->s, sc->tv.v[i], c);
}

static bool name_at(const scan *sc, size_t i)
{
    if (i >= sc->tv.n)
        return false;
    sqlite_tok_type ty = sc->tv.v[i].type;
    return ty == STK_WORD || ty == STK_QUOTED || ty == STK_STRING;
}

static char *ident_at(const scan *sc, size_t i)
{
    return i < sc->tv.n ? sqlite_tok_ident(sc->mem, sc->s, sc->tv.v[i]) : NULL;
}

/* index of the ')' matching the '(' at i, or tv.n */
static size_t close_of(const scan *sc, size_t i)
{
    int depth = 0;
    for (; i < sc->tv.n; i++) {
        if (punct_at(sc, i, '('))
            depth++;
        else if (punct_at(sc, i, ')') && --depth == 0)
            return i;
    }
    return sc->tv.n;
}

static size_t tok_end(const scan *sc, size_t i)
{
    return sc->tv.v[i].off + sc->tv.v[i].len;
}

/* text strictly between tokens a and b (exclusive both) */
static char *between(const scan *sc, size_t a, size_t b)
{
    size_t from = tok_end(sc, a);
    size_t to = b < sc->tv.n ? sc->tv.v[b].off : strlen(sc->s);
    return sqlite_text_slice(sc->mem, sc->s, from, to);
}

/* text of tokens [a, b) */
static char *span(const scan *sc, size_t a, size_t b)
{
    if (a >= b || a >= sc->tv.n)
        return NULL;
    return sqlite_text_slice(sc->mem, sc->s, sc->tv.v[a].off, tok_end(sc, b - 1));
}

/* next top-level ',' or the closing ')' at depth 0 from i, bounded by end */
static size_t elem_end(const scan *sc, size_t i, size_t end)
{
    int depth = 0;
    for (; i < end; i++) {
        if (punct_at(sc, i, '('))
            depth++;
        else if (punct_at(sc, i, ')'))
            depth--;
        else if (depth == 0 && punct_at(sc, i, ','))
            return i;
    }
    return end;
}

/* skip IF NOT EXISTS / IF EXISTS */
static size_t skip_if(const scan *sc, size_t i, bool *found)
{
    if (kw_at(sc, i, "IF") && kw_at(sc, i + 1, "NOT") && kw_at(sc, i + 2, "EXISTS")) {
        *found = true;
        return i + 3;
    }
    if (kw_at(sc, i, "IF") && kw_at(sc, i + 1, "EXISTS")) {
        *found = true;
        return i + 2;
    }
    return i;
}

/* [schema.]name at i; returns index after it */
static size_t qualified_at(const scan *sc, size_t i, const char **schema, const char **name)
{
    if (!name_at(sc, i))
        return i;
    if (punct_at(sc, i + 1, '.') && name_at(sc, i + 2)) {
        if (schema)
            *schema = ident_at(sc, i);
        *name = ident_at(sc, i + 2);
        return i + 3;
    }
    *name = ident_at(sc, i);
    return i + 1;
}

/* ---- statement heads ------------------------------------------------------------- */

static void head_create(const scan *sc, size_t i, sqlite_stmt_head *h)
{
    h->verb = SV_CREATE;
    if (kw_at(sc, i, "TEMP") || kw_at(sc, i, "TEMPORARY")) {
        h->temp = true;
        i++;
    }
    if (kw_at(sc, i, "UNIQUE") || kw_at(sc, i, "VIRTUAL"))
        i++;
    if (kw_at(sc, i, "TABLE"))
        h->kind = 't';
    else if (kw_at(sc, i, "INDEX"))
        h->kind = 'i';
    else if (kw_at(sc, i, "VIEW"))
        h->kind = 'v';
    else if (kw_at(sc, i, "TRIGGER"))
        h->kind = 'g';
    else
        return;
    i = skip_if(sc, i + 1, &h->if_not_exists);
    i = qualified_at(sc, i, &h->schema, &h->name);
    if (h->kind == 'i' && kw_at(sc, i, "ON"))
        qualified_at(sc, i + 1, NULL, &h->table);
    if (h->kind == 'g')
        for (; i < sc->tv.n; i++)
            if (kw_at(sc, i, "ON")) {
                qualified_at(sc, i + 1, NULL, &h->table);
                break;
            }
}

static void head_alter(const scan *sc, size_t i, sqlite_stmt_head *h)
{
    h->verb = SV_ALTER;
    if (!kw_at(sc, i, "TABLE"))
        return;
    h->kind = 't';
    i = qualified_at(sc, i + 1, &h->schema, &h->name);
    if (kw_at(sc, i, "RENAME")) {
        i++;
        if (kw_at(sc, i, "TO")) {
            h->alter = SA_RENAME_TABLE;
            h->new_name = ident_at(sc, i + 1);
            return;
        }
        if (kw_at(sc, i, "COLUMN"))
            i++;
        h->alter = SA_RENAME_COLUMN;
        h->column = ident_at(sc, i);
        if (kw_at(sc, i + 1, "TO"))
            h->new_name = ident_at(sc, i + 2);
    } else if (kw_at(sc, i, "ADD")) {
        i++;
        if (kw_at(sc, i, "COLUMN"))
            i++;
        h->alter = SA_ADD_COLUMN;
        h->column = ident_at(sc, i);
    } else if (kw_at(sc, i, "DROP")) {
        i++;
        if (kw_at(sc, i, "COLUMN"))
            i++;
        h->alter = SA_DROP_COLUMN;
        h->column = ident_at(sc, i);
    }
}

static void head_drop(const scan *sc, size_t i, sqlite_stmt_head *h)
{
    bool dummy = false;
    h->verb = SV_DROP;
    if (kw_at(sc, i, "TABLE"))
        h->kind = 't';
    else if (kw_at(sc, i, "INDEX"))
        h->kind = 'i';
    else if (kw_at(sc, i, "VIEW"))
        h->kind = 'v';
    else if (kw_at(sc, i, "TRIGGER"))
        h->kind = 'g';
    else
        return;
    i = skip_if(sc, i + 1, &dummy);
    qualified_at(sc, i, &h->schema, &h->name);
}

static const char *dml_word(const scan *sc, size_t i)
{
    if (kw_at(sc, i, "INSERT") || kw_at(sc, i, "REPLACE"))
        return "insert";
    if (kw_at(sc, i, "UPDATE"))
        return "update";
    if (kw_at(sc, i, "DELETE"))
        return "delete";
    if (kw_at(sc, i, "SELECT") || kw_at(sc, i, "VALUES"))
        return "select";
    return NULL;
}

/* WITH ... : the first DML keyword at depth 0 */
static const char *dml_after_with(const scan *sc, size_t i)
{
    int depth = 0;
    for (; i < sc->tv.n; i++) {
        if (punct_at(sc, i, '('))
            depth++;
        else if (punct_at(sc, i, ')'))
            depth--;
        else if (depth == 0 && dml_word(sc, i))
            return dml_word(sc, i);
    }
    return "select";
}

void sqlite_stmt_head_scan(arena *mem, const char *s, size_t len, sqlite_stmt_head *out)
{
    memset(out, 0, sizeof *out);
    /* heads are short: scan at most the first 4 KiB, but whole for WITH */
    scan sc = {mem, NULL, {0}};
    char *copy = arena_strndup(mem, s, len);
    sc.s = copy;
    sqlite_tokenize(mem, copy, len, &sc.tv);
    if (!sc.tv.n)
        return;
    if (kw_at(&sc, 0, "CREATE"))
        head_create(&sc, 1, out);
    else if (kw_at(&sc, 0, "ALTER"))
        head_alter(&sc, 1, out);
    else if (kw_at(&sc, 0, "DROP"))
        head_drop(&sc, 1, out);
    else if (kw_at(&sc, 0, "PRAGMA"))
        out->verb = SV_PRAGMA;
    else if (kw_at(&sc, 0, "ATTACH") || kw_at(&sc, 0, "DETACH"))
        out->verb = SV_ATTACH;
    else if (kw_at(&sc, 0, "VACUUM"))
        out->verb = SV_VACUUM;
    else if (kw_at(&sc, 0, "BEGIN") || kw_at(&sc, 0, "COMMIT") || kw_at(&sc, 0, "END") ||
             kw_at(&sc, 0, "ROLLBACK") || kw_at(&sc, 0, "SAVEPOINT") || kw_at(&sc, 0, "RELEASE"))
        out->verb = SV_TXN;
    else if (kw_at(&sc, 0, "WITH")) {
        out->verb = SV_DML;
        out->dml_kind = dml_after_with(&sc, 1);
    } else if (dml_word(&sc, 0)) {
        out->verb = SV_DML;
        out->dml_kind = dml_word(&sc, 0);
    }
}

/* ---- CREATE TABLE ------------------------------------------------------------------ */

static bool col_constraint_start(const scan *sc, size_t i)
{
    static const char *const kws[] = {"CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK",
                                      "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS", NULL};
    for (int k = 0; kws[k]; k++)
        if (kw_at(sc, i, kws[k]))
            return true;
    return false;
}

static size_t conflict_clause(const scan *sc, size_t i, size_t end, const char **conflict)
{
    if (i + 2 < end && kw_at(sc, i, "ON") && kw_at(sc, i + 1, "CONFLICT") && name_at(sc, i + 2)) {
        char *w = ident_at(sc, i + 2);
        for (char *p = w; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        *conflict = w;
        return i + 3;
    }
    return i;
}

/* names of an indexed-column list "(a COLLATE x DESC, b)" with '(' at i */
static size_t name_list(const scan *sc, size_t i, strvec *out)
{
    size_t close = close_of(sc, i);
    for (size_t j = i + 1; j < close;) {
        size_t e = elem_end(sc, j, close);
        if (e > j)
            VEC_PUSH(sc->mem, *out, e == j + 1 || !name_at(sc, j) ? span(sc, j, e) : ident_at(sc, j));
        j = e + 1;
    }
    return close < sc->tv.n ? close + 1 : close;
}

/* REFERENCES clause; i is the token after REFERENCES */
static size_t fk_clause(const scan *sc, size_t i, size_t end, sqlite_ddl_con *c)
{
    c->kind = 'f';
    if (i < end && name_at(sc, i))
        c->ref_table = ident_at(sc, i++);
    if (i < end && punct_at(sc, i, '('))
        i = name_list(sc, i, &c->ref_columns);
    while (i < end) {
        if (kw_at(sc, i, "ON")) {
            i += 2;
            if (kw_at(sc, i, "SET") || kw_at(sc, i, "NO"))
                i++;
            i++;
        } else if (kw_at(sc, i, "MATCH")) {
            i += 2;
        } else if (kw_at(sc, i, "NOT") && kw_at(sc, i + 1, "DEFERRABLE")) {
            c->deferrable = false;
            i += 2;
        } else if (kw_at(sc, i, "DEFERRABLE")) {
            c->deferrable = true;
            i++;
        } else if (kw_at(sc, i, "INITIALLY")) {
            c->initially_deferred = kw_at(sc, i + 1, "DEFERRED");
            i += 2;
        } else {
            break;
        }
    }
    return i;
}

/* CHECK ( expr ) / AS ( expr ) with '(' at i: the inner text */
static size_t paren_expr(const scan *sc, size_t i, size_t end, const char **expr)
{
    if (i >= end || !punct_at(sc, i, '('))
        return i;
    size_t close = close_of(sc, i);
    *expr = between(sc, i, close);
    return close < end ? close + 1 : end;
}

static void push_con(const scan *sc, sqlite_ddl_table *t, sqlite_ddl_con *c, const char *col)
{
    if (col && !c->columns.n)
        VEC_PUSH(sc->mem, c->columns, col);
    VEC_PUSH(sc->mem, t->cons, *c);
}

static void column_def(const scan *sc, size_t i, size_t end, sqlite_ddl_table *t)
{
    sqlite_ddl_col col = {0};
    col.name = ident_at(sc, i++);
    size_t ts = i;
    while (i < end && !col_constraint_start(sc, i))
        i = punct_at(sc, i, '(') ? close_of(sc, i) + 1 : i + 1;
    col.type = span(sc, ts, i < end ? i : end);
    const char *pending = NULL;
    while (i < end) {
        sqlite_ddl_con c = {0};
        if (kw_at(sc, i, "CONSTRAINT")) {
            pending = ident_at(sc, i + 1);
            i += 2;
            continue;
        }
        c.name = pending;
        if (kw_at(sc, i, "PRIMARY")) {
            c.kind = 'p';
            i += 2;
            if (kw_at(sc, i, "ASC") || kw_at(sc, i, "DESC"))
                i++;
            i = conflict_clause(sc, i, end, &c.conflict);
            push_con(sc, t, &c, col.name);
        } else if (kw_at(sc, i, "NOT") && kw_at(sc, i + 1, "NULL")) {
            c.kind = 'n';
            i = conflict_clause(sc, i + 2, end, &c.conflict);
            if (c.name)
                push_con(sc, t, &c, col.name);
        } else if (kw_at(sc, i, "UNIQUE")) {
            c.kind = 'u';
            i = conflict_clause(sc, i + 1, end, &c.conflict);
            push_con(sc, t, &c, col.name);
        } else if (kw_at(sc, i, "CHECK")) {
            c.kind = 'c';
            i = paren_expr(sc, i + 1, end, &c.expr);
            push_con(sc, t, &c, col.name);
        } else if (kw_at(sc, i, "REFERENCES")) {
            i = fk_clause(sc, i + 1, end, &c);
            push_con(sc, t, &c, col.name);
        } else if (kw_at(sc, i, "GENERATED") || kw_at(sc, i, "AS")) {
            if (kw_at(sc, i, "GENERATED"))
                i += 2;
            i = paren_expr(sc, i + 1, end, &col.generated_expr);
            col.generated = 'v';
            if (kw_at(sc, i, "STORED"))
                col.generated = 's', i++;
            else if (kw_at(sc, i, "VIRTUAL"))
                i++;
        } else if (kw_at(sc, i, "DEFAULT")) {
            i++;
            if (punct_at(sc, i, '('))
                i = close_of(sc, i) + 1;
            else if (punct_at(sc, i, '+') || punct_at(sc, i, '-'))
                i += 2;
            else
                i++;
        } else if (kw_at(sc, i, "COLLATE")) {
            i += 2;
        } else {
            i++;
        }
        pending = NULL;
    }
    VEC_PUSH(sc->mem, t->cols, col);
}

static void table_constraint(const scan *sc, size_t i, size_t end, sqlite_ddl_table *t)
{
    sqlite_ddl_con c = {0};
    if (kw_at(sc, i, "CONSTRAINT")) {
        c.name = ident_at(sc, i + 1);
        i += 2;
    }
    if (kw_at(sc, i, "PRIMARY") || kw_at(sc, i, "UNIQUE")) {
        c.kind = kw_at(sc, i, "PRIMARY") ? 'p' : 'u';
        i += c.kind == 'p' ? 2 : 1;
        if (punct_at(sc, i, '('))
            i = name_list(sc, i, &c.columns);
        conflict_clause(sc, i, end, &c.conflict);
    } else if (kw_at(sc, i, "CHECK")) {
        c.kind = 'c';
        paren_expr(sc, i + 1, end, &c.expr);
    } else if (kw_at(sc, i, "FOREIGN")) {
        i += 2;
        if (punct_at(sc, i, '('))
            i = name_list(sc, i, &c.columns);
        if (kw_at(sc, i, "REFERENCES"))
            fk_clause(sc, i + 1, end, &c);
        c.kind = 'f';
    } else {
        return;
    }
    VEC_PUSH(sc->mem, t->cons, c);
}

static bool table_constraint_start(const scan *sc, size_t i)
{
    return kw_at(sc, i, "CONSTRAINT") || kw_at(sc, i, "PRIMARY") || kw_at(sc, i, "UNIQUE") ||
           kw_at(sc, i, "CHECK") || kw_at(sc, i, "FOREIGN");
}

void sqlite_ddl_table_scan(arena *mem, const char *sql, sqlite_ddl_table *out)
{
    memset(out, 0, sizeof *out);
    if (!sql)
        return;
    scan sc;
    scan_init(&sc, mem, sql);
    size_t i = 0;
    while (i < sc.tv.n && !punct_at(&sc, i, '(') && !kw_at(&sc, i, "AS"))
        i++;
    if (i >= sc.tv.n || kw_at(&sc, i, "AS"))
        return;
    size_t close = close_of(&sc, i);
    for (size_t j = i + 1; j < close;) {
        size_t e = elem_end(&sc, j, close);
        if (e > j) {
            if (table_constraint_start(&sc, j))
                table_constraint(&sc, j, e, out);
            else if (name_at(&sc, j))
                column_def(&sc, j, e, out);
        }
        j = e + 1;
    }
    for (size_t j = close + 1; j < sc.tv.n; j++) {
        if (kw_at(&sc, j, "WITHOUT") && kw_at(&sc, j + 1, "ROWID"))
            out->without_rowid = true;
        if (kw_at(&sc, j, "STRICT"))
            out->strict = true;
    }
}

/* ---- CREATE INDEX ---------------------------------------------------------------- */

void sqlite_ddl_index_scan(arena *mem, const char *sql, sqlite_ddl_index *out)
{
    memset(out, 0, sizeof *out);
    if (!sql)
        return;
    scan sc;
    scan_init(&sc, mem, sql);
    size_t i = 0;
    while (i < sc.tv.n && !kw_at(&sc, i, "ON"))
        i++;
    while (i < sc.tv.n && !punct_at(&sc, i, '('))
        i++;
    if (i >= sc.tv.n)
        return;
    size_t close = close_of(&sc, i);
    for (size_t j = i + 1; j < close;) {
        size_t e = elem_end(&sc, j, close);
        size_t k = e;
        if (k > j + 1 && (kw_at(&sc, k - 1, "ASC") || kw_at(&sc, k - 1, "DESC")))
            k--;
        if (k > j + 2 && kw_at(&sc, k - 2, "COLLATE"))
            k -= 2;
        size_t a = j;
        while (k > a + 2 && punct_at(&sc, a, '(') && close_of(&sc, a) == k - 1)
            a++, k--; /* redundant parentheses around the whole element */
        if (k > a)
            VEC_PUSH(mem, out->elems, span(&sc, a, k));
        j = e + 1;
    }
    if (close + 1 < sc.tv.n && kw_at(&sc, close + 1, "WHERE"))
        out->where = between(&sc, close + 1, sc.tv.n);
}

/* ---- CREATE VIEW ---------------------------------------------------------------------- */

void sqlite_ddl_view_scan(arena *mem, const char *sql, sqlite_ddl_view *out)
{
    memset(out, 0, sizeof *out);
    if (!sql)
        return;
    scan sc;
    scan_init(&sc, mem, sql);
    size_t i = 0;
    while (i < sc.tv.n && !kw_at(&sc, i, "VIEW"))
        i++;
    bool dummy = false;
    i = skip_if(&sc, i + 1, &dummy);
    const char *name = NULL;
    i = qualified_at(&sc, i, NULL, &name);
    if (punct_at(&sc, i, '('))
        i = name_list(&sc, i, &out->column_names);
    if (kw_at(&sc, i, "AS"))
        out->definition = between(&sc, i, sc.tv.n);
}

/* ---- CREATE TRIGGER ------------------------------------------------------------------- */

void sqlite_ddl_trigger_scan(arena *mem, const char *sql, sqlite_ddl_trigger *out)
{
    memset(out, 0, sizeof *out);
    out->timing = "BEFORE";
    if (!sql)
        return;
    scan sc;
    scan_init(&sc, mem, sql);
    size_t i = 0;
    while (i < sc.tv.n && !kw_at(&sc, i, "TRIGGER"))
        i++;
    bool dummy = false;
    i = skip_if(&sc, i + 1, &dummy);
    const char *name = NULL;
    i = qualified_at(&sc, i, NULL, &name);
    if (kw_at(&sc, i, "BEFORE") || kw_at(&sc, i, "AFTER")) {
        out->timing = kw_at(&sc, i, "BEFORE") ? "BEFORE" : "AFTER";
        i++;
    } else if (kw_at(&sc, i, "INSTEAD") && kw_at(&sc, i + 1, "OF")) {
        out->timing = "INSTEAD OF";
        i += 2;
    }
    if (kw_at(&sc, i, "INSERT"))
        out->event = "INSERT";
    else if (kw_at(&sc, i, "DELETE"))
        out->event = "DELETE";
    else if (kw_at(&sc, i, "UPDATE"))
        out->event = "UPDATE";
    i++;
    if (out->event && !strcmp(out->event, "UPDATE") && kw_at(&sc, i, "OF")) {
        for (i++; i < sc.tv.n && !kw_at(&sc, i, "ON"); i++)
            if (name_at(&sc, i))
                VEC_PUSH(mem, out->update_columns, ident_at(&sc, i));
    }
    while (i < sc.tv.n && !kw_at(&sc, i, "WHEN") && !kw_at(&sc, i, "BEGIN"))
        i++;
    size_t when = sc.tv.n;
    if (kw_at(&sc, i, "WHEN")) {
        when = i;
        int depth = 0;
        for (; i < sc.tv.n; i++) {
            if (punct_at(&sc, i, '('))
                depth++;
            else if (punct_at(&sc, i, ')'))
                depth--;
            else if (depth == 0 && kw_at(&sc, i, "BEGIN"))
                break;
        }
        out->when = between(&sc, when, i);
    }
    if (i >= sc.tv.n)
        return;
    size_t end = sc.tv.n;
    while (end > i + 1 && !kw_at(&sc, end - 1, "END"))
        end--;
    out->body = between(&sc, i, end > i + 1 ? end - 1 : sc.tv.n);
}
