// Member names come from the archive's author. Nothing is ever extracted, so `../` cannot
// escape anywhere, but such names (and names that are not UTF-8) are signs of a crafted
// archive and are reported; the member is still scanned under a readable name.

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface MemberName {
  /** Name to show in paths: leading `./` and `/` removed. */
  display: string;
  /** Why the name is suspicious, if it is. */
  problem?: string;
}

/** Decodes a raw (zip) name: UTF-8 when valid, else latin1 so every byte stays visible. */
export function decodeRawName(raw: Buffer): { name: string; invalidUtf8: boolean } {
  try {
    return { name: utf8.decode(raw), invalidUtf8: false };
  } catch {
    return { name: raw.toString('latin1'), invalidUtf8: true };
  }
}

/** A control character (a newline, a carriage return) shown as `\xNN`: a report's path is one line. */
function escapeControls(name: string): string {
  return name.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function checkMemberName(name: string, invalidUtf8 = name.includes('\uFFFD')): MemberName {
  const display = escapeControls(name.replace(/\\/g, '/').replace(/^(?:\.\/|\/)+/, '') || name);
  if (invalidUtf8) return { display, problem: 'member name is not valid UTF-8' };
  if (/[\x00-\x1f\x7f]/.test(name)) return { display, problem: 'member name holds control characters (shown as \\xNN)' };
  if (display.split('/').includes('..')) return { display, problem: 'member name climbs out of the archive (`..`)' };
  if (/^\/|^[A-Za-z]:[\\/]/.test(name) && !name.startsWith('./')) {
    return { display, problem: 'member name is an absolute path' };
  }
  return { display };
}

/**
 * True when a link's relative target climbs above the archive root (`a/b -> ../../../etc`):
 * the tar-slip trick. Absolute targets are normal in container layers (`/etc/alternatives/x`).
 */
export function linkEscapes(name: string, target: string, hardLink: boolean): boolean {
  if (target.startsWith('/')) return false;
  const parts = hardLink ? [] : name.split('/').slice(0, -1);
  for (const part of target.split('/')) {
    if (part === '..') {
      if (parts.length === 0) return true;
      parts.pop();
    } else if (part !== '.' && part !== '') parts.push(part);
  }
  return false;
}
