// The export of the seeds, reviewed by hand and kept under Golden/. It changes only on
// purpose: run with KANBAO_UPDATE_GOLDEN=1 to rewrite it, then read the diff.
import Foundation
import KanbaoOutput
import KanbaoQuery
import KanbaoStore
import KanbaoTestSupport
import XCTest

final class GoldenExportTests: XCTestCase {
    func export(_ table: ExportTable) throws -> String {
        var out = ""
        try Exporter.export(table, format: .jsonl, store: SeedCorpus.store) { out += $0 }
        return out
    }

    func compare(_ table: ExportTable) throws {
        let url = SeedCorpus.repoRoot.appendingPathComponent(
            "Tests/KanbaoIngestTests/Golden/seeds.\(table.rawValue).jsonl")
        let actual = try export(table)
        if ProcessInfo.processInfo.environment["KANBAO_UPDATE_GOLDEN"] == "1" {
            try Data(actual.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        let a = actual.split(separator: "\n")
        let e = expected.split(separator: "\n")
        XCTAssertEqual(a.count, e.count, "\(table) rows")
        for (k, (x, y)) in zip(a, e).enumerated() where x != y {
            XCTFail("\(table) line \(k + 1) differs:\n  got      \(x.prefix(300))\n  expected \(y.prefix(300))")
            break
        }
    }

    func testArticlesGolden() throws { try compare(.articles) }
    func testFiguresGolden() throws { try compare(.figures) }

    /// The export's keys are exactly PRODUCT.md's, written out here rather than taken from
    /// the exporter, and every line lists them in that order.
    func testSchemaFieldsInOrder() throws {
        let articleSchema = [
            "id", "source", "title", "headline", "byline", "reporters", "district", "districts", "places",
            "date", "date_precision", "date_source", "body", "chars", "figures", "published", "published_source",
        ]
        let figureSchema = ["article", "raw", "value", "value_max", "unit", "approx", "context", "offset"]
        for (table, schema) in [(ExportTable.articles, articleSchema), (.figures, figureSchema)] {
            for line in try export(table).split(separator: "\n") {
                let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                XCTAssertEqual(Set(obj.keys), Set(schema), "\(table)")
                let positions = schema.map { line.range(of: "\"\($0)\":")!.lowerBound }
                XCTAssertEqual(positions, positions.sorted(), "\(table) keys out of order: \(line.prefix(80))")
            }
        }
    }

    func testCSVExportParsesWithOneRowPerArticle() throws {
        var out = ""
        try Exporter.export(.articles, format: .csv, store: SeedCorpus.store) { out += $0 }
        let rows = parseCSV(out)
        XCTAssertEqual(rows.count, SeedCorpus.store.articles.count + 1)
        XCTAssertEqual(rows[0], Exporter.articleFields)
        XCTAssertTrue(rows.dropFirst().allSatisfy { $0.count == Exporter.articleFields.count })
        XCTAssertEqual(rows[1][12], SeedCorpus.store.articles.body[0]) // bodies with line breaks round-trip
    }
}
