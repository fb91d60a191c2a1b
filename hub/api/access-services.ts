/** What the accounts and access routes need from the rest of the hub (built in hub/main.ts). */
import type { AuditLog } from "../audit/audit-log.ts";
import type { AccountsService } from "../auth/accounts-service.ts";
import type { InvitationService } from "../auth/invitation-service.ts";
import type { NoticeRepository } from "../auth/notice-repository.ts";
import type { OnboardingGate } from "../auth/onboarding-gate.ts";
import type { RiskGuard } from "../auth/risk-guard.ts";
import type { SignInService } from "../auth/sign-in-service.ts";
import type { UserRepository } from "../auth/user-repository.ts";
import type { DataRights } from "../privacy/data-rights.ts";
import type { TlsMaterial } from "../tls/local-ca.ts";

export interface AccessServices {
  accounts: AccountsService;
  signIn: SignInService;
  invitations: InvitationService;
  users: UserRepository;
  notices: NoticeRepository;
  audit: AuditLog;
  dataRights: DataRights;
  onboarding: OnboardingGate;
  /** Failed robot pairings (wrong setup codes) per address and per user. */
  pairingGuard: RiskGuard;
  /** The certificate the hub serves, when HTTPS is on. */
  tls: TlsMaterial | null;
}
