// What a query looks for in article text besides plain keywords — an exact spelling, two
// words near each other, a pattern — and how each is found in one part of an article
// (its headline lines or its body): as spans of UTF-16 units, which kwic shows, `hits`
// counts and the filters test for.
import KanbaoStore

public enum SearchTerm: Sendable, Equatable, Hashable {
    /// A keyword, folded (Folding.swift).
    case keyword(String)
    /// `exact:"…"`: the text as printed, no folding.
    case exact(String)
    /// `a near/N b` (either order) or `a before/N b` (a first): at most `gap` characters
    /// between them, within one headline line or paragraph. Both folded.
    case near(String, String, gap: Int, ordered: Bool)
    /// `/…/`: a regular expression (Pattern.swift), by its source.
    case pattern(String)

    public var describe: String {
        switch self {
        case .keyword(let k): return "“\(k)”"
        case .exact(let k): return "exact:“\(k)”"
        case .near(let a, let b, let gap, let ordered): return "“\(a)” \(ordered ? "before" : "near")/\(gap) “\(b)”"
        case .pattern(let p): return "/\(p)/"
        }
    }

    /// Keywords every match contains, for the index to pick candidate articles; nil when
    /// nothing is known (the filter then reads every article it is given).
    public var required: IndexExpr? {
        switch self {
        case .keyword(let k), .exact(let k): return .keyword(Folding.fold(k), .any)
        case .near(let a, let b, _, _): return .and([.keyword(a, .any), .keyword(b, .any)])
        case .pattern(let p): return (try? Pattern(p))?.required
        }
    }
}

/// A search term ready to run: needles made, pattern compiled.
struct TextMatcher {
    let term: SearchTerm
    let needles: [SearchNeedle]
    let pattern: Pattern?
    /// The kinds of folding a row must undergo before this term is looked for in it.
    let foldKinds: UInt8
    /// A literal every match holds (TextMatcher.anchor), or nil.
    let anchor: [UInt8]?

    init(_ term: SearchTerm) {
        self.term = term
        switch term {
        case .keyword(let k): needles = [SearchNeedle(k)]
        case .exact(let k): needles = [SearchNeedle(k, exact: true)]
        case .near(let a, let b, _, _): needles = [SearchNeedle(a), SearchNeedle(b)]
        case .pattern: needles = []
        }
        if case .pattern(let p) = term {
            // The binder compiled it once already: it cannot fail here.
            pattern = try? Pattern(p)
        } else {
            pattern = nil
        }
        foldKinds = needles.reduce(pattern?.foldKinds ?? 0) { $0 | $1.kinds }
        anchor = TextMatcher.anchor(term, needles, pattern)
    }

    /// Does article `row` hold the term, in the parts `scope` names?
    func holds(_ store: Store, _ row: Int, _ scope: KeywordScope) -> Bool {
        switch term {
        case .keyword, .exact:
            return (scope != .body && store.headlineHolds(row, needles[0]))
                || (scope != .title && store.bodyHolds(row, needles[0]))
        case .near, .pattern:
            for part in 0..<2 where (part == 0 ? scope != .body : scope != .title) {
                // A headline without the term's anchor (a literal every match holds) is
                // passed over without decoding it; few headlines hold it.
                if part == 0, let anchor, !store.titleIndex.mustFold(row, for: foldKinds),
                    !store.articles.headline.text.contains(row: row, anchor)
                {
                    continue
                }
                if store.withSearchText(row, part: part, kinds: foldKinds, { !spans($0, $1, first: true).isEmpty }) {
                    return true
                }
            }
            return false
        }
    }

    /// A literal every match holds, as UTF-8 (folded): a near's first word, or a pattern's
    /// longest required keyword when its requirements are all keywords.
    static func anchor(_ term: SearchTerm, _ needles: [SearchNeedle], _ pattern: Pattern?) -> [UInt8]? {
        switch term {
        case .near: return needles.first?.utf8
        case .pattern:
            guard let required = pattern?.required else { return nil }
            let words: [String]
            switch required {
            case .keyword(let k, _): words = [k]
            case .and(let xs):
                words = xs.compactMap { if case .keyword(let k, _) = $0 { return k } else { return nil } }
            default: words = []
            }
            return words.max { $0.utf8.count < $1.utf8.count }.map { Array($0.utf8) }
        default: return nil
        }
    }

    /// The term's matches in one part, left to right, not overlapping; with `first`, at
    /// most one.
    func spans(_ printed: UnsafeBufferPointer<UInt16>, _ folded: UnsafeBufferPointer<UInt16>, first: Bool = false)
        -> [Range<Int>]
    {
        switch term {
        case .keyword:
            return TextMatcher.occurrences(needles[0].utf16, in: folded, first: first)
        case .exact:
            return TextMatcher.occurrences(needles[0].utf16, in: printed, first: first)
        case .near(_, _, let gap, let ordered) where first:
            // Whether there is a pair: each place of the first word in turn, the second
            // looked for only in the window around it, stopping at the first pair (most
            // articles that hold both words show a pair early: one pass over a prefix).
            let (a, b) = (needles[0].utf16, needles[1].utf16)
            guard !a.isEmpty, !b.isEmpty else { return [] }
            var from = 0
            while let x = a.withUnsafeBufferPointer({ UTF16Text.find(folded, $0, from: from) }) {
                let xr = x..<(x + a.count)
                let lo = ordered ? xr.upperBound : Swift.max(0, x - gap * 2 - b.count)
                let hi = Swift.min(folded.count, xr.upperBound + gap * 2 + b.count)
                // The window alone is searched, not the rest of the text.
                let window = UnsafeBufferPointer(rebasing: folded[lo..<Swift.max(lo, hi)])
                var at = 0
                while at < window.count, let w = b.withUnsafeBufferPointer({ UTF16Text.find(window, $0, from: at) }) {
                    let y = lo + w
                    if let span = TextMatcher.pair(xr, y..<(y + b.count), gap, ordered, folded) { return [span] }
                    at = w + 1
                }
                from = x + 1
            }
            return []
        case .near(_, _, let gap, let ordered):
            let a = TextMatcher.occurrences(needles[0].utf16, in: folded, overlapping: true)
            if a.isEmpty { return [] }
            let b = TextMatcher.occurrences(needles[1].utf16, in: folded, overlapping: true)
            var out: [Range<Int>] = []
            var end = 0
            for x in a where x.lowerBound >= end {
                // The nearest partner of x, on the side(s) allowed.
                var best: Range<Int>?
                for y in b where y.lowerBound >= end {
                    guard let span = TextMatcher.pair(x, y, gap, ordered, folded) else { continue }
                    if best == nil || span.count < best!.count { best = span }
                }
                if let s = best {
                    out.append(s)
                    end = s.upperBound
                    if first { break }
                }
            }
            return out
        case .pattern:
            guard let p = pattern else { return [] }
            var out: [Range<Int>] = []
            var from = 0
            while from < folded.count, let m = p.firstMatch(folded: folded, printed: printed, from: from, any: first) {
                out.append(m)
                if first { break }
                from = Swift.max(m.upperBound, m.lowerBound + 1)
            }
            return out
        }
    }

    /// Every place `needle` starts in `text`, not overlapping unless asked (a proximity
    /// may pair either of two overlapping occurrences).
    static func occurrences(
        _ needle: [UInt16], in text: UnsafeBufferPointer<UInt16>, first: Bool = false, overlapping: Bool = false
    ) -> [Range<Int>] {
        guard !needle.isEmpty, text.baseAddress != nil else { return [] }
        var out: [Range<Int>] = []
        needle.withUnsafeBufferPointer { n in
            var from = 0
            while from + n.count <= text.count, let at = UTF16Text.find(text, n, from: from) {
                out.append(at..<at + n.count)
                if first { return }
                from = overlapping ? at + 1 : at + n.count
            }
        }
        return out
    }

    /// The span of x and y when they are a proximity pair: y after x (or, unless ordered,
    /// before it), not overlapping, at most `gap` characters and no line break between.
    static func pair(
        _ x: Range<Int>, _ y: Range<Int>, _ gap: Int, _ ordered: Bool, _ text: UnsafeBufferPointer<UInt16>
    ) -> Range<Int>? {
        let between: Range<Int>
        if y.lowerBound >= x.upperBound {
            between = x.upperBound..<y.lowerBound
        } else if !ordered && y.upperBound <= x.lowerBound {
            between = y.upperBound..<x.lowerBound
        } else {
            return nil
        }
        guard between.count <= 2 * gap, characters(text, between) <= gap, !hasBreak(text, between) else { return nil }
        return Swift.min(x.lowerBound, y.lowerBound)..<Swift.max(x.upperBound, y.upperBound)
    }

    /// Characters (not UTF-16 units) in a range of text.
    static func characters(_ text: UnsafeBufferPointer<UInt16>, _ r: Range<Int>) -> Int {
        var n = 0
        for i in r where text[i] & 0xFC00 != 0xDC00 { n += 1 }
        return n
    }

    static func hasBreak(_ text: UnsafeBufferPointer<UInt16>, _ r: Range<Int>) -> Bool {
        for i in r where text[i] == 0x0A { return true }
        return false
    }
}
