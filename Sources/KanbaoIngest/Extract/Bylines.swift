// Reporters and correspondents from byline text: the names after 记者 and after 通讯员.
//   本报讯(记者 刘伟平 通讯员 张帅)
//   本报记者 卢文军 通讯员 张巧凤 刘明豪 冉燕燕 文/图
//   郑报全媒体记者 王赛华 经开时报 李洪永 通讯员 肖留记 徐荣梅 文/图

public enum BylineReader {
    /// Bylines are read as scalars: tokens are split at spaces and brackets, and a token
    /// that holds 记者 or 通讯员 switches the role of the names after it.
    public static func names(in bylines: [String]) -> (reporters: [String], correspondents: [String]) {
        var reporters: [String] = []
        var correspondents: [String] = []
        enum Mode { case none, reporter, correspondent }
        for b in bylines {
            let s = Array(scalarsOf: b)
            // A closing byline names its reporters without 记者: 中牟融媒 赵永平, 张晓燕 文/图,
            // 文/周某 图/李某.
            var mode =
                LineClassifier.closingByline(s) || s.hasPrefix("文/") || s.hasPrefix("图/") ? Mode.reporter : Mode.none
            let from = LeadMarker.length(s) ?? 0
            let tokens = s[from...].split(whereSeparator: { u in
                switch u.value {
                case 0x20, 0x3000, 0x28, 0x29, 0xFF08, 0xFF09: return true // space, ideographic space, ()（）
                default: return false
                }
            })
            for raw in tokens {
                var token = creditStripped(raw)
                if let end = end(of: correspondentMark, in: token) {
                    mode = .correspondent
                    token = token[end...]
                } else if let end = end(of: reporterMark, in: token) {
                    mode = .reporter
                    token = token[end...]
                }
                guard mode != .none, isPersonalName(token) else { continue }
                let name = token.string
                switch mode {
                case .reporter: if !reporters.contains(name) { reporters.append(name) }
                case .correspondent: if !correspondents.contains(name) { correspondents.append(name) }
                case .none: break
                }
            }
        }
        return (reporters, correspondents)
    }

    static let correspondentMark = Array(scalarsOf: "通讯员")
    static let reporterMark = Array(scalarsOf: "记者")
    static let credits = ["文图", "摄影", "图文"].map { Array(scalarsOf: $0) }
    static let institutionSuffixes = ["报", "社", "台", "网", "站", "部", "处", "办", "中心", "融媒", "新闻"].map {
        Array(scalarsOf: $0)
    }
    /// What an outlet's name ends with, in a closing byline (中牟融媒 赵永平).
    static let outletSuffixes = [
        "融媒", "融媒体", "融媒体中心", "日报", "晚报", "时报", "报社", "电视台", "新闻中心",
        "中原网", "大河网", "郑州网", "人民网", "新华网",
    ]

    /// 周某/文 → 周某, 文/周某 → 周某, 李某/图 → 李某.
    static func creditStripped(_ t: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        var t = t
        for slash: Unicode.Scalar in ["/", "／"] {
            if t.count > 2, t[t.startIndex + 1] == slash, ["文", "图", "摄"].contains(t[t.startIndex]) {
                t = t.dropFirst(2)
            }
            if t.count > 2, t[t.endIndex - 2] == slash, ["文", "图", "摄"].contains(t[t.endIndex - 1]) {
                t = t.dropLast(2)
            }
        }
        return t
    }

    /// Where the first occurrence of `mark` in `token` ends.
    static func end(of mark: [Unicode.Scalar], in token: ArraySlice<Unicode.Scalar>) -> Int? {
        guard token.count >= mark.count else { return nil }
        var i = token.startIndex
        while i + mark.count <= token.endIndex {
            if token[i..<(i + mark.count)].elementsEqual(mark) { return i + mark.count }
            i += 1
        }
        return nil
    }

    /// Two to four Han characters that are not a credit (文/图, 摄) or a newspaper (经开时报).
    static func isPersonalName(_ t: ArraySlice<Unicode.Scalar>) -> Bool {
        guard (2...4).contains(t.count), t.allSatisfy({ $0.isHan }) else { return false }
        if credits.contains(where: { t.elementsEqual($0) }) { return false }
        for suffix in institutionSuffixes where t.count >= suffix.count && t.suffix(suffix.count).elementsEqual(suffix)
        {
            return false
        }
        return true
    }

    static func isPersonalName(_ t: String) -> Bool { isPersonalName(Array(scalarsOf: t)[...]) }
    static func isPersonalName(_ t: Substring) -> Bool { isPersonalName(String(t)) }
}
