// Tab completion by context: stage names after `|`, fields where a field may stand,
// district and place names after district: and place:, units after unit:, $names,
// dot-commands, and file paths after .read, .load, .output and .save.
import Foundation
import KanbaoIngest
import KanbaoStore

public struct Completion: Equatable, Sendable {
    /// Text to insert at the cursor (the rest of the longest common prefix).
    public var insert: String
    /// All candidates when there is more than one, for the list under the line.
    public var candidates: [String]

    public init(insert: String, candidates: [String]) {
        self.insert = insert
        self.candidates = candidates
    }
}

public struct Completer {
    let store: Store
    let gazetteer: Gazetteer
    let names: [String]

    public init(store: Store, gazetteer: Gazetteer = .zhengzhou, namedFilters: [String] = []) {
        self.store = store
        self.gazetteer = gazetteer
        self.names = namedFilters
    }

    static let wordBreaks: Set<Character> = [
        " ", "\t", "|", "(", ")", ",", ":", "=", "<", ">", "｜", "（", "）", "，", "：", "＞", "＜", "＝",
    ]
    static let filterWords = ["and", "or", "not", "in", "near", "before"]

    public func complete(_ line: String) -> Completion? {
        let chars = Array(line)
        // Dot-commands and their file arguments.
        let trimmed = line.drop(while: { $0 == " " })
        if trimmed.hasPrefix(".") {
            if let space = trimmed.firstIndex(of: " ") {
                let command = String(trimmed[trimmed.index(after: trimmed.startIndex)..<space])
                guard ["read", "load", "output", "save"].contains(command) else { return nil }
                return completePath(
                    String(trimmed[trimmed.index(after: space)...]).trimmingCharacters(in: .whitespaces))
            }
            return finish(String(trimmed.dropFirst()), Session.dotCommands.filter { $0 != "exit" }, suffix: " ")
        }
        var start = chars.count
        while start > 0 && !Completer.wordBreaks.contains(chars[start - 1]) { start -= 1 }
        let word = String(chars[start...])
        if word.hasPrefix("$") {
            return finish(String(word.dropFirst()), names.sorted(), suffix: " ")
        }
        // What stands before the word: `field:`, `|`, `by`, a comparison …
        var k = start
        let separator: Character? = k > 0 ? chars[k - 1] : nil
        if separator == ":" || separator == "：" {
            var a = k - 1
            while a > 0 && !Completer.wordBreaks.contains(chars[a - 1]) { a -= 1 }
            return completeValue(field: String(chars[a..<(k - 1)]), prefix: word)
        }
        while k > 0 && (chars[k - 1] == " " || chars[k - 1] == "\t") { k -= 1 }
        let before = k > 0 ? chars[k - 1] : "|"
        var w = k
        while w > 0 && !Completer.wordBreaks.contains(chars[w - 1]) { w -= 1 }
        let previousWord = String(chars[w..<k]).lowercased()
        if (before == "|" || before == "｜") && previousWord.isEmpty {
            if k == 0 && !line.contains("|") {
                // The start of a statement: a field, a source or a statement keyword.
                return finish(word, fieldNames + ["articles", "figures", "pages", "explain", "let"], suffix: "")
            }
            return finish(word, Parser.stageNames, suffix: " ")
        }
        if ["by", "show", "sort", "top"].contains(previousWord) || before == "," || Int(previousWord) != nil {
            return finish(word, fieldNames, suffix: "")
        }
        return finish(word, fieldNames + Completer.filterWords, suffix: "")
    }

    var fieldNames: [String] { Field.allCases.map(\.rawValue) }

    func completeValue(field: String, prefix: String) -> Completion? {
        guard let values = Field.named(field)?.spec.completions?(store, gazetteer) else { return nil }
        return finish(prefix, values, suffix: " ")
    }

    func completePath(_ typed: String) -> Completion? {
        let expanded = typed.hasPrefix("~/") ? NSHomeDirectory() + typed.dropFirst() : typed
        let dir = expanded.hasSuffix("/") ? expanded : (expanded as NSString).deletingLastPathComponent
        let base = expanded.hasSuffix("/") ? "" : (expanded as NSString).lastPathComponent
        let listDir = dir.isEmpty ? "." : dir
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: listDir) else { return nil }
        let shown = entries.filter { !$0.hasPrefix(".") || base.hasPrefix(".") }.sorted().map { name -> String in
            var isDir: ObjCBool = false
            FileManager.default.fileExists(
                atPath: (listDir as NSString).appendingPathComponent(name), isDirectory: &isDir)
            return isDir.boolValue ? name + "/" : name
        }
        return finish(base, shown, suffix: "")
    }

    /// The candidates that start with `prefix`; the common rest to insert, and a suffix
    /// when exactly one remains.
    func finish(_ prefix: String, _ candidates: [String], suffix: String) -> Completion? {
        var seen = Set<String>()
        let matches = candidates.filter {
            $0.hasPrefix(prefix) && $0 != prefix || ($0 == prefix && candidates.count == 1)
        }
        .filter { seen.insert($0).inserted }
        guard !matches.isEmpty else { return nil }
        if matches.count == 1 {
            let rest = String(matches[0].dropFirst(prefix.count))
            return Completion(insert: rest + (matches[0].hasSuffix("/") ? "" : suffix), candidates: [])
        }
        var common = Array(matches[0])
        for m in matches.dropFirst() {
            let c = Array(m)
            var n = 0
            while n < common.count && n < c.count && common[n] == c[n] { n += 1 }
            common = Array(common[..<n])
        }
        return Completion(insert: String(common.dropFirst(prefix.count)), candidates: matches)
    }
}
