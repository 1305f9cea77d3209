// `leaksweep tfstate PATH`: Terraform state files on disk. A file is taken as given; a folder is
// searched for `*.tfstate`, `*.tfstate.backup` (which covers `terraform.tfstate.d/<ws>/…`) and
// `.terraform/terraform.tfstate` (the backend block, which can hold credentials). .gitignore is
// deliberately not honoured: state files are exactly what people gitignore. The files go to the
// scanner, whose Terraform state analyzer reads them as state.
import { lstat as lstatCallback, readdir as readdirCallback } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { workspaceFromPath } from '../engine/tfstate/workspace.js';
import type { Source, SourceEvent } from './source.js';

// Not from fs/promises, which costs start-up time to load (see scanner/run.ts).
const lstat = promisify(lstatCallback);
const readdir = promisify(readdirCallback);

const STATE_FILE = /\.tfstate(?:\.backup)?$/i;
/** Never state, often huge. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);
/** Inside `.terraform/` only this file is state; providers/ and modules/ are downloads. */
const BACKEND_STATE = 'terraform.tfstate';

export interface TfstateSourceOptions {
  /** State files or folders. */
  paths: string[];
  /** Folder report paths are relative to (default: the current directory). */
  root?: string;
}

export class TfstateSource implements Source {
  readonly name = 'tfstate';
  private readonly root: string;

  constructor(private readonly options: TfstateSourceOptions) {
    this.root = resolve(options.root ?? '.');
  }

  private rel(abs: string): string {
    const rel = relative(this.root, abs) || abs;
    return sep === '/' ? rel : rel.split(sep).join('/');
  }

  private fileEvent(abs: string, size: number): SourceEvent {
    const path = this.rel(abs);
    return { type: 'file', file: { absPath: abs, size, origin: { kind: 'tfstate', path, workspace: workspaceFromPath(path) } } };
  }

  async *events(): AsyncIterable<SourceEvent> {
    for (const input of this.options.paths) {
      const abs = resolve(input);
      try {
        const stat = await lstat(abs);
        if (stat.isDirectory()) yield* this.walk(abs);
        else if (stat.isFile()) yield this.fileEvent(abs, stat.size);
        else yield { type: 'skip', path: input, reason: 'not a regular file' };
      } catch (err) {
        yield { type: 'error', error: { kind: 'unreadable', path: input, message: (err as Error).message } };
      }
    }
  }

  private async *walk(dir: string): AsyncIterable<SourceEvent> {
    let entries;
    try {
      entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    } catch (err) {
      yield { type: 'error', error: { kind: 'unreadable', path: this.rel(dir), message: (err as Error).message } };
      return;
    }
    for (const entry of entries) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === '.terraform') yield* this.backendState(abs);
        else if (!SKIPPED_DIRS.has(entry.name)) yield* this.walk(abs);
      } else if (entry.isFile() && STATE_FILE.test(entry.name)) {
        try {
          yield this.fileEvent(abs, (await lstat(abs)).size);
        } catch (err) {
          yield { type: 'error', error: { kind: 'unreadable', path: this.rel(abs), message: (err as Error).message } };
        }
      }
    }
  }

  private async *backendState(dotTerraform: string): AsyncIterable<SourceEvent> {
    const abs = join(dotTerraform, BACKEND_STATE);
    try {
      const stat = await lstat(abs);
      if (stat.isFile()) yield this.fileEvent(abs, stat.size);
    } catch {
      // Most .terraform folders have no backend state (local backend).
    }
  }
}
