// Figures: quantities with a unit or measure word. 336件, 1000余万元, 55.65万平方米, 53%,
// 12个多小时, 7~12岁, 近8万人, 三千余人, 两株, 五成, 百分之六十二, 三个百分点, 七点五成,
// 四万五, 二亿三千万零四千一百零八元, 2万~3万人, 六七千元, 十几辆, 零下5℃.
// Not figures: calendar dates and times, ordinals (第34个), addresses and identifiers
// (166—171号院, 309房间), numbers inside names and slogans (《…2022年…台账》, “三项工程”),
// holidays (五一, 十一黄金周), idioms (三五成群), phases (二期工程), plans (三年行动),
// grades (五年级), times before now (二十多年前), URLs and e-mail addresses.
import KanbaoStore

public enum FigureReader {
    /// Units and measure words as written, and the unit each is recorded as (most as
    /// written). The measure words of news text: people and households, things, vehicles,
    /// buildings, events, weights and measures, money, time, ratios.
    static let unitTable: [(written: String, unit: String)] = {
        let asWritten = [
            // people, households, organisations
            "人次", "人", "名", "位", "户次", "户", "家", "所", "支", "批次", "批", "对", "双", "例",
            // things and places
            "个", "件", "处", "条", "项", "座", "栋", "幢", "间", "套", "台", "部", "本", "册", "篇", "份", "张", "片", "块",
            "根", "株", "棵", "朵", "颗", "粒", "枚", "把", "盏", "盆", "束", "捆", "卷", "幅", "首", "段", "门", "眼", "口",
            "井", "层", "排", "道", "桌", "单", "种", "类", "样", "宗", "笔", "起", "桩",
            // vehicles
            "辆次", "辆", "架次", "架", "艘", "列", "车次", "班次", "班", "趟", "路", "车", "船",
            // containers and animals
            "箱", "袋", "瓶", "盒", "包", "罐", "桶", "筐", "头", "匹", "只", "尾",
            // events and sessions
            "场次", "场", "次", "期", "轮", "节", "剂次", "剂", "针", "人份", "餐", "顿",
            // weights and measures
            "平方公里", "平方千米", "平方米", "立方米", "千瓦时", "万千瓦", "兆瓦", "千瓦", "公顷", "公里", "千米", "海里",
            "厘米", "毫米", "米", "亩", "吨", "千克", "公斤", "毫克", "克", "斤", "毫升", "升", "度",
            // money
            "元", "美元", "港元", "欧元", "日元", "英镑",
            // time
            "小时", "分钟", "秒钟", "星期", "年", "天", "周",
            // age, multiples, ratios
            "岁", "倍", "百分点", "%", "‰",
        ]
        var t = asWritten.map { ($0, $0) }
        t += [
            ("％", "%"), ("成", "%"), ("块钱", "元"), ("人民币", "元"), ("元人民币", "元"), ("摄氏度", "℃"), ("℃", "℃"),
            ("周岁", "岁"), ("秒", "秒钟"),
        ]
        return t
    }()
    static let units: [Scalars] = unitTable.map { Array($0.written.unicodeScalars) }.sorted { $0.count > $1.count }
    static let unitName: [String: String] = Dictionary(
        unitTable.map { ($0.written, $0.unit) }, uniquingKeysWith: { a, _ in a })

    /// What the figure reader needs to know of a unit, found once per unit word rather
    /// than by comparing strings for every figure.
    struct UnitInfo {
        let name: String
        /// 成: tenths, recorded as %.
        let isTenths: Bool
        let isYear: Bool
        /// 年 天 周 星期 小时 分钟 月: 二十多年前 is no figure.
        let isTime: Bool
        /// 期: 二期工程 is a phase.
        let isPhase: Bool
        /// 路: 3路公交 is a bus line.
        let isRoute: Bool
    }
    static let unitInfos: [UnitInfo] = units.map { w in
        let written = w.string
        return UnitInfo(
            name: unitName[written] ?? written, isTenths: written == "成", isYear: written == "年",
            isTime: ["年", "天", "周", "星期", "小时", "分钟", "月"].contains(written), isPhase: written == "期",
            isRoute: written == "路")
    }
    /// The time units counted with 个 (12个多小时), as unit infos.
    static let timeUnitInfos: [UnitInfo] = timeUnits.map { w in
        let written = w.string
        return UnitInfo(
            name: written, isTenths: false, isYear: false, isTime: written != "百分点", isPhase: false, isRoute: false)
    }

    /// Unit names as they appear in figures (after normalisation), for query suggestions.
    public static var unitNames: [String] { Array(Set(unitTable.map(\.unit))).sorted() }

    /// The unit a query's `unit:` names: 成 and ％ are %, 块钱 and 人民币 元, 摄氏度 ℃, 周岁 岁.
    public static func canonicalUnit(_ u: String) -> String {
        if u == "块" { return "元" }
        return unitName[u] ?? u
    }

    /// After a number these make it an identifier, a date, a time, an ordinal or a period:
    /// no figure (the longer of a unit and a blocked word wins).
    static let blocked: [Scalars] = [
        "周年", "号院", "号楼", "房间", "年代", "年级", "年前", "年后", "天前", "期间", "号", "室", "楼", "级", "时", "点", "分",
        "月", "日", "后", "届", "中", "号线",
    ].map { Array($0.unicodeScalars) }.sorted { $0.count > $1.count }

    /// Units a Chinese numeral may carry; 一 alone is never a figure (一线, 一批, 一张蓝图),
    /// and a numeral before other measure words is more often part of a name (三个一工作法).
    static let chineseNumeralUnits: Set<String> = [
        "人", "名", "位", "户", "家", "个", "件", "处", "条", "项", "座", "次", "场", "期", "支", "株", "棵", "年",
        "天", "岁", "元", "%", "倍", "米", "公里", "亩", "吨", "小时", "批", "所", "间", "类", "种", "台", "辆",
        "人次", "平方米", "平方公里", "周", "百分点", "斤", "公斤", "千克", "克", "升", "艘", "架", "对", "双", "美元",
        "港元", "欧元", "日元", "英镑", "℃", "栋", "套", "头", "只", "匹", "分钟", "星期", "所", "门", "班", "轮",
    ]

    static let rangeMarks: [Unicode.Scalar] = ["~", "～", "-", "—", "–", "至", "到", "－"]
    /// Time units counted with 个: 12个多小时.
    static let timeUnits: [Scalars] = ["小时", "月", "星期", "工作日", "百分点"].map { Array($0.unicodeScalars) }
    static let approxAfterUnit: [(Scalars, Approx)] = {
        let words: [(String, Approx)] = [
            ("以上", .over), ("以下", .under), ("以内", .under), ("左右", .about), ("上下", .about),
            ("多", .over), ("余", .over),
        ]
        return words.map { (Array($0.0.unicodeScalars), $0.1) }
    }()
    /// Quotation and title marks, their closers, and the longest span whose numbers are names.
    static let quotePairs: [(Unicode.Scalar, Unicode.Scalar, Int)] = [
        ("《", "》", 200), ("“", "”", 16), ("「", "」", 16), ("『", "』", 16), ("‘", "’", 16), ("〈", "〉", 200),
    ]

    /// Words before a number that say how exact it is, longest first.
    static let prefixes: [(Scalars, Approx)] = {
        let words: [(String, Approx)] = [
            ("不低于", .over), ("不少于", .over), ("不超过", .under), ("不高于", .under), ("不到", .under), ("不足", .under),
            ("将近", .under), ("接近", .under), ("超过", .over), ("大约", .about), ("至少", .over), ("最多", .under),
            ("至多", .under), ("约", .about), ("近", .under), ("逾", .over), ("超", .over), ("上", .over),
        ]
        return words.map { (Array($0.0.unicodeScalars), $0.1) }.sorted { $0.0.count > $1.0.count }
    }()

    /// Words after a time figure that put it in the past or in a plan: 二十多年前, 三年行动.
    static let afterTime: [Scalars] = ["前", "以前", "之前", "行动", "规划", "计划", "攻坚", "发展规划"].map { Array($0.unicodeScalars) }
    /// Words after 期 that make it a phase (二期工程), after 路 a bus line (3路公交).
    static let afterPhase: [Scalars] = ["工程", "项目", "建设", "改造", "扩建", "续建", "工地", "地块", "标段", "厂区", "园区", "小区", "安置"]
        .map { Array($0.unicodeScalars) }
    static let afterRoute: [Scalars] = ["公交", "车", "线"].map { Array($0.unicodeScalars) }

    /// Fixed phrases whose numerals count nothing: idioms and holidays.
    static let idioms: [Scalars] = [
        "三五成群", "七上八下", "一举两得", "四面八方", "三三两两", "五湖四海", "一五一十", "十全十美", "千方百计", "千家万户",
        "万无一失", "一心一意", "三番五次", "七嘴八舌", "五颜六色", "九牛一毛", "一干二净", "独一无二", "三心二意", "四平八稳",
        "八仙过海", "千军万马", "万众一心", "一石二鸟", "接二连三", "乱七八糟", "横七竖八", "七零八落", "五花八门", "三令五申",
        "一清二楚", "百花齐放", "百家争鸣", "千变万化", "千丝万缕", "千辛万苦", "万紫千红", "一年四季", "四季如春", "十字路口",
        "三天两头", "一日三餐", "九九重阳", "千千万万", "两手抓", "两不愁三保障", "一对一", "一站式", "一批次",
        "五一", "十一黄金周", "十一长假", "十一期间", "六一", "三八", "七一", "八一", "五四", "国庆", "十四五", "十三五",
    ].map { Array($0.unicodeScalars) }
    /// Holidays are figures only before a unit that does not read as the holiday: 五一 is
    /// a holiday before 期间, 假期, 劳动节 …; before 个 it is a number.
    static let holidayWords: Set<String> = ["五一", "六一", "三八", "七一", "八一", "五四"]
    static let holidayFollowers: [Scalars] = [
        "节", "期间", "假期", "长假", "小长假", "黄金周", "前夕", "当天", "劳动节", "儿童节",
        "妇女节", "建党节", "建军节", "青年节", "国际",
    ].map { Array($0.unicodeScalars) }

    public static func figures(in body: String) -> [FigureRecord] {
        figures(in: Array(scalarsOf: body))
    }

    public static func figures(in s: Scalars) -> [FigureRecord] {
        let excluded = excludedSpans(s)
        var out: [FigureRecord] = []
        var i = 0
        var ex = 0
        let mayStart = mayStartFigure // a static read once, not once per character
        while i < s.count {
            // Most characters cannot start a number: one bit test each (a figure found
            // inside an excluded span is skipped with the whole span, as it would be if
            // the span were skipped at its opening mark).
            if !mayStart.contains(s[i].value) {
                i += 1
                continue
            }
            while ex < excluded.count && excluded[ex].upperBound <= i { ex += 1 }
            if ex < excluded.count && excluded[ex].contains(i) {
                i = excluded[ex].upperBound
                continue
            }
            let u = s[i]
            if u.digitValue != nil {
                if i == 0
                    || (s[i - 1].digitValue == nil && s[i - 1] != "." && !s[i - 1].isLatinLetter
                        && !isCodeMark(s[i - 1]))
                {
                    if let (f, end) = arabic(s, at: i, sign: 1, rawStart: i) {
                        out.append(f)
                        i = end
                        continue
                    }
                }
                i += 1
                while i < s.count && (s[i].digitValue != nil || s[i] == ".") { i += 1 }
                continue
            }
            // 零下5℃, 负3: a sign, then the number.
            if (u == "零" && i + 1 < s.count && s[i + 1] == "下") || u == "负" {
                let at = u == "负" ? i + 1 : i + 2
                if at < s.count, s[at].digitValue != nil, let (f, end) = arabic(s, at: at, sign: -1, rawStart: i) {
                    out.append(f)
                    i = end
                    continue
                }
                if at < s.count, chineseDigit(s[at]) != nil || s[at] == "十",
                    let (f, end) = chinese(s, at: at, sign: -1, rawStart: i)
                {
                    out.append(f)
                    i = end
                    continue
                }
                i += 1
                continue
            }
            // 百分之六十二, 百分之50.
            if u == "百" && s.hasPrefix(percentOf, at: i) {
                if let (f, end) = percent(s, at: i) {
                    out.append(f)
                    i = end
                } else {
                    i += 3
                }
                continue
            }
            let opensNumber =
                chineseDigit(u) != nil || u == "十"
                // 近千名, 不足千亩, 上万人: a bare 千, 百 or 万 after a word of approximation.
                || ((u == "千" || u == "百" || u == "万") && i > 0 && bareMagnitudeAfter.contains(s[i - 1]))
            if opensNumber,
                i == 0 || chineseDigit(s[i - 1]) == nil && chineseMagnitude(s[i - 1]) == nil && s[i - 1] != "点"
            {
                if let (f, end) = chinese(s, at: i, sign: 1, rawStart: i) {
                    out.append(f)
                    i = end
                    continue
                }
                i += 1
                while i < s.count && (chineseDigit(s[i]) != nil || chineseMagnitude(s[i]) != nil) { i += 1 }
                continue
            }
            i += 1
        }
        return out
    }

    static let percentOf: Scalars = ["百", "分", "之"]
    /// The last characters of words after which a bare 千, 百 or 万 is a number (近千名, 不足千亩, 上万人, 逾百家, 约千人).
    static let bareMagnitudeAfter: Set<Unicode.Scalar> = ["近", "足", "到", "上", "逾", "过", "约", "超", "达"]

    /// The characters a figure can start with: digits (ASCII, full-width, Chinese), 十,
    /// the magnitudes that can stand bare (近千名), 百 of 百分之, and the sign 负.
    static let mayStartFigure = Bits64K(
        (0..<0x10000).lazy.compactMap { Unicode.Scalar(UInt32($0)) }
            .filter { $0.digitValue != nil || chineseDigit($0) != nil || "十百千万负".unicodeScalars.contains($0) }.map(
                \.value))

    /// Characters that make an adjacent number part of a code, a URL or an address.
    @inline(__always) static func isCodeMark(_ u: Unicode.Scalar) -> Bool {
        u == "/" || u == "@" || u == "_" || u == ":" || u == "#" || u == "=" || u == "&"
    }

    // MARK: numbers

    static func arabic(_ s: Scalars, at start: Int, sign: Double, rawStart: Int) -> (FigureRecord, Int)? {
        if start > 0 && s[start - 1] == "第" { return nil }
        guard let (v, afterNumber, intDigits, isInteger) = readArabic(s, start) else { return nil }
        // 5G, 3D, a/1: a code, not a quantity.
        if afterNumber < s.count && (s[afterNumber].isLatinLetter || isCodeMark(s[afterNumber])) { return nil }
        return tail(
            s, numberStart: start, rawStart: rawStart, number: Number(value: v * sign, end: afterNumber),
            calendarYearCandidate: isInteger && intDigits == 4 && sign > 0, chineseNumeral: false)
    }

    /// Digits with an optional fraction and thousands commas.
    static func readArabic(_ s: Scalars, _ start: Int) -> (Double, Int, Int, Bool)? {
        var k = start
        var intPart = 0.0
        var digits = 0
        while k < s.count {
            if let d = s[k].digitValue {
                intPart = intPart * 10 + Double(d)
                digits += 1
                k += 1
                continue
            }
            // 1,200: a comma followed by exactly three digits
            if s[k] == ",", k + 3 < s.count, (1...3).allSatisfy({ s[k + $0].digitValue != nil }),
                k + 4 >= s.count || s[k + 4].digitValue == nil
            {
                k += 1
                continue
            }
            break
        }
        guard digits > 0, digits <= 15 else { return nil }
        var value = intPart
        var isInteger = true
        if k + 1 < s.count && (s[k] == "." || s[k] == "．") && s[k + 1].digitValue != nil {
            isInteger = false
            k += 1
            // The fraction as an integer over a power of ten (0.3 is 3 / 10, not 3 × 0.1).
            var fraction = 0.0
            var scale = 1.0
            while k < s.count, let d = s[k].digitValue {
                if scale < 1e15 {
                    fraction = fraction * 10 + Double(d)
                    scale *= 10
                }
                k += 1
            }
            value += fraction / scale
        }
        return (value, k, digits, isInteger)
    }

    /// 零〇 一 二两 三 四 五 六 七 八 九, by code point (called for every character of
    /// every body: integer cases, not scalar comparisons one after another).
    @inline(__always) static func chineseDigit(_ u: Unicode.Scalar) -> Int? {
        let v = u.value
        guard v >= 0x3007 else { return nil }
        switch v {
        case 0x96F6, 0x3007: return 0
        case 0x4E00: return 1
        case 0x4E8C, 0x4E24: return 2
        case 0x4E09: return 3
        case 0x56DB: return 4
        case 0x4E94: return 5
        case 0x516D: return 6
        case 0x4E03: return 7
        case 0x516B: return 8
        case 0x4E5D: return 9
        default: return nil
        }
    }

    static func chineseMagnitude(_ u: Unicode.Scalar) -> Double? {
        switch u {
        case "十": return 10
        case "百": return 100
        case "千": return 1000
        case "万": return 10_000
        case "亿": return 100_000_000
        default: return nil
        }
    }

    /// A number as read: its value, where it ends, and what the numeral itself said about
    /// it (十几 is over ten; 六七千 runs from 6000 to 7000).
    struct Number {
        var value: Double
        var max: Double?
        var end: Int
        var approx: Approx?
        var chars = 0
        /// A 万 or 亿 was part of the numeral (two numbers of a range share it otherwise).
        var hasMagnitude = false
    }

    /// A Chinese numeral at `start`: 三千, 十, 两万, 十二, 二亿三千万零四千一百零八, 三十六亿二千零五万,
    /// the colloquial 四万五 (45000), 一百五 (150), 三千八 (3800), decimals 三点二, 十几 (10,
    /// over), and two neighbouring digits as a range (六七千 → 6000…7000, 七八个 → 7…8).
    static func readChinese(_ s: Scalars, _ start: Int) -> Number? {
        // 六七千, 两三万, 五六十: two digits, the second larger, then one magnitude.
        if start + 1 < s.count, let a = chineseDigit(s[start]), let b = chineseDigit(s[start + 1]), a > 0, b > a,
            b - a <= 2,
            !(start + 2 < s.count && chineseDigit(s[start + 2]) != nil)
        {
            var k = start + 2
            var m = 1.0
            if k < s.count, let mag = chineseMagnitude(s[k]) {
                m = mag
                k += 1
                if k < s.count, let m2 = chineseMagnitude(s[k]), m2 > mag {
                    m *= m2
                    k += 1
                } // 三四千万
            }
            let lo = Double(a == 2 && s[start] == "两" ? 2 : a)
            let hi = Double(b)
            return Number(value: lo * m, max: hi * m, end: k, approx: nil, chars: k - start, hasMagnitude: m >= 10_000)
        }
        var yi = 0.0
        var wan = 0.0
        var section = 0.0
        var digit: Double?
        var lastMagnitude = 0.0
        var afterZero = false
        var digitFollowsMagnitude = false
        var k = start
        var approx: Approx?
        var hasMagnitude = false
        loop: while k < s.count {
            let c = s[k]
            if let d = chineseDigit(c) {
                if d == 0 {
                    // 零 fills a gap (一百零五); after a bare digit it is a digit string (二〇二〇).
                    if digit != nil || k == start { return nil }
                    afterZero = true
                } else {
                    if digit != nil { return nil } // 二三: not a number this reader takes
                    digit = Double(d)
                    digitFollowsMagnitude = lastMagnitude > 0 && k > start && chineseMagnitude(s[k - 1]) != nil
                }
            } else if let m = chineseMagnitude(c) {
                if m < 10_000 {
                    guard digit != nil || m == 10 || k == start else { break loop } // 千 alone only opens a number
                    section += (digit ?? 1) * m
                } else if m == 10_000 {
                    guard wan == 0 else { break loop }
                    let n = section + (digit ?? 0)
                    wan = (n == 0 && k == start ? 1 : n) * m
                    section = 0
                    hasMagnitude = true
                } else {
                    guard yi == 0 else { break loop }
                    let n = wan + section + (digit ?? 0)
                    yi = (n == 0 && k == start ? 1 : n) * m
                    wan = 0
                    section = 0
                    hasMagnitude = true
                }
                digit = nil
                lastMagnitude = m
                afterZero = false
            } else if c == "点", let d = digit, k + 1 < s.count, let f = chineseDigit(s[k + 1]) {
                // 三点二, 七点五: a decimal fraction, one or more digits.
                var fraction = Double(f)
                var scale = 10.0
                var j = k + 2
                while j < s.count, let fd = chineseDigit(s[j]), scale < 1e15 {
                    fraction = fraction * 10 + Double(fd)
                    scale *= 10
                    j += 1
                }
                digit = d + fraction / scale
                k = j
                continue
            } else if c == "几" && digit == nil && lastMagnitude > 0 && lastMagnitude < 10_000 {
                approx = .over // 十几, 二十几, 一百几: over the round number
                k += 1
                break loop
            } else {
                break
            }
            k += 1
        }
        guard k > start else { return nil }
        var last = digit ?? 0
        // 四万五, 一百五, 三千八: a last digit right after a magnitude counts in the next lower one.
        if digit != nil && digitFollowsMagnitude && !afterZero && lastMagnitude >= 100 { last *= lastMagnitude / 10 }
        let value = yi + wan + section + last
        return Number(value: value, max: nil, end: k, approx: approx, chars: k - start, hasMagnitude: hasMagnitude)
    }

    static func chinese(_ s: Scalars, at start: Int, sign: Double, rawStart: Int) -> (FigureRecord, Int)? {
        if start > 0 && s[start - 1] == "第" { return nil }
        if inFixedPhrase(s, start) { return nil }
        guard var n = readChinese(s, start), n.value >= 1 else { return nil }
        if n.chars == 1 && n.value == 1 { return nil }
        n.value *= sign
        guard
            let (f, stop) = tail(
                s, numberStart: start, rawStart: rawStart, number: n, calendarYearCandidate: false, chineseNumeral: true
            )
        else { return nil }
        guard chineseNumeralUnits.contains(f.unit) || f.unit.isEmpty && abs(f.value) >= 10_000 else { return nil }
        // A numeral followed by another numeral word is a name (三个一工作法).
        if stop < s.count, chineseDigit(s[stop]) != nil { return nil }
        return (f, stop)
    }

    /// Is the numeral at i part of an idiom or a holiday (三五成群, 十一黄金周, 五一期间)?
    /// For each character of the fixed phrases, where it stands in which phrase.
    static let fixedPhraseByCharacter: [Unicode.Scalar: [(phrase: Int, offset: Int)]] = {
        var d: [Unicode.Scalar: [(phrase: Int, offset: Int)]] = [:]
        for (k, p) in idioms.enumerated() { for (off, c) in p.enumerated() { d[c, default: []].append((k, off)) } }
        return d
    }()
    static let holidayPhrases: Set<Int> = Set(idioms.indices.filter { holidayWords.contains(idioms[$0].string) })

    static func inFixedPhrase(_ s: Scalars, _ i: Int) -> Bool {
        guard let places = fixedPhraseByCharacter[s[i]] else { return false }
        for (k, off) in places where i - off >= 0 && s.hasPrefix(idioms[k], at: i - off) {
            // A holiday only before the words that make it one (五一期间, not 五一个).
            guard holidayPhrases.contains(k) else { return true }
            if holidayFollowers.contains(where: { s.hasPrefix($0, at: i - off + idioms[k].count) }) { return true }
        }
        return false
    }

    /// 百分之六十二 → 62 %, 百分之50 → 50 %, 百分之百 → 100 %.
    static func percent(_ s: Scalars, at start: Int) -> (FigureRecord, Int)? {
        let at = start + 3
        guard at < s.count else { return nil }
        var n: Number
        if s[at].digitValue != nil {
            guard let (v, end, _, _) = readArabic(s, at) else { return nil }
            n = Number(value: v, end: end)
        } else if s[at] == "百" {
            n = Number(value: 100, end: at + 1)
        } else {
            guard let c = readChinese(s, at) else { return nil }
            n = c
        }
        var j = n.end
        var approx = Approx.exact
        for (w, a) in approxAfterUnit where w.count == 2 && s.hasPrefix(w, at: j) {
            approx = a
            j += 2
            break
        }
        var rawStart = start
        if let (w, a) = prefix(before: start, in: s) {
            approx = approx == .exact ? a : approx
            rawStart = start - w.count
        }
        return (
            FigureRecord(
                raw: s[rawStart..<j].string, value: n.value, valueMax: nil, unit: "%", approx: approx,
                context: context(s, rawStart, j), offset: rawStart), j
        )
    }

    /// The word of approximation just before a number, if any (近8万人, 不低于8000元).
    static func prefix(before start: Int, in s: Scalars) -> (Scalars, Approx)? {
        for (w, a) in prefixes where start >= w.count && s[(start - w.count)..<start].elementsEqual(w) {
            if w == ["近"] && start >= 2 && ["附", "最", "靠", "临", "邻", "接", "将"].contains(s[start - 2]) { return nil }
            if w == ["上"] && !(start < s.count && (s[start] == "千" || s[start] == "万" || s[start] == "百")) { continue }
            return (w, a)
        }
        return nil
    }

    // MARK: what follows a number

    /// A word list (longest first) indexed by first character, so that a lookup only
    /// tries the words that can match, longest first.
    struct WordIndex {
        let words: [Scalars]
        /// The words' first characters, ascending, and for each the words that start with
        /// it, longest first as listed (a binary search: hashing a scalar with the
        /// standard hasher cost more than the whole match).
        let firsts: [UInt32]
        let byFirst: [[Int]]
        init(_ words: [Scalars]) {
            self.words = words
            let firsts = Set(words.map { $0[0].value }).sorted()
            self.firsts = firsts
            byFirst = firsts.map { f in words.indices.filter { words[$0][0].value == f } }
        }
        /// The longest word at `s[at...]`, or nil.
        func match(_ s: Scalars, _ at: Int) -> Scalars? { matchIndex(s, at).map { words[$0] } }

        /// The index of the longest word at `s[at...]`, or nil.
        func matchIndex(_ s: Scalars, _ at: Int) -> Int? {
            guard at < s.count else { return nil }
            let v = s[at].value
            var lo = 0
            var hi = firsts.count
            while lo < hi {
                let m = (lo + hi) / 2
                if firsts[m] < v { lo = m + 1 } else { hi = m }
            }
            guard lo < firsts.count && firsts[lo] == v else { return nil }
            for i in byFirst[lo] where at + words[i].count <= s.count {
                let w = words[i]
                var k = 1
                while k < w.count && s[at + k] == w[k] { k += 1 }
                if k == w.count { return i }
            }
            return nil
        }
    }
    static let unitIndex = WordIndex(units)
    static let blockedIndex = WordIndex(blocked)

    /// The second number of a range (7~12, 2万~3万, 八十到一百万): after the mark, in the
    /// same script as the first.
    static func rangeEnd(_ s: Scalars, _ j: Int, chineseNumeral: Bool) -> Number? {
        guard j + 1 < s.count, rangeMarks.contains(s[j]) else { return nil }
        let at = j + 1
        if !chineseNumeral {
            guard s[at].digitValue != nil, let (v, end, _, _) = readArabic(s, at) else { return nil }
            var n = Number(value: v, end: end)
            if end < s.count, let m = chineseMagnitude(s[end]), m >= 10_000 {
                n.value *= m
                n.end += 1
                n.hasMagnitude = true
            }
            return n
        }
        guard chineseDigit(s[at]) != nil || s[at] == "十" else { return nil }
        return readChinese(s, at)
    }

    static func tail(
        _ s: Scalars, numberStart: Int, rawStart rawFrom: Int, number: Number, calendarYearCandidate: Bool,
        chineseNumeral: Bool
    ) -> (FigureRecord, Int)? {
        var j = number.end
        var approx = number.approx ?? .exact
        var v = number.value
        var vMax = number.max
        var multiplied = number.hasMagnitude
        var hadMagnitude = number.hasMagnitude

        func approxWord() {
            if j < s.count && (s[j] == "余" || s[j] == "多") && approx == .exact {
                approx = .over
                j += 1
            }
        }
        // 3-5万元, 7~12岁: a range of plain numbers, sharing what follows (a magnitude too).
        if !chineseNumeral, vMax == nil, j + 1 < s.count, rangeMarks.contains(s[j]), s[j + 1].digitValue != nil,
            let (v2, after2, _, _) = readArabic(s, j + 1), v2 > v
        {
            vMax = v2
            j = after2
        }
        approxWord()
        // 1000万, 2.5亿, 两千多万, 3千万: a magnitude after the number (and its 余 or 多).
        if j < s.count, !hadMagnitude || chineseNumeral {
            var m = 1.0
            var k = j
            if !chineseNumeral, k + 1 < s.count, let small = chineseMagnitude(s[k]), small == 100 || small == 1000,
                let big = chineseMagnitude(s[k + 1]), big >= 10_000
            {
                m = small * big
                k += 2 // 3千万, 5百万
            } else if let big = chineseMagnitude(s[k]), big >= 10_000,
                !(chineseNumeral && hadMagnitude && big == 10_000)
            {
                m = big
                k += 1
                if big == 10_000 && k < s.count && s[k] == "亿" {
                    m *= 100_000_000
                    k += 1
                }
            }
            if m > 1 {
                v *= m
                vMax = vMax.map { $0 * m }
                multiplied = true
                hadMagnitude = true
                j = k
            }
        }
        approxWord()
        // 2万~3万人, 20万—30万元, 八十到一百万元: a range whose second number has its own magnitude.
        if vMax == nil, let second = rangeEnd(s, j, chineseNumeral: chineseNumeral) {
            var lo = v
            var hi = second.value
            var end = second.end
            if !second.hasMagnitude && !chineseNumeral, end < s.count, let m = chineseMagnitude(s[end]), m >= 10_000 {
                hi *= m
                end += 1
                if !hadMagnitude { lo *= m }
            } else if second.hasMagnitude && !hadMagnitude {
                // 八十到一百万: the first number shares the second's magnitude.
                let m: Double = second.value >= 100_000_000 ? 100_000_000 : 10_000
                if lo * m <= hi { lo *= m }
            }
            if hi > lo {
                v = lo
                vMax = hi
                j = end
                multiplied = multiplied || second.hasMagnitude || hi >= 10_000
                approxWord()
            }
        }
        // The unit, as what is known of it (no string comparisons per figure).
        var unit: UnitInfo?
        // 12个多小时, 3个多月, 三个百分点: the measure word 个 before a time unit or 百分点.
        if j < s.count && s[j] == "个" {
            var k = j + 1
            var a = approx
            if k < s.count && (s[k] == "多" || s[k] == "余") {
                a = .over
                k += 1
            }
            for (t, info) in zip(timeUnits, timeUnitInfos) where s.hasPrefix(t, at: k) {
                unit = info
                approx = a
                j = k + t.count
                break
            }
        }
        if unit == nil {
            // A blocked word at least as long as any unit here wins: 号院, 周年, 月, 时.
            let u = unitIndex.matchIndex(s, j)
            if let b = blockedIndex.match(s, j), (u.map { units[$0].count } ?? 0) <= b.count {
                return nil
            }
            if let u {
                unit = unitInfos[u]
                j += units[u].count
            } else if multiplied {
                unit = UnitInfo(name: "", isTenths: false, isYear: false, isTime: false, isPhase: false, isRoute: false)
            } else {
                return nil
            }
        }
        let info = unit!
        let unitName = info.name
        if info.isTenths {
            v *= 10
            vMax = vMax.map { $0 * 10 }
        }
        if info.isYear && calendarYearCandidate && !multiplied && approx == .exact && (1000...2100).contains(v)
            && vMax == nil
        {
            return nil
        }
        if info.isYear && vMax != nil && calendarYearCandidate { return nil } // 2020-2022年
        // 二十多年前, 三年行动, 二期工程, 3路公交: a time in the past or a plan, a phase, a route.
        if info.isTime, afterTime.contains(where: { s.hasPrefix($0, at: j) }) { return nil }
        if info.isPhase, afterPhase.contains(where: { s.hasPrefix($0, at: j) }) { return nil }
        if info.isRoute, afterRoute.contains(where: { s.hasPrefix($0, at: j) }) || chineseNumeral { return nil }
        // 500万人民币, 1000元人民币.
        if j + 2 < s.count && s[j] == "人" && s[j + 1] == "民" && s[j + 2] == "币" && unitName == "元" { j += 3 }
        // Approximation after the unit: 60岁以上, 6800米以上, 20人左右.
        for (w, a) in approxAfterUnit where s.hasPrefix(w, at: j) {
            if w.count == 1 {
                // 多 or 余: 3个多月 is handled above; a trailing 多 after a unit is rare and
                // ambiguous (1米多).
                if approx != .exact { break }
            }
            if w == ["上", "下"] && !(j + 2 >= s.count || s[j + 2].isClauseBreak) { break }
            approx = a
            j += w.count
            break
        }
        // Approximation before the number: 近8万人, 超过33万, 约200人, 不低于8000元.
        var rawStart = rawFrom
        if let (w, a) = prefix(before: rawFrom, in: s) {
            if approx == .exact { approx = a }
            rawStart = rawFrom - w.count
        }
        let raw = s[rawStart..<j].string
        return (
            FigureRecord(
                raw: raw, value: v, valueMax: vMax, unit: unitName, approx: approx,
                context: context(s, rawStart, j), offset: rawStart), j
        )
    }

    /// The clause around [a, b): between the nearest clause breaks, and at most
    /// `FigureRecord.contextReach` characters to either side (text without punctuation
    /// would otherwise make every figure's context the whole paragraph).
    static func context(_ s: Scalars, _ a: Int, _ b: Int) -> String {
        var lo = a
        var hi = b
        let reach = FigureRecord.contextReach
        while lo > 0 && !s[lo - 1].isClauseBreak && a - lo < reach { lo -= 1 }
        while hi < s.count && !s[hi].isClauseBreak && hi - b < reach { hi += 1 }
        // Quotation marks cut by the clause boundary are noise in a context.
        while lo < a && (s[lo].isSpaceLike || isQuote(s[lo])) { lo += 1 }
        while hi > b && (s[hi - 1].isSpaceLike || isQuote(s[hi - 1])) { hi -= 1 }
        return s[lo..<hi].string
    }

    /// “”‘’「」 and ".
    @inline(__always) static func isQuote(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x201C, 0x201D, 0x2018, 0x2019, 0x300C, 0x300D, 0x22: return true
        default: return false
        }
    }

    /// Spans whose numbers are names, not quantities: 《…》 titles and short quotations
    /// (slogans such as “三项工程、一项管理”, “五员”); long quotations are speech and keep
    /// their figures.
    static func excludedSpans(_ s: Scalars) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        while i < s.count {
            // URLs and e-mail addresses: the ASCII run around an @, a :// or a www.
            if s[i] == "@" || s[i] == ":" || s[i] == "w", i + 2 < s.count,
                s[i] == "@" || (s[i] == ":" && s[i + 1] == "/" && s[i + 2] == "/")
                    || (s[i] == "w" && s[i + 1] == "w" && s[i + 2] == "w")
            {
                var a = i
                var b = i
                func isURLCharacter(_ u: Unicode.Scalar) -> Bool {
                    u.value < 0x80 && u.value > 0x20 && u != "," && u != ";" && u != "\""
                }
                while a > 0 && isURLCharacter(s[a - 1]) { a -= 1 }
                while b < s.count && isURLCharacter(s[b]) { b += 1 }
                if b - a >= 5 {
                    if let last = out.last, last.upperBound > a {
                        out[out.count - 1] = last.lowerBound..<max(last.upperBound, b)
                    } else {
                        out.append(a..<b)
                    }
                    i = b
                    continue
                }
            }
            // Most characters open nothing: one range test before the list is searched.
            if s[i].value >= 0x2018 && s[i].value <= 0x300E, let p = quotePairs.first(where: { $0.0 == s[i] }) {
                var k = i + 1
                while k < s.count && s[k] != p.1 && s[k] != "\n" && k - i <= p.2 { k += 1 }
                if k < s.count && s[k] == p.1 && k - i - 1 <= p.2 {
                    out.append(i..<(k + 1))
                    i = k + 1
                    continue
                }
            }
            i += 1
        }
        return out
    }
}
