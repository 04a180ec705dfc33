/*
 * audit_int.h — private model shared by audit.c (walk, configs, scripts,
 * entities, gate) and audit_out.c (the YAML/JSON/text writers).
 */
#ifndef DBSAGE_AUDIT_INT_H
#define DBSAGE_AUDIT_INT_H

#include "data/audit.h"
#include "util/vec.h"

/* a small document tree: the audit is built once and written as YAML or JSON */
typedef enum anode_kind { AN_SCALAR, AN_STRING, AN_MAP, AN_LIST } anode_kind;
typedef struct anode anode;
struct anode {
    anode_kind kind;
    const char *key; /* in a map */
    const char *s;   /* scalars: AN_SCALAR printed as is (numbers), AN_STRING quoted when needed */
    VEC(anode *) kids;
};

anode *anode_new(arena *mem, anode_kind k);
anode *anode_put(arena *mem, anode *map, const char *key, anode_kind k);
void anode_str(arena *mem, anode *parent, const char *key, const char *s);
void anode_num(arena *mem, anode *parent, const char *key, unsigned long long n);

struct audit_result {
    arena *mem;
    anode *root;     /* expansion_pack_audit: ... */
    infer_ctx *ix;
    size_t entities;
    /* text summary material */
    size_t configs, folders, scripts, relations;
    const char *gate_lines; /* "multi_user: unknown\n..." */
};

#endif
