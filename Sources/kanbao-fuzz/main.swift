// The long fuzz run: `swift run -c release kanbao-fuzz [queries] [pages] [seed]`.
// Prints how many inputs ran and how many broke a property; exits 1 if any did.
import Foundation
import KanbaoFuzz
import KanbaoIngest
import KanbaoSeeds

let args = CommandLine.arguments
// `kanbao-fuzz --page SEED INDEX`: write mutated page INDEX of a seed's run to stdout, to replay a failure.
if args.count == 4 && args[1] == "--page", let seed = UInt64(args[2]), let index = Int(args[3]) {
    var g = FuzzRandom(seed: seed)
    var bytes: [UInt8] = []
    for _ in 0...index { bytes = PageFuzzer.page(from: Seeds.pages.map(\.bytes), &g) }
    FileHandle.standardOutput.write(Data(bytes))
    exit(0)
}
let queries = args.count > 1 ? Int(args[1]) ?? 1_000_000 : 1_000_000
let pages = args.count > 2 ? Int(args[2]) ?? 100_000 : 100_000
let seed = args.count > 3 ? UInt64(args[3]) ?? 1 : 1
let store = CorpusLoader().load(pages: Seeds.pages)
let t0 = Date()
let q = QueryFuzzer.run(store: store, seed: seed, count: queries)
let t1 = Date()
let p = PageFuzzer.run(seeds: Seeds.pages.map(\.bytes), seed: seed, count: pages)
let t2 = Date()
print(
    "queries: \(q.ran) run, \(q.answered) answered, \(q.diagnosed) diagnosed, \(q.violations.count) violations, crashes: 0 (\(String(format: "%.0f", t1.timeIntervalSince(t0))) s)"
)
print(
    "pages: \(pages) mutated pages, \(p.articles) articles, \(p.skipped) skipped, \(p.violations.count) accounting violations (\(String(format: "%.0f", t2.timeIntervalSince(t1))) s)"
)
for v in (q.violations + p.violations).prefix(20) { print("  " + v) }
exit(q.violations.isEmpty && p.violations.isEmpty ? 0 : 1)
