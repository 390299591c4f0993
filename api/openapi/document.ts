// The API's OpenAPI 3.1 document, assembled once from every resource's route documentation.
import { adjustmentRoutesDoc } from './adjustments';
import { apiKeyRoutesDoc } from './api-keys';
import { campaignRoutesDoc } from './campaigns';
import { channelRoutesDoc } from './channels';
import { contactRoutesDoc } from './contact';
import { evaluationRoutesDoc } from './evaluation';
import { funnelRoutesDoc } from './funnel';
import { materialRoutesDoc } from './materials';
import { opsRoutesDoc } from './ops';
import { pacingRoutesDoc } from './pacing';
import { placementRoutesDoc } from './placements';
import { planningRoutesDoc } from './planning';
import { buildOpenApiDocument, type RouteDoc } from './registry';
import { systemRoutesDoc } from './system';

export const ROUTE_DOCS: readonly RouteDoc[] = [
  ...campaignRoutesDoc,
  ...pacingRoutesDoc,
  ...opsRoutesDoc,
  ...placementRoutesDoc,
  ...funnelRoutesDoc,
  ...adjustmentRoutesDoc,
  ...evaluationRoutesDoc,
  ...planningRoutesDoc,
  ...channelRoutesDoc,
  ...materialRoutesDoc,
  ...apiKeyRoutesDoc,
  ...contactRoutesDoc,
  ...systemRoutesDoc,
];

const DESCRIPTION = `Campaign orchestration for bank customer acquisition: register channels and materials, launch
multi-channel campaigns that run as Temporal workflows, ingest registrations and customer events, and evaluate
AAC / CAC / LROI per channel.

Conventions: JSON bodies (at most 1 MB; 415 for another media type); every error is
\`application/problem+json\` (RFC 9457) and a 400 names each invalid field in \`errors\`; lists are
cursor-paginated (\`limit\`, \`cursor\` → \`nextCursor\`); POSTs that create or trigger something accept
\`Idempotency-Key\`; every response carries \`X-Request-Id\`. Authenticate with an API key
(\`Authorization: Bearer <key>\` or \`X-Api-Key\`); each operation names the roles that may call it.`;

let cached: Record<string, unknown> | null = null;

export function openApiDocument(): Record<string, unknown> {
  cached ??= buildOpenApiDocument(ROUTE_DOCS, {
    title: 'Campaign orchestrator API',
    version: '0.1.0',
    description: DESCRIPTION,
    tags: [
      { name: 'Campaigns', description: 'Create, read and steer campaigns and their workflows' },
      { name: 'Operations', description: 'Workflow status, timelines and the audit log' },
      { name: 'Placements', description: 'Placement consistency, material changes, offline tasks' },
      { name: 'Funnel', description: 'Registrations, customer events, funnel, journeys, cohorts' },
      {
        name: 'Adjustments',
        description: 'Fraud flags with their clawback, and cost corrections: signed adjustment entries',
      },
      { name: 'Evaluation', description: 'AAC / CAC / LROI reports and channel comparison' },
      { name: 'Planning', description: 'Allocation plans: how a budget should split across channels' },
      { name: 'Channels', description: 'The channel registry' },
      { name: 'Channel profiles', description: 'Channel profiles (渠道画像), internal and external' },
      { name: 'Materials', description: 'Materials, variants, versions and compliance approval' },
      { name: 'API keys', description: 'API keys and their roles (admin)' },
      { name: 'System', description: 'Health, this description, metrics, the console' },
    ],
  });
  return cached;
}
