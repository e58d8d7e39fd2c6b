// Markdown → sanitised DOM. Model output is hostile input: it is parsed with marked, code is
// highlighted, and the HTML goes through DOMPurify (a strict allow-list) before it touches the page.
// The user's own prompts take the same path (they hold pasted text and selections, just as hostile).
// Links never navigate the webview; messageList.ts turns clicks into `openLink` messages.

import DOMPurify, { type Config } from 'dompurify';
import { Marked, type Token, type Tokens, type TokensList } from 'marked';
import { h, icon } from './dom';
import { highlight, languageLabel } from './highlight';
import { pathFromInfo } from './codeTarget';
import { BARE_TAG, htmlGroups } from './htmlNesting';

/** Code larger than this is shown without colours: highlighting it would stall the view. */
export const HIGHLIGHT_LIMIT_CHARS = 60_000;

const SAFE_URL = /^(?:https?:|mailto:)/i;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Fence info strings come from the model: keep a plain word. */
function fenceLanguage(lang: string | undefined): string {
  const word = (lang ?? '').trim().split(/\s+/)[0] ?? '';
  return /^[\w+#.-]{1,32}$/.test(word) ? word.toLowerCase() : '';
}

/**
 * Raw HTML in model output: bare formatting tags stay, every other tag shows as text. DOMPurify
 * still checks the result; this keeps attributes like `onerror` from ever reaching an HTML parser,
 * where Chromium would log a (blocked) CSP violation for each.
 */
function harmlessHtml(html: string): string {
  return html.replace(/<[^>]*>?/g, (tag) => (BARE_TAG.test(tag) ? tag : escapeHtml(tag)));
}

/**
 * Whose text it is. An `answer` is Markdown as models write it. A `prompt` is what the user typed
 * (or a command built, such as Explain Selection's fenced code): each line break is kept, as it was
 * in the prompt box, and every raw HTML tag shows as typed.
 */
export type MarkdownKind = 'answer' | 'prompt';

interface RenderOptions {
  readonly kind: MarkdownKind;
  /** Highlight code blocks up to this many characters (0: none). */
  readonly highlightLimit: number;
}

const DEFAULT_OPTIONS: RenderOptions = { kind: 'answer', highlightLimit: HIGHLIGHT_LIMIT_CHARS };

let currentOptions: RenderOptions = DEFAULT_OPTIONS;
/** The file each code block rendered so far names in its info string, in order (see decorateCodeBlocks). */
let codeBlockPaths: (string | undefined)[] = [];

/** One renderer for both kinds; `breaks` is a lexer option, so each kind has its own instance. */
const markedFor = (breaks: boolean): Marked => new Marked({
  gfm: true,
  breaks,
  async: false,
  renderer: {
    code({ text, lang }: Tokens.Code): string {
      const language = fenceLanguage(lang);
      codeBlockPaths.push(pathFromInfo(lang));
      const highlighted = text.length <= currentOptions.highlightLimit ? highlight(text, language) : undefined;
      const cls = language ? ` class="hljs language-${escapeHtml(language)}"` : ' class="hljs"';
      return `<pre><code${cls}>${highlighted ?? escapeHtml(text)}</code></pre>\n`;
    },
    image({ href, text }: Tokens.Image): string {
      // The CSP blocks remote images anyway; a link says where the picture is without fetching it.
      const alt = escapeHtml(text || 'image');
      return SAFE_URL.test(href) ? `<a href="${escapeHtml(href)}">${alt}</a>` : alt;
    },
    html(token: Tokens.HTML | Tokens.Tag): string {
      const safe = currentOptions.kind === 'prompt' ? escapeHtml(token.text) : harmlessHtml(token.text);
      // An HTML block shown as text still reads as its own paragraph.
      return token.block && safe !== token.text ? `<p>${safe}</p>\n` : safe;
    },
    checkbox({ checked }: Tokens.Checkbox): string {
      return checked ? '☑ ' : '☐ ';
    },
  },
});

const MARKED: Record<MarkdownKind, Marked> = { answer: markedFor(false), prompt: markedFor(true) };

const ALLOWED_TAGS = [
  'a', 'abbr', 'b', 'blockquote', 'br', 'code', 'dd', 'del', 'details', 'div', 'dl', 'dt', 'em', 'h1', 'h2', 'h3', 'h4',
  'h5', 'h6', 'hr', 'i', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 's', 'small', 'span', 'strong', 'sub', 'summary',
  'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul',
];

/** Attributes marked writes whose values are not URLs, with the only values they may have. */
const PLAIN_ATTRIBUTES: Record<string, { tags: RegExp; value: RegExp }> = {
  start: { tags: /^OL$/, value: /^\d{1,9}$/ }, // a list's first number ("3. …" after a code block)
  align: { tags: /^T[HD]$/, value: /^(?:left|center|right)$/ }, // a table column's `:---:`
};

/** The longest link title shown; models rarely write one, and a tooltip is no place for an essay. */
const TITLE_MAX_CHARS = 200;

DOMPurify.addHook('uponSanitizeAttribute', (node, data) => {
  // Classes could dress model output up as the view's own controls; keep only highlighting ones.
  if (data.attrName === 'class') {
    data.attrValue = data.attrValue
      .split(/\s+/)
      .filter((c) => /^(hljs(-[\w-]+)?|language-[\w+#.-]+)$/.test(c) || /^[\w-]+_$/.test(c))
      .join(' ');
    if (!data.attrValue) data.keepAttr = false;
  }
  // DOMPurify checks every other attribute as a URL, against SAFE_URL: these are not URLs.
  const plain = PLAIN_ATTRIBUTES[data.attrName];
  if (plain) {
    if (plain.tags.test(node.tagName) && plain.value.test(data.attrValue)) data.forceKeepAttr = true;
    else data.keepAttr = false;
  }
});

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    const href = node.getAttribute('href');
    if (href && SAFE_URL.test(href)) node.setAttribute('title', linkTitle(node.getAttribute('title'), href));
    else node.removeAttribute('href');
  }
});

/** The model's title for a link, on one line, with where the link really goes below it. */
function linkTitle(title: string | null, href: string): string {
  let text = (title ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\s]+/g, ' ').trim();
  if (text.length > TITLE_MAX_CHARS) text = `${text.slice(0, TITLE_MAX_CHARS - 1)}…`;
  return text ? `${text}\n${href}` : href;
}

const PURIFY_CONFIG: Config & { RETURN_DOM_FRAGMENT: true } = {
  ALLOWED_TAGS,
  ALLOWED_ATTR: ['href', 'title', 'class', 'align', 'start', 'colspan', 'rowspan', 'open'],
  ALLOWED_URI_REGEXP: SAFE_URL,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  RETURN_DOM_FRAGMENT: true,
};

export function lex(source: string, kind: MarkdownKind = 'answer'): TokensList {
  return MARKED[kind].lexer(source);
}

/** Renders block tokens (from `lex` of the same kind) into a sanitised fragment with code-block toolbars. */
export function renderTokens(tokens: Token[], links: TokensList['links'] | undefined, options?: Partial<RenderOptions>): DocumentFragment {
  currentOptions = { ...DEFAULT_OPTIONS, ...options };
  codeBlockPaths = [];
  const fragment = document.createDocumentFragment();
  let paths: (string | undefined)[];
  try {
    // A prompt's HTML all shows as text; an answer's is sanitised in groups it cannot reach out of.
    for (const group of currentOptions.kind === 'prompt' ? [tokens] : htmlGroups(tokens)) {
      const html = MARKED[currentOptions.kind].parser(Object.assign([...group], { links: links ?? {} }) as TokensList);
      fragment.append(DOMPurify.sanitize(html, PURIFY_CONFIG));
    }
  } finally {
    currentOptions = DEFAULT_OPTIONS;
    paths = codeBlockPaths;
    codeBlockPaths = [];
  }
  decorateCodeBlocks(fragment, paths);
  return fragment;
}

export function renderMarkdown(source: string, options?: Partial<RenderOptions>): DocumentFragment {
  const tokens = lex(source, options?.kind);
  return renderTokens(tokens, tokens.links, options);
}

/**
 * Wraps each `<pre>` in a block with the language and the Copy / Insert / Apply / Open buttons.
 * Every `<pre>` comes from the code renderer (raw HTML never makes one), so the n-th is the n-th
 * path in `paths`.
 */
function decorateCodeBlocks(root: DocumentFragment, paths: readonly (string | undefined)[]): void {
  const pres = Array.from(root.querySelectorAll('pre'));
  const aligned = pres.length === paths.length;
  for (const [index, pre] of pres.entries()) {
    const code = pre.querySelector('code');
    const language = /(?:^|\s)language-([\w+#.-]+)/.exec(code?.className ?? '')?.[1] ?? '';
    const label = language ? languageLabel(language) : 'text';
    const target = aligned ? paths[index] : undefined;
    const block = h('div', { class: 'code-block', 'data-language': language || undefined, 'data-target': target });
    const header = h(
      'div',
      { class: 'code-header' },
      h('span', { class: 'code-language' }, label),
      h(
        'span',
        { class: 'code-actions' },
        codeButton('copy', 'copy', 'Copy'),
        codeButton('insert', 'insert', 'Insert at Cursor'),
        codeButton('apply', 'diff', target ? `Apply to ${target}…` : 'Apply to File…'),
        codeButton('newEditor', 'new-file', 'Open in New Editor'),
      ),
    );
    pre.replaceWith(block);
    pre.tabIndex = 0; // long lines scroll sideways: keyboard users need to reach the scroller
    block.append(header, pre);
  }
}

function codeButton(action: string, iconName: string, label: string): HTMLButtonElement {
  return h('button', { type: 'button', class: 'icon-button', 'data-code-action': action, 'aria-label': label, title: label }, icon(iconName));
}
