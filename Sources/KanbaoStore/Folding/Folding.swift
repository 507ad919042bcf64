// Folding: the form text and queries are compared in. Traditional characters become
// simplified ones (OpenCC's table, SOURCE.md), full-width forms become ASCII, and ASCII
// letters become lower case, so 電影小鎮, 电影小镇, Ｂ级 and b级 find the same articles.
//
// Every rule maps one UTF-16 unit to one unit, so folded text has the same length and
// positions as the text: the index is built over folded text, a keyword is folded before
// it is looked up, and a hit found in folded text is shown from the text as printed.
// Characters outside the Basic Multilingual Plane are left as they are.

public enum Folding {
    /// unit → folded unit, for every UTF-16 unit (surrogates map to themselves).
    /// Written once, on first use, and only read after.
    nonisolated(unsafe) public static let table: UnsafePointer<UInt16> = {
        let t = UnsafeMutablePointer<UInt16>.allocate(capacity: 0x10000)
        for u in 0..<0x10000 { t[u] = UInt16(u) }
        for u in 0x41...0x5A { t[u] = UInt16(u + 0x20) } // A–Z → a–z
        for u in 0xFF01...0xFF5E { // full-width ASCII → ASCII, then lower case
            let ascii = u - 0xFEE0
            t[u] = UInt16((0x41...0x5A).contains(ascii) ? ascii + 0x20 : ascii)
        }
        t[0x3000] = 0x20 // ideographic space
        for (from, to) in traditionalPairs { t[Int(from)] = to }
        return UnsafePointer(t)
    }()

    /// What folding does to a unit, as a bit: `traditional` (a character of OpenCC's table)
    /// or `width` (full-width forms, the ideographic space, capitals). A row notes the kinds
    /// it holds and a needle the kinds that can produce its characters; a row is folded
    /// for a needle only when the two share one. (Full-width punctuation is in nearly every
    /// Chinese article, and a search for 疫情 need not fold any of it.)
    public static let traditional: UInt8 = 1
    public static let width: UInt8 = 2

    @inline(__always) public static func kind(ofFolding u: UInt16) -> UInt8 {
        (u >= 0x41 && u <= 0x5A) || (u >= 0xFF01 && u <= 0xFF5E) || u == 0x3000 ? width : traditional
    }

    /// unit → the kinds of folding that turn some other unit into it (电 ← 電: traditional;
    /// b ← B, Ｂ, ｂ: width).
    nonisolated(unsafe) public static let targetKinds: UnsafePointer<UInt8> = {
        let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 0x10000)
        t.initialize(repeating: 0, count: 0x10000)
        for u in 0..<0x10000 where table[u] != UInt16(u) {
            t[Int(table[u])] |= kind(ofFolding: UInt16(u))
        }
        return UnsafePointer(t)
    }()

    /// The kinds of folding a search for this (folded) text must apply to a row: those
    /// that can make any of its characters.
    public static func kinds(of folded: some Sequence<UInt16>) -> UInt8 {
        folded.reduce(0) { $0 | targetKinds[Int($1)] }
    }

    /// The pairs of `traditional.tsv`, parsed from the embedded file.
    static var traditionalPairs: [(UInt16, UInt16)] {
        let text = String(decoding: PackageResources.traditional_tsv, as: UTF8.self)
        var pairs: [(UInt16, UInt16)] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let cols = line.split(separator: "\t")
            guard cols.count == 2, let a = cols[0].utf16.first, let b = cols[1].utf16.first,
                cols[0].utf16.count == 1, cols[1].utf16.count == 1
            else { continue }
            pairs.append((a, b))
        }
        return pairs
    }

    @inline(__always) public static func fold(_ v: UInt32) -> UInt32 {
        v < 0x10000 ? UInt32(table[Int(v)]) : v
    }

    @inline(__always) public static func fold(unit u: UInt16) -> UInt16 { table[Int(u)] }

    /// The folded form of a string (same number of UTF-16 units).
    public static func fold(_ s: String) -> String {
        let units = s.utf16.map { table[Int($0)] }
        return String(decoding: units, as: UTF16.self)
    }

    /// Does folding change this text?
    public static func changes(_ s: String) -> Bool { s.utf16.contains { table[Int($0)] != $0 } }

    /// The kinds of folding that change these units (0: folding leaves them alone).
    public static func kindsChanging(_ units: UnsafeBufferPointer<UInt16>) -> UInt8 {
        var k: UInt8 = 0
        for u in units where table[Int(u)] != u { k |= kind(ofFolding: u) }
        return k
    }

    /// Folded copies of UTF-16 units.
    public static func folded(_ units: UnsafeBufferPointer<UInt16>) -> [UInt16] {
        [UInt16](unsafeUninitializedCapacity: units.count) { out, n in
            for i in 0..<units.count { out[i] = table[Int(units[i])] }
            n = units.count
        }
    }
}
