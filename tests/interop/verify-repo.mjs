// Verifies an Alteran.Net repo independently of our code, with the OFFICIAL @atproto/repo and @atproto/crypto:
// downloads com.atproto.sync.getRepo (CAR), checks every block's CID, the commit signature against the #atproto
// Multikey of /.well-known/did.json, recomputes the MST root from the records and compares it with commit.data,
// checks each record's sync.getRecord inclusion proof, and cross-checks records and head with listRecords /
// sync.getLatestCommit. One JSON line; exit 1 on mismatch.
//
//   node verify-repo.mjs <baseUrl> <did> [did:key]     (or $ALTERAN_URL $ALTERAN_DID)
// The optional did:key replaces the DID document's key (negative tests: a foreign key must fail verification).
import { formatDidKey, parseMultikey } from '@atproto/crypto'
import { MST, MemoryBlockstore, def, readCarWithRoot, verifyProofs, verifyRepo } from '@atproto/repo'
import { check, readArgs, run, step } from './common.mjs'

const { url, did } = readArgs([['url', 'ALTERAN_URL'], ['did', 'ALTERAN_DID']], 'node verify-repo.mjs <baseUrl> <did>')

async function get(path, accept) {
  const res = await fetch(new URL(path, url), { headers: accept ? { accept } : {} })
  const body = new Uint8Array(await res.arrayBuffer())
  if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status} ${new TextDecoder().decode(body).slice(0, 300)}`)
  return { res, body }
}
const getJson = async (path) => JSON.parse(new TextDecoder().decode((await get(path)).body))
const q = encodeURIComponent

run(async () => {
  const signingKey = await step('didDocument', async () => {
    const doc = await getJson('/.well-known/did.json')
    check(doc.id === did, `did.json id ${doc.id} == ${did}`)
    const vm = doc.verificationMethod?.find((m) => m.id === `${did}#atproto` || m.id === '#atproto')
    check(vm, 'verificationMethod #atproto present')
    check(vm.type === 'Multikey', `verificationMethod type ${vm.type}`)
    const parsed = parseMultikey(vm.publicKeyMultibase) // throws on an unknown multicodec / bad encoding
    const documentKey = formatDidKey(parsed.jwtAlg, parsed.keyBytes)
    return process.argv[4] ?? documentKey
  })

  const car = await step('getRepo', async () => {
    const { res, body } = await get(`/xrpc/com.atproto.sync.getRepo?did=${q(did)}`)
    const type = res.headers.get('content-type') ?? ''
    check(type.startsWith('application/vnd.ipld.car'), `getRepo content-type ${type}`)
    return body
  })

  // readCarWithRoot re-hashes every block and rejects any whose CID does not match its bytes.
  const { root, blocks } = await step('readCar', () => readCarWithRoot(car))

  const verified = await step('verifyRepo', async () => {
    // Loads the commit, checks did + signature (secp256k1/p256 via @atproto/crypto), walks the MST, requires all leaves.
    return await verifyRepo(blocks, root, did, signingKey)
  })

  const records = verified.creates
  const commit = await step('commit', async () => {
    const storage = new MemoryBlockstore(blocks)
    const obj = await storage.readObj(root, def.commit) // schema-checked v3 commit
    check(obj.version === 3, `commit version ${obj.version}`)
    check(obj.did === did, 'commit did')
    return obj
  })

  await step('mstRoot', async () => {
    // Rebuild the tree from nothing but (key, record CID) pairs: the root must equal commit.data, which proves the
    // server's tree layout (fanout, key compression, layers) is the canonical one.
    let mst = await MST.create(new MemoryBlockstore())
    for (const r of records) mst = await mst.add(`${r.collection}/${r.rkey}`, r.cid)
    const rebuilt = await mst.getPointer()
    check(rebuilt.equals(commit.data), `recomputed MST root ${rebuilt} == commit.data ${commit.data}`)
  })

  await step('getLatestCommit', async () => {
    const latest = await getJson(`/xrpc/com.atproto.sync.getLatestCommit?did=${q(did)}`)
    check(latest.cid === root.toString(), `getLatestCommit cid ${latest.cid} == CAR root ${root}`)
    check(latest.rev === commit.rev, `getLatestCommit rev ${latest.rev} == ${commit.rev}`)
  })

  await step('syncGetRecord', async () => {
    // Each record's inclusion proof (commit + MST path + record) from sync.getRecord checks out on its own.
    for (const r of records.slice(0, 50)) {
      const { body } = await get(`/xrpc/com.atproto.sync.getRecord?did=${q(did)}&collection=${q(r.collection)}&rkey=${q(r.rkey)}`)
      const claim = { collection: r.collection, rkey: r.rkey, cid: r.cid }
      const { verified, unverified } = await verifyProofs(body, [claim], did, signingKey)
      check(verified.length === 1 && unverified.length === 0, `sync.getRecord proof of ${r.collection}/${r.rkey}`)
    }
  })

  await step('listRecords', async () => {
    const collections = [...new Set(records.map((r) => r.collection))].sort()
    const listed = new Map()
    for (const collection of collections) {
      let cursor
      for (let page = 0; page < 100; page++) {
        const res = await getJson(`/xrpc/com.atproto.repo.listRecords?repo=${q(did)}&collection=${q(collection)}&limit=100${cursor ? `&cursor=${q(cursor)}` : ''}`)
        for (const r of res.records) listed.set(r.uri, r.cid)
        cursor = res.cursor
        if (!cursor || res.records.length === 0) break
      }
    }
    check(listed.size === records.length, `listRecords count ${listed.size} == CAR records ${records.length}`)
    for (const r of records) {
      const uri = `at://${did}/${r.collection}/${r.rkey}`
      check(listed.get(uri) === r.cid.toString(), `listRecords cid of ${uri}`)
    }
  })

  return {
    did,
    root: root.toString(),
    rev: commit.rev,
    data: commit.data.toString(),
    signingKey,
    blocks: blocks.size,
    records: records.map((r) => `at://${did}/${r.collection}/${r.rkey}`),
  }
})
