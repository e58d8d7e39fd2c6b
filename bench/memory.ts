// Memory: the extension host's chat session (src/extension/session.ts, plain Node) streams 200
// answers from the simulator through the real DeepInfra client; heapUsed after a full GC, after
// the first answer and after the 200th. The simulator runs in its own process so its heap is not
// counted. Run with --expose-gc (run.mjs does).

import type { Catalog } from '../src/core/catalog';
import type { ChatEvent, ChatProvider, ModelInfo } from '../src/core/types';
import type { Conversation } from '../src/extension/conversation';
import type { SessionHost, SessionSettings } from '../src/extension/session';
import type { HostMessage } from '../src/protocol';
import { kb, log, quick, report, requireFiles, run, startSimulatorProcess } from './lib';

const ANSWERS = quick ? 50 : 200;
const ANSWER_TOKENS = 300;
const BUDGET_BYTES = 30 * 1024 * 1024;
/** Long context, so 200 turns of history still fit in a request. */
const MODEL_ID = 'deepinfra:meta-llama/Llama-3.2-11B-Vision-Instruct';

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench does)');
  // Twice: the first pass may only queue finalizers that free more on the second.
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

run(async () => {
  requireFiles('memory', ['src/extension/session.ts', 'src/simulator/cli.ts']);
  const { buildCatalog } = await import('../src/core/catalog');
  const { createProvider } = await import('../src/core/providers');
  const { newConversation } = await import('../src/extension/conversation');
  const { ChatSession } = await import('../src/extension/session');

  const sim = await startSimulatorProcess();
  await sim.configure({ tokensPerSecond: 0, answerTokens: ANSWER_TOKENS });
  try {
    const catalog = buildCatalog([]);
    const settings: SessionSettings = { modelId: MODEL_ID, systemPrompt: 'Be brief.', temperature: 0.5, maxTokens: 1024 };
    let posts = 0;
    let failures = 0;
    /** What the extension's host does, minus VS Code: posts go to the (absent) view, the conversation is kept as the history store would. */
    const host: SessionHost = {
      post: (_message: HostMessage) => void posts++,
      catalog: (): Catalog => catalog,
      settings: () => settings,
      providerFor: async (model: ModelInfo): Promise<ChatProvider> => createProvider(model.provider, { baseUrl: sim.deepinfraBaseUrl, apiKey: sim.validKey }),
      requestApiKey: async () => false,
      reportCredits: (_provider, _event: ChatEvent) => undefined,
      conversationChanged: (_conversation: Conversation, _turnEnded: boolean) => undefined,
      notify: (level, message) => {
        if (level === 'error') failures++;
        log(`${level}: ${message}`);
      },
      log: { info: () => undefined, warn: (m) => log(`warn: ${m}`), error: (m) => log(`error: ${m}`) },
    };
    const session = new ChatSession(host, newConversation());

    let afterFirst = 0;
    for (let answer = 1; answer <= ANSWERS; answer++) {
      await session.send(`Question ${answer}: how do I debounce a function in TypeScript?`);
      if (answer === 1) afterFirst = heapAfterGc();
    }
    const afterAll = heapAfterGc();
    const messages = session.snapshot().messages;
    const failed = messages.filter((m) => m.role === 'assistant' && m.status !== 'done').length + failures;
    if (failed) throw new Error(`${failed} of ${ANSWERS} answers did not complete: the figure would not mean anything`);
    const conversationChars = messages.reduce((sum, m) => sum + m.text.length, 0);
    const growth = afterAll - afterFirst;
    log(`${ANSWERS} answers, ${posts} posts; heap ${kb(afterFirst)} → ${kb(afterAll)}`);
    report({
      what: `heap growth, ${ANSWERS} answers vs 1`,
      value: kb(growth),
      budget: `≤ ${kb(BUDGET_BYTES)}`,
      ok: growth <= BUDGET_BYTES,
      note: `heapUsed after GC ${kb(afterFirst)} → ${kb(afterAll)}; one chat of ${messages.length} messages holds ${kb(conversationChars)} of text, which it must keep`,
    });
  } finally {
    await sim.close();
  }
});
