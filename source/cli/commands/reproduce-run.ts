/**
`pfnaudit reproduce`'s work, loaded by run() of ./reproduce.ts: read the topology, turn it into a
recipe (source/reproduce/recipe.ts) and print it.
*/
import {EXIT_OK} from '../../errors/exit-codes.js';
import {buildRecipe, renderRecipe} from '../../reproduce/recipe.js';
import type {Io} from '../command.js';
import {readTopology} from '../read-topology.js';
import {singleValue} from '../usage-errors.js';

export async function runReproduce(args: Record<string, unknown>, io: Io): Promise<number> {
	const kernel = singleValue(args, 'kernel');
	const topology = readTopology(String(args['topology']), io, kernel === undefined ? {} : {kernel});
	const recipe = buildRecipe(topology, kernel === undefined ? {} : {kernel});
	io.stdout.write(renderRecipe(topology, recipe));
	return EXIT_OK;
}
