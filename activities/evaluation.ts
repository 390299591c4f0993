// The evaluation activity: computes the campaign's evaluation over the facts in PostgreSQL and stores it
// as an immutable report version. Idempotent under retry: a retry over the same facts finds the report
// the first attempt stored (same facts digest) and returns it instead of writing another version.
import { ApplicationFailure } from '@temporalio/activity';
import { EvaluationInputError } from '../evaluation/input';
import { CampaignNotFoundError, EvaluationFactsError } from '../evaluation/sql';
import { evaluateAndStore } from '../evaluation/store';
import type { ActivityDeps } from './deps';

export interface EvaluateCampaignInput {
  campaignId: string;
  provisional: boolean;
}

export interface EvaluateCampaignResult {
  reportId: string;
  version: number;
  reused: boolean;
}

export function createEvaluationActivities({ db, clock }: ActivityDeps) {
  return {
    async evaluateCampaign(input: EvaluateCampaignInput): Promise<EvaluateCampaignResult> {
      try {
        const { report, reused } = await evaluateAndStore(db, { ...input, now: clock.now() });
        return { reportId: report.id, version: report.version, reused };
      } catch (err) {
        // Bad facts or a missing campaign fail the same way on every attempt: retrying only delays the alert.
        if (
          err instanceof EvaluationFactsError ||
          err instanceof EvaluationInputError ||
          err instanceof CampaignNotFoundError
        ) {
          throw ApplicationFailure.create({
            type: err.constructor.name,
            message: err.message,
            nonRetryable: true,
          });
        }
        throw err;
      }
    },
  };
}
