// Measures the task pane's initial JavaScript: every local script the built taskpane.html loads
// (office.js excluded: it comes from Microsoft's CDN), gzipped at level 9 as a server would send it.
// Fails when the total is over the budget, so `npm run build` keeps the pane fast to open.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const budgetKilobytes = 150;
const directory = path.resolve(process.argv[2] ?? 'dist/taskpane');
const html = readFileSync(path.join(directory, 'taskpane.html'), 'utf8');
// Minified HTML drops the quotes around attribute values.
const scripts = [...html.matchAll(/<script[^>]*\ssrc=(?:"([^"]+)"|([^\s>]+))/g)]
  .map((match) => match[1] ?? match[2])
  .filter((source) => !/^(https?:)?\/\//.test(source) && !source.includes('office-js/'));

if (scripts.length === 0) {
  console.error(`No local script found in ${path.join(directory, 'taskpane.html')}: build the pane first.`);
  process.exit(1);
}
let total = 0;
for (const script of scripts) {
  const bytes = readFileSync(path.join(directory, script));
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  total += gzipped;
  console.log(`${script}: ${(bytes.length / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
}
console.log(`Initial JavaScript of the task pane: ${(total / 1024).toFixed(1)} KB gzipped (budget ${budgetKilobytes} KB)`);
if (total > budgetKilobytes * 1024) {
  console.error(`Over budget by ${((total - budgetKilobytes * 1024) / 1024).toFixed(1)} KB: lazy-load more of the pane.`);
  process.exit(1);
}
