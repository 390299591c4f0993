// Which cohorts ingest tells of late members: only closed ones, only for members who get steps
// (accepted, treatment arm), each cohort once.
import type { RegistrationRow } from '../../../db/bulk-insert';
import type { FunnelCampaign } from '../../../funnel/ingest/campaign-context';
import { CLOSING_MARGIN_MS, lateCohortKeys } from '../../../funnel/ingest/late-members';

const campaign = {
  plan: {
    registrationWindow: { start: '2026-12-02T00:00:00Z', end: '2026-12-02T01:00:00Z' },
    cohortGranularity: 'PT10M',
    timeZone: 'Asia/Shanghai',
  },
} as unknown as FunnelCampaign;

const row = (registeredAt: string, over: Partial<RegistrationRow> = {}) =>
  ({
    registeredAt: new Date(registeredAt),
    cohortKey: 'k',
    arm: 'treatment',
    flagReason: null,
    ...over,
  }) as RegistrationRow;

describe('lateCohortKeys', () => {
  const now = new Date('2026-12-02T00:25:00Z'); // cohorts 00:00 and 00:10 are closed; 00:20 is open

  it('names each closed cohort that got a messageable member, once, in order', () => {
    const keys = lateCohortKeys(
      campaign,
      [row('2026-12-02T00:12:00Z'), row('2026-12-02T00:01:00Z'), row('2026-12-02T00:13:00Z')],
      now,
    );
    expect(keys).toHaveLength(2);
    expect(keys.map((k) => k.slice(11, 16))).toEqual(['00:00', '00:10']);
  });

  it('leaves out an open cohort, control-group and flagged members', () => {
    expect(
      lateCohortKeys(
        campaign,
        [
          row('2026-12-02T00:21:00Z'),
          row('2026-12-02T00:01:00Z', { arm: 'control' }),
          row('2026-12-02T00:02:00Z', { flagReason: 'existing_customer' }),
        ],
        now,
      ),
    ).toEqual([]);
  });

  it('counts a cohort that closes exactly now as closed (its step may be running)', () => {
    expect(
      lateCohortKeys(campaign, [row('2026-12-02T00:15:00Z')], new Date('2026-12-02T00:20:00Z')),
    ).toHaveLength(1);
  });

  it('counts a cohort within the clock margin of closing as closed, and one just outside it as open', () => {
    const end = Date.parse('2026-12-02T00:20:00Z');
    const at = (ms: number) => lateCohortKeys(campaign, [row('2026-12-02T00:15:00Z')], new Date(ms));
    expect(at(end - CLOSING_MARGIN_MS)).toHaveLength(1);
    expect(at(end - CLOSING_MARGIN_MS - 1)).toEqual([]);
  });
});
