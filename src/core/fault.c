/* fault.c — each point is a countdown of calls; the call that takes it from 1 to 0 fails, and a
 * persistent point stays tripped so later calls fail as well (SQLite's "benign" mode: it proves
 * the error path itself does not depend on the failed resource). Atomics, because arenas, store
 * connections and blob writers live on many threads. */
#include "core/fault.h"

struct point {
    atomic_long left;       /* calls until the failing one; 0 = not counting */
    atomic_int persist;
    atomic_int tripped;     /* a persistent point that has failed once fails from then on */
    atomic_long failures;
};

atomic_int fault_armed_any;
static struct point points[FAULT__COUNT];

static int valid(enum fault_point p)
{
    return (unsigned)p < FAULT__COUNT;
}

void fault_arm(enum fault_point p, long nth, int persist)
{
    if (!valid(p))
        return;
    struct point *pt = &points[p];
    atomic_store(&pt->tripped, 0);
    atomic_store(&pt->failures, 0);
    atomic_store(&pt->persist, persist != 0);
    atomic_store(&pt->left, nth > 0 ? nth : 0);
    if (nth > 0)
        atomic_store(&fault_armed_any, 1);
}

void fault_disarm_all(void)
{
    atomic_store(&fault_armed_any, 0);
    for (int i = 0; i < FAULT__COUNT; i++) {
        atomic_store(&points[i].left, 0);
        atomic_store(&points[i].tripped, 0);
        atomic_store(&points[i].persist, 0);
        atomic_store(&points[i].failures, 0);
    }
}

long fault_failures(enum fault_point p)
{
    return valid(p) ? atomic_load(&points[p].failures) : 0;
}

int fault_hit_armed(enum fault_point p)
{
    if (!valid(p))
        return 0;
    struct point *pt = &points[p];
    if (atomic_load(&pt->tripped)) {
        atomic_fetch_add(&pt->failures, 1);
        return 1;
    }
    long left = atomic_load(&pt->left);
    while (left > 0) {
        if (atomic_compare_exchange_weak(&pt->left, &left, left - 1)) {
            if (left != 1)
                return 0;
            if (atomic_load(&pt->persist))
                atomic_store(&pt->tripped, 1);
            atomic_fetch_add(&pt->failures, 1);
            return 1;
        }
    }
    return 0;
}
