import Foundation

// The columnar store: an articles table and a figures child table, both column-major.
// Built once by `StoreBuilder`, then read-only (and so safe to share between threads).

public struct ArticleColumns: Sendable {
    public var source = DictionaryColumn()
    /// The titles, kept by the headline column (most are one of its lines).
    public var title: TitleView { TitleView(headline: headline) }
    /// Every headline line (kicker, title, sub-title); `headline.text` is what `title:` searches.
    public var headline = HeadlineColumn()
    /// Bylines, deflated in blocks (read for display and the rare `byline:` filter).
    public var byline = CompressedTextColumn()
    public var hasByline = ColumnBuffer<Bool>()
    public var reporters = DictionaryListColumn()
    public var correspondents = DictionaryListColumn()
    public var speaker = DictionaryColumn()
    public var district = DictionaryColumn()
    public var districts = DictionaryListColumn()
    public var places = DictionaryListColumn()
    /// First and last day covered by the article's date; `Int32.min` when unknown.
    public var dateFirst = ColumnBuffer<Int32>()
    public var dateLast = ColumnBuffer<Int32>()
    public var datePrecision = ColumnBuffer<UInt8>()
    public var dateSource = ColumnBuffer<UInt8>()
    /// The page's publication date (a day number, `Int32.min` when unknown) and its source.
    public var publishedDay = ColumnBuffer<Int32>()
    public var publishedSource = ColumnBuffer<UInt8>()
    /// How title, district, places, date and published date were decided (`ArticleNotes`).
    public var notes = CompressedTextColumn()
    /// The bodies as UTF-16 (UTF16Column says why).
    public var body = UTF16Column()
    public var chars = ColumnBuffer<Int32>()
    /// Figures of article i are rows figureStart[i] ..< figureStart[i+1] of the figures table.
    public var figureStart: ColumnBuffer<Int32> = [0]

    public var count: Int { chars.count }
}

public struct FigureColumns: Sendable {
    public var article = ColumnBuffer<Int32>()
    /// `raw` is a substring of the article's body, kept as a range of UTF-16 units into
    /// it (relative to the body's start) rather than as a copy of the text. Its context (the
    /// clause around it) and its offset in characters are found again from the body when
    /// asked for (FigureContext), not stored.
    public var rawStart = NarrowIntColumn<UInt16>()
    public var rawLength = NarrowIntColumn<UInt8>()
    /// Figures whose recorded context is not the one the body gives (none in the seeds
    /// or the benchmark corpus; kept so that nothing is lost if it happens): row, text.
    public var contextExceptionRows = ColumnBuffer<Int32>()
    public var contextExceptions = StringColumn()
    public var value = ColumnBuffer<Double>()
    /// The upper end of a range (3至5万); NaN when the figure is not a range.
    public var valueMax = SparseNumberColumn()
    public var unit = DictionaryColumn()
    public var approx = ColumnBuffer<UInt8>()

    public var count: Int { article.count }
}

public final class Store: Sendable {
    public let articles: ArticleColumns
    public let figures: FigureColumns
    public let pages: PageColumns
    /// Files that could not be read as pages, with the reason (shown by `stats`).
    public let skipped: [(path: String, reason: String)]
    public let warnings: [String]
    /// Keyword indexes over headlines and bodies.
    public let titleIndex: KeywordIndex
    public let bodyIndex: KeywordIndex
    /// The first days of the earliest and the latest article dates (nil when no article is
    /// dated): groupings by month, quarter or year turn days into dense group numbers
    /// through a table over this span. Found on first use, not at every load.
    public var dateSpan: ClosedRange<Int32>? {
        struct Span: Sendable { let range: ClosedRange<Int32>? }
        return derived.value("date span") { Span(range: Store.span(articles.dateFirst, articles.datePrecision)) }.range
    }
    /// Values the query side derives from the columns once and keeps (the zone maps of
    /// a sort key): computed on first use, then shared by every query.
    public let derived = DerivedValues()

    init(
        articles: ArticleColumns, figures: FigureColumns, pages: PageColumns,
        skipped: [(path: String, reason: String)], warnings: [String],
        titleIndex: KeywordIndex? = nil, bodyIndex: KeywordIndex? = nil
    ) {
        var articles = articles
        articles.notes.flush()
        articles.byline.flush()
        self.articles = articles
        self.figures = figures
        self.pages = pages
        self.skipped = skipped
        self.warnings = warnings
        if let titleIndex, let bodyIndex {
            self.titleIndex = titleIndex
            self.bodyIndex = bodyIndex
        } else {
            (self.titleIndex, self.bodyIndex) = Store.buildIndexes(articles)
        }
    }

    static func span(_ days: ColumnBuffer<Int32>, _ precision: ColumnBuffer<UInt8>) -> ClosedRange<Int32>? {
        var lo = Int32.max
        var hi = Int32.min
        days.withUnsafeBufferPointer { d in
            precision.withUnsafeBufferPointer { p in
                for i in 0..<d.count where p[i] != DatePrecision.none.rawValue {
                    lo = Swift.min(lo, d[i])
                    hi = Swift.max(hi, d[i])
                }
            }
        }
        return lo <= hi ? lo...hi : nil
    }

    /// Both indexes at once, one task per core of about equal size: the bodies split in
    /// two ranges of rows of about equal bytes, the first range's task also indexing the
    /// headlines (a twentieth of the text). Each builder reads only its own rows, and the
    /// freeze joins the halves of each list.
    static func buildIndexes(_ a: ArticleColumns) -> (KeywordIndex, KeywordIndex) {
        // The pages were parsed on worker threads whose heaps still hold the freed
        // records; hand that memory back before the builders need theirs.
        Allocator.returnFreeMemory()
        let n = a.count
        let bodyBytes = a.body.units.count * 2
        let titleBytes = a.headline.text.heap.count
        // The first row at which the first task's bytes reach half of all of them.
        let half = (bodyBytes + titleBytes) / 2 - titleBytes
        let split =
            half <= 0
            ? 0
            : Swift.min(
                n,
                a.body.offsets.withUnsafeBufferPointer { o in
                    var lo = 0
                    var hi = n
                    while lo < hi {
                        let m = (lo + hi) / 2
                        if o[m] * 2 < half { lo = m + 1 } else { hi = m }
                    }
                    return lo
                })
        let builders = UnsafeMutableBufferPointer<KeywordIndex.Builder>.allocate(capacity: 3)
        _ = builders.initialize(from: [
            KeywordIndex.Builder(), KeywordIndex.Builder(), KeywordIndex.Builder(firstRow: split),
        ])
        defer {
            _ = builders.deinitialize()
            builders.deallocate()
        }
        let box = SharedParts(builders)
        Trace.phase("index: builders") {
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                box.value[i + 1].add(column: a.body, rows: i == 0 ? 0..<split : split..<n)
                if i == 0 { box.value[0].add(column: a.headline.text, rows: 0..<n) }
            }
        }
        Trace.note(
            "index: \(builders[1].keyCount) + \(builders[2].keyCount) body keys in the two halves, \(builders[0].keyCount) title keys"
        )
        var title = [builders[0]]
        var body = [builders[1], builders[2]]
        for i in 0..<3 { builders[i] = KeywordIndex.Builder() } // the arrays above are the only owners now
        return freeze(title: &title, body: &body, rows: n)
    }

    /// Freezes both indexes, one after the other: each freeze uses every core itself (a
    /// freeze nested in a parallel loop would get one core: GCD runs a nested loop inline).
    static func freeze(title: inout [KeywordIndex.Builder], body: inout [KeywordIndex.Builder], rows: Int) -> (
        KeywordIndex, KeywordIndex
    ) {
        let indexes = Trace.phase("index: freeze") {
            (KeywordIndex.freeze(&title, rows: rows), KeywordIndex.freeze(&body, rows: rows))
        }
        Trace.note("index: \(Allocator.trimNanoseconds.seconds) s in malloc_trim so far")
        return indexes
    }

    /// A figure's raw text (a slice of its article's body).
    public func figureRaw(_ i: Int) -> String {
        slice(article: Int(figures.article[i]), Int(figures.rawStart[i]), Int(figures.rawLength[i]))
    }

    /// The clause a figure stands in (a slice of its article's body).
    public func figureContext(_ i: Int) -> String {
        if let text = contextException(i) { return text }
        let r = figureContextRange(i)
        return slice(article: Int(figures.article[i]), r.lowerBound, r.count)
    }

    /// The figure's position in its body, in characters (as the export schema counts).
    public func figureOffset(_ i: Int) -> Int {
        body(of: Int(figures.article[i])) { FigureContext.scalarCount($0, units: Int(figures.rawStart[i])) }
    }

    /// Does the figure's context hold `needle`?
    public func figureContextContains(_ i: Int, _ needle: String) -> Bool {
        if needle.isEmpty { return true }
        if let text = contextException(i) { return text.contains(needle) && text.utf8.count >= needle.utf8.count }
        let n = Array(needle.utf16)
        return body(of: Int(figures.article[i])) { b in
            let start = Int(figures.rawStart[i])
            let r = FigureContext.range(in: b, rawStart: start, rawEnd: start + Int(figures.rawLength[i]))
            return n.withUnsafeBufferPointer { UTF16Text.find(UnsafeBufferPointer(rebasing: b[r]), $0) != nil }
        }
    }

    /// The unit range of a figure's context within its article's body.
    func figureContextRange(_ i: Int) -> Range<Int> {
        body(of: Int(figures.article[i])) { b in
            let start = Int(figures.rawStart[i])
            return FigureContext.range(in: b, rawStart: start, rawEnd: start + Int(figures.rawLength[i]))
        }
    }

    func contextException(_ i: Int) -> String? {
        figures.contextExceptionRows.sortedIndex(of: Int32(i)).map { figures.contextExceptions[$0] }
    }

    func body<R>(of a: Int, _ f: (UnsafeBufferPointer<UInt16>) -> R) -> R {
        articles.body.withUnits(a, f)
    }

    func slice(article a: Int, _ start: Int, _ length: Int) -> String {
        body(of: a) { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<(start + length)]), as: UTF16.self) }
    }

    /// Approximate bytes held by each part of the store, for `stats`.
    public var memoryUse: [String: Int] {
        let a = articles
        let f = figures
        func text(_ c: StringColumn) -> Int { c.heap.count + c.offsets.count * 8 }
        func dict(_ c: DictionaryColumn) -> Int { c.codes.count * 4 + c.narrowCodes.count + text(c.values) }
        func list(_ c: DictionaryListColumn) -> Int { dict(c.values) + c.offsets.count * 4 }
        return [
            "article bodies": a.body.byteSize,
            "headlines and titles": a.headline.titleByteSize + text(a.headline.text) + a.count + a.byline.byteSize,
            "article categories and lists": dict(a.source) + dict(a.speaker) + dict(a.district)
                + list(a.reporters) + list(a.correspondents) + list(a.districts) + list(a.places),
            "article numbers and dates": a.count * (4 + 4 + 1 + 1 + 4 + 4 + 1 + 4 + 1),
            "article notes (why)": a.notes.byteSize,
            "figures": f.count * (4 + 2 + 1 + 8 + 1) + (f.rawStart.largeRows.count + f.rawLength.largeRows.count) * 8
                + f.valueMax.rows.count * 12
                + dict(f.unit) + text(f.contextExceptions),
            "keyword index (titles)": titleIndex.byteSize,
            "keyword index (bodies)": bodyIndex.byteSize,
        ]
    }

    public var account: CharacterAccount { pages.totalAccount }

    /// The page's publication date of an article, rebuilt from its column.
    public func published(ofArticle i: Int) -> PartialDate? {
        guard articles.publishedSource[i] != DateSource.none.rawValue else { return nil }
        let c = CivilDate.civil(articles.publishedDay[i])
        return PartialDate(year: c.year, month: c.month, day: c.day)
    }

    /// The article's date as a partial date, rebuilt from its columns.
    public func date(ofArticle i: Int) -> PartialDate? {
        let p = DatePrecision(rawValue: articles.datePrecision[i]) ?? .none
        guard p != .none else { return nil }
        let c = CivilDate.civil(articles.dateFirst[i])
        switch p {
        case .day: return PartialDate(year: c.year, month: c.month, day: c.day)
        case .month: return PartialDate(year: c.year, month: c.month)
        default: return PartialDate(year: c.year)
        }
    }
}

/// A store's derived values by name, each computed once (under a lock, so two queries
/// asking at once compute it once).
public final class DerivedValues: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: any Sendable] = [:]

    public func value<T: Sendable>(_ name: String, _ make: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        if let v = values[name] as? T { return v }
        let v = make()
        values[name] = v
        return v
    }
}

public struct StoreBuilder {
    private var articles = ArticleColumns()
    private var figures = FigureColumns()
    private var pages = PageColumns()
    private var skipped: [(path: String, reason: String)] = []
    private var warnings: [String] = []

    public init() {}

    public var articleCount: Int { articles.count }

    /// Room for about `textBytes` of page text, so that the largest columns do not grow by
    /// repeated doubling and copying while a big corpus loads.
    public mutating func reserve(textBytes: Int) {
        articles.body.reserve(units: textBytes * 3 / 4) // about 0.72 units a UTF-8 byte in Chinese text
    }

    public mutating func append(_ a: ArticleRecord) {
        let id = Int32(articles.count)
        articles.source.append(a.source)
        articles.headline.append(lines: a.headline, title: a.title)
        articles.byline.append(a.byline ?? "")
        articles.hasByline.append(a.byline != nil)
        articles.reporters.append(a.reporters)
        articles.correspondents.append(a.correspondents)
        articles.speaker.append(a.speaker)
        articles.district.append(a.district)
        articles.districts.append(a.districts)
        articles.places.append(a.places)
        if let d = a.date, d.isValid {
            let r = d.dayRange
            articles.dateFirst.append(r.lowerBound)
            articles.dateLast.append(r.upperBound)
            articles.datePrecision.append(d.precision.rawValue)
            articles.dateSource.append(a.dateSource.rawValue)
        } else {
            articles.dateFirst.append(Int32.min)
            articles.dateLast.append(Int32.min)
            articles.datePrecision.append(DatePrecision.none.rawValue)
            articles.dateSource.append(DateSource.none.rawValue)
        }
        if let p = a.published, p.isValid, p.precision == .day {
            articles.publishedDay.append(p.dayRange.lowerBound)
            articles.publishedSource.append(a.publishedSource.rawValue)
        } else {
            articles.publishedDay.append(Int32.min)
            articles.publishedSource.append(DateSource.none.rawValue)
        }
        let notes = a.notesUTF8.isEmpty ? ArticleNotes(a).utf8 : a.notesUTF8
        notes.withUnsafeBufferPointer { articles.notes.append(bytes: $0) }
        let units = a.bodyUTF16.isEmpty ? a.bodyUTF8.withUnsafeBufferPointer(UTF16Text.units) : a.bodyUTF16
        units.withUnsafeBufferPointer { body in
            articles.body.append(units: body)
            articles.chars.append(Int32(a.chars))
            // A figure's character offset → its unit offset: one walk forward through the
            // body, as figures come in order (from the start again if one does not).
            var scalar = 0
            var unit = 0
            func unitOffset(ofScalar target: Int) -> Int32 {
                if target < scalar {
                    scalar = 0
                    unit = 0
                }
                while scalar < target && unit < body.count {
                    unit = UTF16Text.decode(body, at: unit).next
                    scalar += 1
                }
                return Int32(unit)
            }
            for f in a.figures {
                let row = Int32(figures.count)
                figures.article.append(id)
                let rawStart = unitOffset(ofScalar: f.offset)
                let rawLength = Int32(f.raw.utf16.count)
                figures.rawStart.append(rawStart)
                figures.rawLength.append(rawLength)
                // The context the body gives must be the one the extractor recorded.
                let r = FigureContext.range(in: body, rawStart: Int(rawStart), rawEnd: Int(rawStart + rawLength))
                if !f.context.utf16.elementsEqual(body[r]) {
                    figures.contextExceptionRows.append(row)
                    figures.contextExceptions.append(f.context)
                }
                figures.value.append(f.value)
                figures.valueMax.append(f.valueMax)
                figures.unit.append(f.unit)
                figures.approx.append(f.approx.rawValue)
            }
        }
        articles.figureStart.append(Int32(figures.count))
    }

    public mutating func append(page: PageRecord) { pages.append(page) }
    public mutating func skip(path: String, reason: String) { skipped.append((path, reason)) }
    public mutating func warn(_ message: String) { warnings.append(message) }

    /// The store, its indexes built from the columns on every core. Columns first give
    /// back what their last doubling left unused (with realloc, in place), so that the
    /// indexes are built in that room.
    public mutating func build() -> Store {
        articles.body.units.shrinkToFit()
        articles.body.offsets.shrinkToFit()
        // Single-valued categories of few values: one byte a code.
        articles.district.narrowIfSmall()
        articles.speaker.narrowIfSmall()
        figures.unit.narrowIfSmall()
        articles.headline.text.heap.shrinkToFit()
        articles.headline.text.offsets.shrinkToFit()
        figures.article.shrinkToFit()
        figures.value.shrinkToFit()
        return Store(articles: articles, figures: figures, pages: pages, skipped: skipped, warnings: warnings)
    }
}
