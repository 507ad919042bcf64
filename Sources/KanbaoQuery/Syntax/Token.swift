// Tokens carry where they came from, so every diagnostic can point at its source.
import KanbaoStore

public struct SourceLocation: Sendable, Equatable, Comparable {
    public var line: Int // 1-based
    public var column: Int // 1-based, in characters (Unicode scalars)
    public var offset: Int // character offset from the start of the text
    public var utf8Offset: Int
    public init(line: Int, column: Int, offset: Int, utf8Offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
        self.utf8Offset = utf8Offset
    }
    public static func < (a: SourceLocation, b: SourceLocation) -> Bool { a.offset < b.offset }
}

public struct SourceRange: Sendable, Equatable {
    public var start: SourceLocation
    public var end: SourceLocation // exclusive
}

public enum TokenKind: Sendable, Equatable {
    case word // 营商环境, district, 2022年项目, value
    case number // 1000, 1.5万, 2亿: `number` holds the value
    case date // 2022-04, 2022-04-09, 2022年4月: `date` holds it
    case string // "电影 小镇", “…”, 「…」: `text` holds the unquoted text
    case variable // $防疫
    case dotCommand // .mode csv: `text` is the name, `argument` the rest of the line
    case pattern // /疫.{0,4}防控/: `text` is the pattern between the slashes
    case colon, comma, pipe, lparen, rparen, star, minus, dotdot
    case eq, ne, lt, le, gt, ge
    case newline, semicolon, eof
    /// A lexical error where it stands: `text` is the message. The parser reports it with
    /// its statement and never parses it.
    case error
}

public struct Token: Sendable, Equatable {
    public var kind: TokenKind
    /// The token's text as written (for strings: without quotes; for variables: without $).
    public var text: String
    public var range: SourceRange
    public var number: Double?
    public var date: PartialDate?
    public var argument: String?

    public var isWordLike: Bool { kind == .word || kind == .number || kind == .date || kind == .string }

    /// `text` lowercased, for reserved words (AND, Or …).
    public var keyword: String { kind == .word ? text.lowercased() : "" }

    public var describe: String {
        switch kind {
        case .eof: return "end of input"
        case .newline: return "end of line"
        case .semicolon: return "';'"
        case .string: return "string \"\(text)\""
        case .variable: return "$\(text)"
        case .dotCommand: return ".\(text)"
        case .pattern: return "pattern /\(text)/"
        default: return "'\(text)'"
        }
    }
}
