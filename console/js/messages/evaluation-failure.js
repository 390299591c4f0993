// Labels of a campaign whose evaluation failed (phase `evaluation_failed`): the phase's name, the
// reason, and the operator's re-run (POST /campaigns/:id/rerun-evaluation).
export const evaluationFailure = {
  zh: {
    phase_evaluation_failed: '评估失败',
    tl_phase_evaluation_failed: '评估失败：等待运营人员更正数据后重新运行',
    evalFailedTitle: '评估失败',
    evalRerunTitle: '重新评估',
    'audit_campaign.rerun-evaluation': '重新运行评估',
    evalFailedBody: '活动的评估未能完成，获客已关闭，不再接受注册。请先更正导致失败的数据，再重新运行评估。',
    evalFailedReason: '原因：{reason}',
    evalFailedNoRight: '只有运营人员（ops）或管理员可以重新运行评估。',
    rerunEvaluation: '重新运行评估',
    rerunning: '评估运行中…',
    rerunTitle: '重新运行评估？',
    rerunBody: '评估将按当前数据重新计算。请确认导致失败的数据已更正。',
    confirmRerun: '重新运行',
    rerunCompleted: '重新评估已完成：活动状态为“{phase}”。',
    rerunFailedAgain: '重新评估再次失败：{reason}',
  },
  en: {
    phase_evaluation_failed: 'evaluation failed',
    tl_phase_evaluation_failed:
      'Evaluation failed: waiting for an operator to correct the data and re-run it',
    evalFailedTitle: 'Evaluation failed',
    evalRerunTitle: 'Evaluation re-run',
    'audit_campaign.rerun-evaluation': 'evaluation re-run',
    evalFailedBody:
      "The campaign's evaluation could not be completed. Acquisition is closed and registrations are refused. Correct the data that made it fail, then re-run the evaluation.",
    evalFailedReason: 'Reason: {reason}',
    evalFailedNoRight: 'Only an operator (ops) or an admin can re-run the evaluation.',
    rerunEvaluation: 'Re-run evaluation',
    rerunning: 'Evaluating…',
    rerunTitle: 'Re-run the evaluation?',
    rerunBody:
      'The evaluation is computed again from the current data. Make sure the data that made it fail has been corrected.',
    confirmRerun: 'Re-run',
    rerunCompleted: 'The evaluation ran again: the campaign is now "{phase}".',
    rerunFailedAgain: 'The evaluation failed again: {reason}',
  },
};
