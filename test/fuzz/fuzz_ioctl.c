// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl fuzzer: SIOCDEVPRIVATE + 0..15 on vnet and other devices, with
 * ifr_data NULL, a kernel address, an unmapped page, a struct that ends
 * inside an unmapped guard page, or a real struct vnet_relay_info with
 * random contents.  Every result must be one the uapi header documents for
 * that case.
 */
#include "fuzz.h"

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/vnet.h>

static const char *const slave_names[] = {
	"", "veth0", "veth1", "lo", "vnet0", "vnet1", "dummy0", "nosuch0",
	"fz0", "macvlan0",
};

static bool has_net_admin(void)
{
	char line[256];
	bool yes = false;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long eff;

		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			yes = eff & (1ULL << 12);	/* CAP_NET_ADMIN */
	}
	fclose(f);
	return yes;
}

/* 1: vnet, 0: another device, -1: no such device */
static int dev_kind(int fd, const char *name)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0)
		return -1;
	ifr.ifr_data = (void *)&info;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		return 0;
	return !strcmp(info.driver, "vnet");
}

enum ptr_kind { P_VALID, P_NULL, P_KERNEL, P_UNMAPPED, P_STRADDLE, P_NUM };

int fuzz_ioctl(struct fuzz_rng *r, unsigned long count, char **devs, int ndevs,
	       struct fuzz_stats *st)
{
	bool admin = has_net_admin();
	long page = sysconf(_SC_PAGESIZE);
	char *guard, *unmapped;
	unsigned long i;
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return errno;
	/* two pages, the second unmapped: a struct can end inside it */
	guard = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (guard == MAP_FAILED)
		return errno;
	munmap(guard + page, page);
	unmapped = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (unmapped == MAP_FAILED)
		return errno;
	munmap(unmapped, page);

	for (i = 0; i < count; i++) {
		const char *dev = devs[rnd(r, ndevs)];
		unsigned int sub = rnd(r, 16);
		enum ptr_kind pk = chance(r, 2) ? P_VALID : rnd(r, P_NUM);
		struct vnet_relay_info *info;
		struct vnet_relay_info valid;
		struct ifreq ifr;
		bool ok, bad_ptr;
		int kind, err;

		memset(&ifr, 0, sizeof(ifr));
		strncpy(ifr.ifr_name, dev, IFNAMSIZ - 1);
		kind = dev_kind(fd, dev);

		/* mostly well-formed, sometimes raw random bytes */
		rnd_bytes(r, &valid, sizeof(valid));
		if (!chance(r, 8)) {
			memset(valid.name, 0, sizeof(valid.name));
			strncpy(valid.name, slave_names[rnd(r, sizeof(slave_names) /
							    sizeof(slave_names[0]))],
				sizeof(valid.name) - 1);
		}
		if (!chance(r, 4))
			valid.mode = rnd(r, 4);
		if (!chance(r, 3))
			valid.arg1 = rnd_s32(r);
		if (!chance(r, 3))
			valid.arg2 = rnd_s32(r);

		switch (pk) {
		case P_NULL:
			info = NULL;
			break;
		case P_KERNEL:
			info = (void *)0xffffffff81000000UL;
			break;
		case P_UNMAPPED:
			info = (void *)unmapped;
			break;
		case P_STRADDLE: {
			/* the struct's first 1..27 bytes, then the unmapped page */
			size_t k = 1 + rnd(r, sizeof(valid) - 1);

			info = (void *)(guard + page - k);
			memcpy(info, &valid, k);
			break;
		}
		default:
			info = &valid;
			break;
		}
		ifr.ifr_data = (void *)info;
		bad_ptr = pk != P_VALID;

		err = ioctl(fd, SIOCDEVPRIVATE + sub, &ifr) < 0 ? errno : 0;

		/* what the header promises for this case */
		if (kind < 0)
			ok = err == ENODEV;
		else if (!kind)
			ok = err == EOPNOTSUPP;
		else if (sub == 0)
			ok = err == (admin ? 0 : EPERM);
		else if (sub == 1 && !admin)
			ok = err == EPERM;
		else if (sub == 1 && bad_ptr)
			ok = err == EFAULT;
		else if (sub == 1)
			ok = err == 0 || err == EINVAL || err == ENODEV ||
			     err == ELOOP || err == EBUSY || err == EOPNOTSUPP;
		else if (sub == 2)
			ok = err == (bad_ptr ? EFAULT : 0);
		else
			ok = err == EOPNOTSUPP;
		fuzz_count(st, err, ok);
		if (!ok)
			fuzz_violation(st, "dev=%s kind=%d cmd=SIOCDEVPRIVATE+%u ptr=%d errno=%s",
				       dev, kind, sub, pk, ename(err));
	}
	close(fd);
	return 0;
}
