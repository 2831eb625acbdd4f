/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace stand-ins for the kernel headers the pure core includes, so
 * that abi.c, request.c, negotiate.c and pgrant.c build unchanged under
 * libFuzzer (tests/fuzz/). Only what the core uses, defined from the C
 * library and compiler builtins.
 */
#ifndef XBB_SHIM_TYPES_H
#define XBB_SHIM_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#endif
