// Diagnostics as the model reads them: one line per problem with file, line, column, severity,
// message and source, errors first, at most MAX_PROBLEMS. No `vscode` here.

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Problem {
  readonly path: string;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
  readonly severity: Severity;
  readonly message: string;
  readonly source?: string;
  readonly code?: string;
}

export const MAX_PROBLEMS = 200;
const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

export function problemsText(problems: readonly Problem[], max = MAX_PROBLEMS): { text: string; shown: number; note?: string } {
  const sorted = [...problems].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.line - b.line || a.column - b.column);
  const shown = sorted.slice(0, max);
  const lines = shown.map((p) => {
    const origin = p.source ? ` (${p.source}${p.code ? ` ${p.code}` : ''})` : '';
    // One line each: a message's own line breaks would read as another problem.
    return `${p.path}:${p.line}:${p.column} ${p.severity}: ${p.message.replace(/\s*[\r\n]+\s*/g, ' ').slice(0, 2000)}${origin}`;
  });
  const left = sorted.length - shown.length;
  return { text: lines.join('\n'), shown: shown.length, ...(left > 0 ? { note: `${left} more problems left out` } : {}) };
}

/** Terminal output as text: colours, cursor moves and other escape sequences removed. */
export function plainTerminalText(raw: string): string {
  return raw
    // OSC sequences (shell integration marks, titles), ended by BEL or ST.
    .replace(/\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g, '')
    // CSI sequences (colours, cursor), and other two-character escapes.
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\u001b[@-Z\\-_]/g, '')
    .replace(/\r\n/g, '\n')
    .replace(/[^\n\t\u0020-\u007e\u00a0-\uffff]/g, '');
}
