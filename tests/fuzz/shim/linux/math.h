/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XBB_SHIM_MATH_H
#define XBB_SHIM_MATH_H

#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define rounddown(x, y)		((x) - ((x) % (y)))
#define roundup(x, y)		((((x) + ((y) - 1)) / (y)) * (y))

#endif
