/**
 * `npm start`: the gateway. With `--config FILE` (or BACKUPQL_CONFIG) it serves the sources of
 * that file; with no configuration it runs in demo mode: the simulated fleet in this process on
 * loopback, and the gateway on http://localhost:4000/graphql. PORT overrides the port.
 */
import { parseArgs } from 'node:util';
import { checkConfig, ConfigError, loadConfigFile, type Config } from './config.js';
import { systemClock } from './lib/clock.js';
import { createGateway, type GatewayOptions } from './gateway.js';
import { dcsInstanceId } from './providers/huawei/ids.js';
import { startFleetSimulators, type FleetSimulators } from './simulators/index.js';

const DEFAULT_PORT = 4000;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' } }, strict: true });
  const file = values.config ?? process.env.BACKUPQL_CONFIG;
  const portText = process.env.PORT;
  const envPort = portText === undefined || portText === '' ? undefined : Number(portText);
  if (envPort !== undefined && (!Number.isInteger(envPort) || envPort < 0 || envPort > 65535)) {
    throw new ConfigError('PORT', [`must be a port number (0-65535); got ${portText}`]);
  }

  // Demo mode and production both run on the real clock; tests inject a fixed one.
  const clock = systemClock;
  let config: Config;
  let sims: FleetSimulators | undefined;
  let options: GatewayOptions = { clock };
  if (file) {
    config = await loadConfigFile(file);
  } else {
    sims = await startFleetSimulators({ clock });
    // The demo's upstreams are simulated: its actions (start, cancel, delete) are on, to be tried;
    // the fleet views answer from the snapshot, as a large fleet's would.
    config = checkConfig({ ...sims.config(), actions: { enabled: true }, snapshot: { enabled: true } }, 'demo configuration');
    // The demo's example: page through the instance with the most backups.
    const project = sims.fleet.huawei.projects[0]!;
    const busiest = [...project.dcs].sort((a, b) => b.backups.length - a.backups.length)[0]!;
    options = {
      clock,
      graphiqlTitle: 'backupql (demo fleet)',
      exampleInstanceId: dcsInstanceId(project.name, busiest.row.instance_id),
    };
  }

  const gateway = createGateway(config, options);
  const port = envPort ?? config.server.port ?? DEFAULT_PORT;
  const url = await gateway.listen(port);
  if (sims) {
    console.log('backupql demo mode: no configuration given, serving a simulated fleet.');
    console.log(`  simulators: ${JSON.stringify(sims.describe())}`);
  }
  console.log(`  GraphQL + GraphiQL: ${url}  (open it in a browser)`);

  const stop = async () => {
    await gateway.close();
    await sims?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(`backupql failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
