// A random value with lower case, upper case and digits: what generated passwords and keys
// look like, and what the generic rules demand of a value (see detectors/generic.toml).
import { BASE62, randomString, type Rng } from './secrets.js';

export function mixedValue(random: Rng, n: number): string {
  for (;;) {
    const v = randomString(random, BASE62, n);
    if (/[a-z]/.test(v) && /[A-Z]/.test(v) && /[0-9]/.test(v)) return v;
  }
}
