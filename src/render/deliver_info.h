/* deliver_info.h — what every renderer is told about the property besides its geometry: kept
 * apart from deliver.h so a renderer (plans, DXF, IFC, exchange formats) does not depend on the
 * module that orchestrates them. */
#ifndef GP_DELIVER_INFO_H
#define GP_DELIVER_INFO_H

struct deliver_info {
    const char *title;           /* the property's address, one line */
    const char *iguide_id;
};

#endif
