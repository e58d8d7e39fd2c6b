// The chat panel's behaviour on the VS Code side: it owns the session and its history, answers the
// webview's messages, and serves the other features (`ChatPanel`). Loading is lazy: nothing is read
// from disk until the view opens or a command needs the chat.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { billingUrl, type ErrorAction } from '../core/errors';
import type { ProviderId } from '../core/types';
import type { CodeAction, RawImage, ViewNotice, ViewState } from '../protocol';
import type { ChatView } from './chatView';
import { Commands } from './commands';
import { type Conversation, newConversation } from './conversation';
import { renderChatMarkdown, safeFileName } from './exportMarkdown';
import { ConversationStore } from './history';
import { IMAGE_EXTENSIONS, readImageFile } from './imageFiles';
import { PROVIDER_IDS, providerNeedsKey } from './keys';
import { isWebLink } from './messageGuard';
import { modelOptions, resolveModel } from './models';
import type { ChatPanel, Services } from './services';
import { MessageRouter } from './chat/messageRouter';
import { ChatSession, type SessionHost } from './session';
import { showError, showInfo, showMessage, showWarning } from './notifications';

const CURRENT_CONVERSATION_KEY = 'visionChat.currentConversation';

/** What the host says when the chat view asks for a notice: fixed words, the view shows the details. */
const VIEW_NOTICE_TEXTS: Record<ViewNotice, string> = {
  imageNotPrepared: 'Vision Chat could not prepare the image, so nothing was sent. The chat view says why.',
};

export class ChatController implements ChatPanel, vscode.Disposable {
  private session: ChatSession | undefined;
  private loading: Promise<ChatSession> | undefined;
  private store: ConversationStore | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly router = new MessageRouter({
    session: () => this.ensureSession(),
    loadedSession: () => this.session,
    post: (message) => this.view.post(message),
    deliverState: () => this.deliverState(),
    selectModel: (modelId) => this.selectModelFromView(modelId),
    pickModel: async () => void (await vscode.commands.executeCommand(Commands.selectModel)),
    pickImages: () => this.pickImages(),
    errorAction: (action, messageId, askAgain) => this.onErrorAction(action, messageId, askAgain),
    codeAction: (action, code, language) => this.onCodeAction(action, code, language),
    openLink: (href) => this.openLink(href),
    newChat: () => this.newChat(),
    notify: (notice) => void showError(VIEW_NOTICE_TEXTS[notice]),
    fail: (what, e) => this.fail(what, e),
  });

  constructor(
    private readonly services: Services,
    private readonly view: ChatView,
  ) {
    this.disposables.push(
      view.onDidReceiveMessage((m) => this.router.receive(m)),
      services.settings.onDidChange(() => void this.postModels()),
      services.keys.onDidChange(() => void this.postModels()),
    );
  }

  // ---- ChatPanel ----

  async ask(prompt: string, options: { modelId?: string; preserveFocus?: boolean; note?: string } = {}): Promise<void> {
    await this.view.reveal(options.preserveFocus ?? this.services.settings.revealWithoutFocus);
    const session = await this.ensureSession();
    if (!(await this.readyForNewTurn(session))) return;
    await session.send(prompt, [], { modelId: options.modelId, note: options.note });
  }

  async askWithImages(prompt: string, images: readonly RawImage[], options: { modelId?: string; note?: string } = {}): Promise<void> {
    await this.view.reveal(false);
    const session = await this.ensureSession();
    if (!(await this.readyForNewTurn(session))) return;
    this.router.submit(prompt, images, options);
  }

  // ---- commands ----

  async newChat(): Promise<void> {
    const session = await this.ensureSession();
    session.stop();
    await this.getStore().save(session.conversationForSaving(), true);
    this.switchTo(newConversation());
    this.view.post({ type: 'focusInput' });
  }

  async showHistory(): Promise<void> {
    const session = await this.ensureSession();
    await this.getStore().save(session.conversationForSaving(), true);
    type Item = vscode.QuickPickItem & { id: string };
    const deleteButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete this chat' };
    const quickPick = vscode.window.createQuickPick<Item>();
    quickPick.title = 'Chat History';
    quickPick.placeholder = 'Reopen a chat';
    quickPick.matchOnDescription = true;
    const refresh = async () => {
      const entries = await this.getStore().list();
      quickPick.items = entries.map((e) => ({
        id: e.id,
        label: e.id === session.conversationId ? `$(comment-discussion) ${e.title}` : e.title,
        description: `${relativeTime(e.updatedAt)} · ${e.messageCount} messages${e.id === session.conversationId ? ' · open now' : ''}`,
        buttons: [deleteButton],
      }));
      if (entries.length === 0) quickPick.placeholder = 'No saved chats yet';
    };
    await refresh();
    const chosen = await new Promise<string | undefined>((resolve) => {
      quickPick.onDidTriggerItemButton(async (e) => {
        // Leave the chat first: stopping its answer saves it one last time, which the delete then wins over.
        if (e.item.id === session.conversationId) this.switchTo(newConversation());
        await this.getStore().delete(e.item.id);
        await refresh();
      });
      quickPick.onDidAccept(() => {
        resolve(quickPick.selectedItems[0]?.id);
        quickPick.hide();
      });
      quickPick.onDidHide(() => resolve(undefined));
      quickPick.show();
    });
    quickPick.dispose();
    if (!chosen || chosen === session.conversationId) {
      if (chosen) await this.view.reveal(false);
      return;
    }
    const conversation = await this.getStore().load(chosen);
    if (!conversation) {
      void showWarning('That chat could not be read from disk; it may have been deleted.');
      return;
    }
    this.switchTo(conversation);
    await this.view.reveal(false);
  }

  async exportChat(): Promise<void> {
    const session = await this.ensureSession();
    const conversation = session.conversationForSaving();
    if (conversation.messages.length === 0) {
      void showInfo('This chat is empty: there is nothing to export yet.');
      return;
    }
    const stem = safeFileName(conversation.title) || 'chat';
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: 'Export Chat as Markdown',
      defaultUri: folder ? vscode.Uri.joinPath(folder, `${stem}.md`) : undefined,
      filters: { Markdown: ['md'] },
      saveLabel: 'Export',
    });
    if (!target) return;
    const base = path.posix.basename(target.path).replace(/\.md$/i, '');
    const exported = renderChatMarkdown(conversation, base);
    const dir = vscode.Uri.joinPath(target, '..');
    for (const image of exported.images) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, image.fileName), image.bytes);
    await vscode.workspace.fs.writeFile(target, Buffer.from(exported.markdown, 'utf8'));
    const images = exported.images.length ? ` and ${exported.images.length} image${exported.images.length === 1 ? '' : 's'} beside it` : '';
    this.services.log.info(`Exported the chat to ${target.toString(true)}${images}`);
    await vscode.window.showTextDocument(target, { preview: false });
  }

  /** Tells the webview about a changed model list or choice. */
  private async postModels(): Promise<void> {
    const { models, modelId } = await this.modelState();
    this.view.post({ type: 'models', models, modelId });
  }

  // ---- what the webview's messages ask for (routed by MessageRouter) ----

  private async deliverState(): Promise<void> {
    const session = await this.ensureSession();
    const { models, modelId } = await this.modelState();
    // Snapshot last, right before posting, so no streamed text falls between the two.
    const snapshot = session.snapshot();
    const state: ViewState = { ...snapshot, models, modelId };
    this.view.deliverState(state);
  }

  private async modelState(): Promise<Pick<ViewState, 'models' | 'modelId'>> {
    const catalog = this.services.catalog();
    const keyed = new Map<ProviderId, boolean>();
    await Promise.all(PROVIDER_IDS.map(async (p) => keyed.set(p, !providerNeedsKey(p) || (await this.services.keys.get(p)).source !== 'none')));
    return {
      models: modelOptions(catalog, (p) => keyed.get(p) === true),
      modelId: resolveModel(catalog, this.services.settings.modelId).model.id,
    };
  }

  private async selectModelFromView(modelId: string): Promise<void> {
    const model = this.services.catalog().get(modelId);
    if (!model) {
      // The id came from the view: it is logged, not shown (a fixed text cannot carry a link).
      this.services.log.warn(`The chat view chose a model that is not in the catalog: ${JSON.stringify(modelId.slice(0, 200))}`);
      void showWarning('That model is not available any more. Pick one with Vision Chat: Select Model….');
      await this.postModels();
      return;
    }
    await this.services.settings.setModelId(model.id);
  }

  private async pickImages(): Promise<void> {
    const uris = await vscode.window.showOpenDialog({
      canSelectMany: true,
      openLabel: 'Attach',
      title: 'Attach Images',
      filters: { Images: IMAGE_EXTENSIONS },
    });
    if (!uris?.length) return;
    const images: RawImage[] = [];
    for (const uri of uris) {
      const result = await readImageFile(uri);
      if ('image' in result) images.push(result.image);
      else void showWarning(result.problem);
    }
    if (images.length) this.view.post({ type: 'attachImages', images });
  }

  private async openLink(href: string): Promise<void> {
    if (isWebLink(href)) await vscode.env.openExternal(vscode.Uri.parse(href, true));
    else this.services.log.warn('Refused to open a link that is not http(s) from the chat view');
  }

  private async onErrorAction(action: ErrorAction, messageId: string, askAgain: () => Promise<void>): Promise<void> {
    const session = await this.ensureSession();
    const message = session.snapshot().messages.find((m) => m.id === messageId);
    const catalog = this.services.catalog();
    const provider = (message?.modelId && catalog.get(message.modelId)?.provider) || resolveModel(catalog, this.services.settings.modelId).model.provider;
    switch (action) {
      case 'setApiKey': {
        const stored = await this.services.setApiKey(provider);
        // The error was the last answer: ask again now that there is a key.
        if (stored && session.snapshot().messages.at(-1)?.id === messageId) await askAgain();
        return;
      }
      case 'retry':
        await askAgain();
        return;
      case 'selectModel':
        await vscode.commands.executeCommand(Commands.selectModel);
        return;
      case 'openBilling': {
        const url = message?.error?.billingUrl ?? billingUrl(provider);
        if (url && isWebLink(url)) await vscode.env.openExternal(vscode.Uri.parse(url, true));
        return;
      }
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'visionChat');
        return;
      case 'showLog':
        this.services.log.show(true);
        return;
    }
  }

  private async onCodeAction(action: CodeAction, code: string, language: string | undefined): Promise<void> {
    switch (action) {
      case 'copy':
        await vscode.env.clipboard.writeText(code);
        vscode.window.setStatusBarMessage('$(check) Code copied', 2000);
        return;
      case 'insert': {
        // Focus is in the chat view, so the editor to use is the active one, else the only visible one.
        const visible = vscode.window.visibleTextEditors.filter((e) => e.document.uri.scheme !== 'output');
        const editor = vscode.window.activeTextEditor ?? (visible.length === 1 ? visible[0] : undefined);
        if (!editor) {
          const choice = await showInfo('Open a file to insert the code into, or open it in a new editor.', 'Open in New Editor');
          if (choice) await this.onCodeAction('newEditor', code, language);
          return;
        }
        const done = await editor.edit((edit) => {
          for (const selection of editor.selections) edit.replace(selection, code);
        });
        if (!done) void showWarning('The code could not be inserted: the editor did not accept the edit (is it read-only?).');
        else await vscode.window.showTextDocument(editor.document, editor.viewColumn);
        return;
      }
      case 'newEditor': {
        const languageId = await knownLanguage(language);
        const document = await vscode.workspace.openTextDocument({ content: code, language: languageId });
        await vscode.window.showTextDocument(document, { preview: false });
        return;
      }
    }
  }

  // ---- session and history ----

  ensureSession(): Promise<ChatSession> {
    if (this.session) return Promise.resolve(this.session);
    this.loading ??= this.loadSession();
    return this.loading;
  }

  private async loadSession(): Promise<ChatSession> {
    const currentId = this.services.context.workspaceState.get<string>(CURRENT_CONVERSATION_KEY);
    const restored = currentId ? await this.getStore().load(currentId) : undefined;
    const conversation = restored ?? newConversation();
    this.session = new ChatSession(this.sessionHost(), conversation);
    await this.services.context.workspaceState.update(CURRENT_CONVERSATION_KEY, conversation.id);
    return this.session;
  }

  private switchTo(conversation: Conversation): void {
    if (!this.session) return;
    this.session.load(conversation);
    void this.services.context.workspaceState.update(CURRENT_CONVERSATION_KEY, conversation.id);
    void this.deliverState();
  }

  private getStore(): ConversationStore {
    this.store ??= new ConversationStore(path.join(this.services.context.globalStorageUri.fsPath, 'conversations'), this.services.log, {
      onPruned: (message) => void showWarning(message),
    });
    return this.store;
  }

  private sessionHost(): SessionHost {
    const { services, view } = this;
    return {
      post: (message) => view.post(message),
      catalog: () => services.catalog(),
      settings: () => ({
        modelId: services.settings.modelId,
        systemPrompt: services.settings.systemPrompt,
        temperature: services.settings.temperature,
        maxTokens: services.settings.maxTokens,
      }),
      providerFor: (model) => services.providerFor(model),
      requestApiKey: (provider) => services.setApiKey(provider),
      reportCredits: (provider, event) => services.credits.report(provider, event),
      conversationChanged: (conversation, turnEnded) => void this.getStore().save(conversation, turnEnded),
      notify: (level, text) => void showMessage(level, text),
      log: services.log,
    };
  }

  /** A new turn from a command while an answer is still coming: offer to stop it. */
  private async readyForNewTurn(session: ChatSession): Promise<boolean> {
    if (!session.busy) return true;
    const choice = await showWarning('An answer is still coming in the chat.', 'Stop It and Ask');
    if (choice !== 'Stop It and Ask') return false;
    session.stop();
    return !session.busy;
  }

  private fail(what: string, e: unknown): void {
    this.services.log.error(`Failed ${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    void showError(`Vision Chat: something went wrong ${what}. See the log (Vision Chat: Show Log).`);
  }

  /** Writes what is pending; called on deactivation. */
  async flush(): Promise<void> {
    if (this.session && this.store) await this.store.save(this.session.conversationForSaving(), true);
  }

  dispose(): void {
    this.session?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** Markdown fence names that are not VS Code language ids. */
const LANGUAGE_ALIASES: Record<string, string> = {
  ts: 'typescript',
  js: 'javascript',
  py: 'python',
  sh: 'shellscript',
  bash: 'shellscript',
  zsh: 'shellscript',
  shell: 'shellscript',
  yml: 'yaml',
  md: 'markdown',
  rs: 'rust',
  cs: 'csharp',
  'c++': 'cpp',
  rb: 'ruby',
  kt: 'kotlin',
};

async function knownLanguage(language: string | undefined): Promise<string> {
  if (!language) return 'plaintext';
  const id = LANGUAGE_ALIASES[language.toLowerCase()] ?? language.toLowerCase();
  const known = await vscode.languages.getLanguages();
  return known.includes(id) ? id : 'plaintext';
}

function relativeTime(at: number, now = Date.now()): string {
  const minutes = Math.round((now - at) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return new Date(at).toLocaleDateString();
}
