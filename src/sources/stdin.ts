// `leaksweep stdin`: whatever is piped in, scanned as one input named --name.
import type { Source, SourceEvent } from './source.js';

export class StdinSource implements Source {
  readonly name = 'stdin';
  constructor(
    private readonly input: NodeJS.ReadableStream,
    private readonly displayName = 'stdin',
  ) {}

  async *events(): AsyncIterable<SourceEvent> {
    const parts: Buffer[] = [];
    try {
      for await (const part of this.input) parts.push(typeof part === 'string' ? Buffer.from(part) : part);
    } catch (err) {
      yield { type: 'error', error: { kind: 'unreadable', path: this.displayName, message: (err as Error).message } };
    }
    const bytes = Buffer.concat(parts);
    yield { type: 'chunk', chunk: { text: new TextDecoder().decode(bytes), origin: { kind: 'stdin', path: this.displayName } } };
  }
}
