#ifndef ROLLUP_NODE_CZSTD_SHIM_H
#define ROLLUP_NODE_CZSTD_SHIM_H
/* The experimental parameters Scroll's compressor sets (magicless frames, no literal
   compression, a target block size) are declared only under ZSTD_STATIC_LINKING_ONLY; they are
   plain ZSTD_CCtx_setParameter values and work with Debian's shared libzstd. */
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#endif
