// What the API shows of materials: each variant with its versions (newest first) and their approval
// state, so a marketer sees which version of which creative is signed off and may be published.
import type { Db } from '../../db/client';
import type { Material, MaterialVariant, MaterialVersion } from '../../generated/prisma/client';
import { notFound } from '../problem';

export function versionView(version: MaterialVersion, variantKey: string) {
  return {
    id: version.id,
    materialId: version.materialId,
    variantKey,
    version: version.version,
    content: version.content,
    contentHash: version.contentHash,
    author: version.author,
    approval: version.approvedBy === null ? 'pending' : 'approved',
    approvedBy: version.approvedBy,
    approvedAt: version.approvedAt,
    createdAt: version.createdAt,
  };
}

type VariantWithVersions = MaterialVariant & { versions: MaterialVersion[] };

export function variantView(variant: VariantWithVersions) {
  const versions = [...variant.versions].sort((a, b) => b.version - a.version);
  return {
    id: variant.id,
    key: variant.key,
    priority: variant.priority,
    rule: variant.rule,
    createdAt: variant.createdAt,
    latestVersion: versions[0]?.version ?? null,
    /** The newest approved version: what a campaign may publish without waiting for sign-off. */
    latestApprovedVersion: versions.find((v) => v.approvedBy !== null)?.version ?? null,
    versions: versions.map((version) => versionView(version, variant.key)),
  };
}

export function materialView(material: Material & { variants: VariantWithVersions[] }) {
  return {
    id: material.id,
    name: material.name,
    createdBy: material.createdBy,
    createdAt: material.createdAt,
    variants: material.variants.map(variantView),
  };
}

export async function loadMaterialView(db: Db, id: string) {
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
) {
  return {
    id: material.id,
    name: material.name,
    createdBy: material.createdBy,
    createdAt: material.createdAt,
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
