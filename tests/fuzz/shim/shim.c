// SPDX-License-Identifier: GPL-2.0-only
/*
 * The few kernel library functions the pure core calls, with the kernel's
 * documented semantics, for the userspace fuzz build.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <linux/kernel.h>
#include <linux/rbtree.h>
#include <linux/string.h>

/*
 * kstrtouint(): an optional '+', for base 16 an optional "0x", at least
 * one digit, at most one trailing newline; -ERANGE past UINT_MAX, -EINVAL
 * for anything else.
 */
int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long v = 0;
	const char *p;

	if (base != 10 && base != 16)
		return -EINVAL;
	if (*s == '+')
		s++;
	if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (p = s; *p; p++) {
		unsigned int d;

		if (isdigit((unsigned char)*p))
			d = *p - '0';
		else if (base == 16 && isxdigit((unsigned char)*p))
			d = tolower((unsigned char)*p) - 'a' + 10;
		else
			break;
		v = v * base + d;
		if (v > UINT_MAX)
			return -ERANGE;
	}
	if (p == s)
		return -EINVAL;
	if (*p == '\n')
		p++;
	if (*p)
		return -EINVAL;
	*res = v;
	return 0;
}

/* strscpy(): NUL-terminated copy; -E2BIG when @src does not fit. */
ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t len;

	if (!size)
		return -E2BIG;
	len = strnlen(src, size);
	if (len == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
	return len;
}

/* Puts @new where @old hangs under @parent (or at the root). */
static void rb_replace_child(struct rb_root *root, struct rb_node *parent,
			     struct rb_node *old, struct rb_node *new)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
	if (new)
		new->rb_parent = parent;
}

/* Binary-search-tree removal: a node with two children gives way to its
 * in-order successor, so the ordering stays.
 */
void rb_erase(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *succ;

	if (!node->rb_left) {
		rb_replace_child(root, node->rb_parent, node, node->rb_right);
		return;
	}
	if (!node->rb_right) {
		rb_replace_child(root, node->rb_parent, node, node->rb_left);
		return;
	}
	succ = node->rb_right;
	while (succ->rb_left)
		succ = succ->rb_left;
	if (succ->rb_parent != node) {
		rb_replace_child(root, succ->rb_parent, succ, succ->rb_right);
		succ->rb_right = node->rb_right;
		succ->rb_right->rb_parent = succ;
	}
	rb_replace_child(root, node->rb_parent, node, succ);
	succ->rb_left = node->rb_left;
	succ->rb_left->rb_parent = succ;
}
