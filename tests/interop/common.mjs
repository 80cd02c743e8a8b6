// Shared helpers for the interop scripts: argument parsing, step tracking, one JSON result line, exit codes.

/** Reads positional args (argv[2..]) with environment fallbacks; exits 2 with usage when one is missing. */
export function readArgs(names, usage) {
  const values = {}
  names.forEach(([name, env], i) => {
    const v = process.argv[2 + i] ?? process.env[env]
    if (!v) {
      console.error(`missing ${name} (argument ${i + 1} or $${env})\nusage: ${usage}`)
      process.exit(2)
    }
    values[name] = v
  })
  return values
}

let currentStep = 'start'

/** Runs one named step; a failure names the step that failed. */
export async function step(name, fn) {
  currentStep = name
  return await fn()
}

export function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`)
}

/** Runs main; prints {"ok":true,...} on success or {"ok":false,step,error} and exits 1 on any failure. */
export function run(main) {
  // Bounded: a hung server must not hang the caller.
  const timer = setTimeout(() => fail(new Error('timed out after 60 s')), 60_000)
  timer.unref()
  main().then(
    (result) => {
      console.log(JSON.stringify({ ok: true, ...result }))
      process.exit(0)
    },
    (err) => fail(err),
  )
}

function fail(err) {
  const detail = {
    ok: false,
    step: currentStep,
    error: String(err?.message ?? err) + causeOf(err),
    errorName: err?.error ?? err?.name,
    status: err?.status,
  }
  console.log(JSON.stringify(detail))
  console.error(`FAILED at step '${currentStep}': ${detail.error}`)
  if (err?.stack) console.error(err.stack)
  process.exit(1)
}

// undici reports transport failures as 'fetch failed' with the real reason in err.cause (possibly nested).
function causeOf(err) {
  let text = ''
  for (let c = err?.cause, i = 0; c && i < 4; c = c.cause, i++) text += ` <- ${c.code ?? c.name ?? ''}: ${c.message ?? c}`
  return text
}
