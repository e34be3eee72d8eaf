/* test_s3_ids.c — multipart upload ids: 32 base64url characters, all different, and never
 * beginning with '-' or '_' (a command line would read "--upload-id -x..." as an option: the AWS CLI
 * then fails with "expected one argument"). With 20 000 draws an id starting with '-' would appear
 * about 300 times if the first character were left to chance. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "s3/s3_int.h"

static void t_upload_ids(void **state)
{
    (void)state;
    char prev[S3_UPLOAD_ID_MAX] = "";
    for (int i = 0; i < 20000; i++) {
        char id[S3_UPLOAD_ID_MAX];
        assert_int_equal(s3_upload_id_new(id), 0);
        assert_int_equal(strlen(id), 32);
        assert_int_equal(strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), 32);
        assert_true(id[0] != '-' && id[0] != '_');
        assert_string_not_equal(id, prev);
        memcpy(prev, id, sizeof id);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_upload_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
