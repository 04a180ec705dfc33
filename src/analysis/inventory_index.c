/*
 * inventory_index.c — owns: the object index (every table, view, function
 * and type -> every file that creates, alters or drops it), the verdict for
 * objects defined in more than one place (identical / compatible /
 * conflicting, tables through analysis/match.h so PostgreSQL and SQLite
 * variants are compared by type family), and the recommended source of
 * truth with what every other file adds or contradicts.
 *
 * Recommendation, kept explainable: candidates are every schema snapshot
 * alone, every migration sequence in version order, and for every sequence
 * the (at most 3) snapshots it builds on most (objects the sequence alters
 * but never creates, that the snapshot creates) followed by it.  Score =
 * objects created - objects defined incompatibly inside the set - objects
 * the set alters but never creates.  Best score wins; ties go to more
 * objects, then fewer statements refused when read alone, then fewer files,
 * then the name.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/inventory.h"
#include "analysis/match.h"
#include "source/pg_parse.h"
#include "source/source.h"

#define PAIRS_PER_SEQUENCE 3

const char *inv_action_name(inv_action a)
{
    return a == INV_CREATE ? "creates" : a == INV_ALTER ? "alters" : "drops";
}

const char *inv_kind_name(inv_kind k)
{
    switch (k) {
    case INVK_TABLE: return "table";
    case INVK_VIEW: return "view";
    case INVK_FUNCTION: return "function";
    case INVK_TYPE: break;
    }
    return "type";
}

const char *inv_verdict_name(inv_verdict v)
{
    return v == INV_IDENTICAL ? "identical" : v == INV_COMPATIBLE ? "compatible" : "conflicting";
}

const char *inv_norm_schema(dialect d, const char *schema)
{
    if (!schema || !*schema)
        return NULL;
    if (!strcmp(schema, d == DIALECT_SQLITE ? "main" : "public"))
        return NULL;
    return schema;
}

static const char *obj_key(arena *mem, inv_kind k, const char *schema, const char *name)
{
    return arena_printf(mem, "%d\x1f%s\x1f%s", (int)k, schema ? schema : "", name);
}

inv_object *inv_object_find(const inventory *inv, inv_kind k, const char *schema, const char *name)
{
    arena tmp;
    arena_init(&tmp);
    inv_object *o = hashmap_get(&inv->objmap, obj_key(&tmp, k, schema, name));
    arena_free(&tmp);
    return o;
}

/* ---- finding an object in a catalog (SQLite names compare case-insensitively) */

static const char *schema_or_default(const catalog *c, const char *schema)
{
    return schema ? schema : catalog_default_schema(c);
}

static bool name_eq(const catalog *c, const char *a, const char *b)
{
    return c->dialect == DIALECT_SQLITE ? !strcasecmp(a, b) : !strcmp(a, b);
}

static const cat_table *find_table(const catalog *c, const char *schema, const char *name)
{
    const char *s = schema_or_default(c, schema);
    for (size_t i = 0; i < c->tables.n; i++)
        if (name_eq(c, c->tables.v[i]->name, name) && name_eq(c, c->tables.v[i]->schema, s))
            return c->tables.v[i];
    return NULL;
}

static const cat_view *find_view(const catalog *c, const char *schema, const char *name)
{
    const char *s = schema_or_default(c, schema);
    for (size_t i = 0; i < c->views.n; i++)
        if (name_eq(c, c->views.v[i]->name, name) && name_eq(c, c->views.v[i]->schema, s))
            return c->views.v[i];
    return NULL;
}

static const cat_function *find_function(const catalog *c, const char *schema, const char *name)
{
    const char *s = schema_or_default(c, schema);
    for (size_t i = 0; i < c->functions.n; i++)
        if (!strcmp(c->functions.v[i]->name, name) && !strcmp(c->functions.v[i]->schema, s))
            return c->functions.v[i];
    return NULL;
}

bool inv_present(const catalog *c, inv_kind k, const char *schema, const char *name)
{
    const char *s = schema_or_default(c, schema);
    switch (k) {
    case INVK_TABLE: return find_table(c, schema, name) != NULL;
    case INVK_VIEW: return find_view(c, schema, name) != NULL;
    case INVK_FUNCTION: return find_function(c, schema, name) != NULL;
    case INVK_TYPE:
        return catalog_enum_find(c, s, name) || catalog_composite_find(c, s, name) || catalog_domain_find(c, s, name);
    }
    return false;
}

/* ---- comparing two definitions ---------------------------------------------- */

static const char *coldiff_kind(col_diff_kind k)
{
    switch (k) {
    case COLDIFF_NULLABLE: return "not null";
    case COLDIFF_DEFAULT: return "default";
    case COLDIFF_PRIMARY_KEY: return "primary key";
    case COLDIFF_UNIQUE: return "unique";
    case COLDIFF_FOREIGN_KEY: return "foreign key";
    case COLDIFF_CHECK: return "check";
    default: return "column";
    }
}

static const char *relation_name(type_relation r)
{
    switch (r) {
    case TYPE_SAME: return "same family";
    case TYPE_WIDER: return "second is wider";
    case TYPE_NARROWER: return "second is narrower";
    case TYPE_CONFLICT: break;
    }
    return "conflict";
}

static void push_diff(arena *mem, strvec *diffs, const char *fmt_result)
{
    if (diffs)
        VEC_PUSH(mem, *diffs, fmt_result);
}

/* A difference that only reflects the two dialects (a PostgreSQL variant and
 * an SQLite variant of one table): a type of one family stored in the other
 * engine's natural type (uuid ~ TEXT, timestamptz ~ TEXT: not a conflict of
 * families), or a PostgreSQL-only value generator with no SQLite counterpart. */
static bool dialect_only(const table_match *m, const col_diff *d)
{
    if (m->da == m->db)
        return false;
    if (d->kind == COLDIFF_TYPE)
        return d->relation != TYPE_CONFLICT;
    if (d->kind == COLDIFF_DEFAULT && (!d->a || !d->b)) {
        const char *g = d->a ? d->a : d->b;
        return strstr(g, "gen_random_uuid(") || strstr(g, "uuid_generate_v") || strstr(g, "nextval(");
    }
    return false;
}

/* which side holds more (as match.c decides): 1 a, 2 b, 0 neither */
static int diff_direction(const col_diff *d)
{
    if (d->kind == COLDIFF_ONLY_A)
        return 1;
    if (d->kind == COLDIFF_ONLY_B)
        return 2;
    if (d->kind == COLDIFF_TYPE)
        return d->relation == TYPE_WIDER ? 2 : d->relation == TYPE_NARROWER ? 1 : 0;
    if (d->a && !d->b)
        return 1;
    if (d->b && !d->a)
        return 2;
    return 0;
}

static inv_verdict compare_tables(arena *mem, const catalog *ca, const cat_table *ta, const catalog *cb,
                                  const cat_table *tb, const char *la, const char *lb, int *superset, strvec *diffs)
{
    table_match m;
    memset(&m, 0, sizeof m);
    match_tables(mem, ca, ta, cb, tb, &m);
    bool more_a = false, more_b = false, conflict = false;
    size_t counted = 0;
    for (size_t i = 0; i < m.diffs.n; i++) {
        const col_diff *d = &m.diffs.v[i];
        const char *what = d->column ? d->column : "?";
        if (dialect_only(&m, d)) {
            if (d->kind == COLDIFF_TYPE)
                push_diff(mem, diffs, arena_printf(mem, "dialect only: column %s %s ~ %s", what, d->a, d->b));
            else
                push_diff(mem, diffs, arena_printf(mem, "dialect only: default %s %s in %s, none in %s", what,
                                                   d->a ? d->a : d->b, d->a ? la : lb, d->a ? lb : la));
            continue;
        }
        counted++;
        conflict |= d->conflict;
        int dir = diff_direction(d);
        more_a |= dir == 1;
        more_b |= dir == 2;
        switch (d->kind) {
        case COLDIFF_ONLY_A:
        case COLDIFF_ONLY_B: {
            const char *side = d->kind == COLDIFF_ONLY_A ? la : lb;
            const char *t = d->kind == COLDIFF_ONLY_A ? d->a : d->b;
            push_diff(mem, diffs,
                      t ? arena_printf(mem, "column %s %s: only in %s", what, t, side)
                        : arena_printf(mem, "column %s: only in %s", what, side));
            break;
        }
        case COLDIFF_TYPE:
            push_diff(mem, diffs,
                      arena_printf(mem, "column %s type: %s in %s, %s in %s (%s)", what, d->a ? d->a : "none", la,
                                   d->b ? d->b : "none", lb, relation_name(d->relation)));
            break;
        default:
            push_diff(mem, diffs,
                      arena_printf(mem, "%s %s: %s in %s, %s in %s", coldiff_kind(d->kind), what, d->a ? d->a : "none",
                                   la, d->b ? d->b : "none", lb));
            break;
        }
    }
    if (superset)
        *superset = 0;
    if (!counted)
        return INV_IDENTICAL;
    if (conflict || (more_a && more_b))
        return INV_CONFLICTING;
    if (superset)
        *superset = more_a ? 1 : more_b ? 2 : 0;
    return INV_COMPATIBLE;
}

/* whitespace-collapsed, lower-cased text (views across dialects) */
static char *squash(arena *mem, const char *s)
{
    char *o = arena_alloc(mem, strlen(s ? s : "") + 1), *p = o;
    bool sp = false;
    for (; s && *s; s++) {
        if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r') {
            sp = p > o;
            continue;
        }
        if (*s == ';')
            continue;
        if (sp)
            *p++ = ' ';
        sp = false;
        *p++ = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
    }
    *p = 0;
    return o;
}

static bool strvec_subset(const strvec *a, const strvec *b)
{
    for (size_t i = 0; i < a->n; i++) {
        bool found = false;
        for (size_t j = 0; j < b->n && !found; j++)
            found = !strcmp(a->v[i], b->v[j]);
        if (!found)
            return false;
    }
    return true;
}

inv_verdict inv_compare(arena *mem, inv_kind k, const char *schema, const char *name, const catalog *ca,
                                const catalog *cb, const char *la, const char *lb, int *superset, strvec *diffs)
{
    if (superset)
        *superset = 0;
    if (k == INVK_TABLE) {
        const cat_table *ta = find_table(ca, schema, name), *tb = find_table(cb, schema, name);
        if (ta && tb)
            return compare_tables(mem, ca, ta, cb, tb, la, lb, superset, diffs);
    } else if (k == INVK_VIEW) {
        const cat_view *va = find_view(ca, schema, name), *vb = find_view(cb, schema, name);
        if (va && vb) {
            bool same = ca->dialect == cb->dialect && va->definition_norm && vb->definition_norm
                            ? !strcmp(va->definition_norm, vb->definition_norm)
                            : !strcmp(squash(mem, va->definition), squash(mem, vb->definition));
            if (same)
                return INV_IDENTICAL;
            push_diff(mem, diffs, arena_printf(mem, "definition differs between %s and %s", la, lb));
            return INV_CONFLICTING;
        }
    } else if (k == INVK_FUNCTION) {
        const cat_function *fa = find_function(ca, schema, name), *fb = find_function(cb, schema, name);
        if (fa && fb) {
            inv_verdict v = INV_IDENTICAL;
            if (strcmp(fa->signature ? fa->signature : "", fb->signature ? fb->signature : "")) {
                push_diff(mem, diffs, arena_printf(mem, "signature: %s in %s, %s in %s", fa->signature, la,
                                                   fb->signature, lb));
                v = INV_CONFLICTING;
            }
            if (strcmp(fa->returns ? fa->returns : "", fb->returns ? fb->returns : "")) {
                push_diff(mem, diffs, arena_printf(mem, "returns: %s in %s, %s in %s", fa->returns ? fa->returns : "none",
                                                   la, fb->returns ? fb->returns : "none", lb));
                v = INV_CONFLICTING;
            }
            if (strcmp(fa->body_hash, fb->body_hash) || strcmp(fa->language, fb->language)) {
                push_diff(mem, diffs, arena_printf(mem, "body differs between %s and %s", la, lb));
                v = INV_CONFLICTING;
            }
            return v;
        }
    } else {
        const char *sa = schema_or_default(ca, schema), *sb = schema_or_default(cb, schema);
        const cat_enum *ea = catalog_enum_find(ca, sa, name), *eb = catalog_enum_find(cb, sb, name);
        if (ea && eb) {
            bool ab = strvec_subset(&ea->labels, &eb->labels), ba = strvec_subset(&eb->labels, &ea->labels);
            if (ab && ba && ea->labels.n == eb->labels.n)
                return INV_IDENTICAL;
            strbuf x = STRBUF_INIT, y = STRBUF_INIT;
            for (size_t i = 0; i < ea->labels.n; i++)
                strbuf_addf(&x, "%s%s", i ? ", " : "", ea->labels.v[i]);
            for (size_t i = 0; i < eb->labels.n; i++)
                strbuf_addf(&y, "%s%s", i ? ", " : "", eb->labels.v[i]);
            push_diff(mem, diffs, arena_printf(mem, "labels: (%s) in %s, (%s) in %s", strbuf_str(&x), la,
                                               strbuf_str(&y), lb));
            strbuf_release(&x);
            strbuf_release(&y);
            if (ab || ba) {
                if (superset)
                    *superset = ab ? 2 : 1;
                return INV_COMPATIBLE;
            }
            return INV_CONFLICTING;
        }
        const cat_composite *pa = catalog_composite_find(ca, sa, name), *pb = catalog_composite_find(cb, sb, name);
        if (pa && pb) {
            bool same = pa->attrs.n == pb->attrs.n;
            for (size_t i = 0; same && i < pa->attrs.n; i++)
                same = !strcmp(pa->attrs.v[i].name, pb->attrs.v[i].name) &&
                       !strcmp(pa->attrs.v[i].type, pb->attrs.v[i].type);
            if (!same)
                push_diff(mem, diffs, arena_printf(mem, "attributes differ between %s and %s", la, lb));
            return same ? INV_IDENTICAL : INV_CONFLICTING;
        }
        const cat_domain *da = catalog_domain_find(ca, sa, name), *db = catalog_domain_find(cb, sb, name);
        if (da && db) {
            if (!strcmp(da->base_type, db->base_type) && da->not_null == db->not_null)
                return INV_IDENTICAL;
            push_diff(mem, diffs, arena_printf(mem, "domain: %s in %s, %s in %s", da->base_type, la, db->base_type, lb));
            return INV_CONFLICTING;
        }
        if ((ea || pa || da) && (eb || pb || db)) {
            push_diff(mem, diffs, arena_printf(mem, "different kinds of type in %s and %s", la, lb));
            return INV_CONFLICTING;
        }
    }
    /* one side could not be read (the statement was refused): nothing to compare */
    push_diff(mem, diffs, arena_printf(mem, "not comparable: definition unreadable in %s",
                                       inv_present(ca, k, schema, name) ? lb : la));
    return INV_COMPATIBLE;
}


const char *inv_first_diff(const strvec *diffs)
{
    for (size_t i = 0; i < diffs->n; i++)
        if (strncmp(diffs->v[i], "dialect only:", 13))
            return diffs->v[i];
    return "differs";
}

/* ---- the index ---------------------------------------------------------------- */

static int cmp_object(const void *x, const void *y)
{
    const inv_object *a = *(inv_object *const *)x, *b = *(inv_object *const *)y;
    if (a->kind != b->kind)
        return (int)a->kind - (int)b->kind;
    return strcmp(a->display, b->display);
}

static void object_verdicts(inventory *inv, inv_object *o)
{
    /* group identical definitions; compare group representatives pairwise */
    VEC(int) reps = {0};
    for (size_t i = 0; i < o->defs.n; i++) {
        inv_def *d = &o->defs.v[i];
        d->group = -1;
        for (size_t g = 0; g < reps.n && d->group < 0; g++) {
            inv_def *r = &o->defs.v[reps.v[g]];
            if (inv_compare(&inv->mem, o->kind, o->schema, o->name, r->file->cat, d->file->cat, "a", "b", NULL, NULL) ==
                INV_IDENTICAL)
                d->group = (int)g;
        }
        if (d->group < 0) {
            d->group = (int)reps.n;
            VEC_PUSH(&inv->mem, reps, (int)i);
        }
    }
    o->verdict = INV_IDENTICAL;
    for (size_t g = 0; g < reps.n; g++)
        for (size_t h = g + 1; h < reps.n; h++) {
            inv_pair p = {reps.v[g], reps.v[h], INV_IDENTICAL, 0, {0}};
            inv_def *a = &o->defs.v[p.a], *b = &o->defs.v[p.b];
            p.verdict = inv_compare(&inv->mem, o->kind, o->schema, o->name, a->file->cat, b->file->cat,
                                            a->file->name, b->file->name, &p.superset, &p.diffs);
            if (p.verdict > o->verdict)
                o->verdict = p.verdict;
            VEC_PUSH(&inv->mem, o->pairs, p);
        }
}

void inv_build_index(inventory *inv)
{
    for (size_t i = 0; i < inv->files.n; i++) {
        inv_file *f = inv->files.v[i];
        for (size_t k = 0; k < f->refs.n; k++) {
            inv_ref *r = &f->refs.v[k];
            const char *key = obj_key(&inv->mem, r->kind, r->schema, r->name);
            inv_object *o = hashmap_get(&inv->objmap, key);
            if (!o) {
                o = ARENA_NEW(&inv->mem, inv_object);
                o->kind = r->kind;
                o->schema = r->schema;
                o->name = r->name;
                o->display = r->schema ? arena_printf(&inv->mem, "%s.%s", r->schema, r->name) : r->name;
                hashmap_put(&inv->objmap, key, o);
                VEC_PUSH(&inv->mem, inv->objects, o);
            }
            r->file = f;
            r->obj = o;
            if (r->action == INV_CREATE) {
                /* a file that creates the object twice counts once (its catalog holds the last) */
                bool seen = false;
                for (size_t d = 0; d < o->defs.n && !seen; d++)
                    seen = o->defs.v[d].file == f;
                if (!seen) {
                    inv_def def = {f, r->loc, 0};
                    VEC_PUSH(&inv->mem, o->defs, def);
                    o->n_files++;
                }
            } else {
                VEC_PUSH(&inv->mem, o->others, r);
            }
        }
    }
    if (inv->objects.n)
        qsort(inv->objects.v, inv->objects.n, sizeof *inv->objects.v, cmp_object);
    for (size_t i = 0; i < inv->objects.n; i++) {
        inv_object *o = inv->objects.v[i];
        if (o->defs.n < 2)
            continue;
        inv->n_multi++;
        object_verdicts(inv, o);
        if (o->verdict == INV_CONFLICTING)
            inv->n_conflicting++;
    }
}

/* ---- recommendation ----------------------------------------------------------- */

/* Score a candidate over the objects its files touch (marked with `stamp`). */
static void score(inv_candidate *c, bool *in, int stamp)
{
    c->objects = c->conflicts = c->dangling = c->refused = 0;
    for (size_t i = 0; i < c->files.n; i++) {
        in[c->files.v[i]->index] = true;
        c->refused += c->files.v[i]->n_errors;
    }
    for (size_t fi = 0; fi < c->files.n; fi++)
        for (size_t ri = 0; ri < c->files.v[fi]->refs.n; ri++) {
            inv_object *o = c->files.v[fi]->refs.v[ri].obj;
            if (o->mark == stamp)
                continue;
            o->mark = stamp;
            int ndefs = 0;
            bool conflict = false;
            for (size_t d = 0; d < o->defs.n; d++)
                ndefs += in[o->defs.v[d].file->index];
            if (ndefs >= 2)
                for (size_t p = 0; p < o->pairs.n && !conflict; p++) {
                    const inv_pair *pr = &o->pairs.v[p];
                    if (pr->verdict != INV_CONFLICTING)
                        continue;
                    /* some definition of each of the two groups is in the set */
                    bool ga = false, gb = false;
                    for (size_t d = 0; d < o->defs.n; d++) {
                        if (!in[o->defs.v[d].file->index])
                            continue;
                        ga |= o->defs.v[d].group == o->defs.v[pr->a].group;
                        gb |= o->defs.v[d].group == o->defs.v[pr->b].group;
                    }
                    conflict = ga && gb;
                }
            if (ndefs) {
                c->objects++;
                c->conflicts += conflict;
                continue;
            }
            for (size_t k = 0; k < o->others.n; k++)
                /* an alter whose file is in the set, of an object the set never creates */
                if (o->others.v[k]->action == INV_ALTER && in[o->others.v[k]->file->index]) {
                    c->dangling++;
                    break;
                }
        }
    c->score = c->objects - c->conflicts - c->dangling;
    for (size_t i = 0; i < c->files.n; i++)
        in[c->files.v[i]->index] = false;
}

static int cmp_candidate(const void *x, const void *y)
{
    const inv_candidate *a = *(inv_candidate *const *)x, *b = *(inv_candidate *const *)y;
    if (a->score != b->score)
        return b->score - a->score;
    if (a->objects != b->objects)
        return b->objects - a->objects;
    if (a->refused != b->refused)
        return a->refused - b->refused;
    if (a->files.n != b->files.n)
        return a->files.n < b->files.n ? -1 : 1;
    return strcmp(a->label, b->label);
}

static inv_candidate *candidate_new(inventory *inv, const char *label)
{
    inv_candidate *c = ARENA_NEW(&inv->mem, inv_candidate);
    c->label = label;
    VEC_PUSH(&inv->mem, inv->candidates, c);
    return c;
}

static bool in_sequence(const inv_file *f, const inv_sequence *s)
{
    return f->sequence && !strcmp(f->sequence, s->dir);
}

/* how many objects file f creates that sequence s alters without creating them
 * (objects marked with `tag` by mark_altered) */
static int builds_on(const inv_file *f, int tag)
{
    int n = 0;
    for (size_t i = 0; i < f->refs.n; i++)
        if (f->refs.v[i].action == INV_CREATE && f->refs.v[i].obj->mark == tag) {
            f->refs.v[i].obj->mark = -tag; /* count each object once */
            n++;
        }
    for (size_t i = 0; i < f->refs.n; i++)
        if (f->refs.v[i].obj->mark == -tag)
            f->refs.v[i].obj->mark = tag;
    return n;
}

static void mark_altered(const inv_sequence *s, int tag)
{
    for (size_t m = 0; m < s->files.n; m++)
        for (size_t i = 0; i < s->files.v[m]->refs.n; i++) {
            const inv_ref *r = &s->files.v[m]->refs.v[i];
            if (r->action != INV_ALTER)
                continue;
            bool creates = false;
            for (size_t d = 0; d < r->obj->defs.n && !creates; d++)
                creates = in_sequence(r->obj->defs.v[d].file, s);
            if (!creates)
                r->obj->mark = tag;
        }
}

static void load_winner(inventory *inv)
{
    inv_candidate *w = inv->winner;
    size_t lite = 0;
    for (size_t i = 0; i < w->files.n; i++)
        lite += w->files.v[i]->dialect == DIALECT_SQLITE;
    dialect d = lite * 2 > w->files.n ? DIALECT_SQLITE : DIALECT_PG;
    catalog *cat = catalog_new(d);
    arena tmp;
    arena_init(&tmp);
    diag_list dl;
    diag_list_init(&dl, &tmp);
    if (d == DIALECT_SQLITE)
        sqlite_sql_defer(cat, true);
    /* PostgreSQL .sql files only: parsed ahead on worker threads */
    bool plain = d == DIALECT_PG;
    for (size_t i = 0; i < w->files.n && plain; i++)
        plain = w->files.v[i]->dialect == d && !strcmp(w->files.v[i]->host, "sql");
    if (plain) {
        const char **paths = arena_alloc(&tmp, w->files.n * sizeof *paths);
        for (size_t i = 0; i < w->files.n; i++)
            paths[i] = w->files.v[i]->path;
        pg_sql_read_files(cat, paths, w->files.n, &dl);
        arena_free(&tmp);
        inv->winner_cat = cat;
        return;
    }
    for (size_t i = 0; i < w->files.n; i++) {
        inv_file *f = w->files.v[i];
        if (f->dialect != d)
            continue;
        if (d == DIALECT_SQLITE)
            sqlite_sql_read(cat, f->path, f->sql, f->sql_len, &dl);
        else
            pg_sql_read(cat, f->path, f->sql, f->sql_len, &dl);
    }
    if (d == DIALECT_SQLITE)
        sqlite_sql_flush(cat, &dl);
    arena_free(&tmp);
    inv->winner_cat = cat;
}

static void file_notes(inventory *inv)
{
    inv_candidate *w = inv->winner;
    bool *in = arena_alloc(&inv->mem, inv->files.n + 1);
    for (size_t i = 0; i < w->files.n; i++)
        in[w->files.v[i]->index] = true;
    for (size_t i = 0; i < inv->files.n; i++) {
        inv_file *f = inv->files.v[i];
        if (in[f->index] || (f->cls != INV_SNAPSHOT && f->cls != INV_MIGRATION))
            continue;
        inv_file_note n = {f, {0}, {0}, 0};
        bool any = false;
        for (size_t k = 0; k < f->refs.n; k++) {
            const inv_ref *r = &f->refs.v[k];
            if (r->action != INV_CREATE)
                continue;
            any = true;
            const inv_object *o = inv_object_find(inv, r->kind, r->schema, r->name);
            bool covered = false;
            for (size_t d = 0; d < o->defs.n && !covered; d++)
                covered = in[o->defs.v[d].file->index];
            const char *label = arena_printf(&inv->mem, "%s %s", inv_kind_name(o->kind), o->display);
            if (!covered || !inv_present(inv->winner_cat, o->kind, o->schema, o->name)) {
                VEC_PUSH(&inv->mem, n.adds, label);
                continue;
            }
            strvec diffs = {0};
            inv_verdict v = inv_compare(&inv->mem, o->kind, o->schema, o->name, f->cat, inv->winner_cat,
                                                f->name, "the recommendation", NULL, &diffs);
            if (v == INV_CONFLICTING)
                VEC_PUSH(&inv->mem, n.contradicts, arena_printf(&inv->mem, "%s (%s)", label, inv_first_diff(&diffs)));
            else
                n.agrees++;
        }
        if (any)
            VEC_PUSH(&inv->mem, inv->notes, n);
    }
}

void inv_recommend(inventory *inv)
{
    for (size_t i = 0; i < inv->files.n; i++) {
        inv_file *f = inv->files.v[i];
        if (f->cls != INV_SNAPSHOT)
            continue;
        inv_candidate *c = candidate_new(inv, f->name);
        VEC_PUSH(&inv->mem, c->files, f);
    }
    size_t n_snap = inv->candidates.n;
    for (size_t i = 0; i < inv->sequences.n; i++) {
        inv_sequence *s = inv->sequences.v[i];
        inv_candidate *c = candidate_new(inv, arena_printf(&inv->mem, "%s/ (in order)", s->dir));
        for (size_t k = 0; k < s->files.n; k++)
            VEC_PUSH(&inv->mem, c->files, s->files.v[k]);
        /* the (at most PAIRS_PER_SEQUENCE) snapshots the sequence builds on most */
        int tag = (int)i + 1;
        mark_altered(s, tag);
        inv_file *best[PAIRS_PER_SEQUENCE] = {0};
        int best_n[PAIRS_PER_SEQUENCE] = {0};
        for (size_t j = 0; j < n_snap; j++) {
            inv_file *f = inv->candidates.v[j]->files.v[0];
            int n = builds_on(f, tag);
            for (int b = 0; b < PAIRS_PER_SEQUENCE && n > 0; b++)
                if (n > best_n[b]) {
                    memmove(&best[b + 1], &best[b], sizeof *best * (size_t)(PAIRS_PER_SEQUENCE - 1 - b));
                    memmove(&best_n[b + 1], &best_n[b], sizeof *best_n * (size_t)(PAIRS_PER_SEQUENCE - 1 - b));
                    best[b] = f;
                    best_n[b] = n;
                    break;
                }
        }
        for (int b = 0; b < PAIRS_PER_SEQUENCE && best[b]; b++) {
            inv_file *f = best[b];
            inv_candidate *p = candidate_new(inv, arena_printf(&inv->mem, "%s + %s/ (in order)", f->name, s->dir));
            VEC_PUSH(&inv->mem, p->files, f);
            for (size_t k = 0; k < s->files.n; k++)
                VEC_PUSH(&inv->mem, p->files, s->files.v[k]);
        }
    }
    bool *in = arena_alloc(&inv->mem, inv->files.n + 1);
    int stamp = (int)inv->sequences.n + 1; /* above the tags mark_altered used */
    for (size_t i = 0; i < inv->candidates.n; i++)
        score(inv->candidates.v[i], in, ++stamp);
    if (inv->candidates.n)
        qsort(inv->candidates.v, inv->candidates.n, sizeof *inv->candidates.v, cmp_candidate);
    if (!inv->candidates.n)
        return;
    inv->winner = inv->candidates.v[0];
    load_winner(inv);
    file_notes(inv);
}
