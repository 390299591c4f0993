// The demo bank's data (demo/): valid by the same schemas the API validates with, every cost model
// used, every partner app targeted with the variant the article's examples call for, and the
// compressed-time campaign finishing — evaluation included — within the ten minutes a newcomer waits.
import { CreateMaterialSchema } from '../../../api/materials/schemas';
import { resolveVariant } from '../../../channels/targeting';
import { CreateCampaignSchema } from '../../../domain/campaign-plan';
import { COST_MODEL_TYPES, CreateChannelSchema, ONLINE_TYPES } from '../../../domain/channel';
import { ChannelProfileTraitsSchema } from '../../../domain/channel-profile';
import { durationMs } from '../../../domain/duration';
import { cohortsOfWindow } from '../../../domain/cohort';
import { DEMO_CHANNELS } from '../../../demo/bank';
import { DEMO_TIMING, demoCampaignRequest } from '../../../demo/campaign-template';
import { ACQUISITION_MATERIAL, DEMO_MATERIALS } from '../../../demo/materials';
import { DEMO_EXTERNAL_PROFILES } from '../../../demo/profiles';
import { decideDemo, type DemoSeedState } from '../../../demo/seed-state';

describe('the demo bank', () => {
  it('registers channels the registry accepts: one body, two wings, all four cost models', () => {
    for (const channel of DEMO_CHANNELS) expect(CreateChannelSchema.safeParse(channel).success).toBe(true);
    const kinds = new Set(DEMO_CHANNELS.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(['ecosystem_scenario', 'financial_scenario', 'offline']);
    const partnerTypes = DEMO_CHANNELS.filter((c) => c.kind === 'ecosystem_scenario').map(
      (c) => c.onlineType,
    );
    expect([...partnerTypes].sort()).toEqual([...ONLINE_TYPES].sort());
    expect(new Set(DEMO_CHANNELS.map((c) => c.costModel.type))).toEqual(new Set(COST_MODEL_TYPES));
    expect(new Set(DEMO_CHANNELS.map((c) => c.department)).size).toBeGreaterThanOrEqual(4);
  });

  it('gives each partner app the variant its profile calls for', () => {
    for (const material of DEMO_MATERIALS)
      expect(CreateMaterialSchema.safeParse(material).success).toBe(true);
    const variants = ACQUISITION_MATERIAL.variants;
    const chosen = Object.fromEntries(
      DEMO_EXTERNAL_PROFILES.map((p) => {
        expect(ChannelProfileTraitsSchema.safeParse(p.traits).success).toBe(true);
        return [p.channelCode, resolveVariant(variants, p.traits).variant?.key];
      }),
    );
    expect(chosen).toEqual({
      'partner-ecommerce': 'first-order-discount', // price-sensitive → first-order discount
      'partner-entertainment': 'celebrity-wealth', // young entertainment audience → celebrity + ¥1 wealth
      'partner-social': 'invite-friends',
      'partner-information': 'market-insight',
      'partner-payment': 'cashback', // price-sensitive too, but cashback outranks the discount
    });
    expect(resolveVariant(variants, null).variant?.key).toBe('standard');
  });

  it('plans a campaign that is valid and evaluated within about ten minutes', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    const request = demoCampaignRequest({
      sequence: 3,
      now,
      acquisitionMaterialId: '00000000-0000-4000-8000-000000000001',
      periodVersionIds: { welcome: 'v-welcome', depositNudge: 'v-nudge', wealthStarter: 'v-wealth' },
    });
    const parsed = CreateCampaignSchema.parse(request);
    expect(parsed.name).toContain('#3');
    expect(parsed.plan.controlGroupShare).toBeGreaterThan(0);
    expect(parsed.plan.sendingHours).toEqual({ start: '00:00', end: '24:00' });
    const cohorts = cohortsOfWindow(
      parsed.plan.registrationWindow,
      parsed.plan.cohortGranularity,
      parsed.plan.timeZone,
    );
    const lastPeriodEnd =
      Math.max(...cohorts.map((c) => Date.parse(c.end))) + durationMs(parsed.plan.newCustomerPeriod);
    const minutesToEvaluation = (lastPeriodEnd - now.getTime()) / 60_000;
    expect(minutesToEvaluation).toBeLessThanOrEqual(8);
    // Steps run from the cohort's close (not before: workflows/cohort.ts), tens of seconds apart, and
    // all inside the new-customer period.
    const offsets = parsed.plan.engagementPlan.steps.map((s) => durationMs(s.offset));
    expect(offsets[0]).toBe(durationMs(parsed.plan.cohortGranularity));
    offsets.slice(1).forEach((offset, i) => expect(offset - offsets[i]!).toBe(20_000));
    expect(Math.max(...offsets)).toBeLessThan(durationMs(DEMO_TIMING.newCustomerPeriod));
  });
});

describe('when npm start seeds and runs the demo', () => {
  const base = { demo: 'on' as const, embedded: true, requested: false, holdsUserData: false };
  const state = (s: DemoSeedState) => ({ ...base, state: s });

  it('seeds an empty embedded database and runs the demo', () => {
    expect(decideDemo(state('none'))).toMatchObject({ seed: true, run: true });
  });
  it('never seeds twice, and finishes an interrupted seed', () => {
    expect(decideDemo(state('completed'))).toMatchObject({ seed: false, run: true });
    expect(decideDemo(state('started'))).toMatchObject({ seed: true, run: true });
  });
  it('starts empty with DEMO=off', () => {
    for (const s of ['none', 'started', 'completed'] as const) {
      expect(decideDemo({ ...state(s), demo: 'off' })).toMatchObject({ seed: false, run: false });
    }
  });
  it('never seeds an external DATABASE_URL unless asked with npm run demo:seed', () => {
    expect(decideDemo({ ...state('none'), embedded: false })).toMatchObject({ seed: false, run: false });
    expect(decideDemo({ ...state('started'), embedded: false })).toMatchObject({ seed: false, run: false });
    expect(decideDemo({ ...state('none'), embedded: false, requested: true })).toMatchObject({
      seed: true,
      run: true,
    });
    // Once seeded on request, npm start runs the demo there.
    expect(decideDemo({ ...state('completed'), embedded: false })).toMatchObject({ seed: false, run: true });
  });
  it('leaves an embedded database that holds other data alone', () => {
    expect(decideDemo({ ...state('none'), holdsUserData: true })).toMatchObject({ seed: false, run: false });
  });
});
