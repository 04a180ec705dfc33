/*
 * diff_emit.c — a sorted diff plan as a script (diff_emit_sql) or as JSON
 * (diff_emit_json), and the hazard names.
 *
 * SQL framing:
 *   PostgreSQL  `SET check_function_bodies = false;`, then non-transactional
 *               changes of phases up to PHASE_CREATE_TYPES (enum ADD VALUE,
 *               and the renames of an enum that gains a value: diff_pg.c),
 *               then BEGIN; ...transactional changes...; COMMIT;, then the
 *               other non-transactional changes (both dialects alike).
 *   SQLite      when the plan rebuilds a table (kind "rebuild_table"):
 *               PRAGMA foreign_keys=OFF before BEGIN (it is a no-op inside a
 *               transaction), PRAGMA foreign_key_check before COMMIT,
 *               PRAGMA foreign_keys=ON after it.
 * Each change is preceded by `-- <kind> <object>` and, when it has hazards,
 * `-- hazard: a, b`.  Destructive changes left out are listed at the end as
 * `-- skipped (destructive, use --allow-destructive): <first line of SQL>`.
 * An empty plan prints nothing.
 */
#include "diff/diff.h"

#include <string.h>

#include "emit/emit_internal.h"

static const diff_hazard all_hazards[] = {HAZARD_DESTRUCTIVE, HAZARD_TABLE_REWRITE, HAZARD_ACCESS_EXCLUSIVE,
                                          HAZARD_FULL_SCAN, HAZARD_DATA_DEPENDENT};

const char *diff_hazard_name(diff_hazard h)
{
    switch (h) {
    case HAZARD_DESTRUCTIVE: return "destructive";
    case HAZARD_TABLE_REWRITE: return "table-rewrite";
    case HAZARD_ACCESS_EXCLUSIVE: return "access-exclusive";
    case HAZARD_FULL_SCAN: return "full-scan";
    case HAZARD_DATA_DEPENDENT: return "data-dependent";
    }
    return "unknown";
}

/* "schema.name[.sub]" as plain text for comments (one line) */
static void object_label(strbuf *o, const diff_change *c)
{
    size_t start = o->len;
    if (c->schema && *c->schema) {
        strbuf_adds(o, c->schema);
        strbuf_addch(o, '.');
    }
    strbuf_adds(o, c->name ? c->name : "");
    if (c->sub && *c->sub) {
        strbuf_addch(o, '.');
        strbuf_adds(o, c->sub);
    }
    for (size_t i = start; i < o->len; i++)
        if (o->buf[i] == '\n' || o->buf[i] == '\r')
            o->buf[i] = ' ';
}

static void hazard_line(strbuf *o, unsigned hazards)
{
    if (!hazards)
        return;
    strbuf_adds(o, "-- hazard: ");
    bool first = true;
    for (size_t i = 0; i < sizeof all_hazards / sizeof all_hazards[0]; i++)
        if (hazards & all_hazards[i]) {
            strbuf_adds(o, first ? "" : ", ");
            first = false;
            strbuf_adds(o, diff_hazard_name(all_hazards[i]));
        }
    strbuf_addch(o, '\n');
}

static void emit_change(strbuf *o, const diff_change *c)
{
    strbuf_adds(o, "-- ");
    strbuf_adds(o, c->kind);
    strbuf_addch(o, ' ');
    object_label(o, c);
    strbuf_addch(o, '\n');
    hazard_line(o, c->hazards);
    if (c->note && *c->note) {
        strbuf_adds(o, "-- note: ");
        for (const char *p = c->note; *p; p++)
            strbuf_addch(o, *p == '\n' ? ' ' : *p);
        strbuf_addch(o, '\n');
    }
    strbuf_adds(o, c->sql);
    if (o->len && o->buf[o->len - 1] != '\n')
        strbuf_addch(o, '\n');
}

static void first_line(strbuf *o, const char *sql)
{
    const char *nl = strchr(sql, '\n');
    size_t n = nl ? (size_t)(nl - sql) : strlen(sql);
    strbuf_add(o, sql, n);
}

static bool has_rebuild(const diff_plan *plan)
{
    for (size_t i = 0; i < plan->changes.n; i++)
        if (!strcmp(plan->changes.v[i].kind, "rebuild_table"))
            return true;
    return false;
}

/* non-transactional changes up to the type phase run before BEGIN (enum
 * ADD VALUE: later statements may use the value), the others after COMMIT */
static bool pre_transaction(const diff_change *c)
{
    return c->phase <= PHASE_CREATE_TYPES;
}

void diff_emit_sql(strbuf *out, const diff_plan *plan)
{
    if (diff_plan_empty(plan))
        return;
    bool pg = plan->dialect == DIALECT_PG;
    bool rebuild = !pg && has_rebuild(plan);
    size_t n = plan->changes.n;
    bool any_tx = false;
    for (size_t i = 0; i < n; i++)
        any_tx |= plan->changes.v[i].transactional;
    strbuf_addf(out, "-- dbsage diff (%s): %zu change%s\n", dialect_name(plan->dialect), n, n == 1 ? "" : "s");
    if (pg && n)
        strbuf_adds(out, "SET check_function_bodies = false;\n");
    if (rebuild)
        strbuf_adds(out, "PRAGMA foreign_keys = OFF;\n");
    for (size_t i = 0; i < n; i++)
        if (!plan->changes.v[i].transactional && pre_transaction(&plan->changes.v[i])) {
            strbuf_addch(out, '\n');
            emit_change(out, &plan->changes.v[i]);
        }
    if (any_tx) {
        strbuf_adds(out, "\nBEGIN;\n");
        for (size_t i = 0; i < n; i++) {
            if (!plan->changes.v[i].transactional)
                continue;
            strbuf_addch(out, '\n');
            emit_change(out, &plan->changes.v[i]);
        }
        if (rebuild)
            strbuf_adds(out, "\nPRAGMA foreign_key_check;\n");
        strbuf_adds(out, "\nCOMMIT;\n");
    }
    for (size_t i = 0; i < n; i++)
        if (!plan->changes.v[i].transactional && !pre_transaction(&plan->changes.v[i])) {
            strbuf_addch(out, '\n');
            emit_change(out, &plan->changes.v[i]);
        }
    if (rebuild)
        strbuf_adds(out, "PRAGMA foreign_keys = ON;\n");
    if (plan->skipped.n)
        strbuf_addch(out, '\n');
    for (size_t i = 0; i < plan->skipped.n; i++) {
        strbuf_adds(out, "-- skipped (destructive, use --allow-destructive): ");
        first_line(out, plan->skipped.v[i].sql);
        strbuf_addch(out, '\n');
    }
    for (size_t i = 0; i < plan->notes.n; i++) {
        strbuf_adds(out, "-- note: ");
        strbuf_adds(out, plan->notes.v[i]);
        strbuf_addch(out, '\n');
    }
}

/* ---- JSON -------------------------------------------------------------------- */

static void json_change(strbuf *o, const diff_change *c)
{
    strbuf_adds(o, "{\"kind\":");
    emit_json_string(o, c->kind);
    strbuf_adds(o, ",\"object_kind\":");
    emit_json_string(o, cat_object_kind_name(c->object_kind));
    strbuf_adds(o, ",\"schema\":");
    emit_json_string(o, c->schema);
    strbuf_adds(o, ",\"name\":");
    emit_json_string(o, c->name);
    strbuf_adds(o, ",\"sub\":");
    emit_json_string(o, c->sub);
    strbuf_adds(o, ",\"hazards\":[");
    bool first = true;
    for (size_t i = 0; i < sizeof all_hazards / sizeof all_hazards[0]; i++)
        if (c->hazards & all_hazards[i]) {
            strbuf_adds(o, first ? "" : ",");
            first = false;
            emit_json_string(o, diff_hazard_name(all_hazards[i]));
        }
    strbuf_addf(o, "],\"phase\":%d,\"transactional\":%s,\"sql\":", c->phase, c->transactional ? "true" : "false");
    emit_json_string(o, c->sql);
    if (c->note) {
        strbuf_adds(o, ",\"note\":");
        emit_json_string(o, c->note);
    }
    strbuf_addch(o, '}');
}

static void json_changes(strbuf *o, const char *key, const diff_change *v, size_t n)
{
    strbuf_addf(o, ",\n  \"%s\": [", key);
    for (size_t i = 0; i < n; i++) {
        strbuf_adds(o, i ? ",\n    " : "\n    ");
        json_change(o, &v[i]);
    }
    strbuf_adds(o, n ? "\n  ]" : "]");
}

void diff_emit_json(strbuf *out, const diff_plan *plan)
{
    strbuf_adds(out, "{\n  \"dialect\": ");
    emit_json_string(out, dialect_name(plan->dialect));
    json_changes(out, "changes", plan->changes.v, plan->changes.n);
    json_changes(out, "skipped", plan->skipped.v, plan->skipped.n);
    strbuf_adds(out, ",\n  \"notes\": [");
    for (size_t i = 0; i < plan->notes.n; i++) {
        strbuf_adds(out, i ? ", " : "");
        emit_json_string(out, plan->notes.v[i]);
    }
    strbuf_adds(out, "]\n}\n");
}
