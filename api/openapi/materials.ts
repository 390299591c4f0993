// OpenAPI entries of the material library (api/materials/routes.ts): materials, variants, immutable
// versions and their compliance approval. docs/api/registry.md has the rules in full.
// The response schemas are declared beside the views that build them (api/materials/views.ts).
import { IdParams, ListQuery, VariantParams, VersionParams } from '../materials/routes';
import { CreateMaterialSchema, NewVersionSchema, VariantInputSchema } from '../materials/schemas';
import { MaterialSchema, MaterialSummarySchema, VariantSchema, VersionSchema } from '../materials/views';
import { EX, pageOf } from './common';
import type { RouteDoc } from './registry';

const content = {
  title: 'Open an account, get ¥50',
  body: 'Register in two minutes and receive a first-order discount.',
  imageRefs: ['https://cdn.bank.example/banners/welcome.png'],
  linkUrl: 'https://bank.example/open',
  callToAction: 'Open now',
  incentiveText: '¥50 first-order discount',
  styleTags: ['discount'],
};

const youngContent = { ...content, title: '两分钟开户，立减 ¥50', styleTags: ['discount', 'youth'] };
const youngRule = { trait: 'audience.ageBands.18-24', op: 'gte', value: 0.3 };

const versionExample = {
  id: EX.materialVersionId,
  materialId: EX.materialId,
  variantKey: 'default',
  version: 1,
  content,
  contentHash: 'sha256:3f2a9c0e5b1d4f6a8c7e2b0d9f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a',
  author: 'marketer-li',
  approval: 'approved',
  approvedBy: 'compliance-zhao',
  approvedAt: EX.later,
  createdAt: EX.at,
};

const variantExample = {
  id: '1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b',
  key: 'default',
  priority: 0,
  rule: null,
  createdAt: EX.at,
  latestVersion: 1,
  latestApprovedVersion: 1,
  versions: [versionExample],
};

const materialExample = {
  id: EX.materialId,
  name: 'Spring account opening',
  createdBy: 'marketer-li',
  createdAt: EX.at,
  variants: [variantExample],
};

const TAG = 'Materials';

export const materialRoutesDoc: RouteDoc[] = [
  {
    method: 'post',
    path: '/materials',
    tag: TAG,
    operationId: 'createMaterial',
    summary: 'Create a material with its variants (one default, the others chosen by targeting rules)',
    body: {
      schema: CreateMaterialSchema,
      name: 'CreateMaterialRequest',
      example: {
        name: 'Spring account opening',
        variants: [
          { key: 'default', content },
          { key: 'young', priority: 10, rule: youngRule, content: youngContent },
        ],
      },
    },
    idempotent: true,
    responses: {
      201: {
        description: 'Created',
        schema: MaterialSchema,
        name: 'Material',
        headers: ['Location'],
        example: materialExample,
      },
    },
  },
  {
    method: 'get',
    path: '/materials',
    tag: TAG,
    operationId: 'listMaterials',
    summary: 'List materials, newest first (variants with version numbers, no content)',
    query: ListQuery,
    responses: {
      200: {
        description: 'A page of materials',
        schema: pageOf(MaterialSummarySchema),
        example: {
          items: [
            {
              id: EX.materialId,
              name: 'Spring account opening',
              createdBy: 'marketer-li',
              createdAt: EX.at,
              variants: [
                { key: 'default', priority: 0, isDefault: true, latestVersion: 1, latestApprovedVersion: 1 },
              ],
            },
          ],
          nextCursor: null,
        },
      },
    },
  },
  {
    method: 'get',
    path: '/materials/:id',
    tag: TAG,
    operationId: 'getMaterial',
    summary: 'Read a material with every variant and version and their approval state',
    params: IdParams,
    errors: [404],
    responses: {
      200: {
        description: 'The material',
        schema: MaterialSchema,
        name: 'Material',
        example: materialExample,
      },
    },
  },
  {
    method: 'post',
    path: '/materials/:id/variants',
    tag: TAG,
    operationId: 'addVariant',
    summary: 'Add a variant (with its first version)',
    params: IdParams,
    body: {
      schema: VariantInputSchema,
      name: 'VariantInput',
      example: { key: 'young', priority: 10, rule: youngRule, content: youngContent },
    },
    idempotent: true,
    errors: [404, 409],
    responses: {
      201: {
        description: 'The variant',
        schema: VariantSchema,
        headers: ['Location'],
        example: {
          ...variantExample,
          key: 'young',
          priority: 10,
          rule: youngRule,
          latestApprovedVersion: null,
          versions: [
            {
              ...versionExample,
              variantKey: 'young',
              content: youngContent,
              approval: 'pending',
              approvedBy: null,
              approvedAt: null,
            },
          ],
        },
      },
    },
  },
  {
    method: 'post',
    path: '/materials/:id/variants/:key/versions',
    tag: TAG,
    operationId: 'addVersion',
    summary: "Add a new immutable version of a variant's content (needs approval before publishing)",
    params: VariantParams,
    body: { schema: NewVersionSchema, name: 'NewVersionRequest', example: { content } },
    idempotent: true,
    errors: [404],
    responses: {
      201: {
        description: 'The version',
        schema: VersionSchema,
        name: 'MaterialVersion',
        headers: ['Location'],
        example: { ...versionExample, version: 2, approval: 'pending', approvedBy: null, approvedAt: null },
      },
    },
  },
  {
    method: 'post',
    path: '/materials/:id/versions/:versionId/approve',
    tag: TAG,
    operationId: 'approveVersion',
    summary: 'Record the compliance approval of a version (four eyes: not by its author)',
    description:
      '403 when the approver is the author or is unnamed; 409 when another person approved it already.',
    params: VersionParams,
    idempotent: true,
    errors: [404, 409],
    responses: {
      200: {
        description: 'The approved version',
        schema: VersionSchema,
        name: 'MaterialVersion',
        example: versionExample,
      },
    },
  },
];
