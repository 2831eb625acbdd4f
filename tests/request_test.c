// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for request.c: every rejection class, and the acceptances at
 * the edges of each check, for each of the three ring ABIs. Requests go
 * through the fake frontend, the real ring copy and the real parser.
 */

#include <kunit/test.h>
#include <linux/kernel.h>

#include "request.c"
#include "xbb_test_frontend.h"

#define XBB_TEST_DISK_SECTORS	BIT_ULL(21)	/* 1 GiB */

static const struct xbb_vbd_limits xbb_test_lim = {
	.nr_sectors = XBB_TEST_DISK_SECTORS,
	.logical_block_size = 512,
	.max_indirect_segs = 256,
	.flush = true,
	.barrier = true,
	.discard = true,
};

/* Limit variants, applied on top of xbb_test_lim. */
enum xbb_test_lim_kind {
	LIM_DEFAULT,
	LIM_READONLY,
	LIM_NO_FEATURES,	/* no flush, barrier, discard, indirect */
	LIM_4K,			/* 4096-byte logical blocks */
	LIM_SECURE,		/* discard-secure advertised */
};

static struct xbb_vbd_limits xbb_test_limits(enum xbb_test_lim_kind kind)
{
	struct xbb_vbd_limits lim = xbb_test_lim;

	switch (kind) {
	case LIM_READONLY:
		lim.readonly = true;
		break;
	case LIM_NO_FEATURES:
		lim.flush = false;
		lim.barrier = false;
		lim.discard = false;
		lim.max_indirect_segs = 0;
		break;
	case LIM_4K:
		lim.logical_block_size = 4096;
		break;
	case LIM_SECURE:
		lim.discard_secure = true;
		break;
	case LIM_DEFAULT:
		break;
	}
	return lim;
}

struct xbb_parse_case {
	const char *name;
	struct xbb_test_req req;
	enum xbb_test_lim_kind lim;
	int err;
	enum xbb_reject reject;
	enum xbb_req_kind kind;		/* checked when err == 0 */
	u64 nr_sectors;			/* checked when err == 0 */
};

#define RD(...) { .operation = BLKIF_OP_READ, .nr_segments = 1, __VA_ARGS__ }
#define WR(...) { .operation = BLKIF_OP_WRITE, .nr_segments = 1, __VA_ARGS__ }
#define IND(op, n, ...) { .operation = BLKIF_OP_INDIRECT, .indirect_op = (op), \
			  .nr_segments = (n), __VA_ARGS__ }
#define DISC(...) { .operation = BLKIF_OP_DISCARD, .nr_sectors = 8, \
		    __VA_ARGS__ }

static const struct xbb_parse_case xbb_parse_cases[] = {
	/* Operation */
	{ "unknown_op_is_eopnotsupp", { .operation = 42, .nr_segments = 1 },
	  LIM_DEFAULT, -EOPNOTSUPP, XBB_REJECT_UNKNOWN_OP },
	{ "reserved_op_4_is_eopnotsupp", { .operation = 4, .nr_segments = 1 },
	  LIM_DEFAULT, -EOPNOTSUPP, XBB_REJECT_UNKNOWN_OP },
	{ "flush_not_advertised", { .operation = BLKIF_OP_FLUSH_DISKCACHE },
	  LIM_NO_FEATURES, -EOPNOTSUPP, XBB_REJECT_NOT_ADVERTISED },
	{ "barrier_not_advertised", { .operation = BLKIF_OP_WRITE_BARRIER },
	  LIM_NO_FEATURES, -EOPNOTSUPP, XBB_REJECT_NOT_ADVERTISED },
	{ "discard_not_advertised", DISC(), LIM_NO_FEATURES, -EOPNOTSUPP,
	  XBB_REJECT_NOT_ADVERTISED },
	{ "indirect_not_advertised", IND(BLKIF_OP_READ, 12), LIM_NO_FEATURES,
	  -EOPNOTSUPP, XBB_REJECT_NOT_ADVERTISED },
	{ "discard_unknown_flag", DISC(.discard_flag = 2), LIM_DEFAULT,
	  -EOPNOTSUPP, XBB_REJECT_DISCARD_FLAG },
	{ "indirect_carrying_flush", IND(BLKIF_OP_FLUSH_DISKCACHE, 12),
	  LIM_DEFAULT, -EINVAL, XBB_REJECT_INDIRECT_OP },
	{ "indirect_carrying_indirect", IND(BLKIF_OP_INDIRECT, 12),
	  LIM_DEFAULT, -EINVAL, XBB_REJECT_INDIRECT_OP },
	{ "indirect_carrying_discard", IND(BLKIF_OP_DISCARD, 12),
	  LIM_DEFAULT, -EINVAL, XBB_REJECT_INDIRECT_OP },
	/* Read-only disk */
	{ "write_to_readonly", WR(), LIM_READONLY, -EROFS,
	  XBB_REJECT_READONLY },
	{ "indirect_write_to_readonly", IND(BLKIF_OP_WRITE, 12), LIM_READONLY,
	  -EROFS, XBB_REJECT_READONLY },
	{ "discard_to_readonly", DISC(), LIM_READONLY, -EROFS,
	  XBB_REJECT_READONLY },
	{ "flush_to_readonly", { .operation = BLKIF_OP_FLUSH_DISKCACHE },
	  LIM_READONLY, -EROFS, XBB_REJECT_READONLY },
	{ "read_from_readonly_ok", RD(), LIM_READONLY, 0, XBB_REJECT_NONE,
	  XBB_REQ_READ, 8 },
	/* Segment count */
	{ "read_without_segments", RD(.nr_segments = 0), LIM_DEFAULT, -EINVAL,
	  XBB_REJECT_NR_SEGS },
	{ "write_without_segments", WR(.nr_segments = 0), LIM_DEFAULT,
	  -EINVAL, XBB_REJECT_NR_SEGS },
	{ "read_with_12_segments", RD(.nr_segments = 12), LIM_DEFAULT,
	  -EINVAL, XBB_REJECT_NR_SEGS },
	{ "write_with_255_segments", WR(.nr_segments = 255), LIM_DEFAULT,
	  -EINVAL, XBB_REJECT_NR_SEGS },
	{ "read_with_11_segments_ok", RD(.nr_segments = 11), LIM_DEFAULT, 0,
	  XBB_REJECT_NONE, XBB_REQ_READ, 88 },
	{ "bare_flush_ok", { .operation = BLKIF_OP_FLUSH_DISKCACHE },
	  LIM_DEFAULT, 0, XBB_REJECT_NONE, XBB_REQ_FLUSH, 0 },
	{ "bare_barrier_ok", { .operation = BLKIF_OP_WRITE_BARRIER },
	  LIM_DEFAULT, 0, XBB_REJECT_NONE, XBB_REQ_BARRIER, 0 },
	{ "flush_with_data_ok", { .operation = BLKIF_OP_FLUSH_DISKCACHE,
	  .nr_segments = 2 }, LIM_DEFAULT, 0, XBB_REJECT_NONE,
	  XBB_REQ_FLUSH, 16 },
	{ "indirect_without_segments", IND(BLKIF_OP_READ, 0), LIM_DEFAULT,
	  -EINVAL, XBB_REJECT_NR_SEGS },
	{ "indirect_over_advertised_max", IND(BLKIF_OP_READ, 257),
	  LIM_DEFAULT, -EINVAL, XBB_REJECT_NR_SEGS },
	{ "indirect_over_protocol_max", IND(BLKIF_OP_READ, 0xffff),
	  LIM_DEFAULT, -EINVAL, XBB_REJECT_NR_SEGS },
	{ "indirect_at_advertised_max_ok", IND(BLKIF_OP_WRITE, 256),
	  LIM_DEFAULT, 0, XBB_REJECT_NONE, XBB_REQ_WRITE, 2048 },
	/* Segment bounds */
	{ "segment_first_after_last", RD(.seg0_custom = true,
	  .seg0_first = 5, .seg0_last = 4), LIM_DEFAULT, -EINVAL,
	  XBB_REJECT_SEG_BOUNDS },
	{ "segment_last_past_page", RD(.seg0_custom = true,
	  .seg0_first = 0, .seg0_last = 8), LIM_DEFAULT, -EINVAL,
	  XBB_REJECT_SEG_BOUNDS },
	{ "segment_first_and_last_past_page", WR(.seg0_custom = true,
	  .seg0_first = 200, .seg0_last = 255), LIM_DEFAULT, -EINVAL,
	  XBB_REJECT_SEG_BOUNDS },
	{ "indirect_segment_past_page", IND(BLKIF_OP_READ, 20,
	  .seg0_custom = true, .seg0_first = 3, .seg0_last = 9), LIM_DEFAULT,
	  -EINVAL, XBB_REJECT_SEG_BOUNDS },
	{ "single_sector_segment_ok", RD(.seg0_custom = true,
	  .seg0_first = 7, .seg0_last = 7), LIM_DEFAULT, 0, XBB_REJECT_NONE,
	  XBB_REQ_READ, 1 },
	/* Logical block size */
	{ "segment_misaligned_on_4k_disk", RD(.seg0_custom = true,
	  .seg0_first = 1, .seg0_last = 7), LIM_4K, -EINVAL,
	  XBB_REJECT_SEG_ALIGN },
	{ "segment_short_on_4k_disk", WR(.seg0_custom = true,
	  .seg0_first = 0, .seg0_last = 6), LIM_4K, -EINVAL,
	  XBB_REJECT_SEG_ALIGN },
	{ "sector_misaligned_on_4k_disk", RD(.sector = 4), LIM_4K, -EINVAL,
	  XBB_REJECT_SECTOR_ALIGN },
	{ "aligned_on_4k_disk_ok", WR(.sector = 16, .nr_segments = 2), LIM_4K,
	  0, XBB_REJECT_NONE, XBB_REQ_WRITE, 16 },
	{ "unaligned_on_512_disk_ok", RD(.sector = 3, .seg0_custom = true,
	  .seg0_first = 1, .seg0_last = 2), LIM_DEFAULT, 0, XBB_REJECT_NONE,
	  XBB_REQ_READ, 2 },
	/* Range on the disk */
	{ "sector_range_wraps", WR(.sector = U64_MAX - 3), LIM_DEFAULT,
	  -EINVAL, XBB_REJECT_SECTOR_WRAP },
	{ "sector_beyond_disk", RD(.sector = XBB_TEST_DISK_SECTORS),
	  LIM_DEFAULT, -EINVAL, XBB_REJECT_BEYOND_DISK },
	{ "sector_range_straddles_end", RD(.sector = XBB_TEST_DISK_SECTORS - 4),
	  LIM_DEFAULT, -EINVAL, XBB_REJECT_BEYOND_DISK },
	{ "indirect_range_beyond_disk", IND(BLKIF_OP_WRITE, 20,
	  .sector = XBB_TEST_DISK_SECTORS - 8), LIM_DEFAULT, -EINVAL,
	  XBB_REJECT_BEYOND_DISK },
	{ "last_sectors_of_disk_ok", RD(.sector = XBB_TEST_DISK_SECTORS - 8),
	  LIM_DEFAULT, 0, XBB_REJECT_NONE, XBB_REQ_READ, 8 },
	/* Discard */
	{ "discard_empty", DISC(.nr_sectors = 0), LIM_DEFAULT, -EINVAL,
	  XBB_REJECT_DISCARD_EMPTY },
	{ "discard_wraps", DISC(.sector = 16, .nr_sectors = U64_MAX - 8),
	  LIM_DEFAULT, -EINVAL, XBB_REJECT_SECTOR_WRAP },
	{ "discard_beyond_disk", DISC(.sector = XBB_TEST_DISK_SECTORS - 4),
	  LIM_DEFAULT, -EINVAL, XBB_REJECT_BEYOND_DISK },
	{ "discard_misaligned_on_4k_disk", DISC(.sector = 8, .nr_sectors = 4),
	  LIM_4K, -EINVAL, XBB_REJECT_SECTOR_ALIGN },
	{ "discard_whole_disk_ok", DISC(.nr_sectors = XBB_TEST_DISK_SECTORS),
	  LIM_DEFAULT, 0, XBB_REJECT_NONE, XBB_REQ_DISCARD,
	  XBB_TEST_DISK_SECTORS },
	{ "secure_discard_ignored_unless_advertised", DISC(.discard_flag = 1),
	  LIM_DEFAULT, 0, XBB_REJECT_NONE, XBB_REQ_DISCARD, 8 },
	{ "secure_discard_when_advertised", DISC(.discard_flag = 1),
	  LIM_SECURE, 0, XBB_REJECT_NONE, XBB_REQ_SECURE_DISCARD, 8 },
};

#define XBB_NR_ABIS 3
#define XBB_NR_PARSE_PARAMS (ARRAY_SIZE(xbb_parse_cases) * XBB_NR_ABIS)

/*
 * Every case runs once per ABI: parameter i is case i / 3 on ABI i % 3. The
 * parameter is a pointer into this array; only its position matters.
 */
static const u8 xbb_parse_params[XBB_NR_PARSE_PARAMS];

static void xbb_parse_param_desc(const u8 *param, char *desc)
{
	unsigned int i = param - xbb_parse_params;

	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s/%s",
		 xbb_parse_cases[i / XBB_NR_ABIS].name,
		 xbb_test_abi_names[i % XBB_NR_ABIS]);
}

/*
 * KUnit's own generator: its signature gained a struct kunit * after 6.1,
 * and the macro follows the kernel it is built in.
 */
KUNIT_ARRAY_PARAM(xbb_parse, xbb_parse_params, xbb_parse_param_desc);

/* Parses @r as a backend would, copying indirect pages when there are any. */
static int xbb_test_parse(struct kunit *test, struct xbb_test_frontend *fe,
			  const struct xbb_test_req *r,
			  const struct xbb_vbd_limits *lim, struct xbb_req *req)
{
	struct xbb_wire_req wire;
	unsigned int page;
	RING_IDX idx;
	int err;

	req->max_segs = XBB_MAX_INDIRECT_SEGS;
	req->segs = kunit_kcalloc(test, req->max_segs, sizeof(*req->segs),
				  GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req->segs);

	idx = xbb_test_push_req(fe, r);
	xbb_back_ring_copy_req(&fe->ring, idx, &wire);
	err = xbb_req_parse(&wire, lim, req);
	if (err || !req->nr_indirect_pages)
		return err;

	for (page = 0; page < req->nr_indirect_pages; page++) {
		u8 *buf = kunit_kzalloc(test, XBB_XEN_PAGE_SIZE, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, buf);
		KUNIT_EXPECT_EQ(test, 1000U + page, req->indirect_grefs[page]);
		xbb_test_fill_indirect(fe, buf, r, page);
		xbb_req_copy_indirect_page(req, page, (void *)buf);
	}
	return xbb_req_check_segments(req, lim);
}

static void req_parse_table(struct kunit *test)
{
	unsigned int i = (const u8 *)test->param_value - xbb_parse_params;
	const struct xbb_parse_case *c = &xbb_parse_cases[i / XBB_NR_ABIS];
	struct xbb_vbd_limits lim = xbb_test_limits(c->lim);
	struct xbb_test_frontend fe;
	struct xbb_test_req r = c->req;
	struct xbb_req req;
	int err;

	r.id = 0x5a5a0000ULL + i;
	xbb_test_frontend_init(test, &fe, i % XBB_NR_ABIS);
	err = xbb_test_parse(test, &fe, &r, &lim, &req);

	KUNIT_EXPECT_EQ_MSG(test, c->err, err, "%s", c->name);
	KUNIT_EXPECT_EQ_MSG(test, c->reject, req.reject, "%s: %s", c->name,
			    xbb_reject_name(req.reject));
	/* Refused or not, the answer must reach the request's id. */
	KUNIT_EXPECT_EQ(test, r.id, req.id);
	if (c->err)
		return;
	KUNIT_EXPECT_EQ(test, c->kind, req.kind);
	KUNIT_EXPECT_EQ(test, c->nr_sectors, req.nr_sectors);
	KUNIT_EXPECT_EQ(test, r.sector, req.sector);
}

static void req_indirect_answers_with_carried_operation(struct kunit *test)
{
	struct xbb_test_req r = {
		.operation = BLKIF_OP_INDIRECT, .indirect_op = BLKIF_OP_WRITE,
		.nr_segments = 600, .sector = 64,
	};
	struct xbb_test_frontend fe;
	struct xbb_vbd_limits lim = xbb_test_lim;
	struct xbb_req req;

	lim.max_indirect_segs = XBB_MAX_INDIRECT_SEGS;
	xbb_test_frontend_init(test, &fe, XBB_ABI_X86_64);
	KUNIT_ASSERT_EQ(test, 0, xbb_test_parse(test, &fe, &r, &lim, &req));

	/* blkfront compares the response's operation with indirect_op. */
	KUNIT_EXPECT_EQ(test, BLKIF_OP_WRITE, req.operation);
	KUNIT_EXPECT_EQ(test, 2, req.nr_indirect_pages);
	KUNIT_EXPECT_EQ(test, 600, req.nr_segs);
	KUNIT_EXPECT_EQ(test, 4800ULL, req.nr_sectors);
	/* Page 1 starts again at the frontend's first gref of that page. */
	KUNIT_EXPECT_EQ(test, XBB_TEST_GREF_BASE, req.segs[512].gref);
	KUNIT_EXPECT_EQ(test, XBB_TEST_GREF_BASE + 87, req.segs[599].gref);
}

static void req_indirect_pages_rounds_up(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1U, xbb_req_indirect_pages(1));
	KUNIT_EXPECT_EQ(test, 1U, xbb_req_indirect_pages(512));
	KUNIT_EXPECT_EQ(test, 2U, xbb_req_indirect_pages(513));
	KUNIT_EXPECT_EQ(test, 8U, xbb_req_indirect_pages(XBB_MAX_INDIRECT_SEGS));
}

static void req_validated_copy_ignores_later_slot_writes(struct kunit *test)
{
	struct xbb_test_req r = {
		.operation = BLKIF_OP_READ, .nr_segments = 2, .sector = 8,
		.id = 99,
	};
	const struct xbb_vbd_limits lim = xbb_test_lim;
	struct xbb_test_frontend fe;
	struct xbb_req req;
	u8 *slot;

	xbb_test_frontend_init(test, &fe, XBB_ABI_X86_32);
	KUNIT_ASSERT_EQ(test, 0, xbb_test_parse(test, &fe, &r, &lim, &req));

	/*
	 * A hostile frontend rewrites the slot after validation: segment
	 * bounds out of the page, a sector past the disk, a new id. The
	 * request the backend acts on must not see any of it.
	 */
	slot = xbb_test_slot(&fe, 0);
	memset(slot + 1, 0xff, fe.lay->slot - 1);

	KUNIT_EXPECT_EQ(test, 99ULL, req.id);
	KUNIT_EXPECT_EQ(test, 8ULL, req.sector);
	KUNIT_EXPECT_EQ(test, 16ULL, req.nr_sectors);
	KUNIT_EXPECT_EQ(test, 2, req.nr_segs);
	KUNIT_EXPECT_EQ(test, 0, req.segs[1].first_sect);
	KUNIT_EXPECT_EQ(test, 7, req.segs[1].last_sect);
	KUNIT_EXPECT_EQ(test, XBB_TEST_GREF_BASE + 1, req.segs[1].gref);
	KUNIT_EXPECT_EQ(test, 0, xbb_req_check_segments(&req, &lim));
}

static void req_indirect_copy_ignores_later_page_writes(struct kunit *test)
{
	struct xbb_test_req r = {
		.operation = BLKIF_OP_INDIRECT, .indirect_op = BLKIF_OP_READ,
		.nr_segments = 3,
	};
	const struct xbb_vbd_limits lim = xbb_test_lim;
	struct xbb_test_frontend fe;
	struct xbb_wire_req wire;
	struct xbb_req req;
	u8 *page;

	xbb_test_frontend_init(test, &fe, XBB_ABI_NATIVE);
	req.max_segs = 16;
	req.segs = kunit_kcalloc(test, 16, sizeof(*req.segs), GFP_KERNEL);
	page = kunit_kzalloc(test, XBB_XEN_PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req.segs);
	KUNIT_ASSERT_NOT_NULL(test, page);

	xbb_back_ring_copy_req(&fe.ring, xbb_test_push_req(&fe, &r), &wire);
	KUNIT_ASSERT_EQ(test, 0, xbb_req_parse(&wire, &lim, &req));
	xbb_test_fill_indirect(&fe, page, &r, 0);
	xbb_req_copy_indirect_page(&req, 0, (void *)page);
	memset(page, 0xff, XBB_XEN_PAGE_SIZE);

	KUNIT_EXPECT_EQ(test, 0, xbb_req_check_segments(&req, &lim));
	KUNIT_EXPECT_EQ(test, 24ULL, req.nr_sectors);
}

static void req_parse_respects_segment_storage(struct kunit *test)
{
	struct xbb_test_req r = {
		.operation = BLKIF_OP_INDIRECT, .indirect_op = BLKIF_OP_READ,
		.nr_segments = 17,
	};
	const struct xbb_vbd_limits lim = xbb_test_lim;
	struct xbb_test_frontend fe;
	struct xbb_wire_req wire;
	struct xbb_req req;

	xbb_test_frontend_init(test, &fe, XBB_ABI_X86_64);
	req.max_segs = 16;
	req.segs = kunit_kcalloc(test, 16, sizeof(*req.segs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req.segs);

	xbb_back_ring_copy_req(&fe.ring, xbb_test_push_req(&fe, &r), &wire);
	KUNIT_EXPECT_EQ(test, -EINVAL, xbb_req_parse(&wire, &lim, &req));
	KUNIT_EXPECT_EQ(test, XBB_REJECT_NR_SEGS, req.reject);
}

static void req_status_map(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, BLKIF_RSP_OKAY, xbb_status_from_errno(0));
	KUNIT_EXPECT_EQ(test, BLKIF_RSP_EOPNOTSUPP,
			xbb_status_from_errno(-EOPNOTSUPP));
	KUNIT_EXPECT_EQ(test, BLKIF_RSP_ERROR, xbb_status_from_errno(-EINVAL));
	KUNIT_EXPECT_EQ(test, BLKIF_RSP_ERROR, xbb_status_from_errno(-EROFS));
	KUNIT_EXPECT_EQ(test, BLKIF_RSP_ERROR, xbb_status_from_errno(-EIO));
}

static void req_reject_names_cover_every_reason(struct kunit *test)
{
	enum xbb_reject r;

	for (r = XBB_REJECT_NONE; r < XBB_REJECT_COUNT; r++)
		KUNIT_EXPECT_NOT_NULL_MSG(test, xbb_reject_names[r],
					  "reason %d", r);
	KUNIT_EXPECT_STREQ(test, "?", xbb_reject_name(XBB_REJECT_COUNT));
}

static void req_reject_keys_are_file_names(struct kunit *test)
{
	enum xbb_reject r, q;

	KUNIT_EXPECT_NULL(test, xbb_reject_key(XBB_REJECT_NONE));
	KUNIT_EXPECT_NULL(test, xbb_reject_key(XBB_REJECT_COUNT));
	for (r = XBB_REJECT_NONE + 1; r < XBB_REJECT_COUNT; r++) {
		const char *key = xbb_reject_key(r);
		const char *c;

		KUNIT_ASSERT_NOT_NULL_MSG(test, key, "reason %d", r);
		KUNIT_EXPECT_GT_MSG(test, strlen(key), 0, "reason %d", r);
		for (c = key; *c; c++)
			KUNIT_EXPECT_TRUE_MSG(test, (*c >= 'a' && *c <= 'z') ||
					      *c == '_', "reason %d: %s", r, key);
		/* One file per reason: no two share a name. */
		for (q = XBB_REJECT_NONE + 1; q < r; q++)
			KUNIT_EXPECT_STRNEQ(test, key, xbb_reject_key(q));
		/* The sysfs name of the reason without one is taken. */
		KUNIT_EXPECT_STRNEQ(test, key, "indirect_unreadable");
	}
}

static void req_io_errors_by_block_status(struct kunit *test)
{
	enum xbb_io_error e, f;

	KUNIT_EXPECT_EQ(test, XBB_IOERR_IO, xbb_io_error_of(-EIO));
	KUNIT_EXPECT_EQ(test, XBB_IOERR_NO_SPACE, xbb_io_error_of(-ENOSPC));
	KUNIT_EXPECT_EQ(test, XBB_IOERR_TIMEOUT, xbb_io_error_of(-ETIMEDOUT));
	KUNIT_EXPECT_EQ(test, XBB_IOERR_NOT_SUPPORTED,
			xbb_io_error_of(-EOPNOTSUPP));
	KUNIT_EXPECT_EQ(test, XBB_IOERR_TRANSPORT, xbb_io_error_of(-ENOLINK));
	KUNIT_EXPECT_EQ(test, XBB_IOERR_TRANSPORT, xbb_io_error_of(-EBADE));
	KUNIT_EXPECT_EQ(test, XBB_IOERR_TARGET, xbb_io_error_of(-EREMOTEIO));
	KUNIT_EXPECT_EQ(test, XBB_IOERR_MEDIUM, xbb_io_error_of(-ENODATA));
	KUNIT_EXPECT_EQ(test, XBB_IOERR_PROTECTION, xbb_io_error_of(-EILSEQ));
	KUNIT_EXPECT_EQ(test, XBB_IOERR_RESOURCE, xbb_io_error_of(-ENOMEM));
	KUNIT_EXPECT_EQ(test, XBB_IOERR_RESOURCE, xbb_io_error_of(-EBUSY));
	KUNIT_EXPECT_EQ(test, XBB_IOERR_RESOURCE, xbb_io_error_of(-EAGAIN));
	KUNIT_EXPECT_EQ(test, XBB_IOERR_OFFLINE, xbb_io_error_of(-ENODEV));
	/* Whatever a stack invents counts as an I/O error. */
	KUNIT_EXPECT_EQ(test, XBB_IOERR_IO, xbb_io_error_of(-EPERM));
	KUNIT_EXPECT_EQ(test, XBB_IOERR_IO, xbb_io_error_of(-12345));
	KUNIT_EXPECT_NULL(test, xbb_io_error_key(XBB_NR_IOERRS));
	for (e = 0; e < XBB_NR_IOERRS; e++) {
		const char *key = xbb_io_error_key(e);
		const char *c;

		KUNIT_ASSERT_NOT_NULL_MSG(test, key, "kind %d", e);
		KUNIT_EXPECT_GT_MSG(test, strlen(key), 0, "kind %d", e);
		for (c = key; *c; c++)
			KUNIT_EXPECT_TRUE_MSG(test, (*c >= 'a' && *c <= 'z') ||
					      *c == '_', "kind %d: %s", e, key);
		for (f = 0; f < e; f++)
			KUNIT_EXPECT_STRNEQ(test, key, xbb_io_error_key(f));
	}
}

static void req_class_of_each_kind(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, XBB_CLASS_READ, xbb_req_class(XBB_REQ_READ));
	KUNIT_EXPECT_EQ(test, XBB_CLASS_WRITE, xbb_req_class(XBB_REQ_WRITE));
	KUNIT_EXPECT_EQ(test, XBB_CLASS_FLUSH, xbb_req_class(XBB_REQ_FLUSH));
	KUNIT_EXPECT_EQ(test, XBB_CLASS_FLUSH, xbb_req_class(XBB_REQ_BARRIER));
	KUNIT_EXPECT_EQ(test, XBB_CLASS_DISCARD,
			xbb_req_class(XBB_REQ_DISCARD));
	KUNIT_EXPECT_EQ(test, XBB_CLASS_DISCARD,
			xbb_req_class(XBB_REQ_SECURE_DISCARD));
	KUNIT_EXPECT_STREQ(test, "read", xbb_class_name(XBB_CLASS_READ));
	KUNIT_EXPECT_STREQ(test, "write", xbb_class_name(XBB_CLASS_WRITE));
	KUNIT_EXPECT_STREQ(test, "flush", xbb_class_name(XBB_CLASS_FLUSH));
	KUNIT_EXPECT_STREQ(test, "discard", xbb_class_name(XBB_CLASS_DISCARD));
	KUNIT_EXPECT_STREQ(test, "?", xbb_class_name(XBB_NR_CLASSES));
}

static void req_latency_buckets_are_powers_of_two(struct kunit *test)
{
	unsigned int i;

	KUNIT_EXPECT_EQ(test, 0U, xbb_latency_bucket(0));
	KUNIT_EXPECT_EQ(test, 0U, xbb_latency_bucket(1));
	/* Each bucket starts at its power of two and ends before the next. */
	for (i = 1; i < XBB_LAT_BUCKETS; i++) {
		KUNIT_EXPECT_EQ_MSG(test, i, xbb_latency_bucket(1ULL << i),
				    "2^%u us", i);
		KUNIT_EXPECT_EQ_MSG(test, i - 1,
				    xbb_latency_bucket((1ULL << i) - 1),
				    "2^%u - 1 us", i);
	}
	/* The last bucket has no end. */
	KUNIT_EXPECT_EQ(test, XBB_LAT_BUCKETS - 1,
			xbb_latency_bucket(1ULL << XBB_LAT_BUCKETS));
	KUNIT_EXPECT_EQ(test, XBB_LAT_BUCKETS - 1,
			xbb_latency_bucket(U64_MAX));
}

static void req_range_chunks_keep_alignment(struct kunit *test)
{
	/* The device's odd limit, cut to whole 4 KiB blocks. */
	KUNIT_EXPECT_EQ(test, 8384U, xbb_range_chunk_sectors(8388, 8, 0));
	/* The granularity, when larger than the block. */
	KUNIT_EXPECT_EQ(test, 8192U, xbb_range_chunk_sectors(8388, 8, 2048));
	/* Granularities need not be powers of two. */
	KUNIT_EXPECT_EQ(test, 9216U, xbb_range_chunk_sectors(10000, 1, 1536));
	/* A limit below one unit is all there is. */
	KUNIT_EXPECT_EQ(test, 6U, xbb_range_chunk_sectors(6, 8, 0));
	KUNIT_EXPECT_EQ(test, 0U, xbb_range_chunk_sectors(0, 8, 2048));
	/* 512-byte blocks, no granularity: the limit as it is. */
	KUNIT_EXPECT_EQ(test, 65535U, xbb_range_chunk_sectors(65535, 1, 0));
}

static struct kunit_case xbb_request_test_cases[] = {
	KUNIT_CASE_PARAM(req_parse_table, xbb_parse_gen_params),
	KUNIT_CASE(req_indirect_answers_with_carried_operation),
	KUNIT_CASE(req_indirect_pages_rounds_up),
	KUNIT_CASE(req_validated_copy_ignores_later_slot_writes),
	KUNIT_CASE(req_indirect_copy_ignores_later_page_writes),
	KUNIT_CASE(req_parse_respects_segment_storage),
	KUNIT_CASE(req_status_map),
	KUNIT_CASE(req_reject_names_cover_every_reason),
	KUNIT_CASE(req_range_chunks_keep_alignment),
	KUNIT_CASE(req_reject_keys_are_file_names),
	KUNIT_CASE(req_io_errors_by_block_status),
	KUNIT_CASE(req_class_of_each_kind),
	KUNIT_CASE(req_latency_buckets_are_powers_of_two),
	{}
};

static struct kunit_suite xbb_request_test_suite = {
	.name = "xen-blkback-async-request",
	.test_cases = xbb_request_test_cases,
};

kunit_test_suite(xbb_request_test_suite);
