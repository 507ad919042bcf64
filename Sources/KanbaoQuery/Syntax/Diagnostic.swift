// Errors that point: FILE:LINE:COL, the source line, a caret under the offending token
// (placed by display width, so it sits under the right Chinese character), what was
// expected, and a "did you mean" when a known name is near.
import KanbaoOutput

public struct Diagnostic: Error, Sendable, Equatable {
    /// What kind of mistake: the stage that found it.
    public enum ID: String, Sendable {
        /// A character or string the lexer cannot read ('!' alone, an unterminated quote).
        case lexical
        /// Tokens in an order the grammar has no rule for.
        case syntax
        /// A name, type or value the binder cannot resolve (an unknown field or district).
        case query
        /// A plan the planner refuses, or an error while a statement runs.
        case runtime
        /// A dot-command that could not do what it was asked.
        case command
    }

    public var id: ID
    public var message: String
    public var range: SourceRange
    public var hint: String?

    public init(_ message: String, at range: SourceRange, hint: String? = nil, id: ID = .query) {
        self.id = id
        self.message = message
        self.range = range
        self.hint = hint
    }

    /// `name:3:7: error: …`, the line, the caret, the hint.
    public func render(source: String, name: String) -> String {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let lineIndex = max(0, min(range.start.line - 1, lines.count - 1))
        let text = lines.isEmpty ? "" : String(lines[lineIndex]).replacingTabs()
        let scalars = Array(text.unicodeScalars)
        // Very long lines (a 1 MB query) are shown as a window around the error.
        var from = 0
        let col = range.start.column - 1
        if scalars.count > 120 { from = max(0, min(col - 40, scalars.count - 120)) }
        let to = min(scalars.count, from + 120)
        var shown = String(String.UnicodeScalarView(scalars[from..<to]))
        if from > 0 { shown = "…" + shown }
        if to < scalars.count { shown += "…" }
        let lead = DisplayWidth.of(scalars: scalars[from..<min(max(col, from), scalars.count)]) + (from > 0 ? 1 : 0)
        let spanEnd = range.end.line == range.start.line ? range.end.column - 1 : scalars.count
        let caretWidth = max(1, DisplayWidth.of(scalars: scalars[min(col, scalars.count)..<min(max(spanEnd, col), to)]))
        var out = "\(name):\(range.start.line):\(range.start.column): error: \(message)\n"
        out += "  \(shown)\n"
        out += "  " + String(repeating: " ", count: lead) + String(repeating: "^", count: min(caretWidth, 80)) + "\n"
        if let hint { out += "  \(hint)\n" }
        return out
    }
}

extension String {
    func replacingTabs() -> String { String(self.map { $0 == "\t" ? " " : $0 }) }
}

/// Nearest known name by edit distance, for "did you mean".
public enum Suggest {
    public static func nearest(_ word: String, in candidates: [String]) -> String? {
        let w = Array(word.lowercased())
        var best: (Int, String)?
        // Ties go to the earlier candidate: callers list the likelier names first.
        var seen = Set<String>()
        for c in candidates where seen.insert(c).inserted {
            let d = distance(w, Array(c.lowercased()))
            let limit = max(1, min(3, max(w.count, c.count) / 2))
            if d <= limit && (best == nil || d < best!.0) { best = (d, c) }
        }
        return best?.1
    }

    /// Edit distance counting a swap of neighbours as one edit (srot → sort), so typing
    /// slips rank above real differences.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
