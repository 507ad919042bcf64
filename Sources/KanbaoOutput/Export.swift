// `kanbao export articles|figures`: the stable schema of PRODUCT.md, as JSON lines or CSV.
import KanbaoStore

public enum ExportTable: String, CaseIterable, Sendable { case articles, figures }
public enum ExportFormat: String, CaseIterable, Sendable { case jsonl, csv }

public enum Exporter {
    public static let articleFields = ["id", "source", "title", "headline", "byline", "reporters", "district", "districts",
                                       "places", "date", "date_precision", "date_source", "body", "chars", "figures",
                                       "published", "published_source"]
    public static let figureFields = ["article", "raw", "value", "value_max", "unit", "approx", "context", "offset"]

    /// Writes the table through `write`, one chunk per row, so memory stays flat.
    public static func export(_ table: ExportTable, format: ExportFormat, store: Store, write: (String) throws -> Void) throws {
        switch (table, format) {
        case (.articles, .jsonl):
            for i in 0..<store.articles.count { try write(articleJSON(store, i) + "\n") }
        case (.figures, .jsonl):
            for i in 0..<store.figures.count { try write(figureJSON(store, i) + "\n") }
        case (.articles, .csv):
            try write(articleFields.joined(separator: ",") + "\n")
            for i in 0..<store.articles.count {
                try write(articleValues(store, i).map { CSV.field($0) }.joined(separator: ",") + "\n")
            }
        case (.figures, .csv):
            try write(figureFields.joined(separator: ",") + "\n")
            for i in 0..<store.figures.count {
                try write(figureValues(store, i).map { CSV.field($0) }.joined(separator: ",") + "\n")
            }
        }
    }

    public static func articleJSON(_ s: Store, _ i: Int) -> String { object(articleFields, articleCells(s, i)) }
    public static func figureJSON(_ s: Store, _ i: Int) -> String { object(figureFields, figureCells(s, i)) }
    static func articleValues(_ s: Store, _ i: Int) -> [String] { articleCells(s, i).map(csvText) }
    static func figureValues(_ s: Store, _ i: Int) -> [String] { figureCells(s, i).map(csvText) }

    /// One article's fields, in `articleFields` order: the one place the schema is read
    /// from the columns, for JSON and CSV alike.
    static func articleCells(_ s: Store, _ i: Int) -> [Cell] {
        let a = s.articles
        return [.int(i), .text(a.source[i] ?? ""), .text(a.title[i]), .list(a.headline[i]),
                a.hasByline[i] ? .text(a.byline[i]) : .null, .list(a.reporters[i]), a.district[i].map(Cell.text) ?? .null,
                .list(a.districts[i]), .list(a.places[i]), s.date(ofArticle: i).map { .text($0.description) } ?? .null,
                .text(DatePrecision(rawValue: a.datePrecision[i])!.name), .text(DateSource(rawValue: a.dateSource[i])!.name),
                .text(a.body[i]), .int(Int(a.chars[i])), .int(Int(a.figureStart[i + 1] - a.figureStart[i])),
                s.published(ofArticle: i).map { .text($0.description) } ?? .null,
                .text(DateSource(rawValue: a.publishedSource[i])!.name)]
    }

    static func figureCells(_ s: Store, _ i: Int) -> [Cell] {
        let f = s.figures
        return [.int(Int(f.article[i])), .text(s.figureRaw(i)), .double(f.value[i]),
                f.valueMax[i].isNaN ? .null : .double(f.valueMax[i]), .text(f.unit[i] ?? ""),
                .text(Approx(rawValue: f.approx[i])!.name), .text(s.figureContext(i)), .int(s.figureOffset(i))]
    }

    static func object(_ names: [String], _ cells: [Cell]) -> String {
        "{" + zip(names, cells).map { "\"\($0.0)\":" + $0.1.json }.joined(separator: ",") + "}"
    }

    /// CSV cells: lists are JSON arrays (a cell holds one value), null is empty.
    static func csvText(_ c: Cell) -> String {
        if case .list(let l) = c { return JSON.array(l) }
        return c.text
    }
}
