// The workflow id formats, pinned once: running workflows, recorded replay histories and the
// reconciler (which starts pending campaigns by id) all depend on them, so a change here is a
// migration, not a refactor. Tests build ids with workflows/ids.ts rather than by hand.
import { campaignWorkflowId, cohortWorkflowId } from '../../../workflows/ids';

describe('workflow ids', () => {
  it('derive the campaign workflow id from the campaign id', () => {
    expect(campaignWorkflowId('0b6c1c9e-5a1f-4d3e-9f51-2c8f0e2d7a10')).toBe(
      'campaign-0b6c1c9e-5a1f-4d3e-9f51-2c8f0e2d7a10',
    );
  });

  it("derive a cohort workflow id from the campaign id and the cohort's key", () => {
    expect(cohortWorkflowId('c1', '2026-11-26')).toBe('campaign-c1-cohort-2026-11-26');
  });
});
