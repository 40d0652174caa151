// Chooses the provider from configuration. The only file that knows every provider.
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { LanguageModel } from './language-model.js';
import { OpenAiLanguageModel } from './openai/openai-provider.js';

export async function createLanguageModel(config: Config, logger: Logger): Promise<LanguageModel> {
  const settings = config.provider;
  if (settings.kind === 'local') {
    // llama.cpp's bindings load only when the embedded model is used: remote deployments skip ~40 MB.
    const { LocalLanguageModel } = await import('./local/local-provider.js');
    return new LocalLanguageModel(settings, logger.child({ provider: 'local' }));
  }
  return new OpenAiLanguageModel(settings, {
    timeoutMilliseconds: config.upstream.timeoutMilliseconds,
    structuredOutput: config.upstream.structuredOutput,
    contextWindowTokens: config.upstream.contextWindowTokens,
    requestShape: config.upstream.requestShape,
    batchApi: config.upstream.batchApi,
  });
}
