// The adaptive pacing review (issue 11): one activity per review of a running campaign. It reads each
// capped channel's evidence from PostgreSQL (spend, registrations, activations, early activations by
// day k), asks the pure policy (planning/pacing-policy.ts) for new caps, and writes the caps, the
// adjustment facts and an audit entry in ONE transaction under the campaign's registration lock — so
// the spend it reads is the spend the new caps are checked against (no cap is ever set below what is
// already spent), and a concurrent ingest batch sees either the old caps or the new ones, never a mix.
// Idempotent by (campaign, review index): a retry finds the facts of its first run and answers with
// them; nothing is written twice and the policy's answer of the first run stands.
import { ApplicationFailure } from '@temporalio/common';
import { Prisma } from '../generated/prisma/client';
import { BATCH_TRANSACTION, lockCampaignFunnel, type Tx } from '../funnel/ingest/campaign-lock';
import { MS_PER_DAY } from '../domain/duration';
import { reallocatePacing, type PacingChannelEvidence } from '../planning/pacing-policy';
import { adjustmentId, PACING_ACTOR } from '../planning/pacing-store';
import type { PacingReviewSummary } from '../workflows/messages';
import type { ActivityDeps } from './deps';

export const PACING_REVIEW_ACTION = 'pacing.review';
const FROZEN_REASON = 'frozen: no change (an operator froze pacing)';

export interface ReviewPacingInput {
  campaignId: string;
  reviewIndex: number;
  /** Workflow time of the review: the evidence's "as of", so that a retry counts the same early window. */
  asOf: string;
  frozen: boolean;
  /** From the pinned plan. */
  budgetMinor: number;
  currency: string;
  floorShare: number;
  earlyActivationWithinMs: number;
}

interface ChannelEvidenceRow {
  channelId: string;
  channelCode: string;
  capMinor: bigint;
  spentMinor: bigint;
  /** Spend charged up to k ago: what bought the early-eligible registrations. */
  spentEligibleMinor: bigint;
  registrations: number;
  activations: number;
  earlyActivations: number;
  earlyEligible: number;
}

/** Every capped channel of the campaign with its evidence as of `asOf`, in channel-code order. */
export async function readPacingEvidence(
  tx: Tx,
  input: Pick<ReviewPacingInput, 'campaignId' | 'asOf' | 'currency' | 'earlyActivationWithinMs'>,
): Promise<ChannelEvidenceRow[]> {
  // Timestamps as UTC text, converted in SQL as registration-lookups.ts does (the columns are UTC without zone).
  const asOf = new Date(input.asOf).toISOString();
  const eligibleBefore = new Date(Date.parse(input.asOf) - input.earlyActivationWithinMs).toISOString();
  const early = `${input.earlyActivationWithinMs} milliseconds`;
  const rows = await tx.$queryRaw<ChannelEvidenceRow[]>(Prisma.sql`
    SELECT p."channelId", c.code AS "channelCode", p."capMinor",
           COALESCE((SELECT SUM(l."amountMinor") FROM "LedgerEntry" l
                      WHERE l."campaignId" = p."campaignId" AND l."channelId" = p."channelId"
                        AND l.kind = 'cost' AND l.scope = 'acquisition'
                        AND l.currency = ${input.currency}), 0)::bigint AS "spentMinor",
           COALESCE((SELECT SUM(l."amountMinor") FROM "LedgerEntry" l
                      WHERE l."campaignId" = p."campaignId" AND l."channelId" = p."channelId"
                        AND l.kind = 'cost' AND l.scope = 'acquisition'
                        AND l.currency = ${input.currency}
                        AND l."occurredAt" <= (${eligibleBefore}::timestamptz AT TIME ZONE 'UTC')), 0)::bigint
             AS "spentEligibleMinor",
           COALESCE(r.registrations, 0)::int AS registrations,
           COALESCE(r.activations, 0)::int AS activations,
           COALESCE(r.early, 0)::int AS "earlyActivations",
           COALESCE(r.eligible, 0)::int AS "earlyEligible"
      FROM "CampaignChannelPacing" p
      JOIN "Channel" c ON c.id = p."channelId"
      LEFT JOIN LATERAL (
        SELECT COUNT(*) AS registrations,
               COUNT(*) FILTER (WHERE g."activatedAt" IS NOT NULL) AS activations,
               COUNT(*) FILTER (WHERE g."registeredAt" <= (${eligibleBefore}::timestamptz AT TIME ZONE 'UTC')
                                  AND g."activatedAt" IS NOT NULL
                                  AND g."activatedAt" <= g."registeredAt" + ${early}::interval) AS early,
               COUNT(*) FILTER (WHERE g."registeredAt" <= (${eligibleBefore}::timestamptz AT TIME ZONE 'UTC')) AS eligible
          FROM "Registration" g
         WHERE g."campaignId" = p."campaignId" AND g."channelId" = p."channelId"
           AND g."flagReason" IS NULL AND g."registeredAt" <= (${asOf}::timestamptz AT TIME ZONE 'UTC')
      ) r ON TRUE
     WHERE p."campaignId" = ${input.campaignId}
     ORDER BY c.code`);
  return rows.map((r) => ({
    ...r,
    capMinor: BigInt(r.capMinor),
    spentMinor: BigInt(r.spentMinor),
    // Never above the spend so far (the policy's rule), whatever the ledger's times say.
    spentEligibleMinor:
      BigInt(r.spentEligibleMinor) > BigInt(r.spentMinor)
        ? BigInt(r.spentMinor)
        : BigInt(r.spentEligibleMinor),
    registrations: Number(r.registrations),
    activations: Number(r.activations),
    earlyActivations: Number(r.earlyActivations),
    earlyEligible: Number(r.earlyEligible),
  }));
}

interface Adjustment {
  channelId: string;
  channelCode: string;
  fromMinor: bigint;
  toMinor: bigint;
  reason: string;
}

function summaryOf(
  reviewIndex: number,
  method: string,
  frozen: boolean,
  adjustments: Adjustment[],
  at: string,
): PacingReviewSummary {
  const moved = adjustments.filter((a) => a.fromMinor !== a.toMinor).length;
  return {
    reviewIndex,
    outcome: frozen ? 'frozen' : moved > 0 ? 'changed' : 'unchanged',
    method,
    moved,
    at,
  };
}

export function createPacingActivities({ db }: ActivityDeps) {
  return {
    async reviewPacing(input: ReviewPacingInput): Promise<PacingReviewSummary> {
      const { campaignId, reviewIndex } = input;
      return db.$transaction(async (tx) => {
        await lockCampaignFunnel(tx, campaignId, 'registrations');
        const auditId = `pacing-review:${campaignId}:${reviewIndex}`;
        const done = await tx.auditLog.findUnique({ where: { id: auditId } });
        if (done) {
          // A retry of a review that committed: answer with what it did.
          const p = done.payload as unknown as {
            method: string;
            frozen: boolean;
            channels: Adjustment[];
            asOf: string;
          };
          const adjustments = p.channels.map((c) => ({
            ...c,
            fromMinor: BigInt(c.fromMinor),
            toMinor: BigInt(c.toMinor),
          }));
          return summaryOf(reviewIndex, p.method, p.frozen, adjustments, p.asOf);
        }
        const evidence = await readPacingEvidence(tx, input);
        let method = 'frozen';
        let adjustments: Adjustment[];
        if (input.frozen || evidence.length === 0) {
          adjustments = evidence.map((e) => ({
            channelId: e.channelId,
            channelCode: e.channelCode,
            fromMinor: e.capMinor,
            toMinor: e.capMinor,
            reason: input.frozen ? FROZEN_REASON : 'no capped channel',
          }));
        } else {
          const decision = reallocatePacing({
            budgetMinor: BigInt(input.budgetMinor),
            channels: evidence.map((e): PacingChannelEvidence => ({
              channelCode: e.channelCode,
              capMinor: e.capMinor,
              spentMinor: e.spentMinor,
              registrations: e.registrations,
              activations: e.activations,
              earlyActivations: e.earlyActivations,
              earlyEligible: e.earlyEligible,
            })),
            floorShare: input.floorShare,
            earlyDays: input.earlyActivationWithinMs / MS_PER_DAY,
            seed: `${campaignId}:${reviewIndex}`,
          });
          method = decision.method;
          adjustments = decision.channels.map((d, i) => ({
            channelId: evidence[i]!.channelId,
            channelCode: d.channelCode,
            fromMinor: d.fromMinor,
            toMinor: d.toMinor,
            reason: d.reason,
          }));
          checkDecision(adjustments, evidence, BigInt(input.budgetMinor));
        }
        const at = new Date(input.asOf);
        for (const a of adjustments.filter((x) => x.fromMinor !== x.toMinor)) {
          await tx.campaignChannelPacing.update({
            where: { campaignId_channelId: { campaignId, channelId: a.channelId } },
            data: { capMinor: a.toMinor, reviewIndex },
          });
        }
        await tx.pacingAdjustment.createMany({
          data: adjustments.map((a) => ({
            id: adjustmentId(campaignId, reviewIndex, a.channelId),
            campaignId,
            reviewIndex,
            channelId: a.channelId,
            fromMinor: a.fromMinor,
            toMinor: a.toMinor,
            reason: a.reason,
            actor: PACING_ACTOR,
            at,
          })),
          skipDuplicates: true,
        });
        const summary = summaryOf(reviewIndex, method, input.frozen, adjustments, input.asOf);
        await tx.auditLog.create({
          data: {
            id: auditId,
            campaignId,
            actor: PACING_ACTOR,
            action: PACING_REVIEW_ACTION,
            at,
            payload: {
              reviewIndex,
              method,
              frozen: input.frozen,
              outcome: summary.outcome,
              asOf: input.asOf,
              currency: input.currency,
              channels: adjustments.map((a) => ({
                channelId: a.channelId,
                channelCode: a.channelCode,
                fromMinor: a.fromMinor.toString(),
                toMinor: a.toMinor.toString(),
                reason: a.reason,
              })),
              evidence: evidence.map((e) => ({
                channelCode: e.channelCode,
                spentMinor: e.spentMinor.toString(),
                registrations: e.registrations,
                activations: e.activations,
                earlyActivations: e.earlyActivations,
                earlyEligible: e.earlyEligible,
              })),
            },
          },
        });
        return summary;
      }, BATCH_TRANSACTION);
    },
  };
}

/**
 * The policy's guarantees, checked again where money is at stake: a cap below what is already spent, or
 * caps summing above the budget, would be a bug in the policy; the review then fails without writing
 * (non-retryable: the same input gives the same answer) and the caps stay as they were.
 */
function checkDecision(adjustments: Adjustment[], evidence: ChannelEvidenceRow[], budget: bigint): void {
  const total = adjustments.reduce((sum, a) => sum + a.toMinor, 0n);
  const below = adjustments.find((a, i) => a.toMinor < evidence[i]!.spentMinor || a.toMinor < 0n);
  if (total > budget || below) {
    throw ApplicationFailure.create({
      type: 'PacingPolicyViolation',
      message: below
        ? `the policy capped ${below.channelCode} at ${below.toMinor}, below its spend`
        : `the policy's caps sum to ${total}, above the budget ${budget}`,
      nonRetryable: true,
    });
  }
}
