// Reads what the simulator needs to know about an image a client sent: its size in bytes, its
// real format and its pixel dimensions. Only headers are parsed; the pixels are never decoded.
// Kept self-contained (no imports from src/core) so the simulator cannot inherit a client bug.

export type SniffedMime = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

export interface ImageHeader {
  readonly mime: SniffedMime;
  readonly width: number;
  readonly height: number;
}

/** One image found in a request, as far as the simulator could read it. */
export interface ReceivedImage {
  /** Where it came from: a `data:` URL, a bare base64 string (Segmind LLaVA) or a remote URL. */
  readonly source: 'data-url' | 'base64' | 'url';
  /** The MIME type the client declared (data URLs), else the sniffed one, else `unknown`. */
  readonly declaredMime: string;
  /** What the bytes actually are, when recognisable. */
  readonly sniffedMime?: SniffedMime;
  /** Decoded size; 0 for remote URLs, which the simulator never fetches. */
  readonly bytes: number;
  readonly width?: number;
  readonly height?: number;
  /** For remote URLs only. */
  readonly url?: string;
}

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*),/i;

/** Parses an `image_url.url` value (data URL or remote URL). */
export function readImageUrl(url: string): ReceivedImage {
  const match = DATA_URL.exec(url);
  if (!match) {
    return { source: 'url', declaredMime: 'unknown', bytes: 0, url: truncate(url, 80) };
  }
  const declared = match[1].toLowerCase();
  const isBase64 = /;base64/i.test(match[2]);
  const payload = url.slice(match[0].length);
  const bytes = isBase64 ? Buffer.from(payload, 'base64') : Buffer.from(decodeURIComponent(payload), 'latin1');
  return describeBytes(bytes, 'data-url', declared);
}

/** Parses Segmind LLaVA's `images` value: bare base64, a data URL, or a remote URL. */
export function readLooseImage(value: string): ReceivedImage {
  const trimmed = value.trim();
  if (/^data:/i.test(trimmed) || /^https?:\/\//i.test(trimmed)) return readImageUrl(trimmed);
  return describeBytes(Buffer.from(trimmed, 'base64'), 'base64', undefined);
}

function describeBytes(bytes: Buffer, source: ReceivedImage['source'], declared: string | undefined): ReceivedImage {
  const header = readImageHeader(bytes);
  return {
    source,
    declaredMime: declared || header?.mime || 'unknown',
    sniffedMime: header?.mime,
    bytes: bytes.length,
    width: header?.width,
    height: header?.height,
  };
}

/** Recognises PNG, JPEG, GIF and WebP from their first bytes and reads the pixel dimensions. */
export function readImageHeader(b: Uint8Array): ImageHeader | undefined {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (buf.length >= 24 && buf.readUInt32BE(0) === 0x89504e47 && buf.readUInt32BE(4) === 0x0d0a1a0a) {
    // PNG: the IHDR chunk always comes first.
    if (buf.toString('latin1', 12, 16) !== 'IHDR') return undefined;
    return { mime: 'image/png', width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
  }
  if (buf.length >= 10 && /^GIF8[79]a$/.test(buf.toString('latin1', 0, 6))) {
    return { mime: 'image/gif', width: buf.readUInt16LE(6), height: buf.readUInt16LE(8) };
  }
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return readJpeg(buf);
  if (buf.length >= 30 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') {
    return readWebp(buf);
  }
  return undefined;
}

/** Walks the JPEG segments up to the first start-of-frame marker, which holds the dimensions. */
function readJpeg(buf: Buffer): ImageHeader | undefined {
  let offset = 2;
  while (offset + 4 <= buf.length) {
    if (buf[offset] !== 0xff) return undefined;
    const marker = buf[offset + 1];
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // markers without a length
      continue;
    }
    const length = buf.readUInt16BE(offset + 2);
    const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isStartOfFrame) {
      if (offset + 9 > buf.length) return undefined;
      return { mime: 'image/jpeg', height: buf.readUInt16BE(offset + 5), width: buf.readUInt16BE(offset + 7) };
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image or scan data before any frame
    offset += 2 + length;
  }
  return undefined;
}

function readWebp(buf: Buffer): ImageHeader | undefined {
  const chunk = buf.toString('latin1', 12, 16);
  if (chunk === 'VP8 ') {
    // Lossy: 3-byte frame tag, 3-byte start code, then 14-bit width and height.
    return { mime: 'image/webp', width: buf.readUInt16LE(26) & 0x3fff, height: buf.readUInt16LE(28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    // Lossless: a 0x2f signature byte, then width-1 and height-1 in 14 bits each.
    const bits = buf.readUInt32LE(21);
    return { mime: 'image/webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    // Extended: canvas width-1 and height-1 as 24-bit little-endian numbers.
    return { mime: 'image/webp', width: buf.readUIntLE(24, 3) + 1, height: buf.readUIntLE(27, 3) + 1 };
  }
  return undefined;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
