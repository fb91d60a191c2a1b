/** Layout of the pages shown before signing in: a centred card with the hub's name. */
import { css } from "lit";

export const authPageStyles = css`
  :host {
    display: block;
    max-width: 440px;
    margin: 24px auto;
  }
  .card {
    display: flex;
    flex-direction: column;
    gap: 16px;
    padding: 24px;
  }
  .logo {
    display: flex;
    align-items: center;
    gap: 10px;
    font-weight: 800;
    font-size: 1.3rem;
  }
  .logo sh-icon {
    width: 32px;
    height: 32px;
    color: var(--sh-primary);
  }
  form {
    display: flex;
    flex-direction: column;
    gap: 14px;
  }
  ul {
    margin: 0;
    padding-left: 20px;
  }
`;
