// A container image's config JSON (docker save / OCI) holds the build's environment, labels
// and the command of every layer: exactly where `ENV`/`ARG` secrets leak. It is one long JSON
// line, so it is rendered as one line per setting for locations to point at something useful.

/** Configs are small; anything bigger is scanned as plain text instead. */
export const MAX_IMAGE_CONFIG_BYTES = 4 * 1024 * 1024;

interface ContainerConfig {
  Env?: unknown;
  Labels?: unknown;
  Cmd?: unknown;
  Entrypoint?: unknown;
}

interface ImageConfig {
  rootfs?: unknown;
  config?: ContainerConfig;
  container_config?: ContainerConfig;
  history?: Array<{ created_by?: unknown }>;
}

function isImageConfig(value: unknown): value is ImageConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v.rootfs === 'object' && v.rootfs !== null && ('config' in v || 'history' in v);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function oneLine(text: string): string {
  return text.replace(/\r?\n/g, ' ');
}

/**
 * The lines of an image config (`ENV K=V`, `LABEL k=v`, `CMD ...`, then each history
 * entry's `created_by`), or undefined when `text` is not an image config.
 */
export function renderImageConfig(text: string): string[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isImageConfig(parsed)) return undefined;
  const lines: string[] = [];
  for (const c of [parsed.config, parsed.container_config]) {
    if (!c || typeof c !== 'object') continue;
    for (const env of strings(c.Env)) lines.push(`ENV ${oneLine(env)}`);
    if (c.Labels && typeof c.Labels === 'object') {
      for (const [k, v] of Object.entries(c.Labels)) lines.push(`LABEL ${oneLine(k)}=${oneLine(String(v))}`);
    }
    if (strings(c.Entrypoint).length > 0) lines.push(`ENTRYPOINT ${oneLine(strings(c.Entrypoint).join(' '))}`);
    if (strings(c.Cmd).length > 0) lines.push(`CMD ${oneLine(strings(c.Cmd).join(' '))}`);
  }
  for (const h of Array.isArray(parsed.history) ? parsed.history : []) {
    if (h && typeof h.created_by === 'string') lines.push(oneLine(h.created_by));
  }
  // config and container_config often repeat each other.
  return [...new Set(lines)];
}
