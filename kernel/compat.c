// SPDX-License-Identifier: GPL-2.0
/*
 * Out-of-line shims of compat.h: only kernels that need them compile
 * anything here.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "vnet_priv.h"

#ifndef VNET_HAVE_NDO_SIOCDEVPRIVATE
/*
 * Before 5.15 the core hands SIOCDEVPRIVATE..+15 to ndo_do_ioctl, under
 * RTNL as now, with the user pointer in ifr_data.
 */
int vnet_compat_do_ioctl(struct net_device *dev, struct ifreq *ifr, int cmd)
{
	if (cmd < SIOCDEVPRIVATE || cmd > SIOCDEVPRIVATE + 15)
		return -EOPNOTSUPP;
	return vnet_siocdevprivate(dev, ifr, ifr->ifr_data, cmd);
}
#endif
