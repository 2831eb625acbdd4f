/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where each field of a ring slot lies, per ABI, written down from the
 * protocol rather than taken from the structures under test. Shared by the
 * KUnit fake frontend and the fuzzer's seed generator; needs core.h.
 */
#ifndef XBB_TEST_LAYOUT_H
#define XBB_TEST_LAYOUT_H

/* Byte offsets inside one ring slot, per ABI. */
struct xbb_test_layout {
	size_t slot;
	size_t rw_id, rw_sector, rw_seg;
	size_t ind_id, ind_sector, ind_grefs;
	size_t disc_id, disc_sector, disc_nr;
	size_t rsp_id, rsp_op, rsp_status;
};

/*
 * x86_32: u64 fields are 4-byte aligned, so they start right after the
 * leading u8 + u16 pair. x86_64 pads them to 8. Native is whatever the
 * public header says for this architecture.
 */
static const struct xbb_test_layout xbb_test_layouts[] = {
	[XBB_ABI_NATIVE] = {
		.slot = sizeof(union blkif_sring_entry),
		.rw_id = offsetof(struct blkif_request, u.rw.id),
		.rw_sector = offsetof(struct blkif_request, u.rw.sector_number),
		.rw_seg = offsetof(struct blkif_request, u.rw.seg),
		.ind_id = offsetof(struct blkif_request, u.indirect.id),
		.ind_sector = offsetof(struct blkif_request,
				       u.indirect.sector_number),
		.ind_grefs = offsetof(struct blkif_request,
				      u.indirect.indirect_grefs),
		.disc_id = offsetof(struct blkif_request, u.discard.id),
		.disc_sector = offsetof(struct blkif_request,
					u.discard.sector_number),
		.disc_nr = offsetof(struct blkif_request, u.discard.nr_sectors),
		.rsp_id = offsetof(struct blkif_response, id),
		.rsp_op = offsetof(struct blkif_response, operation),
		.rsp_status = offsetof(struct blkif_response, status),
	},
	[XBB_ABI_X86_32] = {
		.slot = 108,
		.rw_id = 4, .rw_sector = 12, .rw_seg = 20,
		.ind_id = 4, .ind_sector = 12, .ind_grefs = 24,
		.disc_id = 4, .disc_sector = 12, .disc_nr = 20,
		.rsp_id = 0, .rsp_op = 8, .rsp_status = 10,
	},
	[XBB_ABI_X86_64] = {
		.slot = 112,
		.rw_id = 8, .rw_sector = 16, .rw_seg = 24,
		.ind_id = 8, .ind_sector = 16, .ind_grefs = 28,
		.disc_id = 8, .disc_sector = 16, .disc_nr = 24,
		.rsp_id = 0, .rsp_op = 8, .rsp_status = 10,
	},
};

#endif
