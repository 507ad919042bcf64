// ResultTable → text in each output format. Only the table format is for people: it
// aligns by display width, right-aligns numbers, fits the terminal and truncates with …;
// every other format writes every value whole.

public enum OutputFormat: String, CaseIterable, Sendable {
    case table, csv, tsv, json, jsonl, markdown
    /// One `field = value` per line, a blank line between records (sqlite3's .mode line),
    /// for reading whole articles.
    case line
}

public struct RenderOptions: Sendable {
    /// Terminal width for tables and charts.
    public var width: Int = 100
    public var color = false
    /// The header line of CSV and TSV (`.headers off`, `--no-header` leave it out).
    public var header = true
    public init(width: Int = 100, color: Bool = false, header: Bool = true) {
        self.width = width
        self.color = color
        self.header = header
    }
}

public enum Renderer {
    public static func render(_ t: ResultTable, as format: OutputFormat, options: RenderOptions = RenderOptions())
        -> String
    {
        switch format {
        case .table: return t.chart ? chart(t, options) : table(t, options)
        case .csv: return delimited(t, sep: ",", options: options)
        case .tsv: return delimited(t, sep: "\t", options: options)
        case .json: return "[" + t.rows.map { object(t.columns, $0) }.joined(separator: ",\n") + "]\n"
        case .jsonl: return t.rows.map { object(t.columns, $0) + "\n" }.joined()
        case .markdown: return markdown(t)
        case .line: return lines(t)
        }
    }

    /// `field = value`, the names right-aligned to the longest, a blank line between rows.
    static func lines(_ t: ResultTable) -> String {
        let width = t.columns.map { DisplayWidth.of($0) }.max() ?? 0
        return t.rows.map { row in
            zip(t.columns, row).map { name, cell in
                String(repeating: " ", count: width - DisplayWidth.of(name)) + name + " = " + cell.text
            }.joined(separator: "\n") + "\n"
        }.joined(separator: "\n")
    }

    static func object(_ cols: [String], _ row: [Cell]) -> String {
        "{" + zip(cols, row).map { JSON.string($0.0) + ":" + $0.1.json }.joined(separator: ",") + "}"
    }

    static func delimited(_ t: ResultTable, sep: Character, options: RenderOptions) -> String {
        func cell(_ s: String) -> String { sep == "," ? CSV.field(s) : CSV.tsvField(s) }
        var out = options.header ? t.columns.map(cell).joined(separator: String(sep)) + "\n" : ""
        for r in t.rows {
            out += r.map { cell($0.csvText) }.joined(separator: String(sep)) + "\n"
        }
        return out
    }

    static func markdown(_ t: ResultTable) -> String {
        func esc(_ s: String) -> String {
            var out = ""
            for c in s {
                switch c {
                case "|": out += "\\|"
                case "\n": out += "<br>"
                default: out.append(c)
                }
            }
            return out
        }
        var out = "| " + t.columns.map(esc).joined(separator: " | ") + " |\n"
        out += "|" + t.columns.indices.map { k in numericColumn(t, k) ? " ---: |" : " --- |" }.joined() + "\n"
        for r in t.rows { out += "| " + r.map { esc($0.text) }.joined(separator: " | ") + " |\n" }
        return out
    }

    static func numericColumn(_ t: ResultTable, _ k: Int) -> Bool {
        var any = false
        for r in t.rows {
            if r[k] == .null { continue }
            if !r[k].isNumeric { return false }
            any = true
        }
        return any
    }

    /// One line per row in a table cell: line breaks inside a value become ⏎.
    static func flat(_ s: String) -> String {
        guard s.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" }) else { return s }
        return String(s.map { $0 == "\n" || $0 == "\r" ? "⏎" : $0 == "\t" ? " " : $0 })
    }

    /// psql-style table: ` a | b ` rows under a rule. Plain ASCII rules, because box-drawing
    /// characters are "ambiguous width" and turn double-wide in CJK terminals.
    static func table(_ t: ResultTable, _ o: RenderOptions) -> String {
        let n = t.columns.count
        guard n > 0 else { return "" }
        let cells = t.rows.map { r in
            r.enumerated().map { k, c in
                if k < t.groupKeys && c == .null { return "(none)" }
                if t.twoDecimals.contains(k), case .double(let d) = c { return String(format: "%.2f", d) }
                return flat(c.text)
            }
        }
        let numeric = (0..<n).map { numericColumn(t, $0) }
        var widths = (0..<n).map { k in
            max(DisplayWidth.of(t.columns[k]), cells.map { DisplayWidth.of($0[k]) }.max() ?? 0)
        }
        // Fit the terminal: shrink the widest column until the table fits (or all are narrow).
        let overhead = 3 * n - 1 + 2
        while widths.reduce(0, +) + overhead > o.width {
            guard let k = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[k] > 8 else { break }
            widths[k] -= 1
        }
        func line(_ values: [String], header: Bool) -> String {
            var parts: [String] = []
            for k in 0..<n {
                let v = DisplayWidth.truncate(values[k], to: widths[k])
                parts.append(DisplayWidth.pad(v, to: widths[k], right: numeric[k] && !header))
            }
            var s = " " + parts.joined(separator: " | ")
            while s.hasSuffix(" ") { s.removeLast() }
            return s
        }
        // Colour (bold header) only when asked: on a terminal without NO_COLOR.
        var out =
            (o.color ? "\u{1b}[1m" + line(t.columns, header: true) + "\u{1b}[0m" : line(t.columns, header: true)) + "\n"
        out += widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "\n"
        for r in cells { out += line(r, header: false) + "\n" }
        return out
    }

    /// Horizontal bars for a grouped result: labels from the text columns, bar length from
    /// the last numeric column, scaled to the terminal.
    static func chart(_ t: ResultTable, _ o: RenderOptions) -> String {
        guard let valueCol = (0..<t.columns.count).last(where: { numericColumn(t, $0) }) else { return table(t, o) }
        let labelCols = (0..<t.columns.count).filter { $0 != valueCol }
        let labels = t.rows.map { r in
            labelCols.map { r[$0] == .null ? "(none)" : flat(r[$0].text) }.joined(separator: " ")
        }
        let values = t.rows.map { $0[valueCol].number ?? 0 }
        let texts = t.rows.map { $0[valueCol].text }
        let labelWidth = min(max(labels.map(DisplayWidth.of).max() ?? 0, 1), max(o.width / 3, 8))
        let numberWidth = texts.map(\.count).max() ?? 1
        let barWidth = max(o.width - labelWidth - numberWidth - 4, 10)
        let top = values.max() ?? 0
        let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var out = ""
        for (k, v) in values.enumerated() {
            let units = top > 0 ? Int((max(v, 0) / top * Double(barWidth * 8)).rounded()) : 0
            let bar = String(repeating: "█", count: units / 8) + eighths[units % 8]
            let label = DisplayWidth.pad(DisplayWidth.truncate(labels[k], to: labelWidth), to: labelWidth)
            out += label + " " + DisplayWidth.pad(texts[k], to: numberWidth, right: true) + " " + bar + "\n"
        }
        return out
    }
}
