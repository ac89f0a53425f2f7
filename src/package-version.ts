import { readFileSync } from 'node:fs'

/**
 * This package's version, read once from its package.json (one level up from `src` and `dist`):
 * shown in reports, and compared between a distributed run's coordinator and its agents.
 */
export const PACKAGE_VERSION: string = (() => {
  try {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown }
    return typeof version === 'string'
      ? version
      : '0.0.0'
  }
  catch {
    // a bundler that moved this file
    return '0.0.0'
  }
})()
