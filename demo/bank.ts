// The demo bank's channel registry, as data: "one body, two wings" (docs/demo.md). The body is the
// offline network (branches, account managers); wing 1 the bank's own financial scenarios (mobile
// banking, WeChat banking, a mini program); wing 2 one ecosystem partner app per online type. Each has
// the department that owns it — the article's first pain is exactly that channels sit in different
// departments — and a cost model; together they use all four (fixed, CPM, CPC, per registration).
import type { CreateChannelRequest } from '../domain/channel';

/** The people of the demo: one marketer authors the materials, a compliance reviewer approves them. */
export const DEMO_USERS = {
  /** Authors materials, creates the demo campaigns; the console opens with this key in demo mode. */
  marketer: { name: 'demo.li-na', role: 'marketer' },
  /** Signs off material versions (four-eyes rule: approval needs someone other than the author). */
  compliance: { name: 'demo.zhao-min-compliance', role: 'marketer' },
  /** Branch staff: acknowledge the offline placement tasks (posters up in the branches). */
  branchStaff: { name: 'demo.branch-staff', role: 'ops' },
  /** The channel systems' ingest key the traffic generator reports registrations and events with. */
  channelFeed: { name: 'demo.channel-feed', role: 'channel-system' },
} as const;

/** Who the seed's own writes are recorded as (audit log), apart from authoring and approving. */
export const DEMO_SEED_ACTOR = 'demo-seed';

const CNY = 'CNY';

export const DEMO_CHANNELS: readonly CreateChannelRequest[] = [
  // The body (一体): offline channels. Staff put the material up and acknowledge a task.
  {
    code: 'branch-network',
    name: '网点 Branch network',
    kind: 'offline',
    onlineType: null,
    department: 'Retail Banking · Branch Network',
    // Posters and screens in every branch: one fixed fee per campaign placement.
    costModel: { type: 'fixed_per_placement', amountMinor: 200_000, currency: CNY },
    canShowMaterial: true,
    canDeliverMessages: false,
    adapter: { type: 'offline' },
  },
  {
    code: 'account-managers',
    name: '客户经理 Account managers',
    kind: 'offline',
    onlineType: null,
    department: 'Wealth Management',
    // Account managers are paid a commission per customer they sign up.
    costModel: { type: 'per_registration', amountMinor: 3_000, currency: CNY },
    canShowMaterial: true,
    canDeliverMessages: false,
    adapter: { type: 'offline' },
  },
  // Wing 1 (金融场景): the bank's own online channels, which also carry the new-customer messages.
  {
    code: 'mobile-banking',
    name: '手机银行 Mobile banking app',
    kind: 'financial_scenario',
    onlineType: null,
    department: 'Digital Banking',
    costModel: { type: 'fixed_per_placement', amountMinor: 50_000, currency: CNY },
    canShowMaterial: true,
    canDeliverMessages: true,
    adapter: { type: 'simulator' },
  },
  {
    code: 'wechat-banking',
    name: '微信银行 WeChat banking',
    kind: 'financial_scenario',
    onlineType: 'social',
    department: 'Digital Banking',
    costModel: { type: 'fixed_per_placement', amountMinor: 30_000, currency: CNY },
    canShowMaterial: true,
    canDeliverMessages: true,
    adapter: { type: 'simulator' },
  },
  {
    code: 'mini-program',
    name: '小程序 Bank mini program',
    kind: 'financial_scenario',
    onlineType: 'payment',
    department: 'Credit Card Center',
    // Placed inside a super-app's mini-program store: paid per thousand impressions.
    costModel: { type: 'cpm', amountMinor: 2_000, currency: CNY },
    canShowMaterial: true,
    canDeliverMessages: true,
    adapter: { type: 'simulator' },
  },
  // Wing 2 (生态场景): partner apps, one per online type (电商、社交、娱乐、信息、支付).
  {
    code: 'partner-ecommerce',
    name: '优选商城 ShopNow (e-commerce)',
    kind: 'ecosystem_scenario',
    onlineType: 'ecommerce',
    department: 'Ecosystem Partnerships',
    costModel: { type: 'cpc', amountMinor: 120, currency: CNY },
    canShowMaterial: true,
    canDeliverMessages: false,
    adapter: { type: 'simulator' },
  },
  {
    code: 'partner-social',
    name: '友圈 FriendCircle (social)',
    kind: 'ecosystem_scenario',
    onlineType: 'social',
    department: 'Ecosystem Partnerships',
    costModel: { type: 'cpc', amountMinor: 90, currency: CNY },
    canShowMaterial: true,
    canDeliverMessages: false,
    adapter: { type: 'simulator' },
  },
  {
    code: 'partner-entertainment',
    name: '星视频 StarVideo (entertainment)',
    kind: 'ecosystem_scenario',
    onlineType: 'entertainment',
    department: 'Brand & Content Marketing',
    costModel: { type: 'cpm', amountMinor: 3_500, currency: CNY },
    canShowMaterial: true,
    canDeliverMessages: false,
    adapter: { type: 'simulator' },
  },
  {
    code: 'partner-information',
    name: '今日财讯 DailyFinance (information)',
    kind: 'ecosystem_scenario',
    onlineType: 'information',
    department: 'Brand & Content Marketing',
    costModel: { type: 'cpm', amountMinor: 2_500, currency: CNY },
    canShowMaterial: true,
    canDeliverMessages: false,
    adapter: { type: 'simulator' },
  },
  {
    code: 'partner-payment',
    name: '闪付 QuickPay (payment)',
    kind: 'ecosystem_scenario',
    onlineType: 'payment',
    department: 'Ecosystem Partnerships',
    // The payment partner is paid per registration it brings (a referral fee).
    costModel: { type: 'per_registration', amountMinor: 2_000, currency: CNY },
    canShowMaterial: true,
    canDeliverMessages: false,
    adapter: { type: 'simulator' },
  },
];

export const DEMO_CHANNEL_CODES: readonly string[] = DEMO_CHANNELS.map((channel) => channel.code);
