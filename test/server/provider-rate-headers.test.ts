// The rate-limit headers as OpenAI and Azure OpenAI send them, read into the governor's terms.
import { durationMilliseconds, rateLimitsFromHeaders } from '../../src/server/providers/openai/openai-rate-headers.js';

describe('x-ratelimit-* headers', () => {
  test("OpenAI's full set: limits, remaining and resets as Go durations", () => {
    const headers = new Headers({
      'x-ratelimit-limit-requests': '10000',
      'x-ratelimit-limit-tokens': '30000000',
      'x-ratelimit-remaining-requests': '9999',
      'x-ratelimit-remaining-tokens': '29999442',
      'x-ratelimit-reset-requests': '6ms',
      'x-ratelimit-reset-tokens': '1m0.5s',
    });
    expect(rateLimitsFromHeaders(headers)).toEqual({
      requests: { limit: 10_000, remaining: 9999, resetMilliseconds: 6 },
      tokens: { limit: 30_000_000, remaining: 29_999_442, resetMilliseconds: 60_500 },
    });
  });

  test('Azure OpenAI: remaining counts alone', () => {
    const headers = new Headers({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-remaining-tokens': '1200' });
    expect(rateLimitsFromHeaders(headers)).toEqual({
      requests: { limit: undefined, remaining: 0, resetMilliseconds: undefined },
      tokens: { limit: undefined, remaining: 1200, resetMilliseconds: undefined },
    });
  });

  test('a server that sends none, or nonsense, states nothing', () => {
    expect(rateLimitsFromHeaders(new Headers({ 'content-type': 'application/json' }))).toBeUndefined();
    expect(rateLimitsFromHeaders(undefined)).toBeUndefined();
    expect(rateLimitsFromHeaders(new Headers({ 'x-ratelimit-remaining-requests': 'many', 'x-ratelimit-reset-requests': 'soon' }))).toBeUndefined();
  });

  test.each([
    ['1s', 1000],
    ['6m0s', 360_000],
    ['20ms', 20],
    ['1h2m3.5s', 3_723_500],
    ['0.5s', 500],
    ['2', 2000],
    ['1.5us', 0.0015],
  ])('the duration %s is %d ms', (text, milliseconds) => {
    expect(durationMilliseconds(text)).toBeCloseTo(milliseconds, 6);
  });

  test.each(['', 's', '5 parsecs', '1s and more', '-1s'])('%j is not a duration', (text) => {
    expect(durationMilliseconds(text)).toBeUndefined();
  });
});
