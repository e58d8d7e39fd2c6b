// 6. Describe Image from the explorer's context menu: the thumbnail and a streamed description
// appear, and a model that sees images answers even though the chat's model cannot.

import { assert, ChatView, modelRequests, waitFor } from '../harness.mjs';
import { SAMPLE_IMAGE_FILE } from '../../../scripts/lib/workspace.mjs';

const TEXT_MODEL = 'deepinfra:meta-llama/Meta-Llama-3-8B-Instruct';

export default {
  name: 'describe-image',
  title: 'Describe Image from the explorer context menu uses a vision model and streams',
  simulator: { tokensPerSecond: 40, answerTokens: 120 },
  async run(vs, sim) {
    await vs.setApiKey('DeepInfra', sim.validKey);
    const chat = await vs.openChat();
    await chat.selectModel(TEXT_MODEL);

    await vs.runCommand('View: Show Explorer');
    const item = await vs.explorerItem(SAMPLE_IMAGE_FILE);
    await item.click({ button: 'right' });
    await vs.clickMenuItem('Describe Image');

    const view = new ChatView(await vs.chatFrame());
    const thumbnail = view.frame.locator('article.message.user img.message-image').last();
    await thumbnail.waitFor({ timeout: 15_000 });
    assert.equal(await thumbnail.getAttribute('alt'), 'landscape.png');
    assert.ok(await thumbnail.evaluate((img) => img.complete && img.naturalWidth > 0), 'the thumbnail shows the picture');

    // The description streams in: its visible length grows while it is in progress.
    const answer = view.lastAnswer();
    const lengths = await view.lengthsUntilDone(answer);
    assert.ok(new Set(lengths.filter((n) => n > 0)).size >= 2, `the description grew while streaming (lengths: ${lengths.join(', ')})`);
    await view.waitForAnswer();
    assert.match(await view.answerText(), /1 image \(image\/(png|jpeg)/, 'the answer saw the image');
    assert.match(await answer.locator('.message-note').innerText(), /Llama 3\.2 11B Vision/, 'a note says which vision model stood in');

    const request = await waitFor(() => modelRequests(sim).at(-1), { message: 'the request' });
    assert.equal(request.model, 'meta-llama/Llama-3.2-11B-Vision-Instruct', 'a vision model was used');
    assert.equal(request.imageCount, 1);
    assert.equal(await view.modelId(), TEXT_MODEL, "the chat's own model stays selected");
  },
};
