/*
 * audit.h — `dbsage audit`: the DB Sage step-2 audit of an expansion pack
 * (docs/audit.md).  Walks PACKDIR, finds config files (keys listed, secret
 * values never kept), input/output/state folders (by name and by what the
 * scripts do with them), scripts that read or write data (file I/O calls and
 * the paths they mention), counts files/formats/bytes per folder, infers
 * entities and relations from path templates through the infer library, and
 * answers the KISS gate questions it can, each with evidence.
 *
 *   audit_result *a = audit_run(&mem, "pack", "out/dir", diags);
 *   audit_write(a, &buf, AUDIT_YAML);            // data-flow-audit.yaml
 *   infer_ctx *ix = audit_infer(a);              // --infer: spec + migration
 */
#ifndef DBSAGE_AUDIT_H
#define DBSAGE_AUDIT_H

#include "data/infer.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/strbuf.h"

typedef enum audit_format { AUDIT_YAML, AUDIT_JSON, AUDIT_TEXT } audit_format;

typedef struct audit_result audit_result;

/* spec_dir: where an import spec would be written (infer paths are relative
 * to it).  NULL when packdir cannot be read (diagnostic added). */
/* exclude: NULL-terminated paths (the audit's own outputs) left out of the walk
 * and the infer walks (or NULL) */
audit_result *audit_run(arena *mem, const char *packdir, const char *spec_dir, const char *const *exclude,
                        diag_list *diags);
void audit_free(audit_result *a);
void audit_write(const audit_result *a, strbuf *out, audit_format f);
/* the infer context over the pack's data folders (finished; owned by a) */
infer_ctx *audit_infer(const audit_result *a);
size_t audit_entity_count(const audit_result *a);

/* helpers (exposed for tests) */
/* a key naming a secret: api_key, token, password, secret, ... */
bool audit_is_secret_key(const char *key);
/* folder role by name: "input", "output", "state", "definitions", "scripts",
 * "config" or NULL */
const char *audit_role_by_name(const char *dir);

#endif
