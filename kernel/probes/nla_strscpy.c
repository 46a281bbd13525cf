// SPDX-License-Identifier: GPL-2.0
/*
 * nla_strscpy(): 872f69034194 ("treewide: rename nla_strlcpy to nla_strscpy."), v5.11.
 */
#include <net/netlink.h>

static ssize_t __maybe_unused vnet_probe(char *dst, const struct nlattr *nla, size_t size)
{
	return nla_strscpy(dst, nla, size);
}
