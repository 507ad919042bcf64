#ifndef KB_FUZZ_H
#define KB_FUZZ_H
#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer's driver with this callback when the binary was linked with
/// -sanitize=fuzzer; returns -1 when it was not.
int kb_run_fuzzer(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
