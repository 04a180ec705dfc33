/* emit_stub.c — STUB, replaced by the emitters. */
#include "emit/emit.h"
void emit_sql(strbuf *out, catalog *cat, const emit_opts *opts) { (void)cat; (void)opts; strbuf_adds(out, "-- emitter not built\n"); }
void emit_json(strbuf *out, catalog *cat, const emit_opts *opts) { (void)cat; (void)opts; strbuf_adds(out, "{}\n"); }
void emit_markdown(strbuf *out, catalog *cat, const emit_opts *opts) { (void)cat; (void)opts; strbuf_adds(out, "# schema\n"); }
