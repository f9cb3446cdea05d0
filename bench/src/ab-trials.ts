import { median } from './median.js';
import { type LoadRequest, type LoadResult, runLoad } from './run-load.js';

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

const medians = (results: LoadResult[], okAnswers: number): TrialMedians => ({
  perSecond: median(results.map((r) => r.perSecond)),
  p50Ms: median(results.map((r) => r.latencyMs.p50)),
  p99Ms: median(results.map((r) => r.latencyMs.p99)),
  okAnswers,
  trials: results,
});

/**
 * Warms both targets up, then runs trials alternating A B A B (shlkit, bare, ...) so that a change in the
 * machine's load during the run (another process, a CPU's clock) falls on both alike; the medians of each
 * side are reported. Every shlkit request must be answered 2xx (runLoad throws otherwise).
 */
export const runAbTrials = async (plan: AbPlan): Promise<AbResult> => {
  const bareRequest = {
    ...plan.shlkit,
    url: plan.bareUrl + new URL(plan.shlkit.url).pathname + new URL(plan.shlkit.url).search,
  };
  let shlkitOk = 0;
  let bareOk = 0;
  if (plan.warmup > 0) {
    shlkitOk += (await runLoad({ ...plan.shlkit, amount: plan.warmup })).ok;
    bareOk += (await runLoad({ ...bareRequest, amount: plan.warmup })).ok;
  }
  const ours: LoadResult[] = [];
  const bare: LoadResult[] = [];
  for (let pair = 0; pair < plan.pairs; pair += 1) {
    const a = await runLoad({ ...plan.shlkit, amount: plan.shlkitAmount });
    ours.push(a);
    shlkitOk += a.ok;
    const b = await runLoad({ ...bareRequest, amount: plan.bareAmount });
    bare.push(b);
    bareOk += b.ok;
  }
  return { shlkit: medians(ours, shlkitOk), bare: medians(bare, bareOk) };
};
