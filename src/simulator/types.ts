// The simulator's public vocabulary (re-exported by server.ts, which is the module to import).

import type { EventEmitter } from 'node:events';
import type { Scenario } from './scenarios';

export type { Scenario } from './scenarios';

export interface SimulatorOptions {
  /** 0 = any free port (default 0). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 'sim-valid-key'. */
  validKey?: string;
  /** Segmind balance, default 25. */
  credits?: number;
  /** Default streaming rate; 0 = as fast as possible (default 0). */
  tokensPerSecond?: number;
  /** Default answer length in tokens (default 60). */
  answerTokens?: number;
}

export type SimProvider = 'segmind' | 'deepinfra' | 'openai' | 'control';

export interface SimRequestRecord {
  id: number;
  method: string;
  /** The URL path, without the query string. */
  path: string;
  provider: SimProvider;
  /** Segmind slug or the body's `model`. */
  model?: string;
  scenario: Scenario;
  /** The status sent, 0 while none was (e.g. `hang`). */
  status: number;
  /** The body asked for `stream: true` (Segmind answers one JSON body regardless). */
  stream: boolean;
  startedAt: number;
  /** The client closed the connection before the response was complete. */
  closedByClient: boolean;
  closedAt?: number;
  /** The whole response was written. */
  finished: boolean;
  messageCount: number;
  /** Characters of text across all messages. */
  promptChars: number;
  imageCount: number;
  imageBytes: number;
  /** As declared by the client (the data URL's type), or sniffed when it declared none. */
  imageMimes: string[];
  authorized: boolean;
  // Additions beyond the contract, for tests that check what the client sent:
  /** Characters of text in the last user message. */
  lastPromptChars: number;
  /** The last user message's text, its first 256 KB (what a prompt carried: attachments, the question). */
  lastUserText: string;
  /** The messages' roles in order, e.g. ['system', 'user', 'assistant', 'user']. */
  roles: string[];
  /** Pixel sizes read from the images' headers (undefined for remote URLs or unknown formats). */
  imageSizes: { width?: number; height?: number }[];
  maxTokens?: number;
  temperature?: number;
  /** Frames of reasoning and content (SSE) or answer tokens (single body) sent so far. */
  tokensSent: number;
  /** The names of the tools the request offered (OpenAI `tools`, or a Llama JSON tool prompt). */
  toolNames: string[];
  /** Whether the tools came as a Llama JSON tool prompt in the system message. */
  toolsPrompted: boolean;
  toolChoice?: string;
  /** The tool results the request carried for the model's last calls (each clipped to 4 KB). */
  toolResults: string[];
  /** The tool calls answered, by name. */
  toolCallsSent: string[];
  /** The earlier answers the request sent back (assistant messages' text, each clipped to 4 KB). */
  assistantTexts: string[];
  /** How many messages carried a reasoning field (`reasoning_content`, `reasoning`, `thinking`): a client should send none. */
  reasoningFields: number;
}

/**
 * Emits 'request' (rec) once a request has been read and its scenario chosen, 'clientClosed' (rec)
 * the moment a client closes a connection early, 'finished' (rec) when a response is complete, and,
 * as an addition, 'closed' (rec) when a request is over by any means (finished, closed by the client,
 * cut by a scenario, or the simulator closing).
 */
export interface Simulator extends EventEmitter {
  readonly url: string;
  readonly segmindBaseUrl: string;
  readonly deepinfraBaseUrl: string;
  readonly openaiBaseUrl: string;
  readonly validKey: string;
  readonly requests: readonly SimRequestRecord[];
  /** The next `count` (default 1) model requests use this scenario. */
  queueScenario(name: Scenario, count?: number): void;
  /** `listingsDown`: the model listings answer 503, as a provider that cannot be reached. */
  configure(o: { tokensPerSecond?: number; answerTokens?: number; credits?: number; listingsDown?: boolean }): void;
  credits(): number;
  /** Clears the log and the queue, restores the initial options and credits. */
  reset(): void;
  /** Stops listening and destroys open sockets, so hanging requests cannot hold it open. */
  close(): Promise<void>;
}
