// The funnel's API (docs/api/funnel.md): registration and customer-event ingest (one item or a batch of up
// to 1,000, each item answered on its own), and the views of a campaign's funnel, of one customer's journey
// and of its cohorts.
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client';
import {
  BatchShapeError,
  parseSingleOrBatch,
  summarize,
  type ItemError,
  type ItemStatus,
} from '../../funnel/ingest/batch';
import { loadFunnelCampaign, type FunnelCampaign } from '../../funnel/ingest/campaign-context';
import { ingestDeliveryReports } from '../../funnel/ingest/delivery-report-ingest';
import { DeliveryReportItemSchema } from '../../funnel/ingest/delivery-report-schema';
import { ingestCustomerEvents } from '../../funnel/ingest/event-ingest';
import { CustomerEventItemSchema } from '../../funnel/ingest/event-schema';
import { ingestRegistrations } from '../../funnel/ingest/registration-ingest';
import { RegistrationItemSchema } from '../../funnel/ingest/registration-schema';
import type { Logger } from '../../infra/logger';
import { metrics } from '../../infra/metrics';
import { WorkflowNotFoundError } from '@temporalio/client';
import { cohortWorkflowId } from '../../workflows/ids';
import { budgetExhaustedSignal, lateMembersSignal } from '../../workflows/messages';
import { handle, idempotent, type Reply } from '../handler';
import { notFound, Problem, validationProblem } from '../problem';
import { withinDeadline, type TemporalDeps } from '../temporal';
import { parseWith } from '../validate';
import { principalOf } from '../auth/principal';
import { viewChannelBrief } from './channel-brief';
import { viewCohorts } from './cohorts-view';
import { viewFunnel } from './funnel-view';
import { viewJourney } from './journey-view';
import { CampaignIdParams } from '../campaigns/params';

export const JourneyParams = CampaignIdParams.extend({ customerRef: z.string().min(1).max(200) });

/** Refusals that mean "this is not a well-formed item" (400) rather than "not accepted as it stands" (422). */
const MALFORMED = new Set(['invalid', 'required', 'unknown_field']);

/** Ingest is idempotent item by item: a request lost half-way may be run again (api/handler.ts). */
const RERUNNABLE = { rerunnable: true } as const;

export function funnelRoutes(db: Db, temporal: TemporalDeps): Router {
  const router = Router();

  async function load(params: unknown): Promise<FunnelCampaign> {
    const { id } = parseWith(CampaignIdParams, params, 'params');
    const campaign = await loadFunnelCampaign(db, id);
    if (!campaign) throw notFound('campaign', id);
    return campaign;
  }

  router.post(
    '/campaigns/:id/registrations',
    idempotent(
      db,
      'funnel.registrations',
      async (req, res) => {
        const campaign = await load(req.params);
        const body = parseBody(() => parseSingleOrBatch(RegistrationItemSchema, req.body));
        const results = await ingestRegistrations(db, campaign, body.items, {
          onBudgetExhausted: (c) => signalBudgetExhausted(temporal, c, logOf(res)),
          onLateMembers: (c, keys) => signalLateMembers(temporal, c, keys, logOf(res)),
        });
        return reply(body.mode, results, 'registration');
      },
      RERUNNABLE,
    ),
  );

  router.post(
    '/campaigns/:id/events',
    idempotent(
      db,
      'funnel.events',
      async (req, res) => {
        const campaign = await load(req.params);
        const body = parseBody(() => parseSingleOrBatch(CustomerEventItemSchema, req.body));
        const results = await ingestCustomerEvents(db, campaign, body.items, {
          hiddenCustomerRefs: res.locals.hiddenCustomerRefs as Set<string> | undefined,
        });
        return reply(body.mode, results, 'event');
      },
      RERUNNABLE,
    ),
  );

  router.post(
    '/campaigns/:id/delivery-reports',
    idempotent(
      db,
      'funnel.delivery-reports',
      async (req) => {
        const campaign = await load(req.params);
        const body = parseBody(() => parseSingleOrBatch(DeliveryReportItemSchema, req.body));
        const results = await ingestDeliveryReports(db, campaign, body.items);
        return reply(body.mode, results, 'delivery report');
      },
      RERUNNABLE,
    ),
  );

  router.get(
    '/campaigns/:id/funnel',
    handle(async (req) => ({ status: 200, body: await viewFunnel(db, await load(req.params), new Date()) })),
  );

  router.get(
    '/campaigns/:id/channel-brief',
    handle(async (req, res) => ({
      status: 200,
      body: await viewChannelBrief(db, await load(req.params), principalOf(res), new Date()),
    })),
  );

  router.get(
    '/campaigns/:id/customers/:customerRef/journey',
    handle(async (req) => {
      const { customerRef } = parseWith(JourneyParams, req.params, 'params');
      const campaign = await load(req.params);
      const journey = await viewJourney(db, campaign, customerRef);
      if (!journey) throw notFound(`customer ${customerRef} in campaign`, campaign.id);
      return { status: 200, body: journey };
    }),
  );

  router.get(
    '/campaigns/:id/cohorts',
    handle(async (req) => ({ status: 200, body: await viewCohorts(db, await load(req.params)) })),
  );

  return router;
}

function parseBody<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (!(err instanceof BatchShapeError)) throw err;
    throw validationProblem(err.errors, `Invalid request: the batch is malformed: ${err.message}`);
  }
}

/**
 * A batch is answered 200 with one result per item. A single item is answered like a resource: 201 when
 * stored (accepted or flagged), 200 for a repeat, and a problem when refused — 400 if malformed, 422 if
 * well-formed but not accepted (window, channel, budget, campaign state, unknown customer).
 */
function reply(
  mode: 'single' | 'batch',
  results: { status: ItemStatus; errors?: ItemError[] }[],
  what: 'registration' | 'event' | 'delivery report',
): Reply {
  metrics.ingest(what === 'delivery report' ? 'delivery_report' : what, results);
  if (mode === 'batch') return { status: 200, body: { summary: summarize(results), items: results } };
  const result = results[0] as { status: ItemStatus; errors?: ItemError[] };
  if (result.status !== 'rejected')
    return { status: result.status === 'duplicate_request' ? 200 : 201, body: result };
  const errors = result.errors ?? [];
  const malformed = errors.some((e) => MALFORMED.has(e.reason));
  throw new Problem(
    malformed ? 400 : 422,
    malformed ? 'Invalid request' : `The ${what} was not accepted`,
    errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    { errors },
  );
}

function logOf(res: Response): Logger | undefined {
  return res.locals.log as Logger | undefined;
}

/** Tells the campaign workflow that the budget closed acquisition; a workflow that has ended needs no telling. */
async function signalBudgetExhausted(
  temporal: TemporalDeps,
  campaign: FunnelCampaign,
  log?: Logger,
): Promise<void> {
  try {
    // Bounded: the batch's answer does not wait on a stalled Temporal (the workflow also learns of
    // the budget from the refusals that follow, and an operator can cancel).
    await withinDeadline(temporal, () =>
      temporal.client.workflow.getHandle(campaign.workflowId).signal(budgetExhaustedSignal),
    );
  } catch (err) {
    log?.warn('could not signal the budget exhaustion to the campaign workflow', {
      campaignId: campaign.id,
      err: String(err),
    });
  }
}

/**
 * Tells each closed cohort that got new members to run its past steps for them. A cohort workflow that
 * has not started yet will run its steps anyway; one that has ended is past its members' period.
 */
async function signalLateMembers(
  temporal: TemporalDeps,
  campaign: FunnelCampaign,
  cohortKeys: string[],
  log?: Logger,
): Promise<void> {
  await Promise.all(
    cohortKeys.map(async (cohortKey) => {
      try {
        await withinDeadline(temporal, () =>
          temporal.client.workflow
            .getHandle(cohortWorkflowId(campaign.id, cohortKey))
            .signal(lateMembersSignal),
        );
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return;
        log?.warn('could not tell a cohort workflow of its late members', {
          campaignId: campaign.id,
          cohortKey,
          err: String(err),
        });
      }
    }),
  );
}
