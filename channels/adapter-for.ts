// Picks the adapter for a channel from its registry entry: the channel simulator (demo and tests),
// a real channel system over HTTP, or none for offline channels (branches and account managers get
// placement tasks that staff acknowledge through the API instead).
import { HttpChannelAdapter } from './http-adapter';
import type { ChannelAdapter } from './adapter';

export interface AdapterConfig {
  type: 'simulator' | 'http' | 'offline';
  baseUrl?: string;
  timeoutMs?: number;
  deliveryBatchSize?: number;
}

/** The simulator implements the batch delivery call: its channels use it unless configured otherwise. */
export const SIMULATOR_DELIVERY_BATCH_SIZE = 100;

const cache = new Map<string, ChannelAdapter>();

export function adapterFor(
  channel: { code: string; adapter: unknown },
  opts: { simulatorUrl: string },
): ChannelAdapter | null {
  const config = channel.adapter as AdapterConfig;
  if (config.type === 'offline') return null;
  const baseUrl = config.type === 'simulator' ? opts.simulatorUrl : config.baseUrl;
  if (!baseUrl) throw new Error(`channel ${channel.code}: adapter ${config.type} has no baseUrl`);
  const deliveryBatchSize =
    config.deliveryBatchSize ?? (config.type === 'simulator' ? SIMULATOR_DELIVERY_BATCH_SIZE : 1);
  const key = `${baseUrl}|${config.timeoutMs ?? ''}|${deliveryBatchSize}`;
  let adapter = cache.get(key);
  if (!adapter) {
    adapter = new HttpChannelAdapter({ baseUrl, timeoutMs: config.timeoutMs ?? 10_000, deliveryBatchSize });
    cache.set(key, adapter);
  }
  return adapter;
}
