// The interactive prompt on libedit: wide-character editing (Chinese typed or pasted
// moves and deletes by character), history in ~/.kanbao_history (0600, duplicates
// folded, bounded, one entry per statement), Tab completion by context, continuation
// lines, Ctrl-C to clear the line or cancel a running query, Ctrl-D to leave.
import CKanbaoEdit
import Foundation
import KanbaoQuery
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Set by SIGINT; read by the prompt loop. The running query's flag is cancelled directly.
let interruptCount = Atomic<Int>(0)
nonisolated(unsafe) var activeCancellation: CancellationFlag?

func installInterruptHandler() {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in
        interruptCount.add(1, ordering: .relaxed)
        activeCancellation?.cancel()
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0 // no SA_RESTART: a blocked read returns EINTR
    sigaction(SIGINT, &action, nil)
}

final class Prompt {
    static let historySize = 1000
    let runner: Runner
    let editor: OpaquePointer?
    let historyPath: String?

    init(runner: Runner) {
        self.runner = runner
        editor = kb_editor_open("kanbao", Int32(Prompt.historySize))
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty {
            historyPath = (home as NSString).appendingPathComponent(".kanbao_history")
        } else {
            historyPath = nil
        }
    }

    deinit { kb_editor_close(editor) }

    func loop() -> Bool {
        guard let editor else {
            Diagnostics.error("cannot start the line editor; reading plain lines")
            return plainLoop()
        }
        installInterruptHandler()
        activeCancellation = runner.session.cancel
        if let path = historyPath, FileManager.default.fileExists(atPath: path) { _ = kb_history_load(editor, path) }
        let box = Unmanaged.passUnretained(self).toOpaque()
        kb_editor_set_completer(
            editor,
            { context, before in
                let prompt = Unmanaged<Prompt>.fromOpaque(context!).takeUnretainedValue()
                return prompt.complete(String(cString: before!))
            }, box)
        runner.historyProvider = { [weak self] in self?.historyEntries() ?? [] }

        let s = runner.session.store
        print(
            "Kanbao 0.1.0 — \(s.pages.count) pages, \(s.articles.count) articles, \(s.figures.count) figures. "
                + "Type .help for help, Ctrl-D to leave.")
        var buffer: [String] = []
        while !runner.quit {
            kb_editor_set_prompt(editor, buffer.isEmpty ? "kanbao> " : "   ...> ")
            var interrupted: Int32 = 0
            let seen = interruptCount.load(ordering: .relaxed)
            guard let raw = kb_editor_gets(editor, &interrupted) else {
                if interrupted != 0 || interruptCount.load(ordering: .relaxed) != seen {
                    // Ctrl-C at the prompt: drop what was typed, keep the session.
                    print("^C")
                    buffer = []
                    continue
                }
                print("")
                break // Ctrl-D or end of input
            }
            let line = String(cString: raw)
            free(raw)
            if buffer.isEmpty && line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            buffer.append(line)
            let text = buffer.joined(separator: "\n")
            guard Prompt.isComplete(text) else { continue }
            buffer = []
            remember(text)
            runner.session.cancel.reset()
            runner.run(text, name: "<stdin>", bail: false)
        }
        saveHistory()
        return true
    }

    /// A statement is one history entry; continuation lines are joined when that keeps
    /// its meaning (no comment on them).
    func remember(_ text: String) {
        guard let editor else { return }
        var entry = text
        if !text.contains("--") && !text.contains("#") {
            entry = text.split(separator: "\n").map { line -> String in
                var l = String(line)
                if l.hasSuffix("\\") { l.removeLast() }
                return l.trimmingCharacters(in: .whitespaces)
            }.joined(separator: " ")
        }
        _ = kb_history_add(editor, entry)
        saveHistory()
    }

    func saveHistory() {
        guard let editor, let path = historyPath else { return }
        // Created private before anything is written to it.
        let fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd >= 0 { close(fd) }
        _ = kb_history_save(editor, path)
        chmod(path, 0o600)
    }

    func historyEntries() -> [String] {
        guard let editor else { return [] }
        let n = Int(kb_history_count(editor))
        return (0..<n).compactMap { i in
            guard let p = kb_history_entry(editor, Int32(i)) else { return nil }
            defer { free(p) }
            return String(cString: p)
        }
    }

    func complete(_ before: String) -> UnsafeMutablePointer<CChar>? {
        let completer = Completer(store: runner.session.store, namedFilters: Array(runner.session.namedFilters.keys))
        guard let c = completer.complete(before) else { return nil }
        return strdup(([c.insert] + c.candidates).joined(separator: "\n"))
    }

    /// Without libedit (it failed to start): plain lines, same statements.
    func plainLoop() -> Bool {
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

    /// A statement is complete unless a parenthesis is open, a quote is open, or the
    /// last line ends with | or \.
    static func isComplete(_ text: String) -> Bool {
        var depth = 0
        var quote: Character?
        var comment = false
        for c in text {
            if comment {
                if c == "\n" { comment = false }
                continue
            }
            if let q = quote {
                if c == q || (q == "“" && c == "”") || (q == "「" && c == "」") || c == "\n" { quote = nil }
                continue
            }
            switch c {
            case "\"", "'", "“", "「": quote = c
            case "(", "（": depth += 1
            case ")", "）": depth -= 1
            case "#": comment = true
            default: break
            }
        }
        let last = text.split(separator: "\n").last.map { String($0) } ?? ""
        let code = (last.range(of: "--").map { String(last[..<$0.lowerBound]) } ?? last).trimmingCharacters(
            in: .whitespaces)
        return depth <= 0 && !code.hasSuffix("|") && !code.hasSuffix("｜") && !code.hasSuffix("\\")
    }
}
