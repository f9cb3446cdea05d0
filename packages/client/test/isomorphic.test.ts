import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const srcDir = new URL('../src/', import.meta.url);

const sourceFiles = (): string[] =>
  (readdirSync(srcDir, { recursive: true }) as string[]).filter((path) => path.endsWith('.ts')).sort();

describe('the library stays isomorphic', () => {
  it('imports no Node built-in module anywhere in src (browsers bundle every file)', () => {
    const offenders = sourceFiles().filter((path) =>
      /\bfrom\s+['"]node:|import\(\s*['"]node:|require\(/.test(readFileSync(new URL(path, srcDir), 'utf8')),
    );

    expect(sourceFiles().length).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });
});
