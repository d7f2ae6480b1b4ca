import {it} from 'vitest';
import {readImportInputs} from '../../source/cli/capture-read.js';
import {compareCapture} from '../../source/reproduce/compare.js';
it('w', async () => {
  const input = await readImportInputs(['/tmp/live-cap'], '/tmp');
  const r = compareCapture('live', input.files);
  console.log(JSON.stringify({modelled: r.modelled, release: r.release, checks: r.checks, dis: r.disagreements.slice(0,10), notes: (r as any).notes, warnings: (r as any).warnings}, null, 1));
});
