import {describe, expect, it} from 'vitest';
import {at, buildAt} from '../../helpers/model-probe.js';
import {GiB, MiB, topology} from '../../helpers/topology.js';

describe('pfn_valid_within()', () => {
	// A test that reads an arm64 NOMAP pfn and an x86 hole pfn around v5.14/v5.15.
	//
	//   arm64: | RAM | NOMAP | RAM |      x86: | RAM (sections 0-7) | not present |
	//                                            0x0              0x40000
	//
	// Expect pfn_valid_within() = pfn_valid() (false for NOMAP) on arm64 up to v5.13
	// (CONFIG_HOLES_IN_ZONE), true at v5.14 (a7d9f306ba70) and v5.15 (removed, 859a85ddf90e);
	// always true on x86 (no HOLES_IN_ZONE), even where pfn_valid() is false.
	it('follows pfn_valid() only with CONFIG_HOLES_IN_ZONE (arm64 < v5.14)', () => {
		const arm = topology({arch: 'arm64-4k', kernel: '5.13'})
			.boot(2 * GiB, 2 * GiB, {nomap: [{start: 0x9000_0000, size: 2 * MiB}]})
			.build();
		expect(at(buildAt(arm, '5.13'), 0x9_0000).predicates.pfn_valid_within).toBe(false);
		expect(at(buildAt(arm, '5.14'), 0x9_0000).predicates.pfn_valid_within).toBe(true);
		expect(at(buildAt(arm, '5.15'), 0x9_0000).predicates.pfn_valid_within).toBe(true);

		const x86 = topology({kernel: '5.13'}).boot(0, GiB).build();
		expect(at(buildAt(x86, '5.13'), 0x4_0000).predicates.pfn_valid_within).toBe(true);
		expect(at(buildAt(x86, '5.13'), 0x4_0000).predicates.pfn_valid).toBe(false);
	});
});
