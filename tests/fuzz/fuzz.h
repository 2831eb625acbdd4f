/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers shared by the fuzz targets. */
#ifndef XBB_FUZZ_H
#define XBB_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

/* An invariant of the core: its failure is a finding, like a crash. */
#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
			__FILE__, __LINE__, #cond);			\
		abort();						\
	}								\
} while (0)

/* Fills @dst with @src repeated from byte @off on (zeros if @src is empty). */
static inline void fuzz_cycle(void *dst, size_t len, const u8 *src,
			      size_t src_len, size_t off)
{
	u8 *d = dst;
	size_t i;

	for (i = 0; i < len; i++)
		d[i] = src_len ? src[(off + i) % src_len] : 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#endif
