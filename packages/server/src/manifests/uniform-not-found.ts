import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply } from 'fastify';
import { publicErrorAnswer } from '../errors.js';

/** SHL: every inactive state (expired, revoked, locked, used up) and an unknown id answer this one 404. */
export const NOT_FOUND = publicErrorAnswer('SHL_NOT_FOUND', 'no active SMART Health Link here');

/**
 * Sends the uniform 404 no sooner than `floorMs` after the request came in. An unknown id and an
 * inactive link run the same statements, but the inactive link's access-log row (its insert, its activity
 * trigger and the WAL flush its commit waits for) is work an unknown id does not do: a few milliseconds
 * that, averaged over many requests, would tell the two apart. Below the floor both
 * answers take the floor, so their latencies say nothing about the link; the wait is a timer, not work,
 * and a receiver that meets a 404 has nothing to hurry for. SHL_NOT_FOUND_FLOOR_MS sets it (0: off).
 */
export const sendUniformNotFound = async (reply: FastifyReply, floorMs: number): Promise<FastifyReply> => {
  const wait = floorMs - reply.elapsedTime;
  if (wait > 0) await sleep(wait);
  return reply.code(NOT_FOUND.status).send(NOT_FOUND.body);
};
