// Starts a channel simulator on an ephemeral port and gives tests an HttpChannelAdapter pointed at
// it, plus helpers for the simulator's /_sim control surface.
import { HttpChannelAdapter, type HttpChannelAdapterOptions } from '../../../channels/http-adapter';
import type { PublishRequest } from '../../../channels/adapter';
import { contentHash, type MaterialContent } from '../../../domain/material-content';
import type { FaultRule } from '../../../simulator/faults';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../simulator/server';
import type { ChannelStats } from '../../../simulator/store';
import { sampleContent } from '../channels/fixtures';

export interface Harness {
  sim: RunningSimulator;
  adapter(options?: Partial<HttpChannelAdapterOptions>): HttpChannelAdapter;
  addFault(rule: FaultRule): Promise<{ id: number | null; drifted: number }>;
  stats(channelCode: string): Promise<ChannelStats>;
  control(path: string, init?: RequestInit): Promise<Response>;
}

export async function startHarness(options: SimulatorOptions = {}): Promise<Harness> {
  const sim = await startSimulator(options);
  const control = (path: string, init?: RequestInit) =>
    fetch(sim.url + path, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } });
  return {
    sim,
    control,
    adapter: (overrides = {}) => new HttpChannelAdapter({ baseUrl: sim.url, timeoutMs: 2_000, ...overrides }),
    async addFault(rule) {
      const response = await control('/_sim/faults', { method: 'POST', body: JSON.stringify(rule) });
      if (response.status !== 201) throw new Error(`fault refused: ${await response.text()}`);
      return (await response.json()) as { id: number | null; drifted: number };
    },
    async stats(channelCode) {
      const response = await control(`/_sim/channels/${encodeURIComponent(channelCode)}/stats`);
      return (await response.json()) as ChannelStats;
    },
  };
}

export function publishRequest(
  overrides: Partial<PublishRequest> & { content?: MaterialContent } = {},
): PublishRequest {
  const content = overrides.content ?? sampleContent();
  return {
    idempotencyKey: 'pub-c1-app-v1',
    channelCode: 'mobile-app',
    placementId: 'c1-home-banner',
    campaignId: 'c1',
    materialVersionId: 'mv-1',
    contentHash: contentHash(content),
    ...overrides,
    content,
  };
}
