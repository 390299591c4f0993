// The chaos run's report: the fault and invariant tables, and the BENCH line it ends with.
import { checkInvariants, type Observed } from '../../../chaos/invariants';
import {
  benchLine,
  faultTable,
  maxRecoverySeconds,
  renderReport,
  runPassed,
  type FaultOutcome,
} from '../../../chaos/report';
import { stepOffsets } from '../../../chaos/config';

const observed: Observed = {
  acceptedRegistrations: ['c1'],
  storedRegistrations: new Map([['c1', 1]]),
  acceptedEvents: [],
  storedEvents: new Map(),
  steps: ['welcome'],
  eligible: ['c1'],
  simulatorMessages: [{ stepId: 'welcome', customerRef: 'c1' }],
  simulatorDuplicateMessages: 0,
  storedMessages: new Map([['welcome\u0000c1', 1]]),
  simulatorDuplicatePlacements: 0,
  livePlacementsLeft: 0,
  campaignPhase: 'completed',
  evaluationVsRecount: new Map([['registrationsValid', ['1', '1']]]),
};

const faults: FaultOutcome[] = [
  {
    n: 1,
    kind: 'api-kill',
    atSeconds: 20.2,
    context: 'mid-batch',
    recoverySeconds: 6.04,
    measuredTo: 'next accepted batch',
  },
  {
    n: 2,
    kind: 'pg-restart-fast',
    atSeconds: 51,
    context: 'pg_ctl restart -m fast',
    recoverySeconds: 2.5,
    measuredTo: 'next accepted batch',
  },
];

const figures = {
  registrationsAccepted: 1,
  eventsAccepted: 0,
  messages: 1,
  batches: 1,
  retries: 3,
  durationSeconds: 480.4,
  unexpectedExits: 0,
};

describe('the chaos report', () => {
  it('ends with one BENCH line holding the required keys, all zero on a clean run', () => {
    const lines = renderReport(faults, checkInvariants(observed), figures);
    const last = lines[lines.length - 1] as string;
    expect(lines.filter((l) => l.startsWith('BENCH ')).length).toBe(1);
    expect(last.startsWith('BENCH {')).toBe(true);
    const bench = JSON.parse(last.slice('BENCH '.length));
    expect(bench).toMatchObject({
      bench: 'chaos',
      faults: 2,
      acceptedLost: 0,
      duplicateMessages: 0,
      skippedMessages: 0,
      duplicatePlacements: 0,
      maxRecoverySeconds: 6,
      ok: true,
    });
    expect(Object.keys(bench).slice(0, 7)).toEqual([
      'bench',
      'faults',
      'acceptedLost',
      'duplicateMessages',
      'skippedMessages',
      'duplicatePlacements',
      'maxRecoverySeconds',
    ]);
  });

  it('makes a fault that never recovered fail the run, with maxRecoverySeconds null', () => {
    const stuck = [...faults, { ...faults[0]!, n: 3, recoverySeconds: null }];
    expect(maxRecoverySeconds(stuck)).toBeNull();
    expect(runPassed(stuck, checkInvariants(observed))).toBe(false);
    expect(faultTable(stuck).at(-1)).toContain('not recovered');
    expect(JSON.parse(benchLine(stuck, checkInvariants(observed), figures).slice(6)).ok).toBe(false);
  });

  it('formats the fault table as aligned rows, one per fault', () => {
    const table = faultTable(faults);
    expect(table).toHaveLength(4);
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
    expect(table[2]).toMatch(/^\| 1 \| api-kill +\| 20 +\| mid-batch +\| 6\.0 +\| next accepted batch \|$/);
  });

  it('puts the first step at the cohort close and the others inside the period', () => {
    expect(stepOffsets(60_000, 120_000)).toEqual(['PT60S', 'PT75S', 'PT90S']);
  });
});
