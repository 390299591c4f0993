// OpenAPI entries of the contact policy (api/contact-policy/routes.ts) and of customers' consent, export and
// erasure (api/customers/routes.ts). docs/api/contact-policy.md and docs/api/customers.md have the rules.
import { ContactPolicySchema } from '../../domain/contact-policy';
import { PolicyVersionParams, PolicyVersionsQuery } from '../contact-policy/routes';
import { PolicyVersionPageSchema, PolicyVersionSchema } from '../contact-policy/store';
import {
  ConsentReplySchema,
  ConsentRequestSchema,
  CustomerExportSchema,
  CustomerParams,
  ErasureReplySchema,
  ErasureRequestSchema,
  SuppressionListSchema,
  SuppressionQuery,
} from '../customers/schemas';
import type { RouteDoc } from './registry';

const POLICY_TAG = 'Contact policy';
const CUSTOMERS_TAG = 'Customers and consent';

const policyExample = {
  timeZone: 'Asia/Shanghai',
  frequencyCaps: [
    { scope: 'overall', max: 2, per: 'P7D' },
    { scope: 'per_channel', max: 1, per: 'P1D' },
  ],
  exemptKinds: ['education'],
  quietHours: { start: '21:00', end: '08:00' },
  priorities: {
    default: 0,
    campaigns: [{ campaignId: '7f1c1b9e-3a52-4c1e-9d36-0c8e2f1d5a10', priority: 10 }],
  },
};

const policyVersionExample = {
  version: 3,
  policy: policyExample,
  createdBy: 'mia',
  createdAt: '2026-12-02T06:30:00.000Z',
};

const ifMatch = {
  name: 'If-Match',
  description:
    'The ETag of the version this edit starts from ("0" before any was stored); 428 without it, 412 if stale',
  required: true,
  example: '"2"',
};

const customerExample = {
  customerRef: 'cust-0042',
  erasure: null,
  consents: {
    current: [
      {
        scope: 'all',
        decision: 'opt_out',
        source: 'bank',
        actor: 'consent-hub',
        reason: 'customer called the hotline',
        recordedAt: '2026-12-02T06:31:00.000Z',
      },
    ],
    history: [
      {
        scope: 'all',
        decision: 'opt_out',
        source: 'bank',
        actor: 'consent-hub',
        reason: 'customer called the hotline',
        recordedAt: '2026-12-02T06:31:00.000Z',
      },
    ],
  },
  registrations: [
    {
      campaignId: '7f1c1b9e-3a52-4c1e-9d36-0c8e2f1d5a10',
      campaignName: 'Spring new customers',
      channelCode: 'wechat-bank',
      registeredAt: '2026-11-20T02:00:00.000Z',
      arm: 'treatment',
      cohortKey: '2026-11-20',
      flagReason: null,
      activatedAt: null,
      periodEndsAt: '2026-12-20T02:00:00.000Z',
      deviceFingerprint: 'f3a9…',
      contactHash: null,
      attributes: { age: 29, cityTier: 'tier1' },
    },
  ],
  messages: [
    {
      messageId: 'msg_5b1e…',
      campaignId: '7f1c1b9e-3a52-4c1e-9d36-0c8e2f1d5a10',
      stepId: 'day-1-welcome',
      kind: 'education',
      deliveredAt: '2026-11-21T02:00:00.000Z',
    },
  ],
  withheldMessages: [
    {
      messageId: 'msg_77c0…',
      campaignId: '7f1c1b9e-3a52-4c1e-9d36-0c8e2f1d5a10',
      stepId: 'day-3-nudge',
      channelCode: 'sms',
      reason: 'opted_out',
      decidedAt: '2026-12-02T07:00:00.000Z',
    },
  ],
  events: [
    {
      eventId: 'ev-1',
      campaignId: '7f1c1b9e-3a52-4c1e-9d36-0c8e2f1d5a10',
      type: 'deposit',
      amountMinor: '50000',
      currency: 'CNY',
      occurredAt: '2026-11-22T02:00:00.000Z',
    },
  ],
  eventsTruncated: false,
};

export const contactRoutesDoc: RouteDoc[] = [
  {
    method: 'get',
    path: '/contact-policy',
    tag: POLICY_TAG,
    operationId: 'getContactPolicy',
    summary: 'The contact policy in force across all campaigns (caps, priorities, exempt kinds, quiet hours)',
    responses: {
      200: {
        description: 'The version in force',
        schema: PolicyVersionSchema,
        name: 'ContactPolicyVersion',
        headers: ['ETag'],
        example: policyVersionExample,
      },
    },
  },
  {
    method: 'put',
    path: '/contact-policy',
    tag: POLICY_TAG,
    operationId: 'putContactPolicy',
    summary: 'Store a new version of the contact policy (the old ones stay readable)',
    description:
      'A contradictory policy is refused (400) naming the field that contradicts; a priority naming an unknown campaign is 422. Nothing is stored then.',
    headers: [ifMatch],
    body: { schema: ContactPolicySchema, name: 'ContactPolicy', example: policyExample },
    errors: [412, 422, 428],
    responses: {
      200: {
        description: 'The stored version, now in force',
        schema: PolicyVersionSchema,
        name: 'ContactPolicyVersion',
        headers: ['ETag'],
        example: policyVersionExample,
      },
    },
  },
  {
    method: 'get',
    path: '/contact-policy/versions',
    tag: POLICY_TAG,
    operationId: 'listContactPolicyVersions',
    summary: 'Every stored version, newest first',
    query: PolicyVersionsQuery,
    responses: {
      200: {
        description: 'A page of versions; pass nextBefore as `before` for the next',
        schema: PolicyVersionPageSchema,
        name: 'ContactPolicyVersionPage',
        example: { items: [policyVersionExample], nextBefore: 3 },
      },
    },
  },
  {
    method: 'get',
    path: '/contact-policy/versions/:version',
    tag: POLICY_TAG,
    operationId: 'getContactPolicyVersion',
    summary: 'One stored version',
    params: PolicyVersionParams,
    errors: [404],
    responses: {
      200: {
        description: 'The version',
        schema: PolicyVersionSchema,
        name: 'ContactPolicyVersion',
        headers: ['ETag'],
        example: policyVersionExample,
      },
    },
  },
  {
    method: 'post',
    path: '/customers/:ref/consent',
    tag: CUSTOMERS_TAG,
    operationId: 'recordConsent',
    summary: "Record a customer's opt-in or opt-out, for one channel or for all marketing",
    description:
      'From bank systems (ops key) or a channel system for its own channels only (403 naming channelCode otherwise). Checked per message at delivery: an opt-out stops messages even mid-step.',
    params: CustomerParams,
    body: {
      schema: ConsentRequestSchema,
      name: 'ConsentRequest',
      example: { decision: 'opt_out', reason: 'customer called the hotline' },
    },
    idempotent: true,
    errors: [422],
    responses: {
      201: {
        description: 'Recorded; the consent now in force per scope',
        schema: ConsentReplySchema,
        name: 'ConsentReply',
        example: {
          customerRef: 'cust-0042',
          recorded: customerExample.consents.current[0],
          consents: customerExample.consents.current,
        },
      },
    },
  },
  {
    method: 'get',
    path: '/customers/:ref',
    tag: CUSTOMERS_TAG,
    operationId: 'exportCustomer',
    summary: 'Everything the system holds about one customer (PIPL export)',
    params: CustomerParams,
    errors: [404],
    responses: {
      200: {
        description: 'The export',
        schema: CustomerExportSchema,
        name: 'CustomerExport',
        example: customerExample,
      },
    },
  },
  {
    method: 'post',
    path: '/customers/:ref/erasure',
    tag: CUSTOMERS_TAG,
    operationId: 'eraseCustomer',
    summary: "Pseudonymise a customer's personal attributes; evaluations stay the same",
    params: CustomerParams,
    body: {
      schema: ErasureRequestSchema,
      name: 'ErasureRequest',
      example: { reason: 'request ticket 2026-1187' },
    },
    idempotent: true,
    errors: [404],
    responses: {
      200: {
        description: 'Erased (or erased before: alreadyErased)',
        schema: ErasureReplySchema,
        name: 'ErasureReply',
        example: {
          customerRef: 'cust-0042',
          alreadyErased: false,
          registrations: 1,
          erasedAt: '2026-12-02T07:10:00.000Z',
        },
      },
    },
  },
  {
    method: 'get',
    path: '/suppression-list',
    tag: CUSTOMERS_TAG,
    operationId: 'listSuppressions',
    summary: 'Customers whose consent in force is an opt-out (for all marketing, or for one channel)',
    query: SuppressionQuery,
    responses: {
      200: {
        description: 'A page, by customerRef; pass nextAfter as `after` for the next',
        schema: SuppressionListSchema,
        name: 'SuppressionList',
        example: {
          items: [{ customerRef: 'cust-0042', scope: 'all', since: '2026-12-02T06:31:00.000Z' }],
          nextAfter: null,
        },
      },
    },
  },
];
