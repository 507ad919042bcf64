// Which headline line is the title. A headline block is kicker, title, sub-title in
// some combination; the kicker is a place name or a row of short slogans
// (强能力 锻作风 优服务 促发展), and a title may be a couplet set on two lines.

public enum HeadlineReader {
    public static func title(of headline: [String], gazetteer: Gazetteer) -> String {
        guard !headline.isEmpty else { return "" }
        if headline.count == 1 { return headline[0] }
        var lines = headline
        if isKicker(lines[0], gazetteer: gazetteer) { lines.removeFirst() }
        if lines.count >= 2 && isCouplet(lines[0], lines[1]) { return lines[0] + " " + lines[1] }
        return lines[0]
    }

    /// A kicker: a place or organisation name alone, or short slogans separated by spaces.
    static func isKicker(_ line: String, gazetteer: Gazetteer) -> Bool {
        let parts = line.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" })
        if parts.count >= 2 && parts.allSatisfy({ $0.unicodeScalars.count <= 4 }) { return true }
        let s = Array(scalarsOf: line)
        let covered = gazetteer.scan(s).reduce(0) { $0 + $1.length }
        return parts.count == 1 && covered > 0 && covered * 10 >= s.count * 7
    }

    /// Two short lines of about the same length read as one title (服务全程「保姆式」/项目跑出「加速度」).
    static func isCouplet(_ a: String, _ b: String) -> Bool {
        let x = a.unicodeScalars.count, y = b.unicodeScalars.count
        return x <= 12 && y <= 12 && abs(x - y) <= 2 && !a.contains(" ") && !b.contains(" ")
    }
}
