/** The robot page's layout: one column on phones, main content plus a 400 px side column from 960 px. */
import { css } from "lit";

export const twoColumnStyles = css`
  .layout {
    display: grid;
    gap: var(--sh-gap);
    grid-template-columns: minmax(0, 1fr);
  }
  @media (min-width: 960px) {
    .layout {
      grid-template-columns: minmax(0, 1fr) 400px;
      align-items: start;
    }
  }
  .side {
    display: flex;
    flex-direction: column;
    gap: var(--sh-gap);
  }
`;
