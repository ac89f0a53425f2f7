// The least a Piscina worker can do to send a load's first request: import undici, send one GET.
import { request } from 'undici'

export default async function sendOne({ url }) {
  const { body } = await request(url)
  await body.dump()
  return null
}
