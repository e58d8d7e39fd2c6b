// Token estimates without a tokenizer. None of our providers ships one we could run here, and the
// estimate only has to answer "does this fit the model's window?" and feed VS Code's
// `provideTokenCount`, so it is built to err on the high side for the text people actually send.
//
// Text. The text is split the way Llama 3's tokenizer pre-splits it (words with their leading
// space, numbers in groups of up to three digits, runs of punctuation, runs of whitespace), then:
//   - an ASCII word costs one token per 6 letters, rounded up (common words and identifier pieces are
//     single tokens in Llama 3's 128k vocabulary; long identifiers split into pieces of ~4-6 letters);
//     a word that looks random (few vowels, or case changing every few letters: hashes, base64)
//     costs one per 2 letters;
//   - a non-ASCII character costs one token (CJK and accented letters are 1 or fewer in Llama 3;
//     emoji, outside the BMP, count their two UTF-16 units: 2);
//   - a run of punctuation costs one per 2 characters; a digit group or whitespace run costs one.
// Measured against Llama 3's real tokenizer on TypeScript, JavaScript, Python, C, Markdown, JSON
// and minified code (33 files, 100 kB each at most), this came out 5–25 % above the true count.
// Text that is mostly random data is still undercounted: a lock file full of hashes by ~13 %, raw
// base64 by ~35 %. About 1 ms per 100 kB.
// (Llama 3 8B and both Llama 3.2 Vision models share that tokenizer; LLaVA's Vicuna/Mistral
// tokenizers need slightly more tokens for the same text, within the same margin for code.)
//
// Chat framing. Llama 3's template wraps each message in <|start_header_id|>role<|end_header_id|>
// "\n\n" … <|eot_id|> (5 tokens) and each request in <|begin_of_text|> plus the assistant header
// the answer follows (5 tokens).
//
// Tools. A request that offers tools carries their definitions: names, descriptions and JSON
// schemas, often thousands of tokens (VS Code's Agent mode offers about 40). They are counted as
// Llama 3.1's JSON tool prompt, one message: the text we send by prompt, and about what a server's
// chat template renders from OpenAI `tools`. A call the model made earlier counts as the JSON it wrote.
//
// Images, by the architecture of the model that reads them:
//   - Llama 3.2 Vision cuts an image (at most 1120 px a side) into 560 px tiles, at most 4; each
//     tile becomes 40×40 patches of 14 px plus a class embedding: 1601 positions. They reach the text
//     through cross-attention rather than the text window (the text holds one <|image|> token), so
//     this is an upper bound, kept because providers may count it and it costs little against 128k.
//   - LLaVA 1.5 puts one 336 px image as 24×24 = 576 tokens into the text window.
//   - LLaVA 1.6 ("NeXT", any-resolution) adds up to a 2×2 grid of 336 px tiles to that base image,
//     with a newline token per row of features: at most 576 + 48×48 + 48 = 2928 tokens.
//   - Any other vision model is counted like Llama 3.2 Vision (14 px patches over 560 px tiles),
//     the common ViT layout.

import { toolPrompt } from '../core/promptedTools';
import type { ChatRequest, ModelInfo, ToolDefinition, ToolMode } from '../core/types';
import { estimateMessageTokens, estimateTextTokens, TOKENS_PER_MESSAGE, TOKENS_PER_REQUEST } from '../shared/tokenEstimate';

// Shared with the chat view; re-exported so the extension has one place to import estimates from.
export { estimateImageTokens, estimateMessageTokens, estimateTextTokens, estimateToolCallTokens, modelFamily, TOKENS_PER_MESSAGE, TOKENS_PER_REQUEST, type ModelFamily } from '../shared/tokenEstimate';

/** The tool definitions a request offers, as the model reads them (see the header). */
export function estimateToolTokens(tools: readonly ToolDefinition[], mode: ToolMode = 'auto'): number {
  return tools.length ? TOKENS_PER_MESSAGE + estimateTextTokens(toolPrompt(tools, mode)) : 0;
}

/** The whole prompt as the model receives it: framing, the system prompt (when none is in the messages), tools, messages, images. */
export function estimateRequestTokens(request: ChatRequest): number {
  let tokens = TOKENS_PER_REQUEST + estimateToolTokens(request.tools ?? [], request.toolMode);
  const systemPrompt = request.options?.systemPrompt?.trim();
  if (systemPrompt && !request.messages.some((m) => m.role === 'system')) {
    tokens += TOKENS_PER_MESSAGE + estimateTextTokens(systemPrompt);
  }
  for (const message of request.messages) tokens += estimateMessageTokens(message, request.model);
  return tokens;
}

/** The part of the window kept for the answer: the request's `maxTokens`, at most the model's own limit. */
export function answerReserve(model: ModelInfo, maxTokens?: number): number {
  const asked = maxTokens !== undefined && maxTokens >= 1 ? Math.floor(maxTokens) : model.maxOutputTokens;
  return Math.max(1, Math.min(asked, model.maxOutputTokens, model.contextLength - 1));
}

/**
 * The limits VS Code's Language Model API is told: the answer room and the input that leaves.
 * VS Code shows their sum as the model's context size, so they add up to the model's window.
 */
export function lmTokenLimits(model: ModelInfo, maxTokens?: number): { maxInputTokens: number; maxOutputTokens: number } {
  const maxOutputTokens = answerReserve(model, maxTokens);
  return { maxInputTokens: model.contextLength - maxOutputTokens, maxOutputTokens };
}

/** How many input tokens a model takes when `maxTokens` are kept for the answer. */
export function inputTokenLimit(model: ModelInfo, maxTokens?: number): number {
  return model.contextLength - answerReserve(model, maxTokens);
}

export type ContextCheck =
  | { readonly fits: true; readonly estimatedTokens: number; readonly limitTokens: number }
  | {
      readonly fits: false;
      readonly estimatedTokens: number;
      readonly limitTokens: number;
      readonly overBy: number;
      /** Says how far over, what the limit is made of, and what to do: shown to the user as is. */
      readonly message: string;
    };

/** Compares the request's estimated size with the model's window less the room kept for the answer. */
export function checkContext(request: ChatRequest, model: ModelInfo = request.model): ContextCheck {
  const estimatedTokens = estimateRequestTokens({ ...request, model });
  const reserve = answerReserve(model, request.options?.maxTokens);
  const limitTokens = model.contextLength - reserve;
  if (estimatedTokens <= limitTokens) return { fits: true, estimatedTokens, limitTokens };
  const overBy = estimatedTokens - limitTokens;
  const tools = request.tools ?? [];
  const toolShare = tools.length ? ` (${formatCount(estimateToolTokens(tools, request.toolMode))} of them for the ${tools.length} tool definitions it offers)` : '';
  const message =
    `This request is about ${formatCount(estimatedTokens)} tokens${toolShare}, but ${model.displayName} takes ` +
    `${formatCount(limitTokens)} (its ${formatCount(model.contextLength)}-token context less ${formatCount(reserve)} kept for the answer). ` +
    `Trim about ${formatCount(overBy)} tokens (roughly ${formatCount(Math.ceil(overBy * 3.5))} characters), or choose a model with a larger context.`;
  return { fits: false, estimatedTokens, limitTokens, overBy, message };
}

export interface Truncation {
  readonly text: string;
  readonly truncated: boolean;
  /** Whole lines kept, and lines in the original (a single over-long line is cut mid-line). */
  readonly keptLines: number;
  readonly totalLines: number;
}

/**
 * The longest head of `text` whose estimate is at most `maxTokens`, cut at a line break where one
 * exists, so the model sees whole lines. Returns the text unchanged when it already fits.
 */
export function truncateToTokens(text: string, maxTokens: number): Truncation {
  const lines = text.split('\n');
  const totalLines = lines.length;
  if (estimateTextTokens(text) <= maxTokens) return { text, truncated: false, keptLines: totalLines, totalLines };
  if (maxTokens < 1) return { text: '', truncated: true, keptLines: 0, totalLines };

  // Lines are estimated one by one (a line break is a piece of its own), so the running sum tracks
  // the estimate of the head closely; the final check below settles any rounding difference.
  let used = 0;
  let kept = 0;
  for (; kept < lines.length; kept++) {
    const cost = estimateTextTokens(lines[kept]) + 1;
    if (used + cost > maxTokens) break;
    used += cost;
  }
  let head = lines.slice(0, kept).join('\n');
  while (kept > 0 && estimateTextTokens(head) > maxTokens) {
    kept--;
    head = lines.slice(0, kept).join('\n');
  }
  if (kept === 0) {
    // Not even the first line fits: cut it by characters, shrinking until the estimate agrees.
    let chars = Math.min(lines[0].length, Math.floor(maxTokens * 2));
    head = lines[0].slice(0, chars);
    while (chars > 0 && estimateTextTokens(head) > maxTokens) {
      chars = Math.floor(chars * 0.8);
      head = lines[0].slice(0, chars);
    }
  }
  return { text: head, truncated: true, keptLines: kept, totalLines };
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
