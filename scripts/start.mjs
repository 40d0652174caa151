// `npm start`: builds the task pane, starts the BFF over HTTPS on https://localhost:3000 (pane and API
// on one origin) with office-addin-dev-certs' localhost certificate, then sideloads the add-in into
// desktop Office where it exists (Windows, macOS). On Linux there is no desktop Office: it prints how
// to open the browser preview and how to sideload into Office on the web.
//
//   npm start                      Word (manifest.xml)
//   npm start -- --app excel       Excel (manifest.xml)
//   npm start -- --app outlook     Outlook (manifest.outlook.xml)
//   npm start -- --no-sideload     only build and serve
// Environment: PORT (default 3000); OFFICE_JS=local serves the bundled office.js (no network needed);
// every BFF variable (OPENAI_BASE_URL, LLM_MODEL, …) passes through to the server.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argumentsGiven = process.argv.slice(2);
const appIndex = argumentsGiven.indexOf('--app');
const app = (appIndex === -1 ? 'word' : (argumentsGiven[appIndex + 1] ?? '')).toLowerCase();
const sideload = !argumentsGiven.includes('--no-sideload');
const port = process.env.PORT ?? '3000';
const manifest = path.join(root, app === 'outlook' ? 'manifest.outlook.xml' : 'manifest.xml');
const certificateDirectory = path.join(os.homedir(), '.office-addin-dev-certs');
const certificateFile = path.join(certificateDirectory, 'localhost.crt');
const keyFile = path.join(certificateDirectory, 'localhost.key');
const caFile = path.join(certificateDirectory, 'ca.crt');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

if (!['word', 'excel', 'outlook'].includes(app)) {
  console.error(`--app must be word, excel or outlook (got ${app}).`);
  process.exit(2);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`\n${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

/** Creates the localhost certificate (and trusts its CA where the platform lets us) once. */
async function ensureCertificates() {
  const devCerts = (await import('office-addin-dev-certs')).default;
  try {
    await devCerts.ensureCertificatesAreInstalled();
  } catch (error) {
    // Trusting the CA needs sudo on Linux; the files alone still let the server speak HTTPS.
    if (!existsSync(certificateFile) || !existsSync(keyFile)) await devCerts.generateCertificates();
    console.warn(`Could not trust the development CA (${error instanceof Error ? error.message : error}).`);
    console.warn(`Browsers will warn about https://localhost:${port} until you trust ${caFile} (npm run dev-certs).`);
  }
}

function waitForServer(timeoutMilliseconds = 120_000) {
  const started = Date.now();
  const ca = existsSync(caFile) ? readFileSync(caFile) : undefined;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const request = https.get({ host: 'localhost', port, path: '/healthz', ca, rejectUnauthorized: ca !== undefined }, (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      request.on('error', () => {
        if (Date.now() - started > timeoutMilliseconds) reject(new Error(`The server did not answer on https://localhost:${port} in time.`));
        else setTimeout(attempt, 500);
      });
    };
    attempt();
  });
}

console.log('Building the task pane…');
run(npm, ['run', 'build:taskpane']);

await ensureCertificates();
const serverEnvironment = { ...process.env, PORT: port, TLS_CERT_FILE: certificateFile, TLS_KEY_FILE: keyFile };
console.log(`Starting the BFF on https://localhost:${port} (TLS_CERT_FILE=${certificateFile}, TLS_KEY_FILE=${keyFile})…`);
const server = spawn(npm, ['run', 'serve'], { cwd: root, stdio: 'inherit', env: serverEnvironment });
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  if (sideload && process.platform !== 'linux') spawnSync(npx, ['office-addin-debugging', 'stop', manifest], { cwd: root, stdio: 'inherit' });
  server.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(stopping ? 0 : (code ?? 1)));

await waitForServer();
const previewUrl = `https://localhost:${port}/taskpane.html?host=${app}`;

if (sideload && (process.platform === 'win32' || process.platform === 'darwin')) {
  console.log(`Sideloading ${path.basename(manifest)} into desktop ${app}…`);
  const result = spawnSync(npx, ['office-addin-debugging', 'start', manifest, 'desktop', '--app', app, '--no-debug', '--no-live-reload', '--dev-server-port', port], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) console.warn('Sideloading failed; the server keeps running. See the messages above.');
} else {
  console.log(`
The add-in is served on https://localhost:${port}.

Browser preview (no Office needed; ?host=word, excel or outlook):
  ${previewUrl}

Office on the web (desktop Office does not exist on Linux):
  1. Open a document in Word or Excel on the web (manifest.xml), or Outlook on the web (manifest.outlook.xml).
  2. Word/Excel: Home > Add-ins > More Add-ins > My Add-ins > Upload My Add-in, and choose
       ${path.join(root, 'manifest.xml')}
     Outlook: Get Add-ins > My add-ins > Add a custom add-in > Add from file, and choose
       ${path.join(root, 'manifest.outlook.xml')}
  3. The browser must trust the development CA (${caFile}): run \`npm run dev-certs\` (needs sudo here)
     or import it into the browser's certificate settings.

Press Ctrl+C to stop.`);
}
