// The field catalog is the one place fields are described: every field has an entry,
// read by its ordinal, and every consumer agrees with it.
import KanbaoOutput
import KanbaoStore
import XCTest

@testable import KanbaoQuery

final class FieldCatalogTests: XCTestCase {
    func testEveryFieldHasOneEntryReadByItsOrdinal() {
        XCTAssertEqual(FieldCatalog.specs.map(\.field), Field.allCases)
        for (k, f) in Field.allCases.enumerated() {
            XCTAssertEqual(f.ordinal, k, f.rawValue)
            XCTAssertEqual(f.spec.field, f)
            XCTAssertEqual(Field.named(f.rawValue), f)
        }
    }

    /// Each groupable field groups the seeds, and the groups account for every article
    /// (list fields that put an article in each of their groups account for at least it).
    func testEveryGroupableFieldGroups() {
        let store = Fixtures.store
        let session = Session(store: store)
        for f in Field.allCases where f.isGroupable {
            let source = f.isFigureField ? "figures " : ""
            let r = Fixtures.run("\(source)| stats count() by \(f.rawValue)", format: .tsv, session: session)
            XCTAssertTrue(r.ok, "\(f.rawValue): \(r.err)")
            let counts = r.out.split(separator: "\n").dropFirst().compactMap {
                $0.split(separator: "\t").last.flatMap { Int($0) }
            }
            let total = f.isFigureField ? store.figures.count : store.articles.count
            if f.spec.groupsEachValue {
                XCTAssertGreaterThanOrEqual(counts.reduce(0, +), total, f.rawValue)
            } else {
                XCTAssertEqual(counts.reduce(0, +), total, f.rawValue)
            }
        }
    }

    /// The export reads the same cells a query shows.
    func testExportAndQueryReadTheSameCells() throws {
        let store = Fixtures.store
        var lines: [String] = []
        try Exporter.export(.articles, format: .jsonl, store: store) { lines.append($0) }
        let access = ColumnAccess(store: store, source: .articles)
        for (i, line) in lines.enumerated() {
            for (key, field) in FieldCatalog.articleExport {
                XCTAssertTrue(line.contains("\"\(key)\":" + access.cell(field.rawValue, Int32(i)).json), "\(i) \(key)")
            }
        }
    }
}
