// `npm run cache:purge [-- --tenant <tenant id>]`: deletes this product's entries from the configured
// result cache (the SQLite file at CACHE_PATH, or Redis at REDIS_URL; the same variables as the
// server, CACHE=off included, so what an earlier run stored can still be purged). With --tenant, only
// that Entra tenant's entries. Safe while BFFs run: they simply miss and redo the work.
import { parseArgs } from 'node:util';
import { ConfigError, configProblemReport, loadCacheStoreSettings } from '../src/server/config.js';
import { purgeResultCache } from '../src/server/engine/purge-result-cache.js';

const usage = 'Usage: npm run cache:purge [-- --tenant <tenant id>]';

let tenantId: string | undefined;
try {
  // `tsx scripts/purge-cache.ts -- --tenant x` passes the `--` that npm would have taken.
  const args = process.argv.slice(2).filter((argument, index) => !(index === 0 && argument === '--'));
  const { values } = parseArgs({ args, options: { tenant: { type: 'string' }, help: { type: 'boolean' } }, strict: true, allowPositionals: false });
  if (values.help === true) {
    console.log(usage);
    process.exit(0);
  }
  if (values.tenant !== undefined && values.tenant.trim() === '') throw new Error('--tenant needs a tenant id');
  tenantId = values.tenant?.trim();
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  process.exit(2);
}

try {
  const settings = loadCacheStoreSettings(process.env);
  const outcome = await purgeResultCache(settings, tenantId === undefined ? {} : { tenantId });
  console.log(
    `Purged ${outcome.deleted} cached result${outcome.deleted === 1 ? '' : 's'}${tenantId === undefined ? '' : ` of tenant ${tenantId}`} from ${outcome.store}.`,
  );
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(configProblemReport(error).replace('The server cannot start', 'The cache cannot be purged'));
  } else {
    console.error(`The cache could not be purged: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
}
