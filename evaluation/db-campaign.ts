// What the evaluation needs to know about a campaign beyond its facts: its arms (which one is the control
// group) and, for campaigns imported from history files, what the file could and could not tell us.
// Imported campaigns carry this in `plan.history`, a key outside CampaignPlanSchema (stored plans are
// read with parseStoredPlan, which leaves it out, so the plan stays a valid plan) written by importers/.
import { z } from 'zod';
import { CampaignPlanSchema } from '../domain/campaign-plan';

/** The arm name live campaigns give their holdout (funnel/control-group.ts assigns 'treatment' | 'control'). */
export const LIVE_CONTROL_ARM = 'control';

export const HistoryMetaSchema = z.object({
  /** Which importer wrote the campaign ('bank-marketing', 'hillstrom'). */
  source: z.string().min(1),
  fileName: z.string(),
  fileSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The arm name of the control group in the imported experiment, or null when it had none. */
  controlGroup: z.string().min(1).nullable(),
  /**
   * False when the file has no activation times (only "converted: yes/no"): activatedAt is then the
   * registration time, and a time-to-activate figure would be an artefact, so none is reported.
   */
  activationTimesKnown: z.boolean(),
  /** The importer's parameters (unit costs, …), so that a re-import can tell whether they changed. */
  parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  rowsImported: z.number().int().nonnegative(),
  rowsSkipped: z.number().int().nonnegative(),
});
export type HistoryMeta = z.infer<typeof HistoryMetaSchema>;

/**
 * A campaign's plan as stored and as the API returns it in campaign rows: the plan, plus `history` on
 * imported campaigns (the response check found the campaign list answering it undocumented).
 */
export const StoredCampaignPlanSchema = CampaignPlanSchema.safeExtend({
  history: HistoryMetaSchema.optional().meta({
    description:
      'Imported campaigns only: the history file the campaign was read from, and what it could tell',
  }),
});

export interface CampaignForEvaluation {
  readonly origin: string;
  readonly plan: unknown;
}

/** The history metadata of an imported campaign; null for live campaigns or a plan without it. */
export function historyMetaOf(campaign: CampaignForEvaluation): HistoryMeta | null {
  if (campaign.origin !== 'imported') return null;
  const history = (campaign.plan as { history?: unknown } | null)?.history;
  const parsed = HistoryMetaSchema.safeParse(history);
  return parsed.success ? parsed.data : null;
}

/**
 * The control arm's name. Live campaigns hold out 'control' when the plan asks for a control share (or
 * when some registration was put there anyway); imported experiments name their own control arm.
 */
export function controlGroupOf(campaign: CampaignForEvaluation, arms: readonly string[]): string | null {
  const history = historyMetaOf(campaign);
  if (history) return history.controlGroup;
  const share = (campaign.plan as { controlGroupShare?: unknown } | null)?.controlGroupShare;
  const planned = typeof share === 'number' && share > 0;
  return planned || arms.includes(LIVE_CONTROL_ARM) ? LIVE_CONTROL_ARM : null;
}

/** Whether time to activate means anything for this campaign (see HistoryMeta.activationTimesKnown). */
export function activationTimesKnown(campaign: CampaignForEvaluation): boolean {
  return historyMetaOf(campaign)?.activationTimesKnown ?? true;
}
