/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by vnet's fuzzers: a seeded PRNG (every run is reproducible from
 * the seed it prints), per-errno counters, and netlink message building.
 */
#ifndef VNET_FUZZ_H
#define VNET_FUZZ_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

#define FUZZ_MAX_ERRNO	200

/* xorshift64*, seeded through splitmix64 */
struct fuzz_rng {
	uint64_t s;
};

static inline void rng_seed(struct fuzz_rng *r, uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	r->s = (z ^ (z >> 31)) | 1;
}

static inline uint64_t rng_next(struct fuzz_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

/* 0 .. n-1 */
static inline uint32_t rnd(struct fuzz_rng *r, uint32_t n)
{
	return n ? (uint32_t)((rng_next(r) >> 32) % n) : 0;
}

static inline bool chance(struct fuzz_rng *r, uint32_t one_in)
{
	return rnd(r, one_in) == 0;
}

static inline void rnd_bytes(struct fuzz_rng *r, void *buf, size_t n)
{
	uint8_t *p = buf;

	while (n--)
		*p++ = (uint8_t)rng_next(r);
}

/* An "interesting" 32-bit value: small, boundary, or random. */
static inline int32_t rnd_s32(struct fuzz_rng *r)
{
	static const int32_t edge[] = {
		0, 1, 2, 3, -1, 50, 99, 100, 101, 1000, 0x7fffffff,
		-0x7fffffff - 1, 0x10000, 65535,
	};

	if (chance(r, 3))
		return (int32_t)rng_next(r);
	return edge[rnd(r, sizeof(edge) / sizeof(edge[0]))];
}

/* Results of one fuzzer: calls by errno (0 = success). */
struct fuzz_stats {
	const char *name;
	unsigned long calls;
	unsigned long by_errno[FUZZ_MAX_ERRNO];
	unsigned long unexpected[FUZZ_MAX_ERRNO];
	unsigned long violations;
};

static inline void fuzz_count(struct fuzz_stats *st, int err, bool expected)
{
	if (err < 0)
		err = -err;
	if (err >= FUZZ_MAX_ERRNO)
		err = FUZZ_MAX_ERRNO - 1;
	st->calls++;
	st->by_errno[err]++;
	if (!expected)
		st->unexpected[err]++;
}

/* A contract broken: print what happened (first few) and count it. */
#define fuzz_violation(st, fmt, ...) do {				\
	if ((st)->violations++ < 10)					\
		printf("violation_%s: " fmt "\n", (st)->name, ##__VA_ARGS__); \
} while (0)

static inline const char *ename(int err)
{
	const char *n = err ? strerrorname_np(err) : "OK";

	return n ? n : "E?";
}

static inline void fuzz_report(const struct fuzz_stats *st)
{
	int e;

	printf("%s_calls=%lu\n", st->name, st->calls);
	for (e = 0; e < FUZZ_MAX_ERRNO; e++)
		if (st->by_errno[e])
			printf("%s_errno_%s=%lu\n", st->name, ename(e), st->by_errno[e]);
	for (e = 0; e < FUZZ_MAX_ERRNO; e++)
		if (st->unexpected[e])
			printf("%s_unexpected_%s=%lu\n", st->name, ename(e), st->unexpected[e]);
	printf("%s_violations=%lu\n", st->name, st->violations);
}

/* ---- netlink message building (one message in a caller's buffer) ---- */

struct nlbuf {
	char *buf;
	size_t cap;
	struct nlmsghdr *nlh;
};

static inline void nl_init(struct nlbuf *b, char *buf, size_t cap, uint16_t type,
			   uint16_t flags, uint32_t seq)
{
	b->buf = buf;
	b->cap = cap;
	b->nlh = (struct nlmsghdr *)buf;
	memset(buf, 0, NLMSG_HDRLEN);
	b->nlh->nlmsg_len = NLMSG_HDRLEN;
	b->nlh->nlmsg_type = type;
	b->nlh->nlmsg_flags = flags;
	b->nlh->nlmsg_seq = seq;
}

static inline void *nl_tail(struct nlbuf *b)
{
	return b->buf + NLMSG_ALIGN(b->nlh->nlmsg_len);
}

/* Appends raw bytes (a fixed header, say); false when full. */
static inline bool nl_put_raw(struct nlbuf *b, const void *d, size_t len)
{
	size_t at = NLMSG_ALIGN(b->nlh->nlmsg_len);

	if (at + NLMSG_ALIGN(len) > b->cap)
		return false;
	memcpy(b->buf + at, d, len);
	memset(b->buf + at + len, 0, NLMSG_ALIGN(len) - len);
	b->nlh->nlmsg_len = at + len;
	return true;
}

/* An attribute with nla_len = 4 + len (claimed may differ: truncation). */
static inline struct nlattr *nl_put_attr(struct nlbuf *b, uint16_t type,
					 const void *d, size_t len)
{
	size_t at = NLMSG_ALIGN(b->nlh->nlmsg_len);
	struct nlattr *a = (struct nlattr *)(b->buf + at);

	if (at + NLA_HDRLEN + NLA_ALIGN(len) > b->cap)
		return NULL;
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	if (len)
		memcpy((char *)a + NLA_HDRLEN, d, len);
	memset((char *)a + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	b->nlh->nlmsg_len = at + NLA_HDRLEN + len;
	return a;
}

static inline struct nlattr *nl_nest_start(struct nlbuf *b, uint16_t type)
{
	return nl_put_attr(b, type | NLA_F_NESTED, NULL, 0);
}

static inline void nl_nest_end(struct nlbuf *b, struct nlattr *nest)
{
	if (nest)
		nest->nla_len = (uint16_t)(b->buf + b->nlh->nlmsg_len - (char *)nest);
}

/* fuzz_nl.c */
int nl_open(int proto);
int nl_send(int fd, const void *req, size_t len);
int nl_wait(int fd, uint32_t seq, uint32_t stray_seq, unsigned long *stray);
int nl_transact(int fd, const void *req, size_t len, uint32_t seq);

/* fuzz_ioctl.c, fuzz_genl.c, fuzz_rtnl.c */
int fuzz_ioctl(struct fuzz_rng *r, unsigned long count, char **devs, int ndevs,
	       struct fuzz_stats *st);
int fuzz_genl(struct fuzz_rng *r, unsigned long count, char **devs, int ndevs,
	      struct fuzz_stats *st);
int fuzz_rtnl(struct fuzz_rng *r, unsigned long count, char **devs, int ndevs,
	      struct fuzz_stats *st);

#endif
