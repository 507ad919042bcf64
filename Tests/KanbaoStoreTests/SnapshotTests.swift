import Foundation
import KanbaoIngest
import KanbaoOutput
import KanbaoQuery
import KanbaoStore
import KanbaoTestSupport
import XCTest

final class SnapshotTests: XCTestCase {
    func export(_ s: Store) throws -> String {
        var out = ""
        try Exporter.export(.articles, format: .jsonl, store: s) { out += $0 }
        try Exporter.export(.figures, format: .jsonl, store: s) { out += $0 }
        return out
    }

    func testRoundTripKeepsEveryColumnIndexAndPage() throws {
        let s = SeedCorpus.store
        let back = try Snapshot.decode(Snapshot.encode(s))
        XCTAssertEqual(try export(back), try export(s))
        XCTAssertEqual(back.pages.map(\.source), s.pages.map(\.source))
        XCTAssertEqual(back.pages.map(\.captions), s.pages.map(\.captions))
        XCTAssertEqual(back.account, s.account)
        XCTAssertEqual(back.bodyIndex.keys, s.bodyIndex.keys)
        XCTAssertEqual(back.bodyIndex.bytes, s.bodyIndex.bytes)
        XCTAssertEqual(back.titleIndex.candidates("营商环境").rows, s.titleIndex.candidates("营商环境").rows)
    }

    func testIndexBuiltByBuildersOfRowRangesEqualsOneBuiltWhole() {
        let body = SeedCorpus.store.articles.body
        let n = body.count
        let whole = KeywordIndex(column: body)
        // Even splits, an empty range, and a single row on its own.
        let splits: [[Int]] = [[0, n / 2, n], [0, n / 3, 2 * n / 3, n], [0, 1, n / 5, n / 5, n - 1, n], [0, 0, n]]
        for bounds in splits {
            let ranges = zip(bounds, bounds.dropFirst()).map { $0..<$1 }
            var builders = ranges.map { KeywordIndex.Builder(firstRow: $0.lowerBound) }
            for i in builders.indices { builders[i].add(column: body, rows: ranges[i]) }
            let joined = KeywordIndex.freeze(&builders, rows: n)
            XCTAssertEqual(joined.keys, whole.keys, "\(bounds)")
            XCTAssertEqual(joined.bytes, whole.bytes, "\(bounds)")
            XCTAssertEqual(joined.counts, whole.counts, "\(bounds)")
            XCTAssertEqual(joined.kinds, whole.kinds, "\(bounds)")
            XCTAssertEqual(joined.starts, whole.starts, "\(bounds)")
        }
        XCTAssertEqual(SeedCorpus.store.bodyIndex.bytes, whole.bytes, "the store's own (two builders) equals one")
    }

    /// A list that becomes a bitmap in one builder and stays varints in the other is
    /// joined into the same list a single builder makes, in every final form.
    func testListsDenseInOneRangeAndSparseInAnotherJoinExactly() {
        var col = StringColumn()
        let rows = 4000
        var g = SeededRandom(state: 7)
        for r in 0..<rows {
            // 甲 in every row of the first half and one in 50 of the second; 乙 the reverse.
            let a = r < rows / 2 || Int.random(in: 0..<50, using: &g) == 0
            let b = r >= rows / 2 || Int.random(in: 0..<50, using: &g) == 0
            col.append("行" + (a ? "甲" : "") + (b ? "乙" : ""))
        }
        let whole = KeywordIndex(column: col)
        for split in [1, rows / 2, rows / 4, rows - 1] {
            var builders = [KeywordIndex.Builder(), KeywordIndex.Builder(firstRow: split)]
            builders[0].add(column: col, rows: 0..<split)
            builders[1].add(column: col, rows: split..<rows)
            let joined = KeywordIndex.freeze(&builders, rows: rows)
            XCTAssertEqual(joined.bytes, whole.bytes, "split at \(split)")
            XCTAssertEqual(joined.kinds, whole.kinds, "split at \(split)")
            for k in ["甲", "乙", "行甲", "甲乙"] {
                XCTAssertEqual(joined.candidates(k).rows, whole.candidates(k).rows, "\(k), split at \(split)")
            }
        }
    }

    /// Lists of every density come back exactly, each stored in the form that is
    /// smallest for it: a bitmap when dense, Elias–Fano in between, varints when rare —
    /// and survive a snapshot round trip.
    func testListsOfEveryDensityRoundTripInTheirSmallestForm() throws {
        let rows = 5000
        var g = SeededRandom(state: 42)
        // 戊 is in the last row only: two bytes as a varint, three as Elias–Fano.
        // 己 (one row in six) outgrows a bitmap while the index is built, so the builder
        // turns it into one; frozen, it is smaller as Elias–Fano.
        let marks: [(Character, Int)] = [("甲", 2), ("乙", 20), ("丙", 90), ("丁", 700), ("戊", Int.max), ("己", 6)]
        var expected: [Character: [Int32]] = [:]
        var col = StringColumn()
        for r in 0..<rows {
            var text = "行"
            for (c, every) in marks where Int.random(in: 0..<every, using: &g) == 0 || r == rows - 1 {
                text.append(c)
                expected[c, default: []].append(Int32(r))
            }
            col.append(text)
        }
        let index = KeywordIndex(column: col)
        let kind = { (c: Character) -> UInt8 in index.kinds[index.slot(UInt64(c.unicodeScalars.first!.value))!] }
        XCTAssertEqual(kind("甲"), KeywordIndex.ListKind.bitmap)
        XCTAssertEqual(kind("乙"), KeywordIndex.ListKind.eliasFano)
        XCTAssertEqual(kind("戊"), KeywordIndex.ListKind.varint)
        XCTAssertEqual(kind("己"), KeywordIndex.ListKind.eliasFano)
        var store = StoreBuilder()
        for r in 0..<rows {
            store.append(
                ArticleRecord(
                    source: "s", title: "t", headline: [], byline: nil, reporters: [], district: nil,
                    districts: [], places: [], date: nil, dateSource: .none, body: col[r], figures: []))
        }
        let back = try Snapshot.decode(Snapshot.encode(store.build()))
        for (c, rowsWithIt) in expected {
            XCTAssertEqual(index.candidates(String(c)).rows, rowsWithIt, "\(c)")
            XCTAssertEqual(back.bodyIndex.candidates(String(c)).rows, rowsWithIt, "\(c) after a snapshot")
        }
    }

    /// Every substring of the seed bodies up to five characters long, punctuation and
    /// all: the index's candidates, verified when not exact, are exactly the rows that
    /// contain it. Covers bitmap and varint lists and the keywords whose bigrams are
    /// not indexed (，党 、“ …). The index holds folded text (Folding.swift): a keyword is
    /// in a row whose folded text holds its folded form.
    func testCandidatesFindExactlyTheRowsThatContainTheKeyword() {
        let body = SeedCorpus.store.articles.body
        let index = KeywordIndex(column: body)
        XCTAssertTrue(index.kinds.contains(KeywordIndex.ListKind.bitmap))
        XCTAssertTrue(index.kinds.contains(KeywordIndex.ListKind.varint))
        let texts = (0..<body.count).map { body[$0] }
        let folded = texts.map(Folding.fold)
        var keywords = Set<String>()
        for t in texts {
            let chars = Array(t)
            for start in stride(from: 0, to: chars.count, by: 7) {
                for len in 1...5 where start + len <= chars.count {
                    keywords.insert(String(chars[start..<(start + len)]))
                }
            }
        }
        keywords.formUnion(["，", "。“", "党建，", "，，", "、", "郑州", "不在语料里的词"])
        var checked = 0
        var inexact = 0
        for k in keywords where !k.contains("\n") {
            let f = Folding.fold(k)
            let expected = texts.indices.filter { folded[$0].contains(f) }.map(Int32.init)
            let (cands, exact) = index.candidates(k)
            let found = exact ? cands : cands.filter { folded[Int($0)].contains(f) }
            XCTAssertEqual(found, expected, "keyword \(k)")
            XCTAssertLessThanOrEqual(found.count, index.postingCount(k), "posting count of \(k) is an upper bound")
            checked += 1
            if !exact { inexact += 1 }
        }
        XCTAssertGreaterThan(checked, 1000)
        XCTAssertGreaterThan(inexact, 100)
    }

    func testDamagedAndForeignSnapshotsAreRefused() throws {
        let good = Snapshot.encode(SeedCorpus.store)
        XCTAssertThrowsError(try Snapshot.decode(Array(good.prefix(good.count / 2)))) {
            XCTAssertTrue("\($0)".contains("damaged"), "\($0)")
        }
        // A flipped bit anywhere is refused: by a structural check if it breaks one,
        // else by the checksum. From memory and from a file alike.
        let dir0 = try temporaryDirectory()
        var refusedByChecksum = 0
        for position in stride(from: 12, to: good.count, by: max(1, good.count / 97)) {
            var flipped = good
            flipped[position] ^= 0x10
            for attempt in 0..<2 {
                do {
                    if attempt == 0 {
                        _ = try Snapshot.decode(flipped)
                    } else {
                        let url = dir0.appendingPathComponent("f.kbs")
                        try Data(flipped).write(to: url)
                        _ = try Snapshot.read(path: url.path)
                    }
                    XCTFail("a flip at \(position) was not noticed")
                } catch let e as SnapshotError {
                    guard case .damaged(let why) = e else { return XCTFail("\(e)") }
                    if why.contains("checksum") { refusedByChecksum += 1 }
                }
            }
        }
        XCTAssertGreaterThan(refusedByChecksum, 0)
        var otherVersion = good
        otherVersion[8] = 99
        XCTAssertThrowsError(try Snapshot.decode(otherVersion)) {
            XCTAssertTrue("\($0)".contains("format 99 is not supported"))
        }
        XCTAssertThrowsError(try Snapshot.decode(Array("not a snapshot at all, just text".utf8), name: "x.kbs")) {
            XCTAssertEqual($0 as? SnapshotError, .notASnapshot("x.kbs"))
        }
        let dir = try temporaryDirectory()
        let foreign = dir.appendingPathComponent("corpus.kbs")
        try Data("PK\u{03}\u{04} a zip file".utf8).write(to: foreign)
        XCTAssertThrowsError(try CorpusLoader().load(path: foreign.path)) {
            XCTAssertTrue("\($0)".contains("not a Kanbao snapshot"))
        }
    }

    func testWriteReplacesAtomicallyAndRefusesSymlinks() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("c.kbs").path
        try Snapshot.write(SeedCorpus.store, to: path)
        let loaded = try Snapshot.read(path: path)
        XCTAssertEqual(loaded.articles.count, 28)
        // Loading maps the file: the big columns are views of it, not copies.
        XCTAssertTrue(loaded.articles.body.units.isMapped)
        XCTAssertTrue(loaded.bodyIndex.bytes.isMapped)
        XCTAssertFalse(SeedCorpus.store.articles.body.units.isMapped)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["c.kbs"]) // no temporary left
        let link = dir.appendingPathComponent("link.kbs").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        XCTAssertThrowsError(try Snapshot.write(SeedCorpus.store, to: link)) {
            XCTAssertTrue("\($0)".contains("symbolic link"))
        }
        XCTAssertThrowsError(try Snapshot.write(SeedCorpus.store, to: "/nonexistent-dir/c.kbs"))
    }
}

struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state ^ (state >> 29)
    }
}

final class SubstringSearchTests: XCTestCase {
    func testContainsAgreesWithStringSearch() {
        var col = StringColumn()
        let texts = ["aaab", "营商环境营商", "藿香正气水、花露水", "x", "", "abcabd", "郑州郑州市", "e\u{301}t\u{E9}"]
        for t in texts { col.append(t) }
        let needles = [
            "aab", "ab", "b", "营商", "商环境营", "花露水", "气水、", "郑州市", "州郑", "abd", "cab", "x", "t\u{E9}", "é", "不在", "aaaab",
        ]
        for (row, t) in texts.enumerated() {
            for n in needles {
                XCTAssertEqual(
                    col.contains(row: row, Array(n.utf8)),
                    t.utf8.count >= n.utf8.count && t.contains(n)
                        && Array(t.utf8).indices.contains { i in
                            Array(t.utf8)[i...].starts(with: Array(n.utf8))
                        }, "\(t) ⊇ \(n)")
            }
        }
    }
}

extension SubstringSearchTests {
    /// The bodies' UTF-16 search: a byte search whose hits across two units (at odd
    /// bytes) must not count, on texts long enough for the vector loop, with surrogate
    /// pairs, and every hit found from a given unit on (kwic's walk).
    func testUTF16ContainsAgreesWithStringSearchAndSkipsHalfUnitHits() {
        let long = String(repeating: "郑州市金水区经三路", count: 9)
        let texts = [
            "\u{4100}\u{0042}", "aaab", "营商环境营商", long + "藿香正气水", "😀党建😀", "", "\u{4142}\u{4344}" + long,
            long + "\u{4100}\u{4342}",
        ]
        var col = UTF16Column()
        for t in texts { col.append(t) }
        let needles = ["\u{4241}", "\u{4342}", "ab", "营商", "藿香正气水", "😀党", "党建😀", "金水区经三路郑", "不在"]
        for (row, t) in texts.enumerated() {
            XCTAssertEqual(col[row], t)
            for n in needles {
                let units = Array(t.utf16)
                let want =
                    units.count >= n.utf16.count
                    && units.indices.contains { Array(units[$0...]).starts(with: Array(n.utf16)) }
                XCTAssertEqual(col.contains(row: row, Array(n.utf16)), want, "\(t) ⊇ \(n)")
            }
        }
        // Every start of 郑州 in the long text, walking on from each hit.
        let hay = Array((long + "郑州").utf16)
        let needle = Array("郑州".utf16)
        var starts: [Int] = []
        hay.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                var from = 0
                while let at = UTF16Text.find(h, n, from: from) {
                    starts.append(at)
                    from = at + 1
                }
            }
        }
        XCTAssertEqual(starts, Array(stride(from: 0, to: 9 * 9, by: 9)) + [81])
    }
}

final class CompressedTextColumnTests: XCTestCase {
    /// Rows read back exactly, in full blocks, in the last short block and while still
    /// pending; through a snapshot too; and the blocks take far less than the text.
    func testRowsReadBackAcrossBlocksAndThroughASnapshot() throws {
        var col = CompressedTextColumn()
        let n = CompressedTextColumn.rowsPerBlock * 3 + 17
        let rows = (0..<n).map { i in
            i % 17 == 0
                ? "" : "district\t郑东新区, \(i) points: “郑东新区” (lead, line \(i % 40))\npublished\t2021-03-0\(i % 9)"
        }
        for (i, r) in rows.enumerated() {
            col.append(r)
            XCTAssertEqual(col[i], r, "row \(i) while pending or just flushed")
        }
        XCTAssertEqual(col.blockCount, 3)
        col.flush()
        XCTAssertEqual(col.blockCount, 4)
        for (i, r) in rows.enumerated() { XCTAssertEqual(col[i], r) }
        XCTAssertTrue(col.isConsistent())
        XCTAssertLessThan(col.byteSize * 4, rows.reduce(0) { $0 + $1.utf8.count })
        // The store's notes column, through a snapshot.
        let store = SeedCorpus.store
        let back = try Snapshot.decode(Snapshot.encode(store))
        for i in 0..<store.articles.count { XCTAssertEqual(back.articles.notes[i], store.articles.notes[i]) }
        XCTAssertTrue(store.articles.notes[0].contains("title\t"))
    }
}

final class TitleColumnTests: XCTestCase {
    /// A title is a line of its headline (kept as a range of it), the headline itself
    /// (no lines), text inside a line, or text of its own; each reads back as itself,
    /// also through a snapshot.
    func testTitlesReadBackWhereverTheyAreKept() throws {
        var h = HeadlineColumn()
        let cases: [([String], String)] = [
            (["奋进新征程", "郑东新区召开大会", "副题"], "郑东新区召开大会"), ([], "没有行的标题"), (["抓好能力作风建设"], "能力作风"),
            (["引题"], "不在标题行里"), (["a", "a"], "a"), ([], ""), (["第一行", "第二行"], "第一行\n第二行"),
        ]
        for (lines, title) in cases { h.append(lines: lines, title: title) }
        for (row, c) in cases.enumerated() {
            XCTAssertEqual(h.title(row), c.1)
            XCTAssertEqual(h[row], c.0)
        }
        XCTAssertEqual(h.ownTitleRows.count, 1, "only 不在标题行里 is kept as text of its own")
        let store = SeedCorpus.store
        let back = try Snapshot.decode(Snapshot.encode(store))
        for i in 0..<store.articles.count { XCTAssertEqual(back.articles.title[i], store.articles.title[i]) }
    }
}

final class NarrowIntColumnTests: XCTestCase {
    /// Values that fit the narrow type are kept in it; the rest (the type's maximum
    /// itself, larger values, negatives) beside it, and all read back.
    func testValuesReadBackWhetherTheyFitOrNot() {
        let values: [Int32] = [0, 1, 65534, 65535, 70000, -5, 300, Int32.max]
        var wide = NarrowIntColumn<UInt16>()
        var byte = NarrowIntColumn<UInt8>()
        for v in values {
            wide.append(v)
            byte.append(v)
        }
        XCTAssertEqual((0..<values.count).map { wide[$0] }, values)
        XCTAssertEqual((0..<values.count).map { byte[$0] }, values)
        XCTAssertEqual(wide.largeRows.count, 4)
        XCTAssertEqual(byte.largeRows.count, 6)
    }
}

final class NarrowCodesTests: XCTestCase {
    /// A dictionary of fewer than 255 values keeps one byte a code (nulls included) and
    /// reads back the same through a snapshot; a larger one stays four bytes a code.
    func testSmallDictionariesNarrowAndLargeOnesDoNot() throws {
        var small = DictionaryColumn()
        var large = DictionaryColumn()
        for i in 0..<600 {
            small.append(i % 7 == 0 ? nil : "区\(i % 20)")
            large.append("名\(i % 300)")
        }
        let before = (0..<600).map { small[$0] }
        small.narrowIfSmall()
        large.narrowIfSmall()
        XCTAssertTrue(small.isNarrow)
        XCTAssertFalse(large.isNarrow)
        XCTAssertEqual((0..<600).map { small[$0] }, before)
        XCTAssertEqual(small.code(0), -1)
        XCTAssertEqual(large[599], "名299")
        let store = SeedCorpus.store
        XCTAssertTrue(store.figures.unit.isNarrow)
        let back = try Snapshot.decode(Snapshot.encode(store))
        XCTAssertTrue(back.figures.unit.isNarrow)
        for i in 0..<store.figures.count { XCTAssertEqual(back.figures.unit[i], store.figures.unit[i]) }
        for i in 0..<store.articles.count { XCTAssertEqual(back.articles.district[i], store.articles.district[i]) }
    }
}
