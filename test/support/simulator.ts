// Talks to the channel simulator's control API (/_sim) from tests: faults, stats, placements.
export interface ChannelStats {
  publishesAccepted: number;
  publishReplays: number;
  duplicatePlacements: number;
  livePlacements: number;
  withdrawals: number;
  messagesDelivered: number;
  duplicateMessages: number;
  [key: string]: number;
}

export function simulatorClient(baseUrl: string) {
  const json = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${baseUrl}${path}`, {
      ...init,
      headers: { 'Content-Type': 'application/json' },
    });
    if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path} → ${res.status}`);
    return res.status === 204 ? null : res.json();
  };
  return {
    fault: (rule: Record<string, unknown>) =>
      json('/_sim/faults', { method: 'POST', body: JSON.stringify(rule) }),
    clearFaults: (channelCode?: string) =>
      json(`/_sim/faults${channelCode ? `?channelCode=${encodeURIComponent(channelCode)}` : ''}`, {
        method: 'DELETE',
      }),
    stats: (code: string) =>
      json(`/_sim/channels/${encodeURIComponent(code)}/stats`) as Promise<ChannelStats>,
    placements: async (code: string) =>
      (
        (await json(`/_sim/channels/${encodeURIComponent(code)}/placements`)) as {
          placements: {
            placementId: string;
            status: 'live' | 'withdrawn';
            contentHash: string;
            materialVersionId: string;
          }[];
        }
      ).placements,
    messages: (code: string, query = '') =>
      json(`/_sim/channels/${encodeURIComponent(code)}/messages${query}`),
    async totals(codes: string[]): Promise<ChannelStats> {
      const all = await Promise.all(codes.map((c) => this.stats(c)));
      const total = {} as ChannelStats;
      for (const s of all)
        for (const [k, v] of Object.entries(s)) if (typeof v === 'number') total[k] = (total[k] ?? 0) + v;
      return total;
    },
  };
}
