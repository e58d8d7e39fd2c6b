// Starting code-server (the real VS Code workbench and extension host) for `npm start` and the
// end-to-end tests: packaging the extension, installing it, seeding settings, finding a port, and
// stopping every process code-server started.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { codeServerEnv, ROOT } from '../setup-e2e.mjs';

export const VSIX = path.join(ROOT, 'dist-vsix', 'open-vision-chat.vsix');

/** `npm run package`: the production build and the `.vsix`, as a user would install it. */
export async function packageVsix({ quiet = false } = {}) {
  const started = Date.now();
  fs.rmSync(VSIX, { force: true });
  fs.mkdirSync(path.dirname(VSIX), { recursive: true }); // vsce does not create the output folder
  const output = await exec('npm', ['run', '--silent', 'package'], { cwd: ROOT });
  if (!fs.existsSync(VSIX)) throw new Error(`npm run package did not produce ${VSIX}:\n${output}`);
  if (!quiet) {
    const kb = Math.round(fs.statSync(VSIX).size / 1024);
    console.log(`[build] ${path.relative(ROOT, VSIX)} (${kb} KB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return VSIX;
}

/** Installs a `.vsix` into an extensions folder the way a user would (`--install-extension`). */
export async function installExtension(tools, { vsix = VSIX, extensionsDir, userDataDir }) {
  fs.mkdirSync(extensionsDir, { recursive: true });
  await exec(tools.node, [tools.codeServer, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'], {
    env: codeServerEnv(tools, xdg(userDataDir)),
  });
}

/** The user settings a fresh profile starts with: trusted workspace, no welcome page, no noise. */
export function writeUserSettings(userDataDir, settings) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const base = {
    // In Restricted Mode VS Code limits extensions; a sample or test workspace is trusted.
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    // The sample workspace may sit inside a git repository (this one); git's prompts are noise there.
    'git.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
    'extensions.ignoreRecommendations': true,
  };
  fs.writeFileSync(file, JSON.stringify({ ...base, ...settings }, null, 2) + '\n');
}

/**
 * Settings that point the extension at the simulator. A provider whose real key is in the
 * environment keeps its real URL, so `SEGMIND_API_KEY=… npm start` talks to Segmind.
 */
export function simulatorSettings(sim, env = process.env) {
  const settings = {
    'visionChat.openaiCompatible.baseUrl': sim.openaiBaseUrl,
    'visionChat.openaiCompatible.models': [
      { id: 'sim-text', name: 'Simulator text model' },
      { id: 'sim-vision', name: 'Simulator vision model', vision: true },
    ],
  };
  if (!env.SEGMIND_API_KEY) settings['visionChat.segmind.baseUrl'] = sim.segmindBaseUrl;
  if (!env.DEEPINFRA_TOKEN) settings['visionChat.deepinfra.baseUrl'] = sim.deepinfraBaseUrl;
  return settings;
}

/**
 * The environment `npm start` gives the extension: the simulator's key (read by src/extension/keys.ts
 * as VISION_CHAT_SIMULATOR_KEY, offered only to providers whose URL is on this machine, never stored),
 * so the first question answers with no key to paste.
 */
export function simulatorKeyEnv(sim) {
  return { VISION_CHAT_SIMULATOR_KEY: sim.validKey };
}

/**
 * Starts code-server on 127.0.0.1:port in its own process group, and resolves once it answers HTTP.
 * `stop()` ends the group (code-server, its VS Code server and the extension host), by pid.
 * Workspace trust is off unless `workspaceTrust` (then a folder not trusted before opens in
 * Restricted Mode; the profile's settings must enable trust too: see `writeUserSettings`).
 */
export async function startCodeServer(tools, { port, userDataDir, extensionsDir, workspace, logFile, env = {}, workspaceTrust = false }) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, 'w');
  const args = [
    tools.codeServer,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    workspace,
  ];
  const child = spawn(tools.node, args, {
    cwd: workspace,
    env: codeServerEnv(tools, { ...xdg(userDataDir), EXTENSIONS_GALLERY: NO_GALLERY, ...env }),
    stdio: ['ignore', log, log],
    detached: true, // its own process group, so stop() reaches the processes it spawns
  });
  fs.closeSync(log);
  let exited = false;
  running.add(child.pid);
  const exit = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      exited = true;
      running.delete(child.pid);
      resolve({ code, signal });
    }),
  );

  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const done = await Promise.race([exit.then(() => true), delay(3000).then(() => false)]);
    if (!done) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await exit;
    }
  };

  const deadline = Date.now() + 30_000;
  while (!(await answers(`${url}healthz`))) {
    if (exited) throw new Error(`code-server exited at start; see ${logFile}:\n${tail(logFile, 15)}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within 30 s; see ${logFile}`);
    }
    await delay(200);
  }
  return { url, pid: child.pid, stop, exited: () => exited };
}

/** Process groups of the code-servers this process started and that still run. */
const running = new Set();

// Each code-server runs in its own process group (so stop() reaches its children); whatever happens
// to this process, none is left behind.
process.on('exit', () => {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
});

/**
 * code-server asks open-vsx.org about extensions; these runs stay on 127.0.0.1, so the gallery is a
 * closed local port (nothing listens on the discard port) and those requests fail at once.
 */
const NO_GALLERY = JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/vscode/gallery', itemUrl: 'http://127.0.0.1:9/vscode/item', resourceUrlTemplate: 'http://127.0.0.1:9/{publisher}/{name}/{version}/{path}' });

/** A free TCP port on 127.0.0.1, chosen by the OS. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Whether something listens on 127.0.0.1:port. */
export function portInUse(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** code-server keeps its own config and state under XDG folders; keep them beside the profile, not in ~. */
function xdg(userDataDir) {
  const home = path.join(userDataDir, '..');
  return { XDG_CONFIG_HOME: path.join(home, 'xdg-config'), XDG_DATA_HOME: path.join(home, 'xdg-data') };
}

async function answers(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function tail(file, lines) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Runs a command and resolves with its combined output; rejects with the output's end on failure. */
export function exec(command, args, { cwd = ROOT, env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (e) => reject(new Error(`Could not run ${command}: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${path.basename(command)} ${args.map((a) => path.basename(String(a))).join(' ')} exited with ${code}:\n${output.trim().split('\n').slice(-20).join('\n')}`));
    });
  });
}
