/** Status, onboarding (the owner account), sign-in and sign-out. */
import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { ownAccount } from "../../auth/accounts-service.ts";
import { clearSessionCookies, clientInfo, isHttps, replySignedIn, setSessionCookies } from "../access.ts";
import { NewAccountBody, Password, SignedInSchema } from "../account-schemas.ts";
import { ErrorResponseSchema } from "../schemas.ts";

export async function authRoutes(app: FastifyInstance): Promise<void> {
  const s = app.deps.access;

  app.get(
    "/api/auth/status",
    {
      config: { access: { auth: "public" } },
      schema: {
        summary: "Whether the hub has an owner yet, whether you are signed in, and HTTPS details",
        tags: ["accounts"],
        response: {
          200: Type.Object({
            onboarded: Type.Boolean({ description: "false: only onboarding is possible" }),
            signedIn: Type.Boolean(),
            hubName: Type.String(),
            version: Type.String(),
            https: Type.Boolean(),
            caCertificate: Type.Union([Type.String(), Type.Null()], {
              description: "URL of the local CA certificate to download and trust, if the hub uses one",
            }),
            onboardingCodeRequired: Type.Boolean({
              description: "onboarding from this address needs the code from data/onboarding-code.txt",
            }),
          }),
        },
      },
    },
    (req) => {
      const onboarded = s.accounts.hasOwner();
      let codeRequired = false;
      if (!onboarded) {
        try {
          s.onboarding.check(req.ip, undefined);
        } catch {
          codeRequired = true;
        }
      }
      return {
        onboarded,
        signedIn: req.actor !== null,
        hubName: app.deps.hubName,
        version: app.deps.version,
        https: isHttps(req),
        caCertificate: s.tls?.caCertPem ? "/api/tls/ca.crt" : null,
        onboardingCodeRequired: codeRequired,
      };
    },
  );

  app.post<{ Body: Static<typeof NewAccountBody> & { onboardingCode?: string } }>(
    "/api/onboarding",
    {
      config: { access: { auth: "onboarding" } },
      schema: {
        summary: "Create the owner account (only while the hub has none) and sign in",
        description:
          "From another computer, include onboardingCode: the 8 digits in data/onboarding-code.txt on the hub.",
        tags: ["accounts"],
        body: Type.Object(
          {
            ...NewAccountBody.properties,
            onboardingCode: Type.Optional(Type.String({ maxLength: 16 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: SignedInSchema,
          400: ErrorResponseSchema,
          403: ErrorResponseSchema,
          409: ErrorResponseSchema,
        },
      },
    },
    async (req, reply) => {
      const client = clientInfo(req);
      const { onboardingCode, ...account } = req.body;
      s.signIn.checkGuard(client.ip);
      try {
        s.onboarding.check(client.ip, onboardingCode);
      } catch (err) {
        s.signIn.countFailure(client.ip);
        throw err;
      }
      const user = await s.accounts.onboard(account, client);
      s.onboarding.done();
      return replySignedIn(reply, s, user, client);
    },
  );

  app.post<{ Body: { username: string; password: string } }>(
    "/api/auth/login",
    {
      config: { access: { auth: "public" } },
      schema: {
        summary: "Sign in: sets the session cookie and returns the CSRF token",
        description:
          "Failed attempts lock the account and the address out progressively (429 too_many_attempts with " +
          "details.retryAfterS).",
        tags: ["accounts"],
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 64 }), password: Password },
          { additionalProperties: false },
        ),
        response: { 200: SignedInSchema, 401: ErrorResponseSchema, 429: ErrorResponseSchema },
      },
    },
    async (req, reply) => {
      const { user, ...session } = await s.signIn.login(
        req.body.username,
        req.body.password,
        clientInfo(req),
      );
      setSessionCookies(reply, { ...session, expiresAt: session.session.expiresAt });
      return { user: ownAccount(user), csrfToken: session.csrfToken, sessionId: session.session.id };
    },
  );

  app.post(
    "/api/auth/logout",
    {
      config: { access: { auth: "user" } },
      schema: {
        summary: "Sign out: ends this session (API tokens are revoked separately)",
        tags: ["accounts"],
        response: { 204: Type.Null() },
      },
    },
    (req, reply) => {
      if (req.actor) s.signIn.logout(req.actor);
      clearSessionCookies(reply);
      return reply.status(204).send();
    },
  );
}
