import * as vscode from 'vscode';
import { BUILTIN_PROMPTS } from './savedPrompts';
import type { Services } from '../services';
import { RecentPrompts, askCommand } from './ask';
import { PromptRunner, SavedPrompts, runPromptCommand } from './runPrompt';
import { showError } from '../notifications';

export const PromptCommands = {
  ask: 'visionChat.ask',
  runPrompt: 'visionChat.runPrompt',
  /** The editor context menu's "Run Saved Prompt…": the user's prompts marked `"command": true`. */
  runContextPrompt: 'visionChat.runContextPrompt',
} as const;

/**
 * The built-in code prompts that also sit in the editor context menu's Vision Chat submenu (Explain
 * Selection is there already, at the top level). Menu entries cannot carry arguments, so each needs
 * its own command.
 */
export const BUILTIN_PROMPT_COMMANDS: Readonly<Record<string, string>> = {
  'builtin:findBugs': 'visionChat.prompt.findBugs',
  'builtin:writeTests': 'visionChat.prompt.writeTests',
  'builtin:addComments': 'visionChat.prompt.addComments',
};

/** Registers `visionChat.ask`, `visionChat.runPrompt` and the saved prompts' context-menu commands. */
export function registerPromptCommands(services: Services): void {
  const recent = new RecentPrompts(services.context.workspaceState);
  const saved = new SavedPrompts(services);
  const runner = new PromptRunner(services);
  const guarded = (name: string, run: () => Promise<void>) => async () => {
    try {
      await run();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      services.log.error(`[prompts] ${name}: ${message}`);
      void showError(`${name} failed: ${message}`);
    }
  };

  services.context.subscriptions.push(
    saved,
    vscode.commands.registerCommand(PromptCommands.ask, guarded('Ask', () => askCommand(services, recent))),
    vscode.commands.registerCommand(PromptCommands.runPrompt, (target?: unknown) => guarded('Run Prompt', () => runPromptCommand(services, saved, runner, { target }))()),
    vscode.commands.registerCommand(PromptCommands.runContextPrompt, guarded('Run Saved Prompt', () => runPromptCommand(services, saved, runner, { editorMenuOnly: true }))),
    ...Object.entries(BUILTIN_PROMPT_COMMANDS).map(([id, command]) => {
      const prompt = BUILTIN_PROMPTS.find((p) => p.id === id)!;
      return vscode.commands.registerCommand(command, guarded(prompt.name, () => runner.run(prompt)));
    }),
  );
}
