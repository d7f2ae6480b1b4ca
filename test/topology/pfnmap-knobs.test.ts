/**
The PFNMAP knobs of `config:` (source/walker/pfnmap.ts): their defaults per arch, and the one
kernel rule between them, refused at the key.
*/
import {describe, expect, test} from 'vitest';
import {boot, expectRejected, parse, yaml} from './helpers.js';

const BOOT = boot('0', '4G');

describe('config.strict_devmem, io_strict_devmem, device_pfnmap, ioremap_ram', () => {
	// A test of the defaults. Expect CONFIG_STRICT_DEVMEM on where lib/Kconfig.debug defaults it
	// to y (X86, ARM64, PPC) and off on riscv64 and s390x; CONFIG_IO_STRICT_DEVMEM following it;
	// a driver's PFNMAP of device memory on, ioremap() of System RAM off.
	test('default to the Kconfig and distribution values per arch', () => {
		for (const [arch, strict] of [['x86_64', true], ['arm64-4k', true], ['ppc64-64k', true], ['riscv64', false], ['s390x', false]] as const) {
			const {config} = parse(yaml({arch, entries: BOOT}));
			expect({arch, ...config}).toMatchObject({arch, strict_devmem: strict, io_strict_devmem: strict, device_pfnmap: true, ioremap_ram: false});
		}
	});

	// A test of explicit values. Expect them taken as given, io_strict_devmem following an
	// explicit strict_devmem: false when it is not given.
	test('take explicit values', () => {
		const {config} = parse(yaml({config: ['strict_devmem: false', 'device_pfnmap: false', 'ioremap_ram: true'], entries: BOOT}));
		expect(config).toMatchObject({strict_devmem: false, io_strict_devmem: false, device_pfnmap: false, ioremap_ram: true});
		expect(parse(yaml({config: ['io_strict_devmem: false'], entries: BOOT})).config).toMatchObject({strict_devmem: true, io_strict_devmem: false});
	});

	// A test of the Kconfig dependency. Expect io_strict_devmem: true without strict_devmem
	// refused at the io_strict_devmem value, naming IO_STRICT_DEVMEM's dependency and the fix.
	test('refuse IO_STRICT_DEVMEM without STRICT_DEVMEM at the value', () => {
		expectRejected(yaml({config: ['strict_devmem: false', 'io_strict_devmem: true'], entries: BOOT}), 't.yaml:6:21', [
			'IO_STRICT_DEVMEM depends on STRICT_DEVMEM',
			'set config.strict_devmem: true or config.io_strict_devmem: false',
		]);
	});

	// A test of the type check. Expect a non-boolean refused at its value.
	test('refuse a value that is not true or false', () => {
		expectRejected(yaml({config: ['device_pfnmap: yes please'], entries: BOOT}), 't.yaml:5:18', ['must be true or false']);
	});
});
