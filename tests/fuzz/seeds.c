// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writes the fuzz targets' seed corpora: for the ring, one well-formed
 * request of every operation in every ABI, laid out by the same offset
 * table as the KUnit fake frontend (tests/xbb_test_layout.h); for the
 * negotiation, the keys a stock blkfront and the hotplug script write;
 * for the grant cache, a short life of a few grants.
 *
 *   seeds DIR   creates DIR/ring, DIR/negotiate and DIR/pgrant
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core.h"
#include "xbb_test_layout.h"

static void put(u8 *p, size_t off, u64 v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[off + i] = v >> (8 * i);
}

static void save(const char *dir, const char *target, const char *name,
		 const u8 *buf, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, target);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", dir, target, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* Header (fuzz_ring.c): ABI, one page, every feature, 256 indirect
 * segments, 512-byte blocks, 2^20 sectors, one request on the ring.
 */
static size_t ring_header(u8 *b, enum xbb_abi abi)
{
	b[0] = abi;
	b[1] = 0xfe;
	b[2] = 20 << 2;
	b[3] = 1;
	b[4] = 1;
	b[5] = 0;
	b[6] = 0;
	b[7] = 1;
	return 8;
}

static void ring_seed(const char *dir, enum xbb_abi abi, const char *name,
		      u8 op, u8 inner, u16 nr, u64 sector)
{
	const struct xbb_test_layout *lay = &xbb_test_layouts[abi];
	static u8 buf[8 + 2 * 4096];
	u8 *slot = buf + 8, *ind;
	size_t half = op == BLKIF_OP_INDIRECT ? 4096 : lay->slot;
	char fname[64];
	unsigned int i;

	memset(buf, 0, sizeof(buf));
	ring_header(buf, abi);
	ind = slot + half;
	slot[0] = op;
	switch (op) {
	case BLKIF_OP_DISCARD:
		put(slot, lay->disc_id, 7, 8);
		put(slot, lay->disc_sector, sector, 8);
		put(slot, lay->disc_nr, 64, 8);
		break;
	case BLKIF_OP_INDIRECT:
		slot[1] = inner;
		put(slot, 2, nr, 2);
		put(slot, lay->ind_id, 7, 8);
		put(slot, lay->ind_sector, sector, 8);
		put(slot, lay->ind_grefs, 200, 4);
		for (i = 0; i < nr; i++) {
			put(ind, i * 8, 300 + i, 4);
			ind[i * 8 + 4] = 0;
			ind[i * 8 + 5] = 7;
		}
		break;
	default:
		slot[1] = nr;
		put(slot, lay->rw_id, 7, 8);
		put(slot, lay->rw_sector, sector, 8);
		for (i = 0; i < nr; i++) {
			put(slot, lay->rw_seg + i * 8, 100 + i, 4);
			slot[lay->rw_seg + i * 8 + 4] = 0;
			slot[lay->rw_seg + i * 8 + 5] = 7;
		}
		break;
	}
	snprintf(fname, sizeof(fname), "%d-%s", abi, name);
	save(dir, "ring", fname, buf, 8 + 2 * half);
}

static void ring_seeds(const char *dir)
{
	enum xbb_abi abi;

	for (abi = XBB_ABI_NATIVE; abi <= XBB_ABI_X86_64; abi++) {
		ring_seed(dir, abi, "read1", BLKIF_OP_READ, 0, 1, 0);
		ring_seed(dir, abi, "write11", BLKIF_OP_WRITE, 0, 11, 1000);
		ring_seed(dir, abi, "write-last", BLKIF_OP_WRITE, 0, 1, (1 << 20) - 8);
		ring_seed(dir, abi, "flush0", BLKIF_OP_FLUSH_DISKCACHE, 0, 0, 0);
		ring_seed(dir, abi, "barrier1", BLKIF_OP_WRITE_BARRIER, 0, 1, 8);
		ring_seed(dir, abi, "discard", BLKIF_OP_DISCARD, 0, 0, 4096);
		ring_seed(dir, abi, "ind-read32", BLKIF_OP_INDIRECT,
			  BLKIF_OP_READ, 32, 0);
		ring_seed(dir, abi, "ind-write256", BLKIF_OP_INDIRECT,
			  BLKIF_OP_WRITE, 256, 2048);
		ring_seed(dir, abi, "unknown", 200, 0, 1, 0);
	}
}

static void negotiate_seed(const char *dir, const char *name, u8 queues,
			   u8 order, const char *protocol, const char *phys)
{
	u8 buf[128] = { queues, 0, 0, 0, 0, order, 3, 4, 4, 16, order, 1 };
	size_t len = 12;

	len += snprintf((char *)buf + len, sizeof(buf) - len, "%s", protocol) + 1;
	len += snprintf((char *)buf + len, sizeof(buf) - len, "%s", phys) + 1;
	save(dir, "negotiate", name, buf, len);
}

static void pgrant_seeds(const char *dir)
{
	/* add 1, add 2, put, put, get 1, add 1 (duplicate), evict all... */
	static const u8 life[] = {
		0, 0, 0, 0,
		1, 1, 0,  1, 2, 0,  2, 0, 0,  2, 0, 1,  0, 1, 0,  1, 1, 0,
		2, 0, 3,  3, 1, 0x10,  3, 1, 0x10,  3, 0, 0xff,
	};
	u8 wrap[sizeof(life)];

	save(dir, "pgrant", "life", life, sizeof(life));
	memcpy(wrap, life, sizeof(life));
	wrap[0] = 1;
	wrap[1] = 0;
	wrap[2] = 3;
	save(dir, "pgrant", "life-at-wrap", wrap, sizeof(wrap));
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	mkdir(argv[1], 0755);
	ring_seeds(argv[1]);
	negotiate_seed(argv[1], "x86_64-q2-o2", 2, 2, "x86_64-abi", "fd:0");
	negotiate_seed(argv[1], "x86_32-q1", 1, 0, "x86_32-abi", "7:3");
	negotiate_seed(argv[1], "absent", 1, 0, "-", "0x103:0x1f");
	pgrant_seeds(argv[1]);
	return 0;
}
