/*
 * bigstack.c — see bigstack.h.
 */
#include "util/bigstack.h"

#include <pthread.h>

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

int bigstack_run(int (*fn)(void *), void *arg)
{
    bigstack_call call = {fn, arg, 0};
    pthread_attr_t attr;
    pthread_t th;
    if (pthread_attr_init(&attr) != 0)
        return fn(arg);
    int ok = pthread_attr_setstacksize(&attr, BIGSTACK_SIZE) == 0 &&
             pthread_create(&th, &attr, bigstack_thread, &call) == 0;
    pthread_attr_destroy(&attr);
    if (!ok)
        return fn(arg);
    pthread_join(th, NULL);
    return call.rc;
}
