// `kanbao export articles|figures`: the stable schema of PRODUCT.md, as JSON lines or CSV.
import KanbaoStore

public enum ExportTable: String, CaseIterable, Sendable { case articles, figures }
public enum ExportFormat: String, CaseIterable, Sendable { case jsonl, csv }

public enum Exporter {
    public static let articleFields = ["id", "source", "title", "headline", "byline", "reporters", "district", "districts",
                                       "places", "date", "date_precision", "date_source", "body", "chars", "figures"]
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

    public static func articleJSON(_ s: Store, _ i: Int) -> String {
        let a = s.articles
        let date = s.date(ofArticle: i)
        var f: [String] = []
        f.append("\"id\":\(i)")
        f.append("\"source\":" + JSON.string(a.source[i] ?? ""))
        f.append("\"title\":" + JSON.string(a.title[i]))
        f.append("\"headline\":" + JSON.array(a.headline[i]))
        f.append("\"byline\":" + (a.hasByline[i] ? JSON.string(a.byline[i]) : "null"))
        f.append("\"reporters\":" + JSON.array(a.reporters[i]))
        f.append("\"district\":" + (a.district[i].map(JSON.string) ?? "null"))
        f.append("\"districts\":" + JSON.array(a.districts[i]))
        f.append("\"places\":" + JSON.array(a.places[i]))
        f.append("\"date\":" + (date.map { JSON.string($0.description) } ?? "null"))
        f.append("\"date_precision\":" + JSON.string(DatePrecision(rawValue: a.datePrecision[i])!.name))
        f.append("\"date_source\":" + JSON.string(DateSource(rawValue: a.dateSource[i])!.name))
        f.append("\"body\":" + JSON.string(a.body[i]))
        f.append("\"chars\":\(a.chars[i])")
        f.append("\"figures\":\(a.figureStart[i + 1] - a.figureStart[i])")
        return "{" + f.joined(separator: ",") + "}"
    }

    public static func figureJSON(_ s: Store, _ i: Int) -> String {
        let f = s.figures
        var o: [String] = []
        o.append("\"article\":\(f.article[i])")
        o.append("\"raw\":" + JSON.string(s.figureRaw(i)))
        o.append("\"value\":" + JSON.number(f.value[i]))
        o.append("\"value_max\":" + (f.valueMax[i].isNaN ? "null" : JSON.number(f.valueMax[i])))
        o.append("\"unit\":" + JSON.string(f.unit[i] ?? ""))
        o.append("\"approx\":" + JSON.string(Approx(rawValue: f.approx[i])!.name))
        o.append("\"context\":" + JSON.string(s.figureContext(i)))
        o.append("\"offset\":\(f.offset[i])")
        return "{" + o.joined(separator: ",") + "}"
    }

    /// CSV cells: lists are JSON arrays (a cell holds one value), null is empty.
    static func articleValues(_ s: Store, _ i: Int) -> [String] {
        let a = s.articles
        let date = s.date(ofArticle: i)
        return [String(i), a.source[i] ?? "", a.title[i], JSON.array(a.headline[i]), a.hasByline[i] ? a.byline[i] : "",
                JSON.array(a.reporters[i]), a.district[i] ?? "", JSON.array(a.districts[i]), JSON.array(a.places[i]),
                date?.description ?? "", DatePrecision(rawValue: a.datePrecision[i])!.name,
                DateSource(rawValue: a.dateSource[i])!.name, a.body[i], String(a.chars[i]),
                String(a.figureStart[i + 1] - a.figureStart[i])]
    }

    static func figureValues(_ s: Store, _ i: Int) -> [String] {
        let f = s.figures
        return [String(f.article[i]), s.figureRaw(i), JSON.number(f.value[i]), f.valueMax[i].isNaN ? "" : JSON.number(f.valueMax[i]),
                f.unit[i] ?? "", Approx(rawValue: f.approx[i])!.name, s.figureContext(i), String(f.offset[i])]
    }
}
