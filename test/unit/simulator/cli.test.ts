// `npm run simulator` as a person runs it: it prints where to point the extension, answers there,
// and stops cleanly on SIGTERM.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

describe('simulator command line', function () {
  this.timeout(30_000);
  let child: ChildProcess | undefined;

  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child = undefined;
  });

  function start(args: string[]): { child: ChildProcess; output: () => string; ready: Promise<void> } {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/simulator/cli.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let text = '';
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('Press Ctrl+C to stop.')) resolve();
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      proc.once('exit', (code) => reject(new Error(`exited with ${code} before it was ready:\n${text}`)));
    });
    ready.catch(() => undefined); // a test that expects the exit does not await `ready`
    return { child: proc, output: () => text, ready };
  }

  it('prints the base URLs, the key and a settings snippet, serves them, and stops on SIGTERM', async () => {
    const cli = start(['--port', '0', '--key', 'cli-key', '--credits', '7', '--quiet']);
    await cli.ready;
    const text = cli.output();
    const deepinfra = /DeepInfra\s+(http:\/\/127\.0\.0\.1:\d+\/deepinfra\/v1\/openai)/.exec(text)?.[1];
    assert.ok(deepinfra, text);
    assert.match(text, /Valid key\s+cli-key/);
    assert.match(text, /"visionChat\.segmind\.baseUrl": "http:\/\/127\.0\.0\.1:\d+\/segmind\/v1"/);
    assert.match(text, /"visionChat\.openaiCompatible\.baseUrl"/);

    const credits = await fetch(deepinfra.replace('/deepinfra/v1/openai', '/segmind/v1/get-user-credits'), { headers: { 'x-api-key': 'cli-key' } });
    assert.equal(((await credits.json()) as { credits: number }).credits, 7);

    cli.child.kill('SIGTERM');
    const [code] = await once(cli.child, 'exit');
    assert.equal(code, 0);
  });

  it('explains a bad option instead of starting', async () => {
    const cli = start(['--rate', 'fast']);
    const [code] = await once(cli.child, 'exit');
    assert.equal(code, 2);
    assert.match(cli.output(), /--rate must be a non-negative number, not "fast"/);
  });
});
