// What the `artifact` command does with a member that is not an archive: Terraform state
// whole, image configs rendered line by line, text in line-aligned chunks, binaries reduced
// to their printable strings.
import type { SourceEvent } from '../source.js';
import { MAX_IMAGE_CONFIG_BYTES, renderImageConfig } from './image-config.js';
import { binaryStrings, textChunks } from './text-chunks.js';
import type { Leaf } from './walker.js';

function firstNonSpace(head: Buffer): number | undefined {
  for (const byte of head) if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return byte;
  return undefined;
}

export async function* readArtifactLeaf(leaf: Leaf): AsyncGenerator<SourceEvent> {
  const { bytes, origin, chain, format } = leaf;
  const name = chain[chain.length - 1];
  if (format === 'binary') {
    for await (const chunk of binaryStrings(bytes, origin)) yield { type: 'chunk', chunk };
    return;
  }
  // The Terraform analyzer needs the whole state document to resolve resource addresses.
  if (name.endsWith('.tfstate') || name.endsWith('.tfstate.backup')) {
    for await (const chunk of textChunks(bytes, origin, true)) yield { type: 'chunk', chunk };
    return;
  }
  if (firstNonSpace(await bytes.peek(64)) === 0x7b /* { */) {
    const head = await bytes.peek(MAX_IMAGE_CONFIG_BYTES + 1);
    const lines = head.length <= MAX_IMAGE_CONFIG_BYTES ? renderImageConfig(head.toString('utf8')) : undefined;
    if (lines) {
      // Lines are those of the rendering (ENV, LABEL, CMD, then history), not of the raw JSON.
      if (lines.length > 0) yield { type: 'chunk', chunk: { text: lines.join('\n'), origin } };
      return;
    }
  }
  for await (const chunk of textChunks(bytes, origin)) yield { type: 'chunk', chunk };
}
