// District, districts and places of an article. Every gazetteer mention votes for a
// county-level unit with a weight by where it stands: headline and speaker line 3,
// lead paragraph 2, the rest 1. A township name shared by several units (城关乡 in
// 新郑市 and 荥阳市) goes to the unit of the nearest county-level mention among its
// candidates; with none, it decides nothing.

public struct DistrictResult: Sendable, Equatable {
    public var district: String?
    public var districts: [String]
    public var places: [String]
    /// Which mentions decided, in words (for `why`).
    public var note = ""
    public var placesNote = ""
}

/// Where an article's parts stand on its page, so that notes can name lines.
struct ArticleLines: Sendable {
    var headline: [Int] = []
    var speaker = 0
    var lead = 0
    var rest: [Int] = []
}

public enum DistrictResolver {
    public static func resolve(
        headline: [String], speakerLine: String?, lead: String, rest: String,
        gazetteer: Gazetteer
    ) -> DistrictResult {
        let l = Array(scalarsOf: lead)
        let r = Array(scalarsOf: rest)
        return resolve(headline: headline, speakerLine: speakerLine, lead: l[...], rest: [r[...]], gazetteer: gazetteer)
    }

    /// The same with the lead and the rest of the body as scalars (the rest in pieces,
    /// read as if joined by line breaks).
    static func resolve(
        headline: [String], speakerLine: String?, lead: ArraySlice<Unicode.Scalar>,
        rest: [ArraySlice<Unicode.Scalar>], gazetteer: Gazetteer, lines: ArticleLines = ArticleLines()
    ) -> DistrictResult {
        var text: Scalars = []
        text.reserveCapacity(lead.count + rest.reduce(0) { $0 + $1.count + 1 } + 64)
        // Each piece of text: where it ends, its weight, its page line and what it is.
        var zones: [(end: Int, weight: Int, line: Int, part: String)] = []
        for (k, h) in headline.enumerated() {
            text += Array(scalarsOf: h)
            text.append("\n")
            zones.append((text.count, 3, k < lines.headline.count ? lines.headline[k] : 0, "headline"))
        }
        if let s = speakerLine {
            text += Array(scalarsOf: s)
            text.append("\n")
            zones.append((text.count, 3, lines.speaker, "speaker line"))
        }
        text += lead
        text.append("\n")
        zones.append((text.count, 2, lines.lead, "lead"))
        for (k, piece) in rest.enumerated() {
            if k > 0 { text.append("\n") }
            text += piece
            zones.append((text.count, 1, k < lines.rest.count ? lines.rest[k] : 0, "body"))
        }
        /// The piece of text an offset lies in: a binary search, as an article has a zone a
        /// paragraph and a mention is looked up for every vote.
        func zone(at offset: Int) -> (end: Int, weight: Int, line: Int, part: String) {
            var lo = 0
            var hi = zones.count
            while lo < hi {
                let m = (lo + hi) / 2
                if zones[m].end <= offset { lo = m + 1 } else { hi = m }
            }
            return lo < zones.count ? zones[lo] : (text.count, 1, 0, "body")
        }
        func weight(at offset: Int) -> Int { zone(at: offset).weight }
        func mentionText(_ m: Gazetteer.Mention) -> String { text[m.offset..<(m.offset + m.length)].string }
        /// “大孟镇” (lead, line 11)
        func place(_ m: Gazetteer.Mention) -> String {
            let z = zone(at: m.offset)
            return "“\(mentionText(m))” (\(z.part)\(z.line > 0 ? ", line \(z.line)" : ""))"
        }

        var passedOver: [String] = []
        var sharedNotes: [String] = []
        let mentions = gazetteer.scan(text).filter { m in
            guard let why = notAMention(m, in: text) else { return true }
            if passedOver.count < 3 { passedOver.append("“\(mentionText(m))” (\(why))") }
            return false
        }
        let countyMentions = mentions.filter { $0.level == .county }
        // 中牟县白沙镇: a township the text sets beside a county-level name belongs to that
        // unit throughout the article, whatever unit manages it today.
        var namedBeside: [String: String] = [:]
        for m in mentions where m.level == .township {
            guard let cm = countyMentions.first(where: { $0.offset + $0.length == m.offset }), let county = cm.county,
                namedBeside[m.candidates[0].township] == nil
            else { continue }
            namedBeside[m.candidates[0].township] = county
            guard sharedNotes.count < 2 else { continue }
            if !m.candidates.contains(where: { $0.county == county }) {
                sharedNotes.append(
                    "“\(mentionText(cm))\(mentionText(m))” names \(county) beside \(m.candidates[0].township), which the gazetteer files under \(m.candidates[0].county): the text decides"
                )
            } else if m.candidates.count > 1 {
                sharedNotes.append(
                    "\(mentionText(m)) is in both \(m.candidates.map(\.county).joined(separator: " and ")); “\(mentionText(cm))\(mentionText(m))”, \(place(cm)), names \(county) beside it"
                )
            }
        }
        // A handful of counties per article: a list searched in order beats hashing
        // Chinese strings (which Swift normalises first).
        var tally: [(county: String, score: Int, firstSeen: Int, evidence: [Gazetteer.Mention])] = []
        var places: [String] = []
        func vote(_ county: String, _ m: Gazetteer.Mention) {
            if let k = tally.firstIndex(where: { $0.county == county }) {
                tally[k].score += weight(at: m.offset)
                tally[k].evidence.append(m)
            } else {
                tally.append((county, weight(at: m.offset), m.offset, [m]))
            }
        }
        for m in mentions {
            if m.level == .county {
                vote(m.candidates[0].county, m)
                continue
            }
            var chosen: (township: String, county: String)?
            if let county = namedBeside[m.candidates[0].township] {
                chosen =
                    (m.candidates.first(where: { $0.county == county }) ?? m.candidates[0]).township.isEmpty
                    ? nil : ((m.candidates.first(where: { $0.county == county }) ?? m.candidates[0]).township, county)
            } else if m.candidates.count == 1 {
                chosen = m.candidates[0]
            } else {
                var best: (distance: Int, pick: (String, String), by: Gazetteer.Mention)?
                for cm in countyMentions {
                    guard let county = cm.county, let pick = m.candidates.first(where: { $0.county == county }) else {
                        continue
                    }
                    let d = abs(cm.offset - m.offset)
                    if best == nil || d < best!.distance { best = (d, pick, cm) }
                }
                chosen = best.map { (township: $0.pick.0, county: $0.pick.1) }
                if sharedNotes.count < 2 && !sharedNotes.contains(where: { $0.hasPrefix(mentionText(m) + " ") }) {
                    let units = m.candidates.map(\.county).joined(separator: " and ")
                    sharedNotes.append(
                        best.map {
                            "\(mentionText(m)) is in both \(units); the nearest county-level mention, \(place($0.by)), decides \($0.pick.1)"
                        }
                            ?? "\(mentionText(m)) is in both \(units) and no county-level name is near: it decides nothing"
                    )
                }
            }
            guard let c = chosen else { continue }
            vote(c.county, m)
            if !places.contains(c.township) { places.append(c.township) }
        }
        let sorted = tally.sorted { $0.score != $1.score ? $0.score > $1.score : $0.firstSeen < $1.firstSeen }
        let ordered = sorted.map(\.county)
        return DistrictResult(
            district: ordered.first, districts: ordered, places: places,
            note: districtNote(
                sorted.map { ($0.county, $0.score, $0.evidence) },
                shared: sharedNotes
                    + (passedOver.isEmpty ? [] : ["not Zhengzhou's units: " + passedOver.joined(separator: ", ")]),
                place: place),
            placesNote: places.isEmpty ? "no township-level unit is named" : "named: \(places.joined(separator: ", "))")
    }

    /// Words after a name that make it part of a road, river, park or company (金水东路,
    /// 金水河, 中原银行); 街道 is a unit, not a street.
    static let namePartSuffixes: [Scalars] = [
        "东路", "西路", "南路", "北路", "中路", "大道", "大街", "路", "河", "湖", "渠", "公园", "银行", "广场", "桥", "立交",
        "高速", "隧道", "小区", "花园", "大厦", "集团", "公司", "宾馆", "酒店", "饭店", "商场",
    ].map { Array($0.unicodeScalars) }.sorted { $0.count > $1.count }
    /// Places that carry a unit's name and lie in it: 二七广场 is in 二七区.
    static let placesInTheirUnit: [Scalars] = ["二七广场", "二七纪念塔", "二七塔"].map { Array($0.unicodeScalars) }

    /// Why a gazetteer match is not a mention of Zhengzhou's unit, or nil when it is.
    static func notAMention(_ m: Gazetteer.Mention, in s: Scalars) -> String? {
        let start = m.offset
        let end = m.offset + m.length
        // Part of a road, river, park or company name.
        if end < s.count, let suffix = namePartSuffixes.first(where: { s.hasPrefix($0, at: end) }) {
            let isStreetUnit = suffix == ["街"] && end + 1 < s.count && s[end + 1] == "道"
            if !isStreetUnit && !placesInTheirUnit.contains(where: { s.hasPrefix($0, at: start) }) {
                return "part of a name: \(s[start..<(end + suffix.count)].string)"
            }
        }
        // Another city's unit: 长沙市高新区, 洛阳市涧西区, 湖南省…
        if start >= 3, s[start - 1] == "市" || s[start - 1] == "省" {
            var k = start - 1
            while k > 0 && start - 1 - k < 4 && s[k - 1].isHan && s[k - 1] != "市" && s[k - 1] != "省" { k -= 1 }
            let city = s[k..<(start - 1)].string
            let ownCities = ["郑州", "巩义", "荥阳", "新密", "新郑", "登封", "河南"]
            if !city.isEmpty && !ownCities.contains(where: { city.hasSuffix($0) }) {
                return "another city's: \(s[max(k, start - 3)..<end].string)"
            }
        }
        return nil
    }

    /// 中牟县 by 7 points (headline 3, lead 2, body 1 a mention): “中牟县” (headline, line 5) …;
    /// also 郑东新区 (1).
    static func districtNote(
        _ ranked: [(county: String, score: Int, evidence: [Gazetteer.Mention])], shared: [String],
        place: (Gazetteer.Mention) -> String
    ) -> String {
        guard let top = ranked.first else {
            return "no unit of Zhengzhou is named" + (shared.isEmpty ? "" : "; " + shared.joined(separator: "; "))
        }
        var note = "\(top.county), \(top.score) points: "
        note += top.evidence.prefix(4).map(place).joined(separator: ", ")
        if top.evidence.count > 4 { note += " and \(top.evidence.count - 4) more" }
        if ranked.count > 1 {
            note +=
                "; lost: "
                + ranked.dropFirst().prefix(4).map { "\($0.county) (\($0.score), first \(place($0.evidence[0])))" }
                .joined(separator: ", ")
        }
        if !shared.isEmpty { note += "; " + shared.joined(separator: "; ") }
        return note
    }
}
