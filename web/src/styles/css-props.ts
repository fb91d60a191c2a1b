/**
 * Sets inline CSS properties through the CSSOM only. Lit's styleMap writes a style attribute on first render,
 * which the hub's Content-Security-Policy (style-src 'self', no inline styles) blocks; setProperty is allowed.
 */
import { noChange } from "lit";
import { type AttributePart, Directive, directive, type PartInfo, PartType } from "lit/directive.js";

class CssPropsDirective extends Directive {
  #previous = new Set<string>();

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ATTRIBUTE || part.name !== "style") {
      throw new Error("cssProps() belongs in a style attribute binding");
    }
  }

  render(_props: Record<string, string>) {
    return noChange;
  }

  override update(part: AttributePart, [props]: [Record<string, string>]) {
    const style = part.element.style;
    for (const name of this.#previous) if (!(name in props)) style.removeProperty(name);
    for (const [name, value] of Object.entries(props)) style.setProperty(name, value);
    this.#previous = new Set(Object.keys(props));
    return noChange;
  }
}

export const cssProps = directive(CssPropsDirective);
