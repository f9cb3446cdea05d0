import { ServerError } from '../errors.js';

/** The one error a bad setting gives: `SHL_CONFIG_INVALID`, naming the variable first and in `field`. */
export const invalidSetting = (variable: string, message: string): ServerError =>
  new ServerError('SHL_CONFIG_INVALID', `${variable}: ${message}`, { field: variable });
