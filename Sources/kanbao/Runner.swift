// Runs statements for the command line: -c, -f, stdin and (later) the prompt. Renders
// results in the chosen format, reports errors on stderr, and keeps the exit status.
import Foundation
import KanbaoIngest
import KanbaoOutput
import KanbaoQuery
import KanbaoStore

#if canImport(Glibc)
    import Glibc
#endif

final class Runner {
    let session: Session
    var format: OutputFormat
    var formatChosen: Bool
    var timer = false
    /// CSV and TSV header lines (`.headers on|off`, `--no-header`).
    var headers = true
    /// `.once FILE` is in force: the next statement's output goes to the file, then back.
    var once = false
    var color: Bool
    var out: OutputStream = .standardOutput
    var outputPath: String?
    var quit = false
    let interactive: Bool
    /// The prompt's history, for .history.
    var historyProvider: (() -> [String])?
    var readDepth = 0
    static let maxReadDepth = 16
    /// Table output on a terminal stops here; other formats write every row.
    static let maxTableRows = 1000

    init(session: Session, format: OutputFormat?, color: Bool, interactive: Bool) {
        self.session = session
        self.formatChosen = format != nil
        // Tables are for terminals; a pipe or a file gets TSV with a header line.
        self.format = format ?? (Terminal.isTTY(1) ? .table : .tsv)
        self.color = color
        self.interactive = interactive
    }

    /// Runs a script; false when a statement failed.
    @discardableResult
    func run(_ text: String, name: String, bail: Bool) -> Bool {
        var ok = true
        let outer = script
        script = (text, name)
        defer { script = outer }
        session.run(text, name: name, bail: bail) { result, seconds in
            if quit { return }
            if !handle(result, seconds: seconds, name: name, bail: bail) { ok = false }
        }
        try? out.flush()
        return ok
    }

    func handle(_ result: StatementResult, seconds: Double, name: String, bail: Bool) -> Bool {
        var ok = true
        switch result {
        case .table(var t):
            let total = t.rows.count
            if format == .table && total > Runner.maxTableRows {
                t.rows = Array(t.rows.prefix(Runner.maxTableRows))
            }
            // Colour is for the terminal: never in a file written by .output.
            let options = RenderOptions(width: Terminal.width(), color: color && outputPath == nil, header: headers)
            write(Renderer.render(t, as: format, options: options))
            if format == .table {
                var footer = "(\(total) row\(total == 1 ? "" : "s")"
                if interactive { footer += String(format: ", %.1f ms", seconds * 1000) }
                footer += ")"
                if total > t.rows.count {
                    footer +=
                        " showing the first \(t.rows.count); add | limit, or use .mode csv or .output FILE for all"
                }
                if let note = t.note { footer += " " + note }
                write(footer + "\n")
            }
        case .text(let s):
            write(s)
        case .document(let text, let json):
            write(format == .json || format == .jsonl ? json : text)
        case .failure(let failure):
            report(failure)
            ok = false
        case .command(let name, let argument, let range):
            commandRange = range
            ok = command(name, argument, bail: bail)
            if name == "once" { return ok } // the next statement's output goes to the file
        }
        if outputPath != nil {
            // Flush now so that a full disk is noticed on the statement that filled it.
            do { try out.flush() } catch { write("") }
        }
        if writeFailed {
            writeFailed = false
            ok = false
        }
        if once {
            // .once FILE: one statement's output, then the screen again.
            try? out.flush()
            out = .standardOutput
            outputPath = nil
            once = false
        }
        if timer {
            try? out.flush()
            FileHandle.standardError.write(Data(String(format: "Run Time: %.3f ms\n", seconds * 1000).utf8))
        }
        return ok
    }

    /// Writes a result; when writing to an .output file fails (a full disk), the partial
    /// file is removed, output goes back to the screen, and the statement counts as failed.
    var writeFailed = false

    func write(_ s: String) {
        do { try out.write(s) } catch {
            writeFailed = true
            if let path = outputPath {
                out.discard()
                var st = stat()
                if lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG { unlink(path) }
                Diagnostics.error(
                    "cannot write to \(path): \(error); the partial file was removed, output is back on the screen")
                out = .standardOutput
                outputPath = nil
            } else {
                Diagnostics.error("cannot write output: \(error)")
            }
        }
    }

    /// Why a file given as a script is not one (NUL bytes: a binary file), or nil.
    static func notText(_ data: Data) -> String? {
        data.prefix(65536).contains(0) ? "it is a binary file, not a script of statements" : nil
    }

    /// The text and name of the script being run, and the range of the dot-command being
    /// carried out: a command's failure is a diagnostic at that command, like any other.
    var script: (text: String, name: String)?
    var commandRange: SourceRange?

    func fail(_ message: String) -> Bool {
        guard let script, let commandRange else {
            try? out.flush()
            Diagnostics.error(message)
            return false
        }
        report(
            Failure(
                diagnostics: [Diagnostic(message, at: commandRange, id: .command)], source: script.text,
                name: script.name))
        return false
    }

    /// Every statement's failure reaches the user here, rendered by `Diagnostic.render`.
    func report(_ failure: Failure) {
        try? out.flush()
        FileHandle.standardError.write(Data(failure.rendered.utf8))
    }

    /// Dot-commands that touch files or the runner's settings.
    func command(_ name: String, _ argument: String, bail: Bool) -> Bool {
        switch name {
        case "help":
            write(Help.text(topic: argument))
        case "mode":
            let names = OutputFormat.allCases.map(\.rawValue)
            if argument.isEmpty {
                write("\(format.rawValue)\n") // .mode alone says which
                return true
            }
            guard let f = OutputFormat(rawValue: argument.lowercased()) else {
                let hint = Suggest.nearest(argument, in: names).map { " (did you mean '\($0)'?)" } ?? ""
                return fail("unknown mode '\(argument)'\(hint); .mode takes one of: \(names.joined(separator: ", "))")
            }
            format = f
        case "headers":
            switch argument.lowercased() {
            case "on": headers = true
            case "off": headers = false
            default: return fail(".headers takes on or off")
            }
        case "tables":
            write(
                "articles (one row per article)\nfigures (one row per figure, with its article's fields)\n"
                    + "pages (one row per page file: source, published, banners, captions, articles)\n")
        case "timer":
            switch argument.lowercased() {
            case "on": timer = true
            case "off": timer = false
            default: return fail(".timer takes on or off")
            }
        case "stats":
            write(StatsReport.render(session.store))
        case "read":
            guard !argument.isEmpty else { return fail(".read needs a file name") }
            // A script that reads itself (directly or in a ring) stops here, not in a stack overflow.
            guard readDepth < Runner.maxReadDepth else {
                return fail(
                    ".read \(argument): scripts nested more than \(Runner.maxReadDepth) deep (does a script read itself?)"
                )
            }
            // A relative path inside a script is the script's neighbour, as in sqlite3.
            var path = (argument as NSString).expandingTildeInPath
            if !path.hasPrefix("/"), let outer = script?.name,
                outer.contains("/") || FileManager.default.fileExists(atPath: outer)
            {
                let folder = (outer as NSString).deletingLastPathComponent
                if !folder.isEmpty { path = folder + "/" + path }
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                let why = FileManager.default.fileExists(atPath: path) ? "it cannot be opened" : "no such file"
                return fail("cannot read \(path): \(why)")
            }
            if let reason = Runner.notText(data) { return fail("cannot read \(path): \(reason)") }
            readDepth += 1
            defer { readDepth -= 1 }
            return run(String(decoding: data, as: UTF8.self), name: path, bail: bail)
        case "output", "once":
            try? out.flush()
            once = name == "once" && !argument.isEmpty
            if argument.isEmpty {
                out = .standardOutput
                outputPath = nil
            } else {
                guard let stream = OutputStream(path: argument) else {
                    let why =
                        errno == ELOOP
                        ? "it is a symbolic link (refusing to write through it)" : String(cString: strerror(errno))
                    return fail("cannot write to \(argument): \(why)")
                }
                out = stream
                outputPath = argument
            }
        case "load":
            guard !argument.isEmpty else { return fail(".load needs a folder, page file or .jsonl") }
            session.cancel.reset()
            do {
                session.replace(store: try CorpusOptions(corpus: argument).load(cancel: session.cancel))
            } catch CorpusError.interrupted {
                return fail(".load cancelled; the corpus is the one loaded before")
            } catch {
                return fail("\(error)")
            }
            write("loaded \(session.store.pages.count) pages, \(session.store.articles.count) articles\n")
        case "save":
            guard !argument.isEmpty else { return fail(".save needs a file name, as in .save corpus.kbs") }
            do { try Snapshot.write(session.store, to: argument) } catch { return fail("\(error)") }
            write("saved \(session.store.articles.count) articles to \(argument)\n")
        case "quit", "exit", "q":
            quit = true
        case "history":
            let entries = historyProvider?() ?? []
            if entries.isEmpty { write("(no history)\n") }
            for (k, e) in entries.enumerated() { write(String(format: "%5d  ", k + 1) + e + "\n") }
        default:
            return fail(".\(name) is not available here yet")
        }
        return true
    }
}

enum Help {
    static let topics: [String: String] = [
        "filters": """
        Filters (juxtaposition is and; also or, not, -, parentheses):
          营商环境  "电影 小镇"  title:营商环境  body:疫苗
          district:中牟县  district:中牟  district in (中原区, 二七区)   place:大孟镇
          date:2022  date:2022-04  date:2022-04-09  date:2020..2021  date >= 2020-10-01  date:2022年4月
          published:2022-04  published_source:page
          reporter:卢文军  reporter:卢  source:FILE  chars > 500  speaker:马东亮
          date:none  district:none  (unknown values; comparisons such as != never match them)
          figure(unit:元 value > 1万)  (articles with such a figure)
          figures: unit:人  value > 1000  value >= 1.5万  approx:over  context:志愿者
          let $防疫 = 疫苗 or 核酸; $防疫 district:惠济区
        Search (text is folded: 電影小鎮 = 电影小镇, Ｂ级 = b级):
          exact:"電影小鎮"  (as printed)   疫情 near/5 防控   疫情 near 防控 (near/10)   党建 before/20 引领
          /疫.{0,4}防控/  (a pattern)     … | sort score desc   … | where hits >= 3
          pages 国庆期间坚守岗位  (pages by their banners and captions; pages published:2022 | count)

        """,
        "stages": """
        Stages, after |:
          where FILTER · sort KEY [desc], … · limit N · show COL, … | show *
          count · count by KEY, … · stats count(), sum(x), avg(x), min(x), max(x) [by KEY, …]
          top N KEY · kwic [WORD] [width N] · chart
          terms [N] [vs FILTER] (what is distinctive, by G²) · colloc WORD [N] (its neighbours)
        Group keys: \(Field.allCases.filter(\.isGroupable).map(\.rawValue).joined(separator: " "))

        """,
        "commands": """
        .help [filters|stages|commands|formats]   .schema   .tables   .districts   .stats   .history   .why ID
        .mode [table|csv|tsv|json|jsonl|markdown|line]   .headers on|off   .timer on|off
        .output FILE   .output (back to the screen)   .once FILE (the next statement only)
        .read FILE   .load PATH   .save FILE.kbs   .quit (.exit, .q)
        Before the prompt: ~/.kanbaorc (or --init FILE; --no-init skips it)

        """,
        "formats": """
        table (aligned, for terminals), csv (RFC 4180), tsv (with a header), json, jsonl, markdown,
        line (one field = value a line). .headers off or --no-header: no CSV/TSV header line.
        Without --format or .mode: table on a terminal, tsv when output goes to a pipe or file.

        """,
    ]

    static func text(topic: String) -> String {
        if !topic.isEmpty {
            return topics[topic.lowercased()]
                ?? "No help on '\(topic)'. Topics: \(topics.keys.sorted().joined(separator: ", "))\n"
        }
        return """
            Kanbao queries: filters, then | stages.
              营商环境                         articles whose title or body contains it
              营商环境 district:中牟县 date:2019   and: juxtaposition; also 'or', 'not', '-', ( )
              figures unit:人 value > 1000     one row per figure
              … | count by district | chart   stages: where sort limit show count stats top kwic chart terms colloc
              疫情 near/5 防控  /疫.{0,4}防控/   proximity and patterns; 電影小鎮 finds 电影小镇
              explain QUERY                    the plan; explain analyze runs it
              why ID                           how article ID's title, district, places and dates were decided
              let $防疫 = 疫苗 or 核酸            a named filter, used as $防疫
            Commands: .help .schema .districts .mode FORMAT .timer on|off .output [FILE] .read FILE
                      .load PATH .save FILE .stats .history .quit
            .help filters | stages | commands | formats for more; the README has the full reference.

            """
    }
}
