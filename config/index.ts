// Process configuration from environment variables, validated once at start.
// Every variable is listed with its default in README.md ("Configuration").
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);

const EnvSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('.data'),
  EMBEDDED_PG_PORT: port.default(5488),
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_CLI_PATH: z.string().optional(),
  TASK_QUEUE: z.string().min(1).default('campaigns'),
  API_PORT: port.default(3000),
  API_HOST: z.string().default('127.0.0.1'),
  SIMULATOR_PORT: port.default(4100),
  SIMULATOR_URL: z.string().url().optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** The worker's prebuilt workflow bundle (`npm run build:workflow-bundle`); unset: bundled at start. */
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  /** Activities one worker runs at once (worker/create-worker.ts says why this many). */
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(1000).default(100),
  /**
   * Workflows one worker keeps in its cache (worker/create-worker.ts); unset: the SDK's default, which
   * with the worker's 160 MB heap limit is 10.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(1).max(10_000).optional(),
  /**
   * Cohort-step pages (500 customers each) one worker holds in memory at once, across all its steps
   * (activities/slots.ts); unset: twice the transaction slots (DB_POOL_SIZE − 2).
   */
  WORKER_COHORT_PAGES_IN_FLIGHT: z.coerce.number().int().min(1).max(1000).optional(),
  /** The worker logs where its memory is every this many ms (worker/memory-log.ts); unset: off. */
  MEMORY_LOG_MS: z.coerce.number().int().min(100).optional(),
  /** With MEMORY_LOG_MS: append the samples to this file (one JSON line each) instead of the log. */
  MEMORY_LOG_FILE: z.string().min(1).optional(),
  /** `npm start` seeds and runs the demo bank on an empty embedded database (docs/demo.md); off: empty. */
  DEMO: z.enum(['on', 'off']).default('on'),
  /**
   * Set by `npm start` for the API process in demo mode only: the demo marketer's key that the console
   * may be prefilled with (GET /console/demo-session), and only while the API listens on loopback.
   */
  DEMO_CONSOLE_KEY: z.string().min(1).optional(),
  /** Requests per minute per API key (docs/api/auth.md); channel-system keys get the ingest limit. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_INGEST_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  /**
   * Launch approval (maker-checker, docs/api/campaigns.md "Launch approval"): a campaign whose
   * acquisition budget is above this many minor units of LAUNCH_APPROVAL_CURRENCY waits for a second
   * person's approval before it publishes. Unset: off.
   */
  // An empty value (compose's `${LAUNCH_APPROVAL_ABOVE_MINOR:-}`) is unset, not a threshold of 0.
  LAUNCH_APPROVAL_ABOVE_MINOR: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(0).max(1e12).optional(),
  ),
  LAUNCH_APPROVAL_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO-4217 code')
    .default('CNY'),
  /** Comma-separated origins allowed to call the API from a browser; empty: CORS off. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
});

export type Env = z.infer<typeof EnvSchema>;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export const projectRoot = path.resolve(__dirname, '..');

export function dataDir(env: Env): string {
  return path.resolve(projectRoot, env.DATA_DIR);
}

/** Custom search attributes the campaign workflows set, for listing campaigns from visibility. */
export const searchAttributes = { CampaignId: 'Keyword', CampaignStatus: 'Keyword' } as const;
