// POST /customers/:ref/erasure — pseudonymises what identifies the customer as a person while keeping the
// facts evaluations count (docs/api/customers.md, "Erasure"):
// - registration attributes are cut down to the coarse profile bands (ageBand from an age, cityTier);
//   everything else (names, phone numbers, exact age, job, balance, free text) is removed;
// - device fingerprint and contact hash are replaced by a one-way pseudonym of themselves, so two
//   registrations that shared one still share one (duplicate detection and its counts stay right);
// - registrations, events, messages, consents and ledger entries keep their customerRef, amounts and
//   times: the customerRef is the bank's own pseudonymous key, and it must stay to keep honouring an
//   opt-out. An evaluation computed after an erasure equals one computed before.
import { createHash } from 'node:crypto';
import type { Db } from '../../db/client';
import { lockCustomerContacts } from '../../activities/contact-reservation';
import { ageBandOf, isAgeBand, isCityTier } from '../../profiles/audience-keys';
import { Prisma } from '../../generated/prisma/client';
import { Problem } from '../problem';

export const PSEUDONYM_PREFIX = 'erased:';

export function pseudonym(value: string | null): string | null {
  if (value === null || value.startsWith(PSEUDONYM_PREFIX)) return value;
  return PSEUDONYM_PREFIX + createHash('sha256').update(`erasure\u0000${value}`, 'utf8').digest('hex');
}

/** The attributes an erased registration keeps: the profile's coarse bands, nothing that names a person. */
export function erasedAttributes(attributes: unknown): Record<string, string> | null {
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) return null;
  const a = attributes as Record<string, unknown>;
  const kept: Record<string, string> = {};
  const age =
    typeof a.age === 'number'
      ? a.age
      : typeof a.age === 'string' && /^\d{1,3}$/.test(a.age)
        ? Number(a.age)
        : null;
  const band = age !== null ? ageBandOf(age) : isAgeBand(a.ageBand) ? a.ageBand : null;
  if (band) kept.ageBand = band;
  if (isCityTier(a.cityTier)) kept.cityTier = a.cityTier;
  return kept;
}

export async function eraseCustomer(db: Db, customerRef: string, actor: string, reason: string | undefined) {
  return db.$transaction(async (tx) => {
    await lockCustomerContacts(tx, customerRef);
    const earlier = await tx.customerErasure.findUnique({ where: { customerRef } });
    if (earlier) {
      return {
        customerRef,
        alreadyErased: true,
        registrations: earlier.registrations,
        erasedAt: earlier.erasedAt.toISOString(),
      };
    }
    const registrations = await tx.registration.findMany({
      where: { customerRef },
      select: { id: true, attributes: true, deviceFingerprint: true, contactHash: true },
    });
    const consents = await tx.consentRecord.count({ where: { customerRef } });
    if (registrations.length === 0 && consents === 0) {
      throw new Problem(404, 'Not Found', 'the system holds nothing about this customer');
    }
    for (const r of registrations) {
      const attributes = erasedAttributes(r.attributes);
      await tx.registration.update({
        where: { id: r.id },
        data: {
          attributes: attributes === null ? Prisma.DbNull : attributes,
          deviceFingerprint: pseudonym(r.deviceFingerprint),
          contactHash: pseudonym(r.contactHash),
        },
      });
    }
    const erasure = await tx.customerErasure.create({
      data: { customerRef, requestedBy: actor, registrations: registrations.length },
    });
    await tx.auditLog.create({
      data: {
        actor,
        action: 'customer.erasure',
        payload: { customerRef, registrations: registrations.length, reason: reason ?? null },
      },
    });
    return {
      customerRef,
      alreadyErased: false,
      registrations: registrations.length,
      erasedAt: erasure.erasedAt.toISOString(),
    };
  });
}
