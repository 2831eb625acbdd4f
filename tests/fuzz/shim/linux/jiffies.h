/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XBB_SHIM_JIFFIES_H
#define XBB_SHIM_JIFFIES_H

/* Wrap-safe comparisons of tick counts, as the kernel defines them. */
#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)

#endif
