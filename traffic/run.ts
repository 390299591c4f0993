// One run of the traffic generator against one campaign: the loop that lets prospects arrive in real time,
// sends their registrations, closes each placement's delivery-report periods, and plays every registered
// customer's new-customer-period opportunities as they fall due, deciding each with the behaviour model
// from the messages the simulator delivered by then. Every batch is kept until the API answered it, and
// resent identically (same items, same Idempotency-Key) after a failure, so nothing is stored twice.
// Stops by itself on its bounds, at the end of acquisition (once the customers' periods are played) and
// when the campaign's life is over.
import type { ChannelBrief } from '../domain/channel-brief';
import { ChannelBriefSchema } from '../domain/channel-brief';
import type { CustomerEventItem } from '../funnel/ingest/event-schema';
import type { AudienceEffect } from './audience';
import { decide, type History, type Opportunity } from './behaviour';
import { campaignOver, factsFromBrief, type CampaignFacts } from './facts';
import type { TrafficOptions, TrafficSummary } from './generator';
import { HttpError, jsonClient, describe, type JsonClient } from './http';
import { ReceivedMessages } from './messages';
import { channelFunnelTraits } from './model';
import { TrafficPlanner, type PlannedRegistration, type Prospect } from './planner';
import { Agenda } from './queue';

export type RunOptions = Required<
  Pick<
    TrafficOptions,
    | 'apiUrl'
    | 'apiKey'
    | 'campaignId'
    | 'seed'
    | 'rate'
    | 'simulatorUrl'
    | 'maxProspects'
    | 'maxDurationMs'
    | 'badShare'
    | 'existingCustomerRefs'
    | 'newCustomerPeriod'
    | 'deliveryPeriodMs'
    | 'log'
  >
> &
  Pick<TrafficOptions, 'startAt' | 'retry'>;

/** The ingest API's per-request bound (funnel/ingest/batch.ts). */
const MAX_BATCH = 1_000;
const BRIEF_EVERY_MS = 2_000;
const MESSAGES_EVERY_MS = 500;
const IDLE_MS = 250;

interface DeliveryBucket {
  channelCode: string;
  reportsStarted: boolean;
  /** The period being counted: [periodStart(k), periodStart(k + 1)). */
  period: number;
  impressions: number;
  clicks: number;
  started: number;
}

interface DeliveryReportItem {
  reportId: string;
  channelCode: string;
  placementId: string;
  periodStart: string;
  periodEnd: string;
  impressions: number;
  clicks: number;
  registrationsStarted?: number;
}

interface Due {
  customerRef: string;
  opportunity: Opportunity;
  registeredAt: number;
  audience: AudienceEffect;
  history: History;
}

interface ItemAnswer {
  status?: string;
  flagReason?: string;
  inPeriod?: boolean;
  errors?: { reason?: string }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const bump = (record: Record<string, number>, key: string, by = 1) => {
  record[key] = (record[key] ?? 0) + by;
};

/** Registration refusals that mean acquisition is over for this campaign (not a fault of the item). */
function closingReason(reason: string): string | null {
  if (reason === 'budget_exhausted') return 'budget_exhausted';
  if (reason === 'outside_window') return 'window_ended';
  if (reason.startsWith('campaign_')) return reason;
  return null;
}

export class TrafficRun {
  private readonly http: JsonClient;
  private readonly summary: TrafficSummary = {
    prospects: 0,
    registrationsSent: 0,
    accepted: 0,
    refused: {},
    eventsSent: 0,
    deliveryReportsSent: 0,
    stoppedBecause: '',
    registrationsStarted: 0,
    flagged: {},
    eventsAccepted: 0,
    eventsRefused: {},
    deliveryReportsRefused: {},
    retries: 0,
    messagesSeen: 0,
  };
  private stopReason: string | null = null;
  /** Why acquisition ended; null while prospects still arrive. */
  private acquisitionEnded: string | null = null;
  private facts!: CampaignFacts;
  private planner!: TrafficPlanner;
  private startAt = 0;
  private nextProspect: Prospect | null = null;
  private readonly registrations = new Agenda<PlannedRegistration>();
  private readonly opportunities = new Agenda<Due>();
  private readonly buckets = new Map<string, DeliveryBucket>();
  /** Batches formed and not yet answered: resent as they are until the API answers. */
  private registrationBatch: PlannedRegistration[] | null = null;
  private eventBatch: CustomerEventItem[] | null = null;
  private reportBatch: DeliveryReportItem[] | null = null;
  private readonly reportQueue: DeliveryReportItem[] = [];
  private readonly eventQueue: CustomerEventItem[] = [];
  private messages!: ReceivedMessages;
  private lastBrief = 0;
  private lastMessages = 0;
  private wake: (() => void) | null = null;

  constructor(private readonly options: RunOptions) {
    this.http = jsonClient({
      headers: { Authorization: `Bearer ${options.apiKey}` },
      retry: options.retry,
      cancelled: () => this.stopReason !== null,
      onRetry: ({ url, attempt, reason }) => {
        this.summary.retries += 1;
        options.log(`retry ${attempt} of ${url}: ${reason}`);
      },
    });
  }

  stop(reason: string): void {
    this.stopReason ??= reason;
    this.wake?.();
  }

  async run(): Promise<TrafficSummary> {
    const { options } = this;
    const deadline = Date.now() + options.maxDurationMs;
    const url = (path: string) => new URL(path, options.apiUrl).toString();
    this.messages = new ReceivedMessages(this.http, options.simulatorUrl, options.campaignId);

    // Configuration errors (no such campaign, a wrong key) end the run before anything is sent.
    this.applyBrief(await this.fetchBrief(url));
    if (this.facts.channels.length === 0)
      throw new HttpError('the key covers none of the campaign channels', 403, null);
    this.startAt = options.startAt ?? Math.max(Date.now(), this.facts.windowStart);
    this.planner = new TrafficPlanner(this.facts, {
      seed: options.seed,
      rate: options.rate,
      badShare: options.badShare,
      existingCustomerRefs: options.existingCustomerRefs,
      startAt: this.startAt,
    });
    options.log(
      `campaign ${this.facts.campaignId} (${this.facts.status}): ${this.facts.channels.length} channels, ` +
        `${options.rate}/s from ${new Date(this.startAt).toISOString()}, seed ${options.seed}`,
    );

    while (this.stopReason === null) {
      const now = Date.now();
      if (now >= deadline) {
        this.stop('max_duration');
        break;
      }
      try {
        if (now - this.lastBrief >= BRIEF_EVERY_MS) this.applyBrief(await this.fetchBrief(url));
      } catch (err) {
        if (err instanceof HttpError && err.status === 404) this.stop('campaign_not_found');
        else options.log(`channel brief not read: ${String(err)}`);
      }
      if (campaignOver(this.facts)) {
        this.stop(`campaign_${this.facts.status}`);
        break;
      }
      this.arrive(now);
      this.closePeriods(now);
      await this.sendRegistrations(url('/campaigns/' + options.campaignId + '/registrations'), now);
      await this.sendReports(url('/campaigns/' + options.campaignId + '/delivery-reports'));
      await this.playOpportunities(now);
      await this.sendEvents(url('/campaigns/' + options.campaignId + '/events'));
      if (this.finished()) {
        this.stop(this.acquisitionEnded ?? 'finished');
        break;
      }
      await this.idle(deadline);
    }
    this.summary.stoppedBecause = this.stopReason ?? 'stopped';
    this.summary.messagesSeen = this.messages.total;
    options.log(`stopped (${this.summary.stoppedBecause}): ${JSON.stringify(this.summary)}`);
    return this.summary;
  }

  private async fetchBrief(url: (path: string) => string): Promise<ChannelBrief> {
    const body = await this.http.get(url(`/campaigns/${this.options.campaignId}/channel-brief`));
    this.lastBrief = Date.now();
    const brief = ChannelBriefSchema.safeParse(body);
    if (!brief.success) throw new HttpError(`unreadable channel brief: ${describe(body)}`, null, body);
    return brief.data;
  }

  private applyBrief(brief: ChannelBrief): void {
    this.facts = factsFromBrief(brief);
    this.planner?.updateFacts(this.facts);
    if (!this.facts.acquisitionOpen) this.endAcquisition('acquisition_closed');
  }

  private endAcquisition(reason: string): void {
    if (this.acquisitionEnded !== null) return;
    this.acquisitionEnded = reason;
    this.nextProspect = null;
    this.options.log(`acquisition over (${reason}) after ${this.summary.prospects} prospects`);
  }

  /** Lets every prospect due by `now` arrive: counts it in its placement's period, plans its registrations. */
  private arrive(now: number): void {
    for (;;) {
      if (this.acquisitionEnded !== null) return;
      if (now >= this.facts.windowEnd) return this.endAcquisition('window_ended');
      if (this.summary.prospects >= this.options.maxProspects) return this.endAcquisition('max_prospects');
      this.nextProspect ??= this.planner.next();
      const prospect = this.nextProspect;
      // No channel shows the campaign yet: wait for the brief to list a placement.
      if (prospect === null) return this.planner.advanceTo(now);
      if (prospect.arrivesAt > now) return;
      this.nextProspect = null;
      if (prospect.arrivesAt >= this.facts.windowEnd) return this.endAcquisition('window_ended');
      this.summary.prospects += 1;
      if (prospect.started) this.summary.registrationsStarted += 1;
      this.count(prospect);
      for (const registration of prospect.registrations)
        this.registrations.push(registration.at, registration);
    }
  }

  private periodOf(at: number): number {
    return Math.floor((at - this.startAt) / this.options.deliveryPeriodMs);
  }

  private periodStart(k: number): number {
    return this.startAt + k * this.options.deliveryPeriodMs;
  }

  private count(prospect: Prospect): void {
    if (prospect.placementId === null) return;
    const channel = this.facts.channels.find((c) => c.channelCode === prospect.channelCode);
    if (!channel) return;
    const traits = channelFunnelTraits(channel.kind, channel.onlineType);
    if (!traits.reportsDelivery) return;
    const period = this.periodOf(prospect.arrivesAt);
    let bucket = this.buckets.get(prospect.placementId);
    if (!bucket) {
      bucket = {
        channelCode: channel.channelCode,
        reportsStarted: traits.reportsStarted,
        period,
        impressions: 0,
        clicks: 0,
        started: 0,
      };
      this.buckets.set(prospect.placementId, bucket);
    }
    this.closeBucket(prospect.placementId, bucket, period);
    bucket.impressions += prospect.impressions;
    bucket.clicks += 1;
    if (prospect.started) bucket.started += 1;
  }

  /** Reports every period of the bucket before `upTo` (empty periods too) and moves it to `upTo`. */
  private closeBucket(placementId: string, bucket: DeliveryBucket, upTo: number): void {
    while (bucket.period < upTo) {
      const start = this.periodStart(bucket.period);
      const end = this.periodStart(bucket.period + 1);
      this.reportQueue.push({
        reportId: `tg-${this.options.seed}-${start}`,
        channelCode: bucket.channelCode,
        placementId,
        periodStart: new Date(start).toISOString(),
        periodEnd: new Date(end).toISOString(),
        impressions: bucket.impressions,
        clicks: bucket.clicks,
        ...(bucket.reportsStarted ? { registrationsStarted: bucket.started } : {}),
      });
      Object.assign(bucket, { period: bucket.period + 1, impressions: 0, clicks: 0, started: 0 });
      // After acquisition, only the period that was open is reported: no stream of empty ones.
      if (this.acquisitionEnded !== null) {
        this.buckets.delete(placementId);
        return;
      }
    }
  }

  private closePeriods(now: number): void {
    // Periods that have ended by now are complete: every prospect before `now` has arrived.
    const current = this.periodOf(now);
    for (const [placementId, bucket] of this.buckets) this.closeBucket(placementId, bucket, current);
  }

  private async sendRegistrations(url: string, now: number): Promise<void> {
    for (;;) {
      this.registrationBatch ??= this.take(this.registrations.takeDue(now, MAX_BATCH), (r) => {
        this.summary.registrationsSent += 1;
        return r;
      });
      const batch = this.registrationBatch;
      if (batch === null || this.stopReason !== null) return;
      const answer = await this.post(
        url,
        batch.map((r) => r.item),
      );
      if (answer === null) return; // kept: resent identically next round
      this.registrationBatch = null;
      if (answer.status !== 200) {
        this.wholeBatchRefused(answer, this.summary.refused, batch.length);
        continue;
      }
      batch.forEach((registration, i) => this.registered(registration, answer.items[i] ?? {}));
    }
  }

  private registered(registration: PlannedRegistration, answer: ItemAnswer): void {
    const { summary } = this;
    if (answer.status === 'rejected') {
      const reason = answer.errors?.[0]?.reason ?? 'rejected';
      bump(summary.refused, reason);
      const closing = closingReason(reason);
      if (closing !== null && (closing !== 'window_ended' || Date.now() >= this.facts.windowEnd))
        this.endAcquisition(closing);
      return;
    }
    summary.accepted += 1;
    if (answer.flagReason) bump(summary.flagged, answer.flagReason);
    // The answer also names the customer's arm: deliberately unread, the messages are what count.
    if (!this.options.newCustomerPeriod || answer.flagReason) return;
    const registeredAt = Date.parse(registration.item.registeredAt);
    const history: History = { logins: 0 };
    for (const opportunity of registration.opportunities) {
      const at = registeredAt + Math.floor(opportunity.atFraction * this.facts.newCustomerPeriodMs);
      this.opportunities.push(at, {
        customerRef: registration.item.customerRef,
        opportunity,
        registeredAt,
        audience: registration.audience,
        history,
      });
    }
  }

  private async playOpportunities(now: number): Promise<void> {
    if (this.opportunities.peekAt() === null || (this.opportunities.peekAt() as number) > now) return;
    if (now - this.lastMessages >= MESSAGES_EVERY_MS) {
      try {
        await this.messages.poll();
        this.lastMessages = now;
      } catch (err) {
        // Without the simulator's answer nobody would seem to have received anything: wait for it.
        this.options.log(`simulator messages not read: ${String(err)}`);
        return;
      }
    }
    for (const due of this.opportunities.takeDue(now, Number.MAX_SAFE_INTEGER)) {
      const at = due.registeredAt + Math.floor(due.opportunity.atFraction * this.facts.newCustomerPeriodMs);
      const received = this.messages.receivedBy(due.customerRef, at);
      const decision = decide(due.opportunity, due.audience, received, due.history);
      if (!decision.act) continue;
      if (due.opportunity.kind === 'login') due.history.logins += 1;
      const money =
        decision.amountMinor === undefined
          ? {}
          : {
              amountMinor: decision.amountMinor,
              revenueMinor: decision.revenueMinor ?? 0,
              currency: this.facts.currency,
            };
      this.eventQueue.push({
        eventId: `${due.customerRef}-${due.opportunity.kind}-${due.opportunity.ordinal}`,
        customerRef: due.customerRef,
        type: due.opportunity.kind,
        ...money,
        occurredAt: new Date(at).toISOString(),
      });
    }
  }

  private async sendEvents(url: string): Promise<void> {
    for (;;) {
      this.eventBatch ??= this.take(this.eventQueue.splice(0, MAX_BATCH), (e) => {
        this.summary.eventsSent += 1;
        return e;
      });
      const batch = this.eventBatch;
      if (batch === null || this.stopReason !== null) return;
      const answer = await this.post(url, batch);
      if (answer === null) return;
      this.eventBatch = null;
      if (answer.status !== 200) {
        this.wholeBatchRefused(answer, this.summary.eventsRefused, batch.length);
        continue;
      }
      for (const item of answer.items) {
        if (item.status === 'rejected')
          bump(this.summary.eventsRefused, item.errors?.[0]?.reason ?? 'rejected');
        else this.summary.eventsAccepted += 1;
      }
    }
  }

  private async sendReports(url: string): Promise<void> {
    for (;;) {
      this.reportBatch ??= this.take(this.reportQueue.splice(0, MAX_BATCH), (r) => {
        this.summary.deliveryReportsSent += 1;
        return r;
      });
      const batch = this.reportBatch;
      if (batch === null || this.stopReason !== null) return;
      const answer = await this.post(url, batch);
      if (answer === null) return;
      this.reportBatch = null;
      if (answer.status !== 200) {
        this.wholeBatchRefused(answer, this.summary.deliveryReportsRefused, batch.length);
        continue;
      }
      for (const item of answer.items) {
        if (item.status === 'rejected')
          bump(this.summary.deliveryReportsRefused, item.errors?.[0]?.reason ?? 'rejected');
      }
    }
  }

  /** A batch of the items, counted as sent once; null when there are none. */
  private take<T>(items: T[], counted: (item: T) => T): T[] | null {
    return items.length === 0 ? null : items.map(counted);
  }

  /**
   * Posts one batch; null when no answer came after the retries (the batch stays and is resent as it is).
   * Items are always sent as `{ items }`, so the answer is always one result per item.
   */
  private async post(url: string, items: unknown[]): Promise<{ status: number; items: ItemAnswer[] } | null> {
    try {
      const { status, body } = await this.http.post(url, { items });
      const results = (body as { items?: ItemAnswer[] } | null)?.items;
      if (status === 404) this.stop('campaign_not_found');
      if (status !== 200 || !Array.isArray(results)) {
        this.options.log(`${url} answered ${status}: ${describe(body)}`);
        return { status, items: [] };
      }
      return { status, items: results };
    } catch (err) {
      this.options.log(`${url}: ${String(err)}; the batch will be resent as it is`);
      return null;
    }
  }

  private wholeBatchRefused(answer: { status: number }, into: Record<string, number>, count: number): void {
    bump(into, `http_${answer.status}`, count);
  }

  /** Acquisition is over, every registration sent, every period reported, every opportunity played. */
  private finished(): boolean {
    return (
      this.acquisitionEnded !== null &&
      this.registrations.size === 0 &&
      this.registrationBatch === null &&
      this.buckets.size === 0 &&
      this.reportQueue.length === 0 &&
      this.reportBatch === null &&
      this.opportunities.size === 0 &&
      this.eventQueue.length === 0 &&
      this.eventBatch === null
    );
  }

  /** Sleeps until the next thing falls due (at most IDLE_MS), or until stop() wakes it. */
  private async idle(deadline: number): Promise<void> {
    const now = Date.now();
    const next = Math.min(
      this.nextProspect?.arrivesAt ?? Infinity,
      this.registrations.peekAt() ?? Infinity,
      this.opportunities.peekAt() ?? Infinity,
      deadline,
    );
    const pendingWork = this.registrationBatch || this.eventBatch || this.reportBatch;
    const ms = pendingWork ? IDLE_MS : Math.max(0, Math.min(IDLE_MS, next - now));
    if (ms <= 0) return;
    await Promise.race([sleep(ms), new Promise<void>((resolve) => (this.wake = resolve))]);
    this.wake = null;
  }
}
