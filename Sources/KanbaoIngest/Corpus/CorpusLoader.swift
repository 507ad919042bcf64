// Where pages come from: the embedded seeds, a folder of page files (searched
// recursively, in a stable order so that article ids are stable), one page file, or a
// .jsonl of already-segmented articles. Unreadable or non-text files are skipped with a
// warning that names them; nothing is dropped without a count in `stats`.
import Foundation
import KanbaoStore

public enum CorpusError: Error, CustomStringConvertible {
    case notFound(String)
    case empty(String)
    case interrupted
    case notPages(String)
    public var description: String {
        switch self {
        case .notFound(let p): return "no such file or folder: \(p)"
        case .notPages(let p):
            return "\(p) is not a page file: kanbao reads a folder of .txt pages, one .txt page, a .jsonl of articles"
                + " or a .kbs snapshot from kanbao index"
        case .empty(let p): return "no page files (.txt) or .jsonl found under \(p)"
        case .interrupted: return "loading was interrupted"
        }
    }
}

public struct CorpusLoader {
    public var gazetteer: Gazetteer = .zhengzhou
    /// Called with (files done, files total) while loading, for a progress bar.
    public var progress: ((Int, Int) -> Void)?
    /// Checked between batches of pages: true stops the load (a signal asked to quit).
    public var shouldStop: (() -> Bool)?
    /// Page files larger than this are refused (they are not newspaper pages).
    public var maxPageBytes = 64 << 20
    /// Called on a worker thread just before each listed file is opened. Tests use it to
    /// change files under a running load; nothing else needs it.
    public var beforeReading: (@Sendable (String) -> Void)?

    public init() {}

    /// Pages given as (name, bytes), e.g. the embedded seeds.
    public func load(pages: [(name: String, bytes: [UInt8])]) -> Store {
        var builder = StoreBuilder()
        for (k, p) in pages.enumerated() {
            add(bytes: p.bytes, source: p.name, to: &builder)
            progress?(k + 1, pages.count)
        }
        return builder.build()
    }

    public func load(path: String) throws -> Store {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw CorpusError.notFound(path)
        }
        if !isDir.boolValue && Snapshot.isSnapshot(path: path) {
            return try Snapshot.read(path: path)
        }
        if !isDir.boolValue && path.lowercased().hasSuffix(".kbs") { throw SnapshotError.notASnapshot(path) }
        // A file named as something else (.csv, .docx, .png) is not a page; a page may
        // have no extension at all.
        let ext = (path as NSString).pathExtension.lowercased()
        if !isDir.boolValue && !ext.isEmpty && !["txt", "jsonl", "text"].contains(ext) {
            throw CorpusError.notPages(path)
        }
        var builder = StoreBuilder()
        if isDir.boolValue {
            var others: [String] = []
            let files = Trace.phase("load: list files") { pageFiles(under: path, others: &others) }
            if files.isEmpty { throw CorpusError.empty(path) }
            if !others.isEmpty {
                // Counted and named once, not one warning a file.
                let shown = others.prefix(3).joined(separator: ", ") + (others.count > 3 ? " …" : "")
                builder.warn("\(others.count) file(s) neither .txt nor .jsonl left alone: \(shown)")
            }
            // The columns are reserved for all the text up front (stat, not Foundation's
            // attribute dictionaries: this is one call per file).
            let total = Trace.phase("load: sizes") {
                files.reduce(0) { sum, rel in
                    var st = stat()
                    return sum + (stat((path as NSString).appendingPathComponent(rel), &st) == 0 ? Int(st.st_size) : 0)
                }
            }
            builder.reserve(textBytes: total)
            // Pages are independent: decode, segment and extract a batch of them on every
            // core, then append the batch in file order so that ids stay stable. While one
            // batch is appended to the columns (one thread), the next is already being
            // parsed, so no core waits. Two batches bound how much is held in flight.
            // The keyword indexes are built afterwards from the columns, each half of the
            // rows on its own core (bench/HISTORY.md has the alternatives measured).
            let batch = 64 * max(1, ProcessInfo.processInfo.activeProcessorCount)
            let (gazetteer, limit, hook) = (self.gazetteer, self.maxPageBytes, self.beforeReading)
            @Sendable func parse(_ from: Int) -> [FileResult] {
                Parallel.map(Array(files[from..<min(from + batch, files.count)])) { rel -> FileResult in
                    let full = (path as NSString).appendingPathComponent(rel)
                    hook?(full)
                    if rel.lowercased().hasSuffix(".jsonl") { return .jsonl(full, rel) }
                    return CorpusLoader.readPage(full, source: rel, gazetteer: gazetteer, maxPageBytes: limit)
                }
            }
            let parser = DispatchQueue(label: "kanbao.parse")
            try Trace.phase("load: pages") {
                var current = parse(0)
                var k = 0
                var appending: UInt64 = 0
                var waiting: UInt64 = 0
                defer {
                    Trace.note(
                        "load: appending \(Double(appending) / 1e9) s, waiting for the parser \(Double(waiting) / 1e9) s"
                    )
                }
                while k < files.count {
                    if shouldStop?() == true { throw CorpusError.interrupted }
                    let next = k + current.count
                    let following = ResultSlot()
                    let group = DispatchGroup()
                    if next < files.count {
                        parser.async(group: group) { following.results = parse(next) }
                    }
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    for r in current { append(r, to: &builder) }
                    let t1 = DispatchTime.now().uptimeNanoseconds
                    group.wait()
                    appending += t1 - t0
                    waiting += DispatchTime.now().uptimeNanoseconds - t1
                    k = next
                    progress?(k, files.count)
                    current = following.results
                }
            }
        } else if path.lowercased().hasSuffix(".jsonl") {
            loadJSONL(path, source: (path as NSString).lastPathComponent, into: &builder)
        } else {
            addFile(path, source: (path as NSString).lastPathComponent, to: &builder)
        }
        return Trace.phase("load: build store (indexes)") { builder.build() }
    }

    /// Relative paths of .txt and .jsonl files under a folder, sorted. Folders are walked
    /// with readdir, whose entries say their type: no call per file (125 000 files took
    /// Foundation's enumerator 1.6 s). Links are not followed into folders.
    func pageFiles(under root: String, others: inout [String]) -> [String] {
        var out: [String] = []
        var skipped: [String] = []
        func walk(_ dir: String, _ prefix: String) {
            guard let d = opendir(dir) else { return }
            defer { closedir(d) }
            while let entry = readdir(d) {
                // The name is read in place up to its NUL: a record is only as long as its
                // name (d_reclen), so copying the whole 256-byte d_name would read past it.
                let namePointer = (UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_name)!)
                    .assumingMemoryBound(to: CChar.self)
                let name = String(cString: namePointer)
                if name == "." || name == ".." { continue }
                let full = dir + "/" + name
                let rel = prefix.isEmpty ? name : prefix + "/" + name
                var type = entry.pointee.d_type
                if type == UInt8(DT_UNKNOWN) {
                    var st = stat()
                    type = lstat(full, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : UInt8(DT_REG)
                }
                if type == UInt8(DT_DIR) {
                    walk(full, rel)
                    continue
                }
                let lower = name.lowercased()
                guard lower.hasSuffix(".txt") || lower.hasSuffix(".jsonl") else {
                    if !name.hasPrefix(".") { skipped.append(rel) }
                    continue
                }
                // Anything but a folder is listed, including a dangling link or a file that
                // cannot be read: reading it then fails with a reason that `stats` shows.
                if type == UInt8(DT_LNK) {
                    var st = stat()
                    if stat(full, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { continue } // a link to a folder
                }
                out.append(rel)
            }
        }
        walk(root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root, "")
        others = skipped.sorted()
        return out.sorted()
    }

    /// Where the batch parsed in the background is left for the loop that appends.
    final class ResultSlot: @unchecked Sendable {
        var results: [FileResult] = []
    }

    enum FileResult: Sendable {
        case page(PageRecord, [ArticleRecord])
        case warning(String, PageRecord, [ArticleRecord])
        case skipped(String, String)
        case jsonl(String, String)

        /// The articles this result adds to the store, in order.
        var articles: [ArticleRecord] {
            switch self {
            case .page(_, let a), .warning(_, _, let a): return a
            case .skipped, .jsonl: return []
            }
        }
    }

    /// One page file, read and ingested; no shared state, so it can run on any thread.
    /// Files change under a running load: one may vanish between listing and reading,
    /// turn into a folder, a pipe or a device, or shrink while it is read. Each case ends
    /// in a page or in a skip with the reason, never in a hang (a pipe is opened without
    /// blocking and refused as not a regular file).
    static func readPage(_ path: String, source: String, gazetteer: Gazetteer, maxPageBytes: Int) -> FileResult {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            return .skipped(source, "cannot be opened for reading: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            return .skipped(source, "cannot be examined: \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return .skipped(source, "not a regular file") }
        if Int(st.st_size) > maxPageBytes {
            return .skipped(source, "larger than \(maxPageBytes >> 20) MiB: not a page")
        }
        // Read to the end (the size may change while reading), never past the limit.
        var bytes = [UInt8](repeating: 0, count: Swift.min(Int(st.st_size), maxPageBytes) + 1)
        var used = 0
        while true {
            if used == bytes.count {
                if bytes.count > maxPageBytes {
                    return .skipped(source, "larger than \(maxPageBytes >> 20) MiB: not a page")
                }
                bytes.append(
                    contentsOf: [UInt8](repeating: 0, count: Swift.min(bytes.count, maxPageBytes + 1 - bytes.count)))
            }
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + used, $0.count - used) }
            if n < 0 {
                if errno == EINTR { continue }
                return .skipped(source, "read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            used += n
        }
        if used > maxPageBytes { return .skipped(source, "larger than \(maxPageBytes >> 20) MiB: not a page") }
        bytes.removeSubrange(used...)
        return ingest(bytes: bytes, source: source, gazetteer: gazetteer)
    }

    /// Page bytes → decoded text → page record and articles (or the reason it is not a page).
    static func ingest(bytes: [UInt8], source: String, gazetteer: Gazetteer) -> FileResult {
        // Nearly every page is UTF-8: validated and decoded to scalars in one pass.
        switch TextDecoder.decodeUTF8Scalars(bytes) {
        case .scalars(let s):
            let (page, articles) = PageIngest.ingest(
                scalars: s, source: source, encoding: "UTF-8", gazetteer: gazetteer)
            return .page(page, articles)
        case .notText(let why): return .skipped(source, why)
        case .notUTF8: break
        }
        switch TextDecoder.decode(bytes) {
        case .failure(let why): return .skipped(source, why.description)
        case .success(let decoded):
            var (page, articles) = PageIngest.ingest(
                text: decoded.text, source: source, encoding: decoded.encoding, gazetteer: gazetteer)
            page.replacedBytes = decoded.replacements
            if decoded.replacements > 0 {
                return .warning(
                    "\(source): \(decoded.replacements) invalid byte sequence(s) replaced by U+FFFD", page, articles)
            }
            return .page(page, articles)
        }
    }

    func addFile(_ path: String, source: String, to builder: inout StoreBuilder) {
        append(
            CorpusLoader.readPage(path, source: source, gazetteer: gazetteer, maxPageBytes: maxPageBytes), to: &builder)
    }

    func append(_ result: FileResult, to builder: inout StoreBuilder) {
        switch result {
        case .page(let p, let articles):
            builder.append(page: p)
            for a in articles { builder.append(a) }
        case .warning(let w, let p, let articles):
            builder.warn(w)
            builder.append(page: p)
            for a in articles { builder.append(a) }
        case .skipped(let source, let why):
            builder.skip(path: source, reason: why)
        case .jsonl(let full, let rel):
            loadJSONL(full, source: rel, into: &builder)
        }
    }

    func add(bytes: [UInt8], source: String, to builder: inout StoreBuilder) {
        append(CorpusLoader.ingest(bytes: bytes, source: source, gazetteer: gazetteer), to: &builder)
    }

    // MARK: JSONL of segmented articles

    func loadJSONL(_ path: String, source: String, into builder: inout StoreBuilder) {
        guard let data = FileManager.default.contents(atPath: path) else {
            builder.skip(path: source, reason: "cannot be opened for reading")
            return
        }
        var lineNo = 0
        // Lines skipped, by reason: one warning for each reason, naming the first lines.
        var notObjects: [Int] = []
        var noText: [Int] = []
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNo += 1
            if line.allSatisfy({ $0 == 32 || $0 == 13 || $0 == 9 }) { continue }
            guard let obj = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
                notObjects.append(lineNo)
                continue
            }
            guard let body = obj["body"] as? String ?? obj["title"] as? String else {
                noText.append(lineNo)
                continue
            }
            builder.append(article(from: obj, body: body, fallbackSource: source))
        }
        for (lines, why) in [(notObjects, "not a JSON object"), (noText, "neither \"body\" nor \"title\"")]
        where !lines.isEmpty {
            let first = lines.prefix(5).map(String.init).joined(separator: ", ") + (lines.count > 5 ? " …" : "")
            builder.warn("\(source):\(lines[0]): \(lines.count) line(s) skipped, \(why) (lines \(first))")
        }
        let bad = notObjects.count + noText.count
        if bad > 0 { builder.skip(path: source, reason: "\(bad) malformed line(s) skipped") }
    }

    func article(from o: [String: Any], body: String, fallbackSource: String) -> ArticleRecord {
        let title = o["title"] as? String ?? ""
        let headline = o["headline"] as? [String] ?? (title.isEmpty ? [] : [title])
        let src = o["source"] as? String ?? fallbackSource
        let extracted = DistrictResolver.resolve(
            headline: headline, speakerLine: nil, lead: body, rest: "", gazetteer: gazetteer)
        let given = "given by the .jsonl"
        // The publication date: the record's own (an export read back), else its file name's.
        let pageDates = DateReader.pageDates(
            fileName: src.split(separator: "/").last.map(String.init) ?? src, datelines: [], texts: [])
        var published = pageDates.published
        var publishedSource = pageDates.publishedSource
        var publishedNote = pageDates.publishedNote
        if let p = (o["published"] as? String).flatMap(Self.parseISODate), p.precision == .day {
            published = p
            publishedSource =
                (o["published_source"] as? String).flatMap { n in
                    DateSource.allCases.first { $0.name == n && $0 != .none }
                } ?? .file
            publishedNote = given
        }
        var date: PartialDate?
        var dateSource = DateSource.none
        var dateNote = "the .jsonl gives no date"
        if let d = o["date"] as? String, let p = Self.parseISODate(d) {
            date = p
            dateSource =
                (o["date_source"] as? String).flatMap { n in DateSource.allCases.first { $0.name == n } } ?? .text
            dateNote = given
        } else if o["date"] == nil {
            var dates = pageDates
            dates.published = published
            dates.publishedSource = publishedSource
            if let p = published {
                dates.year = p.year
                dates.yearNote = "the year of publication \(p)"
            }
            let r = DateReader.leadDate(body, pageDates: dates)
            date = r.date
            dateSource = r.source
            dateNote = r.note
        }
        let district = o.keys.contains("district") ? o["district"] as? String : extracted.district
        var record = ArticleRecord(
            source: src, title: title, headline: headline, byline: o["byline"] as? String,
            reporters: o["reporters"] as? [String] ?? [], correspondents: o["correspondents"] as? [String] ?? [],
            speaker: o["speaker"] as? String,
            district: district.flatMap { gazetteer.county(named: $0) ?? $0 },
            districts: o["districts"] as? [String] ?? extracted.districts,
            places: o["places"] as? [String] ?? extracted.places,
            date: date, dateSource: dateSource, dateNote: dateNote,
            body: body, figures: FigureReader.figures(in: body))
        record.published = published
        record.publishedSource = publishedSource
        record.publishedNote = publishedNote
        record.titleNote =
            o["title"] != nil
            ? given : (title.isEmpty ? "the .jsonl gives no title" : "the first headline line the .jsonl gives")
        record.districtNote = o.keys.contains("district") ? given : extracted.note
        record.placesNote = o["places"] != nil ? given : extracted.placesNote
        return record
    }

    static func parseISODate(_ s: String) -> PartialDate? {
        let parts = s.split(separator: "-").map { Int($0) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        let p = PartialDate(
            year: parts[0]!, month: parts.count > 1 ? parts[1]! : 0, day: parts.count > 2 ? parts[2]! : 0)
        return p.isValid ? p : nil
    }
}
