// A typed reader for the `visionChat.*` settings. Every read goes to the live configuration, so a
// change applies to the next request without a reload; `onDidChange` lets views refresh.

import * as vscode from 'vscode';
import { providerInfo } from '../core/providerTable';
import type { ProviderId } from '../core/types';
import { hostedBaseUrl, isHosted } from './baseUrls';
import { DEFAULT_MODEL_ID } from './models';
import type { Settings } from './services';

export class ConfigurationSettings implements Settings, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** A model choice being saved: read back at once, so a prompt sent right after it uses it. */
  private savingModel: { readonly id: string } | undefined;

  /** Workspace base URLs already reported as ignored (once each, not on every request). */
  private readonly reportedIgnored = new Set<string>();

  constructor(private readonly log?: Pick<vscode.LogOutputChannel, 'warn'>) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('visionChat') || e.affectsConfiguration('http.proxy')) this.changed.fire();
    });
  }

  private get config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('visionChat');
  }

  get modelId(): string {
    return this.savingModel?.id ?? nonEmptyString(this.config.get('model')) ?? DEFAULT_MODEL_ID;
  }

  get visionModelId(): string {
    return nonEmptyString(this.config.get('visionModel')) ?? DEFAULT_MODEL_ID;
  }

  get temperature(): number {
    return clamp(this.config.get('temperature'), 0, 2, 0.6);
  }

  get maxTokens(): number {
    return Math.floor(clamp(this.config.get('maxTokens'), 1, 1_000_000, 1024));
  }

  get systemPrompt(): string {
    const value = this.config.get('systemPrompt');
    return typeof value === 'string' ? value : '';
  }

  get requestTimeoutMs(): number {
    return clamp(this.config.get('requestTimeoutSeconds'), 5, 3600, 120) * 1000;
  }

  get warnBelow(): number {
    return clamp(this.config.get('credits.warnBelow'), -Infinity, Infinity, 1);
  }

  get spendLimitPerDay(): number | undefined {
    const value = this.config.get('spendLimitPerDay');
    return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
  }

  get revealWithoutFocus(): boolean {
    return this.config.get('revealWithoutFocus') !== false;
  }

  get promptedTools(): boolean {
    return this.config.get('tools.prompted') !== false;
  }

  /** The raw `visionChat.openaiCompatible.models` entries; the catalog validates them. */
  get customModels(): readonly unknown[] {
    const value = this.config.get('openaiCompatible.models');
    return Array.isArray(value) ? value : [];
  }

  /** VS Code's own `http.proxy`, passed to the provider clients. */
  get proxy(): string | undefined {
    return nonEmptyString(vscode.workspace.getConfiguration('http').get('proxy'));
  }

  baseUrl(provider: ProviderId): string {
    const { setting, default: fallback } = providerInfo(provider).baseUrl;
    if (isHosted(provider)) {
      // A repository's settings must not choose where the key goes: user and machine values only.
      const { url, ignored } = hostedBaseUrl(provider, this.config.inspect(setting));
      if (ignored !== undefined && !this.reportedIgnored.has(`${setting} ${ignored}`)) {
        this.reportedIgnored.add(`${setting} ${ignored}`);
        this.log?.warn(`Ignored visionChat.${setting} from the workspace settings (${ignored}): hosted base URLs are read from user settings only, so a repository cannot send your key elsewhere. Using ${url}.`);
      }
      return url;
    }
    const value = nonEmptyString(this.config.get(setting)) ?? fallback;
    return value.replace(/\/+$/, '');
  }

  /** Saves the choice for every window; a workspace that sets its own model gets it there too, or the choice would not show. */
  async setModelId(id: string): Promise<void> {
    // `modelId` answers with the choice from now on, not once the configuration write completes.
    const saving = { id };
    this.savingModel = saving;
    try {
      const config = this.config;
      await config.update('model', id, vscode.ConfigurationTarget.Global);
      const inspected = config.inspect<string>('model');
      if (inspected?.workspaceValue !== undefined) await config.update('model', id, vscode.ConfigurationTarget.Workspace);
    } finally {
      // A later choice may be saving meanwhile: it keeps its claim.
      if (this.savingModel === saving) this.savingModel = undefined;
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function clamp(value: unknown, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}
