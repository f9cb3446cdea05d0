import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../test-support/property-runs.js';
import { invalidUtf8Offset, MAX_JSON_DEPTH, nestsDeeperThan } from '../src/http/json-body-parser.js';
import { testDatabases } from './support/databases.js';
import { AUTH, countRows, startTestApp, type TestApp } from './support/test-app.js';

const JSON_TYPE = { 'content-type': 'application/json' };
const patient = { resourceType: 'Patient' };

/** JSON text as UTF-8 bytes with `bad` spliced in where the text says `@`. */
const withBytes = (json: string, bad: number[]): { body: Buffer; offset: number } => {
  const [before = '', after = ''] = json.split('@');
  const head = Buffer.from(before, 'utf8');
  return { body: Buffer.concat([head, Buffer.from(bad), Buffer.from(after, 'utf8')]), offset: head.length };
};

describe('invalidUtf8Offset', () => {
  it.each([
    ['ASCII', [0x41, 0x42], -1],
    ['é, €, 😀 well formed', [...Buffer.from('é€😀')], -1],
    ['a Latin-1 é', [0x41, 0xe9, 0x42], 1],
    ['a stray continuation byte', [0x80], 0],
    ['an overlong "/" (C0 AF)', [0x41, 0xc0, 0xaf], 1],
    ['an overlong three-byte form (E0 80 AF)', [0xe0, 0x80, 0xaf], 0],
    ['a UTF-16 surrogate (ED A0 80)', [0x41, 0x41, 0xed, 0xa0, 0x80], 2],
    ['a code point above U+10FFFF (F4 90 80 80)', [0xf4, 0x90, 0x80, 0x80], 0],
    ['F5 and above', [0xf5, 0x80, 0x80, 0x80], 0],
    ['a sequence cut short by ASCII', [0x41, 0xe2, 0x82, 0x41], 1],
    ['a sequence cut short by the end', [0x41, 0x41, 0xf0, 0x9f, 0x98], 2],
  ])('%s', (_name, bytes, offset) => {
    const data = Uint8Array.from(bytes);
    expect(invalidUtf8Offset(data)).toBe(offset);
    // It agrees with the platform's strict decoder on what is well formed.
    const strict = () => new TextDecoder('utf-8', { fatal: true }).decode(data);
    if (offset === -1) expect(strict).not.toThrow();
    else expect(strict).toThrow(expect.objectContaining({ code: 'ERR_ENCODING_INVALID_ENCODED_DATA' }));
  });
});

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, and no bracket inside a string', () => {
    expect(nestsDeeperThan('[[{"a":[1]}]]', 4)).toBe(false);
    expect(nestsDeeperThan('[[{"a":[1]}]]', 3)).toBe(true);
    expect(nestsDeeperThan('{"a":"[[[[[[\\"[[[["}', 1)).toBe(false);
  });

  it('ends a string at a quote after an even run of backslashes, and not after an odd one', () => {
    // "x\\" is x and one backslash: the brackets after it are outside the string and count.
    expect(nestsDeeperThan('{"a":"x\\\\","b":[[1]]}', 2)).toBe(true);
    // "\\\"[[" is a backslash, a quote and two brackets: all inside the string.
    expect(nestsDeeperThan('{"a":"\\\\\\"[[","b":1}', 1)).toBe(false);
    // An unterminated string hides what follows; the parse refuses the text anyway.
    expect(nestsDeeperThan('{"a":"[[[[', 1)).toBe(false);
  });

  it('agrees with the depth of any JSON value it is given as text', () => {
    const depth = (value: unknown): number =>
      typeof value === 'object' && value !== null ? 1 + Math.max(0, ...Object.values(value).map(depth)) : 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.nat(7), (value, max) => {
        expect(nestsDeeperThan(JSON.stringify(value), max)).toBe(depth(value) > max);
      }),
      propertyRuns(300),
    );
  });
});

describe.each(testDatabases())('JSON request bodies on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => t?.close());

  it('refuses a link whose label holds a Latin-1 byte with 400 SHL_INVALID_ENCODING and the offset, storing nothing', async () => {
    const before = await countRows(t.db);
    const { body, offset } = withBytes(
      `{"content":${JSON.stringify(patient)},"label":"Caf@ for Dr. Who"}`,
      [0xe9],
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/links',
      headers: { ...AUTH, ...JSON_TYPE },
      payload: body,
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/json');
    const { error } = res.json();
    expect(error.code).toBe('SHL_INVALID_ENCODING');
    expect(error.message).toContain(`byte 0xE9 at offset ${offset}`);
    expect(await countRows(t.db)).toEqual(before);
  });

  it('refuses a manifest request whose recipient is not UTF-8, logging nothing', async () => {
    const link = (
      await t.app.inject({ method: 'POST', url: '/api/links', headers: AUTH, payload: { content: patient } })
    ).json();
    const { body, offset } = withBytes('{"recipient":"Dr. M@ller"}', [0xfc]);
    const res = await t.app.inject({
      method: 'POST',
      url: `/shl/${link.id}`,
      headers: JSON_TYPE,
      payload: body,
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.json().error).toMatchObject({ code: 'SHL_INVALID_ENCODING' });
    expect(res.json().error.message).toContain(`offset ${offset}`);
    const log = (await t.app.inject({ url: `/api/links/${link.id}/accesses`, headers: AUTH })).json();
    expect(log.accesses).toEqual([]);
  });

  it('takes well-formed UTF-8 (accents, emoji, a byte order mark) as it was sent', async () => {
    const label = 'Café für Zoë 😀';
    const json = JSON.stringify({ content: patient, label });
    for (const body of [Buffer.from(json, 'utf8'), Buffer.from(`\uFEFF${json}`, 'utf8')]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/links',
        headers: { ...AUTH, ...JSON_TYPE },
        payload: body,
      });
      expect(res.statusCode).toBe(201);
      expect(res.json().label).toBe(label);
    }
  });

  it('still refuses JSON that does not parse, an empty body and prototype poisoning with SHL_INVALID_JSON', async () => {
    for (const payload of [
      '{"content":',
      '',
      '   ',
      '{"content":{"resourceType":"Patient"},"__proto__":{}}',
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/links',
        headers: { ...AUTH, ...JSON_TYPE },
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('SHL_INVALID_JSON');
    }
    const poisoned = await t.app.inject({
      method: 'POST',
      url: '/api/links',
      headers: { ...AUTH, ...JSON_TYPE },
      payload: '{"content":{"resourceType":"Patient","constructor":{"prototype":{"x":1}}}}',
    });
    expect(poisoned.json().error.code).toBe('SHL_INVALID_JSON');
  });

  it(`refuses content nested deeper than ${MAX_JSON_DEPTH} levels with 400 SHL_INVALID_JSON, storing nothing (not a 500 from a stack overflow)`, async () => {
    const before = await countRows(t.db);
    const levels = 400_000;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/links',
      headers: { ...AUTH, ...JSON_TYPE },
      payload: `{"content":${'['.repeat(levels)}${']'.repeat(levels)}}`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('SHL_INVALID_JSON');
    expect(await countRows(t.db)).toEqual(before);
  });

  it('keeps the body limits: a manifest request over 64 KiB is 413 before it is decoded', async () => {
    const link = (
      await t.app.inject({ method: 'POST', url: '/api/links', headers: AUTH, payload: { content: patient } })
    ).json();
    const { body } = withBytes(`{"recipient":"r","pad":"${'x'.repeat(70_000)}@"}`, [0xe9]);
    const res = await t.app.inject({
      method: 'POST',
      url: `/shl/${link.id}`,
      headers: JSON_TYPE,
      payload: body,
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('SHL_BODY_TOO_LARGE');
  });
});
