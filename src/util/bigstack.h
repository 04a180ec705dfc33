/*
 * bigstack.h — run a function on a thread with a large stack.
 *
 * The PostgreSQL parser, protobuf-c and dbsage's own tree walkers recurse
 * once per nesting level of an expression; a hostile input (a chain of
 * 100,000 `+`) must get a diagnostic, not a stack overflow.  Entry points
 * (the CLI, fuzz targets) run their work through bigstack_run().  The stack
 * is address space only: pages are committed when touched.
 */
#ifndef DBSAGE_BIGSTACK_H
#define DBSAGE_BIGSTACK_H

#define BIGSTACK_SIZE (1024u * 1024u * 1024u)

/* Runs fn(arg) on a BIGSTACK_SIZE thread and returns its result; when no such
 * thread can be created, runs it on the caller's stack. */
int bigstack_run(int (*fn)(void *), void *arg);

/* Runs fn_b(arg_b) on a new BIGSTACK_SIZE thread while fn_a(arg_a) runs on the
 * caller's thread, then waits for both (sequentially when no thread can be
 * created).  The two must not share unsynchronised state. */
void bigstack_run_pair(int (*fn_a)(void *), void *arg_a, int (*fn_b)(void *), void *arg_b);

#endif
