// The kernels are inline functions in include/kernels.h; this file gives the target a
// translation unit.
#include "kernels.h"
