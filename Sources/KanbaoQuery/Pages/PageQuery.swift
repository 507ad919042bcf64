// `pages …`: the page table, one row per page file, with what a page prints outside its
// articles — its banners (running heads, section names) and its photo captions — so that
// `pages 国庆期间坚守岗位` finds the page whose caption holds it.
//
// The table is small (a tenth of the articles) and holds no index: a query binds its
// filter with the article binder (the same names, values and errors), keeps what a page
// has (a keyword, exact:, source:, published:, and/or/not), and tests every page. Its
// stages are the row stages: where, sort, limit, show, count and count by.
import KanbaoOutput
import KanbaoStore

struct PageQuery {
    indirect enum Test {
        case text(SearchNeedle)
        /// The page's file name is this, or starts with it (source:000).
        case sourcePrefix(String)
        case published(lo: Int32, hi: Int32, label: String)
        case publishedKnown
        case and([Test])
        case or([Test])
        case not(Test)
        case constant(Bool)

        var describe: String {
            switch self {
            case .text(let n): return (n.exact ? "exact:" : "") + "“\(n.text)” in banners or captions"
            case .sourcePrefix(let s): return "source:\(s)"
            case .published(_, _, let label): return "published:\(label)"
            case .publishedKnown: return "published is known"
            case .and(let xs): return xs.map(\.describe).joined(separator: " and ")
            case .or(let xs): return "(" + xs.map(\.describe).joined(separator: " or ") + ")"
            case .not(let x): return "not (\(x.describe))"
            case .constant(let b): return b ? "true" : "false"
            }
        }
    }

    enum Stage {
        case filter(Test)
        case sort([(column: String, descending: Bool)])
        case limit(Int)
        case show([String])
        case count
        case countBy(String)
    }

    static let columns = ["source", "published", "banners", "captions", "articles"]
    static let defaultColumns = ["source", "published", "banners", "captions"]
    static let groupable = ["source", "published", "year", "month"]

    var stages: [Stage] = []

    // MARK: binding

    init(_ q: QuerySyntax, binder: Binder) throws {
        if let f = q.filter { stages.append(.filter(try PageQuery.bind(f, binder))) }
        var table = false
        for (stage, range) in q.stages {
            switch stage {
            case .whereFilter(let f):
                guard !table else { throw Diagnostic("'where' must come before show and count", at: range) }
                stages.append(.filter(try PageQuery.bind(f, binder)))
            case .sort(let keys):
                guard !table else { throw Diagnostic("sort pages before showing or counting them", at: range) }
                stages.append(
                    .sort(
                        try keys.map { k in
                            let c = k.name.lowercased()
                            guard ["source", "published", "articles"].contains(c) else {
                                throw Diagnostic(
                                    "pages sort by source, published or articles, not '\(k.name)'", at: k.range)
                            }
                            return (c, k.descending)
                        }))
            case .limit(let n, _):
                stages.append(.limit(n))
            case .show(let names, let all):
                guard !table else { throw Diagnostic("'show' comes once, before counting", at: range) }
                let cols =
                    try all
                    ? PageQuery.columns
                    : names.map { n, r in
                        guard PageQuery.columns.contains(n.lowercased()) else {
                            throw Diagnostic(
                                "pages have no column '\(n)'", at: r,
                                hint: Suggest.nearest(n, in: PageQuery.columns).map { "did you mean '\($0)'?" }
                                    ?? "columns: \(PageQuery.columns.joined(separator: ", "))")
                        }
                        return n.lowercased()
                    }
                stages.append(.show(cols))
                table = true
            case .count(let by):
                guard !table else { throw Diagnostic("'count' counts rows; put it before show", at: range) }
                guard by.count <= 1 else { throw Diagnostic("pages are counted by one key at a time", at: range) }
                if let (n, r) = by.first {
                    guard PageQuery.groupable.contains(n.lowercased()) else {
                        throw Diagnostic(
                            "pages are counted by \(PageQuery.groupable.joined(separator: ", ")), not '\(n)'", at: r)
                    }
                    stages.append(.countBy(n.lowercased()))
                } else {
                    stages.append(.count)
                }
                table = true
            default:
                throw Diagnostic(
                    "this stage reads articles; pages take where, sort, limit, show, count and count by", at: range,
                    hint: "search the articles of those pages with source:, as in source:000")
            }
        }
    }

    /// A filter on pages: words search the banners and captions; `source:` names a page
    /// (or the start of its name); `published:` is bound as for articles.
    static func bind(_ f: FilterSyntax, _ binder: Binder) throws -> Test {
        switch f {
        case .term(let text, _, _): return .text(SearchNeedle(text))
        case .and(let xs): return .and(try xs.map { try bind($0, binder) })
        case .or(let xs): return .or(try xs.map { try bind($0, binder) })
        case .not(let x, _): return .not(try bind(x, binder))
        case .field(let name, let r, let op, let value):
            switch name.lowercased() {
            case "exact":
                guard case .search(.exact(let k), _) = try binder.bind(f, source: .articles) else {
                    throw Diagnostic("exact takes one search term", at: r)
                }
                return .text(SearchNeedle(k, exact: true))
            case "source":
                guard op == .match || op == .eq || op == .ne, case .single(let t) = value.kind else {
                    throw Diagnostic("source takes one name, as in source:000 or source != 001", at: r)
                }
                return op == .ne ? .not(.sourcePrefix(t.text)) : .sourcePrefix(t.text)
            case "published":
                return try convert(Optimizer.fold(try binder.bind(f, source: .articles)), at: r)
            default:
                throw Diagnostic(
                    "pages have no field '\(name)'", at: r,
                    hint: "pages are searched by their banners and captions, source: and published:")
            }
        case .fieldIn(let name, let r, let values):
            switch name.lowercased() {
            case "source":
                return .or(
                    try values.map { v in
                        guard case .single(let t) = v.kind else { throw Diagnostic("a name, not a range", at: v.range) }
                        return .sourcePrefix(t.text)
                    })
            case "published":
                return try convert(Optimizer.fold(try binder.bind(f, source: .articles)), at: r)
            default:
                throw Diagnostic("pages have no field '\(name)'", at: r)
            }
        case .variable(_, let r):
            throw Diagnostic("named filters choose articles; pages take words, exact:, source: and published:", at: r)
        case .figure(_, let r), .pattern(_, let r), .proximity(_, _, _, _, _, let r):
            throw Diagnostic("pages are searched by words, exact:, source: and published:", at: r)
        }
    }

    /// A bound `published` test as a page test.
    static func convert(_ b: BoundFilter, at range: SourceRange) throws -> Test {
        switch b {
        case .dateWithin(.published, let lo, let hi, let label): return .published(lo: lo, hi: hi, label: label)
        case .known(.published): return .publishedKnown
        case .and(let xs): return .and(try xs.map { try convert($0, at: range) })
        case .or(let xs): return .or(try xs.map { try convert($0, at: range) })
        case .not(let x): return .not(try convert(x, at: range))
        case .constant(let c): return .constant(c)
        default: throw Diagnostic("pages are searched by words, exact:, source: and published:", at: range)
        }
    }

    // MARK: running

    func run(_ store: Store, cancel: CancellationFlag?) throws -> ResultTable {
        let pages = store.pages
        var rows = Array(0..<pages.count)
        let articles = PageQuery.articleCounts(store)
        func cell(_ column: String, _ p: Int) -> Cell {
            switch column {
            case "source": return .text(pages.source[p])
            case "published": return PageQuery.day(store, p).map { .date(PageQuery.date($0)) } ?? .null
            case "banners": return .list(PageQuery.list(pages.banners, pages.bannerStart, p))
            case "captions": return .list(PageQuery.list(pages.captions, pages.captionStart, p))
            case "year": return PageQuery.day(store, p).map { .int(CivilDate.civil($0).year) } ?? .null
            case "month":
                return PageQuery.day(store, p).map {
                    let c = CivilDate.civil($0)
                    return .text(PartialDate(year: c.year, month: c.month).description)
                } ?? .null
            default: return .int(articles[pages.source[p]] ?? 0)
            }
        }
        var table: ResultTable?
        for stage in stages {
            if let c = cancel, c.isCancelled { throw QueryCancelled() }
            switch stage {
            case .filter(let t): rows = rows.filter { PageQuery.holds(t, store, $0) }
            case .sort(let keys):
                rows.sort { a, b in
                    for k in keys {
                        let o = compareCells(cell(k.column, a), cell(k.column, b))
                        if o != 0 { return k.descending ? o > 0 : o < 0 }
                    }
                    return a < b
                }
            case .limit(let n):
                // After show or count by, the limit cuts the table (the binder lets only a
                // limit follow those).
                if table != nil { table!.rows = Array(table!.rows.prefix(n)) } else { rows = Array(rows.prefix(n)) }
            case .show(let cols):
                table = ResultTable(columns: cols, rows: rows.map { p in cols.map { cell($0, p) } })
            case .count:
                table = ResultTable(columns: ["count"], rows: [[.int(rows.count)]])
            case .countBy(let key):
                var counts: [String: (Cell, Int)] = [:]
                for p in rows {
                    let c = cell(key, p)
                    counts[c.text, default: (c, 0)].1 += 1
                }
                // Time keys in time order, sources by count; the unknown group last.
                let time = key != "source"
                let groups = counts.values.sorted { a, b in
                    if case .null = a.0 { return false }
                    if case .null = b.0 { return true }
                    if time { return compareCells(a.0, b.0) < 0 }
                    return a.1 != b.1 ? a.1 > b.1 : compareCells(a.0, b.0) < 0
                }
                table = ResultTable(columns: [key, "count"], rows: groups.map { [$0.0, .int($0.1)] })
                table!.groupKeys = 1
            }
        }
        return table
            ?? ResultTable(
                columns: PageQuery.defaultColumns, rows: rows.map { p in PageQuery.defaultColumns.map { cell($0, p) } })
    }

    var explain: String {
        var out = "Page plan (the page table has no index: every page is tested)\n  ScanPages\n"
        for s in stages {
            switch s {
            case .filter(let t): out += "  Filter \(t.describe)\n"
            case .sort(let k):
                out += "  Sort " + k.map { $0.column + ($0.descending ? " desc" : "") }.joined(separator: ", ") + "\n"
            case .limit(let n): out += "  Limit \(n)\n"
            case .show(let c): out += "  Project \(c.joined(separator: ", "))\n"
            case .count: out += "  Count\n"
            case .countBy(let k): out += "  Count by \(k)\n"
            }
        }
        return out
    }

    static func holds(_ t: Test, _ store: Store, _ p: Int) -> Bool {
        let pages = store.pages
        switch t {
        case .text(let n):
            let texts = list(pages.banners, pages.bannerStart, p) + list(pages.captions, pages.captionStart, p)
            return texts.contains { n.exact ? $0.contains(n.text) : Folding.fold($0).contains(n.text) }
        case .sourcePrefix(let name): return pages.source[p].hasPrefix(name)
        case .published(let lo, let hi, _): return day(store, p).map { $0 >= lo && $0 <= hi } ?? false
        case .publishedKnown: return day(store, p) != nil
        case .and(let xs): return xs.allSatisfy { holds($0, store, p) }
        case .or(let xs): return xs.contains { holds($0, store, p) }
        case .not(let x): return !holds(x, store, p)
        case .constant(let c): return c
        }
    }

    /// The page's publication day, when it is known to the day.
    static func day(_ store: Store, _ p: Int) -> Int32? {
        let pages = store.pages
        guard pages.publicationSource[p] != DateSource.none.rawValue, pages.year[p] > 0, pages.month[p] > 0,
            pages.day[p] > 0
        else { return nil }
        return CivilDate.days(year: Int(pages.year[p]), month: Int(pages.month[p]), day: Int(pages.day[p]))
    }

    static func date(_ day: Int32) -> PartialDate {
        let c = CivilDate.civil(day)
        return PartialDate(year: c.year, month: c.month, day: c.day)
    }

    static func list(_ column: StringColumn, _ starts: ColumnBuffer<Int32>, _ p: Int) -> [String] {
        (Int(starts[p])..<Int(starts[p + 1])).map { column[$0] }
    }

    /// Articles per page source.
    static func articleCounts(_ store: Store) -> [String: Int] {
        store.derived.value("articles per page source") {
            var counts: [String: Int] = [:]
            let source = store.articles.source
            for i in 0..<store.articles.count { counts[source[i] ?? "", default: 0] += 1 }
            return counts
        }
    }
}
