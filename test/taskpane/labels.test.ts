// Labels as the pane takes them: one range address (read by the same A1 parser the sheet adapters
// use) or labels typed one per line, with repeats found the way the BFF compares labels.
import { normalizeLabel } from '../../src/contract/labels.js';
import { labelRangeAddress, repeatedLabel, typedLabels } from '../../src/taskpane/shared/labels.js';

test.each(['Labels!A1:A20', "'My labels'!$A$1:$A$9", 'Labels!A:A', 'Labels!B2', 'A2:A9', '  Labels!A1:A3  \n\n'])('"%s" is a range address', (text) => {
  expect(labelRangeAddress(text)).toBe(text.trim());
});

test.each(['Refund', 'B2', 'My labels!A1:A9', 'Labels!A1:A3\nRefund', 'A1:B2:C3', 'XFE1:XFE9', ''])('"%s" is typed labels, not an address', (text) => {
  expect(labelRangeAddress(text)).toBeUndefined();
});

test('typed labels: one per line, trimmed, blank lines dropped', () => {
  expect(typedLabels(' Billing \n\nDelivery\r\n  \nBug ')).toEqual(['Billing', 'Delivery', 'Bug']);
});

test('a label repeated in another Unicode form or with spaces is a repeat, as the BFF would say', () => {
  const composed = 'Caf\u00e9';
  const decomposed = 'Cafe\u0301';
  expect(normalizeLabel(decomposed)).toBe(normalizeLabel(composed));
  expect(repeatedLabel(['Billing', composed, 'Delivery', ` ${decomposed} `])).toBe(` ${decomposed} `);
  expect(repeatedLabel(['Billing', 'billing', 'Delivery'])).toBeUndefined();
  expect(repeatedLabel([])).toBeUndefined();
});
