// `npm run bench [-- name… --quick]`: runs the benchmarks, each in its own process, prints one table
// and writes it to bench/RESULTS.md with the machine it ran on. Budgets come from issues 5, 10 and 11.
// Speed never fails the run: a missed budget is a ❌ row. Only a benchmark that breaks exits non-zero.
//
//   node bench/run.mjs                 all benchmarks
//   node bench/run.mjs client stop     some of them (their rows replace those in RESULTS.md)
//   node bench/run.mjs --quick         shorter runs (webview streaming scaled down, fewer rounds);
//                                      printed only: quick figures do not replace those in RESULTS.md

import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const resultsFile = path.join(here, 'RESULTS.md');

/** In table order. `node` holds extra Node flags the benchmark needs. */
const BENCHMARKS = [
  { name: 'client', file: 'client.ts', title: 'Client overhead' },
  { name: 'stop', file: 'stop.ts', title: 'Stop latency' },
  { name: 'webview', file: 'webview-vscode.mjs', title: 'Webview streaming (VS Code)' },
  { name: 'webview-harness', file: 'webview-streaming.ts', title: 'Webview streaming (webview alone)' },
  { name: 'long-chat', file: 'long-chat.ts', title: 'Long chats' },
  { name: 'open-chat', file: 'open-chat.ts', title: 'Opening a long chat' },
  { name: 'picker', file: 'picker.ts', title: 'Model picker (1 000 models)' },
  { name: 'activation', file: 'activation.mjs', title: 'Activation' },
  { name: 'size', file: 'size.ts', title: 'Size' },
  { name: 'images', file: 'images.ts', title: 'Images' },
  { name: 'memory', file: 'memory.ts', title: 'Memory', node: ['--expose-gc'] },
  { name: 'history', file: 'history.ts', title: 'History' },
];

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const names = args.filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
if (unknown.length) {
  console.error(`Unknown benchmark ${unknown.join(', ')}. Choose from: ${BENCHMARKS.map((b) => b.name).join(', ')}.`);
  process.exit(2);
}
const selected = names.length ? BENCHMARKS.filter((b) => names.includes(b.name)) : BENCHMARKS;

function runBenchmark(bench) {
  return new Promise((resolve) => {
    const rows = [];
    const started = Date.now();
    const child = spawn(process.execPath, [...(bench.node ?? []), '--import', 'tsx', path.join(here, bench.file), ...flags], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.startsWith('BENCH_ROW ')) rows.push(JSON.parse(line.slice('BENCH_ROW '.length)));
        else if (line.trim()) process.stderr.write(`  ${line}\n`);
      }
    });
    child.on('close', (code) => {
      if (code !== 0) rows.push({ what: bench.title, value: 'broke', note: `exit code ${code}; see the output above` });
      resolve({ rows, failed: code !== 0, seconds: (Date.now() - started) / 1000 });
    });
  });
}

function machine() {
  const cpus = os.cpus();
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    // Not a git checkout: the commit is left out.
  }
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memory: `${Math.round(os.totalmem() / 1024 ** 3)} GB`,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    commit,
    quick: flags.includes('--quick'),
    // This machine may be shared: the load when the run began says how much to trust small differences.
    load: os.loadavg()[0].toFixed(1),
  };
}

const describeMachine = (m) =>
  `${m.cpu}, ${m.cores} cores, ${m.memory} memory, Node ${m.node}, ${m.os}; ${m.date}` +
  (m.load ? `, load average ${m.load} at start` : '') +
  (m.commit ? `, commit ${m.commit}` : '') +
  (m.quick ? ' (--quick)' : '');

const mark = (row) => (row.ok === true ? '✅' : row.ok === false ? '❌' : '');
const cell = (text) => String(text ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');

function table(entries) {
  const lines = ['| benchmark | measure | result | budget | | notes |', '| --- | --- | --- | --- | --- | --- |'];
  for (const bench of BENCHMARKS) {
    const entry = entries[bench.name];
    if (!entry) continue;
    for (const row of entry.rows) {
      lines.push(`| ${cell(bench.title)} | ${cell(row.what)} | ${cell(row.value)} | ${cell(row.budget)} | ${mark(row)} | ${cell(row.note)} |`);
    }
  }
  return lines.join('\n');
}

/** The data of the previous run, kept in RESULTS.md, so running one benchmark keeps the others' rows. */
function previousEntries() {
  if (!existsSync(resultsFile)) return {};
  const match = /<!-- bench-data (.*) -->/.exec(readFileSync(resultsFile, 'utf8'));
  return match ? JSON.parse(match[1]) : {};
}

const current = machine();
const entries = previousEntries();
let broken = false;
for (const bench of selected) {
  console.error(`▶ ${bench.name}`);
  const result = await runBenchmark(bench);
  broken ||= result.failed;
  entries[bench.name] = { rows: result.rows, machine: current };
  console.error(`  (${result.seconds.toFixed(0)} s)`);
}

const runs = [...new Set(Object.values(entries).map((e) => describeMachine(e.machine)))];
const markdown = [
  '# Benchmark results',
  '',
  'Written by `npm run bench` (see bench/README.md). Budgets are from issues 5, 10 (tool calls) and 11 (model picker); ✅ met, ❌ missed.',
  '',
  table(entries),
  '',
  runs.length === 1 ? `Machine: ${runs[0]}.` : `Machines (benchmarks run separately):\n${runs.map((r) => `- ${r}`).join('\n')}`,
  '',
  `<!-- bench-data ${JSON.stringify(entries)} -->`,
  '',
].join('\n');
if (!current.quick) writeFileSync(resultsFile, markdown);

const printed = Object.fromEntries(selected.map((b) => [b.name, entries[b.name]]));
const written = current.quick ? 'Not written to bench/RESULTS.md (a --quick run).' : 'Written to bench/RESULTS.md.';
console.log(`\n${table(printed)}\n\nMachine: ${describeMachine(current)}.\n${written}`);
process.exit(broken ? 1 : 0);
