/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XBB_SHIM_KCONFIG_H
#define XBB_SHIM_KCONFIG_H

/*
 * IS_ENABLED(CONFIG_FOO): 1 when the build defines CONFIG_FOO as 1, 0 when
 * it does not define it. A defined option pastes into a name that expands
 * to "0," and shifts the 1 into the selected position.
 */
#define XBB_SHIM_ONE_1			0,
#define XBB_SHIM_SECOND(a, b, ...)	b
#define XBB_SHIM_PICK(junk)		XBB_SHIM_SECOND(junk 1, 0, 0)
#define XBB_SHIM_PASTE(v)		XBB_SHIM_PICK(XBB_SHIM_ONE_##v)
#define XBB_SHIM_DEFINED(v)		XBB_SHIM_PASTE(v)
#define IS_ENABLED(option)		XBB_SHIM_DEFINED(option)

#endif
