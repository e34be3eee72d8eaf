/* integrations.c — POST /api/v1/integrations/test ("Your first iGUIDE" tutorial, Step 2):
 * answers {"appId": <the App ID>} for any valid credential. */
#include "api/api_int.h"

struct resp *h_integrations_test(struct api_call *c)
{
    return reply_json(c->r, 200, json_pack("{s:s}", "appId", c->who.app_id));
}
