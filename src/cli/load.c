/*
 * load.c — the command-line way of turning SOURCE arguments (SQL files,
 * directories, live SQLite and PostgreSQL databases) into one catalog of one
 * dialect; shared by `inspect` and `diff`.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "source/source.h"
#include "util/strbuf.h"
#include "util/url.h"

bool cli_dialect_option(const char *name, dialect *out)
{
    *out = DIALECT_UNKNOWN;
    if (!name)
        return true;
    *out = dialect_from_name(name);
    if (*out != DIALECT_UNKNOWN)
        return true;
    fprintf(stderr, "dbsage: error: unknown --dialect '%s' (pg, sqlite)\n", name);
    return false;
}

dialect cli_sources_dialect(const char **sources, int n, dialect forced, arena *mem, diag_list *diags)
{
    dialect d = forced;
    bool settled_by_sql = false;
    for (int i = 0; i < n; i++) {
        source_kind kind = source_classify(sources[i]);
        if (kind == SOURCE_UNKNOWN) {
            src_loc loc = {url_mask(mem, sources[i]), 0, 0};
            diag_error(diags, loc, "cannot read source: no such file, directory or database URL");
            return DIALECT_UNKNOWN;
        }
        /* SQL files after the first follow the dialect already settled (content
         * sniffing every one of thousands of files would cost more than reading) */
        bool sql = kind == SOURCE_SQL_FILE || kind == SOURCE_SQL_DIR;
        dialect sd = (kind == SOURCE_LIVE_PG)       ? DIALECT_PG
                     : (kind == SOURCE_LIVE_SQLITE) ? DIALECT_SQLITE
                     : forced != DIALECT_UNKNOWN    ? forced
                     : (sql && settled_by_sql)       ? d
                                                    : source_detect_dialect(sources[i], kind);
        if (sd == DIALECT_UNKNOWN)
            sd = DIALECT_PG;
        if (d == DIALECT_UNKNOWN) {
            d = sd;
            settled_by_sql = sql;
        } else if (sd != d) {
            src_loc loc = {url_mask(mem, sources[i]), 0, 0};
            diag_error(diags, loc, "source is %s but earlier sources are %s; one dialect at a time",
                       dialect_name(sd), dialect_name(d));
            return DIALECT_UNKNOWN;
        }
    }
    return d;
}

catalog *cli_load_catalog(const char **sources, int n, dialect forced, const char **schemas, size_t nschemas,
                          arena *mem, diag_list *diags, int *rc)
{
    dialect d = cli_sources_dialect(sources, n, forced, mem, diags);
    if (d == DIALECT_UNKNOWN) {
        *rc = EXIT_USAGE;
        return NULL;
    }
    catalog *cat = catalog_new(d);
    strbuf desc = STRBUF_INIT;
    for (int i = 0; i < n; i++) {
        if (i)
            strbuf_addch(&desc, ' ');
        strbuf_adds(&desc, url_mask(mem, sources[i]));
    }
    cat->source = arena_strdup(&cat->mem, strbuf_str(&desc));
    strbuf_release(&desc);
    source_opts sopts = {forced, schemas, nschemas};
    if (source_load_many(cat, sources, (size_t)n, &sopts, diags) < 0) {
        catalog_free(cat);
        *rc = EXIT_USAGE;
        return NULL;
    }
    source_filter_schemas(cat, &sopts);
    if (diag_has_errors(diags))
        *rc = EXIT_FINDINGS;
    return cat;
}

const char **cli_sources_or_env(char **argv, int *n, const cli_option *opts, const char *usage)
{
    static const char *env_source[1];
    if (*n > 0)
        return (const char **)argv;
    const char *env_url = getenv("DATABASE_URL");
    if (!env_url || !*env_url) {
        fprintf(stderr, "dbsage: error: no SOURCE given and DATABASE_URL is not set\n");
        cli_usage(stderr, opts, usage, NULL);
        return NULL;
    }
    env_source[0] = env_url;
    *n = 1;
    return env_source;
}

catalog *cli_load_args(char **argv, int n, const char *dialect_opt, const cli_strlist *schemas,
                       const cli_option *opts, const char *usage, arena *mem, diag_list *diags, int *rc)
{
    dialect forced;
    const char **sources = cli_dialect_option(dialect_opt, &forced) ? cli_sources_or_env(argv, &n, opts, usage)
                                                                     : NULL;
    if (!sources) {
        *rc = EXIT_USAGE;
        return NULL;
    }
    *rc = EXIT_OK;
    return cli_load_catalog(sources, n, forced, schemas->v, schemas->n, mem, diags, rc);
}
