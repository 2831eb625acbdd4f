// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connection negotiation: decides, from what the frontend wrote and what the
 * backend offered, how many rings of what size and layout to map.
 *
 * Pure core: the glue reads xenstore, this file only parses and decides.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "core.h"

/**
 * xbb_negotiate() - check the frontend's choices against the offer
 * @fe: the frontend's keys
 * @offer: what the backend advertised
 * @out: the terms, on success
 * @why: on failure, a short text for the admin and for xenstore "error/"
 *
 * Context: any.
 * Return: 0, or -EINVAL when the frontend asked for more than was offered
 * or for a ring layout this backend does not know.
 */
int xbb_negotiate(const struct xbb_fe_params *fe,
		  const struct xbb_be_offer *offer, struct xbb_negotiated *out,
		  const char **why)
{
	if (!fe->nr_queues || fe->nr_queues > offer->max_queues) {
		*why = "multi-queue-num-queues outside what was offered";
		return -EINVAL;
	}
	if (fe->ring_page_order > offer->max_ring_page_order) {
		*why = "ring-page-order above max-ring-page-order";
		return -EINVAL;
	}
	if (xbb_abi_from_protocol(fe->protocol, &out->abi)) {
		*why = "unknown protocol";
		return -EINVAL;
	}
	out->nr_queues = fe->nr_queues;
	out->ring_page_order = fe->ring_page_order;
	out->persistent = fe->persistent && offer->persistent;
	return 0;
}

/**
 * xbb_parse_physical_device() - parse the hotplug script's "major:minor"
 * @str: the value, both numbers in hex as the scripts write them
 * @major: the major number
 * @minor: the minor number
 *
 * Context: any.
 * Return: 0, or -EINVAL for anything but two hex numbers around one colon
 * that fit a dev_t.
 */
int xbb_parse_physical_device(const char *str, unsigned int *major,
			      unsigned int *minor)
{
	char buf[24];
	char *colon;

	if (strscpy(buf, str, sizeof(buf)) < 0)
		return -EINVAL;
	colon = strchr(buf, ':');
	if (!colon)
		return -EINVAL;
	*colon = '\0';
	if (kstrtouint(buf, 16, major) || kstrtouint(colon + 1, 16, minor))
		return -EINVAL;
	/* dev_t: 12 bits of major, 20 of minor. */
	if (*major >= (1U << 12) || *minor >= (1U << 20))
		return -EINVAL;
	return 0;
}

/**
 * xbb_parse_fe_uint() - parse a number the frontend wrote in xenstore
 * @str: the value
 * @val: the number
 *
 * Only decimal digits, and at least one: sscanf()'s "%u", which xenbus's
 * helpers use, would take "-1" as 4294967295 and "2junk" as 2, and
 * xenbus_read_unsigned() turns "abc" into its default. A frontend that
 * writes such a thing gets told, not guessed at.
 *
 * Context: any.
 * Return: 0, or -EINVAL for anything but 1 to 10 digits that fit 32 bits.
 */
int xbb_parse_fe_uint(const char *str, unsigned int *val)
{
	const char *p;

	if (!*str)
		return -EINVAL;
	for (p = str; *p; p++)
		if (*p < '0' || *p > '9' || p - str >= 10)
			return -EINVAL;
	return kstrtouint(str, 10, val);
}

/**
 * xbb_ring_ref_key() - the xenstore key naming ring page @idx
 * @buf: where to write the key
 * @len: size of @buf
 * @ring_page_order: the negotiated order
 * @idx: the page
 *
 * A one-page ring is "ring-ref"; a larger one is "ring-ref0".."ring-refN".
 *
 * Context: any.
 * Return: 0, or -EINVAL if @buf is too small.
 */
int xbb_ring_ref_key(char *buf, size_t len, unsigned int ring_page_order,
		     unsigned int idx)
{
	int n;

	if (!ring_page_order)
		n = snprintf(buf, len, "ring-ref");
	else
		n = snprintf(buf, len, "ring-ref%u", idx);
	return n < 0 || n >= len ? -EINVAL : 0;
}
