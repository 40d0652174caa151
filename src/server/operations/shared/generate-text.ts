// One model call for free text: streamed to the client when it listens, otherwise in one piece.
// Usage is counted either way, and an empty answer is an error, never an empty result.
import { AppError } from '../../errors.js';
import type { ChatMessage } from '../../providers/language-model.js';
import { throwIfCancelled, type OperationContext, type UsageMeter } from './operation-context.js';

export interface GenerateTextOptions {
  maxOutputTokens: number;
  temperature?: number;
  /** What the client is told when the model answers with nothing. */
  emptyMessage: string;
  onTextDelta?: ((text: string) => void) | undefined;
}

export async function generateText(context: OperationContext, usage: UsageMeter, messages: ChatMessage[], options: GenerateTextOptions): Promise<string> {
  throwIfCancelled(context.signal);
  const request = { messages, maxOutputTokens: options.maxOutputTokens, temperature: options.temperature ?? 0.2, signal: context.signal };
  let text: string;
  if (options.onTextDelta === undefined) {
    const result = await context.model.generate(request);
    usage.addRequest(result.usage);
    text = result.text;
  } else {
    const parts: string[] = [];
    for await (const part of context.model.stream(request)) {
      if (part.type === 'text-delta') {
        parts.push(part.text);
        options.onTextDelta(part.text);
      } else {
        usage.addRequest(part.usage);
      }
    }
    text = parts.join('');
  }
  const trimmed = text.trim();
  if (trimmed === '') throw new AppError('INVALID_MODEL_OUTPUT', options.emptyMessage);
  return trimmed;
}
