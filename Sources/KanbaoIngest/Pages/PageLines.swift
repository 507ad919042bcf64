// A page as classified lines. Layout is the only structure a text dump of a printed
// page keeps, so each non-blank line is classified by its shape: a short unpunctuated
// line is a heading candidate, a reporter line is a byline, "…书记 马东亮" is a speaker.

public struct PageLine: Sendable {
    public enum Kind: Sendable, Equatable {
        case heading, paragraph, byline, speaker, dateline
        /// Page furniture: a section name or page label (区县新闻, A05, 第3版), an editor
        /// line (责任编辑 … 校对 …), a photo credit (… 记者 高文远 摄). Never a title or body.
        case furniture
    }
    public let number: Int // 1-based line number in the file
    public let scalars: Scalars // trimmed content
    /// The trimmed content as text. Made when asked: most lines are body text, which goes
    /// on as scalars into its article's body and is made text once, there.
    public var text: String { scalars.string }
    public let blankBefore: Int // blank lines between this line and the previous non-blank one
    public let kind: Kind
    /// Whitespace trimmed off both ends, in scalars (accounted as dropped).
    public let trimmed: Int
}

public enum LineClassifier {
    /// Longest line (in characters) that can still be a headline, sub-head or caption.
    static let maxHeadingLength = 40

    static let bylineOpeners = ["本报记者", "郑报全媒体记者", "本报通讯员", "实习记者", "见习记者", "记者", "通讯员", "文/", "图/", "文／", "图／"]
    static let positionWords = [
        "书记", "主任", "局长", "区长", "县长", "市长", "镇长", "乡长", "主席", "经理",
        "校长", "院长", "所长", "部长", "处长", "负责人", "董事长", "站长", "队长", "社长", "委员",
    ]

    public static func split(_ text: String) -> (lines: [PageLine], lineBreaks: Int, blankWhitespace: Int) {
        split(scalars: Array(scalarsOf: text))
    }

    static func split(scalars all: [Unicode.Scalar]) -> (lines: [PageLine], lineBreaks: Int, blankWhitespace: Int) {
        // One pass over the scalars; each line keeps a copy of its trimmed content.
        var lines: [PageLine] = []
        var blank = 0
        var number = 0
        var breaks = 0
        var blankWhitespace = 0
        var start = 0
        var i = 0
        func flush(_ end: Int) {
            number += 1
            var a = start
            var b = end
            while a < b && all[a].isSpaceLike { a += 1 }
            while b > a && all[b - 1].isSpaceLike { b -= 1 }
            if a == b {
                blank += 1
                blankWhitespace += end - start
            } else {
                let content = Array(all[a..<b])
                lines.append(
                    PageLine(
                        number: number, scalars: content, blankBefore: blank,
                        kind: classify(content), trimmed: (end - start) - (b - a)))
                blank = 0
            }
        }
        // Lines end at \n, \r\n or \r; every break character is counted as dropped.
        while i < all.count {
            let u = all[i]
            if u == "\n" || u == "\r" {
                flush(i)
                breaks += 1
                if u == "\r" && i + 1 < all.count && all[i + 1] == "\n" {
                    breaks += 1
                    i += 1
                }
                i += 1
                start = i
            } else {
                i += 1
            }
        }
        if start < all.count { flush(all.count) }
        return (lines, breaks, blankWhitespace)
    }

    static func classify(_ s: Scalars) -> PageLine.Kind {
        if s.count <= 40 && DateReader.dateline(s) != nil { return .dateline }
        if s.count <= 40 && PageFurniture.isFurniture(s) { return .furniture }
        if isByline(s) { return .byline }
        if speakerName(s) != nil { return .speaker }
        if isHeading(s) { return .heading }
        return .paragraph
    }

    static func isHeading(_ s: Scalars) -> Bool {
        guard s.count <= maxHeadingLength else { return false }
        if LeadMarker.length(s) != nil { return false }
        var clauses = 0
        for u in s {
            if u.isSentenceEnd || u == "；" || u == ";" { return false }
            if u == "，" || u == "、" || u == "," { clauses += 1 }
        }
        // Headlines and captions hold at most one comma (好事办到心坎儿上,居民送锦旗表谢意);
        // a short line with more, or a long one with any, is the first line of a paragraph
        // cut by a column break.
        // Headlines set their phrases apart with a space (群众满意就是工作标准 为民服务、道路治理…);
        // running text does not.
        let spaced = s.indices.contains { k in k > 0 && k + 1 < s.count && s[k] == " " && s[k - 1].isHan }
        if !spaced && (clauses >= 2 || (clauses == 1 && s.count > 24)) { return false }
        if let last = s.last, last == "，" || last == "、" || last == "," { return false }
        return true
    }

    /// `本报记者 卢文军 通讯员 张巧凤 文/图`, `记者 王阳 通讯员 贾浩彬`: a short line that opens
    /// with a reporter word and holds no sentence.
    static func isByline(_ s: Scalars) -> Bool {
        guard s.count <= 60 else { return false }
        for u in s where u.isSentenceEnd || u == "，" || u == "," || u == "；" { return false }
        if LeadMarker.length(s) != nil { return false }
        let s = Array(s.drop(while: { PageFurniture.isMarker($0) })) // □晚报记者 …
        if s.contains(where: \.isSpaceLike) && closingByline(s) { return true }
        // 郑州晚报记者 周某, 晚报记者 周某: the first word ends with 记者 or 通讯员.
        let firstWord = s.prefix(while: { !$0.isSpaceLike }).string
        guard
            bylineOpeners.contains(where: { s.hasPrefix($0) })
                || (firstWord.count <= 8 && (firstWord.hasSuffix("记者") || firstWord.hasSuffix("通讯员")))
        else { return false }
        // The opener must be followed by a space or directly by a name, not by a verb phrase
        // (记者了解到 …).
        let text = s.string
        if text.contains("了解") || text.contains("获悉") || text.contains("看到") { return false }
        return s.contains(" ") || s.contains("\u{3000}") || text.hasSuffix("文/图") || text.hasSuffix("摄")
    }

    /// A byline closing an article on lines of its own: an outlet and a name (中牟融媒
    /// 赵永平), or a name with its credit (张晓燕 文/图, 李某 摄).
    static func closingByline(_ s: Scalars) -> Bool {
        // A credit at the end (文/图, 摄, 图, 文) or an outlet's last character up front.
        guard let end = s.last,
            end == "图" || end == "文" || end == "摄"
                || s.prefix(while: { !$0.isSpaceLike }).last.map({ outletLastCharacters.contains($0) }) == true
        else { return false }
        let parts = s.split(whereSeparator: { $0.isSpaceLike })
        guard parts.count >= 2, parts.count <= 4 else { return false }
        // Names in a closing byline: two or three characters (four-character words are
        // sub-heads: 精心筹措 巩固成效).
        func isName(_ p: ArraySlice<Unicode.Scalar>) -> Bool { p.count <= 3 && BylineReader.isPersonalName(p) }
        let last = parts.last!.string
        if ["文/图", "文／图", "图/文", "文图", "摄", "文", "图"].contains(last) {
            return parts.dropLast().allSatisfy(isName)
        }
        let outlet = parts[0].string
        return BylineReader.outletSuffixes.contains(where: { outlet.hasSuffix($0) }) && outlet.count <= 10
            && parts.dropFirst().allSatisfy(isName)
    }

    static let outletLastCharacters = Set(BylineReader.outletSuffixes.map { $0.unicodeScalars.last! })

    /// `新郑市城关乡党委书记 马东亮` → 马东亮.
    static func speakerName(_ s: Scalars) -> String? {
        guard s.count <= 36, let space = s.lastIndex(where: { $0.isSpaceLike }) else { return nil }
        let name = s[(space + 1)...]
        guard (2...4).contains(name.count), name.allSatisfy({ $0.isHan }) else { return nil }
        let role = s[..<space].string.trimmingSpaceLike()
        guard positionWords.contains(where: { role.hasSuffix($0) }) else { return nil }
        for u in s where u.isSentenceEnd || u == "，" { return nil }
        return name.string
    }
}

/// The word that opens a news brief's lead: 本报讯, 中原网讯, 晚报讯, 郑州日报讯 — a short
/// outlet name ending in 讯 — followed by a byline in brackets, a space or the text.
enum LeadMarker {
    static let known: [Scalars] = ["本报讯", "中原网讯", "晚报讯", "郑州日报讯", "郑州晚报讯", "大河网讯", "大河报讯"]
        .map { Array($0.unicodeScalars) }

    /// The marker's length, if the line opens with one.
    static func length(_ s: Scalars) -> Int? {
        for m in known where s.hasPrefix(m) { return m.count }
        // Another outlet's: two to six characters ending in 讯, then a bracket or a space.
        var k = 0
        while k < s.count && k < 7 && s[k].isHan && s[k] != "讯" { k += 1 }
        guard k >= 2, k < s.count, s[k] == "讯", k + 1 < s.count else { return nil }
        let next = s[k + 1]
        guard next == "(" || next == "（" || next.isSpaceLike else { return nil }
        let word = s[..<k].string
        return word.hasSuffix("网") || word.hasSuffix("报") || word.hasSuffix("融媒") || word.hasSuffix("社") ? k + 1 : nil
    }
}

/// Lines that belong to the page, not to an article: section names and page labels,
/// editor lines, photo credits. Each list is what newsrooms print; a line qualifies only
/// when every word of it is furniture.
enum PageFurniture {
    /// Section names as printed above a page's articles.
    static let sections: Set<String> = [
        "要闻", "民生", "区县新闻", "县区新闻", "城区新闻", "县域新闻", "本地新闻", "综合新闻", "郑州新闻", "时政", "时政要闻",
        "社会", "经济", "财经", "文化", "体育", "教育", "健康", "法治", "评论", "专题", "专版", "副刊", "综合", "国内", "国际",
        "城事", "区县", "县区", "公益广告", "广告", "声明", "理论", "党建", "视点", "关注", "新闻", "特别报道", "深度",
    ]
    /// Section names of a place: 巩义新闻, 中牟新闻, 二七区新闻.
    static let sectionSuffixes = ["新闻", "要闻", "专刊", "专版", "周刊", "时讯", "快讯"]
    /// Newspaper names that stand beside a page label or date.
    static let paperSuffixes = ["日报", "晚报", "时报", "商报", "都市报", "报", "网"]
    /// Editor lines: 责任编辑 王丽 校对 陈明, 编辑 周某 美编 李某.
    static let editorWords = ["责任编辑", "责编", "编辑", "美编", "校对", "版式", "组版", "审读", "值班编辑", "版面设计", "制图", "审核", "终审"]

    /// □ ■ ● ◆ ▲ ★ and the like, which open bylines and captions in some papers.
    static func isMarker(_ u: Unicode.Scalar) -> Bool {
        (0x25A0...0x25FF).contains(u.value) || (0x2605...0x2606).contains(u.value) || u == "※"
    }

    /// Words of the slogans printed above a page's first article.
    static let sloganWords = ["学习贯彻", "二十大", "十九大", "新时代", "新征程", "主题教育", "初心", "使命", "出彩", "奋进", "壮丽"]

    /// A slogan: short phrases set apart by spaces (奋进新征程 建功新时代), or one line of
    /// the campaign's words (学习贯彻党的二十大精神); never a place, never punctuated.
    static func isSlogan(_ s: Scalars) -> Bool {
        guard s.count <= 24, s.allSatisfy({ $0.isHan || $0.isSpaceLike || $0.isASCIIDigit }) else { return false }
        let parts = s.split(whereSeparator: { $0.isSpaceLike })
        if !Gazetteer.zhengzhou.scan(s).isEmpty { return false }
        if parts.count >= 2 && parts.allSatisfy({ (2...8).contains($0.count) }) { return true }
        let text = s.string
        return parts.count == 1
            && (text.hasPrefix("学习贯彻") || (text.hasSuffix("精神") && sloganWords.contains(where: text.contains)))
    }

    /// First characters of the editor words.
    static let editorFirsts: Set<Unicode.Scalar> = Set(editorWords.map { $0.unicodeScalars.first! })

    /// Every line of every page is asked, so each test first looks at one or two
    /// characters that its kind of line must have.
    static func isFurniture(_ s: Scalars) -> Bool {
        guard let first = s.first, let last = s.last else { return false }
        if editorFirsts.contains(first) && isEditorLine(s) { return true }
        if (last == "摄" || last == "影") && isPhotoCredit(s) { return true }
        // Section names, labels and paper names are words of at most six characters, on a
        // short line: anything longer is a headline or text.
        guard s.count <= 24 else { return false }
        var word = 0
        for u in s {
            if u.isSpaceLike || u == "|" || u == "｜" || u == "·" {
                word = 0
                continue
            }
            word += 1
            if word > 6 { return false }
        }
        return isSectionOrLabel(s)
    }

    /// 责任编辑 王丽 校对 陈明; 编辑：周某 美编：李某.
    static func isEditorLine(_ s: Scalars) -> Bool {
        let text = s.string
        guard editorWords.contains(where: { text.hasPrefix($0) }) else { return false }
        for u in s where u.isSentenceEnd || u == "，" || u == "," { return false }
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" || $0 == ":" || $0 == "：" || $0 == "/" })
        guard words.count >= 2 else { return false }
        // Every word is an editor word or a name (or a name run on: 编辑王丽).
        return words.allSatisfy { w in
            let w = String(w)
            if editorWords.contains(w) || BylineReader.isPersonalName(w) { return true }
            if let e = editorWords.first(where: { w.hasPrefix($0) }) {
                return BylineReader.isPersonalName(String(w.dropFirst(e.count)))
            }
            return false
        }
    }

    /// A photo caption with its credit: 嵩山景区游人如织 记者 高文远 摄.
    static func isPhotoCredit(_ s: Scalars) -> Bool {
        guard s.last == "摄" || s.hasSuffix("摄影") else { return false }
        for u in s where u.isSentenceEnd || u == "，" || u == "," { return false }
        let parts = s.split(whereSeparator: { $0.isSpaceLike })
        guard parts.count >= 2 else { return false }
        let credit = parts.last!.string == "摄" || parts.last!.string == "摄影" ? parts.dropLast() : parts[...]
        guard let name = credit.last, BylineReader.isPersonalName(name) || name.string.hasSuffix("摄") else {
            return false
        }
        // The words before the name: a caption and/or 记者, 通讯员, 本报记者 ….
        return credit.count >= 2 || s.string.contains("记者")
    }

    /// 区县新闻, A05, 第3版, 03版, 郑州日报 A05 区县新闻.
    static func isSectionOrLabel(_ s: Scalars) -> Bool {
        let words = s.split(whereSeparator: { $0.isSpaceLike || $0 == "|" || $0 == "｜" || $0 == "·" })
        guard !words.isEmpty else { return false }
        var sawLabelOrSection = false
        for w in words {
            let t = w.string
            if isPageLabel(w) || sections.contains(t)
                || (t.count <= 6 && sectionSuffixes.contains(where: { t.hasSuffix($0) }) && t.count > 2)
            {
                sawLabelOrSection = true
            } else if t.count <= 6 && paperSuffixes.contains(where: { t.hasSuffix($0) }) && w.allSatisfy(\.isHan) {
                continue
            } else {
                return false
            }
        }
        return sawLabelOrSection
    }

    /// A05, B2, 03版, 第3版, 第三版, 第A05版.
    static func isPageLabel(_ w: ArraySlice<Unicode.Scalar>) -> Bool {
        var k = w.startIndex
        var end = w.endIndex
        if k < end && w[k] == "第" { k += 1 }
        if end > k && w[end - 1] == "版" { end -= 1 }
        let core = w[k..<end]
        guard !core.isEmpty, core.count <= 4 else { return false }
        let hadBan = end < w.endIndex
        if core.allSatisfy({ DateMentions.digit($0) != nil || $0 == "十" }) { return hadBan }
        var c = core.startIndex
        if c < core.endIndex && core[c].isASCIIUppercase { c += 1 }
        let digits = core[c...]
        guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy(\.isASCIIDigit) else { return false }
        // A bare number is a page label only with 版 or a letter before it (A05).
        return hadBan || c > core.startIndex
    }
}
