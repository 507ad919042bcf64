// The Zhengzhou gazetteer: county-level units with their aliases and township-level
// units with their parents, loaded from the embedded `zhengzhou.tsv` (see SOURCE.md).
// `scan` finds every mention of either in a piece of text, longest name first.

public struct Gazetteer: Sendable {
    public enum Level: Sendable { case county, township }

    public struct Unit: Sendable {
        public let name: String
        public let level: Level
        /// For a township: every county-level unit that has a township of this surface form.
        public let parent: String
        public let aliases: [String]
        public let queryOnlyAliases: [String]
        public let source: String
    }

    /// One surface form found in text.
    public struct Mention: Sendable {
        public let offset: Int // scalar offset of the mention
        public let length: Int
        public let level: Level
        /// Canonical names: one county, or for a township every unit of that form (shared names).
        public let candidates: [(township: String, county: String)]
        public var county: String? { level == .county ? candidates.first?.county : nil }
    }

    public let counties: [Unit]
    public let townships: [Unit]
    /// Every surface form, flat and free of references so that the scan neither hashes nor
    /// retains anything per character: the forms' scalars end to end, one record per
    /// form, and per first scalar the range of its records, longest form first.
    struct Form { let start: Int32, count: Int32, candidates: Int32, level: Level }
    private let formScalars: [Unicode.Scalar]
    private let formRecords: [Form]
    private let candidateLists: [[(township: String, county: String)]]
    /// For a BMP scalar: 1 + the index of its range in `formRanges`, or 0 when no form
    /// starts with it. Forms that start outside the BMP are in `astralFirst`.
    private let firstIndex: [UInt16]
    private let astralFirst: [UInt32: Int]
    private let formRanges: [Range<Int>]
    private let countyByAlias: [String: String]
    /// One bit per BMP scalar that starts some name — the same facts as `firstIndex`, kept
    /// as an 8 KB filter that stays in the L1 cache, so most characters are rejected
    /// before the 128 KB index is touched.
    private let firstScalars: Bits64K
    /// One bit per hashed pair of a name's first two characters (64 K bits, 8 KB): the
    /// first characters of names are common ones (中, 金, 新 …), and most places they
    /// stand the next character already rules every name out. (Were any name one
    /// character long, `pairFilter` would be off.)
    private let firstPairs: Bits64K
    private let pairFilter: Bool
    private let townshipsByForm: [String: [Unit]]

    public static let zhengzhou: Gazetteer = {
        let text = String(decoding: PackageResources.zhengzhou_tsv, as: UTF8.self)
        return Gazetteer(tsv: text)
    }()

    public init(tsv: String) {
        var counties: [Unit] = []
        var townships: [Unit] = []
        for line in tsv.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 5 else { continue }
            let all = f[3].split(separator: ",").map(String.init)
            let unit = Unit(
                name: f[1], level: f[0] == "county" ? .county : .township, parent: f[2],
                aliases: all.filter { !$0.hasPrefix("?") },
                queryOnlyAliases: all.filter { $0.hasPrefix("?") }.map { String($0.dropFirst()) },
                source: f[4])
            if unit.level == .county { counties.append(unit) } else { townships.append(unit) }
        }
        self.counties = counties
        self.townships = townships

        var byAlias: [String: String] = [:]
        var table: [String: (Level, [(String, String)])] = [:]
        for c in counties {
            byAlias[c.name] = c.name
            table[c.name] = (.county, [(c.name, c.name)])
            for a in c.aliases {
                byAlias[a] = c.name
                table[a] = (.county, [(c.name, c.name)])
            }
            for a in c.queryOnlyAliases { byAlias[a] = c.name }
        }
        var byForm: [String: [Unit]] = [:]
        for t in townships {
            for form in Gazetteer.surfaceForms(of: t) {
                byForm[form, default: []].append(t)
                var entry = table[form] ?? (.township, [])
                if entry.0 == .township && !entry.1.contains(where: { $0.1 == t.parent }) {
                    entry.1.append((t.name, t.parent))
                }
                table[form] = entry
            }
        }
        var forms: [Unicode.Scalar: [(form: Scalars, level: Level, candidates: [(String, String)])]] = [:]
        for (form, entry) in table {
            let s = Array(form.unicodeScalars)
            forms[s[0], default: []].append((s, entry.0, entry.1))
        }
        for k in forms.keys { forms[k]!.sort { $0.form.count > $1.form.count } }
        self.firstScalars = Bits64K(forms.keys.map(\.value))
        let allForms = forms.values.flatMap { $0.map(\.form) }
        self.firstPairs = Bits64K(
            allForms.filter { $0.count >= 2 }.map { UInt32(Gazetteer.pairHash($0[0].value, $0[1].value)) })
        self.pairFilter = allForms.allSatisfy { $0.count >= 2 }
        var scalars: [Unicode.Scalar] = []
        var records: [Form] = []
        var lists: [[(township: String, county: String)]] = []
        var ranges: [Range<Int>] = []
        var index = [UInt16](repeating: 0, count: 0x10000)
        var astral: [UInt32: Int] = [:]
        for first in forms.keys.sorted(by: { $0.value < $1.value }) {
            let from = records.count
            for f in forms[first]! {
                records.append(
                    Form(
                        start: Int32(scalars.count), count: Int32(f.form.count), candidates: Int32(lists.count),
                        level: f.level))
                scalars += f.form
                lists.append(f.candidates.map { (township: $0.0, county: $0.1) })
            }
            if first.value < 0x10000 {
                index[Int(first.value)] = UInt16(ranges.count + 1)
            } else {
                astral[first.value] = ranges.count
            }
            ranges.append(from..<records.count)
        }
        precondition(ranges.count < Int(UInt16.max), "too many first characters for the gazetteer's index")
        (formScalars, formRecords, candidateLists, firstIndex, astralFirst, formRanges) = (
            scalars, records, lists, index, astral, ranges
        )
        self.countyByAlias = byAlias
        self.townshipsByForm = byForm
    }

    @inline(__always) static func pairHash(_ a: UInt32, _ b: UInt32) -> Int {
        Int(truncatingIfNeeded: ((UInt64(a) << 21 | UInt64(b)) &* 0x9E37_79B9_7F4A_7C15) >> 48)
    }

    /// The forms a township goes by in print: its own name, and for a 街道 also
    /// 办事处 and 街道办事处 (the newspaper's usage); for a 乡 or 镇 its name only.
    static func surfaceForms(of t: Unit) -> [String] {
        var out = [t.name] + t.aliases
        if t.name.hasSuffix("街道") {
            let stem = String(t.name.dropLast(2))
            out += [stem + "办事处", stem + "街道办事处"]
        }
        return out
    }

    /// Canonical county-level name for a name or alias (also the query-only ones).
    public func county(named name: String) -> String? { countyByAlias[name] }

    /// Township units answering to a name (`大孟镇`, `龙湖办事处`, `祭城路街道办事处`).
    public func townships(named name: String) -> [Unit] { townshipsByForm[name] ?? [] }

    public var allCountyNames: [String] { counties.map(\.name) }
    public var allCountyAliases: [String] { counties.flatMap { [$0.name] + $0.aliases + $0.queryOnlyAliases } }

    /// Every gazetteer mention in `text`, left to right, longest match at each position,
    /// non-overlapping.
    public func scan(_ text: Scalars) -> [Mention] {
        var out: [Mention] = []
        var i = 0
        let n = text.count
        while i < n {
            let v = text[i].value
            if v < 0x10000 && !firstScalars.contains(v) {
                i += 1
                continue
            }
            if pairFilter {
                guard i + 1 < n, firstPairs.contains(UInt32(Gazetteer.pairHash(v, text[i + 1].value))) else {
                    i += 1
                    continue
                }
            }
            let slot = v < 0x10000 ? Int(firstIndex[Int(v)]) - 1 : (astralFirst[v] ?? -1)
            guard slot >= 0 else {
                i += 1
                continue
            }
            var matched = false
            for r in formRanges[slot] where Int(formRecords[r].count) <= n - i {
                let c = formRecords[r]
                let start = Int(c.start)
                let count = Int(c.count)
                var k = 1
                while k < count && text[i + k] == formScalars[start + k] { k += 1 }
                if k == count {
                    // A county alias glued to 市/县/区 text that continues a longer name
                    // (金水河, 中牟县城) is still the county; a township form must not be the
                    // tail of a longer word, which the longest-first order already prevents.
                    out.append(
                        Mention(offset: i, length: k, level: c.level, candidates: candidateLists[Int(c.candidates)]))
                    i += k
                    matched = true
                    break
                }
            }
            if !matched { i += 1 }
        }
        return out
    }
}
