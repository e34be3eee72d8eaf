/* version.h — the release's version, for `guidepost version` and the User-Agent of outgoing
 * requests (webhooks); a build may set it with -DGUIDEPOST_VERSION=... */
#ifndef GP_VERSION_H
#define GP_VERSION_H

#ifndef GUIDEPOST_VERSION
#define GUIDEPOST_VERSION "0.1.0"
#endif

#endif
