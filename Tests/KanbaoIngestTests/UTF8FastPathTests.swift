import KanbaoSeeds
import XCTest

// The one-pass UTF-8 reader that page files take first must accept exactly what the
// standard library accepts as UTF-8, decode it to the same scalars, and refuse binary
// files with the same reasons as the general decoder.
@testable import KanbaoIngest

final class UTF8FastPathTests: XCTestCase {
    func check(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        let reference = String(validating: body, as: UTF8.self)
        switch TextDecoder.decodeUTF8Scalars(bytes) {
        case .scalars(let s):
            XCTAssertNil(
                TextDecoder.binaryReason(body[...]), "a binary file read as text: \(bytes)", file: file, line: line)
            XCTAssertEqual(s.string, reference, "\(bytes)", file: file, line: line)
            XCTAssertEqual(s, reference.map { Array($0.unicodeScalars) }, "\(bytes)", file: file, line: line)
        case .notUTF8:
            XCTAssertNil(reference, "valid UTF-8 refused: \(bytes)", file: file, line: line)
        case .notText(let why):
            guard case .failure(.notText(let general)) = TextDecoder.decode(bytes) else {
                return XCTFail(
                    "refused as not text, but the general decoder reads it: \(bytes)", file: file, line: line)
            }
            XCTAssertEqual(why, general, file: file, line: line)
        }
    }

    /// Ingest hands each body to the store as UTF-8 it encoded itself, with a character
    /// count, and the store trusts both: they must be the body's own — its paragraphs'
    /// text joined by line breaks, as the standard library encodes and counts it — on
    /// every seed article and on text with every UTF-8 length (ASCII, 2-, 3- and 4-byte
    /// scalars).
    func testRecordsCarryTheirBodysOwnBytesAndCount() {
        var pages = Seeds.pages.map { (String(decoding: $0.bytes, as: UTF8.self), $0.name) }
        pages.append(("标题一行\n\n本报讯 ASCII text, é ü ß, 𠀀𠀁 and 中文：共有20名志愿者。\n", "mixed.txt"))
        var checked = 0
        for (text, name) in pages {
            // The bodies as built from the segmenter's paragraphs…
            for draft in Segmenter.segment(LineClassifier.split(text).lines).articles {
                let body = PageIngest.BodyText(draft)
                let joined = draft.paragraphs.map(\.text).joined(separator: "\n")
                XCTAssertEqual(body.utf8, Array(joined.utf8), name)
                XCTAssertEqual(body.scalars, Array(joined.unicodeScalars), name)
                XCTAssertEqual(body.paragraphs.map { body.scalars[$0].string }, draft.paragraphs.map(\.text), name)
            }
            // …and as the records carry them.
            for a in PageIngest.ingest(text: text, source: name).articles {
                XCTAssertEqual(a.chars, a.body.unicodeScalars.count, name)
                XCTAssertNotNil(String(validating: a.bodyUTF8, as: UTF8.self), name)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 28)
        // Setting the body as text keeps the bytes and the count with it.
        var r = PageIngest.ingest(text: pages.last!.0, source: "mixed.txt").articles[0]
        r.body = "𠀀a"
        XCTAssertEqual(r.bodyUTF8, [0xF0, 0xA0, 0x80, 0x80, 0x61])
        XCTAssertEqual(r.chars, 2)
    }

    func testEdgesOfWellFormedUTF8() {
        let cases: [[UInt8]] = [
            [], [0x41], [0x7F], [0xC2, 0x80], [0xDF, 0xBF], [0xC0, 0x80], [0xC1, 0xBF], // overlong two-byte forms
            [0xE0, 0xA0, 0x80], [0xE0, 0x9F, 0xBF], [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], // overlong; surrogates
            [0xEF, 0xBF, 0xBD], [0xF0, 0x90, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF],
            [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0x80], [0xE4, 0xB8], [0xE4],
            [0xF0, 0x90, 0x80],
            Array("郑州市金水区 2022年".utf8), [0xEF, 0xBB, 0xBF] + Array("党建".utf8), [0xEF, 0xBB, 0xBF],
            Array("a\u{0}b".utf8), Array(repeating: 0x01, count: 40) + Array("text".utf8),
        ]
        for c in cases { check(c) }
    }

    func testRandomBytesAgreeWithTheStandardLibrary() {
        var g = FuzzishRandom(seed: 2026)
        let alphabet: [UInt8] = [
            0x00, 0x0A, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0,
            0xE4, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0xB8, 0xAD,
        ]
        for _ in 0..<20000 {
            let n = Int.random(in: 0..<8, using: &g)
            check((0..<n).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &g)] })
        }
    }
}
