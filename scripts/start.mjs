// `npm start`: checks the settings and the port, builds the task pane, starts the BFF over HTTPS on
// https://localhost:3000 (pane and API on one origin) with a development certificate, then sideloads
// the add-in into desktop Office where it exists (Windows, macOS). On Linux there is no desktop
// Office: it prints the browser preview's addresses and how to use Office on the web instead.
//
//   npm start                      Word (manifest.xml)
//   npm start -- --app excel       Excel (manifest.xml)
//   npm start -- --app outlook     Outlook (manifest.outlook.xml)
//   npm start -- --no-sideload     only build and serve
// Environment: every BFF variable (PORT, OPENAI_BASE_URL, LLM_MODEL, …) passes through to the server
// and is checked before the build; OFFICE_JS=local serves the bundled office.js (no network needed).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argumentsGiven = process.argv.slice(2);
const appIndex = argumentsGiven.indexOf('--app');
const app = (appIndex === -1 ? 'word' : (argumentsGiven[appIndex + 1] ?? '')).toLowerCase();
const desktopOffice = process.platform === 'win32' || process.platform === 'darwin';
const sideload = desktopOffice && !argumentsGiven.includes('--no-sideload');
const manifest = path.join(root, app === 'outlook' ? 'manifest.outlook.xml' : 'manifest.xml');

if (!['word', 'excel', 'outlook'].includes(app)) {
  console.error(`--app must be word, excel or outlook (got "${app}").`);
  process.exit(2);
}

// 1. The settings, with the server's own validation, before anything slow: a typo costs a second, not a build.
const { ConfigError, configProblemReport, listenProblem, loadConfig } = await tsImport('../src/server/config.ts', import.meta.url);
let config;
try {
  // npm start supplies the certificate itself (step 3).
  config = loadConfig({ ...process.env, TLS_CERT_FILE: undefined, TLS_KEY_FILE: undefined });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(configProblemReport(error));
  process.exit(1);
}
const port = config.port;

// 2. The port: another server on it would otherwise surface only after the build.
const portProblem = await new Promise((resolve) => {
  const probe = net.createServer();
  probe.once('error', (error) => resolve(listenProblem(error, config.host, port) ?? `The server cannot listen on ${config.host}:${port} (${error.message}).`));
  probe.listen(port, config.host, () => probe.close(() => resolve(undefined)));
});
if (portProblem !== undefined) {
  process.stderr.write(`${portProblem}\n`);
  process.exit(1);
}

// 3. One development CA and certificate, reused across starts (a CA imported into a browser keeps working).
const { ensureDevelopmentCertificates } = await tsImport('./dev-certificates.ts', import.meta.url);
const certificates = await ensureDevelopmentCertificates();
const validUntil = certificates.expiresAt.toISOString().slice(0, 10);
if (certificates.regeneratedBecause === undefined) {
  console.log(`Development certificate: ${certificates.certificateFile} (CA ${certificates.caFile}, valid until ${validUntil}).`);
} else {
  console.log(`Made a development CA and certificate in ${certificates.directory} (${certificates.regeneratedBecause}); valid until ${validUntil}.`);
}
const caTrusted = desktopOffice ? await trustCertificateAuthority(certificates) : false;

// 4. The pane.
console.log('Building the task pane…');
run(...npmCommand(['run', 'build:taskpane']));

// 5. The server, started directly (not through `npm run serve`) so its one-line errors are the last thing printed.
const serverEnvironment = { ...process.env, PORT: String(port), TLS_CERT_FILE: certificates.certificateFile, TLS_KEY_FILE: certificates.keyFile };
console.log(`Starting the BFF on https://localhost:${port}…`);
const server = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'server', 'main.ts')], { cwd: root, stdio: 'inherit', env: serverEnvironment });
let debuggingCli;
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  if (debuggingCli !== undefined) spawnSync(process.execPath, [debuggingCli, 'stop', manifest], { cwd: root, stdio: 'inherit' });
  server.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(stopping ? 0 : (code ?? 1)));

const health = await waitForServer();
if (health.status === 'starting') console.log(`The LLM provider is starting: ${health.reason ?? 'see the server log above'}`);
else if (health.ready === false) console.warn(`The server runs, but the LLM provider is not ready: ${health.reason ?? 'see the server log above'}`);

// 6. Desktop Office where there is one; otherwise (or if that fails) how to open the add-in.
if (sideload && (await sideloadIntoDesktopOffice())) console.log('Press Ctrl+C to stop.');
else printHowToOpen();

/** Runs office-addin-debugging's CLI when it is installed (it is optional: it needs keytar, which needs libsecret on Linux). */
async function sideloadIntoDesktopOffice() {
  try {
    await import('office-addin-debugging');
  } catch (error) {
    const missing = error?.code === 'ERR_MODULE_NOT_FOUND';
    console.warn(
      `Sideloading into desktop Office needs office-addin-debugging, an optional package that ${missing ? 'is not installed' : `does not load (${error?.message ?? error})`}: run \`npm install\` again (on Linux it needs libsecret first: sudo apt-get install libsecret-1-dev). Meanwhile, open the add-in as shown below.`,
    );
    return false;
  }
  debuggingCli = officeAddinDebuggingCliPath();
  console.log(`Sideloading ${path.basename(manifest)} into desktop ${app}…`);
  const result = spawnSync(
    process.execPath,
    [debuggingCli, 'start', manifest, 'desktop', '--app', app, '--no-debug', '--no-live-reload', '--dev-server-port', String(port)],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.status === 0) return true;
  console.warn('Sideloading failed; the server keeps running. See the messages above, or open the add-in as shown below.');
  return false;
}

/** The package's own CLI script, run with this Node (no npx: it would download a missing package, no .cmd shim on Windows). */
function officeAddinDebuggingCliPath() {
  let directory = path.dirname(fileURLToPath(import.meta.resolve('office-addin-debugging')));
  for (;;) {
    const manifestFile = path.join(directory, 'package.json');
    if (existsSync(manifestFile)) {
      const packageJson = JSON.parse(readFileSync(manifestFile, 'utf8'));
      if (packageJson.name === 'office-addin-debugging') {
        const bin = typeof packageJson.bin === 'string' ? packageJson.bin : packageJson.bin['office-addin-debugging'];
        return path.join(directory, bin);
      }
    }
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error('office-addin-debugging is installed but its package.json was not found.');
    directory = parent;
  }
}

/** Windows and macOS trust a CA per user without sudo; a new CA replaces the old one of the same name. */
async function trustCertificateAuthority(files) {
  const devCerts = await import('office-addin-dev-certs');
  try {
    if (files.regeneratedBecause !== undefined) await devCerts.uninstallCaCertificate(false, false);
    if (files.regeneratedBecause !== undefined || !devCerts.isCaCertificateInstalled()) await devCerts.installCaCertificate(files.caFile);
    return true;
  } catch (error) {
    console.warn(`Could not trust the development CA (${error instanceof Error ? error.message.split('\n')[0] : error}).`);
    return false;
  }
}

/** npm itself: through Node when npm started us (no shell needed for npm.cmd on Windows), else from PATH. */
function npmCommand(args) {
  const npmCli = process.env.npm_execpath;
  if (npmCli !== undefined && /\.c?js$/.test(npmCli)) return [process.execPath, [npmCli, ...args]];
  return process.platform === 'win32' ? ['npm.cmd', args, { shell: true }] : ['npm', args];
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(
      `\n${[command, ...args].map((part) => path.basename(part)).join(' ')} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}).`,
    );
    process.exit(result.status || 1);
  }
}

/** Resolves with /healthz's answer once the server speaks HTTPS with our certificate. */
function waitForServer(timeoutMilliseconds = 120_000) {
  const started = Date.now();
  const ca = readFileSync(certificates.caFile);
  // Connect where the server listens; verify the name the browser will use.
  const host = ['0.0.0.0', '::', ''].includes(config.host) ? '127.0.0.1' : config.host;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const request = https.get({ host, port, servername: 'localhost', path: '/healthz', ca }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch {
            resolve({});
          }
        });
      });
      request.on('error', (error) => {
        if (Date.now() - started > timeoutMilliseconds) reject(new Error(`The server did not answer on https://localhost:${port} in time (${error.message}).`));
        else setTimeout(attempt, 500);
      });
    };
    attempt();
  });
}

function printHowToOpen() {
  const base = `https://localhost:${port}`;
  const lines = [
    '',
    `The add-in is served on ${base}.`,
    '',
    'Browser preview (no Office needed):',
    ...['word', 'excel', 'outlook'].map((host) => `  ${base}/taskpane.html?host=${host}`),
    '',
    `Office on the web${desktopOffice ? '' : ' (there is no desktop Office on this system)'}: open a document or mailbox, then`,
    `  Word, Excel: Home > Add-ins > More Add-ins > My Add-ins > Upload My Add-in, and choose ${path.join(root, 'manifest.xml')}`,
    `  Outlook:     Get Add-ins > My add-ins > Add a custom add-in > Add from file, and choose ${path.join(root, 'manifest.outlook.xml')}`,
  ];
  if (port !== 3000) lines.push(`  The manifests point to https://localhost:3000: Office needs PORT=3000 (this server is on ${port}).`);
  if (!caTrusted) {
    lines.push(
      '',
      `The browser must trust the development CA once: import ${certificates.caFile} as a certificate authority`,
      '  (Chrome: Settings > Privacy and security > Security > Manage certificates; Firefox: Settings > Privacy & Security > View Certificates > Authorities).',
      `  It stays the same across starts until ${validUntil}.`,
    );
  }
  lines.push('', 'Press Ctrl+C to stop.');
  console.log(lines.join('\n'));
}
