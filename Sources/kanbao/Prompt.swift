// The interactive prompt. (A plain line reader for now; the libedit prompt replaces it.)
import Foundation
import KanbaoQuery

struct Prompt {
    let runner: Runner

    func loop() -> Bool {
        let s = runner.session.store
        print("Kanbao 0.1.0 — \(s.pages.count) pages, \(s.articles.count) articles, \(s.figures.count) figures. Type .help for help.")
        var buffer = ""
        while !runner.quit {
            print(buffer.isEmpty ? "kanbao> " : "   ...> ", terminator: "")
            fflush(nil)
            guard let line = readLine() else { break }
            buffer += line + "\n"
            if Prompt.isComplete(buffer) {
                runner.run(buffer, name: "<stdin>", bail: false)
                buffer = ""
            }
        }
        return true
    }

    /// A statement is complete unless a parenthesis is open, or the line ends with | or \.
    static func isComplete(_ text: String) -> Bool {
        var depth = 0
        var quote: Character?
        for c in text {
            if let q = quote { if c == q || (q == "“" && c == "”") || (q == "「" && c == "」") { quote = nil }; continue }
            switch c {
            case "\"", "'", "“", "「": quote = c
            case "(", "（": depth += 1
            case ")", "）": depth -= 1
            default: break
            }
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return depth <= 0 && !trimmed.hasSuffix("|") && !trimmed.hasSuffix("｜") && !trimmed.hasSuffix("\\")
    }
}
