// A minimal PNG encoder (8-bit RGBA, no interlace), enough to make test and sample images without a
// dependency: a PNG is a signature, an IHDR chunk, zlib-deflated scanlines in IDAT, and IEND.

import zlib from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * @param {number} width
 * @param {number} height
 * @param {(x: number, y: number) => [number, number, number, number?]} pixel RGBA (alpha defaults to 255)
 * @returns {Buffer}
 */
export function encodePng(width, height, pixel) {
  const stride = width * 4 + 1; // each scanline starts with its filter type byte (0 = none)
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b, a = 255] = pixel(x, y);
      raw.set([r, g, b, a], y * stride + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, adaptive filtering, no interlace
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A recognisable picture: a sky, a sun, green hills; small enough to attach anywhere. */
export function samplePicture(width = 320, height = 200) {
  return encodePng(width, height, (x, y) => {
    const sun = (x - width * 0.75) ** 2 + (y - height * 0.3) ** 2 < (height * 0.12) ** 2;
    const hill = y > height * 0.65 + Math.sin(x / (width / 8)) * height * 0.06;
    if (sun) return [250, 200, 40];
    if (hill) return [40, 140 + ((x + y) % 20), 60];
    return [110, 170, Math.min(255, 200 + Math.round((y / height) * 55))];
  });
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

let crcTable;
function crc32(bytes) {
  crcTable ??= Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
