// Helpers for the core's network tests: run a stream to its end or its error, wait for the
// simulator to see a socket close, stand up a one-off server for cases the simulator lacks.

import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ProviderError } from '../../../src/core/errors';
import type { ChatEvent } from '../../../src/core/types';
import type { SimRequestRecord, Simulator } from '../../../src/simulator/server';

/** Every event of a stream, and the error it threw, if any. */
export async function run(stream: AsyncIterable<ChatEvent>, onEvent?: (event: ChatEvent) => void): Promise<{ events: ChatEvent[]; error?: ProviderError }> {
  const events: ChatEvent[] = [];
  try {
    for await (const event of stream) {
      events.push(event);
      onEvent?.(event);
    }
    return { events };
  } catch (error) {
    assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
    return { events, error };
  }
}

export function textOf(events: readonly ChatEvent[]): string {
  return events.map((e) => (e.type === 'delta' ? e.text : '')).join('');
}

export function typesOf(events: readonly ChatEvent[]): string[] {
  return events.map((e) => e.type);
}

/** Resolves with the record of the next request the simulator saw closed early by the client. */
export function nextClientClose(sim: Simulator, withinMs = 2000): Promise<SimRequestRecord> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sim.off('clientClosed', onClose);
      reject(new Error(`the simulator saw no client close within ${withinMs} ms`));
    }, withinMs);
    const onClose = (record: SimRequestRecord) => {
      clearTimeout(timer);
      resolve(record);
    };
    sim.once('clientClosed', onClose);
  });
}

export interface TestServer {
  readonly url: string;
  readonly server: Server;
  /** Requests seen, in order. */
  readonly hits: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

/** A throwaway HTTP server on 127.0.0.1 whose handler gets the request body already read. */
export async function startServer(handler: (req: IncomingMessage, res: ServerResponse, body: string, hit: number) => void): Promise<TestServer> {
  const hits: TestServer['hits'] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      hits.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body, hits.length);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes server-sent events, one `write` per element (so each may land in its own network chunk). */
export function writeEvents(res: ServerResponse, writes: readonly (string | Buffer)[], end = true): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const w of writes) res.write(w);
  if (end) res.end();
}

export const frame = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}): string =>
  `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;

export const finish = (reason = 'stop', usage?: Record<string, unknown>): string =>
  `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: reason }], ...(usage ? { usage } : {}) })}\n\n`;
