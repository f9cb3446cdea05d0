import { runAbTrials, type TrialMedians } from '../ab-trials.js';
import { recordAnswer, startBareProcess } from '../bare-process.js';
import type { BenchContext } from './bench-context.js';

/** Which serving measure: the names report.ts and targets.ts key on. */
export type ServingMeasure =
  'manifest' | 'manifest-passcode' | 'manifest-embedded-ips' | 'direct-file' | 'location-file';

/** One serving measure's figures: shlkit beside the bare baseline answering the same bytes. */
export interface ServingFigures {
  measure: ServingMeasure;
  /** Stored links while it ran. */
  links: number;
  /** Bytes of the answer body (the same for both). */
  answerBytes: number;
  shlkit: TrialMedians;
  bare: TrialMedians;
  /** shlkit's median req/s over the bare baseline's. */
  ratio: number;
  /** Loads in which a request did not get a 2xx answer (`shlkit trial 2: ...`); any fails the run. */
  problems: string[];
}

/** A request to a serving route of the running server, and the link whose access log it writes. */
export interface ServingRequest {
  measure: ServingMeasure;
  linkId: string;
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  headers: Record<string, string>;
  /** Requests per shlkit trial. */
  amount: number;
}

/**
 * Records one real answer of the server to `request`, starts a bare node:http process answering those
 * very bytes and headers, and runs the A B trials against both (ab-trials.ts). Every 2xx answer from
 * shlkit goes into the ledger, to be found in the access log afterwards.
 */
export const measureServing = async (
  context: BenchContext,
  request: ServingRequest,
): Promise<ServingFigures> => {
  const { settings, ledger } = context;
  const init: RequestInit = {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  };
  const answer = await recordAnswer(request.url, init);
  ledger.add(request.linkId, 1);
  const bare = await startBareProcess(answer);
  try {
    const result = await runAbTrials({
      shlkit: {
        url: request.url,
        method: request.method,
        headers: request.headers,
        connections: settings.connections,
        ...(request.body === undefined ? {} : { body: request.body }),
      },
      bareUrl: bare.url,
      shlkitAmount: request.amount,
      bareAmount: request.amount * settings.bareFactor,
      warmup: Math.min(settings.warmup, request.amount),
      pairs: settings.trials,
    });
    ledger.add(request.linkId, result.shlkit.okAnswers);
    return {
      measure: request.measure,
      links: context.links,
      answerBytes: answer.body.length,
      shlkit: result.shlkit,
      bare: result.bare,
      ratio: result.shlkit.perSecond / result.bare.perSecond,
      problems: [
        ...result.shlkit.problems.map((problem) => `shlkit ${problem}`),
        ...result.bare.problems.map((problem) => `bare ${problem}`),
      ],
    };
  } finally {
    await bare.stop();
  }
};
