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
        case .version(let f, let e): return "snapshot format \(f) is not supported (this kanbao reads format \(e)); rebuild it with kanbao index"
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
        let a = s.articles, f = s.figures
        try w.dict(a.source); try w.strings(a.title); try w.strings(a.headline.text); try w.array(a.headline.hasLines)
        try w.strings(a.byline); try w.array(a.hasByline)
        try w.dictList(a.reporters); try w.dictList(a.correspondents); try w.dict(a.speaker); try w.dict(a.district)
        try w.dictList(a.districts); try w.dictList(a.places)
        try w.array(a.dateFirst); try w.array(a.dateLast); try w.array(a.datePrecision); try w.array(a.dateSource)
        try w.array(a.publishedDay); try w.array(a.publishedSource); try w.strings(a.notes)
        try w.strings(a.body); try w.array(a.chars); try w.array(a.figureStart)
        try w.array(f.article); try w.array(f.rawStart); try w.array(f.rawLength.small); try w.array(f.rawLength.largeRows); try w.array(f.rawLength.largeValues); try w.array(f.value); try w.u64(UInt64(f.valueMax.count)); try w.array(f.valueMax.rows); try w.array(f.valueMax.values)
        try w.dict(f.unit); try w.array(f.approx); try w.array(f.contextExceptionRows); try w.strings(f.contextExceptions)
        try w.index(s.titleIndex); try w.index(s.bodyIndex)
        let p = s.pages
        try w.strings(p.source); try w.array(p.year); try w.array(p.month); try w.array(p.day); try w.array(p.publicationSource); try w.array(p.pageYear)
        try w.dict(p.pageYearNote); try w.dict(p.encoding); try w.strings(p.banners); try w.array(p.bannerStart)
        try w.strings(p.captions); try w.array(p.captionStart); try w.array(p.replacedBytes); try w.array(p.counts)
        try w.dict(p.droppedReason); try w.array(p.droppedCount); try w.array(p.droppedStart)
        try w.stringArray(s.skipped.map(\.path)); try w.stringArray(s.skipped.map(\.reason)); try w.stringArray(s.warnings)
    }

    /// Writes to `path` through a temporary file in the same folder, renamed into place
    /// only when complete: a failed or interrupted write leaves no partial snapshot.
    public static func write(_ s: Store, to path: String, shouldStop: @escaping () -> Bool = { false }) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let tmp = (dir.isEmpty ? "." : dir) + "/.\((path as NSString).lastPathComponent).tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SnapshotError.io("cannot write \(path): \(String(cString: strerror(errno)))") }
        func fail(_ why: String) -> SnapshotError {
            close(fd)
            unlink(tmp)
            return SnapshotError.io("cannot write \(path): \(why)")
        }
        // Sections go straight to the file as they are encoded: no second copy of the store.
        var w = Writer { chunk in
            if shouldStop() { throw SnapshotError.io("interrupted") }
            var off = 0
            while off < chunk.count {
                let n = Foundation.write(fd, chunk.baseAddress! + off, min(chunk.count - off, 1 << 30))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw SnapshotError.io(String(cString: strerror(errno)))
                }
                off += n
            }
        }
        do {
            try Trace.phase("index: encode and write") {
                try encode(s, &w)
                try w.finish()
            }
        } catch let e as SnapshotError {
            if case .io(let why) = e { throw fail(why) }
            throw fail("\(e)")
        }
        if Trace.phase("index: fsync", { fsync(fd) }) != 0 { throw fail(String(cString: strerror(errno))) }
        if close(fd) != 0 {
            unlink(tmp)
            throw SnapshotError.io("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        var st = stat()
        if lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK {
            unlink(tmp)
            throw SnapshotError.io("cannot write \(path): it is a symbolic link (refusing to replace it)")
        }
        guard rename(tmp, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(tmp)
            throw SnapshotError.io("cannot write \(path): \(why)")
        }
    }

    // MARK: reading

    /// Maps the file and reads the store straight out of the mapping: the big columns
    /// (bodies, postings, numbers) become views of the mapped pages, not copies, so a
    /// snapshot loads in the time it takes to checksum it. The checksum is computed on
    /// all cores before anything is parsed.
    public static func read(path: String) throws -> Store {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SnapshotError.io("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw SnapshotError.io("cannot read \(path)") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw SnapshotError.io("cannot read \(path): not a regular file") }
        let size = Int(st.st_size)
        guard size >= headerSize + 8 else { throw SnapshotError.notASnapshot(path) }
        guard let region = MappedRegion(fd: fd, size: size) else {
            throw SnapshotError.io("cannot map \(path): \(String(cString: strerror(errno)))")
        }
        region.adviseSequential()
        return try decode(region, name: path)
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
        var a = ArticleColumns(), f = FigureColumns()
        a.source = try r.dict(); a.title = try r.strings(); a.headline.text = try r.strings(); a.headline.hasLines = try r.bools()
        a.byline = try r.strings(); a.hasByline = try r.bools()
        a.reporters = try r.dictList(); a.correspondents = try r.dictList(); a.speaker = try r.dict(); a.district = try r.dict()
        a.districts = try r.dictList(); a.places = try r.dictList()
        a.dateFirst = try r.array(); a.dateLast = try r.array(); a.datePrecision = try r.array(); a.dateSource = try r.array()
        a.publishedDay = try r.array(); a.publishedSource = try r.array(); a.notes = try r.strings()
        a.body = try r.strings(); a.chars = try r.array(); a.figureStart = try r.array()
        f.article = try r.array(); f.rawStart = try r.array(); f.rawLength.small = try r.array(); f.rawLength.largeRows = try r.array(); f.rawLength.largeValues = try r.array(); f.value = try r.array(); f.valueMax = try r.sparse()
        f.unit = try r.dict(); f.approx = try r.array(); f.contextExceptionRows = try r.array(); f.contextExceptions = try r.strings()
        let ti = try r.index(), bi = try r.index()
        var p = PageColumns()
        p.source = try r.strings(); p.year = try r.array(); p.month = try r.array(); p.day = try r.array(); p.publicationSource = try r.array(); p.pageYear = try r.array()
        p.pageYearNote = try r.dict(); p.encoding = try r.dict(); p.banners = try r.strings(); p.bannerStart = try r.array()
        p.captions = try r.strings(); p.captionStart = try r.array(); p.replacedBytes = try r.array(); p.counts = try r.array()
        p.droppedReason = try r.dict(); p.droppedCount = try r.array(); p.droppedStart = try r.array()
        let pageCount = p.year.count
        guard [p.source.count, p.month.count, p.day.count, p.publicationSource.count, p.pageYear.count, p.pageYearNote.count, p.encoding.count,
               p.replacedBytes.count].allSatisfy({ $0 == pageCount }), p.counts.count == pageCount * PageColumns.countsPerPage,
              p.bannerStart.count == pageCount + 1, p.captionStart.count == pageCount + 1, p.droppedStart.count == pageCount + 1,
              p.bannerStart.first == 0, p.captionStart.first == 0, p.droppedStart.first == 0,
              Int(p.bannerStart.last!) == p.banners.count, Int(p.captionStart.last!) == p.captions.count,
              Int(p.droppedStart.last!) == p.droppedCount.count, p.droppedReason.count == p.droppedCount.count,
              isMonotonic(p.bannerStart), isMonotonic(p.captionStart), isMonotonic(p.droppedStart),
              !p.droppedReason.codes.contains(-1) else {
            throw SnapshotError.damaged("page table")
        }
        let pages = p
        let sp = try r.stringArray(), sr = try r.stringArray(), warnings = try r.stringArray()
        guard sp.count == sr.count, r.atEnd else { throw SnapshotError.damaged("trailing or missing data") }
        // Cross-checks: every column has one entry per row.
        let rows = a.chars.count
        guard a.title.count == rows, a.body.count == rows, a.source.count == rows, a.figureStart.count == rows + 1,
              a.headline.count == rows, a.headline.text.count == rows, a.byline.count == rows, a.hasByline.count == rows,
              [a.reporters.count, a.correspondents.count, a.districts.count, a.places.count].allSatisfy({ $0 == rows }),
              [a.speaker.count, a.district.count, a.notes.count, a.publishedDay.count, a.publishedSource.count, a.dateFirst.count, a.dateLast.count,
               a.datePrecision.count, a.dateSource.count].allSatisfy({ $0 == rows }),
              f.value.count == f.article.count, Int(a.figureStart.last ?? 0) == f.article.count,
              [f.rawStart.count, f.rawLength.count, f.approx.count, f.unit.count, f.valueMax.count].allSatisfy({ $0 == f.article.count }),
              f.rawLength.largeRows.count == f.rawLength.largeValues.count, f.contextExceptionRows.count == f.contextExceptions.count,
              isStrictlyAscending(f.rawLength.largeRows, below: f.article.count),
              isStrictlyAscending(f.contextExceptionRows, below: f.article.count),
              ti.rows == rows, bi.rows == rows else {
            throw SnapshotError.damaged("column lengths disagree")
        }
        guard isMonotonic(a.figureStart) else { throw SnapshotError.damaged("figure ranges") }
        // Enumerations hold only their own values.
        func within(_ c: ColumnBuffer<UInt8>, _ cases: Int) -> Bool { c.withUnsafeBufferPointer { $0.allSatisfy { Int($0) < cases } } }
        guard within(a.datePrecision, DatePrecision.allCases.count), within(a.dateSource, DateSource.allCases.count),
              within(a.publishedSource, DateSource.allCases.count),
              within(f.approx, Approx.allCases.count) else {
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
        return Store(articles: a, figures: f, pages: pages, skipped: Array(zip(sp, sr)).map { (path: $0.0, reason: $0.1) },
                     warnings: warnings, titleIndex: ti, bodyIndex: bi)
    }

    static func isStrictlyAscending(_ c: ColumnBuffer<Int32>, below limit: Int) -> Bool {
        c.withUnsafeBufferPointer { b in b.indices.allSatisfy { i in b[i] >= 0 && Int(b[i]) < limit && (i == 0 || b[i - 1] < b[i]) } }
    }

    static func isMonotonic<T: Comparable & BitwiseCopyable>(_ c: ColumnBuffer<T>) -> Bool {
        c.withUnsafeBufferPointer { b in
            var i = 1
            while i < b.count { if b[i] < b[i - 1] { return false }; i += 1 }
            return true
        }
    }

    /// Magic (8 bytes), format version (4), reserved (4): sections start 8-byte aligned.
    static let headerSize = 16

    /// The checksum: the bytes are cut into 8 MiB blocks, each hashed in four independent
    /// multiply-xor lanes (so one core hashes at memory speed), and the block hashes are
    /// folded in order with the total length. Blocks are independent, so reading hashes
    /// them on every core. Catches a cut or a flipped bit; not a cryptographic signature.
    struct BlockChecksum {
        static let blockSize = 8 << 20
        static let initialLanes: (UInt64, UInt64, UInt64, UInt64) = (0x243F_6A88_85A3_08D3, 0x1319_8A2E_0370_7344, 0xA409_3822_299F_31D0, 0x082E_FA98_EC4E_6C89)
        private var lanes = initialLanes
        private var pending: [UInt8] = []
        private var inBlock = 0
        private var folded: UInt64 = 0xcbf2_9ce4_8422_2325
        private var total = 0

        init() { pending.reserveCapacity(32) }

        @inline(__always) static func mix(_ x: UInt64, _ w: UInt64) -> UInt64 {
            let y = (x ^ w) &* 0x9E37_79B9_7F4A_7C15
            return y ^ (y >> 29)
        }

        /// The hash of one whole block (or the last, shorter one).
        static func hashBlock(_ raw: UnsafeRawBufferPointer) -> UInt64 {
            var h = BlockChecksum()
            h.feed(raw)
            return h.endBlock()
        }

        /// Feeds bytes that lie within one block.
        private mutating func feed(_ raw: UnsafeRawBufferPointer) {
            var start = 0
            if !pending.isEmpty {
                while pending.count < 32 && start < raw.count { pending.append(raw[start]); start += 1 }
                guard pending.count == 32 else { return }
                pending.withUnsafeBytes { lanesStep($0, 0) }
                pending.removeAll(keepingCapacity: true)
            }
            let groups = (raw.count - start) / 32
            var (a, b, c, d) = lanes
            for g in 0..<groups {
                let o = start + g * 32
                a = BlockChecksum.mix(a, raw.loadUnaligned(fromByteOffset: o, as: UInt64.self))
                b = BlockChecksum.mix(b, raw.loadUnaligned(fromByteOffset: o + 8, as: UInt64.self))
                c = BlockChecksum.mix(c, raw.loadUnaligned(fromByteOffset: o + 16, as: UInt64.self))
                d = BlockChecksum.mix(d, raw.loadUnaligned(fromByteOffset: o + 24, as: UInt64.self))
            }
            lanes = (a, b, c, d)
            for i in (start + groups * 32)..<raw.count { pending.append(raw[i]) }
        }

        private mutating func lanesStep(_ raw: UnsafeRawBufferPointer, _ o: Int) {
            lanes.0 = BlockChecksum.mix(lanes.0, raw.loadUnaligned(fromByteOffset: o, as: UInt64.self))
            lanes.1 = BlockChecksum.mix(lanes.1, raw.loadUnaligned(fromByteOffset: o + 8, as: UInt64.self))
            lanes.2 = BlockChecksum.mix(lanes.2, raw.loadUnaligned(fromByteOffset: o + 16, as: UInt64.self))
            lanes.3 = BlockChecksum.mix(lanes.3, raw.loadUnaligned(fromByteOffset: o + 24, as: UInt64.self))
        }

        private mutating func endBlock() -> UInt64 {
            var h = BlockChecksum.mix(BlockChecksum.mix(BlockChecksum.mix(lanes.0, lanes.1), lanes.2), lanes.3)
            for b in pending { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            return h
        }

        /// Streaming use (the writer): bytes in pieces of any size.
        mutating func update(_ raw: UnsafeRawBufferPointer) {
            var start = 0
            while start < raw.count {
                let take = Swift.min(raw.count - start, BlockChecksum.blockSize - inBlock)
                feed(UnsafeRawBufferPointer(rebasing: raw[start..<(start + take)]))
                start += take
                inBlock += take
                total += take
                if inBlock == BlockChecksum.blockSize { foldBlock() }
            }
        }

        private mutating func foldBlock() {
            folded = BlockChecksum.mix(folded, endBlock())
            lanes = BlockChecksum.initialLanes
            pending.removeAll(keepingCapacity: true)
            inBlock = 0
        }

        mutating func finish() -> UInt64 {
            if inBlock > 0 { folded = BlockChecksum.mix(folded, endBlock()) }
            return BlockChecksum.mix(folded, UInt64(total))
        }

        /// The checksum of a buffer in memory, its blocks hashed on every core.
        static func parallel(_ raw: UnsafeRawBufferPointer) -> UInt64 {
            let blocks = (raw.count + blockSize - 1) / blockSize
            var hashes = [UInt64](repeating: 0, count: blocks)
            hashes.withUnsafeMutableBufferPointer { out in
                let outBox = UncheckedBox(out), rawBox = UncheckedBox(raw)
                let workers = Swift.max(1, Swift.min(ProcessInfo.processInfo.activeProcessorCount, blocks))
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var b = w
                    while b < blocks {
                        let raw = rawBox.value
                        let lo = b * blockSize, hi = Swift.min(raw.count, lo + blockSize)
                        outBox.value[b] = hashBlock(UnsafeRawBufferPointer(rebasing: raw[lo..<hi]))
                        b += workers
                    }
                }
            }
            var folded: UInt64 = 0xcbf2_9ce4_8422_2325
            for h in hashes { folded = mix(folded, h) }
            return mix(folded, UInt64(raw.count))
        }
    }

    final class UncheckedBox<T>: @unchecked Sendable {
        let value: T
        init(_ v: T) { value = v }
    }

    /// One large section written and checksummed at once; each half touched by one thread.
    final class SectionJob: @unchecked Sendable {
        let sink: (UnsafeRawBufferPointer) throws -> Void
        let raw: UnsafeRawBufferPointer
        var checksum: UnsafeMutablePointer<BlockChecksum>?
        var failure: Error?
        init(sink: @escaping (UnsafeRawBufferPointer) throws -> Void, raw: UnsafeRawBufferPointer) { self.sink = sink; self.raw = raw }
        func run(_ part: Int) {
            if part == 0 { checksum!.pointee.update(raw) } else {
                do { try sink(raw) } catch { failure = error }
            }
        }
    }

    /// Encodes into a buffer that is handed to `sink` a megabyte at a time (large arrays
    /// directly), checksumming everything; `finish` appends the checksum. Every array is
    /// padded to a multiple of 8 bytes, so each section starts aligned and can be used in
    /// place once the file is mapped.
    struct Writer {
        let sink: (UnsafeRawBufferPointer) throws -> Void
        var buffer: [UInt8] = []
        var checksum = BlockChecksum()
        var position = 0

        init(sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
            self.sink = sink
            buffer.reserveCapacity(1 << 20)
        }

        mutating func emit(_ raw: UnsafeRawBufferPointer) throws {
            position += raw.count
            if raw.count >= 8 << 20 {
                // A large column: checksummed on one core while the other copies it to
                // the file (each about a second for a million articles' bodies).
                try flush()
                let job = SectionJob(sink: sink, raw: raw)
                withUnsafeMutablePointer(to: &checksum) { sum in
                    job.checksum = sum
                    DispatchQueue.concurrentPerform(iterations: 2) { job.run($0) }
                }
                if let e = job.failure { throw e }
                return
            }
            checksum.update(raw)
            if raw.count >= 1 << 16 {
                try flush()
                try sink(raw)
            } else {
                buffer.append(contentsOf: raw)
                if buffer.count >= 1 << 20 { try flush() }
            }
        }
        mutating func flush() throws {
            if buffer.isEmpty { return }
            try buffer.withUnsafeBytes { try sink($0) }
            buffer.removeAll(keepingCapacity: true)
        }
        mutating func finish() throws {
            var sum = checksum.finish().littleEndian
            try flush()
            try withUnsafeBytes(of: &sum) { try sink($0) }
        }
        mutating func pad() throws {
            let zeros = [UInt8](repeating: 0, count: (8 - position % 8) % 8)
            try zeros.withUnsafeBytes { try emit($0) }
        }
        mutating func header() throws {
            try magic.withUnsafeBytes { try emit($0) }
            try u32(version)
            try u32(0)
        }
        mutating func u32(_ v: UInt32) throws { var x = v.littleEndian; try withUnsafeBytes(of: &x) { try emit($0) } }
        mutating func u64(_ v: UInt64) throws { var x = v.littleEndian; try withUnsafeBytes(of: &x) { try emit($0) } }
        mutating func i64(_ v: Int64) throws { try u64(UInt64(bitPattern: v)) }
        mutating func array<C: Collection>(_ a: C) throws where C.Element: BitwiseCopyable {
            try u64(UInt64(a.count))
            let done: Void? = try a.withContiguousStorageIfAvailable { try emit(UnsafeRawBufferPointer($0)) }
            if done == nil { try Array(a).withUnsafeBytes { try emit($0) } }
            try pad()
        }
        mutating func string(_ s: String) throws { try array(Array(s.utf8)) }
        mutating func stringArray(_ a: [String]) throws { try u64(UInt64(a.count)); for s in a { try string(s) } }
        mutating func strings(_ c: StringColumn) throws { try array(c.heap); try array(c.offsets) }
        mutating func dict(_ c: DictionaryColumn) throws { try strings(c.values); try array(c.codes) }
        mutating func dictList(_ c: DictionaryListColumn) throws { try dict(c.values); try array(c.offsets) }
        mutating func index(_ i: KeywordIndex) throws {
            try u64(UInt64(i.rows)); try array(i.keys); try array(i.starts); try array(i.counts); try array(i.bytes); try array(i.kinds)
        }
    }

    /// Reads sections out of a mapped region. Arrays come back as views of the region
    /// (checked for length and alignment first); small values are copied out.
    struct Reader {
        let region: MappedRegion
        var position: Int
        let end: Int

        var remaining: Int { end - position }
        var atEnd: Bool { position == end }

        mutating func u64() throws -> UInt64 {
            guard remaining >= 8 else { throw SnapshotError.damaged("a section runs past the end of the file") }
            let v = region.base.loadUnaligned(fromByteOffset: position, as: UInt64.self)
            position += 8
            return UInt64(littleEndian: v)
        }
        mutating func i64() throws -> Int64 { Int64(bitPattern: try u64()) }

        mutating func array<T: BitwiseCopyable>() throws -> ColumnBuffer<T> {
            let n = try u64()
            let stride = Swift.max(MemoryLayout<T>.stride, 1)
            // Checked before use: a damaged count must not reach past the file.
            guard n <= UInt64(remaining / stride) else {
                throw SnapshotError.damaged("an array is longer than the rest of the file")
            }
            guard position % MemoryLayout<T>.alignment == 0 else { throw SnapshotError.damaged("a section is misaligned") }
            let bytes = Int(n) * stride
            let view = ColumnBuffer<T>(region: region, offset: position, count: Int(n))
            position += bytes
            position += (8 - position % 8) % 8
            guard position <= end else { throw SnapshotError.damaged("a section runs past the end of the file") }
            return view
        }
        mutating func bools() throws -> ColumnBuffer<Bool> {
            let raw: ColumnBuffer<UInt8> = try array()
            guard raw.allSatisfy({ $0 <= 1 }) else { throw SnapshotError.damaged("a yes/no column holds other values") }
            return raw.withUnsafeBufferPointer { b in
                ColumnBuffer<Bool>(region: region, offset: b.baseAddress.map { UnsafeRawPointer($0) - region.base } ?? 0, count: b.count)
            }
        }
        mutating func string() throws -> String {
            let b: ColumnBuffer<UInt8> = try array()
            return b.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
        }
        mutating func stringArray() throws -> [String] {
            let n = try u64()
            guard n <= UInt64(remaining / 8) else { throw SnapshotError.damaged("a list is longer than the rest of the file") }
            return try (0..<n).map { _ in try string() }
        }
        mutating func strings() throws -> StringColumn {
            var c = StringColumn()
            c.heap = try array()
            c.offsets = try array()
            guard let last = c.offsets.last, last == c.heap.count, c.offsets.first == 0, isMonotonic(c.offsets) else {
                throw SnapshotError.damaged("text column offsets")
            }
            return c
        }
        mutating func sparse() throws -> SparseNumberColumn {
            var c = SparseNumberColumn()
            c.count = Int(clamping: try u64())
            c.rows = try array()
            c.values = try array()
            guard c.rows.count == c.values.count, isStrictlyAscending(c.rows, below: c.count) else {
                throw SnapshotError.damaged("sparse column rows")
            }
            return c
        }
        mutating func dict() throws -> DictionaryColumn {
            var c = DictionaryColumn()
            c.values = try strings()
            c.codes = try array()
            let n = Int32(c.values.count)
            let inRange = c.codes.withUnsafeBufferPointer { b in b.allSatisfy { $0 >= -1 && $0 < n } }
            guard inRange else { throw SnapshotError.damaged("dictionary codes out of range") }
            return c
        }
        mutating func dictList() throws -> DictionaryListColumn {
            var c = DictionaryListColumn()
            c.values = try dict()
            c.offsets = try array()
            guard c.offsets.first == 0, Int(c.offsets.last ?? -1) == c.values.count, isMonotonic(c.offsets) else {
                throw SnapshotError.damaged("list column offsets")
            }
            return c
        }
        mutating func index() throws -> KeywordIndex {
            let rows = Int(try u64())
            let keys: ColumnBuffer<UInt64> = try array(), starts: ColumnBuffer<UInt64> = try array()
            let counts: ColumnBuffer<UInt32> = try array()
            let data: ColumnBuffer<UInt8> = try array(), kinds: ColumnBuffer<UInt8> = try array()
            guard rows >= 0, rows <= Int(Int32.max), starts.count == keys.count + 1, counts.count == keys.count,
                  kinds.count == keys.count, starts.first == 0, Int(starts.last ?? 0) == data.count, isMonotonic(starts), isMonotonic(keys) else {
                throw SnapshotError.damaged("keyword index")
            }
            // A bitmap or Elias–Fano list has exactly the size its row count implies.
            let bitmapSize = UInt64((rows + 7) / 8)
            for s in 0..<kinds.count where kinds[s] != KeywordIndex.ListKind.varint {
                let size = starts[s + 1] - starts[s]
                switch kinds[s] {
                case KeywordIndex.ListKind.bitmap where size == bitmapSize: continue
                case KeywordIndex.ListKind.eliasFano
                    where counts[s] > 0 && size == UInt64(KeywordIndex.eliasFanoSize(count: Int(counts[s]), rows: rows)): continue
                default: throw SnapshotError.damaged("keyword index list \(s)")
                }
            }
            return KeywordIndex(keys: keys, starts: starts, counts: counts, bytes: data, kinds: kinds, rows: rows)
        }
    }
}
