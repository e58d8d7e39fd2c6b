// API keys live only in VS Code's SecretStorage, one entry per provider. The environment variable
// the provider table names (SEGMIND_API_KEY, DEEPINFRA_TOKEN) is a fallback for people who already export them; the UI says
// which one is in use. This module only imports vscode types, so it runs under plain-Node tests.

import type * as vscode from 'vscode';
import { PROVIDER_IDS, isProviderId, providerInfo } from '../core/providerTable';
import type { ProviderId } from '../core/types';
import type { KeySource, KeyStore } from './services';

export { PROVIDER_IDS };

const SECRET_PREFIX = 'visionChat.key.';

export function secretName(provider: ProviderId): string {
  return SECRET_PREFIX + provider;
}

export function envVariableFor(provider: ProviderId): string | undefined {
  return providerInfo(provider).key.env;
}

/** Whether a request to this provider cannot be made without a key. */
export function providerNeedsKey(provider: ProviderId): boolean {
  return providerInfo(provider).key.required;
}

type SecretStorageLike = Pick<vscode.SecretStorage, 'get' | 'store' | 'delete' | 'onDidChange'>;

export class SecretKeyStore implements KeyStore {
  readonly onDidChange: vscode.Event<ProviderId>;

  constructor(
    private readonly secrets: SecretStorageLike,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    // Only our own entries, translated to the provider they belong to.
    this.onDidChange = (listener, thisArgs, disposables) =>
      this.secrets.onDidChange(
        (e) => {
          const provider = providerOfSecret(e.key);
          if (provider) listener.call(thisArgs, provider);
        },
        undefined,
        disposables,
      );
  }

  async get(provider: ProviderId): Promise<{ key?: string; source: KeySource }> {
    const stored = (await this.secrets.get(secretName(provider)))?.trim();
    if (stored) return { key: stored, source: 'secretStorage' };
    const variable = envVariableFor(provider);
    const fromEnv = variable ? this.env[variable]?.trim() : undefined;
    if (fromEnv) return { key: fromEnv, source: 'environment' };
    return { source: 'none' };
  }

  async set(provider: ProviderId, key: string): Promise<void> {
    const trimmed = key.trim();
    if (!trimmed) throw new Error('An API key cannot be empty.');
    await this.secrets.store(secretName(provider), trimmed);
  }

  async delete(provider: ProviderId): Promise<void> {
    await this.secrets.delete(secretName(provider));
  }
}

function providerOfSecret(name: string): ProviderId | undefined {
  if (!name.startsWith(SECRET_PREFIX)) return undefined;
  const id = name.slice(SECRET_PREFIX.length);
  return isProviderId(id) ? id : undefined;
}

/** How the UI names a key's origin. */
export function describeKeySource(source: KeySource, provider: ProviderId): string {
  switch (source) {
    case 'secretStorage':
      return 'key stored in VS Code';
    case 'environment':
      return `key from $${envVariableFor(provider)}`;
    default:
      return providerNeedsKey(provider) ? 'no key' : 'no key (optional)';
  }
}
