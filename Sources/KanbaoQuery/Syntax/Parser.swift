// Tokens → syntax tree. Recursive descent, one function per grammar rule
// (grammar/kanbao.ebnf), with precedence not > and (juxtaposition) > or.
//
// Errors do not stop the parse: a bad stage is skipped to the next `|`, a bad statement
// to the next line, so one run reports every mistake it can. Nesting is bounded, so no
// input can overflow the stack.

public struct ParseLimits: Sendable {
    public var maxDepth = 128
    public var maxTerms = 10_000
    public var maxStatementCharacters = 100_000
    public init() {}
}

public struct Parser {
    static let stageNames = [
        "where", "sort", "limit", "show", "count", "stats", "top", "kwic", "chart", "terms", "colloc",
    ]

    /// The grammar rules this parser implements; grammar/kanbao.ebnf defines exactly these
    /// (GrammarTests checks both directions, and that each has its `name :=` comment here).
    public static let productions = [
        "script", "statement_end", "statement", "explain_statement", "why_statement", "let_statement", "dot_command",
        "query", "source",
        "filter", "and_expr", "unary", "primary", "term", "field_predicate", "comparison", "value_or_range", "value",
        "stage", "where_stage", "sort_stage", "sort_key", "limit_stage", "show_stage", "count_stage", "stats_stage",
        "aggregate", "top_stage", "kwic_stage", "chart_stage", "terms_stage", "colloc_stage", "field_list",
        "proximity", "proximity_op", "pattern",
    ]
    static let reserved: Set<String> = ["and", "or", "not", "in", "near", "before"]

    let tokens: [Token]
    var p = 0
    var depth = 0
    var terms = 0
    let limits: ParseLimits
    public private(set) var diagnostics: [Diagnostic] = []

    public init(tokens: [Token], limits: ParseLimits = ParseLimits()) {
        self.tokens = tokens
        self.limits = limits
        skipErrorTokens()
    }

    /// Parses a whole script: every statement, parsed or failed with its diagnostics
    /// (lexical ones included) in source order.
    public static func parse(_ text: String, limits: ParseLimits = ParseLimits()) -> [ParseOutcome] {
        var parser = Parser(tokens: Lexer.tokenize(text), limits: limits)
        return parser.script()
    }

    /// Lexical errors met on the way, waiting to be reported with their statement.
    var lexical: [Diagnostic] = []

    /// Steps over error tokens, keeping each as a diagnostic: the grammar never sees them.
    mutating func skipErrorTokens() {
        while tokens[p].kind == .error {
            lexical.append(Diagnostic(tokens[p].text, at: tokens[p].range, id: .lexical))
            if p < tokens.count - 1 { p += 1 } else { break }
        }
    }

    // MARK: token helpers

    var current: Token { tokens[p] }
    func peek(_ k: Int = 1) -> Token { tokens[min(p + k, tokens.count - 1)] }
    mutating func advance() -> Token {
        let t = tokens[p]
        if p < tokens.count - 1 { p += 1 }
        skipErrorTokens()
        return t
    }
    var atStatementEnd: Bool { [.newline, .semicolon, .eof].contains(current.kind) }
    func isKeyword(_ w: String, _ t: Token? = nil) -> Bool { (t ?? current).keyword == w }

    func error(_ message: String, _ t: Token? = nil, hint: String? = nil) -> Diagnostic {
        let tok = t ?? current
        return Diagnostic(message, at: tok.range, hint: hint, id: .syntax)
    }

    func expected(_ what: String) -> Diagnostic {
        error("expected \(what), found \(current.describe)")
    }

    // script := { statement_end } [ statement { statement_end statement } ]
    // statement_end := NEWLINE | ';'

    mutating func script() -> [ParseOutcome] {
        var out: [ParseOutcome] = []
        /// Lexical errors that stand between statements fail on their own.
        func flushLexical() {
            guard let first = lexical.first, let last = lexical.last else { return }
            out.append(.failed(lexical, SourceRange(start: first.range.start, end: last.range.end)))
            lexical = []
        }
        while current.kind != .eof {
            if current.kind == .newline || current.kind == .semicolon {
                flushLexical()
                _ = advance()
                continue
            }
            let start = current.range.start
            diagnostics = []
            depth = 0
            terms = 0
            var parsed: StatementSyntax?
            do {
                parsed = try statement()
                if !atStatementEnd { throw expected("'|' or the end of the statement") }
            } catch let d as Diagnostic {
                diagnostics.append(d)
            } catch {}
            let end = current.range.start
            if end.offset - start.offset > limits.maxStatementCharacters {
                diagnostics = [
                    Diagnostic(
                        "statement too long: \(end.offset - start.offset) characters (the limit is \(limits.maxStatementCharacters))",
                        at: SourceRange(start: start, end: start))
                ]
            }
            while !atStatementEnd { _ = advance() } // recover: skip to the next statement
            // The statement's lexical errors with its syntax errors, in source order.
            diagnostics = (lexical + diagnostics).sorted { $0.range.start.offset < $1.range.start.offset }
            lexical = []
            let range = SourceRange(start: start, end: end)
            if diagnostics.isEmpty, let s = parsed {
                out.append(.parsed(ParsedStatement(statement: s, range: range)))
            } else {
                out.append(.failed(diagnostics, range))
            }
        }
        flushLexical()
        return out
    }

    // statement := explain_statement | why_statement | let_statement | dot_command | query
    // explain_statement := 'explain' ['analyze'] query
    // why_statement := 'why' NUMBER
    // let_statement := 'let' VARIABLE '=' filter
    // dot_command := '.' WORD rest-of-line
    mutating func statement() throws -> StatementSyntax {
        if current.kind == .dotCommand {
            let t = advance()
            return .dotCommand(name: t.text, argument: t.argument ?? "", range: t.range)
        }
        if isKeyword("explain") {
            _ = advance()
            var analyze = false
            if isKeyword("analyze") {
                _ = advance()
                analyze = true
            }
            guard !atStatementEnd else { throw expected("a query after '\(analyze ? "explain analyze" : "explain")'") }
            return .explain(try query(), analyze: analyze)
        }
        if isKeyword("why") {
            _ = advance()
            guard current.kind == .number, let v = current.number, v == v.rounded(), v >= 0, v < 1e15 else {
                throw expected("an article id such as 12 after 'why' (to search for the word, quote it: \"why\")")
            }
            let t = advance()
            return .why(id: Int(v), range: t.range)
        }
        if isKeyword("let") {
            _ = advance()
            guard current.kind == .variable else { throw expected("a name such as $防疫 after 'let'") }
            let name = advance().text
            guard current.kind == .eq else { throw expected("'=' after let $\(name)") }
            _ = advance()
            guard startsTerm(current) else { throw expected("a filter after 'let $\(name) ='") }
            let f = try filter()
            if current.kind == .pipe {
                throw error(
                    "a named filter holds a filter, not stages", current,
                    hint: "let $\(name) = … names the filter; use it as $\(name) | count")
            }
            return .letFilter(name: name, filter: f)
        }
        return .query(try query())
    }

    // query := [source] ( stage | [filter] ) { '|' stage }
    // source := 'articles' | 'figures' | 'pages'
    mutating func query() throws -> QuerySyntax {
        var source = SourceKind.articles
        // `figures >= 3` is the article field; `figures unit:人` the table of figures.
        if current.kind == .word, let s = SourceKind(rawValue: current.keyword), !startsComparison(peek()) {
            _ = advance()
            source = s
        }
        var filter: FilterSyntax?
        var stages: [(StageSyntax, SourceRange)] = []
        if current.kind == .word && Parser.stageNames.contains(current.keyword) && !startsComparison(peek()) {
            // `count by district` typed without the leading '|': the stage over all rows
            // (to search for the word, quote it).
            nextStage(into: &stages)
        } else if startsTerm(current) {
            filter = try self.filter()
        } else if !atStatementEnd && current.kind != .pipe {
            throw error("expected a filter or '|', found \(current.describe)")
        }
        while current.kind == .pipe {
            _ = advance()
            nextStage(into: &stages)
        }
        if filter == nil && stages.isEmpty && !atStatementEnd {
            throw expected("a filter or a '|' stage")
        }
        return QuerySyntax(source: source, filter: filter, stages: stages)
    }

    /// One stage, recovering at the next `|` after a mistake so later ones are reported too.
    mutating func nextStage(into stages: inout [(StageSyntax, SourceRange)]) {
        let start = current.range.start
        do {
            let s = try stage()
            stages.append((s, SourceRange(start: start, end: tokens[max(p - 1, 0)].range.end)))
            if !atStatementEnd && current.kind != .pipe { throw expected("'|' or the end of the statement") }
        } catch let d as Diagnostic {
            diagnostics.append(d)
            while !atStatementEnd && current.kind != .pipe { _ = advance() }
        } catch {
            diagnostics.append(Diagnostic("\(error)", at: current.range, id: .syntax))
        }
    }

    // MARK: filters

    /// A comparison or `:` after a word makes it a field name (figures >= 3, chars:100).
    func startsComparison(_ t: Token) -> Bool {
        [.colon, .eq, .ne, .lt, .le, .gt, .ge].contains(t.kind) || t.keyword == "in"
    }

    func startsTerm(_ t: Token) -> Bool {
        switch t.kind {
        case .word: return !["and", "or"].contains(t.keyword)
        case .string, .number, .date, .lparen, .minus, .variable, .pattern: return true
        default: return false
        }
    }

    // filter := and_expr { 'or' and_expr }
    mutating func filter() throws -> FilterSyntax {
        var parts = [try andExpr()]
        while isKeyword("or") {
            _ = advance()
            guard startsTerm(current) else { throw expected("a term after 'or'") }
            parts.append(try andExpr())
        }
        return parts.count == 1 ? parts[0] : .or(parts)
    }

    // and_expr := unary { ['and'] unary }
    mutating func andExpr() throws -> FilterSyntax {
        var parts = [try unary()]
        while true {
            if isKeyword("and") {
                _ = advance()
                guard startsTerm(current) else { throw expected("a term after 'and'") }
                parts.append(try unary())
            } else if startsTerm(current) {
                parts.append(try unary())
            } else {
                break
            }
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    mutating func enter(_ t: Token) throws {
        depth += 1
        if depth > limits.maxDepth {
            throw error("filter nested too deeply (more than \(limits.maxDepth) levels of parentheses or 'not')", t)
        }
    }

    // unary := ('not' | '-') unary | proximity
    mutating func unary() throws -> FilterSyntax {
        if isKeyword("not") || current.kind == .minus {
            let t = advance()
            try enter(t)
            defer { depth -= 1 }
            guard startsTerm(current) else { throw expected("a term after '\(t.text)'") }
            return .not(try unary(), range: t.range)
        }
        var left = try primary()
        // proximity := primary { proximity_op term }   (tighter than and/or; both sides terms)
        // proximity_op := 'near' | 'before' | 'near/' N | 'before/' N
        while let (ordered, gap, op) = try proximityOperator() {
            guard case .term(let a, _, _) = left else {
                throw error("'\(op.text)' joins two search terms (words or quoted strings)", op)
            }
            guard current.kind == .word || current.kind == .string || current.kind == .number,
                !Parser.reserved.contains(current.keyword), !(current.kind == .word && isFieldStart())
            else {
                throw expected("a search term after '\(op.text)'")
            }
            let b = advance()
            if b.text.isEmpty { throw error("empty search string", b) }
            left = .proximity(
                left: a, right: b.text, gap: gap, ordered: ordered, operatorRange: op.range,
                range: SourceRange(start: left.range.start, end: b.range.end))
        }
        return left
    }

    /// `near`, `near/5`, `before/20` here: (in order?, the gap if given, the token).
    mutating func proximityOperator() throws -> (Bool, Int?, Token)? {
        guard current.kind == .word else { return nil }
        let word = current.keyword
        let parts = word.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts[0] == "near" || parts[0] == "before" else { return nil }
        let t = advance()
        var gap: Int?
        if parts.count == 2 {
            guard let n = Int(parts[1]), n >= 0 else {
                throw error("'\(t.text)': the distance after '/' must be a whole number, as in \(parts[0])/5", t)
            }
            guard n <= 1000 else { throw error("'\(t.text)': the distance must be at most 1000 characters", t) }
            gap = n
        }
        return (parts[0] == "before", gap, t)
    }

    // primary := '(' filter ')' | 'figure' '(' filter ')' | field_predicate | VARIABLE | pattern | term
    // pattern := '/' regular expression '/'
    // term := WORD | STRING | NUMBER | DATE
    mutating func primary() throws -> FilterSyntax {
        let t = current
        terms += 1
        if terms > limits.maxTerms {
            throw error("too many terms in one statement (the limit is \(limits.maxTerms))")
        }
        switch t.kind {
        case .lparen:
            _ = advance()
            try enter(t)
            defer { depth -= 1 }
            if current.kind == .rparen { throw error("empty parentheses: expected a filter inside") }
            let inner = try filter()
            guard current.kind == .rparen else {
                throw Diagnostic("expected ')' to close the '(' here, found \(current.describe)", at: t.range)
            }
            _ = advance()
            return inner
        case .variable:
            _ = advance()
            return .variable(name: t.text, range: t.range)
        case .word where t.keyword == "figure" && peek().kind == .lparen:
            // figure(unit:元 value > 1万): articles with at least one such figure.
            _ = advance()
            let open = advance()
            try enter(open)
            defer { depth -= 1 }
            if current.kind == .rparen { throw error("figure( ) needs a filter on figures, as in figure(unit:元)") }
            let inner = try filter()
            guard current.kind == .rparen else {
                throw Diagnostic("expected ')' to close figure( here, found \(current.describe)", at: open.range)
            }
            let close = advance()
            return .figure(inner, range: SourceRange(start: t.range.start, end: close.range.end))
        case .word where isFieldStart():
            return try fieldPredicate()
        case .word:
            if Parser.reserved.contains(t.keyword) || t.keyword.hasPrefix("near/") || t.keyword.hasPrefix("before/") {
                throw error("'\(t.text)' is a reserved word here; quote it (\"\(t.text)\") to search for it")
            }
            _ = advance()
            return .term(text: t.text, quoted: false, range: t.range)
        case .pattern:
            _ = advance()
            return .pattern(t.text, range: t.range)
        case .string, .number, .date:
            _ = advance()
            if t.kind == .string && t.text.isEmpty { throw error("empty search string") }
            return .term(text: t.text, quoted: t.kind == .string, range: t.range)
        default:
            throw expected("a search term, field or '('")
        }
    }

    func isFieldStart() -> Bool {
        let n = peek()
        switch n.kind {
        case .colon, .eq, .ne, .lt, .le, .gt, .ge: return true
        case .word: return n.keyword == "in" && peek(2).kind == .lparen
        default: return false
        }
    }

    // field_predicate := WORD ':' value_or_range | WORD comparison value | WORD 'in' '(' value {',' value} ')'
    // comparison := '=' | '!=' | '<' | '<=' | '>' | '>='
    mutating func fieldPredicate() throws -> FilterSyntax {
        let name = advance()
        let opToken = advance()
        let op: ComparisonOp
        switch opToken.kind {
        case .colon: op = .match
        case .eq: op = .eq
        case .ne: op = .ne
        case .lt: op = .lt
        case .le: op = .le
        case .gt: op = .gt
        case .ge: op = .ge
        default:
            // 'in' '('
            _ = advance()
            var values: [ValueSyntax] = []
            repeat {
                if current.kind == .comma { _ = advance() }
                guard current.isWordLike else { throw expected("a value in the list after '\(name.text) in ('") }
                let v = advance()
                values.append(ValueSyntax(kind: .single(v), range: v.range))
            } while current.kind == .comma
            guard current.kind == .rparen else { throw expected("',' or ')' to close the list") }
            _ = advance()
            return .fieldIn(name: name.text, nameRange: name.range, values: values)
        }
        return .field(
            name: name.text, nameRange: name.range, op: op, value: try value(after: opToken, allowRange: op == .match))
    }

    // value_or_range := value ['..' [value]] | '..' value
    // value := WORD | STRING | NUMBER | DATE
    mutating func value(after opToken: Token, allowRange: Bool) throws -> ValueSyntax {
        if allowRange && current.kind == .dotdot {
            let dots = advance()
            let hi = adjacentBound(to: dots)
            guard hi != nil else { throw error("a range needs at least one end, as in 2021.. or ..2019-12", dots) }
            return ValueSyntax(
                kind: .range(lo: nil, hi: hi), range: SourceRange(start: dots.range.start, end: hi!.range.end))
        }
        guard current.isWordLike else {
            throw expected("a value after '\(opToken.text)'")
        }
        let v = advance()
        if allowRange && current.kind == .dotdot && current.range.start == v.range.end {
            let dots = advance()
            let hi = adjacentBound(to: dots)
            return ValueSyntax(
                kind: .range(lo: v, hi: hi), range: SourceRange(start: v.range.start, end: (hi ?? dots).range.end))
        }
        return ValueSyntax(kind: .single(v), range: v.range)
    }

    /// The upper end of a range must touch the `..` (date:2021.. 营商环境 is an open range
    /// followed by a keyword).
    mutating func adjacentBound(to dots: Token) -> Token? {
        if (current.kind == .number || current.kind == .date) && current.range.start == dots.range.end {
            return advance()
        }
        return nil
    }

    // MARK: stages

    mutating func name(_ what: String) throws -> (String, SourceRange) {
        guard current.kind == .word || current.kind == .number else { throw expected(what) }
        let t = advance()
        return (t.text, t.range)
    }

    mutating func nameList(_ what: String) throws -> [(name: String, range: SourceRange)] {
        var out = [try name(what)].map { (name: $0.0, range: $0.1) }
        while current.kind == .comma {
            _ = advance()
            let n = try name(what)
            out.append((n.0, n.1))
        }
        return out
    }

    mutating func integer(_ what: String) throws -> Int {
        guard current.kind == .number, let v = current.number, v == v.rounded(), v >= 0, v <= 1e9 else {
            throw expected(what)
        }
        _ = advance()
        return Int(v)
    }

    // stage := where_stage | sort_stage | limit_stage | show_stage | count_stage | stats_stage | top_stage | kwic_stage | chart_stage | terms_stage | colloc_stage
    // where_stage := 'where' filter
    // sort_stage := 'sort' sort_key {',' sort_key}
    // sort_key := WORD ['(' [WORD] ')'] ['asc' | 'desc']
    // limit_stage := 'limit' NUMBER
    // show_stage := 'show' ('*' | field_list)
    // count_stage := 'count' ['by' field_list]
    // stats_stage := 'stats' aggregate {',' aggregate} ['by' field_list]
    // aggregate := WORD '(' [WORD] ')'
    // top_stage := 'top' NUMBER WORD
    // kwic_stage := 'kwic' [term] ['width' NUMBER]
    // chart_stage := 'chart'
    // terms_stage := 'terms' [NUMBER] ['vs' filter]
    // colloc_stage := 'colloc' term [NUMBER]
    // field_list := WORD {',' WORD}
    mutating func stage() throws -> StageSyntax {
        guard current.kind == .word else {
            throw expected("a stage name after '|' (\(Parser.stageNames.joined(separator: ", ")))")
        }
        let t = advance()
        switch t.keyword {
        case "where":
            guard startsTerm(current) else { throw expected("a filter after 'where'") }
            return .whereFilter(try filter())
        case "sort":
            var keys: [SortKeySyntax] = []
            repeat {
                if current.kind == .comma { _ = advance() }
                let (n, r) = try sortKeyName()
                var desc = false
                if isKeyword("desc") {
                    _ = advance()
                    desc = true
                } else if isKeyword("asc") {
                    _ = advance()
                }
                keys.append(SortKeySyntax(name: n, range: r, descending: desc))
            } while current.kind == .comma
            return .sort(keys)
        case "limit":
            let r = current.range
            return .limit(try integer("a whole number after 'limit'"), r)
        case "show":
            if current.kind == .star {
                _ = advance()
                return .show([], all: true)
            }
            return .show(try nameList("a column name after 'show' (or *)"), all: false)
        case "count":
            if isKeyword("by") {
                _ = advance()
                return .count(by: try nameList("a field to group by after 'count by'"))
            }
            return .count(by: [])
        case "stats":
            var aggs: [AggregateSyntax] = []
            repeat {
                if current.kind == .comma { _ = advance() }
                let (f, r) = try name("an aggregate such as count(), sum(value)")
                guard current.kind == .lparen else { throw expected("'(' after \(f)") }
                _ = advance()
                var distinct = false
                if isKeyword("distinct") && peek().kind == .word {
                    _ = advance()
                    distinct = true
                }
                var arg: String?
                if current.kind == .word { arg = advance().text }
                guard current.kind == .rparen else { throw expected("')' after \(f)(\(arg ?? "")") }
                let close = advance()
                aggs.append(
                    AggregateSyntax(
                        function: f, argument: arg, range: SourceRange(start: r.start, end: close.range.end),
                        distinct: distinct))
            } while current.kind == .comma
            var by: [(name: String, range: SourceRange)] = []
            if isKeyword("by") {
                _ = advance()
                by = try nameList("a field to group by after 'by'")
            }
            return .stats(aggs, by: by)
        case "top":
            let n = try integer("how many, as in 'top 5 district'")
            let (f, r) = try name("a field after 'top \(n)'")
            return .top(n, field: f, fieldRange: r)
        case "kwic":
            var term: String?
            var width: Int?
            if current.kind == .string || (current.isWordLike && !isKeyword("width")) { term = advance().text }
            if isKeyword("width") {
                _ = advance()
                width = try integer("a width after 'width'")
            }
            return .kwic(term: term, width: width)
        case "chart":
            return .chart
        case "terms":
            var n: Int?
            if current.kind == .number { n = try integer("how many terms, as in 'terms 20'") }
            var vs: FilterSyntax?
            if isKeyword("vs") {
                _ = advance()
                guard startsTerm(current) else { throw expected("a filter after 'vs', as in terms 20 vs 中原区") }
                vs = try filter()
            }
            return .terms(n, vs: vs)
        case "colloc":
            guard current.kind == .word || current.kind == .string || current.kind == .number else {
                throw expected("a term after 'colloc', as in colloc 疫情")
            }
            let termToken = advance()
            if termToken.text.isEmpty { throw error("empty search string", termToken) }
            let term = termToken.text
            var n: Int?
            if current.kind == .number { n = try integer("how many neighbours, as in 'colloc 疫情 10'") }
            return .colloc(term: term, count: n)
        default:
            let hint = Suggest.nearest(t.text, in: Parser.stageNames).map { "did you mean '\($0)'?" }
            throw error(
                "unknown stage '\(t.text)'", t, hint: hint ?? "stages: \(Parser.stageNames.joined(separator: ", "))")
        }
    }

    /// Sort keys are column names, including aggregates such as sum(value) and count.
    mutating func sortKeyName() throws -> (String, SourceRange) {
        let (n, r) = try name("a column to sort by")
        if current.kind == .lparen {
            _ = advance()
            var arg = ""
            if current.kind == .word { arg = advance().text }
            guard current.kind == .rparen else { throw expected("')'") }
            let close = advance()
            return ("\(n)(\(arg))", SourceRange(start: r.start, end: close.range.end))
        }
        return (n, r)
    }
}
