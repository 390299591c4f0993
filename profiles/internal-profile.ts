// A channel's INTERNAL profile (内建画像): the audience traits of the customers it brought and their
// activation and revenue performance, computed from the system's own registrations, attributes and ledger,
// and stored as a new ChannelProfile version with source 'internal'. Works the same for live campaigns and
// for history imported from files (importers/), which is how a bank builds profiles from past campaigns.
import type { Db } from '../db/client';
import {
  ChannelProfileTraitsSchema,
  type AgeBand,
  type ChannelProfileTraits,
  type CityTier,
} from '../domain/channel-profile';
import { rational, toDecimalString } from '../evaluation/rational';
import type { Channel, ChannelProfile } from '../generated/prisma/client';
import { recordProfile } from './profile-versions';
import { ageBandOf, isAgeBand, isCityTier, jobShareKey } from './audience-keys';
import {
  attributeCounts,
  fraudFlagCount,
  revenueByCurrency,
  type AttributeCountRow,
} from './internal-profile-sql';

/** The channel brought no valid registration in any campaign: there is nothing to profile. */
export class NoHistoryError extends Error {}

/** Job titles beyond this many (by count) are summed into jobShare_other, keeping the profile readable. */
export const MAX_JOB_KEYS = 40;
/** The basis names at most this many campaign ids (it is limited to 10,000 characters). */
const MAX_BASIS_CAMPAIGN_IDS = 100;

export interface InternalProfileBasis {
  readonly method: 'internal-v1';
  readonly computedFrom: string;
  readonly campaignIds: string[];
  readonly campaigns: number;
  readonly registrations: number;
  readonly currency: string;
  [key: string]: string | number | string[];
}

export interface ComputedInternalProfile {
  readonly traits: ChannelProfileTraits;
  readonly basis: InternalProfileBasis;
}

const count = (value: bigint | null) => Number(value ?? 0n);

/** Decimal places of every share and rate in the profile. */
export const PROFILE_DECIMAL_PLACES = 6;
const SCALE = 10n ** BigInt(PROFILE_DECIMAL_PLACES);

/**
 * A share of the audience, rounded DOWN to 6 decimal places: the profile schema requires the shares of a
 * breakdown to sum to at most 1, which rounding to nearest could break. Short decimals also survive the
 * JSON column unchanged (a 17-digit double does not always come back bit-identical).
 */
function shareOf(part: number, whole: number): number {
  return Number((BigInt(part) * SCALE) / BigInt(whole)) / Number(SCALE);
}

/** A rate (not part of a breakdown): rounded half to even to 6 decimal places, like the evaluation's ratios. */
function rateOf(part: number, whole: number): number {
  return Number(toDecimalString(rational(part, whole), PROFILE_DECIMAL_PLACES));
}

/** Half-even rounding of an exact quotient to an integer (balances are integer minor units). */
function roundedQuotient(numerator: bigint, denominator: bigint): number {
  return Number(toDecimalString(rational(numerator, denominator), 0));
}

function shares<K extends string>(counts: Map<K, number>): Partial<Record<K, number>> | undefined {
  let known = 0;
  for (const value of counts.values()) known += value;
  if (known === 0) return undefined;
  const result: Partial<Record<K, number>> = {};
  for (const [key, value] of counts) result[key] = shareOf(value, known);
  return result;
}

function addCount<K>(map: Map<K, number>, key: K, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

/** Job shares over registrations whose job is known, as performance keys (the schema has no job field). */
function jobShares(rows: AttributeCountRow[]): Record<string, number> {
  const jobs = rows
    .filter((row) => row.dimension === 'job' && row.value !== null)
    .map((row) => ({ key: jobShareKey(row.value as string), registrations: count(row.registrations) }))
    .sort((a, b) => b.registrations - a.registrations || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const byKey = new Map<string, number>();
  jobs.forEach((job, index) =>
    addCount(byKey, index < MAX_JOB_KEYS ? job.key : 'jobShare_other', job.registrations),
  );
  return (shares(byKey) ?? {}) as Record<string, number>;
}

/** The currency most of the channel's registrations were acquired in (ties: code order). */
function mainCurrency(rows: AttributeCountRow[]): AttributeCountRow | undefined {
  return rows
    .filter((row) => row.dimension === 'currency' && row.value !== null)
    .sort(
      (a, b) =>
        count(b.registrations) - count(a.registrations) || ((a.value ?? '') < (b.value ?? '') ? -1 : 1),
    )[0];
}

export async function computeInternalProfile(db: Db, channel: Channel): Promise<ComputedInternalProfile> {
  const links = await db.campaignChannel.findMany({
    where: { channelId: channel.id },
    select: { campaignId: true },
    orderBy: { campaignId: 'asc' },
  });
  const campaignIds = links.map((link) => link.campaignId);
  const rows = campaignIds.length === 0 ? [] : await attributeCounts(db, channel.id, campaignIds);
  const total = rows.find((row) => row.dimension === 'total');
  const registrations = count(total?.registrations ?? null);
  if (!total || registrations === 0) {
    throw new NoHistoryError(
      `channel ${channel.code} has no valid registrations to build an internal profile from`,
    );
  }
  const activations = count(total.activated);

  const ageBands = new Map<AgeBand, number>();
  const cityTiers = new Map<CityTier, number>();
  for (const row of rows) {
    if (row.value === null) continue;
    const band =
      row.dimension === 'age' ? ageBandOf(Number(row.value)) : row.dimension === 'ageBand' ? row.value : null;
    if (isAgeBand(band)) addCount(ageBands, band, count(row.registrations));
    if (row.dimension === 'cityTier' && isCityTier(row.value))
      addCount(cityTiers, row.value, count(row.registrations));
  }
  let ageKnown = 0;
  for (const value of ageBands.values()) ageKnown += value;

  // Every registration belongs to a campaign with a currency, so the currency rows cover the total.
  const main = mainCurrency(rows);
  if (!main?.value) throw new Error(`channel ${channel.code}: registrations without a campaign currency`);
  const currency = main.value;
  const performance: Record<string, number | string> = {
    registrations,
    activations,
    // For customers already registered, "converted" and "activated" are the same event: the share of
    // registrations that met the activation rule (for imported phone history: subscribed the deposit).
    conversionRate: rateOf(activations, registrations),
    activationRate: rateOf(activations, registrations),
    currency,
    campaigns: campaignIds.length,
    ageBandCoverage: rateOf(ageKnown, registrations),
    ...jobShares(rows),
  };
  // Fraud found after the fact: flagged ÷ (valid + flagged), the evaluation's fraudRate over every campaign.
  const fraudFlagged = count(await fraudFlagCount(db, channel.id, campaignIds));
  performance.fraudFlagged = fraudFlagged;
  performance.fraudRate = rateOf(fraudFlagged, registrations + fraudFlagged);

  if (count(main.balanceCustomers) > 0) {
    performance.avgBalanceMinor = roundedQuotient(main.balanceSumMinor ?? 0n, main.balanceCustomers);
    performance.medianBalanceMinor = count(main.balanceMedianMinor);
    performance.balanceCustomers = count(main.balanceCustomers);
  }
  const revenue = (await revenueByCurrency(db, channel.id, campaignIds)).find(
    (row) => row.currency === currency,
  );
  const revenueMinor = revenue?.revenueMinor ?? 0n;
  performance.periodRevenueMinor = Number(revenueMinor);
  // Exact quotient rendered to 4 decimal places of a minor unit, like the evaluation's money per customer.
  performance.revenuePerCustomerMinor = Number(
    toDecimalString(rational(revenueMinor, main.registrations), 4),
  );

  const audience: NonNullable<ChannelProfileTraits['audience']> = {};
  const ageShares = shares(ageBands);
  if (ageShares) audience.ageBands = ageShares;
  const tierShares = shares(cityTiers);
  if (tierShares) audience.cityTiers = tierShares;

  const traits = ChannelProfileTraitsSchema.parse({
    ...(Object.keys(audience).length > 0 ? { audience } : {}),
    performance,
  });
  return {
    traits,
    basis: {
      method: 'internal-v1',
      computedFrom:
        'valid registrations (flagReason null) the channel brought in the campaigns linked to it, their attributes ' +
        '(age or ageBand, job, cityTier, balanceMinor), activation, and period revenue from the ledger; the fraud ' +
        'rate from the registrations flagged after the fact (FraudFlag) ÷ (valid + flagged); balance and ' +
        'revenue figures over the campaigns in the main currency only',
      campaignIds: campaignIds.slice(0, MAX_BASIS_CAMPAIGN_IDS),
      campaigns: campaignIds.length,
      registrations,
      currency,
    },
  };
}

/** Computes the profile and appends it as the channel's next profile version (source 'internal'). */
export async function recordInternalProfile(
  db: Db,
  channel: Channel,
  now: Date,
  actor: string,
): Promise<ChannelProfile> {
  const { traits, basis } = await computeInternalProfile(db, channel);
  return recordProfile(db, channel, { source: 'internal', asOf: now.toISOString(), traits, basis }, actor);
}
