// What the extension knows of one provider, in one place. Every other module reads these facts
// from the table (./index.ts) instead of naming a provider: adding a provider is one descriptor
// file and one line in the table (plus its base URL setting in package.json, which a test checks).
// Data only: no client code here, so reading the table at activation costs nothing.

import type { ErrorKind } from '../errors';

/** Where a provider's model list comes from. */
export type CatalogSource =
  /** No listing endpoint: the curated models in core/catalog.ts are the list. */
  | { readonly kind: 'curated' }
  /** DeepInfra's `GET {base}/models`: ids with metadata (context, pricing, tags), answered without a key. */
  | { readonly kind: 'deepinfra'; readonly path: string }
  /** OpenAI's `GET {base}/models`; Ollama's `/api/show` details are asked for where the server answers them. */
  | { readonly kind: 'openai'; readonly path: string; readonly ollamaDetails: boolean };

export interface ProviderDescriptor<Id extends string = string> {
  readonly id: Id;
  /** As the UI names it: "DeepInfra". */
  readonly name: string;
  /** How a sentence names it mid-sentence when the name alone reads oddly ("the OpenAI-compatible server"). */
  readonly inSentence?: string;
  /** Which client speaks to it: Segmind's own body and headers, or OpenAI chat completions. */
  readonly api: 'segmind' | 'openai';
  readonly baseUrl: {
    readonly default: string;
    /** The setting under `visionChat.` that overrides it. */
    readonly setting: string;
  };
  readonly key: {
    /** Whether no request can be made without one (Ollama needs none). */
    readonly required: boolean;
    /** How it travels: `x-api-key: KEY` or `Authorization: Bearer KEY`. */
    readonly header: 'x-api-key' | 'bearer';
    /** The environment variable read when SecretStorage has none. */
    readonly env?: string;
    /** Where a user gets one. */
    readonly page?: string;
    /**
     * A GET that answers 2xx only for a good key (or, where the key is optional, proves the server
     * is there). Absent: the balance call checks it.
     */
    readonly checkUrl?: (baseUrl: string) => string;
  };
  /** Where the account is topped up, named in out-of-credits errors and the status bar. */
  readonly billing?: {
    readonly url: string;
    /** "out of credits" / "out of balance". */
    readonly state: string;
    /** "top up" / "add funds". */
    readonly remedy: string;
  };
  /** HTTP statuses this provider uses in its own way (Segmind's 406 is "not enough credits"). */
  readonly statusKinds?: Readonly<Partial<Record<number, ErrorKind>>>;
  readonly catalog: CatalogSource;
  /** Whether it reports an account balance (response headers and a balance endpoint). */
  readonly reportsBalance: boolean;
  /** Whether its answers report what they cost in US dollars (DeepInfra's `estimated_cost`): the spend limit counts them. */
  readonly reportsCostUsd: boolean;
}
