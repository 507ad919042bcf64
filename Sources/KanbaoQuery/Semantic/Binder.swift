// Syntax tree → bound query. Resolves field names, district and place names (with their
// aliases), units and named filters; checks types; says "did you mean" when a name is
// close to a known one.
import KanbaoIngest
import KanbaoStore

public struct Binder {
    let store: Store
    let gazetteer: Gazetteer
    let namedFilters: [String: BoundFilter]

    public init(store: Store, gazetteer: Gazetteer = .zhengzhou, namedFilters: [String: BoundFilter] = [:]) {
        self.store = store
        self.gazetteer = gazetteer
        self.namedFilters = namedFilters
    }

    static let defaultArticleColumns = FieldCatalog.defaultArticleColumns.map(\.rawValue)
    static let defaultFigureColumns = FieldCatalog.defaultFigureColumns.map(\.rawValue)
    /// `near` without a distance: at most this many characters between the two terms.
    static let defaultNearGap = 10
    static let articleColumns = FieldCatalog.articleRowColumns.map(\.rawValue)
    static let figureColumns = FieldCatalog.figureRowColumns.map(\.rawValue)

    // MARK: queries

    public func bind(_ q: QuerySyntax) throws -> BoundQuery {
        guard q.source != .pages else {
            // Session runs page queries on their own path (PageQuery.swift).
            throw Diagnostic(
                "pages are not planned as articles and figures are", at: q.filter?.range ?? q.stages.first!.1)
        }
        var stages: [BoundStage] = []
        if let f = q.filter { stages.append(.filter(try bind(f, source: q.source))) }
        // Columns of the result once it is a table (after show, count, stats, top, kwic); nil
        // while it is still a selection of rows.
        var tableColumns: [String]?
        var grouped = false
        let rowColumns = q.source == .articles ? Binder.articleColumns : Binder.figureColumns
        for (stage, range) in q.stages {
            switch stage {
            case .whereFilter(let f):
                guard tableColumns == nil else {
                    throw Diagnostic(
                        "'where' must come before grouping, show and kwic stages", at: range,
                        hint: "filter the rows first, then group them")
                }
                stages.append(.filter(try bind(f, source: q.source)))
            case .sort(let keys):
                var bound: [SortKey] = []
                for k in keys {
                    if let cols = tableColumns {
                        guard
                            let name = cols.first(where: {
                                $0 == k.name || $0 == k.name + "()" || $0.lowercased() == k.name.lowercased()
                            })
                        else {
                            throw Diagnostic(
                                "no column '\(k.name)' to sort by", at: k.range,
                                hint: Suggest.nearest(k.name, in: cols).map { "did you mean '\($0)'?" }
                                    ?? "columns: \(cols.joined(separator: ", "))")
                        }
                        bound.append(SortKey(column: name, descending: k.descending))
                    } else {
                        let f = try field(k.name, k.range, source: q.source)
                        guard f.type != .list else {
                            throw Diagnostic("cannot sort by '\(k.name)': it holds a list", at: k.range)
                        }
                        bound.append(SortKey(column: f.rawValue, descending: k.descending))
                    }
                }
                stages.append(.sort(bound))
            case .limit(let n, _):
                stages.append(.limit(n))
            case .show(let names, let all):
                let available = tableColumns ?? rowColumns
                if all {
                    stages.append(.show(available))
                    tableColumns = available
                    continue
                }
                var cols: [String] = []
                for (n, r) in names {
                    if tableColumns != nil {
                        guard let c = available.first(where: { $0 == n || $0 == n + "()" }) else {
                            throw Diagnostic(
                                "no column '\(n)' in this result", at: r,
                                hint: Suggest.nearest(n, in: available).map { "did you mean '\($0)'?" }
                                    ?? "columns: \(available.joined(separator: ", "))")
                        }
                        cols.append(c)
                    } else {
                        let f = try field(n, r, source: q.source, allowArticleFieldsOnFigures: true)
                        cols.append(f.rawValue)
                    }
                }
                stages.append(.show(cols))
                tableColumns = cols
            case .count(let by):
                if by.isEmpty {
                    guard tableColumns == nil else {
                        if stages.contains(where: { if case .kwic = $0 { return true } else { return false } }) {
                            throw Diagnostic(
                                "'count' counts rows, and kwic is not a grouping stage: it has made a table of hits",
                                at: range, hint: "count the articles before kwic, as in 疫苗 | count")
                        }
                        throw Diagnostic("'count' counts rows; put it before grouping stages", at: range)
                    }
                    stages.append(.count)
                    tableColumns = ["count"]
                } else {
                    let keys = try groupKeys(by, source: q.source, tableColumns: tableColumns, range: range)
                    stages.append(
                        .aggregate(keys: keys, aggregates: [AggregateSpec(function: .count, field: nil)], topN: nil))
                    tableColumns = keys.map(\.rawValue) + ["count"]
                    grouped = true
                }
            case .top(let n, let name, let r):
                let keys = try groupKeys([(name, r)], source: q.source, tableColumns: tableColumns, range: range)
                stages.append(
                    .aggregate(keys: keys, aggregates: [AggregateSpec(function: .count, field: nil)], topN: n))
                tableColumns = keys.map(\.rawValue) + ["count"]
                grouped = true
            case .stats(let aggs, let by):
                let keys = try groupKeys(
                    by, source: q.source, tableColumns: tableColumns, range: range, allowEmpty: true)
                var specs: [AggregateSpec] = []
                for a in aggs {
                    guard let fn = AggregateFunction(rawValue: a.function.lowercased()) else {
                        throw Diagnostic(
                            "unknown aggregate '\(a.function)'", at: a.range,
                            hint: Suggest.nearest(a.function, in: AggregateFunction.allCases.map(\.rawValue)).map {
                                "did you mean '\($0)'?"
                            }
                                ?? "aggregates: count(), count(distinct x), sum(x), avg(x), min(x), max(x), share()")
                    }
                    if fn == .count && a.distinct {
                        guard let arg = a.argument else {
                            throw Diagnostic(
                                "count(distinct …) needs a field, as in count(distinct article)", at: a.range)
                        }
                        let f = try field(arg, a.range, source: q.source, allowArticleFieldsOnFigures: true)
                        specs.append(AggregateSpec(function: .count, field: f, distinct: true))
                        continue
                    }
                    if fn == .count || fn == .share {
                        if let arg = a.argument { _ = try field(arg, a.range, source: q.source) }
                        specs.append(AggregateSpec(function: fn, field: nil))
                        continue
                    }
                    guard let arg = a.argument else {
                        throw Diagnostic(
                            "\(fn.rawValue)() needs a numeric field, as in \(fn.rawValue)(value)", at: a.range)
                    }
                    let f = try field(arg, a.range, source: q.source)
                    guard f.type == .number else {
                        throw Diagnostic(
                            "\(fn.rawValue)(\(arg)): '\(arg)' is not a number", at: a.range,
                            hint: "numeric fields: "
                                + Field.allCases.filter { $0.type == .number }.map(\.rawValue).joined(separator: ", "))
                    }
                    specs.append(AggregateSpec(function: fn, field: f))
                }
                guard tableColumns == nil else {
                    throw Diagnostic("'stats' must come before other grouping stages", at: range)
                }
                stages.append(.aggregate(keys: keys, aggregates: specs, topN: nil))
                tableColumns = keys.map(\.rawValue) + specs.map(\.name)
                grouped = true
            case .kwic(let term, let width):
                guard tableColumns == nil else {
                    throw Diagnostic("'kwic' needs article rows; put it before grouping stages", at: range)
                }
                var terms: [SearchTerm] = []
                if let t = term {
                    terms = [.keyword(Folding.fold(t))]
                } else {
                    for case .filter(let f) in stages { terms += f.positiveTerms }
                }
                var seen = Set<SearchTerm>()
                terms = terms.filter { seen.insert($0).inserted }
                guard !terms.isEmpty else {
                    throw Diagnostic(
                        "kwic needs a keyword: search for one (营商环境 | kwic) or name it (| kwic 营商环境)", at: range)
                }
                let w = width ?? 20
                guard (1...500).contains(w) else { throw Diagnostic("kwic width must be between 1 and 500", at: range) }
                stages.append(.kwic(terms: terms, width: w))
                tableColumns = ["id", "title", "left", "keyword", "right"]
            case .terms(let n, let vs):
                let count = try articleStageCount("terms", n, default: 20, tableColumns, range)
                var reference: BoundFilter?
                if let vs {
                    reference = try bind(vs, source: .articles)
                    if reference!.usesFigureFields {
                        throw Diagnostic("the filter after 'vs' chooses articles: it cannot test figures", at: vs.range)
                    }
                }
                stages.append(.terms(count, reference: reference))
                tableColumns = ["term", "selected", "reference", "g2", "log_ratio"]
            case .colloc(let term, let n):
                let count = try articleStageCount("colloc", n, default: 10, tableColumns, range)
                stages.append(.colloc(Folding.fold(term), count: count))
                tableColumns = ["side", "neighbour", "count"]
            case .chart:
                guard grouped else {
                    throw Diagnostic(
                        "chart draws a grouped result: put 'count by', 'top' or 'stats … by' before it", at: range)
                }
                stages.append(.chart)
            }
        }
        return BoundQuery(source: q.source, stages: try withRelevance(stages, q))
    }

    /// `terms` and `colloc` read the rows' articles, so they come before any stage that
    /// makes a table; their count (or `default`) is 1 to 1000.
    func articleStageCount(_ stage: String, _ n: Int?, default d: Int, _ tableColumns: [String]?, _ range: SourceRange)
        throws -> Int
    {
        guard tableColumns == nil else {
            throw Diagnostic("'\(stage)' reads the rows' articles; put it before grouping stages", at: range)
        }
        let count = n ?? d
        guard (1...1000).contains(count) else { throw Diagnostic("\(stage) takes 1 to 1000", at: range) }
        return count
    }

    /// `hits` and `score` are relevance to the search terms of the filters before the
    /// first stage that reads them: a Relevance stage goes there.
    func withRelevance(_ stages: [BoundStage], _ q: QuerySyntax) throws -> [BoundStage] {
        func reads(_ f: BoundFilter) -> Bool {
            switch f {
            case .compare(let field, _, _), .known(let field): return field.spec.relevance != nil
            case .and(let xs), .or(let xs): return xs.contains(where: reads)
            case .not(let x): return reads(x)
            default: return false
            }
        }
        func reads(_ s: BoundStage) -> Bool {
            let isRelevance = { (name: String) in Field.named(name)?.spec.relevance != nil }
            switch s {
            case .filter(let f): return reads(f)
            case .sort(let keys): return keys.contains { isRelevance($0.column) }
            case .show(let cols): return cols.contains(where: isRelevance)
            case .aggregate(let keys, let aggs, _):
                return keys.contains { $0.spec.relevance != nil } || aggs.contains { $0.field?.spec.relevance != nil }
            default: return false
            }
        }
        guard let first = stages.firstIndex(where: reads) else { return stages }
        let range =
            q.filter?.range ?? q.stages.first?.1
            ?? SourceRange(
                start: .init(line: 1, column: 1, offset: 0, utf8Offset: 0),
                end: .init(line: 1, column: 1, offset: 0, utf8Offset: 0))
        if first == 0, q.filter != nil {
            throw Diagnostic(
                "hits and score are known once the articles are chosen", at: range,
                hint: "test them in a later stage, as in 疫情 | where hits >= 3")
        }
        var terms: [SearchTerm] = []
        for case .filter(let f) in stages[..<first] {
            for t in f.positiveTerms where !terms.contains(t) { terms.append(t) }
        }
        guard !terms.isEmpty else {
            throw Diagnostic(
                "hits and score measure the query's search terms, and this query has none", at: range,
                hint: "search for something first, as in 营商环境 | sort score desc | limit 10")
        }
        var out = stages
        out.insert(.relevance(terms), at: first)
        return out
    }

    func groupKeys(
        _ names: [(name: String, range: SourceRange)], source: SourceKind, tableColumns: [String]?, range: SourceRange,
        allowEmpty: Bool = false
    ) throws -> [Field] {
        guard tableColumns == nil else {
            throw Diagnostic("a result can be grouped once; this stage comes after another grouping", at: range)
        }
        if names.isEmpty && !allowEmpty { throw Diagnostic("expected a field to group by", at: range) }
        return try names.map { n, r in
            let f = try field(n, r, source: source, allowArticleFieldsOnFigures: true)
            guard f.isGroupable else {
                throw Diagnostic(
                    "cannot group by '\(n)'", at: r,
                    hint: "group by " + Field.allCases.filter(\.isGroupable).map(\.rawValue).joined(separator: ", "))
            }
            return f == .districts ? .district : f
        }
    }

    // MARK: fields

    func field(_ name: String, _ range: SourceRange, source: SourceKind, allowArticleFieldsOnFigures: Bool = true)
        throws -> Field
    {
        guard let f = Field.named(name) else {
            let hint = Suggest.nearest(name, in: Field.allNames).map { "did you mean '\($0)'?" }
            throw Diagnostic(
                "unknown field '\(name)'", at: range, hint: hint ?? "fields: \(Field.allNames.joined(separator: ", "))")
        }
        if f.isFigureField && source == .articles {
            throw Diagnostic(
                "'\(f.rawValue)' is a field of figures", at: range,
                hint: "start the query with 'figures', as in: figures unit:人 value > 1000")
        }
        return f
    }

    // MARK: filters

    public func bind(_ f: FilterSyntax, source: SourceKind) throws -> BoundFilter {
        switch f {
        case .term(let text, _, _):
            return .keyword(Folding.fold(text), .any)
        case .proximity(let a, let b, let gap, let ordered, _, _):
            return .search(
                .near(Folding.fold(a), Folding.fold(b), gap: gap ?? Binder.defaultNearGap, ordered: ordered), .any)
        case .pattern(let text, let range):
            do {
                _ = try Pattern(text)
            } catch let e as Pattern.SyntaxError {
                // Point at the character in the pattern (after the opening slash).
                var at = range
                at.start.column += 1 + e.offset
                at.start.offset += 1 + e.offset
                at.start.utf8Offset += 1 + text.unicodeScalars.prefix(e.offset).reduce(0) { $0 + UTF8.width($1) }
                at.end = at.start
                at.end.column += 1
                at.end.offset += 1
                throw Diagnostic("bad pattern: \(e.message)", at: at)
            }
            return .search(.pattern(text), .any)
        case .variable(let name, let range):
            guard let bound = namedFilters[name] else {
                let hint = Suggest.nearest(name, in: namedFilters.keys.sorted()).map { "did you mean $\($0)?" }
                throw Diagnostic(
                    "unknown name $\(name)", at: range, hint: hint ?? "define it first: let $\(name) = 疫苗 or 核酸")
            }
            if source == .articles && bound.usesFigureFields {
                throw Diagnostic(
                    "$\(name) tests fields of figures", at: range, hint: "use it in a query that starts with 'figures'")
            }
            return bound
        case .and(let xs): return .and(try xs.map { try bind($0, source: source) })
        case .or(let xs): return .or(try xs.map { try bind($0, source: source) })
        case .not(let x, _): return .not(try bind(x, source: source))
        case .figure(let inner, _):
            // The inner filter reads figures' fields (and their articles').
            return .hasFigure(Optimizer.fold(try bind(inner, source: .figures)))
        case .field(let name, let nameRange, let op, let value) where name.lowercased() == "exact":
            // exact:"…": the spelling as printed, without folding.
            guard op == .match, case .single(let t) = value.kind, t.isWordLike else {
                throw Diagnostic("exact takes one search term, as in exact:\"電影小鎮\"", at: nameRange)
            }
            if t.text.isEmpty { throw Diagnostic("empty search string", at: t.range) }
            return .search(.exact(t.text), .any)
        case .field(let name, let nameRange, let op, let value):
            let fld = try field(name, nameRange, source: source)
            return try bindField(fld, name: name, nameRange: nameRange, op: op, value: value)
        case .fieldIn(let name, let nameRange, let values):
            let fld = try field(name, nameRange, source: source)
            let parts = try values.map { try bindField(fld, name: name, nameRange: nameRange, op: .eq, value: $0) }
            // One code set for category fields, an OR otherwise.
            var codes = Set<Int32>()
            var labels: [String] = []
            var allCodes = true
            for p in parts {
                if case .codes(_, let c, let l) = p {
                    codes.formUnion(c)
                    labels.append(l)
                } else {
                    allCodes = false
                }
            }
            return allCodes
                ? .codes(fld == .districts ? .district : fld, codes, label: labels.joined(separator: ", ")) : .or(parts)
        }
    }

    func token(_ v: ValueSyntax) -> Token? {
        if case .single(let t) = v.kind { return t }
        return nil
    }

    func bindField(_ f: Field, name: String, nameRange: SourceRange, op: ComparisonOp, value: ValueSyntax) throws
        -> BoundFilter
    {
        func requireMatch() throws {
            guard op == .match || op == .eq || op == .ne else {
                throw Diagnostic(
                    "'\(name)' cannot be compared with '\(op.rawValue)'", at: nameRange,
                    hint: "use \(name):VALUE, \(name) != VALUE or \(name) in (A, B)")
            }
        }
        func single() throws -> Token {
            guard let t = token(value) else {
                throw Diagnostic("'\(name)' takes a single value, not a range", at: value.range)
            }
            return t
        }
        // A comparison never matches an unknown value: != is "known and not equal".
        func negate(_ b: BoundFilter) -> BoundFilter { op == .ne ? .and([.known(f), .not(b)]) : b }

        // date:none, district:none, reporter:none: the rows where the field is unknown.
        if case .single(let t) = value.kind, t.kind == .word, t.text.lowercased() == "none", f.canBeUnknown,
            op == .match || op == .eq || op == .ne
        {
            return op == .ne ? .known(f) : .not(.known(f))
        }

        switch f.type {
        case .date:
            return try bindDate(f, name: name, op: op, value: value)
        case .number:
            return try bindNumber(f, name: name, op: op, value: value)
        case .text:
            try requireMatch()
            let t = try single()
            switch f {
            case .title: return negate(.keyword(Folding.fold(t.text), .title))
            case .body: return negate(.keyword(Folding.fold(t.text), .body))
            default: return negate(.contains(f, t.text))
            }
        case .category, .list:
            try requireMatch()
            let t = try single()
            switch f {
            case .district, .districts:
                guard let canonical = gazetteer.county(named: t.text) else {
                    let hint = Suggest.nearest(t.text, in: gazetteer.allCountyAliases).map {
                        "did you mean '\(gazetteer.county(named: $0) ?? $0)'?"
                    }
                    throw Diagnostic(
                        "unknown district '\(t.text)'", at: t.range,
                        hint: hint ?? "districts: \(gazetteer.allCountyNames.joined(separator: ", "))")
                }
                return negate(.codes(.district, codeSet(store.articles.districts.values, canonical), label: canonical))
            case .place:
                let names = placeNames(t.text)
                guard !names.isEmpty else {
                    // Places the corpus mentions come first: they are the likelier meaning.
                    let all = Array(store.articles.places.values.dictionary) + gazetteer.townships.map(\.name)
                    throw Diagnostic(
                        "unknown place '\(t.text)'", at: t.range,
                        hint: Suggest.nearest(t.text, in: all).map { "did you mean '\($0)'?" }
                            ?? "places are townships, streets and 办事处 of Zhengzhou")
                }
                var codes = Set<Int32>()
                for n in names { codes.formUnion(codeSet(store.articles.places.values, n)) }
                return negate(.codes(.place, codes, label: names.joined(separator: "/")))
            case .unit:
                let unit = canonicalUnit(t.text)
                let known = Array(store.figures.unit.dictionary) + FigureReader.unitNames
                guard known.contains(unit) else {
                    throw Diagnostic(
                        "unknown unit '\(t.text)'", at: t.range,
                        hint: Suggest.nearest(unit, in: known).map { "did you mean '\($0)'?" }
                            ?? "units as written: 人, 元, 平方米, %, 个 …")
                }
                return negate(.codes(.unit, codeSet(store.figures.unit, unit), label: unit))
            case .approx, .datePrecision, .dateSource, .publishedSource:
                // An enumeration: its names, as the catalog lists the values a query may use.
                guard case .enumeration(_, let names, _) = f.spec.filterCodes else {
                    throw Diagnostic("'\(name)' cannot be used in a filter", at: nameRange)
                }
                let allowed = f.spec.completions?(store, gazetteer) ?? names
                let value = t.text.lowercased()
                guard allowed.contains(value), let code = names.firstIndex(of: value) else {
                    let hint = Suggest.nearest(value, in: allowed).map { "did you mean '\($0)'?" }
                    throw Diagnostic(
                        "unknown \(f.rawValue.replacingOccurrences(of: "_", with: " ")) '\(t.text)'", at: t.range,
                        hint: hint
                            ?? "\(f.rawValue) is \(allowed.dropLast().joined(separator: ", ")) or \(allowed.last!)")
                }
                return negate(.codes(f, [Int32(code)], label: value))
            case .source:
                // The file name, a path that ends with it, or the start of a name (source:001).
                var codes = codeSet(store.articles.source, t.text)
                if codes.isEmpty {
                    for (k, s) in store.articles.source.dictionary.enumerated()
                    where s.hasSuffix("/" + t.text) || (s.split(separator: "/").last ?? "").hasPrefix(t.text) {
                        codes.insert(Int32(k))
                    }
                }
                return negate(.codes(.source, codes, label: t.text))
            case .reporter:
                return negate(.codes(.reporter, codesOrPrefix(store.articles.reporters.values, t.text), label: t.text))
            case .correspondent:
                return negate(
                    .codes(.correspondent, codesOrPrefix(store.articles.correspondents.values, t.text), label: t.text))
            case .speaker:
                return negate(.codes(.speaker, codesOrPrefix(store.articles.speaker, t.text), label: t.text))
            case .headline: return negate(.keyword(Folding.fold(t.text), .title))
            default:
                throw Diagnostic("'\(name)' cannot be used in a filter", at: nameRange)
            }
        }
    }

    /// The name itself, else every name that starts with it (reporter:卢 is 卢文军 and
    /// every other 卢), as district: and place: take their short forms.
    func codesOrPrefix(_ column: DictionaryColumn, _ value: String) -> Set<Int32> {
        let exact = codeSet(column, value)
        if !exact.isEmpty { return exact }
        return Set(column.dictionary.enumerated().filter { $0.element.hasPrefix(value) }.map { Int32($0.offset) })
    }

    func codeSet(_ column: DictionaryColumn, _ value: String) -> Set<Int32> {
        column.existingCode(for: value).map { [$0] } ?? []
    }

    func canonicalUnit(_ u: String) -> String {
        switch u {
        case "％", "成": return "%"
        case "块钱", "块": return "元"
        default: return u
        }
    }

    /// 大孟镇, 龙湖办事处, 祭城路街道办事处, and the bare 大孟 or 祭城路.
    func placeNames(_ text: String) -> [String] {
        var names = Set(gazetteer.townships(named: text).map(\.name))
        if names.isEmpty {
            for suffix in ["镇", "乡", "街道", "办事处", "管委会"] {
                names.formUnion(gazetteer.townships(named: text + suffix).map(\.name))
            }
        }
        return names.sorted()
    }

    // MARK: dates and numbers

    /// A date value: 2022, 2022-04, 2022-04-09, 2022年4月 → its interval of days.
    func dateInterval(_ t: Token, field: String) throws -> ClosedRange<Int32> {
        if let d = t.date { return d.dayRange }
        if t.kind == .number, let v = t.number, v == v.rounded(), (1000...9999).contains(v) {
            return PartialDate(year: Int(v)).dayRange
        }
        throw Diagnostic(
            "'\(field)' expects a date such as 2022, 2022-04, 2022-04-09 or 2022年4月, found \(t.describe)", at: t.range)
    }

    func bindDate(_ f: Field, name: String, op: ComparisonOp, value: ValueSyntax) throws -> BoundFilter {
        // year and month filter the article's date; published its page's.
        let field: Field = f == .published ? .published : .date
        let minDay = Int32.min + 1
        let maxDay = Int32.max - 1
        switch value.kind {
        case .range(let lo, let hi):
            guard op == .match else {
                throw Diagnostic("a range goes after ':', as in \(name):2020..2021", at: value.range)
            }
            let a = try lo.map { try dateInterval($0, field: name).lowerBound } ?? minDay
            let b = try hi.map { try dateInterval($0, field: name).upperBound } ?? maxDay
            if let lo, let hi, a > b {
                throw Diagnostic(
                    "the range runs backwards: \(lo.text) comes after \(hi.text)", at: value.range,
                    hint: "write the earlier end first, as in \(name):\(hi.text)..\(lo.text)")
            }
            return .dateWithin(field, lo: a, hi: b, label: "\(lo?.text ?? "")..\(hi?.text ?? "")")
        case .single(let t):
            let r = try dateInterval(t, field: name)
            switch op {
            case .match, .eq: return .dateWithin(field, lo: r.lowerBound, hi: r.upperBound, label: t.text)
            case .ne:
                // Known and outside: an unknown date is not "!= 2022".
                return .or([
                    .dateWithin(field, lo: minDay, hi: r.lowerBound - 1, label: "< \(t.text)"),
                    .dateWithin(field, lo: r.upperBound + 1, hi: maxDay, label: "> \(t.text)"),
                ])
            case .lt: return .dateWithin(field, lo: minDay, hi: r.lowerBound - 1, label: "< \(t.text)")
            case .le: return .dateWithin(field, lo: minDay, hi: r.upperBound, label: "<= \(t.text)")
            case .gt: return .dateWithin(field, lo: r.upperBound + 1, hi: maxDay, label: "> \(t.text)")
            case .ge: return .dateWithin(field, lo: r.lowerBound, hi: maxDay, label: ">= \(t.text)")
            }
        }
    }

    func number(_ t: Token, field: String) throws -> Double {
        if let v = t.number { return v }
        if t.kind == .word || t.kind == .string, let v = Literals.number(t.text) { return v }
        throw Diagnostic("'\(field)' expects a number such as 1000 or 1.5万, found \(t.describe)", at: t.range)
    }

    func bindNumber(_ f: Field, name: String, op: ComparisonOp, value: ValueSyntax) throws -> BoundFilter {
        switch value.kind {
        case .range(let lo, let hi):
            guard op == .match else {
                throw Diagnostic("a range goes after ':', as in \(name):100..500", at: value.range)
            }
            if let lo, let hi, try number(lo, field: name) > number(hi, field: name) {
                throw Diagnostic(
                    "the range runs backwards: \(lo.text) is more than \(hi.text)", at: value.range,
                    hint: "write the smaller end first, as in \(name):\(hi.text)..\(lo.text)")
            }
            var parts: [BoundFilter] = []
            if let lo { parts.append(.compare(f, .ge, try number(lo, field: name))) }
            if let hi { parts.append(.compare(f, .le, try number(hi, field: name))) }
            return parts.count == 1 ? parts[0] : .and(parts)
        case .single(let t):
            let v = try number(t, field: name)
            return .compare(f, op == .match ? .eq : op, v)
        }
    }
}
