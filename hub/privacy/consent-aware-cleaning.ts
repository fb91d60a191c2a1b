/**
 * Cleaning history that honours each robot's keepHistory consent: while it is off, runs are not written at all
 * (data minimisation at the source, rather than deleting later). Sessions see the same interface.
 */
import {
  type CleaningFinishedRecord,
  CleaningRepository,
  type CleaningSession,
  type CleaningStarted,
} from "../store/cleaning-repository.ts";
import type { Database } from "../store/database.ts";
import type { ConsentRepository } from "./consent-repository.ts";

export class ConsentAwareCleaningRepository extends CleaningRepository {
  readonly #consent: ConsentRepository;

  constructor(db: Database, consent: ConsentRepository) {
    super(db);
    this.#consent = consent;
  }

  override recordStarted(s: CleaningStarted): CleaningSession {
    if (this.#consent.get(s.robotId).keepHistory) return super.recordStarted(s);
    return {
      robotId: s.robotId,
      jobId: s.jobId,
      kind: s.kind,
      trigger: s.trigger ?? "robot",
      startedAt: s.startedAt,
      finishedAt: null,
      result: null,
      areaM2: null,
      durationS: null,
      rooms: [],
    };
  }

  override recordFinished(f: CleaningFinishedRecord): CleaningSession {
    if (this.#consent.get(f.robotId).keepHistory) return super.recordFinished(f);
    return {
      robotId: f.robotId,
      jobId: f.jobId,
      kind: f.kind ?? "unknown",
      trigger: "robot",
      startedAt: Math.round(f.finishedAt - f.durationS * 1000),
      finishedAt: f.finishedAt,
      result: f.result,
      areaM2: f.areaM2,
      durationS: f.durationS,
      rooms: f.rooms,
    };
  }
}
