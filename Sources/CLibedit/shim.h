// libedit (BSD editline), found through pkg-config (package libedit-dev on Debian).
#include <histedit.h>
