// SPDX-License-Identifier: GPL-2.0
/*
 * vnet SIOCDEVPRIVATE commands: reset statistics (seed 000) and Rubini's
 * relay SET/GET (seed 001), with the struct layout of the uapi header.
 *
 * The core takes RTNL around ndo_siocdevprivate but checks no
 * capability, so mutating commands check CAP_NET_ADMIN over the device's
 * network namespace here.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/uaccess.h>

#include "vnet_priv.h"

static_assert(sizeof(struct vnet_relay_info) == 28);

static bool vnet_may_change(struct net_device *dev)
{
	return ns_capable(dev_net(dev)->user_ns, CAP_NET_ADMIN);
}

static int vnet_ioctl_set(struct vnet_priv *priv, void __user *data)
{
	struct vnet_relay_req req = {};
	struct vnet_relay_info info;

	if (copy_from_user(&info, data, sizeof(info)))
		return -EFAULT;
	if (!memchr(info.name, '\0', sizeof(info.name)))
		return -EINVAL;

	if (info.name[0]) {
		req.slave_op = VNET_SLAVE_NAME;
		strscpy(req.slave_name, info.name, sizeof(req.slave_name));
	} else {
		req.slave_op = VNET_SLAVE_NONE;
	}
	req.mode = info.mode;
	req.arg1 = info.arg1;
	req.arg2 = info.arg2;
	vnet_relay_req_defaults(&req);
	return vnet_relay_set(priv, &req, NULL);
}

static int vnet_ioctl_get(struct vnet_priv *priv, void __user *data)
{
	const struct vnet_cfg *cfg = vnet_cfg_rtnl(priv, VNET_TX);
	const struct net_device *slave = vnet_slave_rtnl(priv);
	struct vnet_relay_info info;

	memset(&info, 0, sizeof(info));
	if (slave)
		strscpy(info.name, slave->name, sizeof(info.name));
	info.mode = cfg->mode;
	info.arg1 = cfg->arg1;
	info.arg2 = cfg->arg2;

	if (copy_to_user(data, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

/* Called by the core under RTNL. */
int vnet_siocdevprivate(struct net_device *dev, struct ifreq *ifr,
			void __user *data, int cmd)
{
	struct vnet_priv *priv = netdev_priv(dev);

	ASSERT_RTNL();

	switch (cmd) {
	case VNET_IOCTL_RESET_STATS:
		if (!vnet_may_change(dev))
			return -EPERM;
		vnet_stats_reset(priv);
		vnet_genl_notify(priv, VNET_EVENT_STATS_RESET);
		return 0;
	case VNET_IOCTL_SET_RELAY:
		if (!vnet_may_change(dev))
			return -EPERM;
		return vnet_ioctl_set(priv, data);
	case VNET_IOCTL_GET_RELAY:
		return vnet_ioctl_get(priv, data);
	default:
		return -EOPNOTSUPP;
	}
}
