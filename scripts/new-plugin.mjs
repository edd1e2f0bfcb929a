// Scaffolds a zkVM AIR plugin package: node scripts/new-plugin.mjs air-xyz "What it proves"
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

const [name, description] = process.argv.slice(2);
if (!name || !description) {
  console.error('usage: node scripts/new-plugin.mjs <dir-name> "<description>"');
  process.exit(2);
}
const dir = `plugins/${name}`;
if (existsSync(`${dir}/package.json`)) {
  console.error(`${dir} exists`);
  process.exit(1);
}
mkdirSync(`${dir}/src`, { recursive: true });
mkdirSync(`${dir}/test`, { recursive: true });
const pkg = {
  name: `@nexus/${name}`,
  version: '0.1.0',
  description,
  type: 'module',
  sideEffects: false,
  license: 'MIT',
  exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
  main: './dist/index.js',
  types: './dist/index.d.ts',
  files: ['dist', 'src'],
  scripts: {
    build: 'tsc -p tsconfig.build.json',
    typecheck: 'tsc -p tsconfig.json --noEmit',
    test: 'vitest run',
  },
  dependencies: {
    '@nexus/air-common': 'workspace:^',
    '@nexus/field': 'workspace:^',
    '@nexus/vm': 'workspace:^',
  },
  peerDependencies: { '@nexus/kernel': 'workspace:^' },
  devDependencies: {
    '@nexus/kernel': 'workspace:^',
    '@nexus/air-testing': 'workspace:^',
    vitest: '4.1.12',
  },
  engines: { node: '>=20.19' },
};
writeFileSync(`${dir}/package.json`, `${JSON.stringify(pkg, null, 2)}\n`);
writeFileSync(
  `${dir}/tsconfig.json`,
  `${JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { noEmit: true }, include: ['src', 'test'] }, null, 2)}\n`,
);
writeFileSync(
  `${dir}/tsconfig.build.json`,
  `${JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { rootDir: 'src', outDir: 'dist' }, include: ['src'] }, null, 2)}\n`,
);
// biome's formatting, so a fresh package passes lint
execFileSync('npx', ['biome', 'format', '--write', dir], { stdio: 'ignore' });
console.log(`created ${dir}`);
