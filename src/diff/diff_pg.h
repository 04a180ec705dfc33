/*
 * diff_pg.h — internal interface between the PostgreSQL diff backend files:
 * diff_pg.c (driver, renames, schemas, extensions, types, sequences,
 * routines), diff_pg_table.c (tables, columns, constraints, indexes) and
 * diff_pg_dep.c (views, triggers, policies, RLS, comments, grants).
 */
#ifndef DBSAGE_DIFF_PG_H
#define DBSAGE_DIFF_PG_H

#include "diff/diff.h"
#include "emit/emit_pg.h"
#include "util/hashmap.h"

/* phases local to the PostgreSQL backend (see diff.h for the shared ones) */
enum {
    PGPHASE_TABLE_FUNCTIONS = 75, /* routines using a table row type: after tables */
    PGPHASE_VIEW_FUNCTIONS = 105, /* routines using a view row type: after views */
    PGPHASE_LATE_DROPS = 115,     /* types, sequences, extensions nothing uses any more */
    PGPHASE_DROP_SCHEMAS = 130,   /* schemas last */
};

typedef struct pgd {
    diff_plan *plan;
    catalog *from, *to;
    const diff_opts *opts;
    diag_list *diags;
    arena *mem;
    hashmap dirty;      /* "schema\x1fname" relations whose dependents (views, triggers,
                           policies) are dropped before and recreated after */
    hashmap fk_dirty;   /* "schema\x1fname" tables, or "schema\x1fname\x1fcolumn" columns, whose FKs
                           (incoming and outgoing) are dropped and re-added around a change */
    hashmap recreated;  /* "kind\x1fschema\x1fname" objects dropped and created again
                           (comments and grants are restated) */
    hashmap dropped_fk; /* "schema\x1ftable\x1fconstraint" FKs already dropped */
    hashmap recreated_fn; /* function names (schema\x1fname) dropped and created */
    hashmap force_fn;   /* "schema\x1fsignature" routines to drop and create (a type they use is recreated) */
} pgd;

const char *pgd_key(pgd *d, const char *a, const char *b);
const char *pgd_key3(pgd *d, const char *a, const char *b, const char *c);
bool pgd_str_eq(const char *a, const char *b);
bool pgd_strvec_eq(const strvec *a, const strvec *b);
diff_change *pgd_add(pgd *d, const char *kind, cat_object_kind ok, const char *schema, const char *name,
                     const char *sub, int phase, unsigned hazards, strbuf *sql);
void pgd_mark_dirty(pgd *d, const char *schema, const char *name);
/* the FKs on or referencing one column are dropped and re-added around its change */
void pgd_fk_dirty_column(pgd *d, const char *schema, const char *table, const char *column);
bool pgd_is_dirty(pgd *d, const char *schema, const char *name);
void pgd_mark_recreated(pgd *d, const char *kind, const char *schema, const char *name);
bool pgd_is_recreated(pgd *d, const char *kind, const char *schema, const char *name);

/* diff_pg_table.c */
void pgd_tables(pgd *d);
void pgd_foreign_keys(pgd *d);
void pgd_alter_table(strbuf *o, const cat_table *t);
void pgd_add_constraint_sql(strbuf *o, const cat_table *t, const cat_constraint *k);

void pgd_diff_indexes(pgd *d, const char *schema, const char *rel, cat_index *const *f, size_t fn,
                      cat_index *const *t, size_t tn);
bool pgd_index_eq(const cat_index *a, const cat_index *b);

/* diff_pg_dep.c */
void pgd_views(pgd *d);
void pgd_triggers_policies(pgd *d);
void pgd_comments(pgd *d);
void pgd_grants(pgd *d);

/* diff_pg_rename.c */
void pgd_apply_renames(pgd *d);
bool pgd_enum_has_label(const cat_enum *e, const char *l);

#endif
