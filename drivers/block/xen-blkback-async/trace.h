/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of xen-blkback-async: one event when a request is set
 * going, one when it is answered, keyed by (domid, devid, ring, id).
 *
 *   echo 1 > /sys/kernel/tracing/events/xen_blkback_async/enable
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM xen_blkback_async

#if !defined(XBB_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define XBB_TRACE_H

#include <linux/tracepoint.h>

#include "common.h"

#define xbb_show_op(op)						\
	__print_symbolic(op,					\
			 { BLKIF_OP_READ, "read" },		\
			 { BLKIF_OP_WRITE, "write" },		\
			 { BLKIF_OP_WRITE_BARRIER, "barrier" },	\
			 { BLKIF_OP_FLUSH_DISKCACHE, "flush" },	\
			 { BLKIF_OP_DISCARD, "discard" },	\
			 { BLKIF_OP_INDIRECT, "indirect" })

TRACE_EVENT(xbb_req_start,
	    TP_PROTO(const struct xbb_ring *ring, const struct xbb_req *req),
	    TP_ARGS(ring, req),
	    TP_STRUCT__entry(__field(u16, domid)
			     __field(u32, devid)
			     __field(u32, ring)
			     __field(u64, id)
			     __field(u8, op)
			     __field(u64, sector)
			     __field(u64, nr_sectors)
			     __field(u16, nr_segs)),
	    TP_fast_assign(__entry->domid = ring->be->domid;
			   __entry->devid = ring->be->devid;
			   __entry->ring = ring->id;
			   __entry->id = req->id;
			   __entry->op = req->operation;
			   __entry->sector = req->sector;
			   __entry->nr_sectors = req->nr_sectors;
			   __entry->nr_segs = req->nr_segs;),
	    TP_printk("dom%u/%u q%u id %llu %s sector %llu+%llu segs %u",
		      __entry->domid, __entry->devid, __entry->ring,
		      __entry->id, xbb_show_op(__entry->op), __entry->sector,
		      __entry->nr_sectors, __entry->nr_segs)
);

TRACE_EVENT(xbb_req_done,
	    TP_PROTO(const struct xbb_ring *ring, const struct xbb_req *req,
		     s16 status, bool fast),
	    TP_ARGS(ring, req, status, fast),
	    TP_STRUCT__entry(__field(u16, domid)
			     __field(u32, devid)
			     __field(u32, ring)
			     __field(u64, id)
			     __field(u8, op)
			     __field(s16, status)
			     __field(bool, fast)),
	    TP_fast_assign(__entry->domid = ring->be->domid;
			   __entry->devid = ring->be->devid;
			   __entry->ring = ring->id;
			   __entry->id = req->id;
			   __entry->op = req->operation;
			   __entry->status = status;
			   __entry->fast = fast;),
	    TP_printk("dom%u/%u q%u id %llu %s status %d%s",
		      __entry->domid, __entry->devid, __entry->ring,
		      __entry->id, xbb_show_op(__entry->op), __entry->status,
		      __entry->fast ? " (from end_io)" : "")
);

#endif /* XBB_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
