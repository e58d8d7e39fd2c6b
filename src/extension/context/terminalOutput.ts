// The active terminal's last command and its output, as VS Code's shell integration reports it. The
// stable API has no terminal selection, and output can only be read while a command runs, so each
// command's output is kept (capped) from the moment the extension is active.

import * as vscode from 'vscode';
import { plainTerminalText } from './problemsText';

/** Per command: the end of a long output is what matters (the error, the summary). */
export const MAX_TERMINAL_CHARS = 64 * 1024;

export interface TerminalCapture {
  readonly commandLine: string;
  readonly output: string;
  readonly exitCode?: number;
  /** The output's beginning was dropped to stay under the cap. */
  readonly cut: boolean;
}

export class TerminalOutput implements vscode.Disposable {
  private readonly last = new WeakMap<vscode.Terminal, TerminalCapture & { readonly execution: vscode.TerminalShellExecution }>();
  /** Exit codes of commands whose end came before their output stream finished. */
  private readonly exitCodes = new WeakMap<vscode.TerminalShellExecution, number | undefined>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      vscode.window.onDidStartTerminalShellExecution((event) => void this.capture(event.terminal, event.execution)),
      // The end and the stream's last chunk come in either order.
      vscode.window.onDidEndTerminalShellExecution((event) => {
        this.exitCodes.set(event.execution, event.exitCode);
        const captured = this.last.get(event.terminal);
        if (captured?.execution === event.execution && event.exitCode !== undefined) this.last.set(event.terminal, { ...captured, exitCode: event.exitCode });
      }),
    );
  }

  /** The active terminal's last captured command, or why there is none (in words for the user). */
  lastCommand(): TerminalCapture | { problem: string } {
    const terminal = vscode.window.activeTerminal;
    if (!terminal) return { problem: 'There is no terminal open. Run a command in a terminal, then attach #terminal.' };
    const captured = this.last.get(terminal);
    if (captured) return captured;
    if (!terminal.shellIntegration) {
      return { problem: `Terminal “${terminal.name}” has no shell integration, so VS Code does not tell extensions its output. Use a shell VS Code integrates with (bash, zsh, fish, PowerShell), or copy the output into the prompt.` };
    }
    return { problem: `No command has finished in terminal “${terminal.name}” since Vision Chat started. Run the command again, then attach #terminal.` };
  }

  private async capture(terminal: vscode.Terminal, execution: vscode.TerminalShellExecution): Promise<void> {
    let raw = '';
    let cut = false;
    try {
      for await (const data of execution.read()) {
        raw += data;
        if (raw.length > MAX_TERMINAL_CHARS * 2) {
          raw = raw.slice(-MAX_TERMINAL_CHARS);
          cut = true;
        }
      }
    } catch {
      // The terminal closed mid-command: keep what arrived.
    }
    let output = plainTerminalText(raw);
    if (output.length > MAX_TERMINAL_CHARS) {
      output = output.slice(-MAX_TERMINAL_CHARS);
      cut = true;
    }
    const exitCode = this.exitCodes.get(execution);
    this.last.set(terminal, { execution, commandLine: execution.commandLine.value, output, cut, ...(exitCode !== undefined ? { exitCode } : {}) });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
