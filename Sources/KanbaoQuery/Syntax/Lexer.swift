// Query text → tokens. Hand-written, one pass, no backtracking beyond a few characters.
//
// Chinese needs no spaces: a run of CJK is one word (营商环境). Full-width punctuation
// typed with a Chinese input method means its ASCII twin (：（）｜，＞＜＝). A newline ends
// a statement unless a parenthesis is open or the line ends with `|` or `\`; `;` ends one
// too. `--` and `#` start comments. A `.` at the start of a statement begins a
// dot-command that takes the rest of its line.
import KanbaoStore

public struct Lexer {
    let scalars: [Unicode.Scalar]
    var i = 0
    var line = 1
    var column = 1
    var utf8 = 0
    var depth = 0 // open parentheses
    var statementHasTokens = false
    var tokens: [Token] = []

    public init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// The tokens of `text`, with its lexical errors among them as `.error` tokens in
    /// source order (as clox does): the parser meets them where they stand.
    public static func tokenize(_ text: String) -> [Token] {
        var l = Lexer(text)
        l.run()
        return l.tokens
    }

    var location: SourceLocation { SourceLocation(line: line, column: column, offset: i, utf8Offset: utf8) }

    func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < scalars.count ? Lexer.fold(scalars[i + k]) : nil }

    /// Full-width punctuation → its ASCII twin.
    static func fold(_ u: Unicode.Scalar) -> Unicode.Scalar {
        switch u {
        case "：": return ":"
        case "（": return "("
        case "）": return ")"
        case "，": return ","
        case "｜": return "|"
        case "＞": return ">"
        case "＜": return "<"
        case "＝": return "="
        case "；": return ";"
        case "！": return "!"
        case "＊": return "*"
        case "＄": return "$"
        case "＃": return "#"
        case "\u{3000}": return " "
        default: return u
        }
    }

    mutating func advance() {
        let u = scalars[i]
        i += 1
        utf8 += UTF8.width(u)
        if u == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
    }

    /// A lexical error, as a token where it stands; it does not count as the statement's
    /// first token (a `.command` after it is still a dot-command).
    mutating func fail(_ message: String, from start: SourceLocation) {
        tokens.append(Token(kind: .error, text: message, range: SourceRange(start: start, end: location)))
    }

    mutating func emit(
        _ kind: TokenKind, _ text: String, from start: SourceLocation, number: Double? = nil,
        date: PartialDate? = nil, argument: String? = nil
    ) {
        tokens.append(
            Token(
                kind: kind, text: text, range: SourceRange(start: start, end: location),
                number: number, date: date, argument: argument))
        if kind == .newline || kind == .semicolon { statementHasTokens = false } else { statementHasTokens = true }
    }

    /// Punctuation that is a token on its own, whatever follows it.
    static let punctuation: [Unicode.Scalar: TokenKind] = [
        ":": .colon, ",": .comma, "|": .pipe, ";": .semicolon, "*": .star, "(": .lparen, ")": .rparen,
    ]

    static func isSpace(_ u: Unicode.Scalar) -> Bool {
        u == " " || u == "\t" || u == "\r" || u == "\u{A0}" || u == "\u{FEFF}"
    }

    /// Characters that end a word.
    static func isDelimiter(_ u: Unicode.Scalar) -> Bool {
        switch u {
        case " ", "\t", "\r", "\n", ":", ",", "|", "(", ")", ";", "$", "\"", "'", "“", "”", "「", "」", "‘", "’",
            "『", "』", "=", "<", ">", "!", "*", "\\", "#":
            return true
        default:
            return isControl(u)
        }
    }

    /// NUL, U+0001 … : never part of a query, and invisible when echoed.
    static func isControl(_ u: Unicode.Scalar) -> Bool {
        (u.value < 0x20 && u != "\t" && u != "\n" && u != "\r") || u.value == 0x7F || (0x80...0x9F).contains(u.value)
    }

    mutating func run() {
        while let u = peek() {
            let start = location
            if Lexer.isControl(u) {
                advance()
                fail("control character U+\(String(format: "%04X", u.value)) in the statement", from: start)
                continue
            }
            if Lexer.isSpace(u) {
                advance()
                continue
            }
            if u == "\n" {
                advance()
                let last = tokens.last?.kind
                if depth > 0 || last == .pipe { continue } // the statement goes on
                if statementHasTokens { emit(.newline, "\n", from: start) }
                continue
            }
            if u == "\\" && (peek(1) == "\n" || (peek(1) == "\r" && peek(2) == "\n")) {
                advance()
                if peek() == "\r" { advance() }
                advance()
                continue
            }
            if u == "#" || (u == "-" && peek(1) == "-") {
                while let c = peek(), c != "\n" { advance() }
                continue
            }
            if u == "." && !statementHasTokens, let n = peek(1), n.properties.isAlphabetic {
                dotCommand(start)
                continue
            }
            if let kind = Lexer.punctuation[u] {
                advance()
                if kind == .lparen { depth += 1 }
                if kind == .rparen { depth = max(0, depth - 1) }
                emit(kind, String(u), from: start)
                continue
            }
            switch u {
            case "=":
                advance()
                if peek() == "=" { advance() }
                emit(.eq, "=", from: start)
            case "!":
                advance()
                if peek() == "=" {
                    advance()
                    emit(.ne, "!=", from: start)
                } else {
                    fail("'!' must be followed by '=' (use 'not' or '-' to negate)", from: start)
                }
            case "<":
                advance()
                if peek() == "=" {
                    advance()
                    emit(.le, "<=", from: start)
                } else if peek() == ">" {
                    advance()
                    emit(.ne, "<>", from: start)
                } else {
                    emit(.lt, "<", from: start)
                }
            case ">":
                advance()
                if peek() == "=" {
                    advance()
                    emit(.ge, ">=", from: start)
                } else {
                    emit(.gt, ">", from: start)
                }
            case "$":
                advance()
                let name = wordText()
                if name.isEmpty {
                    fail("'$' must be followed by a name, as in $防疫", from: start)
                } else {
                    emit(.variable, name, from: start)
                }
            case "\"", "'", "“", "「", "‘", "『", "”", "」":
                quoted(start)
            case "/" where atTermStart:
                pattern(start)
            case "-" where peek(1).map({ !Lexer.isSpace($0) && $0 != "\n" }) ?? false && atTermStart:
                advance()
                emit(.minus, "-", from: start)
            case "." where peek(1) == ".":
                advance()
                advance()
                emit(.dotdot, "..", from: start)
            default:
                word(start)
            }
        }
        if statementHasTokens { emit(.newline, "", from: location) }
        tokens.append(Token(kind: .eof, text: "", range: SourceRange(start: location, end: location)))
    }

    /// A minus negates only where a term may start: `党建 -演练`, not `2022-04`.
    var atTermStart: Bool {
        guard let last = tokens.last else { return true }
        switch last.kind {
        case .word, .number, .date, .string, .variable, .rparen, .star: return i > 0 && Lexer.isSpace(scalars[i - 1])
        default: return true
        }
    }

    mutating func dotCommand(_ start: SourceLocation) {
        advance() // .
        var name = String.UnicodeScalarView()
        while let c = peek(), c.properties.isAlphabetic || c == "_" {
            name.append(c)
            advance()
        }
        while let c = peek(), Lexer.isSpace(c) { advance() }
        var arg = String.UnicodeScalarView()
        while i < scalars.count, scalars[i] != "\n" {
            arg.append(scalars[i])
            advance()
        }
        var a = String(arg)
        while a.last == " " || a.last == "\t" || a.last == "\r" { a.removeLast() }
        emit(.dotCommand, String(name), from: start, argument: a)
    }

    mutating func quoted(_ start: SourceLocation) {
        let open = peek()!
        let close: Unicode.Scalar
        switch open {
        case "“", "”": close = "”"
        case "「": close = "」"
        case "」": close = "」"
        case "‘": close = "’"
        case "『": close = "』"
        default: close = open
        }
        advance()
        var text = String.UnicodeScalarView()
        while let c = peek(), scalars[i] != close {
            if c == "\n" { break }
            // A backslash escapes the closing quote inside ASCII quotes.
            if scalars[i] == "\\" && (open == "\"" || open == "'") && i + 1 < scalars.count && scalars[i + 1] == close {
                advance()
            }
            text.append(scalars[i])
            advance()
        }
        guard i < scalars.count, scalars[i] == close else {
            fail("unterminated string: no closing \(close) before the end of the line", from: start)
            return
        }
        advance()
        emit(.string, String(text), from: start)
    }

    /// `/…/` where a term may start: a pattern up to the next `/` not escaped by `\`, on
    /// one line (`\/` stays in the pattern, which reads it as a slash).
    mutating func pattern(_ start: SourceLocation) {
        advance() // the opening slash
        var text = String.UnicodeScalarView()
        while i < scalars.count, scalars[i] != "/", scalars[i] != "\n" {
            if scalars[i] == "\\" && i + 1 < scalars.count && scalars[i + 1] != "\n" {
                text.append(scalars[i])
                advance()
            }
            text.append(scalars[i])
            advance()
        }
        guard i < scalars.count, scalars[i] == "/" else {
            fail("unterminated pattern: no closing / before the end of the line", from: start)
            return
        }
        advance()
        emit(.pattern, String(text), from: start)
    }

    mutating func wordText() -> String {
        var text = String.UnicodeScalarView()
        while let c = peek(), !Lexer.isDelimiter(c) {
            if c == "." && peek(1) == "." { break } // 2020..2022
            if c == "-" && peek(1) == "-" { break } // a comment starts
            text.append(scalars[i])
            advance()
        }
        return String(text)
    }

    mutating func word(_ start: SourceLocation) {
        let text = wordText()
        if text.isEmpty {
            // Not a delimiter we know and not a word: report and skip it.
            let u = scalars[i]
            advance()
            if u == "\\" {
                // psql's \x and friends: kanbao's commands start with '.'.
                fail(
                    "unexpected '\\': kanbao's commands start with '.', as in .help (psql's \\x is .mode line)",
                    from: start)
            } else {
                fail("unexpected character '\(u)'", from: start)
            }
            return
        }
        if let d = Literals.date(text) {
            emit(.date, text, from: start, date: d)
        } else if let n = Literals.number(text) {
            emit(.number, text, from: start, number: n)
        } else {
            emit(.word, text, from: start)
        }
    }
}

/// Number and date literals, shared by the lexer and the binder.
public enum Literals {
    /// 1000, 1.5, 1.5万, 2亿, 3千, 1,200 → value.
    public static func number(_ text: String) -> Double? {
        var s = Substring(text)
        var scale = 1.0
        while let last = s.last, let m = ["万": 1e4, "亿": 1e8, "千": 1e3, "w": 1e4, "k": 1e3][String(last)] {
            scale *= m
            s = s.dropLast()
        }
        let digits = s.replacingCommas()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            digits.filter({ $0 == "." }).count <= 1, digits.first != ".", digits.last != ".",
            let v = Double(digits)
        else { return nil }
        return v * scale
    }

    /// 2022-04-09, 2022-04, 2022年4月9日, 2022年4月, 2022年, 2022/4/9, 20220409. A bare `2022`
    /// is a number; the binder reads it as a year where a date is expected.
    public static func date(_ text: String) -> PartialDate? {
        var t = text
        if t.hasSuffix("日") || t.hasSuffix("号") { t.removeLast() }
        let parts = t.split(
            omittingEmptySubsequences: false,
            whereSeparator: { $0 == "-" || $0 == "/" || $0 == "年" || $0 == "月" || $0 == "." })
        let hasSep = t.contains("-") || t.contains("/") || t.contains("年") || t.contains(".")
        var nums: [Int] = []
        for (k, p) in parts.enumerated() {
            if p.isEmpty && k == parts.count - 1 && (t.hasSuffix("年") || t.hasSuffix("月")) { continue }
            guard !p.isEmpty, p.count <= 4, p.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int(p) else {
                return nil
            }
            nums.append(v)
        }
        if !hasSep {
            // 20220409
            guard t.count == 8, let v = Int(t) else { return nil }
            nums = [v / 10000, v / 100 % 100, v % 100]
        }
        guard (1...3).contains(nums.count), String(nums[0]).count == 4 else { return nil }
        if nums.count == 1 && !t.hasSuffix("年") { return nil }
        if t.contains(".") && nums.count < 3 { return nil } // 2022.5 is a number
        let d = PartialDate(year: nums[0], month: nums.count > 1 ? nums[1] : 0, day: nums.count > 2 ? nums[2] : 0)
        return d.isValid ? d : nil
    }
}

extension Substring {
    func replacingCommas() -> String { String(self.filter { $0 != "," }) }
}
