// The names a query can use: fields of articles and of figures, with their types.
import KanbaoStore

public enum FieldType: String, Sendable {
    case text, category, list, number, date
}

public enum Field: String, CaseIterable, Sendable {
    // articles
    case id, source, title, headline, byline, reporter, correspondent, speaker, district, districts, place
    case date, year, month, datePrecision = "date_precision", dateSource = "date_source", body, chars, figures
    case published, publishedSource = "published_source"
    // figures
    case article, raw, value, valueMax = "value_max", unit, approx, context, offset

    public var isFigureField: Bool {
        switch self {
        case .article, .raw, .value, .valueMax, .unit, .approx, .context, .offset: return true
        default: return false
        }
    }

    public var type: FieldType {
        switch self {
        case .id, .chars, .figures, .article, .value, .valueMax, .offset: return .number
        case .date, .year, .month, .published: return .date
        case .reporter, .correspondent, .districts, .place, .headline: return .list
        case .source, .speaker, .district, .datePrecision, .dateSource, .publishedSource, .unit, .approx: return .category
        case .title, .byline, .body, .raw, .context: return .text
        }
    }

    /// Accepted spellings: the schema's own, plurals, and the export's names.
    public static func named(_ name: String) -> Field? {
        let n = name.lowercased()
        if let f = Field(rawValue: n) { return f }
        switch n {
        case "reporters": return .reporter
        case "correspondents": return .correspondent
        case "places": return .place
        case "precision": return .datePrecision
        case "valuemax", "max_value": return .valueMax
        case "units": return .unit
        case "text": return .body
        default: return nil
        }
    }

    static var allNames: [String] { allCases.map(\.rawValue) + ["reporters", "places"] }

    /// Fields `count by` and `top` can group on.
    public var isGroupable: Bool {
        switch self {
        case .district, .districts, .place, .year, .month, .date, .unit, .reporter, .correspondent, .source, .approx,
             .speaker, .datePrecision, .dateSource, .published, .publishedSource: return true
        default: return false
        }
    }

    /// Grouped results on time keys come out in time order.
    public var isTime: Bool { self == .year || self == .month || self == .date || self == .published }
}

public enum AggregateFunction: String, CaseIterable, Sendable {
    case count, sum, avg, min, max
}
