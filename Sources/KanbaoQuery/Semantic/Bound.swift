// The bound query: names resolved against the store and the gazetteer, values typed.
// Everything here refers to columns and dictionary codes, not to text the user typed.
import KanbaoStore

public enum KeywordScope: String, Sendable { case any, title, body }

public indirect enum BoundFilter: Sendable, Equatable {
    /// A keyword, folded (Folding.swift).
    case keyword(String, KeywordScope)
    /// An exact spelling, a proximity or a pattern: read from the text (SearchTerm.swift).
    case search(SearchTerm, KeywordScope)
    /// A category or list field holds one of these dictionary codes (empty set: matches nothing).
    case codes(Field, Set<Int32>, label: String)
    /// The article's date (`date`) or its page's publication date (`published`) lies
    /// within [lo, hi] (day numbers); an unknown date never does.
    case dateWithin(Field, lo: Int32, hi: Int32, label: String)
    case compare(Field, ComparisonOp, Double)
    /// A text field contains this substring.
    case contains(Field, String)
    case and([BoundFilter])
    case or([BoundFilter])
    case not(BoundFilter)
    case constant(Bool)
    /// The field has a value (a date, a district, a reporter …). `field:none` is its
    /// negation; a comparison such as `district != 中牟县` holds only where it is known.
    case known(Field)
    /// The article has at least one figure that passes this filter (on figure fields).
    case hasFigure(BoundFilter)

    /// Levels of and/or/not; named filters that build on each other are bounded by it.
    public var depth: Int {
        switch self {
        case .and(let xs), .or(let xs): return 1 + (xs.map(\.depth).max() ?? 0)
        case .not(let x): return 1 + x.depth
        default: return 1
        }
    }

    /// Does this filter test a field that only figures have?
    public var usesFigureFields: Bool {
        switch self {
        case .codes(let f, _, _), .compare(let f, _, _), .contains(let f, _): return f.isFigureField
        case .and(let xs), .or(let xs): return xs.contains(where: \.usesFigureFields)
        case .not(let x): return x.usesFigureFields
        default: return false
        }
    }

    /// What a `kwic` stage shows, `hits` counts and `score` weighs: the search terms
    /// not under a `not`.
    var positiveTerms: [SearchTerm] {
        switch self {
        case .keyword(let k, _): return [.keyword(k)]
        case .search(let t, _): return [t]
        case .and(let xs), .or(let xs): return xs.flatMap(\.positiveTerms)
        default: return []
        }
    }
}

public struct SortKey: Sendable, Equatable {
    public var column: String
    public var descending: Bool
}

public struct AggregateSpec: Sendable, Equatable {
    public var function: AggregateFunction
    public var field: Field?
    /// count(distinct FIELD): how many different values, not how many rows.
    public var distinct = false

    public init(function: AggregateFunction, field: Field?, distinct: Bool = false) {
        self.function = function
        self.field = field
        self.distinct = distinct
    }

    /// Column name: `count` for a count, `count(distinct article)`, `share`, `sum(value)`.
    public var name: String {
        if distinct { return "count(distinct \(field?.rawValue ?? ""))" }
        switch function {
        case .count: return "count"
        case .share: return "share"
        default: return "\(function.rawValue)(\(field?.rawValue ?? ""))"
        }
    }
}

public enum BoundStage: Sendable, Equatable {
    case filter(BoundFilter)
    case sort([SortKey])
    case limit(Int)
    case show([String])
    case count
    case aggregate(keys: [Field], aggregates: [AggregateSpec], topN: Int?)
    case kwic(terms: [SearchTerm], width: Int)
    /// From here on `hits` and `score` are known: relevance to these terms.
    case relevance([SearchTerm])
    /// The `count` strings most over-represented in the rows' articles against the
    /// articles of `reference` (nil: every other article).
    case terms(Int, reference: BoundFilter?)
    /// The `count` most frequent neighbours on each side of a keyword (folded).
    case colloc(String, count: Int)
    case chart
}

public struct BoundQuery: Sendable, Equatable {
    public var source: SourceKind
    public var stages: [BoundStage]
}
