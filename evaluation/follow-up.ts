// The evaluation that follows an adjustment (a fraud flag or a cost correction): a new report version
// computed over the changed facts, the older versions kept and readable. A campaign whose latest report
// is final (the workflow evaluated it at the end) gets a final restatement; a campaign still running, or
// one only ever evaluated provisionally, gets a provisional version. Idempotent: the same facts give the
// stored report back (same digest), so a retried request writes no second version.
import type { Db } from '../db/client';
import { EvaluationInputError } from './input';
import { EvaluationFactsError } from './sql';
import { evaluateAndStore, findEvaluation } from './store';

export interface FollowingEvaluation {
  readonly version: number;
  readonly provisional: boolean;
  /** True when the latest report already covered these facts. */
  readonly reused: boolean;
}

export type FollowUp =
  | ({ readonly status: 'computed' } & FollowingEvaluation)
  /** The adjustment stands; the facts could not be evaluated (the reason is the evaluation's own). */
  | { readonly status: 'failed'; readonly reason: string };

export async function evaluateAfterAdjustment(db: Db, campaignId: string, now: Date): Promise<FollowUp> {
  const latest = await findEvaluation(db, campaignId);
  const provisional = latest === null || latest.provisional;
  try {
    const { report, reused } = await evaluateAndStore(db, { campaignId, provisional, now });
    return { status: 'computed', version: report.version, provisional: report.provisional, reused };
  } catch (err) {
    // Bad facts (mixed currencies) fail every evaluation the same way; the adjustment is already committed.
    if (err instanceof EvaluationFactsError || err instanceof EvaluationInputError) {
      return { status: 'failed', reason: err.message };
    }
    // Anything else (a version race lost eight times, a dropped connection) must not turn a committed
    // adjustment into an error reply: say so, and let a repeat of the request compute it.
    return {
      status: 'failed',
      reason: `the evaluation could not be computed now (${err instanceof Error ? err.name : 'error'}); repeat the request to compute it`,
    };
  }
}
