// The field catalog: every fact about every field, in one table. The binder (names,
// types, what a filter and a grouping may use), column access (a row's cell and
// number), the grouping keys, the export, completion, `.schema` and the hints all read
// it. Adding a field is adding one entry here (and its case to `Field`).
import KanbaoIngest
import KanbaoOutput
import KanbaoStore

/// How rows of a field are tested by `field:VALUE` codes, or grouped by integer keys.
enum FieldCodes: Sendable {
    /// One dictionary code per article (or per figure): source, speaker, district, unit.
    case dictionary(@Sendable (Store) -> DictionaryColumn, figure: Bool)
    /// A list of dictionary codes per article: districts, places, reporters.
    case list(@Sendable (Store) -> DictionaryListColumn)
    /// One small code per article (or figure), named by an enumeration: date_precision,
    /// date_source, published_source, approx.
    case enumeration(@Sendable (Store) -> ColumnBuffer<UInt8>, names: [String], figure: Bool)
}

/// The parts of an article's date that group by integer keys.
enum DatePart: Sendable {
    case year, month, day
    /// The ISO week (2022-W14), of articles dated to the day.
    case week
    /// The quarter (2022-Q2), of articles dated to the month or the day.
    case quarter

    /// The integer key of a date known to `precision` that starts on `day`; nil when the
    /// date is not precise enough for this part.
    func key(day: Int32, precision: UInt8) -> Int64? {
        switch self {
        case .day: return Int64(day) << 2 | Int64(precision)
        case .year: return Int64(CivilDate.civil(day).year)
        case .month:
            guard precision >= DatePrecision.month.rawValue else { return nil }
            let c = CivilDate.civil(day)
            return Int64(c.year * 12 + c.month - 1)
        case .quarter:
            guard precision >= DatePrecision.month.rawValue else { return nil }
            let c = CivilDate.civil(day)
            return Int64(c.year * 4 + (c.month - 1) / 3)
        case .week:
            guard precision == DatePrecision.day.rawValue else { return nil }
            let (year, week) = DatePart.isoWeek(day)
            return Int64(year * 100 + week)
        }
    }

    /// The cell of a key made by `key`.
    func cell(_ k: Int64) -> Cell {
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        switch self {
        case .year: return .int(Int(k))
        case .month: return .text(PartialDate(year: Int(k) / 12, month: Int(k) % 12 + 1).description)
        case .quarter: return .text("\(Int(k) / 4)-Q\(Int(k) % 4 + 1)")
        case .week: return .text("\(Int(k) / 100)-W\(pad(Int(k) % 100))")
        case .day:
            let c = CivilDate.civil(Int32(k >> 2))
            switch DatePrecision(rawValue: UInt8(k & 3))! {
            case .day: return .date(PartialDate(year: c.year, month: c.month, day: c.day))
            case .month: return .date(PartialDate(year: c.year, month: c.month))
            default: return .date(PartialDate(year: c.year))
            }
        }
    }

    /// ISO 8601 week: weeks start on Monday; week 1 holds the year's first Thursday.
    static func isoWeek(_ day: Int32) -> (year: Int, week: Int) {
        let weekday = Int(((Int64(day) + 3) % 7 + 7) % 7) // Monday 0 (1970-01-01 was a Thursday)
        let thursday = day - Int32(weekday) + 3
        let year = CivilDate.civil(thursday).year
        let firstDay = CivilDate.days(year: year, month: 1, day: 1)
        return (year, Int(thursday - firstDay) / 7 + 1)
    }
}

public struct FieldSpec: Sendable {
    public let field: Field
    public let type: FieldType
    /// Other spellings a query may use (plurals, the export's names).
    let aliases: [String]
    /// May `count by`, `top` and `stats … by` group on it?
    public let isGroupable: Bool
    /// Grouped results come out in time order.
    public let isTime: Bool
    /// A list field puts a row in every group it names (else the list is one key).
    let groupsEachValue: Bool
    /// The row's cell: the article's index and, for figure rows, the figure's row.
    let cell: @Sendable (Store, _ article: Int, _ figure: Int) -> Cell
    /// A numeric field's value (NaN when the row has none).
    let number: (@Sendable (Store, _ article: Int, _ figure: Int) -> Double)?
    /// What `field:VALUE` codes test (district:X tests the districts list).
    let filterCodes: FieldCodes?
    /// What a grouping on this field keys by, when that is an integer code.
    let keyCodes: FieldCodes?
    /// Date parts group by day numbers read from the date columns.
    let datePart: DatePart?
    /// An integer that orders rows as `compareCells` orders this field's cells (nil for
    /// no value), so a sort on it compares integers, not cells.
    let orderKey: (@Sendable (Store, _ article: Int, _ figure: Int) -> Int64?)?
    /// The values Tab offers after `field:`.
    let completions: (@Sendable (Store, Gazetteer) -> [String])?
    /// A field computed from the query's search terms (hits, score): its value for an
    /// article, read from the query's Relevance (without one, the field has no value).
    let relevance: (@Sendable (Relevance, _ article: Int) -> Double)?

    init(
        _ field: Field, _ type: FieldType, aliases: [String] = [], groupable: Bool = false, time: Bool = false,
        groupsEachValue: Bool = false, filterCodes: FieldCodes? = nil, keyCodes: FieldCodes? = nil,
        datePart: DatePart? = nil, orderKey: (@Sendable (Store, Int, Int) -> Int64?)? = nil,
        completions: (@Sendable (Store, Gazetteer) -> [String])? = nil,
        number: (@Sendable (Store, Int, Int) -> Double)? = nil,
        relevance: (@Sendable (Relevance, Int) -> Double)? = nil,
        cell: @escaping @Sendable (Store, Int, Int) -> Cell
    ) {
        self.relevance = relevance
        self.field = field
        self.type = type
        self.aliases = aliases
        self.isGroupable = groupable
        self.isTime = time
        self.groupsEachValue = groupsEachValue
        self.filterCodes = filterCodes
        self.keyCodes = keyCodes
        self.datePart = datePart
        self.orderKey = orderKey
        self.completions = completions
        self.number = number
        self.cell = cell
    }
}

public enum FieldCatalog {
    static let precisionNames = DatePrecision.allCases.map(\.name)
    static let sourceNames = DateSource.allCases.map(\.name)
    static let approxNames = Approx.allCases.map(\.name)

    static func text(_ s: String?) -> Cell { s.map(Cell.text) ?? .null }

    /// Every field, in `Field`'s order.
    public static let specs: [FieldSpec] = [
        // articles
        FieldSpec(.id, .number, number: { _, i, _ in Double(i) }) { _, i, _ in .int(i) },
        FieldSpec(
            .source, .category, groupable: true, filterCodes: .dictionary({ $0.articles.source }, figure: false),
            keyCodes: .dictionary({ $0.articles.source }, figure: false),
            completions: { s, _ in Array(s.articles.source.dictionary) }
        ) { s, i, _ in text(s.articles.source[i]) },
        FieldSpec(.title, .text) { s, i, _ in .text(s.articles.title[i]) },
        FieldSpec(.headline, .list) { s, i, _ in .list(s.articles.headline[i]) },
        FieldSpec(.byline, .text) { s, i, _ in s.articles.hasByline[i] ? .text(s.articles.byline[i]) : .null },
        FieldSpec(
            .reporter, .list, aliases: ["reporters"], groupable: true, groupsEachValue: true,
            filterCodes: .list({ $0.articles.reporters }),
            completions: { s, _ in Array(s.articles.reporters.values.dictionary) }
        ) { s, i, _ in .list(s.articles.reporters[i]) },
        FieldSpec(
            .correspondent, .list, aliases: ["correspondents"], groupable: true, groupsEachValue: true,
            filterCodes: .list({ $0.articles.correspondents })
        ) { s, i, _ in .list(s.articles.correspondents[i]) },
        FieldSpec(
            .speaker, .category, groupable: true, filterCodes: .dictionary({ $0.articles.speaker }, figure: false),
            keyCodes: .dictionary({ $0.articles.speaker }, figure: false)
        ) { s, i, _ in text(s.articles.speaker[i]) },
        FieldSpec(
            .district, .category, groupable: true, filterCodes: .list({ $0.articles.districts }),
            keyCodes: .dictionary({ $0.articles.district }, figure: false),
            completions: { _, g in districtValues(g) }
        ) { s, i, _ in text(s.articles.district[i]) },
        FieldSpec(
            .districts, .list, groupable: true, filterCodes: .list({ $0.articles.districts }),
            completions: { _, g in districtValues(g) }
        ) { s, i, _ in .list(s.articles.districts[i]) },
        FieldSpec(
            .place, .list, aliases: ["places"], groupable: true, groupsEachValue: true,
            filterCodes: .list({ $0.articles.places }),
            completions: { s, g in
                let corpus = Array(s.articles.places.values.dictionary)
                return corpus + g.townships.map(\.name).filter { !corpus.contains($0) }
            }
        ) { s, i, _ in .list(s.articles.places[i]) },
        // Dates order by their first day, then precision (2019 before 2019-01 before 2019-01-01).
        FieldSpec(
            .date, .date, groupable: true, time: true, datePart: .day,
            orderKey: { s, i, _ in
                let p = s.articles.datePrecision[i]
                return p == DatePrecision.none.rawValue ? nil : Int64(s.articles.dateFirst[i]) << 2 | Int64(p)
            }
        ) { s, i, _ in
            s.date(ofArticle: i).map(Cell.date) ?? .null
        },
        FieldSpec(.year, .date, groupable: true, time: true, datePart: .year) { s, i, _ in
            s.date(ofArticle: i).map { .int($0.year) } ?? .null
        },
        FieldSpec(.month, .date, groupable: true, time: true, datePart: .month) { s, i, _ in
            guard let d = s.date(ofArticle: i), d.month > 0 else { return .null }
            return .text(PartialDate(year: d.year, month: d.month).description)
        },
        FieldSpec(
            .datePrecision, .category, aliases: ["precision"], groupable: true,
            filterCodes: .enumeration({ $0.articles.datePrecision }, names: precisionNames, figure: false),
            keyCodes: .enumeration({ $0.articles.datePrecision }, names: precisionNames, figure: false),
            completions: { _, _ in precisionNames }
        ) { s, i, _ in .text(precisionNames[Int(s.articles.datePrecision[i])]) },
        FieldSpec(
            .dateSource, .category, groupable: true,
            filterCodes: .enumeration({ $0.articles.dateSource }, names: sourceNames, figure: false),
            keyCodes: .enumeration({ $0.articles.dateSource }, names: sourceNames, figure: false),
            completions: { _, _ in sourceNames }
        ) { s, i, _ in .text(sourceNames[Int(s.articles.dateSource[i])]) },
        FieldSpec(.body, .text, aliases: ["text"]) { s, i, _ in .text(s.articles.body[i]) },
        FieldSpec(.chars, .number, number: { s, i, _ in Double(s.articles.chars[i]) }) { s, i, _ in
            .int(Int(s.articles.chars[i]))
        },
        FieldSpec(.figures, .number, number: { s, i, _ in Double(figureCount(s, i)) }) { s, i, _ in
            .int(figureCount(s, i))
        },
        FieldSpec(
            .published, .date, groupable: true, time: true,
            orderKey: { s, i, _ in
                s.articles.publishedSource[i] == DateSource.none.rawValue
                    ? nil : Int64(s.articles.publishedDay[i]) << 2 | Int64(DatePrecision.day.rawValue)
            }
        ) { s, i, _ in
            s.published(ofArticle: i).map(Cell.date) ?? .null
        },
        FieldSpec(
            .publishedSource, .category, groupable: true,
            filterCodes: .enumeration({ $0.articles.publishedSource }, names: sourceNames, figure: false),
            keyCodes: .enumeration({ $0.articles.publishedSource }, names: sourceNames, figure: false),
            completions: { _, _ in sourceNames.filter { $0 != DateSource.text.name } }
        ) { s, i, _ in
            .text(sourceNames[Int(s.articles.publishedSource[i])])
        },
        FieldSpec(.week, .date, groupable: true, time: true, datePart: .week) { s, i, _ in dateKeyCell(.week, s, i) },
        FieldSpec(.quarter, .date, groupable: true, time: true, datePart: .quarter) { s, i, _ in
            dateKeyCell(.quarter, s, i)
        },
        // The query's relevance: known only in a query with search terms (Relevance.swift).
        FieldSpec(.hits, .number, relevance: { r, i in Double(r.hits(i)) }) { _, _, _ in .null },
        FieldSpec(.score, .number, relevance: { r, i in r.score(i) }) { _, _, _ in .null },
        // figures
        FieldSpec(.article, .number, number: { s, _, r in Double(s.figures.article[r]) }) { s, _, r in
            .int(Int(s.figures.article[r]))
        },
        FieldSpec(.raw, .text) { s, _, r in .text(s.figureRaw(r)) },
        FieldSpec(.value, .number, number: { s, _, r in s.figures.value[r] }) { s, _, r in .double(s.figures.value[r])
        },
        FieldSpec(.valueMax, .number, aliases: ["valuemax", "max_value"], number: { s, _, r in s.figures.valueMax[r] })
        { s, _, r in
            s.figures.valueMax[r].isNaN ? .null : .double(s.figures.valueMax[r])
        },
        FieldSpec(
            .unit, .category, aliases: ["units"], groupable: true,
            filterCodes: .dictionary({ $0.figures.unit }, figure: true),
            keyCodes: .dictionary({ $0.figures.unit }, figure: true),
            completions: { s, _ in s.figures.unit.dictionary.filter { !$0.isEmpty } + FigureReader.unitNames }
        ) { s, _, r in
            text(s.figures.unit[r])
        },
        FieldSpec(
            .approx, .category, groupable: true,
            filterCodes: .enumeration({ $0.figures.approx }, names: approxNames, figure: true),
            keyCodes: .enumeration({ $0.figures.approx }, names: approxNames, figure: true),
            completions: { _, _ in approxNames }
        ) { s, _, r in .text(approxNames[Int(s.figures.approx[r])]) },
        FieldSpec(.context, .text) { s, _, r in .text(s.figureContext(r)) },
        FieldSpec(.offset, .number, number: { s, _, r in Double(s.figureOffset(r)) }) { s, _, r in
            .int(s.figureOffset(r))
        },
    ]

    /// A date part's cell of an article: null when its date is not precise enough.
    static func dateKeyCell(_ part: DatePart, _ s: Store, _ i: Int) -> Cell {
        let p = s.articles.datePrecision[i]
        guard p != 0, let k = part.key(day: s.articles.dateFirst[i], precision: p) else { return .null }
        return part.cell(k)
    }

    static func figureCount(_ s: Store, _ i: Int) -> Int {
        Int(s.articles.figureStart[i + 1] - s.articles.figureStart[i])
    }

    /// Canonical county names, and aliases that are not merely the start of their canonical name.
    static func districtValues(_ g: Gazetteer) -> [String] {
        var values = g.counties.map(\.name)
        for c in g.counties {
            for a in c.aliases + c.queryOnlyAliases where !c.name.hasPrefix(a) { values.append(a) }
        }
        return values
    }

    /// The columns `show *` gives on article rows and on figure rows, in order.
    static let articleRowColumns: [Field] = [
        .id, .source, .title, .headline, .byline, .reporter, .correspondent, .speaker,
        .district, .districts, .place, .date, .datePrecision, .dateSource, .chars,
        .figures, .body, .published, .publishedSource,
    ]
    static let figureRowColumns: [Field] = [
        .article, .raw, .value, .valueMax, .unit, .approx, .context, .offset,
        .date, .district, .title, .source,
    ]
    /// The columns a query shows when it names none.
    static let defaultArticleColumns: [Field] = [.id, .date, .district, .title]
    static let defaultFigureColumns: [Field] = [.article, .date, .district, .raw, .value, .unit, .approx, .context]

    /// The export's stable schema (PRODUCT.md): each key and the field it is read from.
    /// Keys are only ever appended.
    public static let articleExport: [(key: String, field: Field)] = [
        ("id", .id), ("source", .source), ("title", .title), ("headline", .headline), ("byline", .byline),
        ("reporters", .reporter), ("district", .district), ("districts", .districts), ("places", .place),
        ("date", .date),
        ("date_precision", .datePrecision), ("date_source", .dateSource), ("body", .body), ("chars", .chars),
        ("figures", .figures), ("published", .published), ("published_source", .publishedSource),
    ]
    public static let figureExport: [(key: String, field: Field)] = [
        ("article", .article), ("raw", .raw), ("value", .value), ("value_max", .valueMax), ("unit", .unit),
        ("approx", .approx), ("context", .context), ("offset", .offset),
    ]

    /// The specs in `Field`'s declaration order, so that a field's spec is read by its
    /// ordinal (FieldCatalogTests checks that both orders agree).
    static let byField: [FieldSpec] = Field.allCases.map { f in specs.first { $0.field == f }! }
    static let byName: [String: Field] = {
        var d: [String: Field] = [:]
        for s in specs {
            d[s.field.rawValue] = s.field
            for a in s.aliases { d[a] = s.field }
        }
        return d
    }()
}

extension Field {
    /// Can a row lack a value of this field (so that `field:none` means something)?
    public var canBeUnknown: Bool {
        let s = spec
        if s.datePart != nil || self == .published { return true }
        switch s.filterCodes {
        case .list, .dictionary: return true
        case .enumeration(_, let names, _): return names.contains("none")
        case nil: return self == .byline || self == .valueMax
        }
    }

    /// Everything the catalog knows of this field: read per row by some paths, so by the
    /// case's ordinal rather than through a dictionary.
    public var spec: FieldSpec { FieldCatalog.byField[ordinal] }

    /// The case's position in `allCases`: a field-less enum is stored as its case number.
    @inline(__always) var ordinal: Int { Int(withUnsafeBytes(of: self) { $0[0] }) }
}
