/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the vnet selftest clients.  Every client prints its
 * results as key=value lines on stdout so the shell tests can assert on
 * them, and exits with the errno of the failed operation (0 on success,
 * 255 on a usage or internal error) so "expect EPERM" is one comparison.
 */
#ifndef VNET_KSFT_COMMON_H
#define VNET_KSFT_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Netlink socket options older libc headers may lack. */
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

#define KSFT_EXIT_USAGE 255

static inline const char *errname(int err)
{
	const char *n = strerrorname_np(err);

	return n ? n : "E?";
}

/* Print "error=ENAME errno=N" and return err, for "return report_err(e)". */
static inline int report_err(int err)
{
	printf("error=%s\nerrno=%d\n", errname(err), err);
	fflush(stdout);
	return err;
}

static inline int parse_long(const char *s, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 0);
	return (errno || !*s || *end) ? -1 : 0;
}

#endif
