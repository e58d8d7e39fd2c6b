// The infrastructure works: the workbench loads, the extension's commands are in the palette, and
// its chat view opens and renders.

import { assert } from '../harness.mjs';

export default {
  name: 'smoke',
  title: 'workbench loads, F1 lists "Vision Chat: Open Chat", the chat view opens',
  timeoutMs: 90_000,
  async run(vs) {
    await vs.findInPalette('Vision Chat: Open Chat');
    await vs.findInPalette('Vision Chat: Set API Key…');
    await vs.page.keyboard.press('Escape');

    // The view renders its own controls and the host has sent its state: the model picker shows
    // the configured default model.
    const chat = await vs.openChat();
    await chat.input().waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await chat.modelId(), 'deepinfra:meta-llama/Llama-3.2-11B-Vision-Instruct');
  },
};
