// Vision Chat: Run Prompt… — the built-in and saved prompts, their `${variables}` filled from the
// active editor, the clipboard and the user, checked against the model's context before sending.

import * as vscode from 'vscode';
import {
  BUILTIN_PROMPTS,
  fitPromptToContext,
  parseUserPrompts,
  readsWorkspaceContent,
  renderTemplate,
  resolvePromptVariables,
  type PromptSources,
  type SavedPrompt,
} from './savedPrompts';
import { checkContext } from '../tokens';
import type { ModelInfo } from '../../core/types';
import { readImageFile } from '../imageFiles';
import { modelLabel, resolveModel, standInVisionModel } from '../models';
import type { Services } from '../services';
import { allowWorkspaceContent, displayPath, pickImage } from '../workspaceFiles';
import { showInfo, showWarning } from '../notifications';

/** What the Restricted Mode question says leaves the machine. */
const SENT_BY_PROMPT = 'Only what the prompt uses is sent.';

/** The user's prompts, re-read when settings change; the reasons for skipped entries go to the log. */
export class SavedPrompts implements vscode.Disposable {
  private current = parseUserPrompts(undefined);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly services: Services) {
    this.load(false);
    this.subscription = services.settings.onDidChange(() => this.load(true));
  }

  dispose(): void {
    this.subscription.dispose();
  }

  get user(): readonly SavedPrompt[] {
    return this.current.prompts;
  }

  get problems(): readonly string[] {
    return this.current.problems;
  }

  private load(announce: boolean): void {
    const before = this.current.problems.join('\n');
    this.current = parseUserPrompts(vscode.workspace.getConfiguration('visionChat').get('prompts'));
    void vscode.commands.executeCommand('setContext', 'visionChat.hasContextPrompts', this.current.prompts.some((p) => p.inEditorMenu));
    const after = this.current.problems.join('\n');
    if (after === before) return;
    for (const problem of this.current.problems) this.services.log.warn(`[prompts] ${problem}`);
    if (announce && this.current.problems.length) {
      const n = this.current.problems.length;
      void showWarning(`${n} problem${n > 1 ? 's' : ''} in your saved prompts (visionChat.prompts).`, 'Show Log').then((choice) => {
        if (choice) this.services.log.show();
      });
    }
  }
}

interface PromptItem extends vscode.QuickPickItem {
  readonly prompt?: SavedPrompt;
  readonly action?: 'editPrompts' | 'showProblems';
}

/**
 * The prompt quick pick. `editorMenuOnly` is the context menu's "Run Saved Prompt…": the user's
 * prompts marked `"command": true`.
 */
export async function runPromptCommand(services: Services, saved: SavedPrompts, runner: PromptRunner, options: { editorMenuOnly?: boolean; target?: unknown } = {}): Promise<void> {
  const catalog = services.catalog();
  const describe = (p: SavedPrompt): PromptItem => {
    const model = p.modelId ? catalog.get(p.modelId) : undefined;
    const bits = [p.needsImage ? '$(file-media) picks an image' : '', p.modelId ? (model ? modelLabel(model) : `${p.modelId} (not available)`) : ''].filter(Boolean);
    return { label: p.name, description: bits.join(' · ') || undefined, detail: p.description ?? firstLine(p.template), prompt: p };
  };
  const user = options.editorMenuOnly ? saved.user.filter((p) => p.inEditorMenu) : saved.user;
  const items: PromptItem[] = [];
  if (!options.editorMenuOnly) {
    items.push({ label: 'Built-in', kind: vscode.QuickPickItemKind.Separator }, ...BUILTIN_PROMPTS.map(describe));
  }
  items.push({ label: 'Your prompts', kind: vscode.QuickPickItemKind.Separator }, ...user.map(describe));
  if (saved.problems.length) {
    items.push({ label: `$(warning) ${saved.problems.length} saved prompt problem(s)`, description: 'Show why in the log', action: 'showProblems', alwaysShow: true });
  }
  items.push({
    label: user.length ? '$(edit) Edit Saved Prompts…' : '$(add) Add Your Own Prompt…',
    description: 'visionChat.prompts in Settings',
    action: 'editPrompts',
    alwaysShow: true,
  });

  const picked = await vscode.window.showQuickPick(items, {
    title: options.editorMenuOnly ? 'Run Saved Prompt' : 'Run Prompt',
    placeHolder: 'Choose a prompt',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return;
  if (picked.action === 'editPrompts') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'visionChat.prompts');
    return;
  }
  if (picked.action === 'showProblems') {
    services.log.show();
    return;
  }
  if (picked.prompt) await runner.run(picked.prompt, options.target);
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0];
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

export class PromptRunner {
  /** Answers typed into `${input}` boxes, offered again next time (a cancelled run loses nothing). */
  private readonly lastInputs = new Map<string, string>();

  constructor(private readonly services: Services) {}

  async run(prompt: SavedPrompt, target?: unknown): Promise<void> {
    const models = this.chooseModel(prompt);
    if (!models) return;
    const { model, note: modelNote } = models;

    const editor = vscode.window.activeTextEditor;
    const sources = this.sources(editor);
    if (prompt.needsImage) return this.runWithImage(prompt, model, modelNote, sources, target);

    const resolved = await resolvePromptVariables(prompt, sources);
    if (!resolved.ok) {
      if (!resolved.cancelled) void showInfo(resolved.reason);
      return;
    }
    const what = editor ? `the content of “${displayPath(editor.document.uri)}”` : 'workspace content';
    if (readsWorkspaceContent(prompt) && !(await allowWorkspaceContent(model, what, SENT_BY_PROMPT))) return;

    const { settings } = this.services;
    const fitOptions = { model, maxTokens: settings.maxTokens, systemPrompt: settings.systemPrompt };
    let fitted = fitPromptToContext(prompt, resolved.values, fitOptions);
    if (!fitted.check.fits) {
      const trimmed = fitPromptToContext(prompt, resolved.values, { ...fitOptions, trim: true });
      const canTrim = trimmed.check.fits && trimmed.trimmed.length > 0;
      const choice = await showWarning(
        `“${prompt.name}” is too long for ${modelLabel(model)}.`,
        {
          modal: true,
          detail: fitted.check.fits ? undefined : `${fitted.check.message}${canTrim ? `\n\nTrim and Send keeps the beginning of ${trimmed.trimmed.map((k) => `\${${k.split(':')[0]}}`).join(' and ')} and cuts the rest.` : ''}`,
        },
        ...(canTrim ? ['Trim and Send'] : []),
      );
      if (choice !== 'Trim and Send') return;
      fitted = trimmed;
    }
    const note = [modelNote, ...resolved.notes, ...fitted.notes].filter(Boolean).join(' ') || undefined;
    await this.services.chat.ask(fitted.text, { modelId: prompt.modelId ? model.id : undefined, preserveFocus: settings.revealWithoutFocus, note });
  }

  private async runWithImage(prompt: SavedPrompt, model: ModelInfo, modelNote: string | undefined, sources: PromptSources, target: unknown): Promise<void> {
    // Variables first: a prompt that cannot run says so before anyone picks an image.
    const resolved = await resolvePromptVariables(prompt, sources);
    if (!resolved.ok) {
      if (!resolved.cancelled) void showInfo(resolved.reason);
      return;
    }
    const uri = target instanceof vscode.Uri ? target : await pickImage({ title: prompt.name, openLabel: 'Use Image', offerOpenImage: true });
    if (!uri) return;
    if (!(await allowWorkspaceContent(model, `the image “${displayPath(uri)}”`, SENT_BY_PROMPT))) return;
    const read = await readImageFile(uri);
    if ('problem' in read) {
      void showWarning(read.problem);
      return;
    }
    // The webview downscales the image to the model's limit; until then its size is unknown, so it
    // is counted at the most it can cost.
    const { settings } = this.services;
    const rendered = renderTemplate(prompt.template, resolved.values);
    const text = rendered.text;
    const check = checkContext({
      model,
      messages: [{ role: 'user', content: text, images: [{ mime: read.image.mime, base64: '' }] }],
      options: { maxTokens: settings.maxTokens, systemPrompt: settings.systemPrompt },
    });
    if (!check.fits) {
      void showWarning(check.message);
      return;
    }
    const note = [modelNote, ...resolved.notes, ...rendered.notes].filter(Boolean).join(' ') || undefined;
    await this.services.chat.askWithImages(text, [read.image], { modelId: model.id, note });
  }

  /**
   * The prompt's own model when it names one, else the chat's; an image prompt on a model that
   * cannot see borrows the vision model, saying so.
   */
  private chooseModel(prompt: SavedPrompt): { model: ModelInfo; note?: string } | undefined {
    const catalog = this.services.catalog();
    let model: ModelInfo;
    if (prompt.modelId) {
      const named = catalog.get(prompt.modelId);
      if (!named) {
        void showWarning(`The prompt “${prompt.name}” asks for the model “${prompt.modelId}”, which is not available. Fix its "model" in visionChat.prompts (provider:model-id).`, 'Open Settings')
          .then((choice) => choice && vscode.commands.executeCommand('workbench.action.openSettings', 'visionChat.prompts'));
        return undefined;
      }
      model = named;
    } else {
      model = resolveModel(catalog, this.services.settings.modelId).model;
    }
    if (!prompt.needsImage || model.vision) return { model };
    const vision = standInVisionModel(catalog, this.services.settings.visionModelId);
    if (!vision) {
      void showWarning(`“${prompt.name}” needs a model that can see images, and none is available. Check visionChat.openaiCompatible.models.`);
      return undefined;
    }
    return { model: vision, note: `Using ${modelLabel(vision)} for this image: ${modelLabel(model)} cannot see images.` };
  }

  private sources(editor: vscode.TextEditor | undefined): PromptSources {
    const document = editor?.document;
    return {
      editor:
        editor && document
          ? {
              fileName: displayPath(document.uri),
              languageId: document.languageId,
              text: document.getText(),
              selection: editor.selections
                .filter((s) => !s.isEmpty)
                .map((s) => document.getText(s))
                .join('\n'),
            }
          : undefined,
      readClipboard: () => Promise.resolve(vscode.env.clipboard.readText()),
      askInput: async (question, promptName) => {
        const answer = await vscode.window.showInputBox({ title: promptName, prompt: question, value: this.lastInputs.get(question), ignoreFocusOut: true });
        if (answer !== undefined) this.lastInputs.set(question, answer);
        return answer;
      },
    };
  }
}
