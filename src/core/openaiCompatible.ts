// The OpenAI chat-completions client: streams over server-sent events. DeepInfra is this client with
// its own base URL, key check and billing (see `DEEPINFRA`); Ollama, vLLM, llama.cpp and LM Studio
// are `OPENAI_COMPATIBLE`, where the key is optional.

import { createParser, type EventSourceMessage, type ParseError } from 'eventsource-parser';
import { ProviderError, networkError, noKeyError, protocolError, streamErrorFrame } from './errors';
import { creditsFromHeaders, headerValue } from './headers';
import { RequestGuard, STREAMING, asProviderError, readText, send, type ResponseBody } from './http';
import { HttpProvider } from './httpProvider';
import { prepareImages } from './images';
import { EndOfSequenceFilter, contentText, parseCompletion, parseUsage, samplingFields, wireMessages } from './openaiFormat';
import type { ChatEvent, ChatRequest, Credits, ProviderConfig, ProviderId, Usage } from './types';

/** What sets one OpenAI-compatible provider apart from another. */
export interface OpenAIFlavor {
  readonly id: ProviderId;
  readonly keyRequired: boolean;
  /** An endpoint that answers 2xx only for a good key (or, without a key, proves the server is there). */
  keyCheckUrl(baseUrl: string): string;
}

/** DeepInfra: `estimated_cost` in usage, 402 as out of balance (see errors.ts), key checked at `/v1/me`. */
export const DEEPINFRA: OpenAIFlavor = {
  id: 'deepinfra',
  keyRequired: true,
  // `/models` answers without a key, so it cannot validate one; `/v1/me` needs it.
  keyCheckUrl: (baseUrl) => `${baseUrl.replace(/\/openai$/, '')}/me`,
};

export const OPENAI_COMPATIBLE: OpenAIFlavor = {
  id: 'openaiCompatible',
  keyRequired: false,
  keyCheckUrl: (baseUrl) => `${baseUrl}/models`,
};

/** The most an SSE event may buffer before the stream counts as broken (the 5 MB answer comes in many small events). */
const MAX_EVENT_CHARS = 8 * 1024 * 1024;

export class OpenAICompatibleProvider extends HttpProvider {
  readonly id: ProviderId;

  constructor(
    private readonly flavor: OpenAIFlavor,
    config: ProviderConfig,
  ) {
    super(config);
    this.id = flavor.id;
  }

  private authHeaders(): Record<string, string> {
    return this.key ? { authorization: `Bearer ${this.key}` } : {};
  }

  async checkKey(signal?: AbortSignal): Promise<{ readonly credits?: Credits }> {
    if (this.flavor.keyRequired && !this.key) throw noKeyError(this.id);
    const { credits } = await this.getJson(this.flavor.keyCheckUrl(this.baseUrl), this.authHeaders(), signal);
    return credits ? { credits } : {};
  }

  async *stream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatEvent, void, undefined> {
    const guard = new RequestGuard(signal, this.timeouts);
    let completed = false;
    try {
      if (this.flavor.keyRequired && !this.key) throw noKeyError(this.id);
      const prepared = prepareImages(request, this.visionModels);
      if (guard.cancelled) {
        completed = true;
        yield { type: 'end', outcome: 'cancelled' };
        return;
      }
      const body = JSON.stringify({
        model: prepared.model.providerModelId,
        messages: wireMessages(prepared),
        ...samplingFields(prepared.options),
        stream: true,
        stream_options: { include_usage: true },
      });
      const headers = { 'content-type': 'application/json', accept: 'text/event-stream', ...this.authHeaders() };
      const response = yield* send(this.call('POST', `${this.baseUrl}/chat/completions`, headers, body, prepared.model.displayName), guard);

      const contentType = headerValue(response.headers, 'content-type') ?? '';
      // A server that ignores `stream: true` answers one JSON completion: take it rather than fail.
      const summary = contentType.includes('application/json')
        ? yield* this.readCompletion(response.body, guard)
        : yield* this.readEvents(response.body, guard);
      completed = true;
      if (summary.usage) yield { type: 'usage', usage: summary.usage };
      const credits = creditsFromHeaders(response.headers);
      if (credits) yield { type: 'credits', credits };
      yield { type: 'end', outcome: 'complete', finishReason: summary.finishReason };
    } catch (error) {
      if (!guard.cancelled) throw asProviderError(error, guard, this.id, this.key);
      completed = true;
      yield { type: 'end', outcome: 'cancelled' };
    } finally {
      guard.dispose(completed);
    }
  }

  /**
   * The SSE body, parsed by eventsource-parser as it arrives. The first words of the answer go out
   * the moment they are read; after that, all deltas found in one network chunk go out as one
   * `delta` event (fewer hops through the async generators when a burst arrives). Nothing
   * accumulates the whole answer.
   *
   * The end: `[DONE]` or a `finish_reason` both mean complete (some servers omit `[DONE]`). A body
   * that ends with neither was cut short, which to the user is the same as a dropped connection: a
   * `network` error, whose next step (retry) fits.
   */
  private async *readEvents(body: ResponseBody, guard: RequestGuard): AsyncGenerator<ChatEvent, StreamSummary, undefined> {
    const frames = new FrameReader(this.id, this.key);
    const parser = createParser({ onEvent: frames.onEvent, onError: frames.onParseError, maxBufferSize: MAX_EVENT_CHARS });
    const eos = new EndOfSequenceFilter();
    const decoder = new TextDecoder();
    for await (const chunk of body as AsyncIterable<Buffer>) {
      guard.progress();
      parser.feed(decoder.decode(chunk, STREAMING));
      for (let text = frames.nextText(); text !== undefined; text = frames.nextText()) {
        const out = eos.push(text);
        if (out) yield { type: 'delta', text: out };
      }
      if (frames.failure) throw frames.failure;
    }
    // The decoder's last bytes, and a last event the server did not close with a blank line.
    parser.feed(`${decoder.decode()}\n\n`);
    for (let text = frames.nextText(); text !== undefined; text = frames.nextText()) {
      const out = eos.push(text);
      if (out) yield { type: 'delta', text: out };
    }
    if (frames.failure) throw frames.failure;
    const tail = eos.end();
    if (tail) yield { type: 'delta', text: tail };
    if (!frames.done && frames.finishReason === undefined) {
      throw networkError(this.id, new Error('the response ended before [DONE] or a finish_reason'), this.key, 'stream');
    }
    return { usage: frames.usage, finishReason: frames.finishReason };
  }

  private async *readCompletion(body: ResponseBody, guard: RequestGuard): AsyncGenerator<ChatEvent, StreamSummary, undefined> {
    const text = await readText(body, guard);
    let completion;
    try {
      completion = parseCompletion(JSON.parse(text));
    } catch {
      completion = undefined;
    }
    if (!completion) throw protocolError(this.id, 'no message in the completion', text.slice(0, 200), this.key);
    if (completion.text) yield { type: 'delta', text: completion.text };
    return { usage: completion.usage, finishReason: completion.finishReason };
  }
}

interface StreamSummary {
  readonly usage?: Usage;
  readonly finishReason?: string;
}

/**
 * Turns SSE events into text, usage and the finish. The parser's callback only queues each event's
 * data; `nextText` reads them, so a failure is recorded (never thrown inside the parser) and the
 * text before it is still delivered.
 */
class FrameReader {
  private readonly queue: string[] = [];
  private next = 0;
  private readonly texts: string[] = [];
  private started = false;
  usage: Usage | undefined;
  finishReason: string | undefined;
  done = false;
  failure: ProviderError | undefined;

  constructor(
    private readonly provider: ProviderId,
    private readonly key: string | undefined,
  ) {}

  readonly onEvent = (event: EventSourceMessage): void => {
    this.queue.push(event.data);
  };

  /**
   * The next text to deliver from the queued events, or undefined when they are all read: the
   * answer's first text alone (so it shows at once), afterwards everything queued, joined.
   */
  nextText(): string | undefined {
    const queue = this.queue;
    while (this.next < queue.length && !this.failure) {
      const text = this.read(queue[this.next++]);
      if (text === undefined) continue;
      if (!this.started) {
        this.started = true;
        return text;
      }
      this.texts.push(text);
    }
    queue.length = 0;
    this.next = 0;
    const texts = this.texts;
    if (texts.length === 0) return undefined;
    const joined = texts.length === 1 ? texts[0] : texts.join('');
    texts.length = 0;
    return joined;
  }

  /** One event: its text, if it carries any; records usage, the finish, `[DONE]` or a failure. */
  private read(data: string): string | undefined {
    if (this.done || this.failure) return undefined;
    if (data === '[DONE]') {
      this.done = true;
      return undefined;
    }
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      this.failure = protocolError(this.provider, 'a malformed event', data.slice(0, 200), this.key);
      return undefined;
    }
    if (typeof frame !== 'object' || frame === null) {
      this.failure = protocolError(this.provider, 'an event that is not an object', data.slice(0, 200), this.key);
      return undefined;
    }
    const f = frame as { choices?: unknown; usage?: unknown; error?: unknown; error_type?: unknown; error_message?: unknown };
    if (f.error !== undefined || f.error_type !== undefined || f.error_message !== undefined) {
      this.failure = streamErrorFrame(this.provider, f as Record<string, unknown>, this.key);
      return undefined;
    }
    if (f.usage) this.usage = parseUsage(f.usage) ?? this.usage;
    if (!Array.isArray(f.choices) || f.choices.length === 0) return undefined;
    const choice = f.choices[0] as { delta?: { content?: unknown }; message?: { content?: unknown }; finish_reason?: unknown } | null;
    if (!choice) return undefined;
    if (typeof choice.finish_reason === 'string') this.finishReason = choice.finish_reason;
    const raw = choice.delta ? choice.delta.content : choice.message?.content;
    const text = typeof raw === 'string' ? raw : contentText(raw);
    return text ? text : undefined;
  }

  readonly onParseError = (error: ParseError): void => {
    // Unknown fields and bad `retry:` lines are harmless; only an over-long event breaks the stream.
    if (error.type === 'max-buffer-size-exceeded' && !this.failure) {
      this.failure = protocolError(this.provider, 'an event larger than 8 MB', undefined, this.key);
    }
  };
}
