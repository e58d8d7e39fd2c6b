// The webview's one handle on VS Code. `acquireVsCodeApi` may be called only once per page.

import type { WebviewMessage } from '../protocol';
import type { PersistedState } from './persistedState';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface Host {
  post(message: WebviewMessage): void;
  getState(): Partial<PersistedState> | undefined;
  setState(state: PersistedState): void;
}

export function connectToHost(): Host {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    getState: () => {
      const state = api.getState();
      return typeof state === 'object' && state !== null ? (state as Partial<PersistedState>) : undefined;
    },
    setState: (state) => api.setState(state),
  };
}
