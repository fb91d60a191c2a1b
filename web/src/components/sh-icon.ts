/**
 * Inline SVG icons (no icon font: nothing is fetched from outside the hub). Decorative by default; give
 * `label` when the icon is the only content of a control.
 */
import { css, html, LitElement, svg } from "lit";
import { customElement, property } from "lit/decorators.js";

const PATHS = {
  play: svg`<path d="M8 5v14l11-7z"/>`,
  pause: svg`<path d="M6 5h4v14H6zM14 5h4v14h-4z"/>`,
  stop: svg`<path d="M6 6h12v12H6z"/>`,
  home: svg`<path d="M12 3 2 12h3v8h6v-6h2v6h6v-8h3z"/>`,
  locate: svg`<path d="M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zm9 3h-2.07A7 7 0 0 0 13 5.07V3h-2v2.07A7 7 0 0 0 5.07 11H3v2h2.07A7 7 0 0 0 11 18.93V21h2v-2.07A7 7 0 0 0 18.93 13H21zm-9 6a5 5 0 1 1 0-10 5 5 0 0 1 0 10z"/>`,
  plus: svg`<path d="M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z"/>`,
  back: svg`<path d="M20 11H7.8l5.6-5.6L12 4l-8 8 8 8 1.4-1.4L7.8 13H20z"/>`,
  battery: svg`<path d="M16 4h-2V2h-4v2H8a1 1 0 0 0-1 1v16a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V5a1 1 0 0 0-1-1z"/>`,
  bolt: svg`<path d="M11 21h-1l1-7H7.5c-.6 0-.6-.3-.4-.7L13 3h1l-1 7h3.5c.5 0 .6.3.4.7z"/>`,
  warning: svg`<path d="M1 21h22L12 2zm12-3h-2v-2h2zm0-4h-2v-4h2z"/>`,
  settings: svg`<path d="M19.4 13a7.5 7.5 0 0 0 0-2l2.1-1.6-2-3.5-2.5 1a7.7 7.7 0 0 0-1.7-1L15 3h-4l-.4 2.9a7.7 7.7 0 0 0-1.7 1l-2.5-1-2 3.5L6.6 11a7.5 7.5 0 0 0 0 2l-2.1 1.6 2 3.5 2.5-1a7.7 7.7 0 0 0 1.7 1L11 21h4l.4-2.9a7.7 7.7 0 0 0 1.7-1l2.5 1 2-3.5zM13 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7z" transform="translate(-1 0)"/>`,
  robot: svg`<path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16z"/><path d="M12 5.2a7.6 7.6 0 0 0-5.6 2.5l1.3 1.3A5.8 5.8 0 0 1 12 7a5.8 5.8 0 0 1 4.3 2l1.3-1.3A7.6 7.6 0 0 0 12 5.2z"/><circle cx="12" cy="13" r="3"/>`,
  refresh: svg`<path d="M17.65 6.35A7.95 7.95 0 0 0 12 4a8 8 0 1 0 7.73 10h-2.08A6 6 0 1 1 12 6c1.66 0 3.14.69 4.22 1.78L13 11h7V4z"/>`,
  fit: svg`<path d="M3 3h6v2H5v4H3zm12 0h6v6h-2V5h-4zM3 15h2v4h4v2H3zm16 4h-4v2h6v-6h-2z"/>`,
  zoomIn: svg`<path d="M15.5 14h-.8l-.3-.3A6.5 6.5 0 1 0 14 14.4l.3.3v.8l5 5 1.5-1.5zm-6 0a4.5 4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9zM10 7H9v2H7v1h2v2h1v-2h2V9h-2z"/>`,
  zoomOut: svg`<path d="M15.5 14h-.8l-.3-.3A6.5 6.5 0 1 0 14 14.4l.3.3v.8l5 5 1.5-1.5zm-6 0a4.5 4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9zM7 9h5v1H7z"/>`,
  logout: svg`<path d="M10 17l1.4-1.4L8.8 13H20v-2H8.8l2.6-2.6L10 7l-5 5zM4 5h8V3H4a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h8v-2H4z"/>`,
  up: svg`<path d="M7.4 15.4 12 10.8l4.6 4.6L18 14l-6-6-6 6z"/>`,
  down: svg`<path d="M7.4 8.6 12 13.2l4.6-4.6L18 10l-6 6-6-6z"/>`,
  bell: svg`<path d="M12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2zm6-6v-5c0-3.1-1.6-5.6-4.5-6.3V4a1.5 1.5 0 0 0-3 0v.7C7.6 5.4 6 7.9 6 11v5l-2 2v1h16v-1z"/>`,
  close: svg`<path d="M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6z"/>`,
  map: svg`<path d="M20.5 3h-.2L15 5.1 9 3 3.4 4.9c-.2.1-.4.3-.4.5v15.1c0 .3.2.5.5.5h.2L9 18.9l6 2.1 5.6-1.9c.2-.1.4-.3.4-.5V3.5c0-.3-.2-.5-.5-.5zM15 19l-6-2.1V5l6 2.1z"/>`,
} as const;

export type IconName = keyof typeof PATHS;

@customElement("sh-icon")
export class ShIcon extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      width: 20px;
      height: 20px;
      flex: none;
    }
    svg {
      width: 100%;
      height: 100%;
      fill: currentColor;
    }
  `;

  @property() accessor name: IconName = "robot";
  @property() accessor label = "";

  override render() {
    return html`<svg
      viewBox="0 0 24 24"
      role=${this.label ? "img" : "presentation"}
      aria-hidden=${this.label ? "false" : "true"}
      aria-label=${this.label || ""}
    >
      ${PATHS[this.name]}
    </svg>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-icon": ShIcon;
  }
}
