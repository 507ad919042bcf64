import ArgumentParser
import Foundation
import KanbaoIngest
import KanbaoStore

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Read pages once and write a snapshot that --corpus loads in seconds.")

    @Argument(help: "A folder of page .txt files, one page file, or a .jsonl of articles.") var path: String
    @Option(name: .customShort("o"), help: "The snapshot file to write (e.g. corpus.kbs).") var output: String

    func run() throws {
        Termination.install(interrupt: true)
        let store = try CorpusOptions(corpus: path).load()
        do {
            try Trace.phase("index: write snapshot") {
                try Snapshot.write(store, to: output, shouldStop: { Termination.requested })
            }
        } catch let e as SnapshotError {
            Termination.exitIfRequested() // the partial file is already gone
            Diagnostics.error(e.description)
            throw ExitCode(1)
        }
        FileHandle.standardError.write(
            Data(
                "wrote \(output): \(store.pages.count) pages, \(store.articles.count) articles, \(store.figures.count) figures\n"
                    .utf8))
    }
}
