import KanbaoQuery
import XCTest

final class CompletionTests: XCTestCase {
    let c = Completer(store: Fixtures.store, namedFilters: ["防疫", "防汛"])

    func testFieldsStagesAndValues() {
        XCTAssertEqual(c.complete("dist"), Completion(insert: "rict", candidates: ["district", "districts"]))
        XCTAssertEqual(c.complete("district:中牟")?.insert, "县 ")
        XCTAssertEqual(c.complete("营商环境 district:经开")?.insert, "区 ")
        XCTAssertEqual(c.complete("place:大孟")?.insert, "镇 ")
        XCTAssertEqual(c.complete("figures unit:平方")?.candidates, ["平方米", "平方公里", "平方千米"])
        XCTAssertEqual(c.complete("营商环境 | so")?.insert, "rt ")
        XCTAssertEqual(c.complete("营商环境 | count by dis")?.insert, "trict")
        XCTAssertEqual(c.complete("figures approx:u")?.insert, "nder ")
        XCTAssertEqual(c.complete("$防")?.candidates, ["防汛", "防疫"])
        XCTAssertEqual(c.complete(".mo")?.insert, "de ")
        XCTAssertNil(c.complete("营商环境 | sort zzz"))
        // Search (issue #16): the new stages, the relevance fields, the proximity words.
        XCTAssertEqual(c.complete("district:中牟县 | ter")?.insert, "ms ")
        XCTAssertEqual(c.complete("| col")?.insert, "loc ")
        XCTAssertEqual(c.complete("疫情 | sort sc")?.insert, "ore")
        XCTAssertEqual(c.complete("疫情 nea")?.insert, "r")
        XCTAssertEqual(c.complete("pag")?.insert, "es")
    }

    func testPathsAfterRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-complete-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("studies"), withIntermediateDirectories: true)
        try Data().write(to: dir.appendingPathComponent("study.kbq"))
        XCTAssertEqual(c.complete(".read \(dir.path)/stu")?.candidates, ["studies/", "study.kbq"])
        XCTAssertEqual(c.complete(".read \(dir.path)/study.")?.insert, "kbq")
    }
}
