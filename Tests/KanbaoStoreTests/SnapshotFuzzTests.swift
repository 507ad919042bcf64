import Foundation
import KanbaoIngest
import KanbaoOutput
import KanbaoQuery
import XCTest

@testable import KanbaoStore

/// The checksum stops a damaged snapshot; what stops a crafted one (damaged, then given a
/// correct checksum again) is the reader's structural checks and readers that never
/// trust a byte. Here bytes of a real snapshot are changed and the checksum recomputed:
/// every such file must be refused with a message, or load into a store whose every
/// article, figure and posting list can be read without a crash.
final class SnapshotFuzzTests: XCTestCase {
    func reseal(_ bytes: [UInt8]) -> [UInt8] {
        var out = Array(bytes.dropLast(8))
        var sum = out.withUnsafeBytes { Snapshot.BlockChecksum.parallel($0) }.littleEndian
        withUnsafeBytes(of: &sum) { out.append(contentsOf: $0) }
        return out
    }

    func testResealedDamageIsRefusedOrHarmless() throws {
        let good = Snapshot.encode(SeedCorpus.store)
        XCTAssertEqual(try Snapshot.decode(reseal(good)).articles.count, 28, "resealing alone changes nothing")
        let rounds = Int(ProcessInfo.processInfo.environment["KANBAO_SNAPSHOT_FUZZ_ROUNDS"] ?? "") ?? 400
        var g = SeededRandom(
            state: UInt64(ProcessInfo.processInfo.environment["KANBAO_SNAPSHOT_FUZZ_SEED"] ?? "") ?? 2024)
        var refused = 0
        var loaded = 0
        for round in 0..<rounds {
            var bytes = good
            // One to three changes: a random byte, a byte set to 0xFF or 0x00, or a
            // length field (the 8 bytes after a section) made huge or small.
            for _ in 0...(round % 3) {
                let at = Snapshot.headerSize + Int(g.next() % UInt64(bytes.count - 8 - Snapshot.headerSize))
                switch g.next() % 3 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: g.next())
                case 1: bytes[at] = g.next() % 2 == 0 ? 0xFF : 0x00
                default: bytes[at] ^= 0x80
                }
            }
            do {
                let store = try Snapshot.decode(reseal(bytes))
                loaded += 1
                // Read everything a query could read.
                var n = 0
                try Exporter.export(.articles, format: .jsonl, store: store) { n += $0.utf8.count }
                try Exporter.export(.figures, format: .jsonl, store: store) { n += $0.utf8.count }
                for k in 0..<store.bodyIndex.keys.count { _ = store.bodyIndex.decode(k) }
                for k in 0..<store.titleIndex.keys.count { _ = store.titleIndex.decode(k) }
                for w in ["党建", "营商环境", "，", "的"] {
                    _ = store.bodyIndex.candidates(w)
                    _ = store.titleIndex.candidates(w)
                }
                for i in 0..<store.figures.count { _ = store.figureContextContains(i, "人") }
                for i in 0..<store.articles.count { _ = store.articles.notes[i] }
                _ = store.account
                XCTAssertGreaterThan(n, 0)
            } catch let e as SnapshotError {
                refused += 1
                XCTAssertFalse("\(e)".isEmpty)
            }
        }
        XCTAssertGreaterThan(refused, 50)
        XCTAssertGreaterThan(loaded, 50, "most single-byte changes inside text are harmless and load")
    }
}
