// The deterministic half of the traffic generator: from a seed and the campaign facts, the sequence of
// prospects — when each arrives, through which channel and placement, how many impressions it stands for,
// whether it starts and completes sign-up, whether it behaves badly, the registration items it sends and
// its opportunities in the new-customer period. No I/O and no clock: the same seed, campaign facts and
// start time give the same prospects, item for item (test/unit/traffic/planner.test.ts).
import type { RegistrationItem } from '../funnel/ingest/registration-schema';
import { audienceEffect, drawAttributes, type AudienceEffect } from './audience';
import { opportunitiesFrom, type Opportunity } from './behaviour';
import type { CampaignFacts, ChannelFacts } from './facts';
import { BAD_BEHAVIOUR, channelFunnelTraits, type BadBehaviour } from './model';
import { exponential, hexId, streamOf, weightedPick } from './random';

export interface PlannerOptions {
  seed: number;
  /** Prospects per second across the campaign. */
  rate: number;
  /** Share of prospects who behave badly, in [0, 1]. */
  badShare: number;
  /** Customer refs the bank already lists (ExistingCustomer): what existing_customer prospects use. */
  existingCustomerRefs: readonly string[];
  /** The first arrival's earliest time (ms since the epoch). */
  startAt: number;
}

/** A registration to send at `at`, and the customer whose new-customer period follows it. */
export interface PlannedRegistration {
  at: number;
  item: RegistrationItem;
  /** The customer's period opportunities; empty for bad prospects (they never use the account). */
  opportunities: Opportunity[];
  audience: AudienceEffect;
}

export interface Prospect {
  index: number;
  arrivesAt: number;
  channelCode: string;
  placementId: string | null;
  /** Impressions this arriving (clicking) prospect stands for: ≥ 1, mean 1 ÷ click-through. */
  impressions: number;
  started: boolean;
  completed: boolean;
  bad: BadBehaviour | null;
  /** 0 (did not complete), 1, or a burst's several. */
  registrations: PlannedRegistration[];
}

/** The last this many completed customers' contacts are what duplicate sign-ups copy. */
const CONTACTS_KEPT = 1_000;

export class TrafficPlanner {
  private index = 0;
  private clock: number;
  private readonly arrivals: () => number;
  private readonly contacts: string[] = [];
  private existingUsed = 0;

  constructor(
    private facts: CampaignFacts,
    private readonly options: PlannerOptions,
  ) {
    if (!(options.rate > 0)) throw new RangeError(`rate ${options.rate} must be above 0`);
    if (!(options.badShare >= 0 && options.badShare <= 1))
      throw new RangeError(`badShare ${options.badShare} must be between 0 and 1`);
    this.clock = options.startAt;
    this.arrivals = streamOf('arrivals', options.seed, facts.campaignId);
  }

  /** New facts (placements published or withdrawn since): later prospects use them. */
  updateFacts(facts: CampaignFacts): void {
    this.facts = facts;
  }

  /** Channels prospects can reach: those with something showing, weighted by reach. */
  private reachable(): (readonly [ChannelFacts, number])[] {
    return this.facts.channels
      .filter((c) => c.placements.length > 0)
      .map((c) => [c, channelFunnelTraits(c.kind, c.onlineType).reach] as const);
  }

  /**
   * Nobody could arrive until `at` (no channel showed the campaign): the next arrival is drawn from
   * then on, not from a backlog of arrivals that could not have happened.
   */
  advanceTo(at: number): void {
    this.clock = Math.max(this.clock, at);
  }

  /** The next prospect; null when no channel shows the campaign (nobody can arrive). */
  next(): Prospect | null {
    const channels = this.reachable();
    if (channels.length === 0) return null;
    const { seed, rate, badShare } = this.options;
    const { campaignId } = this.facts;
    const index = this.index++;
    this.clock += Math.max(1, Math.round(exponential(this.arrivals(), 1000 / rate)));
    const arrivesAt = this.clock;

    // One stream per prospect, drawn in this fixed order.
    const draw = streamOf('prospect', seed, campaignId, index);
    const channel = weightedPick(channels, draw()) as ChannelFacts;
    const placement = channel.placements[Math.floor(draw() * channel.placements.length)];
    const traits = channelFunnelTraits(channel.kind, channel.onlineType);
    const impressions = 1 + Math.floor(exponential(draw(), 1 / traits.clickThrough - 1));
    const audience = audienceEffect(channel.audience);
    const startDraw = draw();
    const completeDraw = draw();
    const badDraw = draw();
    const badKindDraw = draw();
    const attributes = drawAttributes(channel.audience, draw(), draw());
    const copyDraw = draw();
    const opportunities = opportunitiesFrom(draw);

    const id = hexId(12, campaignId, seed, index);
    const item: RegistrationItem = {
      customerRef: `tg-${id}`,
      channelCode: channel.channelCode,
      ...(placement ? { placementId: placement.placementId } : {}),
      registeredAt: new Date(arrivesAt).toISOString(),
      deviceFingerprint: `sha256:${hexId(16, 'device', campaignId, seed, index)}`,
      contactHash: `sha256:${hexId(16, 'contact', campaignId, seed, index)}`,
      attributes: { ...attributes, source: 'traffic-generator' },
    };
    const prospect: Prospect = {
      index,
      arrivesAt,
      channelCode: channel.channelCode,
      placementId: placement?.placementId ?? null,
      impressions,
      started: false,
      completed: false,
      bad: null,
      registrations: [],
    };

    const bad = badDraw < badShare ? this.badKind(badKindDraw) : null;
    if (bad !== null) {
      // People out for the incentive never drop out of the flow.
      prospect.started = prospect.completed = true;
      prospect.bad = bad;
      prospect.registrations = this.badRegistrations(bad, item, copyDraw, { index, seed, campaignId });
      return prospect;
    }
    prospect.started = startDraw < Math.min(1, traits.startRate * audience.start);
    prospect.completed = prospect.started && completeDraw < traits.completionRate;
    if (prospect.completed) {
      prospect.registrations = [{ at: arrivesAt, item, opportunities, audience }];
      this.contacts.push(item.contactHash as string);
      if (this.contacts.length > CONTACTS_KEPT) this.contacts.shift();
    }
    return prospect;
  }

  /** The kind of bad behaviour; one that the facts cannot support yet falls through to the next. */
  private badKind(u: number): BadBehaviour | null {
    const kinds = (Object.entries(BAD_BEHAVIOUR.mix) as [BadBehaviour, number][]).filter(
      ([kind]) =>
        (kind !== 'duplicate_signup' || this.contacts.length > 0) &&
        (kind !== 'existing_customer' || this.options.existingCustomerRefs.length > 0),
    );
    return weightedPick(kinds, u);
  }

  private badRegistrations(
    bad: BadBehaviour,
    item: RegistrationItem,
    copyDraw: number,
    who: { index: number; seed: number; campaignId: string },
  ): PlannedRegistration[] {
    const at = Date.parse(item.registeredAt);
    const plain = (registration: RegistrationItem, when = at): PlannedRegistration => ({
      at: when,
      item: registration,
      opportunities: [],
      audience: audienceEffect(null),
    });
    if (bad === 'duplicate_signup') {
      const contact = this.contacts[Math.floor(copyDraw * this.contacts.length)] as string;
      return [plain({ ...item, contactHash: contact })];
    }
    if (bad === 'existing_customer') {
      const refs = this.options.existingCustomerRefs;
      const customerRef = refs[this.existingUsed++ % refs.length] as string;
      return [plain({ ...item, customerRef })];
    }
    // One device, several people, seconds apart; the device from the seed's pool (see BAD_BEHAVIOUR).
    const device = Math.floor(copyDraw * BAD_BEHAVIOUR.burstDevices);
    const deviceFingerprint = `sha256:${hexId(16, 'burst-device', who.seed, device)}`;
    return Array.from({ length: BAD_BEHAVIOUR.burstSize }, (_, j) => {
      const when = at + j * BAD_BEHAVIOUR.burstSpacingMs;
      return plain(
        {
          ...item,
          customerRef: `${item.customerRef}-b${j}`,
          deviceFingerprint,
          contactHash: `sha256:${hexId(16, 'contact', who.campaignId, who.seed, who.index, j)}`,
          registeredAt: new Date(when).toISOString(),
        },
        when,
      );
    });
  }
}

/** Refs for the bank's existing-customer list, stable per seed: what a demo seeds ExistingCustomer with. */
export function existingCustomerRefs(seed: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `bank-${hexId(10, 'existing', seed, i)}`);
}
