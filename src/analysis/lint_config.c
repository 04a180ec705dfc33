/*
 * lint_config.c — the lint configuration file (YAML, read with libfyaml):
 *
 *     rules:
 *       missing-primary-key: off        # off | error | warning | note
 *       ban-drop-column: error          # squawk names are accepted
 *     tenant:
 *       column: client_id
 *       tables: ['*']                   # globs over name or schema.name
 *
 * Unknown rule ids, bad values and YAML syntax errors are reported at
 * file:line:col.  lint_config_init (defaults) lives in lint.c.
 */
#include "analysis/lint.h"
#include "util/yaml.h"

#include <errno.h>
#include <libfyaml.h>
#include <string.h>
#include <strings.h>

typedef struct cfg_reader {
    lint_config *cfg;
    arena *mem;
    const char *path;
    diag_list *diags;
    int errors;
} cfg_reader;

static src_loc node_loc(cfg_reader *r, struct fy_node *n)
{
    return yaml_node_loc(r->path, n);
}

static const char *scalar(cfg_reader *r, struct fy_node *n)
{
    return yaml_scalar(r->mem, n);
}

static void cfg_error(cfg_reader *r, struct fy_node *n, const char *msg, const char *what)
{
    diag_add_rule(r->diags, DIAG_ERROR, node_loc(r, n), NULL, "%s%s%s%s", msg, what ? " '" : "", what ? what : "",
                  what ? "'" : "");
    r->errors++;
}

static void read_rules(cfg_reader *r, struct fy_node *map)
{
    if (!fy_node_is_mapping(map)) {
        cfg_error(r, map, "rules: expected a mapping of rule id to off|error|warning|note", NULL);
        return;
    }
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(map, &it))) {
        struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
        const char *id = scalar(r, k), *val = scalar(r, v);
        const lint_rule *rule = lint_rule_find(id);
        if (!rule) {
            cfg_error(r, k, "unknown lint rule", id ? id : "?");
            continue;
        }
        lint_rule_setting s = {rule->id, false, rule->severity};
        if (val && (!strcasecmp(val, "off") || !strcasecmp(val, "false") || !strcasecmp(val, "disabled") ||
                    !strcasecmp(val, "none")))
            s.off = true;
        else if (val && !strcasecmp(val, "error"))
            s.severity = DIAG_ERROR;
        else if (val && !strcasecmp(val, "warning"))
            s.severity = DIAG_WARNING;
        else if (val && (!strcasecmp(val, "note") || !strcasecmp(val, "info")))
            s.severity = DIAG_NOTE;
        else if (!val || (strcasecmp(val, "on") && strcasecmp(val, "true"))) {
            cfg_error(r, v ? v : k, "expected off, error, warning or note, not", val ? val : "a collection");
            continue;
        }
        bool replaced = false;
        for (size_t i = 0; i < r->cfg->rules.n && !replaced; i++)
            if (!strcmp(r->cfg->rules.v[i].id, s.id)) {
                r->cfg->rules.v[i] = s;
                replaced = true;
            }
        if (!replaced)
            VEC_PUSH(r->mem, r->cfg->rules, s);
    }
}

static void read_tenant(cfg_reader *r, struct fy_node *map)
{
    if (!fy_node_is_mapping(map)) {
        cfg_error(r, map, "tenant: expected a mapping with column and tables", NULL);
        return;
    }
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(map, &it))) {
        struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
        const char *key = scalar(r, k);
        if (key && !strcmp(key, "column")) {
            const char *col = scalar(r, v);
            if (!col || !*col)
                cfg_error(r, v ? v : k, "tenant.column: expected a column name", NULL);
            else
                r->cfg->tenant_column = col;
        } else if (key && !strcmp(key, "tables")) {
            if (v && fy_node_is_scalar(v)) {
                VEC_PUSH(r->mem, r->cfg->tenant_tables, scalar(r, v));
            } else if (v && fy_node_is_sequence(v)) {
                void *it2 = NULL;
                struct fy_node *e;
                while ((e = fy_node_sequence_iterate(v, &it2))) {
                    const char *g = scalar(r, e);
                    if (!g)
                        cfg_error(r, e, "tenant.tables: expected table name globs", NULL);
                    else
                        VEC_PUSH(r->mem, r->cfg->tenant_tables, g);
                }
            } else {
                cfg_error(r, v ? v : k, "tenant.tables: expected a list of table name globs", NULL);
            }
        } else {
            cfg_error(r, k, "unknown tenant key (column, tables)", key);
        }
    }
}

/* only blanks and # comments */
static bool yaml_is_empty(const char *s)
{
    while (*s) {
        if (*s == '#')
            while (*s && *s != '\n')
                s++;
        else if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            s++;
        else
            return false;
    }
    return true;
}

int lint_config_load(lint_config *cfg, arena *mem, const char *path, diag_list *diags)
{
    cfg_reader r = {cfg, mem, arena_strdup(mem, path), diags, 0};
    strbuf text = STRBUF_INIT;
    if (strbuf_read_file(&text, path) != 0) {
        src_loc loc = {r.path, 0, 0};
        diag_error(diags, loc, "cannot read the lint config: %s", strerror(errno));
        strbuf_release(&text);
        return -1;
    }
    if (yaml_is_empty(strbuf_str(&text))) { /* an empty config: the defaults */
        strbuf_release(&text);
        return 0;
    }
    yaml_doc y;
    if (yaml_doc_load(&y, r.path, strbuf_str(&text), text.len, diags) < 0) {
        strbuf_release(&text);
        return -1;
    }
    struct fy_document *doc = y.doc;
    struct fy_node *root = fy_document_root(doc);
    if (root && !fy_node_is_mapping(root)) {
        cfg_error(&r, root, "the lint config must be a mapping (rules:, tenant:)", NULL);
    } else if (root) {
        void *it = NULL;
        struct fy_node_pair *p;
        while ((p = fy_node_mapping_iterate(root, &it))) {
            struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
            const char *key = scalar(&r, k);
            if (key && !strcmp(key, "rules")) {
                if (v)
                    read_rules(&r, v);
            } else if (key && !strcmp(key, "tenant")) {
                if (v)
                    read_tenant(&r, v);
            } else {
                cfg_error(&r, k, "unknown lint config key (rules, tenant)", key);
            }
        }
    }
    yaml_doc_free(&y);
    strbuf_release(&text);
    return r.errors ? -1 : 0;
}
