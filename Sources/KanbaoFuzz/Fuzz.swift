// Property-based fuzzing of the query front end and of page ingest. Inputs come from a
// seeded generator (so any failure replays from its seed): fragments of real queries,
// the language's punctuation in both widths, Chinese, random Unicode and broken nesting
// for queries; cut, duplicated, shuffled and byte-flipped pages in mixed encodings for
// ingest. The properties: nothing crashes or hangs, every query either answers or
// fails with a diagnostic that has a line and a column, and every mutated page set
// still accounts for every character.
import Foundation
import KanbaoIngest
import KanbaoQuery
import KanbaoStore

public struct FuzzRandom: RandomNumberGenerator {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

public enum QueryFuzzer {
    static let pieces = [
        "营商环境", "党建", "疫苗", "核酸", "演练", "district", "district:", "中牟县", "中牟", "中木县", "place:", "大孟镇", "date:",
        "2022", "2022-04", "2022-04-09", "2022年4月", "..", "date >= ", "figures", "articles", "unit:", "人", "元", "value",
        " > ", " >= ", " < ", " = ", " != ", "1000", "1.5万", "2亿", "approx:over", "context:志愿者", "reporter:卢文军",
        "title:", "body:", "chars", " and ", " or ", " not ", "-", "(", ")", "（", "）", "：", "｜", "|", " | ", "count",
        "count by ", "sort ", " desc", "limit ", "10", "show ", "*", "stats ", "sum(value)", "count()", "avg(chars)",
        " by ",
        "top ", "3 ", "kwic", " width ", "chart", "where ", "explain ", "analyze ", "let ", "$防疫", "$", " = ", "\"",
        "'",
        "“", "”", "「", "」", "\"电影 小镇\"", ",", "，", ";", "\n", "\\\n", "--", "#", ".mode csv", ".schema", ".nope", " ",
        "in (", "中原区, 二七区)", "year", "month", "place", "source", "\u{0}", "\u{FFFD}", "😀", "e\u{301}", "\t", "month",
        // Search (issue #16): folding, proximity, patterns and their pieces, relevance,
        // keyness, the page table.
        "電影小鎮", "Ｂ级", "exact:", "exact:\"B级\"", " near ", " near/5 ", " before/20 ", "near/", "before/x", "/",
        "/疫.{0,4}防控/", "/(", "[", "]", "{2,1}", "{0,1000}", ".*", "\\d+", "\\", "^", "$", "|", "?", "+",
        "/(a*)*b/", "/[^党]建/", "hits", "score", " | sort score desc", " | where hits >= 2", "terms ", "terms 5 vs ",
        "colloc ", "colloc 疫情 3", "pages ", "pages 国庆 | count", "published:2022",
    ]

    public static func query(_ g: inout FuzzRandom) -> String {
        switch Int.random(in: 0..<10, using: &g) {
        case 0:
            // Random Unicode, including controls and unpaired-looking punctuation.
            return String(
                String.UnicodeScalarView(
                    (0..<Int.random(in: 0..<40, using: &g)).compactMap { _ in
                        Unicode.Scalar(
                            UInt32.random(
                                in: [0x20, 0x7F, 0x3000, 0x4E00, 0xFF00, 0x1F600].randomElement(using: &g)!..<0x2FFFF,
                                using: &g)) ?? "?"
                    }))
        case 1:
            // Deep or broken nesting.
            let depth = Int.random(in: 0..<400, using: &g)
            return String(repeating: ["(", "not ", "-", "（"].randomElement(using: &g)!, count: depth) + "党建"
                + String(repeating: ")", count: Int.random(in: 0...depth, using: &g))
        default:
            return (0..<Int.random(in: 1..<14, using: &g)).map { _ in pieces.randomElement(using: &g)! }.joined()
        }
    }

    public struct Outcome {
        public var ran = 0, answered = 0, diagnosed = 0
        public var violations: [String] = []
    }

    public enum Verdict: Equatable {
        case answered
        case diagnosed
        case violation(String)
    }

    /// One statement through parse, bind, plan and execution: it must answer, or fail
    /// with a diagnostic that names a place (NAME:LINE:COL: error: …).
    public static func check(_ q: String, session: Session) -> Verdict {
        var verdict = Verdict.answered
        session.run(q, name: "fuzz") { result, _ in
            if case .failure(let failure) = result {
                let message = failure.rendered
                if failure.diagnostics.isEmpty || !message.hasPrefix("fuzz:") || !message.contains(": error: ") {
                    verdict = .violation("diagnostic without a location for \(q.debugDescription): \(message)")
                } else if let d = failure.diagnostics.first(where: { $0.id == .runtime && $0.message != "cancelled" }) {
                    // The binder should have refused it: a plan that fails while running.
                    verdict = .violation("failed while running: \(q.debugDescription): \(d.message)")
                } else if verdict == .answered {
                    verdict = .diagnosed
                }
            }
        }
        return verdict
    }

    /// Runs `count` generated statements through parse, bind, plan and execution.
    public static func run(store: Store, seed: UInt64, count: Int) -> Outcome {
        var g = FuzzRandom(seed: seed)
        var out = Outcome()
        let session = Session(store: store)
        for _ in 0..<count {
            let q = query(&g)
            out.ran += 1
            switch check(q, session: session) {
            case .answered: out.answered += 1
            case .diagnosed: out.diagnosed += 1
            case .violation(let v):
                out.diagnosed += 1
                out.violations.append(v)
            }
        }
        return out
    }
}

public enum PageFuzzer {
    /// A mutated page: lines cut, duplicated, shuffled, bytes flipped, encodings mixed.
    public static func page(from seeds: [[UInt8]], _ g: inout FuzzRandom) -> [UInt8] {
        var text = String(decoding: seeds.randomElement(using: &g)!, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for _ in 0..<Int.random(in: 0..<6, using: &g) {
            guard !lines.isEmpty else { break }
            let k = Int.random(in: 0..<lines.count, using: &g)
            switch Int.random(in: 0..<5, using: &g) {
            case 0: lines.remove(at: k)
            case 1: lines.insert(lines[k], at: k)
            case 2: lines.swapAt(k, Int.random(in: 0..<lines.count, using: &g))
            case 3:
                let l = Array(lines[k])
                if !l.isEmpty { lines[k] = String(l[..<Int.random(in: 0..<l.count, using: &g)]) }
            default: lines.shuffle(using: &g)
            }
        }
        text = lines.joined(separator: Bool.random(using: &g) ? "\n" : "\r\n")
        var bytes = Array(text.utf8)
        for _ in 0..<Int.random(in: 0..<4, using: &g) where !bytes.isEmpty {
            bytes[Int.random(in: 0..<bytes.count, using: &g)] = UInt8.random(in: 0...255, using: &g)
        }
        if Int.random(in: 0..<8, using: &g) == 0 {
            bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &g)))
        }
        return bytes
    }

    public struct Outcome {
        public var pages = 0, articles = 0, skipped = 0
        public var violations: [String] = []
    }

    /// One page file through decoding, segmentation and extraction: every character it
    /// read must be placed or dropped with a reason, and nothing may be lost silently.
    public static func check(_ bytes: [UInt8], name: String) -> (Store, [String]) {
        let store = CorpusLoader().load(pages: [(name, bytes)])
        var violations: [String] = []
        for p in store.pages where !p.account.balances {
            violations.append("read \(p.account.read) ≠ placed \(p.account.placed) + dropped \(p.account.droppedTotal)")
        }
        if store.pages.count + store.skipped.count != 1 {
            violations.append("the file was neither read as a page nor skipped with a reason")
        }
        return (store, violations)
    }

    public static func run(seeds: [[UInt8]], seed: UInt64, count: Int) -> Outcome {
        var g = FuzzRandom(seed: seed)
        var out = Outcome()
        for k in 0..<count {
            let bytes = page(from: seeds, &g)
            let (store, violations) = check(bytes, name: "fuzz-\(k).txt")
            out.pages += store.pages.count
            out.skipped += store.skipped.count
            out.articles += store.articles.count
            out.violations += violations.map { "page \(k) (seed \(seed)): \($0)" }
        }
        return out
    }
}
