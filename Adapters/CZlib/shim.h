#ifndef AUTOMAGIK_CZLIB_SHIM_H
#define AUTOMAGIK_CZLIB_SHIM_H
#include <zlib.h>
#endif
