// The spend limit per day also holds for our models in VS Code's Language Model API (another
// extension, VS Code's own Chat). Past `visionChat.spendLimitPerDay`, a request from the test-only
// consumer extension is asked about in the same modal as the chat view's: Cancel sends nothing and
// the consumer hears why; Send Anyway sends it, and holds for the next request (as the requests of
// an Agent-mode turn come one per tool round) without a second question.

import fs from 'node:fs';
import path from 'node:path';
import { assert, modelRequests, waitFor } from '../harness.mjs';
import { allowLanguageModelAccess, installConsumer } from './lmProvider.mjs';

const PRICED_ID = 'deepinfra:simulated/Zephyr-Orbit-12B-Instruct';
// Below the input cost of any request, so the first one is past it.
const LIMIT_USD = 0.00000001;
const SENDS_FILE = 'lm-consumer-sends.json';
const QUESTION = 'Sending this would pass your spend limit';

export default {
  name: 'lm-spend-limit',
  title: 'past the spend limit per day, another extension\'s request is asked about: Cancel sends nothing and says why, Send Anyway sends and holds for the next',
  timeoutMs: 180_000,
  settings: { 'visionChat.spendLimitPerDay': LIMIT_USD, 'lmConsumer.textModel': PRICED_ID },
  async run(vs, sim, { resultsDir }) {
    await installConsumer(vs);
    await vs.setApiKey('DeepInfra', sim.validKey);
    // The priced model is in the catalog, with its price, once the picker shows it.
    const chat = await vs.openChat();
    await chat.findOneModel('zephyr orb', { message: 'the priced model in the picker' });

    const sendsFile = path.join(vs.workspace, SENDS_FILE);
    fs.rmSync(sendsFile, { force: true });
    const sends = () => (fs.existsSync(sendsFile) ? JSON.parse(fs.readFileSync(sendsFile, 'utf8')) : []);
    /** Runs the consumer's one request; resolves with the dialog asking about it, or with what came back when none asked. */
    const sendOne = async () => {
      const before = sends().length;
      await vs.runCommand('LM Consumer: Send One Request');
      return waitFor(
        async () => {
          await allowLanguageModelAccess(vs);
          if ((await vs.dialog(QUESTION).count()) > 0) return { asked: vs.dialog(QUESTION) };
          const all = sends();
          return all.length > before ? { result: all.at(-1) } : undefined;
        },
        { timeout: 30_000, interval: 250, message: 'the spend limit question or the consumer\'s result' },
      );
    };

    // Cancel: nothing is sent, and the consumer hears why and what to do.
    const first = await sendOne();
    assert.ok(first.asked, `the request past the limit was asked about; it came back ${JSON.stringify(first.result)}`);
    const text = (await first.asked.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Sending this would pass your spend limit of \$0\.0000000\d* a day\./);
    assert.match(text, /estimated at \$/, 'the request\'s estimated cost, from the listed price');
    await vs.screenshot(path.join(resultsDir, 'lm-spend-limit-question.png'));
    await vs.answerDialog(QUESTION, 'Cancel');
    const held = await waitFor(() => sends()[0], { message: 'the consumer\'s result after Cancel' });
    assert.ok(held.error, `the consumer got an error: ${JSON.stringify(held)}`);
    assert.match(held.error.message, /did not send this: it would pass your spend limit/);
    assert.match(held.error.message, /Send Anyway|visionChat\.spendLimitPerDay/);
    assert.equal(modelRequests(sim).length, 0, 'nothing was sent');

    // Send Anyway: sent, answered.
    const second = await sendOne();
    assert.ok(second.asked, `asked again; it came back ${JSON.stringify(second.result)}`);
    await vs.answerDialog(QUESTION, 'Send Anyway');
    const sent = await waitFor(() => sends()[1], { timeout: 30_000, message: 'the answer sent anyway' });
    assert.equal(sent.error, undefined, `answered: ${JSON.stringify(sent.error)}`);
    assert.ok(sent.text.length > 0, 'the answer has text');
    assert.equal(modelRequests(sim).length, 1, 'sent at the user\'s word');

    // The next request, still past the limit, goes without a second question.
    const third = await sendOne();
    assert.ok(third.result, 'no question right after Send Anyway');
    assert.equal(third.result.error, undefined, `answered: ${JSON.stringify(third.result.error)}`);
    assert.equal(modelRequests(sim).length, 2);
  },
};
