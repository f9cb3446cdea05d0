import { defineProject, mergeConfig } from 'vitest/config';
import { sharedProject } from '../../vitest.shared.js';

export default mergeConfig(
  sharedProject,
  defineProject({
    test: {
      name: 'server',
      // One migrated in-memory PGlite, copied by every suite that starts one (test/support/pglite-template.ts).
      globalSetup: ['test/support/pglite-template.global.ts'],
    },
  }),
);
