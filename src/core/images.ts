// Images as the core sees them: the type comes from the bytes (a file name or a webview's claim
// can lie), the size from the format's header, and a check before any request keeps images away
// from models that cannot take them.

import { ProviderError } from './errors';
import { providerName } from './providerTable';
import { inspectImage, type ImageFacts } from '../imageHeader';
import type { ChatMessage, ChatRequest, ImageData, ImageMime, ModelInfo } from './types';

export { inspectImage, sniffMime, type ImageFacts } from '../imageHeader';

export function toDataUrl(image: { readonly mime: ImageMime; readonly base64: string }): string {
  return `data:${image.mime};base64,${image.base64}`;
}

/**
 * PNG, GIF and WebP keep their size in the first few dozen bytes; JPEG may put it after a large
 * EXIF block. Decode a small prefix first and the whole image only when that was not enough.
 */
export function inspectBase64(base64: string): ImageFacts | undefined {
  const PREFIX_CHARS = 64 * 1024; // a multiple of 4, so the prefix decodes cleanly
  const head = inspectImage(Buffer.from(base64.length > PREFIX_CHARS ? base64.slice(0, PREFIX_CHARS) : base64, 'base64'));
  if (head?.width !== undefined || base64.length <= PREFIX_CHARS || head === undefined) return head;
  return inspectImage(Buffer.from(base64, 'base64'));
}

function describeModels(models: readonly ModelInfo[]): string {
  const names = models.slice(0, 4).map((m) => `${m.displayName} (${providerName(m.provider)})`);
  return names.length ? names.join(', ') : 'a vision model';
}

/**
 * Run before any request. Refuses (`unsupported`) an image for a model that cannot see, naming the
 * models that can; refuses an image that is not PNG/JPEG/GIF/WebP or is larger than the model
 * takes (the webview downscales before sending, so this is the safety net).
 *
 * When the conversation holds more images than the model takes in one request, only the latest
 * `maxImages` are sent and older ones are left out of the request (their text stays): refusing
 * would make every conversation with a second image fail, and the latest image is the one the
 * user is asking about. The returned request carries each sent image's sniffed type and size.
 */
export function prepareImages(request: ChatRequest, visionModels: readonly ModelInfo[]): ChatRequest {
  const { model } = request;
  let total = 0;
  for (const message of request.messages) total += message.images?.length ?? 0;
  if (total === 0) return request;
  if (!model.vision || model.maxImages < 1) {
    throw new ProviderError({
      kind: 'unsupported',
      provider: model.provider,
      message: `${model.displayName} cannot see images. Pick a model that can, such as ${describeModels(visionModels)}, or remove the image.`,
    });
  }

  let budget = model.maxImages;
  const messages: ChatMessage[] = new Array(request.messages.length);
  for (let m = request.messages.length - 1; m >= 0; m--) {
    const message = request.messages[m];
    const images = message.images ?? [];
    if (images.length === 0) {
      messages[m] = message;
      continue;
    }
    const kept: ImageData[] = [];
    for (let i = images.length - 1; i >= 0 && budget > 0; i--, budget--) kept.unshift(checkImage(images[i], model));
    messages[m] = kept.length ? { ...message, images: kept } : { role: message.role, content: message.content };
  }
  return { ...request, messages };
}

function checkImage(image: ImageData, model: ModelInfo): ImageData {
  const label = image.name ? `“${image.name}”` : 'The image';
  const facts = inspectBase64(image.base64);
  if (!facts) {
    throw new ProviderError({
      kind: 'unsupported',
      provider: model.provider,
      message: `${label} is not a PNG, JPEG, GIF or WebP image. Attach one of those instead.`,
      nextStep: 'changeRequest',
    });
  }
  const width = facts.width ?? image.width;
  const height = facts.height ?? image.height;
  const limit = model.maxImageSide;
  if (limit !== undefined && width !== undefined && height !== undefined && Math.max(width, height) > limit) {
    throw new ProviderError({
      kind: 'unsupported',
      provider: model.provider,
      message: `${label} is ${width}×${height} px; ${model.displayName} takes at most ${limit} px on a side. Downscale it to fit, then send again.`,
      nextStep: 'changeRequest',
    });
  }
  return { ...image, mime: facts.mime, width, height };
}
