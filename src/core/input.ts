/** A message as the engine hands it on: a pressed (or typed) button's payload, or typed text with its reading. */
import type { Reading } from './understanding/reading.js';

export type Input =
  | { payload: string; reading?: undefined; text?: undefined }
  | { payload?: undefined; reading: Reading; text: string };
