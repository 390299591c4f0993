// Labels of launch approval (maker-checker, docs/api/campaigns.md "Launch approval"): the waiting and
// rejected phases, the campaign page's approval section with its Approve / Reject buttons, and the
// timeline's words for the decision.
export const approval = {
  zh: {
    phase_awaiting_approval: '待上线审批',
    phase_rejected: '已驳回',
    closed_launch_rejected: '上线被驳回',
    closed_approval_expired: '审批超时（注册窗口已结束）',
    tl_phase_awaiting_approval: '等待上线审批：预算超过审批阈值，尚未发布',
    tl_phase_rejected: '上线被驳回：未发布任何物料',
    tl_approval: '记录上线审批结果：{state}',
    'audit_campaign.approve-launch': '批准上线',
    'audit_campaign.reject-launch': '驳回上线',
    approvalTitle: '上线审批',
    approval_pending: '待上线审批',
    approval_approved: '已批准',
    approval_rejected: '已驳回',
    approval_expired: '已过期',
    approval_not_required: '无需审批',
    approvalWaiting:
      '本活动的获客预算 {budget} 超过审批阈值 {threshold}：需由创建人以外的另一人批准后才会发布。在此之前不发布物料，也不接受注册。',
    approvalWindowNote: '注册窗口不会顺延：获客仍在 {end} 结束；若届时仍未审批，活动将以“审批超时”结束。',
    approvalDecided: '审批人 {by}，{at}',
    acquisitionAwaitingApproval: '待上线审批（尚未开始）',
    approvalNote: '说明：{note}',
    approvalExpiredText: '注册窗口在审批前结束，活动未发布。',
    approvalThreshold: '审批阈值',
    approvalNoBudget: '不设上限',
    approveLaunch: '批准上线',
    rejectLaunch: '驳回',
    approveTitle: '批准本活动上线？',
    approveBody: '批准后活动立即向各渠道发布物料并开始获客。可在下方填写说明（可选）。',
    confirmApprove: '批准',
    rejectTitle: '驳回本活动？',
    rejectBody: '驳回后活动结束，不会发布任何物料。请在下方填写驳回原因（必填）。',
    confirmReject: '驳回',
    rejectReasonRequired: '请填写驳回原因。',
    approvalByAuthor:
      '您（{name}）是本活动的创建人，不能审批自己的活动：需由另一人批准或驳回。您仍可取消活动。',
    approvalNoRight: '只有营销人员或管理员可以审批上线。',
    draftNeedsApproval: '获客预算超过上线审批阈值 {threshold}：创建后需由另一人批准才会发布。',
    draftNeedsApprovalNoCap:
      '未设获客预算上限（支出不封顶）：创建后需由另一人批准才会发布（审批阈值 {threshold}）。',
    draftNeedsApprovalCurrency:
      '币种与上线审批阈值 {threshold} 不同，无法比较金额：创建后需由另一人批准才会发布。',
    approvalDone: '已{decision}活动“{name}”的上线',
  },
  en: {
    phase_awaiting_approval: 'awaiting approval',
    phase_rejected: 'rejected',
    closed_launch_rejected: 'launch rejected',
    closed_approval_expired: 'approval expired (window ended)',
    tl_phase_awaiting_approval:
      'Awaiting launch approval: the budget is above the threshold; nothing published',
    tl_phase_rejected: 'Launch rejected: nothing was published',
    tl_approval: 'Launch approval recorded: {state}',
    'audit_campaign.approve-launch': 'launch approved',
    'audit_campaign.reject-launch': 'launch rejected',
    approvalTitle: 'Launch approval',
    approval_pending: 'awaiting approval',
    approval_approved: 'approved',
    approval_rejected: 'rejected',
    approval_expired: 'expired',
    approval_not_required: 'not required',
    approvalWaiting:
      'The acquisition budget of {budget} is above the approval threshold of {threshold}: another person than its author must approve it before it publishes. Until then nothing is published and registrations are refused.',
    approvalWindowNote:
      'The registration window is not extended: acquisition still ends at {end}; if nobody has decided by then, the campaign ends with the approval expired.',
    approvalDecided: 'by {by}, {at}',
    acquisitionAwaitingApproval: 'not started: awaiting launch approval',
    approvalNote: 'Note: {note}',
    approvalExpiredText: 'The registration window ended before anyone decided: nothing was published.',
    approvalThreshold: 'Approval threshold',
    approvalNoBudget: 'no cap',
    approveLaunch: 'Approve launch',
    rejectLaunch: 'Reject',
    approveTitle: 'Approve the launch of this campaign?',
    approveBody:
      'Once approved, the campaign publishes to its channels and starts acquiring. You may add a note below (optional).',
    confirmApprove: 'Approve',
    rejectTitle: 'Reject this campaign?',
    rejectBody: 'A rejected campaign ends without publishing anything. Give the reason below (required).',
    confirmReject: 'Reject',
    rejectReasonRequired: 'Give a reason for the rejection.',
    approvalByAuthor:
      'You ({name}) created this campaign and cannot approve it yourself: another person must approve or reject it. You can still cancel it.',
    approvalNoRight: 'Only a marketer or an admin can approve a launch.',
    draftNeedsApproval:
      'The acquisition budget is above the launch approval threshold of {threshold}: once created, another person must approve it before it publishes.',
    draftNeedsApprovalNoCap:
      'No acquisition budget cap (unbounded spend): once created, another person must approve it before it publishes (threshold {threshold}).',
    draftNeedsApprovalCurrency:
      'The currency differs from that of the launch approval threshold of {threshold}, so the amounts cannot be compared: once created, another person must approve it before it publishes.',
    approvalDone: 'Launch of "{name}": {decision}',
  },
};
