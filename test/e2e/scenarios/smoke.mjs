// The infrastructure works: the workbench loads, the extension's commands are in the palette, and
// its chat view opens and renders.

import { assert, waitFor } from '../harness.mjs';

export default {
  name: 'smoke',
  title: 'workbench loads, F1 lists "Vision Chat: Open Chat", the chat view opens',
  timeoutMs: 90_000,
  async run(vs) {
    await vs.findInPalette('Vision Chat: Open Chat');
    await vs.quickInputBox().fill('>Vision Chat');
    const labels = await vs.quickPickLabels();
    assert.ok(labels.includes('Vision Chat: Set API Key…'), `the palette lists: ${labels.join(', ')}`);
    await vs.page.keyboard.press('Escape');

    const chat = await vs.openChat();
    // The view's own controls are there: a prompt box a person can type into.
    await chat.getByRole('textbox', { name: 'Message' }).waitFor({ state: 'visible', timeout: 10_000 });
    // The host has sent its state: the model picker shows the configured default model.
    await waitFor(async () => (await chat.getByRole('combobox', { name: 'Model' }).inputValue()) === 'deepinfra:meta-llama/Llama-3.2-11B-Vision-Instruct', {
      message: 'the model picker to show the default model',
    });
  },
};
