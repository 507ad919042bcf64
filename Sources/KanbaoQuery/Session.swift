// A session runs statements: it parses a script, binds each statement against the store
// and the names defined so far (`let`), plans, executes and hands the results to its
// caller. Errors are diagnostics with line, column and caret; they never end the session.
import Foundation
import KanbaoIngest
import KanbaoOutput
import KanbaoStore

public enum StatementResult {
    case table(ResultTable)
    case text(String)
    /// A document with a plain-text and a JSON rendering (`why`): JSON for the json and
    /// jsonl formats, the text otherwise.
    case document(text: String, json: String)
    /// A dot-command the session does not handle itself (.output, .read, .load …).
    case command(name: String, argument: String, range: SourceRange)
    case failure(Failure)
}

/// A statement that failed: its diagnostics, and the text and name they point into.
public struct Failure: Sendable {
    public var diagnostics: [Diagnostic]
    public var source: String
    public var name: String

    public init(diagnostics: [Diagnostic], source: String, name: String) {
        self.diagnostics = diagnostics
        self.source = source
        self.name = name
    }

    /// As printed: each diagnostic rendered in source order by `Diagnostic.render`, the
    /// one place diagnostics become text.
    public var rendered: String {
        diagnostics.sorted { $0.range.start.offset < $1.range.start.offset }
            .map { $0.render(source: source, name: name) }.joined()
    }
}

public final class Session {
    public private(set) var store: Store
    public var gazetteer: Gazetteer = .zhengzhou
    public private(set) var namedFilters: [String: BoundFilter] = [:]
    /// Source text of each `let`, for `.schema` and completion.
    public private(set) var namedFilterText: [String: String] = [:]
    public var limits = ParseLimits()
    public let cancel = CancellationFlag()
    static let maxNamedFilterDepth = 256

    public init(store: Store) { self.store = store }

    public func replace(store: Store) { self.store = store }

    /// Runs every statement of `text`; `name` labels diagnostics (`study.kbq`, `-c`).
    /// Returns false when a statement failed. With `bail`, stops at the first failure.
    @discardableResult
    public func run(
        _ text: String, name: String, bail: Bool = false,
        lineOffset: Int = 0, emit: (StatementResult, _ seconds: Double) -> Void
    ) -> Bool {
        var ok = true
        for outcome in Parser.parse(text, limits: limits) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9 }
            func fail(_ diagnostics: [Diagnostic]) {
                emit(.failure(Failure(diagnostics: diagnostics, source: text, name: name)), elapsed())
                ok = false
            }
            switch outcome {
            case .failed(let diags, _):
                fail(diags)
            case .parsed(let ps):
                do {
                    emit(try execute(ps, source: text), elapsed())
                } catch let d as Diagnostic {
                    fail([d])
                } catch is QueryCancelled {
                    fail([Diagnostic("cancelled", at: ps.range, id: .runtime)])
                } catch {
                    fail([Diagnostic("\(error)", at: ps.range, id: .runtime)])
                }
            }
            if !ok && bail { return false }
        }
        return ok
    }

    // MARK: one statement

    public func execute(_ ps: ParsedStatement, source text: String) throws -> StatementResult {
        switch ps.statement {
        case .query(let q):
            var table = try run(q)
            let nothing = table.rows.isEmpty || (table.columns == ["count"] && table.rows == [[.int(0)]])
            if nothing, let hint = nameHint(q) { table.note = hint }
            return .table(table)
        case .explain(let q, let analyze):
            return .text(try explain(q, analyze: analyze))
        case .why(let id, let range):
            guard id < store.articles.count else {
                throw Diagnostic(
                    "no article \(id)", at: range,
                    hint: store.articles.count == 0
                        ? "the corpus is empty" : "ids run from 0 to \(store.articles.count - 1)")
            }
            let report = WhyReport(store: store, article: id)
            return .document(text: report.text, json: report.json)
        case .letFilter(let name, let filter):
            let binder = Binder(store: store, gazetteer: gazetteer, namedFilters: namedFilters)
            let bound = Optimizer.fold(try binder.bind(filter, source: .figures))
            // Each stored filter is at most this deep, so filters built from filters
            // (let $x = ($x or a) b, line after line) can never exhaust the stack.
            guard bound.depth <= Session.maxNamedFilterDepth else {
                throw Diagnostic(
                    "$\(name) would nest filters \(bound.depth) levels deep (the limit is \(Session.maxNamedFilterDepth))",
                    at: filter.range)
            }
            namedFilters[name] = bound
            let scalars = Array(text.unicodeScalars)
            let r = filter.range
            namedFilterText[name] = String(
                String.UnicodeScalarView(scalars[r.start.offset..<min(r.end.offset, scalars.count)]))
            return .text("")
        case .dotCommand(let name, let argument, let range):
            return try dotCommand(name, argument, range)
        }
    }

    /// A search for one word that found nothing, where the word is a name the corpus
    /// knows as something else: say so (卢文军 is a reporter: try reporter:卢文军).
    func nameHint(_ q: QuerySyntax) -> String? {
        guard case .term(let word, _, _) = q.filter else { return nil }
        let kinds: [(String, DictionaryColumn)] = [
            ("reporter", store.articles.reporters.values), ("correspondent", store.articles.correspondents.values),
            ("speaker", store.articles.speaker), ("place", store.articles.places.values),
        ]
        for (field, column) in kinds where column.existingCode(for: word) != nil {
            return "— \(word) is a \(field) here: try \(field):\(word)"
        }
        if !gazetteer.townships(named: word).isEmpty { return "— \(word) is a place: try place:\(word)" }
        return nil
    }

    /// A `pages` query, bound with the article binder's names and values.
    func pageQuery(_ q: QuerySyntax) throws -> PageQuery {
        try PageQuery(q, binder: Binder(store: store, gazetteer: gazetteer, namedFilters: namedFilters))
    }

    public func plan(_ q: QuerySyntax) throws -> (logical: LogicalPlan, optimized: LogicalPlan, physical: PhysicalPlan)
    {
        let bound = try Binder(store: store, gazetteer: gazetteer, namedFilters: namedFilters).bind(q)
        let logical = LogicalPlan(bound)
        let optimized = Optimizer.optimize(logical)
        return (logical, optimized, try Optimizer.physical(optimized, store: store))
    }

    public func run(_ q: QuerySyntax) throws -> ResultTable {
        if q.source == .pages {
            cancel.reset()
            return try pageQuery(q).run(store, cancel: cancel)
        }
        let p = try plan(q)
        cancel.reset()
        var exec = Executor(store: store, cancel: cancel)
        return try exec.run(p.physical)
    }

    public func explain(_ q: QuerySyntax, analyze: Bool) throws -> String {
        if q.source == .pages {
            let pages = try pageQuery(q)
            guard analyze else { return pages.explain }
            cancel.reset()
            let t0 = DispatchTime.now().uptimeNanoseconds
            let result = try pages.run(store, cancel: cancel)
            let ms = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
            let n = result.rows.count
            return pages.explain + "Total: \(n) row\(n == 1 ? "" : "s") in \(String(format: "%.3f", ms)) ms\n"
        }
        let p = try plan(q)
        var out = "Logical plan\n" + indent(p.logical.tree)
        out += "Optimized plan\n" + indent(p.optimized.tree)
        if analyze {
            cancel.reset()
            var exec = Executor(store: store, cancel: cancel)
            let t0 = DispatchTime.now().uptimeNanoseconds
            let result = try exec.run(p.physical)
            let total = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
            out += "Physical plan (analyzed: rows out, time including children)\n"
            for s in exec.stats {
                out +=
                    String(repeating: "  ", count: s.depth + 1) + s.label
                    + "  [rows: \(s.rows), \(String(format: "%.3f", s.seconds * 1000)) ms]\n"
            }
            out +=
                "Total: \(result.rows.count) row\(result.rows.count == 1 ? "" : "s") in \(String(format: "%.3f", total)) ms\n"
        } else {
            out += "Physical plan\n"
            func walk(_ p: PhysicalPlan, _ d: Int) {
                out += String(repeating: "  ", count: d + 1) + p.label + "\n"
                for c in p.children { walk(c, d + 1) }
            }
            walk(p.physical, 0)
        }
        return out
    }

    func indent(_ s: String) -> String {
        s.split(separator: "\n").map { "  " + $0 + "\n" }.joined()
    }

    // MARK: dot-commands the session answers itself

    static let dotCommands = [
        "help", "schema", "districts", "mode", "timer", "output", "read", "load", "save",
        "stats", "history", "quit", "exit", "q", "why", "headers", "tables", "once",
    ]

    func dotCommand(_ name: String, _ argument: String, _ range: SourceRange) throws -> StatementResult {
        switch name {
        case "schema": return .text(Session.schemaText(namedFilterText))
        case "why":
            let arg = argument.trimmingCharacters(in: .whitespaces)
            guard let id = Int(arg), id >= 0 else {
                throw Diagnostic("'.why' takes an article id, found '\(arg)'", at: range, hint: "as in .why 12")
            }
            return try execute(ParsedStatement(statement: .why(id: id, range: range), range: range), source: "")
        case "districts": return .text(districtsText())
        case _ where Session.dotCommands.contains(name):
            return .command(name: name, argument: argument, range: range)
        default:
            throw Diagnostic(
                "unknown command '.\(name)'", at: range,
                hint: Suggest.nearest(name, in: Session.dotCommands).map { "did you mean '.\($0)'?" } ?? "see .help")
        }
    }

    static func schemaText(_ named: [String: String]) -> String {
        let width = Field.allCases.map(\.rawValue.count).max()! + 2
        var out = "articles (one row per article)\n"
        for f in Field.allCases where !f.isFigureField {
            out += "  " + f.rawValue.padding(toLength: width, withPad: " ", startingAt: 0) + f.type.rawValue
            out += f.spec.relevance != nil ? "  (relevance to the query's search terms)\n" : "\n"
        }
        out += "figures (one row per figure, with its article's fields)\n"
        for f in Field.allCases where f.isFigureField {
            out += "  " + f.rawValue.padding(toLength: width, withPad: " ", startingAt: 0) + f.type.rawValue + "\n"
        }
        out += "pages (one row per page file; `pages` queries)\n"
        for (name, type) in zip(PageQuery.columns, ["category", "date", "list", "list", "number"]) {
            out += "  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + type + "\n"
        }
        if !named.isEmpty {
            out += "named filters\n"
            for (k, v) in named.sorted(by: { $0.key < $1.key }) { out += "  $\(k) = \(v)\n" }
        }
        return out
    }

    /// The gazetteer as a tree, with how many articles name each unit.
    func districtsText() -> String {
        var countyCount: [String: Int] = [:]
        var placeCount: [String: Int] = [:]
        for i in 0..<store.articles.count {
            for d in store.articles.districts[i] { countyCount[d, default: 0] += 1 }
            for p in store.articles.places[i] { placeCount[p, default: 0] += 1 }
        }
        var out = ""
        for c in gazetteer.counties {
            let aliases = c.aliases + c.queryOnlyAliases
            out +=
                "\(c.name) (\(countyCount[c.name] ?? 0))"
                + (aliases.isEmpty ? "" : "  aka \(aliases.joined(separator: ", "))") + "\n"
            for t in gazetteer.townships where t.parent == c.name {
                if let n = placeCount[t.name] { out += "  \(t.name) (\(n))\n" }
            }
            let silent = gazetteer.townships.filter { $0.parent == c.name && placeCount[$0.name] == nil }.count
            if silent > 0 { out += "  … \(silent) more with no articles\n" }
        }
        return out
    }
}
