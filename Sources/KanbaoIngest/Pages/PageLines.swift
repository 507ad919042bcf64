// A page as classified lines. Layout is the only structure a text dump of a printed
// page keeps, so each non-blank line is classified by its shape: a short unpunctuated
// line is a heading candidate, a reporter line is a byline, "…书记 马东亮" is a speaker.

public struct PageLine: Sendable {
    public enum Kind: Sendable, Equatable { case heading, paragraph, byline, speaker, dateline }
    public let number: Int        // 1-based line number in the file
    public let scalars: Scalars   // trimmed content
    /// The trimmed content as text. Made when asked: most lines are body text, which goes
    /// on as scalars into its article's body and is made text once, there.
    public var text: String { scalars.string }
    public let blankBefore: Int   // blank lines between this line and the previous non-blank one
    public let kind: Kind
    /// Whitespace trimmed off both ends, in scalars (accounted as dropped).
    public let trimmed: Int
}

public enum LineClassifier {
    /// Longest line (in characters) that can still be a headline, sub-head or caption.
    static let maxHeadingLength = 40

    static let bylineOpeners = ["本报记者", "郑报全媒体记者", "本报通讯员", "实习记者", "记者", "通讯员", "本报讯"]
    static let positionWords = ["书记", "主任", "局长", "区长", "县长", "市长", "镇长", "乡长", "主席", "经理",
                                "校长", "院长", "所长", "部长", "处长", "负责人", "董事长", "站长", "队长", "社长", "委员"]

    public static func split(_ text: String) -> (lines: [PageLine], lineBreaks: Int, blankWhitespace: Int) {
        split(scalars: Array(scalarsOf: text))
    }

    static func split(scalars all: [Unicode.Scalar]) -> (lines: [PageLine], lineBreaks: Int, blankWhitespace: Int) {
        // One pass over the scalars; each line keeps a copy of its trimmed content.
        var lines: [PageLine] = []
        var blank = 0, number = 0, breaks = 0, blankWhitespace = 0
        var start = 0, i = 0
        func flush(_ end: Int) {
            number += 1
            var a = start, b = end
            while a < b && all[a].isSpaceLike { a += 1 }
            while b > a && all[b - 1].isSpaceLike { b -= 1 }
            if a == b {
                blank += 1
                blankWhitespace += end - start
            } else {
                let content = Array(all[a..<b])
                lines.append(PageLine(number: number, scalars: content, blankBefore: blank,
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
                if u == "\r" && i + 1 < all.count && all[i + 1] == "\n" { breaks += 1; i += 1 }
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
        if isByline(s) { return .byline }
        if speakerName(s) != nil { return .speaker }
        if isHeading(s) { return .heading }
        return .paragraph
    }

    static func isHeading(_ s: Scalars) -> Bool {
        guard s.count <= maxHeadingLength else { return false }
        if s.hasPrefix("本报讯") { return false }
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
        guard s.count <= 60, bylineOpeners.contains(where: { s.hasPrefix($0) }) else { return false }
        if s.hasPrefix("本报讯") { return false }
        for u in s where u.isSentenceEnd || u == "，" || u == "," || u == "；" { return false }
        // The opener must be followed by a space or directly by a name, not by a verb phrase
        // (记者了解到 …).
        let text = s.string
        if text.contains("了解") || text.contains("获悉") || text.contains("看到") { return false }
        return s.contains(" ") || s.contains("\u{3000}") || text.hasSuffix("文/图") || text.hasSuffix("摄")
    }

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
