// Text encodings of single values for the machine-readable formats.
import Foundation

public enum JSON {
    public static func string(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    public static func array(_ items: [String]) -> String { "[" + items.map(string).joined(separator: ",") + "]" }

    /// Integral values print without a fraction (10000000, not 1e+07); others in the
    /// shortest form that reads back to the same Double.
    public static func number(_ d: Double) -> String {
        if d.isNaN || d.isInfinite { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }
}

public enum CSV {
    /// RFC 4180: quote a field holding the separator, a quote or a line break.
    public static func field(_ s: String, separator: Character = ",") -> String {
        if s.contains(separator) || s.contains("\"") || s.contains("\n") || s.contains("\r") {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    /// TSV has no quoting convention that all readers share; tabs and line breaks inside
    /// a value are written as \t and \n, and a backslash as \\.
    public static func tsvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\\" }) else { return s }
        var out = ""
        for c in s {
            switch c {
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\\": out += "\\\\"
            default: out.append(c)
            }
        }
        return out
    }
}
