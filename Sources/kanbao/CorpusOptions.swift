import ArgumentParser
import Foundation
import KanbaoIngest
import KanbaoQuery
import KanbaoSeeds
import KanbaoStore

/// `--corpus PATH`, shared by every command. Without it: the seed pages built into the binary.
struct CorpusOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A folder of page .txt files (recursive), one page file, a .jsonl of articles, or a snapshot (.kbs) from `kanbao index`.",
            valueName: "path"))
    var corpus: String?

    init() {}
    init(corpus: String?) { self.corpus = corpus }

    /// Loads the corpus; `cancel`, when given, stops the load between batches of pages
    /// (Ctrl-C during .load at the prompt), which then throws `CorpusError.interrupted`.
    func load(cancel: CancellationFlag? = nil) throws -> Store {
        var loader = CorpusLoader()
        let bar = ProgressBar()
        if ProgressBar.allowed { loader.progress = { done, total in bar.update(done, total) } }
        loader.shouldStop = { Termination.requested || (cancel?.isCancelled ?? false) }
        defer { bar.finish() }
        let store: Store
        if let path = corpus {
            do { store = try loader.load(path: path) } catch CorpusError.interrupted where cancel?.isCancelled == true {
                throw CorpusError.interrupted // the prompt's .load says so and keeps the corpus it had
            } catch CorpusError.interrupted {
                bar.finish()
                Termination.exitIfRequested()
                throw ExitCode(1)
            } catch let e as CorpusError {
                throw ValidationError(e.description)
            } catch let e as SnapshotError {
                throw ValidationError(e.description)
            }
        } else {
            store = loader.load(pages: Seeds.pages)
        }
        // A snapshot's warnings were said when it was indexed: one line says how many.
        if let path = corpus, Snapshot.isSnapshot(path: path), store.warnings.count > 1 {
            Diagnostics.warn("\(store.warnings.count) warnings when \(path) was indexed (kanbao stats lists them)")
        } else {
            for w in store.warnings { Diagnostics.warn(w) }
        }
        for s in store.skipped { Diagnostics.warn("\(s.path): skipped: \(s.reason)") }
        Allocator.keepQueryBlocksInHeap()
        return store
    }
}

enum Diagnostics {
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("kanbao: warning: \(message)\n".utf8))
    }
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("kanbao: error: \(message)\n".utf8))
    }
}

/// A progress bar on stderr for loads that take over a second. Only when stdin, stdout and
/// stderr are all terminals: nothing of the sort reaches a pipe or a file.
final class ProgressBar: @unchecked Sendable {
    static var allowed: Bool { Terminal.isTTY(0) && Terminal.isTTY(1) && Terminal.isTTY(2) }
    let start = Date()
    var shown = false
    var lastDraw = Date.distantPast

    func update(_ done: Int, _ total: Int) {
        let now = Date()
        guard now.timeIntervalSince(start) > 1, now.timeIntervalSince(lastDraw) > 0.1 || done == total else { return }
        lastDraw = now
        shown = true
        let width = 30
        let filled = total > 0 ? width * done / total : 0
        let line =
            "\rloading \(done)/\(total) files [" + String(repeating: "#", count: filled)
            + String(repeating: " ", count: width - filled) + "] \(total > 0 ? 100 * done / total : 0)%"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1b}[K".utf8)) }
    }
}
