// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: a shared ring of any ABI, filled by the fuzzer, run
 * through the core as the data path runs it: producer index, slot copies,
 * parse, indirect pages, segment checks, responses. Each verdict is
 * compared with an independent model of the protocol's rules, so a check
 * that is missing or wrong shows as a crash, not only a memory error.
 *
 * Input: an 8-byte header (ABI, ring pages, limits, disk size, index
 * offsets), then bytes for the ring slots, then bytes for indirect pages;
 * short inputs are cycled.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "core.h"
#include "fuzz.h"

/* What the protocol says about one request, worked out from scratch. */
static int model_verdict(const struct xbb_wire_req *w,
			 const struct xbb_vbd_limits *lim,
			 const struct xbb_seg *segs, unsigned int max_segs)
{
	unsigned int spb = lim->logical_block_size >> 9 ?: 1;
	unsigned int nr = w->nr_segments, i, op = w->operation;
	u64 total = 0, start = w->sector_number;
	bool write, flushes = false;

	switch (op) {
	case BLKIF_OP_READ:
		write = false;
		break;
	case BLKIF_OP_WRITE:
		write = true;
		break;
	case BLKIF_OP_FLUSH_DISKCACHE:
	case BLKIF_OP_WRITE_BARRIER:
		if (!(op == BLKIF_OP_FLUSH_DISKCACHE ? lim->flush : lim->barrier))
			return -EOPNOTSUPP;
		write = true;
		flushes = true;
		break;
	case BLKIF_OP_DISCARD:
		if (!lim->discard || (w->discard_flag & ~BLKIF_DISCARD_SECURE))
			return -EOPNOTSUPP;
		if (lim->readonly)
			return -EROFS;
		if (!w->nr_sectors || start + w->nr_sectors < start ||
		    start + w->nr_sectors > lim->nr_sectors ||
		    ((start | w->nr_sectors) & (spb - 1)))
			return -EINVAL;
		return 0;
	case BLKIF_OP_INDIRECT:
		if (!lim->max_indirect_segs)
			return -EOPNOTSUPP;
		/* A bad operation inside is a malformed request, not an
		 * unsupported one.
		 */
		if (w->indirect_op != BLKIF_OP_READ &&
		    w->indirect_op != BLKIF_OP_WRITE)
			return -EINVAL;
		write = w->indirect_op == BLKIF_OP_WRITE;
		if (write && lim->readonly)
			return -EROFS;
		if (!nr || nr > lim->max_indirect_segs || nr > max_segs ||
		    nr > BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST * 512)
			return -EINVAL;
		goto segments;
	default:
		return -EOPNOTSUPP;
	}
	if (write && lim->readonly)
		return -EROFS;
	if (nr > BLKIF_MAX_SEGMENTS_PER_REQUEST || nr > max_segs ||
	    (!nr && !flushes))
		return -EINVAL;
segments:
	for (i = 0; i < nr; i++) {
		if (segs[i].last_sect > 7 || segs[i].first_sect > segs[i].last_sect)
			return -EINVAL;
		if ((segs[i].first_sect | (segs[i].last_sect + 1)) & (spb - 1))
			return -EINVAL;
		total += segs[i].last_sect - segs[i].first_sect + 1;
	}
	if (!nr)
		return 0;
	if (start + total < start || start + total > lim->nr_sectors ||
	    ((start | total) & (spb - 1)))
		return -EINVAL;
	return 0;
}

/* The segments the model sees: the slot's, or the indirect pages'. */
static void model_segs(const struct xbb_wire_req *w, const u8 *ind,
		       size_t ind_len, struct xbb_seg *out, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		struct blkif_request_segment s;

		if (w->operation == BLKIF_OP_INDIRECT)
			fuzz_cycle(&s, sizeof(s), ind, ind_len, i * sizeof(s));
		else
			s = w->seg[i];
		out[i].gref = s.gref;
		out[i].first_sect = s.first_sect;
		out[i].last_sect = s.last_sect;
	}
}

/*
 * The response as the frontend reads it: id, operation and status at the
 * offsets every ABI shares (8 and 10), whatever the slot stride.
 */
static void check_response(struct xbb_back_ring *ring, u64 id, u8 op,
			   s16 status)
{
	RING_IDX idx = ring->u.native.rsp_prod_pvt;
	const u8 *slot = (const u8 *)ring->u.native.sring->ring +
			 (idx & (xbb_back_ring_size(ring) - 1)) *
			 xbb_abi_slot_size(ring->abi);
	u64 got_id;
	s16 got_status;

	xbb_back_ring_put_rsp(ring, id, op, status);
	memcpy(&got_id, slot, sizeof(got_id));
	memcpy(&got_status, slot + 10, sizeof(got_status));
	FUZZ_CHECK(got_id == id && slot[8] == op && got_status == status);
	FUZZ_CHECK(status == BLKIF_RSP_OKAY || status == BLKIF_RSP_ERROR ||
		   status == BLKIF_RSP_EOPNOTSUPP);
}

/*
 * A discard or erase range cut into bios of at most @max sectors: every
 * chunk a multiple of the block size and granularity whenever one fits.
 */
static void check_chunk(u32 max, u32 lbs, u32 gran)
{
	u32 unit = lbs > gran ? lbs : gran, got;

	unit = unit ?: 1;
	got = xbb_range_chunk_sectors(max, lbs, gran);
	FUZZ_CHECK(got <= max);
	if (max >= unit)
		FUZZ_CHECK(got && got % unit == 0 && max - got < unit);
	else
		FUZZ_CHECK(got == max);
}

static struct xbb_seg segs[XBB_MAX_INDIRECT_SEGS];
static struct xbb_seg want[XBB_MAX_INDIRECT_SEGS];

static void one_request(struct xbb_back_ring *ring,
			const struct xbb_wire_req *w,
			const struct xbb_vbd_limits *lim, unsigned int max_segs,
			const u8 *ind, size_t ind_len)
{
	struct blkif_request_segment page[XBB_SEGS_PER_INDIRECT_PAGE];
	struct xbb_req req = { .segs = segs, .max_segs = max_segs };
	unsigned int nr = w->nr_segments, p;
	int rc, expect;

	if (w->operation == BLKIF_OP_INDIRECT && nr > XBB_MAX_INDIRECT_SEGS)
		nr = XBB_MAX_INDIRECT_SEGS;
	if (w->operation != BLKIF_OP_INDIRECT && nr > BLKIF_MAX_SEGMENTS_PER_REQUEST)
		nr = BLKIF_MAX_SEGMENTS_PER_REQUEST;
	model_segs(w, ind, ind_len, want, nr);
	expect = model_verdict(w, lim, want, max_segs);

	rc = xbb_req_parse(w, lim, &req);
	if (!rc && req.nr_indirect_pages) {
		FUZZ_CHECK(req.nr_indirect_pages <= BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST);
		FUZZ_CHECK(req.nr_segs <= max_segs);
		for (p = 0; p < req.nr_indirect_pages; p++) {
			FUZZ_CHECK(req.indirect_grefs[p] == w->indirect_grefs[p]);
			fuzz_cycle(page, sizeof(page), ind, ind_len, p * sizeof(page));
			xbb_req_copy_indirect_page(&req, p, page);
		}
		rc = xbb_req_check_segments(&req, lim);
	}
	if (!rc != !expect || (rc && rc != expect)) {
		fprintf(stderr,
			"invariant failed: op %u/%u nr %u sector %llu: core %d (%s), model %d\n",
			w->operation, w->indirect_op, w->nr_segments,
			(unsigned long long)w->sector_number, rc,
			xbb_reject_name(req.reject), expect);
		abort();
	}
	FUZZ_CHECK((rc == 0) == (req.reject == XBB_REJECT_NONE));
	FUZZ_CHECK(strcmp(xbb_reject_name(req.reject), "?"));
	FUZZ_CHECK(req.id == w->id);
	if (!rc) {
		FUZZ_CHECK(!(lim->readonly && xbb_req_is_write(&req)));
		/* A bare flush carries no range; anything else stays inside. */
		FUZZ_CHECK(!req.nr_sectors ||
			   (req.sector + req.nr_sectors <= lim->nr_sectors &&
			    req.sector + req.nr_sectors > req.sector));
		FUZZ_CHECK(req.nr_sectors || req.kind == XBB_REQ_FLUSH ||
			   req.kind == XBB_REQ_BARRIER);
		for (p = 0; p < req.nr_segs; p++)
			FUZZ_CHECK(segs[p].first_sect <= segs[p].last_sect &&
				   segs[p].last_sect < XBB_SECTORS_PER_PAGE &&
				   segs[p].gref == want[p].gref);
	}
	check_response(ring, req.id, req.operation, xbb_status_from_errno(rc));
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static u8 shared[4 * XBB_XEN_PAGE_SIZE] __aligned(4096);
	struct xbb_vbd_limits lim = { 0 };
	struct xbb_back_ring ring;
	struct blkif_sring *sring = (struct blkif_sring *)shared;
	struct xbb_wire_req w;
	unsigned int pages, max_segs, taken = 0;
	RING_IDX start, prod, delta;
	size_t ring_len, slots_len;
	const u8 *slots, *ind;
	enum xbb_abi abi;

	if (size < 8)
		return 0;
	abi = data[0] % 3;
	pages = 1U << ((data[0] >> 2) % 3);
	lim.readonly = data[1] & 1;
	lim.flush = data[1] & 2;
	lim.barrier = data[1] & 4;
	lim.discard = data[1] & 8;
	lim.discard_secure = data[1] & 16;
	lim.max_indirect_segs = data[1] & 32 ? 32U << ((data[1] >> 6) % 4) : 0;
	lim.logical_block_size = 512U << (data[2] % 4);
	/* Small disks most of the time: the end of the disk is where bugs are. */
	lim.nr_sectors = data[2] & 0x80 ? ~0ULL - data[3] : (u64)data[3] << (data[2] >> 2 & 31);
	max_segs = data[4] & 1 ? XBB_MAX_INDIRECT_SEGS : BLKIF_MAX_SEGMENTS_PER_REQUEST;
	start = (RING_IDX)data[5] << 24 | (RING_IDX)data[6] << 8;
	delta = data[7];
	data += 8;
	size -= 8;

	ring_len = pages * XBB_XEN_PAGE_SIZE;
	slots_len = size / 2;
	slots = data;
	ind = data + slots_len;
	memset(shared, 0, sizeof(shared));
	fuzz_cycle((u8 *)sring->ring, ring_len - offsetof(struct blkif_sring, ring),
		   slots, slots_len, 0);
	sring->rsp_prod = start;
	sring->req_prod = start + delta;
	xbb_back_ring_attach(&ring, abi, shared, ring_len);
	FUZZ_CHECK(xbb_back_ring_size(&ring) &&
		   !(xbb_back_ring_size(&ring) & (xbb_back_ring_size(&ring) - 1)));
	FUZZ_CHECK(xbb_back_ring_size(&ring) * xbb_abi_slot_size(abi) <=
		   ring_len - offsetof(struct blkif_sring, ring));
	if (xbb_back_ring_fetch_prod(&ring, &prod)) {
		FUZZ_CHECK(delta > xbb_back_ring_size(&ring));
		return 0;
	}
	FUZZ_CHECK(prod == start + delta);
	while (xbb_back_ring_take_req(&ring, prod, &w)) {
		taken++;
		FUZZ_CHECK(taken <= delta && taken <= xbb_back_ring_size(&ring));
		one_request(&ring, &w, &lim, max_segs, ind, size - slots_len);
		xbb_back_ring_push_rsps(&ring);
	}
	FUZZ_CHECK(taken == delta);
	FUZZ_CHECK(sring->rsp_prod == start + taken);
	/* All consumed: re-arming finds nothing and asks for the next one. */
	FUZZ_CHECK(!xbb_back_ring_final_check(&ring));
	FUZZ_CHECK(sring->req_event == prod + 1);
	if (size >= 12)
		check_chunk(data[0] | data[1] << 8 | (u32)data[2] << 16,
			    1U << (data[3] % 4), data[4] | data[5] << 8);
	return 0;
}
