// The facts a batch of registrations is judged against, fetched in a handful of bulk queries (one per kind
// of fact, each over the whole batch) instead of a few queries per item: at 100,000 registrations the
// difference is minutes. Run inside the batch's transaction, after the campaign's registration lock.
import { ledgerTotal } from '../../db/ledger-totals';
import { Prisma } from '../../generated/prisma/client';
import type { FunnelCampaign } from './campaign-context';
import { readChannelBudgets, type ChannelBudgets } from './channel-budget';
import type { Tx } from './campaign-lock';
import type { RegistrationItem } from './registration-schema';

/** Registrations from one device fingerprint within this window (across live campaigns) form a burst... */
export const FINGERPRINT_BURST_WINDOW_MS = 10 * 60 * 1000;
/** ...when there are at least this many, the new one included. */
export const FINGERPRINT_BURST_THRESHOLD = 5;

export interface StoredRegistration {
  id: string;
  customerRef: string;
  flagReason: string | null;
  arm: string;
  cohortKey: string;
}

export interface Owner {
  registrationId: string;
  customerRef: string;
}

export interface RegistrationLookups {
  /** This campaign's registrations of the batch's customers: a repeat is answered with them. */
  inCampaign: Map<string, StoredRegistration>;
  /** This campaign's registrations by contact hash and by device fingerprint. */
  contactOwners: Map<string, Owner[]>;
  deviceOwners: Map<string, Owner[]>;
  /** Customers the bank lists as existing. */
  existingCustomers: Set<string>;
  /** Customers registered in another live campaign (imported history is another population). */
  registeredElsewhere: Set<string>;
  /** registeredAt (ms) of every live registration per fingerprint, around the batch's times. */
  fingerprintTimes: Map<string, number[]>;
  /** This campaign's placements named by the batch (by its items or their touches). */
  placements: Map<string, { channelId: string; materialVersionId: string; variantKey: string }>;
  /** The named material versions that belong to the campaign's material. */
  campaignMaterialVersions: Set<string>;
  /** Acquisition cost so far in the campaign's currency; null when the plan has no budget cap. */
  acquisitionSpentMinor: bigint | null;
  /** Per-channel caps and spend (plan.pacing), by channel id; empty without pacing. */
  channelBudgets: ChannelBudgets;
}

const distinct = (values: (string | undefined)[]) => [...new Set(values.filter((v): v is string => !!v))];

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export async function lookUpRegistrationFacts(
  tx: Tx,
  campaign: FunnelCampaign,
  items: readonly RegistrationItem[],
): Promise<RegistrationLookups> {
  const refs = distinct(items.map((i) => i.customerRef));
  const contacts = distinct(items.map((i) => i.contactHash));
  const devices = distinct(items.map((i) => i.deviceFingerprint));
  const placementIds = distinct(
    items.flatMap((i) => [i.placementId, ...(i.touches ?? []).map((t) => t.placementId)]),
  );
  const versionIds = distinct(items.map((i) => i.materialVersionId));
  const times = items.filter((i) => i.deviceFingerprint).map((i) => Date.parse(i.registeredAt));
  const none = Promise.resolve([]);
  const id = campaign.id;

  // Raw SQL with one array parameter per list (`= ANY($1::text[])`): Prisma's `in` binds one parameter
  // per value, which for 1,000 values costs more than the query itself.
  const [inCampaign, owners, existing, elsewhere, burst, placements, versions, spent, channelBudgets] =
    await Promise.all([
      refs.length === 0
        ? none
        : tx.$queryRaw<StoredRegistration[]>(Prisma.sql`
          SELECT id, "customerRef", "flagReason", arm, "cohortKey" FROM "Registration"
           WHERE "campaignId" = ${id} AND "customerRef" = ANY(${refs}::text[])`),
      contacts.length + devices.length === 0
        ? none
        : tx.$queryRaw<
            {
              id: string;
              customerRef: string;
              contactHash: string | null;
              deviceFingerprint: string | null;
            }[]
          >(
            Prisma.sql`
          SELECT id, "customerRef", "contactHash", "deviceFingerprint" FROM "Registration"
           WHERE "campaignId" = ${id}
             AND ("contactHash" = ANY(${contacts}::text[]) OR "deviceFingerprint" = ANY(${devices}::text[]))`,
          ),
      refs.length === 0
        ? none
        : tx.$queryRaw<{ customerRef: string }[]>(Prisma.sql`
          SELECT "customerRef" FROM "ExistingCustomer" WHERE "customerRef" = ANY(${refs}::text[])`),
      refs.length === 0
        ? none
        : tx.$queryRaw<{ customerRef: string }[]>(Prisma.sql`
          SELECT DISTINCT r."customerRef" FROM "Registration" r JOIN "Campaign" c ON c.id = r."campaignId"
           WHERE r."customerRef" = ANY(${refs}::text[]) AND r."campaignId" <> ${id} AND c.origin = 'live'`),
      devices.length === 0
        ? none
        : tx.$queryRaw<{ deviceFingerprint: string; atMs: number }[]>(Prisma.sql`
          SELECT r."deviceFingerprint", (EXTRACT(EPOCH FROM r."registeredAt") * 1000)::float8 AS "atMs"
            FROM "Registration" r JOIN "Campaign" c ON c.id = r."campaignId"
           WHERE r."deviceFingerprint" = ANY(${devices}::text[]) AND c.origin = 'live'
             AND r."registeredAt" >= (${new Date(Math.min(...times) - FINGERPRINT_BURST_WINDOW_MS).toISOString()}::timestamptz AT TIME ZONE 'UTC')
             AND r."registeredAt" <= (${new Date(Math.max(...times)).toISOString()}::timestamptz AT TIME ZONE 'UTC')`),
      placementIds.length === 0
        ? none
        : tx.$queryRaw<{ id: string; channelId: string; materialVersionId: string; variantKey: string }[]>(
            Prisma.sql`
          SELECT id, "channelId", "materialVersionId", "variantKey" FROM "Placement"
           WHERE "campaignId" = ${id} AND id = ANY(${placementIds}::text[])`,
          ),
      versionIds.length === 0 || !campaign.materialId
        ? none
        : tx.$queryRaw<{ id: string }[]>(Prisma.sql`
          SELECT id FROM "MaterialVersion" WHERE "materialId" = ${campaign.materialId} AND id = ANY(${versionIds}::text[])`),
      // The running total (db/ledger-totals.ts), not a sum over every entry of the campaign per batch.
      campaign.plan.acquisitionBudgetMinor === null
        ? Promise.resolve(null)
        : ledgerTotal(tx, {
            campaignId: id,
            kind: 'cost',
            scope: 'acquisition',
            currency: campaign.plan.currency,
          }),
      readChannelBudgets(tx, campaign),
    ]);

  const lookups: RegistrationLookups = {
    inCampaign: new Map(inCampaign.map((r) => [r.customerRef, r])),
    contactOwners: new Map(),
    deviceOwners: new Map(),
    existingCustomers: new Set(existing.map((e) => e.customerRef)),
    registeredElsewhere: new Set(elsewhere.map((r) => r.customerRef)),
    fingerprintTimes: new Map(),
    placements: new Map(placements.map((p) => [p.id, p])),
    campaignMaterialVersions: new Set(versions.map((v) => v.id)),
    acquisitionSpentMinor: spent,
    channelBudgets,
  };
  for (const owner of owners) {
    const who = { registrationId: owner.id, customerRef: owner.customerRef };
    if (owner.contactHash) push(lookups.contactOwners, owner.contactHash, who);
    if (owner.deviceFingerprint) push(lookups.deviceOwners, owner.deviceFingerprint, who);
  }
  for (const row of burst) push(lookups.fingerprintTimes, row.deviceFingerprint, Number(row.atMs));
  return lookups;
}
