// Worker bootstrap for runs from the TypeScript sources (vitest, tsx): Node 20 cannot start a
// worker on a .ts file, and `--import tsx` in execArgv does not help.
// Register tsx's ESM loader in this thread, then import the real entry. dist/ builds start
// dist/source/engine/worker.js directly and never load this file.
import {workerData} from 'node:worker_threads';
import {register} from 'tsx/esm/api';

register();
await import(workerData.__entry);
