import ArgumentParser
import KanbaoStore

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Pages, articles and figures loaded, and where every character of the pages went.")

    @OptionGroup var corpus: CorpusOptions

    func run() throws {
        let store = try corpus.load()
        let out = OutputStream.standardOutput
        try out.write(StatsReport.render(store))
        try out.flush()
    }
}

enum StatsReport {
    static func render(_ store: Store) -> String {
        let a = store.account
        var lines: [String] = []
        func row(_ k: String, _ v: Int) {
            lines.append(k.padding(toLength: 36, withPad: " ", startingAt: 0) + String(v))
        }
        row("pages", store.pages.count)
        row("files skipped", store.skipped.count)
        row("articles", store.articles.count)
        row("figures", store.figures.count)
        row("invalid byte sequences replaced", store.pages.reduce(0) { $0 + $1.replacedBytes })
        lines.append("")
        lines.append("characters")
        row("  read", a.read)
        row("  placed: headlines", a.headlines)
        row("  placed: bylines and speakers", a.bylines)
        row("  placed: bodies", a.bodies)
        row("    of which sub-heads", a.subheads)
        row("  placed: banners", a.banners)
        row("  placed: captions", a.captions)
        for (k, v) in a.dropped.sorted(by: { $0.key < $1.key }) { row("  dropped: \(k)", v) }
        row("  placed + dropped", a.placed + a.droppedTotal)
        lines.append(
            "  balance".padding(toLength: 36, withPad: " ", startingAt: 0)
                + (a.balances
                    ? "ok (read = placed + dropped)" : "MISMATCH: \(a.read - a.placed - a.droppedTotal) unaccounted"))
        lines.append("")
        lines.append("memory (bytes)")
        let m = store.memoryUse
        for (k, v) in m.sorted(by: { $0.value > $1.value }) { row("  \(k)", v) }
        row("  total", m.values.reduce(0, +))
        if !store.skipped.isEmpty {
            lines.append("")
            lines.append("skipped files")
            for s in store.skipped { lines.append("  \(s.path): \(s.reason)") }
        }
        if !store.warnings.isEmpty {
            lines.append("")
            lines.append("warnings")
            for w in store.warnings { lines.append("  \(w)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
