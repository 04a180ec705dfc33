/*
 * fuzz_lint_sql.c — libFuzzer target: arbitrary bytes as a migration file
 * through the lint front half: inline-ignore scanning, the design text scan
 * and every migration-safety rule (PostgreSQL, then SQLite dialect), then
 * the JSON and SARIF emitters.  Must never crash; every finding must name a
 * registered rule and a line inside the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/lint.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        abort();
    if (size)
        memcpy(text, data, size);
    text[size] = '\0';
    unsigned lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += text[i] == '\n';

    for (int pass = 0; pass < 2; pass++) {
        dialect d = pass ? DIALECT_SQLITE : DIALECT_PG;
        arena mem;
        arena_init(&mem);
        diag_list diags;
        diag_list_init(&diags, &mem);
        lint_config cfg;
        lint_config_init(&cfg);
        lint_ctx ctx;
        lint_ctx_init(&ctx, &mem, &cfg);
        lint_ignores_scan(&ctx, "fuzz.sql", text, size);
        lint_design_scan(&ctx, d, "fuzz.sql", text, size);
        lint_migration_run(&ctx, d, "fuzz.sql", text, size, 1, NULL, &diags);
        lint_sort(&ctx);
        for (size_t i = 0; i < ctx.findings.n; i++) {
            const lint_finding *f = &ctx.findings.v[i];
            if (!f->rule || !lint_rule_find(f->rule->id) || !f->message)
                abort();
            if (f->loc.line > lines)
                abort();
        }
        strbuf out = STRBUF_INIT;
        lint_emit_json(&out, &ctx);
        lint_emit_sarif(&out, &ctx);
        strbuf_release(&out);
        arena_free(&mem);
    }
    free(text);
    return 0;
}
