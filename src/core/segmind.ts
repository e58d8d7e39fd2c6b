// Segmind: `POST {base}/{slug}` with `x-api-key`, one JSON body back, no streaming. The stream says
// `waiting` first so the chat shows a working indicator, stays cancellable while it waits, then
// hands the answer over as a few deltas so the UI path is the same as for a streamed answer.
// Every response, errors included, carries the balance in `x-remaining-credits`.

import { ProviderError, noKeyError, protocolError } from './errors';
import { BODY_LIMIT_BYTES, RequestGuard, asProviderError, readBody, send } from './http';
import { HttpProvider } from './httpProvider';
import { prepareImages } from './images';
import { parseCompletion, samplingFields, stripEndOfSequence, wireMessages, type Completion } from './openaiFormat';
import { parsePromptedAnswer, withPromptedTools } from './promptedTools';
import type { ProviderDescriptor } from './providerTable';
import { checkTools } from './toolCalls';
import { REASONING_LIMIT_CHARS, type ChatEvent, type ChatMessage, type ChatRequest, type Credits, type ProviderConfig, type ProviderId } from './types';

/** The answer goes out in about this many deltas. */
const ANSWER_PIECES = 8;
const MIN_PIECE_CHARS = 64;

/** Earlier turns LLaVA sees, and how much of each: it has a 4k window and no chat format. */
const LLAVA_CONTEXT_TURNS = 2;
const LLAVA_CONTEXT_CHARS = 300;

export class SegmindProvider extends HttpProvider {
  readonly id: ProviderId;

  constructor(descriptor: ProviderDescriptor<ProviderId>, config: ProviderConfig) {
    super(config);
    this.id = descriptor.id;
  }

  async *stream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatEvent, void, undefined> {
    const guard = new RequestGuard(signal, this.timeouts);
    let completed = false;
    try {
      if (!this.key) throw noKeyError(this.id);
      const prepared = prepareImages(request, this.visionModels);
      checkTools(prepared, 'prompted');
      const tools = prepared.tools ?? [];
      const llava = prepared.model.protocol === 'llava';
      const body = llava
        ? JSON.stringify(llavaBody(prepared))
        : JSON.stringify({ messages: wireMessages(withPromptedTools(prepared)), ...samplingFields(prepared.options) });
      if (guard.cancelled) {
        completed = true;
        yield { type: 'end', outcome: 'cancelled' };
        return;
      }
      yield { type: 'waiting' };
      const url = `${this.baseUrl}/${encodeURIComponent(prepared.model.providerModelId)}`;
      const headers = { 'content-type': 'application/json', 'x-api-key': this.key };
      const response = yield* send(this.call('POST', url, headers, body, prepared.model.displayName), guard);
      const text = await readBody(response.body, guard, BODY_LIMIT_BYTES, this.id);
      completed = true;

      const answer = answerFrom(text, llava);
      if (!answer) throw protocolError(this.id, llava ? 'no text in the LLaVA answer' : 'no message in the completion', text, this.key);
      // Earlier tool calls go back as text, so a call may be in any answer; only offered tools count.
      const { text: said, calls } = tools.length ? parsePromptedAnswer(answer.text, tools) : { text: answer.text, calls: [] };
      if (answer.reasoning) yield { type: 'reasoning', text: answer.reasoning.slice(0, REASONING_LIMIT_CHARS) };
      for (const piece of pieces(said)) yield { type: 'delta', text: piece };
      for (const call of calls) yield { type: 'toolCall', call };
      yield* this.completion(answer.usage, response.headers, calls.length ? 'tool_calls' : answer.finishReason);
    } catch (error) {
      if (!guard.cancelled) throw asProviderError(error, guard, this.id, this.key);
      completed = true;
      yield { type: 'end', outcome: 'cancelled' };
    } finally {
      guard.dispose(completed);
    }
  }

  /**
   * `GET {base}/get-user-credits` → `{"credits": n, "free-credits": n}`. Both can be spent, so
   * `remaining` is their sum and `free` the free part (paid = remaining − free).
   */
  async getCredits(signal?: AbortSignal): Promise<Credits> {
    if (!this.key) throw noKeyError(this.id);
    const { json } = await this.getJson(`${this.baseUrl}/get-user-credits`, { 'x-api-key': this.key }, signal);
    const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
    const paid = asNumber(o.credits);
    const free = asNumber(o['free-credits']);
    if (paid === undefined && free === undefined) {
      throw protocolError(this.id, 'no balance in the get-user-credits answer', JSON.stringify(json), this.key);
    }
    // Rounded so the sum of two decimals does not show float noise (25.017370103500003).
    return free === undefined ? { remaining: paid ?? 0 } : { remaining: Math.round(((paid ?? 0) + free) * 1e10) / 1e10, free };
  }

  /** The balance call doubles as the key check: it needs the key and costs nothing. */
  async checkKey(signal?: AbortSignal): Promise<{ readonly credits?: Credits }> {
    return { credits: await this.getCredits(signal) };
  }
}

function asNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/**
 * LLaVA's body: `{images: <base64 of the latest image>, prompt}`. The prompt is the latest user
 * message, preceded by the last couple of turns (clipped) so a follow-up question makes sense.
 */
export function llavaBody(request: ChatRequest): { images: string; prompt: string } {
  const image = latestImage(request.messages);
  if (!image) {
    throw new ProviderError({
      kind: 'unsupported',
      provider: request.model.provider,
      message: `${request.model.displayName} answers questions about an image: attach one, then send again.`,
      nextStep: 'changeRequest',
    });
  }
  return { images: image, prompt: llavaPrompt(request.messages) };
}

function latestImage(messages: readonly ChatMessage[]): string | undefined {
  for (let m = messages.length - 1; m >= 0; m--) {
    const images = messages[m].images;
    if (images?.length) return images[images.length - 1].base64;
  }
  return undefined;
}

export function llavaPrompt(messages: readonly ChatMessage[]): string {
  let last = messages.length - 1;
  while (last >= 0 && messages[last].role !== 'user') last--;
  const question = (last >= 0 ? messages[last].content.trim() : '') || 'Describe this image.';
  const earlier = messages
    .slice(0, Math.max(last, 0))
    .filter((m) => m.role !== 'system' && m.content.trim() !== '')
    .slice(-LLAVA_CONTEXT_TURNS);
  if (earlier.length === 0) return question;
  const context = earlier.map((m) => `${m.role === 'user' ? 'User' : 'Assistant'}: ${clip(m.content.trim(), LLAVA_CONTEXT_CHARS)}`);
  return `Earlier in this conversation:\n${context.join('\n')}\n\n${question}`;
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** Fields a LLaVA JSON answer has been seen to keep its text in. */
const ANSWER_FIELDS = ['output', 'response', 'text', 'content'] as const;

/**
 * The answer in a Segmind body: a `chat.completion` (Llama slugs), JSON with the text in one of
 * `output`/`response`/`text`/`content` or a JSON string (LLaVA), or, for LLaVA, plain text.
 */
export function answerFrom(body: string, plainTextAllowed: boolean): Completion | undefined {
  const trimmed = body.trim();
  let json: unknown;
  let isJson = false;
  if (trimmed.startsWith('{') || trimmed.startsWith('"') || trimmed.startsWith('[')) {
    try {
      json = JSON.parse(trimmed);
      isJson = true;
    } catch {
      // Plain text that happens to start with a brace.
    }
  }
  if (!isJson) return plainTextAllowed && trimmed !== '' ? { text: stripEndOfSequence(trimmed) } : undefined;
  if (typeof json === 'string') return { text: stripEndOfSequence(json) };
  const completion = parseCompletion(json);
  if (completion) return completion;
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const o = json as Record<string, unknown>;
    for (const field of ANSWER_FIELDS) {
      const value = o[field];
      if (typeof value === 'string') return { text: stripEndOfSequence(value) };
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return { text: stripEndOfSequence(value.join('')) };
    }
  }
  return undefined;
}

/** Splits the answer into a few deltas, at spaces where one is near, so words arrive whole. */
export function pieces(text: string): string[] {
  if (text.length <= MIN_PIECE_CHARS) return text ? [text] : [];
  const size = Math.max(MIN_PIECE_CHARS, Math.ceil(text.length / ANSWER_PIECES));
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      if (space > start + size / 2) end = space + 1;
    }
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}
