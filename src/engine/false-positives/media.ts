// Base64 images and fonts (data URIs, inlined assets) are long high-entropy runs. Their first
// bytes are a file signature, which survives base64 as a fixed prefix.

const MEDIA_PREFIXES = [
  'iVBORw0KGgo', // PNG
  '/9j/', // JPEG
  'R0lGODdh', // GIF87a
  'R0lGODlh', // GIF89a
  'UklGR', // RIFF (WebP, WAV)
  'Qk', // BMP ("BM"), only with the length check below
  'AAABAA', // ICO
  'd09GRg', // WOFF
  'd09GMg', // WOFF2
  'AAEAAA', // TrueType
  'T1RUTw', // OpenType (OTTO)
  'PHN2Zy', // "<svg"
  'PD94bWwg', // "<?xml "
  'JVBERi0', // PDF
  'AAAAIGZ0eXA', // MP4 / HEIF / AVIF (ftyp box)
  'AAAAHGZ0eXA',
  'AAAAGGZ0eXA',
  'SUQz', // MP3 (ID3)
  'T2dnUw', // Ogg
  'GkXfo', // WebM / Matroska
];

/** True when `secret` is base64 of an image, font or other media file. */
export function isEncodedMedia(secret: string): boolean {
  for (const prefix of MEDIA_PREFIXES) {
    if (secret.startsWith(prefix)) return prefix.length > 2 || secret.length > 200;
  }
  return false;
}

/** `data:image/png;base64,` ends at `offset` of `line` (the value is the URI's payload). */
export function followsDataUri(before: string): boolean {
  return /data:[a-z]+\/[a-z0-9.+-]+(?:;[a-z-]+=[^;,]+)*;base64,$/i.test(before);
}
