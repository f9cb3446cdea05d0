import { defineProject } from 'vitest/config';

// Checks on the repository as a whole (what a fresh clone holds), apart from any one package.
export default defineProject({ test: { name: 'repository', include: ['**/*.test.ts'] } });
