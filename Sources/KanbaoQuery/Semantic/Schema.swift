// The names a query can use: fields of articles and of figures. What is known of each
// field is in FieldCatalog.swift.
import KanbaoStore

public enum FieldType: String, Sendable {
    case text, category, list, number, date
}

public enum Field: String, CaseIterable, Sendable {
    // articles
    case id, source, title, headline, byline, reporter, correspondent, speaker, district, districts, place
    case date, year, month
    case datePrecision = "date_precision"
    case dateSource = "date_source"
    case body, chars, figures
    case published
    case publishedSource = "published_source"
    case week, quarter
    /// Relevance to the query's search terms (Relevance.swift): occurrences, and BM25.
    case hits, score
    // figures
    case article, raw, value
    case valueMax = "value_max"
    case unit, approx, context, offset

    public var isFigureField: Bool {
        switch self {
        case .article, .raw, .value, .valueMax, .unit, .approx, .context, .offset: return true
        default: return false
        }
    }

    public var type: FieldType { spec.type }

    /// Accepted spellings: the schema's own, plurals, and the export's names.
    public static func named(_ name: String) -> Field? { FieldCatalog.byName[name.lowercased()] }

    static var allNames: [String] { allCases.map(\.rawValue) + ["reporters", "places"] }

    /// Fields `count by` and `top` can group on.
    public var isGroupable: Bool { spec.isGroupable }

    /// Grouped results on time keys come out in time order.
    public var isTime: Bool { spec.isTime }
}

public enum AggregateFunction: String, CaseIterable, Sendable {
    case count, sum, avg, min, max
    /// The group's rows as a percentage of all the rows grouped.
    case share
}
