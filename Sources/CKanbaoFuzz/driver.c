// SwiftPM gives every executable its own entry point (it renames `main`), so libFuzzer's
// own main cannot be used; its documented alternative, LLVMFuzzerRunDriver, is called
// from ours instead. The reference is weak: in a build without -sanitize=fuzzer the
// symbol is absent and kb_run_fuzzer says so.
#include "kb_fuzz.h"

extern int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size))
    __attribute__((weak));

int kb_run_fuzzer(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size)) {
    if (!LLVMFuzzerRunDriver) return -1;
    return LLVMFuzzerRunDriver(argc, argv, callback);
}
