/*
 * bench/raw_parse.c — owns: the baseline of the inspect benchmark: a raw
 * libpg_query parse of SQL files (read each file, pg_query_parse_protobuf,
 * free), with no interpretation at all.  dbsage's inspect time is compared to
 * this.  Build: cc -O2 -o raw_parse bench/raw_parse.c -lpg_query
 * Usage: raw_parse FILE...   (prints the number of statements parsed)
 */
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0) {
        fclose(f);
        return NULL;
    }
    long n = ftell(f);
    rewind(f);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    size_t bytes = 0;
    int files = 0;
    for (int i = 1; i < argc; i++) {
        char *sql = slurp(argv[i]);
        if (!sql) {
            fprintf(stderr, "raw_parse: cannot read %s\n", argv[i]);
            return 2;
        }
        PgQueryProtobufParseResult r = pg_query_parse_protobuf(sql);
        if (r.error) {
            fprintf(stderr, "raw_parse: %s: %s\n", argv[i], r.error->message);
            pg_query_free_protobuf_parse_result(r);
            free(sql);
            return 1;
        }
        bytes += r.parse_tree.len;
        files++;
        pg_query_free_protobuf_parse_result(r);
        free(sql);
    }
    pg_query_exit();
    printf("%d files, %zu bytes of parse tree\n", files, bytes);
    return 0;
}
