// /materials: the material library — create materials with their variants, add variants and
// immutable versions, read them with their approval state, and record compliance sign-off.
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { actorOf } from '../auth/principal';
import { handle, idempotent } from '../handler';
import { afterCursor, decodeCursor, page, PageQuerySchema } from '../pagination';
import { parseWith } from '../validate';
import { approveVersion } from './approval';
import { addVariant, addVersion, createMaterial } from './material-store';
import { CreateMaterialSchema, NewVersionSchema, VariantInputSchema, VariantKeySchema } from './schemas';
import { loadMaterialView, materialSummary, variantView, versionView } from './views';

const MaterialId = z.uuid('must be a material id (UUID)');
export const IdParams = z.object({ id: MaterialId });
export const VariantParams = z.object({ id: MaterialId, key: VariantKeySchema });
export const VersionParams = z.object({
  id: MaterialId,
  versionId: z.uuid('must be a material version id (UUID)'),
});
export const ListQuery = PageQuerySchema.strict();

export function materialRoutes(db: Db): Router {
  const router = Router();

  router.post(
    '/materials',
    idempotent(db, 'materials.create', async (req, res) => {
      const body = parseWith(CreateMaterialSchema, req.body, 'body');
      const id = await createMaterial(db, body, actorOf(res));
      return { status: 201, headers: { Location: `/materials/${id}` }, body: await loadMaterialView(db, id) };
    }),
  );

  router.get(
    '/materials',
    handle(async (req) => {
      const q = parseWith(ListQuery, req.query, 'query');
      const rows = await db.material.findMany({
        where: afterCursor(decodeCursor(q.cursor)),
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: q.limit + 1,
        include: {
          variants: {
            orderBy: [{ createdAt: 'asc' }, { key: 'asc' }],
            include: { versions: { select: { version: true, approvedBy: true } } },
          },
        },
      });
      const { items, nextCursor } = page(rows, q.limit);
      return { status: 200, body: { items: items.map(materialSummary), nextCursor } };
    }),
  );

  router.get(
    '/materials/:id',
    handle(async (req) => {
      const { id } = parseWith(IdParams, req.params, 'params');
      return { status: 200, body: await loadMaterialView(db, id) };
    }),
  );

  router.post(
    '/materials/:id/variants',
    idempotent(db, 'materials.variants.create', async (req, res) => {
      const { id } = parseWith(IdParams, req.params, 'params');
      const body = parseWith(VariantInputSchema, req.body, 'body');
      const { variant, version } = await addVariant(db, id, body, actorOf(res));
      return {
        status: 201,
        headers: { Location: `/materials/${id}` },
        body: variantView({ ...variant, versions: [version] }),
      };
    }),
  );

  router.post(
    '/materials/:id/variants/:key/versions',
    idempotent(db, 'materials.versions.create', async (req, res) => {
      const { id, key } = parseWith(VariantParams, req.params, 'params');
      const { content } = parseWith(NewVersionSchema, req.body, 'body');
      const { version } = await addVersion(db, id, key, content, actorOf(res));
      return { status: 201, headers: { Location: `/materials/${id}` }, body: versionView(version, key) };
    }),
  );

  router.post(
    '/materials/:id/versions/:versionId/approve',
    idempotent(db, 'materials.versions.approve', async (req, res) => {
      const { id, versionId } = parseWith(VersionParams, req.params, 'params');
      const { version } = await approveVersion(db, id, versionId, actorOf(res));
      const variant = await db.materialVariant.findUniqueOrThrow({ where: { id: version.variantId } });
      return { status: 200, body: versionView(version, variant.key) };
    }),
  );

  return router;
}
