// Splits an acquisition budget across channels by marginal returns: every channel's spend rises until
// what its next minor unit brings (value × d activations / d spend) is the same everywhere — the
// water level λ — or it meets its bounds. For the saturating curves of response-model.ts the spend at a
// level has a closed form, so λ is found by bisection, and the continuous split is then rounded to
// whole minor units with the remainder given one unit at a time to the best margin: the split sums to
// the budget exactly (or to every channel's upper bound, the rest left unallocated). Deterministic:
// no randomness, and ties go to the channel key first in code-unit order.
import { activationsAt } from './response-model';

export interface AllocationUnit {
  /** Orders ties (channel code, then material variant). */
  readonly key: string;
  /** The fitted curve, or null for a channel held at its lower bound (no history). */
  readonly curve: { readonly saturation: number; readonly scaleMinor: number } | null;
  /** What one expected activation is worth to the objective (1 when activations are the goal). */
  readonly value: number;
  /** Whole minor units, 0 ≤ lower ≤ upper. */
  readonly lowerMinor: number;
  readonly upperMinor: number;
}

export interface Allocation {
  readonly spendMinor: readonly number[];
  readonly unallocatedMinor: number;
  /** The water level: the marginal value per minor unit every unbounded channel ends at (null: none). */
  readonly level: number | null;
}

export class AllocationError extends Error {}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function isGrowing(unit: AllocationUnit): boolean {
  return unit.curve !== null && unit.value > 0 && unit.upperMinor > unit.lowerMinor;
}

// ln of the marginal value at a spend, in closed form (never underflows to ln 0 far up the curve).
function logMarginalValue(unit: AllocationUnit, spendMinor: number): number {
  const { saturation, scaleMinor } = unit.curve!;
  return Math.log((unit.value * saturation) / scaleMinor) - spendMinor / scaleMinor;
}

// The continuous spend of a growing unit at water level λ (in log form to stay finite).
function spendAtLevel(unit: AllocationUnit, logLevel: number): number {
  const { saturation, scaleMinor } = unit.curve!;
  const unbounded = scaleMinor * (Math.log((unit.value * saturation) / scaleMinor) - logLevel);
  return Math.min(Math.max(unbounded, unit.lowerMinor), unit.upperMinor);
}

/** Expected value (Σ value × activations) of a split: what the allocation maximises. */
export function valueOf(units: readonly AllocationUnit[], spendMinor: readonly number[]): number {
  let total = 0;
  units.forEach((unit, i) => {
    if (unit.curve) total += unit.value * activationsAt(unit.curve, spendMinor[i] ?? 0);
  });
  return total;
}

export function allocate(units: readonly AllocationUnit[], budgetMinor: number): Allocation {
  if (!Number.isSafeInteger(budgetMinor) || budgetMinor < 0)
    throw new AllocationError(`budget ${budgetMinor} is not a whole non-negative amount`);
  for (const unit of units) {
    if (!Number.isSafeInteger(unit.lowerMinor) || !Number.isSafeInteger(unit.upperMinor))
      throw new AllocationError(`${unit.key}: bounds must be whole minor units`);
    if (unit.lowerMinor < 0 || unit.upperMinor < unit.lowerMinor)
      throw new AllocationError(`${unit.key}: needs 0 ≤ lower ≤ upper`);
  }
  const floors = units.reduce((n, u) => n + u.lowerMinor, 0);
  if (floors > budgetMinor)
    throw new AllocationError(`the lower bounds (${floors}) exceed the budget (${budgetMinor})`);

  const growing = units.map(isGrowing);
  const ceiling = units.reduce((n, u, i) => n + (growing[i] ? u.upperMinor : u.lowerMinor), 0);
  if (ceiling <= budgetMinor) {
    const spendMinor = units.map((u, i) => (growing[i] ? u.upperMinor : u.lowerMinor));
    return { spendMinor, unallocatedMinor: budgetMinor - ceiling, level: null };
  }

  // Bracket ln λ: at the top every unit sits at its lower bound, at the bottom at its upper bound.
  let top = Number.NEGATIVE_INFINITY;
  let bottom = Number.POSITIVE_INFINITY;
  units.forEach((unit, i) => {
    if (!growing[i]) return;
    top = Math.max(top, logMarginalValue(unit, unit.lowerMinor));
    bottom = Math.min(bottom, logMarginalValue(unit, unit.upperMinor));
  });
  top += 1;
  bottom -= 1;
  const totalAt = (logLevel: number) =>
    units.reduce((n, u, i) => n + (growing[i] ? spendAtLevel(u, logLevel) : u.lowerMinor), 0);
  for (let i = 0; i < 200 && top - bottom > 1e-13; i++) {
    const mid = (top + bottom) / 2;
    if (totalAt(mid) > budgetMinor) bottom = mid;
    else top = mid;
  }
  const logLevel = top; // total at `top` ≤ budget: rounding down then only adds units
  const spend = units.map((u, i) => (growing[i] ? Math.floor(spendAtLevel(u, logLevel)) : u.lowerMinor));
  spend.forEach((s, i) => {
    spend[i] = Math.min(Math.max(s, units[i]!.lowerMinor), units[i]!.upperMinor);
  });

  // The remainder, one minor unit at a time, to the best margin (ties: first key). Bounded by the
  // rounding of the continuous split: a few units per channel.
  let remainder = budgetMinor - spend.reduce((n, s) => n + s, 0);
  const order = units.map((_, i) => i).sort((a, b) => byKey(units[a]!.key, units[b]!.key));
  for (let guard = 0; remainder !== 0; guard++) {
    if (guard > 1_000_000) throw new AllocationError('the remainder did not settle (numerical trouble)');
    let pick = -1;
    let pickValue = Number.NEGATIVE_INFINITY;
    for (const i of order) {
      if (!growing[i]) continue;
      const unit = units[i]!;
      if (remainder > 0) {
        if (spend[i]! >= unit.upperMinor) continue;
        const v = logMarginalValue(unit, spend[i]!);
        if (pick < 0 || v > pickValue) [pick, pickValue] = [i, v];
      } else {
        if (spend[i]! <= unit.lowerMinor) continue;
        const v = logMarginalValue(unit, spend[i]! - 1);
        if (pick < 0 || v < pickValue) [pick, pickValue] = [i, v];
      }
    }
    if (pick < 0) break; // every growing unit is at its bound: the rest stays unallocated
    spend[pick]! += remainder > 0 ? 1 : -1;
    remainder += remainder > 0 ? -1 : 1;
  }
  return { spendMinor: spend, unallocatedMinor: remainder, level: Math.exp(logLevel) };
}
