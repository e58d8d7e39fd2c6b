// Issues 10 and 11: VS Code's Language Models editor (Chat view → model picker → Manage Models…)
// lists the live models, each with its provider in its name: a model that only the simulator's
// DeepInfra listing knows is there, and the Llama that two providers serve shows twice, told apart.
// The live model calls tools (its listing says so), so the Chat view's Agent mode offers it too,
// and it answers there.

import { simulatorKeyEnv } from '../../../scripts/lib/codeServer.mjs';
import { assert, waitFor } from '../harness.mjs';
import { VSCODE_CHAT_SETTINGS, lastChatResponse, manageModelsRows, openVsCodeChat, pickChatModel, sendChatPrompt, waitForChatAnswerDone } from '../vscodeChat.mjs';

const LISTED_ONLY = 'Zephyr Orbit 12B Instruct · DeepInfra';

export default {
  name: 'vscode-language-models',
  title: "VS Code's Language Models editor lists a model only DeepInfra's live listing knows, with its provider; it answers in VS Code's Chat",
  timeoutMs: 300_000,
  simulator: { tokensPerSecond: 60, answerTokens: 30 },
  settings: VSCODE_CHAT_SETTINGS,
  // The simulator's keys, as `npm start` gives them: hosted models need a key to be offered.
  env: simulatorKeyEnv,
  async run(vs, sim) {
    // The extension starts with the window (its Segmind balance shows) and reads no model listing
    // then: the live lists are read on first need.
    await vs.creditsItem().first().waitFor({ timeout: 30_000 });
    const listingReads = () => sim.requests.filter((r) => r.method === 'GET' && /\/(?:models|api\/tags)$/.test(r.path));
    assert.deepEqual(listingReads().map((r) => r.path), [], 'no listing was read while the extension started');
    await openVsCodeChat(vs);
    const rows = await manageModelsRows(vs, LISTED_ONLY, 'Zephyr');
    assert.ok(
      sim.requests.some((r) => r.provider === 'deepinfra' && r.method === 'GET' && /\/models$/.test(r.path)),
      "DeepInfra's listing was read",
    );
    // Context Size and Capabilities columns, from the listing (65 536 tokens, which VS Code shows
    // as 66K: input limit and answer room add up to the window, no more; tagged "tools").
    const row = rows.find((r) => r.includes(LISTED_ONLY));
    assert.match(row, /\b66K\b/, `its context size: ${row}`);
    assert.match(row, /Tools/, `its capabilities: ${row}`);
    // The same Llama from two providers: two rows, told apart by the provider in the name.
    const llamas = await manageModelsRows(vs, 'Llama 3.2 90B Vision Instruct · Segmind', '90B Vision');
    assert.ok(llamas.some((r) => r.includes('Llama 3.2 90B Vision Instruct · DeepInfra')), `rows: ${llamas.join(' | ')}`);

    await pickChatModel(vs, LISTED_ONLY);
    await sendChatPrompt(vs, 'Say hello.');
    await waitFor(async () => (await lastChatResponse(vs)).includes('Simulator answer from simulated/Zephyr-Orbit-12B-Instruct'), {
      timeout: 90_000,
      message: "the live model's answer in the Chat view",
    });
    await waitForChatAnswerDone(vs);
  },
};
