// Walks a Terraform state where it lies in the text and hands on every string value with the
// resource address and attribute path it belongs to. Knows the formats: v4 (Terraform >= 0.12,
// OpenTofu), v3 (`modules[].resources{}.primary.attributes`, flat keys) and the backend block
// that `.terraform/terraform.tfstate` keeps.
import type { JsonString, JsonText } from './json.js';
import { flatKeyPath, parseSensitivePaths, startsWithPath, type AttributePath, type Step } from './paths.js';

export interface StateValue {
  /** Where the value is stored (its quotes included). */
  stored: JsonString;
  /** The value, escapes decoded. */
  decoded: string;
  /** Full address: `module.db.aws_db_instance.main[0]`, `output.db_password`, `terraform.backend.s3`. */
  resource: string;
  /** Resource type used to look up the secret-attribute table (`aws_db_instance`), if any. */
  resourceType?: string;
  path: AttributePath;
  /** Listed in `sensitive_attributes`, or part of an output marked sensitive. */
  sensitive: boolean;
}

export interface StateHeader {
  version?: number;
  serial?: number;
  lineage?: string;
  /** OpenTofu state encryption: the whole state is ciphertext. */
  encrypted?: string;
  /** SOPS-encrypted file: values are `ENC[...]`. */
  sops: boolean;
}

/** A state document: its text and where each top-level member's value starts (first of each key). */
export interface StateDocument {
  json: JsonText;
  top: ReadonlyMap<string, number>;
}

/** The state `root` holds when it has the shape of a Terraform state (any version) or backend file. */
export function stateDocument(json: JsonText, root: number): StateDocument | undefined {
  if (json.kind(root) !== 'object') return undefined;
  const top = json.members(root).fields;
  const isState =
    top.has('encryption_version') ||
    (top.has('lineage') && top.has('version')) ||
    top.has('resources') ||
    top.has('modules') ||
    (top.has('backend') && top.has('version'));
  return isState ? { json, top } : undefined;
}

export function readHeader({ json, top }: StateDocument): StateHeader {
  const encryption = top.get('encryption_version');
  return {
    version: json.number(top.get('version')),
    serial: json.number(top.get('serial')),
    lineage: json.stringValue(top.get('lineage')),
    encrypted: encryption !== undefined ? (json.stringValue(encryption) ?? 'unknown') : undefined,
    sops: top.has('sops') && json.kind(top.get('sops')!) === 'object',
  };
}

type Visit = (value: StateValue) => void;
/** A string found below a value: `path` is extended in place, so a visitor keeps a copy, not it. */
type VisitString = (stored: JsonString, path: Step[]) => void;

/** Calls `visit` for every string value below the value at `at`, with its path; returns where the value ends. */
function walkStrings(json: JsonText, at: number, path: Step[], visit: VisitString): number {
  switch (json.kind(at)) {
    case 'string': {
      const stored = json.string(at);
      visit(stored, path);
      return stored.end;
    }
    case 'object':
      return json.eachMember(at, (key, value) => {
        path.push(key);
        const end = walkStrings(json, value, path, visit);
        path.pop();
        return end;
      });
    case 'array':
      return json.eachItem(at, (value, index) => {
        path.push(index);
        const end = walkStrings(json, value, path, visit);
        path.pop();
        return end;
      });
    default:
      return json.end(at);
  }
}

/** Each item of the array at `at` (nothing for any other value); `item` returns where the item ends, if it knows. */
function eachItemOf(json: JsonText, at: number | undefined, item: (value: number) => number | void): void {
  if (at === undefined || json.kind(at) !== 'array') return;
  json.eachItem(at, (value) => item(value) ?? json.end(value));
}

/** The first occurrence of each key of the object at `at`, if there is one (none for any other value). */
function fieldsOf(json: JsonText, at: number | undefined): Map<string, number> {
  return at === undefined ? new Map() : json.members(at).fields;
}

/** Each member of the object at `at` (nothing for any other value). */
function eachMemberOf(json: JsonText, at: number | undefined, member: (key: string, value: number) => void): void {
  if (at === undefined || json.kind(at) !== 'object') return;
  json.eachMember(at, (key, value) => {
    member(key, value);
    return json.end(value);
  });
}

function indexSuffix(json: JsonText, key: number | undefined): string {
  const n = json.number(key);
  if (n !== undefined) return `[${n}]`;
  const s = json.stringValue(key);
  return s !== undefined ? `[${JSON.stringify(s)}]` : '';
}

function join(module: string | undefined, local: string): string {
  return module ? `${module}.${local}` : local;
}

function outputValues(json: JsonText, outputs: number | undefined, module: string | undefined, visit: Visit): void {
  eachMemberOf(json, outputs, (name, output) => {
    const fields = fieldsOf(json, output);
    const value = fields.get('value');
    if (value === undefined) return;
    const sensitive = json.boolean(fields.get('sensitive')) === true;
    const resource = join(module, `output.${name}`);
    walkStrings(json, value, ['value'], (stored, path) => visit({ stored, decoded: json.decode(stored), resource, path: [...path], sensitive }));
  });
}

function v4Resources(json: JsonText, resources: number | undefined, visit: Visit): void {
  eachItemOf(json, resources, (resourceAt) => {
    const { fields: resource, end } = json.members(resourceAt);
    const str = (key: string) => json.stringValue(resource.get(key));
    const type = str('type') ?? 'unknown';
    const local = `${str('mode') === 'data' ? 'data.' : ''}${type}.${str('name') ?? 'unknown'}`;
    const module = str('module');
    eachItemOf(json, resource.get('instances'), (instanceAt) => {
      const { fields: instance, end: instanceEnd } = json.members(instanceAt);
      const address = join(module, local) + indexSuffix(json, instance.get('index_key'));
      const sensitiveAt = instance.get('sensitive_attributes');
      const sensitivePaths = sensitiveAt !== undefined ? parseSensitivePaths(json.toPlain(sensitiveAt)) : [];
      const isSensitive = (path: AttributePath) => sensitivePaths.some((p) => startsWithPath(path, p));
      const attributes = instance.get('attributes');
      if (attributes !== undefined) {
        walkStrings(json, attributes, [], (stored, path) =>
          visit({ stored, decoded: json.decode(stored), resource: address, resourceType: type, path: [...path], sensitive: isSensitive(path) }),
        );
      }
      // States upgraded from 0.11 may keep the v3 flat form until the provider rewrites them.
      flatAttributes(json, instance.get('attributes_flat'), address, type, isSensitive, visit);
      return instanceEnd;
    });
    return end;
  });
}

function flatAttributes(
  json: JsonText,
  flat: number | undefined,
  address: string,
  type: string,
  isSensitive: (path: AttributePath) => boolean,
  visit: Visit,
): void {
  eachMemberOf(json, flat, (key, value) => {
    const path = flatKeyPath(key);
    if (!path || json.kind(value) !== 'string') return;
    const stored = json.string(value);
    visit({ stored, decoded: json.decode(stored), resource: address, resourceType: type, path, sensitive: isSensitive(path) });
  });
}

/** v3 module path `["root","network","subnets"]` → `module.network.module.subnets`. */
function v3ModuleAddress(json: JsonText, path: number | undefined): string | undefined {
  const names: string[] = [];
  let first = true;
  eachItemOf(json, path, (item) => {
    const name = first ? undefined : json.stringValue(item);
    first = false;
    if (name !== undefined) names.push(`module.${name}`);
  });
  return names.length ? names.join('.') : undefined;
}

/** v3 resource key `aws_instance.web.1` / `data.aws_ami.ubuntu` → type and local address. */
function v3ResourceAddress(key: string): { type: string; local: string } {
  const parts = key.split('.');
  const data = parts[0] === 'data';
  if (data) parts.shift();
  const [type = 'unknown', name = 'unknown', index] = parts;
  const suffix = index !== undefined && /^\d+$/.test(index) ? `[${index}]` : '';
  return { type, local: `${data ? 'data.' : ''}${type}.${name}${suffix}` };
}

function v3Modules(json: JsonText, modules: number | undefined, visit: Visit): void {
  eachItemOf(json, modules, (moduleAt) => {
    const { fields: mod, end } = json.members(moduleAt);
    const moduleAddress = v3ModuleAddress(json, mod.get('path'));
    eachMemberOf(json, mod.get('resources'), (key, resourceAt) => {
      const { type, local } = v3ResourceAddress(key);
      const address = join(moduleAddress, local);
      const resource = fieldsOf(json, resourceAt);
      const objects = [resource.get('primary')];
      eachItemOf(json, resource.get('deposed'), (deposed) => {
        objects.push(deposed);
      });
      for (const object of objects) flatAttributes(json, fieldsOf(json, object).get('attributes'), address, type, () => false, visit);
    });
    outputValues(json, mod.get('outputs'), moduleAddress, visit);
    return end;
  });
}

/** The backend block of `.terraform/terraform.tfstate` (its config can hold credentials). */
function backendValues(json: JsonText, backend: number | undefined, visit: Visit): void {
  if (backend === undefined || json.kind(backend) !== 'object') return;
  const resourceType = `terraform.backend.${json.stringValue(fieldsOf(json, backend).get('type')) ?? 'unknown'}`;
  eachMemberOf(json, backend, (key, child) => {
    if (key === 'type' || key === 'hash') return;
    walkStrings(json, child, [key], (stored, path) =>
      visit({ stored, decoded: json.decode(stored), resource: resourceType, resourceType, path: [...path], sensitive: false }),
    );
  });
}

/**
 * Calls `visit` for every string value of the state with where it belongs. Values are read where
 * they lie and handed on one at a time: nothing of the state is kept, whatever its size. The
 * order is not the text's (an instance's attributes, then its flat attributes; a v3 module's
 * resources, then its outputs).
 */
export function visitStateValues({ json, top }: StateDocument, visit: Visit): void {
  v4Resources(json, top.get('resources'), visit);
  outputValues(json, top.get('outputs'), undefined, visit);
  v3Modules(json, top.get('modules'), visit);
  backendValues(json, top.get('backend'), visit);
}
