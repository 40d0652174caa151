// The span-marker module the BFF, the Word host and the preview share: parse, compare, strip, escape.
import { escapeSpanText, hasSpanMarkers, parseSpanMarkup, sameMarkers, serializeSpanNodes, stripSpanMarkup } from '../../src/contract/span-markup.js';

test('parses nested spans, items and escaped text into nodes', () => {
  const parsed = parseSpanMarkup('Use <s1>bold <s2>link</s2></s1> and <x1/> &lt;tag&gt; &amp; more');
  expect(parsed).toEqual({
    ok: true,
    nodes: [
      { kind: 'text', text: 'Use ' },
      {
        kind: 'span',
        id: 1,
        children: [
          { kind: 'text', text: 'bold ' },
          { kind: 'span', id: 2, children: [{ kind: 'text', text: 'link' }] },
        ],
      },
      { kind: 'text', text: ' and ' },
      { kind: 'item', id: 1 },
      { kind: 'text', text: ' <tag> & more' },
    ],
  });
});

test('refuses unbalanced, crossed and repeated markers with a readable problem', () => {
  expect(parseSpanMarkup('<s1>open')).toEqual({ ok: false, problem: '<s1> is never closed' });
  expect(parseSpanMarkup('close</s1>')).toEqual({ ok: false, problem: '</s1> closes a span that is not open' });
  expect(parseSpanMarkup('<s1><s2>x</s1></s2>')).toEqual({ ok: false, problem: '</s1> closes before </s2>: the spans cross' });
  expect(parseSpanMarkup('<s1>a</s1><s1>b</s1>')).toEqual({ ok: false, problem: 'the marker <s1> appears more than once' });
  expect(parseSpanMarkup('<x1/><x1/>')).toEqual({ ok: false, problem: 'the marker <x1/> appears more than once' });
});

test('sameMarkers: every source marker once, in the same enclosing span; order may change', () => {
  const source = 'Die <s1>schnelle</s1> Lieferung <s2>mit <s3>Link</s3></s2> <x1/>';
  expect(sameMarkers(source, 'The <s2>with <s3>link</s3></s2> <s1>fast</s1> delivery <x1/>')).toBe(true);
  expect(sameMarkers(source, 'The <s1>fast</s1> delivery <s2>with link</s2> <x1/>')).toBe(false); // s3 dropped
  expect(sameMarkers(source, 'The <s1>fast</s1> <s4>new</s4> delivery <s2>with <s3>link</s3></s2> <x1/>')).toBe(false); // s4 added
  expect(sameMarkers(source, 'The <s1>fast</s1> delivery <s2>with</s2> <s3>link</s3> <x1/>')).toBe(false); // s3 left s2
  expect(sameMarkers(source, 'The <s1>fast</s1> delivery <s2>with <s3>link</s3></s2>')).toBe(false); // item dropped
  expect(sameMarkers(source, 'The <s1>fast delivery <s2>with <s3>link</s3></s1></s2> <x1/>')).toBe(false); // crossed
  expect(sameMarkers('no markers', 'keine Marker')).toBe(true);
  expect(sameMarkers('<s1>a</s1>', '<s1>a')).toBe(false);
});

test('strip, escape and serialize round-trip literal angle brackets and ampersands', () => {
  const literal = 'if a < b && c > d';
  const escaped = escapeSpanText(literal);
  expect(escaped).toBe('if a &lt; b &amp;&amp; c &gt; d');
  expect(stripSpanMarkup(`<s1>${escaped}</s1><x1/>`)).toBe(literal);
  expect(stripSpanMarkup('&amp;lt;')).toBe('&lt;');
  const markup = `Start <s1>${escaped} <s2>x</s2></s1> <x1/> end`;
  const parsed = parseSpanMarkup(markup);
  if (!parsed.ok) throw new Error(parsed.problem);
  expect(serializeSpanNodes(parsed.nodes)).toBe(markup);
  expect(hasSpanMarkers(markup)).toBe(true);
  expect(hasSpanMarkers(escaped)).toBe(false);
});
