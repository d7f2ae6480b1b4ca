import {describe} from 'vitest';
import walker from '../../walkers/isolate_freepages_block.js';
import {compactionScannerTests} from './compaction-scanner.js';

describe('isolate_freepages_block end to end', () => {
	compactionScannerTests(walker);
});
