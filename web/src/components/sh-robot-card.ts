/**
 * A robot on the overview: live status, battery, current room, fault or connection problem, and quick actions
 * (start/pause/resume, dock, locate) with progress and clear errors. The whole card links to the robot page.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { RobotView } from "../../../hub/core/robot-view.ts";
import { robotsApi } from "../data/api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { quickActions, robotHeadline } from "../data/format.ts";
import { store } from "../data/hub-context.ts";
import { navigate } from "../data/router.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-battery.ts";
import "./sh-error-box.ts";
import "./sh-icon.ts";

@customElement("sh-robot-card")
export class ShRobotCard extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .card {
        display: flex;
        flex-direction: column;
        gap: 12px;
        height: 100%;
      }
      header {
        display: flex;
        align-items: flex-start;
        justify-content: space-between;
        gap: 8px;
      }
      .name {
        display: flex;
        flex-direction: column;
        gap: 2px;
      }
      a.title {
        color: inherit;
        text-decoration: none;
        font-size: 1.1rem;
        font-weight: 700;
      }
      a.title::after {
        content: "";
        position: absolute;
        inset: 0;
      }
      .card {
        position: relative;
      }
      .facts {
        display: flex;
        gap: 16px;
        flex-wrap: wrap;
        align-items: center;
        color: var(--sh-text-2);
        font-size: 0.9rem;
      }
      .actions {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
        margin-top: auto;
        position: relative;
        z-index: 1;
      }
      .fault {
        color: var(--sh-danger);
        font-size: 0.9rem;
      }
      sh-error-box {
        position: relative;
        z-index: 1;
      }
    `,
  ];

  @property({ attribute: false }) accessor robot!: RobotView;
  /**
   * The name of the room the robot is in, from the page: room names load after the robot (and change without
   * it), and a card re-renders only when its properties change.
   */
  @property({ attribute: false }) accessor room: string | null = null;
  readonly #actions = new ActionRunner(this);

  #command(name: string) {
    return this.#actions.run(name, async () => {
      const { robot } = await robotsApi.command(this.robot.id, name);
      store.acceptAnswer(robot);
    });
  }

  override render() {
    const r = this.robot;
    const head = robotHeadline(r);
    const s = r.state;
    // View-only access: the card shows the robot but offers no actions.
    const actions = store.grantsFor(r.id).control
      ? quickActions(r)
      : { primary: null, canDock: false, canStop: false };
    const room = s ? this.room : null;
    const path = `/robots/${encodeURIComponent(r.id)}`;
    return html`<article class="card" aria-labelledby="title">
      <header>
        <div class="name">
          <a
            id="title"
            class="title"
            href=${path}
            @click=${(e: MouseEvent) => {
              if (e.metaKey || e.ctrlKey) return;
              e.preventDefault();
              navigate(path);
            }}
            >${r.name}</a
          >
          <span class="muted small">${r.model}</span>
        </div>
        <span class="chip ${head.tone}" data-testid="status">${head.label}</span>
      </header>
      <div class="facts">
        ${s ? html`<sh-battery .percent=${s.battery} .charging=${s.charging}></sh-battery>` : nothing}
        ${room ? html`<span data-testid="room">In ${room}</span>` : nothing}
      </div>
      ${s?.error ? html`<p class="fault" role="status">${s.error.message}</p>` : nothing}
      ${r.connection !== "online" && r.connectionError ? html`<p class="fault">${r.connectionError}</p>` : nothing}
      <sh-error-box .error=${this.#actions.error} @dismiss=${() => this.#actions.clearError()}></sh-error-box>
      ${
        actions.primary
          ? html`<div class="actions">
            <button
              class="primary"
              aria-busy=${this.#actions.isPending(actions.primary.command)}
              ?disabled=${this.#actions.pending !== null}
              @click=${() => this.#command(actions.primary!.command)}
            >
              <sh-icon name=${actions.primary.command === "pause" ? "pause" : "play"}></sh-icon>
              ${actions.primary.label}
            </button>
            <button
              ?disabled=${!actions.canDock || this.#actions.pending !== null}
              aria-busy=${this.#actions.isPending("dock")}
              @click=${() => this.#command("dock")}
            >
              <sh-icon name="home"></sh-icon> Dock
            </button>
            ${
              r.capabilities.locate
                ? html`<button
                  class="icon"
                  aria-label=${`Locate ${r.name}`}
                  title="Play the locate sound"
                  ?disabled=${this.#actions.pending !== null}
                  aria-busy=${this.#actions.isPending("locate")}
                  @click=${() => this.#command("locate")}
                >
                  <sh-icon name="locate"></sh-icon>
                </button>`
                : nothing
            }
          </div>`
          : nothing
      }
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-robot-card": ShRobotCard;
  }
}
