import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

// A closed pipe must not kill us with SIGPIPE: writes then fail with EPIPE, and
// OutputStream turns that into a quiet exit.
signal(SIGPIPE, SIG_IGN)

struct Kanbao: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kanbao",
        abstract: "Ask questions of Chinese local-news pages: districts, dates, figures and keywords.",
        version: "0.1.0",
        subcommands: [ExportCommand.self, StatsCommand.self])

    @OptionGroup var corpus: CorpusOptions

    func run() throws {
        let store = try corpus.load()
        let out = OutputStream.standardOutput
        try out.write("Kanbao: \(store.pages.count) pages, \(store.articles.count) articles, \(store.figures.count) figures.\n")
        try out.flush()
    }
}

Kanbao.main()
