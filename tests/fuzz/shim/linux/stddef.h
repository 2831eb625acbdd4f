/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XBB_SHIM_STDDEF_H
#define XBB_SHIM_STDDEF_H

#include_next <linux/stddef.h>
#include <stddef.h>

#endif
