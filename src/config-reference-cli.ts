/** `npm run docs:config`: writes docs/configuration.md from the configuration schema (src/config-reference.ts). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigurationDoc } from './config-reference.js';

const file = fileURLToPath(new URL('../docs/configuration.md', import.meta.url));
writeFileSync(file, renderConfigurationDoc());
console.log(`wrote ${file}`);
