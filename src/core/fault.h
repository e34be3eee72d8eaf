/* fault.h — fault injection for unit tests, in the manner of SQLite's test-control fault
 * installation: a named point fails its Nth call from the moment it is armed (and, on request,
 * every call after that), so a test can walk an operation through each of its failures in turn
 * and check that each one ends in a clean error and no partial state. Only tests arm points:
 * nothing reachable from a request, a command line or the environment calls fault_arm. Disarmed,
 * a point costs one relaxed atomic load. */
#ifndef GP_FAULT_H
#define GP_FAULT_H

#include <stdatomic.h>

enum fault_point {
    FAULT_ALLOC,        /* arena_new / arena_alloc return NULL (out of memory) */
    FAULT_STORE_STEP,   /* a store statement (step, or exec of BEGIN/COMMIT/DDL) fails: disk I/O error */
    FAULT_BLOB_WRITE,   /* blob_write's write(2) fails with EIO */
    FAULT_BLOB_COMMIT,  /* blob_commit's fsync(2), then its rename(2), fail with EIO */
    FAULT__COUNT
};

/* Non-zero while any point is armed; read by fault_hit only. */
extern atomic_int fault_armed_any;

/* Arms p: its nth call from now fails (nth >= 1; 0 disarms p); with persist, every later call
 * fails too. Re-arming a point resets its counters. Test code only. */
void fault_arm(enum fault_point p, long nth, int persist);

/* Disarms every point and clears the counters. */
void fault_disarm_all(void);

/* How many calls of p failed since it was last armed. */
long fault_failures(enum fault_point p);

/* 1 when this call of p must fail (counts the call against an armed point). */
int fault_hit_armed(enum fault_point p);

/* 1 when this call of p must fail. The disarmed fast path is one relaxed load. */
static inline int fault_hit(enum fault_point p)
{
    if (__builtin_expect(!atomic_load_explicit(&fault_armed_any, memory_order_relaxed), 1))
        return 0;
    return fault_hit_armed(p);
}

#endif
