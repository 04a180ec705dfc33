/*
 * audit.c — `dbsage audit` analysis (audit.h): walks the pack, classifies
 * config files / folders / scripts, scans scripts for file I/O, infers
 * entities and relations through the infer library, answers the KISS gate
 * questions and builds the document tree audit_out.c writes.
 */
#define _DEFAULT_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "data/audit_int.h"
#include "data/infer_int.h"

typedef struct fmt_count {
    const char *ext;
    size_t n;
} fmt_count;

typedef struct folder {
    const char *name; /* top-level directory, "." for the pack root */
    const char *role;
    size_t files;
    unsigned long long bytes;
    VEC(fmt_count) fmts;
} folder;

typedef struct script {
    const char *path, *lang;
    strvec reads, writes, calls;
} script;

typedef struct scan {
    arena *mem;
    const char *root;
    VEC(folder *) folders;
    VEC(script *) scripts;
    anode *configs;
    size_t nconfigs;
    const char *name, *version;
    VEC(dev_t) ex_dev;
    VEC(ino_t) ex_ino; /* the audit's own outputs: not part of the pack */
    strvec text_files; /* markdown/txt in data folders */
    strvec user_dirs;
} scan;

bool audit_is_secret_key(const char *key)
{
    static const char *const words[] = {"key", "secret", "token", "password", "passwd", "credential", "private"};
    char low[256];
    size_t n = 0;
    for (; key[n] && n < sizeof low - 1; n++)
        low[n] = (char)tolower((unsigned char)key[n]);
    low[n] = 0;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strstr(low, words[i]))
            return true;
    return false;
}

const char *audit_role_by_name(const char *dir)
{
    static const struct {
        const char *name, *role;
    } roles[] = {
        {"inputs", "input"},      {"input", "input"},         {"sources", "input"},   {"uploads", "input"},
        {"data", "input"},        {"outputs", "output"},      {"output", "output"},   {"generated", "output"},
        {"artifacts", "output"},  {"reports", "output"},      {"state", "state"},     {"cache", "state"},
        {".cache", "state"},      {"db", "state"},            {"logs", "state"},      {"agents", "definitions"},
        {"tasks", "definitions"}, {"templates", "definitions"}, {"checklists", "definitions"},
        {"docs", "definitions"},  {"scripts", "scripts"},     {"bin", "scripts"},     {"config", "config"},
    };
    for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
        if (!strcmp(dir, roles[i].name))
            return roles[i].role;
    return NULL;
}

static bool is_data_role(const char *role)
{
    return role && (!strcmp(role, "input") || !strcmp(role, "output") || !strcmp(role, "state"));
}

static const char *file_ext(const char *name)
{
    if (!strncmp(name, ".env", 4))
        return "env";
    const char *dot = strrchr(name, '.');
    return dot && dot != name ? dot + 1 : "";
}

static const char *script_lang(const char *ext)
{
    if (!strcmp(ext, "py"))
        return "python";
    if (!strcmp(ext, "js") || !strcmp(ext, "mjs") || !strcmp(ext, "cjs"))
        return "javascript";
    if (!strcmp(ext, "ts"))
        return "typescript";
    if (!strcmp(ext, "sh") || !strcmp(ext, "bash"))
        return "shell";
    return NULL;
}

static bool is_config_ext(const char *ext)
{
    return !strcmp(ext, "yaml") || !strcmp(ext, "yml") || !strcmp(ext, "json") || !strcmp(ext, "toml") ||
           !strcmp(ext, "ini") || !strcmp(ext, "env");
}

static folder *folder_get(scan *s, const char *name)
{
    for (size_t i = 0; i < s->folders.n; i++)
        if (!strcmp(s->folders.v[i]->name, name))
            return s->folders.v[i];
    folder *f = arena_alloc(s->mem, sizeof *f);
    f->name = arena_strdup(s->mem, name);
    f->role = strcmp(name, ".") ? audit_role_by_name(name) : NULL;
    VEC_PUSH(s->mem, s->folders, f);
    return f;
}

static void strvec_add_unique(arena *mem, strvec *v, const char *s)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->v[i], s))
            return;
    VEC_PUSH(mem, *v, s);
}

/* ---- config files: keys, never values (except the pack's name/version) ---- */

static const char *unquote(arena *mem, const char *v)
{
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strcspn(v, "#\r\n");
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
        v++;
        n -= 2;
    }
    return arena_strndup(mem, v, n);
}

static void scan_config(scan *s, const char *rel, const char *path, const char *ext)
{
    strbuf text = STRBUF_INIT;
    if (strbuf_read_file(&text, path) < 0) {
        strbuf_release(&text);
        return;
    }
    anode *c = anode_new(s->mem, AN_MAP);
    anode_str(s->mem, c, "path", rel);
    anode_str(s->mem, c, "format", ext);
    anode *keys = anode_put(s->mem, c, "keys", AN_LIST);
    anode *secrets = anode_put(s->mem, c, "secrets", AN_LIST);
    const char *p = strbuf_str(&text);
    bool json = !strcmp(ext, "json");
    int depth = 0;
    bool root = !strcmp(rel, "config.yaml") || !strcmp(rel, "config.yml");
    for (const char *line = p; *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        char key[256];
        size_t k = 0;
        if (json) {
            /* top-level "key": at depth 1 */
            for (size_t i = 0; i < len; i++) {
                char ch = line[i];
                if (ch == '{' || ch == '[')
                    depth++;
                else if (ch == '}' || ch == ']')
                    depth--;
                else if (ch == '"' && depth == 1) {
                    size_t j = i + 1;
                    while (j < len && line[j] != '"')
                        j++;
                    size_t q = j + 1;
                    while (q < len && line[q] == ' ')
                        q++;
                    if (q < len && line[q] == ':' && j - i - 1 < sizeof key) {
                        memcpy(key, line + i + 1, j - i - 1);
                        key[j - i - 1] = 0;
                        anode_str(s->mem, keys, NULL, arena_strdup(s->mem, key));
                        if (audit_is_secret_key(key))
                            anode_str(s->mem, secrets, NULL, arena_strdup(s->mem, key));
                    }
                    i = j;
                }
            }
        } else if (len && (isalpha((unsigned char)line[0]) || line[0] == '_')) {
            while (k < len && k < sizeof key - 1 &&
                   (isalnum((unsigned char)line[k]) || line[k] == '_' || line[k] == '-' || line[k] == '.'))
                k++;
            size_t q = k;
            while (q < len && line[q] == ' ')
                q++;
            if (q < len && (line[q] == ':' || line[q] == '=')) {
                memcpy(key, line, k);
                key[k] = 0;
                if (strncmp(key, "export", 6)) {
                    anode_str(s->mem, keys, NULL, arena_strdup(s->mem, key));
                    if (audit_is_secret_key(key))
                        anode_str(s->mem, secrets, NULL, arena_strdup(s->mem, key));
                    char *val = arena_strndup(s->mem, line + q + 1, len - q - 1);
                    if (root && !strcmp(key, "name"))
                        s->name = unquote(s->mem, val);
                    if (root && !strcmp(key, "version"))
                        s->version = unquote(s->mem, val);
                }
            }
        }
        line += len + (eol ? 1 : 0);
    }
    VEC_PUSH(s->mem, s->configs->kids, c);
    s->nconfigs++;
    strbuf_release(&text);
}

/* ---- scripts: file I/O calls and the paths they mention ---- */

static const char *const write_calls[] = {
    "\"w\"", "'w'", "\"a\"", "'a'", "\"wb\"", "'wb'", "json.dump(", "yaml.dump(", "yaml.safe_dump(",
    "writeFileSync", "writeFile(", "appendFileSync", "write_text(", "write_bytes(", "to_csv(",
    "createWriteStream", "shutil.copy", NULL};
static const char *const read_calls[] = {"open(", "json.load(", "yaml.safe_load(", "yaml.load(", "readFileSync",
                                         "readFile(", "read_text(", "read_csv(", "createReadStream", NULL};
static const char *const db_calls[] = {"sqlite3.connect(", "psycopg", "new Database(", "createClient(", NULL};

static const char *call_name(const char *c)
{
    return c[0] == '"' || c[0] == '\'' ? "open(w)" : c;
}

static bool pathlike(const char *s, size_t n)
{
    if (n < 2 || memchr(s, ' ', n))
        return false;
    const char *dot = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '/')
            return true;
        else if (s[i] == '.')
            dot = s + i;
    return dot && dot > s && dot < s + n - 1 && isalpha((unsigned char)dot[1]);
}

static void line_paths(scan *s, const char *line, size_t len, bool shell, strvec *out)
{
    for (size_t i = 0; i < len; i++) {
        char q = line[i];
        if (q == '"' || q == '\'' || q == '`') {
            size_t j = i + 1;
            while (j < len && line[j] != q)
                j++;
            if (j < len && pathlike(line + i + 1, j - i - 1))
                strvec_add_unique(s->mem, out, arena_strndup(s->mem, line + i + 1, j - i - 1));
            i = j;
        } else if (shell && (i == 0 || line[i - 1] == ' ') && q != '#' && q != '>' && q != '<') {
            size_t j = i;
            while (j < len && line[j] != ' ' && line[j] != ';' && line[j] != '|')
                j++;
            if (pathlike(line + i, j - i) && line[i] != '-' && line[i] != '$')
                strvec_add_unique(s->mem, out, arena_strndup(s->mem, line + i, j - i));
            i = j;
        }
    }
}

static void scan_script(scan *s, const char *rel, const char *path, const char *lang)
{
    strbuf text = STRBUF_INIT;
    if (strbuf_read_file(&text, path) < 0) {
        strbuf_release(&text);
        return;
    }
    script *sc = arena_alloc(s->mem, sizeof *sc);
    sc->path = rel;
    sc->lang = lang;
    bool shell = !strcmp(lang, "shell");
    unsigned lineno = 0;
    for (const char *line = strbuf_str(&text); *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        char *l = arena_strndup(s->mem, line, len);
        lineno++;
        line += len + (eol ? 1 : 0);
        const char *t = l;
        while (*t == ' ' || *t == '\t')
            t++;
        if (*t == '#' || !strncmp(t, "//", 2) || !strncmp(t, "\"\"\"", 3))
            continue;
        bool w = false, r = false;
        for (int i = 0; write_calls[i]; i++)
            if (strstr(l, write_calls[i])) {
                w = true;
                strvec_add_unique(s->mem, &sc->calls, arena_printf(s->mem, "%u:%s", lineno, call_name(write_calls[i])));
            }
        for (int i = 0; read_calls[i]; i++)
            if (strstr(l, read_calls[i]) && !(w && !strcmp(read_calls[i], "open("))) {
                r = true;
                strvec_add_unique(s->mem, &sc->calls, arena_printf(s->mem, "%u:%s", lineno, read_calls[i]));
            }
        for (int i = 0; db_calls[i]; i++)
            if (strstr(l, db_calls[i])) {
                w = true; /* a database file is written */
                strvec_add_unique(s->mem, &sc->calls, arena_printf(s->mem, "%u:%s", lineno, db_calls[i]));
            }
        if (shell) {
            const char *gt = strchr(l, '>');
            if (gt) {
                w = true;
                strvec_add_unique(s->mem, &sc->calls, arena_printf(s->mem, "%u:>", lineno));
                const char *p = gt + 1 + (gt[1] == '>');
                while (*p == ' ')
                    p++;
                size_t n = strcspn(p, " ;|");
                if (pathlike(p, n))
                    strvec_add_unique(s->mem, &sc->writes, arena_strndup(s->mem, p, n));
                strvec before = {0};
                line_paths(s, l, (size_t)(gt - l), true, &before);
                for (size_t i = 0; i < before.n; i++)
                    strvec_add_unique(s->mem, &sc->reads, before.v[i]);
                if (before.n)
                    strvec_add_unique(s->mem, &sc->calls, arena_printf(s->mem, "%u:read", lineno));
                continue;
            }
            if (!strncmp(t, "cat ", 4) || strstr(l, " < ")) {
                r = true;
                strvec_add_unique(s->mem, &sc->calls, arena_printf(s->mem, "%u:read", lineno));
            }
        }
        if (w || r)
            line_paths(s, l, len, shell, w ? &sc->writes : &sc->reads);
    }
    strbuf_release(&text);
    VEC_PUSH(s->mem, s->scripts, sc);
}

/* ---- the walk ---- */

static bool name_is_versioned(const char *name)
{
    /* a date (2026-11-18) or a version (v2, v1.3) in the file name */
    for (const char *p = name; *p; p++) {
        if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) &&
            isdigit((unsigned char)p[3]) && p[4] == '-' && isdigit((unsigned char)p[5]))
            return true;
        if ((p == name || !isalpha((unsigned char)p[-1])) && p[0] == 'v' && isdigit((unsigned char)p[1]))
            return true;
    }
    return false;
}

static void walk(scan *s, const char *rel, diag_list *diags)
{
    char *path = *rel ? arena_printf(s->mem, "%s/%s", s->root, rel) : arena_strdup(s->mem, s->root);
    DIR *d = opendir(path);
    if (!d) {
        diag_warning(diags, ((src_loc){path, 0, 0}), "cannot read directory");
        return;
    }
    strvec names = {0};
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.' || !strncmp(e->d_name, ".env", 4) || !strcmp(e->d_name, ".cache"))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                VEC_PUSH(s->mem, names, arena_strdup(s->mem, e->d_name));
    closedir(d);
    for (size_t i = 1; i < names.n; i++) /* sorted: stable output */
        for (size_t j = i; j > 0 && strcmp(names.v[j - 1], names.v[j]) > 0; j--) {
            const char *t = names.v[j];
            names.v[j] = names.v[j - 1];
            names.v[j - 1] = t;
        }
    for (size_t i = 0; i < names.n; i++) {
        const char *crel = *rel ? arena_printf(s->mem, "%s/%s", rel, names.v[i]) : names.v[i];
        const char *cpath = arena_printf(s->mem, "%s/%s", s->root, crel);
        struct stat st;
        if (lstat(cpath, &st) != 0)
            continue;
        bool excluded = false;
        for (size_t k = 0; k < s->ex_dev.n; k++)
            excluded |= s->ex_dev.v[k] == st.st_dev && s->ex_ino.v[k] == st.st_ino;
        if (excluded)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (!strcmp(names.v[i], "users") || !strcmp(names.v[i], "tenants"))
                strvec_add_unique(s->mem, &s->user_dirs, crel);
            if (!*rel)
                folder_get(s, crel);
            walk(s, crel, diags);
            continue;
        }
        if (!S_ISREG(st.st_mode))
            continue;
        size_t top = strcspn(crel, "/");
        folder *f = folder_get(s, crel[top] ? arena_strndup(s->mem, crel, top) : ".");
        f->files++;
        f->bytes += (unsigned long long)st.st_size;
        const char *ext = file_ext(names.v[i]);
        const char *fx = *ext ? ext : "(none)";
        size_t k = 0;
        for (; k < f->fmts.n && strcmp(f->fmts.v[k].ext, fx); k++)
            ;
        if (k == f->fmts.n)
            VEC_PUSH(s->mem, f->fmts, ((fmt_count){fx, 0}));
        f->fmts.v[k].n++;
        const char *lang = script_lang(ext);
        if (lang)
            scan_script(s, crel, cpath, lang);
        else if (is_config_ext(ext) && (!crel[top] || (f->role && !strcmp(f->role, "config"))))
            scan_config(s, crel, cpath, ext);
        if (is_data_role(f->role) && (!strcmp(ext, "md") || !strcmp(ext, "txt")))
            VEC_PUSH(s->mem, s->text_files, crel);
    }
}

/* ---- entities and relations (through infer) ---- */

typedef struct entity {
    infer_table *t;
    const char *tmpl; /* relative to the pack, {slug} captures */
    size_t versioned; /* files named by date/version */
} entity;

static bool slug_like(const char *s)
{
    bool dash = false;
    for (; *s; s++)
        if (*s == '-' || *s == '_')
            dash = true;
        else if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s))
            return false;
    return dash;
}

static const char *replace(arena *mem, const char *s, const char *from, const char *to)
{
    const char *p = strstr(s, from);
    if (!p)
        return s;
    return arena_printf(mem, "%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
}

static const char *entity_template(arena *mem, const char *folder_rel, infer_source *src, size_t *versioned)
{
    const char *t = arena_printf(mem, "%s/%s", folder_rel, src->pattern);
    for (size_t c = 0; c < src->capture_names.n; c++) {
        bool slugs = src->files.n > 0;
        for (size_t f = 0; f < src->files.n && slugs; f++) {
            const char **segs;
            size_t n = infer_split(mem, src->files.v[f], &segs);
            int si = src->capture_segs.v[c];
            slugs = si >= 0 && (size_t)si < n && slug_like(segs[si]);
        }
        if (slugs)
            t = replace(mem, t, arena_printf(mem, "{%s}", src->capture_names.v[c]), "{slug}");
    }
    for (size_t f = 0; f < src->files.n; f++) {
        const char *base = strrchr(src->files.v[f], '/');
        if (name_is_versioned(base ? base + 1 : src->files.v[f]))
            (*versioned)++;
    }
    return t;
}

/* "outputs/minds/{slug}/profile.yaml" -> "outputs/minds/{slug}/" (NULL: no capture) */
static const char *capture_dir(arena *mem, const char *tmpl)
{
    const char *p = strrchr(tmpl, '}');
    if (!p || p[1] != '/')
        return NULL;
    return arena_strndup(mem, tmpl, (size_t)(p - tmpl) + 2);
}

static void gate(arena *mem, anode *g, strbuf *lines, const char *q, const char *answer, strvec *ev)
{
    anode *n = anode_put(mem, g, q, AN_MAP);
    anode_str(mem, n, "answer", answer);
    anode *e = anode_put(mem, n, "evidence", AN_LIST);
    for (size_t i = 0; i < ev->n; i++)
        anode_str(mem, e, NULL, ev->v[i]);
    strbuf_addf(lines, "  %s: %s\n", q, answer);
    ev->n = 0;
}

audit_result *audit_run(arena *mem, const char *packdir, const char *spec_dir, const char *const *exclude,
                        diag_list *diags)
{
    struct stat st;
    if (stat(packdir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        diag_error(diags, ((src_loc){packdir, 0, 0}), "not a directory");
        return NULL;
    }
    scan s = {.mem = mem, .root = packdir};
    s.configs = anode_new(mem, AN_LIST);
    for (size_t i = 0; exclude && exclude[i]; i++) {
        struct stat ex;
        if (stat(exclude[i], &ex) == 0) {
            VEC_PUSH(mem, s.ex_dev, ex.st_dev);
            VEC_PUSH(mem, s.ex_ino, ex.st_ino);
        }
    }
    walk(&s, "", diags);

    /* roles by content: what the scripts write / read */
    for (size_t i = 0; i < s.folders.n; i++) {
        folder *f = s.folders.v[i];
        if (f->role || !strcmp(f->name, "."))
            continue;
        size_t n = strlen(f->name);
        for (size_t j = 0; j < s.scripts.n; j++) {
            script *sc = s.scripts.v[j];
            for (size_t k = 0; k < sc->writes.n; k++)
                if (!strncmp(sc->writes.v[k], f->name, n) && sc->writes.v[k][n] == '/')
                    f->role = "output";
            for (size_t k = 0; k < sc->reads.n && !f->role; k++)
                if (!strncmp(sc->reads.v[k], f->name, n) && sc->reads.v[k][n] == '/')
                    f->role = "input";
        }
    }

    audit_result *a = arena_alloc(mem, sizeof *a);
    a->mem = mem;
    a->ix = infer_new(mem, spec_dir);
    for (size_t i = 0; exclude && exclude[i]; i++)
        infer_exclude(a->ix, exclude[i]);
    VEC(entity) ents = {0};
    for (size_t i = 0; i < s.folders.n; i++) {
        folder *f = s.folders.v[i];
        if (!is_data_role(f->role))
            continue;
        size_t before = a->ix->sources.n;
        infer_add_dir(a->ix, arena_printf(mem, "%s/%s", packdir, f->name), diags);
        for (size_t j = before; j < a->ix->sources.n; j++) {
            entity e = {0};
            e.tmpl = entity_template(mem, f->name, a->ix->sources.v[j], &e.versioned);
            VEC_PUSH(mem, ents, e);
        }
    }
    infer_finish(a->ix);
    for (size_t i = 0; i < ents.n; i++)
        ents.v[i].t = a->ix->sources.v[i]->table;

    /* ---- the tree ---- */
    anode *root = anode_new(mem, AN_MAP);
    anode *top = anode_put(mem, root, "expansion_pack_audit", AN_MAP);
    anode_str(mem, top, "pack", packdir);
    anode_str(mem, top, "name", s.name ? s.name : "unknown");
    anode_str(mem, top, "version", s.version ? s.version : "unknown");
    s.configs->key = "config_files";
    VEC_PUSH(mem, top->kids, s.configs);

    anode *folders = anode_put(mem, top, "folders", AN_LIST);
    unsigned long long data_bytes = 0;
    size_t data_files = 0;
    for (size_t i = 0; i < s.folders.n; i++) {
        folder *f = s.folders.v[i];
        anode *n = anode_put(mem, folders, NULL, AN_MAP);
        anode_str(mem, n, "path", !strcmp(f->name, ".") ? "." : arena_printf(mem, "%s/", f->name));
        anode_str(mem, n, "role", f->role ? f->role : "other");
        anode_num(mem, n, "files", f->files);
        anode_num(mem, n, "bytes", f->bytes);
        anode *fm = anode_put(mem, n, "formats", AN_MAP);
        for (size_t k = 0; k < f->fmts.n; k++)
            anode_num(mem, fm, f->fmts.v[k].ext, f->fmts.v[k].n);
        if (is_data_role(f->role)) {
            data_files += f->files;
            data_bytes += f->bytes;
        }
    }

    anode *scripts = anode_put(mem, top, "scripts", AN_LIST);
    for (size_t i = 0; i < s.scripts.n; i++) {
        script *sc = s.scripts.v[i];
        anode *n = anode_put(mem, scripts, NULL, AN_MAP);
        anode_str(mem, n, "path", sc->path);
        anode_str(mem, n, "language", sc->lang);
        anode *r = anode_put(mem, n, "reads", AN_LIST), *w = anode_put(mem, n, "writes", AN_LIST);
        for (size_t k = 0; k < sc->reads.n; k++)
            anode_str(mem, r, NULL, sc->reads.v[k]);
        for (size_t k = 0; k < sc->writes.n; k++)
            anode_str(mem, w, NULL, sc->writes.v[k]);
        anode *c = anode_put(mem, n, "io_calls", AN_LIST);
        for (size_t k = 0; k < sc->calls.n; k++)
            anode_str(mem, c, NULL, sc->calls.v[k]);
    }

    anode *entities = anode_put(mem, top, "entities", AN_LIST);
    strvec user_ev = {0}, version_ev = {0};
    for (size_t i = 0; i < ents.n; i++) {
        entity *e = &ents.v[i];
        anode *n = anode_put(mem, entities, NULL, AN_MAP);
        anode_str(mem, n, "name", e->t->name);
        anode_str(mem, n, "template", e->tmpl);
        anode_str(mem, n, "format", doc_format_name(e->t->src->format));
        anode_num(mem, n, "files", e->t->src->files.n);
        anode *k = anode_put(mem, n, "key", AN_LIST);
        for (size_t j = 0; j < e->t->key.n; j++)
            anode_str(mem, k, NULL, e->t->key.v[j]);
        anode *fl = anode_put(mem, n, "fields", AN_LIST);
        for (size_t j = 0; j < e->t->fields.n; j++) {
            infer_field *f = e->t->fields.v[j];
            if (f->special || f->capture)
                continue;
            anode_str(mem, fl, NULL, f->column);
            if (!strcmp(f->column, "user_id") || !strcmp(f->column, "owner_id") || !strcmp(f->column, "tenant_id"))
                VEC_PUSH(mem, user_ev, arena_printf(mem, "%s: field %s", e->tmpl, f->column));
            if (!strcmp(f->column, "version") || !strcmp(f->column, "revision"))
                VEC_PUSH(mem, version_ev, arena_printf(mem, "%s: field %s", e->tmpl, f->column));
        }
        if (e->versioned)
            VEC_PUSH(mem, version_ev,
                     arena_printf(mem, "%s: %zu of %zu files named by date or version", e->tmpl, e->versioned,
                                  e->t->src->files.n));
    }

    anode *rels = anode_put(mem, top, "relations", AN_LIST);
    strvec rel_ev = {0};
    for (size_t i = 0; i < ents.n; i++)
        for (size_t j = 0; j < ents.n; j++) {
            if (i == j)
                continue;
            entity *parent = &ents.v[i], *child = &ents.v[j];
            const char *cd = capture_dir(mem, parent->tmpl);
            const char *why = NULL;
            size_t cdn = cd ? strlen(cd) : 0;
            if (cd && !strncmp(child->tmpl, cd, cdn) && !strchr(parent->tmpl + cdn, '/') &&
                strchr(child->tmpl + cdn, '/'))
                why = arena_printf(mem, "template %s nests in %s", child->tmpl, cd);
            const char *one = infer_singular(mem, parent->t->name);
            for (size_t k = 0; k < child->t->fields.n; k++) {
                const char *c = child->t->fields.v[k]->column;
                if (child->t->fields.v[k]->capture || child->t->fields.v[k]->special)
                    continue;
                if (!strcmp(c, arena_printf(mem, "%s_slug", one)) || !strcmp(c, arena_printf(mem, "%s_id", one)))
                    why = why ? arena_printf(mem, "%s; its files hold field %s", why, c)
                              : arena_printf(mem, "%s files hold field %s", child->tmpl, c);
            }
            if (!why)
                continue;
            anode *n = anode_put(mem, rels, NULL, AN_MAP);
            anode_str(mem, n, "from", child->t->name);
            anode_str(mem, n, "to", parent->t->name);
            anode_str(mem, n, "kind", "many-to-one");
            anode_str(mem, n, "evidence", why);
            VEC_PUSH(mem, rel_ev, arena_printf(mem, "%s -> %s: %s", child->t->name, parent->t->name, why));
        }
    a->relations = rels->kids.n;

    /* ---- KISS gate ---- */
    anode *g = anode_put(mem, top, "kiss_gate", AN_MAP);
    strbuf lines = STRBUF_INIT;
    strbuf_adds(&lines, "kiss_gate:\n");
    strvec ev = {0};
    for (size_t i = 0; i < s.user_dirs.n; i++)
        VEC_PUSH(mem, user_ev, arena_printf(mem, "folder %s/", s.user_dirs.v[i]));
    if (user_ev.n)
        gate(mem, g, &lines, "multi_user", "yes", &user_ev);
    else {
        VEC_PUSH(mem, ev,
                 arena_printf(mem, "no user_id/owner_id/tenant_id field in %zu entities and no users/ folder", ents.n));
        gate(mem, g, &lines, "multi_user", "unknown", &ev);
    }
    if (version_ev.n)
        gate(mem, g, &lines, "versioned_artifacts", "yes", &version_ev);
    else {
        VEC_PUSH(mem, ev, "no file named by date/version and no version field in the data folders");
        gate(mem, g, &lines, "versioned_artifacts", "unknown", &ev);
    }
    /* concurrent writers: locations written by more than one script */
    bool shared = false;
    for (size_t i = 0; i < s.scripts.n; i++)
        for (size_t k = 0; k < s.scripts.v[i]->writes.n; k++) {
            const char *w = s.scripts.v[i]->writes.v[k];
            size_t writers = 0;
            for (size_t j = 0; j < s.scripts.n; j++)
                for (size_t m = 0; m < s.scripts.v[j]->writes.n; m++)
                    if (!strcmp(s.scripts.v[j]->writes.v[m], w)) {
                        writers++;
                        break;
                    }
            bool rmw = false;
            for (size_t m = 0; m < s.scripts.v[i]->reads.n; m++)
                rmw |= !strcmp(s.scripts.v[i]->reads.v[m], w);
            if (writers > 1) {
                shared = true;
                strvec_add_unique(mem, &ev, arena_printf(mem, "%s written by %zu scripts", w, writers));
            } else if (rmw)
                VEC_PUSH(mem, ev,
                         arena_printf(mem, "%s: read-modify-write in %s (unsafe if runs overlap)", w,
                                      s.scripts.v[i]->path));
        }
    if (!shared)
        VEC_PUSH(mem, ev, arena_printf(mem, "each written path has one writer script (%zu scripts)", s.scripts.n));
    gate(mem, g, &lines, "concurrent_writers", shared ? "yes" : "unknown", &ev);
    for (size_t i = 0; i < s.text_files.n; i++)
        VEC_PUSH(mem, ev, arena_printf(mem, "free text: %s", s.text_files.v[i]));
    if (!s.text_files.n)
        VEC_PUSH(mem, ev, "no Markdown or text files in the input/output/state folders");
    gate(mem, g, &lines, "search_needs", s.text_files.n ? "likely" : "unknown", &ev);
    VEC_PUSH(mem, ev, arena_printf(mem, "%zu files, %llu bytes in input/output/state folders", data_files, data_bytes));
    gate(mem, g, &lines, "data_volume",
         data_files < 10000 && data_bytes < 100ull * 1024 * 1024 ? "small"
         : data_files < 1000000                                  ? "medium"
                                                                 : "large",
         &ev);
    if (rel_ev.n)
        gate(mem, g, &lines, "relational_queries", "yes", &rel_ev);
    else {
        VEC_PUSH(mem, ev, arena_printf(mem, "no relation between the %zu entities", ents.n));
        gate(mem, g, &lines, "relational_queries", "unknown", &ev);
    }
    a->gate_lines = arena_strdup(mem, strbuf_str(&lines));
    strbuf_release(&lines);

    a->root = root;
    a->entities = ents.n;
    a->configs = s.nconfigs;
    a->folders = s.folders.n;
    a->scripts = s.scripts.n;
    return a;
}

void audit_free(audit_result *a)
{
    if (a)
        infer_free(a->ix);
}

infer_ctx *audit_infer(const audit_result *a)
{
    return a->ix;
}

size_t audit_entity_count(const audit_result *a)
{
    return a->entities;
}
