// What the API shows of materials: each variant with its versions (newest first) and their approval
// state, so a marketer sees which version of which creative is signed off and may be published. The
// response schemas are declared here and type the views; the OpenAPI document
// (api/openapi/materials.ts) imports them.
import { z } from 'zod';
import type { Db } from '../../db/client';
import { MaterialContentSchema, type MaterialContent } from '../../domain/material-content';
import type { Material, MaterialVariant, MaterialVersion } from '../../generated/prisma/client';
import { NullableTimestamp, Timestamp, Uuid } from '../openapi/common';
import { notFound } from '../problem';

/** One immutable version of a variant's content, with its compliance approval. */
export const VersionSchema = z.object({
  id: Uuid,
  materialId: Uuid,
  variantKey: z.string(),
  version: z.int(),
  content: MaterialContentSchema,
  contentHash: z.string(),
  author: z.string(),
  approval: z.enum(['pending', 'approved']),
  approvedBy: z.string().nullable(),
  approvedAt: NullableTimestamp,
  createdAt: Timestamp,
});

export const VariantSchema = z.object({
  id: Uuid,
  key: z.string(),
  priority: z.int(),
  rule: z.unknown().meta({ description: 'The targeting rule, or null for the default variant' }),
  createdAt: Timestamp,
  latestVersion: z.int().nullable(),
  latestApprovedVersion: z.int().nullable(),
  versions: z.array(VersionSchema),
});

export const MaterialSchema = z.object({
  id: Uuid,
  name: z.string(),
  createdBy: z.string(),
  createdAt: Timestamp,
  variants: z.array(VariantSchema),
});

export const MaterialSummarySchema = z.object({
  id: Uuid,
  name: z.string(),
  createdBy: z.string(),
  createdAt: Timestamp,
  variants: z.array(
    z.object({
      key: z.string(),
      priority: z.int(),
      isDefault: z.boolean(),
      latestVersion: z.int().nullable(),
      latestApprovedVersion: z.int().nullable(),
    }),
  ),
});
export type VersionView = z.infer<typeof VersionSchema>;
export type VariantView = z.infer<typeof VariantSchema>;
export type MaterialView = z.infer<typeof MaterialSchema>;
export type MaterialSummaryView = z.infer<typeof MaterialSummarySchema>;

export function versionView(version: MaterialVersion, variantKey: string): VersionView {
  return {
    id: version.id,
    materialId: version.materialId,
    variantKey,
    version: version.version,
    // Written only from MaterialContentSchema (api/materials/schemas.ts); the column is JSON.
    content: version.content as MaterialContent,
    contentHash: version.contentHash,
    author: version.author,
    approval: version.approvedBy === null ? 'pending' : 'approved',
    approvedBy: version.approvedBy,
    approvedAt: version.approvedAt?.toISOString() ?? null,
    createdAt: version.createdAt.toISOString(),
  };
}

type VariantWithVersions = MaterialVariant & { versions: MaterialVersion[] };

export function variantView(variant: VariantWithVersions): VariantView {
  const versions = [...variant.versions].sort((a, b) => b.version - a.version);
  return {
    id: variant.id,
    key: variant.key,
    priority: variant.priority,
    rule: variant.rule,
    createdAt: variant.createdAt.toISOString(),
    latestVersion: versions[0]?.version ?? null,
    /** The newest approved version: what a campaign may publish without waiting for sign-off. */
    latestApprovedVersion: versions.find((v) => v.approvedBy !== null)?.version ?? null,
    versions: versions.map((version) => versionView(version, variant.key)),
  };
}

export function materialView(material: Material & { variants: VariantWithVersions[] }): MaterialView {
  return {
    id: material.id,
    name: material.name,
    createdBy: material.createdBy,
    createdAt: material.createdAt.toISOString(),
    variants: material.variants.map(variantView),
  };
}

export async function loadMaterialView(db: Db, id: string): Promise<MaterialView> {
  const material = await db.material.findUnique({
    where: { id },
    include: {
      variants: { orderBy: [{ createdAt: 'asc' }, { key: 'asc' }], include: { versions: true } },
    },
  });
  if (!material) throw notFound('material', id);
  return materialView(material);
}

/** A list row: variants with version numbers only (no content), enough to pick a material. */
export function materialSummary(
  material: Material & {
    variants: (MaterialVariant & { versions: { version: number; approvedBy: string | null }[] })[];
  },
): MaterialSummaryView {
  return {
    id: material.id,
    name: material.name,
    createdBy: material.createdBy,
    createdAt: material.createdAt.toISOString(),
    variants: material.variants.map((variant) => {
      const versions = [...variant.versions].sort((a, b) => b.version - a.version);
      return {
        key: variant.key,
        priority: variant.priority,
        isDefault: variant.rule === null,
        latestVersion: versions[0]?.version ?? null,
        latestApprovedVersion: versions.find((v) => v.approvedBy !== null)?.version ?? null,
      };
    }),
  };
}
