// The provider table: every provider the extension speaks to, one descriptor each. Nothing else in
// the code names a provider; it asks the table.

import { DEEPINFRA } from './deepinfra';
import type { ProviderDescriptor } from './descriptor';
import { OPENAI_COMPATIBLE } from './openaiCompatible';
import { SEGMIND } from './segmind';

export type { CatalogSource, ProviderDescriptor } from './descriptor';

/** In the order the UI lists them. */
export const PROVIDERS = [SEGMIND, DEEPINFRA, OPENAI_COMPATIBLE] as const;

export type ProviderId = (typeof PROVIDERS)[number]['id'];

export const PROVIDER_IDS: readonly ProviderId[] = PROVIDERS.map((p) => p.id);

const BY_ID: ReadonlyMap<string, ProviderDescriptor<ProviderId>> = new Map(PROVIDERS.map((p) => [p.id, p]));

export function providerInfo(id: ProviderId): ProviderDescriptor<ProviderId> {
  return BY_ID.get(id)!;
}

/** For ids that come from outside (settings, saved chats, messages from the webview). */
export function isProviderId(value: unknown): value is ProviderId {
  return typeof value === 'string' && BY_ID.has(value);
}

/** The name as the UI shows it: "DeepInfra". */
export function providerName(id: ProviderId): string {
  return providerInfo(id).name;
}

/** The provider inside a sentence: "DeepInfra", "the OpenAI-compatible server". */
export function providerMention(id: ProviderId): string {
  const p = providerInfo(id);
  return p.inSentence ?? p.name;
}

/** The provider as the subject of a sentence: "DeepInfra", "The OpenAI-compatible server". */
export function providerSubject(id: ProviderId): string {
  const m = providerMention(id);
  return m.charAt(0).toUpperCase() + m.slice(1);
}

/** The provider whose account balance the status bar shows (the one that reports one). */
export const BALANCE_PROVIDER: ProviderId | undefined = PROVIDERS.find((p) => p.reportsBalance)?.id;
