// The demo's one integration point with the prospect traffic generator (traffic/generator.ts, built
// on its own branch; docs/traffic-generator.md). The director only needs this shape: start traffic on
// one campaign, stop it when the campaign is over.
export interface DemoTrafficOptions {
  apiUrl: string;
  /** A channel-system key covering the campaign's channels. */
  apiKey: string;
  campaignId: string;
  seed: number;
  /** Prospects per second. */
  rate: number;
  simulatorUrl: string;
  maxProspects?: number;
  maxDurationMs?: number;
  /** Share of registrations sent as bad (duplicates, wrong attribution…), which the API flags. */
  badShare?: number;
  log?: (line: string) => void;
}

export interface DemoTrafficSummary {
  prospects: number;
  registrationsSent: number;
  accepted: number;
  refused: Record<string, number>;
  eventsSent: number;
  deliveryReportsSent: number;
  stoppedBecause: string;
}

export type TrafficStarter = (options: DemoTrafficOptions) => {
  done: Promise<DemoTrafficSummary>;
  stop(): Promise<DemoTrafficSummary>;
};

/**
 * The generator, or null while it is not part of this build: the director then runs the campaigns
 * without traffic and says so.
 */
export async function loadTrafficStarter(): Promise<TrafficStarter | null> {
  return null;
}
