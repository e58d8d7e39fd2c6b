// The image rules models enforce: text models take none, and Llama 3.2 Vision fails on images
// larger than 1120 px on a side (as the real service is reported to), so clients must downscale.

import type { LocatedImage } from './messages';

/** Longest side Llama 3.2 Vision accepts. Kept here, not imported, so a wrong value in the client shows. */
export const LLAMA_VISION_MAX_SIDE = 1120;

export interface ModelTraits {
  readonly vision: boolean;
  /** Longest image side in pixels, when the model enforces one. */
  readonly maxImageSide?: number;
}

export interface ImageProblem {
  readonly loc: readonly (string | number)[];
  readonly message: string;
}

export function checkImages(model: string, traits: ModelTraits, images: readonly LocatedImage[]): ImageProblem | undefined {
  if (!images.length) return undefined;
  if (!traits.vision) {
    return { loc: images[0].loc, message: `Model ${model} does not accept images; send text only or pick a vision model.` };
  }
  const limit = traits.maxImageSide ?? Infinity;
  for (const { image, loc } of images) {
    // A real model cannot decode these either; it usually means the client mangled the base64.
    if (image.source !== 'url' && !image.sniffedMime) {
      return { loc, message: `Could not read the image (${image.bytes} bytes): it is not a PNG, JPEG, GIF or WebP.` };
    }
    const side = Math.max(image.width ?? 0, image.height ?? 0);
    if (side > limit) {
      return {
        loc,
        message: `Image too large for ${model}: ${image.width}×${image.height} px; at most ${limit} px on a side.`,
      };
    }
  }
  return undefined;
}
