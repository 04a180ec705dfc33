/*
 * diag.c — collecting and printing diagnostics.
 */
#include "util/diag.h"

#include <stdarg.h>
#include <string.h>

void diag_list_init(diag_list *dl, arena *mem)
{
    memset(dl, 0, sizeof *dl);
    dl->mem = mem;
}

static void diag_vadd(diag_list *dl, diag_severity sev, src_loc loc, const char *rule,
                      const char *fmt, va_list ap)
{
    diag d;
    d.severity = sev;
    d.loc = loc;
    d.loc.file = arena_strdup(dl->mem, loc.file);
    d.message = arena_vprintf(dl->mem, fmt, ap);
    d.rule = arena_strdup(dl->mem, rule);
    VEC_PUSH(dl->mem, dl->items, d);
    if (sev == DIAG_ERROR)
        dl->n_errors++;
    else if (sev == DIAG_WARNING)
        dl->n_warnings++;
}

void diag_add(diag_list *dl, diag_severity sev, src_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(dl, sev, loc, NULL, fmt, ap);
    va_end(ap);
}

void diag_add_rule(diag_list *dl, diag_severity sev, src_loc loc, const char *rule,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(dl, sev, loc, rule, fmt, ap);
    va_end(ap);
}

bool diag_has_errors(const diag_list *dl)
{
    return dl->n_errors > 0;
}

const char *diag_severity_name(diag_severity sev)
{
    switch (sev) {
    case DIAG_ERROR: return "error";
    case DIAG_WARNING: return "warning";
    default: return "note";
    }
}

void diag_print_one(FILE *out, const diag *d, bool color)
{
    static const char *colors[] = {"\033[1;36m", "\033[1;35m", "\033[1;31m"};
    if (d->loc.file) {
        if (d->loc.line)
            fprintf(out, "%s:%u:%u: ", d->loc.file, d->loc.line, d->loc.col ? d->loc.col : 1);
        else
            fprintf(out, "%s: ", d->loc.file);
    } else {
        fputs("dbsage: ", out);
    }
    if (color)
        fprintf(out, "%s%s:\033[0m ", colors[d->severity], diag_severity_name(d->severity));
    else
        fprintf(out, "%s: ", diag_severity_name(d->severity));
    fputs(d->message, out);
    if (d->rule)
        fprintf(out, " [%s]", d->rule);
    fputc('\n', out);
}

void diag_print(FILE *out, const diag_list *dl, bool color)
{
    for (size_t i = 0; i < dl->items.n; i++)
        diag_print_one(out, &dl->items.v[i], color);
}

src_loc src_loc_at(const char *file, const char *text, size_t off)
{
    src_loc loc = {file, 1, 1};
    for (size_t i = 0; i < off && text[i]; i++) {
        if (text[i] == '\n') {
            loc.line++;
            loc.col = 1;
        } else {
            loc.col++;
        }
    }
    return loc;
}

void line_index_build(line_index *li, arena *mem, const char *file, const char *text, size_t len)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            n++;
    li->file = file;
    li->n = n;
    li->starts = arena_alloc(mem, n * sizeof(size_t));
    size_t k = 0;
    li->starts[k++] = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            li->starts[k++] = i + 1;
}

src_loc line_index_loc(const line_index *li, size_t off)
{
    size_t lo = 0, hi = li->n;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (li->starts[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    src_loc loc = {li->file, (unsigned)(lo + 1), (unsigned)(off - li->starts[lo] + 1)};
    return loc;
}
