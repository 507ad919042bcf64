// The syntax tree: what the user wrote, with source ranges, before names are resolved.

public indirect enum FilterSyntax: Sendable {
    /// A keyword: bare word or quoted string. `quoted` keeps reserved words literal.
    case term(text: String, quoted: Bool, range: SourceRange)
    /// field:value, field:a..b, field op value, field in (…)
    case field(name: String, nameRange: SourceRange, op: ComparisonOp, value: ValueSyntax)
    case fieldIn(name: String, nameRange: SourceRange, values: [ValueSyntax])
    case variable(name: String, range: SourceRange)
    case and([FilterSyntax])
    case or([FilterSyntax])
    case not(FilterSyntax, range: SourceRange)
    /// figure(FILTER): the article has a figure that passes the filter.
    case figure(FilterSyntax, range: SourceRange)
    /// `a near/5 b`, `a before/20 b`: two search terms close together. `gap` nil: the default.
    case proximity(
        left: String, right: String, gap: Int?, ordered: Bool, operatorRange: SourceRange, range: SourceRange)
    /// `/疫.{0,4}防控/`: a regular expression over the text.
    case pattern(String, range: SourceRange)

    public var range: SourceRange {
        switch self {
        case .term(_, _, let r), .variable(_, let r), .figure(_, let r), .pattern(_, let r),
            .proximity(_, _, _, _, _, let r):
            return r
        case .field(_, let r, _, let v): return SourceRange(start: r.start, end: v.range.end)
        case .fieldIn(_, let r, let vs): return SourceRange(start: r.start, end: vs.last?.range.end ?? r.end)
        case .and(let xs), .or(let xs): return SourceRange(start: xs.first!.range.start, end: xs.last!.range.end)
        case .not(let x, let r): return SourceRange(start: r.start, end: x.range.end)
        }
    }
}

public enum ComparisonOp: String, Sendable {
    case match = ":" // field:value (containment for dates, equality for names, substring for text)
    case eq = "="
    case ne = "!="
    case lt = "<"
    case le = "<="
    case gt = ">"
    case ge = ">="
}

public struct ValueSyntax: Sendable {
    public enum Kind: Sendable {
        case single(Token)
        case range(lo: Token?, hi: Token?)
    }
    public var kind: Kind
    public var range: SourceRange
}

public struct SortKeySyntax: Sendable {
    public var name: String
    public var range: SourceRange
    public var descending: Bool
}

public struct AggregateSyntax: Sendable {
    public var function: String
    public var argument: String?
    public var range: SourceRange
    /// count(distinct article)
    public var distinct = false
}

public enum StageSyntax: Sendable {
    case whereFilter(FilterSyntax)
    case sort([SortKeySyntax])
    case limit(Int, SourceRange)
    case show([(name: String, range: SourceRange)], all: Bool)
    case count(by: [(name: String, range: SourceRange)])
    case stats([AggregateSyntax], by: [(name: String, range: SourceRange)])
    case top(Int, field: String, fieldRange: SourceRange)
    case kwic(term: String?, width: Int?)
    case chart
    /// `terms 20 [vs FILTER]`: strings over-represented in the rows' articles.
    case terms(Int?, vs: FilterSyntax?)
    /// `colloc 疫情 [N]`: the term's most frequent neighbours.
    case colloc(term: String, count: Int?)
}

/// The table a query reads. `pages` queries run on their own small path (PageQuery.swift):
/// the binder, planner and executor see only articles and figures.
public enum SourceKind: String, Sendable { case articles, figures, pages }

public struct QuerySyntax: Sendable {
    public var source: SourceKind
    public var filter: FilterSyntax?
    public var stages: [(StageSyntax, SourceRange)]
}

public enum StatementSyntax: Sendable {
    case query(QuerySyntax)
    case explain(QuerySyntax, analyze: Bool)
    case letFilter(name: String, filter: FilterSyntax)
    /// `why 12`: how article 12's fields were decided.
    case why(id: Int, range: SourceRange)
    case dotCommand(name: String, argument: String, range: SourceRange)
}

/// One statement with where it stands in the text.
public struct ParsedStatement: Sendable {
    public var statement: StatementSyntax
    public var range: SourceRange
}

public enum ParseOutcome: Sendable {
    case parsed(ParsedStatement)
    case failed([Diagnostic], SourceRange)
}
