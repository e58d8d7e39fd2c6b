// Issue 6: our models through VS Code's Language Model API, used the way another extension uses
// them. A test-only consumer extension (test/e2e-consumer) is installed beside ours; it calls
// vscode.lm.selectChatModels({ vendor: 'visionChat' }) and sends a text request, an image request,
// a request it cancels after the first part, and one with a bad key, then writes what it saw.
// The keys are set the way a person sets them: Set API Key… from the palette.

import fs from 'node:fs';
import path from 'node:path';
import { exec } from '../../../scripts/lib/codeServer.mjs';
import { ROOT, setupE2e } from '../../../scripts/setup-e2e.mjs';
import { assert, waitFor } from '../harness.mjs';

const CONSUMER_DIR = path.join(ROOT, 'test', 'e2e-consumer');
const RESULTS_FILE = 'lm-consumer-results.json';

const TEXT_MODEL = 'deepinfra:meta-llama/Meta-Llama-3-8B-Instruct';
const IMAGE_MODEL = 'deepinfra:meta-llama/Llama-3.2-11B-Vision-Instruct';
const BAD_KEY_MODEL = 'segmind:llama-v3-8b-instruct';
const TOOL_MODEL = 'deepinfra:meta-llama/Llama-3.2-90B-Vision-Instruct';

export default {
  name: 'lm-provider',
  title: 'another extension streams text and an image from our models through vscode.lm, cancels midway, and hears a bad key clearly',
  timeoutMs: 180_000,
  // Paced like a real model (40 tokens/s), so parts arrive apart and a cancelled answer is still streaming.
  simulator: { answerTokens: 80, tokensPerSecond: 40 },
  settings: {
    'lmConsumer.textModel': TEXT_MODEL,
    'lmConsumer.imageModel': IMAGE_MODEL,
    'lmConsumer.badKeyModel': BAD_KEY_MODEL,
    'lmConsumer.toolModel': TOOL_MODEL,
  },
  async run(vs, sim) {
    await installConsumer(vs);

    // A working DeepInfra key, and a Segmind key the simulator refuses (saved anyway, as a person can).
    await setKey(vs, 'DeepInfra', sim.validKey);
    await waitFor(async () => (await vs.notificationTexts()).some((t) => t.includes('DeepInfra key saved')), { message: 'the DeepInfra key to be saved', timeout: 15_000 });
    await setKey(vs, 'Segmind', 'not-the-right-key');
    await vs.clickNotificationButton('could not be confirmed', 'Save Anyway');

    // In the consumer's order: the text request answers normally; the cancelled one streams slowly;
    // the image request and the tool round trip (call, then result) answer normally; the request
    // cancelled mid call goes silent inside the call's arguments, so the cancel lands mid call however
    // late the first part reaches the consumer.
    sim.queueScenario('ok');
    sim.queueScenario('slow');
    sim.queueScenario('ok', 3);
    sim.queueScenario('hang-mid-stream');

    const resultsFile = path.join(vs.workspace, RESULTS_FILE);
    fs.rmSync(resultsFile, { force: true });
    await vs.runCommand('LM Consumer: Run Language Model Checks');
    const results = await waitFor(
      async () => {
        await allowLanguageModelAccess(vs);
        if (!fs.existsSync(resultsFile)) return undefined;
        const r = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
        return r.done ? r : undefined;
      },
      { timeout: 90_000, interval: 250, message: 'the consumer extension to finish its checks' },
    );

    // Seen from another extension: every command of our manifest has a handler, and the settings'
    // defaults are the documented ones.
    assert.equal(results.manifest.error, undefined, results.manifest.error);
    assert.ok(results.manifest.contributed >= 10, `the manifest contributes ${results.manifest.contributed} commands`);
    assert.deepEqual(results.manifest.missingCommands, [], 'commands without a handler');
    assert.deepEqual(results.manifest.defaults, {
      'deepinfra.baseUrl': 'https://api.deepinfra.com/v1/openai',
      'segmind.baseUrl': 'https://api.segmind.com/v1',
      model: 'deepinfra:meta-llama/Llama-3.2-11B-Vision-Instruct',
    });

    // Every model whose provider has a key, plus the OpenAI-compatible server's (no key needed).
    const ids = results.models.map((m) => m.id);
    for (const id of [TEXT_MODEL, IMAGE_MODEL, BAD_KEY_MODEL, 'openaiCompatible:sim-text', 'openaiCompatible:sim-vision']) {
      assert.ok(ids.includes(id), `vscode.lm offers ${id}; it offered ${ids.join(', ')}`);
    }
    const text8b = results.models.find((m) => m.id === TEXT_MODEL);
    assert.equal(text8b.family, 'llama-3');
    assert.ok(text8b.maxInputTokens > 0 && text8b.maxInputTokens < 8192, `maxInputTokens ${text8b.maxInputTokens}`);
    assert.ok(results.tokenCount > 0, `countTokens gave ${results.tokenCount}`);

    // Streaming: the answer came in many parts, as the simulator sent them.
    assert.equal(results.text.error, undefined, `text request failed: ${JSON.stringify(results.text.error)}`);
    assert.ok(results.text.parts > 1, `text answer came in ${results.text.parts} part(s)`);
    assert.ok(results.text.text.length > 20, `text answer: ${results.text.text}`);

    // The image reached the vision model as the PNG the consumer made.
    assert.equal(results.image.error, undefined, `image request failed: ${JSON.stringify(results.image.error)}`);
    assert.ok(results.image.parts > 1, `image answer came in ${results.image.parts} part(s)`);
    const imageRequest = sim.requests.find((r) => r.model === 'meta-llama/Llama-3.2-11B-Vision-Instruct' && r.imageCount > 0);
    assert.ok(imageRequest, 'the simulator received the image request');
    assert.deepEqual(imageRequest.imageMimes, ['image/png']);
    assert.deepEqual(imageRequest.imageSizes, [{ width: 64, height: 48 }]);

    // Cancellation: the consumer stopped after the first part and our provider closed the socket.
    assert.equal(results.cancel.cancelled, true, JSON.stringify(results.cancel));
    const slow = sim.requests.find((r) => r.scenario === 'slow');
    assert.ok(slow, 'the simulator received the request that was cancelled');
    await waitFor(() => slow.closedByClient, { message: 'the simulator to see the cancelled request closed by the client' });
    assert.ok(slow.tokensSent < 80, `the cancelled answer stopped early (${slow.tokensSent} of 80 tokens sent)`);

    // Tools (issue 10): the model's call came back as a LanguageModelToolCallPart with parsed input,
    // the result went to the model as a `tool` message, and its answer quotes it.
    const tools = results.tools;
    assert.equal(tools.error, undefined, `tool round trip failed: ${JSON.stringify(tools.error)}`);
    assert.deepEqual(
      tools.calls.map((c) => [c.name, c.input]),
      [['read_note', { path: 'notes/todo.md' }]],
    );
    assert.equal(tools.unexpectedCall, undefined);
    assert.match(tools.answer, /The tool `read_note` returned:\s+> TODO in notes\/todo\.md: ship tool calling/);
    const resultRequest = sim.requests.find((r) => r.toolResults.length > 0);
    assert.ok(resultRequest, 'the simulator received the tool result');
    assert.deepEqual(resultRequest.roles, ['user', 'assistant', 'tool']);
    assert.deepEqual(resultRequest.toolResults, ['TODO in notes/todo.md: ship tool calling']);
    // Cancelled while the call streamed: no half call reached the consumer, and the socket closed.
    const cancelled = results.toolCancel;
    assert.equal(cancelled.cancelled, true, JSON.stringify(cancelled));
    assert.equal(cancelled.toolCalls, 0, `no tool call part after the cancel: ${JSON.stringify(cancelled)}`);
    const toolStream = sim.requests.find((r) => r.toolCallsSent.length > 0 && r.lastPromptChars === 'Use read_note on notes/long-file-name-to-stream.md'.length);
    assert.ok(toolStream, 'the simulator received the request cancelled mid call');
    assert.equal(toolStream.scenario, 'hang-mid-stream', 'the request cancelled mid call is the one that stops inside the call');
    await waitFor(() => toolStream.closedByClient, { message: 'the simulator to see the request cancelled mid call closed by the client' });

    // A bad key: the consumer gets our clear message, not a status code.
    assert.ok(results.badKey.error, `the bad-key request should fail; it answered ${JSON.stringify(results.badKey)}`);
    assert.match(results.badKey.error.message, /Segmind/);
    assert.match(results.badKey.error.message, /key/i);
    assert.doesNotMatch(results.badKey.error.message, /not-the-right-key/, 'the key never appears in an error');
    assert.ok(sim.requests.some((r) => r.provider === 'segmind' && r.status === 401), 'Segmind answered 401');
  },
};

/** Packages the test-only consumer and installs it beside ours, then reloads the window to start it. */
export async function installConsumer(vs) {
  const tools = await setupE2e({ quiet: true });
  const vsix = path.join(vs.dir, 'lm-consumer.vsix');
  await exec('npx', ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '-o', vsix], { cwd: CONSUMER_DIR });
  const userDataDir = path.join(vs.dir, 'consumer-install');
  await exec(tools.node, [tools.codeServer, '--extensions-dir', path.join(vs.dir, 'extensions'), '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'], {
    env: { ...process.env, PATH: `${path.dirname(tools.node)}${path.delimiter}${process.env.PATH ?? ''}` },
  });
  await vs.runCommand('Developer: Reload Window');
  await vs.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await vs.page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
  // The palette lists the consumer's command once its extension host has started it.
  await vs.findInPalette('LM Consumer: Run Language Model Checks');
  await vs.page.keyboard.press('Escape');
}

async function setKey(vs, providerName, key) {
  await vs.runCommand('Vision Chat: Set API Key…');
  await vs.pickQuickItem(providerName);
  await vs.answerInputBox(key);
}

/** VS Code may ask once whether an extension may use another's language models: allow it. */
export async function allowLanguageModelAccess(vs) {
  const allow = vs.page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Allow/ }).first();
  if (await allow.isVisible().catch(() => false)) await allow.click();
}
