/**
 * The dashboard's routes: real paths (the hub answers every non-API path with the app, so reloading
 * /robots/abc works). Pure matching, unit-tested.
 */
export type Route =
  | { page: "robots" }
  | { page: "add-robot" }
  | { page: "robot"; robotId: string; tab: RobotTab }
  | { page: "settings"; section: string }
  | { page: "login" }
  | { page: "onboarding" }
  | { page: "invitation"; code: string }
  | { page: "not-found"; path: string };

export const ROBOT_TABS = ["map", "details", "history"] as const;
export type RobotTab = (typeof ROBOT_TABS)[number];

export function matchRoute(pathname: string): Route {
  const parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const [first, second, third] = parts;
  if (parts.length === 0) return { page: "robots" };
  if (first === "robots" && parts.length === 1) return { page: "robots" };
  if (first === "robots" && second === "add" && parts.length === 2) return { page: "add-robot" };
  if (first === "robots" && second && parts.length <= 3) {
    const tab = (ROBOT_TABS as readonly string[]).includes(third ?? "") ? (third as RobotTab) : "map";
    if (third && tab !== third) return { page: "not-found", path: pathname };
    return { page: "robot", robotId: second, tab };
  }
  if (first === "settings") return { page: "settings", section: second ?? "profile" };
  if (first === "login" && parts.length === 1) return { page: "login" };
  if (first === "welcome" && parts.length === 1) return { page: "onboarding" };
  // Invitation links carry the code in the fragment (/invite#CODE) so it stays out of server logs.
  if (first === "invite" && parts.length <= 2) return { page: "invitation", code: second ?? "" };
  return { page: "not-found", path: pathname };
}

export function routePath(route: Route): string {
  switch (route.page) {
    case "robots":
      return "/";
    case "add-robot":
      return "/robots/add";
    case "robot":
      return `/robots/${encodeURIComponent(route.robotId)}${route.tab === "map" ? "" : `/${route.tab}`}`;
    case "settings":
      return `/settings/${encodeURIComponent(route.section)}`;
    case "login":
      return "/login";
    case "onboarding":
      return "/welcome";
    case "invitation":
      return route.code ? `/invite/${encodeURIComponent(route.code)}` : "/invite";
    case "not-found":
      return route.path;
  }
}

/** Navigates without reloading; sh-app listens for popstate. */
export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  window.dispatchEvent(new PopStateEvent("popstate"));
}
