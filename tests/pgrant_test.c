// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for pgrant.c: the persistent-grant cache's bookkeeping.
 */

#include <kunit/test.h>

#include "pgrant.c"

#define XBB_TEST_NR_GRANTS 8

struct xbb_pgrant_fixture {
	struct xbb_pgrant_cache cache;
	struct xbb_pgrant pg[XBB_TEST_NR_GRANTS];
};

/* Grants 10, 20, ... 80 mapped, active, then released at times 100..107. */
static struct xbb_pgrant_fixture *xbb_pgrant_setup(struct kunit *test)
{
	struct xbb_pgrant_fixture *f;
	unsigned int i;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	xbb_pgrant_cache_init(&f->cache);
	for (i = 0; i < XBB_TEST_NR_GRANTS; i++) {
		f->pg[i].gref = 10 * (i + 1);
		xbb_pgrant_add(&f->cache, &f->pg[i]);
	}
	for (i = 0; i < XBB_TEST_NR_GRANTS; i++)
		xbb_pgrant_put(&f->cache, &f->pg[i], 100 + i);
	return f;
}

static void pgrant_get_finds_idle_grant_and_marks_it_active(struct kunit *test)
{
	struct xbb_pgrant_fixture *f = xbb_pgrant_setup(test);
	struct xbb_pgrant *pg;

	pg = xbb_pgrant_get(&f->cache, 30);
	KUNIT_ASSERT_PTR_EQ(test, &f->pg[2], pg);
	KUNIT_EXPECT_TRUE(test, pg->active);
	KUNIT_EXPECT_TRUE(test, list_empty(&pg->lru));
	KUNIT_EXPECT_EQ(test, 8U, f->cache.nr);
}

static void pgrant_get_misses_unknown_gref(struct kunit *test)
{
	struct xbb_pgrant_fixture *f = xbb_pgrant_setup(test);

	KUNIT_EXPECT_NULL(test, xbb_pgrant_get(&f->cache, 35));
	KUNIT_EXPECT_NULL(test, xbb_pgrant_get(&f->cache, 0));
	KUNIT_EXPECT_NULL(test, xbb_pgrant_get(&f->cache, 90));
}

static void pgrant_get_does_not_share_active_grant(struct kunit *test)
{
	struct xbb_pgrant_fixture *f = xbb_pgrant_setup(test);

	KUNIT_ASSERT_NOT_NULL(test, xbb_pgrant_get(&f->cache, 40));
	/* The same page named twice at once is mapped twice, not shared. */
	KUNIT_EXPECT_NULL(test, xbb_pgrant_get(&f->cache, 40));
	xbb_pgrant_put(&f->cache, &f->pg[3], 200);
	KUNIT_EXPECT_PTR_EQ(test, &f->pg[3], xbb_pgrant_get(&f->cache, 40));
}

static void pgrant_evict_keeps_all_under_cap_and_fresh(struct kunit *test)
{
	struct xbb_pgrant_fixture *f = xbb_pgrant_setup(test);

	KUNIT_EXPECT_NULL(test, xbb_pgrant_evict(&f->cache, 8, 50, 120,
						 false));
	KUNIT_EXPECT_EQ(test, 8U, f->cache.nr);
}

static void pgrant_evict_over_cap_takes_least_recently_used(struct kunit *test)
{
	struct xbb_pgrant_fixture *f = xbb_pgrant_setup(test);
	struct xbb_pgrant *pg;

	/* Use 10 again: 20 becomes the least recently used. */
	xbb_pgrant_get(&f->cache, 10);
	xbb_pgrant_put(&f->cache, &f->pg[0], 300);

	pg = xbb_pgrant_evict(&f->cache, 6, 1000, 300, false);
	KUNIT_EXPECT_PTR_EQ(test, &f->pg[1], pg);
	pg = xbb_pgrant_evict(&f->cache, 6, 1000, 300, false);
	KUNIT_EXPECT_PTR_EQ(test, &f->pg[2], pg);
	KUNIT_EXPECT_NULL(test, xbb_pgrant_evict(&f->cache, 6, 1000, 300,
						 false));
	KUNIT_EXPECT_EQ(test, 6U, f->cache.nr);
	/* Evicted grants are out of the tree. */
	KUNIT_EXPECT_NULL(test, xbb_pgrant_get(&f->cache, 20));
}

static void pgrant_evict_takes_idle_grants_only(struct kunit *test)
{
	struct xbb_pgrant_fixture *f = xbb_pgrant_setup(test);
	unsigned int n = 0;

	/* idle 5 at time 105: those released at 100 and 101 have expired. */
	while (xbb_pgrant_evict(&f->cache, 100, 5, 106, false))
		n++;
	KUNIT_EXPECT_EQ(test, 2U, n);
	KUNIT_EXPECT_EQ(test, 6U, f->cache.nr);
}

static void pgrant_evict_never_takes_active_grant(struct kunit *test)
{
	struct xbb_pgrant_fixture *f = xbb_pgrant_setup(test);
	unsigned int n = 0;

	xbb_pgrant_get(&f->cache, 50);
	while (xbb_pgrant_evict(&f->cache, 0, 0, 1000, true))
		n++;
	KUNIT_EXPECT_EQ(test, 7U, n);
	KUNIT_EXPECT_EQ(test, 1U, f->cache.nr);
	KUNIT_EXPECT_TRUE(test, f->pg[4].active);
}

static void pgrant_evict_handles_jiffies_wrap(struct kunit *test)
{
	struct xbb_pgrant_cache cache;
	struct xbb_pgrant pg = { .gref = 1 };

	xbb_pgrant_cache_init(&cache);
	xbb_pgrant_add(&cache, &pg);
	xbb_pgrant_put(&cache, &pg, ULONG_MAX - 2);
	/* 4 ticks later, across the wrap: not idle for 10 yet. */
	KUNIT_EXPECT_NULL(test, xbb_pgrant_evict(&cache, 10, 10, 1, false));
	KUNIT_EXPECT_PTR_EQ(test, &pg,
			    xbb_pgrant_evict(&cache, 10, 10, 8, false));
}

static void pgrant_add_refuses_a_gref_already_cached(struct kunit *test)
{
	struct xbb_pgrant_fixture *f = xbb_pgrant_setup(test);
	struct xbb_pgrant again = { .gref = 50 };
	struct xbb_pgrant *pg;
	unsigned int n = 0;

	/* In use by one request, mapped again for another: not kept. */
	KUNIT_ASSERT_NOT_NULL(test, xbb_pgrant_get(&f->cache, 50));
	KUNIT_EXPECT_FALSE(test, xbb_pgrant_add(&f->cache, &again));
	KUNIT_EXPECT_EQ(test, 8U, f->cache.nr);
	/* Idle, too: still one entry per gref. */
	xbb_pgrant_put(&f->cache, &f->pg[4], 0);
	KUNIT_EXPECT_FALSE(test, xbb_pgrant_add(&f->cache, &again));
	while ((pg = xbb_pgrant_evict(&f->cache, 0, 0, 1000, true)))
		n += pg->gref == 50;
	KUNIT_EXPECT_EQ(test, 1U, n);
}

static struct kunit_case xbb_pgrant_test_cases[] = {
	KUNIT_CASE(pgrant_get_finds_idle_grant_and_marks_it_active),
	KUNIT_CASE(pgrant_get_misses_unknown_gref),
	KUNIT_CASE(pgrant_get_does_not_share_active_grant),
	KUNIT_CASE(pgrant_evict_keeps_all_under_cap_and_fresh),
	KUNIT_CASE(pgrant_evict_over_cap_takes_least_recently_used),
	KUNIT_CASE(pgrant_evict_takes_idle_grants_only),
	KUNIT_CASE(pgrant_evict_never_takes_active_grant),
	KUNIT_CASE(pgrant_evict_handles_jiffies_wrap),
	KUNIT_CASE(pgrant_add_refuses_a_gref_already_cached),
	{}
};

static struct kunit_suite xbb_pgrant_test_suite = {
	.name = "xen-blkback-async-pgrant",
	.test_cases = xbb_pgrant_test_cases,
};

kunit_test_suite(xbb_pgrant_test_suite);
