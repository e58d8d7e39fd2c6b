#!/usr/bin/env node
// `npm run test:e2e`: the end-to-end scenarios, each in a real VS Code (code-server) driven through
// Chromium, each against its own provider simulator, from a fresh profile.
//
//   node test/e2e/run.mjs [--only name,name] [--parallel N] [--list]
//
// Two scenarios run at a time by default (E2E_PARALLEL or --parallel to change): on 2 cores that
// took the suite from about 4 minutes to 2.5.
//
// Screenshots go to test-results/e2e/<scenario>.png; a failing scenario also leaves its
// code-server log, the extension's log and the error there.

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { tsImport } from 'tsx/esm/api';
import { installExtension, packageVsix, writeUserSettings } from '../../scripts/lib/codeServer.mjs';
import { CACHE, ROOT, setupE2e } from '../../scripts/setup-e2e.mjs';
import { CHROMIUM_ARGS, VsCode } from './harness.mjs';
import { SCENARIOS } from './scenarios/index.mjs';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    parallel: { type: 'string', default: process.env.E2E_PARALLEL ?? '2' },
    list: { type: 'boolean', default: false },
  },
});

const RESULTS = path.join(ROOT, 'test-results', 'e2e');
const WORK = path.join(CACHE, 'e2e');
const DEFAULT_TIMEOUT_MS = 120_000;

async function main() {
  const started = Date.now();
  const only = args.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const scenarios = only ? SCENARIOS.filter((s) => only.includes(s.name)) : SCENARIOS;
  if (args.list) {
    for (const s of SCENARIOS) console.log(`${s.name}  ${s.title}`);
    return 0;
  }
  if (only && scenarios.length !== only.length) {
    const unknown = only.filter((n) => !SCENARIOS.some((s) => s.name === n));
    throw new Error(`Unknown scenario(s): ${unknown.join(', ')}. Known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  }

  const tools = await setupE2e();
  await packageVsix();

  fs.rmSync(RESULTS, { recursive: true, force: true });
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.rmSync(WORK, { recursive: true, force: true });

  // Install the packaged extension once, the way a user would; every scenario copies the result.
  const installStarted = Date.now();
  const template = path.join(WORK, 'template');
  writeUserSettings(path.join(template, 'user-data'), {});
  await installExtension(tools, { extensionsDir: path.join(template, 'extensions'), userDataDir: path.join(template, 'user-data') });
  console.log(`[e2e] extension installed in ${seconds(Date.now() - installStarted)}`);

  const { startSimulator } = await tsImport(path.join(ROOT, 'src', 'simulator', 'server.ts'), import.meta.url);
  const browser = await chromium.launch({ executablePath: tools.chromium, headless: true, args: CHROMIUM_ARGS });

  const parallel = Math.max(1, Number(args.parallel) || 1);
  console.log(`[e2e] ${scenarios.length} scenario(s), ${parallel} at a time\n`);
  const results = [];
  const queue = [...scenarios];
  const active = new Set();
  const interrupt = async () => {
    console.error('\n[e2e] interrupted: stopping code-server instances');
    await Promise.all([...active].map((vs) => vs.stop()));
    await browser.close().catch(() => {});
    process.exit(130);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, interrupt);

  const worker = async () => {
    for (let scenario = queue.shift(); scenario; scenario = queue.shift()) {
      results.push(await runScenario(scenario, { tools, browser, startSimulator, template, active }));
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  await browser.close();

  const failed = results.filter((r) => !r.ok);
  console.log(`\n[e2e] finished in ${seconds(Date.now() - started)}; screenshots in ${path.relative(ROOT, RESULTS)}/`);
  for (const r of failed) console.log(`  ✗ ${r.name}: ${r.error.split('\n')[0]}`);
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  return failed.length === 0 ? 0 : 1;
}

async function runScenario(scenario, { tools, browser, startSimulator, template, active }) {
  const started = Date.now();
  const dir = path.join(WORK, scenario.name);
  const shot = path.join(RESULTS, `${scenario.name}.png`);
  const timeout = scenario.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let sim;
  let vs;
  let error;
  try {
    sim = await startSimulator(scenario.simulator ?? {});
    await withTimeout(
      (async () => {
        await VsCode.start({
          name: scenario.name,
          tools,
          browser,
          sim,
          dir,
          extensionsTemplate: path.join(template, 'extensions'),
          settings: scenario.settings,
          env: scenario.env?.(sim),
          workspaceTrust: scenario.workspaceTrust,
          // Known as soon as the page exists, so a timeout during start-up still stops it.
          onStarted: (started) => {
            vs = started;
            active.add(started);
          },
        });
        await scenario.run(vs, sim, { resultsDir: RESULTS, name: scenario.name });
      })(),
      timeout,
      `scenario timed out after ${timeout / 1000} s`,
    );
  } catch (e) {
    error = e instanceof Error ? e : new Error(String(e));
  }

  // Always a screenshot: what a person would have seen at the end (or at the failure).
  if (vs) await vs.screenshot(shot).catch((e) => console.error(`  (no screenshot for ${scenario.name}: ${e.message})`));
  if (error) saveFailureEvidence(scenario.name, dir, error, sim);
  if (vs) {
    active.delete(vs);
    await vs.stop();
  }
  await sim?.close();

  const time = seconds(Date.now() - started);
  if (error) {
    console.log(`  ✗ ${scenario.name} (${time}): ${scenario.title}\n      ${error.message.split('\n').join('\n      ')}`);
    return { name: scenario.name, ok: false, error: error.message };
  }
  console.log(`  ✓ ${scenario.name} (${time}): ${scenario.title}`);
  return { name: scenario.name, ok: true };
}

/** The code-server log, the extension's own log, the error and what the simulator saw. */
function saveFailureEvidence(name, dir, error, sim) {
  const copy = (from, to) => {
    try {
      fs.copyFileSync(from, path.join(RESULTS, to));
    } catch {
      /* not there: nothing to keep */
    }
  };
  copy(path.join(dir, 'code-server.log'), `${name}.code-server.log`);
  for (const log of findFiles(path.join(dir, 'user-data', 'logs'), (f) => /Vision Chat\.log$|Copilot Chat\.log$|exthost\.log$|remoteexthost\.log$/.test(f))) {
    copy(log, `${name}.${path.basename(log).replace(/\s+/g, '-')}`);
  }
  const requests = sim ? JSON.stringify(sim.requests, null, 2) : '[]';
  fs.writeFileSync(path.join(RESULTS, `${name}.error.txt`), `${error.stack ?? error.message}\n\nSimulator requests:\n${requests}\n`);
}

function findFiles(dir, match) {
  const out = [];
  const walk = (d) => {
    let entries = [];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (match(p)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function withTimeout(promise, ms, message) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[e2e] ${error.message}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
