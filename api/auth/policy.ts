// The access policy: which roles may call each route, in one table keyed by method and Express route
// pattern. Deny by default — a request no entry matches is refused (403) to everyone but admin, and a
// test walks the app's routers and fails for any route without an entry here. docs/api/auth.md shows
// this table; change both together.
//
// The roles (docs/api/auth.md says why each grant is what it is):
// - marketer: channels, materials and campaigns — create, read, steer, evaluate;
// - ops: steers and inspects workflows (pause/resume/cancel, history, cohorts, journeys, offline
//   tasks) and reads everything a marketer reads;
// - channel-system: ingests registrations, events and delivery reports for its own channels, and reads
//   only the campaign's channel brief (its terms and its own channels' placements);
// - admin: everything, and the only role that manages API keys;
// - anti-fraud: the bank's anti-fraud / KYC systems — flag registrations after the fact (fraud flags)
//   and read the flags; nothing else (no funnel, no personal data beyond the customerRef it sends).
import { compilePattern, matchPattern, moreSpecific, type CompiledPattern } from './route-pattern';
import type { Role } from './principal';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Ingest routes whose items are checked against a channel-system key's channels (channel-scope.ts). */
export type ChannelScope = 'registrations' | 'events' | 'delivery-reports';

export interface PolicyEntry {
  method: Method;
  /** The Express route pattern exactly as the router declares it. */
  path: string;
  /** 'public': no key needed (health, docs, metrics, console assets). */
  allow: 'public' | readonly Role[];
  /** A mount point for static files: the entry covers everything below `path`. */
  prefix?: boolean;
  channelScope?: ChannelScope;
}

const MARKETERS: readonly Role[] = ['marketer', 'admin'];
const OPS: readonly Role[] = ['ops', 'admin'];
const MARKETERS_AND_OPS: readonly Role[] = ['marketer', 'ops', 'admin'];
const CHANNEL_SYSTEMS: readonly Role[] = ['channel-system', 'admin'];
const ADMINS: readonly Role[] = ['admin'];
const ANTI_FRAUD: readonly Role[] = ['anti-fraud', 'admin'];
const READERS_OF_FRAUD_FLAGS: readonly Role[] = ['marketer', 'ops', 'admin', 'anti-fraud'];
const CONSENT_SOURCES: readonly Role[] = ['ops', 'channel-system', 'admin'];
const EVERY_ROLE: readonly Role[] = ['marketer', 'ops', 'channel-system', 'admin', 'anti-fraud'];

const entry = (method: Method, path: string, allow: PolicyEntry['allow'], more: Partial<PolicyEntry> = {}) =>
  ({ method, path, allow, ...more }) satisfies PolicyEntry;

export const POLICY: readonly PolicyEntry[] = [
  // Public: probes, API description, metrics scraping, and the console's static files (the console
  // then calls the API with a key its user enters).
  entry('GET', '/healthz', 'public'),
  entry('GET', '/readyz', 'public'),
  entry('GET', '/openapi.json', 'public'),
  entry('GET', '/docs', 'public'),
  // The reference page's files: the pinned Swagger UI and its start-up script (api/openapi/routes.ts).
  entry('GET', '/docs/vendor/:file', 'public'),
  entry('GET', '/docs/assets/:file', 'public'),
  entry('GET', '/metrics', 'public'),
  entry('GET', '/console', 'public', { prefix: true }),
  // Browser libraries the console loads (Apache ECharts), served from node_modules (api/console.ts).
  entry('GET', '/console/vendor/:file', 'public'),
  // Demo mode only, and only on loopback (api/demo-session.ts): the demo marketer's key for the console.
  entry('GET', '/console/demo-session', 'public'),

  // Campaigns and their workflows.
  entry('POST', '/campaigns', MARKETERS),
  // The builder's dry run: the same checks as creating, for the same people; it creates nothing.
  entry('POST', '/campaigns/validate', MARKETERS),
  entry('GET', '/campaigns', MARKETERS_AND_OPS),
  entry('GET', '/campaigns/:id', MARKETERS_AND_OPS),
  entry('POST', '/campaigns/:id/pause', MARKETERS_AND_OPS),
  entry('POST', '/campaigns/:id/resume', MARKETERS_AND_OPS),
  entry('POST', '/campaigns/:id/cancel', MARKETERS_AND_OPS),
  entry('POST', '/campaigns/:id/rerun-evaluation', OPS),
  // Launch approval (maker-checker): a budget decision, so marketers (and admin) — another person than
  // the author, which the handler enforces; ops stop a campaign (cancel) but do not sign off its spend.
  entry('POST', '/campaigns/:id/approval', MARKETERS),
  entry('POST', '/campaigns/:id/rejection', MARKETERS),
  // Pacing: read by both; freezing and unfreezing the adaptive reviews is steering, as pause/resume are.
  entry('GET', '/campaigns/:id/pacing', MARKETERS_AND_OPS),
  entry('POST', '/campaigns/:id/pacing/freeze', MARKETERS_AND_OPS),
  entry('POST', '/campaigns/:id/pacing/unfreeze', MARKETERS_AND_OPS),
  // Which creative a campaign shows is a marketing decision; ops stop a campaign, they do not re-brand it.
  entry('POST', '/campaigns/:id/material', MARKETERS),
  entry('GET', '/campaigns/:id/history', OPS),
  // The operations views (api/ops): campaigns with their workflow status, the readable timeline and the
  // audit log of who steered what — campaign reads, so marketers see them as well as ops.
  entry('GET', '/ops/campaigns', MARKETERS_AND_OPS),
  entry('GET', '/campaigns/:id/timeline', MARKETERS_AND_OPS),
  entry('GET', '/campaigns/:id/audit', MARKETERS_AND_OPS),
  entry('GET', '/campaigns/:id/placements', MARKETERS_AND_OPS),
  entry('GET', '/offline-tasks', OPS),
  entry('POST', '/offline-tasks/:taskId/acknowledge', OPS),

  // The funnel: ingest by channel systems (scoped to their channels), views for people.
  entry('POST', '/campaigns/:id/registrations', CHANNEL_SYSTEMS, { channelScope: 'registrations' }),
  entry('POST', '/campaigns/:id/events', CHANNEL_SYSTEMS, { channelScope: 'events' }),
  entry('POST', '/campaigns/:id/delivery-reports', CHANNEL_SYSTEMS, { channelScope: 'delivery-reports' }),
  entry('GET', '/campaigns/:id/funnel', MARKETERS_AND_OPS),
  // The brief a channel system carries a campaign by (its terms, and its own channels' placements):
  // what a partner is told anyway, so that it can report registrations, events and deliveries.
  entry('GET', '/campaigns/:id/channel-brief', CHANNEL_SYSTEMS),
  entry('GET', '/campaigns/:id/cohorts', OPS),
  // One customer's journey is personal data: operations investigate it, marketing sees aggregates.
  entry('GET', '/campaigns/:id/customers/:customerRef/journey', OPS),

  // Adjustments after the fact: fraud flags from the anti-fraud / KYC systems, and cost corrections —
  // a restatement of what the campaign paid, by the people who run it (the actor is recorded).
  entry('POST', '/campaigns/:id/registrations/:customerRef/flags', ANTI_FRAUD),
  entry('GET', '/campaigns/:id/fraud-flags', READERS_OF_FRAUD_FLAGS),
  entry('POST', '/campaigns/:id/cost-corrections', MARKETERS_AND_OPS),
  entry('GET', '/campaigns/:id/cost-corrections', MARKETERS_AND_OPS),

  // Evaluation (AAC / CAC / LROI).
  entry('GET', '/campaigns/:id/evaluation', MARKETERS_AND_OPS),
  entry('POST', '/campaigns/:id/evaluation', MARKETERS_AND_OPS),
  entry('GET', '/campaigns/:id/evaluations', MARKETERS_AND_OPS),
  entry('GET', '/campaigns/:id/evaluation/channels.csv', MARKETERS_AND_OPS),
  entry('GET', '/campaigns/:id/evaluation/materials.csv', MARKETERS_AND_OPS),
  entry('GET', '/campaigns/:id/evaluation/cohorts.csv', MARKETERS_AND_OPS),
  entry('GET', '/evaluations/channels', MARKETERS_AND_OPS),

  // Planning: how the next campaign's budget should split across channels — a marketing decision.
  entry('POST', '/planning/allocations', MARKETERS),

  // The channel registry and channel profiles.
  entry('POST', '/channels', MARKETERS),
  entry('GET', '/channels', MARKETERS_AND_OPS),
  entry('GET', '/channels/:code', MARKETERS_AND_OPS),
  entry('PATCH', '/channels/:code', MARKETERS),
  entry('POST', '/channels/:code/retire', MARKETERS),
  entry('POST', '/channels/:code/profiles', MARKETERS),
  entry('POST', '/channels/:code/profiles/internal', MARKETERS),
  entry('POST', '/channel-profiles/import', MARKETERS),
  entry('GET', '/channels/:code/profile', MARKETERS_AND_OPS),
  entry('GET', '/channels/:code/profiles', MARKETERS_AND_OPS),
  entry('GET', '/channels/:code/profiles/:version', MARKETERS_AND_OPS),

  // Materials; approval's four-eyes rule (another person than the author) is enforced by the handler.
  entry('POST', '/materials', MARKETERS),
  entry('GET', '/materials', MARKETERS_AND_OPS),
  entry('GET', '/materials/:id', MARKETERS_AND_OPS),
  entry('POST', '/materials/:id/variants', MARKETERS),
  entry('POST', '/materials/:id/variants/:key/versions', MARKETERS),
  entry('POST', '/materials/:id/versions/:versionId/approve', MARKETERS),

  // The contact policy across campaigns (caps, priorities, quiet hours): a marketing decision, which
  // operations read to explain why a message was withheld.
  entry('GET', '/contact-policy', MARKETERS_AND_OPS),
  entry('PUT', '/contact-policy', MARKETERS),
  entry('GET', '/contact-policy/versions', MARKETERS_AND_OPS),
  entry('GET', '/contact-policy/versions/:version', MARKETERS_AND_OPS),

  // Customers' personal data and consent (PIPL): only operations (and admin) see or erase a person;
  // marketing sees aggregates. Consent comes from bank systems (an ops key) or from a channel system, for
  // its own channels only (checked by the handler, which names channelCode).
  entry('POST', '/customers/:ref/consent', CONSENT_SOURCES),
  entry('GET', '/customers/:ref', OPS),
  entry('POST', '/customers/:ref/erasure', OPS),
  entry('GET', '/suppression-list', OPS),

  // API keys.
  entry('POST', '/api-keys', ADMINS),
  entry('GET', '/api-keys', ADMINS),
  entry('POST', '/api-keys/:id/revoke', ADMINS),

  // Who am I: any valid key may ask for its own name, role and the routes that role may call.
  entry('GET', '/me', EVERY_ROLE),
];

interface CompiledEntry {
  entry: PolicyEntry;
  compiled: CompiledPattern;
}

const COMPILED: CompiledEntry[] = POLICY.map((e) => ({
  entry: e,
  compiled: compilePattern(e.path, e.prefix),
}));

export interface ResolvedPolicy {
  entry: PolicyEntry;
  params: Record<string, string>;
}

/** The most specific entry for a request, or null (deny by default). HEAD is checked as GET. */
export function resolvePolicy(method: string, path: string): ResolvedPolicy | null {
  const asked = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  let best: (CompiledEntry & { params: Record<string, string> }) | null = null;
  for (const candidate of COMPILED) {
    if (candidate.entry.method !== asked) continue;
    const params = matchPattern(candidate.compiled, path);
    if (params && (!best || moreSpecific(candidate.compiled, best.compiled) < 0)) {
      best = { ...candidate, params };
    }
  }
  return best && { entry: best.entry, params: best.params };
}

export function allows(entry: PolicyEntry, role: Role): boolean {
  return entry.allow === 'public' || entry.allow.includes(role);
}
