// The development CA and localhost certificate that `npm start` serves HTTPS with. They live in
// office-addin-dev-certs' folder (~/.office-addin-dev-certs) and are reused while they are readable,
// belong together and have not expired: a CA the user imported into the browser keeps working, and a
// second start never swaps the certificate under a server that is still running. New files are made
// only when they are missing, expired (or about to) or unreadable.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const defaultCertificateDirectory = path.join(os.homedir(), '.office-addin-dev-certs');

/** A year: the CA a user imported stays valid that long (Apple rejects TLS certificates valid over 825 days). */
const defaultValidityDays = 365;
/** Renewed a day ahead, so a certificate does not expire under a running session. */
const renewBeforeMilliseconds = 24 * 3600 * 1000;

export interface CertificateFiles {
  directory: string;
  caFile: string;
  certificateFile: string;
  keyFile: string;
}

export interface DevelopmentCertificates extends CertificateFiles {
  /** SHA-256 fingerprint of the CA: unchanged across starts while the files are reused. */
  caFingerprint: string;
  /** When the CA or the certificate, whichever is first, expires. */
  expiresAt: Date;
  /** Why new files were made; undefined when the existing ones were reused. */
  regeneratedBecause: string | undefined;
}

/** The file names office-addin-dev-certs uses, so its own commands find the same files. */
export function certificateFiles(directory: string = defaultCertificateDirectory): CertificateFiles {
  return {
    directory,
    caFile: path.join(directory, 'ca.crt'),
    certificateFile: path.join(directory, 'localhost.crt'),
    keyFile: path.join(directory, 'localhost.key'),
  };
}

/** Reuses the CA and certificate in `directory` when they are sound, otherwise makes new ones there. */
export async function ensureDevelopmentCertificates(options: { directory?: string; validityDays?: number } = {}): Promise<DevelopmentCertificates> {
  const files = certificateFiles(options.directory);
  const now = new Date();
  const existing = inspectCertificates(files, new Date(now.getTime() + renewBeforeMilliseconds));
  if (existing.usable) return { ...files, ...existing.facts, regeneratedBecause: undefined };
  await createDevelopmentCertificates(files.directory, options.validityDays ?? defaultValidityDays);
  const created = inspectCertificates(files, now);
  if (!created.usable) throw new Error(`The development certificate just made in ${files.directory} is not usable: ${created.problem}.`);
  return { ...files, ...created.facts, regeneratedBecause: existing.problem };
}

/** Replaces the CA, certificate and key in `directory` with new ones (office-addin-dev-certs' generator). */
export async function createDevelopmentCertificates(directory: string, validityDays: number = defaultValidityDays): Promise<CertificateFiles> {
  const files = certificateFiles(directory);
  // The generator writes nothing while ca.crt exists; the three files are only ever replaced together.
  for (const file of [files.caFile, files.certificateFile, files.keyFile]) rmSync(file, { force: true });
  // Loaded only when needed: it pulls in a pure-JS RSA implementation.
  const { generateCertificates } = await import('office-addin-dev-certs');
  await generateCertificates(files.caFile, files.certificateFile, files.keyFile, validityDays);
  chmodSync(files.keyFile, 0o600);
  return files;
}

type Inspection = { usable: true; facts: { caFingerprint: string; expiresAt: Date } } | { usable: false; problem: string };

/** Whether the files can serve https://localhost until `mustBeValidAt`, and if not, why. */
export function inspectCertificates(files: CertificateFiles, mustBeValidAt: Date): Inspection {
  let ca: X509Certificate;
  let certificate: X509Certificate;
  let key: KeyObject;
  try {
    ca = new X509Certificate(readFileSync(files.caFile));
    certificate = new X509Certificate(readFileSync(files.certificateFile));
    key = createPrivateKey(readFileSync(files.keyFile));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return {
      usable: false,
      problem: code === 'ENOENT' ? 'there were none yet' : `the files could not be read (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  if (!ca.ca) return { usable: false, problem: 'ca.crt is not a CA certificate' };
  if (!certificate.checkIssued(ca) || !certificate.verify(ca.publicKey)) return { usable: false, problem: 'localhost.crt was not issued by ca.crt' };
  if (!certificate.checkPrivateKey(key)) return { usable: false, problem: 'localhost.key does not belong to localhost.crt' };
  if (certificate.checkHost('localhost') === undefined) return { usable: false, problem: 'localhost.crt is not for localhost' };
  const caExpiresAt = new Date(ca.validTo);
  const certificateExpiresAt = new Date(certificate.validTo);
  const expiresAt = caExpiresAt < certificateExpiresAt ? caExpiresAt : certificateExpiresAt;
  if (Number.isNaN(expiresAt.getTime())) return { usable: false, problem: 'their expiry date could not be read' };
  if (expiresAt <= mustBeValidAt) {
    return { usable: false, problem: `they expire${expiresAt <= new Date() ? 'd' : ''} on ${expiresAt.toISOString().slice(0, 10)}` };
  }
  return { usable: true, facts: { caFingerprint: ca.fingerprint256, expiresAt } };
}
