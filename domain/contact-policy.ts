// The contact policy (接触策略, domain.md): one set of frequency caps, campaign priorities, exempt message
// kinds and quiet hours across every campaign, as a validated document. PUT /contact-policy stores each
// accepted document as a new version; the cohort step's delivery decides every message against the version
// in force (funnel/contact-decision.ts, activities/contact-reservation.ts). Pure: no clock, no I/O.
import { z } from 'zod';
import { durationInRange, durationMs } from './duration';
import { PlanStepKindSchema } from './engagement-plan';
import { SendingHoursSchema } from './sending-hours';
import { text } from './text';

/** At most this many caps: a policy is read by people, and each cap is one count per message. */
export const MAX_CAPS = 20;
export const MAX_PRIORITIES = 1_000;

const validTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const FrequencyCapSchema = z.strictObject({
  /** overall: all marketing messages to the customer; per_channel: the messages through each one channel. */
  scope: z.enum(['overall', 'per_channel']),
  /** At most this many counted messages … */
  max: z.int().min(1).max(1_000),
  /** … in any window of this length (elapsed time, e.g. 'P7D', 'P1D'; 'PT1M' in tests). */
  per: durationInRange('PT1S', 'P366D'),
});
export type FrequencyCap = z.infer<typeof FrequencyCapSchema>;

export const CampaignPrioritySchema = z.strictObject({
  campaignId: z.uuid(),
  /** Higher wins: a campaign with a higher priority holds cap slots against lower ones (docs). */
  priority: z.int().min(0).max(1_000),
});

export const ContactPolicySchema = z
  .strictObject({
    /** The bank's time zone, in which quiet hours are read (IANA, e.g. 'Asia/Shanghai'). */
    timeZone: text({ trim: true, min: 1, max: 64 }).refine(validTimeZone, {
      message: 'Unknown time zone: use an IANA name such as "Asia/Shanghai"',
    }),
    frequencyCaps: z.array(FrequencyCapSchema).max(MAX_CAPS),
    /** Message kinds frequency caps neither count nor stop (consent and quiet hours still apply). */
    exemptKinds: z.array(PlanStepKindSchema).max(2),
    /** Local hours [start, end) in which no marketing message is sent; null for none. */
    quietHours: SendingHoursSchema.nullable(),
    priorities: z.strictObject({
      /** The priority of every campaign not listed. */
      default: z.int().min(0).max(1_000),
      campaigns: z.array(CampaignPrioritySchema).max(MAX_PRIORITIES),
    }),
  })
  .superRefine((policy, ctx) => {
    for (const issue of contradictions(policy)) ctx.addIssue({ code: 'custom', ...issue });
  });
export type ContactPolicy = z.infer<typeof ContactPolicySchema>;

/** In force while no policy was ever stored: nothing is capped, nothing is quiet, everyone is equal. */
export const UNRESTRICTED_POLICY: ContactPolicy = {
  timeZone: 'Asia/Shanghai',
  frequencyCaps: [],
  exemptKinds: [],
  quietHours: null,
  priorities: { default: 0, campaigns: [] },
};

type Issue = { path: (string | number)[]; message: string };

/**
 * What makes a policy contradict itself, each naming the field to change:
 * - two caps of one scope over the same window with different maxima (which one holds?);
 * - a cap over a longer window that allows fewer messages than one over a shorter window of the same scope
 *   (the shorter one could never be reached);
 * - a per-channel cap that allows more than an overall cap over a window at least as long (never reached);
 * - every kind exempt while caps are defined (the caps would never apply);
 * - a kind listed twice as exempt, a campaign given two priorities.
 */
export function contradictions(
  policy: Pick<ContactPolicy, 'frequencyCaps' | 'exemptKinds' | 'priorities'>,
): Issue[] {
  const issues: Issue[] = [];
  const caps = policy.frequencyCaps.map((cap, index) => ({ ...cap, index, ms: safeMs(cap.per) }));
  for (const a of caps) {
    for (const b of caps) {
      if (a.index >= b.index || a.ms === null || b.ms === null) continue;
      if (a.scope === b.scope && a.ms === b.ms && a.max !== b.max) {
        issues.push({
          path: ['frequencyCaps', b.index, 'max'],
          message: `Contradicts frequencyCaps.${a.index}: the same ${a.scope} window (${a.per}) with another maximum (${a.max})`,
        });
      }
    }
  }
  for (const long of caps) {
    for (const short of caps) {
      if (long.ms === null || short.ms === null || long.ms <= short.ms) continue;
      if (long.scope === short.scope && long.max < short.max) {
        issues.push({
          path: ['frequencyCaps', short.index, 'max'],
          message: `Can never be reached: frequencyCaps.${long.index} allows only ${long.max} per ${long.per}, fewer than ${short.max} per ${short.per}`,
        });
      }
    }
  }
  for (const channel of caps.filter((c) => c.scope === 'per_channel')) {
    for (const overall of caps.filter((c) => c.scope === 'overall')) {
      if (channel.ms === null || overall.ms === null) continue;
      if (overall.ms >= channel.ms && channel.max > overall.max) {
        issues.push({
          path: ['frequencyCaps', channel.index, 'max'],
          message: `Can never be reached: the overall cap frequencyCaps.${overall.index} allows only ${overall.max} per ${overall.per}`,
        });
      }
    }
  }
  const kinds = new Set(policy.exemptKinds);
  if (kinds.size !== policy.exemptKinds.length) {
    issues.push({ path: ['exemptKinds'], message: 'A message kind is listed twice' });
  } else if (kinds.size === PlanStepKindSchema.options.length && caps.length > 0) {
    issues.push({
      path: ['exemptKinds'],
      message:
        'Every message kind is exempt, so the frequency caps would never apply: remove an exemption or the caps',
    });
  }
  const seen = new Map<string, number>();
  policy.priorities.campaigns.forEach((entry, index) => {
    const earlier = seen.get(entry.campaignId);
    if (earlier !== undefined) {
      issues.push({
        path: ['priorities', 'campaigns', index, 'campaignId'],
        message: `Campaign ${entry.campaignId} already has a priority (priorities.campaigns.${earlier})`,
      });
    } else seen.set(entry.campaignId, index);
  });
  return issues;
}

function safeMs(duration: string): number | null {
  try {
    return durationMs(duration);
  } catch {
    return null;
  }
}

/** The priority the policy gives a campaign. */
export function priorityOf(policy: ContactPolicy, campaignId: string): number {
  return (
    policy.priorities.campaigns.find((c) => c.campaignId === campaignId)?.priority ??
    policy.priorities.default
  );
}
