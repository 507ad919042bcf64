// Figures: quantities with a unit or measure word. 336件, 1000余万元, 55.65万平方米, 53%,
// 12个多小时, 7~12岁, 近8万人, 三千余人, 两株, 五成. Not figures: calendar dates and times,
// ordinals (第34个), addresses and identifiers (166—171号院, 309房间), and numbers inside
// names and slogans (《二七区2022年项目建设工作台账》, “三项工程、一项管理”).
import KanbaoStore

public enum FigureReader {
    /// Units, longest first so that 平方公里 wins over 公里 and 人次 over 人.
    static let units: [Scalars] = [
        "平方公里", "平方千米", "平方米", "立方米", "千瓦时", "公顷", "公里", "千米", "厘米", "毫米", "千克", "公斤",
        "千瓦", "块钱", "人次", "剂次", "户次", "批次", "架次", "车次", "场次", "班次", "辆次", "小时", "分钟", "星期",
        "米", "亩", "吨", "克", "度", "元", "人", "名", "位", "户", "家", "个", "件", "处", "条", "项", "座", "台",
        "辆", "所", "场", "次", "期", "支", "株", "棵", "盏", "块", "间", "套", "栋", "幢", "张", "本", "篇", "份",
        "盒", "箱", "袋", "瓶", "只", "头", "匹", "种", "类", "批", "起", "宗", "笔", "岁", "年", "天", "周", "倍",
        "册", "部", "节", "趟", "轮", "片", "副", "双", "对", "根", "剂", "针", "斤", "%", "％", "‰", "成",
    ].map { Array($0.unicodeScalars) }.sorted { $0.count > $1.count }

    /// Unit names as they appear in figures (after normalisation), for query suggestions.
    public static var unitNames: [String] {
        units.map { $0.string }.filter { $0 != "％" && $0 != "成" && $0 != "块钱" }
    }

    /// After a number these make it an identifier, a date, a time or an ordinal: no figure.
    static let blocked: [Scalars] = [
        "周年", "号院", "号楼", "房间", "年代", "号", "室", "楼", "级", "时", "点", "分", "月", "日", "后", "届",
    ].map { Array($0.unicodeScalars) }.sorted { $0.count > $1.count }

    /// Units a Chinese numeral may carry; 一 alone is never a figure (一线, 一批, 一张蓝图).
    static let chineseNumeralUnits: Set<String> = [
        "人", "名", "位", "户", "家", "个", "件", "处", "条", "项", "座", "次", "场", "期", "支", "株", "棵", "年",
        "天", "岁", "元", "成", "倍", "米", "公里", "亩", "吨", "小时", "批", "所", "间", "类", "种", "台", "辆",
        "人次", "平方米", "平方公里", "周", "%",
    ]

    static let rangeMarks: [Unicode.Scalar] = ["~", "～", "-", "—", "–", "至", "到"]
    /// Time units counted with 个: 12个多小时.
    static let timeUnits: [Scalars] = ["小时", "月", "星期", "工作日"].map { Array($0.unicodeScalars) }
    static let approxAfterUnit: [(Scalars, Approx)] = {
        let words: [(String, Approx)] = [("以上", .over), ("以下", .under), ("以内", .under), ("左右", .about), ("多", .over), ("余", .over)]
        return words.map { (Array($0.0.unicodeScalars), $0.1) }
    }()
    /// Quotation and title marks, their closers, and the longest span whose numbers are names.
    static let quotePairs: [(Unicode.Scalar, Unicode.Scalar, Int)] = [("《", "》", 200), ("“", "”", 16), ("「", "」", 16), ("『", "』", 16), ("‘", "’", 16), ("〈", "〉", 200)]

    static let prefixes: [(Scalars, Approx)] = {
        let words: [(String, Approx)] = [
            ("不到", .under), ("不足", .under), ("将近", .under), ("接近", .under), ("超过", .over), ("大约", .about),
            ("约", .about), ("近", .under), ("逾", .over), ("超", .over),
        ]
        return words.map { (Array($0.0.unicodeScalars), $0.1) }
    }()

    public static func figures(in body: String) -> [FigureRecord] {
        figures(in: Array(scalarsOf: body))
    }

    public static func figures(in s: Scalars) -> [FigureRecord] {
        let excluded = excludedSpans(s)
        var out: [FigureRecord] = []
        var i = 0
        var ex = 0
        let mayStart = mayStartFigure   // a static read once, not once per character
        while i < s.count {
            // Most characters cannot start a number: one bit test each (a figure found
            // inside an excluded span is skipped with the whole span, as it would be if
            // the span were skipped at its opening mark).
            if !mayStart.contains(s[i].value) { i += 1; continue }
            while ex < excluded.count && excluded[ex].upperBound <= i { ex += 1 }
            if ex < excluded.count && excluded[ex].contains(i) { i = excluded[ex].upperBound; continue }
            let u = s[i]
            if u.digitValue != nil, i == 0 || (s[i - 1].digitValue == nil && s[i - 1] != "." && !s[i - 1].isLatinLetter) {
                if let (f, end) = arabic(s, at: i) { out.append(f); i = end } else { i += 1; while i < s.count && (s[i].digitValue != nil || s[i] == ".") { i += 1 } }
                continue
            }
            if chineseDigit(u) != nil || u == "十", i == 0 || chineseDigit(s[i - 1]) == nil && chineseMagnitude(s[i - 1]) == nil {
                if let (f, end) = chinese(s, at: i) { out.append(f); i = end; continue }
                i += 1
                while i < s.count && (chineseDigit(s[i]) != nil || chineseMagnitude(s[i]) != nil) { i += 1 }
                continue
            }
            i += 1
        }
        return out
    }

    /// The characters a figure can start with: ASCII and full-width digits, Chinese
    /// digits and 十.
    static let mayStartFigure = Bits64K((0..<0x10000).lazy.compactMap { Unicode.Scalar(UInt32($0)) }
        .filter { $0.digitValue != nil || chineseDigit($0) != nil || $0 == "十" }.map(\.value))

    // MARK: numbers

    static func arabic(_ s: Scalars, at start: Int) -> (FigureRecord, Int)? {
        if start > 0 && s[start - 1] == "第" { return nil }
        guard let (v, afterNumber, intDigits, isInteger) = readArabic(s, start) else { return nil }
        if afterNumber < s.count && s[afterNumber].isLatinLetter { return nil }   // 5G, 3D
        return tail(s, numberStart: start, value: v, after: afterNumber, calendarYearCandidate: isInteger && intDigits == 4,
                    chineseNumeral: false)
    }

    /// Digits with an optional fraction and thousands commas.
    static func readArabic(_ s: Scalars, _ start: Int) -> (Double, Int, Int, Bool)? {
        var k = start, intPart = 0.0, digits = 0
        while k < s.count {
            if let d = s[k].digitValue { intPart = intPart * 10 + Double(d); digits += 1; k += 1; continue }
            // 1,200: a comma followed by exactly three digits
            if s[k] == ",", k + 3 < s.count, (1...3).allSatisfy({ s[k + $0].digitValue != nil }),
               k + 4 >= s.count || s[k + 4].digitValue == nil {
                k += 1; continue
            }
            break
        }
        guard digits > 0, digits <= 15 else { return nil }
        var value = intPart, isInteger = true
        if k + 1 < s.count && (s[k] == "." || s[k] == "．") && s[k + 1].digitValue != nil {
            isInteger = false
            k += 1
            var scale = 0.1
            while k < s.count, let d = s[k].digitValue { value += Double(d) * scale; scale /= 10; k += 1 }
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

    /// 三千, 十, 两万, 十二: value and end. A numeral must start with a digit or 十.
    static func readChinese(_ s: Scalars, _ start: Int) -> (Double, Int, Int)? {
        var total = 0.0, section = 0.0, number = 0.0
        var k = start, lastWasDigit = false, chars = 0
        while k < s.count {
            if let d = chineseDigit(s[k]) {
                number = lastWasDigit ? number * 10 + Double(d) : Double(d)
                lastWasDigit = true
            } else if let m = chineseMagnitude(s[k]) {
                if m < 10_000 {
                    section += (number == 0 && m == 10 ? 1 : number) * m
                } else {
                    total = (total + section + number) * m
                    section = 0
                }
                number = 0
                lastWasDigit = false
            } else {
                break
            }
            chars += 1
            k += 1
        }
        guard chars > 0 else { return nil }
        return (total + section + number, k, chars)
    }

    static func chinese(_ s: Scalars, at start: Int) -> (FigureRecord, Int)? {
        if start > 0 && s[start - 1] == "第" { return nil }
        guard let (v, end, chars) = readChinese(s, start), v >= 1 else { return nil }
        if chars == 1 && v == 1 { return nil }
        // A numeral followed by another numeral word is a name (三个一工作法).
        guard let (f, stop) = tail(s, numberStart: start, value: v, after: end, calendarYearCandidate: false, chineseNumeral: true) else { return nil }
        guard chineseNumeralUnits.contains(f.unit) else { return nil }
        if stop < s.count, chineseDigit(s[stop]) != nil { return nil }
        return (f, stop)
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
        func match(_ s: Scalars, _ at: Int) -> Scalars? {
            guard at < s.count else { return nil }
            let v = s[at].value
            var lo = 0, hi = firsts.count
            while lo < hi { let m = (lo + hi) / 2; if firsts[m] < v { lo = m + 1 } else { hi = m } }
            guard lo < firsts.count && firsts[lo] == v else { return nil }
            for i in byFirst[lo] where at + words[i].count <= s.count {
                let w = words[i]
                var k = 1
                while k < w.count && s[at + k] == w[k] { k += 1 }
                if k == w.count { return w }
            }
            return nil
        }
    }
    static let unitIndex = WordIndex(units)
    static let blockedIndex = WordIndex(blocked)

    static func tail(_ s: Scalars, numberStart: Int, value: Double, after: Int, calendarYearCandidate: Bool,
                     chineseNumeral: Bool) -> (FigureRecord, Int)? {
        var j = after
        var approx = Approx.exact
        var v = value
        var vMax: Double?
        var multiplied = false

        // Range: 7~12岁, 3-5万元, 7至12岁
        if j < s.count, rangeMarks.contains(s[j]), j + 1 < s.count, s[j + 1].digitValue != nil, !chineseNumeral {
            if let (v2, after2, _, _) = readArabic(s, j + 1), v2 > v {
                vMax = v2
                j = after2
            }
        }
        func approxWord() {
            if j < s.count && (s[j] == "余" || s[j] == "多") { approx = .over; j += 1 }
        }
        approxWord()
        if !chineseNumeral {
            if j < s.count, let m = chineseMagnitude(s[j]), m >= 10_000 {
                v *= m; vMax = vMax.map { $0 * m }; multiplied = true; j += 1
                if j < s.count && s[j] == "亿" && m == 10_000 { v *= 100_000_000; vMax = vMax.map { $0 * 100_000_000 }; j += 1 }
            }
            approxWord()
        }
        // The unit as matched, compared as scalars below (String equality on Chinese text
        // goes through Unicode normalisation checks, for every figure).
        var unitWord: Scalars?
        // 12个多小时, 3个多月: the measure word 个 before a time unit.
        if j < s.count && s[j] == "个" {
            var k = j + 1
            var a = approx
            if k < s.count && (s[k] == "多" || s[k] == "余") { a = .over; k += 1 }
            for t in timeUnits where s.hasPrefix(t, at: k) {
                unitWord = t; approx = a; j = k + t.count
                break
            }
        }
        if unitWord == nil {
            // A blocked word at least as long as any unit here wins: 号院, 周年, 月, 时.
            let u = unitIndex.match(s, j)
            if let b = blockedIndex.match(s, j), (u?.count ?? 0) <= b.count {
                return nil
            }
            if let u {
                unitWord = u
                j += u.count
            } else if multiplied {
                unitWord = []
            } else {
                return nil
            }
        }
        let word = unitWord!
        var unitName: String
        if word == ["％"] {
            unitName = "%"
        } else if word == ["成"] {
            v *= 10; vMax = vMax.map { $0 * 10 }; unitName = "%"
        } else if word == ["块", "钱"] {
            unitName = "元"
        } else {
            unitName = word.string
        }
        if word == ["年"] && calendarYearCandidate && !multiplied && approx == .exact && (1000...2100).contains(value) && vMax == nil {
            return nil
        }
        if word == ["年"] && vMax != nil && calendarYearCandidate { return nil }  // 2020-2022年
        // Approximation after the unit: 60岁以上, 6800米以上, 20人左右.
        for (w, a) in approxAfterUnit where s.hasPrefix(w, at: j) {
            if w.count == 1 {
                // 多 or 余: 3个多月 is handled above; a trailing 多 after a unit is rare and
                // ambiguous (1米多).
                if approx != .exact { break }
            }
            approx = a
            j += w.count
            break
        }
        // Approximation before the number: 近8万人, 超过33万, 约200人.
        var rawStart = numberStart
        for (w, a) in prefixes where numberStart >= w.count && s[(numberStart - w.count)..<numberStart].elementsEqual(w) {
            if w == ["近"] && numberStart >= 2 && ["附", "最", "靠", "临", "邻"].contains(s[numberStart - 2]) { break }
            if approx == .exact { approx = a }
            rawStart = numberStart - w.count
            break
        }
        let raw = s[rawStart..<j].string
        return (FigureRecord(raw: raw, value: v, valueMax: vMax, unit: unitName, approx: approx,
                             context: context(s, rawStart, j), offset: rawStart), j)
    }

    /// The clause around [a, b): between the nearest clause breaks, and at most
    /// `FigureRecord.contextReach` characters to either side (text without punctuation
    /// would otherwise make every figure's context the whole paragraph).
    static func context(_ s: Scalars, _ a: Int, _ b: Int) -> String {
        var lo = a, hi = b
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
