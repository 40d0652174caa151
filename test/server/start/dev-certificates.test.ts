// `npm start`'s development CA and certificate: made once, reused by every later start (a CA the user
// imported into the browser keeps working, a running server keeps its TLS), and made again only when
// missing, expired or unreadable. Every test works in its own temporary folder, never in the home folder.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { certificateFiles, createDevelopmentCertificates, ensureDevelopmentCertificates } from '../../../scripts/dev-certificates.js';

const directories: string[] = [];
function temporaryDirectory(): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'dev-certificates-'));
  directories.push(directory);
  return directory;
}
// office-addin-dev-certs announces every generation on the console; the assertions say what matters.
const consoleLog = console.log;
beforeAll(() => {
  console.log = () => undefined;
});
afterAll(() => {
  console.log = consoleLog;
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

const contentsOf = (directory: string) => {
  const files = certificateFiles(directory);
  return [files.caFile, files.certificateFile, files.keyFile].map((file) => readFileSync(file, 'utf8'));
};

/** GET over TLS that trusts only `ca`, verifying the name browsers use. */
function getTrusting(ca: Buffer, port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    https
      .get({ host: '127.0.0.1', servername: 'localhost', port, path: '/', ca, agent: false }, (response) => {
        response.resume();
        resolve(response.statusCode);
      })
      .on('error', reject);
  });
}

test('the first start makes a CA and a localhost certificate; the second reuses them unchanged', async () => {
  const directory = temporaryDirectory();
  const first = await ensureDevelopmentCertificates({ directory });
  expect(first.regeneratedBecause).toBe('there were none yet');
  expect(first.caFile).toBe(path.join(directory, 'ca.crt'));
  expect(first.expiresAt.getTime()).toBeGreaterThan(Date.now() + 300 * 24 * 3600 * 1000);
  const before = contentsOf(directory);

  const second = await ensureDevelopmentCertificates({ directory });
  expect(second.regeneratedBecause).toBeUndefined();
  expect(second.caFingerprint).toBe(first.caFingerprint);
  expect(contentsOf(directory)).toEqual(before);
});

test('a second start does not break the TLS of a server started with the first certificate', async () => {
  const directory = temporaryDirectory();
  const files = await ensureDevelopmentCertificates({ directory });
  // What a browser holds after importing the CA, and what the running server serves.
  const importedCa = readFileSync(files.caFile);
  const server = https.createServer({ cert: readFileSync(files.certificateFile), key: readFileSync(files.keyFile) }, (_request, response) =>
    response.end('ok'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    expect(await getTrusting(importedCa, port)).toBe(200);
    await ensureDevelopmentCertificates({ directory });
    expect(await getTrusting(importedCa, port)).toBe(200);
    // A new server process (the next start) serves files the imported CA still vouches for.
    const restarted = https.createServer({ cert: readFileSync(files.certificateFile), key: readFileSync(files.keyFile) }, (_request, response) =>
      response.end('ok'),
    );
    await new Promise<void>((resolve) => restarted.listen(0, '127.0.0.1', resolve));
    try {
      expect(await getTrusting(importedCa, (restarted.address() as AddressInfo).port)).toBe(200);
    } finally {
      restarted.close();
    }
  } finally {
    server.close();
  }
});

test('an expired CA and certificate are made again', async () => {
  const directory = temporaryDirectory();
  // Valid until yesterday: what a folder left from a year ago looks like.
  await createDevelopmentCertificates(directory, -1);
  const expiredCa = readFileSync(path.join(directory, 'ca.crt'), 'utf8');

  const renewed = await ensureDevelopmentCertificates({ directory });
  expect(renewed.regeneratedBecause).toMatch(/^they expired on \d{4}-\d{2}-\d{2}$/);
  expect(readFileSync(renewed.caFile, 'utf8')).not.toBe(expiredCa);
  expect(renewed.expiresAt.getTime()).toBeGreaterThan(Date.now());

  const again = await ensureDevelopmentCertificates({ directory });
  expect(again.regeneratedBecause).toBeUndefined();
  expect(again.caFingerprint).toBe(renewed.caFingerprint);
});

test('unreadable or mismatched files are made again; sound ones are never touched', async () => {
  const directory = temporaryDirectory();
  const original = await ensureDevelopmentCertificates({ directory });

  writeFileSync(original.certificateFile, 'not a certificate');
  const afterGarbage = await ensureDevelopmentCertificates({ directory });
  expect(afterGarbage.regeneratedBecause).toMatch(/could not be read/);
  expect(afterGarbage.caFingerprint).not.toBe(original.caFingerprint);

  // A key from another set does not belong to this certificate.
  const other = await createDevelopmentCertificates(temporaryDirectory());
  writeFileSync(afterGarbage.keyFile, readFileSync(other.keyFile));
  const afterWrongKey = await ensureDevelopmentCertificates({ directory });
  expect(afterWrongKey.regeneratedBecause).toBe('localhost.key does not belong to localhost.crt');

  // The key stays readable by its owner only.
  expect(statSync(afterWrongKey.keyFile).mode & 0o077).toBe(0);
});
