/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XBB_SHIM_BARRIER_H
#define XBB_SHIM_BARRIER_H

/* One thread here: the barriers only have to keep their places. */
#define virt_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define virt_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define virt_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)

#endif
