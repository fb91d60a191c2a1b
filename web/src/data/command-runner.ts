/**
 * Runs a user action (a command, a form submit) for an element: remembers which action is pending so its button
 * shows progress and others wait, and keeps the error in words a person understands until the next action.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { describeError, type ErrorText } from "./error-text.ts";

export class ActionRunner implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  pending: string | null = null;
  error: ErrorText | null = null;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {}

  /** Runs `action` unless another is pending; returns its result, or undefined when it failed. */
  async run<T>(name: string, action: () => Promise<T>): Promise<T | undefined> {
    if (this.pending) return undefined;
    this.pending = name;
    this.error = null;
    this.#host.requestUpdate();
    try {
      return await action();
    } catch (err) {
      this.error = describeError(err);
      return undefined;
    } finally {
      this.pending = null;
      this.#host.requestUpdate();
    }
  }

  clearError(): void {
    this.error = null;
    this.#host.requestUpdate();
  }

  isPending(name: string): boolean {
    return this.pending === name;
  }
}
