/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XBB_SHIM_UNALIGNED_H
#define XBB_SHIM_UNALIGNED_H

/* Through a packed one-member struct: the compiler assumes no alignment. */
#define get_unaligned(p) \
	(((const struct { __typeof__(*(p)) v; } __attribute__((__packed__)) *)(p))->v)
#define put_unaligned(val, p) \
	(((struct { __typeof__(*(p)) v; } __attribute__((__packed__)) *)(p))->v = (val))

#endif
