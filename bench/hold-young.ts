/**
Imported first by bench/scale.ts, before the modules whose loading would grow the young
generation: as `pfnaudit audit` holds it from the start of its process (source/cli/bin.ts,
source/engine/collect.ts holdYoungGeneration()), released again for a small topology.
*/
import {holdYoungGeneration} from '../source/engine/collect.js';

holdYoungGeneration();
