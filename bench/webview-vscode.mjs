// Webview streaming in the real webview: code-server (VS Code's workbench and extension host) in
// Chromium, the extension installed from its .vsix, a 20k-token simulator answer at 200 tokens/s
// sent from the chat view as a person sends it. The whole path is measured: extension host →
// workbench → webview iframe (same renderer here). Long tasks are observed in the workbench and in
// the webview; busy time is the renderer's (CDP TaskDuration, and thread CPU time from a trace).
// 100 s of streaming; `--quick` streams 2k tokens.

import { cpus, loadavg } from 'node:os';
import { log, ms, quick, report, requireFiles, run } from './lib.ts';
import { mainThreadMeter, recordLongTasks, traceRendererTasks } from './webview.ts';
import { codeServerBench, NEEDS } from './vscode.mjs';

const TOKENS = quick ? 2_000 : 20_000;
const TOKENS_PER_SECOND = 200;
const LONG_TASK_MS = 50;
const BUSY_BUDGET = 0.25;

run(async () => {
  requireFiles('webview streaming in code-server', NEEDS);
  const bench = await codeServerBench({ simulator: { tokensPerSecond: TOKENS_PER_SECOND, answerTokens: TOKENS } });
  try {
    // The OpenAI-compatible simulator model needs no key.
    const vs = await bench.start({ 'visionChat.model': 'openaiCompatible:sim-text' });
    try {
      const chat = await vs.openChat();
      const workbenchTasks = await recordLongTasks(vs.page);
      const webviewTasks = await recordLongTasks(chat.frame);
      const meter = await mainThreadMeter(vs.page);
      log(`streaming ${TOKENS} tokens at ${TOKENS_PER_SECOND}/s into the chat view`);
      let wall = { busyMs: 0, wallMs: 0 };
      const traced = await traceRendererTasks(vs.page, async () => {
        await meter.start();
        await chat.send('Explain debouncing at length.');
        await chat.lastAnswer().waitFor({ timeout: 30_000 });
        // One check a second: polling faster would add its own work to the renderer being measured.
        await chat.frame.waitForFunction(() => !document.querySelector('article.message.assistant:last-of-type')?.classList.contains('in-progress'), undefined, {
          polling: 1000,
          timeout: (TOKENS / TOKENS_PER_SECOND) * 1000 * 3 + 30_000,
        });
        wall = await meter.stop();
      });
      const observed = [...(await workbenchTasks.take()), ...(await webviewTasks.take())];
      const answerChars = (await chat.answerText()).length;
      if (answerChars < TOKENS * 3) throw new Error(`the answer has ${answerChars} characters: it did not stream ${TOKENS} tokens`);

      const context = `code-server ${bench.tools.codeServerVersion}, ${TOKENS / 1000}k-token simulator answer; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`;
      report({
        what: 'long tasks (PerformanceObserver in workbench and webview, wall clock)',
        value: observed.length ? `${observed.length}, longest ${ms(Math.max(...observed))}` : 'none',
        budget: `none over ${LONG_TASK_MS} ms`,
        ok: observed.length === 0,
        note: context,
      });
      const busy = wall.busyMs / wall.wallMs;
      report({
        what: 'renderer main thread busy (CDP TaskDuration, wall clock)',
        value: `${(busy * 100).toFixed(1)} %`,
        budget: `≤ ${BUSY_BUDGET * 100} %`,
        ok: busy <= BUSY_BUDGET,
        note: `${ms(wall.busyMs)} of ${(wall.wallMs / 1000).toFixed(1)} s, workbench and webview together`,
      });
      const cpuLong = traced.tasks.filter((t) => t.cpuMs > LONG_TASK_MS);
      report({
        what: 'tasks over 50 ms of CPU time (trace)',
        value: `${cpuLong.length}, longest ${ms(Math.max(0, ...traced.tasks.map((t) => t.cpuMs)))}`,
        budget: `none over ${LONG_TASK_MS} ms`,
        ok: cpuLong.length === 0,
        note: `${traced.tasks.length} tasks`,
      });
      const cpuBusy = traced.tasks.reduce((sum, t) => sum + t.cpuMs, 0) / traced.spanMs;
      report({
        what: 'renderer main thread busy in CPU time (trace)',
        value: `${(cpuBusy * 100).toFixed(1)} %`,
        budget: `≤ ${BUSY_BUDGET * 100} %`,
        ok: cpuBusy <= BUSY_BUDGET,
        note: `over ${(traced.spanMs / 1000).toFixed(1)} s, ${traced.mainThreads} renderer main thread(s)`,
      });
    } finally {
      await vs.stop();
    }
  } finally {
    await bench.close();
  }
});
