/* password.h — account passwords, hashed with argon2id (libargon2) in the PHC encoded form, which
 * carries the salt and the parameters, so raising the parameters later leaves old hashes valid.
 * Parameters: 2 passes over 19 MiB with 1 lane (the OWASP Password Storage baseline for
 * argon2id), a 16-byte random salt and a 32-byte tag. */
#ifndef GP_PASSWORD_H
#define GP_PASSWORD_H

#include "core/arena.h"
#include "core/rc.h"

#define PASSWORD_T_COST 2
#define PASSWORD_M_COST_KIB 19456
#define PASSWORD_PARALLELISM 1
#define PASSWORD_SALT_LEN 16
#define PASSWORD_HASH_LEN 32
#define PASSWORD_MIN 8
#define PASSWORD_MAX 1024
#define PASSWORD_GENERATED_LEN 20   /* characters of a generated password (~119 bits) */

/* Hashes pw into a new encoded string in a. RC_INVALID when pw is shorter than PASSWORD_MIN or
 * longer than PASSWORD_MAX bytes. */
enum rc password_hash(const char *pw, struct arena *a, const char **encoded, struct err *e);

/* 1 when pw matches the encoded hash, 0 otherwise (a malformed hash included). libargon2
 * compares the tags in constant time. With encoded NULL a fixed dummy hash is checked, so an
 * unknown account costs as much time as a known one. */
int password_verify(const char *encoded, const char *pw);

/* A random password of PASSWORD_GENERATED_LEN characters from an unambiguous alphabet into out
 * (PASSWORD_GENERATED_LEN + 1 bytes); 0 or -1. */
int password_generate(char out[PASSWORD_GENERATED_LEN + 1]);

#endif
