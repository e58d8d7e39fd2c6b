// Small DOM helpers. Everything the view builds goes through these, never through HTML strings
// (the only HTML the view parses is sanitised Markdown output; see markdown.ts).

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

/** Creates an element: `h('button', { class: 'x', 'aria-label': 'Send' }, 'text')`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** A codicon glyph, hidden from screen readers (the button around it carries the label). */
export function icon(name: string, extraClass = ''): HTMLElement {
  return h('span', { class: `codicon codicon-${name}${extraClass ? ' ' + extraClass : ''}`, 'aria-hidden': 'true' });
}

/** A toolbar-style button showing only an icon; the label is its accessible name and tooltip. */
export function iconButton(name: string, label: string, attrs: Attrs = {}): HTMLButtonElement {
  return h('button', { type: 'button', class: 'icon-button', 'aria-label': label, title: label, ...attrs }, icon(name));
}

/** A text button in VS Code's style; `secondary` for the less prominent look. */
export function textButton(label: string, attrs: Attrs = {}, iconName?: string, secondary = false): HTMLButtonElement {
  return h(
    'button',
    { type: 'button', class: secondary ? 'text-button secondary' : 'text-button', ...attrs },
    iconName ? icon(iconName) : null,
    h('span', {}, label),
  );
}

export function clear(el: Element): void {
  el.replaceChildren();
}
