// The entry point of the provider core: one factory, the defaults, and `collect` for callers that
// want the whole answer rather than the events (tests, benchmarks, one-shot features).

import { OpenAICompatibleProvider } from './openaiCompatible';
import { providerInfo } from './providerTable';
import { SegmindProvider } from './segmind';
import type { ChatEvent, ChatProvider, Credits, ProviderConfig, ProviderId, Usage } from './types';

export { billingUrl } from './errors';
export { DEFAULT_RETRY, DEFAULT_TIMEOUTS, closeDispatchers } from './http';

/** The client the provider table names for this provider. */
export function createProvider(id: ProviderId, config: ProviderConfig): ChatProvider {
  const descriptor = providerInfo(id);
  switch (descriptor.api) {
    case 'segmind':
      return new SegmindProvider(descriptor, config);
    case 'openai':
      return new OpenAICompatibleProvider(descriptor, config);
  }
}

export interface Collected {
  readonly text: string;
  /** The model's reasoning, '' when it sent none. */
  readonly reasoning: string;
  readonly usage?: Usage;
  /** The last balance reported. */
  readonly credits?: Credits;
  readonly finishReason?: string;
  readonly outcome: 'complete' | 'cancelled';
  /** How many `retry` events came before the answer. */
  readonly retries: number;
  /** Whether the provider made us wait for the whole answer (a `waiting` event came). */
  readonly waited: boolean;
  /** How many `delta` events carried the text. */
  readonly deltas: number;
}

/** Runs a stream to its end. Throws what the stream throws (a ProviderError). */
export async function collect(stream: AsyncIterable<ChatEvent>): Promise<Collected> {
  const parts: string[] = [];
  let reasoning = '';
  let usage: Usage | undefined;
  let credits: Credits | undefined;
  let finishReason: string | undefined;
  let outcome: Collected['outcome'] = 'complete';
  let retries = 0;
  let waited = false;
  for await (const event of stream) {
    switch (event.type) {
      case 'delta':
        parts.push(event.text);
        break;
      case 'reasoning':
        reasoning += event.text;
        break;
      case 'usage':
        usage = event.usage;
        break;
      case 'credits':
        credits = event.credits;
        break;
      case 'retry':
        retries++;
        break;
      case 'waiting':
        waited = true;
        break;
      case 'end':
        outcome = event.outcome;
        finishReason = event.finishReason;
        break;
    }
  }
  return { text: parts.join(''), reasoning, usage, credits, finishReason, outcome, retries, waited, deltas: parts.length };
}
