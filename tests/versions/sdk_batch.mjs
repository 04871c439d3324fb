// Batch questions to the real StartOS SDK for patchkit's differential tests.
// usage: node sdk_batch.mjs ORACLE_DIR < requests.jsonl > answers.jsonl
// ORACLE_DIR is an installed ../shared/tools/exver-oracle (it holds node_modules/@start9labs/start-sdk).
// One JSON request per line, one JSON answer per line, in order:
//   {"op":"compare","a":A,"b":B}            -> {"result": -1|0|1|null}
//   {"op":"satisfies","range":R,"version":V} -> {"result": true|false}
//   {"op":"parse","rule":"exver"|"version"|"range","input":S}
//        -> {"valid","normalized","error","error_offset"}
// Bad input to compare/satisfies gives {"error": message}.
import { createRequire } from 'node:module'
import path from 'node:path'
import readline from 'node:readline'

const oracleDir = process.argv[2]
const require = createRequire(path.join(path.resolve(oracleDir), 'package.json'))
const { ExtendedVersion, Version, VersionRange } = require('@start9labs/start-sdk')

const num = { less: -1, equal: 0, greater: 1 }

function answer(req) {
  try {
    switch (req.op) {
      case 'compare': {
        const c = ExtendedVersion.parse(req.a).compare(ExtendedVersion.parse(req.b))
        return { result: c in num ? num[c] : null }
      }
      case 'satisfies':
        return { result: VersionRange.parse(req.range).satisfiedBy(ExtendedVersion.parse(req.version)) }
      case 'parse': {
        const cls = { exver: ExtendedVersion, version: Version, range: VersionRange }[req.rule]
        try {
          const v = cls.parse(req.input)
          return { valid: true, normalized: v.toString(), error: null, error_offset: null }
        } catch (e) {
          const offset = e && e.location && e.location.start ? e.location.start.offset : null
          return { valid: false, normalized: null, error: String(e && e.message), error_offset: offset }
        }
      }
      default:
        return { error: `unknown op ${req.op}` }
    }
  } catch (e) {
    return { error: String(e && e.message) }
  }
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
const out = []
rl.on('line', (line) => {
  if (line.trim() === '') return
  out.push(JSON.stringify(answer(JSON.parse(line))))
  if (out.length >= 1000) process.stdout.write(out.splice(0).join('\n') + '\n')
})
rl.on('close', () => {
  if (out.length) process.stdout.write(out.join('\n') + '\n')
})
