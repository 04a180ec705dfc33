/*
 * test_doc.c — unit tests of src/data/doc*.c: every reader (JSON, NDJSON,
 * YAML multi-document, Markdown front matter + $body/$title, text), malformed
 * files reported at exact line:col, SHA-256 of the file, every selector form,
 * doc_node_text (scalars, JSON of collections, aliases), and path patterns (captures, '**', sorted file listing).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data/doc.h"
#include "util/digest.h"
#include "util/strbuf.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_doc.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* writes tmpdir/name (creating directories), returns the path (arena) */
static const char *write_file(arena *mem, const char *name, const char *text)
{
    char *path = arena_printf(mem, "%s/%s", tmpdir, name);
    for (char *p = path + strlen(tmpdir) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0700);
            *p = '/';
        }
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    fclose(f);
    return path;
}

static const char *sel_text(arena *mem, struct fy_document *d, const char *sel)
{
    diag_list dl;
    diag_list_init(&dl, mem);
    src_loc loc = {"spec", 1, 1};
    doc_selector *s = doc_selector_parse(mem, sel, loc, &dl);
    assert_non_null(s);
    doc_row_ctx row;
    memset(&row, 0, sizeof row);
    row.node = row.root = fy_document_root(d);
    row.index = -1;
    const char *scalar = NULL;
    struct fy_node *n = doc_select(s, &row, mem, &scalar);
    return n ? doc_node_text(n, mem, NULL) : scalar;
}

/* expects doc_next to fail with exactly one error at line:col */
static void expect_error(const char *name, const char *text, doc_format fmt, unsigned docs_before, unsigned line,
                         unsigned col, const char *msg_part)
{
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    const char *path = write_file(&mem, name, text);
    doc_reader *r = doc_open(path, fmt, &dl);
    assert_non_null(r);
    struct fy_document *d;
    for (unsigned i = 0; i < docs_before; i++)
        if (doc_next(r, &d, &dl) != 1)
            fail_msg("%s: document %u not read", name, i + 1);
    if (doc_next(r, &d, &dl) != -1)
        fail_msg("%s: no error", name);
    assert_null(d);
    assert_int_equal(dl.n_errors, 1);
    const diag *e = &dl.items.v[0];
    assert_string_equal(e->loc.file, path);
    if (e->loc.line != line || e->loc.col != col)
        fail_msg("%s: got %u:%u (%s), want %u:%u", name, e->loc.line, e->loc.col, e->message, line, col);
    if (msg_part && !strstr(e->message, msg_part))
        fail_msg("%s: message '%s' lacks '%s'", name, e->message, msg_part);
    assert_int_equal(doc_next(r, &d, &dl), 0); /* the rest is not read */
    doc_close(r);
    arena_free(&mem);
}

/* ---- readers ---------------------------------------------------------------- */

static void test_json(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    const char *text = "{\n  \"id\": \"c1\",\n  \"title\": \"Hello \\\"you\\\"\",\n  \"n\": 42, \"none\": null,"
                       " \"s\": \"null\", \"ok\": true,\n  \"messages\": [{\"role\": \"user\", \"content\": \"hi\"},"
                       " {\"role\": \"assistant\", \"content\": \"yo\"}]\n}\n";
    const char *path = write_file(&mem, "c1.json", text);
    doc_reader *r = doc_open(path, DOC_AUTO, &dl);
    assert_non_null(r);
    struct fy_document *d;
    assert_int_equal(doc_next(r, &d, &dl), 1);
    assert_non_null(d);
    assert_int_equal(doc_line(r), 2);
    assert_string_equal(sel_text(&mem, d, "$.id"), "c1");
    assert_string_equal(sel_text(&mem, d, "$.title"), "Hello \"you\"");
    assert_string_equal(sel_text(&mem, d, "$.n"), "42");
    assert_null(sel_text(&mem, d, "$.none"));
    assert_string_equal(sel_text(&mem, d, "$.s"), "null"); /* quoted: text */
    assert_string_equal(sel_text(&mem, d, "$.ok"), "true");
    assert_string_equal(sel_text(&mem, d, "$.messages[1].content"), "yo");
    assert_string_equal(sel_text(&mem, d, "$.messages[-1].role"), "assistant");
    assert_string_equal(sel_text(&mem, d, "$.messages[0]"), "{\"role\": \"user\", \"content\": \"hi\"}");
    bool is_json = false;
    struct fy_node *root = fy_document_root(d);
    assert_non_null(doc_node_text(fy_node_mapping_lookup_by_string(root, "messages", 8), &mem, &is_json));
    assert_true(is_json);
    src_loc loc = doc_node_loc(r, fy_node_mapping_lookup_by_string(root, "n", 1));
    assert_int_equal(loc.line, 4);
    assert_int_equal(loc.col, 8);
    assert_int_equal(doc_next(r, &d, &dl), 0);
    assert_null(d);
    char want[DIGEST_HEX_LEN + 1];
    digest_sha256_hex(text, strlen(text), want);
    assert_string_equal(doc_content_hash(r), want);
    assert_int_equal(doc_bytes_read(r), strlen(text));
    assert_int_equal(dl.n_errors, 0);
    doc_close(r);
    arena_free(&mem);
}

static void test_json_malformed(void **state)
{
    (void)state;
    expect_error("bad1.json", "{\"a\": 1,\n  \"b\": [1, 2,, 3]}\n", DOC_AUTO, 0, 2, 14, "comma");
    expect_error("bad2.json", "{\"a\": 1\n\"b\": 2}\n", DOC_AUTO, 0, 1, 7, "plain scalar");
    expect_error("bad3.json", "", DOC_AUTO, 0, 1, 1, NULL);
    expect_error("bad4.json", "{\"a\":1}\n{\"b\":2}\n", DOC_AUTO, 0, 2, 1, NULL);
    expect_error("bad5.json", "{\"a\":1, \"a\":2}", DOC_AUTO, 0, 1, 10, "duplicate");
    expect_error("bad6.json", "[1, 2\n", DOC_AUTO, 0, 2, 1, "closing bracket");
}

static void test_ndjson(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    const char *text = "{\"i\": 1}\n\n{\"i\": 2, \"t\": \"x\"}\r\n[3]\n{\"i\": 4}";
    const char *path = write_file(&mem, "m.ndjson", text);
    doc_reader *r = doc_open(path, DOC_AUTO, &dl);
    assert_non_null(r);
    struct fy_document *d;
    assert_int_equal(doc_next(r, &d, &dl), 1);
    assert_int_equal(doc_line(r), 1);
    assert_string_equal(sel_text(&mem, d, "$.i"), "1");
    assert_int_equal(doc_next(r, &d, &dl), 1);
    assert_int_equal(doc_line(r), 3);
    assert_string_equal(sel_text(&mem, d, "$.t"), "x");
    assert_int_equal(doc_node_loc(r, fy_node_mapping_lookup_by_string(fy_document_root(d), "t", 1)).line, 3);
    assert_int_equal(doc_next(r, &d, &dl), 1);
    assert_int_equal(doc_line(r), 4);
    assert_string_equal(sel_text(&mem, d, "$[0]"), "3");
    assert_int_equal(doc_next(r, &d, &dl), 1);
    assert_int_equal(doc_line(r), 5);
    assert_int_equal(doc_next(r, &d, &dl), 0);
    char want[DIGEST_HEX_LEN + 1];
    digest_sha256_hex(text, strlen(text), want);
    assert_string_equal(doc_content_hash(r), want);
    assert_int_equal(dl.n_errors, 0);
    doc_close(r);

    /* hash asked first, then the documents: same hash, documents still read */
    r = doc_open(path, DOC_NDJSON, &dl);
    assert_string_equal(doc_content_hash(r), want);
    int n = 0;
    while (doc_next(r, &d, &dl) == 1)
        n++;
    assert_int_equal(n, 4);
    assert_string_equal(doc_content_hash(r), want);
    doc_close(r);
    arena_free(&mem);

    expect_error("bad1.ndjson", "{\"i\": 1}\n{\"i\": 2}\n{\"i\": 3,, }\n{\"i\": 4}\n", DOC_AUTO, 2, 3, 9, NULL);
    expect_error("bad2.ndjson", "{\"i\": 1}\n{\"i\": 2} {\"i\": 3}\n", DOC_AUTO, 1, 2, 10, NULL);
    expect_error("bad3.ndjson", "{\"i\": 1}\n\n\n  {\"i\"\n", DOC_AUTO, 1, 4, 5, "empty values");
}

static void test_yaml_multi(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    const char *text = "# self model\nname: vessel\ntraits: [calm, curious]\nempty: ~\nq: 'null'\n---\nname: second\n"
                       "nested:\n  a: 1\n  b: [x, y]\n...\n---\n- just\n- a list\n";
    const char *path = write_file(&mem, "self.yaml", text);
    doc_reader *r = doc_open(path, DOC_AUTO, &dl);
    assert_non_null(r);
    struct fy_document *d;
    assert_int_equal(doc_next(r, &d, &dl), 1);
    assert_int_equal(doc_line(r), 2);
    assert_string_equal(sel_text(&mem, d, "$.name"), "vessel");
    assert_string_equal(sel_text(&mem, d, "$.traits[1]"), "curious");
    assert_string_equal(sel_text(&mem, d, "$.traits"), "[\"calm\", \"curious\"]");
    assert_null(sel_text(&mem, d, "$.empty"));
    assert_string_equal(sel_text(&mem, d, "$.q"), "null");
    assert_int_equal(doc_next(r, &d, &dl), 1);
    assert_int_equal(doc_line(r), 7);
    assert_string_equal(sel_text(&mem, d, "$.nested.b[0]"), "x");
    assert_int_equal(doc_node_loc(r, fy_node_by_path(fy_document_root(d), "/nested/a", (size_t)-1, 0)).line, 9);
    assert_int_equal(doc_next(r, &d, &dl), 1);
    assert_string_equal(sel_text(&mem, d, "$[1]"), "a list");
    assert_int_equal(doc_next(r, &d, &dl), 0);
    char want[DIGEST_HEX_LEN + 1];
    digest_sha256_hex(text, strlen(text), want);
    assert_string_equal(doc_content_hash(r), want);
    assert_int_equal(dl.n_errors, 0);
    doc_close(r);
    arena_free(&mem);

    expect_error("bad1.yaml", "a: 1\nb: [x\nc: 2\n", DOC_AUTO, 0, 4, 1, "bracket");
    expect_error("bad2.yaml", "a: 1\n---\nb: 2\n c: 3\n", DOC_AUTO, 1, 3, 4, "multiline plain key");
    expect_error("bad3.yaml", "key: \"unterminated\n", DOC_AUTO, 0, 1, 7, "without closing quote");
}

static void test_markdown(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    const char *path = write_file(&mem, "wiki/page.md",
                                  "---\ntitle: From front matter\ntags: [a, b]\n---\nIntro\n\n```\n# not a title\n```\n"
                                  "#nope\n# The Title ##\nText\n");
    doc_reader *r = doc_open(path, DOC_AUTO, &dl);
    assert_non_null(r);
    struct fy_document *d;
    if (doc_next(r, &d, &dl) != 1)
        fail_msg("%s", dl.items.v[0].message);
    assert_string_equal(sel_text(&mem, d, "$.title"), "From front matter");
    assert_string_equal(sel_text(&mem, d, "$.tags[1]"), "b");
    assert_string_equal(sel_text(&mem, d, "$.\"$title\""), "The Title");
    assert_string_equal(sel_text(&mem, d, "$['$body']"), "Intro\n\n```\n# not a title\n```\n#nope\n# The Title ##\nText\n");
    assert_int_equal(doc_node_loc(r, fy_node_mapping_lookup_by_string(fy_document_root(d), "tags", 4)).line, 3);
    assert_int_equal(doc_next(r, &d, &dl), 0);
    doc_close(r);

    /* no front matter: $body is the file, $title absent */
    path = write_file(&mem, "plain.md", "just text\nnull\n");
    r = doc_open(path, DOC_AUTO, &dl);
    assert_int_equal(doc_next(r, &d, &dl), 1);
    assert_string_equal(sel_text(&mem, d, "$['$body']"), "just text\nnull\n");
    assert_null(sel_text(&mem, d, "$['$title']"));
    doc_close(r);

    /* a body that is literally "null" stays text */
    path = write_file(&mem, "null.md", "---\n---\nnull");
    r = doc_open(path, DOC_AUTO, &dl);
    if (doc_next(r, &d, &dl) != 1)
        fail_msg("%u:%u %s", dl.items.v[0].loc.line, dl.items.v[0].loc.col, dl.items.v[0].message);
    assert_string_equal(sel_text(&mem, d, "$['$body']"), "null");
    doc_close(r);
    assert_int_equal(dl.n_errors, 0);
    arena_free(&mem);

    expect_error("bad1.md", "---\ntitle: x\nlist: [a\n---\nbody\n", DOC_AUTO, 0, 4, 1, NULL);
    expect_error("bad2.md", "---\ntitle: x\nbody without end\n", DOC_AUTO, 0, 1, 1, "never closed");
    expect_error("bad3.md", "---\n- a\n- b\n---\nbody\n", DOC_AUTO, 0, 2, 1, "not a mapping");
    expect_error("bad4.md", "---\na: 1\n  b: 2\n---\n", DOC_AUTO, 0, 2, 4, "multiline plain key");
}

static void test_text(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    const char *text = "line 1\n{not: json}\n";
    const char *path = write_file(&mem, "notes.txt", text);
    assert_int_equal(doc_format_for_path(path), DOC_TEXT);
    doc_reader *r = doc_open(path, DOC_AUTO, &dl);
    struct fy_document *d;
    assert_int_equal(doc_next(r, &d, &dl), 1);
    assert_string_equal(sel_text(&mem, d, "$.\"$body\""), text);
    assert_int_equal(doc_next(r, &d, &dl), 0);
    char want[DIGEST_HEX_LEN + 1];
    digest_sha256_hex(text, strlen(text), want);
    assert_string_equal(doc_content_hash(r), want);
    doc_close(r);

    /* a format forced over the extension */
    path = write_file(&mem, "data.txt", "{\"a\": [1]}");
    r = doc_open(path, DOC_JSON, &dl);
    assert_int_equal(doc_next(r, &d, &dl), 1);
    assert_string_equal(sel_text(&mem, d, "$.a[0]"), "1");
    doc_close(r);

    /* missing file */
    assert_null(doc_open("/nonexistent/x.json", DOC_AUTO, &dl));
    assert_int_equal(dl.n_errors, 1);
    assert_non_null(strstr(dl.items.v[0].message, "cannot open"));
    arena_free(&mem);
}

static void test_utf8(void **state)
{
    (void)state;
    expect_error("u1.json", "{\"a\": \"ok \xC3\xA9\",\n \"b\": \"x\xFFy\"}", DOC_AUTO, 0, 2, 9, "UTF-8");
    expect_error("u2.yaml", "%-A\xF8t: -[sa--", DOC_AUTO, 0, 1, 4, "UTF-8"); /* hung libfyaml */
    expect_error("u3.yaml", "a: 1\n---\nb: \xE2\x82\n", DOC_AUTO, 0, 3, 6, "UTF-8");
    expect_error("u4.ndjson", "{\"i\": 1}\n{\"i\": \"\xED\xA0\x80\"}\n", DOC_AUTO, 1, 2, 9, "UTF-8");
    expect_error("u5.md", "---\nt: 1\n---\nbody \xC0\xAF\n", DOC_AUTO, 0, 4, 6, "UTF-8");
    expect_error("u6.txt", "\xF5\x80\x80\x80", DOC_AUTO, 0, 1, 1, "UTF-8");
    expect_error("u7.yaml", "a: \"\xF0\x9F\x98", DOC_AUTO, 0, 1, 8, "cut by the end");
    expect_error("u9.yaml", "%\xDE", DOC_AUTO, 0, 1, 3, "cut by the end"); /* hung libfyaml */
    expect_error("u8.json", "\"\xE0\x80\x80\"", DOC_AUTO, 0, 1, 3, "UTF-8"); /* overlong */

    /* a long YAML stream of multi-byte characters: sequences cut by the
     * reader's chunks are completed, never reported */
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    size_t n = 40000;
    char *text = malloc(n * 16 + 1), *p = text;
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "- \"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80%zu\"\n", i % 10);
    const char *path = write_file(&mem, "big.yaml", text);
    doc_reader *r = doc_open(path, DOC_AUTO, &dl);
    struct fy_document *d;
    if (doc_next(r, &d, &dl) != 1)
        fail_msg("%u:%u %s", dl.items.v[0].loc.line, dl.items.v[0].loc.col, dl.items.v[0].message);
    assert_int_equal(fy_node_sequence_item_count(fy_document_root(d)), (int)n);
    assert_string_equal(sel_text(&mem, d, "$[-1]"), "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" "9");
    assert_int_equal(doc_next(r, &d, &dl), 0);
    char want[DIGEST_HEX_LEN + 1];
    digest_sha256_hex(text, strlen(text), want);
    assert_string_equal(doc_content_hash(r), want);
    assert_int_equal(doc_bytes_read(r), strlen(text));
    doc_close(r);
    free(text);
    arena_free(&mem);
}

static void test_yaml_scalar_styles(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    /* single-quoted with '' escapes went through libfyaml's leaking path */
    struct fy_document *d = fy_document_build_from_string(
        NULL,
        "sq: 'it''s ''quoted'' aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa''b'\n"
        "dq: \"a\\tb\\u00e9\"\nlit: |\n  line 1\n   line 2\nfold: >\n  a\n  b\n\n  c\nplain: x y\nsqnull: 'null'\n",
        (size_t)-1);
    assert_non_null(d);
    assert_string_equal(sel_text(&mem, d, "$.sq"),
                        "it's 'quoted' aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'b");
    assert_string_equal(sel_text(&mem, d, "$.dq"), "a\tb\xC3\xA9");
    assert_string_equal(sel_text(&mem, d, "$.lit"), "line 1\n line 2\n");
    assert_string_equal(sel_text(&mem, d, "$.fold"), "a b\nc\n");
    assert_string_equal(sel_text(&mem, d, "$.plain"), "x y");
    assert_string_equal(sel_text(&mem, d, "$.sqnull"), "null");
    fy_document_destroy(d);
    arena_free(&mem);
}

static void test_node_json(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    struct fy_document *d = fy_document_build_from_string(
        NULL,
        "v:\n  n: 12\n  f: -1.5e3\n  hex: 0x1F\n  lead0: 007\n  b: True\n  nb: 'true'\n  z: ~\n  e:\n"
        "  s: 'it''s'\n  q: \"tab\\there \\\"q\\\" \\\\ \\u0001\"\n  l: [1, a, null, {x: [] }, {}]\n"
        "  ? [complex, key]\n  : 1\n  anchor: &A {k: v}\n  ref: *A\n  str: !!str 42\n",
        (size_t)-1);
    assert_non_null(d);
    assert_string_equal(sel_text(&mem, d, "$.v"),
                        "{\"n\": 12, \"f\": -1.5e3, \"hex\": \"0x1F\", \"lead0\": \"007\", \"b\": true, \"nb\": \"true\", "
                        "\"z\": null, \"e\": null, \"s\": \"it's\", \"q\": \"tab\\there \\\"q\\\" \\\\ \\u0001\", "
                        "\"l\": [1, \"a\", null, {\"x\": []}, {}], \"[\\\"complex\\\", \\\"key\\\"]\": 1, "
                        "\"anchor\": {\"k\": \"v\"}, \"ref\": {\"k\": \"v\"}, \"str\": \"42\"}");
    bool is_json = false;
    doc_node_text(fy_node_by_path(fy_document_root(d), "/v/l", (size_t)-1, 0), &mem, &is_json);
    assert_true(is_json);
    assert_string_equal(sel_text(&mem, d, "$.v.ref.k"), "v");
    assert_string_equal(sel_text(&mem, d, "$.v.str"), "42");
    fy_document_destroy(d);

    /* a billion laughs: bounded (null past the budget), not exponential */
    strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'j'; c++)
        strbuf_addf(&sb, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", c, c, c - 1, c - 1, c - 1,
                    c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
    d = fy_document_build_from_string(NULL, sb.buf, sb.len);
    assert_non_null(d);
    const char *j = sel_text(&mem, d, "$.j");
    assert_non_null(j);
    assert_true(strlen(j) < 20u * 1000 * 1000);
    assert_non_null(strstr(j, "null"));
    fy_document_destroy(d);
    strbuf_release(&sb);
    arena_free(&mem);
}

static void test_formats(void **state)
{
    (void)state;
    assert_int_equal(doc_format_from_name("jsonl"), DOC_NDJSON);
    assert_int_equal(doc_format_from_name("yml"), DOC_YAML);
    assert_int_equal(doc_format_from_name("md"), DOC_MARKDOWN);
    assert_int_equal(doc_format_from_name("text"), DOC_TEXT);
    assert_int_equal(doc_format_from_name("xml"), DOC_AUTO);
    assert_int_equal(doc_format_from_name(NULL), DOC_AUTO);
    assert_int_equal(doc_format_for_path("a/b.JSON"), DOC_JSON);
    assert_int_equal(doc_format_for_path("x.jsonl"), DOC_NDJSON);
    assert_int_equal(doc_format_for_path("x.markdown"), DOC_MARKDOWN);
    assert_string_equal(doc_format_name(DOC_NDJSON), "ndjson");
}

/* ---- selectors -------------------------------------------------------------- */

static void test_selectors(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    struct fy_document *d = fy_document_build_from_string(
        NULL, "{id: c9, \"odd key\": {x: 1}, it's: q, items: [{v: a}, {v: b}, {v: c}], m: {k1: 1, k2: 2}}", (size_t)-1);
    assert_non_null(d);
    struct fy_node *root = fy_document_root(d);
    struct fy_node *items = fy_node_mapping_lookup_by_string(root, "items", 5);
    struct fy_node *second = fy_node_sequence_get_by_index(items, 1);
    const char *names[] = {"user_id", "day"}, *values[] = {"u-7", "2024-01-02"};
    doc_row_ctx parent = {root, root, NULL, -1, NULL, "conv/c9.json", names, values, 2};
    doc_row_ctx row = {second, root, &parent, 1, NULL, "conv/c9.json", names, values, 2};
    src_loc loc = {"spec.yaml", 3, 10};
    struct {
        const char *sel, *want;
    } cases[] = {
        {"$.v", "b"},           {"$", "{\"v\": \"b\"}"},  {"$doc.id", "c9"},       {"$parent.id", "c9"},
        {"$doc.\"odd key\".x", "1"}, {"$doc['odd key'].x", "1"}, {"$doc[\"it's\"]", "q"}, {"$doc.items[0].v", "a"},
        {"$doc.items[-1].v", "c"}, {"$doc.items[-3].v", "a"}, {"$doc.items[-4].v", NULL}, {"$doc.items[3]", NULL},
        {"$index", "1"},        {"$path", "conv/c9.json"}, {"$file.user_id", "u-7"}, {"$file.day", "2024-01-02"},
        {"$file.nope", NULL},   {"$.missing", NULL},      {"$.v.deeper", NULL},    {"$doc.id[0]", NULL},
        {"$key", NULL},         {" $.v ", "b"},           {"$doc.m.k2", "2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        doc_selector *s = doc_selector_parse(&mem, cases[i].sel, loc, &dl);
        if (!s)
            fail_msg("'%s' did not parse: %s", cases[i].sel, dl.items.v[dl.items.n - 1].message);
        assert_false(doc_selector_is_set(s));
        const char *scalar = NULL;
        struct fy_node *n = doc_select(s, &row, &mem, &scalar);
        const char *got = n ? doc_node_text(n, &mem, NULL) : scalar;
        if ((got == NULL) != (cases[i].want == NULL) || (got && strcmp(got, cases[i].want)))
            fail_msg("'%s': got '%s', want '%s'", cases[i].sel, got ? got : "(null)",
                     cases[i].want ? cases[i].want : "(null)");
    }
    assert_string_equal(doc_selector_text(doc_selector_parse(&mem, "$doc.items[0]", loc, &dl)), "$doc.items[0]");

    /* $index: 0, large */
    doc_selector *ix = doc_selector_parse(&mem, "$index", loc, &dl);
    const char *iv;
    doc_row_ctx r0 = {second, root, NULL, 0, NULL, NULL, NULL, NULL, 0};
    doc_select(ix, &r0, &mem, &iv);
    assert_string_equal(iv, "0");
    r0.index = 9876543210L;
    doc_select(ix, &r0, &mem, &iv);
    assert_string_equal(iv, "9876543210");
    r0.index = -1;
    doc_select(ix, &r0, &mem, &iv);
    assert_null(iv);

    /* $key of an each: over a mapping, $parent.$parent */
    doc_row_ctx krow = {second, root, &row, 0, "k2", NULL, NULL, NULL, 0};
    const char *scalar;
    assert_null(doc_select(doc_selector_parse(&mem, "$key", loc, &dl), &krow, &mem, &scalar));
    assert_string_equal(scalar, "k2");
    struct fy_node *pp = doc_select(doc_selector_parse(&mem, "$parent.$parent.id", loc, &dl), &krow, &mem, &scalar);
    assert_string_equal(doc_node_text(pp, &mem, NULL), "c9");
    assert_null(doc_select(doc_selector_parse(&mem, "$parent.$parent.$parent.id", loc, &dl), &krow, &mem, &scalar));

    /* sets */
    doc_selector *all = doc_selector_parse(&mem, "$doc.items[*].v", loc, &dl);
    assert_true(doc_selector_is_set(all));
    assert_null(doc_select(all, &row, &mem, &scalar));
    struct fy_node **out;
    assert_int_equal(doc_select_all(all, &row, &mem, &out), 3);
    assert_string_equal(doc_node_text(out[2], &mem, NULL), "c");
    assert_int_equal(doc_select_all(doc_selector_parse(&mem, "$doc.m.*", loc, &dl), &row, &mem, &out), 2);
    assert_string_equal(doc_node_text(out[1], &mem, NULL), "2");
    assert_int_equal(doc_select_all(doc_selector_parse(&mem, "$doc.id", loc, &dl), &row, &mem, &out), 1);
    assert_int_equal(doc_select_all(doc_selector_parse(&mem, "$doc.nope[*]", loc, &dl), &row, &mem, &out), 0);
    assert_int_equal(dl.n_errors, 0);

    /* malformed selectors: error at the spec's line, col + offset */
    struct {
        const char *sel;
        unsigned col;
        const char *why;
    } bad[] = {
        {"id", 10, "starts with '$'"},  {"$.a[", 14, "index"},        {"$.a[1", 15, "']'"},
        {"$.\"open", 12, "unterminated"}, {"$foo", 10, "unknown"},      {"$.a..b", 14, "empty key"},
        {"$index.x", 16, "no path"},     {"$file", 15, "capture name"}, {"$.a b", 14, "unexpected"},
        {"$.a[x]", 14, "index"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        diag_list e;
        diag_list_init(&e, &mem);
        if (doc_selector_parse(&mem, bad[i].sel, loc, &e))
            fail_msg("'%s' parsed", bad[i].sel);
        assert_int_equal(e.n_errors, 1);
        assert_int_equal(e.items.v[0].loc.line, 3);
        if (e.items.v[0].loc.col != bad[i].col)
            fail_msg("'%s': col %u want %u (%s)", bad[i].sel, e.items.v[0].loc.col, bad[i].col,
                     e.items.v[0].message);
        if (bad[i].why && !strstr(e.items.v[0].message, bad[i].why))
            fail_msg("'%s': %s", bad[i].sel, e.items.v[0].message);
    }
    fy_document_destroy(d);
    arena_free(&mem);
}

/* ---- path patterns ---------------------------------------------------------- */

static void test_path_match(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    src_loc loc = {"spec.yaml", 5, 3};
    doc_path_pattern *p = doc_path_pattern_parse(&mem, "users/{user_id}/profile.yaml", loc, &dl);
    assert_non_null(p);
    size_t n;
    const char *const *names = doc_path_pattern_names(p, &n);
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "user_id");
    const char **v;
    assert_true(doc_path_pattern_match(p, &mem, "users/ab-12/profile.yaml", &v, &n));
    assert_int_equal(n, 1);
    assert_string_equal(v[0], "ab-12");
    assert_true(doc_path_pattern_match(p, &mem, "./users/x/profile.yaml", &v, &n));
    assert_false(doc_path_pattern_match(p, &mem, "users/a/b/profile.yaml", &v, &n));
    assert_false(doc_path_pattern_match(p, &mem, "users//profile.yaml", &v, &n));
    assert_false(doc_path_pattern_match(p, &mem, "users/x/profile.yml", &v, &n));
    assert_int_equal(n, 0);

    p = doc_path_pattern_parse(&mem, "logs/{year}-{month}/**/{name}.json", loc, &dl);
    assert_true(doc_path_pattern_match(p, &mem, "logs/2024-01-x/a/b/c.d.json", &v, &n));
    assert_int_equal(n, 3);
    assert_string_equal(v[0], "2024");
    assert_string_equal(v[1], "01-x");
    assert_string_equal(v[2], "c.d");
    assert_true(doc_path_pattern_match(p, &mem, "logs/2024-01/c.json", &v, &n));
    assert_false(doc_path_pattern_match(p, &mem, "logs/2024/c.json", &v, &n));

    p = doc_path_pattern_parse(&mem, "**/*.md", loc, &dl);
    assert_true(doc_path_pattern_match(p, &mem, "a.md", NULL, NULL));
    assert_true(doc_path_pattern_match(p, &mem, "x/y/z.md", NULL, NULL));
    assert_false(doc_path_pattern_match(p, &mem, "x/y/z.mdx", NULL, NULL));
    p = doc_path_pattern_parse(&mem, "conv/c?.json", loc, &dl);
    assert_true(doc_path_pattern_match(p, &mem, "conv/c1.json", NULL, NULL));
    assert_false(doc_path_pattern_match(p, &mem, "conv/c12.json", NULL, NULL));
    assert_int_equal(dl.n_errors, 0);

    const char *bad[] = {"", "/abs/x", "a//b", "a/{x", "a/{}/b", "a/{x}/{x}.json", "a/x}.json", "a/{x y}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        diag_list e;
        diag_list_init(&e, &mem);
        if (doc_path_pattern_parse(&mem, bad[i], loc, &e))
            fail_msg("'%s' parsed", bad[i]);
        assert_int_equal(e.n_errors, 1);
        assert_int_equal(e.items.v[0].loc.line, 5);
    }
    arena_free(&mem);
}

static void test_path_files(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    write_file(&mem, "tree/users/b/profile.yaml", "a: 1\n");
    write_file(&mem, "tree/users/a/profile.yaml", "a: 1\n");
    write_file(&mem, "tree/users/a/other.yaml", "a: 1\n");
    write_file(&mem, "tree/users/c/d/profile.yaml", "a: 1\n");
    write_file(&mem, "tree/wiki/x.md", "x\n");
    write_file(&mem, "tree/wiki/sub/y.md", "y\n");
    write_file(&mem, "tree/wiki/sub/deeper/A.md", "y\n");
    write_file(&mem, "tree/top.md", "y\n");
    char *base = arena_printf(&mem, "%s/tree", tmpdir);
    char *dirlike = arena_printf(&mem, "%s/users/z", base);
    mkdir(dirlike, 0700);
    char *dirmd = arena_printf(&mem, "%s/wiki/dir.md", base);
    mkdir(dirmd, 0700); /* a directory named like a match is not listed */
    char *loop = arena_printf(&mem, "%s/wiki/loop", base);
    assert_int_equal(symlink(base, loop), 0); /* not followed */
    char *lnk = arena_printf(&mem, "%s/wiki/link.md", base);
    assert_int_equal(symlink(arena_printf(&mem, "%s/wiki/x.md", base), lnk), 0);

    src_loc loc = {"spec.yaml", 1, 1};
    const char **files;
    size_t n = doc_path_pattern_files(doc_path_pattern_parse(&mem, "users/{id}/profile.yaml", loc, &dl), &mem, base,
                                      &files);
    assert_int_equal(n, 2);
    assert_string_equal(files[0], "users/a/profile.yaml");
    assert_string_equal(files[1], "users/b/profile.yaml");

    n = doc_path_pattern_files(doc_path_pattern_parse(&mem, "**/*.md", loc, &dl), &mem, base, &files);
    assert_int_equal(n, 5);
    assert_string_equal(files[0], "top.md");
    assert_string_equal(files[1], "wiki/link.md");
    assert_string_equal(files[2], "wiki/sub/deeper/A.md");
    assert_string_equal(files[3], "wiki/sub/y.md");
    assert_string_equal(files[4], "wiki/x.md");

    n = doc_path_pattern_files(doc_path_pattern_parse(&mem, "nothing/here/*.json", loc, &dl), &mem, base, &files);
    assert_int_equal(n, 0);
    assert_int_equal(dl.n_errors, 0);
    arena_free(&mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json),         cmocka_unit_test(test_json_malformed), cmocka_unit_test(test_ndjson),
        cmocka_unit_test(test_yaml_multi),   cmocka_unit_test(test_markdown),       cmocka_unit_test(test_text),
        cmocka_unit_test(test_formats),      cmocka_unit_test(test_selectors),      cmocka_unit_test(test_path_match),
        cmocka_unit_test(test_path_files),   cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_yaml_scalar_styles),
        cmocka_unit_test(test_node_json),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
