/*
 * test_util.c — unit tests of src/util: arena, strbuf, hashmap, diag
 * (locations and printing) and url (classification, sqlite paths, password
 * masking).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/arena.h"
#include "util/diag.h"
#include "util/hashmap.h"
#include "util/strbuf.h"
#include "util/url.h"
#include "util/vec.h"

/* deterministic pseudo-random numbers (xorshift64) */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* ---- arena ------------------------------------------------------------------ */

static void test_arena_alignment_and_zeroing(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    for (size_t size = 0; size < 300; size++) {
        unsigned char *p = arena_alloc(&a, size);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        for (size_t i = 0; i < size; i++)
            assert_int_equal(p[i], 0);
        memset(p, 0xAB, size); /* ASan: the whole block is ours */
    }
    arena_free(&a);
    assert_null(a.head);
}

static void test_arena_big_blocks(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    char *small1 = arena_strdup(&a, "before");
    size_t big_size = 3 * 1024 * 1024 + 7;
    unsigned char *big = arena_alloc(&a, big_size);
    assert_int_equal((uintptr_t)big % 16, 0);
    for (size_t i = 0; i < big_size; i += 4096)
        assert_int_equal(big[i], 0);
    memset(big, 0x5A, big_size);
    /* a big block must not disturb the current chunk */
    char *small2 = arena_strdup(&a, "after");
    assert_string_equal(small1, "before");
    assert_string_equal(small2, "after");
    /* many medium blocks around the big-block threshold */
    for (int i = 0; i < 64; i++) {
        size_t sz = a.chunk_size / 4 + (size_t)i * 13;
        unsigned char *p = arena_alloc(&a, sz);
        memset(p, i, sz);
        assert_int_equal(p[sz - 1], (unsigned char)i);
    }
    assert_int_equal(big[big_size - 1], 0x5A);
    arena_free(&a);
}

static void test_arena_strings(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    assert_null(arena_strdup(&a, NULL));
    assert_null(arena_strndup(&a, NULL, 3));
    assert_string_equal(arena_strdup(&a, ""), "");
    assert_string_equal(arena_strndup(&a, "abcdef", 3), "abc");
    char *s = arena_printf(&a, "%s-%d-%05.1f", "x", 42, 3.14159);
    assert_string_equal(s, "x-42-003.1");
    assert_string_equal(arena_printf(&a, "%s", ""), "");
    /* longer than a chunk */
    char *long_src = malloc(200001);
    memset(long_src, 'q', 200000);
    long_src[200000] = '\0';
    char *copy = arena_printf(&a, "<%s>", long_src);
    assert_int_equal(strlen(copy), 200002);
    assert_int_equal(copy[0], '<');
    assert_int_equal(copy[200001], '>');
    free(long_src);
    arena_free(&a);
}

static void test_arena_realloc_and_vec(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    int *p = arena_alloc(&a, 4 * sizeof(int));
    for (int i = 0; i < 4; i++)
        p[i] = i + 1;
    int *q = arena_realloc(&a, p, 4 * sizeof(int), 1000 * sizeof(int));
    for (int i = 0; i < 4; i++)
        assert_int_equal(q[i], i + 1);
    assert_int_equal(q[999], 0);
    assert_ptr_equal(arena_realloc(&a, q, 1000 * sizeof(int), 10), q);

    VEC(int) v = {0};
    for (int i = 0; i < 10000; i++)
        VEC_PUSH(&a, v, i * 3);
    assert_int_equal(v.n, 10000);
    VEC_REMOVE(v, 0);
    assert_int_equal(v.n, 9999);
    assert_int_equal(v.v[0], 3);
    assert_int_equal(v.v[9998], 29997);
    arena_free(&a);
}

/* ---- strbuf ----------------------------------------------------------------- */

static void test_strbuf_growth(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    assert_string_equal(strbuf_str(&sb), "");
    for (int i = 0; i < 100000; i++)
        strbuf_addch(&sb, (char)('a' + i % 26));
    assert_int_equal(sb.len, 100000);
    assert_int_equal(strlen(sb.buf), 100000);
    assert_true(sb.cap > sb.len);
    assert_int_equal(sb.buf[26], 'a');
    strbuf_reset(&sb);
    assert_int_equal(sb.len, 0);
    assert_string_equal(strbuf_str(&sb), "");
    strbuf_addf(&sb, "%d:%s", 7, "seven");
    strbuf_adds(&sb, NULL);
    strbuf_add(&sb, "xyz", 2);
    assert_string_equal(strbuf_str(&sb), "7:sevenxy");
    strbuf_setlen(&sb, 1);
    assert_string_equal(strbuf_str(&sb), "7");
    strbuf_setlen(&sb, 100); /* never grows */
    assert_int_equal(sb.len, 1);
    char *d = strbuf_detach(&sb);
    assert_string_equal(d, "7");
    assert_null(sb.buf);
    assert_int_equal(sb.len, 0);
    free(d);
    d = strbuf_detach(&sb); /* empty buffer detaches to "" */
    assert_string_equal(d, "");
    free(d);
    strbuf_release(&sb);
}

static void test_strbuf_json(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    strbuf_add_json_string(&sb, NULL);
    assert_string_equal(strbuf_str(&sb), "null");
    strbuf_reset(&sb);
    strbuf_add_json_string(&sb, "");
    assert_string_equal(strbuf_str(&sb), "\"\"");
    strbuf_reset(&sb);
    strbuf_add_json_string(&sb, "a\"b\\c\nd\re\tf\bg\fh\x01i\x1fj");
    assert_string_equal(strbuf_str(&sb), "\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u001fj\"");
    strbuf_reset(&sb);
    strbuf_add_json_string(&sb, "caf\xc3\xa9 / \xe2\x82\xac"); /* UTF-8 passes through */
    assert_string_equal(strbuf_str(&sb), "\"caf\xc3\xa9 / \xe2\x82\xac\"");
    strbuf_release(&sb);
}

static void test_strbuf_rtrim(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    strbuf_rtrim(&sb); /* empty, unallocated */
    assert_int_equal(sb.len, 0);
    strbuf_adds(&sb, "  keep inner  space \t\r\n \n");
    strbuf_rtrim(&sb);
    assert_string_equal(strbuf_str(&sb), "  keep inner  space");
    strbuf_reset(&sb);
    strbuf_adds(&sb, " \n\t ");
    strbuf_rtrim(&sb);
    assert_int_equal(sb.len, 0);
    assert_string_equal(strbuf_str(&sb), "");
    strbuf_release(&sb);
}

static void test_strbuf_read_file(void **state)
{
    (void)state;
    char path[] = "/tmp/dbsage-test-util.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = 200000; /* bigger than the read buffer, with NUL bytes */
    unsigned char *data = malloc(n);
    for (size_t i = 0; i < n; i++)
        data[i] = (unsigned char)(i * 7);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    close(fd);

    strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "prefix:");
    assert_int_equal(strbuf_read_file(&sb, path), 0);
    assert_int_equal(sb.len, 7 + n);
    assert_memory_equal(sb.buf, "prefix:", 7);
    assert_memory_equal(sb.buf + 7, data, n);
    assert_int_equal(sb.buf[sb.len], '\0');
    strbuf_release(&sb);

    /* empty file: success, "" */
    fd = open(path, O_WRONLY | O_TRUNC);
    close(fd);
    assert_int_equal(strbuf_read_file(&sb, path), 0);
    assert_int_equal(sb.len, 0);
    assert_string_equal(strbuf_str(&sb), "");
    strbuf_release(&sb);

    unlink(path);
    errno = 0;
    assert_int_equal(strbuf_read_file(&sb, path), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(sb.len, 0);
    strbuf_release(&sb);
    free(data);
}

/* ---- hashmap ------------------------------------------------------------------ */

static void test_hashmap_basic(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    hashmap m;
    hashmap_init(&m, &a);
    assert_null(hashmap_get(&m, "missing"));
    hashmap_del(&m, "missing"); /* no-op on an empty map */
    int one = 1, two = 2, three = 3;
    char key[16];
    strcpy(key, "alpha");
    hashmap_put(&m, key, &one);
    strcpy(key, "XXXXX"); /* the map owns a copy of the key */
    hashmap_put(&m, "beta", &two);
    hashmap_put(&m, "", &three); /* empty key is a key */
    assert_ptr_equal(hashmap_get(&m, "alpha"), &one);
    assert_ptr_equal(hashmap_get(&m, "beta"), &two);
    assert_ptr_equal(hashmap_get(&m, ""), &three);
    assert_null(hashmap_get(&m, "XXXXX"));
    assert_int_equal(m.n, 3);
    hashmap_put(&m, "alpha", &two); /* overwrite */
    assert_ptr_equal(hashmap_get(&m, "alpha"), &two);
    assert_int_equal(m.n, 3);
    hashmap_del(&m, "alpha");
    assert_null(hashmap_get(&m, "alpha"));
    assert_ptr_equal(hashmap_get(&m, "beta"), &two);
    assert_int_equal(m.n, 2);
    hashmap_del(&m, "alpha"); /* twice */
    assert_int_equal(m.n, 2);
    hashmap_put(&m, "alpha", &three);
    assert_ptr_equal(hashmap_get(&m, "alpha"), &three);
    assert_int_equal(m.n, 3);
    hashmap_release(&m);
    arena_free(&a);
}

static void test_hashmap_100k(void **state)
{
    (void)state;
    enum { N = 100000 };
    arena a;
    arena_init(&a);
    hashmap m;
    hashmap_init(&m, &a);
    static int values[N];
    char key[32];
    for (int i = 0; i < N; i++) {
        values[i] = i;
        snprintf(key, sizeof key, "table_%d", i);
        hashmap_put(&m, key, &values[i]);
    }
    assert_int_equal(m.n, N);
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof key, "table_%d", i);
        int *v = hashmap_get(&m, key);
        assert_non_null(v);
        assert_int_equal(*v, i);
    }
    /* delete the odd ones; the even ones stay reachable across tombstones */
    for (int i = 1; i < N; i += 2) {
        snprintf(key, sizeof key, "table_%d", i);
        hashmap_del(&m, key);
    }
    assert_int_equal(m.n, N / 2);
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof key, "table_%d", i);
        int *v = hashmap_get(&m, key);
        if (i % 2) {
            assert_null(v);
        } else {
            assert_non_null(v);
            assert_int_equal(*v, i);
        }
    }
    assert_null(hashmap_get(&m, "table_100000"));
    hashmap_release(&m);
    arena_free(&a);
}

static void test_hashmap_tombstone_reuse(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    hashmap m;
    hashmap_init(&m, &a);
    int v = 1;
    hashmap_put(&m, "keep", &v);
    /* the same key put and deleted forever must not grow the table */
    for (int i = 0; i < 100000; i++) {
        hashmap_put(&m, "x", &v);
        assert_ptr_equal(hashmap_get(&m, "x"), &v);
        hashmap_del(&m, "x");
    }
    assert_true(m.cap <= 64);
    assert_int_equal(m.n, 1);
    /* distinct keys put and deleted: tombstones are reclaimed, size bounded */
    char key[32];
    for (int i = 0; i < 100000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        hashmap_put(&m, key, &v);
        hashmap_del(&m, key);
    }
    assert_true(m.cap <= 128);
    assert_true(m.used < m.cap);
    assert_int_equal(m.n, 1);
    assert_ptr_equal(hashmap_get(&m, "keep"), &v);
    assert_null(hashmap_get(&m, "k99999"));
    hashmap_release(&m);
    arena_free(&a);
}

static void test_hash_bytes(void **state)
{
    (void)state;
    /* FNV-1a 64 recurrence: h(s + c) = (h(s) ^ c) * prime.  (The offset basis
     * in hashmap.c is 1469598103934665603, not FNV's 14695981039346656037;
     * harmless for a hash table, so only the recurrence is checked here.) */
    const uint64_t prime = 1099511628211ULL;
    const char *s = "schema.table";
    for (size_t n = 1; n <= strlen(s); n++)
        assert_true(hash_bytes(s, n) == ((hash_bytes(s, n - 1) ^ (unsigned char)s[n - 1]) * prime));
    assert_true(hash_bytes("ab", 2) != hash_bytes("ba", 2));
    assert_true(hash_bytes("a\0b", 3) != hash_bytes("a", 1));
}

/* ---- diag ----------------------------------------------------------------------- */

static void test_diag_line_index_agrees(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    for (int round = 0; round < 50; round++) {
        size_t len = (size_t)(rng() % 2000);
        char *text = arena_alloc(&a, len + 1);
        for (size_t i = 0; i < len; i++) {
            uint64_t r = rng() % 10;
            text[i] = r == 0 ? '\n' : r == 1 ? '\t' : (char)('a' + r);
        }
        if (round % 5 == 0 && len)
            text[len - 1] = '\n'; /* trailing newline */
        line_index li;
        line_index_build(&li, &a, "f.sql", text, len);
        for (int k = 0; k < 200; k++) {
            size_t off = len ? (size_t)(rng() % (len + 1)) : 0;
            src_loc x = src_loc_at("f.sql", text, off);
            src_loc y = line_index_loc(&li, off);
            assert_int_equal(x.line, y.line);
            assert_int_equal(x.col, y.col);
            assert_string_equal(y.file, "f.sql");
        }
        /* every offset just after a newline is column 1 */
        for (size_t i = 0; i < len; i++)
            if (text[i] == '\n')
                assert_int_equal(line_index_loc(&li, i + 1).col, 1);
    }
    const char *t = "ab\ncd\n\nx";
    line_index li;
    line_index_build(&li, &a, "t", t, strlen(t));
    src_loc l = line_index_loc(&li, 4); /* 'd' */
    assert_int_equal(l.line, 2);
    assert_int_equal(l.col, 2);
    l = line_index_loc(&li, 7); /* 'x' */
    assert_int_equal(l.line, 4);
    assert_int_equal(l.col, 1);
    arena_free(&a);
}

static char *print_diags(const diag_list *dl)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    diag_print(f, dl, false);
    fclose(f);
    return buf;
}

static void test_diag_print_format(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    diag_list dl;
    diag_list_init(&dl, &a);
    assert_false(diag_has_errors(&dl));
    char file[] = "file";
    src_loc loc = {file, 1, 2};
    diag_add_rule(&dl, DIAG_ERROR, loc, "rule", "msg %d", 7);
    file[0] = 'X'; /* the list keeps its own copy */
    src_loc warn_loc = {"schema.sql", 10, 0};
    diag_warning(&dl, warn_loc, "careful");
    src_loc url_loc = {"postgres://u:***@h/db", 0, 0};
    diag_note(&dl, url_loc, "connected");
    src_loc nowhere = {NULL, 0, 0};
    diag_error(&dl, nowhere, "plain %s", "failure");
    assert_true(diag_has_errors(&dl));
    assert_int_equal(dl.n_errors, 2);
    assert_int_equal(dl.n_warnings, 1);
    assert_int_equal(dl.items.n, 4);
    char *out = print_diags(&dl);
    assert_string_equal(out, "file:1:2: error: msg 7 [rule]\n"
                             "schema.sql:10:1: warning: careful\n"
                             "postgres://u:***@h/db: note: connected\n"
                             "dbsage: error: plain failure\n");
    free(out);
    assert_string_equal(diag_severity_name(DIAG_NOTE), "note");
    arena_free(&a);
}

/* ---- url ------------------------------------------------------------------------ */

static void test_url_classify(void **state)
{
    (void)state;
    assert_true(url_is_postgres("postgres://u@h/db"));
    assert_true(url_is_postgres("postgresql://u:p@h:5432/db?sslmode=disable"));
    assert_true(url_is_postgres("POSTGRESQL:///db?host=/tmp"));
    assert_true(url_is_postgres("host=/tmp dbname=x"));
    assert_true(url_is_postgres("dbname=x"));
    assert_true(url_is_postgres("  port = 5433 user=u"));
    assert_false(url_is_postgres("./schema.sql"));
    assert_false(url_is_postgres("schema.sql"));
    assert_false(url_is_postgres("migrations/"));
    assert_false(url_is_postgres("a=b"));
    assert_false(url_is_postgres("sqlite:a.db"));
    assert_false(url_is_postgres(""));
    assert_false(url_is_postgres(NULL));

    assert_true(url_is_sqlite("sqlite:a.db"));
    assert_true(url_is_sqlite("sqlite:///abs/a.db"));
    assert_true(url_is_sqlite("SQLITE://rel.db"));
    assert_true(url_is_sqlite("file:a.db"));
    assert_false(url_is_sqlite("./a.sqlite"));
    assert_false(url_is_sqlite("postgres://h/db"));
    assert_false(url_is_sqlite(""));
    assert_false(url_is_sqlite(NULL));
}

static void test_url_sqlite_path(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    assert_string_equal(url_sqlite_path(&a, "sqlite:a.db"), "a.db");
    assert_string_equal(url_sqlite_path(&a, "sqlite:///abs/a.db"), "/abs/a.db");
    assert_string_equal(url_sqlite_path(&a, "sqlite://rel.db?mode=ro"), "rel.db");
    assert_string_equal(url_sqlite_path(&a, "sqlite:dir/x.db?mode=ro&cache=shared"), "dir/x.db");
    assert_string_equal(url_sqlite_path(&a, "file:/abs/b.db"), "/abs/b.db");
    assert_string_equal(url_sqlite_path(&a, "sqlite:"), "");
    assert_null(url_sqlite_path(&a, "./a.db"));
    assert_null(url_sqlite_path(&a, "postgres://h/db"));
    assert_null(url_sqlite_path(&a, NULL));
    arena_free(&a);
}

static void assert_masked(arena *a, const char *spec, const char *expected, const char *secret)
{
    char *m = url_mask(a, spec);
    assert_non_null(m);
    if (expected)
        assert_string_equal(m, expected);
    if (strstr(m, secret)) {
        fail_msg("url_mask(\"%s\") = \"%s\" shows the secret \"%s\"", spec, m, secret);
    }
}

static void test_url_mask(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    assert_masked(&a, "postgres://u:secret@h/db", "postgres://u:***@h/db", "secret");
    assert_masked(&a, "postgres://u:se:cr@et@h/db", "postgres://u:***@h/db", "cr@et");
    assert_masked(&a, "postgres://u:se:cr@et@h/db", NULL, "se:");
    assert_masked(&a, "postgresql://u:secret@h:5432/db?sslmode=require", "postgresql://u:***@h:5432/db?sslmode=require",
                  "secret");
    assert_masked(&a, "postgres://h/db?password=secret&x=1", "postgres://h/db?password=***&x=1", "secret");
    assert_masked(&a, "postgres://h/db?x=1&password=secret", "postgres://h/db?x=1&password=***", "secret");
    assert_masked(&a, "postgres://u:secret@h/db?password=secret2", "postgres://u:***@h/db?password=***", "secret");
    assert_masked(&a, "host=h password=secret", "host=h password=***", "secret");
    assert_masked(&a, "password='se cret' host=h", "password=*** host=h", "cret");
    assert_masked(&a, "host=h password = 'it\\'s secret' dbname=d", NULL, "secret");
    assert_masked(&a, "host=h   password=secret", "host=h   password=***", "secret");
    /* nothing to hide: unchanged */
    assert_string_equal(url_mask(&a, "postgres://u@h/db"), "postgres://u@h/db");
    assert_string_equal(url_mask(&a, "host=/tmp dbname=x"), "host=/tmp dbname=x");
    assert_string_equal(url_mask(&a, "./schema.sql"), "./schema.sql");
    assert_null(url_mask(&a, NULL));
    arena_free(&a);
}

/* url functions on hostile input: no crash, no read past the end */
static void test_url_hostile(void **state)
{
    (void)state;
    static const char *const specs[] = {
        "", "=", "password=", "password='", "password='\\", "password=' ", "postgres://",
        "postgres://@", "postgres://:@", "postgres://u:@/", "postgres://?password=",
        "postgres://h/db?password", "?password=x", "sqlite:", "sqlite://", "sqlite:///",
        "file:", "host", "host=", " = x", "postgres://u:p@h/db#frag?password=x",
    };
    arena a;
    arena_init(&a);
    for (size_t i = 0; i < sizeof specs / sizeof *specs; i++) {
        char *heap = strdup(specs[i]); /* exact-size heap copy: ASan sees overruns */
        (void)url_is_postgres(heap);
        (void)url_is_sqlite(heap);
        (void)url_sqlite_path(&a, heap);
        assert_non_null(url_mask(&a, heap));
        free(heap);
    }
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena_alignment_and_zeroing),
        cmocka_unit_test(test_arena_big_blocks),
        cmocka_unit_test(test_arena_strings),
        cmocka_unit_test(test_arena_realloc_and_vec),
        cmocka_unit_test(test_strbuf_growth),
        cmocka_unit_test(test_strbuf_json),
        cmocka_unit_test(test_strbuf_rtrim),
        cmocka_unit_test(test_strbuf_read_file),
        cmocka_unit_test(test_hashmap_basic),
        cmocka_unit_test(test_hashmap_100k),
        cmocka_unit_test(test_hashmap_tombstone_reuse),
        cmocka_unit_test(test_hash_bytes),
        cmocka_unit_test(test_diag_line_index_agrees),
        cmocka_unit_test(test_diag_print_format),
        cmocka_unit_test(test_url_classify),
        cmocka_unit_test(test_url_sqlite_path),
        cmocka_unit_test(test_url_mask),
        cmocka_unit_test(test_url_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
