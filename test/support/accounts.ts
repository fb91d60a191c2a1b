/**
 * Acting as users in end-to-end tests: the owner created by onboarding, and other users created the way real
 * people are (an invitation accepted over HTTP). Clients authenticate with a bearer token or, to exercise the
 * browser path, with the session cookie plus the CSRF header.
 */
export const OWNER = { username: "owner", password: "correct horse battery staple" };
export const USER_PASSWORD = "a long enough test password";

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ApiClient {
  userId: string;
  /** Headers this client authenticates with (e.g. for a WebSocket upgrade). */
  headers: Record<string, string>;
  api<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    extra?: Record<string, string>,
  ): Promise<ApiResponse<T>>;
}

export async function request<T>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse<T>> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const type = res.headers.get("content-type") ?? "";
  let parsed: unknown = null;
  if (type.includes("json")) {
    const text = await res.text();
    parsed = text ? JSON.parse(text) : null;
  } else if (type.includes("zip")) parsed = new Uint8Array(await res.arrayBuffer());
  else parsed = await res.text();
  return { status: res.status, body: parsed as T, headers: res.headers };
}

function client(baseUrl: string, userId: string, headers: Record<string, string>): ApiClient {
  return {
    userId,
    headers,
    api: (method, path, body, extra = {}) => request(baseUrl, method, path, body, { ...headers, ...extra }),
  };
}

interface SignedIn {
  user: { id: string };
  csrfToken: string;
}

/** The cookie header from a sign-in response (the session cookie only; the CSRF one goes in a header). */
function sessionCookie(res: ApiResponse<unknown>): string {
  const cookies = res.headers.getSetCookie();
  const session = cookies.find((c) => c.startsWith("sweephub_session="));
  if (!session) throw new Error(`no session cookie in ${JSON.stringify(cookies)}`);
  return session.split(";")[0]!;
}

/** A browser-like client: session cookie, and the CSRF token on writes. */
export function sessionClientFrom(baseUrl: string, res: ApiResponse<SignedIn>): ApiClient {
  return client(baseUrl, res.body.user.id, {
    cookie: sessionCookie(res),
    "x-csrf-token": res.body.csrfToken,
  });
}

/** Onboards the owner, or signs in as the owner when the hub was onboarded before (a restarted test hub). */
export async function onboardOwner(baseUrl: string): Promise<ApiClient> {
  const status = await request<{ onboarded: boolean }>(baseUrl, "GET", "/api/auth/status");
  if (status.body.onboarded) return signIn(baseUrl, OWNER.username, OWNER.password);
  const res = await request<SignedIn>(baseUrl, "POST", "/api/onboarding", {
    ...OWNER,
    displayName: "Olivia Owner",
  });
  if (res.status !== 201) throw new Error(`onboarding failed: ${res.status} ${JSON.stringify(res.body)}`);
  return sessionClientFrom(baseUrl, res);
}

export async function signIn(baseUrl: string, username: string, password: string): Promise<ApiClient> {
  const res = await request<SignedIn>(baseUrl, "POST", "/api/auth/login", { username, password });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return sessionClientFrom(baseUrl, res);
}

/** A bearer-token client for the same user as `session`. */
export async function tokenClientFor(
  baseUrl: string,
  session: ApiClient,
  scopes: ("read" | "control" | "manage")[] = ["manage"],
): Promise<ApiClient> {
  const res = await session.api<{ token: string }>("POST", "/api/me/tokens", {
    name: `test ${scopes.join("+")}`,
    scopes,
  });
  if (res.status !== 201) throw new Error(`token creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return client(baseUrl, session.userId, { authorization: `Bearer ${res.body.token}` });
}

export interface GrantSpec {
  robotId: string;
  view?: boolean;
  control?: boolean;
  camera?: boolean;
}

/** Invites and creates a user (as a real person would), returning their session client. */
export async function addUser(
  baseUrl: string,
  admin: ApiClient,
  username: string,
  role: "admin" | "member" = "member",
  grants: GrantSpec[] = [],
): Promise<ApiClient> {
  const inv = await admin.api<{ code: string }>("POST", "/api/invitations", {
    role,
    grants: grants.map((g) => ({
      robotId: g.robotId,
      view: g.view ?? true,
      control: g.control ?? false,
      camera: g.camera ?? false,
    })),
  });
  if (inv.status !== 201) throw new Error(`invitation failed: ${inv.status} ${JSON.stringify(inv.body)}`);
  const res = await request<SignedIn>(baseUrl, "POST", "/api/invitations/accept", {
    code: inv.body.code,
    username,
    password: USER_PASSWORD,
  });
  if (res.status !== 201)
    throw new Error(`accepting the invitation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return sessionClientFrom(baseUrl, res);
}
