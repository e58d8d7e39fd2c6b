// Reads OpenAI-style chat bodies (DeepInfra, the OpenAI-compatible server and Segmind's Llama
// slugs) into what the simulator reports back: counts, characters and the images' stats.

import { readImageUrl, type ReceivedImage } from './images';

export interface ParsedChat {
  readonly model?: string;
  readonly stream: boolean;
  readonly messageCount: number;
  /** Characters of text across all messages (the whole prompt the model would see). */
  readonly promptChars: number;
  /** Characters of text in the last user message. */
  readonly lastPromptChars: number;
  readonly roles: readonly string[];
  readonly images: readonly LocatedImage[];
  readonly maxTokens?: number;
  readonly temperature?: number;
}

export interface LocatedImage {
  readonly image: ReceivedImage;
  /** Where it sits in the body, for validation errors: `["body","messages",0,"content",1]`. */
  readonly loc: readonly (string | number)[];
}

export interface BodyProblem {
  readonly loc: readonly (string | number)[];
  readonly message: string;
}

export type ParseResult = { ok: true; chat: ParsedChat } | { ok: false; problem: BodyProblem };

export function parseChatBody(body: unknown): ParseResult {
  if (!isObject(body)) return problem(['body'], 'The body must be a JSON object.');
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return problem(['body', 'messages'], 'messages must be a non-empty array.');
  }
  const roles: string[] = [];
  const images: LocatedImage[] = [];
  let promptChars = 0;
  let lastPromptChars = 0;
  for (let m = 0; m < messages.length; m += 1) {
    const message: unknown = messages[m];
    const at = ['body', 'messages', m];
    if (!isObject(message) || typeof message.role !== 'string') {
      return problem(at, 'Each message needs a string role.');
    }
    roles.push(message.role);
    let chars = 0;
    const content = message.content;
    if (typeof content === 'string') {
      chars = content.length;
    } else if (Array.isArray(content)) {
      for (let p = 0; p < content.length; p += 1) {
        const part: unknown = content[p];
        const partAt = [...at, 'content', p];
        if (isObject(part) && part.type === 'text' && typeof part.text === 'string') {
          chars += part.text.length;
        } else if (isObject(part) && part.type === 'image_url') {
          const url = imageUrlOf(part.image_url);
          if (url === undefined) return problem([...partAt, 'image_url'], 'image_url needs a url.');
          images.push({ image: readImageUrl(url), loc: [...partAt, 'image_url'] });
        } else {
          return problem(partAt, 'Content parts must be {type:"text",text} or {type:"image_url",image_url:{url}}.');
        }
      }
    } else if (content !== null && content !== undefined) {
      return problem([...at, 'content'], 'content must be a string or an array of parts.');
    }
    promptChars += chars;
    if (message.role === 'user') lastPromptChars = chars;
  }
  return {
    ok: true,
    chat: {
      model: typeof body.model === 'string' ? body.model : undefined,
      stream: body.stream === true,
      messageCount: messages.length,
      promptChars,
      lastPromptChars,
      roles,
      images,
      maxTokens: typeof body.max_tokens === 'number' ? body.max_tokens : undefined,
      temperature: typeof body.temperature === 'number' ? body.temperature : undefined,
    },
  };
}

/** Rough token count of a prompt, for `usage.prompt_tokens`: 4 characters a token, plus a fixed cost per image. */
export function estimatePromptTokens(promptChars: number, imageCount: number): number {
  const TOKENS_PER_IMAGE = 1601; // what Llama 3.2 Vision bills for one image tile set
  return Math.ceil(promptChars / 4) + imageCount * TOKENS_PER_IMAGE;
}

function imageUrlOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.url === 'string') return value.url;
  return undefined;
}

function problem(loc: (string | number)[], message: string): ParseResult {
  return { ok: false, problem: { loc, message } };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
