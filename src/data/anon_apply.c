/*
 * anon_apply.c — owns the value transformations of the anonymisation rules:
 * redaction, first-character masks, the salted hash, and the deterministic
 * fakes (names, emails, phones, text, UUIDs) drawn from small built-in word
 * lists.  Every output is a function of (rule, value, seed) only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/anon.h"
#include "util/digest.h"

/* ---- word lists (invented for this file; 64 entries each) ---------------------- */

static const char *const first_names[64] = {
    "Ada", "Ben", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kavya", "Liam",
    "Maria", "Nico", "Olga", "Pedro", "Quinn", "Rosa", "Samir", "Tara", "Umar", "Vera", "Wen", "Ximena",
    "Yusuf", "Zoe", "Amara", "Bruno", "Chloe", "Diego", "Emil", "Fatima", "Gus", "Hana", "Ivan", "Julia",
    "Kenji", "Lena", "Marco", "Nadia", "Oscar", "Priya", "Rafael", "Sofia", "Tomas", "Ulla", "Viktor", "Willa",
    "Xavier", "Yara", "Zane", "Aisha", "Boris", "Clara", "Dario", "Esme", "Felix", "Gina", "Hugo", "Iris",
    "Jack", "Kira", "Leo", "Mina"};

static const char *const last_names[64] = {
    "Okafor", "Schmidt", "Tanaka", "Garcia", "Novak", "Haddad", "Lindqvist", "Moreau", "Kowalski", "Rossi",
    "Nguyen", "Patel", "Silva", "Jensen", "Ivanova", "Murphy", "Costa", "Bauer", "Yilmaz", "Dubois", "Kim",
    "Fischer", "Mendes", "Larsen", "Popescu", "Horvat", "Sato", "Lopez", "Ward", "Berg", "Castro", "Duarte",
    "Eriksen", "Fontaine", "Gallo", "Hughes", "Ito", "Jovanovic", "Keller", "Lund", "Marsh", "Nakamura",
    "Olsen", "Price", "Quiroga", "Reyes", "Stone", "Torres", "Ueda", "Vidal", "Weber", "Young", "Zhang",
    "Abbott", "Brandt", "Cruz", "Doyle", "Ekwueme", "Ferreira", "Grant", "Holm", "Iqbal", "Jaramillo", "Kruger"};

static const char *const lorem[64] = {
    "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do", "eiusmod",
    "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua", "enim", "ad", "minim", "veniam",
    "quis", "nostrud", "exercitation", "ullamco", "laboris", "nisi", "aliquip", "ex", "ea", "commodo",
    "consequat", "duis", "aute", "irure", "in", "reprehenderit", "voluptate", "velit", "esse", "cillum",
    "fugiat", "nulla", "pariatur", "excepteur", "sint", "occaecat", "cupidatat", "non", "proident", "sunt",
    "culpa", "qui", "officia", "deserunt", "mollit", "anim", "id", "est", "laborum", "vitae", "nunc"};

/* ---- the keyed digest -------------------------------------------------------- */

static void seed_bytes(uint64_t seed, unsigned char out[8])
{
    for (int i = 0; i < 8; i++)
        out[i] = (unsigned char)(seed >> (8 * i));
}

static int hexval(char c)
{
    return c <= '9' ? c - '0' : c - 'a' + 10;
}

/* hex of SHA-256(seed_le8 || value [|| block as 4 bytes LE when block > 0]) */
static void keyed_hex(uint64_t seed, const char *value, size_t len, uint32_t block, char hex[DIGEST_HEX_LEN + 1])
{
    unsigned char sb[8];
    seed_bytes(seed, sb);
    digest_ctx *d = digest_new();
    digest_update(d, sb, sizeof sb);
    digest_update(d, value, len);
    if (block) {
        unsigned char bb[4] = {(unsigned char)block, (unsigned char)(block >> 8), (unsigned char)(block >> 16),
                               (unsigned char)(block >> 24)};
        digest_update(d, bb, sizeof bb);
    }
    digest_final_hex(d, hex);
}

static void keyed_bytes(uint64_t seed, const char *value, size_t len, uint32_t block, unsigned char out[32])
{
    char hex[DIGEST_HEX_LEN + 1];
    keyed_hex(seed, value, len, block, hex);
    for (int i = 0; i < 32; i++)
        out[i] = (unsigned char)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
}

/* ---- fakes ------------------------------------------------------------------- */

static char *lower_dup(arena *mem, const char *s)
{
    char *r = arena_strdup(mem, s);
    for (char *p = r; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    return r;
}

static const char *fake_text(const char *value, size_t len, uint64_t seed, arena *mem)
{
    size_t words = 0;
    bool in = false;
    for (size_t i = 0; i < len; i++) {
        bool sp = value[i] == ' ' || value[i] == '\t' || value[i] == '\n' || value[i] == '\r';
        if (!sp && !in)
            words++;
        in = !sp;
    }
    if (words < 1)
        words = 1;
    if (words > 64)
        words = 64;
    size_t cap = words * 16 + 1, n = 0;
    char *out = arena_alloc(mem, cap);
    unsigned char b[32];
    for (size_t w = 0; w < words; w++) {
        if (w % 32 == 0)
            keyed_bytes(seed, value, len, (uint32_t)(w / 32 + 1), b);
        const char *word = lorem[b[w % 32] & 63];
        if (w)
            out[n++] = ' ';
        size_t wl = strlen(word);
        memcpy(out + n, word, wl);
        n += wl;
    }
    out[n] = '\0';
    return out;
}

static const char *fake(anon_fake kind, const char *value, size_t len, uint64_t seed, arena *mem)
{
    unsigned char b[32];
    keyed_bytes(seed, value, len, 0, b);
    const char *first = first_names[b[0] & 63], *last = last_names[b[1] & 63];
    switch (kind) {
    case ANON_FAKE_NAME:
        return arena_printf(mem, "%s %s", first, last);
    case ANON_FAKE_FIRST_NAME:
        return arena_strdup(mem, first);
    case ANON_FAKE_LAST_NAME:
        return arena_strdup(mem, last);
    case ANON_FAKE_EMAIL: {
        /* 64 bits of the keyed hash make the address unique per input */
        char tag[17];
        for (int i = 0; i < 8; i++)
            snprintf(tag + 2 * i, 3, "%02x", b[8 + i]);
        return arena_printf(mem, "%s.%s.%s@example.com", lower_dup(mem, first), lower_dup(mem, last), tag);
    }
    case ANON_FAKE_PHONE: {
        unsigned a = (unsigned)(b[2] | b[3] << 8) % 900 + 100;
        unsigned c = (unsigned)(b[4] | b[5] << 8) % 10000;
        return arena_printf(mem, "+1-555-%03u-%04u", a, c);
    }
    case ANON_FAKE_TEXT:
        return fake_text(value, len, seed, mem);
    case ANON_FAKE_UUID: {
        b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
        b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
        char *u = arena_alloc(mem, 37);
        size_t n = 0;
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10)
                u[n++] = '-';
            snprintf(u + n, 3, "%02x", b[i]);
            n += 2;
        }
        return u;
    }
    }
    return arena_strdup(mem, ANON_REDACTED);
}

/* ---- entry points -------------------------------------------------------------- */

const char *anon_apply(const anon_rule *rule, const char *value, size_t len, uint64_t seed, arena *mem,
                       size_t *out_len)
{
    const char *out = value;
    size_t n = len;
    if (!value || !rule) {
        if (out_len)
            *out_len = value ? len : 0;
        return value;
    }
    switch (rule->kind) {
    case ANON_KEEP:
    case ANON_SHUFFLE:
        break;
    case ANON_NULL:
        out = NULL;
        n = 0;
        break;
    case ANON_REDACT:
        out = arena_strdup(mem, rule->text ? rule->text : ANON_REDACTED);
        n = strlen(out);
        break;
    case ANON_KEEP_FIRST_CHAR: {
        if (len == 0) {
            out = arena_strdup(mem, "");
            n = 0;
            break;
        }
        unsigned char c = (unsigned char)value[0];
        size_t cl = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
        if (cl > len)
            cl = len;
        char *s = arena_alloc(mem, cl + 4);
        memcpy(s, value, cl);
        memcpy(s + cl, "***", 4);
        out = s;
        n = cl + 3;
        break;
    }
    case ANON_HASH: {
        char *hex = arena_alloc(mem, DIGEST_HEX_LEN + 1);
        keyed_hex(seed, value, len, 0, hex);
        out = hex;
        n = DIGEST_HEX_LEN;
        break;
    }
    case ANON_FAKE:
        out = fake(rule->fake, value, len, seed, mem);
        n = strlen(out);
        break;
    }
    if (out_len)
        *out_len = n;
    return out;
}

void anon_apply_value(const anon_rule *rule, copy_value *v, uint64_t seed, arena *row_mem)
{
    if (!rule || !v || v->kind == COPY_NULL || rule->kind == ANON_KEEP || rule->kind == ANON_SHUFFLE)
        return;
    const char *in;
    size_t len;
    char num[64];
    if (v->kind == COPY_INT) {
        len = (size_t)snprintf(num, sizeof num, "%" PRId64, v->i);
        in = num;
    } else if (v->kind == COPY_REAL) {
        len = (size_t)snprintf(num, sizeof num, "%.17g", v->d);
        in = num;
    } else {
        in = v->s ? v->s : "";
        len = v->len;
    }
    size_t n = 0;
    const char *out = anon_apply(rule, in, len, seed, row_mem, &n);
    if (!out) {
        *v = (copy_value){.kind = COPY_NULL};
        return;
    }
    *v = (copy_value){.kind = COPY_TEXT, .s = out, .len = n};
}

uint64_t anon_seed_parse(const char *s)
{
    if (!s || !*s)
        return 0;
    bool digits = true;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            digits = false;
    if (digits) {
        errno = 0;
        unsigned long long v = strtoull(s, NULL, 10);
        if (errno == 0)
            return (uint64_t)v;
    }
    char hex[DIGEST_HEX_LEN + 1];
    digest_sha256_hex(s, strlen(s), hex);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1])) << (8 * i);
    return v;
}
