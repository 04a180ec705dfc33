/*
 * test_audit.c — unit tests of src/data/audit*: secret-key and folder-role
 * helpers, and a whole run over a pack written here that the example pack
 * does not cover: JS/shell writers of one path (concurrent writers: yes), a
 * users/ folder (multi-user: yes), a relation by an `<entity>_id` field,
 * .env and JSON config keys with secret values never in the output (YAML
 * and JSON), a role by content (a folder only a script writes into).
 */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data/audit.h"
#include "util/arena.h"
#include "util/strbuf.h"

static void test_helpers(void **state)
{
    (void)state;
    assert_true(audit_is_secret_key("api_key"));
    assert_true(audit_is_secret_key("OPENAI_API_KEY"));
    assert_true(audit_is_secret_key("db_password"));
    assert_true(audit_is_secret_key("authToken"));
    assert_false(audit_is_secret_key("name"));
    assert_false(audit_is_secret_key("outputs_dir"));
    assert_string_equal("input", audit_role_by_name("inputs"));
    assert_string_equal("output", audit_role_by_name("generated"));
    assert_string_equal("state", audit_role_by_name(".cache"));
    assert_string_equal("definitions", audit_role_by_name("agents"));
    assert_null(audit_role_by_name("minds"));
}

static char dir[64];

static void put(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    for (char *p = path + strlen(dir) + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(path, 0777);
            *p = '/';
        }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_run(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/dbsage-test-audit.XXXXXX");
    assert_non_null(mkdtemp(dir));
    put(".env", "OPENAI_API_KEY=sk-envsecret-123\nPORT=8080\n");
    put("settings.json", "{\n  \"title\": \"x\",\n  \"nested\": {\"inner\": 1},\n  \"auth_token\": \"tok-jsonsecret-456\"\n}\n");
    put("bin/sync.js", "const fs = require('fs');\nfs.writeFileSync('results/index.json', '{}');\n"
                       "const db = new Database('state.db');\n");
    put("bin/append.sh", "#!/bin/sh\necho done >> results/index.json\n");
    put("results/projects/project-a/meta.json", "{\"name\": \"a\"}\n");
    put("results/projects/project-b/meta.json", "{\"name\": \"b\"}\n");
    put("results/tasks/t1.json", "{\"id\": 1, \"project_id\": \"project-a\"}\n");
    put("results/users/u1.json", "{\"id\": \"u1\"}\n");

    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    audit_result *a = audit_run(&mem, dir, dir, NULL, &diags);
    assert_non_null(a);
    strbuf y = STRBUF_INIT, j = STRBUF_INIT;
    audit_write(a, &y, AUDIT_YAML);
    audit_write(a, &j, AUDIT_JSON);
    const char *ys = strbuf_str(&y), *js = strbuf_str(&j);
    for (int i = 0; i < 2; i++) {
        const char *s = i ? js : ys;
        assert_null(strstr(s, "sk-envsecret"));
        assert_null(strstr(s, "tok-jsonsecret"));
    }
    assert_non_null(strstr(ys, "keys: [OPENAI_API_KEY, PORT]\n      secrets: [OPENAI_API_KEY]"));
    assert_non_null(strstr(ys, "keys: [title, nested, auth_token]\n      secrets: [auth_token]"));
    assert_non_null(strstr(ys, "- path: results/\n      role: output\n      files: 4"));
    assert_non_null(strstr(ys, "- path: bin/sync.js\n      language: javascript\n      reads: []\n"
                               "      writes: [results/index.json, state.db]\n      io_calls: ['2:writeFileSync', '3:new Database(']"));
    assert_non_null(strstr(ys, "writes: [results/index.json]\n      io_calls: ['2:>']"));
    assert_non_null(strstr(ys, "concurrent_writers:\n      answer: 'yes'\n      evidence: ['results/index.json written by 2 scripts']"));
    assert_non_null(strstr(ys, "template: results/projects/{slug}/meta.json"));
    assert_non_null(strstr(ys, "search_needs:\n      answer: unknown\n      evidence: ['no Markdown"));
    assert_non_null(strstr(ys, "multi_user:\n      answer: 'yes'"));
    assert_non_null(strstr(ys, "folder results/users/"));
    assert_non_null(strstr(ys, "kind: many-to-one\n      evidence: 'results/tasks/*.json files hold field project_id'\n"));
    assert_non_null(strstr(js, "\"kiss_gate\":{\"multi_user\":{\"answer\":\"yes\""));
    strbuf_release(&y);
    strbuf_release(&j);
    audit_free(a);

    /* a missing pack: NULL and a diagnostic */
    assert_null(audit_run(&mem, "/nonexistent/pack", ".", NULL, &diags));
    assert_true(diag_has_errors(&diags));
    arena_free(&mem);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(0, system(cmd));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_helpers),
        cmocka_unit_test(test_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
