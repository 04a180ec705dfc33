/*
 * bigstack.c — see bigstack.h.
 */
#include "util/bigstack.h"

#include <pthread.h>
#include <stdbool.h>

typedef struct bigstack_call {
    int (*fn)(void *);
    void *arg;
    int rc;
} bigstack_call;

static void *bigstack_thread(void *p)
{
    bigstack_call *c = p;
    c->rc = c->fn(c->arg);
    return NULL;
}

/* start fn on a big-stack thread; false when that is impossible */
static bool bigstack_start(pthread_t *th, bigstack_call *call)
{
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0)
        return false;
    bool ok = pthread_attr_setstacksize(&attr, BIGSTACK_SIZE) == 0 &&
              pthread_create(th, &attr, bigstack_thread, call) == 0;
    pthread_attr_destroy(&attr);
    return ok;
}

int bigstack_run(int (*fn)(void *), void *arg)
{
    bigstack_call call = {fn, arg, 0};
    pthread_t th;
    if (!bigstack_start(&th, &call))
        return fn(arg);
    pthread_join(th, NULL);
    return call.rc;
}

void bigstack_run_pair(int (*fn_a)(void *), void *arg_a, int (*fn_b)(void *), void *arg_b)
{
    bigstack_call call = {fn_b, arg_b, 0};
    pthread_t th;
    bool threaded = bigstack_start(&th, &call);
    fn_a(arg_a);
    if (threaded)
        pthread_join(th, NULL);
    else
        fn_b(arg_b);
}
