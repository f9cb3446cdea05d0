import { isAbsolute, resolve } from 'node:path';
import type { Io } from '../io.js';

/** File arguments are relative to the caller's working directory, which tests inject. */
export const resolvePath = (io: Pick<Io, 'cwd'>, path: string): string =>
  isAbsolute(path) ? path : resolve(io.cwd, path);
