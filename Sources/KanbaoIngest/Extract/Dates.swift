// The date an article reports on: the first dated event in its lead.
//   2020年10月15日            full date, from the text
//   4月9日上午                 year from the publication date (file name), else the page's year
//   昨日 前天 今天              only against a known publication date
//   日前 近日 今年3月           at most the month or the year; never an invented day
import KanbaoStore

public struct DateResult: Sendable, Equatable {
    public var date: PartialDate?
    public var source: DateSource
    public var note: String
    static let unknown = DateResult(date: nil, source: .none, note: "")
}

public enum DateReader {
    // MARK: publication date from a file name

    /// `2022-04-09`, `2022_04_09` or `20220409` in a file name, not inside a longer number.
    public static func publicationDate(fileName: String) -> PartialDate? {
        let s = Array(scalarsOf: fileName)
        var i = 0
        while i + 8 <= s.count {
            defer { i += 1 }
            if i > 0 && s[i - 1].isASCIIDigit { continue }
            guard let y = number(s, i, 4), (1900...2100).contains(y) else { continue }
            var j = i + 4
            var sep: Unicode.Scalar?
            if j < s.count && (s[j] == "-" || s[j] == "_" || s[j] == ".") { sep = s[j]; j += 1 }
            guard let m = number(s, j, 2) else { continue }
            j += 2
            if let sep {
                guard j < s.count && s[j] == sep else { continue }
                j += 1
            }
            guard let d = number(s, j, 2) else { continue }
            j += 2
            if j < s.count && s[j].isASCIIDigit { continue }
            let date = PartialDate(year: y, month: m, day: d)
            if date.isValid && date.precision == .day { return date }
        }
        return nil
    }

    static func number(_ s: Scalars, _ at: Int, _ width: Int) -> Int? {
        guard at + width <= s.count else { return nil }
        var v = 0
        for k in at..<(at + width) {
            guard s[k].isASCIIDigit else { return nil }
            v = v * 10 + Int(s[k].value - 48)
        }
        return v
    }

    // MARK: the year a page establishes

    static let anniversaries: [(marker: String, base: Int, label: String)] = [
        ("新中国", 1949, "新中国"), ("中华人民共和国成立", 1949, "新中国"), ("建党", 1921, "建党"),
        ("中国共产党成立", 1921, "建党"), ("改革开放", 1978, "改革开放"), ("爱国卫生运动", 1952, "爱国卫生运动"),
    ]

    static let anniversaryMarkers = anniversaries.map { Array($0.marker.unicodeScalars) }

    /// ASCII digits and the first characters of the anniversary markers.
    static let yearOrAnniversaryStart = Bits64K("0123456789".unicodeScalars.map(\.value) + anniversaryMarkers.map(\.[0].value))

    /// The latest explicit year on the page (not a target such as 到2025年) or anniversary
    /// (新中国70华诞 → 2019, 建党98周年 → 2019), with a note saying which.
    public static func pageYear(_ texts: [String]) -> (year: Int, note: String)? {
        pageYear(texts.map { t in let s = Array(scalarsOf: t); return (s, 0..<s.count) })
    }

    /// The same over spans of scalar arrays (an article body's paragraphs, each read
    /// where it lies in the body, without copying), in order.
    static func pageYear(_ spans: [(scalars: Scalars, range: Range<Int>)]) -> (year: Int, note: String)? {
        // The note is written once, for the year chosen: a page holds many years, and
        // formatting a note for each was a measurable part of ingest.
        var best: (year: Int, anniversary: String?)?
        func consider(_ y: Int, _ anniversary: String?) {
            guard (1950...2100).contains(y) else { return }
            if best == nil || y > best!.year { best = (y, anniversary) }
        }
        var anniversariesSeen: [(year: Int, note: String)] = []
        let starts = yearOrAnniversaryStart   // a static read once, not once per character
        for (s, range) in spans {
            let start = range.lowerBound, end = range.upperBound
            // One pass: explicit years are considered as they are met, anniversaries
            // (新中国成立70周年, 新中国70华诞, 建党98周年) after all of the text's years, as
            // two passes would (the first of equal years gives the note).
            anniversariesSeen.removeAll(keepingCapacity: true)
            var i = start, yearsFrom = start   // no year starts before `yearsFrom` (inside one just read)
            while i < end {
                let c = s[i]
                // Nearly every character is neither a digit nor an anniversary's first
                // character: one bit test for them all.
                if !starts.contains(c.value) { i += 1; continue }
                if c.isASCIIDigit {
                    if i >= yearsFrom && (i == start || !s[i - 1].isASCIIDigit), i + 4 < end, let y = number(s, i, 4),
                       s[i + 4] == "年", !(i + 5 < end && s[i + 5].isASCIIDigit) {
                        let before = i > start ? s[i - 1] : " "
                        if before != "到" && before != "至" && !(i - start >= 2 && s[i - 2] == "预" && s[i - 1] == "计") {
                            consider(y, nil)
                        }
                        yearsFrom = i + 5
                    }
                } else {   // the first character of an anniversary marker
                    for (a, marker) in zip(anniversaries, anniversaryMarkers) where i + marker.count <= end && s.hasPrefix(marker, at: i) {
                        var j = i + marker.count
                        let limit = j + 3
                        while j < end && j < limit && !s[j].isASCIIDigit { j += 1 }
                        var n = 0, digits = 0
                        while j < end && s[j].isASCIIDigit && digits < 4 { n = n * 10 + Int(s[j].value - 48); j += 1; digits += 1 }
                        if digits > 0 && (j + 2 <= end && s.hasPrefix(["周", "年"], at: j) || j + 2 <= end && s.hasPrefix(["华", "诞"], at: j) || j + 1 <= end && s.hasPrefix(["年"], at: j)) {
                            anniversariesSeen.append((a.base + n, "anniversary \(a.label)\(n) → \(a.base + n)"))
                        }
                    }
                }
                i += 1
            }
            for a in anniversariesSeen { consider(a.year, a.note) }
        }
        return best.map { ($0.year, $0.anniversary ?? "explicit year \($0.year)年 on the page") }
    }

    // MARK: the lead's date

    public static func leadDate(_ lead: String, publication: PartialDate?, pageYear: (year: Int, note: String)?) -> DateResult {
        leadDate(scalars: Array(scalarsOf: lead), publication: publication, pageYear: pageYear)
    }

    static func leadDate(scalars s: Scalars, publication: PartialDate?, pageYear: (year: Int, note: String)?) -> DateResult {
        var bareYear: DateResult?
        var vague: (String, Int)?   // relative word without a day (日前, 今年 …), and its month if any
        var i = 0
        while i < s.count {
            let u = s[i]
            if u == "《" {
                // Years in a title (《二七区2022年项目建设工作台账》) date no event.
                if let close = s[i...].firstIndex(of: "》") { i = close + 1; continue }
            }
            if u.isASCIIDigit && (i == 0 || !s[i - 1].isASCIIDigit) {
                let (n, len) = readInt(s, i)
                let j = i + len
                let next = j < s.count ? s[j] : " "
                if next == "年" && len == 4 {
                    let (m, d, end) = readMonthDay(s, j + 1)
                    if m > 0 {
                        let date = PartialDate(year: n, month: m, day: d)
                        if date.isValid { return DateResult(date: date, source: .text, note: "\(s[i..<end].string) in the lead") }
                    } else if bareYear == nil && (1900...2100).contains(n) {
                        bareYear = DateResult(date: PartialDate(year: n), source: .text, note: "\(n)年 in the lead")
                    }
                    i = j + 1
                    continue
                }
                if next == "月" && (1...12).contains(n) && !(i > 0 && s[i - 1] == "个") {
                    let (m, d, end) = readMonthDay(s, i)
                    let phrase = s[i..<end].string
                    let yearWord = i >= 2 && s[(i - 2)..<i].string == "今年"
                    if let year = yearInSentence(s, around: i) {
                        let date = PartialDate(year: year, month: m, day: d)
                        if date.isValid { return DateResult(date: date, source: .text, note: "\(phrase) with \(year)年 in the same sentence") }
                    }
                    if let r = resolve(month: m, day: d, phrase: phrase, publication: publication, pageYear: pageYear, thisYear: yearWord) {
                        return r
                    }
                    i = end
                    continue
                }
                if next == "日" && (1...31).contains(n) && !(i > 0 && (s[i - 1] == "月" || s[i - 1] == "第")) {
                    // 8日下午: a day of an unnamed month.
                    if let p = publication {
                        var y = p.year, m = p.month
                        if n > p.day { m -= 1; if m == 0 { m = 12; y -= 1 } }
                        let date = PartialDate(year: y, month: m, day: n)
                        if date.isValid { return DateResult(date: date, source: .file, note: "\(n)日 in the lead, month from the publication date \(p)") }
                    } else if let py = pageYear {
                        return DateResult(date: PartialDate(year: py.year), source: .page,
                                          note: "\(n)日 in the lead names no month; year from the page (\(py.note))")
                    }
                    i = j + 1
                    continue
                }
                i = j
                continue
            }
            // Relative words start with one of these; most characters skip the checks below.
            guard u == "前" || u == "昨" || u == "今" || u == "日" || u == "近" || u == "连" || u == "本" || u == "上" else {
                i += 1
                continue
            }
            for (word, back) in [("前天", -2), ("前日", -2), ("昨日", -1), ("昨天", -1), ("今天", 0), ("今日", 0)] where s.hasPrefix(word, at: i) {
                if let p = publication {
                    let day = CivilDate.days(year: p.year, month: p.month, day: p.day) + Int32(back)
                    let c = CivilDate.civil(day)
                    return DateResult(date: PartialDate(year: c.year, month: c.month, day: c.day), source: .file,
                                      note: "\(word) against the publication date \(p)")
                }
                if vague == nil { vague = (word, 0) }
            }
            for word in ["日前", "近日", "近期", "连日来", "前不久", "今年", "本月", "上周", "近几个月"] where s.hasPrefix(word, at: i) {
                if vague == nil { vague = (word, 0) }
            }
            i += 1
        }
        if let b = bareYear { return b }
        if let (word, _) = vague {
            if let p = publication {
                let monthly = ["日前", "近日", "近期", "连日来", "前不久", "本月", "上周", "昨日", "昨天", "前天", "前日", "今天", "今日"].contains(word)
                return DateResult(date: monthly ? PartialDate(year: p.year, month: p.month) : PartialDate(year: p.year),
                                  source: .file, note: "\(word) in the lead, against the publication date \(p)")
            }
            if let py = pageYear {
                return DateResult(date: PartialDate(year: py.year), source: .page, note: "\(word) in the lead; year from the page (\(py.note))")
            }
        }
        return .unknown
    }

    /// A month (and day) without a year: the latest year that does not put it after
    /// publication, else the page's year.
    static func resolve(month m: Int, day d: Int, phrase: String, publication: PartialDate?,
                        pageYear: (year: Int, note: String)?, thisYear: Bool) -> DateResult? {
        if let p = publication {
            var y = p.year
            if !thisYear && (m > p.month || (m == p.month && d > p.day)) { y -= 1 }
            let date = PartialDate(year: y, month: m, day: d)
            return date.isValid ? DateResult(date: date, source: .file, note: "\(phrase) in the lead, year from the publication date \(p)") : nil
        }
        if let py = pageYear {
            let date = PartialDate(year: py.year, month: m, day: d)
            return date.isValid ? DateResult(date: date, source: .page, note: "\(phrase) in the lead, year from the page (\(py.note))") : nil
        }
        return nil
    }

    static func readInt(_ s: Scalars, _ i: Int) -> (Int, Int) {
        var v = 0, k = i
        while k < s.count && s[k].isASCIIDigit && k - i < 9 { v = v * 10 + Int(s[k].value - 48); k += 1 }
        return (v, k - i)
    }

    /// `10月15日` at i → (10, 15, end); `3月` → (3, 0, end); nothing → (0, 0, i).
    static func readMonthDay(_ s: Scalars, _ i: Int) -> (Int, Int, Int) {
        let (m, ml) = readInt(s, i)
        guard ml > 0 && ml <= 2, i + ml < s.count, s[i + ml] == "月", (1...12).contains(m) else { return (0, 0, i) }
        let j = i + ml + 1
        let (d, dl) = readInt(s, j)
        if dl > 0 && dl <= 2 && j + dl < s.count && (s[j + dl] == "日" || s[j + dl] == "号") && (1...31).contains(d) {
            return (m, d, j + dl + 1)
        }
        return (m, 0, j)
    }

    /// An explicit 4-digit year (`2020年`) in the sentence around offset i.
    static func yearInSentence(_ s: Scalars, around i: Int) -> Int? {
        var a = i, b = i
        while a > 0 && !s[a - 1].isSentenceEnd { a -= 1 }
        while b < s.count && !s[b].isSentenceEnd { b += 1 }
        var k = a
        while k < b {
            if s[k].isASCIIDigit && (k == a || !s[k - 1].isASCIIDigit) {
                let (n, len) = readInt(s, k)
                if len == 4 && k + 4 < s.count && s[k + 4] == "年" && (1900...2100).contains(n) { return n }
                k += max(len, 1)
            } else {
                k += 1
            }
        }
        return nil
    }
}
