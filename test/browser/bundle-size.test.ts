// The production pane's initial JavaScript stays within its budget (150 KB gzipped), measured by the
// same script `npm run build` runs, on a real production build with Office.js from the CDN.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

test('the initial JavaScript is at most 150 KB gzipped, and office.js comes from the CDN', () => {
  const outputPath = mkdtempSync(path.join(os.tmpdir(), 'taskpane-production-'));
  try {
    const build = spawnSync(process.execPath, ['node_modules/webpack-cli/bin/cli.js', '--mode', 'production', '--env', `outputPath=${outputPath}`], { cwd: root, encoding: 'utf8' });
    expect(build.status).toBe(0);
    const report = spawnSync(process.execPath, ['scripts/report-bundle-size.mjs', outputPath], { cwd: root, encoding: 'utf8' });
    expect(report.stderr).toBe('');
    expect(report.status).toBe(0);
    const kilobytes = Number(/Initial JavaScript of the task pane: ([\d.]+) KB gzipped/.exec(report.stdout)?.[1]);
    expect(kilobytes).toBeGreaterThan(20);
    expect(kilobytes).toBeLessThanOrEqual(150);
    const html = readFileSync(path.join(outputPath, 'taskpane.html'), 'utf8');
    expect(html).toContain('https://appsforoffice.microsoft.com/lib/1/hosted/office.js');
  } finally {
    rmSync(outputPath, { recursive: true, force: true });
  }
}, 120_000);
