// The dates of a page and of its articles (EXTRACTION.md, "Date").
//
//   published    the file name's date, else the page's own date line (2021年3月5日 星期五)
//   page year    without a publication date: the latest event year the page writes — a
//                full date first, then an anniversary (新中国70华诞 → 2019), then a bare
//                year — never one compared with, aimed at, planned for or remembered
//   article      the first dated event in the lead; months and days without a year, and
//                relative words, resolved against the publication date (or the page year)
//   fallback     every article of a page with a known year gets at least that year
//
// Each result carries a note in words — which text decided, by which rule, and what was
// passed over — for `why`.
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
            if j < s.count && (s[j] == "-" || s[j] == "_" || s[j] == ".") {
                sep = s[j]
                j += 1
            }
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

    // MARK: publication date from a date line of the page

    /// A page's own date line: a full date with a weekday or lunar date beside it
    /// (`2020年9月16日 星期三 农历七月廿九`, `郑州日报 2021年3月5日 星期五 A05`), or a date
    /// standing alone on a short line. nil for any line that holds a sentence.
    public static func dateline(_ s: [Unicode.Scalar]) -> PartialDate? {
        guard s.count >= 8 && s.count <= 40, s.contains(where: { $0 == "年" || $0 == "-" || $0 == "." || $0 == "/" })
        else { return nil }
        for u in s where u.isSentenceEnd || u == "，" || u == "," || u == "；" || u == "、" { return nil }
        guard let first = DateMentions.scan(s, 0..<s.count, yearsOnly: true).first,
            case .full(let date) = first.kind, date.precision == .day
        else { return nil }
        let text = s.string
        let marked =
            text.contains("星期") || text.contains("农历") || text.contains("礼拜")
            || weekdayMark(s, after: first.range.upperBound)
        let others = s.count - first.range.count - s.filter(\.isSpaceLike).count
        return marked || (first.range.lowerBound == 0 && others == 0) ? date : nil
    }

    /// `周五` after the date.
    static func weekdayMark(_ s: Scalars, after i: Int) -> Bool {
        var k = i
        while k < s.count && s[k].isSpaceLike { k += 1 }
        return k + 1 < s.count && s[k] == "周" && DateMentions.weekdays[s[k + 1]] != nil
    }

    /// The page's dates: publication from the file name, else from the first date line;
    /// the page year from the publication, else from the page's text.
    public static func pageDates(
        fileName: String, datelines: [(line: Int, text: String, date: PartialDate)],
        texts: @autoclosure () -> [(scalars: Scalars, range: Range<Int>)]
    ) -> PageDates {
        var d = PageDates()
        let fromPage = datelines.first
        if let p = publicationDate(fileName: fileName) {
            d.published = p
            d.publishedSource = .file
            d.publishedNote = "\(p) from the file name \(fileName)"
            if let l = fromPage {
                d.publishedNote +=
                    l.date == p
                    ? " (the date line \(l.line) “\(l.text)” agrees)"
                    : " (the date line \(l.line) “\(l.text)” says \(l.date); the file name comes first)"
            }
        } else if let l = fromPage {
            d.published = l.date
            d.publishedSource = .page
            d.publishedNote = "\(l.date) from the page's date line \(l.line) “\(l.text)”"
        } else {
            d.publishedNote = "no date in the file name \(fileName) and no date line on the page"
        }
        if let p = d.published {
            d.year = p.year
            d.yearNote = "the year of publication \(p)"
        } else if let y = pageYear(texts()) {
            d.year = y.year
            d.yearNote = y.note
        }
        return d
    }

    // MARK: the year a page establishes

    /// The page's year from its text: the latest year of a full event date (2021年6月8日),
    /// else of an anniversary (新中国70华诞 → 2019), else of a bare event year (2022年春季,
    /// 2019年以来); years used otherwise are passed over, and said so in the note.
    public static func pageYear(_ texts: [String]) -> (year: Int, note: String)? {
        pageYear(
            texts.map { t in
                let s = Array(scalarsOf: t)
                return (s, 0..<s.count)
            })
    }

    /// The same over spans of scalar arrays (an article body's paragraphs, each read
    /// where it lies in the body, without copying), in order.
    static func pageYear(_ spans: [(scalars: Scalars, range: Range<Int>)]) -> (year: Int, note: String)? {
        // Strength of the evidence: 3 a full date, 2 an anniversary, 1 a bare year.
        var best: (strength: Int, year: Int, text: String)?
        var passed: [String] = []
        for (s, range) in spans {
            for m in DateMentions.scan(s, range, yearsOnly: true) {
                let strength: Int
                let year: Int
                switch m.kind {
                case .full(let d):
                    guard m.use == .event || m.use == .since else {
                        let said = "“\(m.text)” (\(m.use.phrase))"
                        if passed.count < 3 && !passed.contains(said) { passed.append(said) }
                        continue
                    }
                    strength = d.precision == .year || m.use == .since ? 1 : 3
                    year = d.year
                case .anniversary(let y):
                    guard (1990...2100).contains(y) else { continue }
                    strength = 2
                    year = y
                default:
                    continue
                }
                if best == nil || (strength, year) > (best!.strength, best!.year) { best = (strength, year, m.text) }
            }
        }
        guard let b = best else { return nil }
        let kind = ["", "the latest event year", "an anniversary", "the latest full event date"][b.strength]
        var note = "page year \(b.year) from \(kind) on the page, “\(b.text)”"
        if !passed.isEmpty { note += "; passed over \(passed.joined(separator: ", "))" }
        return (b.year, note)
    }

    // MARK: the lead's date

    public static func leadDate(_ lead: String, pageDates: PageDates) -> DateResult {
        leadDate(scalars: Array(scalarsOf: lead), pageDates: pageDates)
    }

    /// The first dated event in the lead, resolved against the page's dates; else the
    /// page's year. Years used for something other than an event are passed over.
    static func leadDate(scalars s: Scalars, pageDates pd: PageDates) -> DateResult {
        var passed: [String] = []
        var undecided: String? // the first event mention, when it could not be resolved
        let pub = pd.published
        let refSource: DateSource = pd.publishedSource == .page ? .page : .file
        func against(_ p: PartialDate) -> String { "against the publication date \(p)" }
        search: for m in DateMentions.scan(s, 0..<s.count) {
            switch m.kind {
            case .full(let date):
                guard m.use == .event else {
                    passed.append("“\(m.text)” (\(m.use.phrase))")
                    continue
                }
                return result(date, .text, "“\(m.text)” in the lead", passed)
            case .monthDay(let month, let day, let offset):
                if offset == nil, let y = yearInSentence(s, around: m.range) {
                    let date = PartialDate(year: y.year, month: month, day: day)
                    if date.isValid {
                        return result(
                            date, .text, "“\(m.text)” in the lead, with “\(y.text)” in the same sentence", passed)
                    }
                }
                if let p = pub {
                    if let date = latest(month: month, day: day, notAfter: p, yearOffset: offset) {
                        return result(date, refSource, "“\(m.text)” in the lead, the year \(against(p))", passed)
                    }
                } else if let y = pd.year {
                    if let date = latest(month: month, day: day, inOrBefore: y + (offset ?? 0)) {
                        return result(
                            date, .page, "“\(m.text)” in the lead, the year from the page (\(pd.yearNote))", passed)
                    }
                }
                undecided = m.text
                break search
            case .dayOnly(let day):
                if let p = pub, let date = dayOfMonth(day, notAfter: p) {
                    return result(date, refSource, "“\(m.text)” in the lead, the month \(against(p))", passed)
                }
                undecided = m.text
                break search
            case .relativeDay, .lastWeekday:
                if let p = pub {
                    let published = CivilDate.days(year: p.year, month: p.month, day: p.day)
                    var day = published
                    if case .relativeDay(let back) = m.kind { day += Int32(back) }
                    if case .lastWeekday(let w) = m.kind {
                        // 1970-01-01 was a Thursday: weekday 4 of a week that starts on Monday.
                        let weekday = Int((Int64(published) + 3) % 7 + 1)
                        day = published - Int32(weekday - 1) - 7 + Int32(w - 1)
                    }
                    let c = CivilDate.civil(day)
                    return result(
                        PartialDate(year: c.year, month: c.month, day: c.day), refSource, "“\(m.text)” \(against(p))",
                        passed)
                }
                undecided = m.text
                break search
            case .relativeMonth(let back):
                if let p = pub {
                    var y = p.year
                    var mo = p.month + back
                    if mo < 1 {
                        mo += 12
                        y -= 1
                    }
                    return result(PartialDate(year: y, month: mo), refSource, "“\(m.text)” \(against(p))", passed)
                }
                undecided = m.text
                break search
            case .vague, .thisYear:
                // 日前, 近日 …: they may reach across a month boundary; the year at most.
                if let p = pub {
                    return result(
                        PartialDate(year: p.year), refSource,
                        "“\(m.text)” in the lead gives the year of publication \(p)", passed)
                }
                if let y = pd.year {
                    return result(
                        PartialDate(year: y), .page, "“\(m.text)” in the lead; the year from the page (\(pd.yearNote))",
                        passed)
                }
                undecided = m.text
                break search
            case .anniversary:
                continue
            }
        }
        let why =
            undecided.map { "“\($0)” in the lead cannot be dated without a publication date" }
            ?? "no dated event in the lead"
        if let p = pub {
            return result(PartialDate(year: p.year), refSource, "\(why); the year of publication \(p)", passed)
        }
        if let y = pd.year {
            return result(PartialDate(year: y), .page, "\(why); the page's year (\(pd.yearNote))", passed)
        }
        return DateResult(date: nil, source: .none, note: "\(why), and the page gives no year" + passedNote(passed))
    }

    static func result(_ d: PartialDate, _ source: DateSource, _ note: String, _ passed: [String]) -> DateResult {
        DateResult(date: d, source: source, note: note + passedNote(passed))
    }

    static func passedNote(_ passed: [String]) -> String {
        passed.isEmpty ? "" : "; passed over " + passed.prefix(3).joined(separator: ", ")
    }

    /// A month and day without a year: the latest year, not after publication, in which it
    /// exists (2月29日 published 2021-03-10 → 2020-02-29); 今年/去年 fix the year.
    static func latest(month: Int, day: Int, notAfter p: PartialDate, yearOffset: Int?) -> PartialDate? {
        if let o = yearOffset {
            let d = PartialDate(year: p.year + o, month: month, day: day)
            return d.isValid ? d : nil
        }
        var y = p.year
        if month > p.month || (month == p.month && day > p.day) { y -= 1 }
        return latest(month: month, day: day, inOrBefore: y)
    }

    /// The latest year no later than `y` in which the day exists (only 2月29日 looks back).
    static func latest(month: Int, day: Int, inOrBefore y: Int) -> PartialDate? {
        for year in stride(from: y, through: y - 8, by: -1) {
            let d = PartialDate(year: year, month: month, day: day)
            if d.isValid { return d }
        }
        return nil
    }

    /// 8日 published 2022-04-13 → 2022-04-08; 20日 → 2022-03-20 (the latest such day before).
    static func dayOfMonth(_ day: Int, notAfter p: PartialDate) -> PartialDate? {
        var y = p.year
        var m = p.month
        if day > p.day {
            m -= 1
            if m == 0 {
                m = 12
                y -= 1
            }
        }
        for _ in 0..<3 {
            let d = PartialDate(year: y, month: m, day: day)
            if d.isValid { return d }
            m -= 1
            if m == 0 {
                m = 12
                y -= 1
            }
        }
        return nil
    }

    /// An event year (`2020年`) in the sentence around a mention: 10月15日晚,2020年全市…
    static func yearInSentence(_ s: Scalars, around r: Range<Int>) -> (year: Int, text: String)? {
        var a = r.lowerBound
        var b = r.upperBound
        while a > 0 && !s[a - 1].isSentenceEnd { a -= 1 }
        while b < s.count && !s[b].isSentenceEnd { b += 1 }
        for m in DateMentions.scan(s, a..<b, yearsOnly: true) {
            if case .full(let d) = m.kind, d.precision == .year, m.use == .event { return (d.year, m.text) }
        }
        return nil
    }
}

/// A page's dates: when it was published (and how that is known), and the year every
/// article of the page gets at least.
public struct PageDates: Sendable, Equatable {
    public var published: PartialDate?
    public var publishedSource: DateSource = .none
    public var publishedNote = ""
    public var year: Int?
    public var yearNote = ""
    public init() {}
}
