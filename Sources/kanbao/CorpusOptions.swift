import ArgumentParser
import Foundation
import KanbaoIngest
import KanbaoSeeds
import KanbaoStore

/// `--corpus PATH`, shared by every command. Without it: the seed pages built into the binary.
struct CorpusOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A folder of page .txt files (recursive), one page file, or a .jsonl of articles.",
                                            valueName: "path"))
    var corpus: String?

    func load() throws -> Store {
        let loader = CorpusLoader()
        let store: Store
        if let path = corpus {
            do { store = try loader.load(path: path) } catch let e as CorpusError {
                throw ValidationError(e.description)
            }
        } else {
            store = loader.load(pages: Seeds.pages)
        }
        for w in store.warnings { Diagnostics.warn(w) }
        for s in store.skipped { Diagnostics.warn("\(s.path): skipped: \(s.reason)") }
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
