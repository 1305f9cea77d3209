// Which S3 objects are Terraform state, and which workspace each belongs to.

export interface S3Target {
  bucket: string;
  /** Key prefix to scan under ('' for the whole bucket). */
  prefix: string;
}

/** Parses `s3://bucket[/prefix]`; null when `target` is not an S3 URL. */
export function parseS3Url(target: string): S3Target | null {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(target);
  if (!m) return null;
  return { bucket: m[1], prefix: m[2] ?? '' };
}

/** The S3 backend's default `workspace_key_prefix`. */
export const DEFAULT_WORKSPACE_KEY_PREFIX = 'env:';

const STATE_KEY = /\.tfstate(?:\.backup)?$/i;

/**
 * True for keys that hold state. By default a key must end in `.tfstate` (the near-universal
 * convention); `anyKey` takes every object, since the backend's `key` may be any name. Lock
 * files (`.tflock`) and folder markers are never state.
 */
export function isStateKey(key: string, anyKey = false): boolean {
  if (key.endsWith('/') || key.endsWith('.tflock')) return false;
  return anyKey || STATE_KEY.test(key);
}

/**
 * The workspace of a key: `<workspace_key_prefix>/<workspace>/<key>` is a named workspace's
 * state; any other key is the default workspace's.
 */
export function workspaceOfKey(key: string, workspaceKeyPrefix = DEFAULT_WORKSPACE_KEY_PREFIX): string {
  const head = `${workspaceKeyPrefix}/`;
  if (!key.startsWith(head)) return 'default';
  const rest = key.slice(head.length);
  const slash = rest.indexOf('/');
  return slash > 0 ? rest.slice(0, slash) : 'default';
}

/**
 * True when `key` belongs under the scanned `prefix`: directly, or as a workspace key whose
 * key part (after `<workspace_key_prefix>/<workspace>/`) starts with it — the backend stores
 * named workspaces' states outside the configured key's folder.
 */
export function isUnderPrefix(key: string, prefix: string, workspaceKeyPrefix = DEFAULT_WORKSPACE_KEY_PREFIX): boolean {
  if (key.startsWith(prefix)) return true;
  const head = `${workspaceKeyPrefix}/`;
  if (!key.startsWith(head)) return false;
  const rest = key.slice(head.length);
  const slash = rest.indexOf('/');
  return slash > 0 && rest.slice(slash + 1).startsWith(prefix);
}
