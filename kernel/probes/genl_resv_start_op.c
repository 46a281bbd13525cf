// SPDX-License-Identifier: GPL-2.0
/*
 * genl_family.resv_start_op: 9c5d03d36251 ("genetlink: start to validate
 * reserved header bytes"), v6.1.
 */
#include <net/genetlink.h>

static unsigned int __maybe_unused vnet_probe(const struct genl_family *family)
{
	return family->resv_start_op;
}
