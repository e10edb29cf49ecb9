/**
 * Budgets across jobs: spend per scope (global, agent, task class) and period (daily: the UTC day;
 * monthly: the UTC month), counted from the ledger's `llm.call` events, so budgets hold across jobs and
 * restarts.
 */
import type { Bundle, BundleBudget } from "./bundle.js";
import type { BudgetPeriod, BudgetScope, BudgetState, LedgerEvent } from "./events.js";
import { fromNanoUsd, reachedUsd, toNanoUsd } from "./money.js";
import { periodKeys } from "./time.js";

/** One limit that applies to a job: e.g. agent `email-triage`, daily, 5 USD, alert at 80 %. */
export interface BudgetLimit extends BudgetState {
  alertAtPercent?: number;
}

const counterKey = (scope: BudgetScope, key: string, periodKey: string) => `${scope}\u0000${key}\u0000${periodKey}`;

/** Spend counters (in whole nano-USD, so that sums do not drift) and the alerts already raised. */
export class BudgetBook {
  private readonly spentNano = new Map<string, number>();
  private readonly alerted = new Set<string>();

  constructor(private readonly bundle: Bundle) {}

  /** Counts an event: the cost of a model call, or an alert already raised. */
  add(e: LedgerEvent): void {
    if (e.type === "llm.call" && e.costUsd > 0) {
      const p = periodKeys(e.t);
      for (const [scope, key] of [["global", "*"], ["agent", e.agent], ["task", e.task]] as const) {
        for (const pk of [p.daily, p.monthly]) {
          const k = counterKey(scope, key, pk);
          this.spentNano.set(k, (this.spentNano.get(k) ?? 0) + toNanoUsd(e.costUsd));
        }
      }
    } else if (e.type === "budget.alert") this.alerted.add(counterKey(e.scope, e.key, e.periodKey));
  }

  /** Every limit that applies to work of `agent` in task class `task` at time `t` (epoch ms), with spend. */
  limits(agent: string, task: string, t: number): BudgetLimit[] {
    const b = this.bundle.budgets;
    const p = periodKeys(t);
    const scopes: [BudgetScope, string, BundleBudget | undefined][] = [
      ["global", "*", b.global],
      ["agent", agent, b.agents?.[agent]],
      ["task", task, b.tasks?.[task]],
    ];
    const out: BudgetLimit[] = [];
    for (const [scope, key, budget] of scopes) {
      if (!budget) continue;
      for (const [period, limitUsd, periodKey] of [["daily", budget.dailyUsd, p.daily], ["monthly", budget.monthlyUsd, p.monthly]] as const) {
        if (limitUsd === undefined) continue;
        out.push({ scope, key, period, periodKey, limitUsd, spentUsd: fromNanoUsd(this.spentNano.get(counterKey(scope, key, periodKey)) ?? 0), alertAtPercent: budget.alertAtPercent ?? b.global?.alertAtPercent });
      }
    }
    return out;
  }

  /** The first limit whose spend has reached it (to the nano-USD), if any. */
  exceeded(agent: string, task: string, t: number): BudgetLimit | undefined {
    return this.limits(agent, task, t).find((l) => reachedUsd(l.spentUsd, l.limitUsd));
  }

  /** Limits whose spend crossed `alertAtPercent` and have not been alerted yet (marks them alerted). */
  alertsDue(agent: string, task: string, t: number): BudgetLimit[] {
    const due = this.limits(agent, task, t).filter((l) => l.alertAtPercent !== undefined && reachedUsd(l.spentUsd, l.limitUsd, l.alertAtPercent) && !this.alerted.has(counterKey(l.scope, l.key, l.periodKey)));
    for (const l of due) this.alerted.add(counterKey(l.scope, l.key, l.periodKey));
    return due;
  }
}
