/**
 * Notifications for the dashboard (docs/api.md "Notifications"): labels per kind, and dismissing one or all
 * with the header's count kept right. Shared by the toasts and the notifications list.
 */
import type { NoticeKind } from "../../../hub/auth/notice-repository.ts";
import { authApi, type Notice } from "./auth-api.ts";
import { store } from "./hub-context.ts";

export const NOTICE_LABELS: Record<NoticeKind, string> = {
  cleaning_finished: "Cleaning finished",
  robot_attention: "Needs attention",
  consumable_due: "Part due",
  new_ip_login: "New sign-in",
  repeated_failures: "Failed sign-ins",
  robot_identity_changed: "Robot identity changed",
};

/** How a notice is shown: attention and security notices stand out, finished runs do not. */
export const noticeTone = (n: Notice): "ok" | "warn" | "danger" =>
  n.kind === "cleaning_finished" ? "ok" : n.kind === "consumable_due" ? "warn" : "danger";

/** Event on the store after a dismissal: detail is the notice's id, or null for all. */
export const NOTICES_DISMISSED = "notices-dismissed";

async function dismissed(id: number | null): Promise<void> {
  store.dispatchEvent(new CustomEvent<number | null>(NOTICES_DISMISSED, { detail: id }));
  const me = await authApi.me();
  store.setUnreadNotices(me.unreadNotices);
}

export async function dismissNotice(id: number): Promise<void> {
  await authApi.dismissNotice(id);
  await dismissed(id);
}

export async function dismissAllNotices(): Promise<void> {
  await authApi.dismissAllNotices();
  await dismissed(null);
}
