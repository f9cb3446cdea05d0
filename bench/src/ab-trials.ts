import { median } from './median.js';
import { type LoadRequest, type LoadResult, runLoad, unexpectedAnswers } from './run-load.js';

/** Medians of one target's trials. */
export interface TrialMedians {
  /** 2xx answers per second. */
  perSecond: number;
  /** Milliseconds (autocannon's 1 ms resolution). */
  p50Ms: number;
  p99Ms: number;
  /** 2xx answers over every trial and the warm-up. */
  okAnswers: number;
  /** Every trial's result, in the order run. */
  trials: LoadResult[];
  /** Loads (warm-up included) in which not every request got a 2xx answer, in words; empty when none. */
  problems: string[];
}

export interface AbResult {
  shlkit: TrialMedians;
  bare: TrialMedians;
}

export interface AbPlan {
  /** The request to shlkit; `bare` is the same request to the bare baseline's URL. */
  shlkit: Omit<LoadRequest, 'amount'>;
  bareUrl: string;
  /** Requests per shlkit trial, and per bare trial. */
  shlkitAmount: number;
  bareAmount: number;
  /** Requests to each target before the first trial, not measured (their 2xx count is in `okAnswers`). */
  warmup: number;
  /** A B pairs. */
  pairs: number;
}

const medians = (results: LoadResult[], okAnswers: number, problems: string[]): TrialMedians => ({
  perSecond: median(results.map((r) => r.perSecond)),
  p50Ms: median(results.map((r) => r.latencyMs.p50)),
  p99Ms: median(results.map((r) => r.latencyMs.p99)),
  okAnswers,
  trials: results,
  problems,
});

/**
 * Warms both targets up, then runs trials alternating A B A B (shlkit, bare, ...) so that a change in the
 * machine's load during the run (another process, a CPU's clock) falls on both alike; the medians of each
 * side are reported. A load in which a request did not get a 2xx answer is listed in `problems`.
 */
export const runAbTrials = async (plan: AbPlan): Promise<AbResult> => {
  const bareRequest = {
    ...plan.shlkit,
    url: plan.bareUrl + new URL(plan.shlkit.url).pathname + new URL(plan.shlkit.url).search,
  };
  let shlkitOk = 0;
  let bareOk = 0;
  const shlkitProblems: string[] = [];
  const bareProblems: string[] = [];
  const run = async (request: LoadRequest, label: string, problems: string[]) => {
    const result = await runLoad(request);
    const problem = unexpectedAnswers(request, result);
    if (problem !== undefined) problems.push(`${label}: ${problem}`);
    return result;
  };
  if (plan.warmup > 0) {
    shlkitOk += (await run({ ...plan.shlkit, amount: plan.warmup }, 'warm-up', shlkitProblems)).ok;
    bareOk += (await run({ ...bareRequest, amount: plan.warmup }, 'warm-up', bareProblems)).ok;
  }
  const ours: LoadResult[] = [];
  const bare: LoadResult[] = [];
  for (let pair = 1; pair <= plan.pairs; pair += 1) {
    const a = await run({ ...plan.shlkit, amount: plan.shlkitAmount }, `trial ${pair}`, shlkitProblems);
    ours.push(a);
    shlkitOk += a.ok;
    const b = await run({ ...bareRequest, amount: plan.bareAmount }, `trial ${pair}`, bareProblems);
    bare.push(b);
    bareOk += b.ok;
  }
  return {
    shlkit: medians(ours, shlkitOk, shlkitProblems),
    bare: medians(bare, bareOk, bareProblems),
  };
};
