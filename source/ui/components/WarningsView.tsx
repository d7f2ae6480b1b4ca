import React from 'react';
import type {TopologyWarning} from '../../engine/types.js';
import {wrapText} from '../format.js';
import Overlay from './Overlay.js';
import ScrollText from './ScrollText.js';

export type WarningsViewProps = {
	readonly width: number;
	readonly height: number;
	/** AuditMeta.warnings: the topology's warnings, each where it was raised. */
	readonly warnings: readonly TopologyWarning[];
	readonly onClose: () => void;
};

/**
`file:line:column: message` lines, wrapped (a compiler's diagnostics, which editors and
terminals can jump to), one blank line between warnings.
*/
export function warningLines(warnings: readonly TopologyWarning[], width: number): string[] {
	const room = Math.max(20, width - 4);
	return warnings.flatMap((warning, index) => [
		...(index > 0 ? [''] : []),
		...wrapText(`${warning.file}:${warning.line}:${warning.column}: ${warning.message}`.replaceAll(/\s+/g, ' '), room, Number.POSITIVE_INFINITY).map(
			(line, at) => `${at === 0 ? '  ' : '    '}${line}`,
		),
	]);
}

/** `w`: the topology warnings: what the kernel accepts but a reviewer would question. */
export default function WarningsView({width, height, warnings, onClose}: WarningsViewProps) {
	return (
		<Overlay
			title="Topology warnings"
			info={`${warnings.length}`}
			hint="what the kernel accepts but a reviewer would question  arrows/j/k scroll  Esc: back"
			width={width}
			height={height}
		>
			<ScrollText lines={warnings.length > 0 ? warningLines(warnings, width) : ['  none: the topology raised no warning']} width={width} height={Math.max(1, height - 2)} onClose={onClose} />
		</Overlay>
	);
}
