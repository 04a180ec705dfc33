/*
 * catalog.h — the one in-memory schema model shared by every dbsage command.
 *
 * A catalog holds what a database (PostgreSQL or SQLite) would contain after
 * running a set of DDL statements: schemas, tables with columns and
 * constraints, indexes, types, sequences, views, routines, triggers,
 * policies, extensions, comments and grants.  Readers (src/source/) fill it;
 * emitters, diff and analysis read it.  The catalog knows nothing of readers.
 *
 * Conventions
 *  - All memory lives in the catalog's arena; catalog_free() releases it.
 *  - Names are stored unquoted and case-folded the way the engine folds them
 *    (PostgreSQL: unquoted identifiers lower-cased by the parser).
 *  - Every object has a `schema`: PostgreSQL default "public", SQLite "main".
 *  - Types are kept twice: `type_written` (as in the source) and `type`
 *    (normalised: PostgreSQL format_type() spelling, e.g. "integer",
 *    "character varying(20)", "timestamp with time zone", "text[]"; SQLite:
 *    the declared type upper-cased with single spaces).
 *  - Expressions (defaults, checks, predicates, view bodies) are kept as
 *    written (`*_expr`/`definition`) and normalised (`*_norm`): the form used
 *    for comparison, produced by src/catalog/normalize (libpg_query deparse
 *    with redundant casts, parentheses and qualifiers removed) so that a file
 *    and a live server spelling of the same expression compare equal.
 *  - Every object carries provenance: where it was created and each place
 *    that altered it.
 */
#ifndef DBSAGE_CATALOG_H
#define DBSAGE_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/diag.h"
#include "util/hashmap.h"
#include "util/vec.h"

typedef enum dialect { DIALECT_UNKNOWN = 0, DIALECT_PG, DIALECT_SQLITE } dialect;

const char *dialect_name(dialect d);  /* "pg", "sqlite", "unknown" */
dialect dialect_from_name(const char *s);  /* "pg"/"postgres"/"postgresql"/"sqlite" */

typedef struct provenance {
    src_loc created;
    VEC(src_loc) altered;
} provenance;

/* ---- kinds ------------------------------------------------------------ */

typedef enum cat_object_kind {
    OBJ_SCHEMA,
    OBJ_TABLE,
    OBJ_COLUMN,
    OBJ_CONSTRAINT,
    OBJ_INDEX,
    OBJ_ENUM,
    OBJ_DOMAIN,
    OBJ_SEQUENCE,
    OBJ_VIEW,
    OBJ_MATVIEW,
    OBJ_FUNCTION,
    OBJ_PROCEDURE,
    OBJ_TRIGGER,
    OBJ_POLICY,
    OBJ_EXTENSION,
    OBJ_COMPOSITE_TYPE,
} cat_object_kind;

const char *cat_object_kind_name(cat_object_kind k);  /* "table", "materialized view", ... */

/* FK actions as in pg_constraint: 'a' no action, 'r' restrict, 'c' cascade,
 * 'n' set null, 'd' set default. */
typedef char fk_action;

typedef enum cat_con_kind {
    CON_PRIMARY = 'p',
    CON_UNIQUE = 'u',
    CON_CHECK = 'c',
    CON_FOREIGN = 'f',
    CON_EXCLUDE = 'x',
    CON_NOT_NULL = 'n', /* only for named NOT NULL constraints in SQLite; PG uses column flag */
} cat_con_kind;

/* ---- objects ------------------------------------------------------------ */

typedef struct cat_column {
    const char *name;
    int ordinal;                /* 1-based position */
    const char *type_written;   /* as written, NULL when unknown */
    const char *type;           /* normalised, see above; "" for untyped SQLite columns */
    const char *default_expr;   /* as written (deparsed), NULL = none */
    const char *default_norm;
    bool not_null;
    char identity;              /* 0, 'a' ALWAYS, 'd' BY DEFAULT */
    const char *identity_options; /* sequence options of an identity column, normalised, NULL */
    char generated;             /* 0, 's' STORED, 'v' VIRTUAL (SQLite) */
    const char *generated_expr;
    const char *generated_norm;
    const char *collation;      /* non-default collation, NULL */
    const char *comment;
    bool hidden;                /* SQLite hidden column (virtual tables) */
    bool autoincrement;         /* SQLite INTEGER PRIMARY KEY AUTOINCREMENT */
    provenance prov;
} cat_column;

typedef struct cat_constraint {
    const char *name;           /* PG: always named (server naming rules); SQLite: NULL if unnamed */
    cat_con_kind kind;
    strvec columns;             /* key / FK columns */
    const char *expr;           /* CHECK expression as written */
    const char *expr_norm;
    /* FOREIGN KEY */
    const char *ref_schema;
    const char *ref_table;
    strvec ref_columns;         /* empty = referenced table's primary key (resolved when known) */
    fk_action on_delete;
    fk_action on_update;
    char match;                 /* 's' simple, 'f' full, 'p' partial */
    bool deferrable;
    bool initially_deferred;
    bool not_valid;
    bool no_inherit;
    /* EXCLUDE and index parameters */
    const char *using_method;   /* exclusion index method, e.g. "gist" */
    strvec exclude_elems;       /* normalised "elem WITH op" strings */
    strvec include_columns;     /* INCLUDE (...) */
    const char *where_norm;     /* exclusion predicate */
    bool nulls_not_distinct;
    const char *conflict;       /* SQLite ON CONFLICT clause, NULL */
    const char *comment;
    provenance prov;
} cat_constraint;

typedef struct cat_index_elem {
    const char *column;         /* plain column, or NULL when expr is set */
    const char *expr;           /* expression as written */
    const char *expr_norm;
    const char *collation;
    const char *opclass;
    bool desc;
    char nulls;                 /* 0 default, 'f' NULLS FIRST, 'l' NULLS LAST */
} cat_index_elem;

typedef struct cat_index {
    const char *schema;
    const char *name;
    const char *table;
    const char *method;         /* "btree" default; SQLite: NULL */
    bool unique;
    bool nulls_not_distinct;
    VEC(cat_index_elem) elems;
    strvec include_columns;
    const char *where_expr;     /* partial index predicate */
    const char *where_norm;
    const char *comment;
    const char *sql;            /* SQLite: original CREATE INDEX text */
    provenance prov;
} cat_index;

typedef struct cat_trigger {
    const char *name;
    const char *schema;         /* schema of the table */
    const char *table;
    const char *timing;         /* "BEFORE", "AFTER", "INSTEAD OF" */
    strvec events;              /* "INSERT", "UPDATE", "DELETE", "TRUNCATE" in that order */
    strvec update_columns;      /* UPDATE OF ... */
    bool for_each_row;
    const char *when_expr;
    const char *when_norm;
    const char *function_schema; /* PG: EXECUTE FUNCTION schema.name(args) */
    const char *function_name;
    strvec function_args;
    bool constraint_trigger;
    bool deferrable;
    bool initially_deferred;
    const char *body;           /* SQLite: the statement list between BEGIN and END */
    const char *sql;            /* SQLite: original CREATE TRIGGER text */
    const char *comment;
    provenance prov;
} cat_trigger;

typedef struct cat_policy {
    const char *name;
    const char *schema;
    const char *table;
    bool permissive;            /* false = RESTRICTIVE */
    const char *command;        /* "ALL", "SELECT", "INSERT", "UPDATE", "DELETE" */
    strvec roles;               /* sorted; "public" when none given */
    const char *using_expr;
    const char *using_norm;
    const char *check_expr;
    const char *check_norm;
    const char *comment;
    provenance prov;
} cat_policy;

typedef struct cat_table {
    const char *schema;
    const char *name;
    VEC(cat_column *) columns;
    VEC(cat_constraint *) constraints;
    VEC(cat_index *) indexes;
    VEC(cat_trigger *) triggers;
    VEC(cat_policy *) policies;
    bool rls_enabled;
    bool rls_forced;
    bool unlogged;
    bool without_rowid;         /* SQLite */
    bool strict;                /* SQLite */
    const char *partition_by;   /* PG "RANGE (col)" etc., normalised, NULL */
    const char *partition_bound; /* PG partition: pg_get_expr(relpartbound) spelling,
                                    "FOR VALUES FROM ('a') TO ('b')" / "DEFAULT"; its parent
                                    is inherits[0]; NULL when not a partition */
    strvec inherits;            /* PG parents, "schema.name" */
    const char *comment;
    const char *sql;            /* SQLite: original CREATE TABLE text */
    provenance prov;
} cat_table;

typedef struct cat_enum {
    const char *schema;
    const char *name;
    strvec labels;              /* in sort order */
    const char *comment;
    provenance prov;
} cat_enum;

typedef struct cat_domain_check {
    const char *name;
    const char *expr;
    const char *expr_norm;
} cat_domain_check;

typedef struct cat_domain {
    const char *schema;
    const char *name;
    const char *base_type_written;
    const char *base_type;      /* normalised */
    const char *default_expr;
    const char *default_norm;
    bool not_null;
    const char *collation;
    VEC(cat_domain_check) checks;
    const char *comment;
    provenance prov;
} cat_domain;

typedef struct cat_composite_attr {
    const char *name;
    const char *type;           /* normalised */
    const char *type_written;
} cat_composite_attr;

typedef struct cat_composite {
    const char *schema;
    const char *name;
    VEC(cat_composite_attr) attrs;
    const char *comment;
    provenance prov;
} cat_composite;

typedef struct cat_sequence {
    const char *schema;
    const char *name;
    const char *type;           /* "bigint" default, "integer", "smallint" */
    int64_t start;
    int64_t increment;
    int64_t min_value;
    int64_t max_value;
    int64_t cache;
    bool cycle;
    const char *owned_by_table; /* OWNED BY schema.table.column */
    const char *owned_by_column;
    const char *comment;
    provenance prov;
} cat_sequence;

typedef struct cat_view {
    const char *schema;
    const char *name;
    bool materialized;
    const char *definition;     /* the SELECT as written (SQLite: as written) */
    const char *definition_norm;
    strvec column_names;        /* explicit column list as written (file sources only; the
                                   normalised definition carries them as output aliases) */
    const char *check_option;   /* NULL, "LOCAL", "CASCADED" */
    bool security_barrier;
    bool security_invoker;
    const char *comment;
    const char *sql;            /* SQLite: original CREATE VIEW text */
    strvec depends_on;          /* "schema.name" of relations/views it reads, for ordering */
    VEC(cat_index *) indexes;   /* materialized views */
    VEC(cat_trigger *) triggers; /* INSTEAD OF (and other) triggers on the view */
    provenance prov;
} cat_view;

typedef struct cat_func_arg {
    const char *name;           /* NULL when unnamed */
    char mode;                  /* 'i' IN, 'o' OUT, 'b' INOUT, 'v' VARIADIC, 't' TABLE */
    const char *type;           /* normalised */
    const char *default_expr;
    const char *default_norm;
} cat_func_arg;

typedef struct cat_function {
    const char *schema;
    const char *name;
    bool is_procedure;
    VEC(cat_func_arg) args;
    const char *signature;      /* "name(integer, text)": identity input types, normalised */
    const char *returns;        /* normalised return type, "SETOF x", "TABLE(a integer)", NULL for procedures */
    const char *language;       /* lower case */
    const char *body;           /* source text of the body (prosrc) */
    char body_hash[17];         /* 16 hex digits of FNV-1a over the trimmed body */
    char volatility;            /* 'v', 's', 'i' */
    bool strict;
    bool security_definer;
    bool leakproof;
    char parallel;              /* 'u', 's', 'r' */
    const char *comment;
    provenance prov;
} cat_function;

typedef struct cat_extension {
    const char *name;
    const char *schema;         /* schema it was installed into */
    provenance prov;            /* (version and comment are the extension's own business) */
} cat_extension;

typedef struct cat_schema {
    const char *name;
    const char *comment;
    provenance prov;
} cat_schema;

typedef struct cat_grant {
    const char *object_kind;    /* "table", "sequence", "function", "schema", "view" */
    const char *schema;
    const char *object;         /* object name (function: signature) */
    const char *column;         /* column privilege, NULL */
    const char *grantee;        /* role name, "PUBLIC" */
    const char *privilege;      /* one privilege per grant: "SELECT", "INSERT", ... */
    bool with_grant_option;
    provenance prov;
} cat_grant;

/* A statement kept but not interpreted: DO blocks, DML, SET, unsupported DDL. */
typedef struct cat_opaque {
    const char *kind;           /* "do", "insert", "update", "delete", "select", "set", "other" */
    const char *sql;
    src_loc loc;
} cat_opaque;

/* A `-- dbsage:renamed-from OLD` annotation found in a source: the object
 * (table, column, index, view, enum value) written right after it was
 * called OLD before.  Used by diff to turn drop+add into a rename. */
typedef struct cat_rename_hint {
    cat_object_kind kind;       /* OBJ_TABLE, OBJ_COLUMN, OBJ_INDEX, OBJ_VIEW, OBJ_ENUM (a value) */
    const char *schema;
    const char *table;          /* columns: their table; enum values: the enum; else NULL */
    const char *old_name;
    const char *new_name;
    src_loc loc;
} cat_rename_hint;

typedef struct catalog {
    arena mem;
    dialect dialect;
    const char *source;         /* description of what was read (masked URL, paths) */
    VEC(cat_schema *) schemas;
    VEC(cat_table *) tables;
    VEC(cat_enum *) enums;
    VEC(cat_domain *) domains;
    VEC(cat_composite *) composites;
    VEC(cat_sequence *) sequences;
    VEC(cat_view *) views;
    VEC(cat_function *) functions;
    VEC(cat_extension *) extensions;
    VEC(cat_grant *) grants;
    VEC(cat_opaque) opaque;
    VEC(cat_rename_hint) rename_hints;
    hashmap index;              /* "kind\x1fschema\x1fname" -> object */
    /* reader-private state kept across files (SQLite: the in-memory database
     * the files are executed into); free_scratch(sqlite_scratch) is called
     * by catalog_free before the arena is released. */
    void *sqlite_scratch;
    bool sqlite_defer_pending;  /* sqlite_sql_defer() before the scratch database exists */
    void (*free_scratch)(void *);
} catalog;

/* ---- lifecycle ---------------------------------------------------------- */

catalog *catalog_new(dialect d);
void catalog_free(catalog *cat);
const char *catalog_default_schema(const catalog *cat);  /* "public" / "main" */

/* ---- creation (objects are registered in the lookup index) -------------- */
/* All add functions copy name strings into the catalog arena and return the
 * new object; they do not check for duplicates (readers do, with a diag). */

cat_schema *catalog_schema_add(catalog *cat, const char *name, src_loc loc);
cat_table *catalog_table_add(catalog *cat, const char *schema, const char *name, src_loc loc);
cat_column *catalog_column_add(catalog *cat, cat_table *t, const char *name, src_loc loc);
cat_constraint *catalog_constraint_add(catalog *cat, cat_table *t, cat_con_kind kind,
                                       const char *name, src_loc loc);
cat_index *catalog_index_add(catalog *cat, cat_table *t, const char *name, src_loc loc);
cat_index *catalog_matview_index_add(catalog *cat, cat_view *v, const char *name, src_loc loc);
cat_trigger *catalog_trigger_add(catalog *cat, cat_table *t, const char *name, src_loc loc);
cat_trigger *catalog_view_trigger_add(catalog *cat, cat_view *v, const char *name, src_loc loc);
cat_policy *catalog_policy_add(catalog *cat, cat_table *t, const char *name, src_loc loc);
cat_enum *catalog_enum_add(catalog *cat, const char *schema, const char *name, src_loc loc);
cat_domain *catalog_domain_add(catalog *cat, const char *schema, const char *name, src_loc loc);
cat_composite *catalog_composite_add(catalog *cat, const char *schema, const char *name, src_loc loc);
cat_sequence *catalog_sequence_add(catalog *cat, const char *schema, const char *name, src_loc loc);
cat_view *catalog_view_add(catalog *cat, const char *schema, const char *name, bool materialized,
                           src_loc loc);
cat_function *catalog_function_add(catalog *cat, const char *schema, const char *name,
                                   bool is_procedure, src_loc loc);
cat_extension *catalog_extension_add(catalog *cat, const char *name, src_loc loc);
cat_grant *catalog_grant_add(catalog *cat, src_loc loc);
void catalog_opaque_add(catalog *cat, const char *kind, const char *sql, src_loc loc);
void catalog_rename_hint_add(catalog *cat, cat_object_kind kind, const char *schema, const char *table,
                             const char *old_name, const char *new_name, src_loc loc);

/* Function signature: call after args are filled; sets fn->signature and
 * registers the function under it (overloads are distinct objects). */
void catalog_function_set_signature(catalog *cat, cat_function *fn);
void catalog_function_set_body(catalog *cat, cat_function *fn, const char *body);

/* ---- lookup ------------------------------------------------------------- */

cat_schema *catalog_schema_find(const catalog *cat, const char *name);
cat_table *catalog_table_find(const catalog *cat, const char *schema, const char *name);
cat_column *catalog_column_find(const cat_table *t, const char *name);
cat_constraint *catalog_constraint_find(const cat_table *t, const char *name);
cat_constraint *catalog_primary_key(const cat_table *t);
cat_index *catalog_index_find(const catalog *cat, const char *schema, const char *name);
cat_trigger *catalog_trigger_find(const cat_table *t, const char *name);
cat_trigger *catalog_view_trigger_find(const cat_view *v, const char *name);
cat_policy *catalog_policy_find(const cat_table *t, const char *name);
cat_enum *catalog_enum_find(const catalog *cat, const char *schema, const char *name);
cat_domain *catalog_domain_find(const catalog *cat, const char *schema, const char *name);
cat_composite *catalog_composite_find(const catalog *cat, const char *schema, const char *name);
cat_sequence *catalog_sequence_find(const catalog *cat, const char *schema, const char *name);
cat_view *catalog_view_find(const catalog *cat, const char *schema, const char *name);
/* by "name(type, type)" signature */
cat_function *catalog_function_find(const catalog *cat, const char *schema, const char *signature);
cat_extension *catalog_extension_find(const catalog *cat, const char *name);
/* the table or materialized view that owns index `name` */
cat_table *catalog_index_table(const catalog *cat, const cat_index *ix);

/* ---- mutation ----------------------------------------------------------- */

void catalog_provenance_altered(catalog *cat, provenance *p, src_loc loc);
/* remove objects (and, for tables, their indexes/triggers/policies/owned sequences) */
void catalog_table_remove(catalog *cat, cat_table *t);
/* dbsage's own bookkeeping tables (dbsage_migrations, dbsage_imports,
 * dbsage_copy_progress, dbsage_copy_tenants, dbsage_key_map), in any schema: not part of a user's schema for diff and drift.  Returns how
 * many were removed. */
bool catalog_is_tool_table(const char *name);
size_t catalog_remove_tool_tables(catalog *cat);
void catalog_column_remove(catalog *cat, cat_table *t, cat_column *c);
void catalog_constraint_remove(catalog *cat, cat_table *t, cat_constraint *c);
void catalog_index_remove(catalog *cat, cat_index *ix);
void catalog_trigger_remove(catalog *cat, cat_table *t, cat_trigger *tg);
void catalog_view_trigger_remove(catalog *cat, cat_view *v, cat_trigger *tg);
void catalog_policy_remove(catalog *cat, cat_table *t, cat_policy *p);
void catalog_enum_remove(catalog *cat, cat_enum *e);
void catalog_domain_remove(catalog *cat, cat_domain *d);
void catalog_composite_remove(catalog *cat, cat_composite *c);
void catalog_sequence_remove(catalog *cat, cat_sequence *s);
void catalog_view_remove(catalog *cat, cat_view *v);
void catalog_function_remove(catalog *cat, cat_function *f);
void catalog_extension_remove(catalog *cat, cat_extension *e);
void catalog_schema_remove(catalog *cat, cat_schema *s);
/* rename / move keep the lookup index in sync */
void catalog_table_rename(catalog *cat, cat_table *t, const char *new_schema, const char *new_name);
void catalog_index_rename(catalog *cat, cat_index *ix, const char *new_schema, const char *new_name);
void catalog_view_rename(catalog *cat, cat_view *v, const char *new_schema, const char *new_name);
void catalog_sequence_rename(catalog *cat, cat_sequence *s, const char *new_schema, const char *new_name);
void catalog_enum_rename(catalog *cat, cat_enum *e, const char *new_schema, const char *new_name);
void catalog_domain_rename(catalog *cat, cat_domain *d, const char *new_schema, const char *new_name);
void catalog_function_rename(catalog *cat, cat_function *f, const char *new_schema, const char *new_name);
void catalog_composite_rename(catalog *cat, cat_composite *c, const char *new_schema, const char *new_name);

/* ---- references (catalog_refs.c) ------------------------------------------ */
/* The server follows OIDs; the catalog stores names.  The rename functions
 * above call these, so stored references follow a rename / move: */
/* column, domain base, composite attribute, function argument/result types */
void catalog_type_renamed(catalog *cat, const char *old_schema, const char *old_name,
                          const char *new_schema, const char *new_name);
/* nextval('seq'::regclass) in column defaults (as written and normalised) */
void catalog_sequence_renamed(catalog *cat, const char *old_schema, const char *old_name,
                              const char *new_schema, const char *new_name);
/* grants on a relation (function: on a signature) follow it / go with it */
void catalog_grants_renamed(catalog *cat, bool function, const char *old_schema,
                            const char *old_object, const char *new_schema,
                            const char *new_object);
void catalog_grants_drop(catalog *cat, bool function, const char *schema, const char *object);

/* ---- ordering ----------------------------------------------------------- */

/* Sort every object list by (schema, name) and per-table lists by name
 * (columns stay in ordinal order).  Output code calls this first so output is
 * deterministic. */
void catalog_sort(catalog *cat);

/* Tables in dependency order (referenced before referencing; cycles broken
 * deterministically).  Returns an arena array of cat->tables.n pointers. */
cat_table **catalog_tables_in_dependency_order(catalog *cat);

/* ---- helpers ------------------------------------------------------------ */

/* "schema.name" with schema omitted when it is the default */
const char *catalog_qualified(catalog *cat, const char *schema, const char *name);

#endif
