// Benchmark fixtures shared by the bench scripts: one material with one approved version.
import type { Db } from '../../db/client';
import { contentHash } from '../../domain/material-content';

export async function seedApprovedMaterial(db: Db) {
  const content = {
    title: 'Open an account',
    body: 'Benchmark material',
    imageRefs: [],
    linkUrl: 'https://bank.example/open',
    callToAction: 'Open',
    styleTags: [],
  };
  const material = await db.material.create({ data: { name: 'bench', createdBy: 'bench' } });
  const variant = await db.materialVariant.create({ data: { materialId: material.id, key: 'default' } });
  const version = await db.materialVersion.create({
    data: {
      materialId: material.id,
      variantId: variant.id,
      version: 1,
      content,
      contentHash: contentHash(content),
      author: 'bench-author',
      approvedBy: 'bench-compliance',
      approvedAt: new Date(),
    },
  });
  return { material, version };
}
