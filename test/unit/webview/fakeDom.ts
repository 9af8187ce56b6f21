/** A minimal DOM for the view tests: it records what the view builds, and has no HTML parser at all. */
import type { DomDocument, DomElement, DomEvent, DomNode } from '../../../src/webview/dom';

/** An event for listeners: a key and modifiers when given; records preventDefault. */
export class FakeEvent implements DomEvent {
  defaultPrevented = false;
  constructor(
    public key?: string,
    public shiftKey = false,
    public ctrlKey = false,
  ) {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export abstract class FakeNode implements DomNode {
  children: FakeNode[] = [];
  parent?: FakeNode;
  appendChild(child: DomNode): DomNode {
    const c = child as FakeNode;
    c.parent?.removeChild(c);
    c.parent = this;
    this.children.push(c);
    return child;
  }
  removeChild(child: FakeNode): void {
    const i = this.children.indexOf(child);
    if (i >= 0) this.children.splice(i, 1);
    child.parent = undefined;
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
  readonly listeners = new Map<string, Array<(ev: DomEvent) => void>>();
  /** What a user typed (inputs and textareas); never parsed. */
  value = '';
  focused = false;
  /** A scroll box's position and height (the JSON viewer's list reads them; tests set them). */
  scrollTop = 0;
  clientHeight = 0;
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
    for (const c of this.children) c.parent = undefined;
    this.children = [];
    if (v) this.appendChild(new FakeText(v));
  }
  get text(): string {
    return this.children.map((c) => c.text).join('');
  }
  setAttribute(name: string, value: string): void {
    this.attrs.set(name, value);
  }
  removeAttribute(name: string): void {
    this.attrs.delete(name);
  }
  addEventListener(type: string, listener: (ev: DomEvent) => void): void {
    const l = this.listeners.get(type) ?? [];
    l.push(listener);
    this.listeners.set(type, l);
  }
  remove(): void {
    this.parent?.removeChild(this);
  }
  focus(): void {
    this.focused = true;
  }
  /** Calls the listeners of `type` with `ev`; returns the event. */
  fire(type: string, ev: FakeEvent = new FakeEvent()): FakeEvent {
    for (const l of this.listeners.get(type) ?? []) l(ev);
    return ev;
  }
  click(): void {
    this.fire('click');
  }
  /** Types into an input / textarea: sets the value and fires `input`. */
  type(text: string): void {
    this.value = text;
    this.fire('input');
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
