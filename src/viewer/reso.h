/* reso.h — the RESO Autofill answer of a view (portal-api.md §6.7): RESO Data Dictionary 1.7
 * Property fields computed from the view's §6.6 summary (areas in mm²) and its iGUIDE's address,
 * with the tours and floor-plan PDFs as Media. The field choices are in docs/viewer.md. */
#ifndef GP_RESO_H
#define GP_RESO_H

#include "store/store.h"

#include <jansson.h>

#define RESO_CONTEXT "urn:reso:metadata:1.7:resource:property"

struct reso_input {
    const struct address *addr;
    const char *meas_std;          /* "ansi" (square feet) or "rms" (square metres) */
    const json_t *summary;         /* {"buildings":[…]} or NULL when not ready */
    const char *tour_url;          /* the view page, absolute */
    const char *embed_url;         /* the chrome-less embed, absolute */
    const char *doc_base;          /* absolute prefix of the view's /doc/ URLs, no trailing '/' */
    const char *const *pdfs;       /* floor-plan PDF deliverable names */
    size_t npdfs;
};

/* {"@reso.context": RESO_CONTEXT, "value": [<one Property>]}; a new reference, NULL when out of
 * memory. Areas are the main building's (the first), rounded to 2 decimals. */
json_t *reso_autofill(const struct reso_input *in);

#endif
