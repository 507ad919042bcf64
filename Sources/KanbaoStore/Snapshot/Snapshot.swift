// Snapshots: the whole store (columns, dictionaries, page metadata and the keyword
// indexes) in one file, so a large corpus loads in seconds instead of being parsed again.
//
// Layout: "KANBAOSN" magic, format version (UInt32), then sections of little-endian
// arrays (count, then raw elements), and at the end a 64-bit checksum of everything
// before it. A file with another magic, another version, a wrong checksum or a short
// section is refused with a message saying which.
import Foundation

public enum SnapshotError: Error, CustomStringConvertible, Equatable {
    case notASnapshot(String)
    case version(found: UInt32, expected: UInt32)
    case damaged(String)
    case io(String)

    public var description: String {
        switch self {
        case .notASnapshot(let p): return "\(p) is not a Kanbao snapshot"
        case .version(let f, let e):
            return "snapshot format \(f) is not supported (this kanbao reads format \(e)); rebuild it with kanbao index"
        case .damaged(let why): return "snapshot is damaged: \(why)"
        case .io(let why): return why
        }
    }
}

public enum Snapshot {
    public static let magic = Array("KANBAOSN".utf8)
    public static let version: UInt32 = 8

    /// Is this file a snapshot (by its magic)?
    public static func isSnapshot(path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        return (try? h.read(upToCount: 8)).map { [UInt8]($0) == magic } ?? false
    }

    // MARK: writing

    public static func encode(_ s: Store) -> [UInt8] {
        var out: [UInt8] = []
        var w = Writer { out.append(contentsOf: $0) }
        try! encode(s, &w)
        try! w.finish()
        return out
    }

    static func encode(_ s: Store, _ w: inout Writer) throws {
        try w.header()
        for section in SnapshotLayout.articles { try section.write(&w, s.articles) }
        for section in SnapshotLayout.figures { try section.write(&w, s.figures) }
        try w.index(s.titleIndex)
        try w.index(s.bodyIndex)
        for section in SnapshotLayout.pages { try section.write(&w, s.pages) }
        try w.stringArray(s.skipped.map(\.path))
        try w.stringArray(s.skipped.map(\.reason))
        try w.stringArray(s.warnings)
    }

    public static func decode(_ bytes: [UInt8], name: String = "snapshot") throws -> Store {
        guard bytes.count >= headerSize + 8 else { throw SnapshotError.notASnapshot(name) }
        return try decode(bytes.withUnsafeBytes { MappedRegion(copying: $0) }, name: name)
    }

    static func decode(_ region: MappedRegion, name: String) throws -> Store {
        #if _endian(big)
            throw SnapshotError.io("snapshots are little-endian; this machine is not")
        #endif
        let all = UnsafeRawBufferPointer(start: region.base, count: region.size)
        guard Array(all[0..<8]) == magic else { throw SnapshotError.notASnapshot(name) }
        let v = UInt32(littleEndian: all.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        guard v == version else { throw SnapshotError.version(found: v, expected: version) }
        let body = UnsafeRawBufferPointer(rebasing: all[0..<(all.count - 8)])
        let stored = UInt64(littleEndian: all.loadUnaligned(fromByteOffset: all.count - 8, as: UInt64.self))
        guard BlockChecksum.parallel(body) == stored else {
            throw SnapshotError.damaged("checksum mismatch (the file was changed or cut short)")
        }
        var r = Reader(region: region, position: headerSize, end: body.count)
        var a = ArticleColumns()
        var f = FigureColumns()
        var p = PageColumns()
        // With KANBAO_TRACE, each section's share of the file (what memory work starts from).
        func sized<T>(_ name: String, _ read: () throws -> T) rethrows -> T {
            let start = r.position
            let value = try read()
            Trace.note("snapshot: \(name) \((r.position - start) >> 20) MiB")
            return value
        }
        for section in SnapshotLayout.articles { try sized(section.name) { try section.read(&r, &a) } }
        for section in SnapshotLayout.figures { try sized("figure " + section.name) { try section.read(&r, &f) } }
        let ti = try sized("title index") { try r.index() }
        let bi = try sized("body index") { try r.index() }
        for section in SnapshotLayout.pages { try section.read(&r, &p) }
        let pageCount = p.year.count
        // Every section has as many entries as its table's rows say (the layout says how many).
        if let misfit = SnapshotLayout.misfit(SnapshotLayout.pages, p, rows: pageCount) {
            throw SnapshotError.damaged("page table (\(misfit))")
        }
        guard
            p.bannerStart.first == 0, p.captionStart.first == 0, p.droppedStart.first == 0,
            Int(p.bannerStart.last!) == p.banners.count, Int(p.captionStart.last!) == p.captions.count,
            Int(p.droppedStart.last!) == p.droppedCount.count, p.droppedReason.count == p.droppedCount.count,
            isMonotonic(p.bannerStart), isMonotonic(p.captionStart), isMonotonic(p.droppedStart),
            !(0..<p.droppedReason.count).contains(where: { p.droppedReason.code($0) == -1 })
        else {
            throw SnapshotError.damaged("page table")
        }
        let pages = p
        let sp = try r.stringArray()
        let sr = try r.stringArray()
        let warnings = try r.stringArray()
        guard sp.count == sr.count, r.atEnd else { throw SnapshotError.damaged("trailing or missing data") }
        let rows = a.chars.count
        if let misfit = SnapshotLayout.misfit(SnapshotLayout.articles, a, rows: rows)
            ?? SnapshotLayout.misfit(SnapshotLayout.figures, f, rows: f.article.count)
        {
            throw SnapshotError.damaged("column lengths disagree (\(misfit))")
        }
        // Cross-checks between columns and tables.
        guard a.headline.count == rows, a.headline.titlesAreWhole(), Int(a.figureStart.last ?? 0) == f.article.count,
            f.rawLength.largeRows.count == f.rawLength.largeValues.count,
            f.rawStart.largeRows.count == f.rawStart.largeValues.count,
            isStrictlyAscending(f.rawStart.largeRows, below: f.article.count),
            f.contextExceptionRows.count == f.contextExceptions.count,
            isStrictlyAscending(f.rawLength.largeRows, below: f.article.count),
            isStrictlyAscending(f.contextExceptionRows, below: f.article.count),
            ti.rows == rows, bi.rows == rows
        else {
            throw SnapshotError.damaged("column lengths disagree")
        }
        guard isMonotonic(a.figureStart) else { throw SnapshotError.damaged("figure ranges") }
        // Enumerations hold only their own values.
        func within(_ c: ColumnBuffer<UInt8>, _ cases: Int) -> Bool {
            c.withUnsafeBufferPointer { $0.allSatisfy { Int($0) < cases } }
        }
        guard within(a.datePrecision, DatePrecision.allCases.count), within(a.dateSource, DateSource.allCases.count),
            within(a.publishedSource, DateSource.allCases.count),
            within(f.approx, Approx.allCases.count)
        else {
            throw SnapshotError.damaged("a coded column holds an unknown value")
        }
        // Every figure's raw text lies inside its article's body (its context is then
        // found within the body too).
        try a.body.offsets.withUnsafeBufferPointer { offs in
            for i in 0..<f.article.count {
                let art = Int(f.article[i])
                guard art >= 0, art < rows else { throw SnapshotError.damaged("figure \(i) names article \(art)") }
                let len = offs[art + 1] - offs[art]
                guard f.rawStart[i] >= 0, f.rawLength[i] >= 0, Int(f.rawStart[i]) + Int(f.rawLength[i]) <= len else {
                    throw SnapshotError.damaged("figure \(i) points outside its article")
                }
            }
        }
        return Store(
            articles: a, figures: f, pages: pages, skipped: Array(zip(sp, sr)).map { (path: $0.0, reason: $0.1) },
            warnings: warnings, titleIndex: ti, bodyIndex: bi)
    }

    static func isStrictlyAscending(_ c: ColumnBuffer<Int32>, below limit: Int) -> Bool {
        c.withUnsafeBufferPointer { b in
            b.indices.allSatisfy { i in b[i] >= 0 && Int(b[i]) < limit && (i == 0 || b[i - 1] < b[i]) }
        }
    }

    static func isMonotonic<T: Comparable & BitwiseCopyable>(_ c: ColumnBuffer<T>) -> Bool {
        c.withUnsafeBufferPointer { b in
            var i = 1
            while i < b.count {
                if b[i] < b[i - 1] { return false }
                i += 1
            }
            return true
        }
    }

    /// Magic (8 bytes), format version (4), reserved (4): sections start 8-byte aligned.
    static let headerSize = 16

}
