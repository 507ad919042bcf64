// Input oddities: encodings, broken bytes, non-text files, line endings, folders,
// file-name dates, JSONL, and the embedded copy of the seeds.
import Foundation
import KanbaoIngest
import KanbaoSeeds
import KanbaoStore
import KanbaoTestSupport
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

final class InputTests: XCTestCase {
    let page = String(decoding: Seeds.pages[1].bytes, as: UTF8.self)

    func gb18030(_ s: String) -> [UInt8] {
        let cd = iconv_open("GB18030", "UTF-8")
        defer { iconv_close(cd) }
        var input = Array(s.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        let written: Int = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var ip: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress)?.assumingMemoryBound(
                    to: CChar.self)
                var il = inBuf.count
                var op: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress)?.assumingMemoryBound(
                    to: CChar.self)
                var ol = outBuf.count
                _ = iconv(cd, &ip, &il, &op, &ol)
                return outBuf.count - ol
            }
        }
        return Array(output[..<written])
    }

    func testGB18030PageDecodesToTheSameArticles() throws {
        let bytes = gb18030(page)
        XCTAssertNotEqual(bytes, Array(page.utf8))
        guard case .success(let d) = TextDecoder.decode(bytes) else { return XCTFail("not decoded") }
        XCTAssertEqual(d.encoding, "GB18030")
        XCTAssertEqual(d.text, page)
        let utf8 = CorpusLoader().load(pages: [("p.txt", Array(page.utf8))])
        let gbk = CorpusLoader().load(pages: [("p.txt", bytes)])
        XCTAssertEqual(gbk.articles.count, utf8.articles.count)
        XCTAssertEqual(gbk.pages[0].encoding, "GB18030")
        XCTAssertEqual(
            (0..<gbk.articles.count).map { gbk.articles.title[$0] },
            (0..<utf8.articles.count).map { utf8.articles.title[$0] })
    }

    func testInvalidUTF8IsReplacedAndCounted() {
        var bytes = Array(page.utf8)
        bytes.insert(contentsOf: [0xFF, 0xFE, 0x80], at: 500) // not UTF-8, and not GB18030 either in this position
        bytes.insert(0xC3, at: 2000)
        let store = CorpusLoader().load(pages: [("bad.txt", bytes)])
        XCTAssertEqual(store.pages.count, 1)
        XCTAssertGreaterThan(store.pages[0].replacedBytes, 0)
        XCTAssertTrue(store.warnings.contains { $0.contains("bad.txt") && $0.contains("replaced") })
        XCTAssertTrue(store.account.balances)
        XCTAssertGreaterThan(store.articles.count, 5)
    }

    func testBinaryFileIsSkippedWithAWarningNamingIt() throws {
        let dir = try temporaryDirectory()
        try Data(Seeds.pages[0].bytes).write(to: dir.appendingPathComponent("page.txt"))
        try Data([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0x0D, 1, 2, 3]).write(to: dir.appendingPathComponent("photo.txt"))
        let store = try CorpusLoader().load(path: dir.path)
        XCTAssertEqual(store.pages.count, 1)
        XCTAssertEqual(store.skipped.map(\.path), ["photo.txt"])
        XCTAssertTrue(store.skipped[0].reason.contains("not a text file"))
    }

    func testUTF16AndBOMAndCRLF() {
        var utf16: [UInt8] = [0xFF, 0xFE]
        for u in page.utf16 { utf16 += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        let bom = [0xEF, 0xBB, 0xBF] + Array(page.utf8)
        let crlf = Array(page.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        let plain = CorpusLoader().load(pages: [("p.txt", Array(page.utf8))])
        for (name, bytes) in [("utf16", utf16), ("bom", bom), ("crlf", crlf)] {
            let s = CorpusLoader().load(pages: [("p.txt", bytes)])
            XCTAssertEqual(s.articles.count, plain.articles.count, name)
            XCTAssertEqual(s.articles.body[3], plain.articles.body[3], name)
            XCTAssertTrue(s.account.balances, name)
        }
    }

    func testFolderIsSearchedRecursivelyInAStableOrder() throws {
        let dir = try temporaryDirectory()
        let sub = dir.appendingPathComponent("2022/04")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try Data(Seeds.pages[3].bytes).write(to: sub.appendingPathComponent("zhengzhou-2019-11-20.txt"))
        try Data(Seeds.pages[1].bytes).write(to: dir.appendingPathComponent("a.txt"))
        try Data("not a page".utf8).write(to: dir.appendingPathComponent("notes.md"))
        let store = try CorpusLoader().load(path: dir.path)
        XCTAssertEqual(store.pages.map(\.source), ["2022/04/zhengzhou-2019-11-20.txt", "a.txt"])
        XCTAssertEqual(store.pages[0].publicationDate, PartialDate(year: 2019, month: 11, day: 20))
        // 11月19日下午 with publication 2019-11-20: year from the file.
        let yq = (0..<store.articles.count).first { store.articles.title[$0] == "聆听党课表态度" }!
        XCTAssertEqual(store.date(ofArticle: yq), PartialDate(year: 2019, month: 11, day: 19))
        XCTAssertEqual(store.articles.dateSource[yq], DateSource.file.rawValue)
    }

    func testMissingPathIsAClearError() {
        XCTAssertThrowsError(try CorpusLoader().load(path: "/nonexistent/kanbao")) { e in
            XCTAssertTrue("\(e)".contains("no such file or folder: /nonexistent/kanbao"))
        }
    }

    func testFileNameDates() {
        XCTAssertEqual(
            DateReader.publicationDate(fileName: "zzrb-2022-04-10-p3.txt"), PartialDate(year: 2022, month: 4, day: 10))
        XCTAssertEqual(
            DateReader.publicationDate(fileName: "20191120_07.txt"), PartialDate(year: 2019, month: 11, day: 20))
        XCTAssertNil(DateReader.publicationDate(fileName: "000_b0894352c10c2a38.txt"))
        XCTAssertNil(DateReader.publicationDate(fileName: "2022-13-40.txt"))
        XCTAssertNil(DateReader.publicationDate(fileName: "120220410.txt"))
    }

    func testJSONLInput() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("articles.jsonl")
        let lines = [
            #"{"title":"大孟镇招聘","body":"中牟县大孟镇为电影小镇招聘服务人员1321人。","source":"x-2022-04-10.txt"}"#,
            #"{"title":"已标注","body":"近日,开展活动。","district":"经开区","date":"2021-05"}"#,
            "not json",
            #"{"headline":["no body"]}"#,
        ]
        try Data(lines.joined(separator: "\n").utf8).write(to: file)
        let store = try CorpusLoader().load(path: file.path)
        XCTAssertEqual(store.articles.count, 2)
        XCTAssertEqual(store.articles.district[0], "中牟县")
        XCTAssertEqual(store.articles.places[0], ["大孟镇"])
        XCTAssertEqual(store.figures.count, 1)
        XCTAssertEqual(store.articles.district[1], "郑州经济技术开发区") // alias resolved
        XCTAssertEqual(store.date(ofArticle: 1), PartialDate(year: 2021, month: 5))
        XCTAssertEqual(store.warnings.count, 2)
        XCTAssertTrue(store.warnings[0].contains("articles.jsonl:3"))
        // The file name's date is the publication date; why says where each field came from.
        XCTAssertEqual(store.published(ofArticle: 0), PartialDate(year: 2022, month: 4, day: 10))
        XCTAssertNil(store.published(ofArticle: 1))
        let first = ArticleNotes(encoded: store.articles.notes[0])
        let second = ArticleNotes(encoded: store.articles.notes[1])
        XCTAssertTrue(first.district.hasPrefix("中牟县"), first.district)
        XCTAssertEqual(second.district, "given by the .jsonl")
        XCTAssertEqual(second.date, "given by the .jsonl")
        XCTAssertTrue(first.published.contains("x-2022-04-10.txt"), first.published)
    }

    /// An export read back keeps its publication dates.
    func testJSONLKeepsPublishedDates() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("a.jsonl")
        try Data(#"{"title":"t","body":"昨日,开展活动。","published":"2021-03-05","published_source":"page"}"#.utf8).write(
            to: file)
        let store = try CorpusLoader().load(path: file.path)
        XCTAssertEqual(store.published(ofArticle: 0), PartialDate(year: 2021, month: 3, day: 5))
        XCTAssertEqual(store.articles.publishedSource[0], DateSource.page.rawValue)
        XCTAssertEqual(store.date(ofArticle: 0), PartialDate(year: 2021, month: 3, day: 4)) // 昨日 against it
    }

    func testEmbeddedSeedsEqualTheSeedsFolder() throws {
        let folder = SeedCorpus.repoRoot.appendingPathComponent("seeds")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }
            .sorted()
        XCTAssertEqual(Seeds.pages.map(\.name), names)
        for p in Seeds.pages {
            XCTAssertEqual(p.bytes, [UInt8](try Data(contentsOf: folder.appendingPathComponent(p.name))), p.name)
        }
    }
}

final class LongLineTests: XCTestCase {
    /// A page that is one enormous line: text without punctuation, full of figures. A
    /// figure's context used to be its whole clause — here the whole line — so loading
    /// 20 000 figures copied and compared gigabytes. Contexts now reach at most
    /// `FigureRecord.contextReach` characters to either side.
    func testOneHugeLineWithoutPunctuation() {
        let line = String(repeating: "有20人参加活动", count: 20_000)
        let store = CorpusLoader().load(pages: [("long.txt", Array("标题\n\n\(line)\n".utf8))])
        XCTAssertEqual(store.figures.count, 20_000)
        XCTAssertEqual(store.figures.contextExceptionRows.count, 0)
        for i in stride(from: 0, to: store.figures.count, by: 997) {
            XCTAssertLessThanOrEqual(store.figureContext(i).count, 2 * FigureRecord.contextReach + 4)
            XCTAssertTrue(store.figureContext(i).contains("20人"))
        }
        XCTAssertTrue(store.pages.allSatisfy { $0.account.balances })
    }
}

final class MissingFileTests: XCTestCase {
    func testAPageThatIsGoneIsSkippedWithItsName() throws {
        let dir = try temporaryDirectory()
        try Data(Seeds.pages[0].bytes).write(to: dir.appendingPathComponent("a.txt"))
        try FileManager.default.createSymbolicLink(
            atPath: dir.appendingPathComponent("gone.txt").path,
            withDestinationPath: dir.appendingPathComponent("nowhere.txt").path)
        let store = try CorpusLoader().load(path: dir.path)
        XCTAssertEqual(store.pages.count, 1)
        XCTAssertEqual(store.skipped.map(\.path), ["gone.txt"])
        XCTAssertEqual(store.skipped.first?.reason, "cannot be opened for reading: No such file or directory")
    }

    /// Files listed at the start of a load change before they are read (on the loader's
    /// worker threads, from its hook): one vanishes, one becomes a folder, one a named
    /// pipe (which must not hang the load), one a device link, one is cut to nothing and
    /// one grows. The load finishes, every file is a page or a skip with its reason, and
    /// the pages' characters still add up.
    func testFilesThatChangeUnderARunningLoad() throws {
        let dir = try temporaryDirectory()
        let count = 300
        for k in 0..<count {
            try Data(Seeds.pages[k % Seeds.pages.count].bytes).write(
                to: dir.appendingPathComponent(String(format: "p%03d.txt", k)))
        }
        let grown = Seeds.pages[0].bytes + Seeds.pages[1].bytes
        var loader = CorpusLoader()
        loader.beforeReading = { path in
            let fm = FileManager.default
            switch (path as NSString).lastPathComponent {
            case "p050.txt": try? fm.removeItem(atPath: path)
            case "p120.txt":
                try? fm.removeItem(atPath: path)
                try? fm.createDirectory(atPath: path, withIntermediateDirectories: false)
            case "p200.txt":
                try? fm.removeItem(atPath: path)
                _ = mkfifo(path, 0o644)
            case "p210.txt":
                try? fm.removeItem(atPath: path)
                try? fm.createSymbolicLink(atPath: path, withDestinationPath: "/dev/zero")
            case "p250.txt": _ = truncate(path, 0)
            case "p260.txt": try? Data(grown).write(to: URL(fileURLWithPath: path))
            default: break
            }
        }
        let store = try loader.load(path: dir.path)
        let skipped = Dictionary(uniqueKeysWithValues: store.skipped.map { ($0.path, $0.reason) })
        XCTAssertEqual(skipped["p050.txt"], "cannot be opened for reading: No such file or directory")
        XCTAssertEqual(skipped["p120.txt"], "not a regular file")
        XCTAssertEqual(skipped["p200.txt"], "not a regular file")
        XCTAssertEqual(skipped["p210.txt"], "not a regular file")
        XCTAssertEqual(store.pages.count + store.skipped.count, count, "every listed file is a page or a skip")
        let sources = Set(store.pages.map(\.source))
        XCTAssertTrue(sources.contains("p260.txt"))
        let p260 = store.pages.first { $0.source == "p260.txt" }!
        XCTAssertEqual(
            p260.account.read, String(decoding: grown, as: UTF8.self).unicodeScalars.count,
            "the grown file is read whole")
        XCTAssertTrue(store.pages.allSatisfy { $0.account.balances })
    }
}
