/*
 * tests/gen/schema_pair_gen.c — owns: the random schema-pair generator of the
 * diff property tests (tests/cli/{pg,sqlite}_diff_property.sh).
 *
 *   schema_pair_gen --dialect pg|sqlite --seed S [--pairs N] --out DIR
 *
 * writes DIR/from.sql and DIR/to.sql holding N independent pairs; pair i is
 * generated from seed S+i alone and lives in its own namespace (PostgreSQL:
 * schema p<seed>; SQLite: table/index/view names prefixed p<seed>_), so one
 * database can carry a whole batch and a failing pair is reproduced with
 * `--seed <its seed> --pairs 1`.
 *
 * A pair is a random FROM schema (tables with typed columns, NOT NULL,
 * defaults, CHECK, UNIQUE, indexes, foreign keys to earlier tables, views;
 * PostgreSQL also enums and comments) and TO = FROM after 1..5 random
 * mutations (add/drop/rename table or column, type change, NOT NULL, default,
 * check, unique, index, FK, enum value, view, comment).  Every mutation keeps
 * the schema valid: dependents of a dropped/retyped column go with it, columns
 * in keys never change type, type changes stay within castable types.
 * Deterministic for a given seed; no data is generated.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAXT 6
#define MAXC 8
#define MAXX 4
#define MAXE 6

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static int rn(int n) { return n > 0 ? (int)(rnd() % (uint64_t)n) : 0; }
static bool chance(int pct) { return rn(100) < pct; }

static bool pg;

/* column types: the first NCAST of each dialect are castable into each other */
static const char *pg_types[] = {"integer", "bigint", "numeric(10,2)", "text", "character varying(20)",
                                 "boolean", "date", "timestamp with time zone"};
static const char *sq_types[] = {"INTEGER", "TEXT", "REAL", "NUMERIC", "BLOB"};
#define PG_NTYPES 8
#define PG_NCAST 5
#define SQ_NTYPES 5

typedef struct col {
    char name[24];
    char renamed_from[24];
    int type;          /* index into the type table; -1 = the enum of the pair */
    bool not_null, unique, check;
    int def;           /* 0 none, 1.. a default variant */
    int fk;            /* -1 none, else table index (references its id) */
    bool alive;
} col;

typedef struct idx {
    int cols[2];
    int ncols;
    bool unique, partial, alive;
    int nr;
} idx;

typedef struct table {
    char name[24];
    char renamed_from[24];
    int id_kind;       /* pg: 0 integer, 1 serial, 2 identity; sqlite: 0 plain, 1 AUTOINCREMENT */
    col cols[MAXC];
    int ncols;
    idx idx[MAXX];
    int nidx;
    int comment;       /* 0 none, else variant */
    bool alive;
    int serial;        /* for fresh names */
} table;

typedef struct view {
    int table;
    int cols[2];
    int ncols;
    int cond;          /* where-clause variant */
    bool alive;
} view;

typedef struct schema {
    table t[MAXT];
    int nt;
    view v[2];
    int nv;
    char labels[MAXE][12];
    int nlabels;       /* 0: no enum */
    int fresh;
} schema;

static bool castable(int type) { return type >= 0 && type < (pg ? PG_NCAST : SQ_NTYPES); }
static bool is_numeric(int type) { return pg ? (type >= 0 && type <= 2) : (type == 0 || type == 2 || type == 3); }
static bool is_text(int type) { return pg ? (type == 3 || type == 4) : type == 1; }

static int random_type(const schema *s)
{
    if (pg && s->nlabels && chance(10))
        return -1;
    return rn(pg ? PG_NTYPES : SQ_NTYPES);
}

static void new_column(schema *s, table *t)
{
    if (t->ncols >= MAXC)
        return;
    col *c = &t->cols[t->ncols++];
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "c%d", s->fresh++);
    c->type = random_type(s);
    c->fk = -1;
    c->alive = true;
    c->not_null = chance(25);
    c->def = chance(30) ? 1 + rn(2) : 0;
    if (castable(c->type) && (is_numeric(c->type) || is_text(c->type)))
        c->check = chance(15);
    c->unique = c->type != -1 && !(c->type == 4 && !pg) && chance(10);
}

static void new_table(schema *s)
{
    if (s->nt >= MAXT)
        return;
    table *t = &s->t[s->nt];
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "t%d", s->fresh++);
    t->alive = true;
    t->id_kind = rn(pg ? 3 : 2);
    int n = 1 + rn(4);
    for (int i = 0; i < n; i++)
        new_column(s, t);
    /* a foreign key to an earlier live table */
    if (s->nt > 0 && chance(40) && t->ncols < MAXC) {
        int target = rn(s->nt);
        if (s->t[target].alive) {
            col *c = &t->cols[t->ncols++];
            memset(c, 0, sizeof *c);
            snprintf(c->name, sizeof c->name, "ref%d", s->fresh++);
            c->type = 0;
            c->fk = target;
            c->alive = true;
        }
    }
    if (chance(50) && t->nidx < MAXX) {
        idx *x = &t->idx[t->nidx++];
        memset(x, 0, sizeof *x);
        x->cols[0] = rn(t->ncols);
        x->ncols = 1;
        if (t->ncols > 1 && chance(30))
            x->cols[x->ncols++] = (x->cols[0] + 1) % t->ncols;
        x->partial = chance(20);
        x->alive = true;
        x->nr = s->fresh++;
    }
    t->comment = pg && chance(20) ? 1 : 0;
    s->nt++;
}

static void new_view(schema *s)
{
    if (s->nv >= 2)
        return;
    int ti = rn(s->nt);
    table *t = &s->t[ti];
    if (!t->alive)
        return;
    view *v = &s->v[s->nv];
    memset(v, 0, sizeof *v);
    v->table = ti;
    for (int i = 0; i < t->ncols && v->ncols < 2; i++)
        if (t->cols[i].alive && chance(60))
            v->cols[v->ncols++] = i;
    v->cond = rn(2);
    v->alive = true;
    s->nv++;
}

static void gen_from(schema *s)
{
    memset(s, 0, sizeof *s);
    s->fresh = 1;
    if (pg && chance(40)) {
        static const char *words[] = {"new", "open", "held", "done", "gone"};
        s->nlabels = 2 + rn(3);
        for (int i = 0; i < s->nlabels; i++)
            snprintf(s->labels[i], sizeof s->labels[i], "%s", words[i]);
    }
    int n = 1 + rn(4);
    for (int i = 0; i < n; i++)
        new_table(s);
    if (chance(40))
        new_view(s);
}

/* ---- mutations ---------------------------------------------------------------- */

static bool col_in_view(const schema *s, int ti, int ci)
{
    for (int i = 0; i < s->nv; i++) {
        const view *v = &s->v[i];
        if (!v->alive || v->table != ti)
            continue;
        for (int k = 0; k < v->ncols; k++)
            if (v->cols[k] == ci)
                return true;
    }
    return false;
}

static void drop_column_deps(schema *s, int ti, int ci)
{
    table *t = &s->t[ti];
    for (int i = 0; i < t->nidx; i++)
        for (int k = 0; k < t->idx[i].ncols; k++)
            if (t->idx[i].cols[k] == ci)
                t->idx[i].alive = false;
    for (int i = 0; i < s->nv; i++)
        if (s->v[i].alive && col_in_view(s, ti, ci))
            s->v[i].alive = false;
}

static int pick_table(schema *s)
{
    for (int tries = 0; tries < 10; tries++) {
        int i = rn(s->nt);
        if (s->t[i].alive)
            return i;
    }
    return -1;
}

static int pick_column(table *t)
{
    for (int tries = 0; tries < 10; tries++) {
        int i = rn(t->ncols);
        if (t->ncols && t->cols[i].alive)
            return i;
    }
    return -1;
}

static bool referenced(const schema *s, int ti)
{
    for (int i = 0; i < s->nt; i++)
        if (s->t[i].alive)
            for (int k = 0; k < s->t[i].ncols; k++)
                if (s->t[i].cols[k].alive && s->t[i].cols[k].fk == ti)
                    return true;
    return false;
}

static void mutate(schema *s)
{
    int ti = pick_table(s);
    if (ti < 0) {
        new_table(s);
        return;
    }
    table *t = &s->t[ti];
    int ci = pick_column(t);
    col *c = ci >= 0 ? &t->cols[ci] : NULL;
    switch (rn(16)) {
    case 0: new_table(s); break;
    case 1:
        if (!referenced(s, ti)) {
            t->alive = false;
            for (int i = 0; i < s->nv; i++)
                if (s->v[i].table == ti)
                    s->v[i].alive = false;
        }
        break;
    case 2: new_column(s, t); break;
    case 3:
        if (c) {
            c->alive = false;
            drop_column_deps(s, ti, ci);
        }
        break;
    case 4: /* type change within the castable set */
        if (c && c->fk < 0 && castable(c->type)) {
            int nt = rn(pg ? PG_NCAST : SQ_NTYPES);
            if (nt != c->type) {
                c->type = nt;
                c->check = false;
                c->def = 0;
                if (c->unique && !pg && nt == 4)
                    c->unique = false;
                for (int i = 0; i < t->nidx; i++)
                    for (int k = 0; k < t->idx[i].ncols; k++)
                        if (t->idx[i].cols[k] == ci && t->idx[i].partial)
                            t->idx[i].alive = false;
            }
        }
        break;
    case 5: if (c) c->not_null = !c->not_null; break;
    case 6: if (c && c->fk < 0) c->def = (c->def + 1 + rn(2)) % 3; break;
    case 7:
        if (c && castable(c->type) && (is_numeric(c->type) || is_text(c->type)))
            c->check = !c->check;
        break;
    case 8: if (c && c->type != -1 && !(c->type == 4 && !pg)) c->unique = !c->unique; break;
    case 9: /* index add / drop */
        if (t->nidx && t->idx[t->nidx - 1].alive && chance(50))
            t->idx[t->nidx - 1].alive = false;
        else if (c && t->nidx < MAXX) {
            idx *x = &t->idx[t->nidx++];
            memset(x, 0, sizeof *x);
            x->cols[0] = ci;
            x->ncols = 1;
            x->unique = chance(20) && c->type != -1;
            x->alive = true;
            x->nr = s->fresh++;
        }
        break;
    case 10: /* FK add / drop */
        if (c && c->fk >= 0)
            c->fk = -1;
        else if (ti > 0 && t->ncols < MAXC) {
            int target = rn(ti);
            if (s->t[target].alive) {
                col *n = &t->cols[t->ncols++];
                memset(n, 0, sizeof *n);
                snprintf(n->name, sizeof n->name, "ref%d", s->fresh++);
                n->type = 0;
                n->fk = target;
                n->alive = true;
            }
        }
        break;
    case 11: /* enum value: append or insert */
        if (pg && s->nlabels && s->nlabels < MAXE) {
            int at = chance(50) ? s->nlabels : rn(s->nlabels);
            memmove(s->labels[at + 1], s->labels[at], (size_t)(s->nlabels - at) * sizeof s->labels[0]);
            snprintf(s->labels[at], sizeof s->labels[at], "v%d", s->fresh++);
            s->nlabels++;
        }
        break;
    case 12: /* view add / change / drop */
        if (s->nv && s->v[0].alive && chance(50))
            s->v[0].cond = 1 - s->v[0].cond;
        else if (s->nv && chance(30))
            s->v[s->nv - 1].alive = false;
        else
            new_view(s);
        break;
    case 13: if (pg) t->comment = (t->comment + 1) % 3; break;
    case 14: /* rename column with an annotation */
        if (c && !c->renamed_from[0] && chance(60)) {
            memcpy(c->renamed_from, c->name, sizeof c->renamed_from);
            snprintf(c->name, sizeof c->name, "r%d", s->fresh++);
        }
        break;
    case 15: /* rename table with an annotation */
        if (!t->renamed_from[0] && (!pg || t->id_kind == 0) && chance(50)) {
            memcpy(t->renamed_from, t->name, sizeof t->renamed_from);
            snprintf(t->name, sizeof t->name, "n%d", s->fresh++);
        }
        break;
    }
}

/* ---- printing ----------------------------------------------------------------------- */

static char ns[32];

static const char *q(const char *name) /* qualified object name */
{
    static char buf[4][80];
    static int k;
    k = (k + 1) % 4;
    if (pg)
        snprintf(buf[k], sizeof buf[k], "%s.%s", ns, name);
    else
        snprintf(buf[k], sizeof buf[k], "%s_%s", ns, name);
    return buf[k];
}

static const char *type_name(int type)
{
    if (type == -1)
        return q("state");
    return pg ? pg_types[type] : sq_types[type];
}

static const char *default_sql(const schema *s, const col *c)
{
    static char buf[64];
    int v = c->def;
    if (c->type == -1) {
        snprintf(buf, sizeof buf, "'%s'", s->labels[(v - 1) % s->nlabels]);
        return buf;
    }
    if (pg) {
        switch (c->type) {
        case 0: case 1: case 2: return v == 1 ? "0" : "42";
        case 3: case 4: return v == 1 ? "'x'" : "''";
        case 5: return v == 1 ? "false" : "true";
        case 6: return v == 1 ? "CURRENT_DATE" : "'2020-01-01'";
        default: return v == 1 ? "now()" : "'2020-01-01 00:00:00+00'";
        }
    }
    switch (c->type) {
    case 0: case 3: return v == 1 ? "0" : "42";
    case 1: return v == 1 ? "'x'" : "''";
    case 2: return v == 1 ? "1.5" : "-2.0";
    default: return v == 1 ? "x'00'" : "x'ff'";
    }
}

static void print_table(FILE *f, const schema *s, int ti)
{
    const table *t = &s->t[ti];
    if (t->renamed_from[0])
        fprintf(f, "-- dbsage:renamed-from %s%s%s\n", pg ? "" : ns, pg ? "" : "_", t->renamed_from);
    fprintf(f, "CREATE TABLE %s (\n    id ", q(t->name));
    if (pg)
        fputs(t->id_kind == 0 ? "integer PRIMARY KEY" : t->id_kind == 1 ? "serial PRIMARY KEY"
                                                                         : "integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY", f);
    else
        fputs(t->id_kind ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "INTEGER PRIMARY KEY", f);
    for (int i = 0; i < t->ncols; i++) {
        const col *c = &t->cols[i];
        if (!c->alive)
            continue;
        fputs(",\n", f);
        if (c->renamed_from[0])
            fprintf(f, "    -- dbsage:renamed-from %s\n", c->renamed_from);
        fprintf(f, "    %s %s", c->name, type_name(c->type));
        if (c->not_null)
            fputs(" NOT NULL", f);
        if (c->def)
            fprintf(f, " DEFAULT %s", default_sql(s, c));
        if (c->unique)
            fprintf(f, " CONSTRAINT %s_%s_uq UNIQUE", t->name, c->name);
        if (c->check) {
            if (is_numeric(c->type))
                fprintf(f, " CONSTRAINT %s_%s_chk CHECK (%s >= 0)", t->name, c->name, c->name);
            else
                fprintf(f, " CONSTRAINT %s_%s_chk CHECK (length(%s) < 100)", t->name, c->name, c->name);
        }
        if (c->fk >= 0 && s->t[c->fk].alive)
            fprintf(f, " CONSTRAINT %s_%s_fk REFERENCES %s (id)%s", t->name, c->name, q(s->t[c->fk].name),
                    (c->fk + i) % 3 == 0 ? " ON DELETE CASCADE" : "");
    }
    fputs("\n);\n", f);
    for (int i = 0; i < t->nidx; i++) {
        const idx *x = &t->idx[i];
        bool ok = x->alive;
        for (int k = 0; k < x->ncols; k++)
            ok = ok && t->cols[x->cols[k]].alive;
        if (!ok)
            continue;
        char iname[48];
        snprintf(iname, sizeof iname, "%s_i%d", t->name, x->nr);
        fprintf(f, "CREATE %sINDEX %s ON %s (", x->unique ? "UNIQUE " : "", pg ? iname : q(iname), q(t->name));
        for (int k = 0; k < x->ncols; k++)
            fprintf(f, "%s%s", k ? ", " : "", t->cols[x->cols[k]].name);
        fputc(')', f);
        if (x->partial)
            fprintf(f, " WHERE %s IS NOT NULL", t->cols[x->cols[0]].name);
        fputs(";\n", f);
    }
    if (t->comment)
        fprintf(f, "COMMENT ON TABLE %s IS 'comment %d';\n", q(t->name), t->comment);
}

static void print_schema(FILE *f, const schema *s)
{
    if (pg) {
        fprintf(f, "CREATE SCHEMA %s;\n", ns);
        if (s->nlabels) {
            fprintf(f, "CREATE TYPE %s AS ENUM (", q("state"));
            for (int i = 0; i < s->nlabels; i++)
                fprintf(f, "%s'%s'", i ? ", " : "", s->labels[i]);
            fputs(");\n", f);
        }
    }
    for (int i = 0; i < s->nt; i++)
        if (s->t[i].alive)
            print_table(f, s, i);
    for (int i = 0; i < s->nv; i++) {
        const view *v = &s->v[i];
        const table *t = &s->t[v->table];
        bool ok = v->alive && t->alive;
        for (int k = 0; k < v->ncols; k++)
            ok = ok && t->cols[v->cols[k]].alive;
        if (!ok)
            continue;
        char vname[16];
        snprintf(vname, sizeof vname, "v%d", i);
        fprintf(f, "CREATE VIEW %s AS SELECT id", q(vname));
        for (int k = 0; k < v->ncols; k++)
            fprintf(f, ", %s", t->cols[v->cols[k]].name);
        fprintf(f, " FROM %s WHERE id > %d;\n", q(t->name), v->cond ? 10 : 0);
    }
    fputc('\n', f);
}

/* renames are hints for one diff only: the FROM side never carries them */
static void clear_hints(schema *s)
{
    for (int i = 0; i < s->nt; i++) {
        s->t[i].renamed_from[0] = 0;
        for (int k = 0; k < s->t[i].ncols; k++)
            s->t[i].cols[k].renamed_from[0] = 0;
    }
}

static void gen_pair(FILE *from, FILE *to, uint64_t seed)
{
    static schema a, b;
    rng_state = seed * 0x2545F4914F6CDD1Dull + 1;
    snprintf(ns, sizeof ns, "p%llu", (unsigned long long)seed);
    gen_from(&a);
    b = a;
    int n = 1 + rn(5);
    for (int i = 0; i < n; i++)
        mutate(&b);
    clear_hints(&a);
    fprintf(from, "-- pair seed %llu\n", (unsigned long long)seed);
    fprintf(to, "-- pair seed %llu\n", (unsigned long long)seed);
    print_schema(from, &a);
    print_schema(to, &b);
}

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(2);
    }
    return f;
}

int main(int argc, char **argv)
{
    const char *dialect = "pg", *out = NULL;
    unsigned long long seed = 1, pairs = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--dialect") && v) dialect = argv[++i];
        else if (!strcmp(a, "--seed") && v) seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--pairs") && v) pairs = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--out") && v) out = argv[++i];
        else {
            fprintf(stderr, "usage: schema_pair_gen --dialect pg|sqlite --seed S [--pairs N] --out DIR\n");
            return 2;
        }
    }
    if (!out || (strcmp(dialect, "pg") && strcmp(dialect, "sqlite"))) {
        fprintf(stderr, "usage: schema_pair_gen --dialect pg|sqlite --seed S [--pairs N] --out DIR\n");
        return 2;
    }
    pg = !strcmp(dialect, "pg");
    mkdir(out, 0777);
    FILE *from = open_out(out, "from.sql"), *to = open_out(out, "to.sql");
    for (unsigned long long i = 0; i < pairs; i++)
        gen_pair(from, to, seed + i);
    fclose(from);
    fclose(to);
    return 0;
}
