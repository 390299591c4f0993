// The campaign builder's draft: what the marketer has entered, kept as plain state (so that a language
// switch or a re-render never loses it), and its translation into the API's CreateCampaignRequest.
// Conversions that can fail (a money amount with too many decimals, a date that does not exist) fail
// like the API does: a field error on the field's API path, shown beside the field by form.js.
import { ApiError } from '../api.js';
import { exponentOf } from '../format.js';
import { t } from '../i18n.js';
import { isoDuration, toLocalInput, toMinor, toShare, zonedIso } from './values.js';
import { pacingOf } from './plan-handoff.js';

export { durationMillis, isoDuration } from './values.js';

export const EVENT_TYPES = [
  'deposit',
  'transaction',
  'login',
  'product_purchase',
  'card_activation',
  'bill_payment',
  'transfer',
];
/** Event types that carry no amount (as domain/activation-rule.ts). */
export const AMOUNTLESS = new Set(['login', 'card_activation']);
export const DURATION_UNITS = ['S', 'M', 'H', 'D'];
export const AUDIENCES = ['not_activated', 'activated', 'treatment_all'];
export const STEP_KINDS = ['education', 'engagement'];

/** A fresh draft: the API's defaults (docs/api/campaigns.md), a window from the next hour for 30 days. */
export function emptyDraft(now = new Date()) {
  const start = new Date(now);
  start.setMinutes(0, 0, 0);
  start.setHours(start.getHours() + 1);
  const end = new Date(start.getTime() + 30 * 86_400_000);
  return {
    name: '',
    channels: [],
    materialId: '',
    timeZone: 'Asia/Shanghai',
    currency: 'CNY',
    windowStart: toLocalInput(start, 'Asia/Shanghai'),
    windowEnd: toLocalInput(end, 'Asia/Shanghai'),
    newCustomerPeriod: { amount: '30', unit: 'D' },
    cohortGranularity: { amount: '1', unit: 'D' },
    sendingStart: '09:00',
    sendingEnd: '21:00',
    perRegistration: '0',
    perActivation: '0',
    budget: '',
    controlPercent: '10',
    ruleMode: 'all',
    conditions: [{ event: 'deposit', atLeast: '1', minAmount: '100', sumAtLeast: '' }],
    steps: [],
    publishingPolicy: 'best-effort',
    verifyEvery: { amount: '1', unit: 'H' },
    /** plan.attribution.rule: which touch gets a registration reported with touches. */
    attributionRule: 'last_touch',
    /** `{ mode, channelCaps }` from a plan (builder/pacing-plan.js), or null: no per-channel caps. */
    pacing: null,
  };
}

export const newCondition = () => ({ event: 'login', atLeast: '1', minAmount: '', sumAtLeast: '' });

export function newStep(draft, index) {
  return {
    id: `step-${index + 1}`,
    offset: { amount: String(index + 1), unit: draft.newCustomerPeriod.unit },
    kind: index === 0 ? 'education' : 'engagement',
    channelCode: '',
    materialVersionId: '',
    audience: 'not_activated',
    cost: '0',
  };
}

const wholeNumber = (text) => (/^\d+$/.test(String(text).trim()) ? Number(text) : null);

/**
 * The API request for the draft. Throws an ApiError(400) naming the API fields the console could not
 * even translate (the API names the rest when it checks the request).
 */
export function toRequest(draft) {
  const errors = [];
  const money = (text, field, { optional = false } = {}) => {
    if (optional && String(text).trim() === '') return null;
    const minor = toMinor(text, draft.currency);
    if (minor === null)
      errors.push({ field, message: t('badAmount', { places: exponentOf(draft.currency) }) });
    return minor ?? 0;
  };
  const count = (text, field) => {
    const n = wholeNumber(text);
    if (n === null) errors.push({ field, message: t('badWholeNumber') });
    return n ?? 0;
  };
  const instant = (local, field) => {
    const iso = zonedIso(local, draft.timeZone);
    if (iso === null) errors.push({ field, message: t('badDateTime') });
    return iso ?? '';
  };
  const share = toShare(draft.controlPercent);
  if (share === null) errors.push({ field: 'plan.controlGroupShare', message: t('badPercent') });

  const conditions = draft.conditions.map((c, i) => {
    const at = `plan.activationRule.${draft.ruleMode}.${i}`;
    const condition = { event: c.event, atLeast: count(c.atLeast, `${at}.atLeast`) };
    if (!AMOUNTLESS.has(c.event)) {
      const min = money(c.minAmount, `${at}.minAmountMinor`, { optional: true });
      const sum = money(c.sumAtLeast, `${at}.sumAmountMinorAtLeast`, { optional: true });
      if (min !== null) condition.minAmountMinor = min;
      if (sum !== null) condition.sumAmountMinorAtLeast = sum;
    }
    return condition;
  });

  const request = {
    name: draft.name,
    channels: [...draft.channels],
    materialId: draft.materialId,
    plan: {
      currency: draft.currency,
      timeZone: draft.timeZone,
      registrationWindow: {
        start: instant(draft.windowStart, 'plan.registrationWindow.start'),
        end: instant(draft.windowEnd, 'plan.registrationWindow.end'),
      },
      newCustomerPeriod: isoDuration(draft.newCustomerPeriod),
      cohortGranularity: isoDuration(draft.cohortGranularity),
      sendingHours: { start: draft.sendingStart, end: draft.sendingEnd },
      incentive: {
        perRegistrationMinor: money(draft.perRegistration, 'plan.incentive.perRegistrationMinor'),
        perActivationMinor: money(draft.perActivation, 'plan.incentive.perActivationMinor'),
      },
      acquisitionBudgetMinor: money(draft.budget, 'plan.acquisitionBudgetMinor', { optional: true }),
      controlGroupShare: share ?? 0,
      activationRule: { [draft.ruleMode]: conditions },
      engagementPlan: {
        steps: draft.steps.map((s, i) => ({
          id: s.id,
          offset: isoDuration(s.offset),
          kind: s.kind,
          materialVersionId: s.materialVersionId,
          channelCode: s.channelCode,
          audience: s.audience,
          costPerMessageMinor: money(s.cost, `plan.engagementPlan.steps.${i}.costPerMessageMinor`),
        })),
      },
      publishing: { policy: draft.publishingPolicy, verifyEvery: isoDuration(draft.verifyEvery) },
      attribution: { rule: draft.attributionRule ?? 'last_touch' },
    },
  };
  const pacing = pacingOf(draft);
  if (pacing) request.plan.pacing = pacing;
  if (errors.length > 0) {
    throw new ApiError(400, { title: 'Invalid request', detail: t('draftInvalid'), errors });
  }
  return request;
}
