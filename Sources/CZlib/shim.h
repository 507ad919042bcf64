// zlib (package zlib1g-dev on Debian): deflate for the store's cold text columns.
#include <zlib.h>
