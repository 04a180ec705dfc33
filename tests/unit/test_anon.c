/*
 * test_anon.c — unit tests of src/data/anon*: the rules file reader (errors
 * at file:line:col), the defaults (secrets removed, emails faked), rule
 * precedence, the value transformations (determinism, seeds, unique fake
 * emails) and the shuffle second pass on a real SQLite file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/anon.h"
#include "util/hashmap.h"

static const char *apply(const anon_rule *r, const char *v, uint64_t seed, arena *mem)
{
    size_t n = 0;
    const char *out = anon_apply(r, v, v ? strlen(v) : 0, seed, mem, &n);
    if (out)
        assert_int_equal(strlen(out), n);
    return out;
}

static anon_rules *parse(arena *mem, diag_list *dl, const char *text)
{
    return anon_rules_parse(mem, "rules.yaml", text, strlen(text), dl);
}

/* the first error's "line:col message" */
static const char *first_error(diag_list *dl, arena *mem)
{
    for (size_t i = 0; i < dl->items.n; i++)
        if (dl->items.v[i].severity == DIAG_ERROR)
            return arena_printf(mem, "%s:%u:%u %s", dl->items.v[i].loc.file, dl->items.v[i].loc.line,
                                dl->items.v[i].loc.col, dl->items.v[i].message);
    return "";
}

/* ---- rules file ------------------------------------------------------------- */

static void test_rules_parse_and_precedence(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    diag_list dl;
    diag_list_init(&dl, &a);
    anon_rules *r = parse(&a, &dl,
                          "version: 1\n"
                          "rules:\n"
                          "  users.name: {fake: name}\n"
                          "  users.bio: {redact: '[no bio]'}\n"
                          "  users.note: redact\n"
                          "  users.nick: keep-first-char\n"
                          "  users.ssn: hash\n"
                          "  users.city: shuffle\n"
                          "  users.phone: null\n"
                          "  users.password_hash: keep\n"
                          "  '*.phone': {fake: phone}\n"
                          "  audit.users.phone: {fake: uuid}\n");
    assert_non_null(r);
    assert_int_equal(dl.n_errors, 0);
    const anon_rule *x = anon_rule_for(r, "users", "name", false);
    assert_non_null(x);
    assert_int_equal(x->kind, ANON_FAKE);
    assert_int_equal(x->fake, ANON_FAKE_NAME);
    assert_int_equal(x->loc.line, 3);
    assert_int_equal(x->loc.col, 3);
    x = anon_rule_for(r, "public.users", "bio", false);
    assert_int_equal(x->kind, ANON_REDACT);
    assert_string_equal(x->text, "[no bio]");
    assert_string_equal(anon_rule_for(r, "users", "note", false)->text, ANON_REDACTED);
    assert_int_equal(anon_rule_for(r, "users", "nick", false)->kind, ANON_KEEP_FIRST_CHAR);
    assert_int_equal(anon_rule_for(r, "users", "ssn", false)->kind, ANON_HASH);
    assert_int_equal(anon_rule_for(r, "users", "city", false)->kind, ANON_SHUFFLE);
    /* table beats '*', schema.table beats table */
    assert_int_equal(anon_rule_for(r, "users", "phone", false)->kind, ANON_NULL);
    assert_int_equal(anon_rule_for(r, "audit.users", "phone", false)->fake, ANON_FAKE_UUID);
    x = anon_rule_for(r, "orders", "phone", false);
    assert_int_equal(x->kind, ANON_FAKE);
    assert_int_equal(x->fake, ANON_FAKE_PHONE);
    /* null in a NOT NULL column -> the placeholder */
    x = anon_rule_for(r, "users", "phone", true);
    assert_int_equal(x->kind, ANON_REDACT);
    assert_string_equal(x->text, ANON_PLACEHOLDER);
    /* an explicit keep beats the secret default */
    assert_null(anon_rule_for(r, "users", "password_hash", false));
    /* the defaults still apply elsewhere */
    assert_int_equal(anon_rule_for(r, "accounts", "password_hash", false)->kind, ANON_NULL);
    assert_int_equal(anon_rule_for(r, "accounts", "email", false)->fake, ANON_FAKE_EMAIL);
    assert_null(anon_rule_for(r, "accounts", "title", false));
    /* unused rules are reported where they are written */
    diag_list w;
    diag_list_init(&w, &a);
    anon_rules *r2 = parse(&a, &w, "rules:\n  users.name: hash\n  userz.nmae: hash\n");
    assert_non_null(r2);
    assert_non_null(anon_rule_for(r2, "users", "name", false));
    anon_rules_check_unused(r2, &w);
    assert_int_equal(w.n_warnings, 1);
    assert_int_equal(w.items.v[0].loc.line, 3);
    assert_string_equal(w.items.v[0].rule, "anon-unused-rule");
    arena_free(&a);
}

static void check_error(const char *text, const char *want_prefix)
{
    arena a;
    arena_init(&a);
    diag_list dl;
    diag_list_init(&dl, &a);
    assert_null(parse(&a, &dl, text));
    assert_true(dl.n_errors >= 1);
    const char *e = first_error(&dl, &a);
    if (strncmp(e, want_prefix, strlen(want_prefix)) != 0)
        fail_msg("got '%s', want a message starting with '%s'", e, want_prefix);
    arena_free(&a);
}

static void test_rules_errors_located(void **state)
{
    (void)state;
    check_error("rules:\n  users.name: scramble\n", "rules.yaml:2:15 unknown rule 'scramble'");
    check_error("rules:\n  users.name: {fake: wizard}\n", "rules.yaml:2:22 unknown fake kind 'wizard'");
    check_error("rules:\n  users.name: hash\n  username: hash\n", "rules.yaml:3:3 rule key 'username'");
    check_error("rules:\n  users.name: hash\n  users.name: null\n", "rules.yaml:3:3 ");
    check_error("version: 1\nrulez:\n  a.b: hash\n", "rules.yaml:2:1 unknown key 'rulez'");
    check_error("defaults:\n  secrets: maybe\n", "rules.yaml:2:12 defaults.secrets: expected true or false");
    check_error("rules:\n  users.name: {fake: name, redact: x}\n", "rules.yaml:2:16 a rule is");
    check_error("rules: [1, 2\n", "rules.yaml:");
    check_error("version: 2\n", "rules.yaml:1:10 version");
    /* an unreadable file */
    arena a;
    arena_init(&a);
    diag_list dl;
    diag_list_init(&dl, &a);
    assert_null(anon_rules_load(&a, "/nonexistent/dbsage/rules.yaml", &dl));
    assert_int_equal(dl.n_errors, 1);
    arena_free(&a);
}

/* the flat form (table.column: rule at the top level) and fake-KIND scalars */
static void test_rules_flat_form(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    diag_list dl;
    diag_list_init(&dl, &a);
    anon_rules *r = parse(&a, &dl,
                          "daemons.owner: fake-name\n"
                          "daemons.contact: fake-email\n"
                          "daemons.given: fake-first-name\n"
                          "'*.api_token': keep\n");
    assert_non_null(r);
    const anon_rule *x = anon_rule_for(r, "daemons", "owner", false);
    assert_int_equal(x->kind, ANON_FAKE);
    assert_int_equal(x->fake, ANON_FAKE_NAME);
    assert_int_equal(anon_rule_for(r, "daemons", "contact", false)->fake, ANON_FAKE_EMAIL);
    assert_int_equal(anon_rule_for(r, "daemons", "given", false)->fake, ANON_FAKE_FIRST_NAME);
    assert_null(anon_rule_for(r, "runs", "api_token", false));
    assert_int_equal(anon_rule_for(r, "runs", "refresh_token", false)->kind, ANON_NULL);
    arena_free(&a);
    check_error("daemons.owner: fake-wizard\n", "rules.yaml:1:16 unknown fake kind 'wizard'");
}

/* ---- defaults ------------------------------------------------------------------ */

static void test_secrets_removed_by_default(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    anon_rules *r = anon_rules_default(&a, false);
    static const char *const secret[] = {"password",      "passwd",      "password_hash", "pass_hash",
                                         "token",         "api_key",     "apiKey",        "secret",
                                         "access_key",    "private_key", "refresh_token", "session",
                                         "session_id",    "authToken",   "client_secret", "user_password_digest",
                                         "credentials",   "oauth_credential"};
    for (size_t i = 0; i < sizeof secret / sizeof *secret; i++) {
        const anon_rule *x = anon_rule_for(r, "t", secret[i], false);
        if (!x || x->kind != ANON_NULL)
            fail_msg("%s should be removed", secret[i]);
        x = anon_rule_for(r, "t", secret[i], true);
        assert_non_null(x);
        assert_int_equal(x->kind, ANON_REDACT);
        assert_string_equal(x->text, ANON_PLACEHOLDER);
        assert_string_equal(apply(x, "hunter2", 1, &a), ANON_PLACEHOLDER);
        assert_true(x->is_default);
    }
    static const char *const data[] = {"token_count", "input_tokens", "tokens", "session_started_at", "name",
                                       "passenger", "email", "max_tokens", "secretary"};
    for (size_t i = 0; i < sizeof data / sizeof *data; i++)
        if (anon_rule_for(r, "t", data[i], false))
            fail_msg("%s should be kept", data[i]);
    /* emails: only when asked (rules files / fake_emails) */
    anon_rules *re = anon_rules_default(&a, true);
    assert_int_equal(anon_rule_for(re, "t", "email", false)->fake, ANON_FAKE_EMAIL);
    assert_int_equal(anon_rule_for(re, "t", "owner_email", false)->fake, ANON_FAKE_EMAIL);
    assert_null(anon_rule_for(re, "t", "emailed", false));
    /* a rules file may turn the defaults off */
    diag_list dl;
    diag_list_init(&dl, &a);
    anon_rules *off = parse(&a, &dl, "defaults:\n  secrets: false\n  emails: false\n");
    assert_non_null(off);
    assert_null(anon_rule_for(off, "t", "password", false));
    assert_null(anon_rule_for(off, "t", "email", false));
    arena_free(&a);
}

/* ---- values -------------------------------------------------------------------- */

static void test_apply_basic(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    anon_rule r = {.kind = ANON_KEEP_FIRST_CHAR};
    assert_string_equal(apply(&r, "John", 0, &a), "J***");
    assert_string_equal(apply(&r, "\xc3\x89lodie", 0, &a), "\xc3\x89***");
    assert_string_equal(apply(&r, "", 0, &a), "");
    assert_null(apply(&r, NULL, 0, &a));
    r = (anon_rule){.kind = ANON_REDACT, .text = "[gone]"};
    assert_string_equal(apply(&r, "secret stuff", 0, &a), "[gone]");
    r = (anon_rule){.kind = ANON_NULL};
    assert_null(apply(&r, "x", 0, &a));
    r = (anon_rule){.kind = ANON_HASH};
    assert_string_equal(apply(&r, "abc", 0, &a), "f3652e4ce938bb9965f62c3ca4d8f69301a6c85b1e86eac67e291152d3c0e3dd");
    assert_string_equal(apply(&r, "abc", 42, &a), "6488c64508ed7629ed0a6e911ba68812b95cbfb5581c861a0245f7920457ec63");
    assert_null(apply(&r, NULL, 42, &a));
    r = (anon_rule){.kind = ANON_SHUFFLE};
    assert_string_equal(apply(&r, "stays", 0, &a), "stays");
    assert_string_equal(apply(NULL, "kept", 0, &a), "kept");
    /* formats */
    r = (anon_rule){.kind = ANON_FAKE, .fake = ANON_FAKE_UUID};
    const char *u = apply(&r, "x", 7, &a);
    assert_int_equal(strlen(u), 36);
    assert_int_equal(u[14], '4');
    assert_non_null(strchr("89ab", u[19]));
    r.fake = ANON_FAKE_PHONE;
    const char *p = apply(&r, "+44 20 7946 0000", 7, &a);
    assert_int_equal(strlen(p), 15);
    assert_memory_equal(p, "+1-555-", 7);
    r.fake = ANON_FAKE_NAME;
    assert_non_null(strchr(apply(&r, "Jane Doe", 7, &a), ' '));
    r.fake = ANON_FAKE_TEXT;
    const char *t = apply(&r, "one two three four", 7, &a);
    int spaces = 0;
    for (const char *c = t; *c; c++)
        spaces += *c == ' ';
    assert_int_equal(spaces, 3);
    /* copy values: integers go through their text */
    anon_rule h = {.kind = ANON_HASH};
    copy_value v = {.kind = COPY_INT, .i = 12345};
    anon_apply_value(&h, &v, 0, &a);
    assert_int_equal(v.kind, COPY_TEXT);
    assert_int_equal(v.len, 64);
    assert_memory_equal(v.s, apply(&h, "12345", 0, &a), 64);
    copy_value nv = {.kind = COPY_TEXT, .s = "x", .len = 1};
    anon_rule nr = {.kind = ANON_NULL};
    anon_apply_value(&nr, &nv, 0, &a);
    assert_int_equal(nv.kind, COPY_NULL);
    /* seeds */
    assert_int_equal(anon_seed_parse("42"), 42);
    assert_int_equal(anon_seed_parse(""), 0);
    assert_int_equal(anon_seed_parse("demo"), anon_seed_parse("demo"));
    assert_true(anon_seed_parse("demo") != anon_seed_parse("demo2"));
    arena_free(&a);
}

static void test_fakes_deterministic_and_seeded(void **state)
{
    (void)state;
    for (int f = ANON_FAKE_NAME; f <= ANON_FAKE_UUID; f++) {
        arena a1, a2;
        arena_init(&a1);
        arena_init(&a2);
        /* two rules for two tables: the same value maps to the same fake */
        anon_rule r1 = {.table = "users", .column = "c", .kind = ANON_FAKE, .fake = (anon_fake)f};
        anon_rule r2 = {.table = "audit", .column = "d", .kind = ANON_FAKE, .fake = (anon_fake)f};
        int differ = 0;
        for (int i = 0; i < 50; i++) {
            char in[32];
            snprintf(in, sizeof in, "person %d", i);
            const char *x = apply(&r1, in, 99, &a1), *y = apply(&r2, in, 99, &a2);
            assert_string_equal(x, y);
            assert_string_not_equal(x, in);
            differ += strcmp(x, apply(&r1, in, 100, &a1)) != 0;
        }
        /* a different seed gives different fakes (word lists may collide sometimes) */
        if (differ < 25)
            fail_msg("fake %s: only %d of 50 values changed with the seed", anon_fake_name((anon_fake)f), differ);
        arena_free(&a1);
        arena_free(&a2);
    }
    arena a;
    arena_init(&a);
    anon_rule h = {.kind = ANON_HASH};
    assert_string_not_equal(apply(&h, "alice@example.org", 1, &a), apply(&h, "alice@example.org", 2, &a));
    arena_free(&a);
}

static void test_fake_emails_unique(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    hashmap seen;
    hashmap_init(&seen, &a);
    anon_rule r = {.kind = ANON_FAKE, .fake = ANON_FAKE_EMAIL};
    for (int i = 0; i < 10000; i++) {
        char in[64];
        snprintf(in, sizeof in, "user%d@corp.example", i);
        const char *e = apply(&r, in, 2024, &a);
        assert_non_null(strchr(e, '@'));
        assert_null(strstr(e, "corp.example"));
        if (hashmap_get(&seen, e))
            fail_msg("fake email %s repeated (input %s)", e, in);
        hashmap_put(&seen, e, (void *)1);
    }
    assert_int_equal(seen.n, 10000);
    hashmap_release(&seen);
    arena_free(&a);
}

/* ---- shuffle on a real SQLite file ---------------------------------------------- */

static char *shuffled(uint64_t seed, int tag)
{
    char path[128];
    snprintf(path, sizeof path, "/tmp/dbsage_test_anon_%d_%d.db", (int)getpid(), tag);
    unlink(path);
    arena a;
    arena_init(&a);
    diag_list dl;
    diag_list_init(&dl, &a);
    db_open_opts o = {.create = true};
    db_conn *c = db_open(path, &o, &dl);
    assert_non_null(c);
    assert_int_equal(db_exec(c, "CREATE TABLE people(id INTEGER PRIMARY KEY, city TEXT)"), 0);
    for (int i = 1; i <= 20; i++) {
        char sql[128];
        if (i == 7)
            snprintf(sql, sizeof sql, "INSERT INTO people VALUES (%d, NULL)", i);
        else
            snprintf(sql, sizeof sql, "INSERT INTO people VALUES (%d, 'city%02d')", i, i);
        assert_int_equal(db_exec(c, sql), 0);
    }
    assert_int_equal(anon_shuffle_column(c, NULL, "people", "city", "id", seed, &a, &dl), 0);
    assert_int_equal(dl.n_errors, 0);
    /* the same multiset of values */
    db_stmt *s = db_prepare(c, "SELECT group_concat(coalesce(city, '-'), ',') FROM "
                               "(SELECT city FROM people ORDER BY coalesce(city, '-'))", 0);
    assert_int_equal(db_step(s), 1);
    assert_string_equal(db_column_text(s, 0, NULL), "-,city01,city02,city03,city04,city05,city06,city08,city09,"
                                                    "city10,city11,city12,city13,city14,city15,city16,city17,"
                                                    "city18,city19,city20");
    db_finalize(s);
    s = db_prepare(c, "SELECT group_concat(coalesce(city, '-'), ',') FROM (SELECT city FROM people ORDER BY id)", 0);
    assert_int_equal(db_step(s), 1);
    const char *got = db_column_text(s, 0, NULL);
    char *order = malloc(strlen(got) + 1);
    memcpy(order, got, strlen(got) + 1);
    db_finalize(s);
    /* an unknown column is an error with a diagnostic */
    assert_int_equal(anon_shuffle_column(c, NULL, "people", "nope", "id", seed, &a, &dl), -1);
    assert_int_equal(dl.n_errors, 1);
    db_close(c);
    unlink(path);
    arena_free(&a);
    return order;
}

static void test_shuffle_sqlite(void **state)
{
    (void)state;
    char *x = shuffled(5, 1), *y = shuffled(5, 2), *z = shuffled(6, 3);
    assert_string_equal(x, y);       /* deterministic */
    assert_string_not_equal(x, z);   /* the seed matters */
    assert_string_not_equal(x, "city01,city02,city03,city04,city05,city06,-,city08,city09,city10,"
                               "city11,city12,city13,city14,city15,city16,city17,city18,city19,city20");
    free(x);
    free(y);
    free(z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_parse_and_precedence),
        cmocka_unit_test(test_rules_errors_located),
        cmocka_unit_test(test_rules_flat_form),
        cmocka_unit_test(test_secrets_removed_by_default),
        cmocka_unit_test(test_apply_basic),
        cmocka_unit_test(test_fakes_deterministic_and_seeded),
        cmocka_unit_test(test_fake_emails_unique),
        cmocka_unit_test(test_shuffle_sqlite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
