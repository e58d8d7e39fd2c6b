#!/usr/bin/env node
// `npm start`: try the extension in a real VS Code in your browser, without a key.
//
// Installs code-server and what it needs (once, cached in .vscode-test/), builds and packages the
// extension, starts the provider simulator, starts code-server on 127.0.0.1 with the extension
// installed and pointed at the simulator, opens a sample workspace, and prints the URL to open.
// The extension gets the simulator's key (never stored as yours), so the first question answers at
// once. With SEGMIND_API_KEY or DEEPINFRA_TOKEN in the environment, that provider stays the real one.
// Ctrl+C stops everything.
//
//   npm start [-- --port 8080] [--simulator-port 8787]     (or PORT=… npm start)

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { tsImport } from 'tsx/esm/api';
import { installExtension, packageVsix, portInUse, simulatorKeyEnv, simulatorSettings, startCodeServer, writeUserSettings } from './lib/codeServer.mjs';
import { createSampleWorkspace, SAMPLE_CODE_FILE, SAMPLE_IMAGE_FILE } from './lib/workspace.mjs';
import { CACHE, ROOT, setupE2e } from './setup-e2e.mjs';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8080' },
    'simulator-port': { type: 'string', default: process.env.SIMULATOR_PORT ?? '8787' },
  },
});
const port = Number(args.port);
const simulatorPort = Number(args['simulator-port']);

const HOME = path.join(CACHE, 'start');
const USER_DATA = path.join(HOME, 'user-data'); // kept between runs: stored keys and chats survive a restart
const EXTENSIONS = path.join(HOME, 'extensions');
const WORKSPACE = path.join(HOME, 'workspace');
const LOG = path.join(HOME, 'code-server.log');

async function main() {
  if (await portInUse(port)) {
    fail(`Port ${port} is already in use. Start on another one: npm start -- --port 8081`);
  }
  const tools = await setupE2e();
  await packageVsix();

  const { startSimulator } = await tsImport(path.join(ROOT, 'src', 'simulator', 'server.ts'), import.meta.url);
  const sim = await startSimulator({ port: (await portInUse(simulatorPort)) ? 0 : simulatorPort });

  writeUserSettings(USER_DATA, simulatorSettings(sim));
  await installExtension(tools, { extensionsDir: EXTENSIONS, userDataDir: USER_DATA });
  createSampleWorkspace(WORKSPACE);

  const codeServer = await startCodeServer(tools, { port, userDataDir: USER_DATA, extensionsDir: EXTENSIONS, workspace: WORKSPACE, logFile: LOG, env: simulatorKeyEnv(sim) });

  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping code-server and the simulator…');
    await codeServer.stop();
    await sim.close();
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop());

  const providers = [
    process.env.DEEPINFRA_TOKEN ? 'DeepInfra: the real service (DEEPINFRA_TOKEN from the environment)' : `DeepInfra: simulator ${sim.deepinfraBaseUrl}`,
    process.env.SEGMIND_API_KEY ? 'Segmind: the real service (SEGMIND_API_KEY from the environment)' : `Segmind: simulator ${sim.segmindBaseUrl}`,
    `OpenAI-compatible: simulator ${sim.openaiBaseUrl} (models sim-text, sim-vision)`,
  ];
  console.log(
    [
      '',
      `  Open Vision Chat is running in code-server (VS Code ${tools.codeServerVersion.replace(/^4\./, '1.')}):`,
      '',
      `    Open  ${codeServer.url}`,
      '',
      `  Providers:`,
      ...providers.map((p) => `    ${p}`),
      '',
      `  No key to paste: the extension uses the simulator's key (${sim.validKey}) for the simulated`,
      `  providers; it is not stored as yours. For a real provider, stop and start again with its key:`,
      `    DEEPINFRA_TOKEN=… npm start    or    SEGMIND_API_KEY=… npm start`,
      `  (or F1 → "Vision Chat: Set API Key…" in a VS Code whose provider URL is the real one).`,
      `  Try: the Vision Chat icon in the activity bar; select lines in ${SAMPLE_CODE_FILE} → right-click →`,
      `       Explain Selection; right-click ${SAMPLE_IMAGE_FILE} in the Explorer → Describe Image.`,
      '',
      `  Workspace ${path.relative(ROOT, WORKSPACE)}, code-server log ${path.relative(ROOT, LOG)}.`,
      `  Press Ctrl+C to stop.`,
      '',
    ].join('\n'),
  );

  // Stay in the foreground; if code-server dies on its own, say so and stop.
  const watch = setInterval(() => {
    if (codeServer.exited() && !stopping) {
      clearInterval(watch);
      console.error(`code-server exited unexpectedly; see ${LOG}`);
      void stop(1);
    }
  }, 1000);
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

fs.mkdirSync(HOME, { recursive: true });
main().catch((error) => {
  console.error(`npm start failed: ${error.message}`);
  process.exit(1);
});
