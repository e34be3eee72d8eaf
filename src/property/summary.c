/* summary.c — see summary.h. An unreadable stored summary reads as an empty one rather than an
 * error: the summary is derived data, and the view or the event it decorates is still valid. */
#include "property/summary.h"

enum rc summary_load(struct store *s, const char *iguide_id, struct arena *a, json_t **out,
                     struct err *e)
{
    struct manifest_row mr = {0};
    *out = NULL;
    enum rc rc = store_manifest_for_iguide(s, iguide_id, a, &mr, e);
    if (rc != RC_OK && rc != RC_NOTFOUND)
        return rc;
    json_t *j = rc == RC_OK && mr.summary ? json_loads(mr.summary, 0, NULL) : NULL;
    if (!json_is_object(j)) {
        json_decref(j);
        if (!(j = json_pack("{s:[]}", "buildings")))
            return err_set(e, RC_NOMEM, "out of memory");
    }
    *out = j;
    return RC_OK;
}
