/*
 * kpageflags-runs: /proc/kpageflags as runs of pfns with equal flags, for `pfnaudit reproduce --run`
 * (source/reproduce/guest/). Runs inside the guest; built static with the host's gcc.
 *
 *   kpageflags-runs [MASK]      MASK in hex: the flag bits kept (default: all 64)
 *
 * Output (parsed by parseKpageflagsRuns() in source/reproduce/compare.ts):
 *   # pfnaudit kpageflags runs v1: start_pfn end_pfn flags (hex, end exclusive)
 *   # mask MASK
 *   START END FLAGS            one line per run, contiguous from pfn 0
 *   # end PFN                  where the file stopped (fs/proc/page.c: round_up(max_pfn, PAGES_PER_SECTION))
 * or `# error PFN ERRNO` when a read fails.
 *
 * /proc/kpageflags is one u64 per pfn at offset pfn * 8 (fs/proc/page.c kpageflags_read()); a read
 * past its end returns 0 bytes. Reads go in chunks of 64 Ki pfns so the guest's memory use is fixed.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 65536

static uint64_t buf[CHUNK];

int main(int argc, char **argv)
{
	uint64_t mask = argc > 1 ? strtoull(argv[1], NULL, 16) : UINT64_MAX;
	uint64_t pfn = 0, start = 0, flags = 0;
	int have = 0;
	int fd = open("/proc/kpageflags", O_RDONLY);

	if (fd < 0) {
		fprintf(stderr, "kpageflags-runs: /proc/kpageflags: %s\n", strerror(errno));
		return 1;
	}

	printf("# pfnaudit kpageflags runs v1: start_pfn end_pfn flags (hex, end exclusive)\n");
	printf("# mask %" PRIx64 "\n", mask);
	for (;;) {
		ssize_t n = pread(fd, buf, sizeof(buf), (off_t)(pfn * sizeof(uint64_t)));
		size_t i, count;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (have)
				printf("%" PRIx64 " %" PRIx64 " %" PRIx64 "\n", start, pfn, flags);
			printf("# error %" PRIx64 " %d\n", pfn, errno);
			return 1;
		}
		if (n == 0)
			break;
		count = (size_t)n / sizeof(uint64_t);
		for (i = 0; i < count; i++) {
			uint64_t f = buf[i] & mask;

			if (!have) {
				start = pfn + i;
				flags = f;
				have = 1;
			} else if (f != flags) {
				printf("%" PRIx64 " %" PRIx64 " %" PRIx64 "\n", start, pfn + i, flags);
				start = pfn + i;
				flags = f;
			}
		}
		pfn += count;
	}
	if (have)
		printf("%" PRIx64 " %" PRIx64 " %" PRIx64 "\n", start, pfn, flags);
	printf("# end %" PRIx64 "\n", pfn);
	return fflush(stdout) == 0 ? 0 : 1;
}
