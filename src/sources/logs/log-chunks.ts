// A log's bytes as normalised chunks, streamed: lines are decoded and normalised one at a
// time, and a chunk is closed every CHUNK_CHARS, so a 2 GB log costs a few megabytes.
import type { Chunk, Origin } from '../../types.js';
import { CHUNK_CHARS } from '../archive/text-chunks.js';
import { normalizeLogLine } from './normalize.js';

/** Lines whose columns are approximate (escapes removed inside them), counted while reading. */
export interface ShiftedLines {
  count: number;
  first?: number;
}

export async function* logChunks(bytes: AsyncIterable<Buffer>, origin: Origin, shifted: ShiftedLines = { count: 0 }): AsyncGenerator<Chunk> {
  const decoder = new TextDecoder('utf-8');
  let texts: string[] = [];
  let lineMap: number[] = [];
  let columnMap: number[] = [];
  let size = 0;
  let pending = '';
  let lineNo = 0;
  const add = (raw: string): void => {
    lineNo++;
    for (const l of normalizeLogLine(raw, lineNo)) {
      if (l.shifted) {
        shifted.count++;
        shifted.first ??= l.line;
      }
      texts.push(l.text);
      lineMap.push(l.line);
      columnMap.push(l.column);
      size += l.text.length + 1;
    }
  };
  const flush = (): Chunk => {
    const chunk: Chunk = { text: texts.join('\n'), origin, lineMap, columnMap };
    texts = [];
    lineMap = [];
    columnMap = [];
    size = 0;
    return chunk;
  };
  const takeLines = (): void => {
    let from = 0;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', from)) {
      add(pending.slice(from, nl));
      from = nl + 1;
    }
    pending = pending.slice(from);
  };
  const finish = (): void => {
    pending += decoder.decode();
    takeLines();
    if (pending.length > 0) add(pending);
    pending = '';
  };
  try {
    for await (const b of bytes) {
      pending += decoder.decode(b, { stream: true });
      takeLines();
      if (size >= CHUNK_CHARS) yield flush();
    }
  } catch (err) {
    // The bytes failed midway (a truncated .log.gz): what was read is still scanned.
    finish();
    if (texts.length > 0) yield flush();
    throw err;
  }
  finish();
  if (texts.length > 0) yield flush();
}
