// Some servers put a model's reasoning inline, as `<think>…</think>` at the start of the content
// (DeepSeek-R1 distills and Qwen3 behind servers without a reasoning parser). Streamed, either tag
// may be cut anywhere between two deltas, so a tail that could be the start of a tag is held back
// until the next delta shows whether it is one.

const OPEN = '<think>';
const CLOSE = '</think>';

type State =
  /** Nothing but whitespace yet: the content may still open with `<think>`. */
  | 'start'
  /** Just after `<think>`: the whitespace before the reasoning is dropped. */
  | 'beforeThinking'
  | 'thinking'
  /** Just after `</think>`: the whitespace before the answer is dropped. */
  | 'afterThinking'
  | 'answer';

/**
 * Splits streamed content into reasoning and answer. Only a `<think>` that opens the content counts
 * (after whitespace); one later in an answer (an HTML example, say) is answer text.
 */
export class ThinkTagSplitter {
  private state: State = 'start';
  private held = '';
  private reasoning = '';

  /** The answer text of this delta; its reasoning waits in `takeReasoning`. */
  push(text: string): string {
    // The hot path: once the answer has begun, content passes through untouched.
    if (this.state === 'answer') return text;
    if (this.held) {
      text = this.held + text;
      this.held = '';
    }
    if (this.state === 'start') {
      const from = firstNonSpace(text);
      if (from === text.length) {
        this.held = text;
        return '';
      }
      const rest = text.slice(from);
      if (rest.startsWith(OPEN)) {
        this.state = 'beforeThinking';
        text = rest.slice(OPEN.length);
      } else if (OPEN.startsWith(rest)) {
        this.held = text;
        return '';
      } else {
        this.state = 'answer';
        return text;
      }
    }
    if (this.state === 'beforeThinking') {
      const from = firstNonSpace(text);
      if (from === text.length) return '';
      this.state = 'thinking';
      text = text.slice(from);
    }
    if (this.state === 'thinking') {
      const close = text.indexOf(CLOSE);
      if (close < 0) {
        const keep = partialTagAtEnd(text, CLOSE);
        this.reasoning += text.slice(0, text.length - keep);
        this.held = text.slice(text.length - keep);
        return '';
      }
      this.reasoning += text.slice(0, close);
      this.state = 'afterThinking';
      text = text.slice(close + CLOSE.length);
    }
    // afterThinking
    const from = firstNonSpace(text);
    if (from === text.length) return '';
    this.state = 'answer';
    return text.slice(from);
  }

  /** The reasoning split off since the last call; '' when none. */
  takeReasoning(): string {
    const out = this.reasoning;
    this.reasoning = '';
    return out;
  }

  /**
   * The content has ended: what was held back. An unfinished `<think>` was answer text after all;
   * inside the reasoning, a partial `</think>` was reasoning (left in `takeReasoning`).
   */
  end(): string {
    const held = this.held;
    this.held = '';
    if (this.state === 'thinking') {
      this.reasoning += held;
      return '';
    }
    return held;
  }
}

function firstNonSpace(text: string): number {
  let i = 0;
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}

/** The length of the longest end of `text` that is a proper start of `tag`. */
function partialTagAtEnd(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}
