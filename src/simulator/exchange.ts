// One request and its response, with the bookkeeping every handler needs: the record, the moment
// the client goes away, timers that must die with the connection, and the ways a body is sent.

import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ParsedChat } from './messages';
import { ERROR_FRAME, type Ending, type Scenario } from './scenarios';
import type { SimRequestRecord } from './types';

/** Request bodies larger than this get a 413 (images make bodies big, but not this big). */
export const MAX_BODY_BYTES = 30 * 1024 * 1024;

export interface ExchangeEvents {
  announced(rec: SimRequestRecord): void;
  clientClosed(rec: SimRequestRecord): void;
  finished(rec: SimRequestRecord): void;
  closed(rec: SimRequestRecord): void;
  /** True while the simulator shuts down: connections it destroys were not closed by clients. */
  shuttingDown(): boolean;
}

export class Exchange {
  scenario: Scenario = 'ok';
  /** The connection is gone (or the answer is complete): stop writing. */
  stopped = false;
  private destroyedOnPurpose = false;
  private announcedOnce = false;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly rec: SimRequestRecord,
    private readonly events: ExchangeEvents,
  ) {
    res.once('finish', () => {
      rec.finished = true;
      events.finished(rec);
    });
    // 'close' fires as soon as the socket closes, also while nothing is being written (a hang, a
    // slow Segmind answer), which is what lets a benchmark time the client's stop.
    res.once('close', () => this.onClose());
  }

  header(name: string): string | undefined {
    const value = this.req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  /** Emits 'request' once, when the handler knows enough (scenario, model) to describe the request. */
  announce(): void {
    if (this.announcedOnce) return;
    this.announcedOnce = true;
    this.rec.scenario = this.scenario;
    this.events.announced(this.rec);
  }

  /** Copies what the request said into its record (never the key, never the images' bytes). */
  recordChat(chat: ParsedChat): void {
    const rec = this.rec;
    if (chat.model !== undefined) rec.model = chat.model;
    rec.stream = chat.stream;
    rec.messageCount = chat.messageCount;
    rec.promptChars = chat.promptChars;
    rec.lastPromptChars = chat.lastPromptChars;
    rec.lastUserText = (chat.userTexts.at(-1) ?? '').slice(0, 256 * 1024);
    rec.roles = [...chat.roles];
    rec.maxTokens = chat.maxTokens;
    rec.temperature = chat.temperature;
    rec.imageCount = chat.images.length;
    rec.imageBytes = chat.images.reduce((sum, i) => sum + i.image.bytes, 0);
    rec.imageMimes = chat.images.map((i) => i.image.declaredMime);
    rec.imageSizes = chat.images.map((i) => ({ width: i.image.width, height: i.image.height }));
    rec.toolNames = chat.tools.map((t) => t.name);
    rec.toolsPrompted = chat.toolsPrompted;
    rec.toolChoice = chat.toolChoice;
    rec.toolResults = chat.toolResults.map((r) => r.content.slice(0, 4096));
    rec.assistantTexts = chat.assistantTexts.map((t) => t.slice(0, 4096));
    rec.reasoningFields = chat.reasoningFields;
  }

  /** Runs `fn` when the connection closes, e.g. to clear a timer. */
  onStop(fn: () => void): void {
    if (this.stopped) fn();
    else this.cleanups.push(fn);
  }

  /** Resolves true after `ms`, or false as soon as the connection closes. */
  delay(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve(false);
      const timer = setTimeout(() => resolve(!this.stopped), ms);
      this.onStop(() => {
        clearTimeout(timer);
        resolve(false);
      });
    });
  }

  /**
   * Reads the body up to MAX_BODY_BYTES. 'too-large' when it was larger (the rest is drained, so
   * the client gets to read the 413 instead of a reset); 'aborted' when the client went away.
   */
  async readBody(): Promise<Buffer | 'too-large' | 'aborted'> {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(this.header('content-length') ?? 0) > MAX_BODY_BYTES;
    try {
      for await (const chunk of this.req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) tooLarge = true;
        if (!tooLarge) chunks.push(chunk);
      }
    } catch {
      return 'aborted';
    }
    if (this.stopped) return 'aborted';
    return tooLarge ? 'too-large' : Buffer.concat(chunks, size);
  }

  writeHead(status: number, headers: OutgoingHttpHeaders): void {
    this.announce();
    this.rec.status = status;
    this.res.writeHead(status, headers);
  }

  sendJson(status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
    this.sendText(status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
  }

  sendText(status: number, text: string, headers: OutgoingHttpHeaders = {}): void {
    if (this.stopped) return;
    this.writeHead(status, {
      'content-type': 'text/plain; charset=utf-8',
      ...headers,
      'content-length': Buffer.byteLength(text),
    });
    this.res.end(text);
  }

  /**
   * Sends a non-streamed 200 answer, misbehaving as the scenario's ending asks: half a JSON body
   * (`malformed`), the connection cut halfway (`cut`), half the body then silence (`silent`), or
   * the overload error object instead of the answer (`error-frame`).
   */
  deliverBody(body: string, headers: OutgoingHttpHeaders, ending: Ending): void {
    if (this.stopped) return;
    const half = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
    switch (ending) {
      case 'complete':
      case 'no-done':
        return this.sendText(200, body, headers);
      case 'malformed':
        return this.sendText(200, half, headers);
      case 'error-frame':
        return this.sendJson(200, ERROR_FRAME, headers);
      case 'cut':
      case 'silent':
        this.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(body) });
        this.res.write(half, () => {
          if (ending === 'cut') this.destroyOnPurpose();
        });
        return;
    }
  }

  /** Closes the connection as a misbehaving server would; not counted as the client closing. */
  destroyOnPurpose(): void {
    this.destroyedOnPurpose = true;
    this.res.destroy();
  }

  private onClose(): void {
    this.stopped = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    const complete = this.res.writableFinished;
    if (!complete && !this.destroyedOnPurpose && !this.events.shuttingDown()) {
      this.rec.closedByClient = true;
      this.rec.closedAt = Date.now();
      this.announce();
      this.events.clientClosed(this.rec);
    }
    this.events.closed(this.rec);
  }
}
