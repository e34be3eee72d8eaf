/* expiry.h — the viewer's view of the expiry rule, which lives in core/view_expiry.h (shared with
 * the webhook janitor that reports view.expired). */
#ifndef GP_EXPIRY_H
#define GP_EXPIRY_H

#include "core/view_expiry.h"

#endif
