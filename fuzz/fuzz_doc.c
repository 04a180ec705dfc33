/*
 * fuzz_doc.c — libFuzzer target: arbitrary bytes as a document file read as
 * JSON, NDJSON, YAML and Markdown through doc_open/doc_next, with a few
 * selectors and doc_node_text on every document; the first line also goes
 * through doc_selector_parse and doc_path_pattern_parse/match.  Must never
 * crash or leak; a failed read must leave exactly one error with a line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static const char *const selectors[] = {
    "$", "$.id", "$.messages[0].content", "$.messages[-1]", "$['$body']", "$.\"$title\"", "$doc.a.b[2]", "$.x[*].y",
};

static void read_as(doc_format fmt, arena *mem)
{
    diag_list dl;
    diag_list_init(&dl, mem);
    doc_reader *r = doc_open(path, fmt, &dl);
    if (!r)
        abort();
    src_loc loc = {"fuzz", 1, 1};
    doc_selector *sel[sizeof selectors / sizeof selectors[0]];
    for (size_t i = 0; i < sizeof selectors / sizeof selectors[0]; i++)
        if (!(sel[i] = doc_selector_parse(mem, selectors[i], loc, &dl)))
            abort();
    struct fy_document *d;
    int rc, docs = 0;
    while ((rc = doc_next(r, &d, &dl)) == 1 && docs < 64) {
        docs++;
        doc_row_ctx row;
        memset(&row, 0, sizeof row);
        row.root = row.node = fy_document_root(d);
        row.index = -1;
        row.path = path;
        for (size_t i = 0; i < sizeof sel / sizeof sel[0]; i++) {
            const char *scalar;
            bool is_json;
            struct fy_node *n = doc_select(sel[i], &row, mem, &scalar);
            (void)doc_node_text(n, mem, &is_json);
            (void)doc_node_loc(r, n);
            struct fy_node **all;
            size_t k = doc_select_all(sel[i], &row, mem, &all);
            for (size_t j = 0; j < k && j < 16; j++)
                (void)doc_node_text(all[j], mem, &is_json);
        }
        (void)doc_line(r);
    }
    if (rc == -1 && (dl.n_errors == 0 || dl.items.v[dl.items.n - 1].loc.line == 0))
        abort(); /* a parse error always has a line */
    if (strlen(doc_content_hash(r)) != DIGEST_HEX_LEN)
        abort();
    doc_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/fuzz_doc.%ld", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    if (size && fwrite(data, 1, size, f) != size) {
        fclose(f);
        return 0;
    }
    fclose(f);

    arena mem;
    arena_init(&mem);
    read_as(DOC_JSON, &mem);
    read_as(DOC_NDJSON, &mem);
    read_as(DOC_YAML, &mem);
    read_as(DOC_MARKDOWN, &mem);
    read_as(DOC_TEXT, &mem);

    /* the first line as a selector and as a path pattern */
    size_t n = 0;
    while (n < size && n < 256 && data[n] != '\n')
        n++;
    char *line = arena_strndup(&mem, (const char *)data, n);
    diag_list dl;
    diag_list_init(&dl, &mem);
    src_loc loc = {"fuzz", 1, 1};
    (void)doc_selector_parse(&mem, line, loc, &dl);
    doc_path_pattern *p = doc_path_pattern_parse(&mem, line, loc, &dl);
    if (p) {
        const char **v;
        size_t nv;
        (void)doc_path_pattern_match(p, &mem, "users/abc/profile.yaml", &v, &nv);
        (void)doc_path_pattern_match(p, &mem, line, &v, &nv);
    }
    arena_free(&mem);
    unlink(path);
    return 0;
}
