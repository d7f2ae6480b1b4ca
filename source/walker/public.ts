/**
`pfnaudit/walker`: what a walker written outside this repository imports once pfnaudit is
installed (package.json `exports`; docs/writing-a-walker.md):

	import {atLeast, defineWalker, type Model} from 'pfnaudit/walker';

The contract (defineWalker, orNothingToWalk, passLabel and the types of a definition, a form, a pass and the
StepContext a step gets), the kernel version helpers plan() branches on, the geometry helpers
named after the kernel macros (no bitwise operators on pfns), and the types of the Model plan()
reads. Nothing here touches the file system or the terminal.
*/
export {anchorPfns, defineWalker, orNothingToWalk, PageBuddy_field, passLabel} from './contract.js';
export type {
	Access,
	Anchor,
	AnchorSeries,
	Commit,
	Confidence,
	GuardChange,
	PageField,
	PageView,
	Pass,
	PassAnchor,
	Reachability,
	StepContext,
	WalkerDefinition,
	WalkerForm,
} from './contract.js';
export {atLeast, before, KERNEL_VERSIONS, NEWEST_KERNEL, OLDEST_KERNEL, parseKernelVersion, v, vlabel} from '../kernel/version.js';
export type {KernelVersion} from '../kernel/version.js';
export {
	ALIGN,
	ALIGN_DOWN,
	hex,
	IS_ALIGNED,
	PFN_PHYS,
	PHYS_PFN,
	pfn_to_section_nr,
	SECTION_ALIGN_DOWN,
	SECTION_ALIGN_UP,
	section_nr_to_pfn,
	SUBSECTION_ALIGN_DOWN,
	SUBSECTION_ALIGN_UP,
	subsection_map_index,
} from '../model/geometry.js';
export type {Arch, Geometry} from '../model/geometry.js';
export type {DevPagemap, MemmapContent, Model, NodeSpan, Phase, Zone, ZoneName} from '../model/types.js';
export type {BootEntry, DeviceEntry, HotplugEntry, Topology, TopologyEntry} from '../topology/types.js';
