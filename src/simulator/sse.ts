// Streams an answer as OpenAI-style server-sent events. Benchmarks push 100k tokens through this,
// so frames are built by string concatenation around a prebuilt prefix, written in batches, and
// the writer waits for 'drain' whenever the socket's buffer is full. Paced streams (rate > 0) use
// one timer per due batch, not per token.

import { DELTAS_BEFORE_TROUBLE, ERROR_FRAME, type Ending } from './scenarios';
import type { Exchange } from './exchange';
import { argumentFragments } from './tools';

export interface SseAnswer {
  readonly id: string;
  readonly model: string;
  readonly created: number;
  readonly tokens: readonly string[];
  /** Reasoning streamed before the answer, one fragment per frame, in the field the server uses. */
  readonly reasoning?: { readonly field: 'reasoning_content' | 'reasoning'; readonly tokens: readonly string[] };
  /** The `usage` object of the finish chunk. */
  readonly usage: Record<string, number>;
  readonly ending: Ending;
  /** 0 = as fast as the socket takes them. */
  readonly tokensPerSecond: number;
}

/** Frames are gathered into writes of about this size. */
const BATCH_CHARS = 64 * 1024;

export function streamSse(ex: Exchange, answer: SseAnswer): void {
  if (ex.stopped) return;
  const { res } = ex;
  const head = `{"id":${JSON.stringify(answer.id)},"object":"chat.completion.chunk","created":${answer.created},"model":${JSON.stringify(answer.model)},"choices":[{"index":0,`;
  const contentPrefix = `data: ${head}"delta":{"content":`;
  const contentSuffix = '},"finish_reason":null}]}\n\n';
  const reasoningPrefix = `data: ${head}"delta":{"${answer.reasoning?.field ?? 'reasoning_content'}":`;
  const thoughts = answer.reasoning?.tokens ?? [];
  // Frames count the reasoning first, then the answer's tokens.
  const frame = (i: number): string =>
    i < thoughts.length ? reasoningPrefix + JSON.stringify(thoughts[i]) + contentSuffix : contentPrefix + JSON.stringify(answer.tokens[i - thoughts.length]) + contentSuffix;

  const troubled = answer.ending !== 'complete' && answer.ending !== 'no-done';
  const total = thoughts.length + answer.tokens.length;
  const frameCount = troubled ? Math.min(total, DELTAS_BEFORE_TROUBLE) : total;
  const finishFrame = `data: ${head}"delta":{},"finish_reason":"stop"}],"usage":${JSON.stringify(answer.usage)}}\n\n`;
  const tail: Record<Ending, string> = {
    complete: `${finishFrame}data: [DONE]\n\n`,
    'no-done': finishFrame,
    malformed: 'data: {not json\n\n',
    'error-frame': `data: ${JSON.stringify(ERROR_FRAME)}\n\n`,
    cut: '',
    silent: '',
  };

  ex.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  // The first delta carries only the role, as DeepInfra's does.
  res.write(`data: ${head}"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n`);

  const rate = answer.tokensPerSecond;
  const startedAt = performance.now();
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  ex.onStop(() => {
    clearTimeout(timer);
    clearImmediate(immediate);
  });

  const finish = (lastBatch: string): void => {
    const ending = answer.ending;
    if (ending === 'silent') {
      if (lastBatch) res.write(lastBatch); // then keep the connection open and say nothing more
    } else if (ending === 'cut') {
      // Cut once the deltas have reached the socket, so the client sees them before the reset.
      res.write(lastBatch || ': cut\n\n', () => ex.destroyOnPurpose());
    } else {
      res.end(lastBatch + tail[ending]);
    }
  };

  const step = (): void => {
    timer = undefined;
    immediate = undefined;
    if (ex.stopped) return;
    // Tokens due by now: the first at once, then one every 1/rate seconds.
    const due = rate > 0 ? Math.min(frameCount, Math.floor(((performance.now() - startedAt) * rate) / 1000) + 1) : frameCount;
    let batch = '';
    while (sent < due && batch.length < BATCH_CHARS) batch += frame(sent++);
    ex.rec.tokensSent = sent;
    if (sent === frameCount) return finish(batch);
    const flowing = batch ? res.write(batch) : true;
    if (!flowing) res.once('drain', step);
    else if (sent < due) immediate = setImmediate(step);
    else timer = setTimeout(step, Math.max(0, startedAt + (sent * 1000) / rate - performance.now()));
  };
  step();
}

export interface SseToolCall {
  readonly id: string;
  readonly name: string;
  /** The arguments as the JSON text the model wrote (malformed on purpose under `tool-malformed-args`). */
  readonly arguments: string;
}

export interface SseToolAnswer {
  readonly id: string;
  readonly model: string;
  readonly created: number;
  /** Text said before the calls, one token per frame. */
  readonly text: readonly string[];
  readonly calls: readonly SseToolCall[];
  readonly finishReason: 'tool_calls' | 'stop';
  readonly usage: Record<string, number>;
  readonly ending: Ending;
  readonly tokensPerSecond: number;
}

/**
 * A tool-calling answer as OpenAI streams it: the role, the text, then per call a first fragment
 * with `index`, `id`, `type` and the name (empty arguments), then its arguments in pieces of 1 to 7
 * characters, one fragment per frame; the finish frame with usage; `[DONE]`. The scenarios that
 * break a stream break it in the middle of the first call's arguments.
 */
export function streamToolCalls(ex: Exchange, answer: SseToolAnswer): void {
  if (ex.stopped) return;
  const { res } = ex;
  const head = `{"id":${JSON.stringify(answer.id)},"object":"chat.completion.chunk","created":${answer.created},"model":${JSON.stringify(answer.model)},"choices":[{"index":0,`;
  const frame = (delta: unknown, finish: string | null = null, usage?: unknown): string =>
    `data: ${head}"delta":${JSON.stringify(delta)},"finish_reason":${JSON.stringify(finish)}}]${usage ? `,"usage":${JSON.stringify(usage)}` : ''}}\n\n`;
  const frames: string[] = [frame({ role: 'assistant', content: '' })];
  for (const token of answer.text) frames.push(frame({ content: token }));
  const firstCallAt = frames.length;
  answer.calls.forEach((call, index) => {
    frames.push(frame({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const piece of argumentFragments(call.arguments)) frames.push(frame({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  const finish = frame({}, answer.finishReason, answer.usage);
  const troubled = answer.ending !== 'complete' && answer.ending !== 'no-done';
  const sent = troubled ? frames.slice(0, firstCallAt + DELTAS_BEFORE_TROUBLE) : frames;
  const tail: Record<Ending, string> = {
    complete: `${finish}data: [DONE]\n\n`,
    'no-done': finish,
    malformed: 'data: {not json\n\n',
    'error-frame': `data: ${JSON.stringify(ERROR_FRAME)}\n\n`,
    cut: '',
    silent: '',
  };

  ex.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const end = (): void => {
    ex.rec.tokensSent = sent.length;
    if (answer.ending === 'silent') return;
    if (answer.ending === 'cut') res.write(': cut\n\n', () => ex.destroyOnPurpose());
    else res.end(tail[answer.ending]);
  };
  const rate = answer.tokensPerSecond;
  if (rate <= 0) {
    res.write(sent.join(''));
    return end();
  }
  // Paced: one frame per 1/rate seconds, so a client can be stopped in the middle of a call.
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  ex.onStop(() => clearTimeout(timer));
  const step = (): void => {
    if (ex.stopped) return;
    res.write(sent[next++]);
    ex.rec.tokensSent = next;
    if (next === sent.length) end();
    else timer = setTimeout(step, 1000 / rate);
  };
  step();
}
