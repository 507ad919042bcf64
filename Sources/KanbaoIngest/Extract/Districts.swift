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
    public static func resolve(headline: [String], speakerLine: String?, lead: String, rest: String,
                               gazetteer: Gazetteer) -> DistrictResult {
        let l = Array(scalarsOf: lead), r = Array(scalarsOf: rest)
        return resolve(headline: headline, speakerLine: speakerLine, lead: l[...], rest: [r[...]], gazetteer: gazetteer)
    }

    /// The same with the lead and the rest of the body as scalars (the rest in pieces,
    /// read as if joined by line breaks).
    static func resolve(headline: [String], speakerLine: String?, lead: ArraySlice<Unicode.Scalar>,
                        rest: [ArraySlice<Unicode.Scalar>], gazetteer: Gazetteer, lines: ArticleLines = ArticleLines()) -> DistrictResult {
        var text: Scalars = []
        text.reserveCapacity(lead.count + rest.reduce(0) { $0 + $1.count + 1 } + 64)
        // Each piece of text: where it ends, its weight, its page line and what it is.
        var zones: [(end: Int, weight: Int, line: Int, part: String)] = []
        for (k, h) in headline.enumerated() {
            text += Array(scalarsOf: h); text.append("\n")
            zones.append((text.count, 3, k < lines.headline.count ? lines.headline[k] : 0, "headline"))
        }
        if let s = speakerLine {
            text += Array(scalarsOf: s); text.append("\n")
            zones.append((text.count, 3, lines.speaker, "speaker line"))
        }
        text += lead; text.append("\n")
        zones.append((text.count, 2, lines.lead, "lead"))
        for (k, piece) in rest.enumerated() {
            if k > 0 { text.append("\n") }
            text += piece
            zones.append((text.count, 1, k < lines.rest.count ? lines.rest[k] : 0, "body"))
        }
        func zone(at offset: Int) -> (end: Int, weight: Int, line: Int, part: String) {
            zones.first(where: { offset < $0.end }) ?? (text.count, 1, 0, "body")
        }
        func weight(at offset: Int) -> Int { zone(at: offset).weight }
        func mentionText(_ m: Gazetteer.Mention) -> String { text[m.offset..<(m.offset + m.length)].string }
        /// “大孟镇” (lead, line 11)
        func place(_ m: Gazetteer.Mention) -> String {
            let z = zone(at: m.offset)
            return "“\(mentionText(m))” (\(z.part)\(z.line > 0 ? ", line \(z.line)" : ""))"
        }

        let mentions = gazetteer.scan(text)
        let countyMentions = mentions.filter { $0.level == .county }
        // A handful of counties per article: a list searched in order beats hashing
        // Chinese strings (which Swift normalises first).
        var tally: [(county: String, score: Int, firstSeen: Int, evidence: [Gazetteer.Mention])] = []
        var places: [String] = []
        var sharedNotes: [String] = []
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
            if m.candidates.count == 1 {
                chosen = m.candidates[0]
            } else {
                var best: (distance: Int, pick: (String, String), by: Gazetteer.Mention)?
                for cm in countyMentions {
                    guard let county = cm.county, let pick = m.candidates.first(where: { $0.county == county }) else { continue }
                    let d = abs(cm.offset - m.offset)
                    if best == nil || d < best!.distance { best = (d, pick, cm) }
                }
                chosen = best.map { (township: $0.pick.0, county: $0.pick.1) }
                if sharedNotes.count < 2 && !sharedNotes.contains(where: { $0.hasPrefix(mentionText(m) + " ") }) {
                    let units = m.candidates.map(\.county).joined(separator: " and ")
                    sharedNotes.append(best.map { "\(mentionText(m)) is in both \(units); the nearest county-level mention, \(place($0.by)), decides \($0.pick.1)" }
                        ?? "\(mentionText(m)) is in both \(units) and no county-level name is near: it decides nothing")
                }
            }
            guard let c = chosen else { continue }
            vote(c.county, m)
            if !places.contains(c.township) { places.append(c.township) }
        }
        let sorted = tally.sorted { $0.score != $1.score ? $0.score > $1.score : $0.firstSeen < $1.firstSeen }
        let ordered = sorted.map(\.county)
        return DistrictResult(district: ordered.first, districts: ordered, places: places,
                              note: districtNote(sorted.map { ($0.county, $0.score, $0.evidence) }, shared: sharedNotes, place: place),
                              placesNote: places.isEmpty ? "no township-level unit is named" : "named: \(places.joined(separator: ", "))")
    }

    /// 中牟县 by 7 points (headline 3, lead 2, body 1 a mention): “中牟县” (headline, line 5) …;
    /// also 郑东新区 (1).
    static func districtNote(_ ranked: [(county: String, score: Int, evidence: [Gazetteer.Mention])], shared: [String],
                             place: (Gazetteer.Mention) -> String) -> String {
        guard let top = ranked.first else {
            return "no unit of Zhengzhou is named" + (shared.isEmpty ? "" : "; " + shared.joined(separator: "; "))
        }
        var note = "\(top.county), \(top.score) points: "
        note += top.evidence.prefix(4).map(place).joined(separator: ", ")
        if top.evidence.count > 4 { note += " and \(top.evidence.count - 4) more" }
        if ranked.count > 1 {
            note += "; lost: " + ranked.dropFirst().prefix(4).map { "\($0.county) (\($0.score), first \(place($0.evidence[0])))" }.joined(separator: ", ")
        }
        if !shared.isEmpty { note += "; " + shared.joined(separator: "; ") }
        return note
    }
}
