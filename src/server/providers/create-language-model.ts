// Chooses the provider from configuration. The only file that knows every provider.
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { LanguageModel } from './language-model.js';
import { LocalLanguageModel } from './local/local-provider.js';
import { OpenAiLanguageModel } from './openai/openai-provider.js';

export function createLanguageModel(config: Config, logger: Logger): LanguageModel {
  const settings = config.provider;
  if (settings.kind === 'local') return new LocalLanguageModel(settings, logger.child({ provider: 'local' }));
  return new OpenAiLanguageModel(settings, {
    timeoutMilliseconds: config.upstream.timeoutMilliseconds,
    structuredOutput: config.upstream.structuredOutput,
    contextWindowTokens: config.upstream.contextWindowTokens,
  });
}
