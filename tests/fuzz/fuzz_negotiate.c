// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: what a frontend (and the hotplug script) write in
 * xenstore, as the connect path parses it: the queue/ring/protocol
 * negotiation, "physical-device", the ring-ref key names and the numbers
 * the frontend writes. Each result is checked against the rules written
 * out here independently.
 *
 * Input: 12 bytes of numbers, then NUL-separated strings: the protocol
 * ("-" for an absent key), then physical-device.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "fuzz.h"

static u32 get32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

/* The next NUL-terminated field of the input, copied; NULL when none. */
static char *next_field(const u8 **data, size_t *size)
{
	const u8 *end = memchr(*data, 0, *size);
	size_t len = end ? (size_t)(end - *data) : *size;
	char *s;

	if (!*size)
		return NULL;
	s = malloc(len + 1);
	memcpy(s, *data, len);
	s[len] = '\0';
	*data += len + !!end;
	*size -= len + !!end;
	return s;
}

static void check_negotiate(const u8 *num, const char *protocol)
{
	struct xbb_fe_params fe = {
		.nr_queues = num[0] & 0x80 ? get32(num + 1) : num[0],
		.ring_page_order = num[5] & 0x80 ? get32(num + 1) : num[5] % 16,
		.protocol = protocol,
		.persistent = num[6] & 1,
	};
	struct xbb_be_offer offer = {
		.max_queues = num[7] % 9,
		.max_ring_page_order = num[8] % 7,
		.persistent = num[6] & 2,
	};
	struct xbb_negotiated out;
	const char *why = NULL;
	bool known = !protocol || !*protocol ||
		     !strcmp(protocol, "x86_32-abi") ||
		     !strcmp(protocol, "x86_64-abi");
	bool ok = fe.nr_queues >= 1 && fe.nr_queues <= offer.max_queues &&
		  fe.ring_page_order <= offer.max_ring_page_order && known;
	int rc = xbb_negotiate(&fe, &offer, &out, &why);

	FUZZ_CHECK((rc == 0) == ok);
	if (rc) {
		FUZZ_CHECK(rc == -EINVAL && why && *why);
		return;
	}
	FUZZ_CHECK(out.nr_queues == fe.nr_queues);
	FUZZ_CHECK(out.ring_page_order == fe.ring_page_order);
	FUZZ_CHECK(out.persistent == (fe.persistent && offer.persistent));
	/* x86: an absent key is a 32-bit frontend; "x86_64-abi" is native. */
	if (!protocol || !*protocol || !strcmp(protocol, "x86_32-abi"))
		FUZZ_CHECK(out.abi == XBB_ABI_X86_32);
	else
		FUZZ_CHECK(out.abi == XBB_ABI_X86_64 || out.abi == XBB_ABI_NATIVE);
	FUZZ_CHECK(!strcmp(xbb_abi_name(out.abi), protocol && *protocol ?
			   protocol : "x86_32-abi"));
}

/* One hex number as the hotplug script may write it, or -1. */
static long long model_hex(const char *s, size_t len)
{
	unsigned long long v = 0;
	size_t i = 0, digits = 0;

	if (i < len && s[i] == '+')
		i++;
	if (i + 1 < len && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X'))
		i += 2;
	for (; i < len; i++, digits++) {
		char c = s[i];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			break;
		v = v * 16 + d;
		if (v > 0xffffffffULL)
			return -1;
	}
	if (!digits)
		return -1;
	if (i < len && s[i] == '\n')
		i++;
	return i == len ? (long long)v : -1;
}

static void check_physical_device(const char *str)
{
	const char *colon = strchr(str, ':');
	long long maj = -1, min = -1;
	unsigned int major, minor;
	int rc = xbb_parse_physical_device(str, &major, &minor);
	char again[32];

	/* Longer than 23 characters does not fit the parser's buffer. */
	if (colon && strlen(str) < 24) {
		maj = model_hex(str, colon - str);
		min = model_hex(colon + 1, strlen(colon + 1));
	}
	if (maj < 0 || min < 0 || maj >= 1 << 12 || min >= 1 << 20) {
		FUZZ_CHECK(rc == -EINVAL);
		return;
	}
	FUZZ_CHECK(rc == 0 && major == maj && minor == min);
	snprintf(again, sizeof(again), "%x:%x", major, minor);
	FUZZ_CHECK(!xbb_parse_physical_device(again, &major, &minor) &&
		   major == maj && minor == min);
}

/* A frontend's number: 1 to 10 decimal digits that fit 32 bits, no more. */
static void check_fe_uint(const char *str)
{
	unsigned long long v = 0;
	unsigned int val = 0;
	size_t i, len = strlen(str);
	bool ok = len >= 1 && len <= 10;
	int rc = xbb_parse_fe_uint(str, &val);

	for (i = 0; i < len && ok; i++) {
		ok = str[i] >= '0' && str[i] <= '9';
		v = v * 10 + (str[i] - '0');
	}
	ok = ok && v <= 0xffffffffULL;
	FUZZ_CHECK((rc == 0) == ok);
	if (ok)
		FUZZ_CHECK(val == v);
}

static void check_ring_ref_key(const u8 *num)
{
	size_t len = num[9] % 16;
	unsigned int order = num[10] % 5, idx = num[11] | num[4] << 8;
	char want[32], *buf = malloc(len ? len : 1);
	int rc;

	if (order)
		snprintf(want, sizeof(want), "ring-ref%u", idx);
	else
		snprintf(want, sizeof(want), "ring-ref");
	/* Exactly @len bytes: ASan sees any write past them. */
	rc = xbb_ring_ref_key(buf, len, order, idx);
	if (strlen(want) < len)
		FUZZ_CHECK(rc == 0 && !strcmp(buf, want));
	else
		FUZZ_CHECK(rc == -EINVAL);
	free(buf);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	const u8 *num = data;
	char *protocol, *phys;

	if (size < 12)
		return 0;
	data += 12;
	size -= 12;
	protocol = next_field(&data, &size);
	phys = next_field(&data, &size);
	check_negotiate(num, protocol && strcmp(protocol, "-") ? protocol : NULL);
	if (protocol)
		check_fe_uint(protocol);
	if (phys) {
		check_physical_device(phys);
		check_fe_uint(phys);
	}
	check_ring_ref_key(num);
	free(protocol);
	free(phys);
	return 0;
}
