import ArgumentParser
import Foundation
import KanbaoOutput
import KanbaoQuery

extension ExportTable: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the extracted articles or figures table (stable schema) to stdout.")

    @Argument(help: "articles or figures") var table: ExportTable
    @Option(help: "jsonl or csv") var format: ExportFormat = .jsonl
    @OptionGroup var corpus: CorpusOptions

    func run() throws {
        Termination.install(interrupt: true)
        let store = try corpus.load()
        let out = OutputStream.standardOutput
        do {
            try Exporter.export(table, format: format, store: store) {
                if Termination.requested { Termination.exitIfRequested() }
                try out.write($0)
            }
            try out.flush()
        } catch {
            Diagnostics.error("cannot write the export: \(error)")
            throw ExitCode(1)
        }
    }
}
