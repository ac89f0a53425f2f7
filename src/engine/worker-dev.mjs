// Development entry: lets Piscina run src/engine/worker.ts when the package runs from source
// (its own tests). Node 20 cannot load a .ts worker by itself; tsx's loader, registered for this
// thread only, compiles it. Published builds load dist/engine/worker.js and never use this file.
import { register } from 'tsx/esm/api'

register()
// eslint-disable-next-line antfu/no-top-level-await -- the loader must be registered before the import
const { default: runShare } = await import('./worker.ts')

export default runShare
