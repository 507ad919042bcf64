import KanbaoIngest
import KanbaoSeeds
import KanbaoStore
import XCTest

struct FuzzishRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 11
    }
}

final class FigureTests: XCTestCase {
    func one(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> FigureRecord? {
        let f = FigureReader.figures(in: text)
        XCTAssertLessThanOrEqual(f.count, 1, "\(text): \(f.map(\.raw))", file: file, line: line)
        return f.first
    }

    func check(
        _ text: String, raw: String, value: Double, unit: String, approx: Approx = .exact, max: Double? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        guard let f = one(text, file: file, line: line) else {
            return XCTFail("no figure in \(text)", file: file, line: line)
        }
        XCTAssertEqual(f.raw, raw, file: file, line: line)
        XCTAssertEqual(f.value, value, file: file, line: line)
        XCTAssertEqual(f.unit, unit, file: file, line: line)
        XCTAssertEqual(f.approx, approx, file: file, line: line)
        XCTAssertEqual(f.valueMax, max, file: file, line: line)
    }

    func testIssueExamples() {
        check("累计投入1000余万元,", raw: "1000余万元", value: 10_000_000, unit: "元", approx: .over)
        check("治理占道2.5万余处", raw: "2.5万余处", value: 25_000, unit: "处", approx: .over)
        check("集中拆除违建55.65万平方米", raw: "55.65万平方米", value: 556_500, unit: "平方米")
        check("其中党员占53%,", raw: "53%", value: 53, unit: "%")
        check("招募7~12岁的青少年", raw: "7~12岁", value: 7, unit: "岁", max: 12)
        check("浸泡水中苦守12个多小时。", raw: "12个多小时", value: 12, unit: "小时", approx: .over)
        check("生活群众近8万人。", raw: "近8万人", value: 80_000, unit: "人", approx: .under)
        check("栽植两株丛生桂花树", raw: "两株", value: 2, unit: "株")
    }

    func testMoreForms() {
        check("336件", raw: "336件", value: 336, unit: "件")
        check("总投资超1100亿元的项目", raw: "超1100亿元", value: 110_000_000_000, unit: "元", approx: .over)
        check("面积12.8平方公里,", raw: "12.8平方公里", value: 12.8, unit: "平方公里")
        check("特别是60岁以上高龄老人", raw: "60岁以上", value: 60, unit: "岁", approx: .over)
        check("三千余人参加", raw: "三千余人", value: 3000, unit: "人", approx: .over)
        check("十余个社区", raw: "十余个", value: 10, unit: "个", approx: .over)
        check("奖励两万元", raw: "两万元", value: 20_000, unit: "元")
        check("五成以上居民", raw: "五成以上", value: 50, unit: "%", approx: .over)
        check("约200人到场", raw: "约200人", value: 200, unit: "人", approx: .about)
        check("20人左右", raw: "20人左右", value: 20, unit: "人", approx: .about)
        check("不足100米", raw: "不足100米", value: 100, unit: "米", approx: .under)
        check("总人口超过33万。", raw: "超过33万", value: 330_000, unit: "", approx: .over)
        check("１２３人", raw: "１２３人", value: 123, unit: "人")
        check("投入1,200万元", raw: "1,200万元", value: 12_000_000, unit: "元")
        check("活动开展3个多月来", raw: "3个多月", value: 3, unit: "月", approx: .over)
    }

    func testNotFigures() {
        for text in [
            "2018年以来", "4月9日上午", "8日下午3点", "4月是全国第34个爱国卫生月", "颍河路166—171号院",
            "《二七区2022年项目建设工作台账》", "“三项工程、一项管理”", "行政楼309房间", "联系电话13812345678",
            "迎建党98周年", "一线", "一张蓝图", "千家万户", "凌晨1时到下午2时", "第三次", "5G网络", "“五员”服务",
            "五里堡街道", "二七区", "2020-2022年", "十八里河", "早8点碰头", "90后青年",
        ] {
            XCTAssertEqual(FigureReader.figures(in: text).map(\.raw), [], text)
        }
    }

    func testContextAndOffset() {
        let body = "活动中,共有20余名志愿者来到小区内,帮助居民。"
        let f = FigureReader.figures(in: body)
        XCTAssertEqual(f.count, 1)
        XCTAssertEqual(f[0].context, "共有20余名志愿者来到小区内")
        XCTAssertEqual(f[0].offset, 6)
        XCTAssertEqual(
            Array(body.unicodeScalars)[6..<(6 + f[0].raw.unicodeScalars.count)].map(String.init).joined(), "20余名")
    }

    /// The store keeps no copy of a figure's context or offset: both are found again in
    /// the body, and must be exactly what the extractor recorded — for every figure of
    /// the seeds and of mutated pages. A record whose context the body would not give is
    /// kept as an exception, not lost.
    func testStoredFiguresGiveBackTheirContextAndOffset() {
        var pages = Seeds.pages.map { (name: $0.name, bytes: $0.bytes) }
        var g = FuzzishRandom(seed: 7)
        for k in 0..<60 {
            var bytes = pages[k % 5].bytes
            for _ in 0..<3 { bytes[Int(g.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: g.next()) }
            pages.append(("m\(k).txt", bytes))
        }
        for (name, bytes) in pages {
            let store = CorpusLoader().load(pages: [(name, bytes)])
            XCTAssertEqual(store.figures.contextExceptionRows.count, 0, name)
            var recordsOf: [Int32: [FigureRecord]] = [:]
            for i in 0..<store.figures.count {
                let a = store.figures.article[i]
                if recordsOf[a] == nil { recordsOf[a] = FigureReader.figures(in: store.articles.body[Int(a)]) }
                let r = recordsOf[a]!.first { $0.raw == store.figureRaw(i) && $0.offset == store.figureOffset(i) }
                XCTAssertEqual(r?.context, store.figureContext(i), "\(name) figure \(i)")
            }
        }
        var b = StoreBuilder()
        b.append(
            ArticleRecord(
                source: "x", title: "t", headline: [], byline: nil, reporters: [], district: nil, districts: [],
                places: [], date: nil, dateSource: .none, body: "共有20名志愿者。",
                figures: [FigureRecord(raw: "20名", value: 20, unit: "名", approx: .exact, context: "另有说法", offset: 2)]))
        let store = b.build()
        XCTAssertEqual(store.figureContext(0), "另有说法")
        XCTAssertEqual(store.figureOffset(0), 2)
        XCTAssertTrue(store.figureContextContains(0, "说法"))
    }

    func testSlogansInShortQuotesButNotInSpeech() {
        XCTAssertEqual(FigureReader.figures(in: "“十个一活动”").count, 0)
        let speech = "“我在建业20余年,在不少地方负责过很多项目,可以说是第一名。”"
        XCTAssertEqual(FigureReader.figures(in: speech).map(\.raw), ["20余年"])
    }
}
