// Judges a batch of registrations, item by item in batch order, against the facts looked up for the whole
// batch: refused (with a reason per field), a repeat of a stored registration, or accepted — possibly
// flagged — with the rows to write. No I/O: items decided earlier in the batch update the facts the later
// ones see, so a batch behaves exactly like the same items sent one by one.
//
// In two parts, so that the campaign's registration lock is held for as little as possible: prepare (before
// the lock) does what depends only on the item, the campaign and the facts no holder of the lock writes —
// the refusals, the attribution, the cost, the arm, the cohort, the period end; decide (under the lock)
// does what depends on the locked facts — repeats, duplicates and bursts, the budgets — in batch order.
import { z } from 'zod';
import { attributionRuleOf, UNATTRIBUTED_CHANNEL_ID, type AttributionBasis } from '../../domain/attribution';
import { durationMs } from '../../domain/duration';
import { attribute, type TouchWindows } from '../attribution';
import { assignGroup, ExperimentGroupSchema, type ExperimentGroup } from '../control-group';
import { cohortLookup, type Cohort } from '../../domain/cohort';
import { FlagReasonSchema, registrationFlag, type FlagReason } from '../registration-flags';
import { addDurationInZone } from '../../domain/zoned-time';
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
  type UnlockedFacts,
} from './registration-lookups';
import type { RegistrationItem, TouchItem } from './registration-schema';
import { MAX_CLOCK_SKEW_MS } from '../../domain/clock-skew';

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
  'placement_unknown',
  'variant_unknown',
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
            `A schema reason (required, invalid, unknown_field) or one of: ${REGISTRATION_REFUSAL_REASONS.join(', ')}. channel_budget_exhausted: the channel has spent its own cap (plan.pacing); the campaign's other channels go on. A touch's refusal names its field as touches.<j>.channelCode (channel_not_allocated), touches.<j>.placementId (placement_unknown: not this campaign's on that channel), touches.<j>.variantKey (variant_unknown) or touches.<j>.at (after registeredAt).`,
          ),
      }),
    )
    .optional(),
  registrationId: z.uuid().optional(),
  flagReason: FlagReasonSchema.optional(),
  arm: ExperimentGroupSchema.optional(),
  cohortKey: z.string().optional(),
  /** How the registration was attributed, when it carried touches or `direct` (absent: reported). */
  attribution: z
    .object({
      basis: z.enum(['click', 'view', 'direct', 'unattributed']),
      channelCode: z
        .string()
        .nullable()
        .describe(
          'The channel credited: the touched one (click, view), the reporting one (direct), none (unattributed)',
        ),
      touchIndex: z.int().optional().describe("Which of the item's touches won (click, view)"),
    })
    .optional()
    .describe(
      'How the registration was attributed (docs/api/funnel.md, "Attribution"); present only when the item carried touches or direct — without them it is credited to the reporting channel as reported',
    ),
});
export type RegistrationResult = z.infer<typeof RegistrationResultSchema>;

/** Who gets a registration: the allocation credited (null when unattributed) and what is stored for it. */
interface Credit {
  channel: CampaignChannelAllocation | null;
  channelId: string;
  placementId: string | null;
  materialVersionId: string | null;
  variantKey: string | null;
  /** null = reported (no touches, no `direct`). */
  basis: Exclude<AttributionBasis, 'reported'> | null;
  touchIndex?: number;
  touchAt: Date | null;
}

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
  /**
   * The id of a registration accepted for this customer: the ingest decides a batch twice (before the
   * lock and under it, registration-ingest.ts) and keeps a customer's id from the first decision.
   */
  newId: (customerRef: string) => string;
}

export interface PrepareContext {
  campaign: FunnelCampaign;
  /** The facts read before the lock (registration-sql.ts, lookUpUnlockedFacts). */
  lookups: UnlockedFacts;
  now: Date;
}

/** What an item's decision needs that no holder of the registration lock changes. */
interface Terms {
  reporting: CampaignChannelAllocation;
  credit: Credit;
  /** What accepting it costs the campaign's budget (and the credited channel's cap). */
  cost: bigint;
  registeredAtMs: number;
  arm: ExperimentGroup;
  cohortKey: string;
  periodEndsAt: Date;
  placementKnown: boolean | null;
}

/** An item judged before the lock: invalid, refused (unless it is a repeat), or acceptable on its terms. */
export interface PreparedItem {
  index: number;
  item?: RegistrationItem;
  errors?: ItemError[];
  terms?: Terms;
}

/** The batch's items judged before the lock, in batch order (decidePrepared finishes under it). */
export function prepareRegistrations(
  parsed: readonly ParsedItem<RegistrationItem>[],
  ctx: PrepareContext,
): PreparedItem[] {
  const preparer = new Preparer(ctx);
  return parsed.map((item) => preparer.prepare(item));
}

/** Both parts at once (the judgement of the batch, as one call). */
export function decideRegistrations(
  parsed: readonly ParsedItem<RegistrationItem>[],
  ctx: DecisionContext,
): RegistrationDecisions {
  return decidePrepared(prepareRegistrations(parsed, ctx), ctx);
}

/** Under the lock: repeats, duplicates, bursts and budgets, item by item in batch order. */
export function decidePrepared(
  prepared: readonly PreparedItem[],
  ctx: DecisionContext,
): RegistrationDecisions {
  const state = new BatchState(ctx);
  const results = prepared.map((item) => state.decide(item));
  return {
    results,
    registrations: state.registrations,
    ledger: state.ledger,
    spentMinor: state.spent,
    budgetRefused: state.budgetRefused,
    channelsRefused: state.channelsRefused,
  };
}

/** Before the lock: what depends only on the item, the campaign and the unlocked facts. */
class Preparer {
  private readonly window: { start: number; end: number };
  private readonly cohortOf: (registeredAtMs: number) => Cohort;

  constructor(private readonly ctx: PrepareContext) {
    const { plan } = ctx.campaign;
    const { start, end } = plan.registrationWindow;
    this.window = { start: Date.parse(start), end: Date.parse(end) };
    this.cohortOf = cohortLookup({
      windowStart: start,
      granularity: plan.cohortGranularity,
      timeZone: plan.timeZone,
    });
  }

  prepare({ index, value: item, errors }: ParsedItem<RegistrationItem>): PreparedItem {
    if (!item) return { index, errors: errors ?? [] };
    const refusal = this.refusal(item);
    if (refusal) return { index, item, errors: [refusal] };
    const touchErrors = this.touchRefusals(item.touches ?? []);
    if (touchErrors.length > 0) return { index, item, errors: touchErrors };
    const { campaign } = this.ctx;
    const { plan } = campaign;
    // refusal() has checked that the channel is allocated.
    const reporting = campaign.channels.get(item.channelCode) as CampaignChannelAllocation;
    const credit = this.creditFor(item, reporting);
    const registeredAtMs = Date.parse(item.registeredAt);
    // refusal() has checked that it is inside the window.
    const cohort = this.cohortOf(registeredAtMs);
    const terms: Terms = {
      reporting,
      credit,
      cost: credit.channel ? acquisitionCostOf(campaign, credit.channel) : incentiveOf(campaign),
      registeredAtMs,
      arm: assignGroup(campaign.id, item.customerRef, plan.controlGroupShare),
      cohortKey: cohort.key,
      periodEndsAt: new Date(addDurationInZone(registeredAtMs, plan.newCustomerPeriod, plan.timeZone)),
      placementKnown: this.attributionKnown(item, reporting),
    };
    return { index, item, terms };
  }

  /** Each touch must name a channel of the campaign and, if any, one of its placements and variants there. */
  private touchRefusals(touches: readonly TouchItem[]): ItemError[] {
    const { campaign, lookups } = this.ctx;
    return touches.flatMap((touch, j): ItemError[] => {
      const at = `touches.${j}`;
      const channel = campaign.channels.get(touch.channelCode);
      if (!channel) {
        return [
          itemError(
            `${at}.channelCode`,
            'channel_not_allocated',
            `channel "${touch.channelCode}" is not a channel of this campaign`,
          ),
        ];
      }
      const placement =
        touch.placementId === undefined ? undefined : lookups.placements.get(touch.placementId);
      if (touch.placementId !== undefined && placement?.channelId !== channel.channelId) {
        return [
          itemError(
            `${at}.placementId`,
            'placement_unknown',
            `placement "${touch.placementId}" is not one of this campaign's placements on channel "${touch.channelCode}"`,
          ),
        ];
      }
      const variant = placement?.variantKey ?? channel.variantKey;
      if (touch.variantKey !== undefined && touch.variantKey !== variant) {
        return [
          itemError(
            `${at}.variantKey`,
            'variant_unknown',
            `variant "${touch.variantKey}" is not what this campaign shows there (${variant ?? 'no variant'})`,
          ),
        ];
      }
      return [];
    });
  }

  /**
   * The credit: today's attribution to the reporting channel when the item carries neither touches nor
   * `direct` (existing clients see no change); otherwise funnel/attribution.ts decides.
   */
  private creditFor(item: RegistrationItem, reporting: CampaignChannelAllocation): Credit {
    const reported = {
      channel: reporting,
      channelId: reporting.channelId,
      placementId: item.placementId ?? null,
      materialVersionId: this.reportedVersion(item, reporting),
      variantKey: reporting.variantKey,
      touchAt: null,
    };
    if (item.touches === undefined && item.direct === undefined) return { ...reported, basis: null };
    const { campaign, lookups } = this.ctx;
    const touches = (item.touches ?? []).map((touch) => {
      const channel = campaign.channels.get(touch.channelCode) as CampaignChannelAllocation;
      return { ...touch, channel, channelId: channel.channelId, atMs: Date.parse(touch.at) };
    });
    const decided = attribute({
      registeredAtMs: Date.parse(item.registeredAt),
      touches,
      windows: windowsOf(campaign),
      rule: attributionRuleOf(campaign.plan),
      direct: item.direct === true,
    });
    if (decided.basis === 'direct') return { ...reported, basis: 'direct' };
    if (decided.basis === 'unattributed') {
      return {
        channel: null,
        channelId: UNATTRIBUTED_CHANNEL_ID,
        placementId: null,
        materialVersionId: null,
        variantKey: null,
        basis: 'unattributed',
        touchAt: null,
      };
    }
    const { touch, touchIndex } = decided;
    const placement = touch.placementId === undefined ? undefined : lookups.placements.get(touch.placementId);
    return {
      channel: touch.channel,
      channelId: touch.channelId,
      placementId: touch.placementId ?? null,
      materialVersionId: placement?.materialVersionId ?? touch.channel.materialVersionId,
      variantKey: placement?.variantKey ?? touch.channel.variantKey,
      basis: decided.basis,
      touchIndex,
      touchAt: new Date(touch.atMs),
    };
  }

  /**
   * Attribution as reported: the version reported, else the placement's, else what the channel shows for
   * the campaign; nothing is guessed for a placement this campaign does not have.
   */
  private reportedVersion(item: RegistrationItem, channel: CampaignChannelAllocation): string | null {
    const placement = this.placementOf(item, channel);
    return (
      item.materialVersionId ??
      placement?.materialVersionId ??
      (item.placementId === undefined ? channel.materialVersionId : null)
    );
  }

  private refusal(item: RegistrationItem): ItemError | null {
    const { campaign, now } = this.ctx;
    if (CLOSED_CAMPAIGN_STATUSES.has(campaign.status)) {
      return itemError('(campaign)', `campaign_${campaign.status}`, `the campaign is ${campaign.status}`);
    }
    // Set at creation, so this holds from the first moment (the mirrored status says `created` until
    // the workflow records awaiting_approval): nothing is published, so nobody can have come through it.
    if (campaign.approvalState === 'pending') {
      return itemError(
        '(campaign)',
        'campaign_awaiting_approval',
        'the campaign is awaiting launch approval: nothing is published yet; registrations open once it is approved',
      );
    }
    if (campaign.approvalState === 'rejected' || campaign.approvalState === 'expired') {
      return itemError(
        '(campaign)',
        'campaign_rejected',
        `the campaign's launch was ${campaign.approvalState}`,
      );
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
}

/** Under the lock: what depends on the locked facts, in batch order. */
class BatchState {
  readonly registrations: RegistrationRow[] = [];
  readonly ledger: LedgerRow[] = [];
  spent: bigint | null;
  budgetRefused = false;
  readonly channelsRefused = new Set<string>();

  constructor(private readonly ctx: DecisionContext) {
    this.spent = ctx.lookups.acquisitionSpentMinor;
  }

  decide({ index, item, errors, terms }: PreparedItem): RegistrationResult {
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
    if (!terms) return { index, status: 'rejected', errors: errors ?? [] };
    const { credit, cost } = terms;
    // Only the credited channel's fee is owed; an unattributed registration costs its incentive only.
    const channel = credit.channel;
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
    if (channel && channelBudgetRefuses(this.ctx.lookups.channelBudgets.get(channel.channelId), cost)) {
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
    return this.accept(index, item, terms);
  }

  private accept(index: number, item: RegistrationItem, terms: Terms): RegistrationResult {
    const { campaign } = this.ctx;
    const { credit, reporting: channel, registeredAtMs, arm, cohortKey } = terms;
    const id = this.ctx.newId(item.customerRef);
    const registeredAt = new Date(registeredAtMs);
    const flagReason = this.flagFor(item, terms);

    this.registrations.push({
      id,
      campaignId: campaign.id,
      customerRef: item.customerRef,
      channelId: credit.channelId,
      placementId: credit.placementId,
      materialVersionId: credit.materialVersionId,
      variantKey: credit.variantKey,
      attributionBasis: credit.basis,
      reportedChannelId: credit.channelId === channel.channelId ? null : channel.channelId,
      attributedTouchAt: credit.touchAt,
      registeredAt,
      cohortKey,
      periodEndsAt: terms.periodEndsAt,
      arm,
      deviceFingerprint: item.deviceFingerprint ?? null,
      contactHash: item.contactHash ?? null,
      flagReason,
      attributes: item.attributes ?? null,
    });
    this.remember(item, id, registeredAtMs, flagReason, arm, cohortKey);
    if (flagReason === null) this.charge(id, item, terms, registeredAt);
    return {
      index,
      status: flagReason === null ? 'accepted' : 'flagged',
      registrationId: id,
      arm,
      cohortKey,
      ...(flagReason ? { flagReason } : {}),
      ...(credit.basis
        ? {
            attribution: {
              basis: credit.basis,
              channelCode: credit.channel?.channelCode ?? null,
              ...(credit.touchIndex !== undefined ? { touchIndex: credit.touchIndex } : {}),
            },
          }
        : {}),
    };
  }

  private flagFor(item: RegistrationItem, terms: Terms): FlagReason | null {
    const at = terms.registeredAtMs;
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
      placementKnown: terms.placementKnown,
      fingerprintCountInBurstWindow: item.deviceFingerprint ? inBurstWindow + 1 : 0,
      burstThreshold: FINGERPRINT_BURST_THRESHOLD,
    });
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

  /**
   * The incentive and the credited channel's per-registration fee, for valid registrations only, booked to
   * the credited channel and variant. An unattributed registration owes no channel a fee; its incentive
   * (the customer is owed it all the same) is booked to the unattributed line, so it counts against the
   * campaign's budget and against no channel's cap.
   */
  private charge(id: string, item: RegistrationItem, terms: Terms, at: Date) {
    const { campaign } = this.ctx;
    const { credit, cohortKey, cost } = terms;
    const who = {
      campaignId: campaign.id,
      channelId: credit.channelId,
      variantKey: credit.variantKey,
      cohortKey,
      customerRef: item.customerRef,
    };
    const incentive = campaign.plan.incentive.perRegistrationMinor;
    if (incentive > 0)
      this.ledger.push(ledgerEntries.registrationIncentive(id, who, incentive, campaign.plan.currency, at));
    const fee = credit.channel?.costModel;
    if (fee?.type === 'per_registration' && fee.amountMinor > 0) {
      this.ledger.push(ledgerEntries.channelFee(id, who, fee.amountMinor, fee.currency, at));
    }
    if (this.spent !== null) this.spent += cost;
    const channelBudget = this.ctx.lookups.channelBudgets.get(credit.channelId);
    if (channelBudget) channelBudget.spentMinor += cost;
  }
}

function append<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function incentiveOf(campaign: FunnelCampaign): bigint {
  return BigInt(campaign.plan.incentive.perRegistrationMinor);
}

/** The windows pinned on the campaign's allocations, by channel id, in milliseconds. */
const windowCache = new WeakMap<FunnelCampaign, Map<string, TouchWindows>>();
function windowsOf(campaign: FunnelCampaign): Map<string, TouchWindows> {
  let windows = windowCache.get(campaign);
  if (!windows) {
    windows = new Map(
      [...campaign.channels.values()].map((c) => [
        c.channelId,
        { clickThroughMs: durationMs(c.clickThroughWindow), viewThroughMs: durationMs(c.viewThroughWindow) },
      ]),
    );
    windowCache.set(campaign, windows);
  }
  return windows;
}
