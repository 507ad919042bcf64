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
    public static let version: UInt32 = 2

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
        try w.raw(magic)
        try w.u32(version)
        let a = s.articles, f = s.figures
        try w.dict(a.source); try w.strings(a.title); try w.stringList(a.headline); try w.strings(a.headlineText)
        try w.strings(a.byline); try w.array(a.hasByline.map { $0 ? UInt8(1) : 0 })
        try w.dictList(a.reporters); try w.dictList(a.correspondents); try w.dict(a.speaker); try w.dict(a.district)
        try w.dictList(a.districts); try w.dictList(a.places)
        try w.array(a.dateFirst); try w.array(a.dateLast); try w.array(a.datePrecision); try w.array(a.dateSource); try w.dict(a.dateNote)
        try w.strings(a.body); try w.array(a.chars); try w.array(a.figureStart)
        try w.array(f.article); try w.array(f.rawStart); try w.array(f.rawLength); try w.array(f.value); try w.array(f.valueMax)
        try w.dict(f.unit); try w.array(f.approx); try w.array(f.contextStart); try w.array(f.contextLength); try w.array(f.offset)
        try w.index(s.titleIndex); try w.index(s.bodyIndex)
        try w.u64(UInt64(s.pages.count))
        for p in s.pages {
            try w.string(p.source)
            try w.i64(Int64(p.publicationDate?.year ?? 0)); try w.i64(Int64(p.publicationDate?.month ?? 0)); try w.i64(Int64(p.publicationDate?.day ?? 0))
            try w.i64(Int64(p.pageYear ?? 0)); try w.string(p.pageYearNote); try w.string(p.encoding)
            try w.stringArray(p.banners); try w.stringArray(p.captions); try w.i64(Int64(p.replacedBytes))
            let c = p.account
            for v in [c.read, c.headlines, c.bylines, c.bodies, c.subheads, c.banners, c.captions] { try w.i64(Int64(v)) }
            let dropped = c.dropped.sorted { $0.key < $1.key }
            try w.stringArray(dropped.map(\.key)); try w.array(dropped.map { Int64($0.value) })
        }
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
            try encode(s, &w)
            try w.finish()
        } catch let e as SnapshotError {
            if case .io(let why) = e { throw fail(why) }
            throw fail("\(e)")
        }
        if fsync(fd) != 0 { throw fail(String(cString: strerror(errno))) }
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

    /// Reads a snapshot section by section straight into its columns, hashing as it
    /// goes: memory peaks at the store's own size, not the file's twice over.
    public static func read(path: String) throws -> Store {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SnapshotError.io("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw SnapshotError.io("cannot read \(path)") }
        let size = Int(st.st_size)
        guard size >= 20 else { throw SnapshotError.notASnapshot(path) }
        var src = ByteSource.file(fd, end: size - 8)
        return try decode(&src, name: path) {
            var tail = [UInt8](repeating: 0, count: 8)
            guard pread(fd, &tail, 8, off_t(size - 8)) == 8 else { throw SnapshotError.damaged("cannot read the checksum") }
            return tail.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        }
    }

    public static func decode(_ bytes: [UInt8], name: String = "snapshot") throws -> Store {
        guard bytes.count >= 20 else { throw SnapshotError.notASnapshot(name) }
        var src = ByteSource.memory(bytes, end: bytes.count - 8)
        return try decode(&src, name: name) {
            bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self) }
        }
    }

    static func decode(_ src: inout ByteSource, name: String, storedChecksum: () throws -> UInt64) throws -> Store {
        var r = Reader(src: src)
        guard try r.rawBytes(8) == magic else { throw SnapshotError.notASnapshot(name) }
        let v = try r.u32()
        guard v == version else { throw SnapshotError.version(found: v, expected: version) }
        var a = ArticleColumns(), f = FigureColumns()
        a.source = try r.dict(); a.title = try r.strings(); a.headline = try r.stringList(); a.headlineText = try r.strings()
        a.byline = try r.strings(); a.hasByline = try (r.array() as [UInt8]).map { $0 != 0 }
        a.reporters = try r.dictList(); a.correspondents = try r.dictList(); a.speaker = try r.dict(); a.district = try r.dict()
        a.districts = try r.dictList(); a.places = try r.dictList()
        a.dateFirst = try r.array(); a.dateLast = try r.array(); a.datePrecision = try r.array(); a.dateSource = try r.array()
        a.dateNote = try r.dict()
        a.body = try r.strings(); a.chars = try r.array(); a.figureStart = try r.array()
        f.article = try r.array(); f.rawStart = try r.array(); f.rawLength = try r.array(); f.value = try r.array(); f.valueMax = try r.array()
        f.unit = try r.dict(); f.approx = try r.array(); f.contextStart = try r.array(); f.contextLength = try r.array(); f.offset = try r.array()
        let ti = try r.index(), bi = try r.index()
        var pages: [PageRecord] = []
        let n = try r.u64()
        guard n <= UInt64(r.src.remaining / 8) else { throw SnapshotError.damaged("page count \(n)") }
        for _ in 0..<n {
            let source = try r.string()
            let y = try r.i64(), m = try r.i64(), d = try r.i64()
            let py = try r.i64()
            let note = try r.string(), enc = try r.string()
            let banners = try r.stringArray(), captions = try r.stringArray()
            let replaced = try r.i64()
            var c = CharacterAccount()
            c.read = Int(try r.i64()); c.headlines = Int(try r.i64()); c.bylines = Int(try r.i64()); c.bodies = Int(try r.i64())
            c.subheads = Int(try r.i64()); c.banners = Int(try r.i64()); c.captions = Int(try r.i64())
            let keys = try r.stringArray()
            let values: [Int64] = try r.array()
            guard keys.count == values.count else { throw SnapshotError.damaged("page accounting") }
            for (k, v) in zip(keys, values) { c.dropped[k] = Int(v) }
            var p = PageRecord(source: source, publicationDate: y == 0 ? nil : PartialDate(year: Int(y), month: Int(m), day: Int(d)),
                               pageYear: py == 0 ? nil : Int(py), pageYearNote: note, encoding: enc,
                               banners: banners, captions: captions, account: c)
            p.replacedBytes = Int(replaced)
            pages.append(p)
        }
        let sp = try r.stringArray(), sr = try r.stringArray(), warnings = try r.stringArray()
        guard sp.count == sr.count, r.src.atEnd else { throw SnapshotError.damaged("trailing or missing data") }
        guard r.hasher.finish() == (try storedChecksum()) else {
            throw SnapshotError.damaged("checksum mismatch (the file was changed or cut short)")
        }
        // Cross-checks: every column has one entry per row.
        let rows = a.chars.count
        guard a.title.count == rows, a.body.count == rows, a.source.count == rows, a.figureStart.count == rows + 1,
              a.dateFirst.count == rows, f.value.count == f.article.count, Int(a.figureStart.last ?? 0) == f.article.count,
              [f.rawStart.count, f.rawLength.count, f.contextStart.count, f.contextLength.count, f.offset.count, f.approx.count,
               f.unit.count, f.valueMax.count].allSatisfy({ $0 == f.article.count }) else {
            throw SnapshotError.damaged("column lengths disagree")
        }
        // Every figure's slices lie inside its article's body.
        for i in 0..<f.article.count {
            let art = Int(f.article[i])
            guard art >= 0, art < rows else { throw SnapshotError.damaged("figure \(i) names article \(art)") }
            let len = a.body.byteCount(art)
            guard f.rawStart[i] >= 0, f.rawLength[i] >= 0, Int(f.rawStart[i] + f.rawLength[i]) <= len,
                  f.contextStart[i] >= 0, f.contextLength[i] >= 0, Int(f.contextStart[i] + f.contextLength[i]) <= len else {
                throw SnapshotError.damaged("figure \(i) points outside its article")
            }
        }
        return Store(articles: a, figures: f, pages: pages, skipped: Array(zip(sp, sr)).map { (path: $0.0, reason: $0.1) },
                     warnings: warnings, titleIndex: ti, bodyIndex: bi)
    }

    /// A fast 64-bit checksum of the first `count` bytes (multiply-xor over 8-byte words):
    /// enough to catch a cut or a flipped bit; not a cryptographic signature.
    public static func checksum(_ bytes: [UInt8], count: Int) -> UInt64 {
        var h = Hasher64()
        bytes.withUnsafeBytes { h.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        return h.finish()
    }

    /// The checksum, fed in pieces of any size.
    struct Hasher64 {
        var x: UInt64 = 0xcbf2_9ce4_8422_2325
        var pending: [UInt8] = []
        var total = 0

        mutating func update(_ raw: UnsafeRawBufferPointer) {
            total += raw.count
            var start = 0
            if !pending.isEmpty {
                while pending.count < 8 && start < raw.count { pending.append(raw[start]); start += 1 }
                if pending.count < 8 { return }
                word(pending.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
                pending.removeAll(keepingCapacity: true)
            }
            let words = (raw.count - start) / 8
            var y = x
            for i in 0..<words {
                y = (y ^ raw.loadUnaligned(fromByteOffset: start + i * 8, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
                y ^= y >> 29
            }
            x = y
            for i in (start + words * 8)..<raw.count { pending.append(raw[i]) }
        }

        @inline(__always) mutating func word(_ w: UInt64) {
            x = (x ^ w) &* 0x9E37_79B9_7F4A_7C15
            x ^= x >> 29
        }

        func finish() -> UInt64 {
            var y = x ^ UInt64(total)
            for b in pending { y = (y ^ UInt64(b)) &* 0x100_0000_01b3 }
            return y
        }
    }

    /// Where snapshot bytes come from: a file (read with pread) or memory. Reads are
    /// sequential; `fetch` copies bytes at an offset into a buffer.
    struct ByteSource {
        var pos = 0
        let end: Int
        let fetch: (UnsafeMutableRawBufferPointer, Int) throws -> Void
        var atEnd: Bool { pos == end }
        var remaining: Int { end - pos }

        mutating func read(into buf: UnsafeMutableRawBufferPointer) throws {
            guard buf.count <= end - pos else { throw SnapshotError.damaged("a section runs past the end of the file") }
            try fetch(buf, pos)
            pos += buf.count
        }

        static func file(_ fd: Int32, end: Int) -> ByteSource {
            ByteSource(end: end) { buf, offset in
                var done = 0
                while done < buf.count {
                    let n = pread(fd, buf.baseAddress! + done, min(buf.count - done, 1 << 30), off_t(offset + done))
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { throw SnapshotError.damaged("the file ends early") }
                    done += n
                }
            }
        }

        static func memory(_ bytes: [UInt8], end: Int) -> ByteSource {
            ByteSource(end: end) { buf, offset in
                bytes.withUnsafeBytes { buf.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + buf.count)])) }
            }
        }
    }

    /// Encodes into a buffer that is handed to `sink` a megabyte at a time (large arrays
    /// directly), hashing everything; `finish` appends the checksum.
    struct Writer {
        let sink: (UnsafeRawBufferPointer) throws -> Void
        var buffer: [UInt8] = []
        var hasher = Hasher64()

        init(sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
            self.sink = sink
            buffer.reserveCapacity(1 << 20)
        }

        mutating func emit(_ raw: UnsafeRawBufferPointer) throws {
            hasher.update(raw)
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
            var sum = hasher.finish().littleEndian
            try flush()
            try withUnsafeBytes(of: &sum) { try sink($0) }
        }
        mutating func raw(_ b: [UInt8]) throws { try b.withUnsafeBytes { try emit($0) } }
        mutating func u32(_ v: UInt32) throws { var x = v.littleEndian; try withUnsafeBytes(of: &x) { try emit($0) } }
        mutating func u64(_ v: UInt64) throws { var x = v.littleEndian; try withUnsafeBytes(of: &x) { try emit($0) } }
        mutating func i64(_ v: Int64) throws { try u64(UInt64(bitPattern: v)) }
        mutating func array<T: BitwiseCopyable>(_ a: [T]) throws {
            try u64(UInt64(a.count))
            try a.withUnsafeBytes { try emit($0) }
        }
        mutating func string(_ s: String) throws { try array(Array(s.utf8)) }
        mutating func stringArray(_ a: [String]) throws { try u64(UInt64(a.count)); for s in a { try string(s) } }
        mutating func strings(_ c: StringColumn) throws { try array(c.heap); try array(c.offsets.map { Int64($0) }) }
        mutating func stringList(_ c: StringListColumn) throws { try strings(c.values); try array(c.offsets) }
        mutating func dict(_ c: DictionaryColumn) throws { try stringArray(c.dictionary); try array(c.codes) }
        mutating func dictList(_ c: DictionaryListColumn) throws { try dict(c.values); try array(c.offsets) }
        mutating func index(_ i: KeywordIndex) throws {
            try u64(UInt64(i.rows)); try array(i.keys); try array(i.starts); try array(i.counts); try array(i.lasts); try array(i.bytes)
        }
    }

    struct Reader {
        var src: ByteSource
        var hasher = Hasher64()

        init(src: ByteSource) { self.src = src }

        mutating func fill(_ buf: UnsafeMutableRawBufferPointer) throws {
            if buf.count == 0 { return }
            try src.read(into: buf)
            hasher.update(UnsafeRawBufferPointer(buf))
        }
        mutating func rawBytes(_ n: Int) throws -> [UInt8] {
            var out = [UInt8](repeating: 0, count: n)
            try out.withUnsafeMutableBytes { try fill($0) }
            return out
        }
        mutating func u32() throws -> UInt32 {
            var v: UInt32 = 0
            try withUnsafeMutableBytes(of: &v) { try fill($0) }
            return UInt32(littleEndian: v)
        }
        mutating func u64() throws -> UInt64 {
            var v: UInt64 = 0
            try withUnsafeMutableBytes(of: &v) { try fill($0) }
            return UInt64(littleEndian: v)
        }
        mutating func i64() throws -> Int64 { Int64(bitPattern: try u64()) }
        mutating func array<T: BitwiseCopyable>() throws -> [T] {
            let n = try u64()
            // Checked before allocating: a damaged count must not ask for terabytes.
            guard n <= UInt64(src.remaining / max(MemoryLayout<T>.stride, 1)) else {
                throw SnapshotError.damaged("an array is longer than the rest of the file")
            }
            return try [T](unsafeUninitializedCapacity: Int(n)) { buf, count in
                try fill(UnsafeMutableRawBufferPointer(buf))
                count = Int(n)
            }
        }
        mutating func string() throws -> String { String(decoding: try array() as [UInt8], as: UTF8.self) }
        mutating func stringArray() throws -> [String] {
            let n = try u64()
            guard n <= UInt64(src.remaining / 8) else { throw SnapshotError.damaged("a list is longer than the rest of the file") }
            return try (0..<n).map { _ in try string() }
        }
        mutating func strings() throws -> StringColumn {
            var c = StringColumn()
            c.heap = try array()
            c.offsets = try (array() as [Int64]).map { Int($0) }
            guard let last = c.offsets.last, last == c.heap.count, c.offsets.first == 0 else { throw SnapshotError.damaged("text column offsets") }
            return c
        }
        mutating func stringList() throws -> StringListColumn {
            var c = StringListColumn()
            c.values = try strings()
            c.offsets = try array()
            guard Int(c.offsets.last ?? -1) == c.values.count else { throw SnapshotError.damaged("list column offsets") }
            return c
        }
        mutating func dict() throws -> DictionaryColumn {
            var c = DictionaryColumn()
            c.dictionary = try stringArray()
            c.codes = try array()
            for (k, v) in c.dictionary.enumerated() { c.lookup[v] = Int32(k) }
            let n = Int32(c.dictionary.count)
            guard c.codes.allSatisfy({ $0 >= -1 && $0 < n }) else { throw SnapshotError.damaged("dictionary codes out of range") }
            return c
        }
        mutating func dictList() throws -> DictionaryListColumn {
            var c = DictionaryListColumn()
            c.values = try dict()
            c.offsets = try array()
            guard Int(c.offsets.last ?? -1) == c.values.count else { throw SnapshotError.damaged("list column offsets") }
            return c
        }
        mutating func index() throws -> KeywordIndex {
            let rows = Int(try u64())
            let keys: [UInt64] = try array(), starts: [UInt64] = try array(), counts: [UInt32] = try array()
            let lasts: [Int32] = try array(), data: [UInt8] = try array()
            guard starts.count == keys.count + 1, counts.count == keys.count, lasts.count == keys.count,
                  Int(starts.last ?? 0) == data.count, zip(starts, starts.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                throw SnapshotError.damaged("keyword index")
            }
            return KeywordIndex(keys: keys, starts: starts, counts: counts, lasts: lasts, bytes: data, rows: rows)
        }
    }
}
