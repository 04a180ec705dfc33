/*
 * connect.c — owns: the shared connection resolution of the commands that
 * write to a database (migrate, import, verify, infer):
 * an explicit URL > a spec's `into:` > $DATABASE_URL > a DATABASE_URL= line
 * in ./.env > the SQLite database dbsage.db.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* DATABASE_URL=... (optionally `export `, quotes stripped) from ./.env */
static const char *dotenv_url(arena *mem)
{
    FILE *f = fopen(".env", "r");
    if (!f)
        return NULL;
    char line[4096];
    const char *found = NULL;
    while (fgets(line, sizeof line, f)) {
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!strncmp(p, "export ", 7))
            p += 7;
        if (strncmp(p, "DATABASE_URL", 12))
            continue;
        p += 12;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != '=')
            continue;
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        size_t len = strcspn(p, "\r\n");
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len >= 2 && (p[0] == '"' || p[0] == '\'') && p[len - 1] == p[0]) {
            p++;
            len -= 2;
        }
        found = arena_strndup(mem, p, len);
    }
    fclose(f);
    return found && *found ? found : NULL;
}

const char *cli_resolve_url(const char *given, const char *spec_into, arena *mem)
{
    if (given && *given)
        return given;
    if (spec_into && *spec_into)
        return spec_into;
    const char *env = getenv("DATABASE_URL");
    if (env && *env)
        return env;
    const char *dot = dotenv_url(mem);
    return dot ? dot : "dbsage.db";
}
