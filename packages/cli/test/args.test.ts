import { describe, expect, it } from 'vitest';
import { protectDashedArguments } from '../src/args.js';
import { shlkit } from './harness.js';

const options = {
  json: { type: 'boolean' },
  passcode: { type: 'string' },
  out: { type: 'string', short: 'o' },
} as const;

describe('arguments that start with a dash', () => {
  it('a link id starting with "-" stays a positional, after the other positionals', () => {
    const id = `-${'a'.repeat(42)}`;
    expect(protectDashedArguments(['show', id, '--json'], options)).toEqual(['--json', '--', 'show', id]);
    const doubleDash = `--${'b'.repeat(41)}`;
    expect(protectDashedArguments(['show', doubleDash], options)).toEqual(['--', 'show', doubleDash]);
  });

  it('a string option keeps a value that starts with "-"', () => {
    expect(protectDashedArguments(['x', '--passcode', '-12'], options)).toEqual(['--passcode=-12', 'x']);
    expect(protectDashedArguments(['-o', '-dir'], options)).toEqual(['--out=-dir']);
    expect(protectDashedArguments(['link', '--out', 'dir', `-${'d'.repeat(9)}`], options)).toEqual([
      '--out=dir',
      '--',
      'link',
      `-${'d'.repeat(9)}`,
    ]);
  });

  it('an unknown long flag is still a flag, however long, so parseArgs names it', async () => {
    expect(protectDashedArguments(['file.json', '--allow-insecure-network'], options)).toEqual([
      '--allow-insecure-network',
      'file.json',
    ]);
    const result = await shlkit(['create', 'file.json', '--allow-insecure-network']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--allow-insecure-network'");
  });

  it('unknown short flags are still flags, so parseArgs refuses them', async () => {
    expect(protectDashedArguments(['-x', 'link'], options)).toEqual(['-x', 'link']);
    const result = await shlkit(['links', 'show', '-x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '-x'");
  });

  it('`links show` takes an id that starts with "-" (it fails later, on the missing server, not on parsing)', async () => {
    const result = await shlkit(['links', 'show', `-${'c'.repeat(42)}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no server given');
  });
});
