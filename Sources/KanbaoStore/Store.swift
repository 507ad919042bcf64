import Foundation
// The columnar store: an articles table and a figures child table, both column-major.
// Built once by `StoreBuilder`, then read-only (and so safe to share between threads).

public struct ArticleColumns: Sendable {
    public var source = DictionaryColumn()
    public var title = StringColumn()
    /// Every headline line (kicker, title, sub-title); `headline.text` is what `title:` searches.
    public var headline = HeadlineColumn()
    public var byline = StringColumn()
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
    public var dateNote = DictionaryColumn()
    public var body = StringColumn()
    public var chars = ColumnBuffer<Int32>()
    /// Figures of article i are rows figureStart[i] ..< figureStart[i+1] of the figures table.
    public var figureStart: ColumnBuffer<Int32> = [0]

    public var count: Int { chars.count }
}

public struct FigureColumns: Sendable {
    public var article = ColumnBuffer<Int32>()
    /// `raw` and `context` are substrings of the article's body, kept as byte ranges
    /// into it (relative to the body's start) rather than as copies of the text.
    public var rawStart = ColumnBuffer<Int32>()
    public var rawLength = ColumnBuffer<Int32>()
    public var contextStart = ColumnBuffer<Int32>()
    public var contextLength = ColumnBuffer<Int32>()
    public var value = ColumnBuffer<Double>()
    /// The upper end of a range (3至5万); NaN when the figure is not a range.
    public var valueMax = SparseNumberColumn()
    public var unit = DictionaryColumn()
    public var approx = ColumnBuffer<UInt8>()
    public var offset = ColumnBuffer<Int32>()

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

    init(articles: ArticleColumns, figures: FigureColumns, pages: PageColumns,
         skipped: [(path: String, reason: String)], warnings: [String],
         titleIndex: KeywordIndex? = nil, bodyIndex: KeywordIndex? = nil) {
        self.articles = articles; self.figures = figures; self.pages = pages
        self.skipped = skipped; self.warnings = warnings
        if let titleIndex, let bodyIndex {
            self.titleIndex = titleIndex
            self.bodyIndex = bodyIndex
        } else {
            (self.titleIndex, self.bodyIndex) = Store.buildIndexes(articles)
        }
    }

    /// Both indexes at once: the headlines' on one core while the body's (by far the
    /// larger) is built by two builders that each keep half of the n-grams, then frozen
    /// together. All of a 2-core machine is used, and nothing is built twice.
    static func buildIndexes(_ a: ArticleColumns) -> (KeywordIndex, KeywordIndex) {
        let builders = UnsafeMutableBufferPointer<KeywordIndex.Builder>.allocate(capacity: 3)
        builders.initialize(from: [KeywordIndex.Builder(), KeywordIndex.Builder(partition: 0, of: 2), KeywordIndex.Builder(partition: 1, of: 2)])
        defer { _ = builders.deinitialize(); builders.deallocate() }
        let box = BuilderParts(builders)
        DispatchQueue.concurrentPerform(iterations: 3) { i in
            box.parts[i].add(column: i == 0 ? a.headline.text : a.body)
        }
        var title = [builders[0]], body = [builders[1], builders[2]]
        for i in 0..<3 { builders[i] = KeywordIndex.Builder() }   // the arrays above are the only owners now
        return (KeywordIndex.freeze(&title, rows: a.count), KeywordIndex.freeze(&body, rows: a.count))
    }

    final class BuilderParts: @unchecked Sendable {
        let parts: UnsafeMutableBufferPointer<KeywordIndex.Builder>
        init(_ p: UnsafeMutableBufferPointer<KeywordIndex.Builder>) { parts = p }
    }

    /// A figure's raw text (a slice of its article's body).
    public func figureRaw(_ i: Int) -> String {
        slice(article: Int(figures.article[i]), Int(figures.rawStart[i]), Int(figures.rawLength[i]))
    }

    /// The clause a figure stands in (a slice of its article's body).
    public func figureContext(_ i: Int) -> String {
        slice(article: Int(figures.article[i]), Int(figures.contextStart[i]), Int(figures.contextLength[i]))
    }

    public func figureContextContains(_ i: Int, _ needle: [UInt8]) -> Bool {
        let a = Int(figures.article[i])
        let base = articles.body.offsets[a] + Int(figures.contextStart[i])
        let n = Int(figures.contextLength[i])
        return articles.body.heap.withUnsafeBytes { raw in
            needle.isEmpty || needle.withUnsafeBytes { nb in find(raw.baseAddress! + base, n, nb.baseAddress!, nb.count) != nil }
        }
    }

    func slice(article a: Int, _ start: Int, _ length: Int) -> String {
        let base = articles.body.offsets[a] + start
        return articles.body.heap.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[base..<(base + length)]), as: UTF8.self) }
    }

    /// Approximate bytes held by each part of the store, for `stats`.
    public var memoryUse: [String: Int] {
        let a = articles, f = figures
        func text(_ c: StringColumn) -> Int { c.heap.count + c.offsets.count * 8 }
        func dict(_ c: DictionaryColumn) -> Int { c.codes.count * 4 + text(c.values) }
        func list(_ c: DictionaryListColumn) -> Int { dict(c.values) + c.offsets.count * 4 }
        return [
            "article bodies": text(a.body),
            "headlines and titles": text(a.title) + text(a.headline.text) + a.count + text(a.byline),
            "article categories and lists": dict(a.source) + dict(a.speaker) + dict(a.district) + dict(a.dateNote)
                + list(a.reporters) + list(a.correspondents) + list(a.districts) + list(a.places),
            "article numbers and dates": a.count * (4 + 4 + 1 + 1 + 4 + 4 + 1),
            "figures": f.count * (4 + 8 + 1 + 4 + 16) + f.valueMax.rows.count * 12 + dict(f.unit),
            "keyword index (titles)": titleIndex.byteSize,
            "keyword index (bodies)": bodyIndex.byteSize,
        ]
    }

    public var account: CharacterAccount { pages.totalAccount }

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
        articles.body.reserve(bytes: textBytes)
    }

    public mutating func append(_ a: ArticleRecord) {
        let id = Int32(articles.count)
        articles.source.append(a.source)
        articles.title.append(a.title)
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
        articles.dateNote.append(a.dateNote)
        articles.body.append(a.body)
        articles.chars.append(Int32(a.chars))
        // Byte offset of every scalar, computed only for bodies with figures.
        var byteAt: [Int32] = []
        if !a.figures.isEmpty {
            byteAt.reserveCapacity(a.body.utf8.count + 1)
            var b: Int32 = 0
            for u in a.body.unicodeScalars { byteAt.append(b); b += Int32(UTF8.width(u)) }
            byteAt.append(b)
        }
        let bodyBytes = Array(a.body.utf8)
        for f in a.figures {
            figures.article.append(id)
            let rawStart = byteAt[min(f.offset, byteAt.count - 1)]
            figures.rawStart.append(rawStart)
            figures.rawLength.append(Int32(f.raw.utf8.count))
            // The context is the clause around raw: find it ending at or after raw's start.
            let ctx = Array(f.context.utf8)
            var start = Int(rawStart)
            var found = -1
            while start >= 0 && start >= Int(rawStart) - ctx.count {
                if start + ctx.count <= bodyBytes.count && bodyBytes[start..<(start + ctx.count)].elementsEqual(ctx) { found = start; break }
                start -= 1
            }
            figures.contextStart.append(Int32(max(found, 0)))
            figures.contextLength.append(found >= 0 ? Int32(ctx.count) : 0)
            figures.value.append(f.value)
            figures.valueMax.append(f.valueMax)
            figures.unit.append(f.unit)
            figures.approx.append(f.approx.rawValue)
            figures.offset.append(Int32(f.offset))
        }
        articles.figureStart.append(Int32(figures.count))
    }

    public mutating func append(page: PageRecord) { pages.append(page) }
    public mutating func skip(path: String, reason: String) { skipped.append((path, reason)) }
    public mutating func warn(_ message: String) { warnings.append(message) }

    /// The store. Columns first give back what their last doubling left unused (with
    /// realloc, in place), so that the indexes are built in that room.
    public mutating func build() -> Store {
        for kp in [\ArticleColumns.body, \.title, \.byline, \.headline.text] as [WritableKeyPath<ArticleColumns, StringColumn>] {
            articles[keyPath: kp].heap.shrinkToFit()
            articles[keyPath: kp].offsets.shrinkToFit()
        }
        for kp in [\FigureColumns.article, \.rawStart, \.rawLength, \.contextStart, \.contextLength, \.offset] as [WritableKeyPath<FigureColumns, ColumnBuffer<Int32>>] {
            figures[keyPath: kp].shrinkToFit()
        }
        figures.value.shrinkToFit()
        return Store(articles: articles, figures: figures, pages: pages, skipped: skipped, warnings: warnings)
    }
}
