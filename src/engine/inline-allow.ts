// The marker that allows a line: a finding on a line that carries it is not reported. Its own
// module so analyzers can honour it without importing the pipeline (which imports them).
export const INLINE_ALLOW = 'leaksweep:allow';
