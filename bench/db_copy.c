/*
 * bench/db_copy.c — owns: the driver side of bench/db_copy.sh.
 *
 *   db_copy gen DIR N     writes DIR/rows.tsv (COPY text format),
 *                         DIR/rows.csv (CSV for sqlite3 .import) with N rows,
 *                         and DIR/rows.sql (N INSERT statements)
 *   db_copy load SPEC N   creates table bench_rows and loads the same N rows
 *                         through db_copy_* in one transaction (PG: COPY FROM
 *                         STDIN; SQLite: prepared INSERT), then prints the
 *                         row count read back
 *   db_copy script SPEC FILE  runs FILE with db_exec_script (statement by
 *                         statement) and prints the row count of bench_rows
 *
 * Rows: (id, a, b) with tabs, newlines, backslashes, quotes and commas in
 * the text; b is NULL every 10th row (empty in the CSV: sqlite3 .import has
 * no NULL).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "util/strbuf.h"

static void row(int i, char *id, char *a, char *b, size_t cap)
{
    snprintf(id, 16, "%d", i);
    snprintf(a, cap, "name %d\twith a tab, a comma and \"quotes\"", i);
    snprintf(b, cap, "line one\nline two \\ backslash %d", i * 7);
}

static void csv_field(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void tsv_field(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\\\", f);
        else if (*s == '\t')
            fputs("\\t", f);
        else if (*s == '\n')
            fputs("\\n", f);
        else
            fputc(*s, f);
    }
}

static int gen(const char *dir, int n)
{
    char p1[4096], p2[4096];
    snprintf(p1, sizeof p1, "%s/rows.tsv", dir);
    snprintf(p2, sizeof p2, "%s/rows.csv", dir);
    FILE *t = fopen(p1, "w"), *c = fopen(p2, "w");
    if (!t || !c)
        return 2;
    char id[16], a[256], b[256];
    for (int i = 0; i < n; i++) {
        row(i, id, a, b, sizeof a);
        fprintf(t, "%s\t", id);
        tsv_field(t, a);
        fputc('\t', t);
        if (i % 10 == 0)
            fputs("\\N", t);
        else
            tsv_field(t, b);
        fputc('\n', t);
        fprintf(c, "%s,", id);
        csv_field(c, a);
        fputc(',', c);
        csv_field(c, i % 10 == 0 ? "" : b);
        fputc('\n', c);
    }
    fclose(t);
    fclose(c);
    /* the script: one INSERT per row in a transaction, every 10th b NULL */
    snprintf(p1, sizeof p1, "%s/rows.sql", dir);
    FILE *q = fopen(p1, "w");
    if (!q)
        return 2;
    fputs("CREATE TABLE bench_rows (id integer, a text, b text);\nBEGIN;\n", q);
    for (int i = 0; i < n; i++)
        fprintf(q, "INSERT INTO bench_rows VALUES (%d, 'name %d; with a ''quote''', %s); -- row %d\n",
                i, i, i % 10 == 0 ? "NULL" : "'line one'", i);
    fputs("COMMIT;\n", q);
    fclose(q);
    return 0;
}

static int load(const char *spec, int n)
{
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    db_open_opts o = {0};
    o.create = true;
    db_conn *c = db_open(spec, &o, &dl);
    if (!c) {
        diag_print(stderr, &dl, false);
        return 2;
    }
    if (db_exec(c, "CREATE TABLE bench_rows (id integer, a text, b text)") || db_begin(c))
        goto fail;
    const char *cols[] = {"id", "a", "b"};
    db_copy *cp = db_copy_begin(c, NULL, "bench_rows", cols, 3);
    if (!cp)
        goto fail;
    char id[16], a[256], b[256];
    for (int i = 0; i < n; i++) {
        row(i, id, a, b, sizeof a);
        const char *vals[3] = {id, a, i % 10 == 0 ? NULL : b};
        if (db_copy_row(cp, vals, NULL)) {
            db_copy_end(cp);
            goto fail;
        }
    }
    if (db_copy_end(cp) || db_commit(c))
        goto fail;
    int err;
    const char *cnt = db_query_value(c, "SELECT count(*) FROM bench_rows", &err);
    printf("%s\n", cnt ? cnt : "?");
    db_close(c);
    arena_free(&mem);
    return 0;
fail:
    fprintf(stderr, "db_copy: %s\n", db_last_error(c));
    db_close(c);
    arena_free(&mem);
    return 1;
}

static int script(const char *spec, const char *file)
{
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    strbuf sb = STRBUF_INIT;
    if (strbuf_read_file(&sb, file) != 0) {
        perror(file);
        return 2;
    }
    db_open_opts o = {0};
    o.create = true;
    db_conn *c = db_open(spec, &o, &dl);
    int rc = 2;
    if (c && db_exec_script(c, file, sb.buf, sb.len, 1, &dl) == 0) {
        int err;
        const char *cnt = db_query_value(c, "SELECT count(*) FROM bench_rows", &err);
        printf("%s\n", cnt ? cnt : "?");
        rc = 0;
    }
    diag_print(stderr, &dl, false);
    db_close(c);
    strbuf_release(&sb);
    arena_free(&mem);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "script"))
        return script(argv[2], argv[3]);
    if (argc == 4 && !strcmp(argv[1], "gen"))
        return gen(argv[2], atoi(argv[3]));
    if (argc == 4 && !strcmp(argv[1], "load"))
        return load(argv[2], atoi(argv[3]));
    fprintf(stderr, "usage: db_copy gen DIR N | db_copy load SPEC N | db_copy script SPEC FILE\n");
    return 2;
}
