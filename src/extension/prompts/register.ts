import type { Services } from '../services';

/** Registers `visionChat.ask`, `visionChat.runPrompt` and the saved prompts' context-menu commands. */
export function registerPromptCommands(_services: Services): void {
  // Filled in by the command-palette prompts work (issue 7).
}
