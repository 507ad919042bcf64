// Dates, rule by rule (EXTRACTION.md "Date"): page files written for each rule in the
// seeds' style (Tests/KanbaoIngestTests/Pages/dates), every expected date checked by hand
// against the page text, and the readers' unit cases.
import Foundation
import KanbaoIngest
import KanbaoStore
import XCTest

final class DateTests: XCTestCase {
    /// The articles of one test page, ingested under its own file name.
    func page(_ name: String) throws -> (page: PageRecord, articles: [ArticleRecord]) {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Pages/dates/" + name, withExtension: nil))
        return PageIngest.ingest(text: try String(contentsOf: url, encoding: .utf8), source: name)
    }

    /// (title, date, source) of every article.
    func dates(_ name: String) throws -> [String] {
        try page(name).articles.map { "\($0.title) → \($0.date?.description ?? "none") \($0.dateSource.name)" }
    }

    func day(_ y: Int, _ m: Int, _ d: Int) -> PartialDate { PartialDate(year: y, month: m, day: d) }

    // MARK: publication

    func testHeaderDateLineIsThePublicationDateAndNeverATitle() throws {
        let (p, articles) = try page("dateline.txt")
        XCTAssertEqual(p.publicationDate, day(2021, 3, 5))
        XCTAssertEqual(p.publicationSource, .page)
        XCTAssertTrue(p.banners.contains("2021年3月5日 星期五"))
        XCTAssertEqual(articles.map(\.title), ["金水区开展春季义务植树活动", "管城区老旧小区改造全面启动", "惠济区志愿者走进敬老院"])
        XCTAssertTrue(articles.allSatisfy { $0.published == day(2021, 3, 5) && $0.publishedSource == .page })
        // 昨日 against 2021-03-05; 3月2日 in its year; no time word: the publication year.
        XCTAssertEqual(
            try dates("dateline.txt"),
            [
                "金水区开展春季义务植树活动 → 2021-03-04 page",
                "管城区老旧小区改造全面启动 → 2021-03-02 page",
                "惠济区志愿者走进敬老院 → 2021 page",
            ])
        XCTAssertTrue(articles[0].publishedNote.contains("date line 4"), articles[0].publishedNote)
    }

    func testFileNameDateComesBeforeTheDateLine() throws {
        let d = DateReader.pageDates(
            fileName: "2021-03-06_p2.txt", datelines: [(4, "2021年3月5日 星期五", day(2021, 3, 5))], texts: [])
        XCTAssertEqual(d.published, day(2021, 3, 6))
        XCTAssertEqual(d.publishedSource, .file)
        XCTAssertTrue(d.publishedNote.contains("says 2021-03-05; the file name comes first"), d.publishedNote)
    }

    func testDateLineForms() {
        func line(_ s: String) -> PartialDate? { DateReader.dateline(Array(s.unicodeScalars)) }
        XCTAssertEqual(line("2021年3月5日 星期五"), day(2021, 3, 5))
        XCTAssertEqual(line("2020年9月16日 星期三 农历七月廿九"), day(2020, 9, 16))
        XCTAssertEqual(line("郑州日报 2021年3月5日 星期五 A05"), day(2021, 3, 5))
        XCTAssertEqual(line("2022年4月13日 周三"), day(2022, 4, 13))
        XCTAssertEqual(line("2019年11月20日"), day(2019, 11, 20))
        // A sentence, or a date inside a headline, is not a date line.
        XCTAssertNil(line("2021年3月5日,金水区召开会议。"))
        XCTAssertNil(line("2021年3月5日 金水区召开表彰大会"))
        XCTAssertNil(line("2021年3月 星期五"))
    }

    // MARK: page year

    func testPageWithOnlyComparisonYearsHasNoYear() throws {
        let (p, _) = try page("comparison-year-only.txt")
        XCTAssertNil(p.pageYear)
        XCTAssertEqual(try dates("comparison-year-only.txt"), ["上街区工业经济稳中有进 → none none", "荥阳市夏粮喜获丰收 → none none"])
    }

    func testPageWithOnlyTargetPlanAndHistoryYearsHasNoYear() throws {
        let (p, articles) = try page("target-year-only.txt")
        XCTAssertNil(p.pageYear) // 到2020年底, 2035年远景目标, 2021年的任务, 计划2025年, 预计2023年, 1923年
        XCTAssertTrue(articles.allSatisfy { $0.date == nil })
        XCTAssertNil(try page("history-only.txt").page.pageYear)
    }

    func testSpeechPageEverySpeechGetsTheMeetingYear() throws {
        let (p, articles) = try page("speech-page.txt")
        XCTAssertEqual(p.pageYear, 2021)
        XCTAssertEqual(articles.count, 4)
        XCTAssertEqual(articles[0].date, day(2021, 11, 20)) // 11月20日上午,2021年全市…: the same sentence
        XCTAssertEqual(articles[0].dateSource, .text)
        for a in articles.dropFirst() {
            XCTAssertEqual(a.date, PartialDate(year: 2021), a.title)
            XCTAssertEqual(a.dateSource, .page, a.title)
        }
        XCTAssertEqual(articles.compactMap(\.speaker), ["王某某", "李某某", "赵某某"])
    }

    func testAnniversaryGivesThePageYearAndHistoryDoesNot() throws {
        let (p, articles) = try page("anniversary-and-history.txt")
        XCTAssertEqual(p.pageYear, 2021) // 建党100周年; 1923年 is history
        XCTAssertEqual(articles.map(\.date), [PartialDate(year: 2021), PartialDate(year: 2021)])
        XCTAssertTrue(p.pageYearNote.contains("建党100周年"), p.pageYearNote)
    }

    func testPageYearPrefersFullDatesThenAnniversariesThenBareYears() {
        XCTAssertEqual(DateReader.pageYear(["庆新中国70华诞", "自2018年以来"])?.year, 2019)
        XCTAssertEqual(DateReader.pageYear(["到2035年基本实现", "2022年春季"])?.year, 2022)
        XCTAssertEqual(DateReader.pageYear(["2021年6月8日,祭城路街道举行", "2023年春季"])?.year, 2021)
        XCTAssertEqual(DateReader.pageYear(["建党一百周年", "2019年以来"])?.year, 2021)
        XCTAssertEqual(DateReader.pageYear(["壮丽70年 奋斗新时代"])?.year, 2019)
        XCTAssertNil(DateReader.pageYear(["两年来"]))
        XCTAssertNil(DateReader.pageYear(["《二七区2022年项目建设工作台账》"]))
        XCTAssertNil(DateReader.pageYear(["比2017年同期", "较2018年", "到2020年底", "2035年远景目标", "今冬明春及2021年的任务"]))
        XCTAssertNil(DateReader.pageYear(["1923年二七大罢工", "90年代", "2021年至2025年"]))
        XCTAssertNil(DateReader.pageYear(["2020年前完成"]))
        XCTAssertEqual(DateReader.pageYear(["2020年前三季度"])?.year, 2020)
    }

    // MARK: relative words against a file date (2022-04-13, a Wednesday)

    func testEachRelativeWordAgainstTheFileDate() throws {
        XCTAssertEqual(
            try dates("2022-04-13_p10.txt"),
            [
                "昨日 二七区举行招聘会 → 2022-04-12 file",
                "前天 中原区启动植树月 → 2022-04-11 file",
                "今天 金水区图书馆恢复开放 → 2022-04-13 file",
                "本月 管城区开展安全检查 → 2022-04 file",
                "上周二 惠济区举办花展 → 2022-04-05 file", // the Tuesday of the week before
                "日前 上街区表彰先进 → 2022 file", // may cross a month: the year only
                "近日 中牟县发放消费券 → 2022 file",
                "连日来 新郑市抢抓农时 → 2022 file",
                "近年来 登封市旅游持续升温 → 2022 file",
                "今年3月 荥阳市出台新政 → 2022-03 file",
                "去年10月 巩义市新桥通车 → 2021-10 file",
            ])
    }

    func testRelativeDayWordsNeedAPublicationDate() {
        var noPub = PageDates()
        noPub.year = 2019
        noPub.yearNote = "x"
        // 昨日 cannot be dated without a publication date: the page's year stands.
        XCTAssertEqual(DateReader.leadDate("记者昨日从二七区获悉", pageDates: noPub).date, PartialDate(year: 2019))
        XCTAssertNil(DateReader.leadDate("记者昨日从二七区获悉", pageDates: PageDates()).date)
        XCTAssertNil(DateReader.leadDate("上周二,", pageDates: PageDates()).date)
    }

    // MARK: written forms

    func testChineseNumeralDates() throws {
        let (p, _) = try page("chinese-numerals.txt")
        XCTAssertEqual(p.pageYear, 2020) // 二〇二〇年十月, a full date; 2020年 a bare year
        XCTAssertEqual(
            try dates("chinese-numerals.txt"),
            [
                "十月十五日 金水区举办重阳节活动 → 2020-10-15 text", // the year in the same sentence? no: the next sentence; page year
                "二〇二〇年十月 管城区完成改造任务 → 2020-10 text",
                "惠济区开展植树节活动 → 2015-03-03 text",
            ].map { $0.replacingOccurrences(of: "2020-10-15 text", with: "2020-10-15 page") })
    }

    func testNumericDatesAndSpans() throws {
        XCTAssertEqual(
            try dates("numeric-dates-and-spans.txt"),
            [
                "中原区召开经济运行分析会 → 2019-04-19 text",
                "二七区举行消防演练 → 2019-09-06 text",
                "金水区开展垃圾分类宣传 → 2019-04-19 text",
                "上街区前三季度经济数据发布 → 2018-01 text", // 2018年1—9月: the span's start, a month
                "管城区举办美食节 → 2019-04-09 page", // 4月9日至11日: the 9th; the page's year 2019
            ])
    }

    func testLeapDayTakesTheLatestYearInWhichItExists() throws {
        XCTAssertEqual(try dates("2021-03-10_leap.txt"), ["新郑市开展闰日特别活动 → 2020-02-29 file"])
        let pub = day(2024, 3, 1)
        var d = PageDates()
        d.published = pub
        d.publishedSource = .file
        XCTAssertEqual(DateReader.leadDate("2月29日,", pageDates: d).date, day(2024, 2, 29))
        XCTAssertEqual(DateReader.leadDate("12月30日,", pageDates: d).date, day(2023, 12, 30)) // not after publication
    }

    func testBackgroundYearDoesNotDateTheEvent() throws {
        let (p, articles) = try page("background-year.txt")
        XCTAssertEqual(p.pageYear, 2021) // 2021年6月8日, a full date
        XCTAssertEqual(articles[0].date, day(2021, 6, 8)) // 6月8日 first; 据了解,2018年 is background
        XCTAssertEqual(
            DateReader.leadDate("比2017年同期增长8%。4月9日,会议召开。", pageDates: PageDates()).note.contains("a comparison"), true)
    }

    func testEveryDateNoteSaysWhichWordsDecided() throws {
        for a in try page("2022-04-13_p10.txt").articles {
            XCTAssertFalse(a.dateNote.isEmpty, a.title)
            XCTAssertTrue(a.dateNote.contains("2022-04-13"), a.dateNote)
        }
    }
}
