// The chat webview view: its HTML (strict CSP, resources only from dist/), and the channel to the
// webview. The webview is not retained while hidden, so it posts `ready` each time it loads and the
// controller answers with the whole state. Messages that are not part of the state (a draft to put
// back, images to submit) wait in a queue until then.

import * as vscode from 'vscode';
import { HOST_MESSAGES, type HostMessage, parseWebviewMessage, type ViewState, type WebviewMessage } from '../protocol';
import { CHAT_CONTAINER_COMMAND, CHAT_VIEW_FOCUS_COMMAND } from './commands';
import { chatViewHtml } from './webviewHtml';

export class ChatView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  /** The webview has its state: incremental messages may flow. */
  private ready = false;
  private queue: HostMessage[] = [];
  private readonly received = new vscode.EventEmitter<WebviewMessage>();
  private readonly viewDisposables: vscode.Disposable[] = [];
  private resolved: { promise: Promise<void>; resolve: () => void };

  /** Every well-formed message the webview posts (`ready` included). */
  readonly onDidReceiveMessage = this.received.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.resolved = deferred();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    this.ready = false;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    view.webview.html = this.html(view.webview, dist);
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      // Hidden, the webview is torn down; it reloads and says `ready` again when shown.
      view.onDidChangeVisibility(() => {
        if (!view.visible) this.ready = false;
      }),
      view.onDidDispose(() => {
        if (this.view === view) {
          this.view = undefined;
          this.ready = false;
          this.resolved = deferred();
        }
        this.disposeView();
      }),
    );
    this.resolved.resolve();
  }

  get isVisible(): boolean {
    return this.view?.visible === true;
  }

  /** Shows the view, creating it first if VS Code has not yet. */
  async reveal(preserveFocus: boolean): Promise<void> {
    if (this.view) {
      this.view.show(preserveFocus);
      return;
    }
    // Opening the container resolves the view; the focus command is the fallback for older layouts.
    try {
      await vscode.commands.executeCommand(preserveFocus ? CHAT_CONTAINER_COMMAND : CHAT_VIEW_FOCUS_COMMAND);
    } catch {
      await vscode.commands.executeCommand(CHAT_VIEW_FOCUS_COMMAND);
    }
    if (!this.view) await Promise.race([this.resolved.promise, delay(5000)]);
  }

  /** Posts to the webview when it has its state; one-shot messages wait for it, the rest are in the next state anyway. */
  post(message: HostMessage): void {
    if (this.view && this.ready) {
      void this.view.webview.postMessage(message);
    } else if (HOST_MESSAGES[message.type].untilReady) {
      this.queue.push(message);
    }
  }

  /** Sends the whole state (in answer to `ready`), then anything queued meanwhile. */
  deliverState(state: ViewState): void {
    if (!this.view) return;
    void this.view.webview.postMessage({ type: 'state', state } satisfies HostMessage);
    this.ready = true;
    const queued = this.queue;
    this.queue = [];
    for (const message of queued) void this.view.webview.postMessage(message);
  }

  private onMessage(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.log.warn(`Ignored a malformed message from the chat view (${describe(raw)})`);
      return;
    }
    if (message.type === 'ready') this.ready = false;
    this.received.fire(message);
  }

  private html(webview: vscode.Webview, dist: vscode.Uri): string {
    return chatViewHtml({
      cspSource: webview.cspSource,
      resource: (...path) => webview.asWebviewUri(vscode.Uri.joinPath(dist, ...path)).toString(),
    });
  }

  private disposeView(): void {
    for (const d of this.viewDisposables.splice(0)) d.dispose();
  }

  dispose(): void {
    this.disposeView();
    this.received.dispose();
  }
}

function describe(raw: unknown): string {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? `type “${type.slice(0, 40)}”` : typeof raw;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
