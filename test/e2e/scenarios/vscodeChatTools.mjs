// Issue 10: our model in VS Code's own Chat view, Agent mode, signed out (`chat.allowAnonymousAccess`).
// It is picked in the Chat view's model picker of a new window, with no Manage Models… first (the
// picker lists only models that declare tool calling);
// a question about a workspace file makes the model (the simulator) call VS Code's built-in
// `read_file` tool with the file's path; VS Code runs it and sends the text back; the answer shown
// in the Chat view quotes it.

import fs from 'node:fs';
import path from 'node:path';
import { assert, waitFor } from '../harness.mjs';
import { VSCODE_CHAT_SETTINGS, approveToolIfAsked, lastChatResponse, openVsCodeChat, pickChatModel, sendChatPrompt } from '../vscodeChat.mjs';

const MODEL = 'Simulator text model';
const SECRET = 'PELICAN-7731';

export default {
  name: 'vscode-chat-tools',
  title: "VS Code's own Chat in Agent mode: our model calls VS Code's read_file tool and answers from the file",
  timeoutMs: 300_000,
  simulator: { tokensPerSecond: 60 },
  settings: {
    ...VSCODE_CHAT_SETTINGS,
    // A window the size of today's tool-calling models: Agent mode's prompt and its ~40 tool
    // definitions do not fit the 8k a model gets when its settings name none.
    'visionChat.openaiCompatible.models': [{ id: 'sim-text', name: 'Simulator text model', contextLength: 131072 }],
  },
  async run(vs, sim) {
    const file = path.join(vs.workspace, 'launch-notes.md');
    fs.writeFileSync(file, `# Launch notes\n\nThe launch code is ${SECRET}.\n`);

    await openVsCodeChat(vs);
    await pickChatModel(vs, MODEL);
    // read_file wants an absolute path (its schema says so); the user gives one.
    await sendChatPrompt(vs, `What does ${file} say? Use read_file.`);

    // The first request offered VS Code's Agent tools; the model called read_file with the path.
    const first = await waitFor(() => sim.requests.find((r) => r.model === 'sim-text' && r.toolCallsSent.length > 0), {
      timeout: 90_000,
      message: 'the model to call a tool',
    });
    assert.ok(first.toolNames.includes('read_file'), `VS Code offered ${first.toolNames.join(', ')}`);
    assert.deepEqual(first.toolCallsSent, ['read_file']);

    // VS Code ran it and sent the file's text back as a tool result, in a second request.
    const second = await waitFor(
      async () => {
        await approveToolIfAsked(vs);
        return sim.requests.find((r) => r.toolResults.some((t) => t.includes(SECRET)));
      },
      { timeout: 90_000, interval: 250, message: "the second request to hold the file's text as a tool result" },
    );
    assert.ok(second.roles.includes('tool') && second.roles.includes('assistant'), `roles: ${second.roles.join(',')}`);

    // The answer in VS Code's Chat view quotes the file.
    await waitFor(async () => (await lastChatResponse(vs)).includes(`The launch code is ${SECRET}`), {
      timeout: 60_000,
      message: "the Chat view's answer to quote the file",
    });
  },
};
