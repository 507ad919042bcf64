// District, districts and places of an article. Every gazetteer mention votes for a
// county-level unit with a weight by where it stands: headline and speaker line 3,
// lead paragraph 2, the rest 1. A township name shared by several units (城关乡 in
// 新郑市 and 荥阳市) goes to the unit of the nearest county-level mention among its
// candidates; with none, it decides nothing.

public struct DistrictResult: Sendable, Equatable {
    public var district: String?
    public var districts: [String]
    public var places: [String]
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
                        rest: [ArraySlice<Unicode.Scalar>], gazetteer: Gazetteer) -> DistrictResult {
        var text: Scalars = []
        text.reserveCapacity(lead.count + rest.reduce(0) { $0 + $1.count + 1 } + 64)
        var zones: [(end: Int, weight: Int)] = []
        for h in headline { text += Array(scalarsOf: h); text.append("\n") }
        if let s = speakerLine { text += Array(scalarsOf: s); text.append("\n") }
        zones.append((text.count, 3))
        text += lead; text.append("\n")
        zones.append((text.count, 2))
        for (k, piece) in rest.enumerated() {
            if k > 0 { text.append("\n") }
            text += piece
        }
        zones.append((text.count, 1))
        func weight(at offset: Int) -> Int { zones.first(where: { offset < $0.end })?.weight ?? 1 }

        let mentions = gazetteer.scan(text)
        let countyMentions = mentions.filter { $0.level == .county }
        // A handful of counties per article: a list searched in order beats hashing
        // Chinese strings (which Swift normalises first).
        var tally: [(county: String, score: Int, firstSeen: Int)] = []
        var places: [String] = []
        func vote(_ county: String, _ m: Gazetteer.Mention) {
            if let k = tally.firstIndex(where: { $0.county == county }) {
                tally[k].score += weight(at: m.offset)
            } else {
                tally.append((county, weight(at: m.offset), m.offset))
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
                var best: (distance: Int, pick: (String, String))?
                for cm in countyMentions {
                    guard let county = cm.county, let pick = m.candidates.first(where: { $0.county == county }) else { continue }
                    let d = abs(cm.offset - m.offset)
                    if best == nil || d < best!.distance { best = (d, pick) }
                }
                chosen = best.map { (township: $0.pick.0, county: $0.pick.1) }
            }
            guard let c = chosen else { continue }
            vote(c.county, m)
            if !places.contains(c.township) { places.append(c.township) }
        }
        let ordered = tally.sorted { $0.score != $1.score ? $0.score > $1.score : $0.firstSeen < $1.firstSeen }.map(\.county)
        return DistrictResult(district: ordered.first, districts: ordered, places: places)
    }
}
