import { loadConfig } from '../../src/config.js';
import { isServerError } from '../../src/errors.js';

/** The coded error `loadConfig(env)` throws; fails the test when it throws none or another kind. */
export const configError = (
  env: Record<string, string>,
): { code: string; field: string | undefined; message: string } => {
  try {
    loadConfig(env);
  } catch (error) {
    if (isServerError(error)) return { code: error.code, field: error.field, message: error.message };
    throw error;
  }
  throw new Error('expected a configuration error');
};
