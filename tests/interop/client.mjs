// Drives an Alteran.Net PDS with the OFFICIAL @atproto/api AtpAgent: login, record CRUD, applyWrites, uploadBlob
// + image embed, refreshSession. Prints one JSON line; exits non-zero (with the failing step) on any failure.
//
//   node client.mjs <baseUrl> <handle> <password>     (or $ALTERAN_URL $ALTERAN_HANDLE $ALTERAN_PASSWORD)
import { AtpAgent } from '@atproto/api'
import { deflateSync } from 'node:zlib'
import { check, readArgs, run, step } from './common.mjs'

const { url, handle, password } = readArgs(
  [['url', 'ALTERAN_URL'], ['handle', 'ALTERAN_HANDLE'], ['password', 'ALTERAN_PASSWORD']],
  'node client.mjs <baseUrl> <handle> <password>',
)

const POST = 'app.bsky.feed.post'
const now = () => new Date().toISOString()
const post = (text, extra = {}) => ({ $type: POST, text, createdAt: now(), ...extra })
const rkeyOf = (uri) => uri.split('/').pop()

run(async () => {
  const agent = new AtpAgent({ service: url })
  const repo = agent.com.atproto.repo

  const session = await step('login', async () => {
    const res = await agent.login({ identifier: handle, password })
    check(res.success, 'createSession success')
    check(res.data.handle === handle, `session handle ${res.data.handle} == ${handle}`)
    check(res.data.did.startsWith('did:'), `session did ${res.data.did}`)
    check(agent.session?.accessJwt && agent.session?.refreshJwt, 'agent holds access and refresh tokens')
    return res.data
  })
  const did = session.did

  const created = await step('createRecord', async () => {
    const res = await repo.createRecord({ repo: did, collection: POST, record: post('hello from @atproto/api') })
    check(res.data.uri.startsWith(`at://${did}/${POST}/`), `createRecord uri ${res.data.uri}`)
    check(typeof res.data.cid === 'string', 'createRecord cid')
    return res.data
  })
  const rkey = rkeyOf(created.uri)

  await step('getRecord', async () => {
    const res = await repo.getRecord({ repo: did, collection: POST, rkey })
    check(res.data.uri === created.uri, `getRecord uri ${res.data.uri}`)
    check(res.data.cid === created.cid, `getRecord cid ${res.data.cid} == ${created.cid}`)
    check(res.data.value.text === 'hello from @atproto/api', 'getRecord value.text')
  })

  await step('listRecords', async () => {
    const res = await repo.listRecords({ repo: did, collection: POST, limit: 50 })
    const hit = res.data.records.find((r) => r.uri === created.uri)
    check(hit, `listRecords contains ${created.uri}`)
    check(hit.cid === created.cid, 'listRecords cid')
  })

  const updated = await step('putRecord', async () => {
    const res = await repo.putRecord({ repo: did, collection: POST, rkey, record: post('edited by putRecord') })
    check(res.data.uri === created.uri, `putRecord uri ${res.data.uri}`)
    check(res.data.cid !== created.cid, 'putRecord changed the cid')
    const got = await repo.getRecord({ repo: did, collection: POST, rkey })
    check(got.data.value.text === 'edited by putRecord', 'getRecord after putRecord')
    check(got.data.cid === res.data.cid, 'getRecord cid after putRecord')
    return res.data
  })

  const deletedUri = await step('deleteRecord', async () => {
    const victim = await repo.createRecord({ repo: did, collection: POST, record: post('to be deleted') })
    await repo.deleteRecord({ repo: did, collection: POST, rkey: rkeyOf(victim.data.uri) })
    await expectNotFound(repo, did, rkeyOf(victim.data.uri))
    return victim.data.uri
  })

  const batch = await step('applyWrites', async () => {
    const target = await repo.createRecord({ repo: did, collection: POST, record: post('applyWrites will update me') })
    const doomed = await repo.createRecord({ repo: did, collection: POST, record: post('applyWrites will delete me') })
    const res = await repo.applyWrites({
      repo: did,
      writes: [
        { $type: 'com.atproto.repo.applyWrites#create', collection: POST, value: post('created by applyWrites') },
        { $type: 'com.atproto.repo.applyWrites#update', collection: POST, rkey: rkeyOf(target.data.uri), value: post('updated by applyWrites') },
        { $type: 'com.atproto.repo.applyWrites#delete', collection: POST, rkey: rkeyOf(doomed.data.uri) },
      ],
    })
    check(res.data.commit?.cid && res.data.commit?.rev, 'applyWrites commit {cid, rev}')
    check(res.data.results?.length === 3, `applyWrites results length ${res.data.results?.length}`)
    const createdUri = res.data.results[0].uri
    check(createdUri?.startsWith(`at://${did}/${POST}/`), `applyWrites create uri ${createdUri}`)
    const c = await repo.getRecord({ repo: did, collection: POST, rkey: rkeyOf(createdUri) })
    check(c.data.value.text === 'created by applyWrites', 'applyWrites create visible')
    const u = await repo.getRecord({ repo: did, collection: POST, rkey: rkeyOf(target.data.uri) })
    check(u.data.value.text === 'updated by applyWrites', 'applyWrites update visible')
    await expectNotFound(repo, did, rkeyOf(doomed.data.uri))
    return { created: createdUri, updated: target.data.uri, deleted: doomed.data.uri, commit: res.data.commit }
  })

  const image = await step('uploadBlob', async () => {
    const png = tinyPng()
    const res = await agent.uploadBlob(png, { encoding: 'image/png' })
    const blob = res.data.blob
    check(blob?.mimeType === 'image/png', `blob mimeType ${blob?.mimeType}`)
    check(blob?.size === png.length, `blob size ${blob?.size} == ${png.length}`)
    const blobCid = blob.ref.toString()
    const withImage = await repo.createRecord({
      repo: did,
      collection: POST,
      record: post('a post with an image', {
        embed: { $type: 'app.bsky.embed.images', images: [{ image: blob, alt: '1x1 pixel', aspectRatio: { width: 1, height: 1 } }] },
      }),
    })
    const got = await repo.getRecord({ repo: did, collection: POST, rkey: rkeyOf(withImage.data.uri) })
    const img = got.data.value.embed?.images?.[0]?.image
    check(img, 'embed.images[0].image present in getRecord')
    const gotCid = img.ref?.toString?.() ?? img.ref?.$link
    check(gotCid === blobCid, `embedded blob ref ${gotCid} == ${blobCid}`)
    return { uri: withImage.data.uri, blobCid, size: png.length }
  })

  const refreshed = await step('refreshSession', async () => {
    const before = { ...agent.session }
    await agent.sessionManager.refreshSession()
    const after = agent.session
    // Access tokens carry no jti, so one issued in the same second may equal the old one; the refresh token rotates.
    check(after?.accessJwt, 'access token after refresh')
    check(after?.refreshJwt && after.refreshJwt !== before.refreshJwt, 'new refresh token')
    check(after.did === did, 'same did after refresh')
    const s = await agent.com.atproto.server.getSession()
    check(s.data.did === did && s.data.handle === handle, 'getSession with the new access token')
    const afterRefresh = await repo.createRecord({ repo: did, collection: POST, record: post('written with the refreshed token') })
    // The refresh token is single-use: the old one must no longer work.
    const reuse = await fetch(new URL('/xrpc/com.atproto.server.refreshSession', url), {
      method: 'POST',
      headers: { authorization: `Bearer ${before.refreshJwt}` },
    })
    return { uri: afterRefresh.data.uri, oldRefreshTokenStatus: reuse.status }
  })

  return {
    did,
    handle,
    pdsUrl: agent.pdsUrl?.toString() ?? null, // where the agent sent requests after reading the session's didDoc
    kept: [updated.uri, batch.created, batch.updated, image.uri, refreshed.uri],
    deleted: [deletedUri, batch.deleted],
    edited: { uri: updated.uri, cid: updated.cid },
    applyWrites: batch,
    blob: { cid: image.blobCid, size: image.size },
    oldRefreshTokenStatus: refreshed.oldRefreshTokenStatus,
  }
})

async function expectNotFound(repo, did, rkey) {
  try {
    await repo.getRecord({ repo: did, collection: POST, rkey })
  } catch (err) {
    check(err?.status === 400 || err?.status === 404, `deleted record gives 400/404, got ${err?.status}`)
    return
  }
  throw new Error(`record ${rkey} still readable after delete`)
}

/** A valid 1x1 RGBA PNG built here (signature, IHDR, IDAT, IEND with CRC-32), so no binary fixture is needed. */
function tinyPng() {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([len, body, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(1, 0) // width
  ihdr.writeUInt32BE(1, 4) // height
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // colour type RGBA
  const raw = Buffer.from([0, 0x33, 0x66, 0x99, 0xff]) // filter byte + one pixel
  return new Uint8Array(Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]))
}

function crc32(bytes) {
  let c = 0xffffffff
  for (const b of bytes) {
    c ^= b
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1))
  }
  return (c ^ 0xffffffff) >>> 0
}
