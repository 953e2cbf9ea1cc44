/* A PKCS#11 module that misbehaves on purpose: C_Initialize crashes or hangs, or starts
 * a "helper" that leaves the child's session to outlive it.
 * Built by the tests with the machine's gcc: -DMODE_CRASH, -DMODE_HANG, -DMODE_SETSID
 * (a child that calls setsid() and lingers) or -DMODE_DAEMON (fork, setsid, fork again:
 * the grandchild is orphaned, in a session of its own). The helper's pid goes to the file
 * named by $DW_TEST_PIDFILE before C_Initialize returns. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(MODE_SETSID) || defined(MODE_DAEMON)
static void note_pid(pid_t pid) {
    const char *where = getenv("DW_TEST_PIDFILE");
    FILE *f = where ? fopen(where, "w") : NULL;
    if (f) {
        fprintf(f, "%d\n", (int)pid);
        fclose(f);
    }
}

static void linger(void) {
    for (int fd = 0; fd < 1024; fd++) close(fd); /* a daemon lets go of every pipe */
    for (;;) sleep(60);
}
#endif

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
#ifdef MODE_SETSID
    pid_t helper = fork();
    if (helper == 0) {
        setsid();
        linger();
    }
    note_pid(helper);
#endif
#ifdef MODE_DAEMON
    pid_t middle = fork();
    if (middle == 0) {
        setsid();
        pid_t daemon = fork();
        if (daemon == 0) linger();
        note_pid(daemon);
        _exit(0);
    }
    waitpid(middle, NULL, 0);
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
