// Number formatting and plain-text tables for bench output.
import os from 'node:os';

export const MB = 1024 * 1024;

export function formatMs(ms) {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export function formatRss(kb) {
  return kb < 0 ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`;
}

export function formatThroughput(bytes, ms) {
  return `${(bytes / MB / (ms / 1000)).toFixed(1)} MB/s`;
}

export function formatRatio(a, b) {
  return `${(a / b).toFixed(2)}x`;
}

/** Left-aligned columns separated by two spaces; `rows` are arrays of strings, the first is the header. */
export function formatTable(rows) {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => String(row[col] ?? '').length)));
  const line = (row) => row.map((cell, col) => String(cell ?? '').padEnd(widths[col])).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** The 1-minute load average against the CPU count: timings on a busy machine are not comparable. */
export function formatLoad() {
  return `load ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} CPUs`;
}
