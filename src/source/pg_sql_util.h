/*
 * pg_sql_util.h — internals of the PostgreSQL SQL-file reader: the reader
 * state shared by pg_sql*.c, parse-tree helpers (strings, names, types,
 * expressions), search_path resolution and the server's object naming rules
 * (makeObjectName / ChooseRelationName / ChooseConstraintName).
 */
#ifndef DBSAGE_PG_SQL_UTIL_H
#define DBSAGE_PG_SQL_UTIL_H

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "catalog/catalog.h"
#include "util/diag.h"

#define PG_NAMEDATALEN 64

typedef struct pgr {
    catalog *cat;
    diag_list *diags;
    const char *file;
    const char *text;       /* NUL-terminated copy of the file */
    size_t len;
    line_index li;
    arena tmp;              /* per-file scratch */
    src_loc loc;            /* location of the current statement */
    size_t stmt_off, stmt_len;
    strvec search_path;     /* in tmp */
    hashmap grant_map;      /* grant identity -> cat_grant, rebuilt after removals */
    bool grant_map_valid;
    hashmap norm_cache;     /* written expression text -> normalised text */
    const void *memo_node;  /* last deparsed node and its text */
    const char *memo_text;
} pgr;

/* ---- node helpers ------------------------------------------------------- */
/* protobuf leaves absent strings as "": treat those as NULL */
static inline const char *pgu_s(const char *s) { return s && *s ? s : NULL; }
const char *pgu_str(const PgQuery__Node *n);            /* String sval, NULL otherwise */
PgQuery__List *pgu_list(const PgQuery__Node *n);        /* List or NULL */
bool pgu_defbool(const PgQuery__DefElem *d);            /* DefElem arg as boolean (no arg = true) */
bool pgu_defint(const PgQuery__DefElem *d, int64_t *out);
const char *pgu_defstr(const PgQuery__DefElem *d);      /* String/TypeName-ish arg as text */
const char *pgu_node_kind(const PgQuery__Node *n);      /* "CreateStmt" etc. */
const char *pgu_stmt_text(pgr *r);                      /* current statement text (cat arena) */

/* ---- names -------------------------------------------------------------- */
/* split a list of String nodes into schema (NULL if unqualified) and name */
void pgu_names(PgQuery__Node **names, size_t n, const char **schema, const char **name);
bool pgu_schema_exists(pgr *r, const char *schema);
/* schema for creating an unqualified object; NULL + error diag when none */
const char *pgu_create_schema(pgr *r, const char *schema);
/* schema for looking up: explicit one, else first path schema where found(schema) */
typedef bool (*pgu_exists_fn)(pgr *r, const char *schema, const char *name);
const char *pgu_lookup_schema(pgr *r, const char *schema, const char *name, pgu_exists_fn found);
bool pgu_rel_exists(pgr *r, const char *schema, const char *name);   /* any relation */
bool pgu_type_exists(pgr *r, const char *schema, const char *name);
cat_table *pgu_find_table(pgr *r, const char *schema, const char *name);
cat_table *pgu_find_table_rv(pgr *r, const PgQuery__RangeVar *rv);
const char *pgu_display(const char *schema, const char *name, arena *mem);  /* "s.n" or "n" */

/* ---- types -------------------------------------------------------------- */
/* normalised type; *written gets the readable as-written text (may be NULL) */
const char *pgu_type(pgr *r, const PgQuery__TypeName *tn, const char **written);
/* serial kind of a type name: 0 none, 2 smallserial, 4 serial, 8 bigserial */
int pgu_serial_kind(const PgQuery__TypeName *tn);

/* ---- expressions -------------------------------------------------------- */
const char *pgu_expr(pgr *r, const PgQuery__Node *n);        /* as written */
const char *pgu_expr_norm(pgr *r, const PgQuery__Node *n);   /* normalised */
/* deparse a whole statement node (e.g. a SelectStmt) to SQL, NULL on failure */
const char *pgu_deparse_stmt(arena *mem, PgQuery__Node *stmt);
/* generic walk: calls fn for every node of node_case `which` below n */
typedef void (*pgu_visit_fn)(pgr *r, const PgQuery__Node *n, void *ud);
void pgu_walk(pgr *r, const void *msg, PgQuery__Node__NodeCase which, pgu_visit_fn fn, void *ud);
/* distinct column names referenced by an expression (last field of ColumnRefs) */
void pgu_column_refs(pgr *r, const PgQuery__Node *expr, strvec *out);
/* FigureIndexColname of an index expression */
const char *pgu_figure_colname(const PgQuery__Node *n);
/* does SQL text `text` mention identifier `ident` as a token (crude) */
bool pgu_text_mentions(const char *text, const char *ident);

/* ---- naming rules --------------------------------------------------------- */
const char *pgu_make_object_name(arena *mem, const char *name1, const char *name2,
                                 const char *label);
const char *pgu_name_addition(arena *mem, const strvec *cols);   /* ChooseIndexNameAddition */
/* relation namespace collision check (indexes, sequences) */
const char *pgu_choose_relation_name(pgr *r, const char *schema, const char *name1,
                                     const char *name2, const char *label);
/* constraint collision check on one table (plus relation namespace when rel) */
const char *pgu_choose_constraint_name(pgr *r, cat_table *t, const char *name1,
                                       const char *name2, const char *label, bool rel);

/* ---- misc ------------------------------------------------------------------ */
void pgu_altered(pgr *r, provenance *p);
char *pgu_upper(arena *mem, const char *s);
void pgu_strvec_push(arena *mem, strvec *v, const char *s);   /* copies */
bool pgu_strvec_has(const strvec *v, const char *s);
void pgu_sort_strvec(strvec *v);

/* ---- statement handlers (pg_sql_table.c / pg_sql_objects.c / pg_sql_misc.c) -- */
void pg_sql_create_table(pgr *r, PgQuery__CreateStmt *st);
void pg_sql_alter_table(pgr *r, PgQuery__AlterTableStmt *st);
void pg_sql_create_index(pgr *r, PgQuery__IndexStmt *st);
void pg_sql_drop_table(pgr *r, cat_table *t, bool cascade);
void pg_sql_create_enum(pgr *r, PgQuery__CreateEnumStmt *st);
void pg_sql_alter_enum(pgr *r, PgQuery__AlterEnumStmt *st);
void pg_sql_create_composite(pgr *r, PgQuery__CompositeTypeStmt *st);
void pg_sql_create_domain(pgr *r, PgQuery__CreateDomainStmt *st);
void pg_sql_alter_domain(pgr *r, PgQuery__AlterDomainStmt *st);
void pg_sql_create_sequence(pgr *r, PgQuery__CreateSeqStmt *st);
void pg_sql_alter_sequence(pgr *r, PgQuery__AlterSeqStmt *st);
void pg_sql_create_view(pgr *r, PgQuery__ViewStmt *st);
void pg_sql_create_matview(pgr *r, PgQuery__CreateTableAsStmt *st);
void pg_sql_create_function(pgr *r, PgQuery__CreateFunctionStmt *st);
void pg_sql_create_trigger(pgr *r, PgQuery__CreateTrigStmt *st);
void pg_sql_create_policy(pgr *r, PgQuery__CreatePolicyStmt *st);
void pg_sql_alter_policy(pgr *r, PgQuery__AlterPolicyStmt *st);
void pg_sql_create_extension(pgr *r, PgQuery__CreateExtensionStmt *st);
void pg_sql_drop(pgr *r, PgQuery__DropStmt *st);
void pg_sql_rename(pgr *r, PgQuery__RenameStmt *st);
void pg_sql_set_schema(pgr *r, PgQuery__AlterObjectSchemaStmt *st);
void pg_sql_comment(pgr *r, PgQuery__CommentStmt *st);
void pg_sql_grant(pgr *r, PgQuery__GrantStmt *st);
/* function helpers shared by drop/comment/grant/rename */
cat_function *pg_sql_find_function(pgr *r, const PgQuery__ObjectWithArgs *owa, bool is_proc,
                                   const char **display);
void pg_sql_sequence_defaults(cat_sequence *s, const char *type);
/* apply CREATE/ALTER SEQUENCE options (DefElems) to s; false + diag on error */
bool pg_sql_sequence_options(pgr *r, cat_sequence *s, PgQuery__Node **opts, size_t n, bool alter);
/* canonical non-default identity sequence options, NULL when all default */
const char *pg_sql_identity_options(pgr *r, const char *coltype, PgQuery__Node **opts, size_t n);

#endif
