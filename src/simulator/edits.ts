// Answers that change code, so Apply to File can be tried (and tested) without a model: asked to
// change, fix or rewrite code that an earlier prompt quoted from a named file (as Explain Selection
// quotes it, or as an attachment's `<context kind="file" path="…">` block carries it), the simulator
// answers with that code plus one comment line, in a block naming the file. Of several attached
// files, it takes the one the question names, else the first.

/** What the last prompt must ask for. */
const ASKS_FOR_CHANGE = /\b(?:change|edit|apply|rewrite|refactor|fix|improve|update)\b/i;
/** A file named in backticks, then a fenced block (its fence any run of 3+ backticks). */
const QUOTED_CODE = /`((?:\.?[\w@+-][\w@.+-]*\/)*\.?[\w@+-][\w@.+-]*\.[A-Za-z][\w-]{0,11})`[^\n]*\n(?:[^\n]*\n)*?(`{3,})([\w+#.-]*)[^\n]*\n([\s\S]*?)\n\2(?:\n|$)/;

/** An attachment's block as the extension sends it (src/extension/context/attachments.ts). */
const CONTEXT_BLOCK = /^<context kind="(?:file|selection)" path="([^"\n]*)"[^>\n]*>\n(`{3,})([\w+#.-]*)[^\n]*\n([\s\S]*?)\n\2\n/gm;

export const SIMULATOR_EDIT_COMMENT = 'Changed by the provider simulator';

const LINE_COMMENT: Record<string, string> = {
  py: '#', python: '#', sh: '#', shell: '#', shellscript: '#', bash: '#', yaml: '#', yml: '#', ruby: '#', rb: '#', r: '#', toml: '#', dockerfile: '#',
  sql: '--', lua: '--', haskell: '--',
};

/** The answer to a request to change quoted code, or undefined when the request is not one. */
export function editAnswer(userTexts: readonly string[]): string | undefined {
  // The request is in the words, not in the code they quote ("function update()").
  const last = (userTexts.at(-1) ?? '').replace(/(`{3,})[^\n]*\n[\s\S]*?(?:\n\1|$)/g, '').replace(/^<\/?context\b[^\n]*$/gm, '');
  if (!ASKS_FOR_CHANGE.test(last)) return undefined;
  for (let i = userTexts.length - 1; i >= 0; i--) {
    const attached = [...userTexts[i]!.matchAll(CONTEXT_BLOCK)].map(([, path = '', , language = '', code = '']) => ({ path: unescapeAttribute(path), language, code }));
    const named = attached.find((a) => last.includes(a.path)) ?? attached.find((a) => last.includes(a.path.split('/').pop()!)) ?? attached[0];
    if (named) return changedAnswer(named.path, named.language, named.code);
    const match = QUOTED_CODE.exec(userTexts[i]!);
    if (!match) continue;
    const [, path = '', , language = '', code = ''] = match;
    return changedAnswer(path, language, code);
  }
  return undefined;
}

function changedAnswer(path: string, language: string, code: string): string {
  const lines = code.split('\n');
  const indent = /^[ \t]*/.exec(lines[1] ?? lines[0] ?? '')![0] || /^[ \t]*/.exec(lines[0] ?? '')![0];
  const changed = [lines[0], `${indent}${comment(language)}`, ...lines.slice(1)].join('\n');
  const longestRun = Math.max(0, ...[...changed.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return [
    `Here is \`${path}\` with the change applied. This is the provider simulator: no model ran, it adds one comment line.`,
    '',
    `${fence}${language} ${path}`,
    changed,
    fence,
  ].join('\n');
}

function unescapeAttribute(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function comment(language: string): string {
  const mark = LINE_COMMENT[language.toLowerCase()];
  if (mark) return `${mark} ${SIMULATOR_EDIT_COMMENT}`;
  if (/^(?:html|xml|svg|markdown|md|vue)$/i.test(language)) return `<!-- ${SIMULATOR_EDIT_COMMENT} -->`;
  if (/^css$/i.test(language)) return `/* ${SIMULATOR_EDIT_COMMENT} */`;
  return `// ${SIMULATOR_EDIT_COMMENT}`;
}
