// Request bodies for the registry tests. Every test run shares one database, so codes and
// departments carry a per-run suffix: tests never see each other's rows.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../../db/client';
import { campaignWorkflowId } from '../../../workflows/ids';
import { storedPlan } from '../../support/fixtures';

export const runId = randomUUID().slice(0, 8);

/** A unique channel code for this run: `<name>-<run>`. */
export const codeOf = (name: string) => `${name}-${runId}`;

export function ecosystemChannel(name: string, overrides: Record<string, unknown> = {}) {
  return {
    code: codeOf(name),
    name: `Channel ${name}`,
    kind: 'ecosystem_scenario',
    onlineType: 'ecommerce',
    department: `retail-${runId}`,
    costModel: { type: 'cpc', amountMinor: 120, currency: 'CNY' },
    canShowMaterial: true,
    canDeliverMessages: false,
    adapter: { type: 'http', baseUrl: 'http://127.0.0.1:4199', timeoutMs: 5000 },
    ...overrides,
  };
}

export function branchChannel(name: string, overrides: Record<string, unknown> = {}) {
  return {
    code: codeOf(name),
    name: `Branch ${name}`,
    kind: 'offline',
    department: `branches-${runId}`,
    costModel: { type: 'fixed_per_placement', amountMinor: 50_000, currency: 'CNY' },
    adapter: { type: 'offline' },
    ...overrides,
  };
}

export function content(title: string, overrides: Record<string, unknown> = {}) {
  return {
    title,
    body: 'Open an account in three minutes and get a first-order discount.',
    imageRefs: ['asset:banners/spring-2026.png'],
    linkUrl: 'https://bank.example/open',
    callToAction: 'Open now',
    styleTags: ['discount'],
    ...overrides,
  };
}

/** A campaign row that uses the channel, written directly: the retire rule reads only these rows. */
export async function campaignUsing(db: Db, channelId: string, status: string): Promise<string> {
  const id = randomUUID();
  await db.campaign.create({
    data: {
      id,
      name: `campaign ${status}`,
      status,
      plan: storedPlan(),
      currency: 'CNY',
      workflowId: campaignWorkflowId(id),
      // Marked started so that no reconciler (campaign-slice test) starts a workflow for this bare row.
      workflowStartedAt: new Date(),
      createdBy: 'test',
      channels: { create: [{ channelId }] },
    },
  });
  return id;
}
