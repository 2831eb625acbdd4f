/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XBB_SHIM_ERRNO_H
#define XBB_SHIM_ERRNO_H

/* The C library's <errno.h> comes through here too: pass on to the UAPI. */
#include_next <linux/errno.h>

#endif
