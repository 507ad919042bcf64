// Which headline line is the title. A headline block is kicker, title, sub-title in
// some combination; the kicker is a place name or a row of short slogans
// (强能力 锻作风 优服务 促发展), and a title may be a couplet set on two lines.

public enum HeadlineReader {
    public static func title(of headline: [String], gazetteer: Gazetteer) -> String {
        titleAndNote(of: headline, lines: [], gazetteer: gazetteer).title
    }

    /// The title and how it was chosen, naming the page lines when they are given.
    static func titleAndNote(of headline: [String], lines: [Int], gazetteer: Gazetteer) -> (title: String, note: String)
    {
        func line(_ k: Int) -> String { k < lines.count ? "line \(lines[k])" : "headline line \(k + 1)" }
        guard !headline.isEmpty else { return ("", "the article has no headline, so no title") }
        if headline.count == 1 {
            // 荥阳高村乡 小石榴长成大产业: a place set before the title on the same line.
            if let (kicker, rest) = placeBeforeTitle(headline[0], gazetteer: gazetteer) {
                return (rest, "\(line(0)) opens with a place, “\(kicker)”, set before the title as a kicker")
            }
            return (headline[0], "the headline's one line (\(line(0)))")
        }
        var first = 0
        var note = ""
        if let why = kickerReason(headline[0], gazetteer: gazetteer) {
            first = 1
            note = "\(line(0)) “\(headline[0])” is a kicker (\(why)); "
        }
        if headline.count - first >= 2 && isCouplet(headline[first], headline[first + 1]) {
            return (
                headline[first] + " " + headline[first + 1],
                note
                    + "\(line(first)) and \(line(first + 1)) are two short lines of about equal length: one title set as a couplet"
            )
        }
        note += "the title is \(line(first))"
        if first + 1 < headline.count { note += "; \(line(headline.count - 1)) is a sub-title" }
        return (headline[first], note)
    }

    /// A kicker: a place or organisation name alone, or short slogans separated by spaces.
    static func isKicker(_ line: String, gazetteer: Gazetteer) -> Bool {
        kickerReason(line, gazetteer: gazetteer) != nil
    }

    /// A one-line headline whose first word is a place name (the gazetteer covers most of
    /// it) and whose rest is longer: the place is a kicker, the rest the title.
    static func placeBeforeTitle(_ line: String, gazetteer: Gazetteer) -> (String, String)? {
        let s = Array(scalarsOf: line)
        guard let space = s.firstIndex(where: { $0 == " " || $0 == "\u{3000}" }), space <= 10 else { return nil }
        var restStart = space
        while restStart < s.count && s[restStart].isSpaceLike { restStart += 1 }
        let first = s[..<space].string
        guard s.count - restStart > space, kickerReason(first, gazetteer: gazetteer) == "a place name" else {
            return nil
        }
        return (first, s[restStart...].string)
    }

    static func kickerReason(_ line: String, gazetteer: Gazetteer) -> String? {
        // Read as scalars: splitting a String walks grapheme clusters.
        let s = Array(scalarsOf: line)
        let parts = s.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" })
        if parts.count >= 2 && parts.allSatisfy({ $0.count <= 4 }) { return "a row of short slogans" }
        guard parts.count == 1 else { return nil }
        let covered = gazetteer.scan(s).reduce(0) { $0 + $1.length }
        return covered > 0 && covered * 10 >= s.count * 7 ? "a place name" : nil
    }

    /// Two short lines of about the same length read as one title (服务全程「保姆式」/项目跑出「加速度」).
    static func isCouplet(_ a: String, _ b: String) -> Bool {
        let x = a.unicodeScalars.count
        let y = b.unicodeScalars.count
        return x <= 12 && y <= 12 && abs(x - y) <= 2 && !a.contains(" ") && !b.contains(" ")
    }
}
