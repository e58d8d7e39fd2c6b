// Restricted Mode: the sample folder opens untrusted (workspace trust on, nothing answered). Attaching
// workspace content asks first, naming the file and the provider: Cancel attaches nothing (no
// chip, from `#` or from the Explorer) and the next question reaches the simulator alone; Send
// attaches the file (a chip) and it goes with the question. `#changes` is refused with the reason
// and what to do, without asking a question whose answer would not matter.

import fs from 'node:fs';
import path from 'node:path';
import { simulatorKeyEnv } from '../../../scripts/lib/codeServer.mjs';
import { SAMPLE_CODE_FILE } from '../../../scripts/lib/workspace.mjs';
import { assert, ChatView, modelRequests, textOf, waitFor } from '../harness.mjs';

const ASK = 'This workspace is in Restricted Mode.';

export default {
  name: 'restricted-mode',
  title: 'in Restricted Mode attaching asks first: Cancel attaches and sends nothing, Send attaches; #changes is refused',
  timeoutMs: 180_000,
  workspaceTrust: true,
  env: simulatorKeyEnv,
  async run(vs, sim, { resultsDir }) {
    // A folder VS Code has not seen opens untrusted: the banner and the status bar say Restricted Mode.
    await vs.page.getByText('Restricted Mode is intended for safe code browsing').first().waitFor({ timeout: 30_000 });
    await waitFor(async () => (await vs.statusBarTexts()).some((t) => t.includes('Restricted Mode')), { message: '"Restricted Mode" in the status bar' });

    let chat = await vs.openChat();

    // `#deboun`, Enter: the question names the file and where it would go, and how to stop being asked.
    await chat.attachWithHash('#deboun', /debounce\.ts/);
    const ask = vs.dialog(ASK);
    await ask.waitFor({ timeout: 15_000 });
    await vs.page.screenshot({ path: path.join(resultsDir, 'restricted-mode-ask.png') });
    const asked = await textOf(ask);
    assert.ok(asked.includes(`Send “${SAMPLE_CODE_FILE}” to DeepInfra?`), `the question names the file and the provider: ${asked}`);
    assert.ok(asked.includes('Trust the workspace to stop being asked.'), `the question says how to stop being asked: ${asked}`);
    await vs.answerDialog(ASK, 'Cancel');

    // The Explorer's "Add to Vision Chat" on README.md asks too; Cancel again.
    await vs.runCommand('View: Show Explorer');
    await (await vs.explorerItem('README.md')).click({ button: 'right' });
    await vs.clickMenuItem('Add to Vision Chat');
    const askReadme = vs.dialog('Send “README.md” to DeepInfra?');
    await askReadme.waitFor({ timeout: 15_000 });
    await vs.answerDialog('Send “README.md” to DeepInfra?', 'Cancel');

    // Back in the chat: no chip, and the question goes out alone.
    chat = await vs.openChat();
    const question = 'What does this project do?';
    await chat.send(question);
    await chat.waitForAnswer();
    assert.equal(await chat.chips().count(), 0, 'no chip after Cancel');
    const sent = modelRequests(sim);
    assert.equal(sent.length, 1, 'one request, for the question');
    const alone = sent[0].lastUserText;
    assert.equal(alone.trim(), question, `only the question reached the provider:\n${alone.slice(0, 600)}`);
    const sampleCode = fs.readFileSync(path.join(vs.workspace, SAMPLE_CODE_FILE), 'utf8');
    const readme = fs.readFileSync(path.join(vs.workspace, 'README.md'), 'utf8');
    const everything = JSON.stringify(sim.requests);
    for (const line of [sampleCode.split('\n')[3], readme.split('\n')[0]]) {
      assert.ok(!everything.includes(JSON.stringify(line).slice(1, -1)), `nothing of the workspace in any request: found "${line}"`);
    }
    assert.equal(await chat.messages().first().getByRole('list', { name: 'Context sent with this prompt' }).count(), 0, 'the sent prompt shows no chips');

    // `#changes` says in its row that it needs trust, and is refused (git does not run here) with no
    // question first; the notice's button opens the Workspace Trust editor.
    await chat.attachWithHash('#changes', /changes.*needs a trusted workspace/);
    const refusal = 'Vision Chat does not run git in Restricted Mode';
    await waitFor(async () => (await vs.notificationTexts()).some((t) => t.includes(refusal) && t.includes('Trust the workspace to attach #changes.')), {
      timeout: 15_000,
      message: `the "${refusal}" notice`,
    });
    assert.equal(await vs.dialog(ASK).count(), 0, 'no question before refusing #changes');
    assert.equal(await chat.chips().count(), 0, 'no chip for #changes');
    await vs.clickNotificationButton(refusal, 'Manage Workspace Trust');
    const trustEditor = vs.page.getByText('You are in Restricted Mode', { exact: true });
    await trustEditor.waitFor({ timeout: 10_000 });
    await vs.page.keyboard.press('Escape');
    await trustEditor.waitFor({ state: 'hidden', timeout: 10_000 });
    chat = new ChatView(await vs.chatFrame());

    // Send: the chip appears with its size, and the file goes with the next question.
    await chat.attachWithHash('#deboun', /debounce\.ts/);
    await vs.answerDialog(ASK, 'Send', { timeout: 15_000 });
    chat = new ChatView(await vs.chatFrame());
    await waitFor(async () => (await chat.chips().count()) === 1, { timeout: 15_000, message: 'a chip for src/debounce.ts after Send' });
    const chip = await textOf(chat.chips().first());
    assert.ok(/debounce\.ts/.test(chip) && /\d+\s*tokens?/.test(chip), `the chip names the file and its size: ${chip}`);
    await vs.page.locator('.part.sidebar').screenshot({ path: path.join(resultsDir, 'restricted-mode-chip.png') });
    await chat.send('Explain it.');
    // The new answer, not the first question's finished one.
    await waitFor(async () => (await chat.answers().count()) === 2, { timeout: 15_000, message: 'the answer to "Explain it."' });
    await chat.waitForAnswer();
    const withFile = modelRequests(sim).at(-1).lastUserText;
    assert.ok(withFile.includes(`<context kind="file" path="${SAMPLE_CODE_FILE}"`) && withFile.includes(sampleCode.trimEnd()), `the file went with the question:\n${withFile.slice(0, 600)}`);
  },
};
