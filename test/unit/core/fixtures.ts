// Small real images built byte by byte, and the models the core tests use.

import { crc32, deflateSync } from 'node:zlib';
import { BUILTIN_MODELS } from '../../../src/core/catalog';
import type { ImageData, ModelInfo, ProviderId } from '../../../src/core/types';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed) >>> 0);
  return Buffer.concat([length, typed, crc]);
}

/** A valid RGB PNG. Large sizes stay small on disk: every row is the same grey. */
export function png(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const row = Buffer.alloc(1 + width * 3, 0x80);
  row[0] = 0; // filter: none
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A JPEG's markers up to the frame header: APP0 (JFIF), optionally a big APP1 (EXIF) first, then SOF. */
export function jpeg(width: number, height: number, options: { exifBytes?: number; progressive?: boolean } = {}): Buffer {
  const segment = (marker: number, payload: Buffer) => {
    const head = Buffer.from([0xff, marker, 0, 0]);
    head.writeUInt16BE(payload.length + 2, 2);
    return Buffer.concat([head, payload]);
  };
  const parts = [Buffer.from([0xff, 0xd8])];
  parts.push(segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'binary')));
  if (options.exifBytes) parts.push(segment(0xe1, Buffer.alloc(options.exifBytes, 0x45)));
  const frame = Buffer.alloc(15);
  frame[0] = 8;
  frame.writeUInt16BE(height, 1);
  frame.writeUInt16BE(width, 3);
  frame[5] = 3;
  parts.push(segment(options.progressive ? 0xc2 : 0xc0, frame));
  parts.push(Buffer.from([0xff, 0xda, 0, 2, 0xff, 0xd9]));
  return Buffer.concat(parts);
}

export function gif(width: number, height: number): Buffer {
  const b = Buffer.alloc(13);
  b.write('GIF89a', 0, 'ascii');
  b.writeUInt16LE(width, 6);
  b.writeUInt16LE(height, 8);
  return Buffer.concat([b, Buffer.from([0x3b])]);
}

function riff(fourcc: string, payload: Buffer): Buffer {
  const head = Buffer.alloc(20);
  head.write('RIFF', 0, 'ascii');
  head.writeUInt32LE(12 + payload.length, 4);
  head.write('WEBP', 8, 'ascii');
  head.write(fourcc, 12, 'ascii');
  head.writeUInt32LE(payload.length, 16);
  return Buffer.concat([head, payload]);
}

export function webpLossy(width: number, height: number): Buffer {
  const p = Buffer.alloc(20);
  p[3] = 0x9d;
  p[4] = 0x01;
  p[5] = 0x2a;
  p.writeUInt16LE(width, 6);
  p.writeUInt16LE(height, 8);
  return riff('VP8 ', p);
}

export function webpLossless(width: number, height: number): Buffer {
  const p = Buffer.alloc(10);
  p[0] = 0x2f;
  p.writeUInt32LE(((width - 1) | ((height - 1) << 14)) >>> 0, 1);
  return riff('VP8L', p);
}

export function webpExtended(width: number, height: number): Buffer {
  const p = Buffer.alloc(10);
  p.writeUIntLE(width - 1, 4, 3);
  p.writeUIntLE(height - 1, 7, 3);
  return riff('VP8X', p);
}

/** An image as the webview would send it; `claimedMime` lets a test lie about the type. */
export function imageData(bytes: Buffer, name = 'picture.png', claimedMime: ImageData['mime'] = 'image/png'): ImageData {
  return { mime: claimedMime, base64: bytes.toString('base64'), name };
}

export function builtin(provider: ProviderId, predicate: (m: ModelInfo) => boolean): ModelInfo {
  const model = BUILTIN_MODELS.find((m) => m.provider === provider && predicate(m));
  if (!model) throw new Error(`no built-in ${provider} model matches`);
  return model;
}

export const deepinfraText = (): ModelInfo => builtin('deepinfra', (m) => m.providerModelId === 'meta-llama/Meta-Llama-3-8B-Instruct');
export const deepinfraVision = (): ModelInfo => builtin('deepinfra', (m) => m.providerModelId === 'meta-llama/Llama-3.2-11B-Vision-Instruct');
export const segmindText = (): ModelInfo => builtin('segmind', (m) => m.providerModelId === 'llama-v3-8b-instruct');
export const segmindVision = (): ModelInfo => builtin('segmind', (m) => m.providerModelId === 'llama-v3p2-90b-vision-instruct');
export const segmindLlava = (): ModelInfo => builtin('segmind', (m) => m.protocol === 'llava');

/** A model served by the simulator's plain OpenAI-compatible endpoint. */
export function openaiModel(id: 'sim-text' | 'sim-vision'): ModelInfo {
  const vision = id === 'sim-vision';
  return {
    id: `openaiCompatible:${id}`,
    provider: 'openaiCompatible',
    providerModelId: id,
    displayName: id,
    protocol: 'chat',
    vision,
    maxImages: vision ? 1 : 0,
    maxImageSide: vision ? 1120 : undefined,
    contextLength: 8192,
    maxOutputTokens: 4096,
  };
}
