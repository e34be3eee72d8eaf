/* summary.h — the stored §6.6 view summary of an iGUIDE (portal-api.md §6.6), as the viewer's
 * data API and the ready webhook both report it: what processing drafted for the initial work
 * order, or {"buildings":[]} while there is none. */
#ifndef GP_SUMMARY_H
#define GP_SUMMARY_H

#include "core/arena.h"
#include "core/rc.h"
#include "store/store.h"

#include <jansson.h>

/* The summary of the iGUIDE's initial work order into *out (a new reference): the stored JSON
 * object, or {"buildings":[]} when there is no manifest, no summary yet or the stored text is not
 * an object. RC_NOMEM, or the store's error (then *out is NULL). */
enum rc summary_load(struct store *s, const char *iguide_id, struct arena *a, json_t **out,
                     struct err *e);

#endif
