import type { Services } from '../services';

/** Registers our catalog as a VS Code Language Model Chat Provider (vendor `visionChat`). */
export function registerLanguageModelProvider(_services: Services): void {
  // Filled in by the Language Model provider work (issue 6).
}
