// Token counting for the OpenAI model families with their real BPE encodings (gpt-tokenizer, pure
// JavaScript): o200k_base for the GPT-4o / 4.1 / 5 and o-series, cl100k_base for GPT-4 and 3.5.
// An OpenAI-compatible server's own model (Llama, Qwen, Mistral) has a tokenizer we cannot load
// here; o200k_base counts such text within a few percent, which is what batch sizing needs.
import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';

export type EncodingName = 'o200k_base' | 'cl100k_base';

export interface TokenCounter {
  readonly encoding: EncodingName;
  count(text: string): number;
}

/** Chat framing per message (role and separators) and the reply's priming, as OpenAI bills them. */
export const tokensPerMessage = 3;
export const tokensPerReply = 3;

export function encodingForModel(modelId: string): EncodingName {
  const name = modelId.toLowerCase();
  if (/^(gpt-4(?!o|\.1)|gpt-3\.5|text-embedding-(ada|3))/.test(name)) return 'cl100k_base';
  return 'o200k_base';
}

export function createTokenCounter(modelId: string): TokenCounter {
  const encoding = encodingForModel(modelId);
  const count = encoding === 'cl100k_base' ? countCl100k : countO200k;
  return { encoding, count: (text) => (text === '' ? 0 : count(text)) };
}

/** Context windows of the OpenAI families, in tokens; unknown compatible models get a safe default. */
export function contextWindowForModel(modelId: string): number {
  const name = modelId.toLowerCase();
  if (/^gpt-4\.1/.test(name)) return 1_047_576;
  if (/^gpt-5/.test(name)) return 400_000;
  if (/^o[134]/.test(name)) return 200_000;
  if (/^(gpt-4o|gpt-4-turbo|chatgpt-4o)/.test(name)) return 128_000;
  if (/^gpt-4-32k/.test(name)) return 32_768;
  if (/^gpt-4/.test(name)) return 8_192;
  if (/^gpt-3\.5/.test(name)) return 16_385;
  // Ollama, vLLM and llama.cpp servers are often started with small contexts: stay well inside them.
  return 8_192;
}
