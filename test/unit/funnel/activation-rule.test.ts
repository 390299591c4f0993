import {
  ActivationRuleSchema,
  CustomerEventTypeSchema,
  MAX_RULE_DEPTH,
} from '../../../domain/activation-rule';
import { describeRule } from '../../../funnel/activation-description';

describe('ActivationRuleSchema', () => {
  it('accepts nested all/any rules and fills in atLeast = 1', () => {
    const rule = ActivationRuleSchema.parse({
      all: [
        { event: 'transaction', minAmountMinor: 10000 },
        { any: [{ event: 'login', atLeast: 3 }, { event: 'deposit' }] },
      ],
    });
    expect(rule).toEqual({
      all: [
        { event: 'transaction', minAmountMinor: 10000, atLeast: 1 },
        {
          any: [
            { event: 'login', atLeast: 3 },
            { event: 'deposit', atLeast: 1 },
          ],
        },
      ],
    });
  });

  it.each([
    ['a misspelt key', { event: 'transaction', minAmount: 10000 }],
    ['an unknown event type', { event: 'pageview' }],
    ['an empty all', { all: [] }],
    ['a zero count', { event: 'login', atLeast: 0 }],
    ['a fractional amount', { event: 'deposit', minAmountMinor: 10.5 }],
    ['an amount on an event without amounts', { event: 'login', minAmountMinor: 100 }],
    ['both all and any in one node', { all: [{ event: 'login' }], any: [{ event: 'deposit' }] }],
  ])('refuses %s', (_label, input) => {
    expect(ActivationRuleSchema.safeParse(input).success).toBe(false);
  });

  it(`refuses nesting deeper than ${MAX_RULE_DEPTH} levels`, () => {
    let rule: unknown = { event: 'login' };
    for (let level = 1; level < MAX_RULE_DEPTH; level++) rule = { all: [rule] };
    expect(ActivationRuleSchema.safeParse(rule).success).toBe(true);
    expect(ActivationRuleSchema.safeParse({ any: [rule] }).error?.issues[0]?.message).toMatch(/nest at most/);
  });

  it('lists the customer event types', () => {
    expect(CustomerEventTypeSchema.options).toEqual([
      'login',
      'deposit',
      'transaction',
      'product_purchase',
      'card_activation',
      'bill_payment',
      'transfer',
    ]);
  });
});

describe('describeRule', () => {
  it('reads like the marketer would say it', () => {
    const rule = ActivationRuleSchema.parse({
      all: [
        { event: 'transaction', minAmountMinor: 10000 },
        { event: 'login', atLeast: 3 },
      ],
    });
    expect(describeRule(rule, 'CNY')).toBe('a transaction of at least 100.00 CNY and 3 logins');
  });

  it('parenthesises nested compounds and joins lists', () => {
    expect(
      describeRule(
        {
          any: [
            { event: 'deposit', sumAmountMinorAtLeast: 50000 },
            {
              all: [{ event: 'card_activation' }, { event: 'bill_payment', atLeast: 2, minAmountMinor: 100 }],
            },
            { event: 'product_purchase' },
          ],
        },
        'CNY',
      ),
    ).toBe(
      'deposits totalling at least 500.00 CNY, (a card activation and 2 bill payments of at least 1.00 CNY each) or a product purchase',
    );
  });

  it('combines a per-event minimum with a total, and shows minor units without a currency', () => {
    expect(
      describeRule({ event: 'transfer', atLeast: 2, minAmountMinor: 500, sumAmountMinorAtLeast: 2000 }),
    ).toBe('2 transfers of at least 500 minor units each, totalling at least 2000 minor units');
    expect(describeRule({ all: [{ event: 'login' }] }, 'JPY')).toBe('a login');
    expect(describeRule({ event: 'deposit', minAmountMinor: 1000 }, 'JPY')).toBe(
      'a deposit of at least 1000 JPY',
    );
  });
});
