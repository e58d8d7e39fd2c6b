// A reasoning model's thinking in the chat: streamed to the view apart from the answer, timed, kept
// with the answer (history, export), and never sent back to a model, as the simulator sees the
// next request.

import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildCatalog } from '../../../src/core/catalog';
import { parseDeepInfraListing } from '../../../src/core/modelListings';
import { REASONING_LIMIT_CHARS } from '../../../src/core/types';
import { newConversation, reviveConversation } from '../../../src/extension/conversation';
import { renderChatMarkdown } from '../../../src/extension/exportMarkdown';
import { ConversationStore } from '../../../src/extension/history';
import { ChatSession } from '../../../src/extension/session';
import { REASONING_MARK } from '../../../src/simulator/reasoning';
import { deepinfraListing } from '../../../src/simulator/listings';
import { TestHost, useSimulator, waitFor } from './harness';

const R1 = 'deepinfra:deepseek-ai/DeepSeek-R1';
const DISTILL = 'deepinfra:deepseek-ai/DeepSeek-R1-Distill-Llama-70B';

describe('reasoning in the chat (against the simulator)', () => {
  const sim = useSimulator();
  // The live DeepInfra listing, as the extension would have fetched it from the simulator.
  const catalog = buildCatalog([], { deepinfra: parseDeepInfraListing(deepinfraListing()) });

  function reasoningSession(modelId: string): { host: TestHost; session: ChatSession } {
    const host = new TestHost(sim);
    host.catalog = () => catalog;
    host.settingsValue = { ...host.settingsValue, modelId };
    return { host, session: new ChatSession(host, newConversation()) };
  }

  for (const [name, modelId] of [
    ['reasoning_content', R1],
    ['<think> tags', DISTILL],
  ] as const) {
    it(`streams the thinking (${name}) apart from the answer, times it, and never sends it back`, async () => {
      sim.configure({ answerTokens: 30, tokensPerSecond: 400 });
      const { host, session } = reasoningSession(modelId);

      await session.send('What is a closure?');
      const answer = host.replay().at(-1)!;
      assert.equal(answer.status, 'done');
      assert.ok(answer.reasoning?.startsWith(`${REASONING_MARK} for turn 1`), answer.reasoning);
      assert.match(answer.text, /^Simulator answer from/);
      assert.ok(!answer.text.includes(REASONING_MARK) && !answer.text.includes('think>'), 'no reasoning in the answer');
      const deltas = host.postsOf('reasoningDelta');
      assert.ok(deltas.length >= 1 && deltas.length < 40, `coalesced reasoning deltas: ${deltas.length}`);
      assert.equal(deltas.map((d) => d.text).join(''), answer.reasoning);
      // The thinking came first: every reasoning post is before the first text post.
      const firstText = host.posts.findIndex((p) => p.type === 'delta');
      assert.ok(host.posts.slice(firstText).every((p) => p.type !== 'reasoningDelta'));
      assert.ok(answer.stats?.reasoningMs !== undefined && answer.stats.reasoningMs <= answer.stats.totalMs!);
      assert.equal(session.snapshot().messages.at(-1)?.reasoning, answer.reasoning, 'the session keeps what the view shows');

      await session.send('And in Rust?');
      const [first, second] = sim.requests.filter((r) => r.path.endsWith('/chat/completions'));
      assert.equal(first.reasoningFields, 0);
      assert.deepEqual(second.roles, ['system', 'user', 'assistant', 'user'], 'the earlier answer is context');
      assert.equal(second.reasoningFields, 0, 'no message carries a reasoning field');
      assert.equal(second.assistantTexts.length, 1);
      assert.ok(second.assistantTexts[0].startsWith('Simulator answer from'), second.assistantTexts[0].slice(0, 60));
      assert.ok(!second.assistantTexts[0].includes(REASONING_MARK) && !second.assistantTexts[0].includes('<think>'), 'the reasoning is not sent back');
      assert.ok(host.replay().at(-1)?.reasoning?.startsWith(`${REASONING_MARK} for turn 2`));
    });
  }

  it('keeps the thinking of an answer stopped while the model was still thinking', async () => {
    sim.configure({ answerTokens: 30, tokensPerSecond: 20 });
    const { host, session } = reasoningSession(R1);
    const sent = session.send('Think slowly.');
    await waitFor(() => host.postsOf('reasoningDelta').length > 0);
    session.stop();
    await sent;
    const answer = host.replay().at(-1)!;
    assert.equal(answer.status, 'stopped');
    assert.equal(answer.text, '');
    assert.match(answer.reasoning ?? '', /^Simulated/, 'the thinking so far stays');
    assert.ok(answer.stats?.reasoningMs !== undefined);
  });
});

describe('reasoning in saved chats and exports', () => {
  const saved = {
    id: 'c1',
    title: 'Closures',
    createdAt: 1,
    updatedAt: 2,
    messages: [
      { id: 'u1', role: 'user', text: 'What is a closure?', reasoning: 'a user message does not think' },
      {
        id: 'a1',
        role: 'assistant',
        text: 'A function with its scope.',
        reasoning: 'The user asks about **closures**.\n\n```js\nunclosed fence\n</details>\n<script>alert(1)</script>',
        status: 'done',
        stats: { reasoningMs: 4200, totalMs: 6000 },
      },
      { id: 'a2', role: 'assistant', text: 'x', reasoning: 42, status: 'done' },
    ],
  };

  it('keeps an answer’s reasoning and its time through a save and load, and drops what is not an answer’s text', () => {
    const revived = reviveConversation(JSON.parse(JSON.stringify(saved)))!;
    assert.equal(revived.messages[0].reasoning, undefined, 'a prompt has no reasoning');
    assert.equal(revived.messages[1].reasoning, saved.messages[1].reasoning);
    assert.equal(revived.messages[1].stats?.reasoningMs, 4200);
    assert.equal(revived.messages[2].reasoning, undefined, 'a reasoning that is not text is dropped, the answer kept');
    assert.equal(revived.messages[2].text, 'x');
    const again = reviveConversation(JSON.parse(JSON.stringify(revived)))!;
    assert.deepEqual(again, revived, 'a second round trip changes nothing');
  });

  it('saves an answer’s reasoning to disk and reads it back in a new window', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vision-chat-reasoning-'));
    try {
      const conversation = reviveConversation(saved)!;
      const log = { warn: (m: string) => assert.fail(m) };
      await new ConversationStore(dir, log).save(conversation, true);
      assert.deepEqual(await new ConversationStore(dir, log).load(conversation.id), conversation);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('cuts a saved reasoning longer than any model could send', () => {
    const huge = { ...saved, messages: [{ id: 'a', role: 'assistant', text: 'ok', reasoning: 'y'.repeat(REASONING_LIMIT_CHARS + 10), status: 'done' }] };
    assert.equal(reviveConversation(huge)!.messages[0].reasoning?.length, REASONING_LIMIT_CHARS);
  });

  it('exports the reasoning collapsed above the answer, quoted so nothing in it escapes', () => {
    const { markdown } = renderChatMarkdown(reviveConversation(saved)!, 'closures', { exportedAt: new Date('2026-12-01') });
    const block = markdown.slice(markdown.indexOf('<details>'), markdown.indexOf('</details>') + '</details>'.length);
    assert.equal(
      block,
      [
        '<details>',
        '<summary>Thinking (4.2 s)</summary>',
        '',
        '> The user asks about **closures**.',
        '>',
        '> ```js',
        '> unclosed fence',
        '> &lt;/details>',
        '> <script>alert(1)</script>',
        '',
        '</details>',
      ].join('\n'),
    );
    assert.ok(markdown.indexOf('</details>') < markdown.indexOf('A function with its scope.'), 'above the answer');
    assert.equal(markdown.split('<details>').length, 2, 'only the answer that thought has a Thinking block');
  });
});
