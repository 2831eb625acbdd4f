// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for abi.c: ring slot layouts of the three ABIs, request copy,
 * response writing and ring index checks.
 *
 * The file under test is compiled into this test module, so that the test
 * module and xen-blkback-async.ko never share an object file.
 */

#include <kunit/test.h>
#include <linux/module.h>
#include <xen/interface/io/protocols.h>

#include "abi.c"
#include "xbb_test_frontend.h"

static const enum xbb_abi xbb_test_abis[] = {
	XBB_ABI_NATIVE, XBB_ABI_X86_32, XBB_ABI_X86_64,
};

static void xbb_test_abi_desc(const enum xbb_abi *abi, char *desc)
{
	strscpy(desc, xbb_test_abi_names[*abi], KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(xbb_abi, xbb_test_abis, xbb_test_abi_desc);

static enum xbb_abi xbb_test_param_abi(struct kunit *test)
{
	return *(const enum xbb_abi *)test->param_value;
}

static void abi_from_protocol_accepts_the_three_abis(struct kunit *test)
{
	enum xbb_abi abi;

	KUNIT_EXPECT_EQ(test, 0, xbb_abi_from_protocol(XEN_IO_PROTO_ABI_X86_32,
						       &abi));
	KUNIT_EXPECT_EQ(test, XBB_ABI_X86_32, abi);
	KUNIT_EXPECT_EQ(test, 0, xbb_abi_from_protocol(XEN_IO_PROTO_ABI_X86_64,
						       &abi));
	KUNIT_EXPECT_EQ(test, XBB_ABI_X86_64, abi);
	/* Whatever "native" maps to must have the native slot layout. */
	KUNIT_EXPECT_EQ(test, 0, xbb_abi_from_protocol(XEN_IO_PROTO_ABI_NATIVE,
						       &abi));
	KUNIT_EXPECT_EQ(test, sizeof(union blkif_sring_entry),
			xbb_abi_slot_size(abi));
}

static void abi_from_protocol_defaults_when_key_absent(struct kunit *test)
{
	enum xbb_abi want = IS_ENABLED(CONFIG_X86) ? XBB_ABI_X86_32 :
						     XBB_ABI_NATIVE;
	enum xbb_abi abi = XBB_ABI_X86_64;

	KUNIT_EXPECT_EQ(test, 0, xbb_abi_from_protocol(NULL, &abi));
	KUNIT_EXPECT_EQ(test, want, abi);
	abi = XBB_ABI_X86_64;
	KUNIT_EXPECT_EQ(test, 0, xbb_abi_from_protocol("", &abi));
	KUNIT_EXPECT_EQ(test, want, abi);
}

static void abi_from_protocol_rejects_unknown(struct kunit *test)
{
	enum xbb_abi abi;

	KUNIT_EXPECT_EQ(test, -EINVAL, xbb_abi_from_protocol("arm-abi", &abi));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			xbb_abi_from_protocol("x86_32-abi ", &abi));
}

static void abi_ring_has_32_slots_per_page(struct kunit *test)
{
	struct xbb_test_frontend fe;

	xbb_test_frontend_init(test, &fe, xbb_test_param_abi(test));
	/* (4096 - 64) / 108 or 112, rounded down to a power of two. */
	KUNIT_EXPECT_EQ(test, 32U, xbb_back_ring_size(&fe.ring));
	KUNIT_EXPECT_EQ(test, fe.lay->slot,
			xbb_abi_slot_size(xbb_test_param_abi(test)));
}

static void abi_copy_decodes_rw_fields(struct kunit *test)
{
	struct xbb_test_req r = {
		.operation = BLKIF_OP_WRITE, .nr_segments = 11,
		.id = 0x1122334455667788ULL, .sector = 0x0102030405060708ULL,
		.seg0_custom = true, .seg0_first = 2, .seg0_last = 5,
	};
	struct xbb_test_frontend fe;
	struct xbb_wire_req wire;

	xbb_test_copy_one(test, &fe, xbb_test_param_abi(test), &r, &wire);

	KUNIT_EXPECT_EQ(test, BLKIF_OP_WRITE, wire.operation);
	KUNIT_EXPECT_EQ(test, 11, wire.nr_segments);
	KUNIT_EXPECT_EQ(test, r.id, wire.id);
	KUNIT_EXPECT_EQ(test, r.sector, wire.sector_number);
	KUNIT_EXPECT_EQ(test, XBB_TEST_GREF_BASE, wire.seg[0].gref);
	KUNIT_EXPECT_EQ(test, 2, wire.seg[0].first_sect);
	KUNIT_EXPECT_EQ(test, 5, wire.seg[0].last_sect);
	KUNIT_EXPECT_EQ(test, XBB_TEST_GREF_BASE + 10, wire.seg[10].gref);
	KUNIT_EXPECT_EQ(test, 7, wire.seg[10].last_sect);
}

static void abi_copy_decodes_indirect_fields(struct kunit *test)
{
	struct xbb_test_req r = {
		.operation = BLKIF_OP_INDIRECT, .indirect_op = BLKIF_OP_READ,
		.nr_segments = 0x1234, .id = 0xdeadbeefcafef00dULL,
		.sector = 0xfedcba9876543210ULL,
	};
	struct xbb_test_frontend fe;
	struct xbb_wire_req wire;

	xbb_test_copy_one(test, &fe, xbb_test_param_abi(test), &r, &wire);

	KUNIT_EXPECT_EQ(test, BLKIF_OP_INDIRECT, wire.operation);
	KUNIT_EXPECT_EQ(test, BLKIF_OP_READ, wire.indirect_op);
	KUNIT_EXPECT_EQ(test, 0x1234, wire.nr_segments);
	KUNIT_EXPECT_EQ(test, r.id, wire.id);
	KUNIT_EXPECT_EQ(test, r.sector, wire.sector_number);
	KUNIT_EXPECT_EQ(test, 1000U, wire.indirect_grefs[0]);
	KUNIT_EXPECT_EQ(test, 1007U, wire.indirect_grefs[7]);
}

static void abi_copy_decodes_discard_fields(struct kunit *test)
{
	struct xbb_test_req r = {
		.operation = BLKIF_OP_DISCARD, .discard_flag = 1,
		.id = 77, .sector = 0x100000000ULL, .nr_sectors = 0x200000001ULL,
	};
	struct xbb_test_frontend fe;
	struct xbb_wire_req wire;

	xbb_test_copy_one(test, &fe, xbb_test_param_abi(test), &r, &wire);

	KUNIT_EXPECT_EQ(test, BLKIF_OP_DISCARD, wire.operation);
	KUNIT_EXPECT_EQ(test, 1, wire.discard_flag);
	KUNIT_EXPECT_EQ(test, 77ULL, wire.id);
	KUNIT_EXPECT_EQ(test, r.sector, wire.sector_number);
	KUNIT_EXPECT_EQ(test, r.nr_sectors, wire.nr_sectors);
	KUNIT_EXPECT_EQ(test, 0, wire.nr_segments);
}

static void abi_copy_keeps_id_of_unknown_operation(struct kunit *test)
{
	struct xbb_test_req r = { .operation = 42, .id = 0xabcdef };
	struct xbb_test_frontend fe;
	struct xbb_wire_req wire;

	xbb_test_copy_one(test, &fe, xbb_test_param_abi(test), &r, &wire);

	/* The refusal must be answered with the id the guest is waiting on. */
	KUNIT_EXPECT_EQ(test, 42, wire.operation);
	KUNIT_EXPECT_EQ(test, 0xabcdefULL, wire.id);
}

static void abi_copy_uses_masked_index(struct kunit *test)
{
	struct xbb_test_req r = {
		.operation = BLKIF_OP_READ, .nr_segments = 1, .id = 5,
	};
	struct xbb_test_frontend fe;
	struct xbb_wire_req wire;

	xbb_test_frontend_init(test, &fe, xbb_test_param_abi(test));
	xbb_test_push_req(&fe, &r);
	/* Index 32 is slot 0 again on a 32-slot ring. */
	xbb_back_ring_copy_req(&fe.ring, 32, &wire);
	KUNIT_EXPECT_EQ(test, 5ULL, wire.id);
}

static void abi_put_rsp_writes_fields_at_abi_offsets(struct kunit *test)
{
	struct xbb_test_frontend fe;
	const struct xbb_test_layout *lay;
	u8 *slot;

	xbb_test_frontend_init(test, &fe, xbb_test_param_abi(test));
	lay = fe.lay;
	slot = xbb_test_slot(&fe, 0);
	memset(slot, 0xaa, lay->slot);

	xbb_back_ring_put_rsp(&fe.ring, 0x0102030405060708ULL,
			      BLKIF_OP_WRITE, BLKIF_RSP_EOPNOTSUPP);

	KUNIT_EXPECT_EQ(test, 0x0102030405060708ULL,
			get_unaligned((u64 *)(slot + lay->rsp_id)));
	KUNIT_EXPECT_EQ(test, BLKIF_OP_WRITE, slot[lay->rsp_op]);
	KUNIT_EXPECT_EQ(test, (s16)BLKIF_RSP_EOPNOTSUPP,
			(s16)get_unaligned((u16 *)(slot + lay->rsp_status)));
	KUNIT_EXPECT_EQ(test, 1U, fe.ring.u.native.rsp_prod_pvt);
}

static void abi_put_rsp_leaks_no_padding(struct kunit *test)
{
	struct xbb_test_frontend fe;
	const struct xbb_test_layout *lay;
	u8 *slot;
	size_t i;

	xbb_test_frontend_init(test, &fe, xbb_test_param_abi(test));
	lay = fe.lay;
	slot = xbb_test_slot(&fe, 0);
	memset(slot, 0xaa, lay->slot);

	xbb_back_ring_put_rsp(&fe.ring, 0, 0, 0);

	/* The pad byte after operation and everything after status. */
	KUNIT_EXPECT_EQ(test, 0xaa, slot[lay->rsp_op + 1]);
	for (i = lay->rsp_status + 2; i < lay->slot; i++)
		KUNIT_EXPECT_EQ_MSG(test, 0xaa, slot[i], "byte %zu", i);
}

static void abi_push_rsps_notifies_only_when_asked(struct kunit *test)
{
	struct blkif_sring *sring;
	struct xbb_test_frontend fe;

	xbb_test_frontend_init(test, &fe, xbb_test_param_abi(test));
	sring = (struct blkif_sring *)fe.page;

	/* rsp_event = 1 after init: the first response wants an event. */
	xbb_back_ring_put_rsp(&fe.ring, 1, BLKIF_OP_READ, 0);
	KUNIT_EXPECT_TRUE(test, xbb_back_ring_push_rsps(&fe.ring));
	KUNIT_EXPECT_EQ(test, 1U, sring->rsp_prod);

	/* The frontend has not re-armed: no event for the next two. */
	xbb_back_ring_put_rsp(&fe.ring, 2, BLKIF_OP_READ, 0);
	xbb_back_ring_put_rsp(&fe.ring, 3, BLKIF_OP_READ, 0);
	KUNIT_EXPECT_FALSE(test, xbb_back_ring_push_rsps(&fe.ring));
	KUNIT_EXPECT_EQ(test, 3U, sring->rsp_prod);

	/* Re-armed for index 4: one push covering it notifies once. */
	sring->rsp_event = 4;
	xbb_back_ring_put_rsp(&fe.ring, 4, BLKIF_OP_READ, 0);
	xbb_back_ring_put_rsp(&fe.ring, 5, BLKIF_OP_READ, 0);
	KUNIT_EXPECT_TRUE(test, xbb_back_ring_push_rsps(&fe.ring));
}

static void abi_fetch_prod_rejects_index_a_ring_ahead(struct kunit *test)
{
	struct blkif_sring *sring;
	struct xbb_test_frontend fe;
	RING_IDX prod = 0;

	xbb_test_frontend_init(test, &fe, xbb_test_param_abi(test));
	sring = (struct blkif_sring *)fe.page;

	sring->req_prod = 32;
	KUNIT_EXPECT_EQ(test, 0, xbb_back_ring_fetch_prod(&fe.ring, &prod));
	KUNIT_EXPECT_EQ(test, 32U, prod);

	sring->req_prod = 33;
	prod = 7;
	KUNIT_EXPECT_EQ(test, -EOVERFLOW,
			xbb_back_ring_fetch_prod(&fe.ring, &prod));
	KUNIT_EXPECT_EQ(test, 7U, prod);

	/* Far ahead, and "behind" by wrap-around, are the same offence. */
	sring->req_prod = 0x80000000U;
	KUNIT_EXPECT_EQ(test, -EOVERFLOW,
			xbb_back_ring_fetch_prod(&fe.ring, &prod));
	sring->req_prod = (RING_IDX)-1;
	KUNIT_EXPECT_EQ(test, -EOVERFLOW,
			xbb_back_ring_fetch_prod(&fe.ring, &prod));
}

static void abi_slot_free_until_unanswered_request(struct kunit *test)
{
	struct xbb_test_frontend fe;

	xbb_test_frontend_init(test, &fe, xbb_test_param_abi(test));
	KUNIT_EXPECT_TRUE(test, xbb_back_ring_slot_free(&fe.ring, 31));
	KUNIT_EXPECT_FALSE(test, xbb_back_ring_slot_free(&fe.ring, 32));
	xbb_back_ring_put_rsp(&fe.ring, 0, BLKIF_OP_READ, 0);
	KUNIT_EXPECT_TRUE(test, xbb_back_ring_slot_free(&fe.ring, 32));
}

static void abi_take_req_stops_at_prod_and_unanswered_slot(struct kunit *test)
{
	struct xbb_test_req r = { .operation = BLKIF_OP_READ, .nr_segments = 1 };
	struct xbb_test_frontend fe;
	struct xbb_wire_req wire;
	unsigned int i;

	xbb_test_frontend_init(test, &fe, xbb_test_param_abi(test));
	for (i = 0; i < 32; i++) {
		r.id = i;
		xbb_test_push_req(&fe, &r);
	}
	/* Up to prod = 2 only, in order. */
	KUNIT_EXPECT_TRUE(test, xbb_back_ring_take_req(&fe.ring, 2, &wire));
	KUNIT_EXPECT_EQ(test, 0ULL, wire.id);
	KUNIT_EXPECT_TRUE(test, xbb_back_ring_take_req(&fe.ring, 2, &wire));
	KUNIT_EXPECT_EQ(test, 1ULL, wire.id);
	KUNIT_EXPECT_FALSE(test, xbb_back_ring_take_req(&fe.ring, 2, &wire));
	for (i = 2; i < 32; i++)
		KUNIT_EXPECT_TRUE(test, xbb_back_ring_take_req(&fe.ring, 32,
							       &wire));
	/* Index 32 is slot 0 again: not before request 0 is answered. */
	r.id = 32;
	xbb_test_push_req(&fe, &r);
	KUNIT_EXPECT_FALSE(test, xbb_back_ring_take_req(&fe.ring, 33, &wire));
	/* The answer takes the slot; a real frontend then writes it anew. */
	xbb_back_ring_put_rsp(&fe.ring, 0, BLKIF_OP_READ, 0);
	fe.req_prod = 32;
	xbb_test_push_req(&fe, &r);
	KUNIT_EXPECT_TRUE(test, xbb_back_ring_take_req(&fe.ring, 33, &wire));
	KUNIT_EXPECT_EQ(test, 32ULL, wire.id);
}

static void abi_final_check_rearms_req_event(struct kunit *test)
{
	struct blkif_sring *sring;
	struct xbb_test_frontend fe;
	struct xbb_test_req r = {
		.operation = BLKIF_OP_READ, .nr_segments = 1,
	};

	xbb_test_frontend_init(test, &fe, xbb_test_param_abi(test));
	sring = (struct blkif_sring *)fe.page;

	KUNIT_EXPECT_FALSE(test, xbb_back_ring_final_check(&fe.ring));
	KUNIT_EXPECT_EQ(test, 1U, sring->req_event);

	xbb_test_push_req(&fe, &r);
	KUNIT_EXPECT_TRUE(test, xbb_back_ring_final_check(&fe.ring));
}

static void abi_attach_resumes_at_response_index(struct kunit *test)
{
	struct xbb_test_frontend fe;
	struct blkif_sring *sring;

	xbb_test_frontend_init(test, &fe, xbb_test_param_abi(test));
	sring = (struct blkif_sring *)fe.page;
	sring->rsp_prod = 40;
	sring->req_prod = 40;
	xbb_back_ring_attach(&fe.ring, fe.abi, fe.page, XBB_TEST_RING_BYTES);

	KUNIT_EXPECT_EQ(test, 40U, fe.ring.u.native.req_cons);
	KUNIT_EXPECT_EQ(test, 40U, fe.ring.u.native.rsp_prod_pvt);
}

static void abi_multi_page_ring_grows_by_power_of_two(struct kunit *test)
{
	size_t bytes = 16 * XBB_XEN_PAGE_SIZE;
	struct xbb_back_ring ring;
	void *sring;

	sring = kunit_kzalloc(test, bytes, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sring);
	SHARED_RING_INIT((struct blkif_sring *)sring);
	xbb_back_ring_attach(&ring, xbb_test_param_abi(test), sring, bytes);
	/* (65536 - 64) / 108 or 112 = 606 or 584, rounded down. */
	KUNIT_EXPECT_EQ(test, 512U, xbb_back_ring_size(&ring));
}

static struct kunit_case xbb_abi_test_cases[] = {
	KUNIT_CASE(abi_from_protocol_accepts_the_three_abis),
	KUNIT_CASE(abi_from_protocol_defaults_when_key_absent),
	KUNIT_CASE(abi_from_protocol_rejects_unknown),
	KUNIT_CASE_PARAM(abi_ring_has_32_slots_per_page, xbb_abi_gen_params),
	KUNIT_CASE_PARAM(abi_copy_decodes_rw_fields, xbb_abi_gen_params),
	KUNIT_CASE_PARAM(abi_copy_decodes_indirect_fields, xbb_abi_gen_params),
	KUNIT_CASE_PARAM(abi_copy_decodes_discard_fields, xbb_abi_gen_params),
	KUNIT_CASE_PARAM(abi_copy_keeps_id_of_unknown_operation,
			 xbb_abi_gen_params),
	KUNIT_CASE_PARAM(abi_copy_uses_masked_index, xbb_abi_gen_params),
	KUNIT_CASE_PARAM(abi_put_rsp_writes_fields_at_abi_offsets,
			 xbb_abi_gen_params),
	KUNIT_CASE_PARAM(abi_put_rsp_leaks_no_padding, xbb_abi_gen_params),
	KUNIT_CASE_PARAM(abi_push_rsps_notifies_only_when_asked,
			 xbb_abi_gen_params),
	KUNIT_CASE_PARAM(abi_fetch_prod_rejects_index_a_ring_ahead,
			 xbb_abi_gen_params),
	KUNIT_CASE_PARAM(abi_slot_free_until_unanswered_request,
			 xbb_abi_gen_params),
	KUNIT_CASE_PARAM(abi_take_req_stops_at_prod_and_unanswered_slot,
			 xbb_abi_gen_params),
	KUNIT_CASE_PARAM(abi_final_check_rearms_req_event, xbb_abi_gen_params),
	KUNIT_CASE_PARAM(abi_attach_resumes_at_response_index,
			 xbb_abi_gen_params),
	KUNIT_CASE_PARAM(abi_multi_page_ring_grows_by_power_of_two,
			 xbb_abi_gen_params),
	{}
};

static struct kunit_suite xbb_abi_test_suite = {
	.name = "xen-blkback-async-abi",
	.test_cases = xbb_abi_test_cases,
};

kunit_test_suite(xbb_abi_test_suite);

MODULE_DESCRIPTION("KUnit tests for xen-blkback-async");
MODULE_LICENSE("GPL");
