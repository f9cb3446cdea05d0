import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export interface BundleSizeReport {
  /** gzipped bytes of the JavaScript a first visit loads (entry chunk and its static imports). */
  initialGzipBytes: number;
  /** gzipped bytes of every JavaScript chunk, lazy ones (the viewer's QR decoder) included. */
  totalGzipBytes: number;
  budgetBytes: number;
  chunks: { file: string; gzipBytes: number; initial: boolean }[];
}

/**
 * A Vite plugin for the browser apps (the viewer, the admin app): prints the gzipped size of `app`'s
 * JavaScript after each build, writes it to `dist/bundle-size.json` (the apps' bundle-size tests read it),
 * and fails the build when the first load is over `budgetBytes`.
 */
export const reportBundleSize = ({ app, budgetBytes }: { app: string; budgetBytes: number }): Plugin => ({
  name: 'shlkit-report-bundle-size',
  apply: 'build',
  writeBundle(options, bundle) {
    const chunks = Object.values(bundle).flatMap((item) => (item.type === 'chunk' ? [item] : []));
    const initial = new Set<string>();
    const visit = (file: string) => {
      if (initial.has(file)) return;
      initial.add(file);
      for (const imported of bundle[file]?.type === 'chunk' ? bundle[file].imports : []) visit(imported);
    };
    for (const chunk of chunks) if (chunk.isEntry) visit(chunk.fileName);
    const sizes = chunks.map((chunk) => ({
      file: chunk.fileName,
      gzipBytes: gzipSync(chunk.code, { level: 9 }).length,
      initial: initial.has(chunk.fileName),
    }));
    const report: BundleSizeReport = {
      initialGzipBytes: sizes.filter((s) => s.initial).reduce((sum, s) => sum + s.gzipBytes, 0),
      totalGzipBytes: sizes.reduce((sum, s) => sum + s.gzipBytes, 0),
      budgetBytes,
      chunks: sizes,
    };
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    this.info(
      `${app} JavaScript: ${kb(report.initialGzipBytes)} gzipped on first load, ${kb(report.totalGzipBytes)} with lazy chunks (budget ${kb(budgetBytes)})`,
    );
    writeFileSync(join(options.dir ?? 'dist', 'bundle-size.json'), `${JSON.stringify(report, null, 2)}\n`);
    if (report.initialGzipBytes > budgetBytes) {
      this.error(
        `the ${app}'s first-load JavaScript is ${kb(report.initialGzipBytes)} gzipped, over ${kb(budgetBytes)}`,
      );
    }
  },
});
