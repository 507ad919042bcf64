// Rows as the output stage receives them: named, typed columns of cells.
import KanbaoStore

public enum Cell: Sendable, Hashable {
    case null
    case int(Int)
    case double(Double)
    case text(String)
    case date(PartialDate)
    case list([String])

    public var isNumeric: Bool {
        switch self {
        case .int, .double: return true
        default: return false
        }
    }

    /// A CSV or TSV cell: a list is a JSON array (a cell holds one value), null is empty.
    public var csvText: String {
        if case .list(let l) = self { return JSON.array(l) }
        return text
    }

    /// Plain text, as in CSV and TSV cells and table cells.
    public var text: String {
        switch self {
        case .null: return ""
        case .int(let i): return String(i)
        case .double(let d): return JSON.number(d)
        case .text(let s): return s
        case .date(let d): return d.description
        case .list(let l): return l.joined(separator: ",")
        }
    }

    public var json: String {
        switch self {
        case .null: return "null"
        case .int(let i): return String(i)
        case .double(let d): return JSON.number(d)
        case .text(let s): return JSON.string(s)
        case .date(let d): return JSON.string(d.description)
        case .list(let l): return JSON.array(l)
        }
    }

    /// Numeric value for charts and sorting.
    public var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
}

public struct ResultTable: Sendable {
    public var columns: [String]
    public var rows: [[Cell]]
    /// Draw bars for the last numeric column (set by the `chart` stage).
    public var chart = false
    /// Said under the table (e.g. "kwic: 12 hits in 5 articles").
    public var note: String?
    /// The first columns are group keys: a row whose key is unknown is the "(none)" group
    /// in tables and charts (null in JSON, empty in CSV and TSV).
    public var groupKeys = 0
    /// Columns shown to two decimals in tables (averages, shares); JSON, CSV and TSV
    /// keep every digit.
    public var twoDecimals: Set<Int> = []

    public init(columns: [String], rows: [[Cell]]) {
        self.columns = columns
        self.rows = rows
    }
}
