/* addons.h — additional work orders ("WorkOrderCreate"; the order-additional-services tutorial,
 * portal-api.md §5.3): the task types, which packages may order them, and the package an upgrade
 * leads to. Pure rules, one table. */
#ifndef GP_ADDONS_H
#define GP_ADDONS_H

#include "core/rc.h"

/* Checks that an iGUIDE whose effective package is `package` (its type, or the target of an
 * upgrade already ordered) may order task_type. RC_INVALID for an unknown task type (listing the
 * known ones), RC_PRECONDITION with the reason for a rule it breaks. */
enum rc addon_check(const char *package, const char *task_type, struct err *e);

/* The package an upgrade task leads to ("premium" for premium-upgrade), or NULL when task_type
 * is not an upgrade. */
const char *addon_upgrade_target(const char *task_type);

/* The task types in documented order, NULL-terminated. */
extern const char *const addon_task_types[];

#endif
