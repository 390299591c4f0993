// The demo director (docs/demo.md): keeps one live demo campaign. When there is none, or the last one
// has finished, it creates the next through the API as the demo marketer (a fresh compressed-time
// window each time; earlier campaigns stay, so the cross-campaign channel comparison has history),
// runs the traffic generator on every demo campaign that is not over, acknowledges the branch and
// account-manager placement tasks as branch staff, and, when a campaign completes, records the bank's
// own channels' internal profiles from the demo history. It holds no state of its own: everything it
// decides on is read from the database each round, so a restart carries on where it left off.
import type { Db } from '../db/client';
import type { Campaign } from '../generated/prisma/client';
import { NoHistoryError, recordInternalProfile } from '../profiles/internal-profile';
import { TERMINAL_CAMPAIGN_PHASES } from '../domain/campaign-phase';
import { DEMO_CHANNELS, DEMO_USERS } from './bank';
import { DEMO_CAMPAIGN_PREFIX, demoCampaignRequest } from './campaign-template';
import type { DemoKeys } from './keys';
import { ACQUISITION_MATERIAL, PERIOD_MATERIALS } from './materials';
import { demoExistingCustomerRefs, type TrafficStarter } from './traffic';

export interface DirectorOptions {
  db: Db;
  apiUrl: string;
  simulatorUrl: string;
  keys: DemoKeys;
  traffic: TrafficStarter | null;
  /** Prospects per second per live campaign. */
  rate?: number;
  roundEveryMs?: number;
  log?: (line: string) => void;
}

const TERMINAL = new Set<string>(TERMINAL_CAMPAIGN_PHASES);

/**
 * Prospects per second on the live demo campaign. At 1 a campaign got ~85 registrations, ~10 of them in
 * the control group: too few for the lift's interval to exclude zero. At 3, ~250 registrations (~50 in
 * control) make a lift of the size the traffic model gives visible in one demo campaign.
 */
export const DEMO_PROSPECTS_PER_SECOND = 3;
const OWN_CHANNEL_CODES = DEMO_CHANNELS.filter((c) => c.kind !== 'ecosystem_scenario').map((c) => c.code);

export function startDirector(options: DirectorOptions): { stop(): Promise<void> } {
  const log = options.log ?? (() => undefined);
  const running = new Map<string, { stop(): Promise<unknown> }>();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let round: Promise<void> = Promise.resolve();
  const existingCustomerRefs = demoExistingCustomerRefs();

  const api = async (key: string, method: 'GET' | 'POST', path: string, body?: unknown, idem?: string) => {
    const res = await fetch(`${options.apiUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${key}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(idem ? { 'Idempotency-Key': idem } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json ?? {};
  };

  const demoCampaigns = () =>
    options.db.campaign.findMany({
      where: {
        createdBy: DEMO_USERS.marketer.name,
        origin: 'live',
        name: { startsWith: DEMO_CAMPAIGN_PREFIX },
      },
      orderBy: { createdAt: 'asc' },
    });

  async function createNext(sequence: number): Promise<void> {
    const material = await options.db.material.findFirstOrThrow({
      where: { name: ACQUISITION_MATERIAL.name, createdBy: DEMO_USERS.marketer.name },
    });
    const versionOf = async (name: string) =>
      (
        await options.db.materialVersion.findFirstOrThrow({
          where: { material: { name, createdBy: DEMO_USERS.marketer.name }, approvedBy: { not: null } },
          orderBy: { version: 'desc' },
        })
      ).id;
    const request = demoCampaignRequest({
      sequence,
      now: new Date(),
      acquisitionMaterialId: material.id,
      periodVersionIds: {
        welcome: await versionOf(PERIOD_MATERIALS.welcome.name),
        depositNudge: await versionOf(PERIOD_MATERIALS.depositNudge.name),
        wealthStarter: await versionOf(PERIOD_MATERIALS.wealthStarter.name),
      },
    });
    // The sequence number is the idempotency key: a director that dies after POSTing does not make two.
    const created = await api(
      options.keys.marketer,
      'POST',
      '/campaigns',
      request,
      `demo-campaign-${sequence}`,
    );
    log(
      `campaign #${sequence} created (${String(created.id)}): registrations until ` +
        `${request.plan.registrationWindow.end}, evaluation about 3 minutes after that`,
    );
  }

  function ensureTraffic(campaign: Campaign, sequence: number): void {
    if (running.has(campaign.id) || !options.traffic) return;
    const handle = options.traffic({
      apiUrl: options.apiUrl,
      apiKey: options.keys.channelFeed,
      campaignId: campaign.id,
      seed: sequence,
      rate: options.rate ?? DEMO_PROSPECTS_PER_SECOND,
      simulatorUrl: options.simulatorUrl,
      badShare: 0.06,
      existingCustomerRefs,
      log: (line) => log(`traffic #${sequence}: ${line}`),
    });
    running.set(campaign.id, handle);
    handle.done.then(
      (summary) =>
        log(`traffic #${sequence} ended (${summary.stoppedBecause}): ${summary.accepted} accepted`),
      (err: unknown) => {
        log(`traffic #${sequence} failed: ${String(err)}; restarting it next round`);
        running.delete(campaign.id);
      },
    );
  }

  /** The bank's own channels learn from each completed demo campaign: an internal profile (内建画像). */
  async function profileOwnChannels(campaign: Campaign): Promise<void> {
    const action = 'demo.internal-profiles.recorded';
    const done = await options.db.auditLog.findFirst({ where: { campaignId: campaign.id, action } });
    if (done) return;
    // Only the bank's own channels: a partner's latest profile stays the partner's (external) one,
    // which the materials' targeting rules read.
    const channels = await options.db.channel.findMany({ where: { code: { in: [...OWN_CHANNEL_CODES] } } });
    const recorded: string[] = [];
    for (const channel of channels) {
      try {
        await recordInternalProfile(options.db, channel, new Date(), DEMO_USERS.marketer.name);
        recorded.push(channel.code);
      } catch (err) {
        if (!(err instanceof NoHistoryError)) throw err;
      }
    }
    await options.db.auditLog.create({
      data: {
        campaignId: campaign.id,
        actor: DEMO_USERS.marketer.name,
        action,
        payload: { channels: recorded },
      },
    });
    if (recorded.length > 0) log(`internal profiles recorded from the demo history: ${recorded.join(', ')}`);
  }

  async function acknowledgeOfflineTasks(): Promise<void> {
    const open = (await api(options.keys.branchStaff, 'GET', '/offline-tasks?status=open')) as {
      items?: { id: string }[];
    };
    for (const task of open.items ?? []) {
      await api(
        options.keys.branchStaff,
        'POST',
        `/offline-tasks/${encodeURIComponent(task.id)}/acknowledge`,
        {},
      );
    }
  }

  async function once(): Promise<void> {
    const campaigns = await demoCampaigns();
    for (const [index, campaign] of campaigns.entries()) {
      const sequence = index + 1;
      if (TERMINAL.has(campaign.status)) {
        const handle = running.get(campaign.id);
        if (handle) {
          running.delete(campaign.id);
          await handle.stop();
        }
        if (campaign.status === 'completed' && index === campaigns.length - 1)
          await profileOwnChannels(campaign);
      } else ensureTraffic(campaign, sequence);
    }
    const last = campaigns[campaigns.length - 1];
    if (!last || TERMINAL.has(last.status)) await createNext(campaigns.length + 1);
    await acknowledgeOfflineTasks();
  }

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      round = once()
        .catch((err: unknown) =>
          log(`round failed (retrying): ${err instanceof Error ? err.message : String(err)}`),
        )
        .finally(schedule);
    }, options.roundEveryMs ?? 5_000);
  };
  round = once()
    .catch((err: unknown) =>
      log(`round failed (retrying): ${err instanceof Error ? err.message : String(err)}`),
    )
    .finally(schedule);
  if (!options.traffic)
    log('the traffic generator is not part of this build: campaigns run without prospects');

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await round;
      await Promise.allSettled([...running.values()].map((handle) => handle.stop()));
      running.clear();
    },
  };
}
