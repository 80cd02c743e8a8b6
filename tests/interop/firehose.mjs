// Replays com.atproto.sync.subscribeRepos from cursor 0 and checks every #commit frame with the OFFICIAL packages:
// frame = DAG-CBOR header + body (@atproto/lex-cbor), seq strictly increasing, blocks = a CAR whose every CID is
// re-hashed (@atproto/repo readCarWithRoot) and whose root is the event's commit, commit signed by the #atproto key
// of /.well-known/did.json (verifyCommitSig), rev/did consistent, every create/update op's record block present.
// Stops at the head reported by sync.getLatestCommit. One JSON line; exit 1 on any mismatch.
//
//   node firehose.mjs <baseUrl> <did>     (or $ALTERAN_URL $ALTERAN_DID)
import { formatDidKey, parseMultikey } from '@atproto/crypto'
import { decodeAll } from '@atproto/lex-cbor'
import { MemoryBlockstore, def, readCarWithRoot, verifyCommitSig } from '@atproto/repo'
import { check, readArgs, run, step } from './common.mjs'

const { url, did } = readArgs([['url', 'ALTERAN_URL'], ['did', 'ALTERAN_DID']], 'node firehose.mjs <baseUrl> <did>')
const q = encodeURIComponent

async function getJson(path) {
  const res = await fetch(new URL(path, url))
  const text = await res.text()
  if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status} ${text.slice(0, 300)}`)
  return JSON.parse(text)
}

run(async () => {
  const signingKey = await step('didDocument', async () => {
    const doc = await getJson('/.well-known/did.json')
    const vm = doc.verificationMethod?.find((m) => m.id === `${did}#atproto` || m.id === '#atproto')
    check(vm?.publicKeyMultibase, 'verificationMethod #atproto present')
    const parsed = parseMultikey(vm.publicKeyMultibase)
    return formatDidKey(parsed.jwtAlg, parsed.keyBytes)
  })
  const head = await step('getLatestCommit', () => getJson(`/xrpc/com.atproto.sync.getLatestCommit?did=${q(did)}`))

  const frames = await step('subscribeRepos', () => collect(head))

  const summary = await step('commits', async () => {
    let lastSeq = -1
    let lastRev = ''
    let commits = 0
    let ops = 0
    const types = {}
    for (const bytes of frames) {
      const [header, body, ...rest] = [...decodeAll(bytes)]
      check(rest.length === 0, 'frame is exactly header + body')
      check(header?.op === 1, `frame op ${header?.op} (error frame: ${JSON.stringify(body)})`)
      types[header.t] = (types[header.t] ?? 0) + 1
      check(Number.isInteger(body.seq) && body.seq > lastSeq, `seq ${body.seq} > ${lastSeq}`)
      lastSeq = body.seq
      if (header.t !== '#commit') continue
      check(body.repo === did, `commit repo ${body.repo}`)
      const car = await readCarWithRoot(body.blocks)
      check(car.root.equals(body.commit), `CAR root ${car.root} == commit ${body.commit}`)
      const store = new MemoryBlockstore(car.blocks)
      const commit = await store.readObj(body.commit, def.commit)
      check(commit.did === did && commit.version === 3, 'commit did/version')
      check(commit.rev === body.rev, `commit rev ${commit.rev} == event rev ${body.rev}`)
      check(commit.rev > lastRev, `rev ${commit.rev} increases`)
      lastRev = commit.rev
      check(await verifyCommitSig(commit, signingKey), `signature of commit ${body.commit}`)
      for (const op of body.ops) {
        ops++
        check(['create', 'update', 'delete'].includes(op.action), `op action ${op.action}`)
        if (op.action === 'delete') check(op.cid === null, `delete op cid is null (${op.path})`)
        else check(op.cid && car.blocks.has(op.cid), `record block of ${op.path} in the event's CAR`)
      }
      commits++
    }
    check(lastRev === head.rev, `replay reached the head rev ${head.rev} (last ${lastRev})`)
    return { commits, ops, lastSeq, types }
  })

  return { did, head, frames: frames.length, ...summary }
})

/** Binary frames from cursor 0 until the #commit of the head arrives (bounded: 20 s, 10 000 frames). */
function collect(head) {
  const ws = new URL(`/xrpc/com.atproto.sync.subscribeRepos?cursor=0`, url)
  ws.protocol = ws.protocol === 'https:' ? 'wss:' : 'ws:'
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(ws)
    socket.binaryType = 'arraybuffer'
    const frames = []
    const done = (err) => {
      clearTimeout(timer)
      try { socket.close() } catch {}
      err ? reject(err) : resolve(frames)
    }
    const timer = setTimeout(() => done(new Error(`no #commit for head ${head.cid} within 20 s (${frames.length} frames)`)), 20_000)
    socket.onerror = (e) => done(new Error(`websocket error: ${e.message ?? e.type}`))
    socket.onclose = (e) => done(new Error(`websocket closed early: ${e.code} ${e.reason} (${frames.length} frames)`))
    socket.onmessage = (e) => {
      if (typeof e.data === 'string') return done(new Error('text frame on subscribeRepos'))
      const bytes = new Uint8Array(e.data)
      frames.push(bytes)
      const [header, body] = [...decodeAll(bytes)]
      if (header?.op === -1) return done(new Error(`error frame: ${JSON.stringify(body)}`))
      if (header?.t === '#commit' && body?.commit?.toString() === head.cid) {
        socket.onclose = null
        done()
      } else if (frames.length >= 10_000) done(new Error('more than 10 000 frames'))
    }
  })
}
