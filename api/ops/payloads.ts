// Decoding the payloads of workflow history events (activity inputs and results, signal and update
// arguments, search attributes) with the SDK's default data converter, as the workflows encoded them.
// A payload that does not decode (a binary or encrypted encoding) is shown as null, never an error:
// a timeline must still render when one payload is unreadable.
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

type Payload = temporal.api.common.v1.IPayload;

export function decodePayload(payload: Payload | null | undefined): unknown {
  if (!payload) return null;
  try {
    return defaultPayloadConverter.fromPayload(payload);
  } catch {
    return null;
  }
}

/** The first payload of a list (activities, signals and updates here take one argument), decoded. */
export function firstArgument(payloads: temporal.api.common.v1.IPayloads | null | undefined): unknown {
  return decodePayload(payloads?.payloads?.[0]);
}

/** A decoded value as a plain record, for reading named fields; anything else is an empty record. */
export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function stringField(value: unknown, field: string): string | null {
  const v = asRecord(value)[field];
  return typeof v === 'string' ? v : null;
}
