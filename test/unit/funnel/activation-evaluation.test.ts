import { ActivationRuleSchema } from '../../../domain/activation-rule';
import { evaluateActivation, type CustomerEventFact } from '../../../funnel/activation-evaluation';

const PERIOD = { start: '2026-11-26T02:00:00Z', end: '2026-12-26T02:00:00Z' };
const at = (day: number, hour = 12) =>
  `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
const login = (id: string, occurredAt: string): CustomerEventFact => ({ id, type: 'login', occurredAt });
const txn = (id: string, occurredAt: string, amountMinor: number, currency = 'CNY'): CustomerEventFact => ({
  id,
  type: 'transaction',
  occurredAt,
  amountMinor,
  currency,
});

// "A transaction of at least ¥100 and 3 logins."
const rule = ActivationRuleSchema.parse({
  all: [
    { event: 'transaction', minAmountMinor: 10000 },
    { event: 'login', atLeast: 3 },
  ],
});

describe('evaluateActivation', () => {
  it('is not activated before all its conditions hold, and activates at the event that completes them', () => {
    const events = [login('l1', at(26)), txn('t1', at(27), 15000), login('l2', at(28))];
    const before = evaluateActivation(rule, events, PERIOD, 'CNY');
    expect(before.activated).toBe(false);
    expect(before.activatedAt).toBeUndefined();
    expect(before.explanation).toContain('3 logins: 2 of 3');

    const after = evaluateActivation(rule, [...events, login('l3', at(29))], PERIOD, 'CNY');
    expect(after).toMatchObject({
      activated: true,
      activatedAt: '2026-11-29T12:00:00.000Z',
      activatingEventId: 'l3',
    });
    expect(after.explanation).toMatch(/^Activated at 2026-11-29T12:00:00.000Z \(login l3\)/);
  });

  it('processes events in time order, whatever order they are given in', () => {
    const events = [login('l3', at(29)), txn('t1', at(30), 10000), login('l1', at(26)), login('l2', at(28))];
    expect(evaluateActivation(rule, events, PERIOD, 'CNY').activatedAt).toBe('2026-11-30T12:00:00.000Z');
  });

  it('keeps activatedAt as more events arrive', () => {
    const events = [
      login('l1', at(26)),
      login('l2', at(26, 13)),
      login('l3', at(26, 14)),
      txn('t1', at(27), 20000),
    ];
    const first = evaluateActivation(rule, events, PERIOD, 'CNY');
    const later = evaluateActivation(
      rule,
      [...events, login('l4', at(28)), txn('t2', at(29), 50000), txn('t3', at(27), 99999, 'USD')],
      PERIOD,
      'CNY',
    );
    expect(first.activatedAt).toBe('2026-11-27T12:00:00.000Z');
    expect(later.activatedAt).toBe(first.activatedAt);
    expect(later.activatingEventId).toBe('t1');
  });

  it('ignores events outside [registration, registration + period)', () => {
    const single = ActivationRuleSchema.parse({ event: 'deposit' });
    const deposit = (occurredAt: string) => ({ id: occurredAt, type: 'deposit', occurredAt });
    const outside = evaluateActivation(
      single,
      [deposit('2026-11-26T01:59:59Z'), deposit(PERIOD.end)],
      PERIOD,
      'CNY',
    );
    expect(outside.activated).toBe(false);
    expect(outside.explanation).toContain('2 events outside the new-customer period ignored');
    // The start is inclusive.
    expect(evaluateActivation(single, [deposit(PERIOD.start)], PERIOD, 'CNY').activatedAt).toBe(
      '2026-11-26T02:00:00.000Z',
    );
    // Instants with an offset are compared as instants: 09:59:59+08:00 is 01:59:59Z, before the period.
    expect(evaluateActivation(single, [deposit('2026-11-26T09:59:59+08:00')], PERIOD, 'CNY').activated).toBe(
      false,
    );
  });

  it('does not count events in another currency towards amount conditions', () => {
    const usd = evaluateActivation(
      rule,
      [login('l1', at(26)), login('l2', at(26)), login('l3', at(26)), txn('t1', at(27), 500000, 'USD')],
      PERIOD,
      'CNY',
    );
    expect(usd.activated).toBe(false);
    expect(usd.explanation).toContain('1 event without an amount in CNY not counted towards amounts');

    // A transaction below the minimum does not count either, nor one without an amount.
    const small = evaluateActivation(
      rule,
      [
        login('l1', at(26)),
        login('l2', at(26)),
        login('l3', at(26)),
        txn('t1', at(27), 9999),
        { id: 't2', type: 'transaction', occurredAt: at(28) },
      ],
      PERIOD,
      'CNY',
    );
    expect(small.activated).toBe(false);
  });

  it('counts events of any currency towards a pure count condition', () => {
    const anyTransaction = ActivationRuleSchema.parse({ event: 'transaction', atLeast: 2 });
    const result = evaluateActivation(
      anyTransaction,
      [txn('a', at(26), 1, 'USD'), txn('b', at(27), 1, 'EUR')],
      PERIOD,
      'CNY',
    );
    expect(result.activatedAt).toBe('2026-11-27T12:00:00.000Z');
  });

  it('sums amounts in the campaign currency for sumAmountMinorAtLeast', () => {
    const deposits = ActivationRuleSchema.parse({ event: 'deposit', sumAmountMinorAtLeast: 50000 });
    const deposit = (id: string, day: number, amountMinor: number, currency = 'CNY') => ({
      id,
      type: 'deposit',
      occurredAt: at(day),
      amountMinor,
      currency,
    });
    const events = [
      deposit('d1', 26, 20000),
      deposit('d2', 27, 40000, 'HKD'),
      deposit('d3', 28, 29999),
      deposit('d4', 29, 1),
    ];
    const result = evaluateActivation(deposits, events, PERIOD, 'CNY');
    expect(result.activatedAt).toBe('2026-11-29T12:00:00.000Z');
    const short = evaluateActivation(deposits, events.slice(0, 3), PERIOD, 'CNY');
    expect(short.explanation).toContain('deposits totalling at least 500.00 CNY: 499.99 CNY of 500.00 CNY');
  });

  it('evaluates all/any nesting', () => {
    const nested = ActivationRuleSchema.parse({
      all: [
        { event: 'card_activation' },
        {
          any: [
            { event: 'deposit', minAmountMinor: 100000 },
            { all: [{ event: 'login', atLeast: 2 }, { event: 'transfer' }] },
          ],
        },
      ],
    });
    const card = { id: 'c', type: 'card_activation', occurredAt: at(26) };
    // The any's first branch holds only with a large enough deposit.
    expect(
      evaluateActivation(
        nested,
        [card, { id: 'd', type: 'deposit', amountMinor: 100000, currency: 'CNY', occurredAt: at(27) }],
        PERIOD,
        'CNY',
      ).activatedAt,
    ).toBe(at(27).replace('Z', '.000Z'));
    // Its second branch needs both the logins and the transfer.
    const second = [card, login('l1', at(27)), { id: 't', type: 'transfer', occurredAt: at(28) }];
    expect(evaluateActivation(nested, second, PERIOD, 'CNY').activated).toBe(false);
    expect(evaluateActivation(nested, [...second, login('l2', at(29))], PERIOD, 'CNY').activatedAt).toBe(
      '2026-11-29T12:00:00.000Z',
    );
    // Without the card activation nothing counts.
    expect(
      evaluateActivation(nested, second.slice(1).concat(login('l2', at(29))), PERIOD, 'CNY').activated,
    ).toBe(false);
  });

  it('breaks ties at the same instant by event id', () => {
    const either = ActivationRuleSchema.parse({ any: [{ event: 'login' }, { event: 'deposit' }] });
    const sameTime = [{ id: 'evt-b', type: 'deposit', occurredAt: at(27) }, login('evt-a', at(27))];
    expect(evaluateActivation(either, sameTime, PERIOD, 'CNY').activatingEventId).toBe('evt-a');
    expect(evaluateActivation(either, [...sameTime].reverse(), PERIOD, 'CNY').activatingEventId).toBe(
      'evt-a',
    );
  });

  it('ignores event types the rule does not use', () => {
    const result = evaluateActivation(
      rule,
      [{ id: 'x', type: 'page_view', occurredAt: at(27) }],
      PERIOD,
      'CNY',
    );
    expect(result.activated).toBe(false);
  });
});
