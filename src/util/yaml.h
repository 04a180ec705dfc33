/*
 * yaml.h — loading a YAML (or JSON) configuration document with libfyaml
 * and reporting where things are: the one way the spec and config readers
 * (import spec, copy spec, lint config) turn text into a node tree and a
 * node into file:line:col.
 */
#ifndef DBSAGE_YAML_H
#define DBSAGE_YAML_H

#include <stddef.h>

#include <libfyaml.h>

#include "util/arena.h"
#include "util/diag.h"

typedef struct yaml_doc {
    struct fy_document *doc;
    struct fy_diag *diag;
} yaml_doc;

/* Parse text (named `file` in messages).  0 on success; -1 after one
 * "invalid YAML: ..." error per libfyaml diagnostic at file:line:col. */
int yaml_doc_load(yaml_doc *y, const char *file, const char *text, size_t len, diag_list *diags);
void yaml_doc_free(yaml_doc *y);

/* file:line:col of a node (a mapping or sequence: of its first scalar) */
src_loc yaml_node_loc(const char *file, struct fy_node *n);
/* a scalar's text as an arena string; NULL for a non-scalar or no node */
const char *yaml_scalar(arena *mem, struct fy_node *n);

#endif
