/*
 * audit_out.c — writes the audit document tree (audit_int.h) as YAML
 * (data-flow-audit.yaml, docs/audit.md), JSON or a short text summary.
 */
#include <string.h>

#include "data/audit_int.h"
#include "data/infer_int.h"

anode *anode_new(arena *mem, anode_kind k)
{
    anode *n = arena_alloc(mem, sizeof *n);
    n->kind = k;
    return n;
}

anode *anode_put(arena *mem, anode *parent, const char *key, anode_kind k)
{
    anode *n = anode_new(mem, k);
    n->key = key;
    VEC_PUSH(mem, parent->kids, n);
    return n;
}

void anode_str(arena *mem, anode *parent, const char *key, const char *s)
{
    anode_put(mem, parent, key, AN_STRING)->s = s ? s : "";
}

void anode_num(arena *mem, anode *parent, const char *key, unsigned long long n)
{
    anode_put(mem, parent, key, AN_SCALAR)->s = arena_printf(mem, "%llu", n);
}

static bool all_scalars(const anode *n)
{
    for (size_t i = 0; i < n->kids.n; i++)
        if (n->kids.v[i]->kind == AN_MAP || n->kids.v[i]->kind == AN_LIST)
            return false;
    return true;
}

static void indent(strbuf *out, int n)
{
    for (int i = 0; i < n; i++)
        strbuf_addch(out, ' ');
}

static void yaml_scalar(strbuf *out, const anode *n, bool flow)
{
    static const char *const words[] = {"yes", "no", "true", "false", "on", "off", "null", "~", NULL};
    if (n->kind == AN_SCALAR) {
        strbuf_adds(out, n->s);
        return;
    }
    for (int i = 0; words[i]; i++)
        if (!strcmp(n->s, words[i])) {
            strbuf_addf(out, "'%s'", n->s); /* YAML 1.1 would read a boolean */
            return;
        }
    infer_yaml_scalar(out, n->s, flow);
}

static void yaml_node(strbuf *out, const anode *n, int ind);

/* the value after "key:" (or after "- ") */
static void yaml_value(strbuf *out, const anode *v, int ind)
{
    if (v->kind == AN_SCALAR || v->kind == AN_STRING) {
        strbuf_addch(out, ' ');
        yaml_scalar(out, v, false);
        strbuf_addch(out, '\n');
    } else if (v->kids.n == 0) {
        strbuf_adds(out, v->kind == AN_MAP ? " {}\n" : " []\n");
    } else if (all_scalars(v) && v->kind == AN_LIST) {
        strbuf_adds(out, " [");
        for (size_t i = 0; i < v->kids.n; i++) {
            if (i)
                strbuf_adds(out, ", ");
            yaml_scalar(out, v->kids.v[i], true);
        }
        strbuf_adds(out, "]\n");
    } else {
        strbuf_addch(out, '\n');
        yaml_node(out, v, ind + 2);
    }
}

static void yaml_node(strbuf *out, const anode *n, int ind)
{
    for (size_t i = 0; i < n->kids.n; i++) {
        const anode *k = n->kids.v[i];
        if (n->kind == AN_MAP) {
            indent(out, ind);
            infer_yaml_scalar(out, k->key, false);
            strbuf_addch(out, ':');
            yaml_value(out, k, ind);
        } else if (k->kind == AN_MAP && k->kids.n) {
            /* "- first: v" then the other keys aligned under it */
            for (size_t j = 0; j < k->kids.n; j++) {
                const anode *kk = k->kids.v[j];
                indent(out, ind);
                strbuf_adds(out, j == 0 ? "- " : "  ");
                infer_yaml_scalar(out, kk->key, false);
                strbuf_addch(out, ':');
                yaml_value(out, kk, ind + 2);
            }
        } else {
            indent(out, ind);
            strbuf_addch(out, '-');
            yaml_value(out, k, ind);
        }
    }
}

static void json_node(strbuf *out, const anode *n)
{
    switch (n->kind) {
    case AN_SCALAR:
        strbuf_adds(out, n->s);
        break;
    case AN_STRING:
        strbuf_add_json_string(out, n->s);
        break;
    case AN_MAP:
    case AN_LIST:
        strbuf_addch(out, n->kind == AN_MAP ? '{' : '[');
        for (size_t i = 0; i < n->kids.n; i++) {
            if (i)
                strbuf_addch(out, ',');
            if (n->kind == AN_MAP) {
                strbuf_add_json_string(out, n->kids.v[i]->key);
                strbuf_addch(out, ':');
            }
            json_node(out, n->kids.v[i]);
        }
        strbuf_addch(out, n->kind == AN_MAP ? '}' : ']');
        break;
    }
}

void audit_write(const audit_result *a, strbuf *out, audit_format f)
{
    if (f == AUDIT_JSON) {
        json_node(out, a->root);
        strbuf_addch(out, '\n');
    } else if (f == AUDIT_YAML) {
        strbuf_adds(out, "# data-flow-audit.yaml: written by `dbsage audit` (shape: docs/audit.md).\n"
                         "# Secret values are never written: only their keys.\n");
        yaml_node(out, a->root, 0);
    } else {
        strbuf_addf(out, "audit: %zu config files, %zu folders, %zu scripts, %zu entities, %zu relations\n",
                    a->configs, a->folders, a->scripts, a->entities, a->relations);
        strbuf_adds(out, a->gate_lines);
    }
}
