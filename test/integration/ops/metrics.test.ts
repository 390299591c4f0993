// GET /metrics after a few requests through the real app: latency histograms labelled by route pattern
// (never the raw path), ingest counts by outcome, workflow starts; public, in Prometheus text format.
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { createTestContext, type TestContext } from '../../support/context';
import { campaignRequest, seedChannels, seedMaterial } from '../../support/fixtures';
import { postRegistrations, registration, seedCampaign } from '../funnel/fixtures';
import { campaignWorkflowId } from '../../../workflows/ids';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.stop());

/** The value of one sample line, e.g. `name{a="b"} 3`; undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('counts requests by route pattern, ingest items by outcome and workflow starts', async () => {
    const unknown = randomUUID();
    expect((await request(ctx.app).get(`/campaigns/${unknown}`)).status).toBe(404);
    expect((await request(ctx.app).get(`/campaigns/${randomUUID()}`)).status).toBe(404);
    expect((await request(ctx.app).get('/healthz')).status).toBe(200);
    expect((await request(ctx.app).get('/no/such/route')).status).toBe(404);

    const channels = (await seedChannels(ctx.db, 1)).map((c) => c.code);
    const materialId = (await seedMaterial(ctx.db)).material.id;
    const created = await request(ctx.app).post('/campaigns').send(campaignRequest(channels, materialId));
    expect(created.status).toBe(201);

    const funnel = await seedCampaign(ctx.db);
    const stored = await postRegistrations(ctx.app, funnel.id, {
      items: [
        registration(funnel),
        registration(funnel),
        registration(funnel, { channelCode: 'not-this-campaigns-channel' }),
      ],
    });
    expect(stored.status).toBe(200);
    expect(stored.body.summary).toMatchObject({ accepted: 2, rejected: 1 });

    const res = await request(ctx.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;

    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(
      sample(text, 'http_request_duration_seconds_count{method="GET",route="/campaigns/:id",status="404"}'),
    ).toBe(2);
    expect(
      sample(text, 'http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}'),
    ).toBe(1);
    expect(
      sample(text, 'http_request_duration_seconds_count{method="POST",route="/campaigns",status="201"}'),
    ).toBe(1);
    expect(
      sample(text, 'http_request_duration_seconds_count{method="GET",route="(unmatched)",status="404"}'),
    ).toBe(1);
    expect(
      sample(
        text,
        'http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/campaigns/:id",status="404"}',
      ),
    ).toBe(2);
    // Raw paths never become labels.
    expect(text).not.toContain(unknown);
    expect(text).not.toContain('/no/such/route');

    expect(sample(text, 'funnel_ingest_items_total{kind="registration",outcome="accepted"}')).toBe(2);
    expect(sample(text, 'funnel_ingest_items_total{kind="registration",outcome="rejected"}')).toBe(1);
    expect(
      sample(text, 'campaign_workflow_starts_total{workflow_type="campaignWorkflow",outcome="started"}'),
    ).toBe(1);
    expect(text).toContain('process_cpu_seconds_total');

    await ctx.temporal.client.workflow.getHandle(campaignWorkflowId(created.body.id)).terminate('test done');
  });
});
