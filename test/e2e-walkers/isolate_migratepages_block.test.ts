import {describe} from 'vitest';
import walker from '../../walkers/isolate_migratepages_block.js';
import {compactionScannerTests} from './compaction-scanner.js';

describe('isolate_migratepages_block end to end', () => {
	compactionScannerTests(walker);
});
