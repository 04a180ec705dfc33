/*
 * sqlite_ddl.h — a small tokenizer and scanner for SQLite DDL text.
 *
 * SQLite itself executes and validates the statements; this scanner only
 * recovers what the PRAGMAs do not expose: the object a statement touches
 * (statement heads), constraint names, CHECK and generated-column
 * expressions, FK deferrability, index element expressions and WHERE
 * clauses, view bodies and trigger parts.  Input is assumed to be text
 * SQLite accepted (or, for heads, anything): the scanner never fails, it
 * returns what it found.
 */
#ifndef DBSAGE_SQLITE_DDL_H
#define DBSAGE_SQLITE_DDL_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/vec.h"

/* ---- tokens ------------------------------------------------------------ */

typedef enum sqlite_tok_type {
    STK_EOF = 0,
    STK_WORD,    /* bare identifier or keyword */
    STK_QUOTED,  /* "x", `x`, [x] */
    STK_STRING,  /* 'x' */
    STK_NUMBER,
    STK_BLOB,    /* x'00' */
    STK_VAR,     /* ?1 :a @a $a */
    STK_PUNCT,   /* operators and ( ) , ; . */
} sqlite_tok_type;

typedef struct sqlite_tok {
    sqlite_tok_type type;
    size_t off, len;
} sqlite_tok;

typedef VEC(sqlite_tok) sqlite_tokvec;

/* Offset of the first byte at or after pos that is not space or comment. */
size_t sqlite_skip_space(const char *s, size_t len, size_t pos);
/* Token starting at or after *pos; advances *pos past it. */
sqlite_tok sqlite_next_tok(const char *s, size_t len, size_t *pos);
/* All tokens of s[0..len) into out (scratch arena). */
void sqlite_tokenize(arena *mem, const char *s, size_t len, sqlite_tokvec *out);

/* Case-insensitive keyword test of a bare word. */
bool sqlite_tok_is(const char *s, sqlite_tok t, const char *kw);
bool sqlite_tok_punct(const char *s, sqlite_tok t, char c);
/* Identifier text of a token with quotes removed ("a""b" -> a"b). */
char *sqlite_tok_ident(arena *mem, const char *s, sqlite_tok t);
/* Trimmed copy of s[from..to). */
char *sqlite_text_slice(arena *mem, const char *s, size_t from, size_t to);

/* End offset (after the ';', or len) of the statement starting at pos;
 * used to resume after a statement SQLite refused.  Knows that a CREATE
 * TRIGGER only ends at END;. */
size_t sqlite_stmt_end(const char *s, size_t len, size_t pos);

/* ---- statement heads ------------------------------------------------------ */

typedef enum sqlite_verb {
    SV_OTHER = 0,
    SV_CREATE,
    SV_ALTER,
    SV_DROP,
    SV_DML,
    SV_PRAGMA,
    SV_ATTACH,   /* ATTACH / DETACH */
    SV_VACUUM,
    SV_TXN,      /* BEGIN COMMIT END ROLLBACK SAVEPOINT RELEASE */
} sqlite_verb;

typedef enum sqlite_alter {
    SA_NONE = 0,
    SA_RENAME_TABLE,
    SA_RENAME_COLUMN,
    SA_ADD_COLUMN,
    SA_DROP_COLUMN,
} sqlite_alter;

typedef struct sqlite_stmt_head {
    sqlite_verb verb;
    char kind;                 /* 't' table, 'i' index, 'v' view, 'g' trigger, 0 */
    bool temp;
    bool if_not_exists;
    const char *schema;        /* as written, NULL */
    const char *name;          /* object created / altered / dropped */
    const char *table;         /* CREATE INDEX / TRIGGER ... ON table */
    sqlite_alter alter;
    const char *new_name;      /* RENAME TO x, RENAME COLUMN a TO x */
    const char *column;        /* RENAME/ADD/DROP COLUMN */
    const char *dml_kind;      /* "insert", "update", "delete", "select" */
} sqlite_stmt_head;

void sqlite_stmt_head_scan(arena *mem, const char *s, size_t len, sqlite_stmt_head *out);

/* ---- CREATE TABLE ----------------------------------------------------------- */

typedef struct sqlite_ddl_con {
    char kind;                 /* 'p', 'u', 'c', 'f', 'n' */
    const char *name;          /* CONSTRAINT name, NULL */
    strvec columns;
    const char *expr;          /* CHECK: text inside the parentheses */
    const char *ref_table;
    strvec ref_columns;
    bool deferrable;
    bool initially_deferred;
    const char *conflict;      /* ON CONFLICT word upper-cased, NULL */
} sqlite_ddl_con;

typedef struct sqlite_ddl_col {
    const char *name;
    const char *type;          /* declared type as written, NULL */
    const char *generated_expr;
    char generated;            /* 'v' / 's' */
} sqlite_ddl_col;

typedef struct sqlite_ddl_table {
    VEC(sqlite_ddl_col) cols;
    VEC(sqlite_ddl_con) cons;
    bool without_rowid;
    bool strict;
} sqlite_ddl_table;

void sqlite_ddl_table_scan(arena *mem, const char *sql, sqlite_ddl_table *out);

/* ---- CREATE INDEX / VIEW / TRIGGER ------------------------------------------ */

typedef struct sqlite_ddl_index {
    strvec elems;              /* element text without COLLATE / ASC / DESC */
    const char *where;         /* partial index predicate, NULL */
} sqlite_ddl_index;

void sqlite_ddl_index_scan(arena *mem, const char *sql, sqlite_ddl_index *out);

typedef struct sqlite_ddl_view {
    strvec column_names;
    const char *definition;    /* text after AS */
} sqlite_ddl_view;

void sqlite_ddl_view_scan(arena *mem, const char *sql, sqlite_ddl_view *out);

typedef struct sqlite_ddl_trigger {
    const char *timing;        /* "BEFORE" (default), "AFTER", "INSTEAD OF" */
    const char *event;         /* "INSERT", "UPDATE", "DELETE" */
    strvec update_columns;
    const char *when;          /* NULL */
    const char *body;          /* between BEGIN and END */
} sqlite_ddl_trigger;

void sqlite_ddl_trigger_scan(arena *mem, const char *sql, sqlite_ddl_trigger *out);

#endif
