// Shared by the benchmarks: statistics, the row format `run.mjs` collects, and small helpers.
// A benchmark prints figures; it never fails on speed. It writes each result as one
// `BENCH_ROW {json}` line on stdout and its progress on stderr.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export interface Row {
  /** What is measured, e.g. "client overhead, 10k tokens: total time". */
  readonly what: string;
  /** The figure, formatted for people. */
  readonly value: string;
  /** The budget in words, e.g. "≤ 1.10 × bare"; empty for a figure that has none. */
  readonly budget?: string;
  /** Whether the budget was met; undefined for figures without a budget or rows that did not run. */
  readonly ok?: boolean;
  readonly note?: string;
}

export const root = resolve(__dirname, '..');
export const quick = process.argv.includes('--quick');

export function report(row: Row): void {
  process.stdout.write(`BENCH_ROW ${JSON.stringify(row)}\n`);
}

export function log(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

/**
 * Ends the benchmark with a "not run" row when a piece it measures does not exist yet (the
 * repository is built in parallel), so `npm run bench` still prints everything it can.
 */
export function requireFiles(what: string, files: readonly string[]): void {
  const missing = files.filter((f) => !existsSync(resolve(root, f)));
  if (missing.length === 0) return;
  report({ what, value: 'not run', note: `missing ${missing.join(', ')}` });
  process.exit(0);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function ms(value: number, digits = value < 10 ? 2 : value < 100 ? 1 : 0): string {
  return `${value.toFixed(digits)} ms`;
}

export function kb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** Runs `main`, turning an unexpected error into a non-zero exit (a broken benchmark is not a slow one). */
export function run(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}

export interface SimulatorProcess {
  readonly url: string;
  readonly deepinfraBaseUrl: string;
  readonly validKey: string;
  configure(options: { tokensPerSecond?: number; answerTokens?: number }): Promise<void>;
  close(): Promise<void>;
}

/**
 * The simulator (`npm run simulator`) in a process of its own, so the client measured here does not
 * share its event loop (or its garbage) with the server. Controlled over its HTTP endpoints.
 */
export async function startSimulatorProcess(): Promise<SimulatorProcess> {
  const { spawn } = await import('node:child_process');
  const validKey = 'sim-valid-key';
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'src/simulator/cli.ts'), '--port', '0', '--key', validKey, '--quiet'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolveUrl(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the simulator exited (code ${code}) before listening`)));
  });
  child.stdout.resume();
  // A benchmark that crashes must not leave the simulator behind.
  const killChild = () => child.kill();
  process.once('exit', killChild);
  return {
    url,
    deepinfraBaseUrl: `${url}/deepinfra/v1/openai`,
    validKey,
    async configure(options) {
      const response = await fetch(`${url}/__sim/config`, { method: 'POST', body: JSON.stringify(options) });
      if (!response.ok) throw new Error(`the simulator refused ${JSON.stringify(options)}: ${response.status}`);
    },
    close: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        process.off('exit', killChild);
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** Left out of a temporary copy of the repository: dependencies are linked, build outputs and caches are not inputs. */
const NOT_COPIED = new Set(['node_modules', '.git', 'dist', 'dist-vsix', 'out', '.vscode-test', 'test-results']);

/**
 * `npm run package` (production build + vsce) in a temporary copy of the repository, so it never
 * overwrites the dist/ and dist-vsix/ other work is using. Returns the copy; `remove()` deletes it.
 */
export async function packageInTemporaryCopy(): Promise<{ dir: string; vsix: string; remove(): void }> {
  const { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { execFileSync } = await import('node:child_process');
  const dir = mkdtempSync(join(tmpdir(), 'ovc-package-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    for (const entry of readdirSync(root)) {
      if (!NOT_COPIED.has(entry)) cpSync(join(root, entry), join(dir, entry), { recursive: true });
    }
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    mkdirSync(join(dir, 'dist-vsix')); // vsce does not create its output folder
    execFileSync('npm', ['run', '--silent', 'package'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (error) {
    remove();
    throw error;
  }
  return { dir, vsix: join(dir, 'dist-vsix', 'open-vision-chat.vsix'), remove };
}
