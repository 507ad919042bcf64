import Foundation
import KanbaoIngest
import KanbaoOutput
import KanbaoQuery
import KanbaoSeeds
import KanbaoStore
import XCTest

enum Fixtures {
    static let store: Store = CorpusLoader().load(pages: Seeds.pages)
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs a script on a fresh session over the seeds; returns (output, errors, ok).
    static func run(_ script: String, format initial: OutputFormat = .table, session: Session? = nil) -> (
        out: String, err: String, ok: Bool
    ) {
        let s = session ?? Session(store: store)
        var out = ""
        var err = ""
        var format = initial
        let ok = s.run(script, name: "q") { result, _ in
            switch result {
            case .table(let t):
                out += Renderer.render(t, as: format, options: RenderOptions(width: 100))
                if format == .table {
                    out +=
                        "(\(t.rows.count) row\(t.rows.count == 1 ? "" : "s"))" + (t.note.map { " " + $0 } ?? "") + "\n"
                }
            case .text(let x): out += x
            case .document(let text, let json): out += format == .json || format == .jsonl ? json : text
            case .failure(let f): err += f.rendered
            case .command(let n, let a, _):
                // The CLI's runner owns .mode; the tests play its part.
                if n == "mode", let f = OutputFormat(rawValue: a) {
                    format = f
                } else {
                    out += "[command .\(n) \(a)]\n"
                }
            }
        }
        return (out, err, ok)
    }

    /// Parses one statement and returns its syntax, failing the test on errors.
    static func query(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> QuerySyntax? {
        let outcomes = Parser.parse(text)
        guard outcomes.count == 1, case .parsed(let ps) = outcomes[0] else {
            XCTFail("did not parse: \(text): \(outcomes)", file: file, line: line)
            return nil
        }
        switch ps.statement {
        case .query(let q), .explain(let q, _): return q
        default:
            XCTFail("not a query: \(text)", file: file, line: line)
            return nil
        }
    }

    /// The parser's diagnostics for a statement it should refuse (none if it parsed).
    static func parseErrors(_ text: String) -> [Diagnostic] {
        Parser.parse(text).flatMap { o -> [Diagnostic] in
            if case .failed(let d, _) = o { return d }
            return []
        }
    }
}
