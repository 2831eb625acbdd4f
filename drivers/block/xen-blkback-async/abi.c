// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shared-ring ABI translation: the one place that knows the native,
 * x86_32 and x86_64 layouts of blkif requests and responses.
 *
 * Pure core: no hypervisor or block-layer calls (see core.h).
 */

#include <asm/barrier.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <xen/interface/io/protocols.h>

#include "core.h"

/*
 * Index arithmetic goes through the native member of the union whatever the
 * ABI; that is only sound while the ring.h bookkeeping is laid out alike.
 */
static_assert(offsetof(struct xbb_x86_32_back_ring, req_cons) ==
	      offsetof(struct blkif_back_ring, req_cons));
static_assert(offsetof(struct xbb_x86_64_back_ring, req_cons) ==
	      offsetof(struct blkif_back_ring, req_cons));
static_assert(offsetof(struct xbb_x86_32_back_ring, rsp_prod_pvt) ==
	      offsetof(struct blkif_back_ring, rsp_prod_pvt));
static_assert(offsetof(struct xbb_x86_64_back_ring, rsp_prod_pvt) ==
	      offsetof(struct blkif_back_ring, rsp_prod_pvt));
static_assert(offsetof(struct xbb_x86_32_back_ring, nr_ents) ==
	      offsetof(struct blkif_back_ring, nr_ents));
static_assert(offsetof(struct xbb_x86_64_back_ring, nr_ents) ==
	      offsetof(struct blkif_back_ring, nr_ents));
static_assert(offsetof(struct xbb_x86_32_back_ring, sring) ==
	      offsetof(struct blkif_back_ring, sring));
static_assert(offsetof(struct xbb_x86_64_back_ring, sring) ==
	      offsetof(struct blkif_back_ring, sring));
static_assert(offsetof(struct xbb_x86_32_sring, ring) ==
	      offsetof(struct blkif_sring, ring));
static_assert(offsetof(struct xbb_x86_64_sring, ring) ==
	      offsetof(struct blkif_sring, ring));

/* The strides every frontend of each ABI lays its slots out with. */
static_assert(sizeof(union xbb_x86_32_sring_entry) == 108);
static_assert(sizeof(union xbb_x86_64_sring_entry) == 112);

/*
 * A response is {u64 id; u8 operation; s16 status} at offsets 0, 8 and 10
 * in every ABI; only the slot stride differs. So one writer serves all.
 */
#define XBB_RSP_ID_OFF		0
#define XBB_RSP_OP_OFF		8
#define XBB_RSP_STATUS_OFF	10
static_assert(offsetof(struct blkif_response, operation) == XBB_RSP_OP_OFF);
static_assert(offsetof(struct blkif_response, status) == XBB_RSP_STATUS_OFF);
static_assert(offsetof(struct xbb_x86_32_response, operation) ==
	      XBB_RSP_OP_OFF);
static_assert(offsetof(struct xbb_x86_32_response, status) ==
	      XBB_RSP_STATUS_OFF);
static_assert(offsetof(struct xbb_x86_64_response, operation) ==
	      XBB_RSP_OP_OFF);
static_assert(offsetof(struct xbb_x86_64_response, status) ==
	      XBB_RSP_STATUS_OFF);

/**
 * struct xbb_abi_layout - where each request field sits in a slot of an ABI
 * @slot: bytes per slot
 * @rw_nr_segs: u8 segment count of read/write/flush/barrier
 * @rw_id: u64 id
 * @rw_sector: u64 first sector
 * @rw_seg: first struct blkif_request_segment
 * @disc_flag: u8 flags of discard
 * @disc_id: u64 id
 * @disc_sector: u64 first sector
 * @disc_nr: u64 sector count
 * @ind_op: u8 operation an indirect request carries
 * @ind_nr_segs: u16 segment count
 * @ind_id: u64 id
 * @ind_sector: u64 first sector
 * @ind_grefs: first of the grant_ref_t of the indirect pages
 * @other_id: u64 id of any other operation
 *
 * Offsets are from the start of the slot, i.e. they count the leading
 * operation byte. This table is the whole of the ABI variance on the
 * request side.
 */
struct xbb_abi_layout {
	size_t slot;
	size_t rw_nr_segs, rw_id, rw_sector, rw_seg;
	size_t disc_flag, disc_id, disc_sector, disc_nr;
	size_t ind_op, ind_nr_segs, ind_id, ind_sector, ind_grefs;
	size_t other_id;
};

static const struct xbb_abi_layout xbb_abi_layouts[] = {
	[XBB_ABI_NATIVE] = {
		.slot = sizeof(union blkif_sring_entry),
		.rw_nr_segs = offsetof(struct blkif_request, u.rw.nr_segments),
		.rw_id = offsetof(struct blkif_request, u.rw.id),
		.rw_sector = offsetof(struct blkif_request, u.rw.sector_number),
		.rw_seg = offsetof(struct blkif_request, u.rw.seg),
		.disc_flag = offsetof(struct blkif_request, u.discard.flag),
		.disc_id = offsetof(struct blkif_request, u.discard.id),
		.disc_sector = offsetof(struct blkif_request,
					u.discard.sector_number),
		.disc_nr = offsetof(struct blkif_request, u.discard.nr_sectors),
		.ind_op = offsetof(struct blkif_request, u.indirect.indirect_op),
		.ind_nr_segs = offsetof(struct blkif_request,
					u.indirect.nr_segments),
		.ind_id = offsetof(struct blkif_request, u.indirect.id),
		.ind_sector = offsetof(struct blkif_request,
				       u.indirect.sector_number),
		.ind_grefs = offsetof(struct blkif_request,
				      u.indirect.indirect_grefs),
		.other_id = offsetof(struct blkif_request, u.other.id),
	},
	[XBB_ABI_X86_32] = {
		.slot = sizeof(union xbb_x86_32_sring_entry),
		.rw_nr_segs = offsetof(struct xbb_x86_32_request,
				       u.rw.nr_segments),
		.rw_id = offsetof(struct xbb_x86_32_request, u.rw.id),
		.rw_sector = offsetof(struct xbb_x86_32_request,
				      u.rw.sector_number),
		.rw_seg = offsetof(struct xbb_x86_32_request, u.rw.seg),
		.disc_flag = offsetof(struct xbb_x86_32_request, u.discard.flag),
		.disc_id = offsetof(struct xbb_x86_32_request, u.discard.id),
		.disc_sector = offsetof(struct xbb_x86_32_request,
					u.discard.sector_number),
		.disc_nr = offsetof(struct xbb_x86_32_request,
				    u.discard.nr_sectors),
		.ind_op = offsetof(struct xbb_x86_32_request,
				   u.indirect.indirect_op),
		.ind_nr_segs = offsetof(struct xbb_x86_32_request,
					u.indirect.nr_segments),
		.ind_id = offsetof(struct xbb_x86_32_request, u.indirect.id),
		.ind_sector = offsetof(struct xbb_x86_32_request,
				       u.indirect.sector_number),
		.ind_grefs = offsetof(struct xbb_x86_32_request,
				      u.indirect.indirect_grefs),
		.other_id = offsetof(struct xbb_x86_32_request, u.other.id),
	},
	[XBB_ABI_X86_64] = {
		.slot = sizeof(union xbb_x86_64_sring_entry),
		.rw_nr_segs = offsetof(struct xbb_x86_64_request,
				       u.rw.nr_segments),
		.rw_id = offsetof(struct xbb_x86_64_request, u.rw.id),
		.rw_sector = offsetof(struct xbb_x86_64_request,
				      u.rw.sector_number),
		.rw_seg = offsetof(struct xbb_x86_64_request, u.rw.seg),
		.disc_flag = offsetof(struct xbb_x86_64_request, u.discard.flag),
		.disc_id = offsetof(struct xbb_x86_64_request, u.discard.id),
		.disc_sector = offsetof(struct xbb_x86_64_request,
					u.discard.sector_number),
		.disc_nr = offsetof(struct xbb_x86_64_request,
				    u.discard.nr_sectors),
		.ind_op = offsetof(struct xbb_x86_64_request,
				   u.indirect.indirect_op),
		.ind_nr_segs = offsetof(struct xbb_x86_64_request,
					u.indirect.nr_segments),
		.ind_id = offsetof(struct xbb_x86_64_request, u.indirect.id),
		.ind_sector = offsetof(struct xbb_x86_64_request,
				       u.indirect.sector_number),
		.ind_grefs = offsetof(struct xbb_x86_64_request,
				      u.indirect.indirect_grefs),
		.other_id = offsetof(struct xbb_x86_64_request, u.other.id),
	},
};

/**
 * xbb_abi_from_protocol() - map the frontend's "protocol" key to an ABI
 * @protocol: the string read from xenstore, or NULL when the key is absent
 * @abi: where to store the result
 *
 * An absent key means the frontend predates the key; on x86 those frontends
 * are 32-bit PV kernels, elsewhere they use the native layout.
 *
 * Context: any.
 * Return: 0, or -EINVAL for a protocol this backend cannot serve.
 */
int xbb_abi_from_protocol(const char *protocol, enum xbb_abi *abi)
{
	if (!protocol || !*protocol) {
		*abi = IS_ENABLED(CONFIG_X86) ? XBB_ABI_X86_32 : XBB_ABI_NATIVE;
		return 0;
	}
	/* The x86 names first: on x86_64 "native" is one of them. */
	if (!strcmp(protocol, XEN_IO_PROTO_ABI_X86_32)) {
		*abi = XBB_ABI_X86_32;
		return 0;
	}
	if (!strcmp(protocol, XEN_IO_PROTO_ABI_X86_64)) {
		*abi = XBB_ABI_X86_64;
		return 0;
	}
	if (!strcmp(protocol, XEN_IO_PROTO_ABI_NATIVE)) {
		*abi = XBB_ABI_NATIVE;
		return 0;
	}
	return -EINVAL;
}

/**
 * xbb_abi_name() - the protocol string of an ABI, for logs and sysfs
 * @abi: the ABI
 *
 * Context: any.
 * Return: a static string.
 */
const char *xbb_abi_name(enum xbb_abi abi)
{
	switch (abi) {
	case XBB_ABI_X86_32:
		return XEN_IO_PROTO_ABI_X86_32;
	case XBB_ABI_X86_64:
		return XEN_IO_PROTO_ABI_X86_64;
	case XBB_ABI_NATIVE:
		break;
	}
	return XEN_IO_PROTO_ABI_NATIVE;
}

/**
 * xbb_abi_slot_size() - bytes one ring slot takes in an ABI
 * @abi: the ABI
 *
 * Context: any.
 * Return: the size of the request/response union of that ABI.
 */
size_t xbb_abi_slot_size(enum xbb_abi abi)
{
	return xbb_abi_layouts[abi].slot;
}

/**
 * xbb_back_ring_attach() - set up the backend's view of a mapped ring
 * @ring: the view to initialise
 * @abi: the negotiated ABI
 * @sring: the mapped shared ring
 * @size: bytes mapped at @sring
 *
 * Starts consuming at the frontend's current producer index, as a backend
 * that reconnects to a ring the frontend has already initialised must.
 *
 * Context: any; @sring must stay mapped until the view is dropped.
 */
void xbb_back_ring_attach(struct xbb_back_ring *ring, enum xbb_abi abi,
			  void *sring, size_t size)
{
	RING_IDX start = READ_ONCE(((struct blkif_sring *)sring)->rsp_prod);

	ring->abi = abi;
	switch (abi) {
	case XBB_ABI_X86_32:
		BACK_RING_ATTACH(&ring->u.x86_32,
				 (struct xbb_x86_32_sring *)sring, start, size);
		break;
	case XBB_ABI_X86_64:
		BACK_RING_ATTACH(&ring->u.x86_64,
				 (struct xbb_x86_64_sring *)sring, start, size);
		break;
	case XBB_ABI_NATIVE:
		BACK_RING_ATTACH(&ring->u.native,
				 (struct blkif_sring *)sring, start, size);
		break;
	}
}

/**
 * xbb_back_ring_size() - number of slots in the ring
 * @ring: the ring
 *
 * Context: any.
 * Return: a power of two.
 */
unsigned int xbb_back_ring_size(const struct xbb_back_ring *ring)
{
	return RING_SIZE(&ring->u.native);
}

/**
 * xbb_back_ring_fetch_prod() - read the frontend's producer index once
 * @ring: the ring
 * @prod: where to store the index
 *
 * A frontend that claims more outstanding requests than the ring has slots
 * is broken or hostile: consuming up to its index would read slots whose
 * responses have not been collected yet.
 *
 * Context: the ring's consumer.
 * Return: 0, or -EOVERFLOW when the index runs more than a ring ahead.
 */
int xbb_back_ring_fetch_prod(const struct xbb_back_ring *ring, RING_IDX *prod)
{
	const struct blkif_back_ring *r = &ring->u.native;
	RING_IDX p = READ_ONCE(r->sring->req_prod);

	/* Slots must be read after the index that published them. */
	virt_rmb();
	if (RING_REQUEST_PROD_OVERFLOW(r, p))
		return -EOVERFLOW;
	*prod = p;
	return 0;
}

/**
 * xbb_back_ring_slot_free() - may the slot at @cons be consumed?
 * @ring: the ring
 * @cons: index of the next request
 *
 * Context: the ring's consumer.
 * Return: false while the response for the request one ring earlier has not
 * been produced yet, i.e. the slot still belongs to an unanswered request.
 */
bool xbb_back_ring_slot_free(const struct xbb_back_ring *ring, RING_IDX cons)
{
	return !RING_REQUEST_CONS_OVERFLOW(&ring->u.native, cons);
}

/* Byte address of slot @idx, whatever the ABI's slot stride. */
static u8 *xbb_back_ring_slot(const struct xbb_back_ring *ring, RING_IDX idx)
{
	const struct blkif_back_ring *r = &ring->u.native;

	return (u8 *)r->sring->ring +
	       (idx & (RING_SIZE(r) - 1)) * xbb_abi_slot_size(ring->abi);
}

/**
 * union xbb_slot_copy - private storage for one slot of any ABI
 * @native: as struct blkif_request
 * @x86_32: as struct xbb_x86_32_request
 * @x86_64: as struct xbb_x86_64_request
 * @bytes: as bytes, for decoding by offset
 */
union xbb_slot_copy {
	struct blkif_request native;
	struct xbb_x86_32_request x86_32;
	struct xbb_x86_64_request x86_64;
	u8 bytes[sizeof(struct blkif_request)];
};

static u64 xbb_get_u64(const u8 *src, size_t off)
{
	return get_unaligned((const u64 *)(src + off));
}

/* Decodes a private slot copy: nothing here reads shared memory. */
static void xbb_decode(const struct xbb_abi_layout *lay, const u8 *src,
		       struct xbb_wire_req *wire)
{
	wire->operation = src[0];
	switch (wire->operation) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
	case BLKIF_OP_WRITE_BARRIER:
	case BLKIF_OP_FLUSH_DISKCACHE:
		wire->nr_segments = src[lay->rw_nr_segs];
		wire->id = xbb_get_u64(src, lay->rw_id);
		wire->sector_number = xbb_get_u64(src, lay->rw_sector);
		memcpy(wire->seg, src + lay->rw_seg, sizeof(wire->seg));
		break;
	case BLKIF_OP_DISCARD:
		wire->discard_flag = src[lay->disc_flag];
		wire->id = xbb_get_u64(src, lay->disc_id);
		wire->sector_number = xbb_get_u64(src, lay->disc_sector);
		wire->nr_sectors = xbb_get_u64(src, lay->disc_nr);
		break;
	case BLKIF_OP_INDIRECT:
		wire->indirect_op = src[lay->ind_op];
		wire->nr_segments =
			get_unaligned((const u16 *)(src + lay->ind_nr_segs));
		wire->id = xbb_get_u64(src, lay->ind_id);
		wire->sector_number = xbb_get_u64(src, lay->ind_sector);
		memcpy(wire->indirect_grefs, src + lay->ind_grefs,
		       sizeof(wire->indirect_grefs));
		break;
	default:
		wire->id = xbb_get_u64(src, lay->other_id);
		break;
	}
}

/**
 * xbb_back_ring_copy_req() - copy one request off the ring
 * @ring: the ring
 * @idx: index of the slot (not yet masked)
 * @wire: where to put the ABI-neutral copy
 *
 * The slot is read exactly once, through a volatile access the compiler
 * may not turn into later reads of the shared page; nothing afterwards
 * looks at shared memory for this request again.
 *
 * Context: the ring's consumer.
 */
void xbb_back_ring_copy_req(const struct xbb_back_ring *ring, RING_IDX idx,
			    struct xbb_wire_req *wire)
{
	union xbb_slot_copy copy;

	switch (ring->abi) {
	case XBB_ABI_X86_32:
		RING_COPY_REQUEST(&ring->u.x86_32, idx, &copy.x86_32);
		break;
	case XBB_ABI_X86_64:
		RING_COPY_REQUEST(&ring->u.x86_64, idx, &copy.x86_64);
		break;
	case XBB_ABI_NATIVE:
		RING_COPY_REQUEST(&ring->u.native, idx, &copy.native);
		break;
	}
	memset(wire, 0, sizeof(*wire));
	xbb_decode(&xbb_abi_layouts[ring->abi], copy.bytes, wire);
}

/**
 * xbb_back_ring_take_req() - consume the next request, if there is one
 * @ring: the ring
 * @prod: the producer index from xbb_back_ring_fetch_prod()
 * @wire: where to copy the request
 *
 * Context: the ring's consumer.
 * Return: false when all requests up to @prod are consumed, or when the
 * next slot still belongs to a request that has no response yet (a
 * frontend that overruns its own ring).
 */
bool xbb_back_ring_take_req(struct xbb_back_ring *ring, RING_IDX prod,
			    struct xbb_wire_req *wire)
{
	RING_IDX cons = ring->u.native.req_cons;

	if (cons == prod || !xbb_back_ring_slot_free(ring, cons))
		return false;
	xbb_back_ring_copy_req(ring, cons, wire);
	ring->u.native.req_cons = cons + 1;
	return true;
}

/**
 * xbb_back_ring_put_rsp() - write a response into the next response slot
 * @ring: the ring
 * @id: the request's id
 * @operation: the request's operation
 * @status: BLKIF_RSP_*
 *
 * Fields are stored one by one into the slot: a response built on the stack
 * and copied whole would carry its padding, i.e. dom0 stack bytes, to the
 * guest. The response stays invisible to the frontend until
 * xbb_back_ring_push_rsps().
 *
 * Context: caller serialises response producers of @ring.
 */
void xbb_back_ring_put_rsp(struct xbb_back_ring *ring, u64 id, u8 operation,
			   s16 status)
{
	RING_IDX idx = ring->u.native.rsp_prod_pvt;
	u8 *slot = xbb_back_ring_slot(ring, idx);

	put_unaligned(id, (u64 *)(slot + XBB_RSP_ID_OFF));
	slot[XBB_RSP_OP_OFF] = operation;
	put_unaligned(status, (s16 *)(slot + XBB_RSP_STATUS_OFF));
	ring->u.native.rsp_prod_pvt = idx + 1;
}

/**
 * xbb_back_ring_push_rsps() - publish the responses written so far
 * @ring: the ring
 *
 * Context: caller serialises response producers of @ring.
 * Return: true when the frontend asked to be notified of them.
 */
bool xbb_back_ring_push_rsps(struct xbb_back_ring *ring)
{
	bool notify;

	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&ring->u.native, notify);
	return notify;
}

/**
 * xbb_back_ring_final_check() - re-arm request events, then look again
 * @ring: the ring
 *
 * Closes the race with a frontend that queued a request after the consumer
 * last looked but before it re-armed req_event.
 *
 * Context: the ring's consumer.
 * Return: true when there are requests to consume.
 */
bool xbb_back_ring_final_check(struct xbb_back_ring *ring)
{
	int more;

	RING_FINAL_CHECK_FOR_REQUESTS(&ring->u.native, more);
	return more;
}
