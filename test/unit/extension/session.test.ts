// The chat session against the real simulator, through the real provider clients: what the view is
// told while an answer streams, stops, fails, costs money, and is asked again or taken back.

import * as assert from 'node:assert/strict';
import { newConversation, reviveConversation } from '../../../src/extension/conversation';
import { CreditsLedger } from '../../../src/extension/creditsLedger';
import { ChatSession } from '../../../src/extension/session';
import type { ViewImage, ViewMessage } from '../../../src/protocol';
import { SEGMIND_TEXT_MODEL, TestHost, VISION_MODEL, newSession, useSimulator, viewImage, waitFor } from './harness';

describe('chat session (against the simulator)', () => {
  const sim = useSimulator();

  it('streams an answer in coalesced deltas whose text is the whole answer', async () => {
    sim.configure({ answerTokens: 120, tokensPerSecond: 600 });
    const { host, session } = newSession(sim);

    await session.send('Explain closures in one paragraph.');

    const [user, answer] = host.replay();
    assert.equal(user.role, 'user');
    assert.equal(user.text, 'Explain closures in one paragraph.');
    assert.equal(answer.status, 'done');
    assert.match(answer.text, /Simulator answer from `meta-llama\/Meta-Llama-3-8B-Instruct`/);
    const deltas = host.postsOf('delta');
    assert.equal(deltas.map((d) => d.text).join(''), answer.text, 'the deltas add up to the answer');
    // 120 tokens over ~200 ms would be 120 posts one per token; batching sends far fewer.
    assert.ok(deltas.length < 40, `expected coalesced deltas, got ${deltas.length} posts for 120 tokens`);
    assert.equal(session.snapshot().messages.at(-1)?.text, answer.text, 'the session keeps the same text the view has');
    assert.ok(answer.stats?.firstTokenMs !== undefined && answer.stats.totalMs !== undefined);
    assert.ok(answer.stats.totalMs >= answer.stats.firstTokenMs);
    assert.equal(answer.stats.completionTokens, 120);
    assert.equal(session.busy, false);
    assert.deepEqual(host.postsOf('busy').map((b) => b.busy), [true, false]);
    assert.ok(host.saves.at(-1)?.turnEnded, 'the conversation is saved when the turn ends');
    assert.match(host.logLines.join('\n'), /info DeepInfra meta-llama\/Meta-Llama-3-8B-Instruct: done in \d+ ms/);
  });

  it('sends the system prompt and the earlier exchange with a follow-up', async () => {
    const { session } = newSession(sim);
    await session.send('First question');
    await session.send('Second question');
    const requests = sim.requests.filter((r) => r.provider === 'deepinfra');
    assert.equal(requests.length, 2);
    // system + user, then system + user + assistant + user
    assert.equal(requests[0].messageCount, 2);
    assert.equal(requests[1].messageCount, 4);
  });

  it('titles the conversation from the first prompt', async () => {
    const { session } = newSession(sim);
    await session.send('  How do I read a file in Rust?\nWith error handling please.');
    assert.equal(session.snapshot().title, 'How do I read a file in Rust?');
  });

  it('stop cancels at once, keeps the partial answer marked stopped, and closes the connection', async () => {
    sim.configure({ answerTokens: 400, tokensPerSecond: 40 });
    const { host, session } = newSession(sim);
    const sent = session.send('Tell me a long story.');
    await waitFor(() => host.postsOf('delta').length > 0);

    session.stop();
    const afterStop = host.replay().at(-1)!;
    assert.equal(afterStop.status, 'stopped', 'marked stopped synchronously');
    assert.equal(session.busy, false, 'not busy as soon as Stop is pressed');
    await sent;

    const answer = host.replay().at(-1)!;
    assert.equal(answer.status, 'stopped');
    assert.ok(answer.text.length > 0, 'the partial text stays');
    assert.ok(answer.text.length < 400 * 3, 'it did not run to the end');
    await waitFor(() => sim.requests.some((r) => r.closedByClient));
    const deltasAfter = host.postsOf('delta').length;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(host.postsOf('delta').length, deltasAfter, 'nothing more arrives after Stop');
  });

  it('turns a rejected key into an error with Set API Key and Retry, and never shows the key', async () => {
    const { host, session } = newSession(sim);
    const wrongKey = 'sk-wrong-key-0123456789abcdef';
    host.keys.set('deepinfra', wrongKey);

    await session.send('Hello?');

    const answer = host.replay().at(-1)!;
    assert.equal(answer.status, 'error');
    assert.equal(answer.error?.kind, 'badKey');
    assert.deepEqual(answer.error?.actions, ['setApiKey', 'retry']);
    const everything = JSON.stringify([host.posts, host.logLines, host.notices, session.snapshot()]);
    assert.ok(!everything.includes(wrongKey), 'the key appears nowhere the user or the log can see');
    assert.match(host.logLines.join('\n'), /warn DeepInfra .*: error in \d+ ms \(badKey\)/);
  });

  it('offers the billing page when Segmind is out of credits', async () => {
    sim.configure({ credits: 0 });
    const { host, session } = newSession(sim);
    host.settingsValue = { ...host.settingsValue, modelId: SEGMIND_TEXT_MODEL };

    await session.send('Anything');

    const answer = host.replay().at(-1)!;
    assert.equal(answer.error?.kind, 'outOfCredits');
    assert.ok(answer.error?.actions.includes('openBilling'));
    assert.match(answer.error?.billingUrl ?? '', /^https:\/\//);
  });

  it('after Segmind refuses for want of credits, the status bar shows the balance that refusal reported', async () => {
    const { host, session } = newSession(sim);
    host.settingsValue = { ...host.settingsValue, modelId: SEGMIND_TEXT_MODEL };
    // The status bar's own ledger, fed what the session reports, showing the balance read at start.
    const ledger = new CreditsLedger();
    ledger.setBalance({ remaining: 25 });
    host.onReport = (provider, event) => ledger.record(provider, event);
    sim.configure({ credits: 0 });

    await session.send('Anything');

    assert.equal(host.replay().at(-1)?.error?.kind, 'outOfCredits');
    assert.equal(ledger.balance?.remaining, 0, 'the balance in the 406 response replaced the old 25');
  });

  it('shows a working indicator for Segmind and reports its credits', async () => {
    const { host, session } = newSession(sim);
    host.settingsValue = { ...host.settingsValue, modelId: SEGMIND_TEXT_MODEL };

    await session.send('Short answer please');

    const waiting = host.postsOf('update').find((u) => u.patch.status === 'waiting');
    assert.ok(waiting, 'the view is told to show a working indicator');
    assert.equal(typeof waiting.patch.startedAt, 'number');
    const answer = host.replay().at(-1)!;
    assert.equal(answer.status, 'done');
    assert.ok((answer.stats?.creditsConsumed ?? 0) > 0, 'the answer shows what it consumed');
    const credits = host.reported.find((r) => r.event.type === 'credits');
    assert.equal(credits?.provider, 'segmind');
    assert.ok(credits?.event.type === 'credits' && credits.event.credits.remaining < 25, 'the new balance is reported');
  });

  it('reports DeepInfra\'s estimated cost for the status bar and the answer', async () => {
    const { host, session } = newSession(sim);
    await session.send('Cost?');
    const answer = host.replay().at(-1)!;
    assert.ok((answer.stats?.costUsd ?? 0) > 0);
    const usage = host.reported.find((r) => r.event.type === 'usage');
    assert.equal(usage?.provider, 'deepinfra');
    assert.ok(usage?.event.type === 'usage' && usage.event.usage.costUsd === answer.stats?.costUsd);
  });

  it('says it is retrying a rate-limited request, then answers', async () => {
    sim.queueScenario('status-429', 1);
    const { host, session } = newSession(sim);
    await session.send('Again');
    const notes = host.postsOf('update').map((u) => u.patch.note).filter(Boolean);
    assert.ok(notes.some((n) => /^Rate limited, retrying in \d+ s…$/.test(n!)), `notes were ${JSON.stringify(notes)}`);
    const answer = host.replay().at(-1)!;
    assert.equal(answer.status, 'done');
    assert.ok(!answer.note, 'the retry note goes away once text arrives');
  });

  it('regenerate replaces the last answer with a new one for the same prompt', async () => {
    const { host, session } = newSession(sim);
    await session.send('Name a colour.');
    const first = host.replay().at(-1)!;

    await session.regenerate();

    assert.ok(host.postsOf('remove').some((r) => r.ids.includes(first.id)), 'the old answer is removed');
    const messages = host.replay();
    assert.equal(messages.length, 2);
    assert.notEqual(messages[1].id, first.id);
    assert.equal(messages[1].status, 'done');
    const requests = sim.requests.filter((r) => r.provider === 'deepinfra');
    assert.equal(requests.length, 2);
    assert.equal(requests[1].promptChars, requests[0].promptChars, 'the same prompt was asked again');
    assert.equal(requests[1].messageCount, requests[0].messageCount, 'without the old answer');
  });

  it('Retry after an error asks again and clears the error', async () => {
    sim.queueScenario('status-500', 5);
    const { host, session } = newSession(sim);
    await session.send('Will fail first');
    assert.equal(host.replay().at(-1)?.status, 'error');
    const notes = host.postsOf('update').map((u) => u.patch.note).filter(Boolean);
    assert.ok(notes.some((n) => /^Server error \(HTTP 500\), retrying in \d+ s…$/.test(n!)), `notes were ${JSON.stringify(notes)}`);
    sim.reset();
    await session.regenerate();
    const messages = host.replay();
    assert.equal(messages.length, 2);
    assert.equal(messages[1].status, 'done');
    assert.equal(messages[1].error, undefined);
  });

  it('edit last takes the prompt and its images back into the box', async () => {
    const { host, session } = newSession(sim);
    host.settingsValue = { ...host.settingsValue, modelId: VISION_MODEL };
    await session.send('Keep this');
    const image = viewImage();
    await session.send('What is in this picture?', [image]);

    session.editLast();

    const messages = host.replay();
    assert.equal(messages.length, 2, 'the last prompt and its answer are gone');
    assert.equal(messages[0].text, 'Keep this');
    const draft = host.postsOf('setDraft').at(-1)!;
    assert.equal(draft.text, 'What is in this picture?');
    assert.equal(draft.images?.length, 1);
    assert.equal(draft.images?.[0].mime, 'image/png');
    assert.equal(`data:image/png;base64,${draft.images?.[0].base64}`, image.dataUrl);
  });

  it('sends an image to a vision model', async () => {
    const { host, session } = newSession(sim);
    host.settingsValue = { ...host.settingsValue, modelId: VISION_MODEL };
    await session.send('Describe it', [viewImage(80, 60)]);
    const request = sim.requests.find((r) => r.provider === 'deepinfra')!;
    assert.equal(request.imageCount, 1);
    assert.deepEqual(request.imageMimes, ['image/png']);
    assert.equal(host.replay().at(-1)?.status, 'done');
  });

  it('refuses an image for a model that cannot see before any request, naming vision models', async () => {
    const { host, session } = newSession(sim);
    await session.send('What is this?', [viewImage()]);
    assert.equal(sim.requests.length, 0, 'nothing was sent');
    const [user, answer] = host.replay();
    assert.equal(user.text, 'What is this?', 'the prompt stays in the chat');
    assert.equal(answer.error?.kind, 'unsupported');
    assert.match(answer.error?.message ?? '', /cannot see images.*Llama 3\.2 11B Vision/);
    assert.ok(answer.error?.actions.includes('selectModel'));
    assert.ok(answer.error?.actions.includes('retry'), 'after choosing a vision model, Retry sends it');

    host.settingsValue = { ...host.settingsValue, modelId: VISION_MODEL };
    await session.regenerate();
    assert.equal(host.replay().at(-1)?.status, 'done');
    assert.equal(sim.requests[0].imageCount, 1);
  });

  it('runs the Set API Key flow instead of failing when there is no key, then sends', async () => {
    const { host, session } = newSession(sim);
    host.keys.delete('deepinfra');
    host.keyToEnter = sim.validKey;
    await session.send('Hi there');
    assert.deepEqual(host.keyRequests, ['deepinfra']);
    assert.equal(host.replay().at(-1)?.status, 'done');
  });

  it('gives the prompt back when the Set API Key flow is cancelled', async () => {
    const { host, session } = newSession(sim);
    host.settingsValue = { ...host.settingsValue, modelId: VISION_MODEL };
    host.keys.delete('deepinfra');
    await session.send('Do not lose me', [viewImage()]);
    assert.deepEqual(host.keyRequests, ['deepinfra']);
    assert.equal(host.replay().length, 0, 'nothing was added to the chat');
    assert.equal(sim.requests.length, 0);
    const draft = host.postsOf('setDraft').at(-1);
    assert.equal(draft?.text, 'Do not lose me');
    assert.equal(draft?.images?.length, 1);
    assert.equal(session.busy, false);
  });

  it('falls back to the default model, with a note, when the setting names an unknown one', async () => {
    const { host, session } = newSession(sim);
    host.settingsValue = { ...host.settingsValue, modelId: 'deepinfra:gone/Old-Model' };
    await session.send('Which model?');
    const answer = host.replay().at(-1)!;
    assert.equal(answer.modelId, VISION_MODEL);
    assert.match(answer.note ?? '', /“deepinfra:gone\/Old-Model” is not available; using Llama 3\.2 11B Vision Instruct/);
    assert.equal(answer.status, 'done');
  });

  it('allows one request at a time and gives a second prompt back', async () => {
    sim.configure({ answerTokens: 200, tokensPerSecond: 100 });
    const { host, session } = newSession(sim);
    const first = session.send('First');
    await waitFor(() => host.postsOf('delta').length > 0);
    await session.send('Second, too early');
    assert.equal(host.notices.at(-1)?.level, 'warning');
    assert.equal(host.postsOf('setDraft').at(-1)?.text, 'Second, too early');
    session.stop();
    await first;
    assert.equal(sim.requests.length, 1);
  });

  it('keeps a partial answer and shows the error when the stream is cut', async () => {
    sim.queueScenario('cut-mid-stream');
    const { host, session } = newSession(sim);
    await session.send('Cut me off');
    const answer = host.replay().at(-1)!;
    assert.equal(answer.status, 'error');
    assert.ok(answer.text.length > 0, 'what arrived before the cut stays');
    assert.ok(answer.error && answer.error.actions.includes('retry'));
  });

  // ---- issue 12: prompts and chats never lost or crossed ----

  it('keeps a prompt that waits for its API key with its own chat when the user starts a New Chat meanwhile', async () => {
    const { host, session } = newSession(sim);
    await session.send('First question in chat A');
    const chatA = session.conversationForSaving();
    host.keys.delete('deepinfra');
    host.keyToEnter = sim.validKey;
    let typeKey!: () => void;
    host.keyFlowGate = new Promise((resolve) => (typeKey = resolve));

    const sent = session.send('Second question, for chat A');
    await waitFor(() => host.keyRequests.length === 1);
    const chatB = newConversation();
    session.load(chatB); // New Chat while the key box is open
    typeKey();
    await sent;

    assert.equal(session.conversationId, chatB.id);
    assert.deepEqual(session.snapshot().messages, [], 'nothing of chat A lands in the new chat');
    assert.equal(sim.requests.length, 1, 'no request went out with chat A\'s history for chat B');
    const [, , prompt, answer] = chatA.messages;
    assert.equal(prompt?.text, 'Second question, for chat A', 'the prompt stays in the chat it was typed in');
    assert.deepEqual(answer?.error?.actions, ['retry'], 'with a Retry that sends it');
    assert.ok(host.saves.some((s) => s.conversation.id === chatA.id && s.turnEnded && s.conversation.messages.length === 4), 'chat A is saved with it');
    assert.ok(!host.posts.slice(-3).some((p) => p.type === 'append'), 'the view of chat B is not told about it');

    session.load(chatA);
    await session.regenerate();
    assert.equal(session.snapshot().messages.at(-1)?.status, 'done');
    assert.equal(sim.requests.at(-1)?.messageCount, 4, 'Retry asks with chat A\'s own history');
  });

  it('a prompt waiting for its key is answered in its chat when that chat is reopened meanwhile', async () => {
    const { host, session } = newSession(sim);
    await session.send('First question');
    const saved = structuredClone(session.conversationForSaving());
    host.keys.delete('deepinfra');
    host.keyToEnter = sim.validKey;
    let typeKey!: () => void;
    host.keyFlowGate = new Promise((resolve) => (typeKey = resolve));
    const sent = session.send('Second question');
    await waitFor(() => host.keyRequests.length === 1);
    session.load(newConversation());
    session.load(saved); // back to the same chat, read again from history
    typeKey();
    await sent;
    const messages = session.snapshot().messages;
    assert.deepEqual(messages.map((m) => m.text.slice(0, 15)), ['First question', messages[1].text.slice(0, 15), 'Second question', messages[3].text.slice(0, 15)]);
    assert.equal(messages[3].status, 'done', 'answered in the chat on screen');
  });

  it('a failed Regenerate keeps the good answer it was meant to replace', async () => {
    const { host, session } = newSession(sim);
    await session.send('Name a colour.');
    const good = host.replay().at(-1)!;
    assert.equal(good.status, 'done');

    sim.queueScenario('status-500', 5);
    await session.regenerate();

    const messages = host.replay();
    assert.equal(messages.length, 2, 'no failed answer added');
    assert.equal(messages[1].id, good.id);
    assert.equal(messages[1].text, good.text, 'the good answer is still there');
    assert.deepEqual(session.snapshot().messages, messages, 'and in the session the history saves');
    assert.equal(host.notices.at(-1)?.level, 'error');
    assert.match(host.notices.at(-1)?.message ?? '', /Regenerate failed.*previous answer is kept/);
  });

  it('Regenerate shows the old answer until the new one has text', async () => {
    const { host, session } = newSession(sim);
    await session.send('Name a colour.');
    const old = host.replay().at(-1)!;
    host.posts.length = 0;
    sim.queueScenario('status-429', 1);
    const regenerating = session.regenerate();
    // Rate limited first: a retry note, no text yet. Read from the order of what was posted, not
    // by polling: with the tests' short backoff a loaded machine can finish the retry between polls.
    await regenerating;
    const note = host.posts.findIndex((p) => p.type === 'update' && /Rate limited/.test(p.patch.note ?? ''));
    const firstDelta = host.posts.findIndex((p) => p.type === 'delta');
    const removed = host.posts.findIndex((p) => p.type === 'remove' && p.ids.includes(old.id));
    assert.ok(note >= 0, 'the retry note was shown');
    assert.ok(note < removed, 'the old answer stays while nothing new has come');
    assert.equal(removed, firstDelta - 1, 'it goes as the first new text arrives');
    assert.deepEqual(session.snapshot().messages.map((m) => m.status ?? m.role), ['user', 'done']);
  });

  it('a chat saved with a malformed field still shows its messages and answers a new prompt', async () => {
    const saved = reviveConversation({
      id: 'c-bad',
      title: 'Old chat',
      createdAt: 1,
      updatedAt: 2,
      messages: [
        { id: 'u1', role: 'user', text: 'Earlier question', images: 'not a list' },
        { id: 'a1', role: 'assistant', text: 'Earlier answer', status: 'done', stats: 'oops' },
      ],
    })!;
    assert.equal(saved.messages.length, 2);
    const host = new TestHost(sim);
    const session = new ChatSession(host, saved);
    await session.send('New question');
    assert.equal(session.snapshot().messages.at(-1)?.status, 'done');
    assert.equal(sim.requests[0].messageCount, 4, 'the earlier exchange is context');
  });

  it('never loses a prompt on an unexpected error: it goes back to the prompt box, with a message', async () => {
    const host = new TestHost(sim);
    host.settingsValue = { ...host.settingsValue, modelId: VISION_MODEL };
    const broken = newConversation();
    // Not from disk (that is validated): an in-memory message another bug could have left malformed.
    broken.messages.push({ id: 'u0', role: 'user', text: 'x', images: {} as unknown as ViewImage[] } as ViewMessage);
    const session = new ChatSession(host, broken);
    const image = viewImage();

    await session.send('Please keep me', [image]);

    const draft = host.postsOf('setDraft').at(-1);
    assert.equal(draft?.text, 'Please keep me');
    assert.equal(draft?.images?.length, 1);
    assert.equal(host.notices.at(-1)?.level, 'error');
    assert.match(host.notices.at(-1)?.message ?? '', /prompt is back in the box/);
    assert.match(host.logLines.join('\n'), /error .*unexpected/i);
    assert.equal(session.busy, false);
  });

  it('refuses a prompt that would take the chat past its size limit, keeping it in the box', async () => {
    const host = new TestHost(sim);
    host.settingsValue = { ...host.settingsValue, modelId: VISION_MODEL };
    const session = new ChatSession(host, newConversation(), { maxChatBytes: 64 * 1024 });
    await session.send('A first question that fits');
    const big = { ...viewImage(), dataUrl: `data:image/png;base64,${Buffer.alloc(80 * 1024, 7).toString('base64')}`, bytes: 80 * 1024 };

    await session.send('And this photo?', [big]);

    assert.equal(sim.requests.length, 1, 'nothing sent');
    assert.equal(session.snapshot().messages.length, 2, 'the chat is as it was');
    assert.equal(host.postsOf('setDraft').at(-1)?.text, 'And this photo?');
    assert.equal(host.postsOf('setDraft').at(-1)?.images?.length, 1);
    assert.equal(host.notices.at(-1)?.level, 'warning');
    assert.match(host.notices.at(-1)?.message ?? '', /size limit \(64 KB.*New Chat/);
  });
});
