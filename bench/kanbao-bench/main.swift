// kanbao-bench: times one stage of indexing in isolation, on the columns of a snapshot,
// so that a change to it can be measured without the noise of a whole ingest.
//
//   swift run -c release kanbao-bench builder SNAPSHOT [REPEAT]
//   swift run -c release kanbao-bench lists SNAPSHOT
//
// builder: the body keyword index's builder over every row on one core (the loop that
// posts each character and each pair), then its freeze; prints the best of REPEAT runs
// (default 5) of each, and the builder's nanoseconds per character.
// lists: what the body index is made of — its bytes by key (one character or a pair)
// and by list form (varint, Elias–Fano, bitmap), with list and row counts.
import Dispatch
import Foundation
import KanbaoStore

func seconds(_ body: () -> Void) -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
}

let args = Array(CommandLine.arguments.dropFirst())
guard args.count >= 2, args[0] == "builder" || args[0] == "lists" else {
    print("usage: kanbao-bench builder SNAPSHOT [REPEAT] | lists SNAPSHOT")
    exit(2)
}
let repeats = args.count > 2 ? Int(args[2]) ?? 5 : 5
let store: Store
do { store = try Snapshot.read(path: args[1]) } catch {
    print("kanbao-bench: \(error)")
    exit(1)
}
if args[0] == "lists" {
    let index = store.bodyIndex
    var bytes = [[Int]](repeating: [0, 0, 0], count: 2)
    var lists = [[Int]](repeating: [0, 0, 0], count: 2)
    var rows = [[Int]](repeating: [0, 0, 0], count: 2)
    for k in 0..<index.keys.count {
        let pair = index.keys[k] >> 63 == 1 ? 1 : 0
        let kind = Int(index.kinds[k])
        bytes[pair][kind] += Int(index.starts[k + 1] - index.starts[k])
        lists[pair][kind] += 1
        rows[pair][kind] += Int(index.counts[k])
    }
    print("key        form          lists         rows        MiB")
    for (p, key) in ["character", "pair"].enumerated() {
        for (kind, form) in ["varint", "bitmap", "Elias–Fano"].enumerated() {
            print(
                key.padding(toLength: 11, withPad: " ", startingAt: 0)
                    + form.padding(toLength: 11, withPad: " ", startingAt: 0)
                    + String(
                        format: "%8d %12d %10.1f", lists[p][kind], rows[p][kind], Double(bytes[p][kind]) / 1_048_576))
        }
    }
    print(
        String(
            format: "all lists: %.1f MiB; keys, starts, counts, kinds: %.1f MiB", Double(index.bytes.count) / 1_048_576,
            Double(index.byteSize - index.bytes.count) / 1_048_576))
    exit(0)
}
let body = store.articles.body
let chars = store.articles.chars.reduce(0) { $0 + Int($1) } // the store's own count per body
var bestAdd = Double.infinity
var bestFreeze = Double.infinity
for _ in 0..<repeats {
    var builders = [KeywordIndex.Builder()]
    bestAdd = min(bestAdd, seconds { builders[0].add(column: body, rows: 0..<body.count) })
    var index: KeywordIndex?
    bestFreeze = min(bestFreeze, seconds { index = KeywordIndex.freeze(&builders, rows: body.count) })
    precondition(index!.byteSize > 0)
}
print("rows \(body.count), characters \(chars), body bytes (UTF-16) \(body.byteSize)")
print(String(format: "builder (one core): %.3f s, %.1f ns a character", bestAdd, bestAdd * 1e9 / Double(max(chars, 1))))
print(String(format: "freeze (both cores): %.3f s", bestFreeze))
