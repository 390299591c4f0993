// The `definitions` section of every report: what each figure means, which cost scope feeds which
// ratio, how numbers are rounded, and how the control group is treated. Written once here so that a
// reader of any stored report can tell exactly how its figures were computed.
import { minorUnitExponent } from '../domain/money';
import {
  DIMENSIONLESS_DECIMAL_PLACES,
  MONEY_MINOR_DECIMAL_PLACES,
  STATISTIC_SIGNIFICANT_DIGITS,
} from './render';
import { Z_95 } from './statistics';
import type { Definitions } from './types';

export function definitions(currency: string): Definitions {
  return {
    currency,
    minorUnitExponent: minorUnitExponent(currency),
    precision: {
      moneyPerCustomer:
        `Money per customer (CAC, AAC, revenue per customer) in minor units of ${currency} with ` +
        `${MONEY_MINOR_DECIMAL_PLACES} decimal places ("minor"), the same value in major units ("major"), ` +
        'and the exact rational in minor units ("exact"). Totals are integer minor units.',
      moneyPerCustomerDecimalPlacesOfMinorUnits: MONEY_MINOR_DECIMAL_PLACES,
      dimensionless:
        `Dimensionless ratios (activation rate, registrations per placement, click-through, registrations ` +
        `per click, starts per click, registrations per start, LROI, ROI, lift) with ` +
        `${DIMENSIONLESS_DECIMAL_PLACES} decimal places, plus the exact rational {numerator, denominator}.`,
      dimensionlessDecimalPlaces: DIMENSIONLESS_DECIMAL_PLACES,
      statistics:
        `z, p-values, standard errors and interval bounds are floating point, rendered with ` +
        `${STATISTIC_SIGNIFICANT_DIGITS} significant digits (JavaScript toPrecision: e.g. "4.27161e-10").`,
      rounding: 'half-even',
    },
    ratios: {
      cac: 'CAC = acquisition-scope cost ÷ valid registrations.',
      aac: 'AAC = acquisition-scope cost ÷ activated new customers; AAC = CAC ÷ activation rate exactly.',
      activationRate: 'Activation rate = activated ÷ valid registrations.',
      fraudRate:
        'Fraud rate = registrations the anti-fraud or KYC systems flagged after they were accepted ÷ (valid ' +
        'registrations + those flagged after the fact). Flagged registrations leave the funnel; their incentive, ' +
        'channel fee and activation reward are reversed by signed adjustment entries in the ledger.',
      registrationsPerPlacement:
        'Valid registrations ÷ placements: a yield, not a rate. Undefined on cohorts (not attributable).',
      clickThroughRate:
        'Clicks ÷ impressions, as the channels reported them in delivery reports. Undefined where no report ' +
        'was received (not_reported) and on cohorts (not attributable).',
      registrationsPerClick:
        'Valid registrations ÷ reported clicks: a yield, not a rate (registrations also come without a click). ' +
        'Undefined where no report was received (not_reported) and on cohorts (not attributable).',
      startsPerClick:
        'Sign-ups started ÷ clicks, as the channels reported them. Undefined where no channel of the row ' +
        'reported sign-ups started (not_reported) and on cohorts (not attributable).',
      registrationsPerStart:
        'Valid registrations ÷ sign-ups started: how much of the sign-up flow people get through (the light ' +
        'process). A yield: registrations also come from channels or periods that did not report starts. ' +
        'Undefined where none were reported (not_reported), none started (no_starts), and on cohorts.',
      revenuePerCustomer: 'New-customer-period revenue ÷ valid registrations.',
      lroi: 'LROI = revenue of the new customers inside their new-customer period ÷ period-scope cost.',
      roi: 'ROI = (period revenue − total cost) ÷ total cost, total cost = acquisition-scope + period-scope.',
    },
    costScopes: {
      acquisition:
        'Cost of acquiring the traffic: placement fees, channel costs, registration incentives. Feeds CAC, AAC, ROI.',
      period:
        'Marketing cost during the new-customer period: education and engagement messages, activation rewards. Feeds LROI, ROI.',
    },
    unattributedCosts:
      'A cost with no channel, material or cohort counts in the overall totals and in that dimension’s ' +
      '"unattributed" costs; it is not spread over the rows, so per-row ratios use directly attributed cost only.',
    controlGroup:
      'Control-group customers are real registrations acquired at a cost: headline funnel counts, CAC, AAC, ' +
      'activation rate, revenue, LROI and ROI include every arm. Each row also reports its arms separately. ' +
      'Flagged registrations (fraud, duplicates) are excluded from every ratio and counted by reason.',
    lift:
      'Each treatment arm, and all treatment arms pooled, against the control group: activation-rate difference ' +
      '(treatment − control), relative lift (difference ÷ control rate), two-proportion z-test with pooled standard ' +
      `error and two-sided p-value, 95% Wald interval for the difference with unpooled standard error (z = ${Z_95}), ` +
      'and revenue per customer in each group.',
    timeToActivate:
      'Seconds from registration to activation over activated customers; median = p50. Nearest-rank percentile: ' +
      'the value at 1-based rank ceil(q·n) of the ascending values, as PostgreSQL percentile_disc(q) returns.',
    status:
      'final when every cohort’s new-customer period has ended (or no maturity was given); provisional otherwise.',
  };
}
