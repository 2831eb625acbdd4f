// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xenstore wire protocol (xs_wire.h) on /dev/xen/xenbus: a 16-byte
 * header (type, request id, transaction id, payload length) and a payload
 * of NUL-separated strings; the reply comes back on the same descriptor
 * with the same header. No watches: the frontend polls, which keeps the
 * reply stream free of unsolicited events.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostile.h"

enum {
	XSW_READ = 2, XSW_TRANSACTION_START = 6, XSW_TRANSACTION_END = 7,
	XSW_WRITE = 11, XSW_RM = 13, XSW_ERROR = 16,
};

#define XS_PAYLOAD_MAX	4096u

struct xs_hdr {
	uint32_t type, req_id, tx_id, len;
};

int xs_open(struct xs *xs)
{
	xs->fd = open("/dev/xen/xenbus", O_RDWR);
	xs->req_id = 1;
	return xs->fd < 0 ? -1 : 0;
}

static int read_full(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* The error reply's name, as a negative errno. */
static int xs_errno(const char *name)
{
	static const struct { const char *name; int err; } map[] = {
		{ "ENOENT", ENOENT }, { "EACCES", EACCES }, { "EINVAL", EINVAL },
		{ "EAGAIN", EAGAIN }, { "EEXIST", EEXIST }, { "ENOSPC", ENOSPC },
		{ "EBUSY", EBUSY }, { "E2BIG", E2BIG }, { "EQUOTA", EDQUOT },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (!strcmp(name, map[i].name))
			return -map[i].err;
	return -EIO;
}

/*
 * Sends one message of two strings (@b may be NULL; @b_len bytes of it,
 * no NUL of its own) and returns the reply's payload, NUL-terminated.
 */
static char *xs_talk(struct xs *xs, uint32_t type, uint32_t tx, const char *a,
		     const char *b, size_t b_len, uint32_t *reply_len)
{
	uint8_t msg[sizeof(struct xs_hdr) + XS_PAYLOAD_MAX];
	struct xs_hdr h = { .type = type, .req_id = xs->req_id++, .tx_id = tx };
	size_t a_len = strlen(a) + 1;
	char *payload;

	if (a_len + (b ? b_len : 0) > XS_PAYLOAD_MAX) {
		errno = E2BIG;
		return NULL;
	}
	h.len = a_len + (b ? b_len : 0);
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), a, a_len);
	if (b)
		memcpy(msg + sizeof(h) + a_len, b, b_len);
	if (write(xs->fd, msg, sizeof(h) + h.len) != (ssize_t)(sizeof(h) + h.len))
		return NULL;
	if (read_full(xs->fd, &h, sizeof(h)) || h.len > XS_PAYLOAD_MAX) {
		errno = EIO;
		return NULL;
	}
	payload = calloc(1, h.len + 1);
	if (!payload || read_full(xs->fd, payload, h.len)) {
		free(payload);
		errno = EIO;
		return NULL;
	}
	if (h.type == XSW_ERROR) {
		errno = -xs_errno(payload);
		free(payload);
		return NULL;
	}
	if (reply_len)
		*reply_len = h.len;
	return payload;
}

char *xs_read(struct xs *xs, uint32_t tx, const char *path)
{
	return xs_talk(xs, XSW_READ, tx, path, NULL, 0, NULL);
}

int xs_write(struct xs *xs, uint32_t tx, const char *path, const char *val)
{
	char *r = xs_talk(xs, XSW_WRITE, tx, path, val, strlen(val), NULL);

	free(r);
	return r ? 0 : -1;
}

int xs_writef(struct xs *xs, uint32_t tx, const char *path,
	      const char *fmt, ...)
{
	char val[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	return xs_write(xs, tx, path, val);
}

int xs_rm(struct xs *xs, uint32_t tx, const char *path)
{
	char *r = xs_talk(xs, XSW_RM, tx, path, NULL, 0, NULL);

	free(r);
	return r || errno == ENOENT ? 0 : -1;
}

int xs_tx_start(struct xs *xs, uint32_t *tx)
{
	char *r = xs_talk(xs, XSW_TRANSACTION_START, 0, "", NULL, 0, NULL);

	if (!r)
		return -1;
	*tx = strtoul(r, NULL, 10);
	free(r);
	return 0;
}

int xs_tx_end(struct xs *xs, uint32_t tx, bool commit)
{
	char *r = xs_talk(xs, XSW_TRANSACTION_END, tx, commit ? "T" : "F",
			  NULL, 0, NULL);

	free(r);
	return r ? 0 : -1;
}

long long xs_read_ll(struct xs *xs, const char *path, long long def)
{
	char *v = xs_read(xs, 0, path), *end;
	long long n;

	if (!v)
		return def;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno || end == v || *end)
		n = def;
	free(v);
	return n;
}
