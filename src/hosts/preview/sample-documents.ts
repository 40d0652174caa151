// Sample documents of the browser preview, written for this project: a short bilingual text with
// formatting, a table and a numbered list (Word),
// support messages with a label list (Excel) and an email with a quoted earlier message (Outlook).

export const sampleText = [
  'Quarterly update for the support team',
  'Our response times improved this quarter: most tickets were answered within four hours, and weekend coverage now reaches every region.',
  'Die neue Wissensdatenbank ist seit Mai online. Kundinnen und Kunden finden dort Anleitungen zu Rechnungen, Passwörtern und Lieferungen.',
  'Next quarter we will move the chat tool to the new platform and train two more people on billing questions.',
  'Bitte schickt Vorschläge für neue Artikel bis Ende des Monats an das Team.',
  // Formatting, a heading, a table and a numbered list, written in the preview's syntax
  // (src/hosts/preview/preview-document-source.ts), so a translation shows what it keeps.
  '## Help Center',
  'The **Contoso Help Center** now answers *most* billing questions; see the [help pages](https://example.com/help) before you write to us.',
  '| Region | Weekdays | Weekend |',
  '| Europe | Mornings and afternoons | **Emergencies only** |',
  '| Americas | All day | Mornings |',
  'Next steps, as agreed on {{DATE}}:',
  '1. Move the chat tool to the new platform.',
  '2. Train **two more people** on billing questions.',
  '3. Review the help articles every month.',
].join('\n');

export const sampleSheetName = 'Tickets';
export const sampleLabelSheetName = 'Labels';

export const sampleTicketHeader = ['Ticket', 'Message', 'Channel'];

export const sampleTickets: [string, string, string][] = [
  ['T-1001', 'I was charged twice for my invoice this month, please refund one payment.', 'Email'],
  ['T-1002', 'The app crashes every time I open the settings page.', 'Chat'],
  ['T-1003', 'How do I reset my password? The reset link never arrives.', 'Email'],
  ['T-1004', 'My parcel has not arrived, the delivery tracking stopped on Monday.', 'Phone'],
  ['T-1005', 'Can you add an export to spreadsheet feature? That would save me hours.', 'Chat'],
  ['T-1006', 'The invoice shows the wrong billing address.', 'Email'],
  ['T-1007', 'Login fails with an error after the last update.', 'Chat'],
  ['T-1008', 'The delivery arrived damaged, the box was open.', 'Email'],
  ['T-1009', 'Please consider a dark mode, the white screen is hard on my eyes.', 'Chat'],
  ['T-1010', 'I cannot find where to download my payment receipt.', 'Email'],
  ['T-1011', 'The page freezes when I upload a large file, looks like a bug.', 'Chat'],
  ['T-1012', 'My account is locked and the password reset does not work.', 'Phone'],
  ['T-1013', 'Where is my delivery? It was promised for last week.', 'Email'],
  ['T-1014', 'A feature request: let us schedule reports every morning.', 'Chat'],
  ['T-1015', 'The refund for my cancelled order never reached my account.', 'Email'],
  ['T-1016', 'Error 500 when I save my profile, the bug happens every time.', 'Chat'],
  ['T-1017', 'I forgot my password and the account login asks for a code I never got.', 'Phone'],
  ['T-1018', 'The courier left the delivery at the wrong address.', 'Email'],
  ['T-1019', 'Could you add a feature to share dashboards with guests?', 'Chat'],
  ['T-1020', 'I was billed after I cancelled, please check the invoice.', 'Email'],
];

export const sampleLabels = ['Billing invoice', 'Bug error', 'Account password login', 'Delivery', 'Feature request'];

export const sampleEmail = {
  subject: 'RE: Angebot für die Schulung im März',
  from: 'Jana Becker <jana.becker@example.com>',
  body: [
    'Hallo Alex,',
    '',
    'danke für das Angebot. Wir würden die Schulung gern auf zwei halbe Tage aufteilen, am 12. und 13. März.',
    'Könnt ihr auch eine Aufzeichnung bereitstellen? Drei Kolleginnen sind an diesen Tagen im Urlaub.',
    '',
    'Viele Grüße',
    'Jana',
    '',
    '-----Original Message-----',
    'From: Alex Morgan <alex.morgan@example.com>',
    'Sent: Monday, 3 February',
    'Subject: Angebot für die Schulung im März',
    '',
    '> Hi Jana,',
    '> as promised, here is our offer for the two-day training in March for up to twelve people.',
    '> The price includes the course material and a follow-up session four weeks later.',
    '> Best regards, Alex',
  ].join('\n'),
};

export const sampleCategories = ['Training', 'Offer', 'Urgent', 'Billing invoice'];
