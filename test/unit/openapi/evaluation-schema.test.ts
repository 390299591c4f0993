// The evaluation report's documented schema (evaluation/stored-report-schema.ts, through
// api/openapi/evaluation.ts) accepts what the API serves: the current report, and a report stored by
// the first version, before delivery, sign-ups started, fraud flags and attribution were added (stored
// reports are immutable and served as they are). A field the schema does not know, or a missing one
// that every version wrote, is a violation — the drift the integration suite's response check catches.
import { openApiDocument } from '../../../api/openapi/document';
import { exampleReport } from '../../../api/openapi/evaluation-example';
import { evaluationView } from '../../../api/evaluation/views';
import type { EvaluationReport } from '../../../generated/prisma/client';
import { ResponseContract, type SentResponse } from '../../support/response-contract';

const contract = new ResponseContract(openApiDocument());
const campaignId = '7f1c1b9e-3a52-4c1e-9d36-0c8e2f1d5a10';

function served(report: unknown): SentResponse {
  const row: EvaluationReport = {
    id: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5',
    campaignId,
    version: 1,
    provisional: false,
    planVersion: 1,
    factsDigest: 'sha256:00',
    computedAt: new Date('2026-11-26T10:00:00Z'),
    report: report as EvaluationReport['report'],
  } as EvaluationReport;
  return {
    method: 'GET',
    path: `/campaigns/${campaignId}/evaluation`,
    status: 200,
    contentType: 'application/json; charset=utf-8',
    body: Buffer.from(JSON.stringify(evaluationView(row))),
  };
}

type Json = Record<string, unknown>;
const copy = (): Json => JSON.parse(JSON.stringify(exampleReport)) as Json;
const omit = (object: unknown, keys: readonly string[]) => {
  for (const key of keys) delete (object as Json)[key];
};

/** The example report as the first stored version wrote it (2026-11-26, before 25a3348). */
function firstVersionReport(): Json {
  const report = copy();
  delete report.attribution;
  const facts = report.facts as { sources: Json; excludedRevenue: Json };
  omit(facts.sources, ['delivery', 'fraudFlagged']);
  omit(facts.excludedRevenue, ['outsidePeriodMinor']);
  omit((report.definitions as { ratios: Json }).ratios, [
    'clickThroughRate',
    'registrationsPerClick',
    'startsPerClick',
    'registrationsPerStart',
    'fraudRate',
  ]);
  const rows = [
    report.overall,
    ...(['byChannel', 'byMaterial', 'byCohort'] as const).flatMap((t) => report[t]),
  ];
  for (const row of rows as Json[]) {
    omit(row, [
      'clickThroughRate',
      'registrationsPerClick',
      'startsPerClick',
      'registrationsPerStart',
      'fraudRate',
    ]);
    omit(row.funnel, ['impressions', 'clicks', 'registrationsStarted', 'registrationsFraudFlagged']);
  }
  return report;
}

describe('the evaluation report schema', () => {
  it('accepts the current report', () => {
    expect(contract.check(served(exampleReport))).toBeNull();
  });

  it('has every part of a current report in the example (lift, arms, cohorts, time to activate)', () => {
    expect(exampleReport.lift.defined).toBe(true);
    expect(exampleReport.overall.arms).toHaveLength(2);
    expect(exampleReport.byCohort).toHaveLength(1);
    expect(exampleReport.overall.timeToActivate).not.toBeNull();
    expect(exampleReport.checks.allHold).toBe(true);
  });

  it('accepts a report stored by the first version, before the fields added since', () => {
    expect(contract.check(served(firstVersionReport()))).toBeNull();
  });

  it('refuses a field it does not document', () => {
    const report = copy();
    (report.overall as Json).newRatio = { defined: false, reason: 'no_clicks' };
    const violation = contract.check(served(report));
    expect(violation!.problems.join('\n')).toMatch(/\/report\/overall.*newRatio/);
  });

  it('refuses a report without a field every version wrote', () => {
    const report = copy();
    omit((report.byChannel as Json[])[0]!.funnel, ['activated']);
    const violation = contract.check(served(report));
    expect(violation!.problems.join('\n')).toMatch(/\/report\/byChannel\/0\/funnel.*'activated'/);
  });

  it('refuses a ratio that is neither a value nor a reason', () => {
    const report = copy();
    (report.overall as Json).cac = { defined: true, value: 'Infinity' };
    expect(contract.check(served(report))).not.toBeNull();
  });
});
