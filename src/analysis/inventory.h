/*
 * inventory.h — `dbsage inventory`: what schema material a repository holds
 * and how the pieces relate.
 *
 *   inventory_walk.c     walk PATHs (skipping vendored/generated folders),
 *                        classify each file (snapshot, migration, seed, test,
 *                        other), group migration sequences, find numbering
 *                        collisions and gaps
 *   inventory_extract.c  SQL held in Python/JavaScript/TypeScript string
 *                        literals (the host file masked to its SQL, so
 *                        line:col stay the host file's)
 *   inventory_read.c     each file read on its own (in parallel): the objects
 *                        each statement creates/alters/drops, with location,
 *                        and the file's own catalog
 *   inventory_index.c    object index (table/view/function/type -> files),
 *                        verdicts (identical / compatible / conflicting, via
 *                        analysis/match.h) and the recommended source of truth
 *   inventory_against.c  --against URL: live objects vs files, tracking tables
 *                        of known migration tools
 *   inventory_report.c   text, JSON and Markdown renderings
 *
 * Library code: fills a diag_list, never prints.
 */
#ifndef DBSAGE_INVENTORY_H
#define DBSAGE_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog/catalog.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/hashmap.h"
#include "util/strbuf.h"
#include "util/vec.h"

typedef enum inv_class { INV_SNAPSHOT, INV_MIGRATION, INV_SEED, INV_TEST, INV_OTHER } inv_class;
const char *inv_class_name(inv_class c); /* "snapshot", "migration", "seed", "test", "other" */

typedef enum inv_action { INV_CREATE, INV_ALTER, INV_DROP } inv_action;
const char *inv_action_name(inv_action a); /* "creates", "alters", "drops" */

/* object kinds of the index */
typedef enum inv_kind { INVK_TABLE, INVK_VIEW, INVK_FUNCTION, INVK_TYPE } inv_kind;
const char *inv_kind_name(inv_kind k); /* "table", "view", "function", "type" */

typedef struct inv_file inv_file;

/* One statement touching an object. */
typedef struct inv_ref {
    inv_action action;
    inv_kind kind;
    const char *schema;   /* NULL = the dialect's default schema */
    const char *name;     /* folded like the engine (PG: as parsed; SQLite: lower case) */
    const char *detail;   /* "add column x", "index", "trigger", ... or NULL */
    src_loc loc;
    inv_file *file;       /* set by the index */
    struct inv_object *obj;
} inv_ref;

struct inv_file {
    const char *path;     /* as found by the walk (read path) */
    const char *name;     /* display path: relative to its PATH argument when that was a folder */
    const char *host;     /* "sql", "python", "javascript", "typescript" */
    inv_class cls;
    const char *why;      /* short reason for the class ("folder seeds/", "only INSERTs") */
    dialect dialect;
    const char *sequence; /* migration sequence (its folder) or NULL */
    const char *version;  /* version within the sequence or NULL */
    int n_statements, n_ddl, n_dml;
    int n_errors;         /* statements the file's reader refused when read on its own */
    VEC(inv_ref) refs;
    catalog *cat;         /* the file read on its own (arena of its own) */
    char *sql;            /* SQL text (for host files: the masked host text) */
    size_t sql_len;
    int index;            /* position in inventory.files */
};

typedef struct inv_sequence {
    const char *dir;
    dialect dialect;
    VEC(inv_file *) files;  /* in version order */
    strvec collisions;      /* "004: a.sql, b.sql" */
    strvec gaps;            /* "006" or "006..008" */
} inv_sequence;

/* One definition (CREATE) of an object. */
typedef struct inv_def {
    inv_file *file;
    src_loc loc;
    int group;            /* definitions with the same group are identical */
} inv_def;

typedef enum inv_verdict { INV_IDENTICAL, INV_COMPATIBLE, INV_CONFLICTING } inv_verdict;
const char *inv_verdict_name(inv_verdict v);

/* How two distinct definitions of one object relate. */
typedef struct inv_pair {
    int a, b;             /* indexes into inv_object.defs */
    inv_verdict verdict;
    int superset;         /* COMPATIBLE: 1 = a holds more, 2 = b */
    strvec diffs;         /* "column mood: text (a) vs -- (b)" lines */
} inv_pair;

typedef struct inv_object {
    int mark;             /* scratch for the recommendation */
    inv_kind kind;
    const char *schema;   /* NULL = default */
    const char *name;
    const char *display;  /* "schema.name" or "name" */
    VEC(inv_def) defs;    /* CREATEs, in file order */
    VEC(inv_ref *) others;/* alters and drops */
    VEC(inv_pair) pairs;  /* between distinct definition groups */
    inv_verdict verdict;  /* worst pair (IDENTICAL when < 2 groups) */
    int n_files;          /* distinct files defining it */
} inv_object;

/* A candidate source of truth. */
typedef struct inv_candidate {
    const char *label;    /* "backend/schema.sql", "sequence database/migrations", ... */
    VEC(inv_file *) files;
    int objects;          /* distinct objects created */
    int conflicts;        /* objects defined incompatibly inside the set */
    int dangling;         /* objects altered by the set but created nowhere in it */
    int refused;          /* statements of its files refused when read alone (a tie-break) */
    int score;            /* objects - conflicts - dangling */
} inv_candidate;

/* What a file outside the winner brings. */
typedef struct inv_file_note {
    inv_file *file;
    strvec adds;          /* objects not in the winner ("table sticky_notes") */
    strvec contradicts;   /* "table conversations: column x ..." */
    int agrees;           /* objects identical/compatible with the winner */
} inv_file_note;

/* --against URL */
typedef struct inv_live_object {
    inv_object *obj;
    bool present;
    strvec matches;       /* "path (identical)" */
    strvec differs;       /* "path: first difference" */
} inv_live_object;

typedef struct inv_live_file {
    inv_file *file;
    const char *state;    /* "applied", "partially applied", "not applied" */
    int present, total;
    const char *tracked;  /* "recorded by dbmate (version 001)" or NULL */
} inv_live_file;

typedef struct inv_tracking {
    const char *tool;     /* "dbmate", "golang-migrate", "flyway", "sqitch", "atlas", "dbsage" */
    const char *table;    /* qualified table name */
    strvec versions;      /* applied, in order */
    const char *latest;
    strvec dirty;         /* versions flagged dirty / failed */
    strvec files;         /* "version -> path" for versions with a file */
    strvec unknown;       /* versions without a file */
} inv_tracking;

typedef struct inv_against {
    const char *url;      /* masked */
    dialect dialect;
    VEC(inv_live_object) objects;
    VEC(inv_live_file) files;
    VEC(inv_tracking) tracking;
    strvec live_only;     /* live tables/views in no file */
} inv_against;

typedef struct inventory {
    arena mem;
    strvec roots;
    strvec skipped;       /* vendored / generated folders not walked */
    VEC(inv_file *) files;
    VEC(inv_sequence *) sequences;
    VEC(inv_object *) objects;  /* sorted by kind, display name */
    hashmap objmap;
    int n_multi;          /* objects defined in > 1 file */
    int n_conflicting;
    VEC(inv_candidate *) candidates;  /* best first */
    inv_candidate *winner;
    catalog *winner_cat;
    VEC(inv_file_note) notes;
    inv_against *against;
} inventory;

void inventory_init(inventory *inv);
void inventory_free(inventory *inv);

/* Walk, classify, read, index, compare and recommend.  -1 when a PATH could
 * not be read at all (diagnostic given); problems inside files are notes. */
int inventory_scan(inventory *inv, const char *const *paths, size_t n, diag_list *diags);

/* --against: compare with a live database (PostgreSQL URL or SQLite file). */
int inventory_against_live(inventory *inv, const char *spec, diag_list *diags);

/* Renderings. */
void inventory_report_text(strbuf *out, const inventory *inv);
void inventory_report_json(strbuf *out, const inventory *inv);
void inventory_report_markdown(strbuf *out, const inventory *inv);

/* ---- internal, shared between the inventory_*.c files -------------------- */

/* walk: files + classes + sequences (inventory_walk.c) */
int inv_walk(inventory *inv, const char *const *paths, size_t n, diag_list *diags);
void inv_classify(inventory *inv);
void inv_sequences(inventory *inv);
/* extract: host file text -> SQL-only text of the same length (inventory_extract.c);
 * returns false when no literal looks like SQL */
bool inv_extract_sql(const char *host, char *text, size_t len);
/* read: refs + catalog of every file (inventory_read.c) */
void inv_read_files(inventory *inv, diag_list *diags);
/* index, verdicts, recommendation (inventory_index.c) */
void inv_build_index(inventory *inv);
void inv_recommend(inventory *inv);
inv_object *inv_object_find(const inventory *inv, inv_kind k, const char *schema, const char *name);
/* compare the definitions of one object in two catalogs; difference lines
 * (naming the sides la / lb) appended to *diffs when non-NULL */
inv_verdict inv_compare(arena *mem, inv_kind k, const char *schema, const char *name, const catalog *ca,
                        const catalog *cb, const char *la, const char *lb, int *superset, strvec *diffs);
/* the first difference that is not a dialect-only one ("differs" when none) */
const char *inv_first_diff(const strvec *diffs);
/* is the object in the catalog (SQLite names case-insensitive) */
bool inv_present(const catalog *c, inv_kind k, const char *schema, const char *name);
/* the schema NULL when it is the dialect's default (public / main) */
const char *inv_norm_schema(dialect d, const char *schema);

#endif
