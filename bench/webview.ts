// What the webview benchmarks share: the production webview in the webview engineer's harness page
// (test/webview/harness.ts: the host's CSP and layout, a fake VS Code API) in Debian's Chromium,
// a streaming driver that runs inside the page, and the two main-thread measures.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Frame, Page } from 'playwright-core';
import type { HostMessage } from '../src/protocol';
import { tokenize } from '../src/simulator/answers';
import { buildWebview, launchChromium, openWebview, startHarness, type WebviewPage } from '../test/webview/harness';
import { SAMPLE_ANSWER } from '../test/webview/fixtures';

export interface ChatPage {
  readonly view: WebviewPage;
  readonly page: Page;
  close(): Promise<void>;
}

/** The minified webview (as `--production` builds it) in a side-bar-sized page. */
export async function openChatPage(): Promise<ChatPage> {
  const distDir = mkdtempSync(join(tmpdir(), 'ovc-bench-webview-'));
  await buildWebview(distDir, { minify: true });
  const harness = await startHarness({ distDir });
  const browser = await launchChromium();
  const view = await openWebview(browser, harness, { width: 420, height: 760 });
  // tsx compiles the functions handed to page.evaluate with esbuild's keepNames, which wraps inner
  // functions in a `__name` helper the page does not have.
  const keepNamesShim = 'globalThis.__name = (fn) => fn';
  await view.page.evaluate(keepNamesShim);
  await view.page.context().addInitScript(keepNamesShim);
  return {
    view,
    page: view.page,
    async close() {
      await browser.close();
      await harness.close();
      rmSync(distDir, { recursive: true, force: true });
    },
  };
}

/**
 * A long answer as models write them: prose, a list, a table and a fenced code block, again and
 * again, cut into the simulator's tokens (a word and the space after it).
 */
export function answerTokens(count: number): string[] {
  const cycle = tokenize(
    `${SAMPLE_ANSWER}\nThe same idea in a class, with the timer cleared on dispose, keeps listeners from leaking when the view closes. ` +
      `Prefer it where the debounced function outlives one component.\n\n`,
  );
  const tokens: string[] = [];
  for (let i = 0; tokens.length < count; i++) tokens.push(cycle[i % cycle.length]);
  return tokens;
}

/**
 * The `delta` texts the host would post for these tokens arriving at `tokensPerSecond`, and how far
 * apart: the chat session coalesces what arrives within `flushMs` into one message (session.ts
 * `DELTA_FLUSH_MS`).
 */
export function deltas(tokens: readonly string[], tokensPerSecond: number, flushMs: number): { texts: string[]; intervalMs: number } {
  const perDelta = Math.max(1, Math.round((tokensPerSecond * flushMs) / 1000));
  const texts: string[] = [];
  for (let i = 0; i < tokens.length; i += perDelta) texts.push(tokens.slice(i, i + perDelta).join(''));
  return { texts, intervalMs: (perDelta * 1000) / tokensPerSecond };
}

/**
 * Posts `append`, the deltas every `intervalMs` (timed from the page's own clock, so nothing drifts
 * and no DevTools round trip sits between two deltas), then the `update` that ends the answer.
 * Resolves once the last delta has been rendered.
 */
export async function streamIntoPage(page: Page, id: string, texts: readonly string[], intervalMs: number): Promise<void> {
  const append: HostMessage = { type: 'append', message: { id, role: 'assistant', text: '', status: 'streaming', startedAt: Date.now() } };
  const done: HostMessage = { type: 'update', id, patch: { status: 'done' } };
  await page.evaluate(
    ({ append, done, id, texts, intervalMs }) =>
      new Promise<void>((resolve) => {
        const post = (data: unknown) => window.dispatchEvent(new MessageEvent('message', { data }));
        post(append);
        const start = performance.now();
        let sent = 0;
        const next = () => {
          post({ type: 'delta', id, text: texts[sent++] });
          if (sent < texts.length) {
            setTimeout(next, Math.max(0, start + sent * intervalMs - performance.now()));
            return;
          }
          post(done);
          requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
        };
        next();
      }),
    { append, done, id, texts, intervalMs },
  );
}

/** Starts recording long tasks (over 50 ms) in a page or frame; `take` returns their durations so far. */
export async function recordLongTasks(page: Page | Frame): Promise<{ take(): Promise<number[]> }> {
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask' });
  });
  return {
    take: () => page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.slice()),
  };
}

/**
 * Main-thread busy time of the page's renderer, from the DevTools Protocol's `TaskDuration` (the
 * time its main thread spent running tasks: script, style, layout, paint).
 */
export async function mainThreadMeter(page: Page): Promise<{ start(): Promise<void>; stop(): Promise<{ busyMs: number; wallMs: number }> }> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
  const sample = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
    return { busy: value('TaskDuration') * 1000, at: value('Timestamp') * 1000 };
  };
  let first = { busy: NaN, at: NaN };
  return {
    async start() {
      first = await sample();
    },
    async stop() {
      const last = await sample();
      return { busyMs: last.busy - first.busy, wallMs: last.at - first.at };
    },
  };
}

/** DOM elements in the page. */
export function domNodeCount(page: Page): Promise<number> {
  return page.evaluate(() => document.getElementsByTagName('*').length);
}

export interface RendererTasks {
  /** Wall-clock and thread CPU time of each top-level task on the renderers' main threads. */
  readonly tasks: readonly { readonly wallMs: number; readonly cpuMs: number }[];
  /** From the first task to the end of the last. */
  readonly spanMs: number;
  /** Renderer main threads seen (1 when the page and its frames share a process). */
  readonly mainThreads: number;
}

/**
 * Runs `during` under a Chrome trace and returns the renderer main thread's tasks. Their thread CPU
 * time is what a task costs on a core of its own; on a shared, busy machine the wall-clock figures
 * (long tasks, TaskDuration) also count the time the renderer waited for a core.
 */
export async function traceRendererTasks(page: Page, during: () => Promise<void>): Promise<RendererTasks> {
  const browser = page.context().browser();
  if (!browser) throw new Error('the page has no browser to trace');
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  let trace: Buffer;
  try {
    await during();
  } finally {
    trace = await browser.stopTracing();
  }
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const mainThreads = new Set(
    events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  const runs = events.filter((e) => e.ph === 'X' && e.name === 'RunTask' && mainThreads.has(`${e.pid}:${e.tid}`)).sort((a, b) => a.ts - b.ts);
  // Nested tasks (a nested run loop) count once, inside their outer task on the same thread.
  const threadEnds = new Map<string, number>();
  const outer: TraceEvent[] = [];
  for (const run of runs) {
    const thread = `${run.pid}:${run.tid}`;
    if (run.ts < (threadEnds.get(thread) ?? -Infinity)) continue;
    outer.push(run);
    threadEnds.set(thread, run.ts + (run.dur ?? 0));
  }
  const tasks = outer.map((e) => ({ wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? 0) / 1000 }));
  const spanMs = outer.length ? (Math.max(...threadEnds.values()) - outer[0].ts) / 1000 : 0;
  return { tasks, spanMs, mainThreads: mainThreads.size };
}

interface TraceEvent {
  readonly ph: string;
  readonly name: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: { readonly name?: string };
}
