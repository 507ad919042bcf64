// Reporters and correspondents from byline text: the names after 记者 and after 通讯员.
//   本报讯(记者 刘伟平 通讯员 张帅)
//   本报记者 卢文军 通讯员 张巧凤 刘明豪 冉燕燕 文/图
//   郑报全媒体记者 王赛华 经开时报 李洪永 通讯员 肖留记 徐荣梅 文/图

public enum BylineReader {
    public static func names(in bylines: [String]) -> (reporters: [String], correspondents: [String]) {
        var reporters: [String] = [], correspondents: [String] = []
        for b in bylines {
            var text = b
            if text.hasPrefix("本报讯") { text = String(text.dropFirst(3)) }
            text = String(text.map { "()（）".contains($0) ? " " : $0 })
            enum Mode { case none, reporter, correspondent }
            var mode = Mode.none
            for raw in text.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" }) {
                var token = String(raw)
                if let r = token.range(of: "通讯员") {
                    mode = .correspondent
                    token = String(token[r.upperBound...])
                } else if let r = token.range(of: "记者") {
                    mode = .reporter
                    token = String(token[r.upperBound...])
                }
                guard isPersonalName(token) else { continue }
                switch mode {
                case .reporter: if !reporters.contains(token) { reporters.append(token) }
                case .correspondent: if !correspondents.contains(token) { correspondents.append(token) }
                case .none: break
                }
            }
        }
        return (reporters, correspondents)
    }

    /// Two to four Han characters that are not a credit (文/图, 摄) or a newspaper (经开时报).
    static func isPersonalName(_ t: String) -> Bool {
        let s = t.unicodeScalars
        guard (2...4).contains(s.count), s.allSatisfy({ $0.isHan }) else { return false }
        if ["文图", "摄影", "图文"].contains(t) { return false }
        for suffix in ["报", "社", "台", "网", "站", "部", "处", "办", "中心"] where t.hasSuffix(suffix) { return false }
        return true
    }
}
