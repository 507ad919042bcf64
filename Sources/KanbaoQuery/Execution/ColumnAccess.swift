// Reading one field of one row as a cell, a sort key or group keys. Figures rows reach
// their article's fields through the article id column.
import KanbaoOutput
import KanbaoStore

struct ColumnAccess: Sendable {
    let store: Store
    let source: SourceKind

    @inline(__always) func article(_ row: Int32) -> Int {
        source == .articles ? Int(row) : Int(store.figures.article[Int(row)])
    }

    func cell(_ column: String, _ row: Int32) -> Cell {
        let a = store.articles, fg = store.figures
        let i = article(row), r = Int(row)
        switch Field.named(column) {
        case .id: return .int(i)
        case .source: return a.source[i].map(Cell.text) ?? .null
        case .title: return .text(a.title[i])
        case .headline: return .list(a.headline[i])
        case .byline: return a.hasByline[i] ? .text(a.byline[i]) : .null
        case .reporter: return .list(a.reporters[i])
        case .correspondent: return .list(a.correspondents[i])
        case .speaker: return a.speaker[i].map(Cell.text) ?? .null
        case .district: return a.district[i].map(Cell.text) ?? .null
        case .districts: return .list(a.districts[i])
        case .place: return .list(a.places[i])
        case .date: return store.date(ofArticle: i).map(Cell.date) ?? .null
        case .year: return store.date(ofArticle: i).map { .int($0.year) } ?? .null
        case .month:
            guard let d = store.date(ofArticle: i), d.month > 0 else { return .null }
            return .text(PartialDate(year: d.year, month: d.month).description)
        case .datePrecision: return .text(DatePrecision(rawValue: a.datePrecision[i])!.name)
        case .dateSource: return .text(DateSource(rawValue: a.dateSource[i])!.name)
        case .published: return store.published(ofArticle: i).map(Cell.date) ?? .null
        case .publishedSource: return .text(DateSource(rawValue: a.publishedSource[i])!.name)
        case .body: return .text(a.body[i])
        case .chars: return .int(Int(a.chars[i]))
        case .figures: return .int(Int(a.figureStart[i + 1] - a.figureStart[i]))
        case .article: return .int(Int(fg.article[r]))
        case .raw: return .text(store.figureRaw(r))
        case .value: return .double(fg.value[r])
        case .valueMax: return fg.valueMax[r].isNaN ? .null : .double(fg.valueMax[r])
        case .unit: return fg.unit[r].map(Cell.text) ?? .null
        case .approx: return .text(Approx(rawValue: fg.approx[r])!.name)
        case .context: return .text(store.figureContext(r))
        case .offset: return .int(store.figureOffset(r))
        case nil: return .null
        }
    }

    /// Numeric value of a field, for comparisons and aggregates.
    @inline(__always) func number(_ f: Field, _ row: Int32) -> Double {
        let r = Int(row)
        switch f {
        case .id: return Double(article(row))
        case .chars: return Double(store.articles.chars[article(row)])
        case .figures:
            let i = article(row)
            return Double(store.articles.figureStart[i + 1] - store.articles.figureStart[i])
        case .article: return Double(store.figures.article[r])
        case .value: return store.figures.value[r]
        case .valueMax: return store.figures.valueMax[r]
        case .offset: return Double(store.figureOffset(r))
        default: return .nan
        }
    }

    /// The numeric values of a block of rows, into `out`: the figures' value column read
    /// in a plain loop, anything else row by row.
    func numbers(_ f: Field, _ rows: UnsafeBufferPointer<Int32>, into out: UnsafeMutablePointer<Double>) {
        if f == .value && source == .figures {
            store.figures.value.withUnsafeBufferPointer { v in for k in 0..<rows.count { out[k] = v[Int(rows[k])] } }
        } else {
            for k in 0..<rows.count { out[k] = number(f, rows[k]) }
        }
    }

    /// The group(s) a row falls in for one key: list fields put a row in every group
    /// it names; a row with no value is in the null group.
    func groups(_ f: Field, _ row: Int32) -> [Cell] {
        let i = article(row)
        let a = store.articles
        switch f {
        case .place: let l = a.places[i]; return l.isEmpty ? [.null] : l.map(Cell.text)
        case .reporter: let l = a.reporters[i]; return l.isEmpty ? [.null] : l.map(Cell.text)
        case .correspondent: let l = a.correspondents[i]; return l.isEmpty ? [.null] : l.map(Cell.text)
        default: return [cell(f.rawValue, row)]
        }
    }
}

/// Ordering of cells: numbers, then text, dates by their first day (then precision);
/// nulls always last.
func compareCells(_ a: Cell, _ b: Cell) -> Int {
    switch (a, b) {
    case (.null, .null): return 0
    case (.null, _): return 1
    case (_, .null): return -1
    case (.date(let x), .date(let y)):
        let rx = x.dayRange.lowerBound, ry = y.dayRange.lowerBound
        if rx != ry { return rx < ry ? -1 : 1 }
        return x.precision.rawValue < y.precision.rawValue ? -1 : x.precision == y.precision ? 0 : 1
    default:
        if let x = a.number, let y = b.number { return x < y ? -1 : x > y ? 1 : 0 }
        let x = a.text, y = b.text
        return x < y ? -1 : x > y ? 1 : 0
    }
}
