// Everything lives in include/CAtomics.h as static inline functions; SwiftPM needs one source file.
#include "CAtomics.h"
