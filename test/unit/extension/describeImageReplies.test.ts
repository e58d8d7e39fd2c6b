// Describe Image (and an image prompt from Run Prompt) may use another model for its own images: the
// host asks the webview to prepare them (`submit`) and sends them with that model when the webview
// answers. Only that answer may use it: a failed preparation must not leave the model waiting for
// the user's next, ordinary image prompt.

import * as assert from 'node:assert/strict';
import { VISION_MODEL, newSession, routed, useSimulator, viewImage } from './harness';

/** The model a saved prompt names (Run Prompt), not the chat's. */
const PROMPT_MODEL = 'segmind:llava-v1.6';
const RAW = { name: 'chart.png', mime: 'image/png' as const, base64: viewImage().dataUrl.split(',')[1]! };

describe('Describe Image: the borrowed model goes with its own request only', () => {
  const sim = useSimulator();

  it('after the webview could not prepare the image, the next ordinary image prompt uses the chat’s model', async () => {
    const { host, session } = newSession(sim);
    host.settingsValue = { ...host.settingsValue, modelId: VISION_MODEL };
    const { router } = routed(host, session);

    router.submit('Describe the image “chart.png”.', [RAW], { modelId: PROMPT_MODEL });
    assert.equal(host.postsOf('submit').length, 1);
    // The webview could not read the image: it says so instead of sending.
    router.receive({ type: 'notify', notice: 'imageNotPrepared' });
    // The user then attaches a picture and asks, as usual.
    router.receive({ type: 'send', text: 'What is in this picture?', images: [viewImage()] });
    await router.whenDrained();
    await session.whenIdle();

    assert.deepEqual(sim.requests.map((r) => r.provider), ['deepinfra'], 'the prompt went to the chat’s model on DeepInfra, not to LLaVA on Segmind');
    assert.equal(host.replay().at(-1)?.modelId, VISION_MODEL);
  });

  it('the webview’s answer to the submit, matched by its request id, goes to the borrowed model', async () => {
    const { host, session } = newSession(sim);
    host.settingsValue = { ...host.settingsValue, modelId: VISION_MODEL };
    const { router } = routed(host, session);

    router.submit('Describe the image “chart.png”.', [RAW], { modelId: PROMPT_MODEL });
    const [submit] = host.postsOf('submit');
    router.receive({ type: 'send', text: submit!.text, images: [viewImage()], requestId: submit!.requestId });
    await router.whenDrained();
    await session.whenIdle();
    // A second answer to the same request (a replayed message) gets no borrowed model.
    router.receive({ type: 'send', text: 'And now?', images: [viewImage()], requestId: submit!.requestId });
    await router.whenDrained();
    await session.whenIdle();

    assert.deepEqual(sim.requests.map((r) => r.provider), ['segmind', 'deepinfra']);
  });
});
