/*
 * yaml.c — libfyaml document loading with collected diagnostics, node
 * locations and scalars (see yaml.h).
 */
#include "util/yaml.h"

int yaml_doc_load(yaml_doc *y, const char *file, const char *text, size_t len, diag_list *diags)
{
    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    y->diag = fy_diag_create(&dcfg);
    if (y->diag)
        fy_diag_set_collect_errors(y->diag, true);
    struct fy_parse_cfg pcfg = {.flags = FYPCF_QUIET, .diag = y->diag};
    y->doc = fy_document_build_from_string(&pcfg, text, len);
    if (y->doc)
        return 0;
    void *it = NULL;
    struct fy_diag_error *e;
    int n = 0;
    while (y->diag && (e = fy_diag_errors_iterate(y->diag, &it))) {
        src_loc loc = {file, e->line > 0 ? (unsigned)e->line : 0, e->column > 0 ? (unsigned)e->column : 0};
        diag_error(diags, loc, "invalid YAML: %s", e->msg ? e->msg : "syntax error");
        n++;
    }
    if (!n) {
        src_loc loc = {file, 0, 0};
        diag_error(diags, loc, "invalid YAML");
    }
    yaml_doc_free(y);
    return -1;
}

void yaml_doc_free(yaml_doc *y)
{
    if (y->doc)
        fy_document_destroy(y->doc);
    if (y->diag)
        fy_diag_destroy(y->diag);
    y->doc = NULL;
    y->diag = NULL;
}

src_loc yaml_node_loc(const char *file, struct fy_node *n)
{
    src_loc loc = {file, 0, 0};
    /* a collection has no token of its own here: use its first scalar */
    while (n && !fy_node_is_scalar(n)) {
        void *it = NULL;
        if (fy_node_is_mapping(n)) {
            struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
            n = p ? fy_node_pair_key(p) : NULL;
        } else if (fy_node_is_sequence(n)) {
            n = fy_node_sequence_iterate(n, &it);
        } else {
            n = NULL;
        }
    }
    struct fy_token *t = n ? fy_node_get_scalar_token(n) : NULL;
    const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
    if (m) {
        loc.line = (unsigned)m->line + 1;
        loc.col = (unsigned)m->column + 1;
    }
    return loc;
}

const char *yaml_scalar(arena *mem, struct fy_node *n)
{
    size_t len;
    const char *s = n && fy_node_is_scalar(n) ? fy_node_get_scalar(n, &len) : NULL;
    return s ? arena_strndup(mem, s, len) : NULL;
}
