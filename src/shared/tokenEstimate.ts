// Token estimates without a tokenizer, shared by the extension (context checks, VS Code's
// `provideTokenCount`, the spend limit) and the chat view (the cost line under the prompt box), so
// both count the same way. Plain TypeScript: no VS Code, no DOM. The method and how it was measured
// are described in src/extension/tokens.ts.

/** What decides the cost of an image: the model's id (its family) and whether it sees. */
export interface ModelIdentity {
  /** The provider's model id, or any id that contains it (the view's `provider:id`). */
  readonly providerModelId: string;
  readonly vision: boolean;
}

export interface ImageSize {
  readonly width?: number;
  readonly height?: number;
}

export const TOKENS_PER_MESSAGE = 5;
export const TOKENS_PER_REQUEST = 5;

const LETTERS_PER_TOKEN = 6;
const RANDOM_LETTERS_PER_TOKEN = 2;
const PUNCTUATION_PER_TOKEN = 2;

const TILE_SIDE = 560;
const TOKENS_PER_TILE = 1601;
const MAX_TILES = 4;
const LLAVA_15_IMAGE_TOKENS = 576;
const LLAVA_NEXT_IMAGE_TOKENS = 2928;

// The pre-split of Llama 3's tokenizer, simplified: contractions, words with one leading non-letter,
// 1–3 digit groups, punctuation runs (with the line breaks that follow), whitespace.
const PIECES = /'(?:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

/** Estimated tokens of a text; never zero for a non-empty text. */
export function estimateTextTokens(text: string): number {
  if (!text) return 0;
  let tokens = 0;
  PIECES.lastIndex = 0;
  for (let match = PIECES.exec(text); match; match = PIECES.exec(text)) tokens += pieceTokens(match[0]);
  return Math.max(1, tokens);
}

function pieceTokens(piece: string): number {
  let ascii = 0;
  let nonAscii = 0;
  let letters = 0;
  let vowels = 0;
  let humps = 0;
  let digits = 0;
  let previous = '';
  for (let i = 0; i < piece.length; i++) {
    const c = piece[i];
    const code = piece.charCodeAt(i);
    if (code >= 128) {
      nonAscii++;
      continue;
    }
    ascii++;
    const isLower = c >= 'a' && c <= 'z';
    const isUpper = c >= 'A' && c <= 'Z';
    if (isLower || isUpper) {
      letters++;
      if ('aeiouyAEIOUY'.includes(c)) vowels++;
      if (isUpper && previous >= 'a' && previous <= 'z') humps++;
    } else if (c >= '0' && c <= '9') {
      digits++;
    }
    previous = c;
  }
  if (letters > 0) {
    const looksRandom = letters >= 8 && (vowels / letters < 0.2 || humps * 4 > letters);
    return Math.ceil(ascii / (looksRandom ? RANDOM_LETTERS_PER_TOKEN : LETTERS_PER_TOKEN)) + nonAscii;
  }
  if (digits > 0) return 1;
  const visible = piece.trim().length;
  if (visible === 0) return 1; // a whitespace run
  return Math.ceil(Math.max(0, visible - nonAscii) / PUNCTUATION_PER_TOKEN) + nonAscii;
}

export type ModelFamily = 'llama-3.2-vision' | 'llama-3' | 'llava-1.5' | 'llava-1.6' | 'other';

/**
 * The architecture family, read from the provider's model id: it decides what an image costs and is
 * the `family` VS Code's Language Model API shows. Unknown ids (a user's Ollama model) are `other`.
 */
export function modelFamily(model: ModelIdentity): ModelFamily {
  const id = model.providerModelId.toLowerCase();
  if (id.includes('llava')) return /1[._-]?5(?![0-9])/.test(id) ? 'llava-1.5' : 'llava-1.6';
  if (/llama[-_ ]?v?3(?:[._p-]?2)?.*vision|llama-?3\.2-.*vision|v3p2.*vision/.test(id)) return 'llama-3.2-vision';
  if (/llama[-_ ]?v?3/.test(id)) return 'llama-3';
  return 'other';
}

/** Estimated tokens one image costs the model (see the header for the method). */
export function estimateImageTokens(image: ImageSize, model: ModelIdentity & { readonly maxImageSide?: number }): number {
  const family = modelFamily(model);
  if (family === 'llava-1.5') return LLAVA_15_IMAGE_TOKENS;
  if (family === 'llava-1.6') return LLAVA_NEXT_IMAGE_TOKENS;
  if (!image.width || !image.height) return MAX_TILES * TOKENS_PER_TILE;
  // The image as the model will see it: scaled down to fit the model's side limit.
  const limit = model.maxImageSide ?? TILE_SIDE * 2;
  const scale = Math.min(1, limit / Math.max(image.width, image.height));
  const tiles = Math.ceil((image.width * scale) / TILE_SIDE) * Math.ceil((image.height * scale) / TILE_SIDE);
  return Math.min(MAX_TILES, Math.max(1, tiles)) * TOKENS_PER_TILE;
}

/** One message as the model receives it: its framing, its text and its images. */
/** A tool call an assistant turn made: its name and arguments. */
export interface ToolCallLike {
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
}

/** A call the model made earlier counts as the JSON it wrote. */
export function estimateToolCallTokens(call: ToolCallLike): number {
  return estimateTextTokens(JSON.stringify({ name: call.name, parameters: call.arguments }));
}

export function estimateMessageTokens(
  message: { readonly content: string; readonly images?: readonly ImageSize[]; readonly toolCalls?: readonly ToolCallLike[] },
  model: ModelIdentity & { readonly maxImageSide?: number },
): number {
  let tokens = TOKENS_PER_MESSAGE + estimateTextTokens(message.content);
  for (const image of message.images ?? []) tokens += estimateImageTokens(image, model);
  for (const call of message.toolCalls ?? []) tokens += estimateToolCallTokens(call);
  return tokens;
}

/** US dollars for `tokens` input tokens at a price per million. */
export function inputCostUsd(tokens: number, pricing: { readonly inputPerMillion: number }): number {
  return (tokens * pricing.inputPerMillion) / 1_000_000;
}
