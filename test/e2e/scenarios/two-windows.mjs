// Issue 12: two windows on one profile share the chat history (the extension's global storage).
// A second browser page on the same code-server is a second VS Code window: its own workbench and
// its own extension host, on the same user data folder, as two desktop windows are. Each window
// saves its own chat; neither may drop the other's from the history list, and no chat file is left
// on disk that the list does not show.

import fs from 'node:fs';
import path from 'node:path';
import { assert, waitFor } from '../harness.mjs';

export default {
  name: 'two-windows',
  title: 'two windows on one profile: both chats stay in the history list of each',
  timeoutMs: 180_000,
  async run(vs, sim) {
    await vs.setApiKey('DeepInfra', sim.validKey);
    const chatA = await vs.openChat();
    await chatA.send('Asked in window A.');
    await chatA.waitForAnswer();

    // Window B: a second page on the same code-server and folder.
    const windowB = await vs.openSecondWindow();
    const chatB = await windowB.openChat();
    await windowB.runCommand('Vision Chat: New Chat');
    await waitFor(async () => (await chatB.messages().count()) === 0, { message: 'a new chat in window B' });
    await chatB.send('Asked in window B.');
    await chatB.waitForAnswer();

    // Window A answers again after B has saved: A must not write back a list without B's chat.
    await vs.page.bringToFront();
    await chatA.send('Asked in window A again.');
    await waitFor(async () => (await chatA.answers().count()) === 2, { message: 'the second answer in window A' });
    await chatA.waitForAnswer();

    for (const [name, window] of [['A', vs], ['B', windowB]]) {
      await window.page.bringToFront();
      await window.runCommand('Vision Chat: Show Chat History…');
      const labels = await waitFor(
        async () => {
          const shown = await window.quickPickLabels();
          return shown.some((l) => l.includes('Asked in window A.')) && shown.some((l) => l.includes('Asked in window B.')) ? shown : undefined;
        },
        { timeout: 15_000, message: `window ${name}'s history to list both chats` },
      );
      const chats = labels.filter((l) => l.startsWith('Asked in window'));
      assert.deepEqual(chats.sort(), ['Asked in window A.', 'Asked in window B.'], `window ${name} lists the two chats once each: ${JSON.stringify(labels)}`);
      await window.closeQuickInput();
    }

    // Really two windows: code-server launched an extension host process for each page.
    const hosts = new Set([...fs.readFileSync(vs.logFile, 'utf8').matchAll(/<(\d+)> Launched Extension Host Process/g)].map((m) => m[1]));
    assert.equal(hosts.size, 2, 'two extension host processes, one per window');

    // On disk: exactly the two chats the lists show, nothing orphaned.
    const storage = path.join(vs.dir, 'user-data', 'User', 'globalStorage');
    const folder = fs.readdirSync(storage).map((d) => path.join(storage, d, 'conversations')).find((d) => fs.existsSync(d));
    assert.ok(folder, 'the chats are in global storage');
    const chats = fs.readdirSync(folder).filter((f) => f.endsWith('.json'));
    assert.equal(chats.length, 2, `two chat files: ${chats.join(', ')}`);
  },
};
