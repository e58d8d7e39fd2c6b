// The named behaviours a test (or a person trying the extension) can ask the simulator for.

export const SCENARIOS = [
  'ok',
  'slow',
  'status-400',
  'status-401',
  'status-403',
  'status-404',
  'status-406',
  'status-422',
  'status-429',
  'status-429-retry-after',
  'status-500',
  'status-502',
  'status-503',
  'status-504',
  'malformed-frame',
  'cut-mid-stream',
  'error-frame',
  'no-done',
  'big',
  'hang',
  'hang-mid-stream',
  'hostile',
  'stray-eos',
  'tool-finish-stop',
  'tool-malformed-args',
  'tool-python-tag',
  'tool-fenced',
  'tool-prose',
] as const;

export type Scenario = (typeof SCENARIOS)[number];

export function isScenario(value: unknown): value is Scenario {
  return typeof value === 'string' && (SCENARIOS as readonly string[]).includes(value);
}

/** The HTTP status a `status-NNN` scenario answers, or undefined for the other scenarios. */
export function scenarioStatus(scenario: Scenario): number | undefined {
  const match = /^status-(\d{3})/.exec(scenario);
  return match ? Number(match[1]) : undefined;
}

/** Streaming rate of the `slow` scenario, in tokens per second. */
export const SLOW_TOKENS_PER_SECOND = 20;

/** How long `slow` makes a non-streaming answer (Segmind, or `stream: false`) wait. */
export const SLOW_NON_STREAMING_DELAY_MS = 3000;

/** How many content deltas the "a few deltas then …" scenarios send before misbehaving. */
export const DELTAS_BEFORE_TROUBLE = 3;

/** How a streamed (or single-body) answer ends. */
export type Ending = 'complete' | 'no-done' | 'malformed' | 'cut' | 'error-frame' | 'silent';

export function endingOf(scenario: Scenario): Ending {
  switch (scenario) {
    case 'malformed-frame':
      return 'malformed';
    case 'cut-mid-stream':
      return 'cut';
    case 'error-frame':
      return 'error-frame';
    case 'no-done':
      return 'no-done';
    case 'hang-mid-stream':
      return 'silent';
    default:
      return 'complete';
  }
}

/** What `error-frame` sends inside a stream, as DeepInfra does when a model is overloaded. */
export const ERROR_FRAME = { error_type: 'overloaded_error', error_message: 'Model is overloaded' } as const;
