// Short fuzz runs inside the suite; the long run is `swift run -c release kanbao-fuzz`.
import KanbaoFuzz
import KanbaoSeeds
import XCTest

final class FuzzTests: XCTestCase {
    func testGeneratedQueriesNeverCrashAndAlwaysLocateTheirErrors() {
        let o = QueryFuzzer.run(store: Fixtures.store, seed: 42, count: 3000)
        XCTAssertEqual(o.violations, [], o.violations.prefix(5).joined(separator: "\n"))
        XCTAssertGreaterThan(o.answered, 200)
        XCTAssertGreaterThan(o.diagnosed, 200)
    }

    func testMutatedPagesStillAccountForEveryCharacter() {
        let o = PageFuzzer.run(seeds: Seeds.pages.map(\.bytes), seed: 7, count: 300)
        XCTAssertEqual(o.violations, [])
        XCTAssertGreaterThan(o.articles, 300)
    }
}
