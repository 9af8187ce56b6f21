/**
 * The small slice of the DOM the views use, as an interface. The browser's `document` satisfies it;
 * the unit tests pass a fake one. Only these calls build the page: createElement(NS), createTextNode,
 * textContent, setAttribute / removeAttribute (constant attribute names), addEventListener and remove —
 * never an HTML-parsing property or method (the unit tests grep for them).
 */
export interface DomNode {
  appendChild(child: DomNode): unknown;
}

/** The parts of an event the views read (keyboard events carry the key and the modifiers). */
export interface DomEvent {
  key?: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  isComposing?: boolean;
  preventDefault(): void;
}

export interface DomElement extends DomNode {
  textContent: string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  addEventListener(type: string, listener: (ev: DomEvent) => void): void;
  /** Takes the element out of its parent. */
  remove(): void;
}

/** An <input> or <textarea>: what the user typed is its `value` (never parsed as markup). */
export interface DomField extends DomElement {
  value: string;
  focus(): void;
}

export interface DomDocument {
  createElement(tag: string): DomElement;
  createElementNS(namespace: string, tag: string): DomElement;
  createTextNode(text: string): DomNode;
}

export const SVG_NS = 'http://www.w3.org/2000/svg';

/** A tiny element builder over DomDocument. */
export class Builder {
  constructor(readonly doc: DomDocument) {}

  el(tag: string, cls?: string, text?: string): DomElement {
    const e = this.doc.createElement(tag);
    if (cls) e.setAttribute('class', cls);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  text(s: string): DomNode {
    return this.doc.createTextNode(s);
  }

  /** Appends children (strings become text nodes) and returns the parent. */
  add<T extends DomNode>(parent: T, ...children: Array<DomNode | string | undefined | false>): T {
    for (const c of children) {
      if (c === undefined || c === false) continue;
      parent.appendChild(typeof c === 'string' ? this.doc.createTextNode(c) : c);
    }
    return parent;
  }

  /** An <input> (type text) or <textarea> with a placeholder; read and set through `value`. */
  field(tag: 'input' | 'textarea', cls: string, placeholder: string, value = ''): DomField {
    // createElement('input' | 'textarea') gives an element with value and focus (HTMLInputElement / HTMLTextAreaElement).
    const f = this.el(tag, cls) as DomField;
    if (tag === 'input') f.setAttribute('type', 'text');
    f.setAttribute('placeholder', placeholder);
    f.setAttribute('spellcheck', 'false');
    f.value = value;
    return f;
  }

  button(label: string, onClick: () => void, cls = 'btn', title?: string): DomElement {
    const b = this.el('button', cls, label);
    b.setAttribute('type', 'button');
    if (title) b.setAttribute('title', title);
    b.addEventListener('click', onClick);
    return b;
  }

  /** A two-column table of label → value rows (values as text). */
  kvTable(rows: Array<[string, string | DomNode | undefined]>, cls = 'kv'): DomElement {
    const table = this.el('table', cls);
    const body = this.el('tbody');
    table.appendChild(body);
    for (const [k, v] of rows) {
      if (v === undefined) continue;
      const tr = this.el('tr');
      this.add(tr, this.el('th', undefined, k), this.add(this.el('td'), v));
      body.appendChild(tr);
    }
    return table;
  }
}
