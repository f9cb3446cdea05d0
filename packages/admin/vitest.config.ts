import { defineProject, mergeConfig } from 'vitest/config';
import { sharedProject } from '../../vitest.shared.js';

export default mergeConfig(
  sharedProject,
  defineProject({
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    test: { name: 'admin', globalSetup: ['./test/e2e/global-setup.ts'] },
  }),
);
