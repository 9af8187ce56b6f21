/**
 * The small slice of the DOM the response view uses, as an interface. The browser's `document`
 * satisfies it; the unit tests pass a fake one. Only these calls build the page: createElement(NS),
 * createTextNode, textContent, setAttribute (constant attribute names) and addEventListener —
 * never an HTML-parsing property or method (the unit tests grep for them).
 */
export interface DomNode {
  appendChild(child: DomNode): unknown;
}

export interface DomElement extends DomNode {
  textContent: string | null;
  setAttribute(name: string, value: string): void;
  addEventListener(type: string, listener: () => void): void;
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
