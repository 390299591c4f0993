// Fast tests of the campaign workflow's handlers (issue 15 item 6): the real workflow code on the real dev
// server that global-setup starts, with STUB activities — plain functions that record their calls and answer
// what the Activities types say — on a task queue of this file's own. No database, no simulator, no API:
// what is tested is the workflow's own steering (which commands it issues, in which order, what it answers
// and refuses). The plans' windows are seconds long, so each test takes seconds. Every assertion that
// something did not happen waits first for a positive signal that it would have happened by then.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import {
  Client,
  Connection,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogEntry } from '@temporalio/worker';
import type { Activities } from '../../../activities';
import type { PlacementOutcome, PublishTarget } from '../../../activities/publishing';
import { CampaignPlanSchema, type CampaignPlanInput } from '../../../domain/campaign-plan';
import { cohortsOfWindow } from '../../../domain/cohort';
import { WITHHELD_REASONS, type WithheldReason } from '../../../funnel/contact-decision';
import { getWorkflowBundle } from '../../../worker/workflow-bundle';
import type { campaignWorkflow, CampaignWorkflowInput } from '../../../workflows/campaign';
import { campaignWorkflowId, cohortWorkflowId } from '../../../workflows/ids';
import {
  approveLaunchUpdate,
  budgetExhaustedSignal,
  campaignStateQuery,
  cancelCampaignUpdate,
  changeMaterialUpdate,
  cohortProgressQuery,
  freezePacingUpdate,
  pauseCampaignUpdate,
  rejectLaunchUpdate,
  rerunEvaluationUpdate,
  resumeCampaignUpdate,
  type CampaignPhase,
  type CampaignState,
} from '../../../workflows/messages';
import { eventually } from '../../support/context';

type Call = { name: keyof Activities; input: Record<string, unknown> };

/** The stub activities: every call recorded, canned answers, a few switches a test can turn. */
class StubActivities {
  readonly calls: Call[] = [];
  /** campaignId → placement ids published and not withdrawn. */
  private readonly live = new Map<string, Set<string>>();
  /** Publishing of these material versions waits until the test releases it. */
  private readonly gates = new Map<string, { opened: Promise<void>; open: () => void }>();
  /** campaignId → evaluations that fail before one succeeds. */
  readonly evaluationFailures = new Map<string, number>();

  of(campaignId: string, name?: keyof Activities): Call[] {
    return this.calls.filter((c) => c.input.campaignId === campaignId && (!name || c.name === name));
  }

  gate(materialVersionId: string): () => void {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    this.gates.set(materialVersionId, { opened, open });
    return open;
  }

  activities(): Activities {
    const record = (name: keyof Activities, input: object) =>
      this.calls.push({ name, input: input as Record<string, unknown> });
    const liveOf = (campaignId: string) => {
      let set = this.live.get(campaignId);
      if (!set) this.live.set(campaignId, (set = new Set()));
      return set;
    };
    const placementIds = new Map<string, string>(); // placementId → campaignId
    const noneWithheld = Object.fromEntries(WITHHELD_REASONS.map((r) => [r, 0])) as Record<
      WithheldReason,
      number
    >;
    return {
      recordCampaignPhase: async (input) => void record('recordCampaignPhase', input),
      recordLaunchApproval: async (input) => void record('recordLaunchApproval', input),
      countCohortMembers: async (input) => {
        record('countCohortMembers', input);
        return 0;
      },
      recordCohortStatus: async (input) => void record('recordCohortStatus', input),
      runCohortStep: async (input) => {
        record('runCohortStep', input);
        return { delivered: 0, skipped: 0, alreadyDelivered: 0, withheld: noneWithheld };
      },
      preparePublishing: async (input) => {
        record('preparePublishing', input);
        return {
          targets: TARGETS,
          policy: 'best-effort' as const,
          verifyEvery: 'PT1H',
        };
      },
      publishPlacement: async (input): Promise<PlacementOutcome> => {
        record('publishPlacement', input);
        await this.gates.get(input.target.materialVersionId)?.opened;
        const placementId = `pl-${input.campaignId}-${input.target.channelId}-${input.target.materialVersionId}`;
        liveOf(input.campaignId).add(placementId);
        placementIds.set(placementId, input.campaignId);
        return {
          placementId,
          channelId: input.target.channelId,
          channelCode: input.target.channelCode,
          status: 'verified',
        };
      },
      markPlacementFailed: async (input) => void record('markPlacementFailed', input),
      withdrawPlacement: async (input) => {
        const campaignId = placementIds.get(input.placementId);
        record('withdrawPlacement', { ...input, campaignId });
        if (campaignId) this.live.get(campaignId)?.delete(input.placementId);
        return { status: 'withdrawn' as const };
      },
      verifyPlacements: async (input) => {
        record('verifyPlacements', input);
        return { checked: liveOf(input.campaignId).size, drifted: [] };
      },
      livePlacements: async (input) => {
        record('livePlacements', input);
        return [...liveOf(input.campaignId)];
      },
      evaluateCampaign: async (input) => {
        record('evaluateCampaign', input);
        const failures = this.evaluationFailures.get(input.campaignId) ?? 0;
        if (failures > 0) {
          this.evaluationFailures.set(input.campaignId, failures - 1);
          // Non-retryable: the workflow sees the failure at once instead of after 10 retries.
          throw ApplicationFailure.create({ message: 'facts not ready (stub)', nonRetryable: true });
        }
        return { reportId: `report-${input.campaignId}`, version: 1, reused: false };
      },
      reviewPacing: async (input) => {
        record('reviewPacing', input);
        return {
          reviewIndex: input.reviewIndex,
          outcome: 'unchanged' as const,
          method: 'stub',
          moved: 0,
          at: input.asOf,
        };
      },
    } satisfies Activities;
  }
}

const TARGETS: PublishTarget[] = [
  {
    channelId: 'ch-app',
    channelCode: 'app',
    offline: false,
    variantKey: 'default',
    materialVersionId: 'mv-1',
    contentHash: 'h1',
  },
  {
    channelId: 'ch-wechat',
    channelCode: 'wechat',
    offline: false,
    variantKey: 'default',
    materialVersionId: 'mv-1',
    contentHash: 'h1',
  },
];

const stubs = new StubActivities();
/** What the workflows logged at warn and above (the workflow `log` goes to the Runtime's logger). */
const logged: LogEntry[] = [];
const taskQueue = `campaign-handlers-${randomUUID()}`;
let connection: Connection;
let client: Client;
let nativeConnection: NativeConnection;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  const address = process.env.TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('needs the Temporal dev server of test/setup/global-setup.ts');
  // Installed before the first connection creates the process's Runtime with the default logger.
  Runtime.install({ logger: new DefaultLogger('WARN', (entry) => logged.push(entry)) });
  connection = await Connection.connect({ address });
  client = new Client({ connection, namespace: 'default' });
  nativeConnection = await NativeConnection.connect({ address });
  worker = await Worker.create({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    workflowBundle: await getWorkflowBundle(),
    activities: stubs.activities(),
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await nativeConnection?.close();
  await connection?.close();
});

/** A plan whose window opened a second ago and lasts `seconds`; cohorts of `cohortSeconds`. */
function planOf(seconds: number, cohortSeconds: number, extra: Partial<CampaignPlanInput> = {}) {
  const now = Date.now();
  return CampaignPlanSchema.parse({
    registrationWindow: {
      start: new Date(now - 1000).toISOString(),
      end: new Date(now + seconds * 1000).toISOString(),
    },
    newCustomerPeriod: 'PT1S',
    cohortGranularity: `PT${cohortSeconds}S`,
    sendingHours: { start: '00:00', end: '24:00' },
    activationRule: { event: 'transaction', minAmountMinor: 10000, atLeast: 1 },
    ...extra,
  });
}

const welcomeStep = (offset = 'PT1S') => ({
  engagementPlan: {
    steps: [
      {
        id: 'welcome',
        offset,
        kind: 'education' as const,
        materialVersionId: 'mv-1',
        channelCode: 'app',
        audience: 'treatment_all' as const,
        costPerMessageMinor: 1,
      },
    ],
  },
});

async function start(
  plan: CampaignWorkflowInput['plan'],
  approval?: CampaignWorkflowInput['approval'],
  campaignId: string = randomUUID(),
): Promise<{ campaignId: string; wf: WorkflowHandle<typeof campaignWorkflow> }> {
  const input: CampaignWorkflowInput = { campaignId, plan, ...(approval ? { approval } : {}) };
  const wf = await client.workflow.start<typeof campaignWorkflow>('campaignWorkflow', {
    taskQueue,
    workflowId: campaignWorkflowId(campaignId),
    args: [input],
  });
  return { campaignId, wf };
}

const stateOf = (wf: WorkflowHandle) => wf.query(campaignStateQuery);
const untilPhase = (wf: WorkflowHandle, phase: CampaignPhase) =>
  eventually(async () => ((await stateOf(wf)).phase === phase ? stateOf(wf) : null), 30_000, 100);
/**
 * Until `atLeast` cohorts run and the rest wait to begin (a cohort's child is started when it begins, patch
 * 'start-cohorts-as-they-begin').
 */
const untilCohortsRunning = (wf: WorkflowHandle, atLeast = 1) =>
  eventually(
    async () => {
      const s = await stateOf(wf);
      const running = s.cohorts.filter((c) => c.status === 'running').length;
      return running >= atLeast && s.cohorts.every((c) => c.status === 'running' || c.status === 'pending')
        ? s
        : null;
    },
    30_000,
    100,
  );
const runningCohorts = (state: CampaignState) => state.cohorts.filter((c) => c.status === 'running');

/** The update's refusal: its ApplicationFailure type and message (a validator's or a handler's). */
async function refusal(p: Promise<unknown>): Promise<{ type: string | undefined; message: string }> {
  const err = await p.then(
    () => {
      throw new Error('the update was accepted; a refusal was expected');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return {
    type: (cause as ApplicationFailure).type ?? undefined,
    message: (cause as ApplicationFailure).message,
  };
}

/** The signals a workflow received, in the order of its history. */
async function signalsOf(wf: WorkflowHandle) {
  const events = (await wf.fetchHistory()).events ?? [];
  return events
    .map((e) => e.workflowExecutionSignaledEventAttributes)
    .filter((a) => a != null)
    .map((a) => ({
      name: a.signalName,
      args: (a.input?.payloads ?? []).map((p) => JSON.parse(Buffer.from(p.data!).toString('utf8'))),
    }));
}

const ops = { actor: 'ops' };

describe('pause and resume', () => {
  it('signals every running cohort in order; a paused cohort runs no step until resumed', async () => {
    // The first cohort's step is due when it closes, ~5 s from now: time to pause before it.
    const { campaignId, wf } = await start(planOf(12, 6, welcomeStep()));
    const before = await untilCohortsRunning(wf);
    const paused = await wf.executeUpdate(pauseCampaignUpdate, { args: [{ ...ops, reason: 'check' }] });
    expect(paused.paused).toBe(true);
    const first = client.workflow.getHandle(cohortWorkflowId(campaignId, before.cohorts[0]!.key));
    // The positive signal: the cohort says paused, and its step's due time has come and gone (its due
    // timer fired, so the workflow is past the point where it would have run the step).
    const progress = await eventually(async () => {
      const p = await first.query(cohortProgressQuery);
      return p.status === 'paused' && p.nextStep ? p : null;
    });
    await eventually(async () => {
      if (Date.now() <= Date.parse(progress.nextStep!.dueAt)) return false;
      const events = (await first.fetchHistory()).events ?? [];
      return events.some((e) => e.timerFiredEventAttributes);
    }, 30_000);
    expect((await first.query(cohortProgressQuery)).status).toBe('paused');
    expect(stubs.of(campaignId, 'runCohortStep')).toHaveLength(0);

    const resumed = await wf.executeUpdate(resumeCampaignUpdate, { args: [ops] });
    expect(resumed.paused).toBe(false);
    await eventually(async () => (await first.query(cohortProgressQuery)).steps.length === 1 || null, 30_000);
    // Every cohort that was running got the pause, then the resume, numbered in that order (the
    // signals are sent without waiting: wait until the resume has arrived, then compare the whole list).
    for (const c of runningCohorts(before)) {
      const cohort = client.workflow.getHandle(cohortWorkflowId(campaignId, c.key));
      const pauses = async () =>
        (await signalsOf(cohort)).filter((s) => s.name === 'setCohortPaused').map((s) => s.args[0]);
      await eventually(async () => (await pauses()).some((a) => a.paused === false) || null);
      expect(await pauses()).toEqual([
        { paused: true, seq: 1 },
        { paused: false, seq: 2 },
      ]);
    }
    await wf.terminate('test done');
  });
});

describe('material change', () => {
  it('a change still queued when acquisition closes is refused with the reason, not abandoned', async () => {
    const { campaignId, wf } = await start(planOf(30, 30));
    await untilPhase(wf, 'acquiring');
    const release = stubs.gate('mv-2');
    const first = wf.executeUpdate(changeMaterialUpdate, {
      args: [{ ...ops, variantKey: 'default', materialVersionId: 'mv-2', contentHash: 'h2' }],
    });
    // The positive signal that the first change was taken off the queue: its publishing has begun.
    await eventually(
      async () =>
        stubs
          .of(campaignId, 'publishPlacement')
          .some((c) => (c.input.target as PublishTarget).materialVersionId === 'mv-2') || null,
    );
    const queued = await wf.startUpdate(changeMaterialUpdate, {
      args: [{ ...ops, variantKey: 'default', materialVersionId: 'mv-3', contentHash: 'h3' }],
      waitForStage: 'ACCEPTED',
    });
    await wf.executeUpdate(cancelCampaignUpdate, { args: [{ ...ops, reason: 'stop' }] });
    release();
    expect((await first).materialVersion).toEqual([
      { variantKey: 'default', materialVersionId: 'mv-2', contentHash: 'h2' },
    ]);
    expect(await refusal(queued.result())).toEqual({
      type: 'CampaignNotSteerable',
      message: 'acquisition closed (cancelled) before the material change was published',
    });
    expect((await wf.result()).phase).toBe('cancelled');
    expect(
      stubs
        .of(campaignId, 'publishPlacement')
        .filter((c) => (c.input.target as PublishTarget).materialVersionId === 'mv-3'),
    ).toHaveLength(0);
  });
});

describe('cancel', () => {
  it('while acquiring: withdraws every placement, cancels the cohorts, no evaluation', async () => {
    const { campaignId, wf } = await start(planOf(30, 10, welcomeStep('PT20S')));
    await untilCohortsRunning(wf);
    const cancelled = await wf.executeUpdate(cancelCampaignUpdate, { args: [{ ...ops, reason: 'stop' }] });
    expect(cancelled.cancelled).toMatchObject({ by: 'ops', reason: 'stop' });
    const result = await wf.result();
    expect(result.phase).toBe('cancelled');
    expect(result.acquisitionClosedReason).toBe('cancelled');
    expect(result.cohorts.every((c) => c.status === 'cancelled')).toBe(true);
    const published = stubs.of(campaignId, 'publishPlacement').length;
    expect(published).toBe(TARGETS.length);
    expect(stubs.of(campaignId, 'withdrawPlacement')).toHaveLength(published);
    // `total` counts what is live (none after the withdrawal); `withdrawn` what came down.
    expect(result.placements).toMatchObject({ total: 0, withdrawn: 2, failed: 0 });
    expect(stubs.of(campaignId, 'evaluateCampaign')).toHaveLength(0);
    expect(stubs.of(campaignId, 'runCohortStep')).toHaveLength(0);
    expect(stubs.of(campaignId, 'recordCampaignPhase').map((c) => c.input.phase)).toEqual([
      'launching',
      'acquiring',
      'withdrawing',
      'cancelled',
    ]);
  });

  it('in the new-customer period: cancels the cohorts and ends unevaluated', async () => {
    const { campaignId, wf } = await start(planOf(2, 2, { newCustomerPeriod: 'PT5M' }));
    await untilPhase(wf, 'in_period');
    await wf.executeUpdate(cancelCampaignUpdate, { args: [{ ...ops, reason: 'period stopped' }] });
    const result = await wf.result();
    expect(result.phase).toBe('cancelled');
    expect(result.evaluationReportId).toBeNull();
    expect(result.cohorts.every((c) => c.status === 'cancelled')).toBe(true);
    expect(stubs.of(campaignId, 'evaluateCampaign')).toHaveLength(0);
  });
});

describe('budget', () => {
  it('closes acquisition and tells the cohorts that begin later to end empty', async () => {
    const { campaignId, wf } = await start(planOf(20, 4));
    const state = await untilCohortsRunning(wf);
    expect(state.cohorts.length).toBeGreaterThan(2);
    await wf.signal(budgetExhaustedSignal);
    const result = await wf.result();
    expect(result.acquisitionClosedReason).toBe('budget_exhausted');
    expect(result.phase).toBe('completed');
    expect(result.evaluationReportId).toBe(`report-${campaignId}`);
    // The window was 20 s; the campaign did not wait it out: the last cohort began after the close.
    expect(Date.now()).toBeLessThan(Date.parse(result.registrationWindow.end));
    const last = result.cohorts[result.cohorts.length - 1]!;
    const signals = await signalsOf(client.workflow.getHandle(cohortWorkflowId(campaignId, last.key)));
    expect(signals.map((s) => s.name)).toContain('closeEmptyCohort');
    // The first cohort had begun: it was not told to end empty.
    const firstSignals = await signalsOf(
      client.workflow.getHandle(cohortWorkflowId(campaignId, result.cohorts[0]!.key)),
    );
    expect(firstSignals.map((s) => s.name)).not.toContain('closeEmptyCohort');
  });
});

describe('signals to cohorts that fail', () => {
  it('are logged with the campaign, the cohort and the reason, and the campaign goes on', async () => {
    // 2 s cohorts over 40 s: two or three run at any moment.
    const { campaignId, wf } = await start(planOf(40, 2));
    // A cohort the campaign still counts as running is terminated, and a pause follows at once: when the
    // campaign takes the pause before it has learnt of the termination (both reach it in one task — the
    // SDK runs updates before child resolutions — or the update first), the signal to that cohort fails.
    // When it learnt of it first, the cohort is no longer running and is not signalled: try another.
    let warning: LogEntry | undefined;
    let gone: { key: string } | undefined;
    for (let attempt = 0; attempt < 6 && !warning; attempt++) {
      const state = await eventually(
        async () => {
          const s = await stateOf(wf);
          return runningCohorts(s).length >= 2 ? s : null;
        },
        30_000,
        100,
      );
      gone = runningCohorts(state)[0]!;
      await client.workflow.getHandle(cohortWorkflowId(campaignId, gone.key)).terminate('gone (test)');
      const paused = await wf.executeUpdate(pauseCampaignUpdate, { args: [{ ...ops, reason: 'check' }] });
      expect(paused.paused).toBe(true);
      const key = gone.key;
      warning = await eventually(
        async () =>
          logged.find(
            (e) =>
              e.meta?.campaignId === campaignId &&
              e.meta?.signal === 'setCohortPaused' &&
              e.meta?.cohortKey === key,
          ) ?? null,
        3_000,
      ).catch(() => undefined);
      await wf.executeUpdate(resumeCampaignUpdate, { args: [ops] });
    }
    expect(warning).toBeDefined();
    expect(warning!.level).toBe('WARN');
    expect(warning!.message).toBe('signal to a cohort failed; the campaign goes on');
    expect(warning!.meta).toMatchObject({ cohortKey: gone!.key, reason: expect.any(String) });
    // The campaign went on: it answered the resume after it, and a terminated child is not a cancellation,
    // so it fails when it waits for its cohorts.
    await wf.signal(budgetExhaustedSignal);
    await expect(wf.result()).rejects.toThrow();
  });
});

describe('cohorts started as they begin', () => {
  it('a cohort is started when it begins, paused if the campaign is, and never before', async () => {
    // 3 s cohorts over 12 s: the second begins ~2 s after the start.
    const plan = planOf(12, 3, welcomeStep());
    const { campaignId, wf } = await start(plan);
    const before = await untilCohortsRunning(wf);
    expect(runningCohorts(before)).toHaveLength(1);
    const second = before.cohorts[1]!;
    expect(second.status).toBe('pending');
    await expect(
      client.workflow.getHandle(cohortWorkflowId(campaignId, second.key)).describe(),
    ).rejects.toThrow(WorkflowNotFoundError);
    await wf.executeUpdate(pauseCampaignUpdate, { args: [{ ...ops, reason: 'check' }] });
    // The positive signal: the second cohort runs (it began while the campaign was paused)…
    const after = await untilCohortsRunning(wf, 2);
    expect(after.cohorts[1]!.status).toBe('running');
    const child = client.workflow.getHandle(cohortWorkflowId(campaignId, second.key));
    // …its child was started after its cohort began, and paused from its start (no signal needed).
    const described = await child.describe();
    const begins = cohortsOfWindow(plan.registrationWindow, plan.cohortGranularity, plan.timeZone)[1]!;
    expect(begins.key).toBe(second.key);
    expect(described.startTime.getTime()).toBeGreaterThanOrEqual(Date.parse(begins.start));
    expect((await child.query(cohortProgressQuery)).status).toBe('paused');
    expect((await signalsOf(child)).filter((x) => x.name === 'setCohortPaused')).toHaveLength(0);
    await wf.terminate('test done');
  });
});

describe('launch approval', () => {
  const author = { name: 'maker', principalId: 'key-maker' };

  it('waits unpublished, refuses the author, and publishes once another person approves', async () => {
    const { campaignId, wf } = await start(planOf(30, 30), { required: true, author });
    await untilPhase(wf, 'awaiting_approval');
    expect(stubs.of(campaignId, 'preparePublishing')).toHaveLength(0);
    expect(
      await refusal(
        wf.executeUpdate(approveLaunchUpdate, { args: [{ actor: 'someone', principalId: 'key-maker' }] }),
      ),
    ).toMatchObject({ type: 'ApprovalByAuthor' });
    expect(
      await refusal(
        wf.executeUpdate(approveLaunchUpdate, { args: [{ actor: 'maker', principalId: 'key-x' }] }),
      ),
    ).toMatchObject({ type: 'ApprovalByAuthor' });
    const approved = await wf.executeUpdate(approveLaunchUpdate, {
      args: [{ actor: 'checker', principalId: 'key-checker', note: 'ok' }],
    });
    expect(approved.approval).toMatchObject({ state: 'approved', by: 'checker', note: 'ok' });
    await untilPhase(wf, 'acquiring');
    expect(stubs.of(campaignId, 'recordLaunchApproval').map((c) => c.input.state)).toEqual(['approved']);
    expect(stubs.of(campaignId, 'publishPlacement')).toHaveLength(TARGETS.length);
    expect(
      await refusal(
        wf.executeUpdate(rejectLaunchUpdate, {
          args: [{ actor: 'other', principalId: 'key-o', reason: 'late' }],
        }),
      ),
    ).toMatchObject({ type: 'LaunchAlreadyDecided' });
    await wf.terminate('test done');
  });

  it('a rejection needs a reason, and ends the campaign rejected with nothing published', async () => {
    const { campaignId, wf } = await start(planOf(30, 30), { required: true, author });
    await untilPhase(wf, 'awaiting_approval');
    expect(
      await refusal(
        wf.executeUpdate(rejectLaunchUpdate, { args: [{ actor: 'checker', principalId: 'key-c' }] }),
      ),
    ).toEqual({ type: 'InvalidSteering', message: 'a rejection needs a reason' });
    await wf.executeUpdate(rejectLaunchUpdate, {
      args: [{ actor: 'checker', principalId: 'key-c', reason: 'too expensive' }],
    });
    const result = await wf.result();
    expect(result.phase).toBe('rejected');
    expect(result.acquisitionClosedReason).toBe('launch_rejected');
    expect(result.approval).toMatchObject({ state: 'rejected', by: 'checker', note: 'too expensive' });
    expect(stubs.of(campaignId, 'preparePublishing')).toHaveLength(0);
    expect(stubs.of(campaignId, 'publishPlacement')).toHaveLength(0);
  });
});

describe('validators', () => {
  it('refuse bad requests and leave the state as it was', async () => {
    const { wf } = await start(planOf(30, 30));
    await untilPhase(wf, 'acquiring');
    // The cohorts start beside acquisition: wait until they have, so that the state is still.
    const before = await untilCohortsRunning(wf);
    expect(await refusal(wf.executeUpdate(pauseCampaignUpdate, { args: [{ actor: ' ' }] }))).toEqual({
      type: 'InvalidSteering',
      message: 'actor is required',
    });
    expect(
      await refusal(
        wf.executeUpdate(changeMaterialUpdate, {
          args: [{ ...ops, variantKey: 'nope', materialVersionId: 'mv-9', contentHash: 'h9' }],
        }),
      ),
    ).toEqual({ type: 'UnknownVariant', message: 'variant nope is not published by this campaign' });
    expect(await refusal(wf.executeUpdate(freezePacingUpdate, { args: [ops] }))).toMatchObject({
      type: 'PacingNotAdaptive',
    });
    expect(await refusal(wf.executeUpdate(rerunEvaluationUpdate, { args: [ops] }))).toMatchObject({
      type: 'CampaignNotSteerable',
    });
    expect(
      await refusal(
        wf.executeUpdate(approveLaunchUpdate, { args: [{ actor: 'checker', principalId: 'k' }] }),
      ),
    ).toMatchObject({ type: 'ApprovalNotRequired' });
    // A refused update leaves no trace: the history has no accepted update, and the state is unchanged.
    const events = (await wf.fetchHistory()).events ?? [];
    expect(events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(0);
    const after: CampaignState = await stateOf(wf);
    expect({ ...after, updatedAt: null }).toEqual({ ...before, updatedAt: null });
    await wf.terminate('test done');
  });

  it('a failed evaluation waits for a re-run, which answers with the outcome', async () => {
    const campaignId = randomUUID();
    stubs.evaluationFailures.set(campaignId, 1);
    const { wf } = await start(planOf(1, 1), undefined, campaignId);
    const failed = await untilPhase(wf, 'evaluation_failed');
    expect(failed.failure).toBe('evaluation failed: facts not ready (stub)');
    expect(await refusal(wf.executeUpdate(rerunEvaluationUpdate, { args: [{ actor: '' }] }))).toMatchObject({
      type: 'InvalidSteering',
    });
    const rerun = await wf.executeUpdate(rerunEvaluationUpdate, { args: [ops] });
    expect(rerun.phase).toBe('completed');
    expect(rerun.evaluationReportId).toBe(`report-${campaignId}`);
    expect(stubs.of(campaignId, 'evaluateCampaign')).toHaveLength(2);
    expect((await wf.result()).phase).toBe('completed');
  });
});
