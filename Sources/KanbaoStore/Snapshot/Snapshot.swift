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
    public static let version: UInt32 = 4

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
        let a = s.articles
        let f = s.figures
        try w.dict(a.source)
        try w.strings(a.title)
        try w.strings(a.headline.text)
        try w.array(a.headline.hasLines)
        try w.strings(a.byline)
        try w.array(a.hasByline)
        try w.dictList(a.reporters)
        try w.dictList(a.correspondents)
        try w.dict(a.speaker)
        try w.dict(a.district)
        try w.dictList(a.districts)
        try w.dictList(a.places)
        try w.array(a.dateFirst)
        try w.array(a.dateLast)
        try w.array(a.datePrecision)
        try w.array(a.dateSource)
        try w.array(a.publishedDay)
        try w.array(a.publishedSource)
        try w.strings(a.notes)
        try w.strings(a.body)
        try w.array(a.chars)
        try w.array(a.figureStart)
        try w.array(f.article)
        try w.array(f.rawStart)
        try w.array(f.rawLength.small)
        try w.array(f.rawLength.largeRows)
        try w.array(f.rawLength.largeValues)
        try w.array(f.value)
        try w.u64(UInt64(f.valueMax.count))
        try w.array(f.valueMax.rows)
        try w.array(f.valueMax.values)
        try w.dict(f.unit)
        try w.array(f.approx)
        try w.array(f.contextExceptionRows)
        try w.strings(f.contextExceptions)
        try w.index(s.titleIndex)
        try w.index(s.bodyIndex)
        let p = s.pages
        try w.strings(p.source)
        try w.array(p.year)
        try w.array(p.month)
        try w.array(p.day)
        try w.array(p.publicationSource)
        try w.array(p.pageYear)
        try w.dict(p.pageYearNote)
        try w.dict(p.encoding)
        try w.strings(p.banners)
        try w.array(p.bannerStart)
        try w.strings(p.captions)
        try w.array(p.captionStart)
        try w.array(p.replacedBytes)
        try w.array(p.counts)
        try w.dict(p.droppedReason)
        try w.array(p.droppedCount)
        try w.array(p.droppedStart)
        try w.stringArray(s.skipped.map(\.path))
        try w.stringArray(s.skipped.map(\.reason))
        try w.stringArray(s.warnings)
    }

    /// Writes to `path` through a temporary file in the same folder, renamed into place
    /// only when complete: a failed or interrupted write leaves no partial snapshot.
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
        a.source = try r.dict()
        a.title = try r.strings()
        a.headline.text = try r.strings()
        a.headline.hasLines = try r.bools()
        a.byline = try r.strings()
        a.hasByline = try r.bools()
        a.reporters = try r.dictList()
        a.correspondents = try r.dictList()
        a.speaker = try r.dict()
        a.district = try r.dict()
        a.districts = try r.dictList()
        a.places = try r.dictList()
        a.dateFirst = try r.array()
        a.dateLast = try r.array()
        a.datePrecision = try r.array()
        a.dateSource = try r.array()
        a.publishedDay = try r.array()
        a.publishedSource = try r.array()
        a.notes = try r.strings()
        a.body = try r.strings()
        a.chars = try r.array()
        a.figureStart = try r.array()
        f.article = try r.array()
        f.rawStart = try r.array()
        f.rawLength.small = try r.array()
        f.rawLength.largeRows = try r.array()
        f.rawLength.largeValues = try r.array()
        f.value = try r.array()
        f.valueMax = try r.sparse()
        f.unit = try r.dict()
        f.approx = try r.array()
        f.contextExceptionRows = try r.array()
        f.contextExceptions = try r.strings()
        let ti = try r.index()
        let bi = try r.index()
        var p = PageColumns()
        p.source = try r.strings()
        p.year = try r.array()
        p.month = try r.array()
        p.day = try r.array()
        p.publicationSource = try r.array()
        p.pageYear = try r.array()
        p.pageYearNote = try r.dict()
        p.encoding = try r.dict()
        p.banners = try r.strings()
        p.bannerStart = try r.array()
        p.captions = try r.strings()
        p.captionStart = try r.array()
        p.replacedBytes = try r.array()
        p.counts = try r.array()
        p.droppedReason = try r.dict()
        p.droppedCount = try r.array()
        p.droppedStart = try r.array()
        let pageCount = p.year.count
        guard
            [
                p.source.count, p.month.count, p.day.count, p.publicationSource.count, p.pageYear.count,
                p.pageYearNote.count, p.encoding.count,
                p.replacedBytes.count,
            ].allSatisfy({ $0 == pageCount }), p.counts.count == pageCount * PageColumns.countsPerPage,
            p.bannerStart.count == pageCount + 1, p.captionStart.count == pageCount + 1,
            p.droppedStart.count == pageCount + 1,
            p.bannerStart.first == 0, p.captionStart.first == 0, p.droppedStart.first == 0,
            Int(p.bannerStart.last!) == p.banners.count, Int(p.captionStart.last!) == p.captions.count,
            Int(p.droppedStart.last!) == p.droppedCount.count, p.droppedReason.count == p.droppedCount.count,
            isMonotonic(p.bannerStart), isMonotonic(p.captionStart), isMonotonic(p.droppedStart),
            !p.droppedReason.codes.contains(-1)
        else {
            throw SnapshotError.damaged("page table")
        }
        let pages = p
        let sp = try r.stringArray()
        let sr = try r.stringArray()
        let warnings = try r.stringArray()
        guard sp.count == sr.count, r.atEnd else { throw SnapshotError.damaged("trailing or missing data") }
        // Cross-checks: every column has one entry per row.
        let rows = a.chars.count
        guard a.title.count == rows, a.body.count == rows, a.source.count == rows, a.figureStart.count == rows + 1,
            a.headline.count == rows, a.headline.text.count == rows, a.byline.count == rows, a.hasByline.count == rows,
            [a.reporters.count, a.correspondents.count, a.districts.count, a.places.count].allSatisfy({ $0 == rows }),
            [
                a.speaker.count, a.district.count, a.notes.count, a.publishedDay.count, a.publishedSource.count,
                a.dateFirst.count, a.dateLast.count,
                a.datePrecision.count, a.dateSource.count,
            ].allSatisfy({ $0 == rows }),
            f.value.count == f.article.count, Int(a.figureStart.last ?? 0) == f.article.count,
            [f.rawStart.count, f.rawLength.count, f.approx.count, f.unit.count, f.valueMax.count].allSatisfy({
                $0 == f.article.count
            }),
            f.rawLength.largeRows.count == f.rawLength.largeValues.count,
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
