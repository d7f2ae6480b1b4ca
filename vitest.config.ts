import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		// Worker-thread engine tests and pty end-to-end tests spawn processes; keep them bounded.
		testTimeout: 60_000,
		hookTimeout: 60_000,
		pool: 'forks',
	},
});
