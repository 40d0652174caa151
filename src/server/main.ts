// Entry point of the BFF: `npm run serve`. Reads configuration from the environment, starts the
// provider (the local model loads in the background) and listens on HOST:PORT.
import { readFileSync } from 'node:fs';
import { buildApp } from './app.js';
import { ConfigError, configProblemReport, listenProblem, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createLanguageModel } from './providers/create-language-model.js';
import { resilientFromConfig } from './resilience/resilient-language-model.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(configProblemReport(error));
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const model = resilientFromConfig(await createLanguageModel(config, logger), config.upstream);
  const app = await buildApp({ config, model, logger, version: packageJson.version });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      // /readyz turns 503 and no new connection is taken; requests and streams in flight may finish
      // for SHUTDOWN_GRACE_MS, then whatever is still open is cut so the process ends before the
      // orchestrator's SIGKILL (Kubernetes: 30 s after SIGTERM).
      logger.info({ signal, graceMilliseconds: config.shutdownGraceMilliseconds }, 'shutting down: requests in flight may finish, new ones are refused');
      const cutOff = setTimeout(() => {
        logger.warn('shutdown: the grace period is over; closing the connections still open');
        app.server.closeAllConnections();
      }, config.shutdownGraceMilliseconds);
      cutOff.unref();
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    // A taken port or a wrong HOST is a setting to change, not a crash: one line, no stack.
    const problem = listenProblem(error, config.host, config.port);
    if (problem === undefined) throw error;
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
  logger.info(
    { provider: model.provider, model: model.modelId },
    `BFF listening on ${config.tls === undefined ? 'http' : 'https'}://${config.host}:${config.port}`,
  );
}

await main();
