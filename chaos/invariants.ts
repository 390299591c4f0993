// The invariants a chaos run holds the system to, as pure functions over what was observed: the client's
// record of accepted items, counts read from PostgreSQL, the simulator's messages and counters, and the
// stored evaluation beside a SQL recount. Gathering those (chaos/observe.ts) is kept apart, so that every
// rule here is unit-tested over given counts (test/unit/chaos/invariants.test.ts).

export interface Observed {
  /** customerRefs the API answered as stored (accepted, flagged or duplicate_request). */
  acceptedRegistrations: readonly string[];
  /** Registration rows per customerRef of the campaign. */
  storedRegistrations: ReadonlyMap<string, number>;
  /** eventIds the API answered as stored. */
  acceptedEvents: readonly string[];
  /** CustomerEvent rows per eventId of the campaign. */
  storedEvents: ReadonlyMap<string, number>;
  /** The plan's step ids. */
  steps: readonly string[];
  /** Customers every step is due to: the valid treatment registrations (audience treatment_all). */
  eligible: readonly string[];
  /** Messages the channels received, one entry per delivery the simulator stored (stepId, customerRef). */
  simulatorMessages: readonly { stepId: string; customerRef: string }[];
  /** The simulator's own counter: first-time deliveries of an already delivered campaign+customer+step. */
  simulatorDuplicateMessages: number;
  /**
   * (step, customer) pairs whose registration was stored after that step had started sending to the
   * customer's cohort: why a message was skipped, when it was (the step never runs again for late members).
   */
  storedAfterStep?: ReadonlySet<string>;
  /** Message rows per `${stepId}\u0000${customerRef}`. */
  storedMessages: ReadonlyMap<string, number>;
  /** The simulator's counter of duplicate placements, over the campaign's channels. */
  simulatorDuplicatePlacements: number;
  /** Placements of the campaign still live on a channel after the campaign ended. */
  livePlacementsLeft: number;
  campaignPhase: string | null;
  /** Figure name → [stored evaluation, SQL recount], as decimal strings. */
  evaluationVsRecount: ReadonlyMap<string, readonly [string | null, string]>;
}

export interface InvariantResult {
  name: string;
  ok: boolean;
  /** The count the invariant is about (0 when it holds), or 1/0 for yes/no invariants. */
  value: number;
  detail: string;
}

export interface InvariantSummary {
  acceptedLost: number;
  storedTwice: number;
  eventsLost: number;
  duplicateMessages: number;
  skippedMessages: number;
  unexpectedMessages: number;
  duplicatePlacements: number;
  livePlacementsLeft: number;
  campaignCompleted: boolean;
  evaluationMismatches: number;
  results: InvariantResult[];
  ok: boolean;
}

const pairKey = (stepId: string, customerRef: string) => `${stepId}\u0000${customerRef}`;

function examples(items: readonly string[], max = 3): string {
  if (items.length === 0) return '';
  const shown = items.slice(0, max).map((s) => s.replace('\u0000', '/'));
  return `: ${shown.join(', ')}${items.length > max ? ` (+${items.length - max})` : ''}`;
}

export function checkInvariants(o: Observed): InvariantSummary {
  const lost = o.acceptedRegistrations.filter((ref) => (o.storedRegistrations.get(ref) ?? 0) === 0);
  const twice = [...o.storedRegistrations].filter(([, n]) => n > 1).map(([ref]) => ref);
  const eventsLost = o.acceptedEvents.filter((id) => (o.storedEvents.get(id) ?? 0) === 0);
  const eventsTwice = [...o.storedEvents].filter(([, n]) => n > 1).map(([id]) => id);

  // Messages as the channels saw them, per step and customer.
  const received = new Map<string, number>();
  for (const m of o.simulatorMessages) {
    const key = pairKey(m.stepId, m.customerRef);
    received.set(key, (received.get(key) ?? 0) + 1);
  }
  const expected = new Set<string>();
  for (const step of o.steps) for (const ref of o.eligible) expected.add(pairKey(step, ref));
  const receivedTwice = [...received].filter(([, n]) => n > 1);
  const storedTwiceMessages = [...o.storedMessages].filter(([, n]) => n > 1).map(([k]) => k);
  const duplicateMessages =
    o.simulatorDuplicateMessages + receivedTwice.reduce((sum, [, n]) => sum + (n - 1), 0);
  const skipped = [...expected].filter((key) => !received.has(key));
  const unexpected = [...received.keys()].filter((key) => !expected.has(key));
  // A delivered message with no Message row (or the reverse) would be a cost the ledger never saw.
  const unrecorded = [...received.keys()].filter((key) => !o.storedMessages.has(key));
  const recordedNotReceived = [...o.storedMessages.keys()].filter((key) => !received.has(key));

  const mismatches = [...o.evaluationVsRecount].filter(([, [stored, recount]]) => stored !== recount);
  const completed = o.campaignPhase === 'completed';

  const results: InvariantResult[] = [
    {
      name: 'every accepted registration stored',
      ok: lost.length === 0,
      value: lost.length,
      detail: `${o.acceptedRegistrations.length} accepted, ${lost.length} missing${examples(lost)}`,
    },
    {
      name: 'no registration stored twice',
      ok: twice.length === 0,
      value: twice.length,
      detail: `${o.storedRegistrations.size} customers stored${examples(twice)}`,
    },
    {
      name: 'every accepted event stored once',
      ok: eventsLost.length === 0 && eventsTwice.length === 0,
      value: eventsLost.length + eventsTwice.length,
      detail: `${o.acceptedEvents.length} accepted, ${eventsLost.length} missing, ${eventsTwice.length} twice${examples([...eventsLost, ...eventsTwice])}`,
    },
    {
      name: 'no message sent twice',
      ok: duplicateMessages === 0 && storedTwiceMessages.length === 0,
      value: duplicateMessages + storedTwiceMessages.length,
      detail: `${o.simulatorMessages.length} delivered; simulator counter ${o.simulatorDuplicateMessages}${examples(receivedTwice.map(([k]) => k))}`,
    },
    {
      name: 'no message skipped',
      ok: skipped.length === 0,
      value: skipped.length,
      detail:
        `${expected.size} due (${o.eligible.length} eligible × ${o.steps.length} steps)` +
        (skipped.length > 0 && o.storedAfterStep
          ? `; ${skipped.filter((k) => o.storedAfterStep?.has(k)).length} of the skipped were stored after their cohort's step had run`
          : '') +
        examples(skipped),
    },
    {
      name: 'no message outside the plan',
      ok: unexpected.length === 0,
      value: unexpected.length,
      detail: `control group, flagged and unknown customers get nothing${examples(unexpected)}`,
    },
    {
      name: 'every delivery recorded (Message rows)',
      ok: unrecorded.length === 0 && recordedNotReceived.length === 0,
      value: unrecorded.length + recordedNotReceived.length,
      detail: `${unrecorded.length} delivered without a row, ${recordedNotReceived.length} rows without a delivery${examples([...unrecorded, ...recordedNotReceived])}`,
    },
    {
      name: 'no duplicate placement',
      ok: o.simulatorDuplicatePlacements === 0,
      value: o.simulatorDuplicatePlacements,
      detail: 'simulator counter over the campaign channels',
    },
    {
      name: 'no placement left live',
      ok: o.livePlacementsLeft === 0,
      value: o.livePlacementsLeft,
      detail: 'after the campaign ended',
    },
    {
      name: 'campaign completed',
      ok: completed,
      value: completed ? 0 : 1,
      detail: `phase ${o.campaignPhase ?? '(unknown)'}`,
    },
    {
      name: 'evaluation equals a SQL recount',
      ok: mismatches.length === 0 && o.evaluationVsRecount.size > 0,
      value: mismatches.length + (o.evaluationVsRecount.size === 0 ? 1 : 0),
      detail:
        o.evaluationVsRecount.size === 0
          ? 'no stored evaluation'
          : mismatches.length === 0
            ? `${o.evaluationVsRecount.size} figures equal`
            : mismatches.map(([name, [s, r]]) => `${name}: stored ${s ?? 'none'}, recount ${r}`).join('; '),
    },
  ];
  return {
    acceptedLost: lost.length,
    storedTwice: twice.length,
    eventsLost: eventsLost.length,
    duplicateMessages: duplicateMessages + storedTwiceMessages.length,
    skippedMessages: skipped.length,
    unexpectedMessages: unexpected.length,
    duplicatePlacements: o.simulatorDuplicatePlacements,
    livePlacementsLeft: o.livePlacementsLeft,
    campaignCompleted: completed,
    evaluationMismatches: mismatches.length,
    results,
    ok: results.every((r) => r.ok),
  };
}
