#ifndef ROLLUP_NODE_CROCKSDB_SHIM_H
#define ROLLUP_NODE_CROCKSDB_SHIM_H
#include <rocksdb/c.h>
#endif
