/*
 * infer_int.h — private model shared by infer.c (walk, grouping, per-field
 * statistics, decisions) and infer_out.c (spec, catalog, reports).
 */
#ifndef DBSAGE_INFER_INT_H
#define DBSAGE_INFER_INT_H

#include <stdint.h>

#include "data/doc.h"
#include "data/infer.h"
#include "util/hashmap.h"
#include "util/strbuf.h"
#include "util/vec.h"

/* a set of 64-bit hashes (heap): uniqueness of candidate key values */
typedef struct infer_hashset {
    uint64_t *v;
    size_t n, cap;
} infer_hashset;

typedef struct infer_table infer_table;

typedef struct infer_field {
    const char *key;        /* as in the documents; captures: the capture name */
    const char *column;     /* column name, unique in its table */
    const char *selector;   /* spec selector */
    bool capture;           /* from the path pattern */
    bool special;           /* $path / $index / parent key: not a document field */
    size_t present, nulls;  /* non-null / null occurrences */
    size_t n_scalar, n_obj, n_arr_scalar, n_arr_obj, n_arr_empty, n_arr_mixed;
    infer_type scalar_type; /* widened over the non-null scalars */
    infer_table *child;     /* arrays of objects */
    /* decisions */
    infer_type type;
    bool nullable;
    bool is_child;          /* became a child table, not a column */
} infer_field;

typedef struct infer_source infer_source;

struct infer_table {
    const char *name;
    infer_source *src;
    infer_table *parent;     /* child tables */
    infer_field *parent_field;
    size_t rows;
    VEC(infer_field *) fields;
    hashmap by_key;
    /* candidate keys (top tables): id, <singular>_id, uuid, slug */
    const char *cand[4];
    size_t cand_present[4];
    bool cand_dup[4];
    infer_hashset cand_set[4];
    /* decisions */
    strvec key;              /* key column names */
    strvec notes;
    bool each_root;          /* the documents are sequences of mappings: rows per element */
};

struct infer_source {
    const char *dir;         /* the DIR argument */
    const char *prefix;      /* DIR relative to the spec dir ("" when the same) */
    const char *pattern;     /* relative to DIR: "users/{user_id}/profile.yaml" */
    doc_format format;
    strvec files;            /* relative to DIR */
    strvec capture_names;
    VEC(int) capture_segs;   /* segment index of each capture */
    bool literal_leaf;
    size_t docs, malformed, non_mapping;
    bool multi_doc;
    bool root_seq, root_map;
    infer_table *table;
    VEC(infer_table *) tables; /* table first, then its children */
};

typedef struct infer_file_id {
    uint64_t dev, ino;
} infer_file_id;

struct infer_ctx {
    arena *mem;
    const char *spec_dir;
    VEC(infer_source *) sources;
    hashmap table_names;
    size_t files, docs, malformed;
    strbuf key;              /* scratch: the current mapping key */
    VEC(infer_file_id) excluded; /* infer_exclude */
};

/* infer.c */
size_t infer_split(arena *mem, const char *path, const char ***segs); /* "a/b/c" -> segments */
infer_table *infer_table_new(infer_ctx *ix, infer_source *src, const char *name);
infer_field *infer_field_get(infer_ctx *ix, infer_table *t, const char *key);
/* stream every document of the source's files into its statistics */
void infer_read_source(infer_ctx *ix, infer_source *src, diag_list *diags);

/* infer_decide.c / infer_out.c */
const char *infer_selector_for_key(arena *mem, const char *key);
void infer_yaml_scalar(strbuf *out, const char *s, bool flow);

#endif
