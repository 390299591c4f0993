// Judges a batch of registrations, item by item in batch order, against the facts looked up for the whole
// batch: refused (with a reason per field), a repeat of a stored registration, or accepted — possibly
// flagged — with the rows to write. No I/O: items decided earlier in the batch update the facts the later
// ones see, so a batch behaves exactly like the same items sent one by one.
import { assignGroup, ExperimentGroupSchema, type ExperimentGroup } from '../control-group';
import { cohortFor } from '../cohort';
import { z } from 'zod';
import { FlagReasonSchema, registrationFlag, type FlagReason } from '../registration-flags';
import { addDurationInZone } from '../zoned-time';
import { itemError, ItemErrorSchema, ItemResultSchema, type ItemError, type ParsedItem } from './batch';
import { acquisitionCostOf, budgetRefuses } from './budget';
import { channelBudgetRefuses } from './channel-budget';
import type { RegistrationRow } from '../../db/bulk-insert';
import {
  CLOSED_CAMPAIGN_STATUSES,
  type CampaignChannelAllocation,
  type FunnelCampaign,
} from './campaign-context';
import { ledgerEntries, type LedgerRow } from './ledger-entries';
import {
  FINGERPRINT_BURST_THRESHOLD,
  FINGERPRINT_BURST_WINDOW_MS,
  type Owner,
  type RegistrationLookups,
} from './registration-lookups';
import type { RegistrationItem } from './registration-schema';

/** A registration dated this far after the server's clock is refused: it would join a cohort that has not begun. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** The refusal reasons of a registration beside the schema's (docs/api/funnel.md, "Refused"). */
export const REGISTRATION_REFUSAL_REASONS = [
  'campaign_cancelled',
  'campaign_failed',
  'campaign_completed',
  'outside_window',
  'registered_in_future',
  'channel_not_allocated',
  'budget_exhausted',
  'channel_budget_exhausted',
] as const;

/** One registration's result, as the ingest API answers it (api/openapi/funnel.ts imports it). */
export const RegistrationResultSchema = ItemResultSchema.extend({
  status: z.enum(['accepted', 'flagged', 'duplicate_request', 'rejected']),
  errors: z
    .array(
      ItemErrorSchema.extend({
        reason: z
          .string()
          .describe(
            `A schema reason (required, invalid, unknown_field) or one of: ${REGISTRATION_REFUSAL_REASONS.join(', ')}. channel_budget_exhausted: the channel has spent its own cap (plan.pacing); the campaign's other channels go on.`,
          ),
      }),
    )
    .optional(),
  registrationId: z.uuid().optional(),
  flagReason: FlagReasonSchema.optional(),
  arm: ExperimentGroupSchema.optional(),
  cohortKey: z.string().optional(),
});
export type RegistrationResult = z.infer<typeof RegistrationResultSchema>;

export interface RegistrationDecisions {
  results: RegistrationResult[];
  registrations: RegistrationRow[];
  ledger: LedgerRow[];
  /** Acquisition cost after the batch (campaign currency); null without a budget cap. */
  spentMinor: bigint | null;
  /** Some item was refused because the budget could not pay for it. */
  budgetRefused: boolean;
  /** Channels (ids) whose own cap refused some item of the batch (plan.pacing). */
  channelsRefused: Set<string>;
}

export interface DecisionContext {
  campaign: FunnelCampaign;
  lookups: RegistrationLookups;
  now: Date;
  newId: () => string;
}

export function decideRegistrations(
  parsed: readonly ParsedItem<RegistrationItem>[],
  ctx: DecisionContext,
): RegistrationDecisions {
  const state = new BatchState(ctx);
  const results = parsed.map((item) => state.decide(item));
  return {
    results,
    registrations: state.registrations,
    ledger: state.ledger,
    spentMinor: state.spent,
    budgetRefused: state.budgetRefused,
    channelsRefused: state.channelsRefused,
  };
}

class BatchState {
  readonly registrations: RegistrationRow[] = [];
  readonly ledger: LedgerRow[] = [];
  spent: bigint | null;
  budgetRefused = false;
  readonly channelsRefused = new Set<string>();
  private readonly window: { start: number; end: number };

  constructor(private readonly ctx: DecisionContext) {
    this.spent = ctx.lookups.acquisitionSpentMinor;
    const { start, end } = ctx.campaign.plan.registrationWindow;
    this.window = { start: Date.parse(start), end: Date.parse(end) };
  }

  decide({ index, value: item, errors }: ParsedItem<RegistrationItem>): RegistrationResult {
    if (!item) return { index, status: 'rejected', errors: errors ?? [] };
    const stored = this.ctx.lookups.inCampaign.get(item.customerRef);
    if (stored) {
      return {
        index,
        status: 'duplicate_request',
        registrationId: stored.id,
        arm: stored.arm as ExperimentGroup,
        cohortKey: stored.cohortKey,
        ...(stored.flagReason ? { flagReason: stored.flagReason as FlagReason } : {}),
      };
    }
    const refusal = this.refusal(item);
    if (refusal) return { index, status: 'rejected', errors: [refusal] };
    // refusal() has checked that the channel is allocated.
    const channel = this.ctx.campaign.channels.get(item.channelCode) as CampaignChannelAllocation;
    const cost = acquisitionCostOf(this.ctx.campaign, channel);
    if (budgetRefuses(this.ctx.campaign.plan.acquisitionBudgetMinor, this.spent, cost)) {
      this.budgetRefused = true;
      return {
        index,
        status: 'rejected',
        errors: [
          itemError(
            '(campaign)',
            'budget_exhausted',
            'the acquisition budget is spent: acquisition is closed',
          ),
        ],
      };
    }
    // The channel's own cap (plan.pacing) after the campaign's: a spent campaign budget is named as such.
    if (channelBudgetRefuses(this.ctx.lookups.channelBudgets.get(channel.channelId), cost)) {
      this.channelsRefused.add(channel.channelId);
      return {
        index,
        status: 'rejected',
        errors: [
          itemError(
            'channelCode',
            'channel_budget_exhausted',
            `channel "${channel.channelCode}" has spent its acquisition cap: its acquisition is closed (the campaign's other channels go on)`,
          ),
        ],
      };
    }
    return this.accept(index, item, channel);
  }

  private refusal(item: RegistrationItem): ItemError | null {
    const { campaign, now } = this.ctx;
    if (CLOSED_CAMPAIGN_STATUSES.has(campaign.status)) {
      return itemError('(campaign)', `campaign_${campaign.status}`, `the campaign is ${campaign.status}`);
    }
    const at = Date.parse(item.registeredAt);
    if (at < this.window.start || at >= this.window.end) {
      const { start, end } = campaign.plan.registrationWindow;
      return itemError(
        'registeredAt',
        'outside_window',
        `must be inside the registration window [${start}, ${end})`,
      );
    }
    if (at > now.getTime() + MAX_CLOCK_SKEW_MS) {
      return itemError(
        'registeredAt',
        'registered_in_future',
        `is later than the server's clock (${now.toISOString()})`,
      );
    }
    if (!campaign.channels.has(item.channelCode)) {
      return itemError(
        'channelCode',
        'channel_not_allocated',
        `channel "${item.channelCode}" is not a channel of this campaign`,
      );
    }
    return null;
  }

  private accept(
    index: number,
    item: RegistrationItem,
    channel: CampaignChannelAllocation,
  ): RegistrationResult {
    const { campaign } = this.ctx;
    const { plan } = campaign;
    const id = this.ctx.newId();
    const registeredAtMs = Date.parse(item.registeredAt);
    const registeredAt = new Date(registeredAtMs);
    const flagReason = this.flagFor(item, channel, registeredAtMs);
    const arm = assignGroup(campaign.id, item.customerRef, plan.controlGroupShare);
    const cohort = cohortFor(registeredAt.toISOString(), {
      windowStart: plan.registrationWindow.start,
      granularity: plan.cohortGranularity,
      timeZone: plan.timeZone,
    });
    const placement = this.placementOf(item, channel);

    this.registrations.push({
      id,
      campaignId: campaign.id,
      customerRef: item.customerRef,
      channelId: channel.channelId,
      placementId: item.placementId ?? null,
      // Attribution: the version reported, else the placement's, else what the channel shows for the
      // campaign; nothing is guessed for a placement this campaign does not have.
      materialVersionId:
        item.materialVersionId ??
        placement?.materialVersionId ??
        (item.placementId === undefined ? channel.materialVersionId : null),
      variantKey: channel.variantKey,
      registeredAt,
      cohortKey: cohort.key,
      periodEndsAt: new Date(addDurationInZone(registeredAtMs, plan.newCustomerPeriod, plan.timeZone)),
      arm,
      deviceFingerprint: item.deviceFingerprint ?? null,
      contactHash: item.contactHash ?? null,
      flagReason,
      attributes: item.attributes ?? null,
    });
    this.remember(item, id, registeredAtMs, flagReason, arm, cohort.key);
    if (flagReason === null) this.charge(id, item, channel, cohort.key, registeredAt);
    return {
      index,
      status: flagReason === null ? 'accepted' : 'flagged',
      registrationId: id,
      arm,
      cohortKey: cohort.key,
      ...(flagReason ? { flagReason } : {}),
    };
  }

  private flagFor(item: RegistrationItem, channel: CampaignChannelAllocation, at: number): FlagReason | null {
    const { lookups } = this.ctx;
    const other = (owners: Owner[] | undefined) => owners?.find((o) => o.customerRef !== item.customerRef);
    const duplicateOf =
      (item.contactHash ? other(lookups.contactOwners.get(item.contactHash)) : undefined) ??
      (item.deviceFingerprint ? other(lookups.deviceOwners.get(item.deviceFingerprint)) : undefined);
    const times = item.deviceFingerprint ? (lookups.fingerprintTimes.get(item.deviceFingerprint) ?? []) : [];
    const inBurstWindow = times.filter((t) => t <= at && t >= at - FINGERPRINT_BURST_WINDOW_MS).length;
    return registrationFlag({
      ...(duplicateOf ? { duplicateOfRegistrationId: duplicateOf.registrationId } : {}),
      existingCustomer: lookups.existingCustomers.has(item.customerRef),
      registeredInEarlierCampaign: lookups.registeredElsewhere.has(item.customerRef),
      placementKnown: this.attributionKnown(item, channel),
      fingerprintCountInBurstWindow: item.deviceFingerprint ? inBurstWindow + 1 : 0,
      burstThreshold: FINGERPRINT_BURST_THRESHOLD,
    });
  }

  /**
   * null when the registration names no placement and no material version (unattributed, not suspicious);
   * false when it names a placement of another campaign or channel, or a version of another material.
   */
  private attributionKnown(item: RegistrationItem, channel: CampaignChannelAllocation): boolean | null {
    const { lookups } = this.ctx;
    if (item.placementId === undefined && item.materialVersionId === undefined) return null;
    const placementOk = item.placementId === undefined || this.placementOf(item, channel) !== undefined;
    const versionOk =
      item.materialVersionId === undefined || lookups.campaignMaterialVersions.has(item.materialVersionId);
    return placementOk && versionOk;
  }

  /** The named placement when it is one of this campaign's on this channel. */
  private placementOf(item: RegistrationItem, channel: CampaignChannelAllocation) {
    const placement =
      item.placementId === undefined ? undefined : this.ctx.lookups.placements.get(item.placementId);
    return placement?.channelId === channel.channelId ? placement : undefined;
  }

  /** Later items of the batch see this one as if it had been stored before them. */
  private remember(
    item: RegistrationItem,
    id: string,
    at: number,
    flagReason: FlagReason | null,
    arm: string,
    cohortKey: string,
  ) {
    const { lookups } = this.ctx;
    lookups.inCampaign.set(item.customerRef, {
      id,
      customerRef: item.customerRef,
      flagReason,
      arm,
      cohortKey,
    });
    const owner = { registrationId: id, customerRef: item.customerRef };
    if (item.contactHash) append(lookups.contactOwners, item.contactHash, owner);
    if (item.deviceFingerprint) {
      append(lookups.deviceOwners, item.deviceFingerprint, owner);
      append(lookups.fingerprintTimes, item.deviceFingerprint, at);
    }
  }

  /** The incentive and the channel's per-registration fee, for valid registrations only. */
  private charge(
    id: string,
    item: RegistrationItem,
    channel: CampaignChannelAllocation,
    cohortKey: string,
    at: Date,
  ) {
    const { campaign } = this.ctx;
    const who = {
      campaignId: campaign.id,
      channelId: channel.channelId,
      variantKey: channel.variantKey,
      cohortKey,
      customerRef: item.customerRef,
    };
    const incentive = campaign.plan.incentive.perRegistrationMinor;
    if (incentive > 0)
      this.ledger.push(ledgerEntries.registrationIncentive(id, who, incentive, campaign.plan.currency, at));
    const fee = channel.costModel;
    if (fee?.type === 'per_registration' && fee.amountMinor > 0) {
      this.ledger.push(ledgerEntries.channelFee(id, who, fee.amountMinor, fee.currency, at));
    }
    const cost = acquisitionCostOf(campaign, channel);
    if (this.spent !== null) this.spent += cost;
    const channelBudget = this.ctx.lookups.channelBudgets.get(channel.channelId);
    if (channelBudget) channelBudget.spentMinor += cost;
  }
}

function append<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
