/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XBB_SHIM_GRANT_TABLE_H
#define XBB_SHIM_GRANT_TABLE_H

#include <linux/types.h>

/* The two grant types the blkif and core headers use (Xen's public ABI). */
typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;

#endif
