// Debian packages the benches measure against (gunicorn and Flask, hey), installed when missing.
import { execFileSync } from 'node:child_process'
import process from 'node:process'

/** `apt-get update`, then installs `packages` without recommends, non-interactively (needs root). */
export function aptInstall(packages, log) {
  log(`installing Debian's ${packages.join(' and ')} (apt-get)…`)
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' })
  execFileSync('apt-get', [
    'install',
    '-y',
    '-qq',
    '--no-install-recommends',
    ...packages,
  ], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
}
