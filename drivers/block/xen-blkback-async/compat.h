/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel-version shims, all in one place. The module is developed against
 * Linux 6.1 (Debian bookworm) and must keep building on newer kernels.
 */
#ifndef XBB_COMPAT_H
#define XBB_COMPAT_H

#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/version.h>
#include <xen/xenbus.h>

/**
 * struct xbb_bdev_handle - what closing an opened block device needs
 * @bdev: the device
 * @file: 6.9+: the file bdev_file_open_by_dev() returned
 * @handle: 6.8: the handle bdev_open_by_dev() returned
 * @mode: up to 6.4: the mode it was opened with
 */
struct xbb_bdev_handle {
	struct block_device *bdev;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	struct file *file;
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	struct bdev_handle *handle;
#else
	fmode_t mode;
#endif
};

/*
 * Opens a block device for serving, shared (not exclusive): the toolstack
 * or an admin may have it open too, as with the in-tree backend.
 */
static inline int xbb_bdev_open(dev_t devt, bool write,
				struct xbb_bdev_handle *h)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	struct file *file;

	file = bdev_file_open_by_dev(devt, BLK_OPEN_READ |
				     (write ? BLK_OPEN_WRITE : 0), NULL, NULL);
	if (IS_ERR(file))
		return PTR_ERR(file);
	h->file = file;
	h->bdev = file_bdev(file);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	struct bdev_handle *handle;

	handle = bdev_open_by_dev(devt, BLK_OPEN_READ |
				  (write ? BLK_OPEN_WRITE : 0), NULL, NULL);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	h->handle = handle;
	h->bdev = handle->bdev;
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	struct block_device *bdev;

	bdev = blkdev_get_by_dev(devt, BLK_OPEN_READ |
				 (write ? BLK_OPEN_WRITE : 0), NULL, NULL);
	if (IS_ERR(bdev))
		return PTR_ERR(bdev);
	h->bdev = bdev;
#else
	struct block_device *bdev;

	h->mode = FMODE_READ | (write ? FMODE_WRITE : 0);
	bdev = blkdev_get_by_dev(devt, h->mode, NULL);
	if (IS_ERR(bdev))
		return PTR_ERR(bdev);
	h->bdev = bdev;
#endif
	return 0;
}

static inline void xbb_bdev_close(struct xbb_bdev_handle *h)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	fput(h->file);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	bdev_release(h->handle);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	blkdev_put(h->bdev, NULL);
#else
	blkdev_put(h->bdev, h->mode);
#endif
	h->bdev = NULL;
}

/* The page cache of a block device (bd_inode went away in 6.10). */
static inline struct address_space *xbb_bdev_mapping(struct block_device *bdev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
	return bdev->bd_mapping;
#else
	return bdev->bd_inode->i_mapping;
#endif
}

/*
 * The other end's xenbus state. xenbus_read_driver_state() takes the device
 * first since 7.x; the Makefile probes include/xen/xenbus.h for it and
 * defines XBB_HAVE_XENBUS_READ_STATE_DEV.
 */
static inline enum xenbus_state
xbb_otherend_state(struct xenbus_device *dev)
{
#ifdef XBB_HAVE_XENBUS_READ_STATE_DEV
	return xenbus_read_driver_state(dev, dev->otherend);
#else
	return xenbus_read_driver_state(dev->otherend);
#endif
}

#endif /* XBB_COMPAT_H */
