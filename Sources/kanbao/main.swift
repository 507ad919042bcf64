import ArgumentParser
import Foundation
import KanbaoOutput
import KanbaoQuery

#if canImport(Glibc)
    import Glibc
#endif

// A closed pipe must not kill us with SIGPIPE: writes then fail with EPIPE, and
// OutputStream turns that into a quiet exit.
signal(SIGPIPE, SIG_IGN)

extension OutputFormat: ExpressibleByArgument {}

struct Kanbao: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kanbao",
        abstract: "Ask questions of Chinese local-news pages: districts, dates, figures and keywords.",
        version: "0.1.0",
        subcommands: [QueryCommand.self, ExportCommand.self, StatsCommand.self, IndexCommand.self],
        defaultSubcommand: QueryCommand.self)
}

/// `kanbao [-c QUERY]… [-f FILE] [--format F]`: the default command.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run queries: -c, -f, standard input, or the prompt (the default command).",
        discussion: """
            Without -c or -f, kanbao reads statements from standard input when it is not a
            terminal, and opens a prompt when it is. The seed pages are built in; --corpus
            loads your own.
            """)

    @OptionGroup var corpus: CorpusOptions

    // The query is taken as it is, even when it starts with '-' (-营商环境 | count).
    @Option(
        name: .customShort("c"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp("Run this query (repeatable).", valueName: "query"))
    var commands: [String] = []

    @Option(name: .customShort("f"), help: ArgumentHelp("Run the statements in this file.", valueName: "file"))
    var file: String?

    @Option(
        help:
            "Output format: table, csv, tsv, json, jsonl, markdown or line (default: table on a terminal, tsv otherwise)."
    )
    var format: OutputFormat?

    @Flag(help: "Stop at the first statement that fails.")
    var bail = false

    @Flag(name: .customLong("no-header"), help: "Leave out the header line of csv and tsv output.")
    var noHeader = false

    @Option(
        name: .customLong("init"),
        help: ArgumentHelp("Run this file of statements first (instead of ~/.kanbaorc).", valueName: "file"))
    var initFile: String?

    @Flag(name: .customLong("no-init"), help: "Do not run ~/.kanbaorc before the prompt.")
    var noInit = false

    @Flag(name: .customLong("no-color"), help: "Never use colour (NO_COLOR does the same).")
    var noColor = false

    func run() throws {
        let interactive = commands.isEmpty && file == nil && Terminal.isTTY(0)
        Termination.install(interrupt: !interactive)
        let store = try corpus.load()
        let session = Session(store: store)
        activeCancellation = session.cancel
        let runner = Runner(
            session: session, format: format, color: !noColor && Terminal.colorAllowed && Terminal.isTTY(1),
            interactive: interactive)
        runner.headers = !noHeader
        var ok = true
        // A start-up file: --init FILE always, ~/.kanbaorc before a prompt (so that named
        // filters and modes survive a restart). Its failures are reported, not fatal.
        if !noInit {
            let home = ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
            let rc = initFile ?? (interactive ? home.map { $0 + "/.kanbaorc" } : nil)
            if let rc {
                if let data = FileManager.default.contents(atPath: rc) {
                    _ = runner.run(String(decoding: data, as: UTF8.self), name: rc, bail: false)
                } else if initFile != nil {
                    throw ValidationError("cannot read the --init file \(rc)")
                }
            }
        }
        if !commands.isEmpty || file != nil {
            for c in commands where !runner.quit {
                if c.allSatisfy({ $0.isWhitespace }) {
                    Diagnostics.error("-c: empty query: nothing to run")
                    ok = false
                    if bail { break } else { continue }
                }
                if !runner.run(c, name: "-c", bail: bail) {
                    ok = false
                    if bail { break }
                }
            }
            if let f = file, !(bail && !ok), !runner.quit {
                guard let data = FileManager.default.contents(atPath: f) else {
                    throw ValidationError("cannot read \(f)")
                }
                if let reason = Runner.notText(data) { throw ValidationError("cannot read \(f): \(reason)") }
                if !runner.run(String(decoding: data, as: UTF8.self), name: f, bail: bail) { ok = false }
            }
        } else if !interactive {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            ok = runner.run(String(decoding: data, as: UTF8.self), name: "<stdin>", bail: bail)
        } else {
            ok = Prompt(runner: runner).loop()
        }
        try? runner.out.flush()
        Termination.exitIfRequested()
        if !ok { throw ExitCode(1) }
    }
}

/// Options written before a subcommand (`kanbao --corpus X export articles`, as duckdb
/// takes them) are moved after it, where the subcommand's parser reads them.
func subcommandFirst(_ args: [String]) -> [String] {
    let subcommands = Set(Kanbao.configuration.subcommands.map { $0.configuration.commandName ?? "" })
    let takesValue: Set<String> = ["--corpus", "-c", "-f", "--format", "--init", "--engine", "-o"]
    var k = 0
    while k < args.count {
        if subcommands.contains(args[k]) {
            return k == 0 ? args : [args[k]] + args[..<k] + args[(k + 1)...]
        }
        if !args[k].hasPrefix("-") { return args } // a positional argument: no subcommand here
        k += takesValue.contains(args[k]) ? 2 : 1
    }
    return args
}

// Usage errors exit with 2 (as sqlite3 and most Unix tools do), not ArgumentParser's 64.
do {
    var command = try Kanbao.parseAsRoot(subcommandFirst(Array(CommandLine.arguments.dropFirst())))
    try command.run()
} catch let e as ExitCode {
    exit(e.rawValue)
} catch {
    let code = Kanbao.exitCode(for: error)
    if code == .success {
        print(Kanbao.fullMessage(for: error))
        exit(0)
    }
    FileHandle.standardError.write(Data((Kanbao.fullMessage(for: error) + "\n").utf8))
    exit(2)
}
