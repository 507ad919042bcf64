// `kanbao export articles|figures`: the stable schema of PRODUCT.md, as JSON lines or
// CSV. Each key is read through the field catalog, as a query reads the same field.
import KanbaoOutput
import KanbaoStore

public enum ExportTable: String, CaseIterable, Sendable { case articles, figures }
public enum ExportFormat: String, CaseIterable, Sendable { case jsonl, csv }

public enum Exporter {
    public static let articleFields = FieldCatalog.articleExport.map(\.key)
    public static let figureFields = FieldCatalog.figureExport.map(\.key)

    /// Writes the table through `write`, one chunk per row, so memory stays flat.
    public static func export(_ table: ExportTable, format: ExportFormat, store: Store, write: (String) throws -> Void)
        throws
    {
        let schema = table == .articles ? FieldCatalog.articleExport : FieldCatalog.figureExport
        let specs = schema.map(\.field.spec)
        let rows = table == .articles ? store.articles.count : store.figures.count
        func cells(_ r: Int) -> [Cell] {
            let article = table == .articles ? r : Int(store.figures.article[r])
            return specs.map { $0.cell(store, article, r) }
        }
        switch format {
        case .jsonl:
            for r in 0..<rows { try write(object(schema.map(\.key), cells(r)) + "\n") }
        case .csv:
            try write(schema.map(\.key).joined(separator: ",") + "\n")
            for r in 0..<rows { try write(cells(r).map { CSV.field($0.csvText) }.joined(separator: ",") + "\n") }
        }
    }

    static func object(_ names: [String], _ cells: [Cell]) -> String {
        "{" + zip(names, cells).map { "\"\($0.0)\":" + $0.1.json }.joined(separator: ",") + "}"
    }
}
