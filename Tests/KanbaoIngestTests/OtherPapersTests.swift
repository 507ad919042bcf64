// Pages in other papers' house styles (EXTRACTION.md "Other papers' pages"): one page per
// form under Tests/KanbaoIngestTests/Pages/papers, each expectation read off the page by
// hand, and the shared example page with what its notes (other-papers.md) say it gives.
import Foundation
import KanbaoIngest
import KanbaoStore
import XCTest

final class OtherPapersTests: XCTestCase {
    func page(_ name: String) throws -> (page: PageRecord, articles: [ArticleRecord]) {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Pages/papers/" + name, withExtension: nil))
        return PageIngest.ingest(text: try String(contentsOf: url, encoding: .utf8), source: name)
    }

    func testExamplePageGivesWhatItsNotesSay() throws {
        let (p, a) = try page("example-other-papers.txt")
        XCTAssertEqual(p.publicationDate, PartialDate(year: 2023, month: 10, day: 9))
        XCTAssertEqual(p.banners, ["区县新闻", "2023年10月9日 星期一 农历八月廿五", "奋进新征程 建功新时代"])
        XCTAssertEqual(p.captions, ["嵩山景区游人如织 记者 高文远 摄", "责任编辑 王丽 校对 陈明"])
        XCTAssertEqual(a.map(\.title), ["登封十一黄金周接待游客创新高", "小石榴长成大产业", "群众家门口看上好戏"])
        XCTAssertEqual(a[0].reporters, ["高文远"])
        XCTAssertEqual(a[0].correspondents, ["孙立新"])
        XCTAssertEqual(a[1].reporters, ["马一鸣", "刘思远"])
        XCTAssertEqual(a[2].reporters, ["赵永平", "张晓燕"]) // the closing byline belongs to the article above it
        XCTAssertEqual(a.map(\.district), ["登封市", "荥阳市", "中牟县"])
        XCTAssertEqual(a[1].places, ["高村乡"])
        XCTAssertEqual(a[2].places, ["白沙镇"])
        XCTAssertEqual(a[2].districts, ["中牟县"]) // not 郑东新区, 高新区 (长沙市's) or 金水区 (金水东路)
        XCTAssertEqual(
            a.map(\.date),
            [
                PartialDate(year: 2023), PartialDate(year: 2023, month: 10, day: 6),
                PartialDate(year: 2023, month: 10, day: 8),
            ])
        XCTAssertTrue(a[2].body.hasSuffix("现场沿金水东路排起了长队。"), a[2].body) // no byline in the body
        XCTAssertTrue(p.account.balances)
    }

    func testFurnitureIsPageMetadataNeverATitleOrBody() throws {
        let (p, a) = try page("furniture.txt")
        // Page label, paper name with page and section, the slogan over the first headline.
        XCTAssertEqual(p.banners, ["A05", "郑州日报 第3版 城区新闻", "学习贯彻党的二十大精神"])
        // A photo caption with its credit, an editor line.
        XCTAssertEqual(p.captions, ["志愿者在社区开展劝导 记者 周某某 摄", "编辑 刘某 美编 张某 校对 陈某"])
        XCTAssertEqual(a.map(\.title), ["金水区开展文明创建志愿服务", "惠济区举办稻田音乐节"])
        XCTAssertEqual(a.map(\.headline), [["金水区开展文明创建志愿服务"], ["惠济区举办稻田音乐节"]])
        XCTAssertFalse(a.contains { $0.body.contains("摄") || $0.body.contains("校对") })
        XCTAssertTrue(p.account.balances)
    }

    func testEveryBylineForm() throws {
        let (p, a) = try page("bylines.txt")
        XCTAssertEqual(p.banners, ["巩义新闻"])
        XCTAssertEqual(
            a.map(\.title),
            [
                "巩义市开展消防演练", "新密市举办招聘会", "登封市启动文化节", "上街区建成口袋公园",
                "航空港区开通公交新线", "中牟县文化下乡",
            ])
        XCTAssertEqual(
            a.map(\.reporters),
            [
                ["周一平"], ["吴三强"], ["孙四海", "钱五洋"], ["赵六军", "郑七星"],
                ["王八一", "冯九龙"], ["陈十全", "褚石头"],
            ])
        XCTAssertEqual(a[0].correspondents, ["李二明"]) // □晚报记者 X 通讯员 Y
        XCTAssertEqual(a[2].body, "登封市第五届少林文化节开幕。") // 中原网讯(…) is the byline
        XCTAssertEqual(a[5].body, "中牟县送戏下乡活动走进狼城岗镇。\n演出持续两个多小时,群众纷纷叫好。")
        XCTAssertTrue(p.account.balances)
    }

    func testNewLeadStartsAnArticleWithoutABlankLine() throws {
        let (_, a) = try page("no-blank-lines.txt")
        XCTAssertEqual(a.count, 4)
        XCTAssertEqual(a.map(\.title), ["二七区召开安全生产会议", "管城区开展环境整治", "", "金水区表彰优秀志愿者"])
        XCTAssertEqual(a[0].body, "二七区召开安全生产工作会议,部署节前安全检查。\n会议要求各单位压实责任,确保安全。")
        XCTAssertEqual(a[2].body, "中原区举办社区运动会,千余名居民参加。") // a 中原网讯 lead after a body
        XCTAssertEqual(a.map(\.district), ["二七区", "管城回族区", "中原区", "金水区"])
    }

    func testDistrictTraps() throws {
        let (_, a) = try page("district-traps.txt")
        // Other cities' zones, and 金水东路, 中原银行, 金水河, 中原路, 嵩山南路: no unit of Zhengzhou.
        XCTAssertNil(a[0].district)
        XCTAssertEqual(a[0].districts, [])
        XCTAssertTrue(a[0].districtNote.contains("another city's"), a[0].districtNote)
        XCTAssertEqual(a[1].district, "二七区") // 二七广场 is in 二七区
        // 中牟县白沙镇: the text names the county; later bare 白沙镇 follow it.
        XCTAssertEqual(a[2].districts, ["中牟县"])
        XCTAssertEqual(a[2].places, ["白沙镇"])
        XCTAssertEqual(a[2].title, "群众家门口看上好戏")
    }

    func testSectionAndLabelForms() {
        func furniture(_ s: String) -> Bool { PageIngest.ingest(text: s + "\n", source: "x").page.banners == [s] }
        for s in ["要闻", "民生", "区县新闻", "城区新闻", "巩义新闻", "A05", "第3版", "03版", "第三版", "郑州晚报 A05", "责任编辑 王丽 校对 陈明"] {
            XCTAssertTrue(furniture(s), s)
        }
        // Not furniture: a headline, a number, a sentence.
        for s in ["巩义市开展消防演练", "2023", "新闻发布会在巩义召开。"] {
            XCTAssertFalse(furniture(s), s)
        }
    }
}
