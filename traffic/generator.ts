// The prospect traffic generator's library interface (docs/traffic-generator.md): simulated prospects reach
// a campaign's channels, register through the real API with a channel-system key, report what the
// placements were shown and clicked (and how many sign-ups were started), and in the new-customer period
// log in, deposit and transact depending on their channel's audience and on the messages they received.
// Used by `npm run traffic`, the demo, the console's browser tests, backtests, benchmarks and fault runs.
import { assertLoopback } from './http';
import { BAD_BEHAVIOUR, DEFAULT_BOUNDS, DELIVERY } from './model';
import { existingCustomerRefs } from './planner';
import { TrafficRun } from './run';

export interface TrafficOptions {
  /** e.g. http://127.0.0.1:3000 */
  apiUrl: string;
  /** A channel-system key whose channels cover the campaign's channels (or an admin key). */
  apiKey: string;
  campaignId: string;
  /** Same seed + same campaign facts (+ same start time) ⇒ same traffic. */
  seed: number;
  /** Prospects arriving per second across the campaign (split per channel by reach: traffic/model.ts). */
  rate: number;
  /** Channel simulator, read for delivered messages (GET /_sim/messages). */
  simulatorUrl: string;
  /** Bound in count (default 10,000). */
  maxProspects?: number;
  /** Bound in time (default 60 minutes). */
  maxDurationMs?: number;
  /** Share of prospects behaving badly (duplicate sign-ups, existing customers, fingerprint bursts); default 0.05. */
  badShare?: number;
  /** Default false: refuse any non-loopback apiUrl / simulatorUrl. */
  allowNonLoopback?: boolean;
  log?: (line: string) => void;
  /**
   * The bank's existing-customer refs that existing_customer prospects use (default:
   * existingCustomerRefs(seed, 1000), which a demo seeds into the ExistingCustomer table).
   */
  existingCustomerRefs?: readonly string[];
  /** Default true: registered customers act in their new-customer period (events). False: acquisition only. */
  newCustomerPeriod?: boolean;
  /** The first arrival's earliest time, ms (default: now, or the window's start if later). For tests. */
  startAt?: number;
  /** How long one delivery-report period lasts (default 10 s). */
  deliveryPeriodMs?: number;
  /** Per-request timeout and retry bounds (defaults in traffic/http.ts). */
  retry?: { attempts?: number; timeoutMs?: number; firstDelayMs?: number; maxDelayMs?: number };
}

export interface TrafficSummary {
  prospects: number;
  /** Registration items sent (each once, however often its batch was retried). */
  registrationsSent: number;
  /** Registrations stored: accepted, flagged, or already stored (a retry's or an earlier run's). */
  accepted: number;
  /** Refused registrations by reason (outside_window, budget_exhausted, campaign_cancelled, …). */
  refused: Record<string, number>;
  eventsSent: number;
  deliveryReportsSent: number;
  /** Why it stopped: stopped, max_duration, max_prospects, window_ended, budget_exhausted, acquisition_closed, campaign_<status>, … */
  stoppedBecause: string;
  /** Prospects who started sign-up (what delivery reports carry as registrationsStarted). */
  registrationsStarted: number;
  /** Of the stored registrations, those flagged, by reason. */
  flagged: Record<string, number>;
  eventsAccepted: number;
  /** Refused events and delivery reports by reason. */
  eventsRefused: Record<string, number>;
  deliveryReportsRefused: Record<string, number>;
  /** Requests resent after a failure or a lost answer. */
  retries: number;
  /** Messages read from the simulator for this campaign. */
  messagesSeen: number;
}

export interface TrafficHandle {
  done: Promise<TrafficSummary>;
  stop(): Promise<TrafficSummary>;
}

export class TrafficOptionsError extends Error {}

/** Validates the options (throws TrafficOptionsError or NonLoopbackError at once), then starts. */
export function startTraffic(options: TrafficOptions): TrafficHandle {
  const allow = options.allowNonLoopback === true;
  assertLoopback('apiUrl', options.apiUrl, allow);
  assertLoopback('simulatorUrl', options.simulatorUrl, allow);
  const problems: string[] = [];
  if (!options.apiKey) problems.push('apiKey is required');
  if (!options.campaignId) problems.push('campaignId is required');
  if (!Number.isSafeInteger(options.seed)) problems.push(`seed ${options.seed} must be an integer`);
  if (!(options.rate > 0 && Number.isFinite(options.rate)))
    problems.push(`rate ${options.rate} must be above 0`);
  const maxProspects = options.maxProspects ?? DEFAULT_BOUNDS.maxProspects;
  if (!(Number.isSafeInteger(maxProspects) && maxProspects >= 0))
    problems.push(`maxProspects ${maxProspects} must be a whole number ≥ 0`);
  const maxDurationMs = options.maxDurationMs ?? DEFAULT_BOUNDS.maxDurationMs;
  if (!(maxDurationMs > 0)) problems.push(`maxDurationMs ${maxDurationMs} must be above 0`);
  const badShare = options.badShare ?? BAD_BEHAVIOUR.defaultShare;
  if (!(badShare >= 0 && badShare <= 1)) problems.push(`badShare ${badShare} must be between 0 and 1`);
  const deliveryPeriodMs = options.deliveryPeriodMs ?? DELIVERY.periodMs;
  if (!(Number.isSafeInteger(deliveryPeriodMs) && deliveryPeriodMs >= 1000))
    problems.push(`deliveryPeriodMs ${deliveryPeriodMs} must be a whole number ≥ 1000`);
  if (problems.length > 0) throw new TrafficOptionsError(problems.join('; '));

  const run = new TrafficRun({
    ...options,
    maxProspects,
    maxDurationMs,
    badShare,
    deliveryPeriodMs,
    existingCustomerRefs: options.existingCustomerRefs ?? existingCustomerRefs(options.seed, 1000),
    newCustomerPeriod: options.newCustomerPeriod ?? true,
    log: options.log ?? (() => undefined),
  });
  const done = run.run();
  return {
    done,
    stop: async () => {
      run.stop('stopped');
      return done;
    },
  };
}
