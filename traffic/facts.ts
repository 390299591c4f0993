// The campaign facts the traffic generator works from, read from the channel brief that the API gives a
// channel-system key (GET /campaigns/:id/channel-brief): the campaign's terms and, for the key's own
// channels, their kind, audience and placements. Nothing else: in particular not the control group and
// not the engagement plan, which the generator learns of only through the messages customers receive.
import type { ChannelBrief } from '../domain/channel-brief';
import type { ChannelKind, OnlineType } from '../domain/channel';
import type { PlacementStatus } from '../domain/placement-status';
import type { AudienceTraits } from './audience';
import { durationMs } from '../domain/duration';
import { TERMINAL_CAMPAIGN_PHASES } from '../domain/campaign-phase';

export interface PlacementFacts {
  placementId: string;
  materialVersionId: string;
}

export interface ChannelFacts {
  channelCode: string;
  kind: ChannelKind;
  onlineType: OnlineType | null;
  audience: AudienceTraits | null;
  /** Placements prospects can come from (live on the channel), in the brief's order. */
  placements: PlacementFacts[];
}

export interface CampaignFacts {
  campaignId: string;
  status: string;
  acquisitionOpen: boolean;
  /** ms since the epoch, [start, end). */
  windowStart: number;
  windowEnd: number;
  newCustomerPeriodMs: number;
  currency: string;
  /** Sorted by channel code. */
  channels: ChannelFacts[];
}

/**
 * Placements a prospect can see: verified or drifted (drifted still shows something). Offline
 * channels' placements count from 'pending' on: the poster is up once staff have the task.
 */
const SHOWING = new Set<string>(['verified', 'drifted'] satisfies PlacementStatus[]);
const OFFLINE_SHOWING = new Set<string>(['pending', 'verified', 'drifted'] satisfies PlacementStatus[]);

export function factsFromBrief(brief: ChannelBrief): CampaignFacts {
  return {
    campaignId: brief.campaignId,
    status: brief.status,
    acquisitionOpen: brief.acquisitionOpen,
    windowStart: Date.parse(brief.registrationWindow.start),
    windowEnd: Date.parse(brief.registrationWindow.end),
    newCustomerPeriodMs: durationMs(brief.newCustomerPeriod),
    currency: brief.currency,
    channels: [...brief.channels]
      .sort((a, b) => (a.channelCode < b.channelCode ? -1 : a.channelCode > b.channelCode ? 1 : 0))
      .map((channel) => {
        const showing = channel.kind === 'offline' ? OFFLINE_SHOWING : SHOWING;
        return {
          channelCode: channel.channelCode,
          kind: channel.kind,
          onlineType: channel.onlineType,
          audience: channel.audience,
          placements: channel.placements
            .filter((p) => showing.has(p.status))
            .map((p) => ({ placementId: p.placementId, materialVersionId: p.materialVersionId })),
        };
      }),
  };
}

/** The campaign's life is over: nothing more to send for it. */
export function campaignOver(facts: CampaignFacts): boolean {
  return (TERMINAL_CAMPAIGN_PHASES as readonly string[]).includes(facts.status);
}
