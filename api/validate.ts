// zod validation of bodies, params and query strings, turned into 400 problems naming each field.
import { z } from 'zod';
import { fieldErrors, validationProblem } from './problem';

export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: 'body' | 'query' | 'params',
): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw validationProblem(fieldErrors(result.error, where === 'body' ? '' : where));
  return result.data;
}

/** The body of a POST that takes no input (`{}`): one schema, so the OpenAPI document names it once. */
export const EmptyBody = z.strictObject({});
