// Images are prepared in the webview before they are sent: decoded, downscaled to what the model
// takes (Llama 3.2 Vision fails above 1120 px a side), re-encoded and measured. The host and the
// provider then only ever see an image the model can use.

import type { ImageMime, RawImage, ViewImage } from '../protocol';
import { inspectImage, MAX_IMAGE_BYTES } from '../imageHeader';
import { formatBytes } from './format';

export const MAX_INPUT_BYTES = MAX_IMAGE_BYTES;
/** Used when the model does not say (the catalog gives every vision model a side). */
export const DEFAULT_MAX_SIDE = 1120;
const JPEG_QUALITY = 0.9;
/** A PNG with transparency is kept as PNG up to this size; larger ones are flattened onto white as JPEG. */
const MAX_ALPHA_PNG_BYTES = 1.5 * 1024 * 1024;
/** An original that already fits is sent untouched (no re-encoding loss) up to this size. */
const KEEP_ORIGINAL_MAX_BYTES = 2 * 1024 * 1024;

/** Something the user can act on: the message names the file and says what to do. */
export class ImageProblem extends Error {
  override readonly name = 'ImageProblem';
}

/**
 * The most pixels an image may have: decoding takes 4 bytes a pixel, so 50 megapixels is 200 MB
 * (a 16000 × 16000 PNG of 249 KB would take over a gigabyte). Read from the header, before any decode.
 */
export const MAX_PIXELS = 50_000_000;
/** Where PNG, GIF and WebP keep their size, and most JPEGs (after their EXIF block). */
const HEADER_BYTES = 256 * 1024;

/** Images are prepared one at a time: four large ones at once would each hold a decoded bitmap. */
let preparing: Promise<unknown> = Promise.resolve();

export function prepareImage(blob: Blob, name: string, maxSide = DEFAULT_MAX_SIDE): Promise<ViewImage> {
  const next = preparing.then(() => prepareNow(blob, name, maxSide));
  preparing = next.catch(() => undefined);
  return next;
}

async function prepareNow(blob: Blob, name: string, maxSide: number): Promise<ViewImage> {
  if (blob.size > MAX_INPUT_BYTES) {
    throw new ImageProblem(`${name} is ${formatBytes(blob.size)}; images up to ${formatBytes(MAX_INPUT_BYTES)} can be attached. Try a smaller or compressed copy.`);
  }
  await refuseHugePixelCounts(blob, name);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    throw new ImageProblem(`${name} could not be read as an image. Attach a PNG, JPEG, GIF or WebP file.`);
  }
  try {
    const { width, height } = bitmap;
    const scale = Math.min(1, maxSide / Math.max(width, height));
    const targetWidth = Math.max(1, Math.round(width * scale));
    const targetHeight = Math.max(1, Math.round(height * scale));
    const original = asSendableMime(blob.type);
    if (scale === 1 && original && blob.size <= KEEP_ORIGINAL_MAX_BYTES) {
      return await toViewImage(blob, original, name, width, height);
    }
    const canvas = new OffscreenCanvas(targetWidth, targetHeight);
    const context = canvas.getContext('2d', { willReadFrequently: false });
    if (!context) throw new ImageProblem(`${name} could not be resized (no 2D canvas). Try a smaller image.`);
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, targetWidth, targetHeight);

    const mayHaveAlpha = blob.type !== 'image/jpeg' && hasTransparency(context, targetWidth, targetHeight);
    let encoded: Blob;
    if (mayHaveAlpha) {
      encoded = await canvas.convertToBlob({ type: 'image/png' });
      if (encoded.size > MAX_ALPHA_PNG_BYTES) encoded = await flattenToJpeg(canvas);
    } else {
      encoded = await canvas.convertToBlob({ type: 'image/jpeg', quality: JPEG_QUALITY });
      // Screenshots and diagrams (PNG sources) are often smaller, and crisper, as PNG: keep the smaller.
      if (blob.type !== 'image/jpeg') {
        const png = await canvas.convertToBlob({ type: 'image/png' });
        if (png.size < encoded.size) encoded = png;
      }
    }
    return await toViewImage(encoded, encoded.type as ImageMime, renamed(name, encoded.type), targetWidth, targetHeight);
  } finally {
    bitmap.close();
  }
}

/** Reads the pixel size from the header (the whole file only for a JPEG whose size comes late) and refuses what would not fit in memory. */
async function refuseHugePixelCounts(blob: Blob, name: string): Promise<void> {
  let facts = inspectImage(new Uint8Array(await blob.slice(0, HEADER_BYTES).arrayBuffer()));
  if (facts && facts.width === undefined && blob.size > HEADER_BYTES) facts = inspectImage(new Uint8Array(await blob.arrayBuffer()));
  if (!facts?.width || !facts.height || facts.width * facts.height <= MAX_PIXELS) return;
  const megapixels = Math.round((facts.width * facts.height) / 1_000_000);
  throw new ImageProblem(
    `${name} is ${facts.width} × ${facts.height} pixels (${megapixels} megapixels); images up to ${MAX_PIXELS / 1_000_000} megapixels can be attached, since a larger one takes gigabytes to decode. Scale it down, then attach it again.`,
  );
}

/** An image the host read from disk (attach dialog, Describe Image). */
export function prepareRawImage(raw: RawImage, maxSide = DEFAULT_MAX_SIDE): Promise<ViewImage> {
  const approximateBytes = Math.floor((raw.base64.length * 3) / 4);
  if (approximateBytes > MAX_INPUT_BYTES) {
    return Promise.reject(new ImageProblem(`${raw.name} is ${formatBytes(approximateBytes)}; images up to ${formatBytes(MAX_INPUT_BYTES)} can be attached. Try a smaller or compressed copy.`));
  }
  let blob: Blob;
  try {
    blob = base64ToBlob(raw.base64, raw.mime);
  } catch {
    return Promise.reject(new ImageProblem(`${raw.name} could not be read as an image (its data is damaged).`));
  }
  return prepareImage(blob, raw.name, maxSide);
}

/** A prepared image again, for a model that takes a smaller side than the one it was prepared for. */
export async function reprepare(image: ViewImage, maxSide: number): Promise<ViewImage> {
  if (Math.max(image.width, image.height) <= maxSide) return image;
  // Decoded by hand: the CSP's connect-src 'none' forbids fetch(), even of a data: URL.
  const base64 = image.dataUrl.slice(image.dataUrl.indexOf(',') + 1);
  return prepareImage(base64ToBlob(base64, image.mime), image.name, maxSide);
}

export function newImageId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `img-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

function asSendableMime(type: string): ImageMime | undefined {
  return type === 'image/png' || type === 'image/jpeg' ? type : undefined;
}

function hasTransparency(context: OffscreenCanvasRenderingContext2D, width: number, height: number): boolean {
  const pixels = context.getImageData(0, 0, width, height).data;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! < 255) return true;
  return false;
}

async function flattenToJpeg(source: OffscreenCanvas): Promise<Blob> {
  const flat = new OffscreenCanvas(source.width, source.height);
  const context = flat.getContext('2d')!;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, flat.width, flat.height);
  context.drawImage(source, 0, 0);
  return flat.convertToBlob({ type: 'image/jpeg', quality: JPEG_QUALITY });
}

async function toViewImage(blob: Blob, mime: ImageMime, name: string, width: number, height: number): Promise<ViewImage> {
  const dataUrl = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^;,]*/, `data:${mime}`));
    reader.onerror = () => reject(new ImageProblem(`${name} could not be read.`));
    reader.readAsDataURL(blob);
  });
  return { id: newImageId(), name, mime, dataUrl, width, height, bytes: blob.size };
}

function base64ToBlob(base64: string, mime: string): Blob {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: mime });
}

/** "shot.png" re-encoded as JPEG is sent as "shot.jpg", so the name does not lie about the bytes. */
function renamed(name: string, mime: string): string {
  const extension = mime === 'image/jpeg' ? 'jpg' : 'png';
  const base = name.replace(/\.(png|jpe?g|gif|webp|bmp|heic|avif)$/i, '');
  return `${base}.${extension}`;
}
