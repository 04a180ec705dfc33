/*
 * migration_files.c — owns the migration *files*: directory discovery,
 * parsing of "-- migrate:up" / "-- migrate:down" sections and directives,
 * version ordering, content checksums, the next version and writing a new
 * migration file.  No database access (migrate_run.c applies them); the
 * schema the files produce is migration_schema.c.
 */
#include "migrate/migration_files.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/strbuf.h"

/* ---- small text helpers ---------------------------------------------------- */

static bool is_all_digits(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* case-insensitive prefix match of `word` at p (p bounded by end) */
static bool match_word_ci(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(end - p) < n)
        return false;
    return strncasecmp(p, word, n) == 0;
}

/* case-insensitive search of `word` in [p, end) */
static const char *find_ci(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);
    for (; p + n <= end; p++)
        if (strncasecmp(p, word, n) == 0)
            return p;
    return NULL;
}

/* ---- version from the file name ---------------------------------------------- */

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* version and name of "VERSION_name.sql" / "VERSION.sql"; false when the
 * name yields no version */
static bool split_file_name(arena *mem, const char *path, const char **version, const char **name)
{
    const char *base = base_name(path);
    size_t len = strlen(base);
    if (len >= 4 && strcmp(base + len - 4, ".sql") == 0)
        len -= 4;
    size_t v = 0;
    while (v < len && isdigit((unsigned char)base[v]))
        v++;
    if (v == 0) {
        const char *us = memchr(base, '_', len);
        v = us ? (size_t)(us - base) : len;
    }
    if (v == 0)
        return false;
    *version = arena_strndup(mem, base, v);
    size_t rest = v;
    if (rest < len && base[rest] == '_')
        rest++;
    *name = arena_strndup(mem, base + rest, len - rest);
    return true;
}

/* ---- parsing ------------------------------------------------------------------ */

typedef enum marker_kind { MARK_NONE, MARK_UP, MARK_DOWN } marker_kind;

/* A "-- migrate:up|down [options]" line?  [p, end) is the line without its
 * terminator; *opts_no_tx is set when the options say transaction:false. */
static marker_kind marker_of_line(const char *p, const char *end, bool *opts_no_tx, unsigned *col)
{
    const char *start = p;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    *col = (unsigned)(p - start) + 1;
    if (end - p < 2 || p[0] != '-' || p[1] != '-')
        return MARK_NONE;
    p += 2;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    marker_kind k;
    if (match_word_ci(p, end, "migrate:up"))
        k = MARK_UP, p += 10;
    else if (match_word_ci(p, end, "migrate:down"))
        k = MARK_DOWN, p += 12;
    else
        return MARK_NONE;
    if (p < end && !isspace((unsigned char)*p))
        return MARK_NONE; /* "-- migrate:upgrade" is a comment */
    *opts_no_tx = find_ci(p, end, "transaction:false") != NULL;
    return k;
}

/* A comment line carrying "dbsage:no-transaction"? */
static bool line_has_no_tx_directive(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (end - p < 2 || p[0] != '-' || p[1] != '-')
        return false;
    return find_ci(p + 2, end, "dbsage:no-transaction") != NULL;
}

/* Where a line before the first marker holds something other than blanks
 * and comments (dbmate refuses statements outside the sections); file NULL
 * when it does not.  *in_block carries a slash-star comment across lines. */
static src_loc header_statement(const char *path, const char *p, const char *end, unsigned line, bool *in_block)
{
    const char *start = p;
    for (;;) {
        if (*in_block) {
            const char *close = p;
            while (close + 1 < end && !(close[0] == '*' && close[1] == '/'))
                close++;
            if (close + 1 >= end)
                return (src_loc){NULL, 0, 0};
            p = close + 2;
            *in_block = false;
        }
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\f' || *p == '\v'))
            p++;
        if (p == end || (end - p >= 2 && p[0] == '-' && p[1] == '-'))
            return (src_loc){NULL, 0, 0};
        if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
            *in_block = true;
            p += 2;
            continue;
        }
        return (src_loc){path, line, (unsigned)(p - start) + 1};
    }
}

int migration_parse(migration *m, arena *mem, const char *path, const char *text, size_t len,
                    diag_list *diags)
{
    memset(m, 0, sizeof *m);
    m->path = arena_strdup(mem, path);
    char *copy = arena_alloc(mem, len + 1);
    if (len)
        memcpy(copy, text, len);
    copy[len] = '\0';
    m->text = copy;
    m->len = len;
    migration_checksum(copy, len, m->checksum);

    int rc = 0;
    if (!split_file_name(mem, m->path, &m->version, &m->name)) {
        diag_error(diags, ((src_loc){m->path, 1, 1}),
                   "migration file name has no version (expected VERSION_name.sql)");
        m->version = "";
        m->name = "";
        rc = -1;
    }

    /* line by line: markers and directives */
    const char *end = copy + len;
    const char *p = copy;
    unsigned line = 1;
    bool any_marker = false;
    migration_section *open = NULL; /* the section being filled */
    src_loc stray = {NULL, 0, 0};   /* first statement line before any marker */
    bool in_block_comment = false;
    while (p < end) {
        const char *eol = p;
        while (eol < end && *eol != '\n' && *eol != '\r')
            eol++;
        const char *next = eol;
        if (next < end && *next == '\r')
            next++;
        if (next < end && *next == '\n' && (next == eol || next[-1] == '\r'))
            next++;

        bool no_tx = false;
        unsigned col = 1;
        marker_kind k = marker_of_line(p, eol, &no_tx, &col);
        if (k != MARK_NONE) {
            any_marker = true;
            if (open)
                open->len = (size_t)(p - open->text);
            open = NULL;
            src_loc loc = {m->path, line, col};
            const char *what = k == MARK_UP ? "up" : "down";
            migration_section *s = k == MARK_UP ? &m->up : &m->down;
            if (s->present) {
                diag_error(diags, loc, "second -- migrate:%s section (line %u has the first)", what,
                           s->first_line - 1);
                rc = -1;
            } else if (k == MARK_DOWN && !m->up.present) {
                diag_error(diags, loc, "-- migrate:down before the -- migrate:up section (up comes first)");
                rc = -1;
            } else {
                s->present = true;
                s->text = next;
                s->first_line = line + 1;
                open = s;
            }
            if (no_tx)
                m->no_transaction = true;
        } else if (line_has_no_tx_directive(p, eol)) {
            m->no_transaction = true;
        } else if (!any_marker && !stray.file) {
            stray = header_statement(m->path, p, eol, line, &in_block_comment);
        }
        /* count one line per terminator (CRLF, CR or LF) */
        if (next > eol)
            line++;
        p = next;
    }
    if (open)
        open->len = (size_t)(end - open->text);
    if (any_marker && stray.file) {
        diag_error(diags, stray, "statement before the -- migrate:up section (it would never run)");
        rc = -1;
    }
    if (!any_marker) {
        m->up.present = true;
        m->up.text = copy;
        m->up.len = len;
        m->up.first_line = 1;
    }
    if (!m->up.present) {
        m->up.text = copy + len;
        m->up.first_line = line;
    }
    if (!m->down.present) {
        m->down.text = copy + len;
        m->down.first_line = line;
    }
    return rc;
}

/* ---- ordering ----------------------------------------------------------------- */

int migration_version_cmp(const char *a, const char *b)
{
    if (is_all_digits(a) && is_all_digits(b)) {
        while (*a == '0' && a[1])
            a++;
        while (*b == '0' && b[1])
            b++;
        size_t la = strlen(a), lb = strlen(b);
        if (la != lb)
            return la < lb ? -1 : 1;
        return strcmp(a, b);
    }
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_migration(const void *pa, const void *pb)
{
    const migration *a = pa, *b = pb;
    int c = migration_version_cmp(a->version, b->version);
    return c ? c : strcmp(a->path, b->path);
}

const migration *migration_set_find(const migration_set *set, const char *version)
{
    if (!set || !version)
        return NULL;
    for (size_t i = 0; i < set->items.n; i++)
        if (strcmp(set->items.v[i].version, version) == 0)
            return &set->items.v[i];
    for (size_t i = 0; i < set->items.n; i++)
        if (migration_version_cmp(set->items.v[i].version, version) == 0)
            return &set->items.v[i];
    return NULL;
}

/* ---- loading a directory ---------------------------------------------------- */

static const char *join_path(arena *mem, const char *dir, const char *file)
{
    size_t n = strlen(dir);
    if (n == 0)
        return arena_strdup(mem, file);
    return arena_printf(mem, "%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", file);
}

static bool ends_with_sql(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".sql") == 0;
}

int migration_set_load(migration_set *set, arena *mem, const char *dir, diag_list *diags)
{
    memset(set, 0, sizeof *set);
    set->mem = mem;
    set->dir = arena_strdup(mem, dir);
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return 0;
        diag_error(diags, ((src_loc){set->dir, 0, 0}), "cannot read migration directory: %s",
                   strerror(errno));
        return -1;
    }
    int rc = 0;
    strvec files = {0};
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || !ends_with_sql(de->d_name))
            continue;
        VEC_PUSH(mem, files, join_path(mem, dir, de->d_name));
    }
    closedir(d);

    for (size_t i = 0; i < files.n; i++) {
        const char *path = files.v[i];
        struct stat st;
        if (stat(path, &st) != 0) {
            diag_error(diags, ((src_loc){path, 0, 0}), "cannot read migration: %s", strerror(errno));
            rc = -1;
            continue;
        }
        if (!S_ISREG(st.st_mode))
            continue;
        strbuf sb = STRBUF_INIT;
        if (strbuf_read_file(&sb, path) != 0) {
            diag_error(diags, ((src_loc){path, 0, 0}), "cannot read migration: %s", strerror(errno));
            strbuf_release(&sb);
            rc = -1;
            continue;
        }
        migration m;
        if (migration_parse(&m, mem, path, sb.buf, sb.len, diags) != 0)
            rc = -1;
        strbuf_release(&sb);
        if (!*m.version)
            continue;
        VEC_PUSH(mem, set->items, m);
    }
    if (set->items.n > 1)
        qsort(set->items.v, set->items.n, sizeof *set->items.v, cmp_migration);

    /* duplicates: keep the first (by path), one error per extra file */
    size_t out = 0;
    for (size_t i = 0; i < set->items.n; i++) {
        if (out > 0 && migration_version_cmp(set->items.v[out - 1].version, set->items.v[i].version) == 0) {
            const migration *first = &set->items.v[out - 1];
            diag_error(diags, ((src_loc){set->items.v[i].path, 1, 1}),
                       "duplicate migration version %s: also defined in %s", set->items.v[i].version,
                       first->path);
            rc = -1;
            continue;
        }
        set->items.v[out++] = set->items.v[i];
    }
    set->items.n = out;
    return rc;
}

/* ---- checksum ----------------------------------------------------------------- */

void migration_checksum(const char *text, size_t len, char out[DIGEST_HEX_LEN + 1])
{
    strbuf norm = STRBUF_INIT;
    size_t pending_blank = 0; /* blank lines held back until a non-blank one */
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *eol = p;
        while (eol < end && *eol != '\n' && *eol != '\r')
            eol++;
        const char *next = eol;
        if (next < end && *next == '\r')
            next++;
        if (next < end && *next == '\n' && (next == eol || next[-1] == '\r'))
            next++;
        const char *last = eol;
        while (last > p && (last[-1] == ' ' || last[-1] == '\t'))
            last--;
        if (last == p) {
            pending_blank++;
        } else {
            for (; pending_blank; pending_blank--)
                strbuf_addch(&norm, '\n');
            strbuf_add(&norm, p, (size_t)(last - p));
            strbuf_addch(&norm, '\n');
        }
        p = next;
    }
    digest_sha256_hex(norm.buf ? norm.buf : "", norm.len, out);
    strbuf_release(&norm);
}

/* ---- next version, new file ------------------------------------------------- */

/* decimal string + 1, keeping at least its width */
static const char *digits_plus_one(arena *mem, const char *v)
{
    size_t n = strlen(v);
    char *r = arena_alloc(mem, n + 2);
    memcpy(r + 1, v, n + 1);
    r[0] = '0';
    size_t i = n;
    for (;;) {
        if (r[i] == '9') {
            r[i] = '0';
            i--;
        } else {
            r[i]++;
            break;
        }
    }
    return r[0] == '0' ? r + 1 : r;
}

#define TIMESTAMP_LEN 14

const char *migration_next_version(const migration_set *set, arena *mem)
{
    const char *last_num = NULL;
    for (size_t i = 0; set && i < set->items.n; i++)
        if (is_all_digits(set->items.v[i].version))
            last_num = set->items.v[i].version; /* sorted: the last numeric one */
    if (last_num && strlen(last_num) != TIMESTAMP_LEN)
        return digits_plus_one(mem, last_num);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char ts[32];
    snprintf(ts, sizeof ts, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec);
    /* two `new` in the same second, or a clock behind the last version */
    if (last_num && migration_version_cmp(ts, last_num) <= 0)
        return digits_plus_one(mem, last_num);
    return arena_strdup(mem, ts);
}

static int mkdir_p(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int r = mkdir(path, 0777);
        int e = errno;
        *p = '/';
        if (r != 0 && e != EEXIST)
            return -1;
    }
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

static bool valid_migration_name(const char *name)
{
    if (!name || !*name)
        return false;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20)
            return false;
    return true;
}

static void add_section(strbuf *sb, const char *marker, bool no_tx, const char *sql, const char *placeholder)
{
    strbuf_addf(sb, "-- migrate:%s%s\n", marker, no_tx ? " transaction:false" : "");
    if (sql && *sql) {
        strbuf_adds(sb, sql);
        if (sql[strlen(sql) - 1] != '\n')
            strbuf_addch(sb, '\n');
    } else {
        strbuf_addf(sb, "-- %s\n", placeholder);
    }
}

int migration_write_new(const migration_set *set, const char *name, const char *up_sql, const char *down_sql,
                        bool no_transaction, const char **path_out, diag_list *diags)
{
    if (path_out)
        *path_out = NULL;
    const char *dir = set && set->dir ? set->dir : "";
    if (!set || !set->mem || !*dir) {
        diag_error(diags, ((src_loc){NULL, 0, 0}), "no migration directory");
        return -1;
    }
    if (!valid_migration_name(name)) {
        diag_error(diags, ((src_loc){dir, 0, 0}), "invalid migration name '%s'", name ? name : "");
        return -1;
    }
    arena *mem = set->mem;
    char *dcopy = arena_strdup(mem, dir);
    if (mkdir_p(dcopy) != 0) {
        diag_error(diags, ((src_loc){dir, 0, 0}), "cannot create migration directory: %s", strerror(errno));
        return -1;
    }
    const char *version = migration_next_version(set, mem);
    const char *path = join_path(mem, dir, arena_printf(mem, "%s_%s.sql", version, name));

    strbuf sb = STRBUF_INIT;
    if (no_transaction)
        strbuf_adds(&sb, "-- dbsage:no-transaction\n");
    add_section(&sb, "up", no_transaction, up_sql, "write the migration here");
    strbuf_addch(&sb, '\n');
    add_section(&sb, "down", no_transaction, down_sql, "write how to undo it here");

    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0) {
        diag_error(diags, ((src_loc){path, 0, 0}), "%s",
                   errno == EEXIST ? "migration file already exists (not overwritten)" : strerror(errno));
        strbuf_release(&sb);
        return -1;
    }
    size_t off = 0;
    int rc = 0;
    while (off < sb.len) {
        ssize_t w = write(fd, sb.buf + off, sb.len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            rc = -1;
            break;
        }
        off += (size_t)w;
    }
    if (close(fd) != 0)
        rc = -1;
    strbuf_release(&sb);
    if (rc != 0) {
        diag_error(diags, ((src_loc){path, 0, 0}), "cannot write migration: %s", strerror(errno));
        unlink(path);
        return -1;
    }
    if (path_out)
        *path_out = path;
    return 0;
}
