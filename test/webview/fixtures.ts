// Sample data for the webview's tests, screenshots and benchmarks.

import type { ModelOption, ViewMessage, ViewState } from '../../src/protocol';

export const MODELS: readonly ModelOption[] = [
  { id: 'deepinfra:meta-llama/Llama-3.2-11B-Vision-Instruct', displayName: 'Llama 3.2 11B Vision Instruct', provider: 'deepinfra', providerName: 'DeepInfra', vision: true, maxImages: 1, maxImageSide: 1120, hasKey: true },
  { id: 'deepinfra:meta-llama/Llama-3.2-90B-Vision-Instruct', displayName: 'Llama 3.2 90B Vision Instruct', provider: 'deepinfra', providerName: 'DeepInfra', vision: true, maxImages: 1, maxImageSide: 1120, hasKey: true },
  { id: 'deepinfra:meta-llama/Meta-Llama-3-8B-Instruct', displayName: 'Llama 3 8B Instruct', provider: 'deepinfra', providerName: 'DeepInfra', vision: false, maxImages: 0, hasKey: true },
  { id: 'segmind:llama-v3p2-90b-vision-instruct', displayName: 'Llama 3.2 90B Vision Instruct', provider: 'segmind', providerName: 'Segmind', vision: true, maxImages: 1, maxImageSide: 1120, hasKey: false },
  { id: 'segmind:llava-v1.6', displayName: 'LLaVA 1.6 7B', provider: 'segmind', providerName: 'Segmind', vision: true, maxImages: 1, maxImageSide: 1120, hasKey: false },
];

/**
 * A catalog as big as a large provider listing: `count` priced DeepInfra models (every third sees
 * images, every second calls tools, contexts from 8K to 128K), then the built-in ones above.
 * Model `i` is named "Catalog Model {i} …B Instruct" and has the id `deepinfra:catalog/model-{i}`.
 */
export function manyModels(count: number): ModelOption[] {
  const listed: ModelOption[] = [];
  for (let i = 0; i < count; i++) {
    listed.push({
      id: `deepinfra:catalog/model-${i}`,
      displayName: `Catalog Model ${i} ${(i % 9) + 1}B Instruct`,
      provider: 'deepinfra',
      providerName: 'DeepInfra',
      vision: i % 3 === 0,
      maxImages: i % 3 === 0 ? 1 : 0,
      hasKey: true,
      contextLength: 8192 * (1 + (i % 16)),
      pricing: { inputPerMillion: 0.02 + (i % 50) / 100, outputPerMillion: 0.06 + (i % 50) / 50 },
      tools: i % 2 === 0,
    });
  }
  return [...MODELS.filter((m) => m.provider === 'deepinfra'), ...listed, ...MODELS.filter((m) => m.provider !== 'deepinfra')];
}

export const VISION_MODEL_ID = MODELS[0]!.id;
export const TEXT_MODEL_ID = MODELS[2]!.id;

export function state(messages: readonly ViewMessage[] = [], overrides: Partial<ViewState> = {}): ViewState {
  return { conversationId: 'c1', title: 'Chat', messages, models: MODELS, modelId: VISION_MODEL_ID, busy: false, ...overrides };
}

export const SAMPLE_ANSWER = `Here is a debounce helper in **TypeScript**. It delays calls until the input has been quiet for \`ms\` milliseconds:

\`\`\`ts
export function debounce<T extends unknown[]>(fn: (...args: T) => void, ms = 250) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: T) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms); // last call wins
  };
}
\`\`\`

- Use it for search boxes and resize handlers.
- See [MDN on setTimeout](https://developer.mozilla.org/docs/Web/API/setTimeout).

| Option | Default |
| --- | --- |
| \`ms\` | 250 |
`;

/** A conversation of `count` messages alternating prompt and answer, each answer with code. */
export function conversation(count: number): ViewMessage[] {
  const messages: ViewMessage[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) {
      messages.push({ id: `m${i}`, role: 'user', text: `Question ${i}: how do I debounce a function?` });
    } else {
      messages.push({
        id: `m${i}`,
        role: 'assistant',
        text: `Answer ${i}. ${SAMPLE_ANSWER}`,
        modelId: VISION_MODEL_ID,
        modelName: 'Llama 3.2 11B Vision Instruct',
        status: 'done',
        stats: { promptTokens: 812, completionTokens: 164, costUsd: 0.0000488, firstTokenMs: 420, totalMs: 2310 },
      });
    }
  }
  return messages;
}

/** Long unbreakable text in every place a message shows text: nothing may run past a 300 px side bar. */
export function unbreakableMessages(): ViewMessage[] {
  const url = 'https://cloud.segmind.com/console/billing?utm_source=open-vision-chat&account=0123456789abcdef0123456789abcdef';
  const file = '/home/someone/projects/a-very-long-repository-name/src/some/deeply/nested/folder/with/AVeryLongComponentName.tsx';
  return [
    { id: 'n1', role: 'user', text: `Why does ${file} fail? See ${url}`, note: `Using a model picked for images: ${file}` },
    {
      id: 'n2', role: 'assistant', modelName: 'meta-llama/Llama-3.2-90B-Vision-Instruct-Turbo-with-a-long-name', status: 'done',
      text: `Open [${url}](${url}) or run \`${file}\`. A long word: ${'x'.repeat(80)}.`,
      stats: { promptTokens: 123_456_789, completionTokens: 98_765_432, costUsd: 12.3456789, creditsConsumed: 0.123456, firstTokenMs: 123_456, totalMs: 9_876_543 },
    },
    { id: 'n3', role: 'user', text: 'Try again on Segmind' },
    {
      id: 'n4', role: 'assistant', text: '', modelName: 'Llama 3.2 90B Vision Instruct', status: 'error',
      error: { kind: 'outOfCredits', message: `Segmind says the account is out of credits: top up at ${url}, then retry.`, detail: `HTTP 406 from ${url}: {"error":"${'Insufficient_credits_'.repeat(6)}"}`, actions: ['openBilling', 'retry', 'selectModel'], billingUrl: url },
    },
  ];
}
