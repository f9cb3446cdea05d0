// A clone of this repository must build, test and run on its own. Our own checkouts have a workspace
// folder beside them (sample documents, notes); nothing committed here may reach into it, or
// `npm ci && npm test` passes for us and fails for everyone else.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { samplesDir } from '../test-support/samples.js';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Spelt as patterns so that this file does not name what it forbids. */
const outsideReferences = [/\.\.\/shared(?![\w-])/, /shared\/samples/];

/** Folders of installed or generated files (see .gitignore): anywhere, and at the top only. */
const generatedAnywhere = new Set(['.git', 'node_modules', 'dist', 'dist-types']);
const generatedAtTop = new Set(['data', 'test-artifacts', 'coverage']);

/**
 * The files a clone would have: Git's tracked files plus new ones not ignored (so a file is checked before
 * its first commit). Without Git (an exported tarball), every file outside the generated folders.
 */
const repositoryFiles = (): string[] => {
  if (!existsSync(join(root, '.git'))) return walk(root).map((path) => relative(root, path));
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return listed.split('\0').filter((path) => path !== '');
};

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const skip = generatedAnywhere.has(entry.name) || (dir === root && generatedAtTop.has(entry.name));
    if (entry.isDirectory()) return skip ? [] : walk(join(dir, entry.name));
    return entry.isFile() ? [join(dir, entry.name)] : [];
  });

/** `path:line: text` for every line of a repository file that points outside the repository. */
const findOutsideReferences = (paths: string[]): string[] =>
  paths.flatMap((path) => {
    let text: string;
    try {
      text = readFileSync(join(root, path), 'utf8');
    } catch (error) {
      // Listed by Git but deleted in the work tree (an uncommitted removal): nothing to read.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text
      .split('\n')
      .flatMap((line, index) =>
        outsideReferences.some((pattern) => pattern.test(line))
          ? [`${path}:${index + 1}: ${line.trim().slice(0, 160)}`]
          : [],
      );
  });

describe('the repository stands alone', () => {
  it('no file refers to the workspace folder beside the checkout', () => {
    const files = repositoryFiles();
    expect(files).toContain('package.json');
    expect(findOutsideReferences(files)).toEqual([]);
  });

  it('the test samples are read from fixtures/ inside the repository', () => {
    const samples = fileURLToPath(samplesDir);
    expect(samples).toBe(join(root, 'fixtures/'));
    expect(readdirSync(samples).sort()).toEqual(expect.arrayContaining(['ips', 'shc', 'shl-vectors']));
  });

  it('the check catches a reference written either way', () => {
    const probe = ['..', 'shared', 'samples', 'ips', 'x.json'].join('/');
    expect(outsideReferences.some((pattern) => pattern.test(`cat ${probe}`))).toBe(true);
    expect(outsideReferences.some((pattern) => pattern.test(`new URL('${probe.slice(3)}')`))).toBe(true);
    expect(outsideReferences.some((pattern) => pattern.test("import '../../vitest.shared.js'"))).toBe(false);
  });
});
