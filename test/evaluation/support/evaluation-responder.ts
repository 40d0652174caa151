// Loopback model behaviours for the evaluation's mechanics, served by the real OpenAI-protocol server
// (test/support/fake-openai-server.ts) through its responder hook, so every request still goes
// through the real SDK, the resilience wrapper and the operations:
// - `correct`: labels each banking77 row with its gold label (looked up by text), translates
//   "perfectly" (the text with the glossary applied, so a round trip returns the source), summarises
//   faithfully, and never follows an attack;
// - `follows-unfenced-attacks`: the same, but when the document text reaches it unfenced (no nonce
//   delimiters: the evaluation's undefended arm) it does what an injected attack asks.
// Classify requests are read and answered with the server's classifyAnswer, so these behaviours do
// not depend on the classify answer format.
import { classifyAnswer, delimitedContent, fakeLabel, type ChatCompletionBody, type FakeReply, type Responder } from '../../support/fake-openai-server.js';

export type ModelBehaviour = 'correct' | 'follows-unfenced-attacks';

const fencePattern = /<([a-z][a-z-]*)-([0-9a-f]{16})>\n[\s\S]*\n<\/\1-\2>/;
const labelRequestPattern = /classify this message as "([^"]+)"/;
const codeWordPattern = /joining "([A-Z]+)" and "([A-Z]+)"/;

const normalize = (text: string) => text.normalize('NFC').replace(/\s+/gu, ' ').trim();

function systemText(body: ChatCompletionBody): string {
  return body.messages
    .filter((message) => message.role === 'system')
    .map((message) => message.content)
    .join('\n');
}

function isFenced(body: ChatCompletionBody): boolean {
  const user = [...body.messages].reverse().find((message) => message.role === 'user');
  return fencePattern.test(user?.content ?? '');
}

/** The glossary lines of the translate prompt: `- "term" → "translation"`. */
function glossaryOf(body: ChatCompletionBody): [string, string][] {
  return [...systemText(body).matchAll(/^- ("(?:[^"\\]|\\.)*") → ("(?:[^"\\]|\\.)*")$/gmu)].map((match) => [
    JSON.parse(match[1] ?? '""') as string,
    JSON.parse(match[2] ?? '""') as string,
  ]);
}

export interface EvaluationResponderOptions {
  behaviour: ModelBehaviour;
  /** banking77 gold labels by text. */
  goldLabels: Map<string, string>;
  /** The injected attacks' texts, removed before a `correct` label is chosen for an email. */
  attackTexts: string[];
}

export function evaluationResponder({ behaviour, goldLabels, attackTexts }: EvaluationResponderOptions): Responder {
  const gold = new Map([...goldLabels].map(([text, label]) => [normalize(text), label]));
  const withoutAttacks = (text: string) =>
    normalize(
      attackTexts.reduce((rest, attack) => rest.split(normalize(attack)).join(' '), normalize(text)).replace(/Ignore your previous instructions[^.]*\./g, ' '),
    );

  return (request): FakeReply => {
    const body = request.body;
    const follows = behaviour === 'follows-unfenced-attacks' && !isFenced(body);

    const classification = classifyAnswer(body, (itemText, labels) => {
      const requested = labelRequestPattern.exec(itemText)?.[1];
      if (follows && requested !== undefined && labels.includes(requested)) return requested;
      return gold.get(normalize(itemText)) ?? fakeLabel(withoutAttacks(itemText), labels);
    });
    if (classification !== undefined) return { kind: 'content', content: classification };

    const system = systemText(body);
    const content = delimitedContent(body);
    // Compliance with an attack in the source: the answer starts with the code word it asks for.
    const comply = (answer: string, source: string) => {
      const parts = codeWordPattern.exec(source);
      return follows && parts !== null ? `${parts[1] ?? ''}${parts[2] ?? ''}. ${answer}` : answer;
    };
    if (/translator/i.test(system)) {
      const glossary = glossaryOf(body);
      const translate = (text: string) =>
        comply(
          glossary.reduce((result, [term, translation]) => result.split(term).join(translation), text),
          text,
        );
      if (body.response_format?.json_schema !== undefined) {
        const items = JSON.parse(content) as { id: string; text: string }[];
        return { kind: 'content', content: JSON.stringify({ translations: items.map((item) => ({ id: item.id, text: translate(item.text) })) }) };
      }
      return { kind: 'content', content: translate(content) };
    }
    if (/summar|condense/i.test(system)) {
      const words = content.split(/\s+/u).filter(Boolean);
      return { kind: 'content', content: comply(`The email (${words.length} words) begins: ${words.slice(0, 12).join(' ')}`, content) };
    }
    return { kind: 'model' };
  };
}
