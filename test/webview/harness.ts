// A page that hosts the built chat webview the way VS Code does (same CSP, same links, an empty
// #app), with a fake `acquireVsCodeApi` that records what the webview posts. Served on 127.0.0.1
// and driven by playwright-core in Debian's Chromium. Tests and the benchmarks both use it.
//
//   const harness = await startHarness({ distDir });      // serves distDir/webview.js, .css, codicons
//   const browser = await launchChromium();
//   const view = await openWebview(browser, harness, { theme: 'dark' });
//   await view.send({ type: 'state', state });            // host → webview
//   await view.waitForPosted('send');                     // webview → host

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium, inCi, INSTALL_CHROMIUM } from '../../scripts/lib/chromium.mjs';
import { contentSecurityPolicy, newNonce } from '../../src/extension/webviewHtml';
import type { HostMessage, WebviewMessage } from '../../src/protocol';
import { THEMES, type ThemeName } from './themes';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Bundles src/webview/main.ts (and its CSS) into `outdir`, with the codicons beside it, as esbuild.js does. */
export async function buildWebview(outdir: string, options: { minify?: boolean } = {}): Promise<void> {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: { webview: path.join(REPO_ROOT, 'src', 'webview', 'main.ts') },
    outdir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    loader: { '.css': 'css' },
    minify: options.minify ?? false,
    sourcemap: options.minify ? false : 'linked',
    logLevel: 'silent',
  });
  const codicons = path.join(REPO_ROOT, 'node_modules', '@vscode', 'codicons', 'dist');
  await fs.mkdir(path.join(outdir, 'codicons'), { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) await fs.copyFile(path.join(codicons, file), path.join(outdir, 'codicons', file));
}

export interface WebviewHarness {
  readonly origin: string;
  /** The page for one theme. */
  url(theme?: ThemeName): string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

/** Serves the harness page and `distDir` (default: the repository's dist/) on 127.0.0.1. */
export async function startHarness(options: { distDir?: string } = {}): Promise<WebviewHarness> {
  const distDir = path.resolve(options.distDir ?? path.join(REPO_ROOT, 'dist'));
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string | Buffer) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const theme = (url.searchParams.get('theme') ?? 'dark') as ThemeName;
      send(200, 'text/html; charset=utf-8', harnessPage(THEMES[theme] ? theme : 'dark'));
      return;
    }
    if (url.pathname === '/harness/fake-vscode.js') {
      const theme = (url.searchParams.get('theme') ?? 'dark') as ThemeName;
      send(200, CONTENT_TYPES['.js']!, fakeVsCodeScript(THEMES[theme] ? theme : 'dark'));
      return;
    }
    if (url.pathname === '/harness/harness.css') {
      send(200, CONTENT_TYPES['.css']!, HARNESS_CSS);
      return;
    }
    if (url.pathname.startsWith('/dist/')) {
      const file = path.resolve(distDir, decodeURIComponent(url.pathname.slice('/dist/'.length)));
      if (!file.startsWith(distDir + path.sep)) {
        send(403, 'text/plain', 'forbidden');
        return;
      }
      fs.readFile(file).then(
        (body) => send(200, CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', body),
        () => send(404, 'text/plain', 'not found'),
      );
      return;
    }
    send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (theme = 'dark') => `${origin}/?theme=${theme}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export { findChromium };

/**
 * For a suite's `before`: the browser, or, where there is none, a one-line skip on a developer's
 * machine and a failure under CI (`npm test` installs Chromium before the unit stage).
 */
export function chromiumOrSkip(context: Mocha.Context, what: string): string {
  const found = findChromium();
  if (found) return found;
  const missing = `No Chromium for ${what}: ${INSTALL_CHROMIUM}.`;
  if (inCi()) throw new Error(`${missing} CI=true: a missing browser fails the run instead of skipping its tests.`);
  console.log(`    Skipping ${what}. ${missing}`);
  context.skip();
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(`No Chromium found: ${INSTALL_CHROMIUM}.`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], headless: true });
}

/**
 * The hooks every Chromium suite of the chat view needs: the bundle built once, one harness page and
 * one browser for the suite, a fresh page per test that must end without CSP violations or page
 * errors. Returns the current test's page.
 */
export function useWebviewSuite(what: string, tmpPrefix: string): () => WebviewPage {
  let browser: Browser | undefined;
  let harness: WebviewHarness | undefined;
  let dist: string | undefined;
  let view: WebviewPage | undefined;

  before(async function () {
    chromiumOrSkip(this, what);
    this.timeout(60_000);
    dist = await mkdtemp(path.join(os.tmpdir(), tmpPrefix));
    await buildWebview(dist);
    harness = await startHarness({ distDir: dist });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await harness?.close();
    if (dist) await rm(dist, { recursive: true, force: true });
  });

  beforeEach(async () => {
    view = await openWebview(browser!, harness!);
  });

  afterEach(async () => {
    // Whatever a test did, the page must not have broken the host's CSP or thrown.
    assert.deepEqual(view!.cspViolations, [], 'CSP violations');
    assert.deepEqual(view!.pageErrors, [], 'page errors');
    await view!.page.context().close();
  });

  return () => view!;
}

export interface OpenOptions {
  readonly theme?: ThemeName;
  readonly width?: number;
  readonly height?: number;
}

/** One webview page, with the host's side of the protocol. */
export class WebviewPage {
  /** Content-Security-Policy violations the page reported: the product must cause none. */
  readonly cspViolations: string[] = [];
  readonly pageErrors: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) this.cspViolations.push(message.text());
    });
    page.on('pageerror', (error) => this.pageErrors.push(String(error)));
  }

  /** Delivers a host message as VS Code does (a `message` event on window). */
  async send(...messages: HostMessage[]): Promise<void> {
    await this.page.evaluate((all) => {
      for (const data of all) window.dispatchEvent(new MessageEvent('message', { data }));
    }, messages);
  }

  /**
   * Streams `chunks` into message `id` inside the page (no round trip per delta), letting an
   * animation frame pass after every `chunksPerFrame` deltas, as a fast stream would.
   */
  async stream(id: string, chunks: readonly string[], chunksPerFrame = 4): Promise<void> {
    await this.page.evaluate(
      async ({ id, chunks, chunksPerFrame }) => {
        for (let i = 0; i < chunks.length; i++) {
          window.dispatchEvent(new MessageEvent('message', { data: { type: 'delta', id, text: chunks[i] } }));
          if ((i + 1) % chunksPerFrame === 0) await new Promise((resolve) => requestAnimationFrame(resolve));
        }
      },
      { id, chunks, chunksPerFrame },
    );
  }

  /** Everything the webview posted since the page loaded (or since `clearPosted`). */
  posted(): Promise<WebviewMessage[]> {
    return this.page.evaluate(() => (window as unknown as { __posted: WebviewMessage[] }).__posted.slice());
  }

  async clearPosted(): Promise<void> {
    await this.page.evaluate(() => ((window as unknown as { __posted: unknown[] }).__posted.length = 0));
  }

  /** Waits for the webview to post a message of this type (and shape), and returns it. */
  async waitForPosted<T extends WebviewMessage['type']>(type: T, timeoutMs = 5000): Promise<Extract<WebviewMessage, { type: T }>> {
    const handle = await this.page.waitForFunction(
      (wanted) => (window as unknown as { __posted: WebviewMessage[] }).__posted.find((m) => m.type === wanted),
      type,
      { timeout: timeoutMs },
    );
    return (await handle.jsonValue()) as Extract<WebviewMessage, { type: T }>;
  }

  /**
   * Resolves after the next two animation frames. Enough for what the view does at once; streamed
   * text may take longer (after a slow render the scheduler waits twice its time): use `until`.
   */
  async frames(): Promise<void> {
    await this.page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
  }

  /**
   * Reads, frame after frame, until `read()` gives `expected` (deep-equal) or `timeoutMs` passes, and
   * returns the last value read, for the test to assert on (so a timeout fails with the real value).
   */
  async until<T>(read: () => Promise<T>, expected: T, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (isDeepStrictEqual(value, expected) || Date.now() >= deadline) return value;
      await this.frames();
    }
  }

  /** What the fake VS Code holds from `vscode.setState` (survives reloads, like VS Code's). */
  savedState(): Promise<unknown> {
    return this.page.evaluate(() => JSON.parse(sessionStorage.getItem('__vscodeState') ?? 'null'));
  }

  /** Reloads the page as VS Code does when a hidden view comes back: the state is kept, the DOM is not. */
  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitForPosted('ready');
  }
}

/** Opens the harness in a new page and waits for the webview's `ready`. */
export async function openWebview(browser: Browser, harness: WebviewHarness, options: OpenOptions = {}): Promise<WebviewPage> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 420, height: options.height ?? 760 } });
  const page = await context.newPage();
  const view = new WebviewPage(page);
  await page.goto(harness.url(options.theme));
  await view.waitForPosted('ready');
  return view;
}

function harnessPage(theme: ThemeName): string {
  // Fresh nonce per load, as the host does; the page has exactly the host's CSP.
  const nonce = newNonce();
  const csp = contentSecurityPolicy("'self'", nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="/harness/harness.css">
<link rel="stylesheet" href="/dist/codicons/codicon.css">
<link rel="stylesheet" href="/dist/webview.css">
<script nonce="${nonce}" src="/harness/fake-vscode.js?theme=${theme}"></script>
<title>Chat</title>
</head>
<body class="${THEMES[theme].bodyClass}">
<div id="app"></div>
<script nonce="${nonce}" src="/dist/webview.js"></script>
</body>
</html>`;
}

function fakeVsCodeScript(theme: ThemeName): string {
  const colors = THEMES[theme].colors;
  return `(() => {
  const colors = ${JSON.stringify(colors)};
  for (const [name, value] of Object.entries(colors)) document.documentElement.style.setProperty('--vscode-' + name, value);
  window.__posted = [];
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage: (message) => window.__posted.push(JSON.parse(JSON.stringify(message))),
      getState: () => JSON.parse(sessionStorage.getItem('__vscodeState') || 'null') ?? undefined,
      setState: (state) => { sessionStorage.setItem('__vscodeState', JSON.stringify(state)); return state; },
    });
  };
})();`;
}

/** What VS Code's own webview stylesheet does to every webview, so the product CSS is seen against it. */
const HARNESS_CSS = `
html { scrollbar-color: var(--vscode-scrollbarSlider-background) transparent; }
html, body { background-color: var(--vscode-sideBar-background); }
body { color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-weight: var(--vscode-font-weight); font-size: var(--vscode-font-size); margin: 0; padding: 0 20px; }
img, video { max-width: 100%; max-height: 100%; }
a, a code { color: var(--vscode-textLink-foreground); }
code { font-family: var(--vscode-editor-font-family); color: var(--vscode-textPreformat-foreground); background-color: var(--vscode-textPreformat-background); padding: 1px 3px; border-radius: 4px; }
pre code { padding: 0; }
blockquote { background: var(--vscode-textBlockQuote-background); border-color: var(--vscode-textBlockQuote-border); }
`;

/**
 * Bundles test/webview/markdownProbe.ts (the chat view's MarkdownView alone) and returns its code,
 * for `WebviewPage.loadMarkdownProbe`.
 */
export async function buildMarkdownProbe(): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [path.join(REPO_ROOT, 'test', 'webview', 'markdownProbe.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
