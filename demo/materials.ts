// The demo bank's materials, as data: one acquisition material with targeted variants (人货场: the
// variant a channel gets is picked from its profile by these rules) and the new-customer period's
// education and engagement messages. All are authored by the demo marketer and approved by the
// compliance reviewer (demo/bank.ts), as a bank's four-eyes rule requires.
import type { VariantInput } from '../api/materials/schemas';
import type { MaterialContent } from '../domain/material-content';

export interface DemoMaterial {
  /** The natural key the seed finds a material by: names are unique within the demo. */
  name: string;
  variants: VariantInput[];
}

const content = (c: Omit<MaterialContent, 'imageRefs' | 'linkUrl'> & { image: string; path: string }) => {
  const { image, path, ...rest } = c;
  return { ...rest, imageRefs: [`asset:demo/${image}`], linkUrl: `https://bank.example/${path}` };
};

export const ACQUISITION_MATERIAL: DemoMaterial = {
  name: '开户季 Account-opening season',
  variants: [
    {
      key: 'standard',
      priority: 0,
      rule: null,
      content: content({
        title: '3 分钟开户，新客礼 ¥20 · Open an account in 3 minutes, ¥20 welcome gift',
        body: '在您身边的场景里完成注册，全程线上，新客即享 ¥20 礼金。Register where you are, fully online; new customers get ¥20.',
        image: 'account-opening/standard.png',
        path: 'open',
        callToAction: '立即开户 Open now',
        incentiveText: '新客礼 ¥20',
        styleTags: ['welcome'],
      }),
    },
    {
      // Price-sensitive audiences (e-commerce): lead with a first-order discount (the article's example).
      key: 'first-order-discount',
      priority: 0,
      rule: { trait: 'audience.priceSensitivity', op: 'eq', value: 'high' },
      content: content({
        title: '首单立减 ¥30 · ¥30 off your first order',
        body: '开户绑卡，商城首单立减 ¥30。Open an account, link the card, and get ¥30 off your first order.',
        image: 'account-opening/first-order-discount.png',
        path: 'open?offer=first-order',
        callToAction: '领取优惠 Get the discount',
        incentiveText: '首单立减 ¥30',
        styleTags: ['discount', 'coupon'],
      }),
    },
    {
      // Everyday payers who prefer cashback: outranks the discount where both match (payment app).
      key: 'cashback',
      priority: 10,
      rule: { trait: 'content.preferredStyles', op: 'contains', value: 'cashback' },
      content: content({
        title: '首笔支付返现 ¥15 · ¥15 back on your first payment',
        body: '开户后首笔支付返现 ¥15。Open an account and get ¥15 back on your first payment.',
        image: 'account-opening/cashback.png',
        path: 'open?offer=cashback',
        callToAction: '立即返现 Get cashback',
        incentiveText: '首笔返现 ¥15',
        styleTags: ['cashback'],
      }),
    },
    {
      // Young entertainment audience with a low willingness to pay: a celebrity and a ¥1 wealth product.
      key: 'celebrity-wealth',
      priority: 0,
      rule: {
        all: [
          { trait: 'audience.interests', op: 'contains', value: 'entertainment' },
          { trait: 'audience.ageBands.18-24', op: 'gte', value: 0.3 },
        ],
      },
      content: content({
        title: '和星星一起理财，1 元起投 · Invest with the stars from ¥1',
        body: '代言人同款新手理财，1 元起投，随存随取。The starter wealth product our ambassador uses: from ¥1, withdraw any time.',
        image: 'account-opening/celebrity-wealth.png',
        path: 'open?offer=wealth-1',
        callToAction: '1 元体验 Try it for ¥1',
        incentiveText: '1 元起投新手理财',
        styleTags: ['celebrity', 'low-threshold-wealth'],
      }),
    },
    {
      // Social apps: a reward for inviting friends.
      key: 'invite-friends',
      priority: 0,
      rule: { trait: 'audience.interests', op: 'contains', value: 'sharing' },
      content: content({
        title: '邀好友开户，各得 ¥10 · Invite a friend, both get ¥10',
        body: '分享给好友，好友开户后双方各得 ¥10。Share with a friend; when they open an account you both get ¥10.',
        image: 'account-opening/invite-friends.png',
        path: 'open?offer=invite',
        callToAction: '邀请好友 Invite',
        incentiveText: '双方各得 ¥10',
        styleTags: ['invite-friends'],
      }),
    },
    {
      // Readers of financial news: an explanation and a market-insight subscription.
      key: 'market-insight',
      priority: 0,
      rule: { trait: 'audience.interests', op: 'contains', value: 'finance-news' },
      content: content({
        title: '开户即订每周市场洞察 · Open an account, get weekly market insight',
        body: '研究团队每周解读市场与利率，开户即可免费订阅。Our research team explains markets and rates every week, free for customers.',
        image: 'account-opening/market-insight.png',
        path: 'open?offer=insight',
        callToAction: '免费订阅 Subscribe free',
        incentiveText: '免费市场洞察',
        styleTags: ['insight'],
      }),
    },
  ],
};

/** The new-customer period's messages (用户教育 / 用户互动): one material each, one default variant. */
export const PERIOD_MATERIALS = {
  welcome: {
    name: '新客欢迎指南 New-customer welcome guide',
    variants: [
      {
        key: 'default',
        priority: 0,
        rule: null,
        content: content({
          title: '欢迎！三步用好您的账户 · Welcome: three steps to get started',
          body: '设置登录密码、绑定常用卡、开启交易提醒。Set your password, link your card, turn on alerts.',
          image: 'period/welcome.png',
          path: 'guide',
          callToAction: '开始使用 Get started',
          styleTags: ['education'],
        }),
      },
    ],
  },
  depositNudge: {
    name: '首笔存款提醒 First-deposit nudge',
    variants: [
      {
        key: 'default',
        priority: 0,
        rule: null,
        content: content({
          title: '存入首笔 ¥100，礼金立即到账 · Deposit ¥100 and the gift is yours',
          body: '完成首笔 ¥100 存款或消费即可领取新客礼金。Make a first deposit or payment of ¥100 to receive the welcome gift.',
          image: 'period/deposit-nudge.png',
          path: 'deposit',
          callToAction: '去存款 Deposit now',
          incentiveText: '新客礼金',
          styleTags: ['engagement'],
        }),
      },
    ],
  },
  wealthStarter: {
    name: '理财体验金 Wealth starter bonus',
    variants: [
      {
        key: 'default',
        priority: 0,
        rule: null,
        content: content({
          title: '送您 ¥1000 理财体验金 · A ¥1,000 wealth trial on us',
          body: '已激活的新客可领取 7 天理财体验金。Activated customers get a 7-day wealth-product trial.',
          image: 'period/wealth-starter.png',
          path: 'wealth-trial',
          callToAction: '领取体验金 Claim',
          incentiveText: '¥1000 体验金',
          styleTags: ['engagement', 'wealth'],
        }),
      },
    ],
  },
} as const satisfies Record<string, DemoMaterial>;

export const DEMO_MATERIALS: readonly DemoMaterial[] = [
  ACQUISITION_MATERIAL,
  PERIOD_MATERIALS.welcome,
  PERIOD_MATERIALS.depositNudge,
  PERIOD_MATERIALS.wealthStarter,
];
