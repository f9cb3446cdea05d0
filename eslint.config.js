// One linter for the whole repository, run by `npm test` (`npm run lint`). House rules live here, not in
// review: no floating promises, exhaustive switches, `import type`, the `node:` protocol, only errors are
// thrown (coded ones: see core's errors/registry.ts), no import cycles.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/dist-types/**',
      '**/node_modules/**',
      'test-artifacts/**',
      'reports/**',
      '.stryker-tmp/**',
      'data/**',
      'fixtures/**',
      'packages/viewer/public/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        project: [
          './tsconfig.test.json',
          './packages/*/tsconfig.json',
          './packages/viewer/test/tsconfig.json',
          './packages/admin/test/tsconfig.json',
          './bench/tsconfig.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      // Read TypeScript files for their imports, with the TypeScript parser (the plugin reads only .js else).
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      // Resolve as TypeScript does under NodeNext: `./x.js` is `./x.ts`, and a workspace package is its
      // sources (the `source` export condition), so cycles are found across files that are not built yet.
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'],
          extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
          conditionNames: ['source', 'import', 'default'],
        }),
      ],
    },
    rules: {
      // Throw Error objects only (our coded errors, in practice): never a string or a plain object.
      '@typescript-eslint/only-throw-error': 'error',
      // A cycle makes import order matter (a `const` read before it is set); `import type` is exempt.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(fs|path|url|crypto|http|https|os|zlib|child_process|net|util|stream)$',
              message: 'Use the node: protocol.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/viewer/src/**/*.{ts,tsx}', 'packages/admin/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  prettier,
);
