// Bytes → text. Page files arrive as UTF-8 (with or without BOM), UTF-16 with a BOM,
// or GB18030/GBK from older newsroom systems. Nothing is dropped silently: invalid
// bytes become U+FFFD and are counted; a file that is not text is refused with a reason.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

public struct DecodedText: Sendable {
    public var text: String
    public var encoding: String
    /// Invalid byte sequences replaced by U+FFFD.
    public var replacements: Int
}

public enum DecodeFailure: Error, CustomStringConvertible, Equatable {
    case notText(String)
    public var description: String {
        switch self {
        case .notText(let why): return why
        }
    }
}

public enum TextDecoder {
    public static func decode(_ bytes: [UInt8]) -> Result<DecodedText, DecodeFailure> {
        if bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) {
            return .success(decodeUTF16(bytes))
        }
        var body = bytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { body = bytes[3...] }
        if let why = binaryReason(body) { return .failure(.notText(why)) }
        // Valid UTF-8, nearly every page: validated and copied in one pass.
        if let text = String(validating: body, as: UTF8.self) {
            return .success(DecodedText(text: text, encoding: "UTF-8", replacements: 0))
        }
        // Not clean UTF-8: a GB18030 page converts without error and reads as Chinese.
        if let gb = convertGB18030(Array(body)) {
            return .success(DecodedText(text: gb, encoding: "GB18030", replacements: 0))
        }
        let text = String(decoding: body, as: UTF8.self)
        let inText = text.unicodeScalars.reduce(0) { $0 + ($1.value == 0xFFFD ? 1 : 0) }
        let original = countReplacementCharsInValidParts(body)
        return .success(
            DecodedText(text: text, encoding: "UTF-8 (invalid bytes replaced)", replacements: inText - original))
    }

    /// The common case in one pass: a page that is valid UTF-8 (after an optional BOM),
    /// validated and decoded straight into scalars, with the binary test made on the way.
    /// `.notUTF8` sends the caller to `decode`, which works out what else it is.
    enum FastResult {
        case scalars([Unicode.Scalar])
        case notText(String)
        case notUTF8
    }

    static func decodeUTF8Scalars(_ bytes: [UInt8]) -> FastResult {
        if bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) {
            return .notUTF8
        }
        let skip = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var nul = 0
        var control = 0
        let sampleEnd = Swift.min(bytes.count, skip + binarySample)
        var valid = true
        let scalars = bytes.withUnsafeBufferPointer { all -> [Unicode.Scalar] in
            let b = UnsafeBufferPointer(rebasing: all[skip...])
            return [Unicode.Scalar](unsafeUninitializedCapacity: b.count) { out, written in
                var i = 0
                var k = 0
                let n = b.count
                let sample = sampleEnd - skip
                @inline(__always) func cont(_ j: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> UInt32? {
                    guard j < n, b[j] >= lo, b[j] <= hi else { return nil }
                    return UInt32(b[j] & 0x3F)
                }
                while i < n {
                    let b0 = b[i]
                    if b0 < 0x80 {
                        if i < sample {
                            if b0 == 0 { nul += 1 } else if isControl(b0) { control += 1 }
                        }
                        out[k] = Unicode.Scalar(b0)
                        k += 1
                        i += 1
                        continue
                    }
                    // Well-formed sequences (Unicode, table 3-7): no overlong forms, no
                    // surrogates, nothing past U+10FFFF.
                    var v: UInt32 = 0
                    switch b0 {
                    case 0xC2...0xDF:
                        guard let c1 = cont(i + 1) else {
                            valid = false
                            break
                        }
                        v = UInt32(b0 & 0x1F) << 6 | c1
                        i += 2
                    case 0xE0...0xEF:
                        let lo: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
                        let hi: UInt8 = b0 == 0xED ? 0x9F : 0xBF
                        guard let c1 = cont(i + 1, lo, hi), let c2 = cont(i + 2) else {
                            valid = false
                            break
                        }
                        v = UInt32(b0 & 0x0F) << 12 | c1 << 6 | c2
                        i += 3
                    case 0xF0...0xF4:
                        let lo: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
                        let hi: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
                        guard let c1 = cont(i + 1, lo, hi), let c2 = cont(i + 2), let c3 = cont(i + 3) else {
                            valid = false
                            break
                        }
                        v = UInt32(b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
                        i += 4
                    default:
                        valid = false
                    }
                    guard valid else { break }
                    out[k] = Unicode.Scalar(v).unsafelyUnwrapped
                    k += 1
                }
                written = k
            }
        }
        guard valid else { return .notUTF8 }
        if let why = binaryVerdict(nul: nul, control: control, sampleCount: sampleEnd - skip) { return .notText(why) }
        return .scalars(scalars)
    }

    /// Counts U+FFFD already present in the input as proper UTF-8 (EF BF BD), so that
    /// only the ones the decoder introduced are reported as replacements.
    static func countReplacementCharsInValidParts(_ b: ArraySlice<UInt8>) -> Int {
        var n = 0
        var i = b.startIndex
        while i + 2 < b.endIndex {
            if b[i] == 0xEF && b[i + 1] == 0xBF && b[i + 2] == 0xBD {
                n += 1
                i += 3
            } else {
                i += 1
            }
        }
        return n
    }

    /// A file is not text when its first `binarySample` bytes hold a NUL byte or are
    /// mostly control bytes.
    static func binaryReason(_ b: ArraySlice<UInt8>) -> String? {
        let sample = b.prefix(binarySample)
        var nul = 0
        var control = 0
        for x in sample {
            if x == 0 { nul += 1 } else if isControl(x) { control += 1 }
        }
        return binaryVerdict(nul: nul, control: control, sampleCount: sample.count)
    }

    static let binarySample = 65536

    /// A control byte other than line break, tab and form feed (NUL is counted apart).
    @inline(__always) static func isControl(_ x: UInt8) -> Bool {
        x < 0x20 && x != 0 && x != 0x0A && x != 0x0D && x != 0x09 && x != 0x0C
    }

    /// The decision on a sample's counts, shared by both readers.
    static func binaryVerdict(nul: Int, control: Int, sampleCount: Int) -> String? {
        if nul > 0 { return "not a text file (holds NUL bytes)" }
        if sampleCount > 0 && control * 20 > sampleCount { return "not a text file (mostly control bytes)" }
        return nil
    }

    static func decodeUTF16(_ bytes: [UInt8]) -> DecodedText {
        let little = bytes[0] == 0xFF
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = 2
        while i + 1 < bytes.count {
            units.append(
                little ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]))
            i += 2
        }
        var out = String.UnicodeScalarView()
        var replaced = bytes.count % 2
        var it = units.makeIterator()
        var dec = UTF16()
        loop: while true {
            switch dec.decode(&it) {
            case .scalarValue(let s): out.append(s)
            case .emptyInput: break loop
            case .error:
                out.append("\u{FFFD}")
                replaced += 1
            }
        }
        return DecodedText(text: String(out), encoding: little ? "UTF-16LE" : "UTF-16BE", replacements: replaced)
    }

    /// GB18030 (a superset of GBK and GB2312) through iconv; nil when the bytes are not
    /// valid GB18030 or do not read as mostly Chinese.
    static func convertGB18030(_ input: [UInt8]) -> String? {
        let cd = iconv_open("UTF-8", "GB18030")
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var src = input
        let written: Int? = src.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf -> Int? in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress)?
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress)?
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                if r == -1 || inLeft != 0 { return nil }
                return outBuf.count - outLeft
            }
        }
        guard let end = written else { return nil }
        let text = String(decoding: output[..<end], as: UTF8.self)
        var han = 0
        var other = 0
        for u in text.unicodeScalars where u.value > 0x7F {
            if u.isHan || (0x3000...0x303F).contains(u.value) || (0xFF00...0xFFEF).contains(u.value) {
                han += 1
            } else {
                other += 1
            }
        }
        return han >= other * 4 ? text : nil
    }
}
