// The chaos run's invariants over given counts: each one holds on a clean run and fails, with the right
// count, on the defect it is there to catch.
import { checkInvariants, type Observed } from '../../../chaos/invariants';

const pair = (stepId: string, customerRef: string) => `${stepId}\u0000${customerRef}`;

/** A clean run: 3 customers accepted and stored, 2 eligible for each of 2 steps, every message once. */
function clean(): Observed {
  const steps = ['welcome', 'nudge'];
  const eligible = ['c1', 'c2'];
  const simulatorMessages = steps.flatMap((stepId) =>
    eligible.map((customerRef) => ({ stepId, customerRef })),
  );
  return {
    acceptedRegistrations: ['c1', 'c2', 'c3'],
    storedRegistrations: new Map([
      ['c1', 1],
      ['c2', 1],
      ['c3', 1],
    ]),
    acceptedEvents: ['c1-tx'],
    storedEvents: new Map([['c1-tx', 1]]),
    steps,
    eligible,
    simulatorMessages,
    simulatorDuplicateMessages: 0,
    storedMessages: new Map(simulatorMessages.map((m) => [pair(m.stepId, m.customerRef), 1])),
    simulatorDuplicatePlacements: 0,
    livePlacementsLeft: 0,
    campaignPhase: 'completed',
    evaluationVsRecount: new Map([
      ['registrationsValid', ['3', '3']],
      ['revenueMinor', ['150', '150']],
    ]),
  };
}

const result = (o: Observed, name: string) => {
  const found = checkInvariants(o).results.find((r) => r.name === name);
  if (!found) throw new Error(`no invariant named ${name}`);
  return found;
};

describe('checkInvariants', () => {
  it('holds on a clean run, with every count zero', () => {
    const summary = checkInvariants(clean());
    expect(summary.ok).toBe(true);
    expect(summary.results.every((r) => r.ok && r.value === 0)).toBe(true);
    expect(summary).toMatchObject({
      acceptedLost: 0,
      storedTwice: 0,
      eventsLost: 0,
      duplicateMessages: 0,
      skippedMessages: 0,
      unexpectedMessages: 0,
      duplicatePlacements: 0,
      livePlacementsLeft: 0,
      campaignCompleted: true,
      evaluationMismatches: 0,
    });
  });

  it('counts an accepted registration that was not stored as lost, and names it', () => {
    const o = {
      ...clean(),
      storedRegistrations: new Map([
        ['c1', 1],
        ['c2', 1],
      ]),
    };
    const summary = checkInvariants(o);
    expect(summary.acceptedLost).toBe(1);
    expect(summary.ok).toBe(false);
    expect(result(o, 'every accepted registration stored').detail).toContain('c3');
  });

  it('counts a customer stored twice', () => {
    const o = {
      ...clean(),
      storedRegistrations: new Map([
        ['c1', 2],
        ['c2', 1],
        ['c3', 1],
      ]),
    };
    expect(checkInvariants(o).storedTwice).toBe(1);
  });

  it('counts an accepted event that is missing', () => {
    const o = { ...clean(), storedEvents: new Map<string, number>() };
    expect(checkInvariants(o).eventsLost).toBe(1);
    expect(checkInvariants(o).ok).toBe(false);
  });

  it('counts a message delivered twice, by the simulator counter and by the delivered list', () => {
    const base = clean();
    const twice = {
      ...base,
      simulatorMessages: [...base.simulatorMessages, { stepId: 'welcome', customerRef: 'c1' }],
    };
    expect(checkInvariants(twice).duplicateMessages).toBe(1);
    const counted = { ...base, simulatorDuplicateMessages: 2 };
    expect(checkInvariants(counted).duplicateMessages).toBe(2);
    const rows = { ...base, storedMessages: new Map([...base.storedMessages, [pair('nudge', 'c2'), 2]]) };
    expect(checkInvariants(rows).duplicateMessages).toBe(1);
  });

  it('counts a due message that never arrived as skipped, and one outside the plan as unexpected', () => {
    const base = clean();
    const skipped = { ...base, simulatorMessages: base.simulatorMessages.slice(1) };
    expect(checkInvariants(skipped).skippedMessages).toBe(1);
    const late = { ...skipped, storedAfterStep: new Set([pair('welcome', 'c1')]) };
    expect(result(late, 'no message skipped').detail).toContain(
      "1 of the skipped were stored after their cohort's step had run",
    );
    expect(result(late, 'no message skipped').ok).toBe(false);
    const extra = {
      ...base,
      simulatorMessages: [...base.simulatorMessages, { stepId: 'welcome', customerRef: 'c3' }],
      storedMessages: new Map([...base.storedMessages, [pair('welcome', 'c3'), 1]]),
    };
    expect(checkInvariants(extra).unexpectedMessages).toBe(1);
    expect(checkInvariants(extra).ok).toBe(false);
  });

  it('fails when a delivery has no Message row', () => {
    const base = clean();
    const o = { ...base, storedMessages: new Map([...base.storedMessages].slice(1)) };
    expect(result(o, 'every delivery recorded (Message rows)').value).toBe(1);
  });

  it('fails on a duplicate placement, a placement left live, or a campaign that did not complete', () => {
    expect(checkInvariants({ ...clean(), simulatorDuplicatePlacements: 1 }).duplicatePlacements).toBe(1);
    expect(checkInvariants({ ...clean(), livePlacementsLeft: 2 }).livePlacementsLeft).toBe(2);
    const failed = checkInvariants({ ...clean(), campaignPhase: 'evaluation_failed' });
    expect(failed.campaignCompleted).toBe(false);
    expect(failed.ok).toBe(false);
  });

  it('fails when the stored evaluation differs from the recount, or there is none', () => {
    const o = { ...clean(), evaluationVsRecount: new Map([['revenueMinor', ['149', '150'] as const]]) };
    expect(checkInvariants(o).evaluationMismatches).toBe(1);
    expect(result(o, 'evaluation equals a SQL recount').detail).toBe('revenueMinor: stored 149, recount 150');
    const none = { ...clean(), evaluationVsRecount: new Map() };
    expect(result(none, 'evaluation equals a SQL recount').ok).toBe(false);
  });
});
