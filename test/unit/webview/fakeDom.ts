/** A minimal DOM for the view tests: it records what the view builds, and has no HTML parser at all. */
import type { DomDocument, DomElement, DomNode } from '../../../src/webview/dom';

export abstract class FakeNode implements DomNode {
  children: FakeNode[] = [];
  appendChild(child: DomNode): DomNode {
    this.children.push(child as FakeNode);
    return child;
  }
  abstract get text(): string;
}

export class FakeText extends FakeNode {
  constructor(public data: string) {
    super();
  }
  get text(): string {
    return this.data;
  }
}

export class FakeElement extends FakeNode implements DomElement {
  readonly attrs = new Map<string, string>();
  readonly listeners = new Map<string, Array<() => void>>();
  constructor(
    readonly tag: string,
    readonly ns?: string,
  ) {
    super();
  }
  get textContent(): string {
    return this.text;
  }
  set textContent(v: string | null) {
    this.children = v ? [new FakeText(v)] : [];
  }
  get text(): string {
    return this.children.map((c) => c.text).join('');
  }
  setAttribute(name: string, value: string): void {
    this.attrs.set(name, value);
  }
  addEventListener(type: string, listener: () => void): void {
    const l = this.listeners.get(type) ?? [];
    l.push(listener);
    this.listeners.set(type, l);
  }
  click(): void {
    for (const l of this.listeners.get('click') ?? []) l();
  }
  get classes(): string[] {
    return (this.attrs.get('class') ?? '').split(/\s+/).filter(Boolean);
  }
  /** Every element below (and including) this one. */
  all(): FakeElement[] {
    const out: FakeElement[] = [this];
    for (const c of this.children) if (c instanceof FakeElement) out.push(...c.all());
    return out;
  }
  /** Every text node below this one. */
  texts(): FakeText[] {
    const out: FakeText[] = [];
    for (const c of this.children) {
      if (c instanceof FakeText) out.push(c);
      else if (c instanceof FakeElement) out.push(...c.texts());
    }
    return out;
  }
  find(pred: (e: FakeElement) => boolean): FakeElement | undefined {
    return this.all().find(pred);
  }
  byClass(cls: string): FakeElement[] {
    return this.all().filter((e) => e.classes.includes(cls));
  }
  button(label: string): FakeElement | undefined {
    return this.find((e) => e.tag === 'button' && e.text === label);
  }
}

export class FakeDocument implements DomDocument {
  readonly created: FakeElement[] = [];
  createElement(tag: string): FakeElement {
    const e = new FakeElement(tag);
    this.created.push(e);
    return e;
  }
  createElementNS(ns: string, tag: string): FakeElement {
    const e = new FakeElement(tag, ns);
    this.created.push(e);
    return e;
  }
  createTextNode(text: string): FakeText {
    return new FakeText(text);
  }
}
