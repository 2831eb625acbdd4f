/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XBB_SHIM_COMPILER_H
#define XBB_SHIM_COMPILER_H

#include <linux/build_bug.h>
#include <linux/types.h>

#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
/* One load the compiler may neither tear, repeat nor drop. */
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))

#endif
