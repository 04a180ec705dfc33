/*
 * doc.c — owns: the document readers of doc.h (JSON, NDJSON, YAML,
 * Markdown with front matter, text), parse errors as path:line:col from
 * libfyaml's collected diagnostics, UTF-8 validation and the file's SHA-256.
 * Node values (doc_node_text) are in doc_value.c.
 *
 * JSON, Markdown and text files are read whole (one document each); YAML is
 * streamed through a parser input callback, one `---` document at a time;
 * NDJSON is read line by line (one parser, reset per line).
 */
#include "data/doc.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct utf8_state {
    unsigned need;         /* continuation bytes still expected */
    unsigned char lo, hi;  /* range of the next continuation byte */
} utf8_state;

struct doc_reader {
    char *path;
    doc_format fmt;
    FILE *fp;
    digest_ctx *dg;       /* streaming hash; NULL once final */
    char hash[DIGEST_HEX_LEN + 1];
    bool hash_done;
    size_t bytes;
    struct fy_diag *diag;
    struct fy_parser *parser;
    struct fy_document *cur;
    bool cur_parsed;      /* cur came from parser (fy_parse_document_destroy) */
    char *buf;            /* whole file (JSON, Markdown, text) */
    size_t len;
    char *line;           /* NDJSON */
    size_t line_cap;
    unsigned lineno;      /* NDJSON: lines read so far */
    unsigned doc_line;
    unsigned line_offset; /* added to libfyaml lines of the current document */
    bool started, done;
    /* YAML stream position, for an invalid UTF-8 byte's line:col */
    unsigned stream_line;
    size_t stream_line_start; /* byte offset of the current line's start */
    bool bad_utf8;            /* the stream stopped at an invalid byte (or a read error) */
    const char *bad_utf8_msg;
    utf8_state utf8;
    unsigned char carry[4];   /* a UTF-8 sequence held back for the next chunk */
    size_t ncarry;
    src_loc bad_utf8_loc;
};

doc_format doc_format_from_name(const char *name)
{
    if (!name)
        return DOC_AUTO;
    if (!strcmp(name, "json"))
        return DOC_JSON;
    if (!strcmp(name, "ndjson") || !strcmp(name, "jsonl"))
        return DOC_NDJSON;
    if (!strcmp(name, "yaml") || !strcmp(name, "yml"))
        return DOC_YAML;
    if (!strcmp(name, "markdown") || !strcmp(name, "md"))
        return DOC_MARKDOWN;
    if (!strcmp(name, "text"))
        return DOC_TEXT;
    return DOC_AUTO;
}

const char *doc_format_name(doc_format f)
{
    switch (f) {
    case DOC_JSON: return "json";
    case DOC_NDJSON: return "ndjson";
    case DOC_YAML: return "yaml";
    case DOC_MARKDOWN: return "markdown";
    case DOC_TEXT: return "text";
    case DOC_AUTO: break;
    }
    return "auto";
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcasecmp(s + n - m, suffix);
}

doc_format doc_format_for_path(const char *path)
{
    if (ends_with(path, ".json"))
        return DOC_JSON;
    if (ends_with(path, ".ndjson") || ends_with(path, ".jsonl"))
        return DOC_NDJSON;
    if (ends_with(path, ".yaml") || ends_with(path, ".yml"))
        return DOC_YAML;
    if (ends_with(path, ".md") || ends_with(path, ".markdown"))
        return DOC_MARKDOWN;
    return DOC_TEXT;
}

static void hash_bytes(doc_reader *r, const void *p, size_t n)
{
    r->bytes += n;
    if (r->dg && n)
        digest_update(r->dg, p, n);
}

static void hash_finish(doc_reader *r)
{
    if (r->dg) {
        digest_final_hex(r->dg, r->hash);
        r->dg = NULL;
        r->hash_done = true;
    }
}

/* Streaming UTF-8 validation (RFC 3629: no overlongs, surrogates or code
 * points above U+10FFFF).  libfyaml 0.7.12 loops forever on some invalid
 * bytes (a '%' directive followed by 0xF8), so every format is checked
 * before it reaches the parser. */
/* offset of the first byte that makes the stream invalid, or n */
static size_t utf8_feed(utf8_state *st, const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!st->need) {
            /* ASCII runs 8 bytes at a time */
            while (i + 8 <= n) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                if (w & 0x8080808080808080ULL)
                    break;
                i += 8;
            }
            if (i >= n)
                break;
        }
        unsigned char c = s[i];
        if (st->need) {
            if (c < st->lo || c > st->hi)
                return i;
            st->need--;
            st->lo = 0x80;
            st->hi = 0xBF;
            continue;
        }
        if (c < 0x80)
            continue;
        st->lo = 0x80;
        st->hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            st->need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            st->need = 2;
            if (c == 0xE0)
                st->lo = 0xA0;
            else if (c == 0xED)
                st->hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            st->need = 3;
            if (c == 0xF0)
                st->lo = 0x90;
            else if (c == 0xF4)
                st->hi = 0x8F;
        } else {
            return i;
        }
    }
    return n;
}

/* path:line:col of byte off in text[0..len) */
static src_loc loc_in(const char *file, const char *text, size_t off, unsigned line0)
{
    src_loc loc = {file, line0, 1};
    size_t start = 0;
    for (size_t i = 0; i < off; i++)
        if (text[i] == '\n') {
            loc.line++;
            start = i + 1;
        }
    loc.col = (unsigned)(off - start) + 1;
    return loc;
}

/* an error at the first invalid UTF-8 byte of a whole buffer; true if any */
static bool check_utf8(doc_reader *r, const char *text, size_t len, unsigned line0, diag_list *diags)
{
    utf8_state st = {0, 0x80, 0xBF};
    size_t bad = utf8_feed(&st, (const unsigned char *)text, len);
    if (bad == len && !st.need)
        return false;
    if (bad == len)
        diag_error(diags, loc_in(r->path, text, bad, line0), "%s: invalid UTF-8 (a sequence cut by the end)",
                   doc_format_name(r->fmt));
    else
        diag_error(diags, loc_in(r->path, text, bad, line0), "%s: invalid UTF-8 byte 0x%02X",
                   doc_format_name(r->fmt), (unsigned char)text[bad]);
    return true;
}

doc_reader *doc_open(const char *path, doc_format fmt, diag_list *diags)
{
    src_loc loc = {path, 0, 0};
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        diag_error(diags, loc, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        diag_error(diags, loc, "cannot read: is a directory");
        fclose(fp);
        return NULL;
    }
    doc_reader *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    r->path = strdup(path);
    if (!r->path)
        abort();
    r->fmt = fmt == DOC_AUTO ? doc_format_for_path(path) : fmt;
    r->fp = fp;
    r->dg = digest_new();
    struct fy_diag_cfg dc;
    fy_diag_cfg_default(&dc);
    dc.fp = NULL;
    dc.output_fn = NULL;
    dc.colorize = false;
    r->diag = fy_diag_create(&dc);
    if (!r->diag)
        abort();
    fy_diag_set_collect_errors(r->diag, true);
    return r;
}

/* the first collected libfyaml error as a diagnostic */
static void report_fy_error(doc_reader *r, diag_list *diags, const char *fallback)
{
    void *it = NULL;
    struct fy_diag_error *e = fy_diag_errors_iterate(r->diag, &it);
    src_loc loc = {r->path, 0, 0};
    if (e) {
        loc.line = (unsigned)(e->line > 0 ? e->line : 1) + r->line_offset;
        loc.col = (unsigned)(e->column > 0 ? e->column : 1);
        diag_error(diags, loc, "%s: %s", doc_format_name(r->fmt), e->msg ? e->msg : fallback);
    } else {
        loc.line = r->line_offset + 1;
        loc.col = 1;
        diag_error(diags, loc, "%s: %s", doc_format_name(r->fmt), fallback);
    }
}

static struct fy_parser *new_parser(doc_reader *r, bool json)
{
    struct fy_parse_cfg pc;
    memset(&pc, 0, sizeof pc);
    pc.flags = FYPCF_QUIET | (json ? FYPCF_JSON_FORCE : FYPCF_JSON_NONE);
    pc.diag = r->diag;
    struct fy_parser *p = fy_parser_create(&pc);
    if (!p)
        abort();
    return p;
}

static void drop_current(doc_reader *r)
{
    if (!r->cur)
        return;
    if (r->cur_parsed)
        fy_parse_document_destroy(r->parser, r->cur);
    else
        fy_document_destroy(r->cur);
    r->cur = NULL;
}

static int read_whole(doc_reader *r, diag_list *diags)
{
    size_t cap = 1 << 16, len = 0;
    struct stat st;
    if (fstat(fileno(r->fp), &st) == 0 && st.st_size > 0)
        cap = (size_t)st.st_size + 1;
    char *buf = malloc(cap);
    if (!buf)
        abort();
    for (;;) {
        if (len + 1 >= cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf)
                abort();
        }
        size_t n = fread(buf + len, 1, cap - 1 - len, r->fp);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(r->fp)) {
        src_loc loc = {r->path, 0, 0};
        diag_error(diags, loc, "read error: %s", strerror(errno));
        free(buf);
        return -1;
    }
    buf[len] = '\0';
    hash_bytes(r, buf, len);
    hash_finish(r);
    r->buf = buf;
    r->len = len;
    return 0;
}

static unsigned node_line(struct fy_node *n)
{
    for (int depth = 0; n && depth < 64; depth++) {
        if (fy_node_is_scalar(n) || fy_node_is_alias(n)) {
            struct fy_token *t = fy_node_get_scalar_token(n);
            const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
            return m ? (unsigned)m->line + 1 : 0;
        }
        void *it = NULL;
        if (fy_node_is_mapping(n)) {
            struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
            n = p ? fy_node_pair_key(p) : NULL;
        } else {
            n = fy_node_sequence_iterate(n, &it);
        }
    }
    return 0;
}

src_loc doc_node_loc(const doc_reader *r, struct fy_node *n)
{
    src_loc loc = {r ? r->path : NULL, 0, 0};
    if (!n)
        return loc;
    struct fy_node *s = n;
    for (int depth = 0; s && !fy_node_is_scalar(s) && !fy_node_is_alias(s) && depth < 64; depth++) {
        void *it = NULL;
        if (fy_node_is_mapping(s)) {
            struct fy_node_pair *p = fy_node_mapping_iterate(s, &it);
            s = p ? fy_node_pair_key(p) : NULL;
        } else {
            s = fy_node_sequence_iterate(s, &it);
        }
    }
    if (!s)
        return loc;
    struct fy_token *t = fy_node_get_scalar_token(s);
    const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
    if (!m)
        return loc;
    loc.line = (unsigned)m->line + 1 + (r ? r->line_offset : 0);
    loc.col = (unsigned)m->column + 1;
    /* libfyaml's mark of a quoted scalar is its first character: point at the quote */
    enum fy_node_style st = fy_node_get_style(s);
    if ((st == FYNS_DOUBLE_QUOTED || st == FYNS_SINGLE_QUOTED) && loc.col > 1)
        loc.col--;
    if (s != n && loc.col > 1 && fy_node_is_mapping(n) && !(r && r->fmt == DOC_MARKDOWN))
        loc.col = 0; /* a collection: the line of its first key */
    return loc;
}

/* a one-document load from the parser; 1 / 0 (none) / -1 (error) */
static int load_from_parser(doc_reader *r, diag_list *diags)
{
    struct fy_document *d = fy_parse_load_document(r->parser);
    if (r->bad_utf8) {
        /* the parser saw a truncated stream: whatever it built is suspect
         * (documents of earlier chunks were returned already; the file is
         * rejected as a whole anyway) */
        if (d)
            fy_parse_document_destroy(r->parser, d);
        diag_error(diags, r->bad_utf8_loc, "%s: %s", doc_format_name(r->fmt), r->bad_utf8_msg);
        return -1;
    }
    if (!d) {
        if (fy_diag_got_error(r->diag) || fy_parser_get_stream_error(r->parser)) {
            report_fy_error(r, diags, "malformed document");
            return -1;
        }
        return 0;
    }
    if (fy_diag_got_error(r->diag)) {
        fy_parse_document_destroy(r->parser, d);
        report_fy_error(r, diags, "malformed document");
        return -1;
    }
    r->cur = d;
    r->cur_parsed = true;
    return 1;
}

/* bytes at the end of buf[0..n) that start a sequence still missing
 * continuation bytes (st->need > 0 after them) */
static size_t utf8_tail(const utf8_state *st, const unsigned char *buf, size_t n)
{
    if (!st->need)
        return 0;
    size_t t = 0;
    while (t < n && t < 3 && (buf[n - 1 - t] & 0xC0) == 0x80)
        t++;
    return t < n ? t + 1 : n;
}

static ssize_t yaml_input(void *user, void *vbuf, size_t count)
{
    doc_reader *r = user;
    unsigned char *buf = vbuf;
    /* Never -1, never a cut sequence at the end: libfyaml 0.7.12 spins
     * forever on either inside a directive ("%" then 0xDE at the end of
     * the file).  The stream just ends and load_from_parser reports why.
     * A sequence cut by the chunk is held back (carry) for the next call. */
    if (r->bad_utf8 || count == 0)
        return 0;
    size_t n = r->ncarry < count ? r->ncarry : count;
    memcpy(buf, r->carry, n);
    memmove(r->carry, r->carry + n, r->ncarry - n);
    r->ncarry -= n;
    size_t m = 0;
    if (n < count) {
        m = fread(buf + n, 1, count - n, r->fp);
        if (m == 0 && ferror(r->fp)) {
            r->bad_utf8 = true;
            r->bad_utf8_msg = "read error";
            r->bad_utf8_loc.file = r->path;
            r->bad_utf8_loc.line = r->stream_line + 1;
            r->bad_utf8_loc.col = 0;
            return 0;
        }
        size_t ok = utf8_feed(&r->utf8, buf + n, m);
        for (const unsigned char *q = buf + n, *e = buf + n + ok; (q = memchr(q, '\n', (size_t)(e - q))) != NULL;
             q++) {
            r->stream_line++;
            r->stream_line_start = r->bytes + (size_t)(q - (buf + n)) + 1;
        }
        bool eof = m == 0 && r->ncarry == 0;
        if (ok < m || (eof && r->utf8.need)) {
            r->bad_utf8 = true;
            r->bad_utf8_msg = ok < m ? "invalid UTF-8 byte" : "invalid UTF-8 (a sequence cut by the end)";
            r->bad_utf8_loc.file = r->path;
            r->bad_utf8_loc.line = r->stream_line + 1;
            r->bad_utf8_loc.col = (unsigned)(r->bytes + ok - r->stream_line_start) + 1;
            hash_bytes(r, buf + n, m);
            n += ok;
            return (ssize_t)(n - utf8_tail(&r->utf8, buf, n)); /* the valid part, no cut sequence */
        }
        hash_bytes(r, buf + n, m);
        n += m;
    }
    if (r->ncarry == 0) {
        size_t t = utf8_tail(&r->utf8, buf, n);
        if (t && t < n) {
            memcpy(r->carry, buf + n - t, t);
            r->ncarry = t;
            n -= t;
        }
    }
    return (ssize_t)n;
}

/* key -> text in map; a key the front matter already sets itself wins */
static struct fy_node *add_text(struct fy_document *d, struct fy_node *map, const char *key, const char *text,
                                size_t len)
{
    if (fy_node_mapping_lookup_by_string(map, key, strlen(key)))
        return NULL;
    struct fy_node *k = fy_node_create_scalar_copy(d, key, strlen(key));
    struct fy_node *v = fy_node_create_scalar_copy(d, text, len);
    /* tagged !!str: a body that reads "null" or "~" stays text */
    if (!k || !v || fy_node_set_tag(v, "!!str", 5) != 0 || fy_node_mapping_append(map, k, v) != 0)
        abort();
    return v;
}

/* the first ATX "# " heading of a Markdown body (outside ``` fences) */
static bool md_title(const char *s, size_t len, const char **out, size_t *out_len)
{
    bool fence = false;
    size_t i = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && s[e] != '\n')
            e++;
        const char *ln = s + i;
        size_t n = e - i;
        if (n && ln[n - 1] == '\r')
            n--;
        size_t k = 0;
        while (k < n && k < 3 && ln[k] == ' ')
            k++;
        if (n - k >= 3 && (!strncmp(ln + k, "```", 3) || !strncmp(ln + k, "~~~", 3))) {
            fence = !fence;
        } else if (!fence && n - k >= 1 && ln[k] == '#' && (n - k == 1 || ln[k + 1] == ' ' || ln[k + 1] == '\t')) {
            size_t a = k + 1, b = n;
            while (a < b && (ln[a] == ' ' || ln[a] == '\t'))
                a++;
            while (b > a && (ln[b - 1] == ' ' || ln[b - 1] == '\t'))
                b--;
            /* closing #s of "# Title ##" */
            size_t c = b;
            while (c > a && ln[c - 1] == '#')
                c--;
            if (c < b && (c == a || ln[c - 1] == ' ' || ln[c - 1] == '\t')) {
                b = c;
                while (b > a && (ln[b - 1] == ' ' || ln[b - 1] == '\t'))
                    b--;
            }
            *out = ln + a;
            *out_len = b - a;
            return true;
        }
        i = e + 1;
    }
    return false;
}

static bool is_delim_line(const char *s, size_t len, size_t at, size_t *next)
{
    if (len - at < 3 || strncmp(s + at, "---", 3) != 0)
        return false;
    size_t i = at + 3;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i < len && s[i] == '\r')
        i++;
    if (i < len && s[i] != '\n')
        return false;
    *next = i < len ? i + 1 : i;
    return true;
}

static int load_markdown(doc_reader *r, diag_list *diags)
{
    const char *s = r->buf;
    size_t len = r->len, body = 0, fm_start = 0, fm_end = 0;
    bool has_fm = false;
    size_t off = 0;
    if (len >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
        off = 3; /* BOM */
    size_t next;
    if (is_delim_line(s, len, off, &next)) {
        fm_start = next;
        size_t i = next;
        while (i <= len) {
            size_t after;
            if (i < len && is_delim_line(s, len, i, &after)) {
                fm_end = i;
                body = after;
                has_fm = true;
                break;
            }
            if (i < len && len - i >= 3 && !strncmp(s + i, "...", 3)) {
                size_t j = i + 3;
                while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r'))
                    j++;
                if (j >= len || s[j] == '\n') {
                    fm_end = i;
                    body = j < len ? j + 1 : j;
                    has_fm = true;
                    break;
                }
            }
            const char *nl = i < len ? memchr(s + i, '\n', len - i) : NULL;
            if (!nl)
                break;
            i = (size_t)(nl - s) + 1;
        }
        if (!has_fm) {
            src_loc loc = {r->path, 1, 1};
            diag_error(diags, loc, "markdown: front matter opened with '---' is never closed");
            return -1;
        }
    } else {
        body = off;
    }
    struct fy_document *d = NULL;
    struct fy_node *root = NULL;
    if (has_fm) {
        /* count lines before the front matter (1, or 1 after a BOM) */
        r->line_offset = 1;
        struct fy_parse_cfg pc;
        memset(&pc, 0, sizeof pc);
        pc.flags = FYPCF_QUIET | FYPCF_JSON_NONE;
        pc.diag = r->diag;
        bool empty = true;
        for (size_t i = fm_start; i < fm_end && empty; i++)
            empty = s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n';
        d = empty ? NULL : fy_document_build_from_string(&pc, s + fm_start, fm_end - fm_start);
        if (!d && !fy_diag_got_error(r->diag)) { /* empty front matter */
            d = fy_document_create(&pc);
            if (!d)
                abort();
        }
        if (!d || fy_diag_got_error(r->diag)) {
            if (d)
                fy_document_destroy(d);
            report_fy_error(r, diags, "malformed front matter");
            return -1;
        }
        root = fy_document_root(d);
        if (root && fy_node_is_null(root) && !fy_node_is_mapping(root))
            root = NULL;
        if (root && !fy_node_is_mapping(root)) {
            src_loc loc = doc_node_loc(r, root);
            if (!loc.line)
                loc.line = 2;
            loc.col = 1;
            diag_error(diags, loc, "markdown: front matter is not a mapping");
            fy_document_destroy(d);
            return -1;
        }
    } else {
        struct fy_parse_cfg pc;
        memset(&pc, 0, sizeof pc);
        pc.flags = FYPCF_QUIET;
        pc.diag = r->diag;
        d = fy_document_create(&pc);
        if (!d)
            abort();
    }
    if (!root) {
        root = fy_node_create_mapping(d);
        if (!root || fy_document_set_root(d, root) != 0)
            abort();
    }
    const char *title;
    size_t title_len;
    add_text(d, root, "$body", s + body, len - body);
    if (md_title(s + body, len - body, &title, &title_len))
        add_text(d, root, "$title", title, title_len);
    r->cur = d;
    r->cur_parsed = false;
    r->doc_line = 1;
    return 1;
}

static int load_text(doc_reader *r)
{
    struct fy_parse_cfg pc;
    memset(&pc, 0, sizeof pc);
    pc.flags = FYPCF_QUIET;
    pc.diag = r->diag;
    struct fy_document *d = fy_document_create(&pc);
    struct fy_node *root = d ? fy_node_create_mapping(d) : NULL;
    if (!root || fy_document_set_root(d, root) != 0)
        abort();
    add_text(d, root, "$body", r->buf, r->len);
    r->cur = d;
    r->cur_parsed = false;
    r->doc_line = 1;
    return 1;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

static int next_ndjson(doc_reader *r, diag_list *diags)
{
    for (;;) {
        ssize_t n = getline(&r->line, &r->line_cap, r->fp);
        if (n < 0) {
            if (ferror(r->fp)) {
                src_loc loc = {r->path, r->lineno + 1, 0};
                diag_error(diags, loc, "read error: %s", strerror(errno));
                return -1;
            }
            hash_finish(r);
            return 0;
        }
        r->lineno++;
        hash_bytes(r, r->line, (size_t)n);
        if (blank(r->line, (size_t)n))
            continue;
        r->line_offset = r->lineno - 1;
        r->doc_line = r->lineno;
        if (check_utf8(r, r->line, (size_t)n, r->lineno, diags))
            return -1;
        if (!r->parser)
            r->parser = new_parser(r, true);
        else
            fy_parser_reset(r->parser);
        if (fy_parser_set_string(r->parser, r->line, (size_t)n) != 0)
            abort();
        int rc = load_from_parser(r, diags);
        if (rc == 1) {
            /* exactly one value per line */
            struct fy_document *extra = fy_parse_load_document(r->parser);
            if (extra || fy_diag_got_error(r->diag)) {
                if (extra)
                    fy_parse_document_destroy(r->parser, extra);
                drop_current(r);
                if (!fy_diag_got_error(r->diag)) {
                    src_loc loc = {r->path, r->lineno, 1};
                    diag_error(diags, loc, "ndjson: more than one value on the line");
                } else {
                    report_fy_error(r, diags, "malformed line");
                }
                return -1;
            }
        } else if (rc == 0) {
            src_loc loc = {r->path, r->lineno, 1};
            diag_error(diags, loc, "ndjson: no value on the line");
            return -1;
        }
        return rc;
    }
}

int doc_next(doc_reader *r, struct fy_document **out, diag_list *diags)
{
    *out = NULL;
    drop_current(r);
    if (r->done)
        return 0;
    int rc = 0;
    switch (r->fmt) {
    case DOC_AUTO: /* resolved in doc_open */
    case DOC_JSON:
        r->done = true;
        if (read_whole(r, diags) != 0 || check_utf8(r, r->buf, r->len, 1, diags))
            return -1;
        r->parser = new_parser(r, true);
        if (fy_parser_set_string(r->parser, r->buf, r->len) != 0)
            abort();
        rc = load_from_parser(r, diags);
        if (rc == 0) {
            src_loc loc = {r->path, 1, 1};
            diag_error(diags, loc, "json: empty file");
            return -1;
        }
        if (rc == 1) {
            struct fy_document *extra = fy_parse_load_document(r->parser);
            if (extra || fy_diag_got_error(r->diag)) {
                if (extra)
                    fy_parse_document_destroy(r->parser, extra);
                drop_current(r);
                report_fy_error(r, diags, "content after the document");
                return -1;
            }
            r->doc_line = node_line(fy_document_root(r->cur));
        }
        break;
    case DOC_YAML:
        if (!r->started) {
            r->started = true;
            r->parser = new_parser(r, false);
            if (fy_parser_set_input_callback(r->parser, r, yaml_input) != 0)
                abort();
        }
        rc = load_from_parser(r, diags);
        if (rc == 1)
            r->doc_line = node_line(fy_document_root(r->cur));
        else {
            r->done = true;
            if (rc == 0) {
                /* the parser has seen the end: hash anything it did not ask for */
                char tmp[8192];
                size_t n;
                while ((n = fread(tmp, 1, sizeof tmp, r->fp)) > 0)
                    hash_bytes(r, tmp, n);
                hash_finish(r);
            }
        }
        break;
    case DOC_NDJSON:
        rc = next_ndjson(r, diags);
        if (rc != 1)
            r->done = true;
        break;
    case DOC_MARKDOWN:
        r->done = true;
        if (read_whole(r, diags) != 0 || check_utf8(r, r->buf, r->len, 1, diags))
            return -1;
        rc = load_markdown(r, diags);
        break;
    case DOC_TEXT:
        r->done = true;
        if (read_whole(r, diags) != 0 || check_utf8(r, r->buf, r->len, 1, diags))
            return -1;
        rc = load_text(r);
        break;
    }
    if (rc == 1)
        *out = r->cur;
    return rc;
}

unsigned doc_line(const doc_reader *r)
{
    return r->doc_line;
}

const char *doc_content_hash(doc_reader *r)
{
    if (r->hash_done)
        return r->hash;
    /* not read to the end yet: hash the file on its own, leaving the stream
     * where it is (the streaming digest is dropped) */
    char out[DIGEST_HEX_LEN + 1];
    digest_ctx *d = digest_new();
    char tmp[65536];
    off_t off = 0;
    int fd = fileno(r->fp);
    for (;;) {
        ssize_t n = pread(fd, tmp, sizeof tmp, off);
        if (n <= 0)
            break;
        digest_update(d, tmp, (size_t)n);
        off += n;
    }
    digest_final_hex(d, out);
    if (r->dg) {
        digest_final_hex(r->dg, r->hash); /* frees it */
        r->dg = NULL;
    }
    memcpy(r->hash, out, sizeof out);
    r->hash_done = true;
    return r->hash;
}

size_t doc_bytes_read(const doc_reader *r)
{
    return r->bytes;
}

void doc_close(doc_reader *r)
{
    if (!r)
        return;
    drop_current(r);
    if (r->parser)
        fy_parser_destroy(r->parser);
    if (r->diag)
        fy_diag_destroy(r->diag);
    if (r->dg) {
        char tmp[DIGEST_HEX_LEN + 1];
        digest_final_hex(r->dg, tmp);
    }
    if (r->fp)
        fclose(r->fp);
    free(r->buf);
    free(r->line);
    free(r->path);
    free(r);
}
