import {
  FlagReasonSchema,
  registrationFlag,
  type RegistrationFacts,
} from '../../../funnel/registration-flags';

const clean: RegistrationFacts = {
  existingCustomer: false,
  registeredInEarlierCampaign: false,
  placementKnown: true,
  fingerprintCountInBurstWindow: 1,
  burstThreshold: 5,
};

describe('registrationFlag', () => {
  it('does not flag a clean registration, nor one without a placement', () => {
    expect(registrationFlag(clean)).toBeNull();
    expect(registrationFlag({ ...clean, placementKnown: null })).toBeNull();
  });

  it.each<[string, Partial<RegistrationFacts>, string]>([
    ['a duplicate in this campaign', { duplicateOfRegistrationId: 'reg_1' }, 'duplicate_customer'],
    ['an existing customer of the bank', { existingCustomer: true }, 'existing_customer'],
    [
      'a customer acquired by an earlier campaign',
      { registeredInEarlierCampaign: true },
      'existing_customer',
    ],
    ['a fingerprint at the burst threshold', { fingerprintCountInBurstWindow: 5 }, 'fingerprint_burst'],
    ['a placement this campaign does not have', { placementKnown: false }, 'unknown_placement'],
  ])('flags %s', (_label, facts, reason) => {
    expect(registrationFlag({ ...clean, ...facts })).toBe(reason);
  });

  it('does not flag a fingerprint just below the threshold', () => {
    expect(registrationFlag({ ...clean, fingerprintCountInBurstWindow: 4 })).toBeNull();
  });

  it('follows the documented precedence when several reasons apply', () => {
    const all: RegistrationFacts = {
      duplicateOfRegistrationId: 'reg_1',
      existingCustomer: true,
      registeredInEarlierCampaign: true,
      placementKnown: false,
      fingerprintCountInBurstWindow: 9,
      burstThreshold: 5,
    };
    expect(registrationFlag(all)).toBe('duplicate_customer');
    const { duplicateOfRegistrationId: _, ...notDuplicate } = all;
    expect(registrationFlag(notDuplicate)).toBe('existing_customer');
    expect(
      registrationFlag({ ...notDuplicate, existingCustomer: false, registeredInEarlierCampaign: false }),
    ).toBe('fingerprint_burst');
  });

  it('refuses nonsense counts', () => {
    expect(() => registrationFlag({ ...clean, burstThreshold: 1 })).toThrow(RangeError);
    expect(() => registrationFlag({ ...clean, fingerprintCountInBurstWindow: -1 })).toThrow(RangeError);
  });

  it('exports the reasons as a schema', () => {
    expect(FlagReasonSchema.options).toEqual([
      'duplicate_customer',
      'existing_customer',
      'fingerprint_burst',
      'unknown_placement',
    ]);
  });
});
