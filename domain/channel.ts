// A channel as the registry accepts it (domain.md, step 1: "one body, two wings"): its kind, its
// online type, the department that owns it, what a placement costs there, what it can do, and how the
// system talks to it. The cross-field rules live in one function so that creating a channel and
// patching one (where the other half of the pair comes from the stored row) enforce the same thing.
import { PostAttributionWindowSchema } from './adjustment';
import { AttributionWindowSchema } from './attribution';
import { z } from 'zod';

export const CHANNEL_KINDS = ['offline', 'financial_scenario', 'ecosystem_scenario'] as const;
export const ONLINE_TYPES = ['ecommerce', 'social', 'entertainment', 'information', 'payment'] as const;
export const COST_MODEL_TYPES = ['fixed_per_placement', 'cpm', 'cpc', 'per_registration'] as const;
export const CHANNEL_STATUSES = ['active', 'retired'] as const;

export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export type OnlineType = (typeof ONLINE_TYPES)[number];

export const ChannelKindSchema = z.enum(CHANNEL_KINDS);
export const OnlineTypeSchema = z.enum(ONLINE_TYPES);
export const ChannelStatusSchema = z.enum(CHANNEL_STATUSES);

/** The code is the channel's name in URLs, in the simulator and in attribution: a stable slug. */
export const ChannelCodeSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a lower-case slug: a-z, 0-9, "-", "_", at most 64 characters');

/** Money in integer minor units with its ISO-4217 currency, as everywhere (domain/money.ts). */
export const CostModelSchema = z.strictObject({
  type: z.enum(COST_MODEL_TYPES),
  amountMinor: z.int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO-4217 currency code such as "CNY"'),
});
export type CostModel = z.infer<typeof CostModelSchema>;

/** The most messages one batch delivery call may carry (docs/channel-protocol.md). */
export const MAX_DELIVERY_BATCH = 200;

const DeliveryBatchSizeSchema = z
  .int()
  .min(1)
  .max(MAX_DELIVERY_BATCH)
  .optional()
  .describe(
    'Messages per delivery call. 1 (the default for http channels): one call per message; more: the ' +
      'channel system implements the batch delivery call of docs/channel-protocol.md.',
  );

/** How the worker reaches the channel: a channel system over HTTP, the simulator, or staff tasks. */
export const ChannelAdapterConfigSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('http'),
    baseUrl: z.url({ protocol: /^https?$/, error: 'an absolute http(s) URL' }),
    timeoutMs: z.int().min(100).max(120_000).optional(),
    deliveryBatchSize: DeliveryBatchSizeSchema,
  }),
  // The simulator implements the batch call; its channels deliver 100 messages per call by default.
  z.strictObject({ type: z.literal('simulator'), deliveryBatchSize: DeliveryBatchSizeSchema }),
  z.strictObject({ type: z.literal('offline') }),
]);
export type ChannelAdapterConfig = z.infer<typeof ChannelAdapterConfigSchema>;

const NameSchema = z.string().trim().min(1).max(200);
const DepartmentSchema = z.string().trim().min(1).max(100);

export interface ChannelShape {
  kind: ChannelKind;
  onlineType?: OnlineType | null | undefined;
  adapter: { type: string };
}

export interface ChannelShapeIssue {
  path: string[];
  message: string;
}

/**
 * The rules that tie kind, online type and adapter together. Offline channels (branches, account
 * managers) have no online type and receive placements as staff tasks; online ones must not, or a
 * campaign would wait forever for a branch to acknowledge an app banner.
 */
export function channelShapeIssues(channel: ChannelShape): ChannelShapeIssue[] {
  const issues: ChannelShapeIssue[] = [];
  const hasOnlineType = channel.onlineType !== undefined && channel.onlineType !== null;
  if (channel.kind === 'offline' && hasOnlineType) {
    issues.push({ path: ['onlineType'], message: 'offline channels have no online type' });
  }
  if (channel.kind === 'ecosystem_scenario' && !hasOnlineType) {
    issues.push({ path: ['onlineType'], message: 'required for ecosystem_scenario channels' });
  }
  if (channel.kind === 'offline' && channel.adapter.type !== 'offline') {
    issues.push({ path: ['adapter', 'type'], message: 'offline channels use the "offline" adapter' });
  }
  if (channel.kind !== 'offline' && channel.adapter.type === 'offline') {
    issues.push({
      path: ['adapter', 'type'],
      message: `${channel.kind} channels cannot use the "offline" adapter`,
    });
  }
  return issues;
}

export const CreateChannelSchema = z
  .strictObject({
    code: ChannelCodeSchema,
    name: NameSchema,
    kind: ChannelKindSchema,
    onlineType: OnlineTypeSchema.nullable().optional(),
    department: DepartmentSchema,
    costModel: CostModelSchema,
    canShowMaterial: z.boolean().default(true),
    canDeliverMessages: z.boolean().default(false),
    adapter: ChannelAdapterConfigSchema,
    /**
     * How long after a registration a fraud flag may still claw it back (domain/adjustment.ts); the
     * database default, DEFAULT_POST_ATTRIBUTION_WINDOW, when left out.
     */
    postAttributionWindow: PostAttributionWindowSchema.optional(),
    /**
     * Attribution windows (domain/attribution.ts): the database defaults, P7D after a click and PT24H after
     * an impression, when left out. Pinned on a campaign when it is created.
     */
    clickThroughWindow: AttributionWindowSchema.optional(),
    viewThroughWindow: AttributionWindowSchema.optional(),
  })
  .superRefine((channel, ctx) => {
    for (const issue of channelShapeIssues(channel)) ctx.addIssue({ code: 'custom', ...issue });
  });
export type CreateChannelRequest = z.infer<typeof CreateChannelSchema>;

/**
 * A partial update. The cross-field rules need the stored row, so they are checked after merging
 * (channelShapeIssues). `onlineType: null` clears the online type; `code` is named only to say that
 * it cannot change (a code is referenced by placements, registrations and partners).
 */
export const UpdateChannelSchema = z
  .strictObject({
    code: z.never({ error: 'a channel code is immutable' }).optional(),
    name: NameSchema.optional(),
    kind: ChannelKindSchema.optional(),
    onlineType: OnlineTypeSchema.nullable().optional(),
    department: DepartmentSchema.optional(),
    costModel: CostModelSchema.optional(),
    canShowMaterial: z.boolean().optional(),
    canDeliverMessages: z.boolean().optional(),
    adapter: ChannelAdapterConfigSchema.optional(),
    postAttributionWindow: PostAttributionWindowSchema.optional(),
    clickThroughWindow: AttributionWindowSchema.optional(),
    viewThroughWindow: AttributionWindowSchema.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: 'name at least one field to change',
  });
export type UpdateChannelRequest = z.infer<typeof UpdateChannelSchema>;
