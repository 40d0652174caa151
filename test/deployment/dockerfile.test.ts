// `docker build` cannot run here (no engine), so this checks the image against what the build really
// produces: the server is compiled into a temporary folder laid out like the runtime stage (dist/,
// package.json, the dependencies), every COPY source exists, the CMD's entry file is in the output and
// starts (GET /livez answers, SIGTERM exits 0), every package the server imports is a production
// dependency (the runtime stage installs no others), the user is not root; the compose file builds
// this Dockerfile, runs two instances with Redis and a proxy, each with a health check; nginx.conf is
// well formed and sends to both instances.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { buildRuntimeImage } from '../support/runtime-image.js';
import { temporaryFolder } from '../support/temporary-folder.js';

const root = process.cwd();

interface Instruction {
  keyword: string;
  arguments: string;
}

/** The Dockerfile's instructions: comments dropped, continuation lines joined, ARG defaults substituted. */
function readDockerfile(): Instruction[] {
  const text = readFileSync(path.join(root, 'Dockerfile'), 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/gu, ' ');
  const instructions = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/u);
      return { keyword: keyword.toUpperCase(), arguments: rest.join(' ') };
    });
  const defaults = new Map<string, string>();
  for (const instruction of instructions) {
    const match = /^(\w+)=(\S+)$/u.exec(instruction.arguments);
    if (instruction.keyword === 'ARG' && match !== null) defaults.set(match[1] ?? '', match[2] ?? '');
  }
  return instructions.map((instruction) => ({
    ...instruction,
    arguments: instruction.arguments.replace(/\$\{(\w+)\}/gu, (whole, name: string) => defaults.get(name) ?? whole),
  }));
}

/** The instructions of each stage, by its name. */
function stages(instructions: Instruction[]): Map<string, Instruction[]> {
  const byName = new Map<string, Instruction[]>();
  let current: Instruction[] | undefined;
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const name = /\bAS\s+(\S+)$/iu.exec(instruction.arguments)?.[1] ?? `stage-${byName.size}`;
      current = [instruction];
      byName.set(name, current);
    } else current?.push(instruction);
  }
  return byName;
}

function copyParts(instruction: Instruction): { from: string | undefined; sources: string[]; destination: string } {
  const words = instruction.arguments.split(/\s+/u);
  const flags = words.filter((word) => word.startsWith('--'));
  const paths = words.filter((word) => !word.startsWith('--'));
  return {
    from: flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length),
    sources: paths.slice(0, -1),
    destination: paths.at(-1) ?? '',
  };
}

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(directory, entry.name)) : [path.join(directory, entry.name)],
  );
}

const instructions = readDockerfile();
const byStage = stages(instructions);
const runtime = [...byStage.values()].at(-1) ?? [];
const runtimeWorkdir = runtime.find((instruction) => instruction.keyword === 'WORKDIR')?.arguments ?? '/';

describe('Dockerfile', () => {
  let image: string;
  beforeAll(async () => {
    image = temporaryFolder('image-app');
    await buildRuntimeImage(image);
  }, 240_000);

  test('is multi-stage: the build has every dependency, the runtime only production ones, as a user that is not root', () => {
    expect([...byStage.keys()]).toEqual(['build', 'production-dependencies', 'runtime']);
    const runs = (stage: string) =>
      (byStage.get(stage) ?? []).filter((instruction) => instruction.keyword === 'RUN').map((instruction) => instruction.arguments);
    expect(runs('build').join('\n')).toMatch(/npm ci\b(?![^\n]*--omit=dev)[\s\S]*npm run build/u);
    expect(runs('production-dependencies').join('\n')).toMatch(/npm ci --omit=dev/u);
    expect(runs('runtime')).toEqual([]);
    const user = runtime.filter((instruction) => instruction.keyword === 'USER').at(-1)?.arguments;
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    // Every runtime file belongs to that user's group of files, copied with --chown.
    for (const copy of runtime.filter((instruction) => instruction.keyword === 'COPY')) expect(copy.arguments).toContain(`--chown=${user}`);
  });

  test("every COPY source exists: in the repository for the build context, in the build's output for the runtime", () => {
    const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    for (const [stage, stageInstructions] of byStage) {
      for (const copy of stageInstructions.filter((instruction) => instruction.keyword === 'COPY')) {
        const { from, sources } = copyParts(copy);
        for (const source of sources) {
          if (from === undefined) {
            expect({ stage, source, exists: existsSync(path.join(root, source)) }).toEqual({ stage, source, exists: true });
            // A source the .dockerignore drops would be missing from the build context.
            expect(ignored).not.toContain(source.replace(/^\.\//u, ''));
          } else if (from === 'build') {
            // The build stage's /app/dist is what `npm run build` writes: the server here, the pane by webpack's default output.
            expect(source).toBe('/app/dist');
            expect(existsSync(path.join(image, 'dist', 'server'))).toBe(true);
          } else {
            expect({ stage, from, source }).toEqual({ stage, from: 'production-dependencies', source: '/app/node_modules' });
          }
        }
      }
    }
    for (const secret of ['.env', 'node_modules', '.git', '*.pem', '*.key']) expect(ignored).toContain(secret);
  });

  test('the pane is served from where webpack writes it', async () => {
    const environment = runtime.find((instruction) => instruction.keyword === 'ENV')?.arguments ?? '';
    expect(environment).toMatch(new RegExp(`STATIC_DIR=${runtimeWorkdir}/dist/taskpane\\b`, 'u'));
    const printed = await run(
      process.execPath,
      ['--input-type=module', '-e', "const m = await import('./webpack.config.js'); console.log(m.default({}, { mode: 'production' }).output.path)"],
      {
        cwd: root,
      },
    );
    expect(printed.output.trim()).toBe(path.join(root, 'dist', 'taskpane'));
  }, 60_000);

  test('the CMD entry file is in the build output, and every package it imports is a production dependency', () => {
    const command = runtime.find((instruction) => instruction.keyword === 'CMD')?.arguments ?? '';
    const [executable, entry] = JSON.parse(command) as string[];
    expect(executable).toBe('node');
    expect(existsSync(path.join(image, entry ?? ''))).toBe(true);
    const { dependencies = {} } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    const imported = new Set<string>();
    for (const file of filesUnder(path.join(image, 'dist')).filter((name) => name.endsWith('.js'))) {
      const source = readFileSync(file, 'utf8');
      // import … from 'x', export … from 'x', import 'x', import('x'): the emitted ES modules' only ways to load a package.
      const statements = /^\s*(?:import|export)\b[^'"\n;]*?\bfrom\s*(['"])([^'"\n]+)\1|^\s*import\s*(['"])([^'"\n]+)\3|\bimport\(\s*(['"])([^'"\n]+)\5\s*\)/gmu;
      for (const match of source.matchAll(statements)) {
        const specifier = match[2] ?? match[4] ?? match[6] ?? '';
        if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
        const parts = specifier.split('/');
        imported.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? ''));
      }
    }
    expect(imported.size).toBeGreaterThan(5);
    expect([...imported].filter((name) => !(name in dependencies))).toEqual([]);
  });

  test('the entry starts from the runtime layout, answers /livez (the HEALTHCHECK) on the EXPOSEd port setting, and exits 0 on SIGTERM', async () => {
    const healthcheck = runtime.find((instruction) => instruction.keyword === 'HEALTHCHECK')?.arguments ?? '';
    expect(healthcheck).toContain('/livez');
    const exposed = runtime.find((instruction) => instruction.keyword === 'EXPOSE')?.arguments;
    expect(runtime.find((instruction) => instruction.keyword === 'ENV')?.arguments).toContain(`PORT=${exposed}`);

    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const home = temporaryFolder('image-home');
    const command = JSON.parse(runtime.find((instruction) => instruction.keyword === 'CMD')?.arguments ?? '[]') as string[];
    const child = spawn(process.execPath, command.slice(1), {
      cwd: image,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: home,
        NODE_ENV: 'production',
        // Loopback here: the image's 0.0.0.0 needs sign-in settings.
        HOST: '127.0.0.1',
        PORT: String(port),
        OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
        LLM_MODEL: 'image-test',
        STATIC_DIR: path.join(image, 'dist', 'taskpane'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      let live = 0;
      for (const deadline = Date.now() + 60_000; live !== 200;) {
        live = await fetch(`http://127.0.0.1:${port}/livez`).then(
          (response) => response.status,
          () => 0,
        );
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the built server did not start:\n${output.slice(-2000)}`);
        if (live !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(home, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('deploy/compose.yaml and deploy/nginx.conf', () => {
  const compose = parseYaml(readFileSync(path.join(root, 'deploy/compose.yaml'), 'utf8'), { merge: true }) as {
    services: Record<
      string,
      {
        build?: { context: string; dockerfile: string };
        image?: string;
        healthcheck?: { test: string[] };
        environment?: Record<string, string>;
        volumes?: string[];
      }
    >;
  };
  const nginx = readFileSync(path.join(root, 'deploy/nginx.conf'), 'utf8');

  test('two BFF instances built from the Dockerfile, Redis and a reverse proxy, each with a health check', () => {
    const services = compose.services;
    const built = Object.entries(services).filter(([, service]) => service.build !== undefined);
    expect(built.map(([name]) => name)).toEqual(['bff-1', 'bff-2']);
    for (const [, service] of built) {
      expect(existsSync(path.resolve(root, 'deploy', service.build?.context ?? '', service.build?.dockerfile ?? ''))).toBe(true);
      expect(service.build?.dockerfile).toBe('Dockerfile');
      expect(service.environment?.['REDIS_URL']).toBe('redis://redis:6379');
      expect(service.healthcheck?.test.join(' ')).toContain('/livez');
    }
    expect(services['redis']?.image).toMatch(/^redis:/u);
    expect(services['proxy']?.image).toMatch(/^nginx:/u);
    for (const service of Object.values(services)) expect(service.healthcheck?.test.length).toBeGreaterThan(1);
    // The proxy mounts this nginx.conf.
    expect(services['proxy']?.volumes).toContain('./nginx.conf:/etc/nginx/nginx.conf:ro');
  });

  test('nginx.conf is well formed, ends TLS and sends to both instances without buffering streams', () => {
    const code = nginx.replace(/#[^\n]*/gu, '').replace(/"[^"]*"/gu, '""');
    let depth = 0;
    for (const character of code) {
      if (character === '{') depth += 1;
      if (character === '}') depth -= 1;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
    // Every directive ends with ; or opens a block.
    for (const line of code.split('\n').map((each) => each.trim())) {
      if (line !== '' && line !== '}') expect(line).toMatch(/[;{]$/u);
    }
    const upstream = /upstream\s+bff\s*\{([^}]*)\}/u.exec(code)?.[1] ?? '';
    expect([...upstream.matchAll(/server\s+(\S+)/gu)].map((match) => match[1])).toEqual(['bff-1:3000', 'bff-2:3000']);
    expect(code).toMatch(/listen 443 ssl;/u);
    expect(code).toMatch(/ssl_certificate\s+\S+;/u);
    expect(code).toMatch(/proxy_pass http:\/\/bff;/u);
    expect(code).toMatch(/proxy_buffering off;/u);
    expect(code).toMatch(/X-Forwarded-For \$proxy_add_x_forwarded_for;/u);
    // The instances believe that X-Forwarded-For only from the proxy's address.
    expect(compose.services['bff-1']?.environment?.['TRUST_PROXY']).toBe('172.28.0.10');
  });
});
