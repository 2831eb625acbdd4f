/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake frontend for the KUnit suites: it lays requests into a shared ring
 * page byte by byte, at the offsets the blkif ABIs define, without using the
 * structures under test. A layout mistake in core.h therefore shows up as a
 * decoded field that does not match what was written.
 */
#ifndef XBB_TEST_FRONTEND_H
#define XBB_TEST_FRONTEND_H

#include <kunit/test.h>
#include <linux/string.h>

#include "core.h"
#include "xbb_test_layout.h"

/* Names for test descriptions: on x86_64 "native" is "x86_64-abi" too. */
static const char * const xbb_test_abi_names[] = {
	[XBB_ABI_NATIVE] = "native",
	[XBB_ABI_X86_32] = "x86_32",
	[XBB_ABI_X86_64] = "x86_64",
};

/* What a test asks the fake frontend to put on the ring. */
struct xbb_test_req {
	u8 operation;
	u8 indirect_op;
	u8 discard_flag;
	u16 nr_segments;
	u64 id;
	u64 sector;
	u64 nr_sectors;
	/* Segment 0 bounds when set; others cover whole pages. */
	bool seg0_custom;
	u8 seg0_first, seg0_last;
};

#define XBB_TEST_RING_PAGES	1
#define XBB_TEST_RING_BYTES	(XBB_TEST_RING_PAGES * XBB_XEN_PAGE_SIZE)
#define XBB_TEST_GREF_BASE	100

struct xbb_test_frontend {
	enum xbb_abi abi;
	const struct xbb_test_layout *lay;
	u8 *page;
	struct xbb_back_ring ring;
	RING_IDX req_prod;
};

static inline void xbb_test_put8(u8 *p, size_t off, u8 v)
{
	p[off] = v;
}

static inline void xbb_test_put16(u8 *p, size_t off, u16 v)
{
	put_unaligned(v, (u16 *)(p + off));
}

static inline void xbb_test_put32(u8 *p, size_t off, u32 v)
{
	put_unaligned(v, (u32 *)(p + off));
}

static inline void xbb_test_put64(u8 *p, size_t off, u64 v)
{
	put_unaligned(v, (u64 *)(p + off));
}

static inline void xbb_test_frontend_init(struct kunit *test,
					  struct xbb_test_frontend *fe,
					  enum xbb_abi abi)
{
	fe->abi = abi;
	fe->lay = &xbb_test_layouts[abi];
	fe->page = kunit_kzalloc(test, XBB_TEST_RING_BYTES, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fe->page);
	SHARED_RING_INIT((struct blkif_sring *)fe->page);
	xbb_back_ring_attach(&fe->ring, abi, fe->page, XBB_TEST_RING_BYTES);
	fe->req_prod = 0;
}

/* The slot at @idx, as the frontend addresses it: after the 64-byte header. */
static inline u8 *xbb_test_slot(struct xbb_test_frontend *fe, RING_IDX idx)
{
	unsigned int size = xbb_back_ring_size(&fe->ring);

	return fe->page + 64 + (idx & (size - 1)) * fe->lay->slot;
}

static inline void xbb_test_put_segs(struct xbb_test_frontend *fe, u8 *dst,
				     const struct xbb_test_req *r,
				     unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		u8 *seg = dst + i * sizeof(struct blkif_request_segment);
		bool custom = i == 0 && r->seg0_custom;

		xbb_test_put32(seg, 0, XBB_TEST_GREF_BASE + i);
		xbb_test_put8(seg, 4, custom ? r->seg0_first : 0);
		xbb_test_put8(seg, 5, custom ? r->seg0_last : 7);
	}
}

/* Lays @r into the next request slot and publishes it; returns its index. */
static inline RING_IDX xbb_test_push_req(struct xbb_test_frontend *fe,
					 const struct xbb_test_req *r)
{
	const struct xbb_test_layout *lay = fe->lay;
	RING_IDX idx = fe->req_prod;
	u8 *slot = xbb_test_slot(fe, idx);
	unsigned int direct;

	memset(slot, 0, lay->slot);
	xbb_test_put8(slot, 0, r->operation);
	switch (r->operation) {
	case BLKIF_OP_INDIRECT:
		xbb_test_put8(slot, 1, r->indirect_op);
		xbb_test_put16(slot, 2, r->nr_segments);
		xbb_test_put64(slot, lay->ind_id, r->id);
		xbb_test_put64(slot, lay->ind_sector, r->sector);
		for (direct = 0; direct < BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST;
		     direct++)
			xbb_test_put32(slot, lay->ind_grefs + 4 * direct,
				       1000 + direct);
		break;
	case BLKIF_OP_DISCARD:
		xbb_test_put8(slot, 1, r->discard_flag);
		xbb_test_put64(slot, lay->disc_id, r->id);
		xbb_test_put64(slot, lay->disc_sector, r->sector);
		xbb_test_put64(slot, lay->disc_nr, r->nr_sectors);
		break;
	default:
		/* The wire field is a u8: a count above 255 wraps, as it would. */
		xbb_test_put8(slot, 1, (u8)r->nr_segments);
		xbb_test_put64(slot, lay->rw_id, r->id);
		xbb_test_put64(slot, lay->rw_sector, r->sector);
		direct = min_t(unsigned int, r->nr_segments,
			       BLKIF_MAX_SEGMENTS_PER_REQUEST);
		xbb_test_put_segs(fe, slot + lay->rw_seg, r, direct);
		break;
	}
	fe->req_prod = idx + 1;
	((struct blkif_sring *)fe->page)->req_prod = fe->req_prod;
	return idx;
}

/* A fresh ring of @abi with @r on it, copied off by the code under test. */
static inline void xbb_test_copy_one(struct kunit *test,
				     struct xbb_test_frontend *fe,
				     enum xbb_abi abi,
				     const struct xbb_test_req *r,
				     struct xbb_wire_req *wire)
{
	xbb_test_frontend_init(test, fe, abi);
	xbb_back_ring_copy_req(&fe->ring, xbb_test_push_req(fe, r), wire);
}

/* Fills an indirect page the way a frontend would for request @r. */
static inline void xbb_test_fill_indirect(struct xbb_test_frontend *fe,
					  u8 *page, const struct xbb_test_req *r,
					  unsigned int page_nr)
{
	unsigned int per = XBB_SEGS_PER_INDIRECT_PAGE;
	unsigned int first = page_nr * per;
	unsigned int nr = min_t(unsigned int, r->nr_segments - first, per);
	struct xbb_test_req rest = *r;

	/* Only the very first segment of the request may be custom. */
	rest.seg0_custom = r->seg0_custom && page_nr == 0;
	xbb_test_put_segs(fe, page, &rest, nr);
}

#endif /* XBB_TEST_FRONTEND_H */
