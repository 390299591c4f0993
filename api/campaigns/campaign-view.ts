// A campaign row as the API shows it: the launch approval's columns gathered into one `approval`
// object (issue 12 item 6), and what is not for callers left out (the author's key id; the threshold
// is a bigint column, which JSON cannot carry — it is shown as a number, as the plan's amounts are).
import type { ApprovalState } from '../../domain/launch-approval';

interface ApprovalColumns {
  createdByPrincipalId: string | null;
  approvalRequired: boolean;
  approvalThresholdMinor: bigint | null;
  approvalThresholdCurrency: string | null;
  approvalState: string;
  approvalBy: string | null;
  approvalAt: Date | null;
  approvalNote: string | null;
}

export interface LaunchApprovalView {
  required: boolean;
  threshold: { amountMinor: number; currency: string } | null;
  state: ApprovalState;
  by: string | null;
  at: string | null;
  note: string | null;
}

export function launchApprovalView(row: ApprovalColumns): LaunchApprovalView {
  return {
    required: row.approvalRequired,
    threshold:
      row.approvalThresholdMinor === null || row.approvalThresholdCurrency === null
        ? null
        : { amountMinor: Number(row.approvalThresholdMinor), currency: row.approvalThresholdCurrency },
    state: row.approvalState as ApprovalState,
    by: row.approvalBy,
    at: row.approvalAt?.toISOString() ?? null,
    note: row.approvalNote,
  };
}

export function campaignView<T extends ApprovalColumns>(row: T) {
  const {
    createdByPrincipalId: _author,
    approvalRequired: _required,
    approvalThresholdMinor: _threshold,
    approvalThresholdCurrency: _currency,
    approvalState: _state,
    approvalBy: _by,
    approvalAt: _at,
    approvalNote: _note,
    ...rest
  } = row;
  return { ...rest, approval: launchApprovalView(row) };
}
