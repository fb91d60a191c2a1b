/** Modal dialogs (`<dialog>` opened with showModal()): a card over a dimmed page, never wider than the screen. */
import { css } from "lit";

export const dialogStyles = css`
  dialog {
    max-width: min(460px, calc(100vw - 32px));
    border: 1px solid var(--sh-border);
    border-radius: 12px;
    background: var(--sh-surface);
    color: inherit;
    padding: 20px;
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 45%);
  }
`;
