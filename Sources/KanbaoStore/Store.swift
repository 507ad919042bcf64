import Foundation
// The columnar store: an articles table and a figures child table, both column-major.
// Built once by `StoreBuilder`, then read-only (and so safe to share between threads).

public struct ArticleColumns: Sendable {
    public var source = DictionaryColumn()
    public var title = StringColumn()
    public var headline = StringListColumn()
    /// What `title:` searches: every headline line (kicker, title, sub-title), or the title.
    public var headlineText = StringColumn()
    public var byline = StringColumn()
    public var hasByline: [Bool] = []
    public var reporters = DictionaryListColumn()
    public var correspondents = DictionaryListColumn()
    public var speaker = DictionaryColumn()
    public var district = DictionaryColumn()
    public var districts = DictionaryListColumn()
    public var places = DictionaryListColumn()
    /// First and last day covered by the article's date; `Int32.min` when unknown.
    public var dateFirst: [Int32] = []
    public var dateLast: [Int32] = []
    public var datePrecision: [UInt8] = []
    public var dateSource: [UInt8] = []
    public var dateNote = DictionaryColumn()
    public var body = StringColumn()
    public var chars: [Int32] = []
    /// Figures of article i are rows figureStart[i] ..< figureStart[i+1] of the figures table.
    public var figureStart: [Int32] = [0]

    public var count: Int { chars.count }
}

public struct FigureColumns: Sendable {
    public var article: [Int32] = []
    public var raw = StringColumn()
    public var value: [Double] = []
    /// NaN when the figure is not a range.
    public var valueMax: [Double] = []
    public var unit = DictionaryColumn()
    public var approx: [UInt8] = []
    public var context = StringColumn()
    public var offset: [Int32] = []

    public var count: Int { article.count }
}

public final class Store: Sendable {
    public let articles: ArticleColumns
    public let figures: FigureColumns
    public let pages: [PageRecord]
    /// Files that could not be read as pages, with the reason (shown by `stats`).
    public let skipped: [(path: String, reason: String)]
    public let warnings: [String]
    /// Keyword indexes over headlines and bodies.
    public let titleIndex: KeywordIndex
    public let bodyIndex: KeywordIndex

    init(articles: ArticleColumns, figures: FigureColumns, pages: [PageRecord],
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

    /// Both indexes at once, the body's (by far the larger) split in two halves whose
    /// postings are then concatenated: all of a 2-core machine is used.
    static func buildIndexes(_ a: ArticleColumns) -> (KeywordIndex, KeywordIndex) {
        let n = a.count
        let half = n / 2
        let parts = UnsafeMutableBufferPointer<KeywordIndex>.allocate(capacity: 3)
        parts.initialize(repeating: KeywordIndex())
        defer { parts.deallocate() }
        let box = IndexParts(parts)
        DispatchQueue.concurrentPerform(iterations: 3) { i in
            switch i {
            case 0: box.parts[0] = KeywordIndex(column: a.headlineText)
            case 1: box.parts[1] = KeywordIndex(column: a.body, rows: 0..<half)
            default: box.parts[2] = KeywordIndex(column: a.body, rows: half..<n)
            }
        }
        return (parts[0], KeywordIndex.concatenate(parts[1], parts[2], rows: n))
    }

    final class IndexParts: @unchecked Sendable {
        let parts: UnsafeMutableBufferPointer<KeywordIndex>
        init(_ p: UnsafeMutableBufferPointer<KeywordIndex>) { parts = p }
    }

    public var account: CharacterAccount {
        var a = CharacterAccount()
        for p in pages { a.add(p.account) }
        return a
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

public struct StoreBuilder {
    private var articles = ArticleColumns()
    private var figures = FigureColumns()
    private var pages: [PageRecord] = []
    private var skipped: [(path: String, reason: String)] = []
    private var warnings: [String] = []

    public init() {}

    public var articleCount: Int { articles.count }

    public mutating func append(_ a: ArticleRecord) {
        let id = Int32(articles.count)
        articles.source.append(a.source)
        articles.title.append(a.title)
        articles.headline.append(a.headline)
        articles.headlineText.append(a.headline.isEmpty ? a.title : a.headline.joined(separator: "\n"))
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
        for f in a.figures {
            figures.article.append(id)
            figures.raw.append(f.raw)
            figures.value.append(f.value)
            figures.valueMax.append(f.valueMax ?? .nan)
            figures.unit.append(f.unit)
            figures.approx.append(f.approx.rawValue)
            figures.context.append(f.context)
            figures.offset.append(Int32(f.offset))
        }
        articles.figureStart.append(Int32(figures.count))
    }

    public mutating func append(page: PageRecord) { pages.append(page) }
    public mutating func skip(path: String, reason: String) { skipped.append((path, reason)) }
    public mutating func warn(_ message: String) { warnings.append(message) }

    public func build() -> Store {
        Store(articles: articles, figures: figures, pages: pages, skipped: skipped, warnings: warnings)
    }
}
