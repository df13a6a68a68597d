// network.mjs — a real Bluesky network for Pauta's integration tests:
// @atproto/dev-env's TestNetwork (PLC directory + PDS + the bsky AppView,
// with ozone and bsync beside it) on fixed loopback ports and a private
// PostgreSQL (start.sh starts the cluster and this process), plus a small
// control channel on 127.0.0.1 that tests use to act as other people.
//
// Control channel (JSON in, JSON out; every call is a POST):
//   /account  {handle}            → {did, handle, password, appPassword}
//   /act      {as, action, ...}   → {uri, cid} (or {} for delete)
//       action post    {text}                      facets detected, mentions resolved
//              reply   {text, parent, root}        parent/root = {uri, cid}
//              quote   {text, subject}             app.bsky.embed.record
//              like | repost {subject}
//              follow  {did}
//              delete  {uri}                       any record of that account
//   /process  {}                  → {}  lets the AppView index everything so far
//   /info     {}                  → the URLs below
// When ready it writes $BSKY_RUN/network.json with the URLs; SIGTERM or
// SIGINT closes the network and drops its PostgreSQL schemas.
import fs from 'node:fs/promises'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'
import { AtpAgent, RichText } from '@atproto/api'
import { TestNetwork } from '@atproto/dev-env'
import pg from 'pg'

const env = process.env
const port = (name, def) => parseInt(env[name] || String(def), 10)
const ports = {
  plc: port('BSKY_PLC_PORT', 2591),
  pds: port('BSKY_PDS_PORT', 2592),
  appview: port('BSKY_APPVIEW_PORT', 2593),
  ozone: port('BSKY_OZONE_PORT', 2594),
  control: port('BSKY_CONTROL_PORT', 2595),
}
const dbUrl = env.BSKY_DB_URL
const schema = env.BSKY_DB_SCHEMA || 'pauta'
const run = env.BSKY_RUN
if (!dbUrl || !run) {
  console.error('BSKY_DB_URL and BSKY_RUN must be set (start.sh sets them)')
  process.exit(2)
}
if (!/^[a-z_]+$/i.test(schema)) {
  console.error('BSKY_DB_SCHEMA takes letters and underscores only')
  process.exit(2)
}

// Every server dev-env starts listens on loopback only (it passes a bare
// port, which Node binds on every interface).
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && (args.length === 1 || typeof args[1] === 'function')) {
    args.splice(1, 0, '127.0.0.1')
  } else if (args[0] && typeof args[0] === 'object' && args[0].port !== undefined && !args[0].host) {
    args[0] = { ...args[0], host: '127.0.0.1' }
  }
  return listen.apply(this, args)
}

const schemas = [`bsync_${schema}`, `appview_${schema}`, `ozone_${schema}`]
async function dropSchemas() {
  const client = new pg.Client({ connectionString: dbUrl })
  await client.connect()
  try {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`)
  } finally {
    await client.end()
  }
}

const t0 = Date.now()
env.REDIS_HOST ||= 'unused' // TestNetwork insists on it; this AppView never uses it
await dropSchemas() // a run killed before it could clean up
const network = await TestNetwork.create({
  dbPostgresUrl: dbUrl,
  dbPostgresSchema: schema,
  plc: { port: ports.plc },
  pds: { port: ports.pds, blobUploadLimit: port('PDS_BLOB_UPLOAD_LIMIT', 5 * 1024 * 1024) },
  bsky: { port: ports.appview },
  ozone: { port: ports.ozone },
})
const info = {
  plc: network.plc.url,
  pds: network.pds.url,
  appview: network.bsky.url,
  ozone: network.ozone.url,
  control: `http://127.0.0.1:${ports.control}`,
}

// --- people other than Pauta --------------------------------------------------

const accounts = new Map() // handle and did → {agent, did, handle}

async function createAccount({ handle }) {
  if (!handle || !handle.endsWith('.test')) throw new Error('handle must end in .test')
  const password = 'pw-' + handle
  const agent = new AtpAgent({ service: network.pds.url })
  await agent.createAccount({ handle, email: `${handle}@example.com`, password })
  const ap = await agent.com.atproto.server.createAppPassword({ name: 'Pauta tests' })
  const a = { agent, did: agent.session.did, handle }
  accounts.set(handle, a)
  accounts.set(a.did, a)
  return { did: a.did, handle, password, appPassword: ap.data.password }
}

const strong = (r, what) => {
  if (!r || !r.uri || !r.cid) throw new Error(`${what} needs {uri, cid}`)
  return { uri: r.uri, cid: r.cid }
}

async function act(body) {
  const a = accounts.get(body.as)
  if (!a) throw new Error(`no account ${body.as} (create it with /account)`)
  const { agent } = a
  const text = async () => {
    const rt = new RichText({ text: String(body.text ?? '') })
    await rt.detectFacets(agent) // resolves @handles to DIDs, like the app does
    return { text: rt.text, facets: rt.facets, createdAt: new Date().toISOString(), langs: ['es'] }
  }
  switch (body.action) {
    case 'post':
      return agent.post(await text())
    case 'reply':
      return agent.post({ ...(await text()), reply: { root: strong(body.root, 'root'), parent: strong(body.parent, 'parent') } })
    case 'quote':
      return agent.post({ ...(await text()), embed: { $type: 'app.bsky.embed.record', record: strong(body.subject, 'subject') } })
    case 'like':
      return agent.like(body.subject?.uri, body.subject?.cid)
    case 'repost':
      return agent.repost(body.subject?.uri, body.subject?.cid)
    case 'follow':
      if (!body.did) throw new Error('follow needs did')
      return agent.follow(body.did)
    case 'delete': {
      const m = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(body.uri || '')
      if (!m) throw new Error('delete needs an at:// uri')
      await agent.com.atproto.repo.deleteRecord({ repo: m[1], collection: m[2], rkey: m[3] })
      return {}
    }
    default:
      throw new Error(`unknown action ${body.action}`)
  }
}

const routes = {
  '/account': createAccount,
  '/act': act,
  '/process': async () => (await network.processAll(), {}),
  '/info': async () => info,
}

const control = http.createServer(async (req, res) => {
  const reply = (status, obj) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(obj))
  }
  const fn = routes[req.url]
  if (req.method !== 'POST' || !fn) return reply(404, { error: 'POST /account, /act, /process or /info' })
  try {
    let raw = ''
    for await (const chunk of req) raw += chunk
    reply(200, (await fn(raw ? JSON.parse(raw) : {})) ?? {})
  } catch (e) {
    reply(400, { error: String(e?.message || e) })
  }
})
await new Promise((ok, fail) => control.once('error', fail).listen(ports.control, '127.0.0.1', ok))

await fs.writeFile(path.join(run, 'network.json.tmp'), JSON.stringify(info, null, 2))
await fs.rename(path.join(run, 'network.json.tmp'), path.join(run, 'network.json'))
console.log(`network ready in ${Date.now() - t0} ms: ${JSON.stringify(info)}`)

let stopping = false
async function stop() {
  if (stopping) return
  stopping = true
  const t = Date.now()
  control.close()
  try {
    await network.close()
  } catch (e) {
    console.error('close:', e)
  }
  try {
    await dropSchemas()
  } catch (e) {
    console.error('drop schemas:', e)
  }
  console.log(`network stopped in ${Date.now() - t} ms`)
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
