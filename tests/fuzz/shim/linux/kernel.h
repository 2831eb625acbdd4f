/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XBB_SHIM_KERNEL_H
#define XBB_SHIM_KERNEL_H

#include <linux/compiler.h>
#include <linux/limits.h>
#include <linux/math.h>
#include <linux/types.h>

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define min(a, b)		((a) < (b) ? (a) : (b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define min3(a, b, c)		min(min(a, b), c)
#define max3(a, b, c)		max(max(a, b), c)
#define min_t(t, a, b)		min((t)(a), (t)(b))
#define max_t(t, a, b)		max((t)(a), (t)(b))

int kstrtouint(const char *s, unsigned int base, unsigned int *res);

#endif
