// The prompt Explain Selection sends: the selected code with its language and file, plus a few
// surrounding lines marked as context. No `vscode` here; the command gathers the pieces.

export interface SelectionContext {
  readonly code: string;
  readonly languageId: string;
  /** Workspace-relative where possible, else the file's base name. Never an absolute path. */
  readonly fileName: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  /** Lines just above and below the selection. */
  readonly before: string;
  readonly after: string;
}

/** Enough for a long function; more would crowd out the answer in an 8k-token model. */
export const MAX_SELECTION_CHARS = 24_000;
export const CONTEXT_LINES = 5;

export function buildExplainPrompt(ctx: SelectionContext): { prompt: string; truncated: boolean } {
  const truncated = ctx.code.length > MAX_SELECTION_CHARS;
  const code = truncated ? ctx.code.slice(0, MAX_SELECTION_CHARS) : ctx.code;
  const lines = ctx.startLine === ctx.endLine ? `line ${ctx.startLine}` : `lines ${ctx.startLine}–${ctx.endLine}`;
  const language = ctx.languageId && ctx.languageId !== 'plaintext' ? ctx.languageId : '';
  const parts = [
    `Explain this code from \`${ctx.fileName}\` (${lines}${language ? `, ${language}` : ''}).`,
    '',
    fenced(code, language),
  ];
  if (truncated) parts.push('', `(The selection was cut to its first ${MAX_SELECTION_CHARS} characters.)`);
  if (ctx.before.trim() || ctx.after.trim()) {
    parts.push('', 'Surrounding lines, for context only (not part of the selection):', '', fenced(joinContext(ctx.before, ctx.after), language));
  }
  return { prompt: parts.join('\n'), truncated };
}

function joinContext(before: string, after: string): string {
  const marker = '/* … the selection … */';
  return [before.replace(/\s+$/, ''), marker, after.replace(/^\s*\n/, '')].filter((p) => p.trim()).join('\n');
}

/** A fence longer than any run of backticks in the code, so the code cannot close it early. */
export function fenced(code: string, language: string): string {
  const longestRun = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${code.replace(/\n$/, '')}\n${fence}`;
}
