/*
 * diff.h — schema diff: two catalogs in, an ordered migration plan out.
 *
 *   diff_catalogs(plan, from, to)   the changes that turn FROM into TO
 *   the down plan                   diff_catalogs(plan, to, from) with renames inverted
 *
 * Matching: objects are matched by (kind, schema, name); a rename is only
 * recognised from a hint — `-- dbsage:renamed-from old_name` annotations
 * captured by the readers into `renamed_from` fields of the TO catalog, or
 * --rename old=new options (diff_opts.renames).  Without a hint a rename is a
 * drop + add, flagged destructive.
 *
 * Comparison uses only the normalised fields (`type`, `*_norm`, flags), the
 * same ones the round-trip tests compare, so the diff of two spellings of one
 * schema (file vs live server) is empty.
 *
 * A plan is a list of changes.  Each change carries its SQL (one or more
 * statements, ';'-terminated), hazards, and an ordering phase; the dialect
 * backends (diff_pg.c, diff_sqlite.c) produce the changes, diff_plan_sort()
 * orders them, and diff_emit.c frames them into a script (transactions,
 * SQLite rebuild PRAGMAs outside the transaction, hazard comments).
 */
#ifndef DBSAGE_DIFF_H
#define DBSAGE_DIFF_H

#include <stdbool.h>

#include "catalog/catalog.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/vec.h"

typedef enum diff_hazard {
    HAZARD_DESTRUCTIVE = 1 << 0,     /* drops data: table/column drop, narrowing type change, enum value removal */
    HAZARD_TABLE_REWRITE = 1 << 1,   /* the whole table is rewritten (type change, SQLite rebuild, volatile default) */
    HAZARD_ACCESS_EXCLUSIVE = 1 << 2,/* takes an ACCESS EXCLUSIVE lock (PG) */
    HAZARD_FULL_SCAN = 1 << 3,       /* scans the table (SET NOT NULL, validating a constraint, index build) */
    HAZARD_DATA_DEPENDENT = 1 << 4,  /* may fail depending on the data (NOT NULL, new UNIQUE/CHECK/FK, USING cast) */
} diff_hazard;

/* Execution phases, in order.  Drops run before creates of the same kind so
 * dependents are out of the way; FKs are added after all tables exist. */
typedef enum diff_phase {
    PHASE_RENAMES = 5,            /* renames first: every later statement uses the new names */
    PHASE_DROP_DEPENDENTS = 10,   /* policies, triggers, views, FKs that depend on something changing */
    PHASE_DROP_OBJECTS = 20,      /* indexes, constraints, columns, tables, functions */
    PHASE_DROP_TYPES = 30,        /* sequences, domains, enums, composites, extensions, schemas */
    PHASE_CREATE_SCHEMAS = 40,    /* schemas, extensions */
    PHASE_CREATE_TYPES = 50,      /* enums (+ADD VALUE), domains, composites, sequences */
    PHASE_CREATE_FUNCTIONS = 60,
    PHASE_ALTER_TABLES = 70,      /* create tables, add/alter columns, non-FK constraints, SQLite rebuilds */
    PHASE_CREATE_FKS = 80,
    PHASE_CREATE_INDEXES = 90,
    PHASE_CREATE_VIEWS = 100,     /* in view dependency order */
    PHASE_CREATE_DEPENDENTS = 110,/* triggers, RLS, policies */
    PHASE_METADATA = 120,         /* comments, grants, sequence ownership */
    /* SQLite: the foreign key check of a rebuild, last inside the transaction
     * (diff_sqlite.c adds a "foreign_key_check" change that fails the script on
     * violations).  The PRAGMA foreign_keys=OFF/ON framing of a plan holding a
     * "rebuild_table" change is written by diff_emit.c outside BEGIN/COMMIT. */
    PHASE_SQLITE_FK_CHECK = 990,
} diff_phase;

typedef struct diff_change {
    const char *kind;           /* e.g. "create_table", "drop_column", "alter_column_type", "rebuild_table",
                                   "add_enum_value", "rename_table" — documented in docs/diff.md */
    cat_object_kind object_kind;
    const char *schema;
    const char *name;           /* the table/view/type/... */
    const char *sub;            /* column/constraint/index/trigger/policy/enum value, or NULL */
    unsigned hazards;           /* diff_hazard bits */
    int phase;                  /* diff_phase */
    int order;                  /* tie-break inside a phase (dependency rank), then insertion order */
    bool transactional;         /* false: must run outside a transaction (e.g. ALTER TYPE ADD VALUE on PG < 12
                                   is not an issue on 15; SQLite PRAGMA foreign_keys) */
    const char *sql;            /* statements, each ending in ";\n" */
    const char *note;           /* human explanation, optional */
} diff_change;

typedef struct diff_rename {
    cat_object_kind kind;       /* OBJ_TABLE, OBJ_COLUMN, OBJ_INDEX, OBJ_ENUM (value rename) ... */
    const char *schema;         /* NULL = default schema */
    const char *table;          /* for columns: the (new) table name; for enum values: the enum */
    const char *old_name;
    const char *new_name;
} diff_rename;

typedef struct diff_opts {
    bool allow_destructive;     /* include destructive changes (else left out, with a note) */
    VEC(diff_rename) renames;   /* from --rename old=new and annotations */
} diff_opts;

typedef struct diff_plan {
    arena *mem;
    dialect dialect;
    VEC(diff_change) changes;   /* after diff_plan_sort: execution order */
    VEC(diff_change) skipped;   /* destructive changes left out (allow_destructive false) */
    strvec notes;               /* messages for the user ("3 destructive changes left out: ...") */
} diff_plan;

void diff_plan_init(diff_plan *plan, arena *mem, dialect d);

/* Compare and fill plan (unsorted changes are sorted before return).
 * Returns 0, or -1 with diagnostics (e.g. dialect mismatch, unsupported change). */
int diff_catalogs(diff_plan *plan, catalog *from, catalog *to, const diff_opts *opts, diag_list *diags);

/* Backends (called by diff_catalogs). */
int diff_pg(diff_plan *plan, catalog *from, catalog *to, const diff_opts *opts, diag_list *diags);
int diff_sqlite(diff_plan *plan, catalog *from, catalog *to, const diff_opts *opts, diag_list *diags);

/* Add a change (copies strings into plan->mem); returns it for tweaks. */
diff_change *diff_add(diff_plan *plan, const char *kind, cat_object_kind ok, const char *schema,
                      const char *name, const char *sub, int phase, unsigned hazards, const char *sql);
void diff_plan_sort(diff_plan *plan);
bool diff_plan_empty(const diff_plan *plan);

/* Script: hazard comments above each statement, transaction framing per
 * dialect, skipped destructive changes listed as comments at the end. */
void diff_emit_sql(strbuf *out, const diff_plan *plan);
/* {"dialect":..., "changes":[{"kind","object_kind","schema","name","sub","hazards":[...],"sql"}],
 *  "skipped":[...], "notes":[...]} */
void diff_emit_json(strbuf *out, const diff_plan *plan);
const char *diff_hazard_name(diff_hazard h);  /* "destructive", "table-rewrite", ... */

#endif
