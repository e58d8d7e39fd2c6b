// Vision Chat: Ask… — one line to the chat from anywhere. Recent prompts come back as items (kept
// per workspace, at most 50, each removable), and text typed but not sent is offered again next time.

import * as vscode from 'vscode';
import { forgetPrompt, readRecentPrompts, rememberPrompt } from './savedPrompts';
import { modelLabel, resolveModel } from '../models';
import type { Services } from '../services';

const RECENT_KEY = 'visionChat.recentPrompts';
const DRAFT_KEY = 'visionChat.askDraft';

interface AskItem extends vscode.QuickPickItem {
  readonly prompt: string;
  /** The typed text rather than a recent prompt. */
  readonly typed?: boolean;
}

const removeButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('close'), tooltip: 'Remove from recent prompts' };

/** Recent prompts in `workspaceState`; every write goes straight to storage. */
export class RecentPrompts {
  constructor(private readonly state: vscode.Memento) {}

  list(): string[] {
    return readRecentPrompts(this.state.get(RECENT_KEY));
  }

  remember(prompt: string): Thenable<void> {
    return this.state.update(RECENT_KEY, rememberPrompt(this.list(), prompt));
  }

  forget(prompt: string): Thenable<void> {
    return this.state.update(RECENT_KEY, forgetPrompt(this.list(), prompt));
  }

  get draft(): string {
    const value = this.state.get(DRAFT_KEY);
    return typeof value === 'string' ? value : '';
  }

  setDraft(text: string): Thenable<void> {
    return this.state.update(DRAFT_KEY, text.trim() ? text : undefined);
  }
}

export async function askCommand(services: Services, recent: RecentPrompts): Promise<void> {
  const model = resolveModel(services.catalog(), services.settings.modelId).model;
  const prompt = await pickPrompt(recent, `Ask ${modelLabel(model)}`);
  if (!prompt) return;
  // Remembered before sending, so a failed request still leaves the prompt one keystroke away.
  await recent.remember(prompt);
  await services.chat.ask(prompt, { preserveFocus: services.settings.revealWithoutFocus });
}

function pickPrompt(recent: RecentPrompts, title: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<AskItem>();
    pick.title = title;
    pick.placeholder = 'Type a question and press Enter, or pick a recent prompt';
    pick.matchOnDescription = false;
    pick.ignoreFocusOut = false;

    const recentItems = (): AskItem[] =>
      recent.list().map((p) => ({ label: p, prompt: p, iconPath: new vscode.ThemeIcon('history'), buttons: [removeButton] }));
    const refresh = () => {
      const typed = pick.value.trim();
      const items = recentItems();
      pick.items = typed
        ? [{ label: typed, prompt: typed, typed: true, description: 'Send', alwaysShow: true, iconPath: new vscode.ThemeIcon('send') }, ...items.filter((i) => i.prompt !== typed)]
        : items;
    };

    let accepted = false;
    const disposables: vscode.Disposable[] = [
      pick.onDidChangeValue(refresh),
      pick.onDidTriggerItemButton(async (e) => {
        await recent.forget(e.item.prompt);
        refresh();
      }),
      pick.onDidAccept(() => {
        const chosen = pick.activeItems[0]?.prompt ?? pick.value.trim();
        if (!chosen) return;
        accepted = true;
        void recent.setDraft('');
        pick.hide();
        resolve(chosen);
      }),
      pick.onDidHide(() => {
        // Escape or a click elsewhere must not lose what was typed: it is offered again next time.
        if (!accepted) {
          void recent.setDraft(pick.value);
          resolve(undefined);
        }
        for (const d of disposables) d.dispose();
        pick.dispose();
      }),
    ];
    pick.value = recent.draft;
    refresh();
    pick.show();
  });
}
