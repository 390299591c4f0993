// Labels of attribution (issue 12, item 5): the campaign page's attribution block (funnel section), the
// unattributed row of the evaluation, the builder's rule choice and the channel form's windows.
export const attribution = {
  zh: {
    attributionTitle: '归因',
    attributionRuleLine: '归因规则：{rule}',
    attributionRule_last_touch: '末次触点（默认）',
    attributionRule_first_touch: '首次触点',
    attributionWindowsCaption: '各渠道归因窗口（创建活动时固定）',
    colClickThroughWindow: '点击归因窗口',
    colViewThroughWindow: '曝光归因窗口',
    attributionBasisLine: '有效注册按归因依据：{list}',
    basis_reported: '按上报渠道',
    basis_click: '点击',
    basis_view: '曝光',
    basis_direct: '直接访问',
    basis_unattributed: '未归因',
    unattributedLine:
      '未归因注册 {count} 个（其中已激活 {activated} 个）：计入漏斗和评估，不计入任何渠道，也不向渠道支付按注册费用。',
    unattributedChannel: '未归因',
    evaluationAttributionLine: '本次评估的归因规则：{rule}；窗口：{windows}',
    builderAttribution: '归因规则',
    builderAttributionHint:
      '注册附带触点时，在各渠道窗口内（点击优先于曝光）选择哪个触点获得该注册。窗口在渠道登记中设置。',
    clickThroughWindow: '点击归因窗口',
    clickThroughWindowHint: '点击后多长时间内的注册仍归因于本渠道（ISO-8601 时长，默认 P7D，范围 PT1S–P90D）',
    viewThroughWindow: '曝光归因窗口',
    viewThroughWindowHint:
      '曝光（未点击）后多长时间内的注册仍归因于本渠道（默认 PT24H）。修改只影响之后创建的活动。',
  },
  en: {
    attributionTitle: 'Attribution',
    attributionRuleLine: 'Attribution rule: {rule}',
    attributionRule_last_touch: 'last touch (default)',
    attributionRule_first_touch: 'first touch',
    attributionWindowsCaption: "Channels' attribution windows (pinned when the campaign was created)",
    colClickThroughWindow: 'Click-through window',
    colViewThroughWindow: 'View-through window',
    attributionBasisLine: 'Valid registrations by basis: {list}',
    basis_reported: 'as reported',
    basis_click: 'click',
    basis_view: 'view',
    basis_direct: 'direct',
    basis_unattributed: 'unattributed',
    unattributedLine:
      '{count} unattributed registrations ({activated} activated): counted in the funnel and the evaluation, credited to no channel, no channel fee paid for them.',
    unattributedChannel: 'Unattributed',
    evaluationAttributionLine: 'Attributed under: {rule}; windows: {windows}',
    builderAttribution: 'Attribution rule',
    builderAttributionHint:
      "When a registration comes with touches: which touch inside its channel's windows (clicks before impressions) gets it. The windows are set in the channel registry.",
    clickThroughWindow: 'Click-through window',
    clickThroughWindowHint:
      'How long after a click a registration is still credited to this channel (ISO-8601 duration, default P7D, PT1S–P90D)',
    viewThroughWindow: 'View-through window',
    viewThroughWindowHint:
      'How long after an impression (no click) a registration is still credited to this channel (default PT24H). An edit applies to campaigns created after it.',
  },
};
