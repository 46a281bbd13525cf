// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_fuzz - seeded, bounded fuzzers for vnet's three ways in.
 *
 *   vnet_fuzz ioctl|genl|rtnl SEED COUNT DEV...
 *
 * DEV...: device names the fuzzer aims at (vnet devices, others, missing
 * ones).  The run is reproducible from SEED (printed first).  Output:
 * key=value lines: <fuzzer>_calls, <fuzzer>_errno_<NAME> (counts per
 * answer), <fuzzer>_unexpected_<NAME> (answers outside the documented
 * set), <fuzzer>_violations (broken contracts, each also printed once).
 * Exit status: 0 when nothing unexpected happened, 1 otherwise, 255 on
 * usage errors, or the errno of a setup failure.
 */
#include "fuzz.h"

int main(int argc, char **argv)
{
	struct fuzz_stats st = { 0 };
	unsigned long long seed, count;
	struct fuzz_rng r;
	char *end;
	int err, e;

	if (argc < 5) {
		fprintf(stderr, "usage: vnet_fuzz ioctl|genl|rtnl SEED COUNT DEV...\n");
		return 255;
	}
	seed = strtoull(argv[2], &end, 0);
	if (*end)
		return 255;
	count = strtoull(argv[3], &end, 0);
	if (*end)
		return 255;
	rng_seed(&r, seed);
	st.name = argv[1];
	printf("seed=%llu\n", seed);
	fflush(stdout);

	if (!strcmp(argv[1], "ioctl"))
		err = fuzz_ioctl(&r, count, argv + 4, argc - 4, &st);
	else if (!strcmp(argv[1], "genl"))
		err = fuzz_genl(&r, count, argv + 4, argc - 4, &st);
	else if (!strcmp(argv[1], "rtnl"))
		err = fuzz_rtnl(&r, count, argv + 4, argc - 4, &st);
	else
		return 255;
	if (err) {
		printf("error=%s\n", ename(err));
		return err;
	}
	fuzz_report(&st);
	for (e = 0; e < FUZZ_MAX_ERRNO; e++)
		if (st.unexpected[e])
			return 1;
	return st.violations ? 1 : 0;
}
