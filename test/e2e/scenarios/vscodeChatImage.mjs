// Issue 10: an image attached in VS Code's own Chat view reaches one of our vision models. Agent
// mode, signed out (`chat.allowAnonymousAccess`), DeepInfra's Llama 3.2 11B Vision picked (it calls
// tools natively, so Agent mode lists it; a new window lists it with no Manage Models… first). The sample workspace's PNG is attached the way a person
// does it, Add Context… and its name; the request that reaches the simulator holds it as an
// image with the file's very bytes, and the answer in the Chat view says so.

import fs from 'node:fs';
import path from 'node:path';
import { simulatorKeyEnv } from '../../../scripts/lib/codeServer.mjs';
import { SAMPLE_IMAGE_FILE } from '../../../scripts/lib/workspace.mjs';
import { assert, waitFor } from '../harness.mjs';
import { VSCODE_CHAT_SETTINGS, attachImage, lastChatResponse, openVsCodeChat, pickChatModel, sendChatPrompt, waitForChatAnswerDone } from '../vscodeChat.mjs';

const MODEL = 'Llama 3.2 11B Vision Instruct · DeepInfra';
const PROVIDER_MODEL = 'meta-llama/Llama-3.2-11B-Vision-Instruct';

export default {
  name: 'vscode-chat-image',
  title: "VS Code's own Chat: an image attached with Add Context… reaches our vision model and the answer shows",
  timeoutMs: 300_000,
  // A short answer, so that the whole of it shows in the screenshot.
  simulator: { tokensPerSecond: 60, answerTokens: 34 },
  settings: VSCODE_CHAT_SETTINGS,
  // The simulator's DeepInfra key, as `npm start` gives it: DeepInfra's models need a key to be offered.
  env: simulatorKeyEnv,
  async run(vs, sim) {
    const png = fs.readFileSync(path.join(vs.workspace, SAMPLE_IMAGE_FILE));

    await openVsCodeChat(vs);
    await pickChatModel(vs, MODEL);
    await attachImage(vs, path.basename(SAMPLE_IMAGE_FILE));
    await sendChatPrompt(vs, 'What is in this picture?');

    // The Agent request (it offers VS Code's tools; a title request would not) holds the image as an image part 
    // with the PNG's own bytes (nothing re-encoded it).
    const request = await waitFor(() => sim.requests.find((r) => r.model === PROVIDER_MODEL && r.toolNames.length > 0), {
      timeout: 90_000,
      message: 'the request to reach the simulator',
    });
    assert.equal(request.imageCount, 1, `images in the request: ${request.imageCount}`);
    assert.deepEqual(request.imageMimes, ['image/png']);
    assert.equal(request.imageBytes, png.length, `the image's bytes (${request.imageBytes}) are the file's (${png.length})`);
    assert.deepEqual(request.imageSizes, [{ width: 320, height: 200 }]);

    // The answer in the Chat view is the model's, and it says what it received.
    await waitFor(async () => (await lastChatResponse(vs)).includes('1 image (image/png'), {
      timeout: 60_000,
      message: "the Chat view's answer to say it received the image",
    });
    await waitForChatAnswerDone(vs);
  },
};
