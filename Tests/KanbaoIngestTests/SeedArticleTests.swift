// Hand-checked facts about the seed pages (read against the page text).
import KanbaoIngest
import KanbaoSeeds
import KanbaoStore
import XCTest

final class SeedArticleTests: XCTestCase {
    let s = SeedCorpus.store

    func testDaMengPieceIsOneArticle() {
        let ids = (0..<s.articles.count).filter { s.articles.body[$0].contains("大孟镇主动对接上级相关部门") }
        XCTAssertEqual(ids.count, 1)
        let i = ids[0]
        // Its body runs from the opening quote to the last paragraph, through every sub-head.
        XCTAssertTrue(s.articles.body[i].hasPrefix("“大孟给我们项目做得一件件一桩桩"))
        XCTAssertTrue(s.articles.body[i].contains("归零再出发 不忘初心 推动发展"))
        XCTAssertTrue(s.articles.body[i].hasSuffix("做出应有的贡献。”"))
        XCTAssertEqual(s.articles.district[i], "中牟县")
        XCTAssertEqual(s.articles.places[i], ["大孟镇"])
        XCTAssertEqual(s.articles.reporters[i], ["卢文军"])
        XCTAssertEqual(s.articles.correspondents[i], ["张巧凤", "刘明豪", "冉燕燕"])
        XCTAssertEqual(s.articles.headline[i], ["中牟县大孟镇", "服务全程「保姆式」", "项目跑出「加速度」"])
        XCTAssertEqual(s.articles.title[i], "服务全程「保姆式」 项目跑出「加速度」")
    }

    func testBannersAndCaptionsAreKeptAsPageMetadata() {
        let page = s.pages[0]
        XCTAssertEqual(page.banners, ["壮丽70年 奋斗新时代", "中原出彩 郑州先出彩出重彩"])
        XCTAssertEqual(
            page.captions,
            [
                "国庆期间坚守岗位", "党建直通车服务游客", "城市精细化管理动员会",
                "好事办到心坎儿上,居民送锦旗表谢意", "文化长廊引人入胜", "精品街一景",
            ])
    }

    func testHeadlineAfterItsBody() {
        let i = SeedCorpus.article(titled: "不忘初心担使命 城市党建做先锋")
        XCTAssertTrue(s.articles.body[i].hasPrefix("前不久,中牟县新城区森林里小区物业"))
        XCTAssertEqual(s.articles.district[i], "中牟县")
        // The lead opens with 前不久 (recently: the year at most); 据了解,今年3月 after it is
        // background (when the bureau was founded), not the event.
        XCTAssertEqual(s.date(ofArticle: i), PartialDate(year: 2019))
        XCTAssertEqual(s.articles.dateSource[i], DateSource.page.rawValue)
    }

    func testYingTaoGouIsErqi() {
        let i = SeedCorpus.article(containing: "樱桃沟管委会抢抓灾后重建")!
        XCTAssertEqual(s.articles.district[i], "二七区")
        XCTAssertEqual(s.articles.title[i], "“硬件”“软件”同推进 增强防灾减灾能力")
        XCTAssertEqual(s.articles.reporters[i], ["刘伟平"])
    }

    func testHuayuankouVaccinationIsHuiji() {
        let i = SeedCorpus.article(containing: "花园口镇发动多方力量")!
        XCTAssertEqual(s.articles.district[i], "惠济区")
        XCTAssertEqual(s.articles.places[i], ["花园口镇"])
        XCTAssertEqual(s.articles.title[i], "疫苗“多跑路” 群众“少跑腿”")
    }

    func testDulingDrillIsJinshuiWithItsLeadRestored() {
        let i = SeedCorpus.article(titled: "主题党日里的疫情防控“应急考”")
        XCTAssertEqual(s.articles.district[i], "金水区")
        XCTAssertEqual(s.articles.places[i], ["杜岭街道"])
        // The lead was printed below the byline; it is put back in front, and the column
        // break inside 杜岭/街道 and at 指令,/启动 is joined.
        XCTAssertTrue(s.articles.body[i].hasPrefix("8日下午3点,郑州幼儿师范高等专科学校"))
        XCTAssertTrue(s.articles.body[i].contains("均来自杜岭街道办事处。为切实加强街道疫情防控突发事件的应急处置能力,杜岭街道率先在金水区"))
        XCTAssertTrue(s.articles.body[i].contains("从接收上级部门发布指令,启动应急预案进入战时状态"))
        XCTAssertEqual(s.articles.reporters[i], ["党贺喜"])
    }

    func testSpeechPageHasOneArticlePerSpeech() {
        let page4 = (0..<s.articles.count).filter { s.articles.source[$0] == "004_5ab60398d2227b0f.txt" }
        XCTAssertEqual(page4.count, 11) // the 交流会 report and ten speeches
        let speakers = page4.compactMap { s.articles.speaker[$0] }
        XCTAssertEqual(speakers, ["马东亮", "高留念", "段祥生", "张海军", "李华", "王东", "韩迎旭", "曹西峰", "王彬", "陈萌"])
        let chengguan = SeedCorpus.article(titled: "走出农村公共服务体系建设新路子")
        XCTAssertEqual(s.articles.district[chengguan], "新郑市") // 新郑市城关乡, not 荥阳市's
        XCTAssertEqual(s.articles.places[chengguan], ["城关乡"])
        XCTAssertEqual(s.articles.byline[chengguan], "新郑市城关乡党委书记 马东亮")
        XCTAssertTrue(s.articles.body[chengguan].hasPrefix("城关乡因地制宜、向内挖潜,充分运用“脚步丈量”工作法,着力盘活资源、补齐短板"))
        let longhu = SeedCorpus.article(titled: "“三型”街区绘出中原科技城治理新图景")
        XCTAssertEqual(s.articles.district[longhu], "郑东新区")
    }

    func testExchangeMeetingDate() {
        let i = SeedCorpus.article(titled: "不断提升基层治理能力 营造安居乐业良好环境")
        XCTAssertEqual(s.date(ofArticle: i), PartialDate(year: 2020, month: 10, day: 15))
        XCTAssertEqual(s.articles.datePrecision[i], DatePrecision.day.rawValue)
        XCTAssertEqual(s.articles.dateSource[i], DateSource.text.rawValue)
        XCTAssertNil(s.articles.district[i]) // a city-wide article
    }

    func testNewsBriefBylines() {
        let i = SeedCorpus.article(titled: "二七区全力优化营商环境")
        XCTAssertEqual(s.articles.byline[i], "本报讯(记者 刘伟平 通讯员 张帅)")
        XCTAssertTrue(s.articles.body[i].hasPrefix("记者昨日从二七区获悉"))
        XCTAssertEqual(s.articles.correspondents[i], ["张帅"])
        let feature = SeedCorpus.article(titled: "创新发展潮头立 “九龙”腾飞正当时")
        XCTAssertEqual(s.articles.reporters[feature], ["王赛华", "李洪永"]) // 经开时报 is a paper, not a name
        XCTAssertEqual(s.articles.correspondents[feature], ["肖留记", "徐荣梅"])
        XCTAssertEqual(s.articles.district[feature], "郑州经济技术开发区")
    }

    func testPageOfFeatureWithMiddleBylineStaysOneArticle() {
        let page2 = (0..<s.articles.count).filter { s.articles.source[$0] == "002_a0573fb3ff6653c6.txt" }
        XCTAssertEqual(page2.count, 1)
        let page3 = (0..<s.articles.count).filter { s.articles.source[$0] == "003_1c925549a5f0f8ca.txt" }
        XCTAssertEqual(
            page3.map { s.articles.title[$0] },
            [
                "群众满意就是工作标准 为民服务、道路治理、楼院治理的“祭城样本”",
                "“不忘初心、牢记使命”微党课 用语言诠释初心和使命",
                "聆听党课表态度", // 杨桥办事处, a place set before it on the line, is a kicker
            ])
        XCTAssertEqual(s.articles.headline[page3[2]], ["杨桥办事处 聆听党课表态度"])
        // 不忘初心 牢记使命 above the page's first headline is a slogan: a banner.
        XCTAssertEqual(s.pages[3].banners, ["不忘初心 牢记使命"])
        XCTAssertEqual(s.articles.headline[page3[0]], ["群众满意就是工作标准 为民服务、道路治理、楼院治理的“祭城样本”"])
        XCTAssertEqual(s.date(ofArticle: page3[2]), PartialDate(year: 2019, month: 11, day: 19))
        XCTAssertEqual(s.articles.district[page3[0]], "郑东新区")
        XCTAssertEqual(s.articles.places[page3[0]], ["祭城路街道"])
    }

    func testColumnBreaksAreJoined() {
        XCTAssertNotNil(SeedCorpus.article(containing: "指导企业用好、用足政策。通过印发政策宣传页"))
        XCTAssertNotNil(SeedCorpus.article(containing: "服务群众更加便捷。进一步扩大党组织覆盖面"))
        XCTAssertNotNil(SeedCorpus.article(containing: "沿街的商户很多都是王建熟悉的"))
        // A sub-head never ends a paragraph's sentence: 面对面 stays cut, the sub-head stays apart.
        XCTAssertNotNil(SeedCorpus.article(containing: "通过进村入户与群众面对面\n打好主动仗 沉到一线 争分夺秒\n"))
    }

    /// Pages 000, 001, 003 and 004 each establish a year (壮丽70年; 爱国卫生运动70周年;
    /// 2019年以来; 2020年全市…交流会), so every article on them has a date; page 002 names no
    /// year anywhere, so none of its articles has one.
    func testEveryArticleOfAPageWithAYearHasADate() {
        for i in 0..<s.articles.count {
            let source = s.articles.source[i] ?? ""
            let notes = ArticleNotes(encoded: s.articles.notes[i])
            if source.hasPrefix("002_") {
                XCTAssertNil(s.date(ofArticle: i), "\(i)")
                XCTAssertTrue(notes.date.contains("the page gives no year"), notes.date)
            } else {
                XCTAssertNotNil(s.date(ofArticle: i), "\(i) \(s.articles.title[i])")
            }
            for (field, note) in notes.pairs { XCTAssertFalse(note.isEmpty, "article \(i) has no \(field) note") }
        }
        XCTAssertEqual(s.pages.map(\.pageYear), [2019, 2022, nil, 2019, 2020])
    }

    func testEveryCharacterIsAccountedFor() {
        for p in s.pages {
            XCTAssertTrue(
                p.account.balances,
                "\(p.source): read \(p.account.read), placed \(p.account.placed), dropped \(p.account.droppedTotal)")
        }
        let a = s.account
        XCTAssertEqual(
            a.read, Seeds.pages.reduce(0) { $0 + String(decoding: $1.bytes, as: UTF8.self).unicodeScalars.count })
        // Body text in the store equals what was placed, plus the line breaks between paragraphs.
        var bodyChars = 0
        var paragraphs = 0
        for i in 0..<s.articles.count {
            bodyChars += Int(s.articles.chars[i])
            paragraphs += s.articles.body[i].split(separator: "\n", omittingEmptySubsequences: false).count
        }
        XCTAssertEqual(bodyChars - (paragraphs - s.articles.count), a.bodies)
    }

    func testEveryNonBlankLineLandsInExactlyOnePlace() throws {
        for (name, bytes) in Seeds.pages {
            let text = String(decoding: bytes, as: UTF8.self)
            let (page, articles) = PageIngest.ingest(text: text, source: name)
            var places: [String] = page.banners + page.captions
            for a in articles {
                places += a.headline
                if let b = a.byline { places.append(b) }
                places.append(a.body)
            }
            // Compare without spaces and line breaks: a lead byline (本报讯 …) and its text are
            // placed apart, and the space between them is accounted as dropped.
            let all = places.joined().filter { $0 != " " && $0 != "\n" }
            for line in text.split(separator: "\n") {
                let t = line.filter { $0 != " " }
                guard !t.isEmpty else { continue }
                if t.hasPrefix("本报讯") {
                    // The lead byline and the text after it are placed apart.
                    let rest = t.dropFirst(3).drop(while: { $0 != ")" && $0 != "）" }).dropFirst()
                    let body = rest.isEmpty ? t.dropFirst(3) : rest
                    XCTAssertTrue(all.contains(String(body.prefix(12))), "\(name): lead not placed: \(t.prefix(30))")
                    continue
                }
                // Every line's text is somewhere (column breaks join lines, so test pieces).
                XCTAssertTrue(all.contains(String(t.prefix(12))), "\(name): line not placed: \(t.prefix(30))")
            }
        }
    }
}

final class SegmentationEdgeTests: XCTestCase {
    /// Found by the page fuzzer: a headline block of four lines printed after an orphan
    /// body lost its fourth line.
    func testTrailingHeadlineOfFourLinesKeepsEveryLine() {
        let text =
            "标题一\n\n本报讯 第一段的内容很长很长很长很长很长很长很长很长很长很长很长。\n\n本报记者 张三 通讯员 李四\n\n"
            + "没有标题的段落,内容很长很长很长很长很长很长很长很长很长很长很长很长很长很长。\n\n题一\n\n题二\n\n题三\n\n题四\n"
        let (page, articles) = PageIngest.ingest(text: text, source: "t.txt")
        XCTAssertTrue(
            page.account.balances,
            "read \(page.account.read), placed \(page.account.placed), dropped \(page.account.droppedTotal)")
        XCTAssertEqual(articles.count, 2)
        XCTAssertEqual(articles[1].headline, ["题一", "题二", "题三"])
        XCTAssertEqual(page.captions, ["题四"])
    }

    func testALoneBylineIsKept() {
        let text = "国庆期间\n\n\n\n党建服务\n\n\n\n本报记者 张三\n"
        let (page, _) = PageIngest.ingest(text: text, source: "t.txt")
        XCTAssertTrue(page.account.balances)
    }
}
