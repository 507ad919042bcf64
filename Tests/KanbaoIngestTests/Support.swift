import Foundation
import KanbaoIngest
import KanbaoSeeds
import KanbaoStore
import XCTest

/// The seeds, loaded once for all tests.
enum SeedCorpus {
    static let store: Store = CorpusLoader().load(pages: Seeds.pages)

    static func article(titled title: String, file: StaticString = #filePath, line: UInt = #line) -> Int {
        for i in 0..<store.articles.count where store.articles.title[i] == title { return i }
        XCTFail("no article titled \(title)", file: file, line: line)
        return -1
    }

    static func article(containing text: String) -> Int? {
        (0..<store.articles.count).first { store.articles.body[$0].contains(text) }
    }

    /// The repository root, found from this file's path.
    static let repoRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}
