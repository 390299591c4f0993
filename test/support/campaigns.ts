// A campaign created through the API as a marketer creates one: fresh channels and an approved material
// seeded, POST /campaigns answered 201. For tests whose subject is what happens to the campaign after.
import request from 'supertest';
import type { TestContext } from './context';
import { campaignRequest, seedChannels, seedMaterial } from './fixtures';

export async function createCampaign(
  ctx: TestContext,
  opts: { channels?: number; feeMinor?: number; actor?: string; plan?: Record<string, unknown> } = {},
) {
  const channels = await seedChannels(ctx.db, opts.channels ?? 1, { feeMinor: opts.feeMinor });
  const { material, variant, version } = await seedMaterial(ctx.db);
  const post = request(ctx.app).post('/campaigns');
  if (opts.actor !== undefined) post.set('X-Actor', opts.actor);
  const res = await post.send(
    campaignRequest(
      channels.map((c) => c.code),
      material.id,
      opts.plan,
    ),
  );
  expect(res.status).toBe(201);
  return { id: res.body.id as string, channels, material, variant, version };
}
