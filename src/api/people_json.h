/* people_json.h — the JSON shapes of viewer accounts and viewer groups, shared by the Portal API
 * and the CLI so both show them the same way. Password hashes never appear. */
#ifndef GP_PEOPLE_JSON_H
#define GP_PEOPLE_JSON_H

#include "store/people.h"

#include <jansson.h>

/* {"id","email","isOperator","disabled","createdAt","updatedAt"} */
json_t *obj_user(const struct user_row *u);

/* {"id","name","memberCount","createdAt","updatedAt"} plus "members": [{"id","email"}] when
 * members is non-NULL. */
json_t *obj_group(const struct group_row *g, const struct user_row *members, size_t n);

#endif
