// The "without defences" arm of the injection suite: the same operations, but every prompt reaches
// the provider as if the operations did not fence document content: the nonce delimiters around the
// user message's data are removed and the data-only rule is cut from the system message. Structured
// output (labels as an enum) stays: it is part of the answer format, not a prompt defence.
// Evaluation-only: it wraps the model the evaluation builds and is reachable from no route.
import { LanguageModelWrapper, type ChatMessage, type GenerateOptions, type GenerateResult, type StreamPart } from '../server/providers/language-model.js';
import { dataOnlyRule } from '../server/operations/shared/prompt-parts.js';

const openPattern = '<[a-z][a-z-]*-[0-9a-f]{16}>';
const closePattern = '</[a-z][a-z-]*-[0-9a-f]{16}>';

function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Built from the operations' own rule, so a reworded rule is still found (placeholders stand for the delimiters).
const placeholderOpen = '\u0001OPEN\u0001';
const placeholderClose = '\u0001CLOSE\u0001';
const rulePattern = new RegExp(
  escapeForPattern(dataOnlyRule({ open: placeholderOpen, close: placeholderClose, wrap: (content) => content }))
    .replace(escapeForPattern(placeholderOpen), openPattern)
    .replace(escapeForPattern(placeholderClose), closePattern),
  'g',
);
const wrappedPattern = new RegExp(`${openPattern}\\n([\\s\\S]*?)\\n${closePattern}`, 'g');

/** The messages as an unfenced prompt would be: the data inline, no rule about it. */
export function withoutDefences(messages: readonly ChatMessage[]): ChatMessage[] {
  return messages.map((message) => ({
    ...message,
    content:
      message.role === 'system'
        ? message.content
            .replace(rulePattern, '')
            .replace(/\n{2,}/g, '\n')
            .trim()
        : message.content.replace(wrappedPattern, (_match, content: string) => content),
  }));
}

export class UndefendedLanguageModel extends LanguageModelWrapper {
  generate(options: GenerateOptions): Promise<GenerateResult> {
    return this.inner.generate({ ...options, messages: withoutDefences(options.messages) });
  }

  stream(options: GenerateOptions): AsyncIterable<StreamPart> {
    return this.inner.stream({ ...options, messages: withoutDefences(options.messages) });
  }

  /** The session owns the model it wraps. */
  override close(): Promise<void> {
    return Promise.resolve();
  }
}
