// The seams between the extension's parts. `extension.ts` builds one `Services` at activation and
// hands it to each feature's `register…(services)` function; features talk to each other only here.

import type * as vscode from 'vscode';
import type { Catalog } from '../core/catalog';
import type { ChatEvent, ChatProvider, ModelInfo, ProviderId } from '../core/types';
import type { CatalogNotes, RawImage } from '../protocol';

/** Where the key in use came from, so the UI can say so. */
/** `simulator`: the provider simulator's key that `npm start` hands over (keys.ts), never the user's. */
export type KeySource = 'secretStorage' | 'environment' | 'simulator' | 'none';

export interface KeyStore {
  /** The key for a provider: SecretStorage first, then SEGMIND_API_KEY / DEEPINFRA_TOKEN. */
  get(provider: ProviderId): Promise<{ key?: string; source: KeySource }>;
  /** Trims; refuses to store an empty key. */
  set(provider: ProviderId, key: string): Promise<void>;
  delete(provider: ProviderId): Promise<void>;
  readonly onDidChange: vscode.Event<ProviderId>;
}

export interface Settings {
  readonly modelId: string;
  readonly visionModelId: string;
  readonly temperature: number;
  readonly maxTokens: number;
  readonly systemPrompt: string;
  readonly requestTimeoutMs: number;
  readonly warnBelow: number;
  /** US dollars a day; undefined when off (unset, null, 0). */
  readonly spendLimitPerDay: number | undefined;
  readonly revealWithoutFocus: boolean;
  /** Whether models that call tools by prompt (Segmind's Llama) are offered with tools. */
  readonly promptedTools: boolean;
  baseUrl(provider: ProviderId): string;
  setModelId(id: string): Thenable<void>;
  /** Fires after any `visionChat.*` (or `http.proxy`) setting changed. */
  readonly onDidChange: vscode.Event<void>;
}

/** Feeds the status bar: every request's credits and cost events go through here. */
export interface CreditsReporter {
  report(provider: ProviderId, event: ChatEvent): void;
  refresh(): Promise<void>;
  /** The local day's US-dollar spend so far, every window's. */
  spentTodayUsd(): number;
}

/** What other features may ask of the chat panel. */
export interface ChatPanel {
  /** Reveals the view (without focus when `preserveFocus`) and sends a text prompt as a new turn. */
  ask(prompt: string, options?: { modelId?: string; preserveFocus?: boolean; note?: string }): Promise<void>;
  /** Reveals the view, prepares the images in the webview and sends them with the prompt. */
  askWithImages(prompt: string, images: readonly RawImage[], options?: { modelId?: string; note?: string }): Promise<void>;
}

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly keys: KeyStore;
  readonly settings: Settings;
  /** The built-in models, the providers' listings and the user's OpenAI-compatible ones, rebuilt when any changes. */
  catalog(): Catalog;
  /** Reads the listings that are stale or missing (in the background; never at activation). */
  refreshCatalogs(force?: boolean): Promise<void>;
  /** The listings kept from earlier sessions: a disk read, no request. */
  loadStoredCatalogs(): Promise<void>;
  /** Per provider, why its listing is missing or old. */
  catalogNotes(): CatalogNotes;
  /** Fires when a listing was read or failed, or a model retired. */
  readonly onDidChangeCatalog: vscode.Event<void>;
  /** A provider client configured from settings and the stored key (throws ProviderError `noKey` when a key is needed and missing). */
  providerFor(model: ModelInfo): Promise<ChatProvider>;
  readonly credits: CreditsReporter;
  readonly chat: ChatPanel;
  /** Opens the Set API Key flow, for a given provider or with a quick pick of them. */
  setApiKey(provider?: ProviderId): Promise<boolean>;
  /** Asks before a request that would pass `visionChat.spendLimitPerDay`; true when it may be sent. */
  confirmSpend(model: ModelInfo, estimateInputTokens: () => number): Promise<boolean>;
  /** The same for a Language Model request (VS Code's Chat, other extensions): Send Anyway holds for a few minutes. */
  confirmLanguageModelSpend(model: ModelInfo, estimateInputTokens: () => number): Promise<boolean>;
}
