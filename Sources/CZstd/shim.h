// Zstandard (package libzstd-dev on Debian): compression for the store's cold text columns.
#include <zstd.h>
