// Finds the `data:` entries of Kubernetes Secret objects in manifest text (YAML, with several
// documents, or JSON, also `kind: List`), with the offsets of each encoded value so findings
// point at the value as written. Not a YAML parser: manifests are regular enough that the
// indentation of `kind: Secret` tells which `data:` block belongs to the same object.
import { JsonSyntaxError, parseJson, type JsonNode } from '../tfstate/json.js';

export interface SecretDataEntry {
  /** Secret name from metadata.name, when found. */
  name?: string;
  key: string;
  /** The base64 text as written. */
  encoded: string;
  /** Offsets of the encoded text in the manifest. */
  start: number;
  end: number;
}

const KIND_SECRET_YAML = /^([ \t]*)(-[ \t]+)?["']?kind["']?[ \t]*:[ \t]*["']?Secret["']?[ \t]*(?:#.*)?$/gm;
const KIND_SECRET_JSON = /"kind"\s*:\s*"Secret"/;

const KIND_SECRET_LINE = /^[ \t]*(?:-[ \t]+)?["']?kind["']?[ \t]*:[ \t]*["']?Secret["']?[ \t]*(?:#.*)?$/;

/**
 * Whether the text declares a Secret object. Runs on every chunk of every scan, so only the
 * lines holding the word are tested (a multi-line regex tries every line of every file).
 */
export function mentionsSecretKind(text: string): boolean {
  for (let at = text.indexOf('Secret'); at >= 0; at = text.indexOf('Secret', at + 6)) {
    const from = text.lastIndexOf('\n', at) + 1;
    const nl = text.indexOf('\n', at);
    const line = text.slice(from, nl < 0 ? text.length : nl).replace(/\r$/, '');
    if (KIND_SECRET_LINE.test(line) || KIND_SECRET_JSON.test(line)) return true;
  }
  return false;
}

interface Line {
  start: number;
  text: string;
  indent: number;
  /** Blank or comment-only: belongs to no block. */
  blank: boolean;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const raw of text.split('\n')) {
    const body = raw.replace(/\r$/, '');
    const indent = body.length - body.trimStart().length;
    const trimmed = body.trim();
    lines.push({ start, text: body, indent, blank: trimmed === '' || trimmed.startsWith('#') });
    start += raw.length + 1;
  }
  return lines;
}

const ENTRY = /^([ \t]*)(["']?)([A-Za-z0-9._-]{1,253})\2[ \t]*:[ \t]*(["']?)([A-Za-z0-9+/=]{1,65536})\4[ \t]*(?:#.*)?$/;
const NAME = /^[ \t]*name[ \t]*:[ \t]*["']?([A-Za-z0-9._-]{1,253})["']?[ \t]*$/;

function yamlEntries(text: string): SecretDataEntry[] {
  const lines = splitLines(text);
  const lineIndex = new Map(lines.map((l, i) => [l.start, i]));
  const entries: SecretDataEntry[] = [];
  KIND_SECRET_YAML.lastIndex = 0;
  for (let m = KIND_SECRET_YAML.exec(text); m; m = KIND_SECRET_YAML.exec(text)) {
    const at = lineIndex.get(m.index);
    if (at === undefined) continue;
    // The object's keys sit at this column ("- kind:" opens a list item one level in).
    const column = m[1].length + (m[2]?.length ?? 0);
    const inObject = (l: Line): boolean => l.blank || (l.indent >= column && !(l.indent === column - 2 && l.text.trimStart().startsWith('- ')));
    let first = at;
    while (first > 0 && inObject(lines[first - 1]) && !/^---/.test(lines[first - 1].text)) first--;
    let last = at;
    while (last + 1 < lines.length && inObject(lines[last + 1]) && !/^---/.test(lines[last + 1].text)) last++;
    let name: string | undefined;
    for (let i = first; i <= last; i++) {
      const l = lines[i];
      if (l.blank || l.indent !== column) continue;
      const key = /^["']?([A-Za-z]+)["']?[ \t]*:[ \t]*(?:#.*)?$/.exec(l.text.slice(column))?.[1];
      if (key === 'metadata') name ??= metadataName(lines, i, column);
      if (key === 'data' || key === 'binaryData') entries.push(...dataBlock(lines, i, column, name));
    }
    // metadata may follow data.
    for (const e of entries) if (e.name === undefined && name !== undefined) e.name = name;
  }
  return entries;
}

function metadataName(lines: Line[], at: number, column: number): string | undefined {
  for (let i = at + 1; i < lines.length && (lines[i].blank || lines[i].indent > column); i++) {
    const found = NAME.exec(lines[i].text);
    if (found && !lines[i].blank) return found[1];
  }
  return undefined;
}

function dataBlock(lines: Line[], at: number, column: number, name: string | undefined): SecretDataEntry[] {
  const entries: SecretDataEntry[] = [];
  let entryIndent = -1;
  for (let i = at + 1; i < lines.length; i++) {
    const l = lines[i];
    if (l.blank) continue;
    if (l.indent <= column) break;
    if (entryIndent < 0) entryIndent = l.indent;
    if (l.indent !== entryIndent) continue;
    const found = ENTRY.exec(l.text);
    if (!found) continue;
    const value = found[5];
    const offset = l.text.lastIndexOf(value);
    entries.push({ ...(name ? { name } : {}), key: found[3], encoded: value, start: l.start + offset, end: l.start + offset + value.length });
  }
  return entries;
}

function jsonEntries(root: JsonNode): SecretDataEntry[] {
  const entries: SecretDataEntry[] = [];
  const visit = (node: JsonNode): void => {
    if (node.kind === 'array') return node.items.forEach(visit);
    if (node.kind !== 'object') return;
    const field = (k: string): JsonNode | undefined => node.entries.find(([key]) => key === k)?.[1];
    const kind = field('kind');
    if (kind?.kind === 'string' && kind.value === 'Secret') {
      const meta = field('metadata');
      const nameNode = meta?.kind === 'object' ? meta.entries.find(([k]) => k === 'name')?.[1] : undefined;
      const name = nameNode?.kind === 'string' ? nameNode.value : undefined;
      for (const block of [field('data'), field('binaryData')]) {
        if (block?.kind !== 'object') continue;
        for (const [key, value] of block.entries) {
          // Base64 never needs JSON escapes; an escaped value is not base64 as written.
          if (value.kind !== 'string' || value.escaped) continue;
          entries.push({ ...(name ? { name } : {}), key, encoded: value.value, start: value.start + 1, end: value.end - 1 });
        }
      }
    }
    for (const [, child] of node.entries) visit(child);
  };
  visit(root);
  return entries;
}

/** Every `data:` / `binaryData:` entry of every Secret object in `text`. */
export function secretDataEntries(text: string): SecretDataEntry[] {
  if (/^\uFEFF?\s*[{[]/.test(text.slice(0, 256))) {
    try {
      return jsonEntries(parseJson(text));
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
    }
  }
  return yamlEntries(text);
}
