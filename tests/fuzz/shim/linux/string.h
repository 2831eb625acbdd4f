/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XBB_SHIM_STRING_H
#define XBB_SHIM_STRING_H

#include <stdio.h>
#include <string.h>
#include <sys/types.h>

ssize_t strscpy(char *dst, const char *src, size_t size);

#endif
