// The knobs of `npm run chaos`, from environment variables, validated once (docs/chaos.md lists them).
// The defaults make a run of about eight minutes on a small shared machine: a four-minute registration
// window of one-minute cohorts, a two-minute new-customer period with three steps, and one of every fault.
import { z } from 'zod';

export const FAULT_KINDS = [
  'api-kill',
  'worker-kill',
  'temporal-kill',
  'pg-restart-fast',
  'pg-restart-immediate',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The default schedule: every kind once, PostgreSQL four times (two fast, two immediate). */
export const DEFAULT_FAULTS: readonly FaultKind[] = [
  'api-kill',
  'pg-restart-fast',
  'worker-kill',
  'pg-restart-immediate',
  'temporal-kill',
  'api-kill',
  'pg-restart-fast',
  'worker-kill',
  'pg-restart-immediate',
];

const seconds = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const FaultListSchema = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(FAULT_KINDS)));

export const ChaosEnvSchema = z.object({
  /** Length of the registration window. */
  CHAOS_WINDOW_SECONDS: seconds(240, 30, 3_600),
  /** Cohort length (each cohort's steps start once it closes). */
  CHAOS_COHORT_SECONDS: seconds(60, 10, 3_600),
  /** New-customer period; the steps are spread over it after the cohort closes. */
  CHAOS_PERIOD_SECONDS: seconds(120, 20, 7_200),
  /** Registrations sent per second, in batches. */
  CHAOS_RATE: z.coerce.number().min(0.5).max(2_000).default(25),
  /** Registrations per batch (the ingest API takes at most 1,000). */
  CHAOS_BATCH: z.coerce.number().int().min(1).max(1_000).default(50),
  /** Share of accepted customers who make a qualifying transaction (activate and bring revenue). */
  CHAOS_ACTIVATION_SHARE: z.coerce.number().min(0).max(1).default(0.3),
  /** The faults, in order, spread evenly over the window and the steps: a comma-separated list. */
  CHAOS_FAULTS: FaultListSchema.optional(),
  /** Seconds to wait after a fault before the next one at the earliest. */
  CHAOS_FAULT_GAP_SECONDS: seconds(15, 2, 600),
  /** Latency the simulator adds to each message delivery: makes a cohort step last seconds, not a blink. */
  CHAOS_DELIVERY_LATENCY_MS: z.coerce.number().int().min(0).max(10_000).default(120),
  /** The seed of the customer references and of which customers activate. */
  CHAOS_SEED: z.coerce.number().int().default(14),
  /** Keep the temp dir (logs, PostgreSQL and Temporal data) after the run, to look at. */
  CHAOS_KEEP: z.enum(['0', '1']).default('0'),
  CHAOS_PG_BIN: z.string().optional(),
  TEMPORAL_CLI_PATH: z.string().optional(),
});

export interface ChaosConfig {
  windowMs: number;
  cohortMs: number;
  periodMs: number;
  rate: number;
  batch: number;
  activationShare: number;
  faults: FaultKind[];
  faultGapMs: number;
  deliveryLatencyMs: number;
  seed: number;
  keep: boolean;
  pgBin?: string;
  temporalCli?: string;
}

export function chaosConfig(env: NodeJS.ProcessEnv = process.env): ChaosConfig {
  const parsed = ChaosEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid chaos configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.CHAOS_COHORT_SECONDS > e.CHAOS_WINDOW_SECONDS)
    throw new Error('CHAOS_COHORT_SECONDS must not exceed CHAOS_WINDOW_SECONDS');
  return {
    windowMs: e.CHAOS_WINDOW_SECONDS * 1_000,
    cohortMs: e.CHAOS_COHORT_SECONDS * 1_000,
    periodMs: e.CHAOS_PERIOD_SECONDS * 1_000,
    rate: e.CHAOS_RATE,
    batch: e.CHAOS_BATCH,
    activationShare: e.CHAOS_ACTIVATION_SHARE,
    faults: e.CHAOS_FAULTS ?? [...DEFAULT_FAULTS],
    faultGapMs: e.CHAOS_FAULT_GAP_SECONDS * 1_000,
    deliveryLatencyMs: e.CHAOS_DELIVERY_LATENCY_MS,
    seed: e.CHAOS_SEED,
    keep: e.CHAOS_KEEP === '1',
    ...(e.CHAOS_PG_BIN ? { pgBin: e.CHAOS_PG_BIN } : {}),
    ...(e.TEMPORAL_CLI_PATH ? { temporalCli: e.TEMPORAL_CLI_PATH } : {}),
  };
}

/**
 * Step offsets (ISO 8601 durations from the cohort's start) for three steps inside the period: the first
 * when the cohort closes (a step never runs before), the others spread over what is left of the period.
 */
export function stepOffsets(cohortMs: number, periodMs: number): string[] {
  const first = cohortMs;
  const room = Math.max(0, periodMs - cohortMs);
  const offsets = [first, first + Math.floor(room / 4), first + Math.floor(room / 2)];
  return offsets.map((ms) => `PT${Math.round(ms / 1_000)}S`);
}
