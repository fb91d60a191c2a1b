/**
 * Signing in and out for the whole app: asks the hub whether it has an owner yet and whether this browser is
 * signed in, loads the user and their grants, starts or stops the live connection, and applies the user's
 * theme. A hub without the accounts API (older versions) is used as before, without signing in.
 */
import { ApiError, onUnauthorized } from "./api.ts";
import { authApi, type Me, type Preferences } from "./auth-api.ts";
import { live, store } from "./hub-context.ts";

export type Gate = "onboarding" | "login" | "app";

export async function refreshSession(): Promise<Gate> {
  let status: Awaited<ReturnType<typeof authApi.status>>;
  try {
    status = await authApi.status();
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      store.setAuth(
        {
          accounts: false,
          onboarded: true,
          signedIn: true,
          hubName: "sweephub",
          version: "",
          https: false,
          caCertificate: null,
          onboardingCodeRequired: false,
        },
        null,
      );
      live.start();
      return "app";
    }
    throw err;
  }
  const auth = { ...status, accounts: true };
  if (!status.onboarded || !status.signedIn) {
    live.stop();
    store.setAuth(auth, null);
    return status.onboarded ? "login" : "onboarding";
  }
  const me = await authApi.me();
  store.setAuth(auth, me);
  applyTheme(me.user.preferences.theme);
  live.restart();
  return "app";
}

/** After a sign-in or onboarding answered: load the user and go live. */
export async function signedIn(): Promise<void> {
  await refreshSession();
}

export async function signOut(): Promise<void> {
  try {
    await authApi.logout();
  } finally {
    live.stop();
    store.setSnapshot([], []);
    store.setAuth(store.auth ? { ...store.auth, signedIn: false } : null, null);
    applyTheme("system");
  }
}

export function setMe(me: Me): void {
  store.setAuth(store.auth, me);
  applyTheme(me.user.preferences.theme);
}

export function applyTheme(theme: Preferences["theme"]): void {
  if (typeof document === "undefined") return;
  if (theme === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

live.onDisconnect = () => {
  if (!store.auth?.accounts || !store.auth.signedIn) return;
  // A revoked grant or session closes the connection: learn what changed (a 401 signs out below).
  authApi.me().then(setMe, () => {});
};

/** A 401 anywhere means the session ended (expired, revoked, signed out elsewhere): back to sign-in. */
onUnauthorized(() => {
  if (!store.auth?.accounts || !store.auth.signedIn) return;
  live.stop();
  store.setAuth({ ...store.auth, signedIn: false }, null);
});
