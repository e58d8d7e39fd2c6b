// The size limits of issue 12, measured: peak memory and time for what a hostile server or file
// sends. Run by hand (not part of `npm run bench`, not a test), from a checkout's root, so that the
// same script measures the code of an older commit too:
//
//   node --import tsx bench/limits.ts                  all four cases
//   node --import tsx bench/limits.ts completion png   some of them
//
// - completion: a 600 MB non-streamed completion body (DeepInfra, application/json)
// - balance:    a 400 MB Segmind balance body
// - stream:     a 256 MB streamed answer (DeepInfra, SSE events of 64 KB)
// - png:        a 249 KB PNG whose header says 16000×16000, given to the chat view's prepareImage in
//               Chromium
//
// Each HTTP case runs its client in a child process (this script with --child) against a loopback
// server in this one, so the child's peak RSS (process.resourceUsage().maxRSS) is the client's own.
// The PNG case samples the RSS of Chromium's whole process tree every 20 ms. Times are wall clock.

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';
import path from 'node:path';

const root = process.cwd();
const CASES = ['completion', 'balance', 'stream', 'png'] as const;
type Case = (typeof CASES)[number];
const MB = 1024 * 1024;

if (process.argv[2] === '--child') void child(process.argv[3] as Exclude<Case, 'png'>, process.argv[4]);
else void main();

async function main(): Promise<void> {
  const chosen = process.argv.slice(2).filter((a): a is Case => (CASES as readonly string[]).includes(a));
  console.log(`checkout ${root}`);
  for (const name of chosen.length ? chosen : CASES) {
    const result = name === 'png' ? await pngCase() : await httpCase(name);
    console.log(`${name.padEnd(10)} peak ${result.peakMb.toFixed(0).padStart(5)} MB  time ${(result.ms / 1000).toFixed(2).padStart(6)} s  ${result.outcome}`);
  }
}

// ---- the HTTP cases: a loopback server here, the client in a child ----

/** `head`, then `piece` until `total` bytes, then `tail`: a well-formed body, only too large. */
function pour(res: ServerResponse, total: number, head: string, contentType: string, piece: Buffer, tail: string): void {
  res.writeHead(200, { 'content-type': contentType });
  res.write(head);
  let sent = head.length;
  const more = (): void => {
    while (sent < total && !res.destroyed) {
      sent += piece.length;
      if (!res.write(piece)) return void res.once('drain', more);
    }
    res.end(tail);
  };
  more();
}

async function httpCase(name: Exclude<Case, 'png'>): Promise<{ peakMb: number; ms: number; outcome: string }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (name === 'completion') {
        pour(res, 600 * MB, '{"choices":[{"message":{"role":"assistant","content":"', 'application/json', Buffer.alloc(64 * 1024, 'a'), '"},"finish_reason":"stop"}]}');
      } else if (name === 'balance') {
        pour(res, 400 * MB, '{"credits": 5', 'application/json', Buffer.alloc(64 * 1024, ' '), ', "free-credits": 0}');
      } else {
        const event = Buffer.from(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'x'.repeat(64 * 1024) } }] })}\n\n`);
        pour(res, 256 * MB, '', 'text/event-stream', event, `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', __filename, '--child', name, url], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      p.stdout.on('data', (c) => (text += c));
      p.on('exit', () => resolve(text));
      p.on('error', reject);
    });
    const line = out.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) return { peakMb: NaN, ms: NaN, outcome: `no result: ${out.slice(-300)}` };
    return JSON.parse(line.slice('RESULT '.length));
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

async function child(name: Exclude<Case, 'png'>, url: string): Promise<void> {
  // Loaded from the checkout being measured.
  const { createProvider } = await import(path.join(root, 'src/core/providers'));
  const { BUILTIN_MODELS } = await import(path.join(root, 'src/core/catalog'));
  const fast = { retry: { maxRetries: 0, baseDelayMs: 5, maxDelayMs: 50, maxTotalMs: 2000 }, timeouts: { firstByteMs: 60_000, idleMs: 60_000 } };
  const started = performance.now();
  let outcome = '';
  try {
    if (name === 'balance') {
      const segmind = createProvider('segmind', { baseUrl: `${url}/v1`, apiKey: 'bench-key-0123456789', ...fast });
      const credits = await segmind.getCredits();
      outcome = `accepted: ${JSON.stringify(credits).slice(0, 80)}`;
    } else {
      const model = BUILTIN_MODELS.find((m: { id: string }) => m.id === 'deepinfra:meta-llama/Meta-Llama-3-8B-Instruct');
      const deepinfra = createProvider('deepinfra', { baseUrl: `${url}/v1/openai`, apiKey: 'bench-key-0123456789', ...fast });
      // Kept whole, as the chat session keeps an answer.
      const parts: string[] = [];
      let end = '';
      for await (const event of deepinfra.stream({ model, messages: [{ role: 'user', content: 'Hello' }] })) {
        if (event.type === 'delta') parts.push(event.text);
        if (event.type === 'end') end = `${event.outcome}${event.finishReason ? ` (${event.finishReason})` : ''}`;
      }
      const answer = parts.join('');
      outcome = `answer of ${(answer.length / 1e6).toFixed(1)} M characters, end ${end}`;
    }
  } catch (error) {
    const e = error as { kind?: string; message?: string };
    outcome = `error ${e.kind ?? ''}: ${(e.message ?? String(error)).slice(0, 140)}`;
  }
  const ms = performance.now() - started;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(`RESULT ${JSON.stringify({ peakMb, ms, outcome })}`);
  process.exit(0);
}

// ---- the PNG case: the chat view's prepareImage in Chromium ----

/** A PNG of `side`×`side` black pixels: a small file (zeros compress well) whose header says it all. */
function bigPng(side: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc((side + 1) * side); // a filter byte and `side` zero pixels per row
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function treeRssMb(rootPid: number): number {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid; p; p = parents.get(p)) if (p === rootPid) return true;
    return false;
  };
  let kb = 0;
  for (const pid of parents.keys()) {
    if (!inTree(pid)) continue;
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      /* gone */
    }
  }
  return kb / 1024;
}

async function pngCase(): Promise<{ peakMb: number; ms: number; outcome: string }> {
  const { chromium } = await import('playwright-core');
  const { build } = await import('esbuild');
  const bundle = await build({
    stdin: { contents: "export { prepareImage } from './src/webview/images';", resolveDir: root, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'ovcImages',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'silent',
  });
  const png = bigPng(16000);
  const server = await chromium.launchServer({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  const pid = server.process().pid!;
  const browser = await chromium.connect(server.wsEndpoint());
  try {
    const page = await browser.newPage();
    await page.evaluate(bundle.outputFiles[0].text);
    await page.evaluate((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      (window as unknown as { __png: Blob }).__png = new Blob([bytes], { type: 'image/png' });
    }, png.toString('base64'));
    const baseline = treeRssMb(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, treeRssMb(pid))), 20);
    const started = performance.now();
    const outcome = await page.evaluate(async () => {
      const w = window as unknown as { __png: Blob; ovcImages: { prepareImage(blob: Blob, name: string): Promise<{ width: number; height: number; bytes: number }> } };
      try {
        const view = await w.ovcImages.prepareImage(w.__png, 'huge.png');
        return `prepared: ${view.width}×${view.height}, ${view.bytes} bytes`;
      } catch (error) {
        return `refused: ${(error as Error).message.slice(0, 140)}`;
      }
    });
    const ms = performance.now() - started;
    clearInterval(sampler);
    peak = Math.max(peak, treeRssMb(pid));
    return { peakMb: peak - baseline, ms, outcome: `${outcome} (file ${(png.length / 1024).toFixed(0)} KB; peak is Chromium's RSS above its ${baseline.toFixed(0)} MB before)` };
  } finally {
    await browser.close();
    await server.close();
  }
}
