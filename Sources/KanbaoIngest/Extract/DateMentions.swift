// Time expressions in running text, found in one left-to-right pass. Each mention says
// what it names (a full date, a month and day without a year, a relative word …) and,
// for those that carry a year, what the year is used for: an event, or a year that is
// compared with, aimed at, planned for or remembered. The page-year and lead-date rules
// (Dates.swift) decide with these; this file only reads.
//
//   2020年10月15日  二〇二〇年十月  2015年三月3号  2019-04-19  2019.9.6  2019/04/19
//   2018年1—9月 (→ January)   4月9日至11日 (→ the 9th)   十月十五日   8日
//   昨日 前天 今天 上周二 本月 上月   日前 近日 近期 连日来 近年来   今年3月 去年10月
//   新中国70华诞  建党一百周年  壮丽70年  (anniversaries: a year of their own)
import KanbaoStore

/// What a year in the text is used for. Only an event's year dates a page or an article.
enum YearUse: Sendable, Equatable {
    case event
    /// 2019年以来, 2018年至今, 从2020年起: the start of a period that runs to now.
    case since
    /// 比2017年同期, 较2018年, 2019年同期.
    case comparison
    /// 到2020年底, 预计2021年, 2035年远景目标, 今冬明春及2021年的任务, 2021—2025年.
    case target
    /// 1923年二七大罢工, 90年代: history, not news.
    case history
    /// 《二七区2022年项目建设工作台账》: a name, not a time.
    case title

    var phrase: String {
        switch self {
        case .event: return "an event"
        case .since: return "the start of a period"
        case .comparison: return "a comparison"
        case .target: return "a target or plan"
        case .history: return "history"
        case .title: return "inside a title 《…》"
        }
    }
}

struct DateMention: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A date with its year (month and day if written).
        case full(PartialDate)
        /// A month (day 0 when not written) without a year; `yearOffset` is 0 for 今年,
        /// -1 for 去年, nil when no year word stands before it.
        case monthDay(month: Int, day: Int, yearOffset: Int?)
        /// 8日: a day of a month the text does not name.
        case dayOnly(Int)
        /// 昨日 (-1), 前天 (-2), 今天 (0).
        case relativeDay(Int)
        /// 上周二: the weekday (Monday 1 … Sunday 7) of the week before publication.
        case lastWeekday(Int)
        /// 本月 (0), 上月 (-1).
        case relativeMonth(Int)
        /// 日前, 近日, 连日来 …: some time around publication, the year at most.
        case vague
        /// 今年 on its own.
        case thisYear
        /// 新中国70华诞 → 2019.
        case anniversary(Int)
    }

    var kind: Kind
    var range: Range<Int>
    /// For mentions with a written year (`.full`): what the year is used for.
    var use: YearUse = .event
    var text: String
}

enum DateMentions {
    // MARK: the characters that can start a mention

    /// A Chinese digit's value (〇 ○ Ｏ 零 are 0; 两 is 2), by code point: a dictionary
    /// would hash every character asked about.
    @inline(__always) static func digit(_ u: Unicode.Scalar) -> Int? {
        if let d = FigureReader.chineseDigit(u) { return d }
        return u.value == 0x25CB || u.value == 0xFF2F ? 0 : nil
    }
    static let digitCharacters: [Unicode.Scalar] = "〇○零Ｏ一二两三四五六七八九".unicodeScalars.map { $0 }
    static let anniversaryFirsts = Set(anniversaries.map(\.marker[0]))
    static let relativeFirsts = Set(relativeWords.map(\.word[0]) + ["今", "去", "上"])

    /// Anniversaries: a marker, a count, then 周年, 华诞 or 年; the count added to the base.
    static let anniversaries: [(marker: Scalars, base: Int)] = {
        let markers: [(String, Int)] = [
            ("新中国成立", 1949), ("中华人民共和国成立", 1949), ("新中国", 1949), ("共和国", 1949), ("壮丽", 1949),
            ("建党", 1921), ("中国共产党成立", 1921), ("改革开放", 1978), ("爱国卫生运动", 1952), ("建军", 1927),
        ]
        return markers.map { (Array($0.0.unicodeScalars), $0.1) }
    }()

    /// Relative words, by their first character.
    static let relativeWords: [(word: Scalars, kind: DateMention.Kind)] = {
        let words: [(String, DateMention.Kind)] = [
            ("前天", .relativeDay(-2)), ("前日", .relativeDay(-2)), ("昨日", .relativeDay(-1)), ("昨天", .relativeDay(-1)),
            ("今天", .relativeDay(0)), ("今日", .relativeDay(0)), ("本月", .relativeMonth(0)), ("上月", .relativeMonth(-1)),
            ("上个月", .relativeMonth(-1)), ("日前", .vague), ("近日", .vague), ("近期", .vague), ("连日来", .vague),
            ("近年来", .vague), ("前不久", .vague), ("近几个月", .vague), ("近来", .vague),
        ]
        return words.map { (Array($0.0.unicodeScalars), $0.1) }
    }()

    static let weekdays: [Unicode.Scalar: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7]

    /// Every character a mention can start with: one bit test skips the rest.
    static let starts: Bits64K = {
        var values: [UInt32] = "0123456789《今去上十".unicodeScalars.map(\.value)
        values += digitCharacters.map(\.value)
        values += anniversaries.map(\.marker[0].value)
        values += relativeWords.map(\.word[0].value)
        return Bits64K(values)
    }()

    /// Characters that join the ends of a span (2018年1—9月, 4月9日至11日).
    static func isSpanMark(_ u: Unicode.Scalar) -> Bool {
        u == "—" || u == "–" || u == "-" || u == "~" || u == "～" || u == "至" || u == "到" || u == "－"
    }

    // MARK: the scan

    /// The mentions in s[range], in order. `yearsOnly` leaves out what cannot give a page
    /// its year (days and words without a year).
    static func scan(_ s: Scalars, _ range: Range<Int>, yearsOnly: Bool = false) -> [DateMention] {
        var out: [DateMention] = []
        var i = range.lowerBound
        let end = range.upperBound
        let starts = self.starts // a static read once, not once per character
        var titleEnd = -1 // inside 《…》 until here
        while i < end {
            let u = s[i]
            if !starts.contains(u.value) {
                i += 1
                continue
            }
            if u == "《" {
                titleEnd = s[i..<end].firstIndex(of: "》") ?? i
                i += 1
                continue
            }
            let inTitle = i < titleEnd
            if let m = read(s, i, end, inTitle: inTitle, yearsOnly: yearsOnly) {
                out.append(m)
                i = max(m.range.upperBound, i + 1)
            } else {
                i += 1
            }
        }
        return out
    }

    /// The mention starting at i, if one does.
    static func read(_ s: Scalars, _ i: Int, _ end: Int, inTitle: Bool, yearsOnly: Bool) -> DateMention? {
        let u = s[i]
        let afterNumber =
            i > 0 && (s[i - 1].isASCIIDigit || s[i - 1] == "." || digit(s[i - 1]) != nil || s[i - 1] == "十")
        func mention(_ k: DateMention.Kind, _ to: Int, use: YearUse = .event) -> DateMention {
            DateMention(kind: k, range: i..<to, use: use, text: s[i..<to].string)
        }
        // A year: 2020年, 二〇二〇年, then perhaps a month and day.
        if !afterNumber, let (year, yl) = yearNumber(s, i, end), i + yl < end, s[i + yl] == "年" {
            var j = i + yl + 1
            var date = PartialDate(year: year)
            if let md = monthDay(s, j, end) {
                date = PartialDate(year: year, month: md.month, day: md.day)
                j = md.end
            }
            guard date.isValid else { return nil }
            if j < end && s[j] == "代" { return mention(.full(date), j + 1, use: .history) } // 90年代
            let use = inTitle ? .title : yearUse(s, i, j, end, year: year)
            return mention(.full(date), j, use: use)
        }
        // 2019-04-19, 2019.9.6, 2019/04/19.
        if u.isASCIIDigit && !afterNumber, let (date, j) = numericDate(s, i, end) {
            return mention(.full(date), j, use: inTitle ? .title : yearUse(s, i, j, end, year: date.year))
        }
        let opensNumber = u.isASCIIDigit || u == "十" || digit(u) != nil
        // Anniversaries.
        if !opensNumber && anniversaryFirsts.contains(u) {
            for a in anniversaries where u == a.marker[0] && s.hasPrefix(a.marker, at: i) {
                if let (n, j) = anniversaryCount(s, i + a.marker.count, end), (1...300).contains(n) {
                    return mention(.anniversary(a.base + n), j)
                }
            }
        }
        if yearsOnly || inTitle { return nil }
        if !opensNumber && !relativeFirsts.contains(u) { return nil }
        // 今年3月, 去年10月, 今年 alone.
        if s.hasPrefix(["今", "年"], at: i) || s.hasPrefix(["去", "年"], at: i) {
            let offset = u == "今" ? 0 : -1
            if let md = monthDay(s, i + 2, end) {
                return mention(.monthDay(month: md.month, day: md.day, yearOffset: offset), md.end)
            }
            if s.hasPrefix(["以", "来"], at: i + 2) { return nil }
            return offset == 0 ? mention(.thisYear, i + 2) : nil
        }
        // 上周二.
        if s.hasPrefix(["上", "周"], at: i), i + 2 < end, let w = weekdays[s[i + 2]] {
            return mention(.lastWeekday(w), i + 3)
        }
        for r in relativeWords where u == r.word[0] && s.hasPrefix(r.word, at: i) {
            return mention(r.kind, i + r.word.count)
        }
        // A month (and day) without a year: 4月9日, 十月十五日, 3月; a day alone: 8日.
        if !afterNumber {
            if let md = monthDay(s, i, end) {
                // A Chinese-numeral month needs its day (三月 is also a season's word).
                if md.day == 0 && !u.isASCIIDigit { return nil }
                if i > 0 && (s[i - 1] == "个" || s[i - 1] == "第") { return nil }
                return mention(.monthDay(month: md.month, day: md.day, yearOffset: nil), md.end)
            }
            if u.isASCIIDigit, let (d, l) = arabic(s, i, end, maxDigits: 2), i + l < end, s[i + l] == "日",
                (1...31).contains(d),
                !(i > 0 && (s[i - 1] == "第" || s[i - 1] == "月"))
            {
                return mention(.dayOnly(d), i + l + 1)
            }
        }
        return nil
    }

    /// What the year of a mention at s[start..<end] is used for, by the words around it.
    static func yearUse(_ s: Scalars, _ start: Int, _ end: Int, _ limit: Int, year: Int) -> YearUse {
        if year < 1990 { return .history }
        // Backwards over spaces to the words before the year.
        var b = start
        while b > 0 && s[b - 1].isSpaceLike { b -= 1 }
        func before(_ w: String) -> Bool {
            let p = Array(w.unicodeScalars)
            return b >= p.count && s.hasPrefix(p, at: b - p.count)
        }
        func after(_ w: String) -> Bool { s.hasPrefix(w, at: end) }
        if ["比", "较", "同比", "相比", "对比", "超过"].contains(where: before) { return .comparison }
        if ["到", "至", "截至", "截止", "直到", "预计", "计划", "力争", "争取", "确保", "有望", "将于", "拟于"].contains(where: before) {
            return .target
        }
        if ["以来", "至今", "起", "开始"].contains(where: after) { return .since }
        if ["同期", "同比", "水平"].contains(where: after) { return .comparison }
        if ["的任务", "任务", "的目标", "目标", "远景", "规划", "计划", "底前", "以前", "度"].contains(where: after) { return .target }
        // 2020年前: before 2020, a deadline; 2020年前三季度: part of that year.
        if after("前") && !(end + 1 < limit && (s[end + 1].isASCIIDigit || digit(s[end + 1]) != nil)) { return .target }
        // 2021年至2025年, 2021—2025年: a plan's period.
        if end < limit && isSpanMark(s[end]), end + 1 < limit, s[end + 1].isASCIIDigit || digit(s[end + 1]) != nil {
            if let (_, l) = yearNumber(s, end + 1, limit), end + 1 + l < limit, s[end + 1 + l] == "年" { return .target }
        }
        return .event
    }

    // MARK: numbers

    /// ASCII digits at i, at most `maxDigits` of them, not followed by another digit.
    static func arabic(_ s: Scalars, _ i: Int, _ end: Int, maxDigits: Int) -> (Int, Int)? {
        var v = 0
        var k = i
        while k < end && s[k].isASCIIDigit {
            if k - i == maxDigits { return nil }
            v = v * 10 + Int(s[k].value - 48)
            k += 1
        }
        return k > i ? (v, k - i) : nil
    }

    /// A year of four digits, ASCII or Chinese (二〇二〇), within 1000…2999.
    static func yearNumber(_ s: Scalars, _ i: Int, _ end: Int) -> (Int, Int)? {
        guard i + 4 <= end else { return nil }
        if s[i].isASCIIDigit {
            guard let (y, l) = arabic(s, i, end, maxDigits: 4), l == 4, (1000...2999).contains(y) else { return nil }
            return (y, 4)
        }
        var y = 0
        for k in i..<(i + 4) {
            guard let d = digit(s[k]), s[k] != "两" else { return nil }
            y = y * 10 + d
        }
        if i + 4 < end, digit(s[i + 4]) != nil { return nil }
        return (1000...2999).contains(y) ? (y, 4) : nil
    }

    /// A small number in ASCII digits or Chinese numerals (五, 十, 十五, 二十一, 一百, 九十八).
    static func smallNumber(_ s: Scalars, _ i: Int, _ end: Int, maxDigits: Int = 2) -> (Int, Int)? {
        guard i < end else { return nil }
        if s[i].isASCIIDigit { return arabic(s, i, end, maxDigits: maxDigits) }
        var k = i
        var total = 0
        var pending: Int?
        while k < end {
            let c = s[k]
            if let d = digit(c), d != 0 || c == "零" {
                if c == "零" {
                    k += 1
                    continue
                }
                if pending != nil { return nil } // 二三: not a number this reader takes
                pending = d
            } else if c == "十" {
                total += (pending ?? 1) * 10
                pending = nil
            } else if c == "百" {
                guard let d = pending else { return nil }
                total += d * 100
                pending = nil
            } else {
                break
            }
            k += 1
        }
        guard k > i else { return nil }
        return (total + (pending ?? 0), k - i)
    }

    /// `10月15日`, `3月`, `十月十五日`, `1—9月` (the span's start), `4月9日至11日` (its first day).
    static func monthDay(_ s: Scalars, _ i: Int, _ end: Int) -> (month: Int, day: Int, end: Int)? {
        guard let (m, ml) = smallNumber(s, i, end), (1...12).contains(m) else { return nil }
        var j = i + ml
        // 1—9月: a span of months, read as its first.
        if j + 1 < end, isSpanMark(s[j]), let (m2, l2) = smallNumber(s, j + 1, end), (1...12).contains(m2),
            j + 1 + l2 < end, s[j + 1 + l2] == "月", m2 > m
        {
            return (m, 0, j + 2 + l2)
        }
        guard j < end, s[j] == "月" else { return nil }
        j += 1
        if j < end && s[j] == "份" { return (m, 0, j + 1) }
        guard let (d, dl) = smallNumber(s, j, end), (1...31).contains(d), j + dl < end,
            s[j + dl] == "日" || s[j + dl] == "号"
        else {
            return (m, 0, j)
        }
        var k = j + dl + 1
        // 9日至11日: the span's first day; the rest is read with it.
        if k + 1 < end, isSpanMark(s[k]), let (_, l2) = smallNumber(s, k + 1, end), k + 1 + l2 < end,
            s[k + 1 + l2] == "日" || s[k + 1 + l2] == "号"
        {
            k += 2 + l2
        }
        return (m, d, k)
    }

    /// 2019-04-19, 2019.9.6, 2019/04/19: the same separator twice, a valid day, not part of
    /// a longer number.
    static func numericDate(_ s: Scalars, _ i: Int, _ end: Int) -> (PartialDate, Int)? {
        guard let (y, yl) = arabic(s, i, end, maxDigits: 4), yl == 4, (1900...2100).contains(y) else { return nil }
        var j = i + 4
        guard j < end, s[j] == "-" || s[j] == "." || s[j] == "/" else { return nil }
        let sep = s[j]
        j += 1
        guard let (m, ml) = arabic(s, j, end, maxDigits: 2) else { return nil }
        j += ml
        guard j < end, s[j] == sep else { return nil }
        j += 1
        guard let (d, dl) = arabic(s, j, end, maxDigits: 2) else { return nil }
        j += dl
        if j < end && (s[j] == sep || s[j] == ".") && j + 1 < end && s[j + 1].isASCIIDigit { return nil }
        let date = PartialDate(year: y, month: m, day: d)
        return date.isValid && date.precision == .day ? (date, j) : nil
    }

    /// After an anniversary marker: up to three other characters (成立, 成立的), a count,
    /// then 周年, 华诞 or 年.
    static func anniversaryCount(_ s: Scalars, _ i: Int, _ end: Int) -> (Int, Int)? {
        var j = i
        while j < end && j < i + 3 && !s[j].isASCIIDigit && digit(s[j]) == nil && s[j] != "十" && s[j] != "百" { j += 1 }
        // 建党百年: a hundred.
        if s.hasPrefix(["百", "年"], at: j) || s.hasPrefix(["百", "周", "年"], at: j) {
            return (100, j + (s[j + 1] == "年" ? 2 : 3))
        }
        guard let (n, l) = smallNumber(s, j, end, maxDigits: 3) else { return nil }
        let k = j + l
        if s.hasPrefix(["周", "年"], at: k) || s.hasPrefix(["华", "诞"], at: k) { return (n, k + 2) }
        if k < end && s[k] == "年" && !(k + 1 < end && (s[k + 1] == "代" || s[k + 1] == "前")) { return (n, k + 1) }
        return nil
    }
}
