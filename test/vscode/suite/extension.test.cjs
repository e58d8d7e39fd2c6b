// The extension inside a desktop VS Code: it activates, registers every command its manifest
// contributes, and reads its settings with the manifest's defaults. (That the chat view opens and
// answers is what the code-server suite shows, through the screen: test/e2e/scenarios/smoke.mjs.)
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: the extension host require()s this file. */

const assert = require('node:assert/strict');
const vscode = require('vscode');

const EXTENSION_ID = 'open-vision-chat.open-vision-chat';

describe('Open Vision Chat in VS Code', () => {
  /** @type {vscode.Extension<unknown>} */
  let extension;

  before(async () => {
    extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    await extension.activate();
  });

  it('registers every command the manifest contributes', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = extension.packageJSON.contributes.commands.map((c) => c.command);
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `commands without a handler: ${missing.join(', ')}`);
  });

  it('reads its settings with the documented defaults', () => {
    const config = vscode.workspace.getConfiguration('visionChat');
    assert.equal(config.get('deepinfra.baseUrl'), 'https://api.deepinfra.com/v1/openai');
    assert.equal(config.get('segmind.baseUrl'), 'https://api.segmind.com/v1');
    assert.equal(config.get('model'), 'deepinfra:meta-llama/Llama-3.2-11B-Vision-Instruct');
  });
});
