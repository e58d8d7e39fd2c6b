// The prompt box's "≈ $… to send" on a priced model: the chat so far and the draft, counted with the
// extension's own estimate; nothing for a model without a price or an empty box.

import assert from 'node:assert/strict';
import type { ModelOption } from '../../../src/protocol';
import { estimateMessageTokens, TOKENS_PER_REQUEST } from '../../../src/shared/tokenEstimate';
import { MODELS, conversation, state } from '../../webview/fixtures';
import { useWebviewSuite, type WebviewPage } from '../../webview/harness';

const PRICED: ModelOption = { ...MODELS[2]!, id: 'deepinfra:priced/model', displayName: 'Priced Model', pricing: { inputPerMillion: 2, outputPerMillion: 6 } };

describe('webview send cost', function () {
  this.timeout(30_000);
  const getView = useWebviewSuite('webview send cost', 'ovc-webview-cost-');
  let view: WebviewPage;
  beforeEach(() => (view = getView()));

  const cost = () => view.page.locator('.composer-cost');
  /** Dollars the view should show for this chat and draft, at $2 per million input tokens. */
  const expected = (history: readonly { text: string }[], draft: string) => {
    const identity = { providerModelId: PRICED.id, vision: false };
    const tokens = TOKENS_PER_REQUEST + history.reduce((n, m) => n + estimateMessageTokens({ content: m.text }, identity), 0) + estimateMessageTokens({ content: draft }, identity);
    return (tokens * 2) / 1_000_000;
  };
  const shownUsd = async () => Number(/^≈ \$([\d.]+) to send$/.exec(await cost().innerText())?.[1]);

  it('shows what the chat and the draft would cost, and follows the draft and the chat', async () => {
    const history = conversation(6);
    await view.send({ type: 'state', state: state(history, { models: [...MODELS, PRICED], modelId: PRICED.id }) });
    assert.equal(await cost().isHidden(), true, 'nothing to send, nothing shown');
    const draft = 'How would I cancel the pending call when the component unmounts?';
    await view.page.locator('textarea').fill(draft);
    const first = await shownUsd();
    assert.ok(Math.abs(first - expected(history, draft)) / expected(history, draft) < 0.01, `${first} vs ${expected(history, draft)}`);
    assert.match((await cost().getAttribute('title'))!, /input tokens \(the chat so far and this prompt with its attachments\) at \$2 per million on Priced Model\. The answer's tokens cost \$6 per million on top\./);

    await view.page.locator('textarea').fill(draft + ' '.repeat(1) + 'word '.repeat(400));
    assert.ok((await shownUsd()) > first, 'a longer draft costs more');

    // The chat grows: the next prompt carries the answer too.
    await view.page.locator('textarea').fill(draft);
    await view.send(
      { type: 'append', message: { id: 'a9', role: 'assistant', text: '', status: 'streaming' } },
      { type: 'delta', id: 'a9', text: 'A long answer. '.repeat(300) },
      { type: 'update', id: 'a9', patch: { status: 'done' } },
    );
    assert.ok((await shownUsd()) > first, 'the answer counts once it is in the chat');
  });

  it('counts the files attached as context', async () => {
    await view.send({ type: 'state', state: state([], { models: [...MODELS, PRICED], modelId: PRICED.id }) });
    await view.page.locator('textarea').fill('Explain it.');
    const bare = await shownUsd();
    await view.send({ type: 'addContext', chips: [{ id: 'c1', kind: 'file', label: 'src/app.ts', tokens: 50_000 }] });
    await view.page.locator('.context-chip').first().waitFor();
    assert.ok(Math.abs((await shownUsd()) - bare - 0.1) < 0.0001, 'fifty thousand tokens at $2 per million: $0.10 more');
  });

  it('shows nothing for a model without a price', async () => {
    await view.send({ type: 'state', state: state(conversation(2), { modelId: MODELS[2]!.id }) });
    await view.page.locator('textarea').fill('hello');
    assert.equal(await cost().isHidden(), true);
    await view.send({ type: 'models', models: [...MODELS, PRICED], modelId: PRICED.id });
    assert.equal(await cost().isHidden(), false, 'a priced model chosen: the cost shows');
  });
});
