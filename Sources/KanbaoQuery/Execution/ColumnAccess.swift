// Reading one field of one row as a cell, a sort key or group keys. Figures rows reach
// their article's fields through the article id column.
import KanbaoOutput
import KanbaoStore

struct ColumnAccess: Sendable {
    let store: Store
    let source: SourceKind
    /// The query's relevance, for `hits` and `score` (nil before a Relevance operator).
    var relevance: Relevance? = nil

    @inline(__always) func article(_ row: Int32) -> Int {
        source == .articles ? Int(row) : Int(store.figures.article[Int(row)])
    }

    func cell(_ column: String, _ row: Int32) -> Cell {
        guard let f = Field.named(column) else { return .null }
        return cell(f.spec, row)
    }

    /// A row's cell of a field whose catalog entry the caller has looked up once.
    @inline(__always) func cell(_ spec: FieldSpec, _ row: Int32) -> Cell {
        if let value = spec.relevance {
            guard let r = relevance else { return .null }
            let v = value(r, article(row))
            return spec.field == .hits ? .int(Int(v)) : .double((v * 10_000).rounded() / 10_000)
        }
        return spec.cell(store, article(row), Int(row))
    }

    /// Numeric value of a field, for comparisons and aggregates (NaN when none).
    @inline(__always) func number(_ f: Field, _ row: Int32) -> Double {
        let spec = f.spec
        if let value = spec.relevance { return relevance.map { value($0, article(row)) } ?? .nan }
        return spec.number?(store, article(row), Int(row)) ?? .nan
    }

    /// The numeric values of a block of rows, into `out`: the figures' value column read
    /// in a plain loop, anything else row by row.
    func numbers(_ f: Field, _ rows: UnsafeBufferPointer<Int32>, into out: UnsafeMutablePointer<Double>) {
        if f == .value && source == .figures {
            store.figures.value.withUnsafeBufferPointer { v in for k in 0..<rows.count { out[k] = v[Int(rows[k])] } }
        } else if let value = f.spec.relevance, let r = relevance {
            // Relevance reads each article's text: the body a few rows ahead is asked for
            // while this one is counted, as the keyword verifier does.
            let ahead = Executor.prefetchDistance
            for k in 0..<rows.count {
                if ahead > 0 && k + ahead < rows.count { store.articles.body.prefetch(row: article(rows[k + ahead])) }
                out[k] = value(r, article(rows[k]))
            }
        } else {
            for k in 0..<rows.count { out[k] = number(f, rows[k]) }
        }
    }

    /// The group(s) a row falls in for one key: list fields put a row in every group
    /// it names; a row with no value is in the null group.
    func groups(_ f: Field, _ row: Int32) -> [Cell] {
        let spec = f.spec
        let c = cell(spec, row)
        if spec.groupsEachValue, case .list(let l) = c { return l.isEmpty ? [.null] : l.map(Cell.text) }
        return [c]
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
        let rx = x.dayRange.lowerBound
        let ry = y.dayRange.lowerBound
        if rx != ry { return rx < ry ? -1 : 1 }
        return x.precision.rawValue < y.precision.rawValue ? -1 : x.precision == y.precision ? 0 : 1
    default:
        if let x = a.number, let y = b.number { return x < y ? -1 : x > y ? 1 : 0 }
        let x = a.text
        let y = b.text
        return x < y ? -1 : x > y ? 1 : 0
    }
}
