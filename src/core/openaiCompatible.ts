// The OpenAI chat-completions client: streams over server-sent events. DeepInfra is this client with
// its own base URL, key check and billing; Ollama, vLLM, llama.cpp and LM Studio are the
// OpenAI-compatible server, where the key is optional. What sets them apart is in the provider table.

import { createParser, type EventSourceMessage, type ParseError } from 'eventsource-parser';
import { ProviderError, networkError, noKeyError, protocolError, streamErrorFrame } from './errors';
import { headerValue } from './headers';
import { BODY_LIMIT_BYTES, RequestGuard, STREAMING, asProviderError, readBody, send, type ResponseBody } from './http';
import { HttpProvider } from './httpProvider';
import { MAX_LISTING_BYTES, parseDeepInfraListing, parseOllamaShow, parseOpenAIListing, type ListedModel } from './modelListings';
import { prepareImages } from './images';
import { EndOfSequenceFilter, contentText, parseCompletion, parseUsage, reasoningText, samplingFields, toolFields, wireMessages } from './openaiFormat';
import { ThinkTagSplitter } from './thinkTags';
import type { ProviderDescriptor } from './providerTable';
import { ToolCallAssembler, checkTools } from './toolCalls';
import { ArgumentsTemplate } from './argumentsTemplate';
import { ANSWER_LIMIT_CHARS, ANSWER_LIMIT_REASON, REASONING_LIMIT_CHARS, REASONING_LIMIT_REASON, type ChatEvent, type ChatRequest, type Credits, type ProviderConfig, type ProviderId, type ToolCall, type Usage } from './types';

/** Ollama's details are asked for this many models at most, a few at a time. */
const MAX_OLLAMA_DETAILS = 64;
const OLLAMA_PARALLEL = 4;
/** `/api/show` carries the model's template and license: enough room for those, no more. */
const MAX_OLLAMA_SHOW_BYTES = 2 * 1024 * 1024;

/** The most an SSE event may buffer before the stream counts as broken (the 5 MB answer comes in many small events). */
const MAX_EVENT_CHARS = 8 * 1024 * 1024;

export class OpenAICompatibleProvider extends HttpProvider {
  readonly id: ProviderId;
  /** Made once per provider: every chat request uses the same URL and headers. */
  private readonly chatUrl: string;
  private readonly chatHeaders: Readonly<Record<string, string>>;

  constructor(
    private readonly descriptor: ProviderDescriptor<ProviderId>,
    config: ProviderConfig,
  ) {
    super(config);
    this.id = descriptor.id;
    this.chatUrl = `${this.baseUrl}/chat/completions`;
    this.chatHeaders = { 'content-type': 'application/json', accept: 'text/event-stream', ...this.authHeaders() };
  }

  private authHeaders(): Record<string, string> {
    return this.key ? { authorization: `Bearer ${this.key}` } : {};
  }

  async checkKey(signal?: AbortSignal): Promise<{ readonly credits?: Credits }> {
    if (this.descriptor.key.required && !this.key) throw noKeyError(this.id);
    const checkUrl = this.descriptor.key.checkUrl?.(this.baseUrl) ?? `${this.baseUrl}/models`;
    const { credits } = await this.getJson(checkUrl, this.authHeaders(), signal);
    return credits ? { credits } : {};
  }

  /** The provider's listing: DeepInfra's priced `/models`, or `/models` plus Ollama's details. */
  async listModels(signal?: AbortSignal): Promise<readonly ListedModel[]> {
    const source = this.descriptor.catalog;
    if (source.kind === 'curated') return [];
    const { json } = await this.getJson(`${this.baseUrl}/${source.path}`, this.authHeaders(), signal, { limitBytes: MAX_LISTING_BYTES });
    if (source.kind === 'deepinfra') return parseDeepInfraListing(json);
    const listed = parseOpenAIListing(json);
    return source.ollamaDetails ? this.withOllamaDetails(listed, signal) : listed;
  }

  /**
   * Ollama's `POST /api/show` for the first models: the context it runs with, vision, tools. A
   * server that does not answer it is not Ollama, and the ids alone are kept.
   */
  private async withOllamaDetails(listed: readonly ListedModel[], signal?: AbortSignal): Promise<ListedModel[]> {
    const root = this.baseUrl.replace(/\/v1$/, '');
    const out = [...listed];
    const embeddingOnly = new Set<string>();
    let ollama = true;
    for (let i = 0; i < Math.min(out.length, MAX_OLLAMA_DETAILS) && ollama; i += OLLAMA_PARALLEL) {
      await Promise.all(
        out.slice(i, Math.min(i + OLLAMA_PARALLEL, MAX_OLLAMA_DETAILS)).map(async (model, j) => {
          try {
            const { json } = await this.getJson(`${root}/api/show`, this.authHeaders(), signal, {
              method: 'POST',
              body: JSON.stringify({ model: model.id }),
              limitBytes: MAX_OLLAMA_SHOW_BYTES,
            });
            const d = parseOllamaShow(json);
            if (d.chat === false) embeddingOnly.add(model.id);
            out[i + j] = {
              ...model,
              contextLength: d.contextLength ?? model.contextLength,
              vision: d.vision ?? model.vision,
              tools: d.tools ?? model.tools,
              reasoning: d.reasoning ?? model.reasoning,
            };
          } catch {
            ollama = false;
          }
        }),
      );
    }
    return out.filter((m) => !embeddingOnly.has(m.id));
  }

  async *stream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatEvent, void, undefined> {
    const guard = new RequestGuard(signal, this.timeouts);
    let completed = false;
    try {
      if (this.descriptor.key.required && !this.key) throw noKeyError(this.id);
      const prepared = prepareImages(request, this.visionModels);
      checkTools(prepared, 'native');
      if (guard.cancelled) {
        completed = true;
        yield { type: 'end', outcome: 'cancelled' };
        return;
      }
      const body = JSON.stringify({
        model: prepared.model.providerModelId,
        messages: wireMessages(prepared),
        ...samplingFields(prepared.options),
        ...toolFields(prepared),
        stream: true,
        stream_options: { include_usage: true },
      });
      const response = yield* send(this.call('POST', this.chatUrl, this.chatHeaders, body, prepared.model.displayName), guard);

      const contentType = headerValue(response.headers, 'content-type') ?? '';
      let summary: StreamSummary;
      if (contentType.includes('application/json')) {
        // A server that ignores `stream: true` answers one JSON completion: take it rather than fail.
        summary = yield* this.readCompletion(response.body, guard);
      } else {
        // The hot path, inline rather than behind another generator: each `yield*` layer costs a
        // promise per event.
        const events = new SseReader(this.id, this.key);
        for await (const chunk of response.body as AsyncIterable<Buffer>) {
          // Only an event counts as progress: comments (`: keep-alive`) alone would hold the request open forever.
          const seen = events.seen;
          let text = events.decode(chunk);
          if (!events.started) {
            // Until the first words are out, the chunk (up to 64 KB on a fast server) is read an
            // event at a time, so they go out the moment they are parsed, not after the whole chunk.
            text = events.feedUntilText(text);
            const first = events.take();
            const thought = events.takeReasoning();
            if (thought) yield { type: 'reasoning', text: thought };
            if (first) yield { type: 'delta', text: first };
          }
          events.feed(text);
          if (events.seen !== seen) guard.progress();
          const out = events.take();
          const thought = events.takeReasoning();
          if (thought) yield { type: 'reasoning', text: thought };
          if (out) yield { type: 'delta', text: out };
          if (events.failure) throw events.failure;
          if (events.cut) {
            // The answer (or the reasoning) reached its ceiling: what came is kept, the rest is not
            // read (the guard drops the connection).
            yield* this.completion(events.usage, response.headers, events.cut);
            return;
          }
        }
        const last = events.finish();
        const thought = events.takeReasoning();
        if (thought) yield { type: 'reasoning', text: thought };
        if (last) yield { type: 'delta', text: last };
        events.assertComplete();
        summary = { usage: events.usage, finishReason: events.finishReason, toolCalls: events.toolCalls() };
      }
      completed = true;
      // After the text the model said before them, once the stream has said they are complete.
      for (const call of summary.toolCalls ?? []) yield { type: 'toolCall', call };
      yield* this.completion(summary.usage, response.headers, summary.finishReason);
    } catch (error) {
      if (!guard.cancelled) throw asProviderError(error, guard, this.id, this.key);
      completed = true;
      yield { type: 'end', outcome: 'cancelled' };
    } finally {
      guard.dispose(completed);
    }
  }

  private async *readCompletion(body: ResponseBody, guard: RequestGuard): AsyncGenerator<ChatEvent, StreamSummary, undefined> {
    const text = await readBody(body, guard, BODY_LIMIT_BYTES, this.id);
    let completion;
    try {
      completion = parseCompletion(JSON.parse(text));
    } catch {
      completion = undefined;
    }
    if (!completion) throw protocolError(this.id, 'no message in the completion', text, this.key);
    // The whole body is within BODY_LIMIT_BYTES already; the reasoning's own ceiling still applies.
    if (completion.reasoning) yield { type: 'reasoning', text: completion.reasoning.slice(0, REASONING_LIMIT_CHARS) };
    if (completion.text) yield { type: 'delta', text: completion.text };
    let toolCalls: ToolCall[] | undefined;
    if (completion.toolCalls) {
      const assembler = new ToolCallAssembler();
      assembler.pushMessage(completion.toolCalls);
      toolCalls = assembler.finish(this.id, this.key);
    }
    return { usage: completion.usage, finishReason: completion.finishReason, toolCalls };
  }
}

interface StreamSummary {
  readonly usage?: Usage;
  readonly finishReason?: string;
  readonly toolCalls?: readonly ToolCall[];
}

/**
 * The SSE body, parsed by eventsource-parser as it is fed, turned into text, usage and the finish.
 * Each event is read as the parser emits it; its text waits in `pending` until `take`, so the text
 * of a whole network chunk goes out as one `delta` (fewer hops through the async generator when a
 * burst arrives) and nothing accumulates the whole answer. A failure is recorded (never thrown inside
 * the parser) and the text before it is still delivered.
 *
 * The end: `[DONE]` or a `finish_reason` both mean complete (some servers omit `[DONE]`). A body
 * that ends with neither was cut short, which to the user is the same as a dropped connection: a
 * `network` error, whose next step (retry) fits.
 */
export class SseReader {
  private readonly parser = createParser({ onEvent: (event) => this.onEvent(event), onError: (error) => this.onParseError(error), maxBufferSize: MAX_EVENT_CHARS });
  private readonly eos = new EndOfSequenceFilter();
  /** Made at the first content that opens with `<`: an answer that does not pays nothing. */
  private thinkTags: ThinkTagSplitter | undefined;
  /** Whether the content has begun (and `thinkTags` was decided). */
  private contentBegun = false;
  private readonly decoder = new TextDecoder();
  /** Text read but not yet taken. Appending builds a rope: cheaper than collecting pieces to join. */
  private pending = '';
  /** Reasoning read but not yet taken. */
  private pendingReasoning = '';
  /** Whether any text or reasoning has been read: until then `feedUntilText` reads one line at a time. */
  started = false;
  usage: Usage | undefined;
  finishReason: string | undefined;
  done = false;
  failure: ProviderError | undefined;
  /** How many events were read: the idle clock restarts only when this moves. */
  seen = 0;
  /** Characters handed out so far, and why the stream was cut: the answer or the reasoning reached its ceiling. */
  private delivered = 0;
  private deliveredReasoning = 0;
  cut: typeof ANSWER_LIMIT_REASON | typeof REASONING_LIMIT_REASON | undefined;
  /** The body has ended: a last event that does not parse was cut, not malformed. */
  private ended = false;
  /** Made at the first `tool_calls` fragment: a text answer never pays for it. */
  private tools: ToolCallAssembler | undefined;
  /** Reads a call's later fragments without parsing the whole event (see argumentsTemplate.ts). */
  private readonly template = new ArgumentsTemplate();

  constructor(
    private readonly provider: ProviderId,
    private readonly key: string | undefined,
  ) {}

  /** A chunk of the body as text; a character split between two chunks comes whole with the second. */
  decode(chunk: Buffer): string {
    return this.decoder.decode(chunk, STREAMING);
  }

  /** Nothing is fed after a failure: the parser refuses input once an event ran over its limit. */
  feed(text: string): void {
    if (text && !this.failure) this.parser.feed(text);
  }

  /**
   * Feeds `text` line by line until an event carries text, and returns what is left unfed. The
   * parser takes input cut anywhere; cutting after a `\n` keeps a CRLF whole.
   */
  feedUntilText(text: string): string {
    let from = 0;
    while (!this.started && !this.failure) {
      const newline = text.indexOf('\n', from);
      if (newline < 0) break;
      this.feed(text.slice(from, newline + 1));
      from = newline + 1;
    }
    return from === 0 ? text : text.slice(from);
  }

  /**
   * The text read since the last call, less a possible `</s>` tail held back; '' when none. A
   * leading `<think>…</think>` goes to the reasoning: call `takeReasoning` after this.
   */
  take(): string {
    let text = this.pending;
    if (!text || this.cut) return '';
    this.pending = '';
    if (!this.contentBegun) {
      this.contentBegun = true;
      if (text.trimStart().startsWith('<')) this.thinkTags = new ThinkTagSplitter();
    }
    if (this.thinkTags) {
      text = this.thinkTags.push(text);
      this.pendingReasoning += this.thinkTags.takeReasoning();
    }
    return this.limitText(this.eos.push(text));
  }

  private limitText(out: string): string {
    this.delivered += out.length;
    if (this.delivered <= ANSWER_LIMIT_CHARS) return out;
    this.cut = ANSWER_LIMIT_REASON;
    return out.slice(0, out.length - (this.delivered - ANSWER_LIMIT_CHARS));
  }

  /** The reasoning read since the last call; '' when none. */
  takeReasoning(): string {
    const text = this.pendingReasoning;
    if (!text) return '';
    this.pendingReasoning = '';
    this.deliveredReasoning += text.length;
    if (this.deliveredReasoning <= REASONING_LIMIT_CHARS) return text;
    this.cut ??= REASONING_LIMIT_REASON;
    return text.slice(0, text.length - (this.deliveredReasoning - REASONING_LIMIT_CHARS));
  }

  /**
   * The body ended: the decoder's last bytes and a last event the server did not close with a blank
   * line are read, and the text not yet taken is returned, with what the `</s>` filter held back
   * unless the stream failed.
   */
  finish(): string {
    this.ended = true;
    this.feed(`${this.decoder.decode()}\n\n`);
    const text = this.take();
    if (this.failure || this.cut) return text;
    const held = this.thinkTags?.end() ?? '';
    if (this.thinkTags) this.pendingReasoning += this.thinkTags.takeReasoning();
    return text + this.limitText(this.eos.push(held) + this.eos.end());
  }

  /** The answer's tool calls, parsed; throws a `protocol` error for arguments that are not a JSON object. */
  toolCalls(): ToolCall[] | undefined {
    return this.tools?.finish(this.provider, this.key);
  }

  /** Throws the recorded failure, or a network error when the body ended with neither `[DONE]` nor a finish. */
  assertComplete(): void {
    if (this.failure) throw this.failure;
    if (!this.done && this.finishReason === undefined) {
      throw networkError(this.provider, new Error('the response ended before [DONE] or a finish_reason'), this.key, 'stream');
    }
  }

  private onEvent(event: EventSourceMessage): void {
    this.seen++;
    const text = this.read(event.data);
    if (text === undefined) return;
    this.started = true;
    this.pending += text;
  }

  /** A delta's reasoning, kept apart from its text. */
  private onReasoning(text: string): void {
    this.started = true;
    this.pendingReasoning += text;
  }

  /** One event: its text, if it carries any; records usage, the finish, `[DONE]` or a failure. */
  private read(data: string): string | undefined {
    if (this.done || this.failure) return undefined;
    if (data === '[DONE]') {
      this.done = true;
      return undefined;
    }
    if (this.tools) {
      const piece = this.template.match(data);
      if (piece) {
        this.tools.appendArguments(piece.index, piece.text);
        this.checkToolCallsSize();
        return undefined;
      }
    }
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      // A body that closed in the middle of its last event (or of a character in it) was cut short:
      // after the finish it costs nothing, before it the answer is incomplete, as on a dropped connection.
      if (this.ended) {
        if (this.finishReason === undefined) this.failure = networkError(this.provider, new Error('the response ended in the middle of an event'), this.key, 'stream');
        return undefined;
      }
      this.failure = protocolError(this.provider, 'a malformed event', data, this.key);
      return undefined;
    }
    if (typeof frame !== 'object' || frame === null) {
      this.failure = protocolError(this.provider, 'an event that is not an object', data, this.key);
      return undefined;
    }
    const f = frame as { choices?: unknown; usage?: unknown; error?: unknown; error_type?: unknown; error_message?: unknown };
    if (f.error !== undefined || f.error_type !== undefined || f.error_message !== undefined) {
      this.failure = streamErrorFrame(this.provider, f as Record<string, unknown>, this.key);
      return undefined;
    }
    if (f.usage) this.usage = parseUsage(f.usage) ?? this.usage;
    if (!Array.isArray(f.choices) || f.choices.length === 0) return undefined;
    const choice = f.choices[0] as
      | { delta?: { content?: unknown; tool_calls?: unknown }; message?: { content?: unknown; tool_calls?: unknown }; finish_reason?: unknown }
      | null;
    if (!choice) return undefined;
    const reasoning = reasoningText((choice.delta ?? choice.message) as Record<string, unknown> | undefined);
    if (reasoning) this.onReasoning(reasoning);
    if (typeof choice.finish_reason === 'string') this.finishReason = choice.finish_reason;
    if (choice.delta?.tool_calls !== undefined) {
      (this.tools ??= new ToolCallAssembler()).push(choice.delta.tool_calls);
      this.template.learn(data, frame);
      // A call goes out only when the stream ends: reading it an event at a time gains nothing.
      this.started = true;
    } else if (choice.message?.tool_calls !== undefined) (this.tools ??= new ToolCallAssembler()).pushMessage(choice.message.tool_calls);
    if (!this.checkToolCallsSize()) return undefined;
    const raw = choice.delta ? choice.delta.content : choice.message?.content;
    const text = typeof raw === 'string' ? raw : contentText(raw);
    return text ? text : undefined;
  }

  /** False, with the failure recorded, once the calls have grown past their limit (a runaway server). */
  private checkToolCallsSize(): boolean {
    if (!this.tools?.tooLarge) return true;
    this.failure = protocolError(this.provider, 'tool calls larger than 8 million characters', undefined, this.key);
    return false;
  }

  private onParseError(error: ParseError): void {
    // Unknown fields and bad `retry:` lines are harmless; only an over-long event breaks the stream.
    if (error.type === 'max-buffer-size-exceeded' && !this.failure) {
      this.failure = protocolError(this.provider, 'an event larger than 8 MB', undefined, this.key);
    }
  }
}
