// Replays recorded campaign histories (test/fixtures/histories) with the current workflow code.
// A change that would make running campaigns non-deterministic fails here: such changes need
// `patched()` (see docs/architecture.md, "Versioning workflows").
// The fixtures must also cover every message path: together they hold a WorkflowExecutionSignaled
// for every signal and a WorkflowExecutionUpdateAccepted for every update that workflows/messages.ts
// defines, and a patch marker for every `patched('…')` in workflows/ — so a new signal, update or
// patch without a recorded history fails this test (record one with RECORD_HISTORIES=1).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { writeWorkflowBundle } from '../../../worker/workflow-bundle';
import * as messages from '../../../workflows/messages';

const dir = path.resolve(__dirname, '..', '..', 'fixtures', 'histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
const workflowsDir = path.resolve(__dirname, '..', '..', '..', 'workflows');

type History = temporal.api.history.v1.History;
// Fixtures are protobufjs JSON (what test/support/record-history.ts writes): fromObject inverts it.
const load = (file: string): History =>
  temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));

/** The names of the signals and updates the workflows define (defineSignal / defineUpdate values). */
function definedMessages(kind: 'signal' | 'update'): string[] {
  return Object.values(messages as Record<string, unknown>)
    .filter(
      (v): v is { type: string; name: string } =>
        typeof v === 'object' && v !== null && 'type' in v && 'name' in v && v.type === kind,
    )
    .map((v) => v.name)
    .sort();
}

/** Every patch id the workflow code asks for (`patched('x')` or `deprecatePatch('x')`). */
function definedPatches(): string[] {
  const ids = new Set<string>();
  // Recursive: the campaign workflow's parts live in workflows/campaign/.
  const sources = (fs.readdirSync(workflowsDir, { recursive: true }) as string[]).filter((f) =>
    f.endsWith('.ts'),
  );
  for (const file of sources) {
    const source = fs.readFileSync(path.join(workflowsDir, file), 'utf8');
    for (const m of source.matchAll(/\b(?:patched|deprecatePatch)\(\s*'([^']+)'\s*\)/g)) ids.add(m[1]!);
  }
  return [...ids].sort();
}

interface Coverage {
  signals: Set<string>;
  updates: Set<string>;
  patches: Set<string>;
}

function coverageOf(history: History): Coverage {
  const c: Coverage = { signals: new Set(), updates: new Set(), patches: new Set() };
  for (const e of history.events ?? []) {
    const signal = e.workflowExecutionSignaledEventAttributes?.signalName;
    if (signal) c.signals.add(signal);
    const update = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;
    if (update) c.updates.add(update);
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName === 'core_patch') {
      // sdk-core records a patch as details["patch-data"]: one JSON payload {"id", "deprecated"}.
      for (const p of marker.details?.['patch-data']?.payloads ?? []) {
        if (!p.data) continue;
        const value = JSON.parse(Buffer.from(p.data).toString('utf8')) as { id?: unknown };
        if (typeof value.id === 'string') c.patches.add(value.id);
      }
    }
  }
  return c;
}

const coverage = new Map(files.map((f) => [f, coverageOf(load(f))]));
const union = (key: keyof Coverage) =>
  [...new Set([...coverage.values()].flatMap((c) => [...c[key]]))].sort();

describe('recorded histories replay with the current workflow code', () => {
  // The bundle file a deployment's worker loads (WORKFLOW_BUNDLE_PATH; the Dockerfile builds it the
  // same way), so that the replays also prove the prebuilt form runs.
  const bundlePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'replay-bundle-')), 'bundle.js');
  beforeAll(() => writeWorkflowBundle(bundlePath), 60_000);
  afterAll(() => fs.rmSync(path.dirname(bundlePath), { recursive: true, force: true }));

  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s', async (file) => {
    const history = load(file);
    const workflowId = path.basename(file, '.json');
    // runReplayHistory throws DeterminismViolationError (or ReplayError) on non-determinism.
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: bundlePath } }, history, workflowId),
    ).resolves.toBeUndefined();
  });
});

describe('the recorded histories cover every message and patch the workflows define', () => {
  it('finds the definitions (the coverage checks below are not vacuous)', () => {
    expect(definedMessages('signal')).toEqual(expect.arrayContaining(['setCohortPaused']));
    expect(definedMessages('update')).toEqual(expect.arrayContaining(['pauseCampaign']));
    expect(definedPatches()).toEqual(expect.arrayContaining(['evaluation-failure-visible']));
  });

  it('every signal of workflows/messages.ts is received in some fixture', () => {
    expect(union('signals')).toEqual(expect.arrayContaining(definedMessages('signal')));
  });

  it('every update of workflows/messages.ts is accepted in some fixture', () => {
    expect(union('updates')).toEqual(expect.arrayContaining(definedMessages('update')));
  });

  it('every patch of workflows/ is taken in some fixture', () => {
    expect(union('patches')).toEqual(expect.arrayContaining(definedPatches()));
  });

  // The paths the fixtures are named for, so that a re-recording that lost one is noticed.
  it.each([
    ['campaign-paused-and-resumed', { updates: ['pauseCampaign', 'resumeCampaign'] }],
    ['cohort-paused-and-resumed', { signals: ['setCohortPaused'] }],
    ['campaign-budget-closed', { signals: ['budgetExhausted'] }],
    ['cohort-closed-empty-after-budget', { signals: ['closeEmptyCohort'] }],
    [
      'campaign-cohorts-skipped-after-budget',
      { signals: ['budgetExhausted'], patches: ['start-cohorts-as-they-begin'] },
    ],
    [
      'campaign-cancelled-before-cohorts-began',
      { updates: ['cancelCampaign'], patches: ['start-cohorts-as-they-begin'] },
    ],
    [
      'campaign-paused-cohorts-started-as-they-begin',
      { updates: ['pauseCampaign', 'resumeCampaign'], patches: ['start-cohorts-as-they-begin'] },
    ],
    ['campaign-material-changed', { updates: ['changeMaterial'] }],
    [
      'campaign-queued-material-change-refused',
      { updates: ['changeMaterial', 'cancelCampaign'], patches: ['refuse-queued-material-changes'] },
    ],
    ['campaign-cancelled-with-cohorts', { updates: ['cancelCampaign'] }],
    ['campaign-cancelled-in-period', { updates: ['cancelCampaign'], patches: ['cancel-in-period'] }],
    [
      'campaign-evaluation-failed-and-rerun',
      { updates: ['rerunEvaluation'], patches: ['evaluation-failure-visible'] },
    ],
    ['campaign-launch-approved', { updates: ['approveLaunch'], patches: ['launch-approval'] }],
    ['campaign-launch-rejected', { updates: ['rejectLaunch'], patches: ['launch-approval'] }],
  ] as const)('%s holds its path', (name, expected) => {
    const c = coverage.get(`${name}.json`);
    expect(c).toBeDefined();
    const want = expected as {
      signals?: readonly string[];
      updates?: readonly string[];
      patches?: readonly string[];
    };
    expect([...c!.signals]).toEqual(expect.arrayContaining([...(want.signals ?? [])]));
    expect([...c!.updates]).toEqual(expect.arrayContaining([...(want.updates ?? [])]));
    expect([...c!.patches]).toEqual(expect.arrayContaining([...(want.patches ?? [])]));
  });

  it('campaign-drift-repaired holds a read-back that found drift and the repair publish after it', () => {
    const events = load('campaign-drift-repaired.json').events ?? [];
    const names = events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? null);
    const firstVerify = names.indexOf('verifyPlacements');
    expect(firstVerify).toBeGreaterThan(-1);
    // Publishing at launch comes before any verification; a publish after one is the repair.
    expect(names.slice(firstVerify).includes('publishPlacement')).toBe(true);
  });
});
