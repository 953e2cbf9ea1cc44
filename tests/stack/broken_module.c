/* A PKCS#11 module that misbehaves on purpose: C_Initialize crashes or hangs.
 * Built by the tests with the machine's gcc: -DMODE_CRASH or -DMODE_HANG. */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

typedef unsigned long CK_RV;
typedef struct { unsigned char major, minor; } CK_VERSION;
typedef struct { CK_VERSION version; void *fn[68]; } CK_FUNCTION_LIST;

static CK_RV not_supported(void) { return 0x54; /* CKR_FUNCTION_NOT_SUPPORTED */ }

static CK_RV initialize(void *args) {
    (void)args;
#ifdef MODE_CRASH
    raise(SIGSEGV);
#endif
#ifdef MODE_HANG
    for (;;) sleep(60);
#endif
    return 0;
}

static CK_FUNCTION_LIST table;

CK_RV C_GetFunctionList(CK_FUNCTION_LIST **list) {
    table.version.major = 2;
    table.version.minor = 20;
    table.fn[0] = (void *)initialize;
    for (int i = 1; i < 68; i++) table.fn[i] = (void *)not_supported;
    *list = &table;
    return 0;
}
