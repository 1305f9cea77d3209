// Runs the built CLI (`npm test` compiles first) as a user would.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = resolve(import.meta.dirname, '../../bin/leaksweep.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd?: string; input?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = 'leaksweep-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface JsonReport {
  findings: {
    ruleId: string;
    fingerprint: string;
    secret: string;
    severity: string;
    locations: { path: string; line: number; column: number; endLine: number; endColumn: number; [k: string]: unknown }[];
  }[];
  errors: { kind: string; path: string; message: string }[];
  warnings: { kind: string; path: string; message: string }[];
  stats: Record<string, number>;
}

export function parseReport(stdout: string): JsonReport {
  return JSON.parse(stdout) as JsonReport;
}

/** The units a scan cache file holds (those with findings, and those that hold none). */
export function cachedUnits(cacheFile: string): string[] {
  const file = JSON.parse(readFileSync(cacheFile, 'utf8')) as { units: object; clean?: string[] };
  return [...Object.keys(file.units), ...(file.clean ?? [])];
}
