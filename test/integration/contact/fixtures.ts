// Shared by the contact-policy tests: the deployment-wide policy is written through the API, as a
// marketer, over the version the test has just read.
import type { Express } from 'express';
import request from 'supertest';

export const asMarketer = { 'X-Role': 'marketer', 'X-Actor': 'mia' };

/** Stores `policy` as the version after `version` (If-Match), and expects the API to accept it. */
export async function putContactPolicy(app: Express, policy: object, version: number) {
  const res = await request(app)
    .put('/contact-policy')
    .set(asMarketer)
    .set('If-Match', `"${version}"`)
    .send(policy);
  expect(res.status).toBe(200);
  return res.body as { version: number };
}
