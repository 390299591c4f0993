// Writes to the material library: a material with its variants, a new variant, a new version of a
// variant. Versions are immutable (publishing proves by content hash that every channel shows the same
// one), so "changing" content means appending version max+1; approval is the only later write
// (approval.ts). Every write has its audit row in the same transaction.
import type { Db } from '../../db/client';
import { assertValidVariants, TargetingError, type TargetingRule } from '../../channels/targeting';
import { contentHash, type MaterialContent } from '../../domain/material-content';
import { Prisma, type MaterialVariant, type MaterialVersion } from '../../generated/prisma/client';
import { conflict, notFound, Problem } from '../problem';
import { isUniqueViolation, retryOnUniqueViolation } from '../../db/unique-violation';
import type { CreateMaterialRequest, VariantInput } from './schemas';

type Tx = Prisma.TransactionClient;

/** A rule is stored as JSON; the default variant stores SQL NULL (not JSON null) so it can be queried. */
const ruleColumn = (rule: TargetingRule | null) =>
  rule === null ? Prisma.DbNull : (rule as Prisma.InputJsonValue);

async function insertVariant(tx: Tx, materialId: string, input: VariantInput, author: string) {
  const variant = await tx.materialVariant.create({
    data: { materialId, key: input.key, priority: input.priority, rule: ruleColumn(input.rule) },
  });
  const version = await tx.materialVersion.create({
    data: {
      materialId,
      variantId: variant.id,
      version: 1,
      content: input.content,
      contentHash: contentHash(input.content),
      author,
    },
  });
  return { variant, version };
}

export async function createMaterial(
  db: Db,
  request: CreateMaterialRequest,
  author: string,
): Promise<string> {
  return db.$transaction(async (tx) => {
    const material = await tx.material.create({ data: { name: request.name, createdBy: author } });
    const created = [];
    for (const input of request.variants) created.push(await insertVariant(tx, material.id, input, author));
    await tx.auditLog.create({
      data: {
        actor: author,
        action: 'material.create',
        payload: {
          materialId: material.id,
          name: material.name,
          variants: created.map(({ variant, version }) => ({
            key: variant.key,
            versionId: version.id,
            contentHash: version.contentHash,
          })),
        },
      },
    });
    return material.id;
  });
}

export async function addVariant(
  db: Db,
  materialId: string,
  input: VariantInput,
  author: string,
): Promise<{ variant: MaterialVariant; version: MaterialVersion }> {
  try {
    return await db.$transaction(async (tx) => {
      // Serialise variant additions per material: "at most one default" spans rows, no index holds it.
      const locked = await tx.$queryRaw<
        { id: string }[]
      >`SELECT id FROM "Material" WHERE id = ${materialId} FOR UPDATE`;
      if (locked.length === 0) throw notFound('material', materialId);
      const existing = await tx.materialVariant.findMany({ where: { materialId } });
      try {
        assertValidVariants([
          ...existing.map((v) => ({
            key: v.key,
            priority: v.priority,
            rule: v.rule as TargetingRule | null,
          })),
          { key: input.key, priority: input.priority, rule: input.rule },
        ]);
      } catch (err) {
        if (err instanceof TargetingError)
          throw conflict(`the material's variants would be invalid: ${err.message}`);
        throw err;
      }
      const created = await insertVariant(tx, materialId, input, author);
      await tx.auditLog.create({
        data: {
          actor: author,
          action: 'material_variant.create',
          payload: {
            materialId,
            key: input.key,
            versionId: created.version.id,
            contentHash: created.version.contentHash,
          },
        },
      });
      return created;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`the material already has a variant "${input.key}"`);
    throw err;
  }
}

/**
 * Appends version max+1 of a variant. Content identical to the latest version is refused: a new
 * version would republish the same creative to every channel for nothing.
 */
export async function addVersion(
  db: Db,
  materialId: string,
  variantKey: string,
  content: MaterialContent,
  author: string,
): Promise<{ variant: MaterialVariant; version: MaterialVersion }> {
  const hash = contentHash(content);
  return retryOnUniqueViolation(() =>
    db.$transaction(async (tx) => {
      const variant = await tx.materialVariant.findUnique({
        where: { materialId_key: { materialId, key: variantKey } },
        include: { versions: { orderBy: { version: 'desc' }, take: 1 } },
      });
      if (!variant)
        throw new Problem(404, 'Not Found', `material ${materialId} has no variant "${variantKey}"`);
      const latest = variant.versions[0];
      if (latest && latest.contentHash === hash) {
        throw conflict(`nothing changed: the content is identical to version ${latest.version}`, {
          versionId: latest.id,
          contentHash: hash,
        });
      }
      const version = await tx.materialVersion.create({
        data: {
          materialId,
          variantId: variant.id,
          version: (latest?.version ?? 0) + 1,
          content,
          contentHash: hash,
          author,
        },
      });
      await tx.auditLog.create({
        data: {
          actor: author,
          action: 'material_version.create',
          payload: {
            materialId,
            key: variantKey,
            versionId: version.id,
            version: version.version,
            contentHash: hash,
          },
        },
      });
      const { versions: _latest, ...variantRow } = variant;
      return { variant: variantRow, version };
    }),
  );
}
