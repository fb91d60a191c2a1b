/** Styles every element adopts: buttons, cards, chips, form fields, focus rings (keyboard users see focus). */
import { css } from "lit";

export const sharedStyles = css`
  :host {
    font-family: var(--sh-font);
    color: var(--sh-text);
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  h1,
  h2,
  h3 {
    margin: 0;
    line-height: 1.25;
  }
  h1 {
    font-size: 1.5rem;
  }
  h2 {
    font-size: 1.15rem;
  }
  h3 {
    font-size: 1rem;
  }
  p {
    margin: 0;
  }
  a {
    color: var(--sh-primary);
  }
  .card {
    background: var(--sh-surface);
    border: 1px solid var(--sh-border);
    border-radius: var(--sh-radius);
    box-shadow: var(--sh-shadow);
    padding: var(--sh-gap);
  }
  .muted {
    color: var(--sh-text-2);
  }
  .small {
    font-size: 0.875rem;
  }
  .row {
    display: flex;
    align-items: center;
    gap: 8px;
    flex-wrap: wrap;
  }
  .between {
    justify-content: space-between;
  }
  .stack {
    display: flex;
    flex-direction: column;
    gap: 12px;
  }
  button,
  .button {
    font: inherit;
    font-weight: 600;
    font-size: 0.95rem;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 6px;
    min-height: 44px;
    padding: 0 16px;
    border-radius: 999px;
    border: 1px solid var(--sh-border);
    background: var(--sh-surface-2);
    color: var(--sh-text);
    cursor: pointer;
    text-decoration: none;
    white-space: nowrap;
  }
  button:hover:not(:disabled) {
    filter: brightness(0.97);
  }
  button.primary,
  .button.primary {
    background: var(--sh-primary);
    border-color: var(--sh-primary);
    color: var(--sh-primary-text);
  }
  button.danger {
    background: var(--sh-danger-soft);
    border-color: transparent;
    color: var(--sh-danger);
  }
  button.ghost {
    background: transparent;
    border-color: transparent;
  }
  button.icon {
    padding: 0;
    width: 44px;
  }
  button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  button[aria-busy="true"] {
    cursor: progress;
    opacity: 0.8;
  }
  /* Work in progress: a small spinner after the label (the hub answers when the robot has). */
  button[aria-busy="true"]::after {
    content: "";
    width: 14px;
    height: 14px;
    border-radius: 50%;
    border: 2px solid currentColor;
    border-right-color: transparent;
    animation: sh-spin 0.8s linear infinite;
  }
  @keyframes sh-spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    button[aria-busy="true"]::after {
      animation-duration: 2.4s;
    }
  }
  :focus-visible {
    outline: 3px solid var(--sh-focus);
    outline-offset: 2px;
  }
  input,
  select {
    font: inherit;
    min-height: 44px;
    padding: 0 12px;
    border-radius: var(--sh-radius-small);
    border: 1px solid var(--sh-border);
    background: var(--sh-surface);
    color: var(--sh-text);
    width: 100%;
  }
  label {
    display: flex;
    flex-direction: column;
    gap: 4px;
    font-size: 0.9rem;
    font-weight: 600;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 2px 10px;
    border-radius: 999px;
    font-size: 0.85rem;
    font-weight: 600;
    background: var(--sh-surface-2);
    color: var(--sh-text-2);
  }
  .chip.ok {
    background: var(--sh-ok-soft);
    color: var(--sh-ok);
  }
  .chip.warn {
    background: var(--sh-warn-soft);
    color: var(--sh-warn);
  }
  .chip.danger {
    background: var(--sh-danger-soft);
    color: var(--sh-danger);
  }
  .chip.active {
    background: var(--sh-primary-soft);
    color: var(--sh-primary);
  }
  /* A checkbox with its text on one line. */
  label.check {
    flex-direction: row;
    align-items: center;
    font-weight: 400;
  }
  label.check input {
    width: 20px;
    min-height: 20px;
  }
  fieldset {
    border: 1px solid var(--sh-border);
    border-radius: var(--sh-radius-small);
    padding: 12px;
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  /* A secret or code shown once, to copy. */
  .secret {
    font-family: var(--sh-mono);
    overflow-wrap: anywhere;
    background: var(--sh-surface-2);
    padding: 10px;
    border-radius: var(--sh-radius-small);
  }
  /* A list of things, each with its actions on the right. */
  ul.rows {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
  }
  ul.rows > li {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 8px 12px;
    padding: 10px 0;
    border-bottom: 1px solid var(--sh-border);
    flex-wrap: wrap;
  }
  ul.rows > li:last-child {
    border-bottom: none;
  }
  ul.rows > li button {
    min-height: 36px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
