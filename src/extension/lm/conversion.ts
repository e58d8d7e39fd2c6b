// VS Code's Language Model messages, as plain shapes, turned into our ChatRequest messages. The
// host passes `vscode.LanguageModelChatRequestMessage`s straight in: the structural types below
// match them without importing `vscode`, so this runs and is tested in plain Node.
//
// VS Code's parts are class instances (LanguageModelTextPart, LanguageModelDataPart,
// LanguageModelToolCallPart, LanguageModelToolResultPart, and kinds added later), so a part is
// recognised by its fields, never by `instanceof`.

import { ProviderError } from '../../core/errors';
import { inspectImage } from '../../core/images';
import { MAX_IMAGE_BYTES } from '../../imageHeader';
import type { ChatMessage, ChatOptions, ImageData, ModelInfo, Role, ToolCall } from '../../core/types';

/** `vscode.LanguageModelChatMessageRole`: User = 1, Assistant = 2; 3 is the System role VS Code uses internally. */
export const LM_ROLE_USER = 1;
export const LM_ROLE_ASSISTANT = 2;
export const LM_ROLE_SYSTEM = 3;

export interface LmTextPartLike {
  readonly value: string;
}

export interface LmDataPartLike {
  readonly mimeType: string;
  readonly data: Uint8Array;
}

export interface LmMessageLike {
  readonly role: number;
  readonly content: ReadonlyArray<unknown>;
  readonly name?: string | undefined;
}

export interface LmConversion {
  readonly messages: ChatMessage[];
  /** What was left out and why, for the log (tool calls, data we cannot send, images past the model's limit). */
  readonly notes: string[];
}

export function isTextPart(part: unknown): part is LmTextPartLike {
  return typeof part === 'object' && part !== null && typeof (part as { value?: unknown }).value === 'string' && !('callId' in part);
}

export function isDataPart(part: unknown): part is LmDataPartLike {
  return (
    typeof part === 'object' &&
    part !== null &&
    typeof (part as { mimeType?: unknown }).mimeType === 'string' &&
    (part as { data?: unknown }).data instanceof Uint8Array
  );
}

/** `LanguageModelToolCallPart`: `{callId, name, input}`. */
export interface LmToolCallPartLike {
  readonly callId: string;
  readonly name: string;
  readonly input: object;
}

/** `LanguageModelToolResultPart`: `{callId, content: (text | data | other parts)[]}`. */
export interface LmToolResultPartLike {
  readonly callId: string;
  readonly content: ReadonlyArray<unknown>;
}

export function isToolCallPart(part: unknown): part is LmToolCallPartLike {
  return (
    typeof part === 'object' &&
    part !== null &&
    typeof (part as { callId?: unknown }).callId === 'string' &&
    typeof (part as { name?: unknown }).name === 'string' &&
    typeof (part as { input?: unknown }).input === 'object'
  );
}

export function isToolResultPart(part: unknown): part is LmToolResultPartLike {
  return typeof part === 'object' && part !== null && typeof (part as { callId?: unknown }).callId === 'string' && Array.isArray((part as { content?: unknown }).content);
}

function roleOf(role: number): Role | undefined {
  if (role === LM_ROLE_USER) return 'user';
  if (role === LM_ROLE_ASSISTANT) return 'assistant';
  if (role === LM_ROLE_SYSTEM) return 'system';
  return undefined;
}

const TEXT_MIME = /^(text\/|application\/(json|xml|x-yaml|yaml|markdown)\b)/i;

/**
 * Converts one request's messages for `model`.
 *
 * - Text parts of a message are joined in order; data parts whose MIME type is textual
 *   (`LanguageModelDataPart.text`/`.json`) are decoded as UTF-8 and joined too.
 * - Image data parts become `ImageData` with the type read from the bytes (the declared MIME type
 *   can be wrong) and the pixel size from the header. Only user messages carry images to a model.
 * - Tool calls in an assistant message become its `toolCalls`; tool results (in the user message
 *   after the calls) become `tool` turns, before the rest of that message. A result's text and
 *   textual data parts are its content; other data (images) is left out with a note.
 * - Other data (e.g. cache-control markers some callers add) is left out with a note.
 * - Messages left empty are dropped.
 *
 * Throws ProviderError `unsupported` when an image is not PNG/JPEG/GIF/WebP. Whether the model may
 * take the images at all, how many and how large, is the core's `prepareImages` check, run next.
 */
export function convertLmMessages(messages: readonly LmMessageLike[], model: ModelInfo): LmConversion {
  const notes: string[] = [];
  const out: ChatMessage[] = [];
  const decoder = new TextDecoder();
  let imageCount = 0;
  // Only the newest images the model takes are encoded (the core would drop the older ones anyway):
  // a caller's many large images then cost one. One is kept for a model that sees none, so that
  // the core can say it cannot see images.
  const imageParts = messages.filter((m) => roleOf(m.role) === 'user').reduce((n, m) => n + m.content.filter((p) => isImagePart(p)).length, 0);
  const firstKept = imageParts - Math.max(model.maxImages, 1);
  messages.forEach((message, index) => {
    const role = roleOf(message.role);
    if (!role) {
      notes.push(`Message ${index + 1} has an unknown role (${message.role}); it was left out.`);
      return;
    }
    let text = '';
    const images: ImageData[] = [];
    const toolCalls: ToolCall[] = [];
    let misplacedToolParts = 0;
    for (const part of message.content) {
      if (isToolCallPart(part)) {
        if (role === 'assistant') toolCalls.push({ id: part.callId, name: part.name, arguments: { ...(part.input as Record<string, unknown>) } });
        else misplacedToolParts++;
      } else if (isToolResultPart(part)) {
        if (role !== 'user') {
          misplacedToolParts++;
          continue;
        }
        out.push({ role: 'tool', toolCallId: part.callId, content: toolResultText(part, index, notes) });
      } else if (isTextPart(part)) {
        text += part.value;
      } else if (isDataPart(part)) {
        if (part.mimeType.toLowerCase().startsWith('image/')) {
          if (role !== 'user') {
            notes.push(`Message ${index + 1} (${role}) holds an image; only user messages can carry images, so it was left out.`);
            continue;
          }
          imageCount++;
          if (imageCount > firstKept) images.push(toImage(part, imageCount, model));
        } else if (TEXT_MIME.test(part.mimeType)) {
          text += decoder.decode(part.data);
        } else {
          notes.push(`Message ${index + 1} holds ${part.mimeType} data, which our models cannot read; it was left out.`);
        }
      } else {
        notes.push(`Message ${index + 1} holds a part of a kind this provider does not know; it was left out.`);
      }
    }
    if (misplacedToolParts > 0) notes.push(`Message ${index + 1} (${role}): ${misplacedToolParts} tool call/result part(s) in the wrong kind of message left out.`);
    if (toolCalls.length) {
      out.push({ role: 'assistant', content: text, toolCalls });
      return;
    }
    if (!text.trim() && images.length === 0) return;
    out.push(images.length ? { role, content: text, images } : { role, content: text });
  });
  if (firstKept > 0) {
    const n = firstKept;
    notes.push(`${n} older image${n === 1 ? '' : 's'} left out: ${model.displayName} takes ${model.maxImages} per request.`);
  }
  return { messages: out, notes };
}

function isImagePart(part: unknown): boolean {
  return !isToolResultPart(part) && isDataPart(part) && part.mimeType.toLowerCase().startsWith('image/');
}

/** A tool result's text: its text parts and textual data, in order. */
function toolResultText(part: LmToolResultPartLike, index: number, notes: string[]): string {
  let text = '';
  let left = 0;
  for (const item of part.content) {
    if (isTextPart(item)) text += item.value;
    else if (isDataPart(item) && TEXT_MIME.test(item.mimeType)) text += new TextDecoder().decode(item.data);
    else left++;
  }
  if (left) notes.push(`Message ${index + 1}: ${left} part(s) of the result of tool call ${part.callId} are not text; left out.`);
  return text;
}

function toImage(part: LmDataPartLike, ordinal: number, model: ModelInfo): ImageData {
  // Sent as it is (nothing downscales it on this path), so the limit is checked before encoding.
  if (part.data.byteLength > MAX_IMAGE_BYTES) {
    throw new ProviderError({
      kind: 'unsupported',
      provider: model.provider,
      message: `Image ${ordinal} is ${(part.data.byteLength / 1024 / 1024).toFixed(1)} MB; images up to ${MAX_IMAGE_BYTES / 1024 / 1024} MB can be sent to ${model.displayName}. Send a smaller or compressed copy.`,
      nextStep: 'changeRequest',
    });
  }
  const facts = inspectImage(part.data);
  const name = `image ${ordinal}`;
  if (!facts) {
    throw new ProviderError({
      kind: 'unsupported',
      provider: model.provider,
      message: `Image ${ordinal} (declared as ${part.mimeType}) is not a PNG, JPEG, GIF or WebP image. Send one of those instead.`,
      nextStep: 'changeRequest',
    });
  }
  return {
    mime: facts.mime,
    base64: Buffer.from(part.data.buffer, part.data.byteOffset, part.data.byteLength).toString('base64'),
    name,
    width: facts.width,
    height: facts.height,
  };
}

/**
 * Request options from a caller's `modelOptions`, falling back to the user's settings. Accepts the
 * OpenAI spellings (`max_tokens`, `top_p`) and camelCase; values out of range are ignored, and the
 * answer length is capped at the model's own maximum.
 */
export function lmChatOptions(modelOptions: { readonly [name: string]: unknown } | undefined, defaults: ChatOptions, model: ModelInfo): ChatOptions {
  const o = modelOptions ?? {};
  const maxTokens = numberIn(o.max_tokens ?? o.maxTokens ?? o.max_completion_tokens, 1, Number.MAX_SAFE_INTEGER) ?? defaults.maxTokens;
  return {
    ...defaults,
    maxTokens: maxTokens === undefined ? undefined : Math.max(1, Math.min(Math.floor(maxTokens), model.maxOutputTokens)),
    temperature: numberIn(o.temperature, 0, 2) ?? defaults.temperature,
    topP: numberIn(o.top_p ?? o.topP, 0, 1) ?? defaults.topP,
  };
}

function numberIn(value: unknown, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : undefined;
}

/**
 * The kinds of parts a message holds, for the log ("text, image/png 12 345 B, tool result"):
 * what a caller really sent, when an attachment does not arrive as expected.
 */
export function describeLmParts(message: LmMessageLike): string {
  return message.content
    .map((part) => {
      if (isToolCallPart(part)) return 'tool call';
      if (isToolResultPart(part)) return 'tool result';
      if (isTextPart(part)) return 'text';
      if (isDataPart(part)) return `${part.mimeType} ${part.data.byteLength} B`;
      const name = typeof part === 'object' && part !== null ? part.constructor?.name : typeof part;
      return `unknown (${name ?? 'object'})`;
    })
    .join(', ');
}

/**
 * The text of a message as a tokenizer would see it (images are counted apart), for
 * `provideTokenCount`: its text, a tool call as the JSON the model wrote, a tool result's text
 * (often a whole file, the biggest part of an Agent conversation).
 */
export function lmMessageText(message: LmMessageLike): string {
  let text = '';
  for (const part of message.content) {
    if (isToolCallPart(part)) text += JSON.stringify({ name: part.name, parameters: part.input });
    else if (isToolResultPart(part)) text += toolResultText(part, 0, []);
    else if (isTextPart(part)) text += part.value;
    else if (isDataPart(part) && TEXT_MIME.test(part.mimeType)) text += new TextDecoder().decode(part.data);
  }
  return text;
}

/** The image parts of a message, with their sizes when the header says, for `provideTokenCount`. */
export function lmMessageImages(message: LmMessageLike): { width?: number; height?: number }[] {
  const out: { width?: number; height?: number }[] = [];
  for (const part of message.content) {
    if (isDataPart(part) && part.mimeType.toLowerCase().startsWith('image/')) {
      const facts = inspectImage(part.data);
      out.push({ width: facts?.width, height: facts?.height });
    }
  }
  return out;
}
