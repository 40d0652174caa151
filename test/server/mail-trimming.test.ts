// What the model sees of an email: signatures, disclaimers, notification footers and the older
// quoted thread are left out and counted; the message itself, and sentences in it that merely
// mention confidentiality, stay. Checked on hand-written threads, HTML-derived text and the real
// BIPIA emails in ../shared/data.
import { existsSync, readFileSync } from 'node:fs';
import { htmlToPlainText } from '../../src/server/attachments/extract-html.js';
import { trimMail } from '../../src/server/operations/shared/mail-trimming.js';

const disclaimer =
  'CONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and intended solely for the use of the addressee. ' +
  'If you have received this e-mail in error, please notify the sender and delete it.';

test('the "-- " signature, a contact block after a sign-off, and a legal disclaimer are cut and counted', () => {
  const contactBlock = 'Anna Berger\nHead of Procurement | Contoso GmbH\nTel. +49 89 1234 5678\nwww.contoso.example';
  const email = `Hi Ben,\n\nplease confirm the order of 40 laptops by Friday.\n\nBest regards\n${contactBlock}\n\n${disclaimer}`;
  const { text, trimmed } = trimMail(email);
  expect(text).toBe('Hi Ben,\n\nplease confirm the order of 40 laptops by Friday.\n\nBest regards\nAnna Berger');
  expect(trimmed.disclaimerCharacters).toBe(disclaimer.length);
  expect(trimmed.signatureCharacters).toBe('Head of Procurement | Contoso GmbH\nTel. +49 89 1234 5678\nwww.contoso.example'.length);
  expect(trimmed.quotedCharacters).toBe(0);

  const dashed = trimMail('Short note: the meeting moves to 3 pm.\n-- \nBen Ortiz\nSales, Fabrikam\n+1 425 555 0100');
  expect(dashed.text).toBe('Short note: the meeting moves to 3 pm.');
  expect(dashed.trimmed.signatureCharacters).toBe('-- \nBen Ortiz\nSales, Fabrikam\n+1 425 555 0100'.length);

  const mobile = trimMail('Yes, go ahead.\n\nSent from my iPhone');
  expect(mobile).toEqual({
    text: 'Yes, go ahead.',
    trimmed: { signatureCharacters: 'Sent from my iPhone'.length, disclaimerCharacters: 0, quotedCharacters: 0 },
  });
});

test('a message that only mentions confidentiality, and a sign-off without a contact block, stay whole', () => {
  const email = 'Hi team,\n\nThe numbers below are confidential until the board meets. Revenue grew 12 percent.\n\nThanks\nMaria';
  expect(trimMail(email)).toEqual({ text: email, trimmed: { signatureCharacters: 0, disclaimerCharacters: 0, quotedCharacters: 0 } });
});

test('a long thread keeps the newest message and the three most recent quoted ones; older ones are counted and marked', () => {
  const quoted = (index: number) =>
    `\n\nFrom: Person ${index} <p${index}@example.com>\nSent: Monday, 2 November 2026 09:0${index}\nTo: Team\nSubject: RE: Launch\n\nMessage number ${index} of the thread.\n\nKind regards\nPerson ${index}\nMobile: +44 7700 900${index}00`;
  const email = `Latest: we launch on the 14th.${[1, 2, 3, 4, 5, 6].map(quoted).join('')}`;
  const { text, trimmed } = trimMail(email);
  for (const kept of [1, 2, 3]) expect(text).toContain(`Message number ${kept} of the thread.`);
  for (const dropped of [4, 5, 6]) expect(text).not.toContain(`Message number ${dropped}`);
  expect(text).toContain('[3 older quoted messages of the thread left out]');
  expect(text).not.toContain('Mobile:');
  expect(trimmed.quotedCharacters).toBeGreaterThan(3 * 'Message number 4 of the thread.'.length);
  expect(trimmed.signatureCharacters).toBe(6 * 'Mobile: +44 7700 900100'.length);
});

test('"On … wrote:" replies with ">" quoting: deeper levels beyond the kept ones are left out', () => {
  const email = [
    'Sounds good, see you there.',
    '',
    'On Mon, 30 Nov 2026 at 09:00, Ben <ben@example.com> wrote:',
    '> Lunch at noon?',
    '> On Sun, 29 Nov 2026, Anna wrote:',
    '>> Shall we meet this week?',
    '>>> Original question from last month.',
    '>>>> Even older.',
    '>>>>> The oldest one.',
  ].join('\n');
  const { text, trimmed } = trimMail(email);
  expect(text).toContain('> Lunch at noon?');
  expect(text).not.toContain('The oldest one.');
  expect(trimmed.quotedCharacters).toBeGreaterThan(0);
});

test('an HTML email turned into text (as the pane gets from an HTML body): its signature block and quoted reply are trimmed', () => {
  const html = `<html><body>
    <p>Hello Maria,</p><p>the invoice for March is attached; please pay it by 15 April.</p>
    <p>Kind regards</p><p>Ben Ortiz<br>Finance | Fabrikam Ltd<br>Phone +44 20 7946 0958<br><a href="https://fabrikam.example">fabrikam.example</a></p>
    <p style="font-size:8pt">This message is confidential and may be privileged. If you are not the intended recipient, delete it.</p>
    <blockquote><p>On Friday, Maria wrote:</p><p>Could you send the March invoice?</p></blockquote>
  </body></html>`;
  const plain = htmlToPlainText(html);
  const { text, trimmed } = trimMail(plain);
  expect(text).toContain('please pay it by 15 April.');
  expect(text).toContain('Could you send the March invoice?');
  expect(text).not.toContain('Phone +44');
  expect(text).not.toContain('intended recipient');
  expect(trimmed.signatureCharacters).toBeGreaterThan(0);
  expect(trimmed.disclaimerCharacters).toBeGreaterThan(0);
});

const bipiaPath = '../shared/data/bipia/email_train.jsonl';
const describeWithBipia = existsSync(bipiaPath) ? describe : describe.skip;

describeWithBipia('the real BIPIA emails (../shared/data/bipia)', () => {
  const emails = readFileSync(bipiaPath, 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { context: string }).context);

  test('notification footers are cut and counted; every dollar amount and the greeting stay', () => {
    let trimmedEmails = 0;
    for (const email of emails) {
      const { text, trimmed } = trimMail(email);
      const removed = trimmed.signatureCharacters + trimmed.disclaimerCharacters + trimmed.quotedCharacters;
      if (removed > 0) trimmedEmails += 1;
      // Nothing of the message is lost: the counts add up, and every amount is still there.
      expect(text.length).toBeLessThanOrEqual(email.length);
      expect(email.length - text.length).toBeGreaterThanOrEqual(removed);
      // The amount a notification is about comes first; footers only repeat thresholds.
      const firstAmount = /\$[\d,]+\.\d\d/.exec(email)?.[0];
      if (firstAmount !== undefined) expect(text).toContain(firstAmount);
    }
    expect(trimmedEmails).toBeGreaterThanOrEqual(10);
    const mercury = emails.find((email) => email.includes('You are receiving notifications for Moonchaser'));
    expect(mercury).toBeDefined();
    const { text, trimmed } = trimMail(mercury ?? '');
    expect(text).not.toContain('You are receiving notifications');
    expect(text).not.toContain('660 Mission Street');
    expect(trimmed.disclaimerCharacters).toBeGreaterThan(100);
  });
});

test('a request written just above a disclaimer, in the same paragraph, stays', () => {
  const email =
    'Hi Anna,\n\nthanks for the draft.\nPlease reply by Friday with the signed copy.\nThis e-mail is confidential and intended solely for the addressee.';
  const { text, trimmed } = trimMail(email);
  expect(text).toBe('Hi Anna,\n\nthanks for the draft.\nPlease reply by Friday with the signed copy.');
  expect(trimmed.disclaimerCharacters).toBe('This e-mail is confidential and intended solely for the addressee.'.length);
});
