// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for negotiate.c: what a connection runs on, given what the
 * frontend wrote and what the backend offered.
 */

#include <kunit/test.h>
#include <xen/interface/io/protocols.h>

#include "negotiate.c"

static const struct xbb_be_offer xbb_test_offer = {
	.max_queues = 4,
	.max_ring_page_order = 4,
	.persistent = true,
};

static void negotiate_accepts_defaults_of_an_old_frontend(struct kunit *test)
{
	struct xbb_fe_params fe = { .nr_queues = 1 };
	struct xbb_negotiated neg;
	const char *why = NULL;

	KUNIT_ASSERT_EQ(test, 0, xbb_negotiate(&fe, &xbb_test_offer, &neg,
					       &why));
	KUNIT_EXPECT_EQ(test, 1U, neg.nr_queues);
	KUNIT_EXPECT_EQ(test, 0U, neg.ring_page_order);
	KUNIT_EXPECT_FALSE(test, neg.persistent);
	/* No protocol key: the x86 default layout. */
	KUNIT_EXPECT_EQ(test, IS_ENABLED(CONFIG_X86) ? XBB_ABI_X86_32 :
			XBB_ABI_NATIVE, neg.abi);
}

static void negotiate_takes_what_the_frontend_chose(struct kunit *test)
{
	struct xbb_fe_params fe = {
		.nr_queues = 4, .ring_page_order = 4, .persistent = true,
		.protocol = XEN_IO_PROTO_ABI_X86_64,
	};
	struct xbb_negotiated neg;
	const char *why = NULL;

	KUNIT_ASSERT_EQ(test, 0, xbb_negotiate(&fe, &xbb_test_offer, &neg,
					       &why));
	KUNIT_EXPECT_EQ(test, 4U, neg.nr_queues);
	KUNIT_EXPECT_EQ(test, 4U, neg.ring_page_order);
	KUNIT_EXPECT_TRUE(test, neg.persistent);
	KUNIT_EXPECT_EQ(test, XBB_ABI_X86_64, neg.abi);
}

static void negotiate_persistent_needs_both_ends(struct kunit *test)
{
	struct xbb_be_offer offer = xbb_test_offer;
	struct xbb_fe_params fe = { .nr_queues = 1, .persistent = true };
	struct xbb_negotiated neg;
	const char *why = NULL;

	offer.persistent = false;
	KUNIT_ASSERT_EQ(test, 0, xbb_negotiate(&fe, &offer, &neg, &why));
	KUNIT_EXPECT_FALSE(test, neg.persistent);
}

static void negotiate_rejects_zero_queues(struct kunit *test)
{
	struct xbb_fe_params fe = { .nr_queues = 0 };
	struct xbb_negotiated neg;
	const char *why = NULL;

	KUNIT_EXPECT_EQ(test, -EINVAL, xbb_negotiate(&fe, &xbb_test_offer,
						     &neg, &why));
	KUNIT_EXPECT_NOT_NULL(test, why);
}

static void negotiate_rejects_more_queues_than_offered(struct kunit *test)
{
	struct xbb_fe_params fe = { .nr_queues = 5 };
	struct xbb_negotiated neg;
	const char *why = NULL;

	KUNIT_EXPECT_EQ(test, -EINVAL, xbb_negotiate(&fe, &xbb_test_offer,
						     &neg, &why));
	KUNIT_EXPECT_STREQ(test, "multi-queue-num-queues outside what was offered",
			   why);
}

static void negotiate_rejects_ring_larger_than_offered(struct kunit *test)
{
	struct xbb_be_offer offer = xbb_test_offer;
	struct xbb_fe_params fe = { .nr_queues = 1, .ring_page_order = 1 };
	struct xbb_negotiated neg;
	const char *why = NULL;

	offer.max_ring_page_order = 0;
	KUNIT_EXPECT_EQ(test, -EINVAL, xbb_negotiate(&fe, &offer, &neg, &why));
	KUNIT_EXPECT_STREQ(test, "ring-page-order above max-ring-page-order",
			   why);
}

static void negotiate_rejects_unknown_protocol(struct kunit *test)
{
	struct xbb_fe_params fe = { .nr_queues = 1, .protocol = "ppc-abi" };
	struct xbb_negotiated neg;
	const char *why = NULL;

	KUNIT_EXPECT_EQ(test, -EINVAL, xbb_negotiate(&fe, &xbb_test_offer,
						     &neg, &why));
	KUNIT_EXPECT_STREQ(test, "unknown protocol", why);
}

struct xbb_pdev_case {
	const char *str;
	int err;
	unsigned int major, minor;
};

static const struct xbb_pdev_case xbb_pdev_cases[] = {
	{ "fe:0", 0, 0xfe, 0 },
	{ "1:7", 0, 1, 7 },
	{ "103:1a", 0, 0x103, 0x1a },
	{ "fff:fffff", 0, 0xfff, 0xfffff },
	{ "1000:0", -EINVAL },		/* major past 12 bits */
	{ "1:100000", -EINVAL },	/* minor past 20 bits */
	{ "254", -EINVAL },		/* no colon */
	{ ":1", -EINVAL },
	{ "1:", -EINVAL },
	{ "1:2:3", -EINVAL },
	{ "g:1", -EINVAL },
	{ "-1:1", -EINVAL },
	{ "1 :1", -EINVAL },
	{ "", -EINVAL },
	{ "1:11111111111111111111111111111", -EINVAL },	/* too long */
};

static void xbb_pdev_desc(const struct xbb_pdev_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->str);
}

KUNIT_ARRAY_PARAM(xbb_pdev, xbb_pdev_cases, xbb_pdev_desc);

static void parse_physical_device_table(struct kunit *test)
{
	const struct xbb_pdev_case *c = test->param_value;
	unsigned int major = ~0U, minor = ~0U;

	KUNIT_ASSERT_EQ(test, c->err,
			xbb_parse_physical_device(c->str, &major, &minor));
	if (c->err)
		return;
	KUNIT_EXPECT_EQ(test, c->major, major);
	KUNIT_EXPECT_EQ(test, c->minor, minor);
}

struct xbb_fe_uint_case {
	const char *str;
	int err;
	unsigned int val;
};

static const struct xbb_fe_uint_case xbb_fe_uint_cases[] = {
	{ "0", 0, 0 },
	{ "4", 0, 4 },
	{ "0004", 0, 4 },
	{ "4294967295", 0, 4294967295U },
	{ "4294967296", -ERANGE },	/* past 32 bits */
	{ "99999999999", -EINVAL },	/* eleven digits */
	{ "-1", -EINVAL },		/* sscanf("%u") makes it 4294967295 */
	{ "2junk", -EINVAL },		/* sscanf("%u") makes it 2 */
	{ "abc", -EINVAL },		/* xenbus_read_unsigned(): the default */
	{ "+4", -EINVAL },
	{ " 4", -EINVAL },
	{ "4\n", -EINVAL },
	{ "0x10", -EINVAL },
	{ "", -EINVAL },
};

static void xbb_fe_uint_desc(const struct xbb_fe_uint_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->str);
}

KUNIT_ARRAY_PARAM(xbb_fe_uint, xbb_fe_uint_cases, xbb_fe_uint_desc);

static void parse_fe_uint_table(struct kunit *test)
{
	const struct xbb_fe_uint_case *c = test->param_value;
	unsigned int val = 12345;

	KUNIT_ASSERT_EQ(test, c->err, xbb_parse_fe_uint(c->str, &val));
	if (!c->err)
		KUNIT_EXPECT_EQ(test, c->val, val);
}

static void ring_ref_key_names_single_and_multi_page(struct kunit *test)
{
	char key[16];

	KUNIT_ASSERT_EQ(test, 0, xbb_ring_ref_key(key, sizeof(key), 0, 0));
	KUNIT_EXPECT_STREQ(test, "ring-ref", key);
	KUNIT_ASSERT_EQ(test, 0, xbb_ring_ref_key(key, sizeof(key), 1, 0));
	KUNIT_EXPECT_STREQ(test, "ring-ref0", key);
	KUNIT_ASSERT_EQ(test, 0, xbb_ring_ref_key(key, sizeof(key), 4, 15));
	KUNIT_EXPECT_STREQ(test, "ring-ref15", key);
	KUNIT_EXPECT_EQ(test, -EINVAL, xbb_ring_ref_key(key, 9, 4, 15));
}

static struct kunit_case xbb_negotiate_test_cases[] = {
	KUNIT_CASE(negotiate_accepts_defaults_of_an_old_frontend),
	KUNIT_CASE(negotiate_takes_what_the_frontend_chose),
	KUNIT_CASE(negotiate_persistent_needs_both_ends),
	KUNIT_CASE(negotiate_rejects_zero_queues),
	KUNIT_CASE(negotiate_rejects_more_queues_than_offered),
	KUNIT_CASE(negotiate_rejects_ring_larger_than_offered),
	KUNIT_CASE(negotiate_rejects_unknown_protocol),
	KUNIT_CASE_PARAM(parse_physical_device_table, xbb_pdev_gen_params),
	KUNIT_CASE(ring_ref_key_names_single_and_multi_page),
	KUNIT_CASE_PARAM(parse_fe_uint_table, xbb_fe_uint_gen_params),
	{}
};

static struct kunit_suite xbb_negotiate_test_suite = {
	.name = "xen-blkback-async-negotiate",
	.test_cases = xbb_negotiate_test_cases,
};

kunit_test_suite(xbb_negotiate_test_suite);
