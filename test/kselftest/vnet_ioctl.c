// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_ioctl - drive the vnet SIOCDEVPRIVATE ioctls.
 *
 *   vnet_ioctl DEV get
 *   vnet_ioctl DEV set SLAVE MODE [ARG1 [ARG2]]   SLAVE "" detaches;
 *                                                 MODE pass|percent|time|N
 *   vnet_ioctl DEV set-noterm MODE                name with no NUL in 16 bytes
 *   vnet_ioctl DEV reset
 *   vnet_ioctl DEV raw N          SIOCDEVPRIVATE+N with a zeroed argument
 *   vnet_ioctl DEV badptr N       SIOCDEVPRIVATE+N with an unmapped ifr_data
 *
 * Prints result=ok (plus name/mode/arg1/arg2 for get) or error=ENAME, and
 * exits with the errno (0 on success).
 */
#include "common.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/vnet.h>

_Static_assert(sizeof(struct vnet_relay_info) == 28, "ABI: 28 bytes");

static const char *mode_name(int mode)
{
	switch (mode) {
	case VNET_MODE_PASS:	return "pass";
	case VNET_MODE_PERCENT:	return "percent";
	case VNET_MODE_TIME:	return "time";
	default:		return "unknown";
	}
}

static int parse_mode(const char *s, int *mode)
{
	long long v;

	if (!strcmp(s, "pass"))
		*mode = VNET_MODE_PASS;
	else if (!strcmp(s, "percent"))
		*mode = VNET_MODE_PERCENT;
	else if (!strcmp(s, "time"))
		*mode = VNET_MODE_TIME;
	else if (!parse_long(s, &v))
		*mode = (int)v;
	else
		return -1;
	return 0;
}

static int do_ioctl(int fd, const char *dev, unsigned long cmd, void *data)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, dev, IFNAMSIZ - 1);
	ifr.ifr_data = data;
	if (ioctl(fd, cmd, &ifr) < 0)
		return errno;
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: vnet_ioctl DEV get|reset\n"
		"       vnet_ioctl DEV set SLAVE MODE [ARG1 [ARG2]]\n"
		"       vnet_ioctl DEV set-noterm MODE\n"
		"       vnet_ioctl DEV raw|badptr N\n");
	return KSFT_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	struct vnet_relay_info info;
	const char *dev, *op;
	long long v;
	int fd, err;

	if (argc < 3)
		return usage();
	dev = argv[1];
	op = argv[2];

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return KSFT_EXIT_USAGE;
	}

	memset(&info, 0, sizeof(info));

	if (!strcmp(op, "get") && argc == 3) {
		/* Poison so that fields the kernel forgets to fill show up. */
		memset(&info, 0xa5, sizeof(info));
		err = do_ioctl(fd, dev, VNET_IOCTL_GET_RELAY, &info);
		if (err)
			return report_err(err);
		if (!memchr(info.name, '\0', sizeof(info.name))) {
			printf("result=ok\nname_unterminated=1\n");
			return 0;
		}
		printf("result=ok\nname=%s\nmode=%d\nmode_name=%s\narg1=%d\narg2=%d\n",
		       info.name, info.mode, mode_name(info.mode), info.arg1,
		       info.arg2);
		return 0;
	}
	if (!strcmp(op, "set") && argc >= 5 && argc <= 7) {
		if (strlen(argv[3]) >= sizeof(info.name) ||
		    parse_mode(argv[4], &info.mode))
			return usage();
		strcpy(info.name, argv[3]);
		if (argc > 5) {
			if (parse_long(argv[5], &v))
				return usage();
			info.arg1 = (int)v;
		}
		if (argc > 6) {
			if (parse_long(argv[6], &v))
				return usage();
			info.arg2 = (int)v;
		}
		err = do_ioctl(fd, dev, VNET_IOCTL_SET_RELAY, &info);
		if (err)
			return report_err(err);
		printf("result=ok\n");
		return 0;
	}
	if (!strcmp(op, "set-noterm") && argc == 4) {
		if (parse_mode(argv[3], &info.mode))
			return usage();
		memset(info.name, 'a', sizeof(info.name));
		err = do_ioctl(fd, dev, VNET_IOCTL_SET_RELAY, &info);
		if (err)
			return report_err(err);
		printf("result=ok\n");
		return 0;
	}
	if (!strcmp(op, "reset") && argc == 3) {
		err = do_ioctl(fd, dev, VNET_IOCTL_RESET_STATS, NULL);
		if (err)
			return report_err(err);
		printf("result=ok\n");
		return 0;
	}
	if ((!strcmp(op, "raw") || !strcmp(op, "badptr")) && argc == 4) {
		void *data = &info;

		if (parse_long(argv[3], &v) || v < 0 || v > 15)
			return usage();
		if (!strcmp(op, "badptr")) {
			/* A page that certainly is not mapped any more. */
			data = mmap(NULL, 4096, PROT_NONE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (data == MAP_FAILED || munmap(data, 4096)) {
				perror("mmap");
				return KSFT_EXIT_USAGE;
			}
		}
		err = do_ioctl(fd, dev, SIOCDEVPRIVATE + v, data);
		if (err)
			return report_err(err);
		printf("result=ok\n");
		return 0;
	}
	return usage();
}
