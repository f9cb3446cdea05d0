import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { adminDist } from './e2e/build-admin.js';

// The global setup has built `dist` (production mode) before this file runs.
const BUDGET = 80 * 1024;

/** The JavaScript files index.html makes the browser load at once: the entry and its preloads. */
const firstLoadScripts = (): string[] => {
  const html = readFileSync(join(adminDist, 'index.html'), 'utf8');
  const sources = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\/admin\/([^"]+\.js)"/g)].map(
    (m) => m[1] ?? '',
  );
  return [...new Set(sources)];
};

describe('the built admin app', () => {
  it('loads under 80 KB of gzipped JavaScript, and the build reports the same figure', () => {
    const scripts = firstLoadScripts();
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.reduce(
      (sum, file) => sum + gzipSync(readFileSync(join(adminDist, file)), { level: 9 }).length,
      0,
    );
    expect(gzipped).toBeLessThan(BUDGET);
    const report = JSON.parse(readFileSync(join(adminDist, 'bundle-size.json'), 'utf8'));
    expect(report.initialGzipBytes).toBe(gzipped);
    expect(report.budgetBytes).toBe(BUDGET);
  });

  it('is a production build: no development JSX, no paths of the build machine', () => {
    for (const file of firstLoadScripts()) {
      const code = readFileSync(join(adminDist, file), 'utf8');
      expect(code).not.toContain('jsxDEV');
      expect(code).not.toMatch(/fileName:/);
    }
  });

  it('ships a Content-Security-Policy in the page itself, without inline scripts or styles', () => {
    const html = readFileSync(join(adminDist, 'index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=/);
  });
});
