/* addons.c — the package rules of §5.3. The Radix upgrade task names were not captured from the
 * platform's documents; Guidepost names them standard-upgrade and premium-upgrade (recorded in
 * docs/api.md). The proprietary deliverables are produced in their nearest open equivalent. */
#include "pipeline/addons.h"

#include <stdio.h>
#include <string.h>

enum pkg { P_STANDARD = 1, P_PREMIUM = 2, P_RADIX = 4, P_PHOTOS = 8 };

static const struct {
    const char *task;
    unsigned allowed;          /* packages that may order it directly */
    const char *needs;         /* what to do otherwise */
    const char *upgrade_to;
} table[] = {
    {"dwg-init", P_STANDARD | P_PREMIUM, "a Radix iGUIDE must be upgraded to Standard or Premium first",
     NULL},
    {"rvt-init", P_PREMIUM, "a 3D model needs a Premium iGUIDE: order premium-upgrade first", NULL},
    {"esx-init", P_STANDARD | P_PREMIUM, "a Radix iGUIDE must be upgraded to Standard or Premium first",
     NULL},
    {"corelogic-fml", P_STANDARD | P_PREMIUM,
     "a Radix iGUIDE must be upgraded to Standard or Premium first", NULL},
    {"siteplan", P_STANDARD | P_PREMIUM, "site plans are for Standard and Premium iGUIDEs", NULL},
    {"premium-upgrade", P_STANDARD | P_RADIX, "the iGUIDE is already Premium", "premium"},
    {"standard-upgrade", P_RADIX, "only a Radix iGUIDE can be upgraded to Standard", "standard"},
};

#define N_TASKS (sizeof table / sizeof table[0])

const char *const addon_task_types[] = {"dwg-init",  "rvt-init",        "esx-init",
                                        "corelogic-fml", "siteplan", "premium-upgrade",
                                        "standard-upgrade", NULL};

static int find(const char *task)
{
    for (size_t i = 0; i < N_TASKS; i++)
        if (strcmp(table[i].task, task) == 0)
            return (int)i;
    return -1;
}

static unsigned pkg_bit(const char *package)
{
    if (strcmp(package, "standard") == 0)
        return P_STANDARD;
    if (strcmp(package, "premium") == 0)
        return P_PREMIUM;
    if (strcmp(package, "radix") == 0)
        return P_RADIX;
    if (strcmp(package, "photos") == 0)
        return P_PHOTOS;
    return 0;
}

enum rc addon_check(const char *package, const char *task_type, struct err *e)
{
    int i = find(task_type);
    if (i < 0) {
        char list[200] = "";
        size_t n = 0;
        for (size_t k = 0; k < N_TASKS && n < sizeof list; k++)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", k ? ", " : "", table[k].task);
        return err_set(e, RC_INVALID, "taskType must be one of: %s", list);
    }
    unsigned p = pkg_bit(package);
    /* "Photos iGUIDEs cannot have additional work orders." */
    if (p == P_PHOTOS)
        return err_set(e, RC_PRECONDITION, "Photos iGUIDEs cannot have additional work orders");
    if (!(table[i].allowed & p))
        return err_set(e, RC_PRECONDITION, "%s: %s", task_type, table[i].needs);
    return RC_OK;
}

const char *addon_upgrade_target(const char *task_type)
{
    int i = find(task_type);
    return i < 0 ? NULL : table[i].upgrade_to;
}

