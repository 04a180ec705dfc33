/*
 * bench/import_raw.c — owns: the raw C limit of the import benchmark.
 *
 * Reads every .json file of DIR/conversations (sorted) with libfyaml (JSON mode, one
 * reused parser, the file read whole into one reused buffer), and inserts the
 * conversation row and one row per message with one prepared statement per
 * table, values bound straight from libfyaml's scalar pointers (no copies):
 *
 *   conversations(id, title, created_at)
 *   messages(conversation_id, ordinal, role, content, created_at, tokens)
 *
 * One transaction per file (--files-per-txn N: N files per transaction).
 * The tables must exist.  No hashing, no casts, no upsert: the floor a
 * document importer has to pay.
 *
 *   cc -O2 -o import_raw bench/import_raw.c $(pkg-config --cflags --libs libfyaml sqlite3)
 *   import_raw [--files-per-txn N] DB.sqlite DIR
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <libfyaml.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what, sqlite3 *db)
{
    fprintf(stderr, "import_raw: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
    exit(2);
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void bind_node(sqlite3_stmt *st, int i, struct fy_node *n)
{
    size_t len;
    const char *s;
    if (!n || !fy_node_is_scalar(n) || !(s = fy_node_get_scalar(n, &len)) ||
        (fy_node_get_style(n) == FYNS_PLAIN && len == 4 && !memcmp(s, "null", 4))) {
        sqlite3_bind_null(st, i);
        return;
    }
    sqlite3_bind_text(st, i, s, (int)len, SQLITE_STATIC);
}

static void bind_int(sqlite3_stmt *st, int i, struct fy_node *n)
{
    size_t len;
    const char *s;
    char buf[32];
    if (!n || !fy_node_is_scalar(n) || !(s = fy_node_get_scalar(n, &len)) || len == 0 || len >= sizeof buf ||
        (len == 4 && !memcmp(s, "null", 4))) {
        sqlite3_bind_null(st, i);
        return;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    sqlite3_bind_int64(st, i, strtoll(buf, NULL, 10));
}

static bool key_is(struct fy_node *k, const char *name, size_t n)
{
    size_t len;
    const char *s = fy_node_get_scalar(k, &len);
    return s && len == n && !memcmp(s, name, n);
}

int main(int argc, char **argv)
{
    int per_txn = 1, ai = 1;
    if (ai + 1 < argc && !strcmp(argv[ai], "--files-per-txn")) {
        per_txn = atoi(argv[ai + 1]);
        ai += 2;
    }
    if (argc - ai != 2 || per_txn < 1) {
        fprintf(stderr, "usage: import_raw [--files-per-txn N] DB DIR\n");
        return 2;
    }
    const char *dbpath = argv[ai], *dir = argv[ai + 1];
    char *cdir;
    if (asprintf(&cdir, "%s/conversations", dir) < 0)
        return 2;

    /* the file list, sorted like dbsage's */
    DIR *d = opendir(cdir);
    if (!d) {
        perror(cdir);
        return 2;
    }
    size_t nf = 0, capf = 1024;
    char **files = malloc(capf * sizeof *files);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".json"))
            continue;
        if (nf == capf)
            files = realloc(files, (capf *= 2) * sizeof *files);
        if (asprintf(&files[nf++], "%s/%s", cdir, de->d_name) < 0)
            return 2;
    }
    closedir(d);
    qsort(files, nf, sizeof *files, cmp);

    sqlite3 *db;
    if (sqlite3_open(dbpath, &db) != SQLITE_OK)
        die("open", db);
    sqlite3_stmt *ins_c, *ins_m;
    if (sqlite3_prepare_v2(db, "INSERT INTO conversations (id, title, created_at) VALUES (?, ?, ?)", -1, &ins_c,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO messages (conversation_id, ordinal, role, content, created_at, tokens) "
                           "VALUES (?, ?, ?, ?, ?, ?)",
                           -1, &ins_m, NULL) != SQLITE_OK)
        die("prepare", db);

    struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET | FYPCF_JSON_FORCE};
    struct fy_parser *fyp = fy_parser_create(&cfg);
    size_t cap = 1 << 20;
    char *buf = malloc(cap);
    long rows = 0;
    for (size_t f = 0; f < nf; f++) {
        FILE *fp = fopen(files[f], "rb");
        if (!fp) {
            perror(files[f]);
            return 2;
        }
        size_t len = 0, n;
        while ((n = fread(buf + len, 1, cap - len, fp)) > 0) {
            len += n;
            if (len == cap)
                buf = realloc(buf, cap *= 2);
        }
        fclose(fp);

        fy_parser_reset(fyp);
        fy_parser_set_string(fyp, buf, len);
        struct fy_document *doc = fy_parse_load_document(fyp);
        if (!doc) {
            fprintf(stderr, "import_raw: %s: parse error\n", files[f]);
            return 1;
        }
        struct fy_node *root = fy_document_root(doc), *id = NULL, *title = NULL, *created = NULL, *msgs = NULL;
        void *it = NULL;
        struct fy_node_pair *p;
        while ((p = fy_node_mapping_iterate(root, &it)) != NULL) {
            struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
            if (key_is(k, "id", 2))
                id = v;
            else if (key_is(k, "title", 5))
                title = v;
            else if (key_is(k, "created_at", 10))
                created = v;
            else if (key_is(k, "messages", 8))
                msgs = v;
        }
        if (f % (size_t)per_txn == 0 && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
            die("begin", db);
        bind_node(ins_c, 1, id);
        bind_node(ins_c, 2, title);
        bind_node(ins_c, 3, created);
        if (sqlite3_step(ins_c) != SQLITE_DONE)
            die("insert conversation", db);
        sqlite3_reset(ins_c);
        rows++;
        long ord = 0;
        void *mi = NULL;
        struct fy_node *m;
        while (msgs && (m = fy_node_sequence_iterate(msgs, &mi)) != NULL) {
            struct fy_node *role = NULL, *content = NULL, *mcreated = NULL, *tokens = NULL;
            void *ki = NULL;
            while ((p = fy_node_mapping_iterate(m, &ki)) != NULL) {
                struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
                if (key_is(k, "role", 4))
                    role = v;
                else if (key_is(k, "content", 7))
                    content = v;
                else if (key_is(k, "created_at", 10))
                    mcreated = v;
                else if (key_is(k, "tokens", 6))
                    tokens = v;
            }
            bind_node(ins_m, 1, id);
            sqlite3_bind_int64(ins_m, 2, ord++);
            bind_node(ins_m, 3, role);
            bind_node(ins_m, 4, content);
            bind_node(ins_m, 5, mcreated);
            bind_int(ins_m, 6, tokens);
            if (sqlite3_step(ins_m) != SQLITE_DONE)
                die("insert message", db);
            sqlite3_reset(ins_m);
            rows++;
        }
        if ((f + 1) % (size_t)per_txn == 0 || f + 1 == nf) {
            if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
                die("commit", db);
        }
        fy_parse_document_destroy(fyp, doc);
        /* drain the stream end, or the reset parser refuses the next input */
        struct fy_document *extra = fy_parse_load_document(fyp);
        if (extra)
            fy_parse_document_destroy(fyp, extra);
    }
    fy_parser_destroy(fyp);
    sqlite3_finalize(ins_c);
    sqlite3_finalize(ins_m);
    sqlite3_close(db);
    printf("%zu files, %ld rows\n", nf, rows);
    for (size_t f = 0; f < nf; f++)
        free(files[f]);
    free(files);
    free(buf);
    free(cdir);
    return 0;
}
