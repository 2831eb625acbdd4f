/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XBB_SHIM_BUILD_BUG_H
#define XBB_SHIM_BUILD_BUG_H

/* The kernel's static_assert(): the message is optional. */
#undef static_assert
#define static_assert(expr, ...) XBB_SHIM_STATIC_ASSERT(expr, ##__VA_ARGS__, #expr)
#define XBB_SHIM_STATIC_ASSERT(expr, msg, ...) _Static_assert(expr, msg)
#define BUILD_BUG_ON(cond)	static_assert(!(cond))

#endif
