// Request bodies for materials: a material with its variants (one creative per audience, picked by
// targeting rules over channel profiles: 人货场), a new variant, a new version of a variant's content.
import { z } from 'zod';
import { TargetingRuleSchema } from '../../channels/targeting';
import { MaterialContentSchema } from '../../domain/material-content';

export const VariantKeySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'a lower-case slug: a-z, 0-9, "-", "_", at most 40 characters');

export const VariantInputSchema = z.strictObject({
  key: VariantKeySchema,
  /** Breaks ties between matching rules (channels/targeting.ts); irrelevant for the default. */
  priority: z.int().min(-1000).max(1000).default(0),
  /** null (or absent): the default variant, shown when no rule matches or a channel has no profile. */
  rule: TargetingRuleSchema.nullable().default(null),
  content: MaterialContentSchema,
});
export type VariantInput = z.infer<typeof VariantInputSchema>;

export const CreateMaterialSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    variants: z.array(VariantInputSchema).min(1).max(50),
  })
  .superRefine(({ variants }, ctx) => {
    // The checks of assertValidVariants, reported on the field that breaks them.
    const firstIndexOfKey = new Map<string, number>();
    let defaultIndex: number | null = null;
    variants.forEach((variant, i) => {
      const first = firstIndexOfKey.get(variant.key);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['variants', i, 'key'],
          message: `duplicate of variants.${first}.key`,
        });
      } else firstIndexOfKey.set(variant.key, i);
      if (variant.rule === null) {
        if (defaultIndex !== null) {
          ctx.addIssue({
            code: 'custom',
            path: ['variants', i, 'rule'],
            message: `variants.${defaultIndex} is already the default (rule null); give this one a rule`,
          });
        } else defaultIndex = i;
      }
    });
  });
export type CreateMaterialRequest = z.infer<typeof CreateMaterialSchema>;

export const NewVersionSchema = z.strictObject({ content: MaterialContentSchema });
