import KanbaoQuery
import KanbaoStore
import XCTest

final class LexerTests: XCTestCase {
    func kinds(_ s: String) -> [TokenKind] { Lexer.tokenize(s).map(\.kind) }
    func texts(_ s: String) -> [String] {
        Lexer.tokenize(s).filter { $0.kind != .newline && $0.kind != .eof }.map(\.text)
    }

    func testCJKRunIsOneWordWithRanges() {
        let toks = Lexer.tokenize("营商环境 district:中牟县")
        let errs = toks.filter { $0.kind == .error }
        XCTAssertTrue(errs.isEmpty)
        XCTAssertEqual(toks.map(\.kind), [.word, .word, .colon, .word, .newline, .eof])
        XCTAssertEqual(toks[0].text, "营商环境")
        XCTAssertEqual(toks[0].range.start, SourceLocation(line: 1, column: 1, offset: 0, utf8Offset: 0))
        XCTAssertEqual(toks[0].range.end.column, 5)
        XCTAssertEqual(toks[1].range.start.column, 6)
        XCTAssertEqual(toks[1].range.start.utf8Offset, 13) // 4 × 3 bytes + a space
        XCTAssertEqual(toks[3].text, "中牟县")
        XCTAssertEqual(toks[3].range.start.column, 15)
    }

    func testNumbersWithWanAndYi() {
        let t = Lexer.tokenize("1.5万 2亿 1000 3千")
        XCTAssertEqual(t.prefix(4).map(\.kind), [.number, .number, .number, .number])
        XCTAssertEqual(t.prefix(4).map { $0.number! }, [15000, 200_000_000, 1000, 3000])
    }

    func testDatesAndRanges() {
        let t = Lexer.tokenize("date:2020-03-01..2020-06-30 date:2021.. date:..2019-12 date:2022年4月 2022")
        XCTAssertEqual(
            t.map(\.kind),
            [
                .word, .colon, .date, .dotdot, .date, .word, .colon, .number, .dotdot, .word, .colon,
                .dotdot, .date, .word, .colon, .date, .number, .newline, .eof,
            ])
        XCTAssertEqual(t[2].date, PartialDate(year: 2020, month: 3, day: 1))
        XCTAssertEqual(t[12].date, PartialDate(year: 2019, month: 12))
        XCTAssertEqual(t[15].date, PartialDate(year: 2022, month: 4))
        XCTAssertNil(Literals.date("2022-13"))
        XCTAssertEqual(Literals.date("2022年4月9日"), PartialDate(year: 2022, month: 4, day: 9))
        XCTAssertEqual(Literals.date("2022年"), PartialDate(year: 2022))
    }

    func testAllQuoteStyles() {
        for q in ["\"电影 小镇\"", "'电影 小镇'", "“电影 小镇”", "「电影 小镇」"] {
            let t = Lexer.tokenize(q)
            XCTAssertEqual(t[0].kind, .string, q)
            XCTAssertEqual(t[0].text, "电影 小镇", q)
        }
        XCTAssertEqual(Lexer.tokenize("\"a \\\" b\"")[0].text, "a \" b")
        let errs = Lexer.tokenize("“没有结尾").filter { $0.kind == .error }
        XCTAssertEqual(errs.count, 1)
        XCTAssertTrue(errs[0].text.contains("unterminated"))
    }

    func testFullWidthPunctuationIsASCII() {
        XCTAssertEqual(
            kinds("district：中牟县（a，b）｜count ＞ ＜ ＝"),
            [.word, .colon, .word, .lparen, .word, .comma, .word, .rparen, .pipe, .word, .gt, .lt, .eq, .newline, .eof])
    }

    func testMinusNegatesOnlyAtTermStart() {
        XCTAssertEqual(kinds("党建 -演练"), [.word, .minus, .word, .newline, .eof])
        XCTAssertEqual(kinds("2022-04-09"), [.date, .newline, .eof])
        XCTAssertEqual(texts("党建-演练"), ["党建-演练"])
    }

    func testCommentsNewlinesAndContinuation() {
        XCTAssertEqual(kinds("营商环境 -- a comment\n# another\n党建"), [.word, .newline, .word, .newline, .eof])
        XCTAssertEqual(kinds("营商环境 |\n count"), [.word, .pipe, .word, .newline, .eof])
        XCTAssertEqual(kinds("(疫苗\n or 核酸)"), [.lparen, .word, .word, .word, .rparen, .newline, .eof])
        XCTAssertEqual(kinds("营商环境 \\\n| count"), [.word, .pipe, .word, .newline, .eof])
        XCTAssertEqual(kinds("a; b"), [.word, .semicolon, .word, .newline, .eof])
    }

    func testDotCommandTakesTheRestOfItsLine() {
        let t = Lexer.tokenize(".mode csv\n营商环境 | count")
        XCTAssertEqual(t[0].kind, .dotCommand)
        XCTAssertEqual(t[0].text, "mode")
        XCTAssertEqual(t[0].argument, "csv")
        XCTAssertEqual(t[2].text, "营商环境")
        // A dot inside a statement is not a command.
        XCTAssertEqual(Lexer.tokenize("value > 1.5").map(\.kind), [.word, .gt, .number, .newline, .eof])
    }

    func testLocationsOnLaterLines() {
        let t = Lexer.tokenize("营商环境\n  district:中牟县")
        let d = t.first { $0.text == "district" }!
        XCTAssertEqual(d.range.start.line, 2)
        XCTAssertEqual(d.range.start.column, 3)
        XCTAssertEqual(d.range.start.offset, 7)
    }

    func testStrayCharactersAreReportedNotFatal() {
        let toks = Lexer.tokenize("营商环境 ! 党建")
        // The error stands where the '!' stood, between the two words.
        XCTAssertEqual(toks.map(\.kind), [.word, .error, .word, .newline, .eof])
        // The parser reports it with its statement, which fails; nothing else is lost.
        guard case .failed(let d, _) = Parser.parse("营商环境 ! 党建\n党建")[0] else { return XCTFail() }
        XCTAssertEqual(d.map(\.id), [.lexical])
        guard case .parsed = Parser.parse("营商环境 ! 党建\n党建")[1] else { return XCTFail() }
    }
}
