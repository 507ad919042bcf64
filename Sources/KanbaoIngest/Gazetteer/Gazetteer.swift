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
        public let offset: Int     // scalar offset of the mention
        public let length: Int
        public let level: Level
        /// Canonical names: one county, or for a township every unit of that form (shared names).
        public let candidates: [(township: String, county: String)]
        public var county: String? { level == .county ? candidates.first?.county : nil }
    }

    public let counties: [Unit]
    public let townships: [Unit]
    /// The forms starting with each first scalar (`firstScalars`, ascending), longest first:
    /// looked up by binary search (hashing a scalar through Swift's Hasher at every
    /// candidate character cost more than the scan).
    private let firstScalars: [UInt32]
    private let formsByFirst: [[(form: Scalars, level: Level, candidates: [(String, String)])]]
    private let countyByAlias: [String: String]
    /// One bit per BMP scalar that starts some name: most characters are rejected without hashing.
    private let firstScalarBits: [UInt64]
    private let townshipsByForm: [String: [Unit]]

    public static let zhengzhou: Gazetteer = {
        let text = String(decoding: PackageResources.zhengzhou_tsv, as: UTF8.self)
        return Gazetteer(tsv: text)
    }()

    public init(tsv: String) {
        var counties: [Unit] = [], townships: [Unit] = []
        for line in tsv.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 5 else { continue }
            let all = f[3].split(separator: ",").map(String.init)
            let unit = Unit(name: f[1], level: f[0] == "county" ? .county : .township, parent: f[2],
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
            for a in c.aliases { byAlias[a] = c.name; table[a] = (.county, [(c.name, c.name)]) }
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
        var bits = [UInt64](repeating: 0, count: 1024)
        for k in forms.keys where k.value < 0x10000 { bits[Int(k.value >> 6)] |= 1 << (k.value & 63) }
        self.firstScalarBits = bits
        let firsts = forms.keys.sorted { $0.value < $1.value }
        self.firstScalars = firsts.map(\.value)
        self.formsByFirst = firsts.map { forms[$0]! }
        self.countyByAlias = byAlias
        self.townshipsByForm = byForm
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
            if v < 0x10000 && firstScalarBits[Int(v >> 6)] & (1 << (v & 63)) == 0 { i += 1; continue }
            var lo = 0, hi = firstScalars.count
            while lo < hi { let m = (lo + hi) / 2; if firstScalars[m] < v { lo = m + 1 } else { hi = m } }
            guard lo < firstScalars.count, firstScalars[lo] == v else { i += 1; continue }
            let cands = formsByFirst[lo]
            var matched = false
            for c in cands where c.form.count <= n - i {
                var k = 1
                while k < c.form.count && text[i + k] == c.form[k] { k += 1 }
                if k == c.form.count {
                    // A county alias glued to 市/县/区 text that continues a longer name
                    // (金水河, 中牟县城) is still the county; a township form must not be the
                    // tail of a longer word, which the longest-first order already prevents.
                    out.append(Mention(offset: i, length: k, level: c.level, candidates: c.candidates))
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
