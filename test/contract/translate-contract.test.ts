// The translate contract's additive per-item fields: perItemErrors on the request, results on the
// response (one TranslateResult per text), and item events that carry either a text or an error.
import { streamEventSchemas, translateRequestSchema, translateResponseSchema } from '../../src/contract/schemas.js';

const error = { code: 'PROVIDER_RATE_LIMITED', message: 'The LLM provider is rate limiting requests. Try again in 10 seconds.', retryable: true };

test('perItemErrors is an optional boolean; v1 requests without it stay valid; unknown fields are still refused', () => {
  expect(translateRequestSchema.parse({ texts: ['Hallo'], targetLanguage: 'en', perItemErrors: true }).perItemErrors).toBe(true);
  expect(translateRequestSchema.parse({ texts: ['Hallo'], targetLanguage: 'en' }).perItemErrors).toBeUndefined();
  expect(translateRequestSchema.safeParse({ texts: ['Hallo'], targetLanguage: 'en', perItemErrors: 'yes' }).success).toBe(false);
  expect(translateRequestSchema.safeParse({ texts: ['Hallo'], targetLanguage: 'en', perItemError: true }).success).toBe(false);
});

test('a response may carry results: a text, or null with an error; a v1 response without them stays valid', () => {
  const usage = { promptTokens: 1, completionTokens: 1, requests: 1, cachedItems: 0 };
  const perItem = translateResponseSchema.parse({
    translations: ['Hello', ''],
    results: [{ text: 'Hello' }, { text: null, error }],
    model: 'm',
    usage,
  });
  expect(perItem.results?.[1]).toEqual({ text: null, error });
  expect(translateResponseSchema.parse({ translations: ['Hello'], model: 'm', usage }).results).toBeUndefined();
  expect(translateResponseSchema.safeParse({ translations: [''], results: [{ text: null, error: { code: 'X' } }], model: 'm', usage }).success).toBe(false);
});

test('an item event carries { index, text } or { index, error }', () => {
  expect(streamEventSchemas.item.parse({ index: 3, text: 'Hello' })).toEqual({ index: 3, text: 'Hello' });
  expect(streamEventSchemas.item.parse({ index: 4, error })).toEqual({ index: 4, error });
});
