// Which request fields a model takes. OpenAI's reasoning models (o1, o3, o4-mini and later o-series;
// the gpt-5 family) answer 400 to `max_tokens` ("Use 'max_completion_tokens' instead") and to
// sampling parameters other than their defaults (temperature, top_p, presence and frequency
// penalties, logprobs). Older chat models and OpenAI-compatible servers (Ollama, vLLM, llama.cpp)
// take `max_tokens`, and some of those servers do not know `max_completion_tokens` at all, so the
// old shape stays the default for every other name. An Azure deployment or a proxy alias may hide the
// model's name: LLM_TOKEN_LIMIT_PARAMETER and LLM_SAMPLING_PARAMETERS override the guess.

export type TokenLimitParameter = 'max_tokens' | 'max_completion_tokens';

export interface RequestShapeSettings {
  /** LLM_TOKEN_LIMIT_PARAMETER: undefined guesses from the model's name. */
  tokenLimitParameter?: TokenLimitParameter | undefined;
  /** LLM_SAMPLING_PARAMETERS: whether temperature is sent; undefined guesses from the model's name. */
  sendSamplingParameters?: boolean | undefined;
}

export interface RequestShape {
  tokenLimitParameter: TokenLimitParameter;
  sendSamplingParameters: boolean;
}

/**
 * o1, o1-mini, o3, o3-mini, o4-mini, o3-pro…; gpt-5, gpt-5-mini, gpt-5-nano, gpt-5.1…; with a provider
 * prefix ("openai/o3", "azure/gpt-5") or a date suffix. gpt-5-chat is the non-reasoning chat model: it
 * takes sampling parameters, but like all of the gpt-5 family it wants max_completion_tokens.
 */
const reasoningModelPattern = /^(?:.*\/)?(?:o\d+(?:-[\w.-]+)?|gpt-5(?:[.-][\w.-]*)?)$/iu;
const chatModelOfReasoningFamily = /^(?:.*\/)?gpt-5(?:\.\d+)?-chat/iu;
const completionTokensFamily = /^(?:.*\/)?(?:o\d+|gpt-5)/iu;

export function isReasoningModel(modelId: string): boolean {
  return reasoningModelPattern.test(modelId) && !chatModelOfReasoningFamily.test(modelId);
}

export function requestShapeFor(modelId: string, settings: RequestShapeSettings = {}): RequestShape {
  const id = modelId.trim();
  const usesCompletionTokens = completionTokensFamily.test(id) && reasoningModelPattern.test(id);
  return {
    tokenLimitParameter: settings.tokenLimitParameter ?? (usesCompletionTokens ? 'max_completion_tokens' : 'max_tokens'),
    sendSamplingParameters: settings.sendSamplingParameters ?? !isReasoningModel(id),
  };
}
