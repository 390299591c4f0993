// What a channel's audience (渠道画像, the profile's audience traits) does to its prospects' behaviour:
// multipliers on the base propensities and the base amounts (traffic/model.ts, AUDIENCE), and the
// attributes a registration reports (age band, city tier) drawn from the profile's shares. Pure.
import type { z } from 'zod';
import {
  AGE_BANDS,
  CITY_TIERS,
  type AudienceTraitsSchema,
  type AgeBand,
  type CityTier,
  type Level,
} from '../domain/channel-profile';
import { AUDIENCE, BEHAVIOUR } from './model';
import { weightedPick } from './random';

export type AudienceTraits = z.infer<typeof AudienceTraitsSchema>;

export interface AudienceEffect {
  start: number;
  login: number;
  deposit: number;
  transaction: number;
  /** Base amounts in minor units, before each customer's own draw. */
  depositMinor: number;
  transactionMinor: number;
}

function shareOf<K extends string>(shares: Partial<Record<K, number>> | undefined, keys: readonly K[]) {
  return keys.reduce((sum, key) => sum + (shares?.[key] ?? 0), 0);
}

export function audienceEffect(audience: AudienceTraits | null): AudienceEffect {
  const pay: Level = audience?.willingnessToPay ?? 'medium';
  const price: Level = audience?.priceSensitivity ?? 'medium';
  const financeMinded = (audience?.interests ?? []).some((tag) =>
    (AUDIENCE.financeInterests as readonly string[]).includes(tag),
  );
  const older = shareOf(audience?.ageBands, AUDIENCE.olderBands);
  const bigCities = audience?.cityTiers ? shareOf(audience.cityTiers, AUDIENCE.largeCityTiers) : 1 / 3;
  return {
    start: AUDIENCE.priceSensitivityStart[price],
    login: financeMinded ? AUDIENCE.financeInterestLogin : 1,
    deposit: AUDIENCE.willingnessToPay[pay] * AUDIENCE.priceSensitivityDeposit[price],
    transaction: AUDIENCE.willingnessToPay[pay] * (0.9 + 0.3 * bigCities),
    depositMinor: Math.round(BEHAVIOUR.depositMinor[pay] * (1 + older)),
    transactionMinor: BEHAVIOUR.transactionMinor[pay],
  };
}

/** The attributes a registration reports, drawn from the profile's shares (uniform where it has none). */
export function drawAttributes(
  audience: AudienceTraits | null,
  ageDraw: number,
  cityDraw: number,
): { ageBand: AgeBand; cityTier: CityTier } {
  const ages = AGE_BANDS.map((band) => [band, audience?.ageBands?.[band] ?? 0] as const);
  const cities = CITY_TIERS.map((tier) => [tier, audience?.cityTiers?.[tier] ?? 0] as const);
  return {
    ageBand: weightedPick(ages, ageDraw) ?? (AGE_BANDS[Math.floor(ageDraw * AGE_BANDS.length)] as AgeBand),
    cityTier:
      weightedPick(cities, cityDraw) ?? (CITY_TIERS[Math.floor(cityDraw * CITY_TIERS.length)] as CityTier),
  };
}
