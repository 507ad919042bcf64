// Dates are stored as day numbers (days since 1970-01-01) with a precision, so that
// a date filter is an integer range test. An article dated only to a month or a year
// covers the whole interval of that month or year.

public enum DatePrecision: UInt8, Sendable, CaseIterable {
    case none = 0
    case year, month, day
    public var name: String {
        switch self {
        case .none: return "none"
        case .year: return "year"
        case .month: return "month"
        case .day: return "day"
        }
    }
}

public enum DateSource: UInt8, Sendable, CaseIterable {
    case none = 0
    case text, file, page
    public var name: String {
        switch self {
        case .none: return "none"
        case .text: return "text"
        case .file: return "file"
        case .page: return "page"
        }
    }
}

/// A calendar date known to some precision.
public struct PartialDate: Hashable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int // 0 when unknown
    public var day: Int // 0 when unknown

    public init(year: Int, month: Int = 0, day: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
    }

    public var precision: DatePrecision { day > 0 ? .day : month > 0 ? .month : .year }

    public var description: String {
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        switch precision {
        case .day: return "\(year)-\(pad(month))-\(pad(day))"
        case .month: return "\(year)-\(pad(month))"
        default: return "\(year)"
        }
    }

    /// First and last day number covered by this date.
    public var dayRange: ClosedRange<Int32> {
        switch precision {
        case .day:
            let d = CivilDate.days(year: year, month: month, day: day)
            return d...d
        case .month:
            let a = CivilDate.days(year: year, month: month, day: 1)
            return a...(a + Int32(CivilDate.daysInMonth(year: year, month: month)) - 1)
        default:
            return CivilDate.days(year: year, month: 1, day: 1)...CivilDate.days(year: year, month: 12, day: 31)
        }
    }

    public var isValid: Bool {
        guard (1000...9999).contains(year) else { return false }
        if month == 0 { return day == 0 }
        guard (1...12).contains(month) else { return false }
        return day == 0 || (1...CivilDate.daysInMonth(year: year, month: month)).contains(day)
    }
}

public enum CivilDate {
    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    public static func days(year: Int, month: Int, day: Int) -> Int32 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int32(era * 146097 + doe - 719468)
    }

    public static func civil(_ days: Int32) -> (year: Int, month: Int, day: Int) {
        let z = Int(days) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
