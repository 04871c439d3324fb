// Ask StartOS 0.3.x's own version parser (crate emver 0.1, shipped as WebAssembly in the npm
// package @start9labs/emver 0.1.1) how it reads each string.
// usage: node --experimental-wasm-modules emver_batch.mjs EMVER_DIR < strings.jsonl > answers.jsonl
// EMVER_DIR holds node_modules/@start9labs/emver (npm install @start9labs/emver@0.1.1).
// One JSON string per line in; per line out: {"input", "valid", "parts": [major, minor, patch, revision]}.
// A line {"compare": [a, b]} gets {"compare": [a, b], "result": -1|0|1}.
import path from 'node:path'
import readline from 'node:readline'
import { pathToFileURL } from 'node:url'

const dir = path.resolve(process.argv[2])
const e = await import(pathToFileURL(path.join(dir, 'node_modules/@start9labs/emver/emver.js')).href)
const rl = readline.createInterface({ input: process.stdin })
for await (const line of rl) {
  if (!line.trim()) continue
  const req = JSON.parse(line)
  if (req !== null && typeof req === 'object' && Array.isArray(req.compare)) {
    const [a, b] = req.compare
    process.stdout.write(JSON.stringify({ compare: [a, b], result: e.compare(a, b) }) + '\n')
    continue
  }
  const out = { input: req }
  try {
    out.parts = [e.major(req), e.minor(req), e.patch(req), e.revision(req)]
    out.valid = true
  } catch {
    out.valid = false
  }
  process.stdout.write(JSON.stringify(out) + '\n')
}
